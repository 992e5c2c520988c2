public import ProviderRegistry
public import ReleaseCore
import Reporting

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One record of a fleet trace (trace format v1, Docs/Traces.md).
public struct TraceRecord: Hashable, Sendable {
    /// What the record asks.
    /// A launch's optional words (a compatible extension of v1): data disks, a public address, snapshots, spot.
    public struct LaunchExtras: Hashable, Sendable {
        /// A data disk's word: `data-disk:delete` (released with the instance), `data-disk:keep` (an elastic disk
        /// that outlives it), `local-disk`.
        public enum DataDisk: String, Hashable, Sendable, CaseIterable {
            case delete = "data-disk:delete"
            case keep = "data-disk:keep"
            case local = "local-disk"
        }

        public var dataDisks: [DataDisk] = []
        /// `public-ip` or `eip`.
        public var publicAddress: PublicAddress = .none
        /// `snapshot:auto` or `snapshot:manual`, of the system disk.
        public var snapshots: [SnapshotKind] = []
        /// `spot`.
        public var isSpot = false

        public init(
            dataDisks: [DataDisk] = [],
            publicAddress: PublicAddress = .none,
            snapshots: [SnapshotKind] = [],
            isSpot: Bool = false
        ) {
            self.dataDisks = dataDisks
            self.publicAddress = publicAddress
            self.snapshots = snapshots
            self.isSpot = isSpot
        }

        /// No extras: one system disk, no public address (v1's launch).
        public static let none = LaunchExtras()

        /// The words, in a fixed order.
        public var words: [String] {
            var words = dataDisks.map(\.rawValue)
            switch publicAddress {
            case .none: break
            case .fixedPublicIP: words.append("public-ip")
            case .elasticIP: words.append("eip")
            }
            words += snapshots.map { $0 == .automatic ? "snapshot:auto" : "snapshot:manual" }
            if isSpot { words.append("spot") }
            return words
        }

        /// Adds one word; false when it is not an extras word (or a second public address).
        mutating func add(_ word: String) -> Bool {
            if let disk = DataDisk(rawValue: word) {
                dataDisks.append(disk)
            } else if word == "public-ip" || word == "eip" {
                guard publicAddress == .none else { return false }
                publicAddress = word == "eip" ? .elasticIP : .fixedPublicIP
            } else if word == "snapshot:auto" || word == "snapshot:manual" {
                snapshots.append(word == "snapshot:auto" ? .automatic : .manual)
            } else if word == "spot", !isSpot {
                isSpot = true
            } else {
                return false
            }
            return true
        }
    }

    public enum Operation: Hashable, Sendable {
        /// `launch <provider> <charge> [protected] [extras…]`.
        case launch(ProviderModel.Kind, ChargeType, isProtected: Bool, extras: LaunchExtras = .none)
        /// `stop [force] [keep-charging | stop-charging]`.
        case stop(force: Bool, chargingMode: StopChargingMode?)
        /// `start`.
        case start
        /// `release [force] [immediately] [terminate-subscription] ...`.
        case release(ReleaseFlags)
        /// `schedule-release <time>`.
        case scheduleRelease(Instant)
        /// `cancel-schedule`.
        case cancelSchedule
        /// `protect on|off`.
        case protect(Bool)
        /// `restore`.
        case restore
        /// `renew <time>`: a subscription renewed until its new expiry (added compatibly in v1).
        case renew(Instant)
        /// `convert-to-postpaid`: a subscription converted to pay-as-you-go (added compatibly in v1).
        case convertToPostpaid
        /// `convert-ip-to-eip`: the fixed public IP converted to an elastic IP (added compatibly in v1).
        case convertIPToEIP
        /// `unsubscribe`: an unexpired subscription unsubscribed (returned) early (added compatibly in v1).
        case unsubscribe
        /// `arrears` (account-level).
        case arrears
        /// `topup` (account-level).
        case topUp

        /// The library command for an instance-level operation (nil for launch and account-level ops).
        public var command: Command? {
            switch self {
            case .stop(let force, let mode): return .stop(force: force, chargingMode: mode)
            case .start: return .start
            case .release(let flags): return .release(flags)
            case .scheduleRelease(let time): return .scheduleRelease(at: time)
            case .cancelSchedule: return .cancelScheduledRelease
            case .protect(let on): return .setProtection(on)
            case .restore: return .restore
            case .renew(let until): return .renew(until: until)
            case .convertToPostpaid: return .convertToPayAsYouGo
            case .convertIPToEIP: return .convertPublicIPToElasticIP
            case .unsubscribe: return .unsubscribe
            case .launch, .arrears, .topUp: return nil
            }
        }

        /// The record of a library command (every command has one).
        public init(_ command: Command) {
            switch command {
            case .stop(let force, let mode): self = .stop(force: force, chargingMode: mode)
            case .start: self = .start
            case .release(let flags): self = .release(flags)
            case .scheduleRelease(let time): self = .scheduleRelease(time)
            case .cancelScheduledRelease: self = .cancelSchedule
            case .setProtection(let on): self = .protect(on)
            case .restore: self = .restore
            case .renew(let until): self = .renew(until)
            case .convertToPayAsYouGo: self = .convertToPostpaid
            case .convertPublicIPToElasticIP: self = .convertIPToEIP
            case .unsubscribe: self = .unsubscribe
            }
        }

        /// The library event for an account-level operation.
        public var accountEvent: Event? {
            switch self {
            case .arrears: return .arrearsBegan
            case .topUp: return .balanceRestored
            default: return nil
            }
        }
    }

    /// When.
    public var time: Instant
    /// The billing owner.
    public var account: String
    /// The instance id; empty for account-level operations.
    public var instance: String
    /// The operation.
    public var operation: Operation

    /// Creates a record.
    public init(time: Instant, account: String, instance: String, operation: Operation) {
        self.time = time
        self.account = account
        self.instance = instance
        self.operation = operation
    }

    /// A `launch` record's provider and the instance it describes (see ``launchDescription(id:charge:isProtected:extras:)``);
    /// nil for any other operation.
    public var launched: (kind: ProviderModel.Kind, description: InstanceDescription)? {
        guard case .launch(let kind, let charge, let isProtected, let extras) = operation else { return nil }
        return (kind, Self.launchDescription(id: instance, charge: charge, isProtected: isProtected, extras: extras))
    }

    /// The description a `launch` record gives its instance: one system disk and the provider's defaults, plus
    /// the extras' data disks (`data1`, `data2`, …), public address, snapshots of the system disk and spot.
    public static func launchDescription(
        id: String,
        charge: ChargeType,
        isProtected: Bool,
        extras: LaunchExtras = .none
    ) -> InstanceDescription {
        launchDescription(id: id, charge: charge, isProtected: isProtected, extras: extras, plain: plainLaunch)
    }

    /// The same, with `plain` (from ``newPlainLaunch()``) as the shape of a launch without extras: each partition's
    /// applier keeps its own, and one thread at a time applies a partition, so two cores never count references to
    /// one object (Docs/Performance.md, "A shared launch shape").
    package static func launchDescription(
        id: String,
        charge: ChargeType,
        isProtected: Bool,
        extras: LaunchExtras,
        plain: InstanceDescription
    ) -> InstanceDescription {
        InstanceDescription(
            id: id,
            launch: launch(charge: charge, isProtected: isProtected, extras: extras, plain: plain.launch)
        )
    }

    /// The launch of a record, without its id: `plain` (from ``newPlainLaunch()``) when it has no extras, under its
    /// charge and protection; else one of its own. No disk's id is made from the instance's.
    package static func launch(
        charge: ChargeType,
        isProtected: Bool,
        extras: LaunchExtras,
        plain: InstanceLaunch
    ) -> InstanceLaunch {
        guard extras != .none else {
            var launch = plain
            launch.charge = charge
            launch.isProtected = isProtected
            return launch
        }
        var disks = defaultDisks
        for (index, disk) in extras.dataDisks.enumerated() { disks.append(disk.disk(id: "data\(index + 1)")) }
        return InstanceLaunch(
            charge: charge,
            isSpot: extras.isSpot,
            disks: disks,
            snapshots: extras.snapshots.enumerated().map {
                Snapshot(id: "snapshot\($0.offset + 1)", diskID: "system", kind: $0.element)
            },
            publicAddress: extras.publicAddress,
            isProtected: isProtected
        )
    }

    /// The one disk a launch has without extras.
    private static let systemDisk = Disk(id: "system", role: .system)

    /// The disks of a launch without extras: its system disk.
    private static let defaultDisks = [systemDisk]

    /// A launch without extras, whose region and disks every such instance shares (one shape, not one a launch).
    private static let plainLaunch = newPlainLaunch()

    /// A new shape of a launch without extras: one system disk, in an array of its own.
    package static func newPlainLaunch() -> InstanceDescription {
        InstanceDescription(id: "", disks: [systemDisk])
    }

    /// Parses one record line (no line ending, not a comment or the header).
    public init(parsing line: String) throws(TraceMalformation) {
        var text = line
        let result = text.withUTF8 { TraceLineParser.parse($0) }
        switch result {
        case .success(let record): self = record
        case .failure(let malformation): throw malformation
        }
    }

    /// The header line every trace has after its comments.
    public static let header = "time,account,instance,op,arg"

    /// The record as a trace line.
    public var line: String {
        let (op, arg): (String, String)
        switch operation {
        case .launch(let kind, let charge, let isProtected, let extras):
            var words = [kind.rawValue]
            switch charge {
            case .payAsYouGo: words.append("postpaid")
            case .subscription(let expiresAt): words.append("prepaid:\(expiresAt.iso8601)")
            }
            if isProtected { words.append("protected") }
            words += extras.words
            (op, arg) = ("launch", words.joined(separator: " "))
        case .stop(let force, let mode):
            var words: [String] = []
            if force { words.append("force") }
            if let mode { words.append(mode == .keepCharging ? "keep-charging" : "stop-charging") }
            (op, arg) = ("stop", words.joined(separator: " "))
        case .start: (op, arg) = ("start", "")
        case .release(let flags): (op, arg) = ("release", flags.isEmpty ? "" : ProviderModel.words(of: flags))
        case .scheduleRelease(let time): (op, arg) = ("schedule-release", time.iso8601)
        case .cancelSchedule: (op, arg) = ("cancel-schedule", "")
        case .protect(let on): (op, arg) = ("protect", on ? "on" : "off")
        case .restore: (op, arg) = ("restore", "")
        case .renew(let until): (op, arg) = ("renew", until.iso8601)
        case .convertToPostpaid: (op, arg) = ("convert-to-postpaid", "")
        case .convertIPToEIP: (op, arg) = ("convert-ip-to-eip", "")
        case .unsubscribe: (op, arg) = ("unsubscribe", "")
        case .arrears: (op, arg) = ("arrears", "")
        case .topUp: (op, arg) = ("topup", "")
        }
        return "\(time.iso8601),\(account),\(instance),\(op),\(arg)"
    }
}

/// Parses one record line; returns the record or why the line is malformed.
///
/// Works on the line's bytes and makes Strings only for the account and instance ids (and for error
/// messages), because replay parses millions of lines.
enum TraceLineParser {
    typealias LaunchExtras = TraceRecord.LaunchExtras
    private typealias Bytes = UnsafeBufferPointer<UInt8>

    /// A record's fields, the ids still the line's own bytes (checked to be UTF-8 text, no String made). Plain
    /// bytes: an operation with words of its own is `.rich`, and the parser hands it whole beside the fields.
    struct Fields {
        var time: Instant
        var account: UnsafeBufferPointer<UInt8>
        var instance: UnsafeBufferPointer<UInt8>
        /// The operation; `.rich` when it carries words of its own.
        var operation: ReadOperation
        /// What the record is about.
        var subject: RecordSubject
    }

    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> Result<TraceRecord, TraceMalformation> {
        var times = InstantParser()
        var rich: TraceRecord.Operation?
        return parseFields(line, commas: commas(line), times: &times, rich: &rich).map {
            TraceRecord(
                time: $0.time,
                account: string($0.account),
                instance: string($0.instance),
                operation: $0.operation.traceOperation(rich: rich)
            )
        }
    }

    /// The line's first four commas, and how many it has up to five (a fifth is counted so that the caller can
    /// report too many fields).
    ///
    /// Eight bytes at a time: a line's fields are a few bytes each, so calling `memchr` per comma cost more than the
    /// search (Docs/Performance.md, "The usual lines read quickly").
    @inline(__always)
    static func commas(_ line: UnsafeBufferPointer<UInt8>) -> Commas {
        var commas = Commas()
        guard let base = line.baseAddress else { return commas }
        let raw = UnsafeRawPointer(base)
        var start = 0
        while start + 8 <= line.count {
            var marks = Self.zeroBytes(
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: UInt64.self)) ^ Self.commaBytes
            )
            while marks != 0 {
                if !commas.add(start + marks.trailingZeroBitCount >> 3) { return commas }
                marks &= marks - 1
            }
            start += 8
        }
        while start < line.count {
            if base[start] == 0x2C, !commas.add(start) { break }
            start += 1
        }
        return commas
    }

    /// A comma in each of eight bytes.
    private static var commaBytes: UInt64 { 0x2C2C_2C2C_2C2C_2C2C }

    /// The high bit of each byte of `word` that is zero, and no other bit: exact for every byte, as the shorter
    /// `(word - 0x01…) & ~word & 0x80…` is not (a borrow can mark a byte above a zero byte).
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        let lowSeven: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((word & lowSeven) &+ lowSeven) | word | lowSeven)
    }

    /// Where a line's fields end: ``commas(_:)``.
    struct Commas {
        /// The first four commas' places (those found), and how many commas the line has, up to five.
        private var places: (Int, Int, Int, Int) = (0, 0, 0, 0)
        private(set) var count = 0

        /// Adds the place of the next comma; false once a fifth is counted (the line has too many fields, and its
        /// places no longer matter). Stored by its index, not through a switch over four fields.
        @inline(__always)
        fileprivate mutating func add(_ place: Int) -> Bool {
            if count < 4 {
                withUnsafeMutableBytes(of: &places) {
                    $0.storeBytes(of: place, toByteOffset: count * MemoryLayout<Int>.stride, as: Int.self)
                }
            }
            count += 1
            return count < 5
        }

        /// The four commas' places, when the line has exactly four.
        var all: (Int, Int, Int, Int)? { count == 4 ? places : nil }

        /// The third field (a record's instance id), when the line has four commas and it is not empty.
        func instanceField(of line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
            guard count == 4, places.2 > places.1 + 1 else { return nil }
            return UnsafeBufferPointer(rebasing: line[(places.1 + 1)..<places.2])
        }
    }

    /// Parses a line's fields, its ``commas(_:)`` found already, and checks them in the order the messages promise:
    /// five fields, the time, the account, the ids' text, the op and its argument, then whether the op takes an
    /// instance. `times` remembers the last day read (a trace's lines come in time order). An operation with words
    /// of its own (a launch with extras, a release naming flags) is `.rich` in the fields and whole in `rich`.
    static func parseFields(
        _ line: UnsafeBufferPointer<UInt8>,
        commas found: Commas,
        times: inout InstantParser,
        rich: inout TraceRecord.Operation?
    ) -> Result<Fields, TraceMalformation> {
        guard let commas = found.all else {
            let fields = line.reduce(1) { $1 == 0x2C ? $0 + 1 : $0 }
            return .failure(
                .init(
                    field: nil,
                    reason: "expected 5 comma-separated fields, found \(fields)",
                    chineseReason: "应为 5 个逗号分隔的字段，实际 \(fields) 个"
                )
            )
        }
        let timeField = Bytes(rebasing: line[0..<commas.0])
        let accountField = Bytes(rebasing: line[(commas.0 + 1)..<commas.1])
        let instanceField = Bytes(rebasing: line[(commas.1 + 1)..<commas.2])
        let opField = Bytes(rebasing: line[(commas.2 + 1)..<commas.3])
        let argField = Bytes(rebasing: line[(commas.3 + 1)..<line.count])
        guard let time = times.parse(utf8: timeField) else {
            return .failure(
                .init(
                    field: "time",
                    reason: "\"\(echo(timeField))\" is not a UTC time YYYY-MM-DDTHH:MM:SSZ from 1970 to 9999",
                    chineseReason: "“\(echo(timeField))”不是 1970 至 9999 年的 UTC 时间 YYYY-MM-DDTHH:MM:SSZ"
                )
            )
        }
        guard !accountField.isEmpty else {
            return .failure(.init(field: "account", reason: "the account is empty", chineseReason: "账号为空"))
        }
        guard isUTF8(accountField) else { return .failure(notText(accountField, field: "account")) }
        guard isUTF8(instanceField) else { return .failure(notText(instanceField, field: "instance")) }
        rich = nil
        let operation: ReadOperation
        switch parseOperation(opField, argField, rich: &rich) {
        case .success(let parsed): operation = parsed
        case .failure(let malformation): return .failure(malformation)
        }
        let subject = operation.subject(rich: rich)
        let isAccountLevel = subject == .account
        if isAccountLevel && !instanceField.isEmpty {
            return .failure(
                .init(
                    field: "instance",
                    reason: "\(echo(opField)) is account-level; the instance must be empty",
                    chineseReason: "\(echo(opField)) 是账号级操作，instance 必须为空"
                )
            )
        }
        if !isAccountLevel && instanceField.isEmpty {
            return .failure(
                .init(
                    field: "instance",
                    reason: "\(echo(opField)) needs an instance id",
                    chineseReason: "\(echo(opField)) 需要实例 id"
                )
            )
        }
        return .success(
            Fields(time: time, account: accountField, instance: instanceField, operation: operation, subject: subject)
        )
    }

    /// The space-separated words of an argument, without allocating: at most four are kept, which is more
    /// than any op takes (a fifth makes `count` 5 so the op reports too many words).
    private struct Words {
        private var words = UpToFour(filler: Bytes(start: nil, count: 0))

        init(_ field: Bytes) {
            var start = 0
            for index in 0...field.count where index == field.count || field[index] == 0x20 {
                if index > start { words.append(Bytes(rebasing: field[start..<index])) }
                start = index + 1
            }
        }

        /// How many words the field has (more than four are counted, not kept).
        var count: Int { words.count }
        var isEmpty: Bool { count == 0 }
        subscript(index: Int) -> Bytes { words[index] }
        var all: [Bytes] { (0..<min(count, 4)).map { self[$0] } }
    }

    /// Whether the bytes are exactly the text's.
    @inline(__always)
    static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        guard let base = bytes.baseAddress else { return true }
        return memcmp(base, text.utf8Start, bytes.count) == 0
    }

    /// The providers a trace may name, and their words' bytes, in the same order (read once, not per line).
    private static let providerKinds = ProviderModel.Kind.allCases
    private static let providerWords = providerKinds.map { Array($0.rawValue.utf8) }

    /// The release flags' words' bytes, in the registry's order (``ProviderModel/releaseFlags``), read once.
    private static let releaseFlagWords = ProviderModel.releaseFlags.map { Array($0.word.utf8) }

    /// The place among `words` of the one that is exactly `word`'s bytes, or nil.
    private static func place(of word: UnsafeBufferPointer<UInt8>, among words: [[UInt8]]) -> Int? {
        guard let base = word.baseAddress else { return nil }
        for (place, known) in words.enumerated() where known.count == word.count {
            if known.withUnsafeBufferPointer({ memcmp($0.baseAddress!, base, word.count) }) == 0 { return place }
        }
        return nil
    }

    /// The place in ``ProviderModel/releaseFlags`` of the flag whose word is exactly these bytes; nil for any other
    /// bytes. ``QuickLineParser`` reads a release naming one flag with it; the general parser compares each word as a
    /// `String` (``ProviderModel/flag(_:)``), which holds these bytes equal to the same flag and no other, and judges
    /// every other spelling (and any flag past the 256th, which a byte cannot place).
    static func releaseFlagPlace(_ word: UnsafeBufferPointer<UInt8>) -> UInt8? {
        place(of: word, among: releaseFlagWords).flatMap { UInt8(exactly: $0) }
    }

    /// A trace's ops, each read from its word once, here, for both parsers (``QuickLineParser`` too).
    enum OpWord {
        case launch, stop, start, release, scheduleRelease, cancelSchedule, protect, restore, renew
        case convertToPostpaid, convertIPToEIP, unsubscribe, arrears, topUp
    }

    /// The op `bytes` name, or nil. The op's length picks the few words it may be, so that a line is compared with
    /// one or two of them.
    static func opWord(_ bytes: UnsafeBufferPointer<UInt8>) -> OpWord? {
        switch bytes.count {
        case 4: return equals(bytes, "stop") ? .stop : nil
        case 5:
            if equals(bytes, "start") { return .start }
            if equals(bytes, "renew") { return .renew }
            return equals(bytes, "topup") ? .topUp : nil
        case 6: return equals(bytes, "launch") ? .launch : nil
        case 7:
            if equals(bytes, "release") { return .release }
            if equals(bytes, "restore") { return .restore }
            if equals(bytes, "protect") { return .protect }
            return equals(bytes, "arrears") ? .arrears : nil
        case 11: return equals(bytes, "unsubscribe") ? .unsubscribe : nil
        case 15: return equals(bytes, "cancel-schedule") ? .cancelSchedule : nil
        case 16: return equals(bytes, "schedule-release") ? .scheduleRelease : nil
        case 17: return equals(bytes, "convert-ip-to-eip") ? .convertIPToEIP : nil
        case 19: return equals(bytes, "convert-to-postpaid") ? .convertToPostpaid : nil
        default: return nil
        }
    }

    /// The provider a launch's first word names.
    static func provider(_ word: UnsafeBufferPointer<UInt8>) -> ProviderModel.Kind? {
        place(of: word, among: providerWords).map { providerKinds[$0] }
    }

    /// A launch's charge word: `postpaid` or `prepaid:<time>`.
    static func charge(_ word: UnsafeBufferPointer<UInt8>) -> ChargeType? {
        if equals(word, "postpaid") { return .payAsYouGo }
        guard word.count == 28, equals(Bytes(rebasing: word[0..<8]), "prepaid:"),
            let expiry = Instant.parse(utf8: Bytes(rebasing: word[8..<28]))
        else { return nil }
        return .subscription(expiresAt: expiry)
    }

    /// A word a stop may take.
    enum StopWord { case force, keepCharging, stopCharging }

    /// The stop word `word` is (`force`, `keep-charging`, `stop-charging`), or nil.
    static func stopWord(_ word: UnsafeBufferPointer<UInt8>) -> StopWord? {
        if equals(word, "force") { return .force }
        if equals(word, "keep-charging") { return .keepCharging }
        return equals(word, "stop-charging") ? .stopCharging : nil
    }

    /// Whether `protect`'s word turns protection on (`on`) or off (`off`); nil for any other word.
    static func protectWord(_ word: UnsafeBufferPointer<UInt8>) -> Bool? {
        if equals(word, "on") { return true }
        return equals(word, "off") ? false : nil
    }

    /// The op and its argument; an operation with words of its own (a launch with extras, a release naming flags)
    /// is returned as `rich`, whole, in `rich`. The argument's words are split only for the ops that take any.
    private static func parseOperation(
        _ op: Bytes,
        _ field: Bytes,
        rich: inout TraceRecord.Operation?
    ) -> Result<ReadOperation, TraceMalformation> {
        func bad(_ reason: String, _ chinese: String) -> Result<ReadOperation, TraceMalformation> {
            .failure(TraceMalformation(field: "arg", reason: reason, chineseReason: chinese))
        }
        func noArgument(_ operation: ReadOperation) -> Result<ReadOperation, TraceMalformation> {
            guard !field.isEmpty else { return .success(operation) }
            let words = Words(field)  // a field of spaces has none
            return words.isEmpty
                ? .success(operation)
                : bad(
                    "\(echo(op)) takes no argument, got \"\(words.all.map(echo).joined(separator: " "))\"",
                    "\(echo(op)) 不带参数，实际是“\(words.all.map(echo).joined(separator: " "))”"
                )
        }
        guard let opWord = opWord(op) else {
            let operations =
                "launch, stop, start, release, schedule-release, cancel-schedule, protect, restore, renew, "
                + "convert-to-postpaid, convert-ip-to-eip, unsubscribe, arrears, topup"
            return .failure(
                TraceMalformation(
                    field: "op",
                    reason: "unknown op \"\(echo(op))\" (\(operations))",
                    chineseReason: "未知的操作“\(echo(op))”（\(operations)）"
                )
            )
        }
        switch opWord {
        case .launch:
            let words = Words(field)
            guard words.count >= 2 else {
                return bad(
                    "launch takes \"<provider> <charge> [protected] [extras]\"",
                    "launch 的参数是“<provider> <charge> [protected] [extras]”"
                )
            }
            guard let kind = provider(words[0]) else {
                let known = ProviderModel.Kind.allCases.map(\.rawValue).joined(separator: " or ")
                return bad("unknown provider \"\(echo(words[0]))\" (\(known))", "未知的云厂商“\(echo(words[0]))”（\(known)）")
            }
            guard let charge = charge(words[1]) else {
                return bad(
                    "charge \"\(echo(words[1]))\" is neither postpaid nor prepaid:<time>",
                    "计费方式“\(echo(words[1]))”既不是 postpaid 也不是 prepaid:<time>"
                )
            }
            if words.count == 2 { return .success(.launch(kind, charge, isProtected: false)) }
            if words.count == 3 && equals(words[2], "protected") {
                return .success(.launch(kind, charge, isProtected: true))
            }
            // Extras: every word after the charge (rare; read from the whole field).
            let all = string(field).split(separator: " ").map(String.init)
            var isProtected = false
            var extras = LaunchExtras()
            for word in all.dropFirst(2) {
                if word == "protected", !isProtected {
                    isProtected = true
                } else if !extras.add(word) {
                    let got = TimeText.escaped(String(word.prefix(60)))
                    return bad(
                        "launch words after the charge are protected, data-disk:keep, data-disk:delete, local-disk, "
                            + "public-ip or eip, snapshot:auto, snapshot:manual, spot; got \"\(got)\"",
                        "计费方式之后的 launch 词只能是 protected、data-disk:keep、data-disk:delete、local-disk、"
                            + "public-ip 或 eip、snapshot:auto、snapshot:manual、spot；实际是“\(got)”"
                    )
                }
            }
            if extras == .none { return .success(.launch(kind, charge, isProtected: isProtected)) }
            rich = .launch(kind, charge, isProtected: isProtected, extras: extras)
            return .success(.rich(0))
        case .stop:
            var force = false
            var mode: StopChargingMode?
            let words = Words(field)
            // By place, not `words.all`: that is an array a stop record would allocate.
            for place in 0..<min(words.count, 4) {
                let word = words[place]
                switch stopWord(word) {
                case .force where !force: force = true
                case .keepCharging where mode == nil: mode = .keepCharging
                case .stopCharging where mode == nil: mode = .stopCharging
                case .force, .keepCharging, .stopCharging, nil:
                    return bad(
                        "stop takes [force] [keep-charging | stop-charging], got \"\(echo(word))\"",
                        "stop 的参数是 [force] [keep-charging | stop-charging]，实际是“\(echo(word))”"
                    )
                }
            }
            return .success(.stop(force: force, chargingMode: mode))
        case .start: return noArgument(.start)
        case .release:
            // Every word of the field: `Words` keeps four, and a release may name more flags than that (a fifth
            // word used to be dropped silently, `dry-run` included).
            var flags: ReleaseFlags = []
            var start = 0
            var releaseWords: [Bytes] = []
            for index in 0...field.count where index == field.count || field[index] == 0x20 {
                if index > start { releaseWords.append(Bytes(rebasing: field[start..<index])) }
                start = index + 1
            }
            for word in releaseWords {
                let text = string(word)
                guard let flag = ProviderModel.flag(text), !flags.contains(flag)
                else {
                    let known = ProviderModel.releaseFlags.map(\.word).joined(separator: ", ")
                    return bad(
                        "release takes words from {\(known)}, got \"\(text)\"",
                        "release 的参数取自 {\(known)}，实际是“\(text)”"
                    )
                }
                flags.insert(flag)
            }
            if flags.isEmpty { return .success(.release) }
            rich = .release(flags)
            return .success(.rich(0))
        case .renew, .scheduleRelease:
            let renews = opWord == .renew
            let words = Words(field)
            guard words.count == 1, let time = Instant.parse(utf8: words[0]) else {
                return renews
                    ? bad(
                        "renew takes one time YYYY-MM-DDTHH:MM:SSZ (the new expiry)",
                        "renew 需要一个时间 YYYY-MM-DDTHH:MM:SSZ（新的到期时间）"
                    )
                    : bad(
                        "schedule-release takes one time YYYY-MM-DDTHH:MM:SSZ",
                        "schedule-release 需要一个时间 YYYY-MM-DDTHH:MM:SSZ"
                    )
            }
            return .success(renews ? .renew(time) : .scheduleRelease(time))
        case .cancelSchedule: return noArgument(.cancelSchedule)
        case .protect:
            let words = Words(field)
            if words.count == 1, let on = protectWord(words[0]) { return .success(.protect(on)) }
            return bad("protect takes on or off", "protect 的参数是 on 或 off")
        case .restore: return noArgument(.restore)
        case .convertToPostpaid: return noArgument(.convertToPostpaid)
        case .convertIPToEIP: return noArgument(.convertIPToEIP)
        case .unsubscribe: return noArgument(.unsubscribe)
        case .arrears: return noArgument(.arrears)
        case .topUp: return noArgument(.topUp)
        }
    }

    /// Why a text field (an account or an instance id) is not UTF-8 text.
    private static func notText(_ bytes: Bytes, field: String) -> TraceMalformation {
        TraceMalformation(
            field: field,
            reason: "\"\(echo(bytes))\" is not UTF-8 text",
            chineseReason: "“\(echo(bytes))”不是 UTF-8 文本"
        )
    }

    /// Whether the bytes are UTF-8 text. ASCII (nearly every id) is checked without making a String: the standard
    /// library's `String(validating:as:)` is generic and looks up type metadata on every call, a fifth of a
    /// replay's instructions when it ran twice per record.
    @inline(__always)
    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        isASCII(bytes) || String(validating: bytes, as: UTF8.self) != nil
    }

    /// Whether every byte is ASCII, eight bytes at a time: the last eight (or four) bytes are read in one load that
    /// may overlap the one before, as an id is a few bytes and a loop over its last ones cost more than the rest.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var words: UInt64 = 0
        if count >= 8 {
            var start = 0
            while start + 8 < count {
                words |= raw.loadUnaligned(fromByteOffset: start, as: UInt64.self)
                start += 8
            }
            words |= raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 {
            words = UInt64(
                raw.loadUnaligned(as: UInt32.self) | raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            )
        } else {
            for index in 0..<count { words |= UInt64(base[index]) }
        }
        return words & 0x8080_8080_8080_8080 == 0
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Bytes as they may be echoed in a message: truncated, control characters escaped (see
    /// ``TimeText/escaped(_:)``).
    static func echo(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        TimeText.escaped(String(decoding: bytes.prefix(240), as: UTF8.self))
    }
}

/// Why a trace line is malformed.
public struct TraceMalformation: Error, Hashable, Sendable, Codable {
    /// The field at fault, if one is.
    public var field: String?
    /// Why.
    public var reason: String
    /// Why, in Chinese (`--lang zh`).
    public var chineseReason: String?

    /// `field: reason` or the reason alone.
    public var description: String { field.map { "\($0): \(reason)" } ?? reason }

    /// `field: reason` or the reason alone, in Chinese when there is a Chinese reason.
    public var chineseDescription: String? {
        chineseReason.map { chinese in field.map { "\($0): \(chinese)" } ?? chinese }
    }
}

extension TraceRecord.LaunchExtras.DataDisk {
    /// The disk this word describes: `keep` is an elastic data disk that outlives its instance
    /// (DeleteWithInstance off), `delete` a data disk released with it, `local` a local disk.
    public func disk(id: String) -> Disk {
        Disk(id: id, role: self == .local ? .local : .data, deleteWithInstance: self != .keep, isElastic: self == .keep)
    }
}

/// Up to four values kept inline, without allocating, and how many were offered: an argument's words (a fifth is
/// counted so that the caller can report too many).
fileprivate struct UpToFour<Element> {
    private(set) var count = 0
    private var slots: (Element, Element, Element, Element)

    /// Empty; `filler` stands in the unused slots.
    init(filler: Element) {
        slots = (filler, filler, filler, filler)
    }

    /// Keeps `element` if there is room, and counts it either way.
    mutating func append(_ element: Element) {
        switch count {
        case 0: slots.0 = element
        case 1: slots.1 = element
        case 2: slots.2 = element
        case 3: slots.3 = element
        default: break
        }
        count += 1
    }

    /// The value at `index` (0 to 3), or the filler where none was kept.
    subscript(index: Int) -> Element {
        switch index {
        case 0: return slots.0
        case 1: return slots.1
        case 2: return slots.2
        default: return slots.3
        }
    }
}
