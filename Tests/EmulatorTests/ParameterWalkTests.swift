import EmulatorFrontEnds
import Foundation
import ReleaseCore
import Reporting
import Testing

@testable import AliyunECSWire
@testable import EmulatorCore
@testable import TencentCVMWire

/// Every documented parameter of every served action is honoured or refused naming it, never ignored (issue 21:
/// an ignored `InstanceName` made Ansible's delete-by-name delete a whole region). The lists are
/// each front end's generated table (`ECSDocumentedParameters`, `CVMDocumentedParameters`) (generated from the SDKs' request models); Docs/EmulatorParameters.md is rendered
/// from the same data and checked here.
@Suite("Documented parameters: honoured or refused")
struct ParameterWalkTests {
    /// A wire name for a documented pattern: each `N` list index becomes 1 (ECS) or 0 (CVM).
    static func wireName(_ pattern: String, index: String) -> String {
        pattern.split(separator: ".").map { $0 == "N" ? index : String($0) }.joined(separator: ".")
    }

    static func isEM8(_ answer: TestClient.Answer) -> Bool {
        answer.response.header("X-CloudRelease-Rules")?.split(separator: ",").contains("EM8") == true
    }

    @Test("ECS: every documented parameter of every action is honoured or refused (EM8) naming it")
    func ecs() {
        let client = TestClient()
        let id = client.runAliyun()
        var walked = 0
        for action in Emulator.AliyunAction.allCases {
            for pattern in ECSDocumentedParameters.actions[action.rawValue] ?? [] where pattern != "RegionId" {
                let name = Self.wireName(pattern, index: "1")
                let documented = ECSDocumentedParameters.actions[action.rawValue] ?? []
                var parameters = [name: "1"]
                if documented.contains("InstanceId"), name != "InstanceId" { parameters["InstanceId"] = id }
                let answer = client.aliyun(action.rawValue, parameters)
                walked += 1
                let refusedAsUnmodelled =
                    answer.code == "UnsupportedParameter" && answer.json["Message"]?.text?.contains(name) == true
                if action.honoured.contains(pattern) {
                    #expect(!refusedAsUnmodelled, "\(action.rawValue) \(name) is declared honoured but refused")
                } else {
                    #expect(Self.isEM8(answer), "\(action.rawValue) \(name) was not refused: \(answer.json.serialized)")
                    #expect(answer.code == "UnsupportedParameter")
                    #expect(answer.json["Message"]?.text?.contains(name) == true)
                }
            }
            // A name the action does not document is accepted and ignored, as ECS does (EM12), and said so.
            let unknown = client.aliyun(action.rawValue, ["NotAParameter": "1", "on": action.rawValue])
            #expect(unknown.code != "UnsupportedParameter", "\(action.rawValue): \(unknown.json.serialized)")
            #expect(unknown.response.header("X-CloudRelease-Ignored") == "NotAParameter,on")
        }
        #expect(walked > 300)
    }

    @Test("CVM: every documented parameter of every action is honoured or refused (EM8) naming it")
    func cvm() {
        let client = TestClient()
        let id = client.runTencent()
        var walked = 0
        for action in Emulator.TencentAction.allCases {
            for pattern in action.documented ?? [] {
                let name = Self.wireName(pattern, index: "0")
                let documented = action.documented ?? []
                var flat = [(name: name, value: "1")]
                if documented.contains("InstanceIds.N"), !pattern.hasPrefix("InstanceIds.") {
                    flat.insert((name: "InstanceIds.0", value: id), at: 0)
                }
                // The nested JSON the flat names describe, with string leaves.
                let folded = (try? TencentParameters(flat: flat).root) ?? .null
                let answer = client.tencent(action.rawValue, folded)
                walked += 1
                let refusedAsUnmodelled =
                    answer.code == "UnsupportedOperation"
                    && answer.json["Response"]?["Error"]?["Message"]?.text?
                        .contains(name) == true
                if action.honoured.contains(pattern) {
                    #expect(!refusedAsUnmodelled, "\(action.rawValue) \(name) is declared honoured but refused")
                } else {
                    #expect(Self.isEM8(answer), "\(action.rawValue) \(name) was not refused: \(answer.json.serialized)")
                    #expect(answer.code == "UnsupportedOperation")
                }
            }
            var request = client.tencentRequest(action.rawValue, .object([("NotAParameter", "1")]))
            request.headers = request.headers.map { $0.name == "X-TC-Version" ? ($0.name, action.version) : $0 }
            let unknown = client.send(request)
            #expect(unknown.code == "UnknownParameter")
        }
        #expect(walked > 100)
    }

    @Test("every honoured parameter is documented for its action (no invented names)")
    func honouredAreDocumented() {
        for action in Emulator.AliyunAction.allCases {
            let documented = Set(ECSDocumentedParameters.actions[action.rawValue] ?? [])
            #expect(action.honoured.subtracting(documented).isEmpty, "\(action.rawValue)")
        }
        for action in Emulator.TencentAction.allCases {
            let documented = Set(action.documented ?? [])
            #expect(action.honoured.subtracting(documented).isEmpty, "\(action.rawValue)")
        }
    }

    @Test("Docs/EmulatorParameters.md is rendered from the same tables (CLOUDRELEASE_UPDATE_DOCS=1 rewrites it)")
    func document() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/EmulatorParameters.md")
        let rendered = Emulator.parameterDocument(frontEnds: EmulatorFrontEnds.registered)
        if ProcessInfo.processInfo.environment["CLOUDRELEASE_UPDATE_DOCS"] == "1" {
            try rendered.write(to: path, atomically: true, encoding: .utf8)
        }
        #expect(try String(contentsOf: path, encoding: .utf8) == rendered)
    }

    // MARK: Filters that used to be ignored

    @Test("ECS DescribeInstances by InstanceName lists only the named instances (Ansible's delete-by-name)")
    func describeByName() {
        let client = TestClient()
        let named = (0..<2).map { _ in client.runAliyun(["InstanceName": "web-x"]) }
        for index in 0..<6 { _ = client.runAliyun(["InstanceName": "other-\(index)"]) }
        let answer = client.aliyun("DescribeInstances", ["InstanceName": "web-x", "PageSize": "100"])
        let listed = answer["Instances"]?["Instance"].map { instances -> [String] in
            guard case .array(let entries) = instances else { return [] }
            return entries.compactMap { $0["InstanceId"]?.text }
        }
        #expect(listed == named)
        #expect(answer["TotalCount"] == .int(2))
        let wildcard = client.aliyun("DescribeInstances", ["InstanceName": "other-*", "PageSize": "100"])
        #expect(wildcard["TotalCount"] == .int(6))
    }

    /// Every page of an ECS listing read by MaxResults/NextToken until a page's NextToken is empty: the ids seen
    /// and the number of pages.
    static func pageThrough(
        _ client: TestClient,
        _ action: String,
        _ path: (String, String),
        _ idField: String,
        _ pageSize: Int
    ) -> (seen: [String], pages: Int) {
        var seen: [String] = []
        var pages = 0
        var token: String? = nil
        for _ in 0..<20 {
            var parameters = ["MaxResults": "\(pageSize)", "RegionId": "cn-hangzhou"]
            if let token { parameters["NextToken"] = token }
            let page = client.aliyun(action, parameters)
            guard case .array(let entries)? = page[path.0]?[path.1] else { break }
            pages += 1
            seen += entries.compactMap { $0[idField]?.text }
            token = page["NextToken"]?.text
            if token?.isEmpty ?? true { break }
        }
        return (seen, pages)
    }

    @Test(
        "ECS DescribeInstances pages by MaxResults/NextToken through every match once, the last page with an empty NextToken, for any count and page size",
        arguments: [1, 2, 3, 4]
    )
    func tokenPaging(pageSize: Int) {
        for count in 1...7 {
            let client = TestClient()
            let all = (0..<count).map { _ in client.runAliyun() }
            let (seen, pages) = Self.pageThrough(
                client,
                "DescribeInstances",
                ("Instances", "Instance"),
                "InstanceId",
                pageSize
            )
            #expect(seen == all, "\(count) by \(pageSize)")
            // No empty page after the last match: the page that ends the list says so.
            #expect(pages == (count + pageSize - 1) / pageSize, "\(count) by \(pageSize)")
        }
    }

    /// The page a listing of `all` should answer: `size` entries from `first`, fewer at the end, none past it.
    static func window(of all: [String], from first: Int, size: Int) -> [String] {
        first >= all.count ? [] : Array(all[first..<min(all.count, first + size)])
    }

    @Test(
        "CVM DescribeInstances returns Limit instances (20 when absent) from Offset: every match once, for any count, offset and limit",
        arguments: [nil, 1, 3, 100] as [Int?]
    )
    func offsetPaging(limit: Int?) {
        let client = TestClient()
        let all = (0..<23).map { _ in client.runTencent() }
        let size = limit ?? 20
        for offset in [0, 1, 5, 20, 22, 23, 30] {
            var body: [(String, JSONValue)] = [("Offset", .int(Int64(offset)))]
            if let limit { body.append(("Limit", .int(Int64(limit)))) }
            let page = client.tencent("DescribeInstances", .object(body))
            let ids = page["InstanceSet"].map { set -> [String] in
                guard case .array(let entries) = set else { return [] }
                return entries.compactMap { $0["InstanceId"]?.text }
            }
            let expected = Self.window(of: all, from: offset, size: size)
            #expect(ids == expected, "offset \(offset), limit \(limit.map(String.init) ?? "absent")")
            #expect(page["TotalCount"] == .int(Int64(all.count)))
        }
    }

    @Test(
        "ECS DescribeInstances returns page PageNumber of PageSize instances (10 when absent): every match once, for any page",
        arguments: [nil, 1, 3, 100] as [Int?]
    )
    func pageNumberPaging(pageSize: Int?) {
        let client = TestClient()
        let all = (0..<23).map { _ in client.runAliyun() }
        let size = pageSize ?? 10
        for number in [1, 2, 3, 4, 24] {
            var parameters = ["PageNumber": "\(number)"]
            if let pageSize { parameters["PageSize"] = "\(pageSize)" }
            let page = client.aliyun("DescribeInstances", parameters)
            var ids: [String] = []
            if case .array(let entries)? = page["Instances"]?["Instance"] {
                ids = entries.compactMap { $0["InstanceId"]?.text }
            }
            let expected = Self.window(of: all, from: (number - 1) * size, size: size)
            #expect(ids == expected, "page \(number), size \(pageSize.map(String.init) ?? "absent")")
            #expect(page["TotalCount"] == .int(Int64(all.count)))
        }
    }

    @Test(
        "ECS DescribeDisks pages by MaxResults/NextToken through every disk once, the last page with an empty NextToken, for any count and page size",
        arguments: [1, 2, 3]
    )
    func diskTokenPaging(pageSize: Int) {
        for count in 1...5 {
            let client = TestClient()
            for _ in 0..<count { _ = client.runAliyun() }
            let (seen, pages) = Self.pageThrough(client, "DescribeDisks", ("Disks", "Disk"), "DiskId", pageSize)
            #expect(seen.count == count && Set(seen).count == count, "\(count) by \(pageSize): \(seen)")
            #expect(pages == (count + pageSize - 1) / pageSize, "\(count) by \(pageSize)")
        }
    }

    @Test("ECS Description and HostName are shown back after RunInstances and ModifyInstanceAttribute")
    func descriptionAndHostName() {
        let client = TestClient()
        let id = client.runAliyun(["Description": "first", "HostName": "web-1"])
        func shown() -> (String?, String?) {
            let instance = client.aliyun("DescribeInstances", ["InstanceIds": "[\"\(id)\"]"])["Instances"]?["Instance"]?
                .first
            return (instance?["Description"]?.text, instance?["HostName"]?.text)
        }
        #expect(shown() == ("first", "web-1"))
        #expect(client.aliyun("ModifyInstanceAttribute", ["InstanceId": id, "Description": "second"]).status == 200)
        #expect(shown() == ("second", "web-1"))
    }

    @Test(
        "CVM numbers a batch's names as RunInstances documents ({R:x}, else suffixes 1…n; default 未命名)",
        arguments: [
            ("web-", 3, ["web-1", "web-2", "web-3"]), ("server_{R:3}", 2, ["server_3", "server_4"]),
            ("server_{R:3}", 1, ["server_3"]), ("solo", 1, ["solo"]), ("a{R:9}b{R:0}", 2, ["a9b0", "a10b1"]),
        ]
    )
    func tencentNames(name: String, count: Int, expected: [String]) {
        let client = TestClient()
        let ids = client.tencent(
            "RunInstances",
            .object([("InstanceName", .string(name)), ("InstanceCount", .int(Int64(count)))])
        )[
            "InstanceIdSet"
        ]
        guard case .array(let list)? = ids else {
            Issue.record("no instances")
            return
        }
        let names = list.compactMap { $0.text }.map { client.tencentInstance($0)?["InstanceName"]?.text ?? "" }
        #expect(names == expected)
        let unnamed = client.runTencent()
        #expect(client.tencentInstance(unnamed)?["InstanceName"]?.text == "未命名")
    }

    @Test(
        "ECS names a batch in the sorting format name_prefix[begin,bits]name_suffix, else gives each the name",
        arguments: [
            ("node-[1,4]-x", 3, ["node-0001-x", "node-0002-x", "node-0003-x"]), ("web", 2, ["web", "web"]),
            ("db[98,2]", 3, ["db98", "db99", "db100"]),
        ]
    )
    func aliyunNames(name: String, count: Int, expected: [String]) {
        let client = TestClient()
        let answer = client.aliyun("RunInstances", ["ImageId": "img", "InstanceName": name, "Amount": String(count)])
        guard case .array(let list)? = answer["InstanceIdSets"]?["InstanceIdSet"] else {
            Issue.record("no instances: \(answer.json.serialized)")
            return
        }
        let names = list.compactMap { $0.text }.map { id in
            client.aliyun("DescribeInstances", ["InstanceIds": "[\"\(id)\"]"])["Instances"]?["Instance"]?.first?[
                "InstanceName"
            ]?.text ?? ""
        }
        #expect(names == expected)
    }

    @Test("an unknown CVM Version is API 3.0's NoSuchVersion")
    func noSuchVersion() {
        let client = TestClient()
        var request = client.tencentRequest("DescribeInstances", .object([]))
        request.headers = request.headers.map { $0.name == "X-TC-Version" ? ($0.name, "2099-01-01") : $0 }
        #expect(client.send(request).code == "NoSuchVersion")
    }

    @Test(
        "ECS tags: kept at launch, shown, filtered in DescribeInstances, set, listed and removed through the Tag actions"
    )
    func aliyunTags() {
        let client = TestClient()
        let web = client.runAliyun([
            "Tag.1.Key": "team", "Tag.1.Value": "web", "Tag.2.Key": "env", "Tag.2.Value": "prod",
        ])
        let db = client.runAliyun(["Tag.1.Key": "team", "Tag.1.Value": "db"])
        func listed(_ parameters: [String: String]) -> [String] {
            guard case .array(let entries)? = client.aliyun("DescribeInstances", parameters)["Instances"]?["Instance"]
            else {
                return []
            }
            return entries.compactMap { $0["InstanceId"]?.text }
        }
        #expect(listed(["Tag.1.Key": "team"]) == [web, db])
        #expect(listed(["Tag.1.Key": "team", "Tag.1.Value": "web"]) == [web])
        #expect(listed(["Tag.1.Key": "env", "Tag.2.Key": "team", "Tag.2.Value": "db"]) == [])
        let shown = client.aliyun("DescribeInstances", ["InstanceIds": "[\"\(web)\"]"])["Instances"]?["Instance"]?.first
        #expect(shown?["Tags"]?["Tag"]?.count == 2)
        let tag = client.aliyun(
            "TagResources",
            ["ResourceType": "instance", "ResourceId.1": db, "Tag.1.Key": "mark", "Tag.1.Value": "stop@2026-02-01"]
        )
        #expect(tag.status == 200)
        #expect(listed(["Tag.1.Key": "mark"]) == [db])
        let list = client.aliyun("ListTagResources", ["ResourceType": "instance", "Tag.1.Key": "mark"])
        #expect(list["TagResources"]?["TagResource"]?.count == 2)
        // Named instances are listed in the order named, as the request gave them; unnamed ones in creation order.
        func tagged(_ parameters: [String: String]) -> [String] {
            guard
                case .array(let entries)? = client.aliyun(
                    "ListTagResources",
                    parameters.merging(["ResourceType": "instance"]) { mine, _ in mine }
                )["TagResources"]?["TagResource"]
            else { return [] }
            // One entry per tag: each instance once, in the order of its first entry.
            var ids: [String] = []
            for id in entries.compactMap({ $0["ResourceId"]?.text }) where !ids.contains(id) { ids.append(id) }
            return ids
        }
        #expect(tagged(["ResourceId.1": db, "ResourceId.2": web, "Tag.1.Key": "team"]) == [db, web])
        #expect(tagged(["Tag.1.Key": "team"]) == [web, db])
        #expect(
            client.aliyun("UntagResources", ["ResourceType": "instance", "ResourceId.1": db, "TagKey.1": "mark"]).status
                == 200
        )
        #expect(listed(["Tag.1.Key": "mark"]) == [])
        #expect(
            client.aliyun("TagResources", ["ResourceType": "disk", "ResourceId.1": db, "Tag.1.Key": "k"]).code
                == "InvalidResourceType.NotSupported"
        )
        #expect(
            client.aliyun("TagResources", ["ResourceType": "instance", "ResourceId.1": db, "Tag.1.Key": "acs:x"]).code
                == "InvalidTagKey.Malformed"
        )
        // Another account's instance is not found, and its tags are not listed.
        #expect(
            client.aliyun(
                "TagResources",
                ["ResourceType": "instance", "ResourceId.1": db, "Tag.1.Key": "k"],
                key: .bob
            ).code == "InvalidInstanceId.NotFound"
        )
        #expect(
            client.aliyun("ListTagResources", ["ResourceType": "instance"], key: .bob)["TagResources"]?["TagResource"]?
                .count == 0
        )
    }

    @Test("CVM tags: TagSpecification at launch, shown, and the tag-key, tag-value and tag:KEY filters")
    func tencentTags() {
        let client = TestClient()
        func spec(_ tags: [(String, String)]) -> JSONValue {
            [
                .object([
                    ("ResourceType", "instance"),
                    ("Tags", .array(tags.map { .object([("Key", .string($0.0)), ("Value", .string($0.1))]) })),
                ])
            ]
        }
        let web = client.runTencent([("TagSpecification", spec([("team", "web")]))])
        let db = client.runTencent([("TagSpecification", spec([("team", "db"), ("env", "prod")]))])
        func listed(_ name: String, _ values: [String]) -> [String] {
            let answer = client.tencent(
                "DescribeInstances",
                .object([
                    ("Filters", [.object([("Name", .string(name)), ("Values", .array(values.map { .string($0) }))])])
                ])
            )
            guard case .array(let entries)? = answer["InstanceSet"] else { return [] }
            return entries.compactMap { $0["InstanceId"]?.text }
        }
        #expect(listed("tag-key", ["team"]) == [web, db])
        #expect(listed("tag-key", ["env"]) == [db])
        #expect(listed("tag-value", ["web"]) == [web])
        #expect(listed("tag:team", ["db"]) == [db])
        #expect(client.tencentInstance(db)?["Tags"]?.count == 2)
        let disk = client.tencent(
            "RunInstances",
            .object([("TagSpecification", [.object([("ResourceType", "disk"), ("Tags", [])])])])
        )
        #expect(disk.code == "UnsupportedOperation")
    }

    @Test("STS GetCallerIdentity (2018-08-13) names the key's account; it is not a CVM 2017-03-12 action")
    func callerIdentity() {
        let client = TestClient()
        var request = client.tencentRequest("GetCallerIdentity", .object([]))
        request.headers = request.headers.map { $0.name == "X-TC-Version" ? ($0.name, "2018-08-13") : $0 }
        let answer = client.send(request)
        #expect(answer.code == nil)
        #expect(answer["AccountId"]?.text == "alice")
        #expect(answer["Arn"]?.text == "qcs::cam::uin/alice:uin/alice")
        var underCVM = client.tencentRequest("GetCallerIdentity", .object([]))
        underCVM.headers = underCVM.headers.map { $0.name == "X-TC-Version" ? ($0.name, "2017-03-12") : $0 }
        #expect(client.send(underCVM).code == "InvalidAction")
        var cvmAction = client.tencentRequest("DescribeInstances", .object([]))
        cvmAction.headers = cvmAction.headers.map { $0.name == "X-TC-Version" ? ($0.name, "2018-08-13") : $0 }
        #expect(client.send(cvmAction).code == "InvalidAction")
    }
}
