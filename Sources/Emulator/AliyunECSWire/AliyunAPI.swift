import AliyunECS
import EmulatorCore
import Foundation
import ProviderRegistry
import ReleaseCore
import Reporting

/// ECS 2014-05-26 over the Aliyun model: RPC parameters in, `{RequestId, ...}` JSON out, errors with a
/// non-2xx status (Docs/Emulator.md "What the SDKs need from the wire", trap 3).
extension Emulator {
    /// The ECS actions served.
    enum AliyunAction: String, CaseIterable {
        case runInstances = "RunInstances", createInstance = "CreateInstance"
        case describeInstances = "DescribeInstances"
        case stopInstance = "StopInstance", stopInstances = "StopInstances"
        case startInstance = "StartInstance", startInstances = "StartInstances"
        case deleteInstance = "DeleteInstance", deleteInstances = "DeleteInstances"
        case modifyInstanceAutoReleaseTime = "ModifyInstanceAutoReleaseTime"
        case modifyInstanceAttribute = "ModifyInstanceAttribute"
        case reActivateInstances = "ReActivateInstances", renewInstance = "RenewInstance"
        case modifyInstanceChargeType = "ModifyInstanceChargeType"
        case convertNatPublicIpToEip = "ConvertNatPublicIpToEip"
        case tagResources = "TagResources", untagResources = "UntagResources"
        case listTagResources = "ListTagResources"
        case describeInstanceAttribute = "DescribeInstanceAttribute"
        case describeInstanceStatus = "DescribeInstanceStatus", describeUserData = "DescribeUserData"
        case describeRegions = "DescribeRegions", describeZones = "DescribeZones"
        /// The instances' resources as their fates leave them.
        case describeDisks = "DescribeDisks", describeSnapshots = "DescribeSnapshots"
        case describeEipAddresses = "DescribeEipAddresses"
        /// STS 2015-04-01 (sts.aliyuncs.com): the account behind the key.
        case getCallerIdentity = "GetCallerIdentity"

        /// The API version the action is served under: ECS's, or STS's for GetCallerIdentity.
        var version: String { self == .getCallerIdentity ? "2015-04-01" : "2014-05-26" }

        /// The documented parameters the action honours: reads, checks and uses or shows back (EM8).
        var honoured: Set<String> {
            let launch: Set<String> = [
                "ZoneId", "ImageId", "InstanceType", "InstanceChargeType", "Period", "PeriodUnit", "SpotStrategy",
                "DeletionProtection", "DataDisk.N.Size", "DataDisk.N.Category",
                "DataDisk.N.DeleteWithInstance", "InternetMaxBandwidthOut", "InstanceName", "Description",
                "HostName", "ClientToken", "DryRun", "Tag.N.Key", "Tag.N.Value", "UserData", "SecurityGroupId",
                "VSwitchId", "InternetChargeType", "InternetMaxBandwidthIn", "IoOptimized",
                "KeyPairName", "SystemDisk.Category", "SystemDisk.Size", "AutoRenew",
            ]
            switch self {
            case .runInstances:
                return launch.union(["Amount", "AutoReleaseTime", "UniqueSuffix", "SecurityGroupIds.N"])
            case .createInstance: return launch
            case .describeInstances:
                return [
                    "InstanceIds", "Status", "InstanceChargeType", "PageNumber", "PageSize", "InstanceName", "ZoneId",
                    "InstanceType", "ImageId", "MaxResults", "NextToken", "DryRun", "Tag.N.Key", "Tag.N.Value",
                    "VpcId", "VSwitchId", "SecurityGroupId", "KeyPairName", "InstanceNetworkType",
                    "InternetChargeType", "InstanceTypeFamily", "PrivateIpAddresses", "PublicIpAddresses",
                    "EipAddresses", "IoOptimized",
                ]
            case .stopInstance: return ["InstanceId", "ForceStop", "StoppedMode", "DryRun"]
            case .stopInstances:
                return ["InstanceId.N", "ForceStop", "StoppedMode", "BatchOptimization", "DryRun"]
            case .startInstance: return ["InstanceId", "DryRun"]
            case .startInstances: return ["InstanceId.N", "BatchOptimization", "DryRun"]
            case .deleteInstance: return ["InstanceId", "Force", "ForceStop", "TerminateSubscription", "DryRun"]
            case .deleteInstances:
                return ["InstanceId.N", "Force", "ForceStop", "TerminateSubscription", "DryRun", "ClientToken"]
            case .modifyInstanceAutoReleaseTime: return ["InstanceId", "AutoReleaseTime"]
            case .modifyInstanceAttribute:
                return ["InstanceId", "InstanceName", "DeletionProtection", "Description", "HostName"]
            case .reActivateInstances: return ["InstanceId"]
            case .renewInstance: return ["InstanceId", "Period", "PeriodUnit"]
            case .modifyInstanceChargeType: return ["InstanceIds", "InstanceChargeType", "DryRun"]
            case .convertNatPublicIpToEip: return ["InstanceId"]
            case .tagResources: return ["ResourceType", "ResourceId.N", "Tag.N.Key", "Tag.N.Value"]
            case .untagResources: return ["ResourceType", "ResourceId.N", "TagKey.N", "All"]
            case .listTagResources: return ["ResourceType", "ResourceId.N", "Tag.N.Key", "Tag.N.Value", "NextToken"]
            case .describeInstanceAttribute, .describeUserData: return ["InstanceId"]
            case .describeInstanceStatus: return ["InstanceId.N", "ZoneId", "PageNumber", "PageSize"]
            case .describeRegions: return ["InstanceChargeType"]
            case .describeZones: return ["InstanceChargeType", "Verbose"]
            case .describeDisks:
                return [
                    "DiskIds", "InstanceId", "DiskType", "Status", "ZoneId", "Category", "Portable",
                    "DeleteWithInstance", "PageNumber", "PageSize", "MaxResults", "NextToken", "DryRun",
                ]
            case .describeSnapshots:
                return [
                    "SnapshotIds", "InstanceId", "DiskId", "SnapshotType", "PageNumber", "PageSize", "MaxResults",
                    "NextToken", "DryRun",
                ]
            case .describeEipAddresses:
                return [
                    "AllocationId", "EipAddress", "Status", "AssociatedInstanceId", "AssociatedInstanceType",
                    "PageNumber", "PageSize",
                ]
            case .getCallerIdentity: return []
            }
        }
    }

    /// The parameters every ECS request may carry: the RPC signature's (aliyun-python-sdk-core adds `RegionId` to
    /// every request; each action checks it against the instance's region).
    static let aliyunCommonParameters: Set<String> = [
        "Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce",
        "SignatureType", "Timestamp", "Signature", "SecurityToken", "RegionId",
    ]

    /// Refuses the first documented parameter the action does not honour with `UnsupportedParameter` naming it
    /// (EM8); returns the names the action does not document, which ECS accepts and ignores (EM12: footmark 1.26.0
    /// sends `on=<Action>` on every request, footmark/connection.py, and works against ECS), for the answer's
    /// `X-CloudRelease-Ignored` header.
    func aliyunCheckParameters(
        _ parameters: AliyunParameters,
        pairs names: [String],
        action: AliyunAction
    ) throws(APIError) -> [String] {
        let documented = Set(ECSDocumentedParameters.actions[action.rawValue] ?? [])
        var ignored: [String] = []
        for name in names {
            let standing = ParameterPolicy.standing(
                of: name,
                honoured: action.honoured,
                documented: documented,
                common: Self.aliyunCommonParameters
            )
            switch standing {
            case .honoured: continue
            case .unknown: ignored.append(name)
            case .unmodelled:
                throw APIError(
                    AliyunErrorCode.unsupportedParameter.rawValue,
                    "The parameter \"\(name.prefix(64))\" of \(action.rawValue) is not modelled by the emulator, so it is refused rather than ignored.",
                    rules: ["EM8"]
                )
            }
        }
        return ignored
    }

    mutating func perform(_ action: AliyunAction, _ call: AliyunCall) throws(APIError) -> ActionAnswer {
        switch action {
        case .runInstances: return try aliyunRun(call)
        case .createInstance: return try aliyunCreate(call)
        case .describeInstances: return try aliyunDescribe(call)
        case .stopInstance: return try aliyunStop(call)
        case .stopInstances: return try aliyunBatch(call, start: false)
        case .startInstance: return try aliyunStart(call)
        case .startInstances: return try aliyunBatch(call, start: true)
        case .deleteInstance: return try aliyunDelete(call)
        case .deleteInstances: return try aliyunDeleteBatch(call)
        case .modifyInstanceAutoReleaseTime: return try aliyunAutoRelease(call)
        case .modifyInstanceAttribute: return try aliyunModifyAttribute(call)
        case .reActivateInstances: return try aliyunReactivate(call)
        case .renewInstance: return try aliyunRenew(call)
        case .modifyInstanceChargeType: return try aliyunModifyChargeType(call)
        case .convertNatPublicIpToEip: return try aliyunConvertAddress(call)
        case .tagResources: return try aliyunTagResources(call)
        case .untagResources: return try aliyunUntagResources(call)
        case .listTagResources: return try aliyunListTagResources(call)
        case .describeInstanceAttribute: return try aliyunDescribeAttribute(call)
        case .describeInstanceStatus: return try aliyunDescribeStatus(call)
        case .describeUserData: return try aliyunDescribeUserData(call)
        case .describeRegions: return try aliyunDescribeRegions(call)
        case .describeZones: return try aliyunDescribeZones(call)
        case .describeDisks: return try aliyunDescribeDisks(call)
        case .describeSnapshots: return try aliyunDescribeSnapshots(call)
        case .describeEipAddresses: return try aliyunDescribeEips(call)
        case .getCallerIdentity: return aliyunCallerIdentity(call)
        }
    }

    /// One authenticated ECS call.
    struct AliyunCall {
        var caller: Caller
        var parameters: AliyunParameters
        var requestID: String
    }

    /// What an ECS request says before any state is read: its parameters, its action and its verified caller.
    struct AliyunFront {
        var parameters: AliyunParameters
        /// The parameters' names in the order sent (``aliyunCheckParameters(_:pairs:action:)`` refuses the first
        /// the action does not honour).
        var names: [String]
        var action: String
        var version: String
        var caller: Caller
    }

    /// Reads and verifies an ECS request, in ECS's order of refusals (parameters, Action, Version, signature).
    static func aliyunFront(
        _ request: RawRequest,
        configuration: EmulatorConfiguration,
        wallClock: Instant
    ) throws(APIError) -> AliyunFront {
        guard let pairs = rpcParameters(of: request) else {
            throw APIError(
                "InvalidParameter",
                "The query string or form body is not valid percent-encoding, or holds more than \(WireLimits.maximumParameters) parameters."
            )
        }
        let parameters = AliyunParameters(pairs)
        guard let action = request.header("x-acs-action") ?? parameters["Action"] else {
            throw APIError(
                "MissingParameter",
                "The input parameter \"Action\" that is mandatory for processing this request is not supplied."
            )
        }
        let version = request.header("x-acs-version") ?? parameters["Version"]
        guard let version, AliyunAction.allCases.contains(where: { $0.version == version }) else {
            throw APIError(
                "InvalidVersion",
                "Specified parameter Version is not valid: the emulator serves ECS 2014-05-26 and STS 2015-04-01."
            )
        }
        let verified = verify(
            request,
            configuration: configuration,
            wallClock: wallClock,
            frontEnd: AliyunFrontEnd.self
        )
        switch verified {
        case .success(let caller):
            return AliyunFront(
                parameters: parameters,
                names: pairs.map(\.name),
                action: action,
                version: version,
                caller: caller
            )
        case .failure(let refusal): throw aliyunRefusal(refusal)
        }
    }

    mutating func serveAliyun(
        _ front: Result<AliyunFront, APIError>,
        requestID: String,
        wallClock: Instant
    ) -> RawResponse {
        var ignored: [String] = []
        do throws(APIError) {
            let front = try front.get()
            if let refusal = admit(front.caller, wallClock: wallClock) { throw Self.aliyunRefusal(refusal) }
            guard let known = AliyunAction(rawValue: front.action), known.version == front.version else {
                throw APIError(
                    "InvalidAction.NotFound",
                    status: 404,
                    "Specified api is not found, please check your url and method."
                )
            }
            let target = FaultTarget(
                provider: .aliyun,
                action: known.rawValue,
                account: front.caller.account,
                instances: [front.parameters["InstanceId"]].compactMap { $0 }
                    + ((try? front.parameters.list("InstanceId")) ?? [])
                    + ((try? front.parameters.jsonList("InstanceIds")) ?? nil ?? [])
            )
            let fault = injectedFault(for: target, requestID: requestID)
            if let fault, let refusal = Self.aliyunFaultAnswer(fault.kind) { throw refusal }
            ignored = try aliyunCheckParameters(front.parameters, pairs: front.names, action: known)
            let call = AliyunCall(caller: front.caller, parameters: front.parameters, requestID: requestID)
            let answer = try perform(known, call)
            let body = JSONValue.object([("RequestId", .string(requestID))] + answer.members)
            var response = Self.json(200, body, contentType: "application/json;charset=utf-8")
            response.headers.append(contentsOf: ruleHeaders(answer.rules, kind: .aliyun))
            response.headers.append(contentsOf: Self.ignoredHeader(ignored))
            response.delayMilliseconds = fault?.latencyMilliseconds ?? 0
            return response
        } catch {
            let body: JSONValue = .object([
                ("RequestId", .string(requestID)), ("HostId", "ecs.aliyuncs.com"), ("Code", .string(error.code)),
                ("Message", .string(error.message)),
                ("Recommend", .string("https://api.aliyun.com/troubleshoot?q=\(error.code)")),
            ])
            var response = Self.json(error.status, body, contentType: "application/json;charset=utf-8")
            response.headers.append(contentsOf: ruleHeaders(error.rules, kind: .aliyun))
            response.headers.append(contentsOf: Self.ignoredHeader(ignored))
            response.dropsConnection = error.dropsConnection
            return response
        }
    }

    /// `X-CloudRelease-Ignored`: the first eight names ECS ignored (EM12), each cut to 64 printable characters.
    static func ignoredHeader(_ ignored: [String]) -> [(name: String, value: String)] {
        guard !ignored.isEmpty else { return [] }
        let shown = ignored.prefix(8).map { name in
            String(
                String.UnicodeScalarView(name.unicodeScalars.filter { $0.value > 0x20 && $0.value < 0x7F && $0 != "," })
                    .prefix(64)
            )
        }
        return [("X-CloudRelease-Ignored", shown.joined(separator: ","))]
    }

    /// The caller, with Aliyun's codes for each way a signature fails (Docs/Emulator.md "What the SDKs need from the wire", item 2 and trap 4).
    /// What an injected fault answers on ECS (EM9): the codes and statuses ECS answers for throttling, an
    /// internal error and an instance in the wrong state (ECS's common error codes); nil for latency, which is
    /// served late, not refused.
    static func aliyunFaultAnswer(_ kind: Fault.Kind) -> APIError? {
        switch kind {
        case .throttle:
            return APIError("Throttling.User", "Request was denied due to user flow control.", rules: ["EM9"])
        case .internalError:
            return APIError(
                "InternalError",
                status: 500,
                "The request processing has failed due to some unknown error, exception or failure.",
                rules: ["EM9"]
            )
        case .instanceBusy:
            return APIError(
                AliyunErrorCode.incorrectInstanceStatus.rawValue,
                status: 403,
                "The current status of the resource does not support this operation.",
                rules: ["EM9"]
            )
        case .drop:
            var dropped = APIError(
                "ConnectionDropped",
                status: 503,
                "(the connection is closed without an answer)",
                rules: ["EM9"]
            )
            dropped.dropsConnection = true
            return dropped
        case .latency:
            return nil
        }
    }

    static func aliyunRefusal(_ refusal: AuthRefusal) -> APIError {
        switch refusal {
        case .unsigned:
            return APIError(
                "MissingParameter",
                "The input parameter \"AccessKeyId\" that is mandatory for processing this request is not supplied."
            )
        case .malformed(let code, let message): return APIError(code, message)
        case .unknownKey(let key):
            return APIError(
                "InvalidAccessKeyId.NotFound",
                status: 404,
                "Specified access key is not found: \(key.prefix(64))."
            )
        case .signatureMismatch(let stringToSign):
            // The legacy SDK splits the message at ':' and compares the string to sign with its own (trap 4).
            return APIError(
                "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation. server string to sign is:\(stringToSign)"
            )
        case .stale(let timestamp):
            return APIError(
                "InvalidTimeStamp.Expired",
                "Specified time stamp or date value is expired: \(timestamp.iso8601) is more than 15 minutes from the server's clock."
            )
        case .throttled:
            return APIError(
                "Throttling.User",
                "Request was denied due to user flow control: too many requests in the nonce window."
            )
        case .nonceReused:
            return APIError("SignatureNonceUsed", "Specified signature nonce was used already.")
        case .nonceTooLong:
            return APIError(
                "InvalidParameter",
                "The specified parameter \"SignatureNonce\" is not valid: at most \(WireLimits.maximumNonceBytes) bytes."
            )
        }
    }

    // MARK: Helpers

    /// The caller's instance, or the action's own not-found answer (another account's instance is not found
    /// either): InvalidInstanceId.NotFound for the instance APIs (AD1), ModifyInstanceAutoReleaseTime's
    /// NoSuchResource (AD3) for `command: .scheduleRelease` (issue 23).
    func aliyunInstance(
        _ id: String,
        _ call: AliyunCall,
        command: CommandKind = .release
    ) throws(APIError) -> InstanceRecord {
        let autoRelease = command == .scheduleRelease || command == .cancelScheduledRelease
        let code = autoRelease ? AliyunErrorCode.noSuchResource : AliyunErrorCode.notFound
        let (message, rule) =
            autoRelease
            ? ("The specified resource is not found.", "AD3") : ("The specified InstanceId does not exist.", "AD1")
        guard let record = owned(id, by: call.caller.account, kind: .aliyun), machine(record).phase != .released else {
            throw APIError(code.rawValue, status: 404, message, rules: [rule])
        }
        if let region = call.parameters["RegionId"], !region.isEmpty, region != record.region {
            throw APIError(code.rawValue, status: 404, "\(message) (region \(region.prefix(64)))", rules: [rule])
        }
        return record
    }

    /// Performs a command, turning a model refusal into the wire's.
    mutating func aliyunPerform(_ command: Command, on record: InstanceRecord) throws(APIError) -> [Effect] {
        do {
            return try perform(command, on: record)
        } catch {
            throw APIError(error)
        }
    }

    // MARK: Create

    /// RunInstances: `Amount` instances, Running.
    mutating func aliyunRun(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        try aliyunLaunch(call, count: try call.parameters.int("Amount", in: 1...100) ?? 1, phase: .running)
    }

    /// CreateInstance: one instance, created Stopped (CreateInstance's API page).
    mutating func aliyunCreate(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        try aliyunLaunch(call, count: 1, phase: .stopped)
    }

    private mutating func aliyunLaunch(
        _ call: AliyunCall,
        count: Int,
        phase: LaunchPhase
    ) throws(APIError) -> ActionAnswer {
        let parameters = call.parameters
        let region = try parameters.required("RegionId")
        _ = try parameters.identifier("RegionId")
        let single = phase == .stopped
        let tokenKey = try parameters.clientToken().map { "aliyun\u{0}\(call.caller.account)\u{0}\(single)\u{0}\($0)" }
        if let tokenKey, let previous = clientTokens[tokenKey] { return previous }
        let charge: ChargeType
        switch ECSInstanceAttributes.ChargeType(rawValue: parameters["InstanceChargeType"] ?? "PostPaid") {
        case .postPaid?: charge = .payAsYouGo
        case .prePaid?:
            let period = try parameters.int("Period", in: 1...60) ?? 1
            let months: Int
            switch parameters["PeriodUnit"] ?? "Month" {
            case "Month": months = period
            case "Year": months = period * 12
            default: throw APIError("InvalidPeriodUnit.ValueNotSupported", "PeriodUnit must be Month or Year.")
            }
            guard let expiry = WireTime.addingMonths(months, to: now) else {
                throw APIError("InvalidParameter", "The subscription would end outside the supported time range.")
            }
            charge = .subscription(expiresAt: expiry)
        case nil:
            throw APIError("InvalidInstanceChargeType.NotFound", "InstanceChargeType must be PostPaid or PrePaid.")
        }
        var order = LaunchOrder(
            kind: .aliyun,
            account: call.caller.account,
            region: region,
            charge: charge,
            phase: phase
        )
        order.count = count
        switch parameters["SpotStrategy"] ?? "NoSpot" {
        case "NoSpot", "": order.isSpot = false
        case "SpotAsPriceGo", "SpotWithPriceLimit": order.isSpot = true
        default:
            throw APIError(
                "InvalidSpotStrategy",
                "SpotStrategy must be NoSpot, SpotAsPriceGo or SpotWithPriceLimit."
            )
        }
        order.isProtected = try parameters.bool("DeletionProtection") ?? false
        if let text = parameters["AutoReleaseTime"], !text.isEmpty {
            order.scheduledRelease = try aliyunTime(text)
        }
        for index in try aliyunDataDiskIndices(parameters) {
            // The models bill a disk by its existence, not its size: the size is only shown back (DescribeDisks).
            let fallback = AliyunFrontEnd.resourceShapes.dataDisk
            let size = try parameters.int("DataDisk.\(index).Size", in: 1...65_536) ?? fallback.size
            let category = try parameters.identifier("DataDisk.\(index).Category") ?? fallback.category
            let isLocal = category.hasPrefix("ephemeral") || category.hasPrefix("local")
            order.dataDisks.append((try parameters.bool("DataDisk.\(index).DeleteWithInstance") ?? true, isLocal))
            order.dataDiskShapes.append(DiskShape(category: category, size: size))
        }
        order.hasPublicIP = (try parameters.int("InternetMaxBandwidthOut", in: 0...100_000) ?? 0) > 0
        order.zone = try parameters.identifier("ZoneId") ?? "\(region)-a"
        order.instanceType = try parameters.identifier("InstanceType") ?? "ecs.g7.large"
        order.imageID = try parameters.identifier("ImageId") ?? ""
        order.name = try aliyunInstanceName(parameters)
        order.names = order.name.map { NameSequence.aliyun($0, count: count) }
        // RunInstances `UniqueSuffix`: "当创建多台实例时，是否为HostName和InstanceName自动添加有序后缀。有序后缀从001开始递增".
        if try parameters.bool("UniqueSuffix") == true, count > 1, let name = order.name, !name.contains("[") {
            order.names = (1...count).map { name + NameSequence.suffix($0) }
        }
        order.systemDisk = try aliyunSystemDisk(parameters)
        // CreateInstance documents no SecurityGroupIds.N: there it is an unknown name, ignored as ECS ignores it.
        order.network = try aliyunNetwork(parameters, groupList: !single)
        if try parameters.bool("AutoRenew") == true {
            throw APIError(
                AliyunErrorCode.unsupportedParameter.rawValue,
                "AutoRenew=true is not modelled by the emulator: it renews only on RenewInstance.",
                rules: ["EM8"]
            )
        }
        order.instanceDescription = try aliyunText(parameters, "Description", lengths: 2...256)
        order.hostName = try aliyunText(parameters, "HostName", lengths: 2...64)
        if try parameters.bool("UniqueSuffix") == true, count > 1, let host = order.hostName, !host.contains("[") {
            order.hostNames = (1...count).map { host + NameSequence.suffix($0) }
        }
        order.tags = try aliyunTags(parameters, required: false)
        order.userData = try Self.userData(
            parameters["UserData"],
            maximumBytes: 32_768,
            code: "InvalidUserData.Base64FormatInvalid"
        )
        order.isDryRun = try parameters.bool("DryRun") == true
        order.requestID = call.requestID
        order.action = single ? "CreateInstance" : "RunInstances"
        let (ids, rules) = try launch(order)
        let answer: ActionAnswer
        if single {
            answer = ActionAnswer([("InstanceId", ids[0]), ("OrderId", "0"), ("TradePrice", .double(0))], rules: rules)
        } else {
            answer = ActionAnswer(
                [
                    ("InstanceIdSets", .object([("InstanceIdSet", .array(ids))])), ("OrderId", "0"),
                    ("TradePrice", .double(0)),
                ],
                rules: rules
            )
        }
        if let tokenKey { remember(answer, token: tokenKey) }
        return answer
    }

    /// `SystemDisk.Category` and `SystemDisk.Size` (20 to 2,048 GiB), shown back by DescribeDisks.
    func aliyunSystemDisk(_ parameters: AliyunParameters) throws(APIError) -> DiskShape? {
        let category = try parameters.identifier("SystemDisk.Category")
        let size = try parameters.int("SystemDisk.Size", in: 20...2_048)
        guard category != nil || size != nil else { return nil }
        let fallback = AliyunFrontEnd.resourceShapes.systemDisk
        return DiskShape(category: category ?? fallback.category, size: size ?? fallback.size)
    }

    /// The network and login parameters RunInstances/CreateInstance document and DescribeInstances shows back:
    /// `SecurityGroupId` or (RunInstances, `groupList`) `SecurityGroupIds.N`, not both; `VSwitchId`, `InternetChargeType` (PayByBandwidth or
    /// PayByTraffic), `InternetMaxBandwidthIn`, `IoOptimized` (none or optimized), `KeyPairName`.
    func aliyunNetwork(_ parameters: AliyunParameters, groupList: Bool) throws(APIError) -> NetworkAttributes {
        var network = NetworkAttributes()
        let one = try parameters.identifier("SecurityGroupId")
        let many = groupList ? try parameters.list("SecurityGroupIds") : []
        guard one == nil || many.isEmpty else {
            throw APIError("InvalidParameter", "SecurityGroupId and SecurityGroupIds.N cannot be given together.")
        }
        for id in many where !WireLimits.isIdentifier(id) {
            throw APIError("InvalidSecurityGroupId.Malformed", "SecurityGroupIds.N holds an id that is not valid.")
        }
        guard many.count <= 10 else {
            throw APIError("InvalidParameter", "SecurityGroupIds.N: at most 10 security groups.")
        }
        network.securityGroupIDs = one.map { [$0] } ?? many
        network.subnetID = try parameters.identifier("VSwitchId")
        // ECS derives the VPC from the vSwitch; the emulator names it after the vSwitch [MODEL EM11].
        network.vpcID = network.subnetID.map {
            "vpc-" + ($0.split(separator: "-", maxSplits: 1).last.map(String.init) ?? $0)
        }
        switch parameters["InternetChargeType"] {
        case nil, "": break
        case let type? where type == "PayByBandwidth" || type == "PayByTraffic": network.internetChargeType = type
        default:
            throw APIError(
                "InvalidInternetChargeType.ValueNotSupported",
                "InternetChargeType must be PayByBandwidth or PayByTraffic."
            )
        }
        network.internetMaxBandwidthIn = try parameters.int("InternetMaxBandwidthIn", in: 1...10_000)
        switch parameters["IoOptimized"] {
        case nil, "": break
        case "optimized": network.ioOptimized = true
        case "none": network.ioOptimized = false
        default: throw APIError("InvalidIoOptimizedValue.ValueNotSupported", "IoOptimized must be none or optimized.")
        }
        network.keyNames = try parameters.identifier("KeyPairName").map { [$0] } ?? []
        return network
    }

    /// An ECS time parameter, or `InvalidAutoReleaseTime.Malformed` (AD3).
    func aliyunTime(_ text: String) throws(APIError) -> Instant {
        guard let instant = ECSInstanceAttributes.parseTime(text) else {
            throw APIError(
                AliyunErrorCode.malformedAutoReleaseTime.rawValue,
                "The specified AutoReleaseTime is malformed: use yyyy-MM-ddTHH:mm:ssZ in UTC.",
                rules: ["AD3"]
            )
        }
        return instant
    }

    /// The `N` of every `DataDisk.N.*` parameter, 1 to 16 and without gaps (RunInstances/CreateInstance:
    /// "Valid values of N: 1 to 16", alibabacloud-ecs20140526's RunInstancesRequestDataDisk).
    func aliyunDataDiskIndices(_ parameters: AliyunParameters) throws(APIError) -> [Int] {
        let count = try parameters.listCount("DataDisk")
        guard count <= Self.aliyunMaximumDataDisks else {
            throw APIError(
                "InvalidParameter",
                "The specified parameter \"DataDisk.\(count)\" is not valid: N of DataDisk.N is 1 to \(Self.aliyunMaximumDataDisks)."
            )
        }
        return Array(stride(from: 1, through: count, by: 1))
    }

    /// The most data disks one ECS instance is created with (RunInstances `DataDisk.N`, N 1 to 16).
    static let aliyunMaximumDataDisks = 16

    /// `InstanceName`: 2 to 128 characters (RunInstances), else ECS's `InvalidInstanceName.Malformed`.
    func aliyunInstanceName(_ parameters: AliyunParameters) throws(APIError) -> String? {
        guard let name = parameters["InstanceName"], !name.isEmpty else { return nil }
        guard (2...128).contains(name.count) else {
            throw APIError(
                "InvalidInstanceName.Malformed",
                "The specified parameter \"InstanceName\" is not valid: it must be 2 to 128 characters long."
            )
        }
        return name
    }

    /// `Description` (2 to 256 characters, not starting with http:// or https://) or `HostName` (2 to 64), as
    /// RunInstances and ModifyInstanceAttribute document them, else ECS's `Invalid<Name>.Malformed`.
    func aliyunText(
        _ parameters: AliyunParameters,
        _ name: String,
        lengths: ClosedRange<Int>
    ) throws(APIError) -> String? {
        guard let text = parameters[name], !text.isEmpty else { return nil }
        guard lengths.contains(text.count), !text.hasPrefix("http://"), !text.hasPrefix("https://") else {
            throw APIError(
                "Invalid\(name).Malformed",
                "The specified parameter \"\(name)\" is not valid: \(lengths.lowerBound) to \(lengths.upperBound) characters, not starting with http:// or https://."
            )
        }
        return text
    }

    // MARK: Tags

    /// The most tags an ECS resource carries, and a request sets (`Tag.N`, N 1 to 20: RunInstances, TagResources).
    static let aliyunMaximumTags = 20

    /// `Tag.N.Key`/`Tag.N.Value`, N from 1 without gaps: a key of 1 to 128 characters not starting with `aliyun` or
    /// `acs:`, a value of up to 128 not starting with `acs:`, neither containing `http://` or `https://`, no key twice
    /// (RunInstances and TagResources `Tag.N`), else ECS's `InvalidTagKey.Malformed`/`InvalidTagValue.Malformed`.
    func aliyunTags(_ parameters: AliyunParameters, required: Bool) throws(APIError) -> [InstanceTag] {
        var tags: [InstanceTag] = []
        let count = try parameters.listCount("Tag")
        for number in stride(from: 1, through: count, by: 1) {
            guard number <= Self.aliyunMaximumTags else {
                throw APIError(
                    "InvalidParameter",
                    "At most \(Self.aliyunMaximumTags) tags: Tag.\(number) is one too many."
                )
            }
            let key = parameters["Tag.\(number).Key"] ?? ""
            let value = parameters["Tag.\(number).Value"] ?? ""
            guard (1...128).contains(key.count), !key.hasPrefix("aliyun"), !key.hasPrefix("acs:"),
                !key.contains("http://"), !key.contains("https://")
            else {
                throw APIError(
                    "InvalidTagKey.Malformed",
                    "Tag.\(number).Key must be 1 to 128 characters, not start with aliyun or acs:, and not contain http:// or https://."
                )
            }
            guard value.count <= 128, !value.hasPrefix("acs:"), !value.contains("http://"), !value.contains("https://")
            else {
                throw APIError(
                    "InvalidTagValue.Malformed",
                    "Tag.\(number).Value must be at most 128 characters, not start with acs:, and not contain http:// or https://."
                )
            }
            guard !tags.contains(where: { $0.key == key }) else {
                throw APIError("InvalidParameter", "Tag.N.Key names the key \(key.prefix(64)) twice.")
            }
            tags.append(InstanceTag(key: key, value: value))
        }
        if required, tags.isEmpty {
            throw APIError(
                "MissingParameter",
                "The input parameter \"Tag.1.Key\" that is mandatory for processing this request is not supplied."
            )
        }
        return tags
    }

    /// DescribeInstances' and ListTagResources' `Tag.N.Key` (required) with an optional `Tag.N.Value`.
    func aliyunTagFilters(_ parameters: AliyunParameters) throws(APIError) -> [(key: String, value: String?)] {
        var filters: [(key: String, value: String?)] = []
        let count = try parameters.listCount("Tag")
        guard count <= Self.aliyunMaximumTags else { throw APIError("InvalidParameter", "Tag.N: at most 20 tags.") }
        for number in 0..<count {
            guard let key = parameters["Tag.\(number + 1).Key"], !key.isEmpty else {
                throw APIError("InvalidParameter", "Tag.\(number + 1).Key must be a non-empty key.")
            }
            filters.append((key, parameters["Tag.\(number + 1).Value"]))
        }
        return filters
    }

    /// Whether a record carries every filtered tag (with the value, when one is given).
    static func hasTags(_ record: InstanceRecord, _ filters: [(key: String, value: String?)]) -> Bool {
        filters.allSatisfy { filter in
            (record.tags ?? []).contains { $0.key == filter.key && (filter.value == nil || $0.value == filter.value) }
        }
    }

    /// `ResourceType` (required): the emulator models instances only; any other type is refused (EM8).
    func aliyunTagResourceType(_ call: AliyunCall) throws(APIError) {
        let type = try call.parameters.required("ResourceType")
        guard type.lowercased() == "instance" else {
            throw APIError(
                "InvalidResourceType.NotSupported",
                "ResourceType \(type.prefix(32)) is not modelled by the emulator: only instance.",
                rules: ["EM8"]
            )
        }
    }

    /// `ResourceId.N`: 1 to 50 of the caller's instances in the region, none twice.
    func aliyunTagResources(of call: AliyunCall) throws(APIError) -> [InstanceRecord] {
        try aliyunTagResourceType(call)
        let ids = try call.parameters.list("ResourceId")
        guard (1...50).contains(ids.count) else {
            throw APIError("InvalidParameter", "ResourceId.N names 1 to 50 instances.")
        }
        guard Set(ids).count == ids.count else {
            throw APIError("InvalidParameter", "ResourceId.N names an instance twice.", rules: ["EM1"])
        }
        return try ids.map { id throws(APIError) in try aliyunInstance(id, call) }
    }

    /// TagResources: sets tags on instances, all or none; a resource ends with at most 20 tags.
    mutating func aliyunTagResources(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let targets = try aliyunTagResources(of: call)
        let tags = try aliyunTags(call.parameters, required: true)
        for record in targets {
            let merged = InstanceTag.merging(tags, into: record.tags ?? [])
            guard merged.count <= Self.aliyunMaximumTags else {
                throw APIError(
                    "InvalidTagCount",
                    "The instance \(record.id) would carry \(merged.count) tags; at most \(Self.aliyunMaximumTags)."
                )
            }
        }
        for record in targets { modify(record) { $0.tags = InstanceTag.merging(tags, into: $0.tags ?? []) } }
        return ActionAnswer([], rules: [])
    }

    /// UntagResources: removes the named keys (`TagKey.N`), or every tag with `All=true`.
    mutating func aliyunUntagResources(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let targets = try aliyunTagResources(of: call)
        let keys = try call.parameters.list("TagKey")
        let all = try call.parameters.bool("All") ?? false
        guard all || !keys.isEmpty else {
            throw APIError(
                "MissingParameter",
                "The input parameter \"TagKey.1\" that is mandatory for processing this request is not supplied."
            )
        }
        for target in targets {
            modify(target) { record in
                let left = all ? [] : (record.tags ?? []).filter { !keys.contains($0.key) }
                record.tags = left.isEmpty ? nil : left
            }
        }
        return ActionAnswer([], rules: [])
    }

    /// ListTagResources: the caller's tagged instances in the region, by `ResourceId.N` and/or `Tag.N`, one entry
    /// per tag, 50 a page with `NextToken`.
    mutating func aliyunListTagResources(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let region = try call.parameters.required("RegionId")
        let filters = try aliyunTagFilters(call.parameters)
        try aliyunTagResourceType(call)
        // Named instances are answered in the order named (each checked to be the caller's); the rest in creation order.
        let listed =
            try call.parameters.list("ResourceId").isEmpty
            ? instances(of: call.caller.account, kind: .aliyun) : try aliyunTagResources(of: call)
        var first = 0
        if let token = call.parameters["NextToken"], !token.isEmpty {
            guard token.hasPrefix("emu-"), let offset = Int(token.dropFirst(4)), (0...1_000_000).contains(offset) else {
                throw APIError("InvalidParameter", "The specified parameter \"NextToken\" is not valid.")
            }
            first = offset
        }
        var entries: [JSONValue] = []
        for record in listed
        where record.region == region && machine(record).phase != .released && Self.hasTags(record, filters) {
            for tag in record.tags ?? [] {
                entries.append(
                    .object([
                        ("ResourceId", .string(record.id)), ("ResourceType", "instance"), ("TagKey", .string(tag.key)),
                        ("TagValue", .string(tag.value)),
                    ])
                )
            }
        }
        let page = first >= entries.count ? [] : Array(entries[first..<min(entries.count, first + 50)])
        let next = first + 50 < entries.count ? "emu-\(first + 50)" : ""
        return ActionAnswer(
            [("NextToken", .string(next)), ("TagResources", .object([("TagResource", .array(page))]))],
            rules: []
        )
    }

    // MARK: Describe

    /// DescribeInstances: the caller's instances in the region that match every filter given (`InstanceIds`,
    /// `Status`, `InstanceChargeType`, `InstanceName` with `*` wildcards, `ZoneId`, `InstanceType`, `ImageId`),
    /// a page by `PageNumber`/`PageSize` or by `MaxResults`/`NextToken`. Any other filter is refused (EM8).
    mutating func aliyunDescribe(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let parameters = call.parameters
        let region = try parameters.required("RegionId")
        let wanted = try parameters.jsonList("InstanceIds")
        if let wanted, wanted.count > 100 {
            throw APIError(AliyunErrorCode.tooManyInstanceIds.rawValue, status: 403, "At most 100 InstanceIds.")
        }
        let status = parameters["Status"].flatMap { $0.isEmpty ? nil : $0 }
        let chargeType = parameters["InstanceChargeType"].flatMap { $0.isEmpty ? nil : $0 }
        let namePattern = parameters["InstanceName"].flatMap { $0.isEmpty ? nil : $0 }
        if let namePattern, namePattern.count > 128 {
            throw APIError("InvalidParameter", "The InstanceName filter is at most 128 characters, as names are.")
        }
        let zone = parameters["ZoneId"].flatMap { $0.isEmpty ? nil : $0 }
        let instanceType = parameters["InstanceType"].flatMap { $0.isEmpty ? nil : $0 }
        let image = parameters["ImageId"].flatMap { $0.isEmpty ? nil : $0 }
        let tagFilters = try aliyunTagFilters(parameters)
        var exact: [(name: String, values: [String])] = []
        for name in [
            "VpcId", "VSwitchId", "SecurityGroupId", "KeyPairName", "InstanceNetworkType", "InternetChargeType",
            "InstanceTypeFamily",
        ] {
            if let value = parameters[name], !value.isEmpty { exact.append((name, [value])) }
        }
        for name in ["PrivateIpAddresses", "PublicIpAddresses", "EipAddresses"] {
            if let values = try parameters.jsonList(name) {
                guard values.count <= 100 else { throw APIError("InvalidParameter", "\(name): at most 100 addresses.") }
                exact.append((name, values))
            }
        }
        let ioOptimized = try parameters.bool("IoOptimized")
        let tokenPaging = parameters["MaxResults"] != nil || parameters["NextToken"] != nil
        if tokenPaging, parameters["PageNumber"] != nil || parameters["PageSize"] != nil {
            throw APIError(
                "InvalidParameter",
                "MaxResults/NextToken and PageNumber/PageSize cannot be given together."
            )
        }
        let pageNumber = try parameters.int("PageNumber", in: 1...1_000_000) ?? 1
        let pageSize = try parameters.int("PageSize", in: 1...100) ?? 10
        let maxResults = try parameters.int("MaxResults", in: 1...100) ?? 10
        var first = 0
        if let token = parameters["NextToken"], !token.isEmpty {
            guard token.hasPrefix("emu-"), let offset = Int(token.dropFirst(4)), (0...1_000_000).contains(offset) else {
                throw APIError("InvalidParameter", "The specified parameter \"NextToken\" is not valid.")
            }
            first = offset
        }
        if try parameters.bool("DryRun") == true { throw Self.aliyunDryRunPassed }
        var matching: [InstanceRecord] = []
        // Named instances are looked up, not searched for; the answer keeps creation order either way.
        for record in instances(of: call.caller.account, kind: .aliyun, named: wanted) where record.region == region {
            countDescribe(record)
            guard let attributes = aliyunAttributes(record) else { continue }
            if let status, attributes.status.rawValue != status { continue }
            if let chargeType, attributes.chargeType.rawValue != chargeType { continue }
            if let namePattern, !Self.wildcardMatches(namePattern, record.name) { continue }
            if let zone, record.zone != zone { continue }
            if let instanceType, record.instanceType != instanceType { continue }
            if let image, record.imageID != image { continue }
            guard Self.hasTags(record, tagFilters) else { continue }
            if !exact.isEmpty || ioOptimized != nil {
                let shown = aliyunFilterFields(record)
                guard exact.allSatisfy({ filter in (shown[filter.name] ?? []).contains(where: filter.values.contains) })
                else { continue }
                if let ioOptimized, ioOptimized != (record.network?.ioOptimized ?? true) { continue }
            }
            matching.append(record)
        }
        if tokenPaging {
            let page = first >= matching.count ? [] : Array(matching[first..<min(matching.count, first + maxResults)])
            let next = first + maxResults < matching.count ? "emu-\(first + maxResults)" : ""
            return ActionAnswer(
                [
                    ("TotalCount", .int(Int64(matching.count))), ("NextToken", .string(next)),
                    ("Instances", .object([("Instance", .array(page.compactMap { aliyunInstanceJSON($0) }))])),
                ],
                rules: ["AD4"]
            )
        }
        let start = (pageNumber - 1).multipliedReportingOverflow(by: pageSize)
        let page =
            start.overflow || start.partialValue >= matching.count
            ? [] : Array(matching[start.partialValue..<min(matching.count, start.partialValue + pageSize)])
        let instances = page.compactMap { aliyunInstanceJSON($0) }
        return ActionAnswer(
            [
                ("TotalCount", .int(Int64(matching.count))), ("PageNumber", .int(Int64(pageNumber))),
                ("PageSize", .int(Int64(pageSize))), ("Instances", .object([("Instance", .array(instances))])),
            ],
            rules: ["AD4"]
        )
    }

    /// What DescribeInstances' exact-match filters compare, as the entry shows it.
    func aliyunFilterFields(_ record: InstanceRecord) -> [String: [String]] {
        let network = record.network ?? NetworkAttributes()
        let address = machine(record).instance.publicAddress
        return [
            "VpcId": network.vpcID.map { [$0] } ?? [], "VSwitchId": network.subnetID.map { [$0] } ?? [],
            "SecurityGroupId": network.securityGroupIDs, "KeyPairName": network.keyNames,
            "InstanceNetworkType": ["vpc"],
            "InternetChargeType": [network.internetChargeType ?? "PayByTraffic"],
            "InstanceTypeFamily": [Self.instanceTypeFamily(record.instanceType)],
            "PrivateIpAddresses": [privateIPAddress(of: record)],
            "PublicIpAddresses": address == .fixedPublicIP ? [publicIPAddress(of: record)] : [],
            "EipAddresses": address == .elasticIP ? [publicIPAddress(of: record)] : [],
        ]
    }

    /// ECS's `InstanceName` filter: `*` matches any run of characters (DescribeInstances: "支持使用通配符*进行模糊搜索").
    static func wildcardMatches(_ pattern: String, _ name: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return pattern == name }
        var rest = Substring(name)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.hasSuffix(parts[parts.count - 1])
    }

    func aliyunAttributes(_ record: InstanceRecord) -> ECSInstanceAttributes? {
        guard case .aliyun(let machine) = machine(record) else { return nil }
        return machine.attributes
    }

    /// One `Instances.Instance[]` entry, from the machine's ECS fields (AD4 DescribeInstances): every field the
    /// response model documents (``ECSDocumentedParameters/instanceFields``, checked by a test), the release's from
    /// the model, the rest from the launch request or the display defaults [MODEL EM11].
    func aliyunInstanceJSON(_ listed: InstanceRecord) -> JSONValue? {
        let record = current(listed)
        let id = record.id
        guard let attributes = aliyunAttributes(record) else { return nil }
        let description = machine(record).instance
        let network = record.network ?? NetworkAttributes()
        let shownStatus: String
        switch visibleTransition(record) {
        case .pending?: shownStatus = ECSInstanceAttributes.Status.pending.rawValue
        case .stopping?: shownStatus = ECSInstanceAttributes.Status.stopping.rawValue
        case .starting?: shownStatus = ECSInstanceAttributes.Status.starting.rawValue
        default: shownStatus = attributes.status.rawValue
        }
        func list(_ element: String, _ values: [String]) -> JSONValue {
            .object([(element, .array(values.map { .string($0) }))])
        }
        let publicIP = description.publicAddress == .fixedPublicIP ? [publicIPAddress(of: record)] : []
        let eip: JSONValue =
            description.publicAddress == .elasticIP
            ? .object([
                (
                    "AllocationId",
                    .string(
                        Self.resourceID(.address(.elasticIP), instanceID: id, shapes: AliyunFrontEnd.resourceShapes)
                    )
                ),
                ("IpAddress", .string(publicIPAddress(of: record))), ("InternetChargeType", "PayByTraffic"),
                ("Bandwidth", .int(5)), ("IsSupportUnassociate", .bool(true)),
            ])
            : .object([("AllocationId", ""), ("IpAddress", ""), ("InternetChargeType", ""), ("Bandwidth", .int(0))])
        var members: [(String, JSONValue)] = [
            ("InstanceId", .string(id)), ("InstanceName", .string(record.name)), ("RegionId", .string(record.region)),
            ("Description", .string(record.instanceDescription ?? "")), ("HostName", .string(record.hostName ?? id)),
            (
                "Tags",
                .object([
                    (
                        "Tag",
                        .array(
                            (record.tags ?? []).map {
                                .object([("TagKey", .string($0.key)), ("TagValue", .string($0.value))])
                            }
                        )
                    )
                ])
            ),
        ]
        members += [
            ("ZoneId", .string(record.zone)), ("InstanceType", .string(record.instanceType)),
            ("InstanceTypeFamily", .string(Self.instanceTypeFamily(record.instanceType))),
            ("ImageId", .string(record.imageID)),
            ("SpotPriceLimit", .double(0)), ("SpotDuration", .int(0)), ("SpotInterruptionBehavior", "Terminate"),
            ("CreationTime", .string(ECSInstanceAttributes.timeText(record.createdAt))),
            ("StartTime", .string(record.startedAt.map(ECSInstanceAttributes.timeText) ?? "")),
        ]
        // The release's fields, written where the inventory reads them back (AliyunECS, ECSInventoryCodec.swift).
        members += attributes.describeInstancesMembers(status: shownStatus)
        members += [
            ("Recyclable", .bool(false)), ("DeviceAvailable", .bool(true)),
            ("Cpu", .int(2)), ("Memory", .int(8_192)), ("GPUAmount", .int(0)), ("GPUSpec", ""),
            ("CpuOptions", .object([("CoreCount", .int(1)), ("ThreadsPerCore", .int(2)), ("Numa", "")])),
            ("OSType", "linux"), ("OSName", ""), ("OSNameEn", ""), ("SerialNumber", .string(Self.serialNumber(of: id))),
        ]
        members += [
            ("InstanceNetworkType", "vpc"), ("IoOptimized", .bool(network.ioOptimized ?? true)),
            ("InternetChargeType", .string(network.internetChargeType ?? "PayByTraffic")),
            ("InternetMaxBandwidthIn", .int(Int64(network.internetMaxBandwidthIn ?? 200))),
            ("InternetMaxBandwidthOut", .int(description.publicAddress == .fixedPublicIP ? 1 : 0)),
            ("KeyPairName", .string(network.keyNames.first ?? "")), ("ISP", ""),
            ("SecurityGroupIds", list("SecurityGroupId", network.securityGroupIDs)),
            ("PublicIpAddress", list("IpAddress", publicIP)), ("InnerIpAddress", list("IpAddress", [])),
            ("RdmaIpAddress", list("IpAddress", [])), ("EipAddress", eip),
            (
                "VpcAttributes",
                .object([
                    ("VpcId", .string(network.vpcID ?? "")), ("VSwitchId", .string(network.subnetID ?? "")),
                    ("PrivateIpAddress", list("IpAddress", [privateIPAddress(of: record)])), ("NatIpAddress", ""),
                ])
            ),
            ("NetworkInterfaces", .object([("NetworkInterface", .array([]))])),
        ]
        members += [
            ("LocalStorageAmount", .int(0)), ("LocalStorageCapacity", .int(0)), ("VlanId", ""), ("ClusterId", ""),
            ("HpcClusterId", ""), ("DeploymentSetId", ""), ("DeploymentSetGroupNo", .int(0)), ("ResourceGroupId", ""),
            ("CreditSpecification", ""), ("EnableNVS", .bool(false)),
            (
                "DedicatedHostAttribute",
                .object([("DedicatedHostId", ""), ("DedicatedHostName", ""), ("DedicatedHostClusterId", "")])
            ),
            ("DedicatedInstanceAttribute", .object([("Affinity", ""), ("Tenancy", "")])),
            (
                "EcsCapacityReservationAttr",
                .object([("CapacityReservationId", ""), ("CapacityReservationPreference", "")])
            ),
            ("HibernationOptions", .object([("Configured", .bool(false))])),
            (
                "MetadataOptions",
                .object([("HttpEndpoint", "enabled"), ("HttpTokens", "optional"), ("HttpPutResponseHopLimit", .int(1))])
            ),
            ("PrivateDnsNameOptions", .object([("HostnameType", ""), ("EnableInstanceIdDnsARecord", .bool(false))])),
            ("ImageOptions", .object([("LoginAsNonRoot", .bool(false))])),
            ("SecurityOptions", .object([("EnableSecureBoot", .bool(false))])),
            ("ClockOptions", .object([("PtpStatus", "")])),
            ("AdditionalInfo", .object([("EnableHighDensityMode", .bool(false))])),
        ]
        // In key order, as ECS writes its answers: footmark reads `EipAddress` while it sets `PublicIpAddress`
        // (footmark/ecs/instance.py __setattr__), so the order is part of the wire.
        return .object(members.sorted { $0.0 < $1.0 })
    }

    /// An instance type's family: the part before its last dot (`ecs.g7.large` → `ecs.g7`).
    static func instanceTypeFamily(_ type: String) -> String {
        guard let dot = type.lastIndex(of: ".") else { return type }
        return String(type[..<dot])
    }

    // MARK: Commands on one instance

    mutating func aliyunStop(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let id = try call.parameters.required("InstanceId")
        let command = try aliyunStopCommand(call)
        let record = try aliyunInstance(id, call)
        if try call.parameters.bool("DryRun") == true { return try aliyunDryRun(command, record) }
        let effects = try aliyunPerform(command, on: record)
        return ActionAnswer([], rules: effects.citedSources)
    }

    func aliyunStopCommand(_ call: AliyunCall) throws(APIError) -> Command {
        let mode: StopChargingMode?
        switch call.parameters["StoppedMode"] {
        case nil, "": mode = nil
        case ECSInstanceAttributes.StoppedMode.keepCharging.rawValue: mode = .keepCharging
        case ECSInstanceAttributes.StoppedMode.stopCharging.rawValue: mode = .stopCharging
        default: throw APIError("InvalidParameter", "StoppedMode must be KeepCharging or StopCharging.")
        }
        return .stop(force: try call.parameters.bool("ForceStop") ?? false, chargingMode: mode)
    }

    /// A dry run: the command on a copy, then ECS's `DryRunOperation` (AD2/AD4) when it would be accepted.
    func aliyunDryRun(_ command: Command, _ record: InstanceRecord) throws(APIError) -> ActionAnswer {
        var copy = machine(record)
        do {
            _ = try copy.perform(command, at: now)
        } catch {
            throw APIError(error)
        }
        throw Self.aliyunDryRunPassed
    }

    mutating func aliyunStart(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let id = try call.parameters.required("InstanceId")
        let record = try aliyunInstance(id, call)
        if try call.parameters.bool("DryRun") == true { return try aliyunDryRun(.start, record) }
        let effects = try aliyunPerform(.start, on: record)
        let started = now
        modify(record) { $0.startedAt = started }
        return ActionAnswer([], rules: effects.citedSources)
    }

    /// StopInstances / StartInstances: `BatchOptimization` `AllTogether` (the default: all or none) or
    /// `SuccessFirst` (each on its own), answered per instance.
    mutating func aliyunBatch(_ call: AliyunCall, start: Bool) throws(APIError) -> ActionAnswer {
        let ids = try call.parameters.list("InstanceId")
        guard !ids.isEmpty else {
            throw APIError(
                "MissingParameter",
                "The input parameter \"InstanceId.1\" that is mandatory for processing this request is not supplied."
            )
        }
        guard ids.count <= 100 else {
            throw APIError(AliyunErrorCode.tooManyInstanceIds.rawValue, status: 403, "At most 100 InstanceId.N.")
        }
        guard Set(ids).count == ids.count else {
            throw APIError("InvalidParameter", "InstanceId.N names an instance twice.", rules: ["EM1"])
        }
        let command = start ? Command.start : try aliyunStopCommand(call)
        let allTogether: Bool
        switch call.parameters["BatchOptimization"] ?? "AllTogether" {
        case "AllTogether", "": allTogether = true
        case "SuccessFirst": allTogether = false
        default: throw APIError("InvalidParameter", "BatchOptimization must be AllTogether or SuccessFirst.")
        }
        let targets = try ids.map { id throws(APIError) in try aliyunInstance(id, call) }
        let isDryRun = try call.parameters.bool("DryRun") == true
        if allTogether || isDryRun {
            for record in targets { try aliyunTry(command, on: record) }
            if isDryRun { throw Self.aliyunDryRunPassed }
        }
        var responses: [JSONValue] = []
        var rules: [String] = []
        for record in targets {
            let before = aliyunAttributes(record)?.status.rawValue ?? ""
            do {
                let effects = try perform(command, on: record)
                rules += effects.citedSources.filter { !rules.contains($0) }
                let started = now
                if start { modify(record) { $0.startedAt = started } }
                responses.append(
                    .object([
                        ("InstanceId", .string(record.id)), ("Code", "200"), ("Message", "success"),
                        ("PreviousStatus", .string(before)),
                        ("CurrentStatus", .string(aliyunAttributes(record)?.status.rawValue ?? "")),
                    ])
                )
            } catch {
                responses.append(
                    .object([
                        ("InstanceId", .string(record.id)), ("Code", .string(error.code.rawValue)),
                        ("Message", .string(error.message)),
                        ("PreviousStatus", .string(before)), ("CurrentStatus", .string(before)),
                    ])
                )
            }
        }
        return ActionAnswer([("InstanceResponses", .object([("InstanceResponse", .array(responses))]))], rules: rules)
    }

    /// DeleteInstance's flags: `Force`, `ForceStop=false` (graceful), `TerminateSubscription`, `DryRun`.
    func aliyunReleaseFlags(_ call: AliyunCall) throws(APIError) -> ReleaseFlags {
        var flags: ReleaseFlags = []
        if try call.parameters.bool("Force") == true { flags.insert(.force) }
        if try call.parameters.bool("ForceStop") == false, flags.contains(.force) { flags.insert(.graceful) }
        if try call.parameters.bool("TerminateSubscription") == true { flags.insert(.terminateSubscription) }
        if try call.parameters.bool("DryRun") == true { flags.insert(.dryRun) }
        return flags
    }

    mutating func aliyunDelete(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let id = try call.parameters.required("InstanceId")
        let flags = try aliyunReleaseFlags(call)
        let record = try aliyunInstance(id, call)
        let effects = try aliyunPerform(.release(flags), on: record)
        return ActionAnswer([], rules: effects.citedSources)
    }

    mutating func aliyunDeleteBatch(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let ids = try call.parameters.list("InstanceId")
        _ = try call.parameters.required("RegionId")
        let flags = try aliyunReleaseFlags(call)
        let tokenKey = try call.parameters.clientToken().map { "aliyun-delete\u{0}\(call.caller.account)\u{0}\($0)" }
        if let tokenKey, let previous = clientTokens[tokenKey] { return previous }
        let targets = try ids.map { id throws(APIError) in try aliyunInstance(id, call) }
        var members = targets.map { machine($0) }
        guard Set(ids).count == ids.count else {
            throw APIError("InvalidParameter", "InstanceId.N names an instance twice.", rules: ["EM1"])
        }
        // The model's DeleteInstances checks (count, region, every member's own release) on copies (AD2, Q5).
        do {
            _ = try configuration.model(.aliyun).releaseBatch(&members, flags: flags, at: now)
        } catch {
            throw APIError(error)
        }
        var rules = ["AD2", "Q5"]
        for record in targets {
            let effects = try aliyunPerform(.release(flags.subtracting([.dryRun])), on: record)
            rules += effects.citedSources.filter { !rules.contains($0) }
        }
        let answer = ActionAnswer([], rules: rules)
        if let tokenKey { remember(answer, token: tokenKey) }
        return answer
    }

    mutating func aliyunAutoRelease(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let id = try call.parameters.required("InstanceId")
        let record = try aliyunInstance(id, call, command: .scheduleRelease)
        let command: Command
        if let text = call.parameters["AutoReleaseTime"], !text.isEmpty {
            command = .scheduleRelease(at: try aliyunTime(text))
        } else {
            command = .cancelScheduledRelease
        }
        let effects = try aliyunPerform(command, on: record)
        return ActionAnswer([], rules: effects.citedSources)
    }

    /// ModifyInstanceAttribute: every parameter is read and the protection change tried on a copy before anything
    /// changes, so a refused request renames nothing.
    mutating func aliyunModifyAttribute(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let id = try call.parameters.required("InstanceId")
        let record = try aliyunInstance(id, call)
        let name = try aliyunInstanceName(call.parameters)
        let description = try aliyunText(call.parameters, "Description", lengths: 2...256)
        let hostName = try aliyunText(call.parameters, "HostName", lengths: 2...64)
        let protection = try call.parameters.bool("DeletionProtection")
        if let protection { try aliyunTry(.setProtection(protection), on: record) }
        var rules: [String] = []
        if let protection { rules = try aliyunPerform(.setProtection(protection), on: record).citedSources }
        if name != nil || description != nil || hostName != nil {
            modify(record) {
                $0.name = name ?? $0.name
                $0.instanceDescription = description ?? $0.instanceDescription
                $0.hostName = hostName ?? $0.hostName
            }
        }
        return ActionAnswer([], rules: rules)
    }

    /// Runs a command on a copy of the instance's machine: the model's refusal, with nothing changed.
    func aliyunTry(_ command: Command, on record: InstanceRecord) throws(APIError) {
        var copy = machine(record)
        do { _ = try copy.perform(command, at: now) } catch { throw APIError(error) }
    }

    /// ReActivateInstances: an overdue-stopped instance comes back when the account pays (AD6, AD9). The model
    /// restores it on the top-up itself, so this answers whether the account has paid [MODEL EM2].
    mutating func aliyunReactivate(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let id = try call.parameters.required("InstanceId")
        _ = try aliyunInstance(id, call)
        if fleet.standing(of: call.caller.account) == .inArrears {
            throw APIError(
                AliyunErrorCode.accountArrearage.rawValue,
                status: 403,
                "Your account has an overdue payment.",
                rules: ["AD6", "EM2"]
            )
        }
        return ActionAnswer([], rules: ["AD6", "EM2"])
    }

    mutating func aliyunRenew(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let id = try call.parameters.required("InstanceId")
        let record = try aliyunInstance(id, call)
        let period = try call.parameters.int("Period", in: 1...60) ?? 1
        let months: Int
        switch call.parameters["PeriodUnit"] ?? "Month" {
        case "Month", "": months = period
        case "Year": months = period * 12
        default: throw APIError("InvalidPeriodUnit.ValueNotSupported", "PeriodUnit must be Month or Year.")
        }
        let current = machine(record).instance.charge.expiresAt ?? now
        guard let until = WireTime.addingMonths(months, to: max(current, now)) else {
            throw APIError("InvalidParameter", "The renewal would end outside the supported time range.")
        }
        let effects = try aliyunPerform(.renew(until: until), on: record)
        return ActionAnswer([], rules: effects.citedSources)
    }

    /// ModifyInstanceChargeType (AD19): `InstanceIds`, a JSON array of 1 to 20 instances, converted to
    /// `InstanceChargeType=PostPaid` together: each member is checked on a copy before any changes, so one refused
    /// member refuses the request [MODEL EM13]. The other direction (`PrePaid`, the API's default) is not modelled
    /// and is refused naming it (EM8).
    mutating func aliyunModifyChargeType(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        guard let ids = try call.parameters.jsonList("InstanceIds"), !ids.isEmpty else {
            throw APIError(
                "MissingParameter",
                "The input parameter \"InstanceIds\" that is mandatory for processing this request is not supplied."
            )
        }
        guard ids.count <= 20 else {
            throw APIError("InstancesIdQuotaExceed", "At most 20 InstanceIds in one request.", rules: ["AD19"])
        }
        guard Set(ids).count == ids.count else {
            throw APIError("InvalidParameter", "InstanceIds names an instance twice.", rules: ["EM1"])
        }
        switch call.parameters["InstanceChargeType"] ?? "" {
        case "PostPaid": break
        case "PrePaid", "":
            throw APIError(
                AliyunErrorCode.unsupportedParameter.rawValue,
                "InstanceChargeType=PrePaid (the default) is not modelled by the emulator: it converts subscriptions "
                    + "to pay-as-you-go (PostPaid) only.",
                rules: ["EM8"]
            )
        default:
            throw APIError(
                AliyunErrorCode.invalidChargeType.rawValue,
                "InstanceChargeType must be PrePaid or PostPaid.",
                rules: ["AD19"]
            )
        }
        let targets = try ids.map { id throws(APIError) in try aliyunInstance(id, call, command: .convertToPayAsYouGo) }
        for record in targets { try aliyunTry(.convertToPayAsYouGo, on: record) }
        if try call.parameters.bool("DryRun") == true { throw Self.aliyunDryRunPassed }
        var rules: [String] = []
        for record in targets {
            let effects = try aliyunPerform(.convertToPayAsYouGo, on: record)
            rules += effects.citedSources.filter { !rules.contains($0) }
        }
        return ActionAnswer([], rules: rules)
    }

    /// ConvertNatPublicIpToEip (AD20): the instance's fixed public IP becomes an EIP, the same address; DescribeInstances
    /// then shows it under `EipAddress` and DescribeEipAddresses lists it.
    mutating func aliyunConvertAddress(_ call: AliyunCall) throws(APIError) -> ActionAnswer {
        let id = try call.parameters.required("InstanceId")
        let record = try aliyunInstance(id, call, command: .convertPublicIPToElasticIP)
        let effects = try aliyunPerform(.convertPublicIPToElasticIP, on: record)
        return ActionAnswer([], rules: effects.citedSources)
    }
}
