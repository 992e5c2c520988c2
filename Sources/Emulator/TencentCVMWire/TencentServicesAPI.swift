import Crypto
import EmulatorCore
import Foundation
import ProviderRegistry
import ReleaseCore
import Reporting
import TencentCVM

/// The calls around a CVM release that tools make: instance status, regions and zones (CVM), the instances'
/// disks (CBS) and addresses (VPC), and tags by resource name (Tag). Every answer is read from the same records
/// and machines as DescribeInstances, so a kept data disk shows `UNATTACHED` and billing exactly when the model
/// kept it (issue 21 item 4).
extension Emulator {
    // MARK: CVM status, regions, zones

    /// DescribeInstancesStatus: each of the caller's instances in the region with its `InstanceState`, by
    /// `InstanceIds` (at most 100) or all, paged by `Offset`/`Limit` (1 to 100, default 20).
    mutating func tencentDescribeStatus(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let wanted = try call.parameters.stringList("InstanceIds")
        if let wanted, wanted.count > 100 {
            throw APIError(TencentErrorCode.limitExceeded.rawValue, "At most 100 InstanceIds.")
        }
        let offset = try call.parameters.int("Offset", in: 0...Int(Int32.max)) ?? 0
        let limit = try call.parameters.int("Limit", in: 1...100) ?? 20
        var statuses: [JSONValue] = []
        for record in instances(of: call.caller.account, kind: .tencent, named: wanted)
        where record.region == call.region {
            countDescribe(record)
            guard let state = tencentInstanceJSON(record)?["InstanceState"] else { continue }
            statuses.append(.object([("InstanceId", .string(record.id)), ("InstanceState", state)]))
        }
        let page = pageOf(statuses, from: offset, count: limit)
        return ActionAnswer(
            [("TotalCount", .int(Int64(statuses.count))), ("InstanceStatusSet", .array(page))],
            rules: ["TD9"]
        )
    }

    /// Tencent Cloud's public regions and their labels (tencentcloud.com/document/api/1235/64586, "Request
    /// Structure": the regions an API 3.0 service is reached in).
    static let tencentRegions: [(region: String, name: String)] = [
        ("ap-guangzhou", "华南地区(广州)"), ("ap-shanghai", "华东地区(上海)"), ("ap-beijing", "华北地区(北京)"),
        ("ap-chengdu", "西南地区(成都)"), ("ap-chongqing", "西南地区(重庆)"), ("ap-hongkong", "港澳台地区(中国香港)"),
        ("ap-singapore", "亚太东南(新加坡)"), ("ap-bangkok", "亚太东南(曼谷)"), ("ap-mumbai", "亚太南部(孟买)"),
        ("ap-seoul", "亚太东北(首尔)"), ("ap-tokyo", "亚太东北(东京)"), ("na-ashburn", "美国东部(弗吉尼亚)"),
        ("na-siliconvalley", "美国西部(硅谷)"), ("eu-frankfurt", "欧洲地区(法兰克福)"),
    ]

    /// DescribeRegions: the public regions, then any other region the caller has instances in (the emulator
    /// serves every region name it is sent), all `AVAILABLE`.
    func tencentDescribeRegions(_ call: TencentCall) -> ActionAnswer {
        let regions = listedRegions(Self.tencentRegions, kind: .tencent, account: call.caller.account)
        let set: [JSONValue] = regions.map {
            .object([("Region", .string($0.region)), ("RegionName", .string($0.name)), ("RegionState", "AVAILABLE")])
        }
        return ActionAnswer([("TotalCount", .int(Int64(set.count))), ("RegionSet", .array(set))], rules: [])
    }

    /// DescribeZones: the region's zones `<region>-1` to `-3` and any other zone the caller's instances are in
    /// [MODEL EM11], with CVM's `ZoneSet` shape (Zone, ZoneName, ZoneId, ZoneState).
    func tencentDescribeZones(_ call: TencentCall) -> ActionAnswer {
        let zones = listedZones(
            (1...3).map { "\(call.region)-\($0)" },
            kind: .tencent,
            account: call.caller.account,
            region: call.region
        )
        let set: [JSONValue] = zones.enumerated().map { index, zone in
            .object([
                ("Zone", .string(zone)), ("ZoneName", .string(zone)), ("ZoneId", .string(String(100_001 + index))),
                ("ZoneState", "AVAILABLE"),
            ])
        }
        return ActionAnswer([("TotalCount", .int(Int64(set.count))), ("ZoneSet", .array(set))], rules: [])
    }

    // MARK: CBS DescribeDisks, VPC DescribeAddresses

    /// Each service's own codes for a listing's bad filters (its errorcodes.py): CBS `InvalidFilter`; VPC
    /// `InvalidParameter.FilterInvalidKey`, `LimitExceeded.NumberOfFilters` and `InvalidParameter.Coexist`.
    struct FilterCodes {
        var unknownFilter: String
        var tooManyFilters: String
        var idsWithFilters: String

        static let cbs = FilterCodes(
            unknownFilter: "InvalidFilter",
            tooManyFilters: "InvalidParameterValue.LimitExceeded",
            idsWithFilters: "InvalidParameter"
        )
        static let vpc = FilterCodes(
            unknownFilter: "InvalidParameter.FilterInvalidKey",
            tooManyFilters: "LimitExceeded.NumberOfFilters",
            idsWithFilters: "InvalidParameter.Coexist"
        )
    }

    /// The `Filters` of a CBS/VPC listing: at most 10, each `Name` one of `names` with 1 to 5 (CBS) or 100 (VPC)
    /// values; any other name is `InvalidFilter`, never ignored.
    func tencentFilters(
        _ call: TencentCall,
        names: Set<String>,
        maximumValues: Int,
        codes: FilterCodes
    ) throws(APIError) -> [(name: String, values: [String])] {
        let filters = try call.parameters.objects("Filters")
        guard filters.count <= 10 else {
            throw APIError(codes.tooManyFilters, "At most 10 Filters.")
        }
        var conditions: [(name: String, values: [String])] = []
        for filter in filters {
            let name = try filter.required("Name")
            guard names.contains(name) else {
                throw APIError(
                    codes.unknownFilter,
                    "The filter `\(name.prefix(40))` is not supported by the emulator: \(names.sorted().joined(separator: ", "))."
                )
            }
            let values = try filter.stringList("Values") ?? []
            guard (1...maximumValues).contains(values.count) else {
                throw APIError(
                    "InvalidParameterValue.LimitExceeded",
                    "Filter `\(name)` takes 1 to \(maximumValues) values."
                )
            }
            conditions.append((name, values))
        }
        return conditions
    }

    /// What a CBS/VPC listing selects: the ids named (`<ids>`, at most 100) or the filters (never both), and a page
    /// by `Offset`/`Limit` (1 to 100, default 20).
    struct TencentSelection {
        var wanted: [String]?
        var conditions: [(name: String, values: [String])]
        var offset: Int
        var limit: Int

        /// Whether an entry with this id and these filterable fields is selected.
        func selects(_ id: String, _ fields: [String: String]) -> Bool {
            (wanted.map { $0.contains(id) } ?? true)
                && conditions.allSatisfy { $0.values.contains(fields[$0.name] ?? "") }
        }

        /// The page of the selected entries, with the members every such listing answers.
        func answer(_ entries: [JSONValue], set: String) -> ActionAnswer {
            ActionAnswer(
                [
                    ("TotalCount", .int(Int64(entries.count))),
                    (set, .array(pageOf(entries, from: offset, count: limit))),
                ],
                rules: []
            )
        }
    }

    func tencentSelection(
        _ call: TencentCall,
        ids: String,
        filters names: Set<String>,
        maximumValues: Int,
        codes: FilterCodes
    ) throws(APIError) -> TencentSelection {
        let wanted = try call.parameters.stringList(ids)
        if let wanted, wanted.count > 100 {
            throw APIError("InvalidParameterValue.LimitExceeded", "At most 100 \(ids).")
        }
        let conditions = try tencentFilters(call, names: names, maximumValues: maximumValues, codes: codes)
        if wanted != nil, !conditions.isEmpty {
            throw APIError(codes.idsWithFilters, "\(ids) and Filters cannot be given together.")
        }
        return TencentSelection(
            wanted: wanted,
            conditions: conditions,
            offset: try call.parameters.int("Offset", in: 0...Int(Int32.max)) ?? 0,
            limit: try call.parameters.int("Limit", in: 1...100) ?? 20
        )
    }

    /// The caller's Tencent records in the call's region, in creation order.
    func tencentRecords(_ call: TencentCall) -> [InstanceRecord] {
        instances(of: call.caller.account, kind: .tencent).filter { $0.region == call.region }
    }

    /// CBS DescribeDisks: the disks of the caller's instances in the region, as the model leaves them — attached
    /// while the instance lives (recycle bin included), `UNATTACHED` and billing when kept after its release,
    /// `TORECYCLE` when moved to the disk recycle bin, gone when released. `DiskIds` (at most 100) or the filters
    /// `disk-id`, `instance-id`, `disk-usage`, `disk-state`, `disk-type`, `zone`, `portable`; `Offset`/`Limit`.
    mutating func tencentDescribeDisks(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let selection = try tencentSelection(
            call,
            ids: "DiskIds",
            filters: ["disk-id", "instance-id", "disk-usage", "disk-state", "disk-type", "zone", "portable"],
            maximumValues: 5,
            codes: .cbs
        )
        var disks: [JSONValue] = []
        for record in tencentRecords(call) {
            // The launch's charge, which outlives the instance (its attributes are gone once it is released).
            let isPrepaid = !machine(record).instance.charge.isPayAsYouGo
            for resource in listedResources(of: record) {
                guard case .disk(let disk, _, let shape) = resource.item, disk.role != .local else { continue }
                let id = Self.resourceID(resource.item, instanceID: record.id, shapes: TencentFrontEnd.resourceShapes)
                let isAttached = resource.standing == .attached
                let state: String
                switch resource.standing {
                case .attached: state = "ATTACHED"
                case .kept: state = "UNATTACHED"
                case .inDiskRecycleBin: state = "TORECYCLE"
                }
                // A disk created with a prepaid instance is prepaid while attached; kept on its own it bills by
                // the hour (its meter runs).
                let prepaid = isPrepaid && isAttached
                let fields: [String: String] = [
                    "disk-id": id, "instance-id": isAttached ? record.id : "",
                    "disk-usage": disk.role == .system ? "SYSTEM_DISK" : "DATA_DISK", "disk-state": state,
                    "disk-type": shape.category, "zone": record.zone,
                    "portable": disk.role == .system ? "FALSE" : "TRUE",
                ]
                guard selection.selects(id, fields) else { continue }
                disks.append(
                    .object([
                        ("DiskId", .string(id)), ("DiskName", .string("\(record.name)-\(disk.id)")),
                        ("DiskUsage", .string(fields["disk-usage"] ?? "")), ("DiskType", .string(shape.category)),
                        ("DiskSize", .int(Int64(shape.size))), ("DiskState", .string(state)),
                        ("Attached", .bool(isAttached)), ("InstanceId", .string(isAttached ? record.id : "")),
                        ("DeleteWithInstance", .bool(disk.deleteWithInstance)),
                        ("Portable", .bool(disk.role != .system)),
                        ("DiskChargeType", .string(prepaid ? "PREPAID" : "POSTPAID_BY_HOUR")),
                        ("Placement", .object([("Zone", .string(record.zone))])),
                        ("CreateTime", .string(record.createdAt.iso8601)),
                    ])
                )
            }
        }
        return selection.answer(disks, set: "DiskSet")
    }

    /// VPC DescribeAddresses: the caller's public addresses in the region. An elastic IP (`EIP`) is listed by
    /// default — bound while its instance lives, `UNBIND` and billing when kept after the release; a fixed public
    /// IP (`WanIP`) only with the `address-type` filter `WAN_IP`, as the API documents ("默认值是'EIP'"), and only
    /// while its instance lives. `AddressIds` or the filters `address-id`, `instance-id`, `address-type`,
    /// `address-status`; `Offset`/`Limit`.
    mutating func tencentDescribeAddresses(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let selection = try tencentSelection(
            call,
            ids: "AddressIds",
            filters: ["address-id", "instance-id", "address-type", "address-status"],
            maximumValues: 100,
            codes: .vpc
        )
        let types = selection.conditions.first { $0.name == "address-type" }?.values ?? ["EIP"]
        var addresses: [JSONValue] = []
        for record in tencentRecords(call) {
            for resource in listedResources(of: record) {
                guard case .address(let address) = resource.item else { continue }
                let type = address == .elasticIP ? "EIP" : "WAN_IP"
                let id =
                    address == .elasticIP
                    ? Self.resourceID(resource.item, instanceID: record.id, shapes: TencentFrontEnd.resourceShapes) : ""
                let isBound = resource.standing == .attached
                let status = isBound ? "BIND" : "UNBIND"
                guard types.contains(type) else { continue }
                let fields = [
                    "address-id": id, "instance-id": isBound ? record.id : "", "address-status": status,
                    "address-type": type,
                ]
                guard selection.selects(id, fields) else { continue }
                addresses.append(
                    .object([
                        ("AddressId", .string(id)), ("AddressName", .string(record.name)),
                        ("AddressStatus", .string(status)), ("AddressIp", .string(publicIPAddress(of: record))),
                        ("InstanceId", .string(isBound ? record.id : "")),
                        ("AddressType", .string(address == .elasticIP ? "EIP" : "WanIP")),
                        ("CreatedTime", .string(record.createdAt.iso8601)),
                    ])
                )
            }
        }
        return selection.answer(addresses, set: "AddressSet")
    }

    // MARK: Tag 2018-08-13

    /// A CVM instance's six-segment resource name (Tag API: `qcs::${ServiceType}:${Region}:uin/${Account}:
    /// ${ResourcePrefix}/${ResourceId}`).
    static func tagResourceName(_ record: InstanceRecord) -> String {
        "qcs::cvm:\(record.region):uin/\(record.account):instance/\(record.id)"
    }

    /// The caller's live CVM instance a six-segment name names, or why not: a name that is not six segments is
    /// `InvalidParameterValue.ResourceDescriptionError`; another service or prefix is not modelled (EM8).
    func tagInstance(_ name: String, _ call: TencentCall) throws(APIError) -> InstanceRecord? {
        let segments = name.split(separator: ":", omittingEmptySubsequences: false)
        guard segments.count == 6, segments[0] == "qcs", segments[5].contains("/") else {
            throw APIError(
                "InvalidParameterValue.ResourceDescriptionError",
                "`\(name.prefix(96))` is not a six-segment resource name (qcs::cvm:REGION:uin/ACCOUNT:instance/ID)."
            )
        }
        let resource = segments[5].split(separator: "/", maxSplits: 1)
        guard segments[2] == "cvm", resource.first == "instance", resource.count == 2 else {
            throw APIError(
                "UnsupportedOperation",
                "`\(name.prefix(96))` is not a CVM instance: the emulator's Tag API models instances only.",
                rules: ["EM8"]
            )
        }
        // The account segment may be left empty (Cloud Custodian sends `qcs::cvm:REGION::instance/ID`); one naming
        // another account names none of the caller's instances.
        let account = segments[4]
        guard account.isEmpty || account == call.caller.account || account == "uin/\(call.caller.account)",
            let record = owned(String(resource[1]), by: call.caller.account, kind: .tencent),
            record.region == segments[3], machine(record).phase != .released
        else { return nil }
        return record
    }

    /// `Tags` of TagResources: 1 to 10 pairs, keys 1 to 127 characters not starting with the reserved `qcloud`,
    /// `tencent` or `project`, values up to 255, no key twice (the Tag API's error codes).
    func tagPairs(_ call: TencentCall, _ name: String = "Tags", required: Bool = true) throws(APIError) -> [InstanceTag]
    {
        let objects = try call.parameters.objects(name)
        guard !objects.isEmpty || !required else {
            throw APIError("MissingParameter", "The request is missing a required parameter `\(name)`.")
        }
        guard objects.count <= 10 else {
            throw APIError("LimitExceeded.TagNumPerRequest", "At most 10 \(name) in one request.")
        }
        var tags: [InstanceTag] = []
        for object in objects {
            let key = try object.string("TagKey") ?? ""
            let value = try object.string("TagValue") ?? ""
            guard !key.isEmpty else { throw APIError("InvalidParameterValue.TagKeyEmpty", "A TagKey is empty.") }
            guard key.count <= 127 else {
                throw APIError("InvalidParameterValue.TagKeyLengthExceeded", "A TagKey is over 127 characters.")
            }
            guard !["qcloud", "tencent", "project"].contains(where: { key.lowercased().hasPrefix($0) }) else {
                throw APIError(
                    "InvalidParameterValue.ReservedTagKey",
                    "The keys qcloud, tencent and project are reserved: `\(key.prefix(64))`."
                )
            }
            guard value.count <= 255 else {
                throw APIError("InvalidParameterValue.TagValueLengthExceeded", "A TagValue is over 255 characters.")
            }
            guard !tags.contains(where: { $0.key == key }) else {
                throw APIError(
                    "InvalidParameterValue.TagKeyDuplicate",
                    "The TagKey `\(key.prefix(64))` is given twice."
                )
            }
            tags.append(InstanceTag(key: key, value: value))
        }
        return tags
    }

    /// `ResourceList`: 1 to 10 six-segment names, none twice.
    func tagResourceList(_ call: TencentCall) throws(APIError) -> [String] {
        guard let names = try call.parameters.stringList("ResourceList"), !names.isEmpty else {
            throw APIError("MissingParameter", "The request is missing a required parameter `ResourceList`.")
        }
        guard names.count <= 10 else {
            throw APIError("LimitExceeded.ResourceNumPerRequest", "At most 10 resources in one request.")
        }
        guard Set(names).count == names.count else {
            throw APIError("InvalidParameterValue", "ResourceList names a resource twice.", rules: ["EM1"])
        }
        return names
    }

    /// One `FailedResources` entry.
    static func failedResource(_ name: String, _ code: String, _ message: String) -> JSONValue {
        .object([("Resource", .string(name)), ("Code", .string(code)), ("Message", .string(message))])
    }

    /// TagResources: sets the tags on every named instance (a key already there takes the new value); a resource
    /// that is not the caller's live instance, or would carry over 50 tags, is listed in `FailedResources` and left
    /// unchanged, as the API answers a partial failure. Every name and pair is checked before anything changes.
    mutating func tagTagResources(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let names = try tagResourceList(call)
        let tags = try tagPairs(call)
        var (found, failed) = try tagResolve(names, call)
        var targets: [InstanceRecord] = []
        for (name, record) in found {
            guard InstanceTag.merging(tags, into: record.tags ?? []).count <= 50 else {
                failed.append(
                    Self.failedResource(
                        name,
                        "LimitExceeded.ResourceAttachedTags",
                        "The resource would carry over 50 tags."
                    )
                )
                continue
            }
            targets.append(record)
        }
        for record in targets { modify(record) { $0.tags = InstanceTag.merging(tags, into: $0.tags ?? []) } }
        return ActionAnswer([("FailedResources", .array(failed))], rules: [])
    }

    /// The caller's live instances the names name, and a `FailedResources` entry for each name that names none.
    func tagResolve(
        _ names: [String],
        _ call: TencentCall
    ) throws(APIError) -> (found: [(name: String, record: InstanceRecord)], failed: [JSONValue]) {
        var found: [(name: String, record: InstanceRecord)] = []
        var failed: [JSONValue] = []
        for name in names {
            if let record = try tagInstance(name, call) {
                found.append((name, record))
            } else {
                failed.append(Self.failedResource(name, "ResourceNotFound", "The resource does not exist."))
            }
        }
        return (found, failed)
    }

    /// UnTagResources: removes the named keys (`TagKeys`, 1 to 10) from every named instance, with the same
    /// partial-failure answer as TagResources.
    mutating func tagUnTagResources(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let names = try tagResourceList(call)
        guard let keys = try call.parameters.stringList("TagKeys"), !keys.isEmpty else {
            throw APIError("MissingParameter", "The request is missing a required parameter `TagKeys`.")
        }
        guard keys.count <= 10 else {
            throw APIError("LimitExceeded.TagNumPerRequest", "At most 10 TagKeys in one request.")
        }
        let (found, failed) = try tagResolve(names, call)
        for target in found.map(\.record) {
            modify(target) { record in
                let left = (record.tags ?? []).filter { !keys.contains($0.key) }
                record.tags = left.isEmpty ? nil : left
            }
        }
        return ActionAnswer([("FailedResources", .array(failed))], rules: [])
    }

    /// ModifyResourceTags: on one instance, sets `ReplaceTags` (a key already there takes the new value) and removes
    /// `DeleteTags` keys (a key the instance does not carry stays absent; the API page lists no error for it), at
    /// most 10 of each and at least one; a key in both is `InvalidParameterValue.DeleteTagsParamError`. Cloud
    /// Custodian's `rename-tag` sends both.
    mutating func tagModifyResourceTags(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let name = try call.parameters.required("Resource")
        let replace = try tagPairs(call, "ReplaceTags", required: false)
        let deleteObjects = try call.parameters.objects("DeleteTags")
        guard deleteObjects.count <= 10 else {
            throw APIError("LimitExceeded.TagNumPerRequest", "At most 10 DeleteTags in one request.")
        }
        var deleted: [String] = []
        for object in deleteObjects {
            guard let key = try object.string("TagKey"), !key.isEmpty else {
                throw APIError("InvalidParameterValue.TagKeyEmpty", "A DeleteTags TagKey is empty.")
            }
            deleted.append(key)
        }
        guard !replace.isEmpty || !deleted.isEmpty else {
            throw APIError(
                "MissingParameter",
                "The request is missing a required parameter `ReplaceTags` or `DeleteTags`."
            )
        }
        guard !deleted.contains(where: { key in replace.contains { $0.key == key } }) else {
            throw APIError(
                "InvalidParameterValue.DeleteTagsParamError",
                "DeleteTags names a key that ReplaceTags sets."
            )
        }
        guard let record = try tagInstance(name, call) else {
            throw APIError(
                "InvalidParameterValue.ResourceIdInvalid",
                "The resource `\(name.prefix(96))` does not exist."
            )
        }
        let merged = InstanceTag.merging(replace, into: record.tags ?? []).filter { !deleted.contains($0.key) }
        guard merged.count <= 50 else {
            throw APIError("LimitExceeded.ResourceAttachedTags", "The resource would carry over 50 tags.")
        }
        modify(record) { $0.tags = merged.isEmpty ? nil : merged }
        return ActionAnswer([], rules: [])
    }

    /// A tag as the Tag API lists it.
    static func tagJSON(_ tag: InstanceTag) -> JSONValue {
        .object([("TagKey", .string(tag.key)), ("TagValue", .string(tag.value)), ("Category", "Custom")])
    }

    /// GetResources: the caller's instances (any region) with their tags — those named in `ResourceList`, else
    /// every tagged instance — that carry every `TagFilters` key (at most 6) with one of its values (any value when
    /// none is given, at most 10). `MaxResults` 1 to 200 (default 50) a page, `PaginationToken` for the next;
    /// with `ResourceList` everything is one page, as the API says `MaxResults` then has no effect.
    mutating func tagGetResources(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let names = try call.parameters.stringList("ResourceList")
        if let names, names.count > 10 {
            throw APIError("LimitExceeded.ResourceNumPerRequest", "At most 10 resources in ResourceList.")
        }
        let filterObjects = try call.parameters.objects("TagFilters")
        guard filterObjects.count <= 6 else {
            throw APIError("InvalidParameterValue.TagFiltersLengthExceeded", "At most 6 TagFilters.")
        }
        var filters: [(key: String, values: [String])] = []
        for object in filterObjects {
            guard let key = try object.string("TagKey"), !key.isEmpty else {
                throw APIError("InvalidParameterValue.TagFilters", "Each of TagFilters needs a TagKey.")
            }
            let values = try object.stringList("TagValue") ?? []
            guard values.count <= 10 else {
                throw APIError("InvalidParameterValue.TagFilters", "At most 10 TagValue in one filter.")
            }
            filters.append((key, values))
        }
        let maxResults = try call.parameters.int("MaxResults", in: 1...200) ?? 50
        var first = 0
        if let token = try call.parameters.string("PaginationToken"), !token.isEmpty {
            guard token.hasPrefix("emu-"), let offset = Int(token.dropFirst(4)), (0...1_000_000).contains(offset) else {
                throw APIError("InvalidParameter.PaginationTokenInvalid", "The PaginationToken is not valid.")
            }
            first = offset
        }
        // Named resources are answered under the names sent (tools match the answer's `Resource` to their request).
        var candidates: [(name: String, record: InstanceRecord)] = []
        if let names {
            candidates = try tagResolve(names, call).found
        } else {
            candidates = instances(of: call.caller.account, kind: .tencent).compactMap { record in
                guard machine(record).phase != .released, !(record.tags ?? []).isEmpty else { return nil }
                return (Self.tagResourceName(record), record)
            }
        }
        let matching = candidates.filter { _, record in
            filters.allSatisfy { filter in
                (record.tags ?? []).contains {
                    $0.key == filter.key && (filter.values.isEmpty || filter.values.contains($0.value))
                }
            }
        }
        let size = names == nil ? maxResults : max(matching.count, 1)
        let page = pageOf(matching, from: first, count: size)
        let next = first + size < matching.count ? "emu-\(first + size)" : ""
        let list: [JSONValue] = page.map { name, record in
            .object([
                ("Resource", .string(name)),
                ("Tags", .array((record.tags ?? []).map(Self.tagJSON))),
            ])
        }
        return ActionAnswer([("PaginationToken", .string(next)), ("ResourceTagMappingList", .array(list))], rules: [])
    }

    /// DescribeResourceTagsByResourceIds: the tags of up to 50 of the caller's instances (`ServiceType` cvm,
    /// `ResourcePrefix` instance, `ResourceRegion` their region), one entry per tag, paged by `Offset` (a multiple of
    /// `Limit`) and `Limit` (default 15).
    mutating func tagDescribeByResourceIDs(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let service = try call.parameters.required("ServiceType")
        let prefix = try call.parameters.required("ResourcePrefix")
        guard service == "cvm", prefix == "instance" else {
            throw APIError(
                "UnsupportedOperation",
                "ServiceType `\(service.prefix(32))` with ResourcePrefix `\(prefix.prefix(32))` is not modelled: only cvm instance.",
                rules: ["EM8"]
            )
        }
        guard let ids = try call.parameters.stringList("ResourceIds"), !ids.isEmpty else {
            throw APIError("MissingParameter", "The request is missing a required parameter `ResourceIds`.")
        }
        guard ids.count <= 50 else {
            throw APIError("LimitExceeded.ResourceNumPerRequest", "At most 50 ResourceIds.")
        }
        let region = try call.parameters.required("ResourceRegion")
        let limit = try call.parameters.int("Limit", in: 1...1_000) ?? 15
        let offset = try call.parameters.int("Offset", in: 0...Int(Int32.max)) ?? 0
        guard offset % limit == 0 else {
            throw APIError("InvalidParameterValue.OffsetInvalid", "Offset must be a multiple of Limit.")
        }
        switch try call.parameters.string("Category") ?? "All" {
        case "All", "Custom", "System": break
        default: throw APIError("InvalidParameterValue", "Category must be Custom, System or All.")
        }
        var entries: [JSONValue] = []
        for id in ids {
            guard let record = owned(id, by: call.caller.account, kind: .tencent), record.region == region,
                machine(record).phase != .released
            else { continue }
            for tag in record.tags ?? [] {
                entries.append(
                    .object([
                        ("TagKey", .string(tag.key)), ("TagValue", .string(tag.value)), ("ResourceId", .string(id)),
                        ("TagKeyMd5", .string(Self.md5(tag.key))), ("TagValueMd5", .string(Self.md5(tag.value))),
                        ("ServiceType", "cvm"), ("Category", "Custom"),
                    ])
                )
            }
        }
        let page = pageOf(entries, from: offset, count: limit)
        return ActionAnswer(
            [
                ("TotalCount", .int(Int64(entries.count))), ("Offset", .int(Int64(offset))),
                ("Limit", .int(Int64(limit))), ("Tags", .array(page)),
            ],
            rules: []
        )
    }

}
