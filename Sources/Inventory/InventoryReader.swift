import AliyunECS
public import Foundation
public import ProviderRegistry
public import ReleaseCore
public import Reporting
import TencentCVM

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

    public var provider: ProviderModel.Kind
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
}

/// What the resource listings (ECS DescribeDisks, DescribeSnapshots, DescribeEipAddresses; CBS DescribeDisks, VPC
/// DescribeAddresses) say of one owner: an instance's disks and elastic IP, a disk's snapshots. DescribeInstances
/// does not list them, and a forecast needs them to tell what outlives a release and keeps billing (seed 001's
/// warning). ``InventoryReader/read(_:file:at:)`` keys them by the owner's id.
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

/// Everything read from a user's answer files, one file after another: what a forecast runs on.
public struct InventoryReading: Sendable {
    public var instances: [InventoryInstance] = []
    /// CVM ActionTimers' times by instance (a later file's wins).
    public var timers: [String: Instant] = [:]
    /// The resource listings by owner (``InventoryResources``), merged across files.
    public var resources: [String: InventoryResources] = [:]
    public var problems: [InventoryProblem] = []

    public init() {}

    /// Reads one file's bytes (``InventoryReader/read(_:file:at:)``) and adds what it says.
    public mutating func read(_ data: Data, file: String, at now: Instant) {
        let read = InventoryReader.read(data, file: file, at: now)
        instances += read.instances
        timers.merge(read.timers) { _, later in later }
        for (owner, listed) in read.resources { resources[owner, default: InventoryResources()].merge(listed) }
        problems += read.problems
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

/// Reads the JSON the providers' tools print for DescribeInstances (and CVM DescribeInstancesActionTimer):
/// the Aliyun CLI/SDKs' `{"Instances": {"Instance": [...]}}`, the CVM API/SDK's `{"Response": {"InstanceSet":
/// [...]}}` and tccli's `{"InstanceSet": [...]}`; ActionTimers attach their `ActionTime` to their instance.
public enum InventoryReader {
    /// Reads one file's bytes; `now` tells an expired subscription from a stopped one.
    public static func read(
        _ data: Data,
        file: String,
        at now: Instant
    ) -> (
        instances: [InventoryInstance], timers: [String: Instant], resources: [String: InventoryResources],
        problems: [InventoryProblem]
    ) {
        guard let root = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            return (
                [], [:], [:],
                [InventoryProblem(file: file, path: "$", reason: "not a JSON document", chineseReason: "不是 JSON 文档")]
            )
        }
        var reader = Reading(file: file, now: now)
        let body = root["Response"] ?? root
        let prefix = root["Response"] == nil ? "" : "Response."
        var recognised = false
        if case .array(let elements)? = root["Instances"]?["Instance"] {
            recognised = true
            for (index, element) in elements.enumerated() {
                reader.aliyun(element, path: "Instances.Instance[\(index)]")
            }
        }
        if case .array(let elements)? = body["InstanceSet"] {
            recognised = true
            for (index, element) in elements.enumerated() {
                reader.tencent(element, path: "\(prefix)InstanceSet[\(index)]")
            }
        }
        if case .array(let elements)? = body["ActionTimers"] {
            recognised = true
            for (index, element) in elements.enumerated() {
                reader.timer(element, path: "\(prefix)ActionTimers[\(index)]")
            }
        }
        // The resource listings: which disks, snapshots and addresses each instance has.
        let listings: [(JSONValue?, String, (inout Reading, JSONValue, String) -> Void)] = [
            (root["Disks"]?["Disk"], "Disks.Disk", { $0.aliyunDisk($1, path: $2) }),
            (root["Snapshots"]?["Snapshot"], "Snapshots.Snapshot", { $0.aliyunSnapshot($1, path: $2) }),
            (root["EipAddresses"]?["EipAddress"], "EipAddresses.EipAddress", { $0.aliyunEIP($1, path: $2) }),
            (body["DiskSet"], "\(prefix)DiskSet", { $0.tencentDisk($1, path: $2) }),
            (body["AddressSet"], "\(prefix)AddressSet", { $0.tencentAddress($1, path: $2) }),
        ]
        for (list, path, read) in listings {
            guard case .array(let elements)? = list else { continue }
            recognised = true
            for (index, element) in elements.enumerated() { read(&reader, element, "\(path)[\(index)]") }
        }
        if !recognised {
            reader.problem(
                "$",
                "neither Instances.Instance[] (ECS DescribeInstances), InstanceSet[] nor ActionTimers[] (CVM, with or without Response), nor a disk, snapshot or address listing",
                "既没有 Instances.Instance[]（ECS DescribeInstances），也没有 InstanceSet[] 或 ActionTimers[]（CVM，带或不带 Response），也不是云盘、快照或地址列表"
            )
        }
        return (reader.instances, reader.timers, reader.resources, reader.problems)
    }

    /// What an answer does not say, in both languages.
    private struct Notes {
        var english: [String] = []
        var chinese: [String] = []

        mutating func add(_ english: String, _ chinese: String) {
            self.english.append(english)
            self.chinese.append(chinese)
        }
    }

    private struct Reading {
        let file: String
        let now: Instant
        var instances: [InventoryInstance] = []
        var timers: [String: Instant] = [:]
        var resources: [String: InventoryResources] = [:]
        var problems: [InventoryProblem] = []

        mutating func problem(_ path: String, _ reason: String, _ chinese: String) {
            problems.append(InventoryProblem(file: file, path: path, reason: reason, chineseReason: chinese))
        }

        /// A required string member, or a problem.
        mutating func string(_ element: JSONValue, _ name: String, _ path: String) -> String? {
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
        mutating func time(
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

        mutating func bool(_ element: JSONValue, _ name: String, _ path: String) -> Bool? {
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
        mutating func charge(
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
        mutating func live(
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
        mutating func stale(_ path: String, expiry: Instant, state: String, expected: String) {
            problem(
                "\(path).ExpiredTime",
                "the subscription expired at \(expiry.iso8601), before \(now.iso8601), yet the instance is \(state), "
                    + "not \(expected): the answer is stale",
                "包年包月已于 \(expiry.iso8601) 到期（早于 \(now.iso8601)），实例却为 \(state) 而非 \(expected)：答复已过时"
            )
        }

        /// What every listed instance must have: an object with its id, its state in the provider's `stateField`
        /// and its billing method (nil after reporting what is missing).
        mutating func identity(
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

        mutating func aliyun(_ element: JSONValue, path: String) {
            guard case let (id, status, chargeType)? = identity(element, stateField: "Status", path: path) else {
                return
            }
            var notes = Notes()
            guard let expiredTime = time(element, "ExpiredTime", path, ECSInstanceAttributes.parseTime),
                let autoRelease = time(element, "AutoReleaseTime", path, ECSInstanceAttributes.parseTime)
            else { return }
            guard
                let charge = self.charge(
                    chargeType,
                    isSubscription: ECSInstanceAttributes.ChargeType(rawValue: chargeType).map { $0 == .prePaid },
                    known: ECSInstanceAttributes.ChargeType.allCases.map(\.rawValue),
                    expiry: expiredTime,
                    path: path
                )
            else { return }
            var locks: [String] = []
            if case .array(let entries)? = element["OperationLocks"]?["LockReason"] {
                locks = entries.compactMap { $0["LockReason"]?.text }
            }
            let stopMode: StopChargingMode?
            switch element["StoppedMode"]?.text.flatMap(ECSInstanceAttributes.StoppedMode.init(rawValue:)) {
            case .stopCharging?: stopMode = .stopCharging
            case .keepCharging?: stopMode = .keepCharging
            case .notApplicable?, nil: stopMode = nil
            }
            let known = ECSInstanceAttributes.Status.allCases.map(\.rawValue)
            guard
                let liveState = live(
                    ECSInstanceAttributes.Status(rawValue: status)?.launchPhase,
                    stopMode: stopMode,
                    field: "\(path).Status",
                    text: status,
                    known: known
                )
            else { return }
            let observed: InventoryInstance.Observed
            if locks.contains("financial") {
                // AD6: an instance stopped for an overdue payment carries LockReason financial.
                observed = .arrears
                notes.add(
                    "\(file): \(path).OperationLocks: financial lock: when the payment fell overdue is not in the answer",
                    "\(file): \(path).OperationLocks：欠费锁定（financial）：答复中没有何时开始欠费"
                )
            } else if let expiry = charge.expiresAt, expiry <= now {
                // AD8: an expired subscription is API Stopped (the console's Expired); any other state is stale.
                guard status == ECSInstanceAttributes.Status.stopped.rawValue else {
                    return stale(path, expiry: expiry, state: status, expected: "Stopped (AD8)")
                }
                observed = .expired
            } else {
                observed = liveState
            }
            var publicAddress = PublicAddress.none
            if let address = element["EipAddress"]?["IpAddress"]?.text, !address.isEmpty {
                publicAddress = .elasticIP
            } else if case .array(let addresses)? = element["PublicIpAddress"]?["IpAddress"], !addresses.isEmpty {
                publicAddress = .fixedPublicIP
            }
            let description = InstanceDescription(
                id: id,
                region: element["RegionId"]?.text ?? "",
                charge: charge,
                isSpot: (element["SpotStrategy"]?.text ?? "NoSpot") != "NoSpot",
                publicAddress: publicAddress,
                isProtected: bool(element, "DeletionProtection", path) ?? false
            )
            instances.append(
                InventoryInstance(
                    provider: .aliyun,
                    file: file,
                    path: path,
                    description: description,
                    observed: observed,
                    stateText: locks.isEmpty ? status : "\(status) (LockReason=\(locks.joined(separator: ",")))",
                    scheduledRelease: autoRelease,
                    notes: notes.english,
                    chineseNotes: notes.chinese
                )
            )
        }

        mutating func tencent(_ element: JSONValue, path: String) {
            guard case let (id, state, chargeType)? = identity(element, stateField: "InstanceState", path: path) else {
                return
            }
            var notes = Notes()
            guard let expiredTime = time(element, "ExpiredTime", path, { Instant(iso8601: $0) }) else { return }
            // A spot instance (SPOTPAID) bills by use, as pay-as-you-go does.
            let isSubscription =
                CVMInstanceAttributes.ChargeType(rawValue: chargeType).map { $0 == .prepaid }
                ?? (chargeType == "SPOTPAID" ? false : nil)
            guard
                let charge = self.charge(
                    chargeType,
                    isSubscription: isSubscription,
                    known: CVMInstanceAttributes.ChargeType.allCases.map(\.rawValue) + ["SPOTPAID"],
                    expiry: expiredTime,
                    path: path
                )
            else { return }
            let stopMode: StopChargingMode? =
                element["StopChargingMode"]?.text == CVMInstanceAttributes.StopChargingMode.stopCharging.rawValue
                ? .stopCharging : nil
            guard let instanceState = CVMInstanceAttributes.InstanceState(rawValue: state) else {
                let known = CVMInstanceAttributes.InstanceState.allCases.map(\.rawValue)
                _ = live(nil, stopMode: nil, field: "\(path).InstanceState", text: state, known: known)
                return
            }
            // TD9: IsolatedSource says why an instance is isolated; absent means not isolated.
            let sourceText = element["IsolatedSource"]?.text.flatMap { $0.isEmpty ? nil : $0 }
            let source = sourceText.map(CVMInstanceAttributes.IsolatedSource.init(rawValue:)) ?? .notIsolated
            guard let source else {
                let known = CVMInstanceAttributes.IsolatedSource.allCases.map(\.rawValue)
                return problem(
                    "\(path).IsolatedSource",
                    "\"\(sourceText?.prefix(40) ?? "")\" is not one of \(known.joined(separator: ", "))",
                    "“\(sourceText?.prefix(40) ?? "")”不是 \(known.joined(separator: "、")) 之一"
                )
            }
            let observed: InventoryInstance.Observed
            var stateText = state
            switch instanceState {
            case .pending, .running, .starting, .stopping, .stopped:
                // Q20/TD9: isolation (the recycle bin, arrears, expiry) is SHUTDOWN; a live instance is not isolated.
                guard source == .notIsolated else {
                    return problem(
                        "\(path).IsolatedSource",
                        "\(source.rawValue) is isolation, which is SHUTDOWN (TD9, Q20): a \(state) instance is NOTISOLATED",
                        "\(source.rawValue) 表示隔离，隔离的实例为 SHUTDOWN（TD9、Q20）：\(state) 实例应为 NOTISOLATED"
                    )
                }
                // TD6: an expired subscription is isolated (SHUTDOWN, EXPIRE); a live one past its expiry is stale.
                if let expiry = charge.expiresAt, expiry <= now {
                    return stale(
                        path,
                        expiry: expiry,
                        state: state,
                        expected: "SHUTDOWN with IsolatedSource EXPIRE (TD6)"
                    )
                }
                guard
                    let liveState = live(
                        instanceState.launchPhase,
                        stopMode: stopMode,
                        field: "\(path).InstanceState",
                        text: state,
                        known: CVMInstanceAttributes.InstanceState.allCases.map(\.rawValue)
                    )
                else { return }
                observed = liveState
            case .shutdown:
                stateText = "SHUTDOWN (\(sourceText ?? "?"))"
                switch source {
                case .manmade:
                    observed = .recycleBin
                    notes.add(
                        "\(file): \(path).IsolatedSource: MANMADE: when it entered the recycle bin is not in the answer",
                        "\(file): \(path).IsolatedSource：MANMADE：答复中没有何时进入回收站"
                    )
                case .expire:
                    // TD6/TD9: isolated at its subscription's expiry, which must have come.
                    guard let expiry = charge.expiresAt, expiry <= now else {
                        let why =
                            charge.expiresAt.map { "its ExpiredTime \($0.iso8601) is after \(now.iso8601)" }
                            ?? "a \(chargeType) instance has no subscription"
                        let chineseWhy =
                            charge.expiresAt.map { "其 ExpiredTime \($0.iso8601) 晚于 \(now.iso8601)" }
                            ?? "\(chargeType) 实例没有包年包月"
                        return problem(
                            "\(path).IsolatedSource",
                            "EXPIRE is an expired subscription (TD6, TD9), but \(why)",
                            "EXPIRE 表示包年包月已到期（TD6、TD9），但\(chineseWhy)"
                        )
                    }
                    observed = .expired
                case .arrear:
                    observed = .arrears
                    notes.add(
                        "\(file): \(path).IsolatedSource: ARREAR: when the arrears began is not in the answer",
                        "\(file): \(path).IsolatedSource：ARREAR：答复中没有何时开始欠费"
                    )
                case .notIsolated:
                    return problem(
                        "\(path).IsolatedSource",
                        "SHUTDOWN needs IsolatedSource MANMADE, EXPIRE or ARREAR",
                        "SHUTDOWN 需要 IsolatedSource 为 MANMADE、EXPIRE 或 ARREAR"
                    )
                }
            }
            var disks: [Disk] = [Disk(id: "\(id)-system", role: .system)]
            if case .array(let dataDisks)? = element["DataDisks"] {
                for (index, disk) in dataDisks.enumerated() {
                    let type = disk["DiskType"]?.text ?? "CLOUD_PREMIUM"
                    let keep = bool(disk, "DeleteWithInstance", "\(path).DataDisks[\(index)]")
                    disks.append(
                        Disk(
                            id: disk["DiskId"]?.text ?? "\(id)-data\(index + 1)",
                            role: type.hasPrefix("LOCAL") ? .local : .data,
                            deleteWithInstance: keep ?? true,
                            // A cloud disk not deleted with the instance follows its own lifecycle: the models'
                            // elastic disk (T2, TD4).
                            isElastic: !type.hasPrefix("LOCAL") && keep == false
                        )
                    )
                }
            } else {
                notes.add(
                    "\(file): \(path).DataDisks: absent: no data disks forecast",
                    "\(file): \(path).DataDisks：缺少：不预测数据盘"
                )
            }
            var publicAddress = PublicAddress.none
            if case .array(let addresses)? = element["PublicIpAddresses"], !addresses.isEmpty {
                publicAddress = .fixedPublicIP
            }
            let description = InstanceDescription(
                id: id,
                region: element["Placement"]?["Zone"]?.text ?? "",
                charge: charge,
                isSpot: chargeType == "SPOTPAID",
                disks: disks,
                publicAddress: publicAddress,
                isProtected: bool(element, "DisableApiTermination", path) ?? false
            )
            instances.append(
                InventoryInstance(
                    provider: .tencent,
                    file: file,
                    path: path,
                    description: description,
                    observed: observed,
                    stateText: stateText,
                    scheduledRelease: nil,
                    notes: notes.english,
                    chineseNotes: notes.chinese
                )
            )
        }

        /// A disk of an ECS DescribeDisks answer (`Type` system or data; `ephemeral*`/`local*` categories are local).
        mutating func aliyunDisk(_ element: JSONValue, path: String) {
            let category = element["Category"]?.text ?? ""
            listedDisk(
                element,
                path: path,
                roleField: "Type",
                roles: ("system", "data"),
                isLocal: category.hasPrefix("ephemeral") || category.hasPrefix("local")
            )
        }

        /// A disk of a CBS DescribeDisks answer (`DiskUsage` SYSTEM_DISK or DATA_DISK), attached ones only.
        mutating func tencentDisk(_ element: JSONValue, path: String) {
            listedDisk(
                element,
                path: path,
                roleField: "DiskUsage",
                roles: ("SYSTEM_DISK", "DATA_DISK"),
                isLocal: (element["DiskType"]?.text ?? "").hasPrefix("LOCAL")
            )
        }

        /// A listed disk joins the instance it is attached to (`InstanceId`), in the role its `roleField` names; a
        /// cloud data disk not deleted with the instance follows its own lifecycle: the models' elastic disk (T2,
        /// TD4). A detached disk bills on its own already and is no instance's to forecast.
        mutating func listedDisk(
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
            add(Disk(id: id, role: role, deleteWithInstance: !keep, isElastic: role == .data && keep), to: instance)
        }

        mutating func add(_ disk: Disk, to instance: String) {
            var entry = resources[instance] ?? InventoryResources()
            entry.disksListed = true
            entry.disks.append(disk)
            resources[instance] = entry
        }

        /// A snapshot of an ECS DescribeSnapshots answer, `automatic` (`SnapshotType` auto) or `manual`, kept under
        /// the disk it was taken from (`SourceDiskId`); a forecast joins it to the instance a disk listing attaches
        /// that disk to.
        mutating func aliyunSnapshot(_ element: JSONValue, path: String) {
            guard let id = string(element, "SnapshotId", path), let disk = string(element, "SourceDiskId", path) else {
                return
            }
            let kind: SnapshotKind = element["SnapshotType"]?.text == "auto" ? .automatic : .manual
            // Keyed by the disk: its instance is known only from a disk listing, perhaps in another file.
            resources[disk, default: InventoryResources()].snapshots.append(Snapshot(id: id, diskID: disk, kind: kind))
        }

        /// An ECS elastic IP bound to an instance (`InstanceType` EcsInstance).
        mutating func aliyunEIP(_ element: JSONValue, path: String) {
            guard let instance = element["InstanceId"]?.text, !instance.isEmpty,
                (element["InstanceType"]?.text ?? "EcsInstance") == "EcsInstance"
            else { return }
            resources[instance, default: InventoryResources()].hasElasticIP = true
        }

        /// A VPC address bound to an instance: an elastic IP (`AddressType` EIP and its kinds), not a fixed public IP
        /// (`WanIP`), which DescribeInstances already shows.
        mutating func tencentAddress(_ element: JSONValue, path: String) {
            guard let instance = element["InstanceId"]?.text, !instance.isEmpty,
                (element["AddressType"]?.text ?? "EIP").hasSuffix("EIP")
            else { return }
            resources[instance, default: InventoryResources()].hasElasticIP = true
        }

        mutating func timer(_ element: JSONValue, path: String) {
            guard let id = string(element, "InstanceId", path), let text = string(element, "ActionTime", path) else {
                return
            }
            guard element["TimerAction"]?.text ?? "TerminateInstances" == "TerminateInstances" else { return }
            guard (element["Status"]?.text ?? "UNDO") == "UNDO" else { return }
            guard let at = Instant(iso8601: text) else {
                return problem("\(path).ActionTime", "\"\(text.prefix(40))\" is not a time", "“\(text.prefix(40))”不是时间")
            }
            timers[id] = at
        }
    }
}
