import EmulatorFrontEnds
import Foundation
import ProviderRegistry
import ReleaseCore
import Reporting
import Testing

@testable import AliyunECSWire
@testable import EmulatorCore
@testable import TencentCVMWire

/// The calls around a release (issue 21 items 2 to 5): the instances' disks, snapshots and addresses follow the
/// models' resource fates; tags by six-segment name (Tencent's Tag API); status, user data, regions, zones and
/// the account behind a key.
@Suite("Resources, tags and the calls around a release")
struct ResourceListingTests {
    static func ids(_ answer: TestClient.Answer, _ path: [String], _ field: String) -> [String] {
        var node: JSONValue? = answer.payload
        for key in path { node = node?[key] }
        guard case .array(let items)? = node else { return [] }
        return items.compactMap { $0[field]?.text }
    }

    static func item(_ node: JSONValue?, _ index: Int) -> JSONValue? {
        guard case .array(let items)? = node, index < items.count else { return nil }
        return items[index]
    }

    @Test("ECS DescribeDisks: a data disk kept on release is Available and billing; the others are gone (seed 001)")
    func aliyunDisksFollowFates() {
        let client = TestClient()
        let id = client.runAliyun([
            "DataDisk.1.Size": "100", "DataDisk.1.Category": "cloud_essd", "DataDisk.1.DeleteWithInstance": "false",
            "DataDisk.2.Size": "50",
        ])
        let before = client.aliyun("DescribeDisks", ["RegionId": "cn-hangzhou", "InstanceId": id])
        #expect(before.code == nil, "\(before.json.serialized)")
        let disks = before["Disks"]?["Disk"]
        #expect(Self.ids(before, ["Disks", "Disk"], "Status") == ["In_use", "In_use", "In_use"])
        #expect(Self.ids(before, ["Disks", "Disk"], "Type") == ["system", "data", "data"])
        #expect(Self.item(disks, 1)?["Size"] == .int(100))
        #expect(Self.item(disks, 1)?["Category"]?.text == "cloud_essd")
        #expect(Self.item(disks, 2)?["Category"]?.text == "cloud_efficiency")
        #expect(client.aliyun("DeleteInstance", ["InstanceId": id, "Force": "true"]).code == nil)
        let after = client.aliyun("DescribeDisks", ["RegionId": "cn-hangzhou"])
        #expect(Self.ids(after, ["Disks", "Disk"], "Status") == ["Available"])
        #expect(after["Disks"]?["Disk"]?.first?["InstanceId"]?.text == "")
        #expect(after["Disks"]?["Disk"]?.first?["DeleteWithInstance"] == .bool(false))
        // The model bills it: its meter runs in the control plane's listing.
        let dump = client.control("GET", "instances").json["instances"]?.first?["meters"]
        #expect(dump?.serialized.contains("disk:data1") == true)
        // Filters: the kept disk is data, not attached to the released instance.
        #expect(
            Self.ids(
                client.aliyun("DescribeDisks", ["RegionId": "cn-hangzhou", "DiskType": "system"]),
                ["Disks", "Disk"],
                "DiskId"
            ).isEmpty
        )
        #expect(
            Self.ids(
                client.aliyun("DescribeDisks", ["RegionId": "cn-hangzhou", "InstanceId": id]),
                ["Disks", "Disk"],
                "DiskId"
            ).isEmpty
        )
        #expect(
            client.aliyun("DescribeDisks", ["RegionId": "cn-hangzhou", "DiskType": "boot"]).code
                == "InvalidDiskType.ValueNotSupported"
        )
    }

    @Test("CBS DescribeDisks: attached in the recycle bin; after the bin, the kept disk is UNATTACHED (T2, seed 001)")
    func tencentDisksFollowFates() {
        let client = TestClient()
        let id = client.runTencent([
            (
                "DataDisks",
                .array([
                    .object([("DiskType", "CLOUD_SSD"), ("DiskSize", .int(200)), ("DeleteWithInstance", .bool(false))]),
                    .object([("DiskSize", .int(20))]),
                ])
            )
        ])
        #expect(client.tencent("TerminateInstances", .object([("InstanceIds", .array([.string(id)]))])).code == nil)
        let inBin = client.tencent("DescribeDisks")
        #expect(inBin.code == nil, "\(inBin.json.serialized)")
        #expect(Self.ids(inBin, ["DiskSet"], "DiskState") == ["ATTACHED", "ATTACHED", "ATTACHED"])
        #expect(Self.item(inBin["DiskSet"], 1)?["DiskType"]?.text == "CLOUD_SSD")
        #expect(Self.item(inBin["DiskSet"], 1)?["DiskSize"] == .int(200))
        _ = client.advance(2 * 3_600 + 1)
        let after = client.tencent("DescribeDisks")
        #expect(Self.ids(after, ["DiskSet"], "DiskState") == ["UNATTACHED"])
        // The model bills it: its meter runs in the control plane's listing.
        let meters = client.control("GET", "instances").json["instances"]?.first?["meters"]
        #expect(meters?.serialized.contains("disk:data1") == true)
        let filtered = client.tencent(
            "DescribeDisks",
            .object([("Filters", .array([.object([("Name", "disk-usage"), ("Values", .array(["SYSTEM_DISK"]))])]))])
        )
        #expect(filtered["TotalCount"] == .int(0))
        let unknown = client.tencent(
            "DescribeDisks",
            .object([("Filters", .array([.object([("Name", "project-id"), ("Values", .array(["0"]))])]))])
        )
        #expect(unknown.code == "InvalidFilter")
    }

    @Test("EIP and snapshots of a seeded instance: listed while it lives, kept or gone on release as the model says")
    func seededAddressesAndSnapshots() {
        let client = TestClient()
        let seeded = client.control(
            "POST",
            "instances",
            .object([
                ("provider", "aliyun"), ("account", "alice"), ("region", "cn-hangzhou"), ("id", "i-seeded01"),
                ("address", "eip"), ("snapshots", .array(["automatic", "manual"])),
            ])
        )
        #expect(seeded.status == 200, "\(seeded.json.serialized)")
        let eips = client.aliyun("DescribeEipAddresses", ["RegionId": "cn-hangzhou"])
        #expect(Self.ids(eips, ["EipAddresses", "EipAddress"], "Status") == ["InUse"])
        let snapshots = client.aliyun("DescribeSnapshots", ["RegionId": "cn-hangzhou"])
        #expect(Self.ids(snapshots, ["Snapshots", "Snapshot"], "SnapshotType") == ["auto", "user"])
        #expect(client.aliyun("DeleteInstance", ["InstanceId": "i-seeded01", "Force": "true"]).code == nil)
        let machine = client.emulator.records["i-seeded01"].map { client.emulator.machine($0) }
        let fates = machine?.resourceFates ?? []
        let eipKept = fates.contains { $0.resource == .publicAddress && $0.fate == .retained }
        let eipAfter = client.aliyun("DescribeEipAddresses", ["RegionId": "cn-hangzhou"])
        #expect(Self.ids(eipAfter, ["EipAddresses", "EipAddress"], "Status") == (eipKept ? ["Available"] : []))
        let keptSnapshots = fates.filter {
            if case .snapshot = $0.resource { return $0.fate == .retained }
            return false
        }
        let snapshotsAfter = client.aliyun("DescribeSnapshots", ["RegionId": "cn-hangzhou"])
        #expect(Self.ids(snapshotsAfter, ["Snapshots", "Snapshot"], "SnapshotId").count == keptSnapshots.count)
        #expect(
            client.control(
                "POST",
                "instances",
                .object([
                    ("provider", "aliyun"), ("account", "alice"), ("region", "r"), ("id", "i-x2"),
                    ("address", "elastic"),
                ])
            ).status == 400
        )
    }

    @Test("Tag API: TagResources, GetResources by TagFilters, DescribeResourceTagsByResourceIds, UnTagResources")
    func tencentTagAPI() {
        let client = TestClient()
        let first = client.runTencent()
        let second = client.runTencent()
        let name = "qcs::cvm:ap-guangzhou:uin/alice:instance/\(first)"
        let missing = "qcs::cvm:ap-guangzhou:uin/alice:instance/ins-nothere"
        let tagged = client.tencent(
            "TagResources",
            .object([
                ("ResourceList", .array([.string(name), .string(missing)])),
                ("Tags", .array([.object([("TagKey", "c7n_status"), ("TagValue", "stop@2026-01-02")])])),
            ])
        )
        #expect(tagged.code == nil, "\(tagged.json.serialized)")
        #expect(Self.ids(tagged, ["FailedResources"], "Resource") == [missing])
        let found = client.tencent(
            "GetResources",
            .object([("TagFilters", .array([.object([("TagKey", "c7n_status")])]))])
        )
        #expect(Self.ids(found, ["ResourceTagMappingList"], "Resource") == [name])
        // The CVM listing sees the same tag.
        let listed = client.tencent(
            "DescribeInstances",
            .object([("Filters", .array([.object([("Name", "tag-key"), ("Values", .array(["c7n_status"]))])]))])
        )
        #expect(Self.ids(listed, ["InstanceSet"], "InstanceId") == [first])
        let byIDs = client.tencent(
            "DescribeResourceTagsByResourceIds",
            .object([
                ("ServiceType", "cvm"), ("ResourcePrefix", "instance"), ("ResourceRegion", "ap-guangzhou"),
                ("ResourceIds", .array([.string(first), .string(second)])),
            ])
        )
        #expect(Self.ids(byIDs, ["Tags"], "ResourceId") == [first])
        #expect(byIDs["Tags"]?.first?["TagKeyMd5"]?.text == Emulator.md5("c7n_status"))
        #expect(Emulator.md5("abc") == "900150983cd24fb0d6963f7d28e17f72")
        let untagged = client.tencent(
            "UnTagResources",
            .object([("ResourceList", .array([.string(name)])), ("TagKeys", .array(["c7n_status"]))])
        )
        #expect(untagged.code == nil)
        // ModifyResourceTags (Cloud Custodian's rename-tag) on a name with the account left empty, as Custodian sends.
        let custodianName = "qcs::cvm:ap-guangzhou::instance/\(second)"
        _ = client.tencent(
            "TagResources",
            .object([
                ("ResourceList", .array([.string(custodianName)])),
                ("Tags", .array([.object([("TagKey", "old"), ("TagValue", "v")])])),
            ])
        )
        let renamed = client.tencent(
            "ModifyResourceTags",
            .object([
                ("Resource", .string(custodianName)),
                ("ReplaceTags", .array([.object([("TagKey", "new"), ("TagValue", "v")])])),
                ("DeleteTags", .array([.object([("TagKey", "old")])])),
            ])
        )
        #expect(renamed.code == nil, "\(renamed.json.serialized)")
        #expect(client.emulator.records[second]?.tags == [InstanceTag(key: "new", value: "v")])
        let both = client.tencent(
            "ModifyResourceTags",
            .object([
                ("Resource", .string(custodianName)),
                ("ReplaceTags", .array([.object([("TagKey", "new"), ("TagValue", "w")])])),
                ("DeleteTags", .array([.object([("TagKey", "new")])])),
            ])
        )
        #expect(both.code == "InvalidParameterValue.DeleteTagsParamError")
        // Named resources come back under the names sent.
        let echoed = client.tencent("GetResources", .object([("ResourceList", .array([.string(custodianName)]))]))
        #expect(Self.ids(echoed, ["ResourceTagMappingList"], "Resource") == [custodianName])
        // Another account's segment names none of the caller's instances.
        let foreign = "qcs::cvm:ap-guangzhou:uin/bob:instance/\(second)"
        let refused = client.tencent("GetResources", .object([("ResourceList", .array([.string(foreign)]))]))
        #expect(Self.ids(refused, ["ResourceTagMappingList"], "Resource").isEmpty)
        _ = client.tencent(
            "UnTagResources",
            .object([("ResourceList", .array([.string(custodianName)])), ("TagKeys", .array(["new"]))])
        )
        #expect(Self.ids(client.tencent("GetResources"), ["ResourceTagMappingList"], "Resource").isEmpty)
        // Refusals: a reserved key, another service's resource (not modelled, EM8), a malformed name.
        let reserved = client.tencent(
            "TagResources",
            .object([
                ("ResourceList", .array([.string(name)])),
                ("Tags", .array([.object([("TagKey", "qcloud:x"), ("TagValue", "1")])])),
            ])
        )
        #expect(reserved.code == "InvalidParameterValue.ReservedTagKey")
        let disk = client.tencent(
            "TagResources",
            .object([
                ("ResourceList", .array(["qcs::cbs:ap-guangzhou:uin/alice:disk/disk-1"])),
                ("Tags", .array([.object([("TagKey", "a"), ("TagValue", "1")])])),
            ])
        )
        #expect(disk.code == "UnsupportedOperation")
        #expect(ParameterWalkTests.isEM8(disk))
        let malformed = client.tencent(
            "TagResources",
            .object([("ResourceList", .array(["cvm/ins-1"])), ("Tags", .array([.object([("TagKey", "a")])]))])
        )
        #expect(malformed.code == "InvalidParameterValue.ResourceDescriptionError")
        // Another account's instance is not found, so not tagged.
        let bob = client.send(
            client.tencentRequest(
                "TagResources",
                .object([("ResourceList", .array([.string(name)])), ("Tags", .array([.object([("TagKey", "b")])]))]),
                key: .bob
            )
        )
        #expect(Self.ids(bob, ["FailedResources"], "Resource") == [name])
        #expect(client.emulator.records[first]?.tags == nil)
    }

    @Test("the service a request is for is read from its Host (<service>[.<region>].tencentcloudapi.com)")
    func serviceByHost() {
        // The signature covers the Host, so the routing is asked of the function the front end uses.
        #expect(Emulator.tencentHostService("cvm.ap-guangzhou.tencentcloudapi.com") == "cvm")
        #expect(Emulator.tencentHostService("tag.tencentcloudapi.com:443") == "tag")
        #expect(Emulator.tencentHostService("127.0.0.1:8080") == nil)
    }

    @Test("DescribeUserData shows the UserData given at launch; malformed Base64 is refused")
    func userData() {
        let client = TestClient()
        let data = Data("#!/bin/sh\necho hi\n".utf8).base64EncodedString()
        let id = client.runAliyun(["UserData": data])
        let answer = client.aliyun("DescribeUserData", ["InstanceId": id, "RegionId": "cn-hangzhou"])
        #expect(answer["UserData"]?.text == data)
        #expect(
            client.aliyun("RunInstances", ["ImageId": "i", "UserData": "not base64!"]).code
                == "InvalidUserData.Base64FormatInvalid"
        )
    }

    @Test("DescribeInstanceAttribute, DescribeInstanceStatus and DescribeInstancesStatus show the listing's status")
    func status() {
        let client = TestClient()
        let id = client.runAliyun(["InstanceName": "web-1"])
        let attribute = client.aliyun("DescribeInstanceAttribute", ["InstanceId": id])
        #expect(attribute["InstanceName"]?.text == "web-1")
        #expect(attribute["Status"]?.text == "Running")
        _ = client.aliyun("StopInstance", ["InstanceId": id])
        let status = client.aliyun("DescribeInstanceStatus", ["RegionId": "cn-hangzhou"])
        #expect(Self.ids(status, ["InstanceStatuses", "InstanceStatus"], "Status") == ["Stopped"])
        #expect(
            client.aliyun("DescribeInstanceAttribute", ["InstanceId": "i-none"]).code == "InvalidInstanceId.NotFound"
        )
        let cvm = client.runTencent()
        let cvmStatus = client.tencent("DescribeInstancesStatus", .object([("InstanceIds", .array([.string(cvm)]))]))
        #expect(Self.ids(cvmStatus, ["InstanceStatusSet"], "InstanceState") == ["RUNNING"])
    }

    @Test("regions and zones: the documented shapes, with the caller's own regions added, and no other account's")
    func regionsAndZones() {
        let client = TestClient()
        _ = client.runAliyun()
        let regions = client.aliyun("DescribeRegions")
        #expect(Self.ids(regions, ["Regions", "Region"], "RegionId").contains("cn-hangzhou"))
        #expect(regions["Regions"]?["Region"]?.first?["RegionEndpoint"]?.text?.hasSuffix(".aliyuncs.com") == true)
        let zones = client.aliyun("DescribeZones", ["RegionId": "cn-hangzhou"])
        #expect(Self.ids(zones, ["Zones", "Zone"], "ZoneId").first == "cn-hangzhou-a")
        let tencentRegions = client.tencent("DescribeRegions")
        #expect(Self.ids(tencentRegions, ["RegionSet"], "Region").contains("ap-guangzhou"))
        let tencentZones = client.tencent("DescribeZones")
        #expect(Self.ids(tencentZones, ["ZoneSet"], "Zone").first == "ap-guangzhou-1")
        // A region only one account uses is that account's to see.
        _ = client.runAliyun(["RegionId": "cn-alice-only"])
        let own = Self.ids(client.aliyun("DescribeRegions"), ["Regions", "Region"], "RegionId")
        let others = Self.ids(client.aliyun("DescribeRegions", key: .bob), ["Regions", "Region"], "RegionId")
        #expect(own.contains("cn-alice-only"))
        #expect(!others.contains("cn-alice-only"))
    }

    @Test("Aliyun STS GetCallerIdentity (2015-04-01) names the key's account; under ECS's version it is not found")
    func aliyunCallerIdentity() {
        let client = TestClient()
        let answer = client.aliyun("GetCallerIdentity")
        #expect(answer.code == nil)
        #expect(answer["AccountId"]?.text == "alice")
        #expect(client.aliyun("GetCallerIdentity", ["Version": "2014-05-26"]).code == "InvalidAction.NotFound")
        #expect(client.aliyun("DescribeInstances", ["Version": "2015-04-01"]).code == "InvalidAction.NotFound")
    }

    static func keys(_ value: JSONValue?) -> Set<String> {
        guard case .object(let members)? = value else { return [] }
        return Set(members.map(\.0))
    }

    @Test("DescribeInstances shows every field its response model documents, for both providers")
    func everyDocumentedField() {
        let client = TestClient()
        let ecs = client.runAliyun()
        let ecsEntry = client.aliyun("DescribeInstances", ["InstanceIds": "[\"\(ecs)\"]"])["Instances"]?["Instance"]?
            .first
        #expect(Set(ECSDocumentedParameters.instanceFields).subtracting(Self.keys(ecsEntry)).isEmpty)
        #expect(Self.keys(ecsEntry).subtracting(ECSDocumentedParameters.instanceFields).isEmpty)
        let cvm = client.runTencent()
        let cvmEntry = client.tencentInstance(cvm)
        #expect(Set(CVMDocumentedParameters.instanceFields).subtracting(Self.keys(cvmEntry)).isEmpty)
        #expect(Self.keys(cvmEntry).subtracting(CVMDocumentedParameters.instanceFields).isEmpty)
    }

    @Test("the launch's network, login and system disk are shown back (what ali_instance sends on every launch)")
    func launchAttributesShownBack() {
        let client = TestClient()
        let launched = client.aliyun(
            "RunInstances",
            [
                "ImageId": "img", "Amount": "2", "InstanceName": "web", "UniqueSuffix": "true",
                "SecurityGroupId": "sg-1", "VSwitchId": "vsw-abc", "InternetChargeType": "PayByBandwidth",
                "InternetMaxBandwidthIn": "200", "IoOptimized": "optimized", "SystemDisk.Category": "cloud_efficiency",
                "SystemDisk.Size": "40", "AutoRenew": "false", "KeyPairName": "key-1",
            ]
        )
        #expect(launched.code == nil, "\(launched.json.serialized)")
        let entries = client.aliyun("DescribeInstances", ["RegionId": "cn-hangzhou"])
        let names = Self.ids(entries, ["Instances", "Instance"], "InstanceName")
        #expect(names == ["web001", "web002"])
        let entry = entries["Instances"]?["Instance"]?.first
        #expect(entry?["SecurityGroupIds"]?["SecurityGroupId"] == .array(["sg-1"]))
        #expect(entry?["VpcAttributes"]?["VSwitchId"]?.text == "vsw-abc")
        #expect(entry?["VpcAttributes"]?["VpcId"]?.text == "vpc-abc")
        #expect(entry?["InternetChargeType"]?.text == "PayByBandwidth")
        #expect(entry?["KeyPairName"]?.text == "key-1")
        let id = entry?["InstanceId"]?.text ?? ""
        let system = client.aliyun(
            "DescribeDisks",
            ["RegionId": "cn-hangzhou", "InstanceId": id, "DiskType": "system"]
        )
        #expect(system["Disks"]?["Disk"]?.first?["Category"]?.text == "cloud_efficiency")
        #expect(client.aliyun("RunInstances", ["ImageId": "img", "AutoRenew": "true"]).code == "UnsupportedParameter")
        #expect(
            client.aliyun("RunInstances", ["ImageId": "img", "IoOptimized": "fast"]).code
                == "InvalidIoOptimizedValue.ValueNotSupported"
        )
        #expect(
            client.aliyun("RunInstances", ["ImageId": "img", "SecurityGroupId": "sg-1", "SecurityGroupIds.1": "sg-2"])
                .code
                == "InvalidParameter"
        )
        let cvm = client.runTencent([
            ("SecurityGroupIds", .array(["sg-9"])),
            ("VirtualPrivateCloud", .object([("VpcId", "vpc-9"), ("SubnetId", "subnet-9")])),
            ("SystemDisk", .object([("DiskType", "CLOUD_SSD"), ("DiskSize", .int(100))])),
            ("HostName", "host-9"),
        ])
        let shown = client.tencentInstance(cvm)
        #expect(shown?["SecurityGroupIds"] == .array(["sg-9"]))
        #expect(shown?["VirtualPrivateCloud"]?["SubnetId"]?.text == "subnet-9")
        #expect(shown?["SystemDisk"]?["DiskType"]?.text == "CLOUD_SSD")
        #expect(shown?["HostName"]?.text == "host-9")
    }

    @Test(
        "ECS DescribeInstances: every network filter narrows to the matching instance",
        arguments: [
            ("VpcId", "vpc-one"), ("VSwitchId", "vsw-one"), ("SecurityGroupId", "sg-one"), ("KeyPairName", "key-one"),
            ("InternetChargeType", "PayByBandwidth"),
        ]
    )
    func aliyunNetworkFilters(name: String, value: String) {
        let client = TestClient()
        let one = client.runAliyun([
            "VSwitchId": "vsw-one", "SecurityGroupId": "sg-one", "KeyPairName": "key-one",
            "InternetChargeType": "PayByBandwidth",
        ])
        _ = client.runAliyun(["VSwitchId": "vsw-two", "SecurityGroupId": "sg-two"])
        let listed = client.aliyun("DescribeInstances", ["RegionId": "cn-hangzhou", name: value])
        #expect(Self.ids(listed, ["Instances", "Instance"], "InstanceId") == [one])
        let none = client.aliyun("DescribeInstances", ["RegionId": "cn-hangzhou", name: value + "-x"])
        #expect(Self.ids(none, ["Instances", "Instance"], "InstanceId").isEmpty)
    }

    @Test(
        "CVM DescribeInstances: every documented filter is served; the network ones narrow to the matching instance",
        arguments: [("vpc-id", "vpc-a"), ("subnet-id", "subnet-a"), ("security-group-id", "sg-a"), ("project-id", "0")]
    )
    func tencentNetworkFilters(name: String, value: String) {
        let client = TestClient()
        let one = client.runTencent([
            ("SecurityGroupIds", .array(["sg-a"])),
            ("VirtualPrivateCloud", .object([("VpcId", "vpc-a"), ("SubnetId", "subnet-a")])),
        ])
        let other = client.runTencent()
        func listed(_ name: String, _ values: [String]) -> [String] {
            let filter = JSONValue.object([("Name", .string(name)), ("Values", .array(values.map { .string($0) }))])
            return Self.ids(
                client.tencent("DescribeInstances", .object([("Filters", .array([filter]))])),
                ["InstanceSet"],
                "InstanceId"
            )
        }
        #expect(listed(name, [value]) == (name == "project-id" ? [one, other] : [one]))
        #expect(listed("uuid", [Emulator.serialNumber(of: other)]) == [other])
        let created = client.tencentInstance(one)?["CreatedTime"]?.text ?? ""
        #expect(listed("creation-start-time", [created]) == [one, other])
        #expect(listed("host-id", ["host-1"]).isEmpty)
        let bad = client.tencent(
            "DescribeInstances",
            .object([("Filters", .array([.object([("Name", "not-a-filter"), ("Values", .array(["x"]))])]))])
        )
        #expect(bad.code == "InvalidFilter")
    }

    @Test("the status calls count toward --settle-after-describes, so a waiter polling only them sees Running")
    func statusCallsSettle() {
        // Two listings to settle: the first shows Pending, the second (of any of these calls) Running.
        let client = TestClient { $0.settleAfterDescribes = 2 }
        let ecs = client.runAliyun()
        let ecsStatus = {
            client.aliyun("DescribeInstanceStatus", ["RegionId": "cn-hangzhou"])["InstanceStatuses"]?["InstanceStatus"]?
                .first?["Status"]?.text
        }
        #expect(ecsStatus() == "Pending")
        #expect(client.aliyun("DescribeInstanceAttribute", ["InstanceId": ecs])["Status"]?.text == "Running")
        let cvm = client.runTencent()
        let status = { client.tencent("DescribeInstancesStatus")["InstanceStatusSet"]?.first?["InstanceState"]?.text }
        #expect(status() == "PENDING")
        #expect(status() == "RUNNING")
        #expect(client.tencentInstance(cvm)?["InstanceState"]?.text == "RUNNING")
    }

    @Test("DescribeInstanceAttribute writes IoOptimized as text; UniqueSuffix numbers host names too")
    func attributeShapes() {
        let client = TestClient()
        let launched = client.aliyun(
            "RunInstances",
            ["ImageId": "img", "Amount": "2", "HostName": "node", "UniqueSuffix": "true", "IoOptimized": "none"]
        )
        let ids = launched["InstanceIdSets"]?["InstanceIdSet"]
        guard case .array(let list)? = ids, list.count == 2 else {
            Issue.record("\(launched.json.serialized)")
            return
        }
        let attribute = client.aliyun("DescribeInstanceAttribute", ["InstanceId": list[1].text ?? ""])
        #expect(attribute["IoOptimized"] == .string("none"))
        #expect(attribute["HostName"]?.text == "node002")
    }

    @Test("VPC DescribeAddresses refuses bad filters with VPC's own codes; CBS with its own")
    func filterCodesPerService() {
        let client = TestClient()
        let unknown = JSONValue.object([("Filters", .array([.object([("Name", "nope"), ("Values", .array(["x"]))])]))])
        #expect(client.tencent("DescribeAddresses", unknown).code == "InvalidParameter.FilterInvalidKey")
        #expect(client.tencent("DescribeDisks", unknown).code == "InvalidFilter")
        let both = JSONValue.object([
            ("AddressIds", .array(["eip-1"])),
            ("Filters", .array([.object([("Name", "address-type"), ("Values", .array(["EIP"]))])])),
        ])
        #expect(client.tencent("DescribeAddresses", both).code == "InvalidParameter.Coexist")
    }

    @Test(
        "CBS DescribeDisks: a prepaid instance's disk is PREPAID while attached; kept on its own it bills by the hour"
    )
    func prepaidDiskKeptBillsByTheHour() {
        let client = TestClient()
        let id = client.runTencent([
            ("InstanceChargeType", "PREPAID"), ("InstanceChargePrepaid", .object([("Period", .int(1))])),
            ("DataDisks", .array([.object([("DeleteWithInstance", .bool(false))])])),
        ])
        let attached = client.tencent("DescribeDisks")["DiskSet"]
        #expect(Self.item(attached, 1)?["DiskChargeType"] == .string("PREPAID"))
        #expect(client.tencent("TerminateInstances", .object([("InstanceIds", .array([.string(id)]))])).code == nil)
        // Through the recycle bin to the release: whatever the bin keeps a prepaid instance, a week is past it.
        _ = client.advance(8 * 86_400)
        let kept = client.tencent("DescribeDisks")["DiskSet"]
        #expect(Self.item(kept, 0)?["DiskState"] == .string("UNATTACHED"))
        #expect(Self.item(kept, 0)?["DiskChargeType"] == .string("POSTPAID_BY_HOUR"))
    }

    @Test(
        "ECS DescribeDisks: a subscription's disk is PrePaid while attached; kept after the release it is billed PostPaid (AD1)"
    )
    func subscriptionDiskKeptBillsByUse() {
        let client = TestClient()
        let id = client.runAliyun([
            "InstanceChargeType": "PrePaid", "Period": "1", "DataDisk.1.DeleteWithInstance": "false",
        ])
        let attached = client.aliyun("DescribeDisks", ["RegionId": "cn-hangzhou", "InstanceId": id])
        #expect(Self.ids(attached, ["Disks", "Disk"], "DiskChargeType") == ["PrePaid", "PrePaid"])
        // A subscription is not released by hand (AD1); it expires after its month and is released on the
        // provider's clock after that. Half a year is past every such deadline.
        _ = client.advance(180 * 86_400)
        #expect(client.aliyun("DescribeInstances", ["RegionId": "cn-hangzhou"])["TotalCount"] == .int(0))
        let kept = client.aliyun("DescribeDisks", ["RegionId": "cn-hangzhou"])
        #expect(Self.ids(kept, ["Disks", "Disk"], "Status") == ["Available"])
        #expect(Self.ids(kept, ["Disks", "Disk"], "DiskChargeType") == ["PostPaid"])
    }

    @Test(
        "CBS DescribeDisks: under each profile, a kept disk shows the fate its profile gives it (TD4: TORECYCLE in 2025)",
        arguments: ["tencent", "tencent@2025"]
    )
    func keptDiskUnderEachProfile(profile: String) throws {
        let model = try #require(ProviderModel(parsing: profile))
        let client = TestClient { $0.models[.tencent] = model }
        let id = client.runTencent([("DataDisks", .array([.object([("DeleteWithInstance", .bool(false))])]))])
        #expect(client.tencent("TerminateInstances", .object([("InstanceIds", .array([.string(id)]))])).code == nil)
        _ = client.advance(8 * 86_400)
        let record = try #require(client.emulator.records[id])
        let fate = client.emulator.machine(record).resourceFates.first { $0.resource == .disk(1) }?.fate
        let expected: String
        switch fate {
        case .retained?: expected = "UNATTACHED"
        case .movedToDiskRecycleBin?: expected = "TORECYCLE"
        case .released?, nil: expected = "(gone)"
        }
        let shown = Self.item(client.tencent("DescribeDisks")["DiskSet"], 0)?["DiskState"]?.text ?? "(gone)"
        #expect(shown == expected, "\(profile): \(String(describing: fate))")
        #expect(model.usesNewerProfile ? expected == "TORECYCLE" : expected == "UNATTACHED")
    }

    @Test(
        "VPC DescribeAddresses: an EIP is BIND to its instance while it lives, UNBIND once kept after the release (TD1)"
    )
    func tencentAddressStatus() {
        let client = TestClient()
        let seeded = client.control(
            "POST",
            "instances",
            .object([
                ("provider", "tencent"), ("account", "alice"), ("region", "ap-guangzhou"), ("id", "ins-eip00001"),
                ("address", "eip"),
            ])
        )
        #expect(seeded.status == 200, "\(seeded.json.serialized)")
        let filter = JSONValue.object([
            ("Filters", .array([.object([("Name", "address-type"), ("Values", .array(["EIP"]))])]))
        ])
        let living = client.tencent("DescribeAddresses", filter)["AddressSet"]?.first
        #expect(living?["AddressStatus"]?.text == "BIND")
        #expect(living?["InstanceId"]?.text == "ins-eip00001")
        let ids = JSONValue.object([("InstanceIds", [.string("ins-eip00001")])])
        #expect(client.tencent("TerminateInstances", ids).code == nil)
        _ = client.advance(3 * 3_600)  // past the recycle bin's 2 h (T2): released, the EIP kept
        let kept = client.tencent("DescribeAddresses", filter)["AddressSet"]?.first
        #expect(kept?["AddressStatus"]?.text == "UNBIND", "\(kept?.serialized ?? "none")")
        #expect(kept?["InstanceId"]?.text == "")
    }

    @Test("every resource listing of both providers, instances included, shows only the caller's account's resources")
    func listingsAreIsolatedByAccount() {
        let client = TestClient()
        for provider in ["aliyun", "tencent"] {
            let seeded = client.control(
                "POST",
                "instances",
                .object([
                    ("provider", .string(provider)), ("account", "alice"),
                    ("region", .string(provider == "aliyun" ? "cn-hangzhou" : "ap-guangzhou")),
                    ("id", .string(provider == "aliyun" ? "i-iso00001" : "ins-iso00001")), ("address", "eip"),
                    ("snapshots", .array(["manual"])),
                    ("dataDisks", .array([.object([("deleteWithInstance", .bool(false))])])),
                ])
            )
            #expect(seeded.status == 200, "\(seeded.json.serialized)")
        }
        let aliyun: [(String, [String])] = [
            ("DescribeDisks", ["Disks", "Disk"]), ("DescribeSnapshots", ["Snapshots", "Snapshot"]),
            ("DescribeEipAddresses", ["EipAddresses", "EipAddress"]),
        ]
        for (action, path) in aliyun {
            let own = client.aliyun(action, ["RegionId": "cn-hangzhou"])
            let other = client.aliyun(action, ["RegionId": "cn-hangzhou"], key: .bob)
            #expect(!Self.ids(own, path, "RegionId").isEmpty, "\(action)")
            #expect(Self.ids(other, path, "RegionId").isEmpty, "\(action): \(other.json.serialized)")
        }
        let filter = JSONValue.object([
            ("Filters", .array([.object([("Name", "address-type"), ("Values", .array(["EIP", "WAN_IP"]))])]))
        ])
        for (action, set, body) in [
            ("DescribeDisks", "DiskSet", JSONValue.object([])), ("DescribeAddresses", "AddressSet", filter),
            ("DescribeInstances", "InstanceSet", JSONValue.object([])),
            ("DescribeInstances", "InstanceSet", JSONValue.object([("InstanceIds", .array(["ins-iso00001"]))])),
        ] {
            let own = client.tencent(action, body)
            let other = client.send(client.tencentRequest(action, body, key: .bob))
            #expect(own[set] != .array([]), "\(action)")
            #expect(other[set] == .array([]), "\(action): \(other.json.serialized)")
        }
    }
}
