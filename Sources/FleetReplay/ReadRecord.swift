import ProviderRegistry
import ReleaseCore

/// A record's operation as the reader hands it on: plain bytes, no `String` or array, so that records are copied
/// into batches and out of them without counting references (Docs/Performance.md, "Records of plain bytes").
///
/// The two operations that carry words of their own, a launch with extras and a release naming more than one flag,
/// are kept whole in their batch's ``RecordBatch/richOperations``.
enum ReadOperation {
    /// `launch <provider> <charge> [protected]`.
    case launch(ProviderModel.Kind, ChargeType, isProtected: Bool)
    case stop(force: Bool, chargingMode: StopChargingMode?)
    case start
    /// `release` naming no flag.
    case release
    /// `release` naming one flag: its place in ``ProviderModel/releaseFlags`` (a release naming more is `rich`).
    case releaseFlag(UInt8)
    case scheduleRelease(Instant)
    case cancelSchedule
    case protect(Bool)
    case restore
    case renew(Instant)
    case convertToPostpaid
    case convertIPToEIP
    case unsubscribe
    case arrears
    case topUp
    /// The operation at this place in the batch's ``RecordBatch/richOperations`` (or, while its line is read, the one
    /// the parser handed beside the line's ``TraceLineParser/Fields``).
    case rich(Int32)

    /// The operation as a ``TraceRecord`` holds it; `rich` is the rich one, if this is `rich`.
    func traceOperation(rich: TraceRecord.Operation?) -> TraceRecord.Operation {
        switch self {
        case .launch(let kind, let charge, let isProtected): return .launch(kind, charge, isProtected: isProtected)
        case .stop(let force, let mode): return .stop(force: force, chargingMode: mode)
        case .start: return .start
        case .release: return .release([])
        case .releaseFlag(let place): return .release(Self.oneFlag[Int(place)])
        case .scheduleRelease(let time): return .scheduleRelease(time)
        case .cancelSchedule: return .cancelSchedule
        case .protect(let on): return .protect(on)
        case .restore: return .restore
        case .renew(let until): return .renew(until)
        case .convertToPostpaid: return .convertToPostpaid
        case .convertIPToEIP: return .convertIPToEIP
        case .unsubscribe: return .unsubscribe
        case .arrears: return .arrears
        case .topUp: return .topUp
        case .rich: return rich!
        }
    }

    /// Each release flag alone, by its place in ``ProviderModel/releaseFlags``: built once, so that a release naming
    /// one flag builds no set (Docs/Performance.md, "A release's flag read quickly").
    static let oneFlag: [ReleaseFlags] = ProviderModel.releaseFlags.map { ReleaseFlags([$0]) }

    /// What a record of this operation is about: a new instance, an account or an instance it names. `rich` is the
    /// rich operation, if this is `rich` (only a launch or a release is).
    func subject(rich: TraceRecord.Operation?) -> RecordSubject {
        switch self {
        case .launch: return .launch
        case .arrears, .topUp: return .account
        case .stop, .start, .release, .releaseFlag, .scheduleRelease, .cancelSchedule, .protect, .restore, .renew,
            .convertToPostpaid, .convertIPToEIP, .unsubscribe:
            return .instance
        case .rich:
            if case .launch = rich { return .launch }
            return .instance
        }
    }
}

/// What a record is about.
enum RecordSubject {
    /// A new instance (a launch).
    case launch
    /// An account (arrears, topup).
    case account
    /// An instance launched before.
    case instance
}

/// A record the reader has checked, ready for its partition's ``TraceApplier``: ids are numbers, and the text a
/// record needs (a launch's account and instance id, an account-level op's account) is in its batch's
/// ``RecordBatch/text``. Plain bytes throughout.
struct ReadRecord {
    var time: Instant
    /// The line it was read from (for a message about it).
    var line: Int
    /// The instance's number within its partition, in launch order; -1 for an account-level op.
    var instance: Int32
    /// The account's number (the same in every partition; dense in the order accounts first appear).
    var accountNumber: Int32
    var operation: ReadOperation
    /// Where the record's text starts in its batch's `text`: the account, then (for a launch) the instance id.
    /// Whole `Int`s: a batch filled through ``TraceReplayer/consume(line:)`` has no line-length limit.
    var textStart: Int
    /// The account's length in bytes there (0: the record carries no text).
    var accountLength: Int
    /// The instance id's length in bytes after it (0 but for launches).
    var instanceIDLength: Int
}

/// Records of one partition, with the text and the rich operations they refer to: what the reader hands an applier
/// at a time.
struct RecordBatch {
    private(set) var records: [ReadRecord] = []
    /// The records' text, one after another.
    private(set) var text: [UInt8] = []
    /// The launches with extras and the releases naming flags, by ``ReadOperation/rich(_:)``'s place.
    private(set) var richOperations: [TraceRecord.Operation] = []

    /// An empty batch with room for `capacity` records.
    init(capacity: Int) {
        records.reserveCapacity(capacity)
        text.reserveCapacity(capacity * 8)
    }

    var count: Int { records.count }
    var isEmpty: Bool { records.isEmpty }

    /// Keeps a rich operation (one with words of its own) for a record about to be added, and returns the record's
    /// operation, which names its place.
    mutating func keep(_ rich: TraceRecord.Operation) -> ReadOperation {
        richOperations.append(rich)
        return .rich(Int32(richOperations.count - 1))
    }

    /// Adds a record; `account` and `instanceID` are its text (empty where it carries none). A rich operation is
    /// kept first (``keep(_:)``).
    mutating func append(
        time: Instant,
        line: Int,
        instance: Int32,
        accountNumber: Int32,
        operation: ReadOperation,
        account: UnsafeBufferPointer<UInt8>,
        instanceID: UnsafeBufferPointer<UInt8>
    ) {
        let start = text.count
        if !account.isEmpty { text.append(contentsOf: account) }
        if !instanceID.isEmpty { text.append(contentsOf: instanceID) }
        records.append(
            ReadRecord(
                time: time,
                line: line,
                instance: instance,
                accountNumber: accountNumber,
                operation: operation,
                textStart: start,
                accountLength: account.count,
                instanceIDLength: instanceID.count
            )
        )
    }

    /// Empties the batch, keeping its room.
    mutating func removeAll() {
        records.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        if !richOperations.isEmpty { richOperations.removeAll(keepingCapacity: true) }
    }

    /// The record's account, as the trace names it.
    func account(of record: ReadRecord) -> String {
        string(from: record.textStart, count: record.accountLength)
    }

    /// The record's instance id (a launch's; empty for any other record).
    func instanceID(of record: ReadRecord) -> String {
        string(from: record.textStart + record.accountLength, count: record.instanceIDLength)
    }

    /// The record's operation, whole.
    func operation(of record: ReadRecord) -> TraceRecord.Operation {
        if case .rich(let place) = record.operation { return richOperations[Int(place)] }
        return record.operation.traceOperation(rich: nil)
    }

    private func string(from start: Int, count: Int) -> String {
        text.withUnsafeBufferPointer { String(decoding: $0[start..<(start + count)], as: UTF8.self) }
    }
}
