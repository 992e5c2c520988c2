package import EmulatorCore
import Foundation
package import ReleaseCore
package import Reporting

/// What the generator knows of the emulator it drives: the instances it can name, read from the control
/// plane's snapshot (so the generator needs no access to the emulator's insides).
package struct KnownState {
    package var aliyunIDs: [String] = []
    package var tencentIDs: [String] = []
    package var now: Instant

    package init(snapshot: JSONValue) {
        now = snapshot["now"]?.text.flatMap { Instant(iso8601: $0) } ?? Instant(secondsSince1970: 0)
        guard case .array(let instances)? = snapshot["instances"] else { return }
        for instance in instances {
            guard let id = instance["instance"]?.text else { continue }
            if instance["provider"]?.text == "aliyun" { aliyunIDs.append(id) } else { tencentIDs.append(id) }
        }
    }
}

/// Seeded requests for every ECS and CVM action the emulator serves and for its control plane: mostly valid,
/// with the extreme values each parameter allows, and a share mutated in the ways a careless or hostile client
/// sends (wrong types, huge or empty values, names repeated or nested thousands deep, other methods, broken
/// encodings). The same seed gives the same requests against the same states.
package struct RequestGenerator {
    private var random: SplitMix64
    private var nonce = 0
    /// The keys requests are signed with: two accounts, each with an ECS and a CVM key.
    package let aliyunKeys: [RequestSigner.Key]
    package let tencentKeys: [RequestSigner.Key]

    package init(seed: UInt64, aliyunKeys: [RequestSigner.Key], tencentKeys: [RequestSigner.Key]) {
        random = SplitMix64(seed: seed)
        self.aliyunKeys = aliyunKeys
        self.tencentKeys = tencentKeys
    }

    // MARK: Random choices

    private mutating func below(_ bound: Int) -> Int { Int(random.next() % UInt64(max(bound, 1))) }
    private mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    private mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }

    /// A known id, sometimes an unknown or malformed one.
    private mutating func id(_ known: [String], prefix: String) -> String {
        if known.isEmpty || chance(10) {
            return pick([prefix + "missing0", "", "i-" + String(repeating: "9", count: 70)])
        }
        return pick(known)
    }

    private mutating func ids(_ known: [String], prefix: String) -> [String] {
        var result = (0..<(1 + below(3))).map { _ in id(known, prefix: prefix) }
        if chance(5) { result.append(result[0]) }
        return result
    }

    /// A time for an automatic release: inside the window, at its edges, or out of range.
    private mutating func time(after now: Instant, secondPrecise: Bool) -> String {
        let offsets: [Int64] = [-3_600, 0, 1_799, 1_800, 1_860, 7_200, 86_400 * 30, 94_608_000, 94_608_060]
        var instant = now + Seconds(pick(offsets) + (secondPrecise ? Int64(below(60)) : 0))
        if chance(5) { instant = Instant(secondsSince1970: 253_402_300_799) }
        let text = instant.iso8601
        if chance(10) { return pick(["9999-12-31T23:59:59-08:00", "2026-02-30T00:00:00Z", "soon", ""]) }
        return secondPrecise || chance(20) ? text : String(text.prefix(16)) + "Z"
    }

    private mutating func name(maximumBytes: Int) -> String {
        switch below(6) {
        case 0: return "web-" + String(below(1_000))
        case 1: return String(repeating: "名", count: maximumBytes / 3)
        case 2: return String(repeating: "n", count: maximumBytes)
        case 3: return String(repeating: "n", count: maximumBytes + 1)
        case 4: return "x"
        default: return "a,b;\"c\"\n"
        }
    }

    private mutating func boolText() -> String { pick(["true", "false", "True", "False", "maybe", ""]) }

    private mutating func nextNonce() -> String {
        nonce += 1
        return "fuzz-nonce-\(nonce)"
    }

    // MARK: Requests

    /// The next request against `known`, signed at `wallClock`; with `mutate`, a share of them changed after
    /// signing (for an emulator that accepts any key, so the changed request still reaches its action).
    package mutating func next(_ known: KnownState, wallClock: Instant, mutate: Bool) -> RawRequest {
        var request: RawRequest
        switch below(10) {
        case 0...3: request = aliyun(known, wallClock: wallClock)
        case 4...7: request = tencent(known, wallClock: wallClock)
        default: request = control(known)
        }
        if mutate, chance(35) { request = mutated(request) }
        return request
    }

    private mutating func aliyun(_ known: KnownState, wallClock: Instant) -> RawRequest {
        let ids = known.aliyunIDs
        var parameters: [String: String] = [:]
        let action: String
        switch below(17) {
        case 0, 1, 2:
            action = pick(["RunInstances", "CreateInstance"])
            parameters["ImageId"] = pick(["ubuntu_22_04_x64_20G_alibase", "img", String(repeating: "i", count: 65)])
            if chance(50) { parameters["Amount"] = String(pick([1, 2, 3, 0, 101])) }
            if chance(30) {
                parameters["InstanceChargeType"] = pick(["PrePaid", "PostPaid", "Prepaid"])
                parameters["Period"] = String(pick([1, 12, 60, 61]))
                parameters["PeriodUnit"] = pick(["Month", "Year", "Week"])
            }
            if chance(30) { parameters["SpotStrategy"] = pick(["SpotAsPriceGo", "NoSpot", "SpotWithPriceLimit"]) }
            if chance(30) { parameters["DeletionProtection"] = boolText() }
            if chance(30) { parameters["AutoReleaseTime"] = time(after: known.now, secondPrecise: false) }
            if chance(30) {
                for index in 1...pick([1, 2, 16, 17]) {
                    parameters["DataDisk.\(index).Size"] = "20"
                    if chance(50) { parameters["DataDisk.\(index).DeleteWithInstance"] = boolText() }
                    if chance(30) { parameters["DataDisk.\(index).Category"] = pick(["cloud_essd", "ephemeral_ssd"]) }
                }
            }
            if chance(30) { parameters["InternetMaxBandwidthOut"] = String(pick([0, 1, 100, -1, 100_001])) }
            if chance(30) { parameters["InstanceName"] = name(maximumBytes: 128) }
            if chance(20) {
                parameters["ClientToken"] = pick(["token-1", "token-2", String(repeating: "t", count: 65)])
            }
            if chance(10) { parameters["DryRun"] = boolText() }
            if chance(25) {
                for index in 1...pick([1, 2, 20, 21]) {
                    parameters["Tag.\(index).Key"] = pick(["team", "env", "acs:x", "k\(index)", ""])
                    if chance(70) { parameters["Tag.\(index).Value"] = pick(["web", "", "v\(index)"]) }
                }
            }
        case 3, 4:
            action = "DescribeInstances"
            if chance(20) { parameters["Tag.1.Key"] = pick(["team", "env"]) }
            if chance(50) {
                let listed = self.ids(ids, prefix: "i-")
                parameters["InstanceIds"] = JSONValue.array(listed.map { .string($0) }).serialized
            }
            if chance(20) { parameters["Status"] = pick(["Running", "Stopped", "Pending"]) }
            if chance(20) { parameters["PageSize"] = String(pick([1, 10, 100, 101])) }
            if chance(20) { parameters["PageNumber"] = String(pick([1, 2, 1_000_000])) }
        case 5, 6:
            action = pick(["StopInstance", "StartInstance"])
            parameters["InstanceId"] = id(ids, prefix: "i-")
            if chance(30) { parameters["ForceStop"] = boolText() }
            if chance(30) { parameters["StoppedMode"] = pick(["KeepCharging", "StopCharging", "Sleep"]) }
            if chance(10) { parameters["DryRun"] = boolText() }
        case 7:
            action = pick(["StopInstances", "StartInstances"])
            for (index, instance) in self.ids(ids, prefix: "i-").enumerated() {
                parameters["InstanceId.\(index + 1)"] = instance
            }
            if chance(50) { parameters["BatchOptimization"] = pick(["AllTogether", "SuccessFirst"]) }
        case 8, 9:
            action = "DeleteInstance"
            parameters["InstanceId"] = id(ids, prefix: "i-")
            if chance(50) { parameters["Force"] = boolText() }
            if chance(20) { parameters["TerminateSubscription"] = boolText() }
        case 10:
            action = "DeleteInstances"
            for (index, instance) in self.ids(ids, prefix: "i-").enumerated() {
                parameters["InstanceId.\(index + 1)"] = instance
            }
            if chance(50) { parameters["Force"] = boolText() }
            if chance(20) { parameters["ClientToken"] = "delete-token" }
        case 11, 12:
            action = "ModifyInstanceAutoReleaseTime"
            parameters["InstanceId"] = id(ids, prefix: "i-")
            if chance(80) { parameters["AutoReleaseTime"] = time(after: known.now, secondPrecise: false) }
        case 13:
            action = "ModifyInstanceAttribute"
            parameters["InstanceId"] = id(ids, prefix: "i-")
            if chance(60) { parameters["InstanceName"] = name(maximumBytes: 128) }
            if chance(60) { parameters["DeletionProtection"] = boolText() }
        case 14:
            action = "RenewInstance"
            parameters["InstanceId"] = id(ids, prefix: "i-")
            parameters["Period"] = String(pick([1, 12, 60, 61]))
            if chance(30) { parameters["PeriodUnit"] = pick(["Month", "Year"]) }
        case 15:
            action = pick(["TagResources", "UntagResources", "ListTagResources"])
            parameters["ResourceType"] = pick(["instance", "instance", "disk"])
            for (index, instance) in self.ids(ids, prefix: "i-").enumerated() where chance(90) {
                parameters["ResourceId.\(index + 1)"] = instance
            }
            if action == "UntagResources" {
                if chance(50) {
                    parameters["TagKey.1"] = pick(["team", "env", "mark"])
                } else {
                    parameters["All"] = boolText()
                }
            } else {
                parameters["Tag.1.Key"] = pick(["team", "mark", "aliyun-x"])
                parameters["Tag.1.Value"] = pick(["web", "db", ""])
            }
        default:
            action = pick(["ReActivateInstances", "DescribeRegions"])
            parameters["InstanceId"] = id(ids, prefix: "i-")
        }
        if chance(5) { parameters["RegionId"] = "cn-beijing" }
        return RequestSigner.aliyunRPC(
            action,
            parameters,
            key: pick(aliyunKeys),
            signedAt: wallClock,
            nonce: nextNonce()
        )
    }

    private mutating func tencent(_ known: KnownState, wallClock: Instant) -> RawRequest {
        let ids = known.tencentIDs
        var body: [(String, JSONValue)] = []
        func list(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
        let action: String
        switch below(14) {
        case 0, 1, 2:
            action = "RunInstances"
            if chance(30) {
                body.append(("InstanceChargeType", .string(pick(["PREPAID", "POSTPAID_BY_HOUR", "SPOTPAID"]))))
                body.append(("InstanceChargePrepaid", .object([("Period", .int(Int64(pick([1, 12, 60, 61]))))])))
            }
            if chance(40) { body.append(("InstanceCount", .int(Int64(pick([1, 2, 3, 0, 101]))))) }
            if chance(30) { body.append(("DisableApiTermination", .bool(chance(50)))) }
            if chance(30) {
                var timer: [(String, JSONValue)] = [
                    ("ActionTime", .string(time(after: known.now, secondPrecise: true)))
                ]
                if chance(30) { timer.append(("Externals", .object([("ReleaseAddress", .bool(chance(50)))]))) }
                if chance(10) { timer.append(("TimerAction", "StopInstances")) }
                body.append(("ActionTimer", .object(timer)))
            }
            if chance(30) {
                let cloud = pick([1, 2, 20, 21]), local = pick([0, 0, 1, 2])
                let disks: [JSONValue] =
                    (0..<cloud).map { _ in .object([("DeleteWithInstance", .bool(chance(50)))]) }
                    + (0..<local).map { _ in .object([("DiskType", "LOCAL_BASIC")]) }
                body.append(("DataDisks", .array(disks)))
            }
            if chance(30) {
                body.append(("InternetAccessible", .object([("PublicIpAssigned", .bool(chance(50)))])))
            }
            if chance(30) { body.append(("InstanceName", .string(name(maximumBytes: 60)))) }
            if chance(20) { body.append(("ClientToken", .string(pick(["token-1", "token-2"])))) }
            if chance(20) { body.append(("Placement", .object([("Zone", .string(pick(["ap-guangzhou-3", ""])))]))) }
            if chance(25) {
                let tags: [JSONValue] = (0..<pick([1, 2, 51])).map {
                    .object([
                        ("Key", .string(pick(["team", "env", "k\($0)"]))), ("Value", .string(pick(["web", "db"]))),
                    ])
                }
                body.append(
                    (
                        "TagSpecification",
                        [.object([("ResourceType", .string(pick(["instance", "disk"]))), ("Tags", .array(tags))])]
                    )
                )
            }
        case 3, 4:
            action = "DescribeInstances"
            if chance(40) { body.append(("InstanceIds", list(self.ids(ids, prefix: "ins-")))) }
            if chance(30) {
                let filter = pick([
                    "instance-state", "instance-name", "zone", "instance-charge-type", "tag-key", "tag:team",
                ])
                body.append(("Filters", [.object([("Name", .string(filter)), ("Values", ["RUNNING", "web-1"])])]))
            }
            if chance(20) { body.append(("Limit", .int(Int64(pick([1, 20, 100, 101]))))) }
            if chance(20) { body.append(("Offset", .int(Int64(pick([0, 1, 1_000]))))) }
        case 5, 6:
            action = pick(["StopInstances", "StartInstances"])
            body.append(("InstanceIds", list(self.ids(ids, prefix: "ins-"))))
            if chance(30) { body.append(("StopType", .string(pick(["SOFT", "HARD", "SOFT_FIRST"])))) }
            if chance(30) { body.append(("StoppedMode", .string(pick(["KEEP_CHARGING", "STOP_CHARGING"])))) }
        case 7, 8:
            action = "TerminateInstances"
            body.append(("InstanceIds", list(self.ids(ids, prefix: "ins-"))))
            if chance(30) { body.append(("ReleaseAddress", .bool(chance(50)))) }
        case 9:
            action = "ImportInstancesActionTimer"
            body.append(("InstanceIds", list(self.ids(ids, prefix: "ins-"))))
            body.append(
                ("ActionTimer", .object([("ActionTime", .string(time(after: known.now, secondPrecise: true)))]))
            )
        case 10:
            action = pick(["DescribeInstancesActionTimer", "DeleteInstancesActionTimer"])
            body.append(
                ("ActionTimerIds", list(["lt-0000000\(below(4))", "lt-missing"].prefix(1 + below(2)).map { $0 }))
            )
        case 11:
            action = "ModifyInstancesAttribute"
            body.append(("InstanceIds", list(self.ids(ids, prefix: "ins-"))))
            if chance(60) { body.append(("InstanceName", .string(name(maximumBytes: 60)))) }
            if chance(60) { body.append(("DisableApiTermination", chance(80) ? .bool(chance(50)) : "maybe")) }
        case 12:
            action = "RenewInstances"
            body.append(("InstanceIds", list(self.ids(ids, prefix: "ins-"))))
            body.append(("InstanceChargePrepaid", .object([("Period", .int(Int64(pick([1, 36, 61]))))])))
        default:
            action = pick(["DescribeZones", "ResetInstance"])
        }
        return RequestSigner.tencentTC3(
            action,
            .object(body),
            key: pick(tencentKeys),
            region: chance(5) ? "ap-shanghai" : "ap-guangzhou",
            signedAt: wallClock
        )
    }

    private mutating func control(_ known: KnownState) -> RawRequest {
        let accounts = ["alice", "bob"]
        let (method, path, body): (String, String, JSONValue?)
        switch below(10) {
        case 0...4:
            let seconds = pick([0, 1, 59, 60, 1_800, 3_600, 7_200, 86_400, 93_600, 86_400 * 16, 86_400 * 400])
            (method, path, body) = ("POST", "clock", .object([("advance", .int(Int64(seconds)))]))
        case 5:
            (method, path, body) = ("POST", "accounts/\(pick(accounts))/arrears", nil)
        case 6:
            (method, path, body) = ("POST", "accounts/\(pick(accounts))/topup", nil)
        case 7:
            (method, path, body) = ("POST", "tencent/instances/\(id(known.tencentIDs, prefix: "ins-"))/restore", nil)
        case 8:
            (method, path, body) = ("GET", "instances", nil)
        default:
            let provider = pick(["aliyun", "tencent"])
            (method, path, body) = (
                "POST", "instances",
                .object([
                    ("provider", .string(provider)), ("account", .string(pick(accounts))),
                    ("region", .string(provider == "aliyun" ? "cn-hangzhou" : "ap-guangzhou")),
                    ("id", .string("seeded-\(below(8))")),
                ])
            )
        }
        return RawRequest(
            method: method,
            target: "/_cloudrelease/" + path,
            headers: [("Content-Type", "application/json")],
            body: body.map { Array($0.serialized.utf8) } ?? []
        )
    }

    // MARK: Mutations

    /// The request changed in one of the ways the emulator must survive.
    package mutating func mutated(_ original: RawRequest) -> RawRequest {
        var request = original
        switch below(12) {
        case 0:
            request.method = pick(["HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "get"])
        case 1:
            // A flat name nested deeper than any API, or thousands deep.
            let parts = pick([9, 64, 5_500])
            request.target += "&" + Array(repeating: "A", count: parts).joined(separator: ".") + "=1"
        case 2:
            // Many names in one request.
            let count = pick([999, 1_001, 4_000])
            request.target += (0..<count).map { "&F\($0 % 97).\($0 / 97).Name=v" }.joined()
        case 3:
            request.target += pick(["&%zz=1", "&=", "&&&", "&Action=", "&A=1&A.0=2", "&Key.100000=x"])
        case 4:
            // A value far larger than any parameter takes.
            request.target += "&ImageId=" + String(repeating: "i", count: pick([65, 100_000]))
        case 5:
            request.body = Array(request.body.prefix(below(max(request.body.count, 1))))
        case 6:
            request.body = Array(pick(["{", "[]", "null", "{\"InstanceIds\": {}}", "{\"InstanceIds\": [1, 2]}"]).utf8)
        case 7:
            request.headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            request.body = Array("RegionId=cn-hangzhou&Amount=3".utf8)
        case 8:
            request.target = request.target.replacingOccurrences(
                of: "SignatureNonce=",
                with: "SignatureNonce=" + String(repeating: "n", count: pick([128, 129, 100_000]))
            )
        case 9:
            request.headers = request.headers.filter { $0.name != "X-TC-Action" }
        case 10:
            request.target = request.target.replacingOccurrences(of: "Version=2014-05-26", with: "Version=2099-01-01")
            request.headers = request.headers.map { $0.name == "X-TC-Version" ? ($0.name, "2099-01-01") : $0 }
        default:
            request.target = "/" + String(repeating: "a", count: pick([1, 4_096]))
        }
        return request
    }
}
