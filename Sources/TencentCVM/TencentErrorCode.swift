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

extension ReleaseError {
    /// A CVM refusal: API 3.0 answers every error with HTTP 200 and the code in the body (TD-common).
    static func tencent(
        _ code: ReleaseError.Code,
        _ command: CommandKind,
        in phase: Phase,
        _ message: String,
        _ chinese: String,
        _ source: Citation
    ) -> ReleaseError {
        ReleaseError(
            code: code,
            httpStatus: 200,
            provider: .tencent,
            phase: phase,
            command: command,
            message: message,
            chineseMessage: chinese,
            source: source
        )
    }
}
