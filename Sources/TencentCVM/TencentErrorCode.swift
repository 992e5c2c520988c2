public import ReleaseCore

/// The CVM error codes the models return (TD1/TD2 error catalogue; CVM documents no HTTP statuses).
public enum TencentErrorCode {
    /// Termination protection is on. TD2.
    public static let instancesProtected: ReleaseError.Code = "UnsupportedOperation.InstancesProtected"
    /// Mixed billing types in one TerminateInstances call. TD1.
    public static let mixedPricingModel: ReleaseError.Code = "UnsupportedOperation.InstanceMixedPricingModel"
    /// The billing type does not support the operation. TD2.
    public static let instanceChargeType: ReleaseError.Code = "UnsupportedOperation.InstanceChargeType"
    /// Too many ids (more than 100). TD2 (usage inferred).
    public static let limitExceeded: ReleaseError.Code = "InvalidParameterValue.LimitExceeded"
    /// Unknown instance (e.g. released). TD2.
    public static let notFound: ReleaseError.Code = "InvalidInstanceId.NotFound"
    /// A bad parameter value (e.g. `ActionTime` too soon; fact sheet Q15). Common error codes.
    public static let invalidParameterValue: ReleaseError.Code = "InvalidParameterValue"
    /// A parameter the API does not have. Common error codes.
    public static let unknownParameter: ReleaseError.Code = "UnknownParameter"
    /// A dry run that would have succeeded (`DryRun=true`): RunInstances' error list (TD2-run).
    public static let dryRunOperation: ReleaseError.Code = "DryRunOperation"
    /// A required parameter is missing. Common error codes.
    public static let missingParameter: ReleaseError.Code = "MissingParameter"
    /// The account's balance is insufficient. TD2 errors.go.
    public static let insufficientBalance: ReleaseError.Code = "InvalidAccount.InsufficientBalance"
    /// Protection cannot change while a termination schedule exists. TD2.
    public static let protectedWhileScheduled: ReleaseError.Code =
        "UnsupportedOperation.InvalidInstanceNotSupportedProtectedInstance"

    /// ImportInstancesActionTimer: setting a timer on this instance fails (TD11: the action's own code for an
    /// instance it will not schedule).
    public static let actionTimerNotSupported: ReleaseError.Code =
        "UnsupportedOperation.NotSupportImportInstancesActionTimer"
    /// RenewInstances: an instance the operation does not support. TD11.
    public static let instanceNotSupported: ReleaseError.Code = "InvalidInstance.NotSupported"
    /// A resource that does not exist. API 3.0 common error codes (TD-common).
    public static let resourceNotFound: ReleaseError.Code = "ResourceNotFound"

    /// TransformAddress: the instance has no ordinary public (WAN) IP. TD13.
    public static let noWanIP: ReleaseError.Code = "InvalidParameterValue.InstanceNoWanIP"
    /// TransformAddress: the instance already has an EIP. TD13.
    public static let alreadyBindEip: ReleaseError.Code = "InvalidInstanceId.AlreadyBindEip"
    /// TransformAddress: the instance's state does not allow it. TD13.
    public static let invalidInstanceState: ReleaseError.Code = "InvalidParameterValue.InvalidInstanceState"
    /// Another operation is in progress on the instance. ModifyInstancesChargeType's list (TD12).
    public static let operationInProgress: ReleaseError.Code = "OperationDenied.InstanceOperationInProgress"

    /// `UnsupportedOperation.InstanceStatePending` and its siblings (TD2 errors.go): the state forbids it.
    public static let statePending: ReleaseError.Code = "UnsupportedOperation.InstanceStatePending"
    public static let stateStarting: ReleaseError.Code = "UnsupportedOperation.InstanceStateStarting"
    public static let stateRunning: ReleaseError.Code = "UnsupportedOperation.InstanceStateRunning"
    public static let stateStopping: ReleaseError.Code = "UnsupportedOperation.InstanceStateStopping"
    public static let stateStopped: ReleaseError.Code = "UnsupportedOperation.InstanceStateStopped"
    /// Isolated (`SHUTDOWN`) instances: the recycle bin, or arrears isolation.
    public static let stateShutdown: ReleaseError.Code = "UnsupportedOperation.InstanceStateShutdown"
    public static let stateTerminated: ReleaseError.Code = "UnsupportedOperation.InstanceStateTerminated"
}

extension TencentErrorCode {
    /// API 3.0's common error codes, which every action may answer (TD-common).
    public static let common: [(ReleaseError.Code, Citation)] = [
        (unknownParameter, TencentSource.commonErrors), (missingParameter, TencentSource.commonErrors),
        (invalidParameterValue, TencentSource.commonErrors), (resourceNotFound, TencentSource.commonErrors),
        ("InvalidParameter", TencentSource.commonErrors),
    ]

    /// Each command's API and the codes its error list names (TD11: the SDK's per-action lists, generated from
    /// the API pages), with API 3.0's common codes: the catalogue every refusal's code comes from (issue 23).
    /// Codes the model answers where the lists are silent cite their [MODEL] choice.
    public static func documented(_ command: CommandKind) -> DocumentedErrors {
        let states: [(ReleaseError.Code, Citation)]
        let own: [(ReleaseError.Code, Citation)]
        let api: String
        switch command {
        case .release, .unsubscribe:
            api = command == .release ? "TerminateInstances" : "TerminateInstances (returning a subscription, TM12)"
            states = [statePending, stateStarting, stateStopping, stateTerminated].map { ($0, TencentSource.td11) }
            own = [
                (notFound, TencentSource.td11), (instancesProtected, TencentSource.td11),
                (mixedPricingModel, TencentSource.td11), (instanceChargeType, TencentSource.td11),
                (limitExceeded, TencentSource.td11),
            ]
        case .stop:
            api = "StopInstances"
            states = [statePending, stateStarting, stateStopping, stateStopped, stateShutdown, stateTerminated]
                .map { ($0, TencentSource.td11) }
            own = [(notFound, TencentSource.td11)]
        case .start:
            api = "StartInstances"
            states = [statePending, stateStarting, stateRunning, stateStopping, stateShutdown, stateTerminated]
                .map { ($0, TencentSource.td11) }
            own = [(notFound, TencentSource.td11)]
        case .scheduleRelease:
            api = "ImportInstancesActionTimer"
            states = []
            own = [(notFound, TencentSource.td11), (actionTimerNotSupported, TencentSource.td11)]
        case .cancelScheduledRelease:
            // TD11 lists only InvalidParameterValue.InvalidAppIdFormat: a released instance's timer is a resource
            // that no longer exists (API 3.0's common ResourceNotFound).
            api = "DeleteInstancesActionTimer"
            states = []
            own = []
        case .setProtection:
            api = "ModifyInstancesAttribute"
            states = [statePending, stateStarting, stateStopping, stateShutdown, stateTerminated]
                .map { ($0, TencentSource.td11) }
            own = [(notFound, TencentSource.td11), (protectedWhileScheduled, TencentSource.td11)]
        case .renew:
            api = "RenewInstances"
            states = [statePending, stateStarting, stateStopping].map { ($0, TencentSource.td11) }
            own = [
                (notFound, TencentSource.td11), (instanceChargeType, TencentSource.td11),
                (instanceNotSupported, TencentSource.td11), (insufficientBalance, TencentSource.td11),
            ]
        case .convertToPayAsYouGo:
            api = "ModifyInstancesChargeType"
            states = [stateStopping, stateShutdown].map { ($0, TencentSource.td12) }
            own = [
                (notFound, TencentSource.td12), (instanceChargeType, TencentSource.td12),
                (operationInProgress, TencentSource.td12),
            ]
        case .convertPublicIPToElasticIP:
            api = "TransformAddress (VPC)"
            states = [(invalidInstanceState, TencentSource.td13)]
            own = [
                (notFound, TencentSource.td13), (noWanIP, TencentSource.td13), (alreadyBindEip, TencentSource.td13),
            ]
        case .restore:
            // No API (fact sheet Q18): the console's restore; its codes are the model's (T2, TM3, TD4 states).
            api = "(console restore, no API)"
            states = [statePending, stateStarting, stateRunning, stateStopping, stateStopped]
                .map { ($0, TencentSource.td4) }
            own = [
                (notFound, TencentSource.q18), (insufficientBalance, TencentSource.t2),
                (instanceChargeType, TencentSource.tm3),
            ]
        case .launch:
            api = "RunInstances"
            states = []
            own = [
                (insufficientBalance, TencentSource.td2RunInstances), ("InvalidParameter", MachineCore.capacitySource),
            ]
        }
        return DocumentedErrors(command, api: api, codes: own + states + common)
    }
}

extension ReleaseError {
    /// The status of every CVM error: API 3.0 answers with HTTP 200 and the code in `Response.Error`
    /// (TD-common).
    static let cvmHTTPStatus = 200

    /// A CVM refusal: API 3.0 answers every error with HTTP 200 and the code in the body (TD-common).
    static func tencent(
        _ code: ReleaseError.Code,
        _ command: CommandKind,
        in phase: Phase,
        _ text: Text,
        _ source: Citation
    ) -> ReleaseError {
        ReleaseError(
            code: code,
            httpStatus: cvmHTTPStatus,
            provider: .tencent,
            phase: phase,
            command: command,
            text: text,
            source: source
        )
    }

    /// A CVM refusal saying two sentences known when the code is written.
    static func tencent(
        _ code: ReleaseError.Code,
        _ command: CommandKind,
        in phase: Phase,
        _ message: String,
        _ chinese: String,
        _ source: Citation
    ) -> ReleaseError {
        tencent(code, command, in: phase, .sentences(english: message, chinese: chinese), source)
    }
}

/// The CVM refusals whose sentences name values, rendered when read.
enum TencentRefusalReason: RefusalReason {
    /// TD7: ActionTime must be later than `earliest` (now + 5 minutes).
    case actionTimeTooSoon(actionTime: Instant, earliest: Instant)

    var english: String {
        switch self {
        case .actionTimeTooSoon(let time, let earliest): return "ActionTime \(time) must be later than \(earliest)"
        }
    }

    var chinese: String? {
        switch self {
        case .actionTimeTooSoon(let time, let earliest): return "ActionTime \(time) 必须晚于 \(earliest)"
        }
    }
}
