public import ReleaseCore

/// The ECS error codes the models return, with the HTTP status each page documents.
public enum AliyunErrorCode {
    /// State does not allow the operation (e.g. releasing a running instance without `Force`). 403. Seed 004.
    public static let incorrectInstanceStatus: ReleaseError.Code = "IncorrectInstanceStatus"
    /// The instance is still initializing. 403. AD1.
    public static let initializing: ReleaseError.Code = "IncorrectInstanceStatus.Initializing"
    /// Release protection is on. 403. Seeds 001, 003.
    public static let deletionProtection: ReleaseError.Code = "InvalidOperation.DeletionProtection"
    /// Locked for security. 403. AD1.
    public static let lockedForSecurity: ReleaseError.Code = "InstanceLockedForSecurity"
    /// The billing method does not allow it. 403. AD1, AD3, AD14.
    public static let chargeTypeViolation: ReleaseError.Code = "ChargeTypeViolation"
    /// No such instance (e.g. already released). 404. AD1.
    public static let notFound: ReleaseError.Code = "InvalidInstanceId.NotFound"
    /// DeleteInstance dry run would succeed. AD1.
    public static let dryRunOperation: ReleaseError.Code = "DryRunOperation"
    /// DeleteInstances dry run would succeed. 400. AD2.
    public static let batchDryRunSuccess: ReleaseError.Code = "DRYRUN.SUCCESS"
    /// More than 100 ids in DeleteInstances. 403. AD2.
    public static let tooManyInstanceIds: ReleaseError.Code = "InvalidParameter.TooManyInstanceIds"
    /// DeleteInstances across regions. 400. AD2.
    public static let crossRegion: ReleaseError.Code = "InvalidParameter.CrossRegionNotSupport"
    /// A required parameter is missing (e.g. no instance id). 400. AD3.
    public static let missingParameter: ReleaseError.Code = "MissingParameter"
    /// A bad `AutoReleaseTime`. 400. AD3.
    public static let malformedAutoReleaseTime: ReleaseError.Code = "InvalidAutoReleaseTime.Malformed"
    /// A parameter the API does not have. 400. AD3.
    public static let unsupportedParameter: ReleaseError.Code = "UnsupportedParameter"
    /// The instance is expired or in arrears. 403. AD4 StartInstance/StopInstance, AD11.
    public static let expiredOrInArrears: ReleaseError.Code = "InstanceExpiredOrInArrears"
    /// The API does not exist (ECS has no recycle bin to restore from). 404. Common error codes.
    public static let actionNotFound: ReleaseError.Code = "InvalidAction.NotFound"
    /// The account has an overdue payment, so nothing new can be created. 400. AD11, code per AM4.
    public static let accountArrearage: ReleaseError.Code = "Account.Arrearage"

    /// The HTTP status each code is documented with (nil where none is).
    public static func httpStatus(of code: ReleaseError.Code) -> Int? {
        AliyunRefusal.allCases.first { $0.code == code }?.httpStatus
    }
}

/// The models' refusals, each with its code and documented HTTP status in one place. Throw sites name a case,
/// so building an error costs an integer switch rather than string comparisons.
enum AliyunRefusal: CaseIterable {
    case incorrectInstanceStatus, initializing, deletionProtection, lockedForSecurity, chargeTypeViolation
    case notFound, dryRunOperation, batchDryRunSuccess, tooManyInstanceIds, crossRegion, missingParameter
    case malformedAutoReleaseTime, unsupportedParameter, expiredOrInArrears, actionNotFound, accountArrearage

    var code: ReleaseError.Code {
        switch self {
        case .incorrectInstanceStatus: return AliyunErrorCode.incorrectInstanceStatus
        case .initializing: return AliyunErrorCode.initializing
        case .deletionProtection: return AliyunErrorCode.deletionProtection
        case .lockedForSecurity: return AliyunErrorCode.lockedForSecurity
        case .chargeTypeViolation: return AliyunErrorCode.chargeTypeViolation
        case .notFound: return AliyunErrorCode.notFound
        case .dryRunOperation: return AliyunErrorCode.dryRunOperation
        case .batchDryRunSuccess: return AliyunErrorCode.batchDryRunSuccess
        case .tooManyInstanceIds: return AliyunErrorCode.tooManyInstanceIds
        case .crossRegion: return AliyunErrorCode.crossRegion
        case .missingParameter: return AliyunErrorCode.missingParameter
        case .malformedAutoReleaseTime: return AliyunErrorCode.malformedAutoReleaseTime
        case .unsupportedParameter: return AliyunErrorCode.unsupportedParameter
        case .expiredOrInArrears: return AliyunErrorCode.expiredOrInArrears
        case .actionNotFound: return AliyunErrorCode.actionNotFound
        case .accountArrearage: return AliyunErrorCode.accountArrearage
        }
    }

    /// AD1, AD2, AD3 and the common error codes list these statuses; DryRunOperation has none.
    var httpStatus: Int? {
        switch self {
        case .notFound, .actionNotFound: return 404
        case .batchDryRunSuccess, .crossRegion, .missingParameter, .malformedAutoReleaseTime, .unsupportedParameter,
            .accountArrearage:
            return 400
        case .dryRunOperation: return nil
        case .incorrectInstanceStatus, .initializing, .deletionProtection, .lockedForSecurity, .chargeTypeViolation,
            .tooManyInstanceIds, .expiredOrInArrears:
            return 403
        }
    }
}

extension AliyunRefusal {
    /// This refusal as an ECS error, with the code's HTTP status.
    func error(
        _ command: CommandKind,
        in phase: Phase,
        _ message: String,
        _ chinese: String,
        _ source: Citation
    ) -> ReleaseError {
        ReleaseError(
            code: code,
            httpStatus: httpStatus,
            provider: .aliyun,
            phase: phase,
            command: command,
            message: message,
            chineseMessage: chinese,
            source: source
        )
    }
}
