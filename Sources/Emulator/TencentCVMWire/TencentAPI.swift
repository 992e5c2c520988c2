import EmulatorCore
import Foundation
import ProviderRegistry
import ReleaseCore
import Reporting
import TencentCVM

/// CVM 2017-03-12 over the Tencent model: TC3 JSON bodies (or flattened GET/v1 parameters) in,
/// `{"Response": {...}}` out with status 200 and `Content-Type: application/json` exactly, errors included
/// (Docs/Emulator.md "What the SDKs need from the wire", traps 1 and 2).
extension Emulator {
    /// The Tencent Cloud services served, each under its own API version and host (`<service>.tencentcloudapi.com`).
    enum TencentService: String, CaseIterable {
        /// CVM 2017-03-12: the instances.
        case cvm
        /// CBS 2017-03-12: the instances' cloud disks (DescribeDisks).
        case cbs
        /// VPC 2017-03-12: the instances' public addresses (DescribeAddresses).
        case vpc
        /// Tag 2018-08-13: tags by six-segment resource name, which tools such as Cloud Custodian use.
        case tag
        /// STS 2018-08-13: the account behind the key.
        case sts

        /// The API version the service's actions are served under.
        var version: String {
            switch self {
            case .cvm, .cbs, .vpc: return "2017-03-12"
            case .tag, .sts: return "2018-08-13"
            }
        }

        /// Whether a request must name a region: the Tag and STS APIs are global ("本接口不需要传递此参数").
        var isRegional: Bool {
            switch self {
            case .cvm, .cbs, .vpc: return true
            case .tag, .sts: return false
            }
        }

        /// Each action's documented request parameters (generated from the service's SDK models).
        var documented: [String: [String]] {
            switch self {
            case .cvm: return CVMDocumentedParameters.cvm
            case .cbs: return CVMDocumentedParameters.cbs
            case .vpc: return CVMDocumentedParameters.vpc
            case .tag: return CVMDocumentedParameters.tag
            case .sts: return [:]
            }
        }
    }

    /// The Tencent Cloud actions served, across ``TencentService``s (no two services share an action name here).
    enum TencentAction: String, CaseIterable {
        case runInstances = "RunInstances", describeInstances = "DescribeInstances"
        case stopInstances = "StopInstances", startInstances = "StartInstances"
        case terminateInstances = "TerminateInstances"
        case importInstancesActionTimer = "ImportInstancesActionTimer"
        case describeInstancesActionTimer = "DescribeInstancesActionTimer"
        case deleteInstancesActionTimer = "DeleteInstancesActionTimer"
        case modifyInstancesAttribute = "ModifyInstancesAttribute", renewInstances = "RenewInstances"
        case modifyInstancesChargeType = "ModifyInstancesChargeType"
        /// The refund a return (TerminateInstances on a subscription) would give.
        case inquiryPriceTerminateInstances = "InquiryPriceTerminateInstances"
        case describeInstancesStatus = "DescribeInstancesStatus"
        case describeRegions = "DescribeRegions", describeZones = "DescribeZones"
        /// CBS DescribeDisks: the disks of the caller's instances, as their fates leave them.
        case describeDisks = "DescribeDisks"
        /// VPC DescribeAddresses: the public addresses of the caller's instances.
        case describeAddresses = "DescribeAddresses"
        /// VPC TransformAddress: an instance's ordinary public IP becomes an EIP.
        case transformAddress = "TransformAddress"
        /// Tag API actions on CVM instances (`qcs::cvm:REGION:uin/ACCOUNT:instance/ID`).
        case tagResources = "TagResources", unTagResources = "UnTagResources", getResources = "GetResources"
        case describeResourceTagsByResourceIds = "DescribeResourceTagsByResourceIds"
        case modifyResourceTags = "ModifyResourceTags"
        /// STS 2018-08-13 (sts.tencentcloudapi.com): the account behind the key, which tools such as Cloud
        /// Custodian ask first.
        case getCallerIdentity = "GetCallerIdentity"

        /// The service the action belongs to.
        var service: TencentService {
            switch self {
            case .runInstances, .describeInstances, .stopInstances, .startInstances, .terminateInstances,
                .importInstancesActionTimer, .describeInstancesActionTimer, .deleteInstancesActionTimer,
                .modifyInstancesAttribute, .renewInstances, .modifyInstancesChargeType,
                .inquiryPriceTerminateInstances, .describeInstancesStatus,
                .describeRegions, .describeZones:
                return .cvm
            case .describeDisks: return .cbs
            case .describeAddresses, .transformAddress: return .vpc
            case .tagResources, .unTagResources, .getResources, .describeResourceTagsByResourceIds,
                .modifyResourceTags:
                return .tag
            case .getCallerIdentity: return .sts
            }
        }

        /// The API version the action belongs to: its service's.
        var version: String { service.version }

        /// The action's documented request parameters, from its service's SDK models.
        var documented: [String]? { service.documented[rawValue] }

        /// The documented parameters the action honours: reads, checks and uses or shows back (EM8). A list is
        /// named by its elements (`InstanceIds.N`).
        var honoured: Set<String> {
            switch self {
            case .runInstances:
                return [
                    "InstanceChargeType", "InstanceChargePrepaid.Period", "InstanceChargePrepaid.RenewFlag",
                    "InstanceCount", "DisableApiTermination", "ActionTimer.TimerAction", "ActionTimer.ActionTime",
                    "ActionTimer.Externals.ReleaseAddress", "DataDisks.N.DiskType", "DataDisks.N.DiskSize",
                    "DataDisks.N.DeleteWithInstance", "InternetAccessible.InternetMaxBandwidthOut",
                    "InternetAccessible.PublicIpAssigned", "Placement.Zone", "InstanceType", "ImageId",
                    "InstanceName", "ClientToken", "DryRun", "TagSpecification.N.ResourceType",
                    "TagSpecification.N.Tags.N.Key", "TagSpecification.N.Tags.N.Value", "UserData",
                    "SecurityGroupIds.N", "VirtualPrivateCloud.VpcId", "VirtualPrivateCloud.SubnetId",
                    "InternetAccessible.InternetChargeType", "SystemDisk.DiskType", "SystemDisk.DiskSize",
                    "LoginSettings.KeyIds.N", "HostName",
                ]
            case .describeInstances:
                return ["InstanceIds.N", "Filters.N.Name", "Filters.N.Values.N", "Offset", "Limit"]
            case .stopInstances: return ["InstanceIds.N", "StopType", "StoppedMode", "ForceStop"]
            case .startInstances: return ["InstanceIds.N"]
            case .terminateInstances: return ["InstanceIds.N", "ReleaseAddress", "ReleasePrepaidDataDisks"]
            case .importInstancesActionTimer:
                return [
                    "InstanceIds.N", "ActionTimer.TimerAction", "ActionTimer.ActionTime",
                    "ActionTimer.Externals.ReleaseAddress",
                ]
            case .describeInstancesActionTimer:
                return ["ActionTimerIds.N", "InstanceIds.N", "TimerAction", "StatusList.N"]
            case .deleteInstancesActionTimer: return ["ActionTimerIds.N"]
            case .modifyInstancesAttribute: return ["InstanceIds.N", "InstanceName", "DisableApiTermination"]
            case .renewInstances:
                return ["InstanceIds.N", "InstanceChargePrepaid.Period", "InstanceChargePrepaid.RenewFlag"]
            case .modifyInstancesChargeType: return ["InstanceIds.N", "InstanceChargeType"]
            case .inquiryPriceTerminateInstances: return ["InstanceIds.N"]
            case .describeInstancesStatus: return ["InstanceIds.N", "Offset", "Limit"]
            case .describeRegions, .describeZones, .getCallerIdentity: return []
            case .describeDisks: return ["DiskIds.N", "Filters.N.Name", "Filters.N.Values.N", "Offset", "Limit"]
            case .describeAddresses: return ["AddressIds.N", "Filters.N.Name", "Filters.N.Values.N", "Offset", "Limit"]
            case .transformAddress: return ["InstanceId"]
            case .tagResources: return ["ResourceList.N", "Tags.N.TagKey", "Tags.N.TagValue"]
            case .unTagResources: return ["ResourceList.N", "TagKeys.N"]
            case .modifyResourceTags:
                return ["Resource", "ReplaceTags.N.TagKey", "ReplaceTags.N.TagValue", "DeleteTags.N.TagKey"]
            case .getResources:
                return [
                    "ResourceList.N", "TagFilters.N.TagKey", "TagFilters.N.TagValue.N", "PaginationToken", "MaxResults",
                ]
            case .describeResourceTagsByResourceIds:
                return [
                    "ServiceType", "ResourcePrefix", "ResourceIds.N", "ResourceRegion", "Offset", "Limit", "Category",
                ]
            }
        }
    }

    /// Refuses the first parameter the action does not honour: a documented one with `UnsupportedOperation`
    /// naming it (EM8), any other with API 3.0's `UnknownParameter`.
    func tencentCheckParameters(_ parameters: TencentParameters, action: TencentAction) throws(APIError) {
        let refusal = ParameterPolicy.check(
            ParameterPolicy.leaves(of: parameters.root),
            honoured: action.honoured,
            documented: action.documented,
            common: ["Region"]
        )
        switch refusal {
        case nil: return
        case .unmodelled(let name)?:
            throw APIError(
                "UnsupportedOperation",
                "The parameter `\(name.prefix(64))` of \(action.rawValue) is not modelled by the emulator, so it is refused rather than ignored.",
                rules: ["EM8"]
            )
        case .unknown(let name)?:
            throw APIError(
                "UnknownParameter",
                "The parameter `\(name.prefix(64))` is not defined for \(action.rawValue) (\(action.service.rawValue.uppercased()) \(action.version))."
            )
        }
    }

    /// `InstanceChargePrepaid.RenewFlag`: the model renews only when asked (RenewInstances), so an automatic
    /// renewal is refused rather than silently not made (EM8).
    func tencentManualRenewal(_ prepaid: TencentParameters?) throws(APIError) {
        guard let flag = try prepaid?.string("RenewFlag") else { return }
        switch flag {
        case "NOTIFY_AND_MANUAL_RENEW", "DISABLE_NOTIFY_AND_MANUAL_RENEW": return
        case "NOTIFY_AND_AUTO_RENEW":
            throw APIError(
                "UnsupportedOperation",
                "InstanceChargePrepaid.RenewFlag NOTIFY_AND_AUTO_RENEW is not modelled: the emulator renews only on RenewInstances.",
                rules: ["EM8"]
            )
        default:
            throw TencentParameters.invalid(
                "InstanceChargePrepaid.RenewFlag",
                "is not NOTIFY_AND_AUTO_RENEW, NOTIFY_AND_MANUAL_RENEW or DISABLE_NOTIFY_AND_MANUAL_RENEW"
            )
        }
    }

    mutating func perform(_ action: TencentAction, _ call: TencentCall) throws(APIError) -> ActionAnswer {
        switch action {
        case .runInstances: return try tencentRun(call)
        case .describeInstances: return try tencentDescribe(call)
        case .stopInstances: return try tencentStopStart(call, start: false)
        case .startInstances: return try tencentStopStart(call, start: true)
        case .terminateInstances: return try tencentTerminate(call)
        case .importInstancesActionTimer: return try tencentImportTimer(call)
        case .describeInstancesActionTimer: return try tencentDescribeTimers(call)
        case .deleteInstancesActionTimer: return try tencentDeleteTimers(call)
        case .modifyInstancesAttribute: return try tencentModifyAttribute(call)
        case .renewInstances: return try tencentRenew(call)
        case .modifyInstancesChargeType: return try tencentModifyChargeType(call)
        case .inquiryPriceTerminateInstances: return try tencentInquiryTerminate(call)
        case .getCallerIdentity: return tencentCallerIdentity(call)
        case .describeInstancesStatus: return try tencentDescribeStatus(call)
        case .describeRegions: return tencentDescribeRegions(call)
        case .describeZones: return tencentDescribeZones(call)
        case .describeDisks: return try tencentDescribeDisks(call)
        case .describeAddresses: return try tencentDescribeAddresses(call)
        case .transformAddress: return try tencentTransformAddress(call)
        case .tagResources: return try tagTagResources(call)
        case .unTagResources: return try tagUnTagResources(call)
        case .getResources: return try tagGetResources(call)
        case .describeResourceTagsByResourceIds: return try tagDescribeByResourceIDs(call)
        case .modifyResourceTags: return try tagModifyResourceTags(call)
        }
    }

    /// One authenticated CVM call.
    struct TencentCall {
        var caller: Caller
        var parameters: TencentParameters
        var region: String
        var action: String
        var requestID: String
    }

    /// What a CVM request says before any state is read: its action, its verified caller, its parameters (or
    /// why they cannot be read, refused after the nonce check as before) and its region header.
    struct TencentFront {
        var action: String
        var version: String
        var caller: Caller
        var parameters: Result<TencentParameters, APIError>
        var regionHeader: String?
        /// The service a `Host` of `<service>[.<region>].tencentcloudapi.com` names (nil in endpoint mode).
        var hostService: String?
    }

    /// Reads and verifies a CVM request, in CVM's order of refusals (Action, Version, signature).
    static func tencentFront(
        _ request: RawRequest,
        configuration: EmulatorConfiguration,
        wallClock: Instant
    ) throws(APIError) -> TencentFront {
        let flat = rpcParameters(of: request)
        let action = request.header("X-TC-Action") ?? flat?.first { $0.name == "Action" }?.value
        guard let action else {
            throw APIError("MissingParameter", "The request is missing a required parameter `Action`.")
        }
        let version = request.header("X-TC-Version") ?? flat?.first { $0.name == "Version" }?.value
        guard let version, TencentAction.allCases.contains(where: { $0.version == version }) else {
            // API 3.0's common error for a version the product does not have.
            throw APIError(
                "NoSuchVersion",
                "The API version `\((version ?? "").prefix(32))` does not exist: CVM, CBS and VPC serve 2017-03-12, Tag and STS 2018-08-13."
            )
        }
        let verified = verify(
            request,
            configuration: configuration,
            wallClock: wallClock,
            frontEnd: TencentFrontEnd.self
        )
        switch verified {
        case .success(let caller):
            return TencentFront(
                action: action,
                version: version,
                caller: caller,
                parameters: Result { () throws(APIError) in try tencentParameters(request, flat: flat) },
                regionHeader: request.header("X-TC-Region"),
                hostService: tencentHostService(request.header("Host"))
            )
        case .failure(let refusal): throw tencentRefusal(refusal)
        }
    }

    mutating func serveTencent(
        _ front: Result<TencentFront, APIError>,
        requestID: String,
        wallClock: Instant
    ) -> RawResponse {
        do throws(APIError) {
            let front = try front.get()
            if let refusal = admit(front.caller, wallClock: wallClock) { throw Self.tencentRefusal(refusal) }
            let parameters = try front.parameters.get()
            let regionParameter = try parameters.string("Region")
            let region = front.regionHeader ?? regionParameter ?? ""
            guard let known = TencentAction(rawValue: front.action), known.version == front.version,
                front.hostService.map({ $0 == known.service.rawValue }) ?? true
            else {
                throw APIError("InvalidAction", "The requested action `\(front.action.prefix(64))` does not exist.")
            }
            guard !region.isEmpty || !known.service.isRegional else {
                throw APIError("MissingParameter", "The request is missing a required parameter `Region`.")
            }
            let fault = injectedFault(
                for: FaultTarget(
                    provider: .tencent,
                    action: known.rawValue,
                    account: front.caller.account,
                    instances: (try? parameters.stringList("InstanceIds")) ?? nil ?? []
                ),
                requestID: requestID
            )
            if let fault, let refusal = Self.tencentFaultAnswer(fault.kind) { throw refusal }
            try tencentCheckParameters(parameters, action: known)
            let call = TencentCall(
                caller: front.caller,
                parameters: parameters,
                region: region,
                action: front.action,
                requestID: requestID
            )
            let answer = try perform(known, call)
            let body = JSONValue.object([("Response", .object(answer.members + [("RequestId", .string(requestID))]))])
            var response = Self.json(200, body)
            response.headers.append(contentsOf: ruleHeaders(answer.rules, kind: .tencent))
            response.delayMilliseconds = fault?.latencyMilliseconds ?? 0
            return response
        } catch {
            // API 3.0 answers refusals with 200; the code is in the body (TD2 common errors).
            let body: JSONValue = .object([
                (
                    "Response",
                    .object([
                        ("Error", .object([("Code", .string(error.code)), ("Message", .string(error.message))])),
                        ("RequestId", .string(requestID)),
                    ])
                )
            ])
            var response = Self.json(200, body)
            response.headers.append(contentsOf: ruleHeaders(error.rules, kind: .tencent))
            response.dropsConnection = error.dropsConnection
            return response
        }
    }

    /// The service a Tencent Cloud API host names: `cvm` for `cvm.tencentcloudapi.com` or
    /// `cvm.ap-guangzhou.tencentcloudapi.com`; nil for any other host (the endpoint mode's `127.0.0.1:PORT`).
    static func tencentHostService(_ host: String?) -> String? {
        guard var host = host?.lowercased() else { return nil }
        if let colon = host.lastIndex(of: ":") { host = String(host[..<colon]) }
        guard host.hasSuffix(".tencentcloudapi.com") else { return nil }
        return host.split(separator: ".").first.map(String.init)
    }

    /// The JSON body of a TC3 POST, or the flat parameters of GET and v1 requests.
    static func tencentParameters(
        _ request: RawRequest,
        flat: [(name: String, value: String)]?
    ) throws(APIError) -> TencentParameters {
        let contentType = request.header("Content-Type")?.lowercased() ?? ""
        if request.method.uppercased() == "POST", contentType.hasPrefix("application/json") {
            if request.body.isEmpty { return TencentParameters(json: .object([])) }
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(request.body)), case .object = value
            else {
                throw APIError("InvalidParameter", "The request body is not a JSON object.")
            }
            try WireLimits.checkShape(of: value)
            return TencentParameters(json: value)
        }
        let reserved: Set<String> = [
            "Action", "Version", "Region", "Timestamp", "Nonce", "SecretId", "Signature", "SignatureMethod",
            "RequestClient", "Language", "Token",
        ]
        guard let flat else {
            throw APIError(
                "InvalidParameter",
                "The query string or form body is not valid percent-encoding, or holds more than \(WireLimits.maximumParameters) parameters."
            )
        }
        let folded = try TencentParameters(
            flat: flat.filter { !reserved.contains($0.name) } + flat.filter { $0.name == "Region" }
        )
        return folded
    }

    /// The caller, with Tencent's AuthFailure codes.
    /// What an injected fault answers on CVM (EM9): API 3.0's `RequestLimitExceeded` and `InternalError` and
    /// CVM's `OperationDenied.InstanceOperationInProgress` (tencentcloud-sdk-python-cvm errorcodes), all with
    /// status 200 like every API 3.0 error; nil for latency, which is served late, not refused.
    static func tencentFaultAnswer(_ kind: Fault.Kind) -> APIError? {
        switch kind {
        case .throttle:
            return APIError("RequestLimitExceeded", "The request frequency exceeds the limit.", rules: ["EM9"])
        case .internalError:
            return APIError("InternalError", "An internal error occurred.", rules: ["EM9"])
        case .instanceBusy:
            return APIError(
                "OperationDenied.InstanceOperationInProgress",
                "An operation is in progress on the instance; try again later.",
                rules: ["EM9"]
            )
        case .drop:
            var dropped = APIError("ConnectionDropped", "(the connection is closed without an answer)", rules: ["EM9"])
            dropped.dropsConnection = true
            return dropped
        case .latency:
            return nil
        }
    }

    static func tencentRefusal(_ refusal: AuthRefusal) -> APIError {
        switch refusal {
        case .unsigned:
            return APIError(
                "AuthFailure.SignatureFailure",
                "The request is not signed (no TC3-HMAC-SHA256 Authorization or Signature parameter)."
            )
        case .malformed(let code, let message):
            return APIError(code.hasPrefix("AuthFailure") ? code : "AuthFailure.InvalidAuthorization", message)
        case .unknownKey(let key):
            return APIError("AuthFailure.SecretIdNotFound", "The SecretId \(key.prefix(64)) is not found.")
        case .signatureMismatch:
            return APIError(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. Please check your signature is correct."
            )
        case .stale(let timestamp):
            return APIError(
                "AuthFailure.SignatureExpire",
                "Signature expired. Timestamp \(timestamp.iso8601) is more than 5 minutes from the server time."
            )
        case .throttled:
            return APIError("RequestLimitExceeded", "Too many requests in the nonce window; retry later.")
        case .nonceReused:
            return APIError("AuthFailure.InvalidAuthorization", "The Nonce has been used already.")
        case .nonceTooLong:
            return APIError(
                "InvalidParameterValue",
                "The value of parameter `Nonce` must be at most \(WireLimits.maximumNonceBytes) bytes."
            )
        }
    }

    // MARK: Helpers

    func tencentInstance(_ id: String, _ call: TencentCall) throws(APIError) -> InstanceRecord {
        guard let record = owned(id, by: call.caller.account, kind: .tencent), record.region == call.region,
            machine(record).phase != .released
        else {
            throw APIError(
                TencentErrorCode.notFound.rawValue,
                "The instance `\(id.prefix(64))` does not exist.",
                rules: ["TD2"]
            )
        }
        return record
    }

    func tencentIDs(_ call: TencentCall, limit: Int = 100) throws(APIError) -> [String] {
        guard let ids = try call.parameters.stringList("InstanceIds"), !ids.isEmpty else {
            throw APIError("MissingParameter", "The request is missing a required parameter `InstanceIds`.")
        }
        guard ids.count <= limit else {
            throw APIError(
                TencentErrorCode.limitExceeded.rawValue,
                "At most \(limit) InstanceIds in one request.",
                rules: ["TD1"]
            )
        }
        guard Set(ids).count == ids.count else {
            throw APIError("InvalidParameterValue", "InstanceIds names an instance twice.", rules: ["EM1"])
        }
        return ids
    }

    /// All or nothing: every member's command on a copy first (TM4), then on the fleet.
    mutating func tencentAllOrNothing(_ commands: [(String, Command)], call: TencentCall) throws(APIError) -> [String] {
        // Every member is found and tried before any changes, so nothing below can refuse half-way.
        var members: [(InstanceRecord, Command)] = []
        for (id, command) in commands {
            let record = try tencentInstance(id, call)
            var copy = machine(record)
            do { _ = try copy.perform(command, at: now) } catch { throw APIError(error) }
            members.append((record, command))
        }
        var rules: [String] = []
        for (record, command) in members {
            do {
                let effects = try perform(command, on: record)
                rules += effects.citedSources.filter { !rules.contains($0) }
                modify(record) { $0.latestOperation = .init(name: call.action, requestID: call.requestID) }
            } catch {
                throw APIError(error)
            }
        }
        return rules
    }

    /// Changes the record of the caller's instance `id` (already checked by ``tencentInstance(_:_:)``), found again
    /// in the caller's scope: a change never reaches another account's instance.
    mutating func tencentModify(_ id: String, _ call: TencentCall, _ change: (inout InstanceRecord) -> Void) {
        guard let record = owned(id, by: call.caller.account, kind: .tencent) else { return }
        modify(record, change)
    }

    // MARK: RunInstances

    mutating func tencentRun(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let parameters = call.parameters
        let tokenKey = try parameters.clientToken().map { "tencent\u{0}\(call.caller.account)\u{0}\($0)" }
        if let tokenKey, let previous = clientTokens[tokenKey] { return previous }
        let charge: ChargeType
        let chargeType =
            try parameters.string("InstanceChargeType") ?? CVMInstanceAttributes.ChargeType.postpaidByHour.rawValue
        switch CVMInstanceAttributes.ChargeType(rawValue: chargeType) {
        case .postpaidByHour?: charge = .payAsYouGo
        case .prepaid?:
            let prepaid = try parameters.object("InstanceChargePrepaid")
            try tencentManualRenewal(prepaid)
            let period = try prepaid?.int("Period", in: 1...60) ?? 1
            guard let expiry = WireTime.addingMonths(period, to: now) else {
                throw APIError("InvalidParameterValue", "The subscription would end outside the supported time range.")
            }
            charge = .subscription(expiresAt: expiry)
        case nil:
            throw APIError(
                "InvalidParameterValue",
                "InstanceChargeType `\(chargeType.prefix(32))` is not served by the emulator (PREPAID, POSTPAID_BY_HOUR)."
            )
        }
        var order = LaunchOrder(
            kind: .tencent,
            account: call.caller.account,
            region: call.region,
            charge: charge,
            phase: .running
        )
        order.count = try parameters.int("InstanceCount", in: 1...100) ?? 1
        order.isProtected = try parameters.bool("DisableApiTermination") ?? false
        if let timer = try parameters.object("ActionTimer") {
            order.scheduledRelease = try tencentActionTime(timer)
            order.timerReleasesAddress = try timer.object("Externals")?.bool("ReleaseAddress") ?? false
        }
        for disk in try parameters.objects("DataDisks") {
            let fallback = TencentFrontEnd.resourceShapes.dataDisk
            let type = try disk.identifier("DiskType") ?? fallback.category
            order.dataDisks.append((try disk.bool("DeleteWithInstance") ?? true, type.hasPrefix("LOCAL")))
            // Shown back by CBS DescribeDisks; the models bill a disk by its existence, not its size.
            let size = try disk.int("DiskSize", in: 10...65_536) ?? fallback.size
            order.dataDiskShapes.append(DiskShape(category: type, size: size))
        }
        // RunInstances `DataDisks`: "支持购买的时候指定21块数据盘，其中最多包含1块LOCAL_BASIC数据盘或者LOCAL_SSD数据盘，
        // 最多包含20块CLOUD_BASIC数据盘、CLOUD_PREMIUM数据盘或者CLOUD_SSD数据盘" (tencentcloud-sdk-python-cvm models).
        let localDisks = order.dataDisks.filter(\.isLocal).count
        guard localDisks <= 1, order.dataDisks.count - localDisks <= 20 else {
            throw APIError(
                "InvalidParameterValue.LimitExceeded",
                "DataDisks holds \(order.dataDisks.count) disks: at most 1 local and 20 cloud data disks."
            )
        }
        let internet = try parameters.object("InternetAccessible")
        let bandwidth = try internet?.int("InternetMaxBandwidthOut", in: 0...100_000) ?? 0
        order.hasPublicIP = try internet?.bool("PublicIpAssigned") ?? (bandwidth > 0)
        order.zone = try parameters.object("Placement")?.identifier("Zone") ?? "\(call.region)-1"
        order.instanceType = try parameters.identifier("InstanceType") ?? "S5.MEDIUM2"
        order.imageID = try parameters.identifier("ImageId") ?? ""
        // RunInstances: "不指定实例显示名称则默认显示‘未命名’".
        order.name = try tencentInstanceName(parameters) ?? "未命名"
        order.names = order.name.map { NameSequence.tencent($0, count: order.count) }
        order.tags = try tencentTagSpecification(parameters)
        order.systemDisk = try tencentSystemDisk(parameters)
        order.network = try tencentNetwork(parameters, internet: internet)
        order.hostName = try parameters.string("HostName").map { name throws(APIError) -> String in
            guard (2...60).contains(name.count) else {
                throw TencentParameters.invalid("HostName", "must be 2 to 60 characters")
            }
            return name
        }
        order.userData = try Self.userData(
            try parameters.string("UserData"),
            maximumBytes: 16_384,
            code: "InvalidParameterValue.InvalidUserDataFormat"
        )
        order.isDryRun = try parameters.bool("DryRun") == true
        order.requestID = call.requestID
        order.action = call.action
        let (ids, rules) = try launch(order)
        let answer = ActionAnswer([("InstanceIdSet", .array(ids))], rules: rules)
        if let tokenKey { remember(answer, token: tokenKey) }
        return answer
    }

    /// `SystemDisk.DiskType` and `SystemDisk.DiskSize` (20 to 2,048 GiB), shown back by CBS DescribeDisks.
    func tencentSystemDisk(_ parameters: TencentParameters) throws(APIError) -> DiskShape? {
        guard let disk = try parameters.object("SystemDisk") else { return nil }
        let fallback = TencentFrontEnd.resourceShapes.systemDisk
        return DiskShape(
            category: try disk.identifier("DiskType") ?? fallback.category,
            size: try disk.int("DiskSize", in: 20...2_048) ?? fallback.size
        )
    }

    /// The network and login parameters RunInstances documents and DescribeInstances shows back:
    /// `SecurityGroupIds` (at most 5), `VirtualPrivateCloud.VpcId`/`SubnetId`, `InternetAccessible.
    /// InternetChargeType`, `LoginSettings.KeyIds` (at most 1, as the API allows one key a launch).
    func tencentNetwork(
        _ parameters: TencentParameters,
        internet: TencentParameters?
    ) throws(APIError) -> NetworkAttributes {
        var network = NetworkAttributes()
        let groups = try parameters.stringList("SecurityGroupIds") ?? []
        guard groups.count <= 5, groups.allSatisfy(WireLimits.isIdentifier) else {
            throw TencentParameters.invalid("SecurityGroupIds", "holds more than 5 ids or one that is not valid")
        }
        network.securityGroupIDs = groups
        let vpc = try parameters.object("VirtualPrivateCloud")
        network.vpcID = try vpc?.identifier("VpcId")
        network.subnetID = try vpc?.identifier("SubnetId")
        if let type = try internet?.string("InternetChargeType") {
            let known = [
                "BANDWIDTH_PREPAID", "TRAFFIC_POSTPAID_BY_HOUR", "BANDWIDTH_POSTPAID_BY_HOUR", "BANDWIDTH_PACKAGE",
            ]
            guard known.contains(type) else {
                throw TencentParameters.invalid("InternetAccessible.InternetChargeType", "is not one of \(known)")
            }
            network.internetChargeType = type
        }
        network.internetMaxBandwidthOut = try internet?.int("InternetMaxBandwidthOut", in: 0...100_000)
        let keys = try parameters.object("LoginSettings")?.stringList("KeyIds") ?? []
        guard keys.count <= 1, keys.allSatisfy(WireLimits.isIdentifier) else {
            throw TencentParameters.invalid("LoginSettings.KeyIds", "holds more than 1 key or one that is not valid")
        }
        network.keyNames = keys
        return network
    }

    /// RunInstances `TagSpecification`: tags for the instances (`ResourceType` instance; the emulator models no
    /// other resource, so another type is refused, EM8): keys 1 to 127 characters, values up to 255, no key twice
    /// (the Tag API's limits), at most 50 per instance.
    func tencentTagSpecification(_ parameters: TencentParameters) throws(APIError) -> [InstanceTag] {
        var tags: [InstanceTag] = []
        var keys = Set<String>()
        for specification in try parameters.objects("TagSpecification") {
            let type = try specification.required("ResourceType")
            guard type == "instance" else {
                throw APIError(
                    "UnsupportedOperation",
                    "TagSpecification.ResourceType `\(type.prefix(32))` is not modelled by the emulator: only instance.",
                    rules: ["EM8"]
                )
            }
            for tag in try specification.objects("Tags") {
                let key = try tag.required("Key")
                let value = try tag.string("Value") ?? ""
                guard key.count <= 127, value.count <= 255 else {
                    throw TencentParameters.invalid(
                        "TagSpecification.Tags",
                        "holds a key over 127 or a value over 255 characters"
                    )
                }
                guard keys.insert(key).inserted else {
                    throw TencentParameters.invalid("TagSpecification.Tags", "names the key `\(key.prefix(64))` twice")
                }
                guard tags.count < 50 else {
                    throw TencentParameters.invalid("TagSpecification.Tags", "holds more than 50 tags")
                }
                tags.append(InstanceTag(key: key, value: value))
            }
        }
        guard tags.count <= 50 else {
            throw TencentParameters.invalid("TagSpecification.Tags", "holds more than 50 tags")
        }
        return tags
    }

    /// STS GetCallerIdentity: the caller's account as its uin (the emulator's accounts are names), the key's
    /// identity as the root account's (STS 2018-08-13 GetCallerIdentity: Arn, AccountId, UserId, PrincipalId, Type).
    func tencentCallerIdentity(_ call: TencentCall) -> ActionAnswer {
        let account = call.caller.account
        return ActionAnswer(
            [
                ("Arn", .string("qcs::cam::uin/\(account):uin/\(account)")), ("AccountId", .string(account)),
                ("UserId", .string(account)), ("PrincipalId", .string(account)), ("Type", "RootAccount"),
            ],
            rules: []
        )
    }

    /// `InstanceName`: at most 60 bytes, else CVM's `InvalidInstanceName.TooLong` ("指定的InstanceName字符串长度超出限制，
    /// 必须小于等于60字节", tencentcloud-sdk-python-cvm errorcodes).
    func tencentInstanceName(_ parameters: TencentParameters) throws(APIError) -> String? {
        guard let name = try parameters.string("InstanceName") else { return nil }
        guard name.utf8.count <= 60 else {
            throw APIError("InvalidInstanceName.TooLong", "InstanceName must be at most 60 bytes.")
        }
        return name
    }

    /// `ActionTimer{TimerAction, ActionTime}`: only TerminateInstances, an ISO 8601 time (TD7).
    func tencentActionTime(_ timer: TencentParameters) throws(APIError) -> Instant {
        guard try timer.string("TimerAction") ?? "TerminateInstances" == "TerminateInstances" else {
            throw APIError(
                "InvalidParameterValue",
                "ActionTimer.TimerAction must be TerminateInstances.",
                rules: ["TD7"]
            )
        }
        let text = try timer.required("ActionTime")
        guard let instant = WireTime.tencent(text) else {
            throw APIError(
                "InvalidParameterValue",
                "ActionTimer.ActionTime `\(text.prefix(40))` is not an ISO 8601 time.",
                rules: ["TD7"]
            )
        }
        return instant
    }

    // MARK: DescribeInstances

    mutating func tencentDescribe(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let parameters = call.parameters
        let wanted = try parameters.stringList("InstanceIds")
        let filters = try parameters.objects("Filters")
        // DescribeInstances: "每次请求的Filters的上限为10，Filter.Values的上限为5" (tencentcloud-sdk-python-cvm models).
        guard filters.count <= 10 else {
            throw APIError("InvalidParameterValue.LimitExceeded", "At most 10 Filters.", rules: ["TD9"])
        }
        if wanted != nil, !filters.isEmpty {
            throw APIError("InvalidParameter", "InstanceIds and Filters cannot be given together.", rules: ["TD9"])
        }
        if let wanted, wanted.count > 100 {
            throw APIError(TencentErrorCode.limitExceeded.rawValue, "At most 100 InstanceIds.", rules: ["TD9"])
        }
        var conditions: [(name: String, values: [String])] = []
        for filter in filters {
            let name = try filter.required("Name")
            guard
                Self.tencentInstanceFilters.contains(name) || ["tag-key", "tag-value"].contains(name)
                    || name.hasPrefix("tag:")
            else {
                throw APIError("InvalidFilter", "The filter `\(name.prefix(40))` is not a DescribeInstances filter.")
            }
            let values = try filter.stringList("Values") ?? []
            guard values.count <= 5 else {
                throw APIError("InvalidParameterValue.LimitExceeded", "At most 5 Values a filter.", rules: ["TD9"])
            }
            if name == "creation-start-time" || name == "creation-end-time" {
                guard values.count == 1, WireTime.tencent(values[0]) != nil else {
                    throw TencentParameters.invalid("Filters.\(name)", "takes one ISO 8601 time with its offset")
                }
            }
            conditions.append((name, values))
        }
        let offset = try parameters.int("Offset", in: 0...Int(Int32.max)) ?? 0
        let limit = try parameters.int("Limit", in: 1...100) ?? 20
        var matching: [InstanceRecord] = []
        // Named instances are looked up, not searched for; the answer keeps creation order either way.
        for record in instances(of: call.caller.account, kind: .tencent, named: wanted)
        where record.region == call.region {
            let id = record.id
            countDescribe(record)
            guard let attributes = tencentAttributes(record) else { continue }
            let network = record.network ?? NetworkAttributes()
            let hasPublicIP = machine(record).instance.publicAddress != .none
            let fields: [String: [String]] = [
                "instance-id": [id], "instance-state": [attributes.instanceState.rawValue],
                "instance-charge-type": [attributes.chargeType.rawValue], "zone": [record.zone],
                "instance-name": [record.name], "vpc-id": network.vpcID.map { [$0] } ?? [],
                "subnet-id": network.subnetID.map { [$0] } ?? [], "security-group-id": network.securityGroupIDs,
                "private-ip-address": [privateIPAddress(of: record)],
                "public-ip-address": hasPublicIP ? [publicIPAddress(of: record)] : [],
                "uuid": [Self.serialNumber(of: id)],
                "project-id": ["0"],
            ]
            let tags = record.tags ?? []
            let matches = conditions.allSatisfy { condition in
                switch condition.name {
                case "creation-start-time":
                    return condition.values.first.flatMap(WireTime.tencent).map { record.createdAt >= $0 } ?? false
                case "creation-end-time":
                    return condition.values.first.flatMap(WireTime.tencent).map { record.createdAt <= $0 } ?? false
                case "tag-key": return tags.contains { condition.values.contains($0.key) }
                case "tag-value": return tags.contains { condition.values.contains($0.value) }
                case let name where name.hasPrefix("tag:"):
                    let key = String(name.dropFirst(4))
                    return tags.contains { $0.key == key && condition.values.contains($0.value) }
                default: return (fields[condition.name] ?? []).contains(where: condition.values.contains)
                }
            }
            guard matches else { continue }
            matching.append(record)
        }
        let page = offset >= matching.count ? [] : Array(matching[offset..<min(matching.count, offset + limit)])
        return ActionAnswer(
            [
                ("TotalCount", .int(Int64(matching.count))),
                ("InstanceSet", .array(page.compactMap { tencentInstanceJSON($0) })),
            ],
            rules: ["TD9"]
        )
    }

    /// Every `Filters.N.Name` DescribeInstances documents besides the tag filters (tencentcloud-sdk-python-cvm's
    /// DescribeInstancesRequest): the emulator's instances have no dedicated cluster, host or IPv6 address, so those
    /// filters match nothing.
    static let tencentInstanceFilters: Set<String> = [
        "zone", "project-id", "host-id", "dedicated-cluster-id", "vpc-id", "subnet-id", "instance-id", "uuid",
        "security-group-id", "instance-name", "instance-charge-type", "instance-state", "private-ip-address",
        "public-ip-address", "ipv6-address", "creation-start-time", "creation-end-time",
    ]

    func tencentAttributes(_ record: InstanceRecord) -> CVMInstanceAttributes? {
        guard case .tencent(let machine) = machine(record) else { return nil }
        return machine.attributes
    }

    /// One `InstanceSet[]` entry from the machine's CVM fields (TD9 DescribeInstances): every field the `Instance`
    /// model documents (``CVMDocumentedParameters/instanceFields``, checked by a test), the release's from the model,
    /// the rest from the launch request or the display defaults [MODEL EM11].
    func tencentInstanceJSON(_ listed: InstanceRecord) -> JSONValue? {
        let record = current(listed)
        let id = record.id
        guard let attributes = tencentAttributes(record) else { return nil }
        let operation = record.latestOperation
        let description = machine(record).instance
        let network = record.network ?? NetworkAttributes()
        let shownState: String
        switch visibleTransition(record) {
        case .pending?: shownState = CVMInstanceAttributes.InstanceState.pending.rawValue
        case .stopping?: shownState = CVMInstanceAttributes.InstanceState.stopping.rawValue
        case .starting?: shownState = CVMInstanceAttributes.InstanceState.starting.rawValue
        default: shownState = attributes.instanceState.rawValue
        }
        func shape(_ index: Int, _ disk: Disk) -> DiskShape { diskShape(disk, at: index, of: record) }
        var systemDisk: JSONValue = .null
        var dataDisks: [JSONValue] = []
        for (index, disk) in description.disks.enumerated() {
            var fields: [(String, JSONValue)] = [
                ("DiskType", .string(shape(index, disk).category)), ("DiskSize", .int(Int64(shape(index, disk).size))),
                ("DiskId", .string(Self.diskID(disk, instanceID: id, shapes: TencentFrontEnd.resourceShapes))),
            ]
            // The SystemDisk model has no DeleteWithInstance (a system disk always goes with its instance).
            if disk.role == .system {
                systemDisk = .object(fields)
            } else {
                fields.append(("DeleteWithInstance", .bool(disk.deleteWithInstance)))
                dataDisks.append(.object(fields))
            }
        }
        let hasPublicIP = description.publicAddress != .none
        var members: [(String, JSONValue)] = [
            ("InstanceId", .string(id)), ("InstanceName", .string(record.name)),
            ("Placement", .object([("Zone", .string(record.zone)), ("ProjectId", .int(0))])),
            ("InstanceType", .string(record.instanceType)), ("ImageId", .string(record.imageID)),
        ]
        // The release's fields, written where the inventory reads them back (TencentCVM, CVMInventoryCodec.swift).
        members += attributes.describeInstancesMembers(state: shownState)
        members += [
            ("LatestOperation", operation.map { .string($0.name) } ?? .null),
            (
                "LatestOperationState",
                operation == nil ? .null : (!operationInProgress(record) ? "SUCCESS" : "OPERATING")
            ),
            ("LatestOperationRequestId", operation.map { .string($0.requestID) } ?? .null),
            ("LatestOperationErrorMsg", .null),
            ("CreatedTime", .string(record.createdAt.iso8601)),
            (
                "Tags",
                .array((record.tags ?? []).map { .object([("Key", .string($0.key)), ("Value", .string($0.value))]) })
            ),
        ]
        members += [
            ("CPU", .int(2)), ("Memory", .int(8)), ("OsName", ""), ("Uuid", .string(Self.serialNumber(of: id))),
            ("HostName", .string(record.hostName ?? id)), ("SystemDisk", systemDisk), ("DataDisks", .array(dataDisks)),
            ("PrivateIpAddresses", .array([.string(privateIPAddress(of: record))])),
            ("PublicIpAddresses", hasPublicIP ? .array([.string(publicIPAddress(of: record))]) : .null),
            ("IPv6Addresses", .null), ("PublicIPv6Addresses", .null), ("RdmaIpAddresses", .null),
            (
                "InternetAccessible",
                .object([
                    ("InternetChargeType", .string(network.internetChargeType ?? "TRAFFIC_POSTPAID_BY_HOUR")),
                    ("InternetMaxBandwidthOut", .int(Int64(network.internetMaxBandwidthOut ?? (hasPublicIP ? 1 : 0)))),
                    ("PublicIpAssigned", .bool(hasPublicIP)),
                ])
            ),
            (
                "VirtualPrivateCloud",
                .object([
                    ("VpcId", .string(network.vpcID ?? "")), ("SubnetId", .string(network.subnetID ?? "")),
                    ("AsVpcGateway", .bool(false)),
                ])
            ),
            ("SecurityGroupIds", .array(network.securityGroupIDs.map { .string($0) })),
            ("LoginSettings", .object([("KeyIds", .array(network.keyNames.map { .string($0) }))])),
            ("CamRoleName", ""), ("HpcClusterId", ""), ("DedicatedClusterId", ""), ("DisasterRecoverGroupId", ""),
            ("DisasterRecoverGroupIds", .array([])), ("PartitionNumber", .int(0)), ("LicenseType", "TencentCloud"),
            ("EnableJumboFrame", .bool(false)), ("DefaultLoginUser", "root"), ("DefaultLoginPort", .int(22)),
            ("GPUInfo", .null), ("CpuTopology", .null), ("Metadata", .null),
        ]
        return .object(members)
    }

    // MARK: Commands

    mutating func tencentStopStart(_ call: TencentCall, start: Bool) throws(APIError) -> ActionAnswer {
        let ids = try tencentIDs(call)
        let command: Command
        if start {
            command = .start
        } else {
            let mode: StopChargingMode?
            switch try call.parameters.string("StoppedMode") {
            case nil: mode = nil
            case CVMInstanceAttributes.StopChargingMode.keepCharging.rawValue: mode = .keepCharging
            case CVMInstanceAttributes.StopChargingMode.stopCharging.rawValue: mode = .stopCharging
            default: throw APIError("InvalidParameterValue", "StoppedMode must be KEEP_CHARGING or STOP_CHARGING.")
            }
            let stopType = try call.parameters.string("StopType") ?? "SOFT"
            guard ["SOFT", "HARD", "SOFT_FIRST"].contains(stopType) else {
                throw APIError("InvalidParameterValue", "StopType must be SOFT, HARD or SOFT_FIRST.")
            }
            let forceStop = try call.parameters.bool("ForceStop") ?? false
            let force = stopType == "HARD" || forceStop
            command = .stop(force: force, chargingMode: mode)
        }
        let rules = try tencentAllOrNothing(ids.map { ($0, command) }, call: call)
        return ActionAnswer([], rules: rules)
    }

    /// TerminateInstances: the model's batch checks on copies (TD1 limit, mixed pricing, protection, TM4),
    /// then each member's destroy. Pay-as-you-go goes to the recycle bin (seed T2) or, under the
    /// `api-document` choice, is destroyed directly (TD1).
    mutating func tencentTerminate(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let ids = try tencentIDs(call)
        var members: [AnyInstance] = []
        for id in ids { members.append(machine(try tencentInstance(id, call))) }
        var flags: ReleaseFlags = []
        if try call.parameters.bool("ReleaseAddress") == true { flags.insert(.releaseAddress) }
        // Read so a malformed value is refused; the models keep no prepaid data disks apart from their instance
        // (brief: accept and record).
        _ = try call.parameters.bool("ReleasePrepaidDataDisks")
        // CVM's TerminateInstances documents no DryRun: a hand-made one gets UnknownParameter from the parameter
        // check before this runs (EM8).
        var rules: [String] = []
        if configuration.tencentTerminate == .apiDocument, members.allSatisfy({ $0.instance.charge.isPayAsYouGo }),
            members.allSatisfy({ $0.phase != .recycleBin })
        {
            flags.insert(.immediately)
            rules.append("TD1")
        }
        var trial = members
        do {
            _ = try configuration.model(.tencent).releaseBatch(&trial, flags: flags, at: now)
        } catch {
            throw APIError(error)
        }
        rules += try tencentAllOrNothing(ids.map { ($0, .release(flags)) }, call: call)
        for id in ids {
            guard let record = owned(id, by: call.caller.account, kind: .tencent), machine(record).phase == .released
            else { continue }
            modify(record) { $0.actionTimerID = nil }
        }
        return ActionAnswer([], rules: rules)
    }

    mutating func tencentImportTimer(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let ids = try tencentIDs(call)
        guard let timer = try call.parameters.object("ActionTimer") else {
            throw APIError("MissingParameter", "The request is missing a required parameter `ActionTimer`.")
        }
        let instant = try tencentActionTime(timer)
        let releasesAddress = try timer.object("Externals")?.bool("ReleaseAddress") ?? false
        for id in ids where configuration.secondActionTimer == .refuse {
            if tencentAttributes(try tencentInstance(id, call))?.actionTimer != nil {
                throw APIError(
                    "FailedOperation.MutActionTimerExist",
                    "该实例已存在指定的定时任务 (the instance \(id) already has a TerminateInstances timer).",
                    rules: ["EM3"]
                )
            }
        }
        let rules = try tencentAllOrNothing(ids.map { ($0, .scheduleRelease(at: instant)) }, call: call)
        var timerIDs: [JSONValue] = []
        for id in ids {
            let timerID = newTimerID(prefix: TencentFrontEnd.scheduledReleaseTimerPrefix ?? "lt-")
            tencentModify(id, call) {
                $0.actionTimerID = timerID
                $0.timerReleasesAddress = releasesAddress
            }
            timerIDs.append(.string(timerID))
        }
        return ActionAnswer([("ActionTimerIds", .array(timerIDs))], rules: rules)
    }

    /// Every pending timer of the caller's instances in the region, as (timer id, instance id, attributes).
    func tencentTimers(
        _ call: TencentCall
    ) -> [(timerID: String, instanceID: String, timer: CVMInstanceAttributes.ActionTimer, releasesAddress: Bool)] {
        instances(of: call.caller.account, kind: .tencent).compactMap { record in
            guard record.region == call.region, let timerID = record.actionTimerID,
                let timer = tencentAttributes(record)?.actionTimer
            else { return nil }
            return (timerID, record.id, timer, record.timerReleasesAddress)
        }
    }

    mutating func tencentDescribeTimers(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let timerIDs = try call.parameters.stringList("ActionTimerIds")
        for list in [
            timerIDs, try call.parameters.stringList("InstanceIds"), try call.parameters.stringList("StatusList"),
        ]
        where (list?.count ?? 0) > 100 {
            throw APIError(TencentErrorCode.limitExceeded.rawValue, "At most 100 entries in a list.")
        }
        let instanceIDs = try call.parameters.stringList("InstanceIds")
        let action = try call.parameters.string("TimerAction")
        let statuses = try call.parameters.stringList("StatusList")
        let timers = tencentTimers(call).filter { entry in
            (timerIDs.map { $0.contains(entry.timerID) } ?? true)
                && (instanceIDs.map { $0.contains(entry.instanceID) } ?? true)
                && (action.map { $0 == entry.timer.timerAction } ?? true)
                && (statuses.map { $0.contains(entry.timer.status) } ?? true)
        }
        let list: [JSONValue] = timers.map { entry in
            .object([
                ("ActionTimerId", .string(entry.timerID)), ("InstanceId", .string(entry.instanceID)),
                ("TimerAction", .string(entry.timer.timerAction)),
                ("ActionTime", .string(entry.timer.actionTime.iso8601)),
                (
                    "Externals",
                    .object([("ReleaseAddress", .bool(entry.releasesAddress))])
                ),
                ("Status", .string(entry.timer.status)),
            ])
        }
        return ActionAnswer([("TotalCount", .int(Int64(list.count))), ("ActionTimers", .array(list))], rules: ["TD7"])
    }

    mutating func tencentDeleteTimers(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        guard let timerIDs = try call.parameters.stringList("ActionTimerIds"), !timerIDs.isEmpty else {
            throw APIError("MissingParameter", "The request is missing a required parameter `ActionTimerIds`.")
        }
        guard timerIDs.count <= 100 else {
            throw APIError(TencentErrorCode.limitExceeded.rawValue, "At most 100 ActionTimerIds in one request.")
        }
        guard Set(timerIDs).count == timerIDs.count else {
            throw APIError("InvalidParameterValue", "ActionTimerIds names a timer twice.", rules: ["EM1"])
        }
        let timers = tencentTimers(call)
        var commands: [(String, Command)] = []
        for timerID in timerIDs {
            guard let entry = timers.first(where: { $0.timerID == timerID }) else {
                throw APIError(
                    "InvalidParameterValue",
                    "The ActionTimerId `\(timerID.prefix(40))` does not exist.",
                    rules: ["TD7"]
                )
            }
            commands.append((entry.instanceID, .cancelScheduledRelease))
        }
        let rules = try tencentAllOrNothing(commands, call: call)
        for (id, _) in commands { tencentModify(id, call) { $0.actionTimerID = nil } }
        return ActionAnswer([], rules: rules)
    }

    /// ModifyInstancesAttribute: every parameter is read and every instance's protection change tried before
    /// anything changes, so a refused request renames nothing.
    mutating func tencentModifyAttribute(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let ids = try tencentIDs(call)
        let name = try tencentInstanceName(call.parameters)
        let protection = try call.parameters.bool("DisableApiTermination")
        for id in ids { _ = try tencentInstance(id, call) }
        var rules: [String] = []
        if let protection {
            rules = try tencentAllOrNothing(ids.map { ($0, .setProtection(protection)) }, call: call)
        }
        if let name {
            for id in ids { tencentModify(id, call) { $0.name = name } }
        }
        return ActionAnswer([], rules: rules)
    }

    mutating func tencentRenew(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let ids = try tencentIDs(call)
        let prepaid = try call.parameters.object("InstanceChargePrepaid")
        try tencentManualRenewal(prepaid)
        let period = try prepaid?.int("Period", in: 1...60) ?? 1
        var commands: [(String, Command)] = []
        for id in ids {
            let record = try tencentInstance(id, call)
            let current = machine(record).instance.charge.expiresAt ?? now
            guard let until = WireTime.addingMonths(period, to: max(current, now)) else {
                throw APIError("InvalidParameterValue", "The renewal would end outside the supported time range.")
            }
            commands.append((id, .renew(until: until)))
        }
        let rules = try tencentAllOrNothing(commands, call: call)
        return ActionAnswer([], rules: rules)
    }

    /// ModifyInstancesChargeType (TD12): at most 20 `InstanceIds`, converted to `POSTPAID_BY_HOUR` all or nothing
    /// (every member checked on a copy first, [MODEL] EM13), each shown `OPERATING` then `SUCCESS` as its
    /// latest operation. `PREPAID` is not modelled and is refused naming it (EM8).
    mutating func tencentModifyChargeType(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let ids = try tencentIDs(call, limit: 20)
        switch try call.parameters.string("InstanceChargeType") {
        case "POSTPAID_BY_HOUR"?: break
        case "PREPAID"?:
            throw APIError(
                "UnsupportedOperation",
                "InstanceChargeType PREPAID is not modelled by the emulator: it converts subscriptions to "
                    + "pay-as-you-go (POSTPAID_BY_HOUR) only.",
                rules: ["EM8"]
            )
        case nil:
            throw APIError("MissingParameter", "The request is missing a required parameter `InstanceChargeType`.")
        case let other?:
            throw APIError(
                "InvalidParameterValue",
                "InstanceChargeType `\(other.prefix(64))` is not PREPAID or POSTPAID_BY_HOUR.",
                rules: ["TD12"]
            )
        }
        let rules = try tencentAllOrNothing(ids.map { ($0, .convertToPayAsYouGo) }, call: call)
        return ActionAnswer([], rules: rules)
    }

    /// VPC TransformAddress (TD13): the instance's ordinary public IP becomes an EIP, the same address. The answer
    /// carries the new EIP's `AddressId` and a `TaskId`; the change is done when it answers, so the task is the
    /// instance's sequence number and has nothing left to run [MODEL EM11].
    mutating func tencentTransformAddress(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        guard let id = try call.parameters.string("InstanceId"), !id.isEmpty else {
            throw APIError("MissingParameter", "The request is missing a required parameter `InstanceId`.")
        }
        let record = try tencentInstance(id, call)
        let effects: [Effect]
        do {
            effects = try perform(.convertPublicIPToElasticIP, on: record)
        } catch {
            throw APIError(error)
        }
        let addressID = Self.resourceID(.address(.elasticIP), instanceID: id, shapes: TencentFrontEnd.resourceShapes)
        return ActionAnswer(
            [("TaskId", .int(Int64(handle(record).index) + 1)), ("AddressId", .string(addressID))],
            rules: effects.citedSources
        )
    }

    /// InquiryPriceTerminateInstances: what returning each instance now would refund, all or nothing (an instance
    /// TerminateInstances would refuse fails the call with its code). A subscription's refund is its whole calendar
    /// months left at the `--prices` month price ([MODEL] PM3); a pay-as-you-go instance's is 0. Without prices
    /// the emulator cannot quote and says so (`FailedOperation.InquiryRefundPriceFailed`), never a made-up 0.
    mutating func tencentInquiryTerminate(_ call: TencentCall) throws(APIError) -> ActionAnswer {
        let ids = try tencentIDs(call)
        for id in ids {
            var copy = machine(try tencentInstance(id, call))
            do { _ = try copy.perform(.release([]), at: now) } catch { throw APIError(error) }
        }
        guard let table = configuration.prices?.table(for: ProviderModel.Kind.tencent.providerType.id),
            table.subscriptionPerMonth != nil
        else {
            throw APIError(
                "FailedOperation.InquiryRefundPriceFailed",
                "The emulator has no subscription price to quote a refund with: start it with --prices FILE "
                    + "(Docs/Prices.md).",
                rules: ["PM3"]
            )
        }
        var refunds: [JSONValue] = []
        for id in ids {
            let record = try tencentInstance(id, call)
            let expiry = machine(record).instance.charge.expiresAt
            let months = expiry.map { now.wholeCalendarMonths(until: $0) } ?? 0
            let refund = expiry.flatMap { table.refund(returningAt: now, expiresAt: $0) } ?? .zero(table.currency)
            let amount = refund.rounded(places: 2)
            refunds.append(
                .object([
                    ("InstanceId", .string(id)), ("Refunds", .double(Double(amount) ?? 0)),
                    (
                        "PriceDetail",
                        .string(
                            "退款：\(amount)\(table.currency == "CNY" ? "元" : " " + table.currency)（\(months) 个完整月，PM3）"
                        )
                    ),
                ])
            )
        }
        return ActionAnswer([("InstanceRefundsSet", .array(refunds))], rules: ["PM3"])
    }
}
