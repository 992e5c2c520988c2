public import ReleaseCore

/// One record of a fleet trace (trace format v1, Docs/Traces.md).
public struct TraceRecord: Hashable, Sendable {
    /// What the record asks.
    public enum Operation: Hashable, Sendable {
        /// `launch <provider> <charge> [protected]`.
        case launch(ProviderModel.Kind, ChargeType, isProtected: Bool)
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
            case .launch, .arrears, .topUp: return nil
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

    /// The description a `launch` record gives its instance: one system disk and the provider's defaults.
    public static func launchDescription(id: String, charge: ChargeType, isProtected: Bool) -> InstanceDescription {
        InstanceDescription(id: id, charge: charge, disks: defaultDisks, isProtected: isProtected)
    }

    /// Shared by every launched instance, so a million instances share one array.
    private static let defaultDisks = [Disk(id: "system", role: .system)]

    /// The header line every trace has after its comments.
    public static let header = "time,account,instance,op,arg"

    /// The record as a trace line.
    public var line: String {
        let (op, arg): (String, String)
        switch operation {
        case .launch(let kind, let charge, let isProtected):
            var words = [kind.rawValue]
            switch charge {
            case .payAsYouGo: words.append("postpaid")
            case .subscription(let expiresAt): words.append("prepaid:\(expiresAt.iso8601)")
            }
            if isProtected { words.append("protected") }
            (op, arg) = ("launch", words.joined(separator: " "))
        case .stop(let force, let mode):
            var words: [String] = []
            if force { words.append("force") }
            if let mode { words.append(mode == .keepCharging ? "keep-charging" : "stop-charging") }
            (op, arg) = ("stop", words.joined(separator: " "))
        case .start: (op, arg) = ("start", "")
        case .release(let flags): (op, arg) = ("release", flags.isEmpty ? "" : flags.description)
        case .scheduleRelease(let time): (op, arg) = ("schedule-release", time.iso8601)
        case .cancelSchedule: (op, arg) = ("cancel-schedule", "")
        case .protect(let on): (op, arg) = ("protect", on ? "on" : "off")
        case .restore: (op, arg) = ("restore", "")
        case .arrears: (op, arg) = ("arrears", "")
        case .topUp: (op, arg) = ("topup", "")
        }
        return "\(time.iso8601),\(account),\(instance),\(op),\(arg)"
    }
}

/// Parses one record line; returns the record or why the line is malformed.
enum TraceLineParser {
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> Result<TraceRecord, TraceMalformation> {
        var fields: [UnsafeBufferPointer<UInt8>] = []
        fields.reserveCapacity(5)
        var start = 0
        for index in 0..<line.count where line[index] == 0x2C {
            fields.append(UnsafeBufferPointer(rebasing: line[start..<index]))
            start = index + 1
        }
        fields.append(UnsafeBufferPointer(rebasing: line[start..<line.count]))
        guard fields.count == 5 else {
            return .failure(.init(field: nil, reason: "expected 5 comma-separated fields, found \(fields.count)"))
        }
        guard let time = Instant.parse(utf8: fields[0]) else {
            return .failure(.init(field: "time", reason: "\"\(string(fields[0]))\" is not YYYY-MM-DDTHH:MM:SSZ"))
        }
        let account = string(fields[1])
        guard !account.isEmpty else { return .failure(.init(field: "account", reason: "the account is empty")) }
        let instance = string(fields[2])
        let op = string(fields[3])
        let words = string(fields[4]).split(separator: " ").map(String.init)
        let operation: TraceRecord.Operation
        switch parseOperation(op, words) {
        case .success(let parsed): operation = parsed
        case .failure(let malformation): return .failure(malformation)
        }
        let isAccountLevel = operation.accountEvent != nil
        if isAccountLevel && !instance.isEmpty {
            return .failure(.init(field: "instance", reason: "\(op) is account-level; the instance must be empty"))
        }
        if !isAccountLevel && instance.isEmpty {
            return .failure(.init(field: "instance", reason: "\(op) needs an instance id"))
        }
        return .success(TraceRecord(time: time, account: account, instance: instance, operation: operation))
    }

    private static func parseOperation(_ op: String, _ words: [String]) -> Result<
        TraceRecord.Operation, TraceMalformation
    > {
        func bad(_ reason: String) -> Result<TraceRecord.Operation, TraceMalformation> {
            .failure(TraceMalformation(field: "arg", reason: reason))
        }
        func noArgument(_ operation: TraceRecord.Operation) -> Result<TraceRecord.Operation, TraceMalformation> {
            words.isEmpty ? .success(operation) : bad("\(op) takes no argument, got \"\(words.joined(separator: " "))\"")
        }
        switch op {
        case "launch":
            guard words.count == 2 || words.count == 3 else {
                return bad("launch takes \"<provider> <charge> [protected]\"")
            }
            guard let kind = ProviderModel.Kind(rawValue: words[0]) else {
                return bad("unknown provider \"\(words[0])\" (aliyun or tencent)")
            }
            let charge: ChargeType
            if words[1] == "postpaid" {
                charge = .payAsYouGo
            } else if words[1].hasPrefix("prepaid:"), let expiry = Instant(iso8601: String(words[1].dropFirst(8))) {
                charge = .subscription(expiresAt: expiry)
            } else {
                return bad("charge \"\(words[1])\" is neither postpaid nor prepaid:<time>")
            }
            if words.count == 3 && words[2] != "protected" {
                return bad("the third launch word must be \"protected\", got \"\(words[2])\"")
            }
            return .success(.launch(kind, charge, isProtected: words.count == 3))
        case "stop":
            var force = false
            var mode: StopChargingMode?
            for word in words {
                switch word {
                case "force" where !force: force = true
                case "keep-charging" where mode == nil: mode = .keepCharging
                case "stop-charging" where mode == nil: mode = .stopCharging
                default: return bad("stop takes [force] [keep-charging | stop-charging], got \"\(word)\"")
                }
            }
            return .success(.stop(force: force, chargingMode: mode))
        case "start": return noArgument(.start)
        case "release":
            var flags: ReleaseFlags = []
            for word in words {
                guard let flag = ReleaseFlags.words.first(where: { $0.word == word })?.flag, !flags.contains(flag)
                else {
                    let known = ReleaseFlags.words.map(\.word).joined(separator: ", ")
                    return bad("release takes words from {\(known)}, got \"\(word)\"")
                }
                flags.insert(flag)
            }
            return .success(.release(flags))
        case "schedule-release":
            guard words.count == 1, let time = Instant(iso8601: words[0]) else {
                return bad("schedule-release takes one time YYYY-MM-DDTHH:MM:SSZ")
            }
            return .success(.scheduleRelease(time))
        case "cancel-schedule": return noArgument(.cancelSchedule)
        case "protect":
            guard words.count == 1, words[0] == "on" || words[0] == "off" else { return bad("protect takes on or off") }
            return .success(.protect(words[0] == "on"))
        case "restore": return noArgument(.restore)
        case "arrears": return noArgument(.arrears)
        case "topup": return noArgument(.topUp)
        default:
            return .failure(
                TraceMalformation(
                    field: "op",
                    reason: "unknown op \"\(op)\" (launch, stop, start, release, schedule-release, cancel-schedule, "
                        + "protect, restore, arrears, topup)"
                )
            )
        }
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}

/// Why a trace line is malformed.
public struct TraceMalformation: Error, Hashable, Sendable, Codable {
    /// The field at fault, if one is.
    public var field: String?
    /// Why.
    public var reason: String

    /// `field: reason` or the reason alone.
    public var description: String { field.map { "\($0): \(reason)" } ?? reason }
}
