public import ReleaseCore
public import Reporting

/// One instance as a provider's DescribeInstances answer shows it, read into the models' terms.
public struct InventoryInstance: Sendable {
    /// What the answer says the instance is doing, in the terms a forecast needs.
    public enum Observed: Hashable, Sendable {
        /// Pending, Starting, Running, Stopping or Stopped (with its stop mode, if the answer gives one).
        case live(LaunchPhase, StopChargingMode?)
        /// Stopped for an expired subscription whose expiry the answer gives (ECS `Stopped` after `ExpiredTime`;
        /// CVM `SHUTDOWN` with `IsolatedSource` `EXPIRE`, a `PREPAID` instance after its `ExpiredTime`).
        case expired
        /// In the recycle bin after a destroy (CVM `SHUTDOWN`, `MANMADE`): when it entered is not in the answer.
        case recycleBin
        /// Stopped for an unpaid bill (ECS `LockReason` `financial`; CVM `SHUTDOWN`, `ARREAR`): when the arrears
        /// began is not in the answer.
        case arrears
    }

    /// The provider whose answer listed the instance.
    public var provider: ProviderID
    public var file: String
    /// Where in the file: `Instances.Instance[3]`, `Response.InstanceSet[0]`.
    public var path: String
    public var description: InstanceDescription
    public var observed: Observed
    /// The provider's own state text (`Running`, `SHUTDOWN (MANMADE)`).
    public var stateText: String
    /// ECS `AutoReleaseTime` or a CVM ActionTimer's `ActionTime`.
    public var scheduledRelease: Instant?
    /// What the answer does not say, with the JSON path (never guessed silently).
    public var notes: [String]
    /// The same notes in Chinese, in the same order.
    public var chineseNotes: [String] = []

    /// An instance as read from `path` of `file`.
    public init(
        provider: ProviderID,
        file: String,
        path: String,
        description: InstanceDescription,
        observed: Observed,
        stateText: String,
        scheduledRelease: Instant?,
        notes: [String],
        chineseNotes: [String] = []
    ) {
        self.provider = provider
        self.file = file
        self.path = path
        self.description = description
        self.observed = observed
        self.stateText = stateText
        self.scheduledRelease = scheduledRelease
        self.notes = notes
        self.chineseNotes = chineseNotes
    }
}

/// What the resource listings (ECS DescribeDisks, DescribeSnapshots, DescribeEipAddresses; CBS DescribeDisks, VPC
/// DescribeAddresses) say of one owner: an instance's disks and elastic IP, a disk's snapshots. DescribeInstances
/// does not list them, and a forecast needs them to tell what outlives a release and keeps billing (seed 001's
/// warning). The inventory keys them by the owner's id.
public struct InventoryResources: Hashable, Sendable {
    /// The disks attached to the instance, in the listings' order.
    public var disks: [Disk] = []
    /// Snapshots of the instance's disks.
    public var snapshots: [Snapshot] = []
    /// Whether an elastic IP is bound to the instance.
    public var hasElasticIP = false
    /// Whether a disk listing (ECS or CBS DescribeDisks) named the instance.
    public var disksListed = false

    public init() {}

    /// Adds what another listing (another file) says of the same owner; a disk or snapshot listed twice is kept
    /// once.
    public mutating func merge(_ other: InventoryResources) {
        var diskIDs = Set(disks.map(\.id))
        disks += other.disks.filter { diskIDs.insert($0.id).inserted }
        var snapshotIDs = Set(snapshots.map(\.id))
        snapshots += other.snapshots.filter { snapshotIDs.insert($0.id).inserted }
        hasElasticIP = hasElasticIP || other.hasElasticIP
        disksListed = disksListed || other.disksListed
    }
}

/// Why an element of an answer could not be read: the file, the JSON path, and why.
public struct InventoryProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var path: String
    public var reason: String
    /// The reason in Chinese (`--lang zh`).
    public var chineseReason: String?
    public var description: String { description(in: .en) }

    public init(file: String, path: String, reason: String, chineseReason: String? = nil) {
        self.file = file
        self.path = path
        self.reason = reason
        self.chineseReason = chineseReason
    }

    /// `file: path: why`, the why in `language`.
    public func description(in language: Language) -> String {
        "\(file): \(path): \(language == .zh ? chineseReason ?? reason : reason)"
    }
}

/// A provider's reading of its own answers: the lists it recognises in an answer file, and what its
/// DescribeInstances leaves for other listings to say.
///
/// Each provider module declares one; the registry (`ProviderModel.Kind.inventoryCodec`) lists them, and the
/// inventory reads a file with every registered codec, knowing no provider itself (issue 19, item 1).
package protocol InventoryCodec: Sendable {
    /// The lists of the provider's answers, each with where it sits and how an element is read.
    static var listings: [InventoryListing] { get }

    /// What the notes of an instance of this provider add when the resource listings said nothing of its disks
    /// (`disksListed` false) or found none of its snapshots: each a sentence in English and in Chinese, prefixed
    /// by the instance's `file: path`.
    static func unlistedResourceNotes(disksListed: Bool, snapshotsFound: Bool) -> [(english: String, chinese: String)]
}

/// One list a provider's answer holds (`Instances.Instance[]`, `Response.InstanceSet[]`, `DiskSet[]`): where it
/// sits, what it is called in a problem, and how each element is read.
package struct InventoryListing: Sendable {
    /// The keys from the answer's body to the array.
    package var keys: [String]
    /// Whether the body may be wrapped in `{"Response": …}` (CVM API 3.0 answers: the API's own JSON has it, the
    /// SDKs' `to_json_string()` does not).
    package var mayBeUnderResponse: Bool
    /// The list's name in the message for a file no codec recognises, in English and in Chinese.
    package var name: (english: String, chinese: String)
    /// Reads one element at `path` into `reader`.
    package var read: @Sendable (inout ListingReader, JSONValue, String) -> Void

    package init(
        keys: [String],
        mayBeUnderResponse: Bool,
        name: (english: String, chinese: String),
        read: @escaping @Sendable (inout ListingReader, JSONValue, String) -> Void
    ) {
        self.keys = keys
        self.mayBeUnderResponse = mayBeUnderResponse
        self.name = name
        self.read = read
    }
}

/// What the notes on one instance say, in both languages.
package struct ListingNotes {
    package var english: [String] = []
    package var chinese: [String] = []

    package init() {}

    package mutating func add(_ english: String, _ chinese: String) {
        self.english.append(english)
        self.chinese.append(chinese)
    }
}

/// The state of reading one answer file: what its lists said so far, and the problems met. The helpers read a
/// member and report a problem at its JSON path when it is missing or malformed, so a codec never guesses.
package struct ListingReader {
    package let file: String
    /// The time of the forecast: what tells an expired subscription from a stopped one.
    package let now: Instant
    package var instances: [InventoryInstance] = []
    /// CVM ActionTimers' times by instance.
    package var timers: [String: Instant] = [:]
    package var resources: [String: InventoryResources] = [:]
    package var problems: [InventoryProblem] = []

    package init(file: String, now: Instant) {
        self.file = file
        self.now = now
    }

    package mutating func problem(_ path: String, _ reason: String, _ chinese: String) {
        problems.append(InventoryProblem(file: file, path: path, reason: reason, chineseReason: chinese))
    }

    /// A required string member, or a problem.
    package mutating func string(_ element: JSONValue, _ name: String, _ path: String) -> String? {
        guard case .string(let text)? = element[name], !text.isEmpty else {
            if element[name] == nil {
                problem("\(path).\(name)", "missing", "缺少")
            } else {
                problem("\(path).\(name)", "not a non-empty string", "不是非空字符串")
            }
            return nil
        }
        return text
    }

    /// An optional time member: absent, empty or null is nil; anything else must parse.
    package mutating func time(
        _ element: JSONValue,
        _ name: String,
        _ path: String,
        _ parse: (String) -> Instant?
    ) -> Instant?? {
        switch element[name] {
        case nil, .null?: return .some(nil)
        case .string(let text)? where text.isEmpty: return .some(nil)
        case .string(let text)?:
            guard let instant = parse(text) else {
                problem("\(path).\(name)", "\"\(text.prefix(40))\" is not a time", "“\(text.prefix(40))”不是时间")
                return nil
            }
            return .some(instant)
        default:
            problem("\(path).\(name)", "not a string", "不是字符串")
            return nil
        }
    }

    /// An optional boolean member: absent or null is nil; anything else must be a boolean.
    package mutating func bool(_ element: JSONValue, _ name: String, _ path: String) -> Bool? {
        switch element[name] {
        case .bool(let flag)?: return flag
        case nil, .null?: return nil
        default:
            problem("\(path).\(name)", "not a boolean", "不是布尔值")
            return nil
        }
    }

    /// The billing method from the provider's charge type: pay-as-you-go, or a subscription, which needs its
    /// expiry. `isSubscription` is nil for a type the provider does not have (a problem at the field).
    package mutating func charge(
        _ chargeType: String,
        isSubscription: Bool?,
        known: [String],
        expiry: Instant?,
        path: String
    ) -> ChargeType? {
        switch isSubscription {
        case false?:
            return .payAsYouGo
        case true?:
            guard let expiry else {
                problem(
                    "\(path).ExpiredTime",
                    "a \(chargeType) (subscription) instance needs its expiry",
                    "\(chargeType)（包年包月）实例需要到期时间"
                )
                return nil
            }
            return .subscription(expiresAt: expiry)
        case nil:
            problem(
                "\(path).InstanceChargeType",
                "\"\(chargeType.prefix(40))\" is not one of \(known.joined(separator: ", "))",
                "“\(chargeType.prefix(40))”不是 \(known.joined(separator: "、")) 之一"
            )
            return nil
        }
    }

    /// A live instance in the launch phase its provider's state maps to (nil: a state the forecast does not
    /// know, a problem at `field`); a stopped one in its stop mode, the providers' default when not given.
    package mutating func live(
        _ phase: LaunchPhase?,
        stopMode: StopChargingMode?,
        field: String,
        text: String,
        known: [String]
    ) -> InventoryInstance.Observed? {
        guard let phase else {
            problem(
                field,
                "\"\(text.prefix(40))\" is not one of \(known.joined(separator: ", "))",
                "“\(text.prefix(40))”不是 \(known.joined(separator: "、")) 之一"
            )
            return nil
        }
        return .live(phase, phase == .stopped ? (stopMode ?? .keepCharging) : nil)
    }

    /// A live state past its subscription's expiry: the provider shows an expired subscription otherwise
    /// (`expected`), so the answer is older than its expiry and is not forecast.
    package mutating func stale(_ path: String, expiry: Instant, state: String, expected: String) {
        problem(
            "\(path).ExpiredTime",
            "the subscription expired at \(expiry.iso8601), before \(now.iso8601), yet the instance is \(state), "
                + "not \(expected): the answer is stale",
            "包年包月已于 \(expiry.iso8601) 到期（早于 \(now.iso8601)），实例却为 \(state) 而非 \(expected)：答复已过时"
        )
    }

    /// What every listed instance must have: an object with its id, its state in the provider's `stateField`
    /// and its billing method (nil after reporting what is missing).
    package mutating func identity(
        _ element: JSONValue,
        stateField: String,
        path: String
    ) -> (id: String, state: String, chargeType: String)? {
        guard case .object = element else {
            problem(path, "not an object", "不是对象")
            return nil
        }
        guard let id = string(element, "InstanceId", path), let state = string(element, stateField, path),
            let chargeType = string(element, "InstanceChargeType", path)
        else { return nil }
        return (id, state, chargeType)
    }

    /// A listed disk joins the instance it is attached to (`InstanceId`), in the role its `roleField` names; a
    /// cloud data disk not deleted with the instance follows its own lifecycle: the models' elastic disk (T2,
    /// TD4). A detached disk bills on its own already and is no instance's to forecast.
    package mutating func listedDisk(
        _ element: JSONValue,
        path: String,
        roleField: String,
        roles: (system: String, data: String),
        isLocal: Bool
    ) {
        guard let id = string(element, "DiskId", path), let roleText = string(element, roleField, path) else {
            return
        }
        guard let instance = element["InstanceId"]?.text, !instance.isEmpty else { return }
        let role: DiskRole
        switch roleText {
        case roles.system: role = .system
        case roles.data: role = isLocal ? .local : .data
        default:
            return problem(
                "\(path).\(roleField)",
                "\"\(roleText.prefix(40))\" is not \(roles.system) or \(roles.data)",
                "“\(roleText.prefix(40))”不是 \(roles.system) 或 \(roles.data)"
            )
        }
        let keep = bool(element, "DeleteWithInstance", path).map { !$0 } ?? false
        var entry = resources[instance] ?? InventoryResources()
        entry.disksListed = true
        entry.disks.append(Disk(id: id, role: role, deleteWithInstance: !keep, isElastic: role == .data && keep))
        resources[instance] = entry
    }

    /// An elastic IP bound to `instance`.
    package mutating func elasticIP(boundTo instance: String) {
        resources[instance, default: InventoryResources()].hasElasticIP = true
    }
}
