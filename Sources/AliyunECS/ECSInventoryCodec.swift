package import ListingCodec
import ReleaseCore
package import Reporting

/// How the inventory reads ECS answers: DescribeInstances' `Instances.Instance[]`, and the resource listings
/// DescribeDisks, DescribeSnapshots and DescribeEipAddresses (the Aliyun CLI's and SDKs' JSON), in the terms of
/// ``ECSInstanceAttributes``.
package enum ECSInventoryCodec: InventoryCodec {
    package static let listings: [InventoryListing] = [
        InventoryListing(
            keys: ["Instances", "Instance"],
            mayBeUnderResponse: false,
            name: ("Instances.Instance[] (ECS DescribeInstances)", "Instances.Instance[]（ECS DescribeInstances）"),
            read: { $0.ecsInstance($1, path: $2) }
        ),
        InventoryListing(
            keys: ["Disks", "Disk"],
            mayBeUnderResponse: false,
            name: ("Disks.Disk[] (ECS DescribeDisks)", "Disks.Disk[]（ECS DescribeDisks）"),
            read: { $0.ecsDisk($1, path: $2) }
        ),
        InventoryListing(
            keys: ["Snapshots", "Snapshot"],
            mayBeUnderResponse: false,
            name: ("Snapshots.Snapshot[] (ECS DescribeSnapshots)", "Snapshots.Snapshot[]（ECS DescribeSnapshots）"),
            read: { $0.ecsSnapshot($1, path: $2) }
        ),
        InventoryListing(
            keys: ["EipAddresses", "EipAddress"],
            mayBeUnderResponse: false,
            name: (
                "EipAddresses.EipAddress[] (ECS DescribeEipAddresses)",
                "EipAddresses.EipAddress[]（ECS DescribeEipAddresses）"
            ),
            read: { $0.ecsElasticIP($1, path: $2) }
        ),
    ]

    /// ECS DescribeInstances lists neither disks nor snapshots (AD4): without a DescribeDisks answer naming the
    /// instance, only its system disk is forecast.
    package static func unlistedResourceNotes(
        disksListed: Bool,
        snapshotsFound: Bool
    ) -> [(english: String, chinese: String)] {
        guard !disksListed else { return [] }
        return [
            (
                "DescribeInstances lists no disks or snapshots and no DescribeDisks answer names this instance: only the system disk is forecast",
                "DescribeInstances 不列出云盘和快照，且没有 DescribeDisks 答复列出此实例：只预测系统盘"
            )
        ]
    }
}

extension ECSInstanceAttributes {
    /// The release's fields of one DescribeInstances `Instances.Instance[]` element, as ECS writes them (AD4):
    /// `status` is the status shown (a transitional one while it settles), the rest follows from the attributes.
    /// The emulator answers with these and ``ECSInventoryCodec`` reads them back, so the two halves of the shape
    /// are one place.
    package func describeInstancesMembers(status: String) -> [(String, JSONValue)] {
        [
            ("Status", .string(status)), ("InstanceChargeType", .string(chargeType.rawValue)),
            ("SpotStrategy", .string(isSpot ? "SpotAsPriceGo" : "NoSpot")),
            ("AutoReleaseTime", .string(autoReleaseTime.map(Self.timeText) ?? "")),
            ("DeletionProtection", .bool(deletionProtection)),
            // PostPaid instances show the far-future expiry the API samples show.
            ("ExpiredTime", .string(expiredTime.map(Self.timeText) ?? "2099-12-31T15:59Z")),
            ("SaleCycle", .string(chargeType == .prePaid ? "Month" : "")),
            ("StoppedMode", .string(stoppedMode.rawValue)),
            (
                "OperationLocks",
                .object([("LockReason", .array(operationLocks.map { .object([("LockReason", .string($0.rawValue))]) }))]
                )
            ),
        ]
    }
}

extension ListingReader {
    /// One `Instances.Instance[]` element: status, charge, expiry, locks, auto-release time, protection, address.
    fileprivate mutating func ecsInstance(_ element: JSONValue, path: String) {
        guard case let (id, status, chargeType)? = identity(element, stateField: "Status", path: path) else {
            return
        }
        var notes = ListingNotes()
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
                provider: AliyunECS.id,
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

    /// A disk of a DescribeDisks answer (`Type` system or data; `ephemeral*`/`local*` categories are local).
    fileprivate mutating func ecsDisk(_ element: JSONValue, path: String) {
        let category = element["Category"]?.text ?? ""
        listedDisk(
            element,
            path: path,
            roleField: "Type",
            roles: ("system", "data"),
            isLocal: category.hasPrefix("ephemeral") || category.hasPrefix("local")
        )
    }

    /// A snapshot of a DescribeSnapshots answer, `automatic` (`SnapshotType` auto) or `manual`, kept under the disk
    /// it was taken from (`SourceDiskId`); a forecast joins it to the instance a disk listing attaches that disk to.
    fileprivate mutating func ecsSnapshot(_ element: JSONValue, path: String) {
        guard let id = string(element, "SnapshotId", path), let disk = string(element, "SourceDiskId", path) else {
            return
        }
        let kind: SnapshotKind = element["SnapshotType"]?.text == "auto" ? .automatic : .manual
        // Keyed by the disk: its instance is known only from a disk listing, perhaps in another file.
        resources[disk, default: InventoryResources()].snapshots.append(Snapshot(id: id, diskID: disk, kind: kind))
    }

    /// An elastic IP bound to an instance (`InstanceType` EcsInstance).
    fileprivate mutating func ecsElasticIP(_ element: JSONValue, path: String) {
        guard let instance = element["InstanceId"]?.text, !instance.isEmpty,
            (element["InstanceType"]?.text ?? "EcsInstance") == "EcsInstance"
        else { return }
        elasticIP(boundTo: instance)
    }
}
