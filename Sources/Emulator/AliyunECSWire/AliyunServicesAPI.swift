import AliyunECS
import EmulatorCore
import Foundation
import ProviderRegistry
import ReleaseCore
import Reporting

/// The ECS calls around a release that tools make: one instance's attributes, status and user data, regions and
/// zones, and the instances' disks, snapshots and elastic IPs as the models' fates leave them (issue 21 items 2, 4
/// and 5), and STS GetCallerIdentity (2015-04-01).
extension Emulator {

    /// ECS's answer to a `DryRun` request that would be accepted (AD4).
    static var aliyunDryRunPassed: APIError {
        APIError(
            AliyunErrorCode.dryRunOperation.rawValue,
            "Request validation has been passed with DryRun flag set.",
            rules: ["AD4"]
        )
    }

    // MARK: One instance

    /// DescribeInstanceAttribute: one instance's attributes, the fields DescribeInstances shows for it.
    mutating func aliyunDescribeAttribute(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let id = try call.parameters.required("InstanceId")
        let record = try aliyunInstance(id, call)
        countDescribe(record)
        guard case .object(let members)? = aliyunInstanceJSON(record) else { return ActionAnswer([], rules: []) }
        // DescribeInstanceAttribute writes IoOptimized as text (`optimized`/`none`), DescribeInstances as a boolean.
        let ioOptimized = record.network?.ioOptimized ?? true ? "optimized" : "none"
        return ActionAnswer(
            members.filter { $0.0 != "Tags" }.map { $0.0 == "IoOptimized" ? ($0.0, .string(ioOptimized)) : $0 },
            rules: ["AD4"]
        )
    }

    /// DescribeInstanceStatus: the status of the caller's instances in the region, by `InstanceId.N` (at most
    /// 100) and `ZoneId`, paged by `PageNumber`/`PageSize` (1 to 50, default 10).
    mutating func aliyunDescribeStatus(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let region = try call.parameters.required("RegionId")
        let wanted = try call.parameters.list("InstanceId")
        guard wanted.count <= 100 else {
            throw APIError(AliyunErrorCode.tooManyInstanceIds.rawValue, status: 403, "At most 100 InstanceId.N.")
        }
        let zone = call.parameters["ZoneId"].flatMap { $0.isEmpty ? nil : $0 }
        let pageNumber = try call.parameters.int("PageNumber", in: 1...1_000_000) ?? 1
        let pageSize = try call.parameters.int("PageSize", in: 1...50) ?? 10
        var statuses: [JSONValue] = []
        for record in instances(of: call.caller.account, kind: .aliyun, named: wanted.isEmpty ? nil : wanted)
        where record.region == region && zone.map({ $0 == record.zone }) ?? true {
            countDescribe(record)
            guard let status = aliyunInstanceJSON(record)?["Status"] else { continue }
            statuses.append(.object([("InstanceId", .string(record.id)), ("Status", status)]))
        }
        let start = (pageNumber - 1).multipliedReportingOverflow(by: pageSize)
        let page =
            start.overflow || start.partialValue >= statuses.count
            ? [] : Array(statuses[start.partialValue..<min(statuses.count, start.partialValue + pageSize)])
        return ActionAnswer(
            [
                ("TotalCount", .int(Int64(statuses.count))), ("PageNumber", .int(Int64(pageNumber))),
                ("PageSize", .int(Int64(pageSize))),
                ("InstanceStatuses", .object([("InstanceStatus", .array(page))])),
            ],
            rules: ["AD4"]
        )
    }

    /// DescribeUserData: the `UserData` the instance was created with (Base64, as sent; empty when none).
    mutating func aliyunDescribeUserData(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let id = try call.parameters.required("InstanceId")
        let record = try aliyunInstance(id, call)
        return ActionAnswer(
            [
                ("InstanceId", .string(id)), ("RegionId", .string(record.region)),
                ("UserData", .string(record.userData ?? "")),
            ],
            rules: []
        )
    }

    // MARK: Regions and zones

    /// Alibaba Cloud's public regions and their labels (help.aliyun.com, "地域和可用区"; the same `LocalName`s as
    /// DescribeRegions answers with the default `AcceptLanguage` zh-CN).
    static let aliyunRegions: [(region: String, name: String)] = [
        ("cn-qingdao", "华北1（青岛）"), ("cn-beijing", "华北2（北京）"), ("cn-zhangjiakou", "华北3（张家口）"),
        ("cn-huhehaote", "华北5（呼和浩特）"), ("cn-wulanchabu", "华北6（乌兰察布）"), ("cn-hangzhou", "华东1（杭州）"),
        ("cn-shanghai", "华东2（上海）"), ("cn-shenzhen", "华南1（深圳）"), ("cn-heyuan", "华南2（河源）"),
        ("cn-guangzhou", "华南3（广州）"), ("cn-chengdu", "西南1（成都）"), ("cn-hongkong", "中国香港"),
        ("ap-southeast-1", "新加坡"), ("ap-northeast-1", "日本（东京）"), ("us-west-1", "美国（硅谷）"),
        ("us-east-1", "美国（弗吉尼亚）"), ("eu-central-1", "德国（法兰克福）"),
    ]

    /// DescribeRegions: the public regions, then any other region the caller has instances in (the emulator
    /// serves every region name it is sent), each `available` with its ECS endpoint.
    func aliyunDescribeRegions(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        try aliyunChargeTypeFilter(call)
        let regions = listedRegions(Self.aliyunRegions, kind: .aliyun, account: call.caller.account)
        let list: [JSONValue] = regions.map {
            .object([
                ("RegionId", .string($0.region)), ("LocalName", .string($0.name)),
                ("RegionEndpoint", .string("ecs.\($0.region).aliyuncs.com")), ("Status", "available"),
            ])
        }
        return ActionAnswer([("Regions", .object([("Region", .array(list))]))], rules: [])
    }

    /// `InstanceChargeType` of DescribeRegions/DescribeZones: PrePaid or PostPaid (every region and zone sells
    /// both here), anything else refused.
    func aliyunChargeTypeFilter(_ call: AliyunCall) throws(APIError) {
        switch call.parameters["InstanceChargeType"] ?? "PostPaid" {
        case "PrePaid", "PostPaid", "": return
        default: throw APIError("InvalidInstanceChargeType.NotFound", "InstanceChargeType must be PrePaid or PostPaid.")
        }
    }

    /// DescribeZones: the region's zones `<region>-a` to `-c` and any other zone the caller's instances are in
    /// [MODEL EM11].
    func aliyunDescribeZones(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let region = try call.parameters.required("RegionId")
        try aliyunChargeTypeFilter(call)
        _ = try call.parameters.bool("Verbose")
        let zones = listedZones(
            ["a", "b", "c"].map { "\(region)-\($0)" },
            kind: .aliyun,
            account: call.caller.account,
            region: region
        )
        let list: [JSONValue] = zones.map {
            .object([("ZoneId", .string($0)), ("LocalName", .string($0)), ("ZoneType", "AvailabilityZone")])
        }
        return ActionAnswer([("Zones", .object([("Zone", .array(list))]))], rules: [])
    }

    // MARK: Disks, snapshots, elastic IPs

    /// The caller's ECS records in a region, in creation order.
    func aliyunRecords(_ call: AliyunCall, region: String) -> [InstanceRecord] {
        instances(of: call.caller.account, kind: .aliyun).filter { $0.region == region }
    }

    /// A page of a listing by `PageNumber`/`PageSize` (1 to 100, default 10) or `MaxResults`/`NextToken`, with the
    /// members each style answers.
    func aliyunPage(
        _ entries: [JSONValue],
        _ call: AliyunCall,
        wrapper: String,
        element: String,
        tokens: Bool
    ) throws(APIError) -> [(String, JSONValue)] {
        let parameters = call.parameters
        if tokens, parameters["MaxResults"] != nil || parameters["NextToken"] != nil {
            guard parameters["PageNumber"] == nil, parameters["PageSize"] == nil else {
                throw APIError(
                    "InvalidParameter",
                    "MaxResults/NextToken and PageNumber/PageSize cannot be given together."
                )
            }
            let maxResults = try parameters.int("MaxResults", in: 1...500) ?? 10
            var first = 0
            if let token = parameters["NextToken"], !token.isEmpty {
                guard token.hasPrefix("emu-"), let offset = Int(token.dropFirst(4)), (0...1_000_000).contains(offset)
                else {
                    throw APIError("InvalidParameter", "The specified parameter \"NextToken\" is not valid.")
                }
                first = offset
            }
            let page = pageOf(entries, from: first, count: maxResults)
            let next = first + maxResults < entries.count ? "emu-\(first + maxResults)" : ""
            return [
                ("TotalCount", .int(Int64(entries.count))), ("NextToken", .string(next)),
                (wrapper, .object([(element, .array(page))])),
            ]
        }
        let pageNumber = try parameters.int("PageNumber", in: 1...1_000_000) ?? 1
        let pageSize = try parameters.int("PageSize", in: 1...100) ?? 10
        let start = (pageNumber - 1).multipliedReportingOverflow(by: pageSize)
        let page =
            start.overflow || start.partialValue >= entries.count
            ? [] : Array(entries[start.partialValue..<min(entries.count, start.partialValue + pageSize)])
        return [
            ("TotalCount", .int(Int64(entries.count))), ("PageNumber", .int(Int64(pageNumber))),
            ("PageSize", .int(Int64(pageSize))), (wrapper, .object([(element, .array(page))])),
        ]
    }

    /// DescribeDisks: the disks of the caller's instances in the region as the model leaves them — `In_use`
    /// while the instance lives, `Available` (and billing) when kept after its release, gone when released (seed
    /// 001's warning: a kept data disk keeps billing). Filters `DiskIds` (JSON array, at most 100), `InstanceId`,
    /// `DiskType` (all/system/data), `Status`, `ZoneId`, `Category`, `Portable`, `DeleteWithInstance`; both paging
    /// styles.
    mutating func aliyunDescribeDisks(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let parameters = call.parameters
        let region = try parameters.required("RegionId")
        let wanted = try parameters.jsonList("DiskIds")
        if let wanted, wanted.count > 100 { throw APIError("InvalidParameter", "At most 100 DiskIds.") }
        let instance = parameters["InstanceId"].flatMap { $0.isEmpty ? nil : $0 }
        let diskType = parameters["DiskType"] ?? "all"
        guard ["all", "system", "data", ""].contains(diskType) else {
            throw APIError("InvalidDiskType.ValueNotSupported", "DiskType must be all, system or data.")
        }
        let status = parameters["Status"].flatMap { $0.isEmpty || $0 == "All" ? nil : $0 }
        let zone = parameters["ZoneId"].flatMap { $0.isEmpty ? nil : $0 }
        let category = parameters["Category"].flatMap { $0.isEmpty || $0 == "all" ? nil : $0 }
        let portable = try parameters.bool("Portable")
        let deleteWithInstance = try parameters.bool("DeleteWithInstance")
        if try parameters.bool("DryRun") == true { throw Self.aliyunDryRunPassed }
        var disks: [JSONValue] = []
        for record in aliyunRecords(call, region: region) {
            // The launch's charge, which outlives the instance (its attributes are gone once it is released).
            let isSubscription = !machine(record).instance.charge.isPayAsYouGo
            for resource in listedResources(of: record) {
                guard case .disk(let disk, _, let shape) = resource.item, disk.role != .local else { continue }
                let id = Self.resourceID(resource.item, instanceID: record.id, shapes: AliyunFrontEnd.resourceShapes)
                let isAttached = resource.standing == .attached
                let shownStatus = isAttached ? "In_use" : "Available"
                let type = disk.role == .system ? "system" : "data"
                if let wanted, !wanted.contains(id) { continue }
                if let instance, !(isAttached && instance == record.id) { continue }
                if diskType != "all", !diskType.isEmpty, diskType != type { continue }
                if let status, status != shownStatus { continue }
                if let zone, zone != record.zone { continue }
                if let category, category != shape.category { continue }
                if let portable, portable != (disk.role != .system) { continue }
                if let deleteWithInstance, deleteWithInstance != disk.deleteWithInstance { continue }
                // A disk bought with a subscription instance is PrePaid while attached; kept on its own it is
                // billed by use (its meter runs).
                let prepaid = isSubscription && isAttached
                disks.append(
                    .object([
                        ("DiskId", .string(id)), ("DiskName", .string("\(record.name)-\(disk.id)")),
                        ("RegionId", .string(record.region)), ("ZoneId", .string(record.zone)),
                        ("Type", .string(type)), ("Category", .string(shape.category)),
                        ("Size", .int(Int64(shape.size))),
                        ("Status", .string(shownStatus)), ("InstanceId", .string(isAttached ? record.id : "")),
                        ("Device", .string(isAttached ? "/dev/xvd\(Self.deviceLetter(disk, in: record))" : "")),
                        ("DeleteWithInstance", .bool(disk.deleteWithInstance)),
                        ("DeleteAutoSnapshot", .bool(disk.deleteAutoSnapshots)),
                        ("Portable", .bool(disk.role != .system)),
                        ("DiskChargeType", .string(prepaid ? "PrePaid" : "PostPaid")),
                        ("CreationTime", .string(ECSInstanceAttributes.timeText(record.createdAt))),
                        ("AttachedTime", .string(isAttached ? ECSInstanceAttributes.timeText(record.createdAt) : "")),
                        ("Description", ""), ("Encrypted", .bool(false)),
                        ("Tags", .object([("Tag", .array([]))])),
                        ("OperationLocks", .object([("OperationLock", .array([]))])),
                    ])
                )
            }
        }
        let page = try aliyunPage(disks, call, wrapper: "Disks", element: "Disk", tokens: true)
        return ActionAnswer(page, rules: [])
    }

    /// The device letter of a disk: `a` for the system disk, then `b`, `c`, ... in the description's order.
    static func deviceLetter(_ disk: Disk, in record: InstanceRecord) -> String {
        guard disk.id.hasPrefix("data"), let number = Int(disk.id.dropFirst(4)), (1...24).contains(number) else {
            return "a"
        }
        return String(UnicodeScalar(UInt8(ascii: "a") + UInt8(number)))
    }

    /// DescribeSnapshots: the snapshots of the caller's instances' disks in the region, kept or gone as the model
    /// decides on release. Filters `SnapshotIds` (JSON array), `InstanceId`, `DiskId`, `SnapshotType`
    /// (auto/user/all); both paging styles.
    mutating func aliyunDescribeSnapshots(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let parameters = call.parameters
        let region = try parameters.required("RegionId")
        let wanted = try parameters.jsonList("SnapshotIds")
        if let wanted, wanted.count > 100 { throw APIError("InvalidParameter", "At most 100 SnapshotIds.") }
        let instance = parameters["InstanceId"].flatMap { $0.isEmpty ? nil : $0 }
        let diskID = parameters["DiskId"].flatMap { $0.isEmpty ? nil : $0 }
        let type = parameters["SnapshotType"] ?? "all"
        guard ["auto", "user", "all", ""].contains(type) else {
            throw APIError("InvalidSnapshotType.ValueNotSupported", "SnapshotType must be auto, user or all.")
        }
        if try parameters.bool("DryRun") == true { throw Self.aliyunDryRunPassed }
        var snapshots: [JSONValue] = []
        for record in aliyunRecords(call, region: region) {
            let description = machine(record).instance
            for resource in listedResources(of: record) {
                guard case .snapshot(let snapshot, _) = resource.item else { continue }
                let id = Self.resourceID(resource.item, instanceID: record.id, shapes: AliyunFrontEnd.resourceShapes)
                let source = description.disks.first { $0.id == snapshot.diskID }
                let sourceID =
                    source.map { Self.diskID($0, instanceID: record.id, shapes: AliyunFrontEnd.resourceShapes) } ?? ""
                let shownType = snapshot.kind == .automatic ? "auto" : "user"
                if let wanted, !wanted.contains(id) { continue }
                // As DescribeDisks: the instance a snapshot's source disk is attached to, while it lives.
                if let instance, !(resource.standing == .attached && instance == record.id) { continue }
                if let diskID, diskID != sourceID { continue }
                if type != "all", !type.isEmpty, type != shownType { continue }
                snapshots.append(
                    .object([
                        ("SnapshotId", .string(id)), ("SnapshotName", .string("\(record.name)-\(snapshot.id)")),
                        ("SourceDiskId", .string(sourceID)),
                        ("SourceDiskType", .string(source?.role == .system ? "system" : "data")),
                        ("SnapshotType", .string(shownType)), ("Status", "accomplished"), ("Progress", "100%"),
                        ("Usage", "none"), ("CreationTime", .string(ECSInstanceAttributes.timeText(record.createdAt))),
                        ("RegionId", .string(record.region)), ("Tags", .object([("Tag", .array([]))])),
                    ])
                )
            }
        }
        let page = try aliyunPage(snapshots, call, wrapper: "Snapshots", element: "Snapshot", tokens: true)
        return ActionAnswer(page, rules: [])
    }

    /// DescribeEipAddresses: the caller's elastic IPs in the region — `InUse` bound to their instance while it
    /// lives, `Available` (and billing) when kept after its release. Filters `AllocationId`, `EipAddress`,
    /// `Status`, `AssociatedInstanceId` with `AssociatedInstanceType` EcsInstance; paged by `PageNumber`/`PageSize`.
    /// A fixed public IP is not an EIP and is not listed (it is the instance's `PublicIpAddress`).
    mutating func aliyunDescribeEips(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let parameters = call.parameters
        let region = try parameters.required("RegionId")
        let allocation = parameters["AllocationId"].flatMap { $0.isEmpty ? nil : $0 }
        let address = parameters["EipAddress"].flatMap { $0.isEmpty ? nil : $0 }
        let status = parameters["Status"].flatMap { $0.isEmpty ? nil : $0 }
        let instance = parameters["AssociatedInstanceId"].flatMap { $0.isEmpty ? nil : $0 }
        switch parameters["AssociatedInstanceType"] ?? "EcsInstance" {
        case "EcsInstance", "": break
        default:
            throw APIError(
                "InvalidParameter",
                "The emulator models addresses bound to ECS instances only: AssociatedInstanceType must be EcsInstance.",
                rules: ["EM8"]
            )
        }
        var eips: [JSONValue] = []
        for record in aliyunRecords(call, region: region) {
            for resource in listedResources(of: record) {
                guard case .address(.elasticIP) = resource.item else { continue }
                let id = Self.resourceID(resource.item, instanceID: record.id, shapes: AliyunFrontEnd.resourceShapes)
                let ip = publicIPAddress(of: record)
                let isBound = resource.standing == .attached
                let shownStatus = isBound ? "InUse" : "Available"
                if let allocation, allocation != id { continue }
                if let address, address != ip { continue }
                if let status, status != shownStatus { continue }
                if let instance, !(isBound && instance == record.id) { continue }
                eips.append(
                    .object([
                        ("AllocationId", .string(id)), ("IpAddress", .string(ip)), ("RegionId", .string(record.region)),
                        ("Status", .string(shownStatus)), ("InstanceId", .string(isBound ? record.id : "")),
                        ("InstanceType", .string(isBound ? "EcsInstance" : "")), ("ChargeType", "PostPaid"),
                        ("InternetChargeType", "PayByTraffic"), ("Bandwidth", "5"),
                        ("AllocationTime", .string(ECSInstanceAttributes.timeText(record.createdAt))),
                        ("OperationLocks", .object([("LockReason", .array([]))])),
                    ])
                )
            }
        }
        let page = try aliyunPage(eips, call, wrapper: "EipAddresses", element: "EipAddress", tokens: false)
        return ActionAnswer(page, rules: [])
    }

    /// STS GetCallerIdentity (2015-04-01, sts.aliyuncs.com): the account behind the key, as its root account.
    func aliyunCallerIdentity(_ call: AliyunCall) -> ActionAnswer {
        let account = call.caller.account
        return ActionAnswer(
            [
                ("AccountId", .string(account)), ("UserId", .string(account)),
                ("Arn", .string("acs:ram::\(account):root")), ("IdentityType", "Account"),
                ("PrincipalId", .string(account)),
            ],
            rules: []
        )
    }
}
