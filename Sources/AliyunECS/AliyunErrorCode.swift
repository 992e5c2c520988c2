public import ReleaseCore

/// The ECS error codes the models return, with the HTTP status each page documents: the one table of ECS
/// codes. Throw sites name a case, so building an error costs an integer switch rather than string comparisons.
public enum AliyunErrorCode: String, Hashable, Sendable, CaseIterable {
    /// State does not allow the operation (e.g. releasing a running instance without `Force`). 403. Seed 004.
    case incorrectInstanceStatus = "IncorrectInstanceStatus"
    /// The instance is still initializing. 403. AD1.
    case initializing = "IncorrectInstanceStatus.Initializing"
    /// Release protection is on. 403. Seeds 001, 003.
    case deletionProtection = "InvalidOperation.DeletionProtection"
    /// Locked for security. 403. AD1.
    case lockedForSecurity = "InstanceLockedForSecurity"
    /// The billing method does not allow it. 403. AD1, AD3, AD14.
    case chargeTypeViolation = "ChargeTypeViolation"
    /// No such instance (e.g. already released). 404. AD1, and the StopInstance, StartInstance,
    /// ModifyInstanceAttribute and RenewInstance pages.
    case notFound = "InvalidInstanceId.NotFound"
    /// ModifyInstanceAutoReleaseTime's own answer for an instance it cannot find. 404. AD3.
    case noSuchResource = "NoSuchResource"
    /// StartInstance on an instance stopped for an overdue bill or an expired subscription. 403. AD16.
    case instanceExpired = "InstanceExpired"
    /// A parameter DeleteInstance does not take. 400. AD1.
    case invalidParameter = "InvalidParameter"
    /// DeleteInstance dry run would succeed. AD1.
    case dryRunOperation = "DryRunOperation"
    /// DeleteInstances dry run would succeed. 400. AD2.
    case batchDryRunSuccess = "DRYRUN.SUCCESS"
    /// More than 100 ids in DeleteInstances. 403. AD2.
    case tooManyInstanceIds = "InvalidParameter.TooManyInstanceIds"
    /// DeleteInstances across regions. 400. AD2.
    case crossRegion = "InvalidParameter.CrossRegionNotSupport"
    /// A required parameter is missing (e.g. no instance id). 400. AD3.
    case missingParameter = "MissingParameter"
    /// A bad `AutoReleaseTime`. 400. AD3.
    case malformedAutoReleaseTime = "InvalidAutoReleaseTime.Malformed"
    /// A parameter the API does not have. 400. AD3.
    case unsupportedParameter = "UnsupportedParameter"
    /// The instance is expired or in arrears. 403. AD4 StartInstance/StopInstance, AD11.
    case expiredOrInArrears = "InstanceExpiredOrInArrears"
    /// The API does not exist (ECS has no recycle bin to restore from). 404. Common error codes.
    case actionNotFound = "InvalidAction.NotFound"
    /// The account has an overdue payment, so nothing new can be created. 400. AD11, code per AM4.
    case accountArrearage = "Account.Arrearage"

    /// ModifyInstanceChargeType: the instance's state does not allow it. 400. AD19.
    case invalidStatus = "InvalidStatus.ValueNotSupported"
    /// ModifyInstanceChargeType: the instance has expired. 400. AD19.
    case expiredInstance = "ExpiredInstance"
    /// ModifyInstanceChargeType: the target billing method is not supported (already that method, AM5). 400. AD19.
    case invalidChargeType = "InvalidInstanceChargeType.ValueNotSupported"

    /// ConvertNatPublicIpToEip: the instance has no public bandwidth (no fixed public IP). 403. AD20.
    case zeroBandwidth = "InvalidInstance.ZeroBandwidth"
    /// ConvertNatPublicIpToEip: the operation is denied (AM6: the address is already an EIP). 403. AD20.
    case operationDenied = "OperationDenied"
    /// ConvertNatPublicIpToEip: the instance has an overdue payment. 403. AD20.
    case overduePayment = "InvalidInstance.OverduePayment"
    /// ConvertNatPublicIpToEip: the instance's expiry does not allow it (expired, or within 24 h). 403. AD20.
    case endTimeNotSupported = "InvalidEndTime.OperateNotSupport"

    /// The code as a `ReleaseError.Code`.
    public var code: ReleaseError.Code { ReleaseError.Code(rawValue: rawValue) }

    /// The HTTP status each code is documented with (nil where none is).
    public static func httpStatus(of code: ReleaseError.Code) -> Int? {
        AliyunErrorCode(rawValue: code.rawValue)?.httpStatus
    }

    /// AD1, AD2, AD3 and the common error codes list these statuses; DryRunOperation has none.
    public var httpStatus: Int? {
        switch self {
        case .notFound, .actionNotFound, .noSuchResource: return 404
        case .batchDryRunSuccess, .crossRegion, .missingParameter, .malformedAutoReleaseTime, .unsupportedParameter,
            .accountArrearage, .invalidParameter, .invalidStatus, .expiredInstance, .invalidChargeType:
            return 400
        case .dryRunOperation: return nil
        case .incorrectInstanceStatus, .initializing, .deletionProtection, .lockedForSecurity, .chargeTypeViolation,
            .tooManyInstanceIds, .expiredOrInArrears, .instanceExpired, .zeroBandwidth, .operationDenied,
            .overduePayment,
            .endTimeNotSupported:
            return 403
        }
    }
}

extension AliyunErrorCode {
    /// Every command's ``documented(_:)`` table, built once: a refusal looks up the source of its code here
    /// instead of building its command's table again (a replay refuses millions of records).
    static let documentedByCommand: [CommandKind: DocumentedErrors] = Dictionary(
        uniqueKeysWithValues: CommandKind.allCases.map { ($0, documented($0)) }
    )

    /// The source that lists `code` for `command` (``documented(_:)``), or nil where the command's page does not
    /// list it. Read from a table built once and indexed by the two cases' places: a refusal hashes no string
    /// (Docs/Performance.md, "A released instance's refusal without hashing").
    package static func documentedSource(of code: AliyunErrorCode, for command: CommandKind) -> Citation? {
        guard let commandPlace = CommandKind.allCases.firstIndex(of: command),
            let codePlace = allCases.firstIndex(of: code)
        else { return nil }
        return sourceByCommandAndCode[commandPlace][codePlace]
    }

    /// ``documentedByCommand``'s sources by the places of the command in `CommandKind.allCases` and of the code in
    /// ``allCases``.
    private static let sourceByCommandAndCode: [[Citation?]] = CommandKind.allCases.map { command in
        let documented = documentedByCommand[command]
        return allCases.map { documented?.codes[$0.code] }
    }

    /// Each command's API and the codes its page's error table lists, with the page: the catalogue every
    /// refusal's code comes from (issue 23: a refusal carries the refused action's own code). Codes the model
    /// answers where the pages are silent cite their [MODEL] choice.
    public static func documented(_ command: CommandKind) -> DocumentedErrors {
        switch command {
        case .release:
            // AD1 DeleteInstance; AD2 DeleteInstances lists its own codes plus every DeleteInstance one.
            return DocumentedErrors(
                .release,
                api: "DeleteInstance / DeleteInstances",
                codes: [
                    (notFound, AliyunSource.ad1), (incorrectInstanceStatus, AliyunSource.ad1),
                    (initializing, AliyunSource.ad1), (deletionProtection, AliyunSource.ad1),
                    (lockedForSecurity, AliyunSource.ad1), (chargeTypeViolation, AliyunSource.ad1),
                    (invalidParameter, AliyunSource.ad1), (dryRunOperation, AliyunSource.ad1),
                    (missingParameter, AliyunSource.ad2), (batchDryRunSuccess, AliyunSource.ad2),
                    (tooManyInstanceIds, AliyunSource.ad2), (crossRegion, AliyunSource.ad2),
                ]
            )
        case .scheduleRelease, .cancelScheduledRelease:
            // AD3: one API sets and cancels; its 404 is NoSuchResource, not DeleteInstance's
            // InvalidInstanceId.NotFound.
            return DocumentedErrors(
                command,
                api: "ModifyInstanceAutoReleaseTime",
                codes: [
                    (missingParameter, AliyunSource.ad3), (malformedAutoReleaseTime, AliyunSource.ad3),
                    (unsupportedParameter, AliyunSource.ad3), (chargeTypeViolation, AliyunSource.ad3),
                    (noSuchResource, AliyunSource.ad3),
                ]
            )
        case .stop:
            return DocumentedErrors(
                .stop,
                api: "StopInstance",
                codes: [
                    (notFound, AliyunSource.ad15), (incorrectInstanceStatus, AliyunSource.ad15),
                    (lockedForSecurity, AliyunSource.ad15), (expiredOrInArrears, AliyunSource.ad15),
                ]
            )
        case .start:
            // AD16 lists InstanceExpired (pay-as-you-go: "ensure your account have enough balance"; subscription:
            // expired), not StopInstance's InstanceExpiredOrInArrears.
            return DocumentedErrors(
                .start,
                api: "StartInstance",
                codes: [
                    (notFound, AliyunSource.ad16), (incorrectInstanceStatus, AliyunSource.ad16),
                    (lockedForSecurity, AliyunSource.ad16), (instanceExpired, AliyunSource.ad16),
                ]
            )
        case .setProtection:
            // AD17 lists ChargeTypeViolation (with HTTP 400 on this page); using it for a subscription is Q7's.
            return DocumentedErrors(
                .setProtection,
                api: "ModifyInstanceAttribute",
                codes: [
                    (notFound, AliyunSource.ad17), (incorrectInstanceStatus, AliyunSource.ad17),
                    (lockedForSecurity, AliyunSource.ad17), (chargeTypeViolation, AliyunSource.ad17),
                ]
            )
        case .renew:
            return DocumentedErrors(
                .renew,
                api: "RenewInstance",
                codes: [
                    (notFound, AliyunSource.ad18), (incorrectInstanceStatus, AliyunSource.ad18),
                    (lockedForSecurity, AliyunSource.ad18), (chargeTypeViolation, AliyunSource.ad18),
                ]
            )
        case .convertToPayAsYouGo:
            return DocumentedErrors(
                .convertToPayAsYouGo,
                api: "ModifyInstanceChargeType",
                codes: [
                    (notFound, AliyunSource.ad19), (invalidStatus, AliyunSource.ad19),
                    (expiredInstance, AliyunSource.ad19), (invalidChargeType, AliyunSource.ad19),
                ]
            )
        case .unsubscribe:
            // No ECS API: the codes are AM7's, taken from the release's own vocabulary.
            return DocumentedErrors(
                .unsubscribe,
                api: "(the billing console's refund; no ECS API)",
                codes: [
                    (notFound, AliyunSource.am7), (chargeTypeViolation, AliyunSource.am7),
                    (incorrectInstanceStatus, AliyunSource.am7),
                ]
            )
        case .convertPublicIPToElasticIP:
            return DocumentedErrors(
                .convertPublicIPToElasticIP,
                api: "ConvertNatPublicIpToEip",
                codes: [
                    (notFound, AliyunSource.ad20), (incorrectInstanceStatus, AliyunSource.ad20),
                    (zeroBandwidth, AliyunSource.ad20), (operationDenied, AliyunSource.ad20),
                    (overduePayment, AliyunSource.ad20), (endTimeNotSupported, AliyunSource.ad20),
                ]
            )
        case .restore:
            // ECS has no restore API (A1: release is final): every call answers the common InvalidAction.NotFound.
            return DocumentedErrors(
                .restore,
                api: "(none: ECS has no recycle bin)",
                codes: [(actionNotFound, AliyunSource.commonErrors)]
            )
        case .launch:
            // RunInstances/CreateInstance: the model refuses only what AM4, Q7 and the package's own disk bound ask.
            return DocumentedErrors(
                .launch,
                api: "RunInstances / CreateInstance",
                codes: [
                    (accountArrearage, AliyunSource.am4), (chargeTypeViolation, AliyunSource.q7),
                    (invalidParameter, MachineCore.capacitySource),
                ]
            )
        }
    }
}

extension AliyunErrorCode {
    /// This refusal as an ECS error, with the code's HTTP status.
    func error(_ command: CommandKind, in phase: Phase, _ text: ReleaseError.Text, _ source: Citation) -> ReleaseError {
        ReleaseError(
            code: code,
            httpStatus: httpStatus,
            provider: .aliyun,
            phase: phase,
            command: command,
            text: text,
            source: source
        )
    }

    /// This refusal as an ECS error saying two sentences known when the code is written.
    func error(
        _ command: CommandKind,
        in phase: Phase,
        _ message: String,
        _ chinese: String,
        _ source: Citation
    ) -> ReleaseError {
        error(command, in: phase, .sentences(english: message, chinese: chinese), source)
    }
}

/// The ECS refusals whose sentences name values, rendered when read.
enum AliyunRefusalReason: RefusalReason {
    /// Seed 004: the effective AutoReleaseTime is outside the window [earliest, latest].
    case autoReleaseTimeOutside(effective: Instant, earliest: Instant, latest: Instant)

    var english: String {
        switch self {
        case .autoReleaseTimeOutside(let effective, let earliest, let latest):
            return "AutoReleaseTime \(effective) is outside [\(earliest), \(latest)]"
        }
    }

    var chinese: String? {
        switch self {
        case .autoReleaseTimeOutside(let effective, let earliest, let latest):
            return "AutoReleaseTime \(effective) 不在 [\(earliest), \(latest)] 之内"
        }
    }
}
