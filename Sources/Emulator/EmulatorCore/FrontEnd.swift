package import ProviderRegistry
package import ReleaseCore
package import Reporting
import TencentCVM

/// A provider's wire front end: the requests it recognises as its API's, the work it does on one before any
/// state is read (parameters parsed, signature verified: outside the lock that serialises the emulator), and its
/// answer once it holds the emulator.
///
/// The emulator core routes by these alone, so a provider's wire knowledge sits in its front end (issue 19,
/// item 1): the core asks every front end of its configuration (``EmulatorConfiguration/frontEnds``, by default
/// ``EmulatorFrontEnds/registered``) how strongly a request shows it speaks its API, and the strongest claim serves
/// it.
package protocol EmulatorFrontEnd: Sendable {
    /// What ``prepare(_:configuration:wallClock:)`` reads from a request.
    associatedtype Prepared

    /// The provider it fronts.
    static var kind: ProviderModel.Kind { get }

    /// How long the provider accepts a signed time stamp either side of its clock.
    static var freshness: Seconds { get }

    /// The shape of the emulator's instance ids for the provider: a prefix and a suffix around eight base-36
    /// digits (``Emulator/instanceID(_:number:)``).
    static var instanceIDShape: (prefix: String, suffix: String) { get }

    /// Whether the provider's answers show a release as an operation in progress for a while (with
    /// `--transition-seconds`), rather than the release alone.
    static var showsReleaseInProgress: Bool { get }

    /// The display defaults and id prefixes of the provider's disks, snapshots and addresses [MODEL EM11].
    static var resourceShapes: ResourceShapes { get }

    /// The provider's answer to a launch dry run that would have succeeded (a refusal, as both providers answer).
    static var dryRunPassed: APIError { get }

    /// Whether a scheduled release set at launch is a timer with an id of its own (CVM's ActionTimer), rather than
    /// a field of the instance.
    static var scheduledReleaseIsATimer: Bool { get }

    /// The instance's DescribeInstances element, in the provider's shape (nil once it is released).
    static func describedInstance(_ id: String, in emulator: Emulator) -> JSONValue?

    /// How strongly `request` shows it speaks this front end's API (nil: not at all). `parameters` are the
    /// request's query or form parameters, when they could be read.
    static func evidence(in request: RawRequest, parameters: [(name: String, value: String)]?) -> WireEvidence?

    /// Reads and verifies a request in the provider's order of refusals; needs no emulator state.
    static func prepare(
        _ request: RawRequest,
        configuration: EmulatorConfiguration,
        wallClock: Instant
    ) -> Result<Prepared, APIError>

    /// Answers a prepared request with the emulator's state, in the provider's answer and refusal shapes.
    static func serve(
        _ prepared: Result<Prepared, APIError>,
        in emulator: inout Emulator,
        requestID: String,
        wallClock: Instant
    ) -> RawResponse
}

/// What the models leave open about a provider's resources, shown from display defaults [MODEL EM11]: the disks a
/// launch request does not shape, and the prefixes of the ids derived from the instance's.
package struct ResourceShapes: Sendable {
    /// The system disk when the launch request does not give one.
    var systemDisk: DiskShape
    /// A data disk whose category or size the launch request does not give.
    var dataDisk: DiskShape
    /// Before the instance id's suffix: `d-`, `disk-`.
    var diskIDPrefix: String
    var snapshotIDPrefix: String
    var addressIDPrefix: String
}

/// How strongly a request shows which API it speaks, strongest first: a request is served by the front end with
/// the strongest claim, and a tie goes to the registry's order (Docs/Emulator.md "What the SDKs need from the
/// wire", item 1).
package enum WireEvidence: Int, Comparable {
    /// An action or version header of the API's own (`x-acs-action`, `X-TC-Action`).
    case actionHeader
    /// The scheme of an `Authorization` header (`ACS3-…`, `TC3-…`).
    case authorizationScheme
    /// A credential parameter only this API signs with (`AccessKeyId`, `SecretId`).
    case credentialParameter
    /// A `Version` parameter only this API has.
    case versionParameter

    package static func < (lhs: WireEvidence, rhs: WireEvidence) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The registered front ends, in the registry's order.
package enum EmulatorFrontEnds {
    static let registered: [any EmulatorFrontEnd.Type] = ProviderModel.Kind.allCases.map(\.frontEnd)
}

extension ProviderModel.Kind {
    /// The provider's wire front end in the emulator: the one place that maps a registry case to it.
    var frontEnd: any EmulatorFrontEnd.Type {
        switch self {
        case .aliyun: return AliyunFrontEnd.self
        case .tencent: return TencentFrontEnd.self
        }
    }
}

/// A request prepared by its front end, waiting for the emulator: the front end's own reading of it, kept with
/// the answer it will give.
struct PreparedCall {
    let kind: ProviderModel.Kind
    private let serve: (inout Emulator, String, Instant) -> RawResponse

    init<FrontEnd: EmulatorFrontEnd>(_ frontEnd: FrontEnd.Type, _ prepared: Result<FrontEnd.Prepared, APIError>) {
        kind = FrontEnd.kind
        serve = { emulator, requestID, wallClock in
            FrontEnd.serve(prepared, in: &emulator, requestID: requestID, wallClock: wallClock)
        }
    }

    /// The front end's answer, given the emulator.
    func answer(in emulator: inout Emulator, requestID: String, wallClock: Instant) -> RawResponse {
        serve(&emulator, requestID, wallClock)
    }

    /// Prepares `request` with `frontEnd`.
    static func prepare<FrontEnd: EmulatorFrontEnd>(
        _ frontEnd: FrontEnd.Type,
        _ request: RawRequest,
        configuration: EmulatorConfiguration,
        wallClock: Instant
    ) -> PreparedCall {
        PreparedCall(frontEnd, frontEnd.prepare(request, configuration: configuration, wallClock: wallClock))
    }
}

/// ECS (2014-05-26) and the STS GetCallerIdentity beside it: ``Emulator/aliyunFront(_:configuration:wallClock:)``
/// and ``Emulator/serveAliyun(_:requestID:wallClock:)``.
enum AliyunFrontEnd: EmulatorFrontEnd {
    static let kind = ProviderModel.Kind.aliyun
    /// 15 minutes (Docs/Emulator.md "What the SDKs need from the wire", item 3).
    static let freshness = Seconds.minutes(15)
    /// `i-emu…cr`: ECS's `i-` prefix, with `emu` and `cr` marking the id as the emulator's.
    static let instanceIDShape = (prefix: "i-emu", suffix: "cr")
    static let showsReleaseInProgress = false
    /// `cloud_essd` 40 GiB system disk; `cloud_efficiency`, RunInstances' documented default category, for data
    /// disks; `d-`, `s-`, `eip-` ids.
    static let resourceShapes = ResourceShapes(
        systemDisk: DiskShape(category: "cloud_essd", size: 40),
        dataDisk: DiskShape(category: "cloud_efficiency", size: 40),
        diskIDPrefix: "d-",
        snapshotIDPrefix: "s-",
        addressIDPrefix: "eip-"
    )
    static var dryRunPassed: APIError { Emulator.aliyunDryRunPassed }
    static let scheduledReleaseIsATimer = false

    static func describedInstance(_ id: String, in emulator: Emulator) -> JSONValue? {
        emulator.aliyunInstanceJSON(id)
    }

    static func evidence(in request: RawRequest, parameters: [(name: String, value: String)]?) -> WireEvidence? {
        if request.header("x-acs-action") != nil || request.header("x-acs-version") != nil { return .actionHeader }
        if request.header("Authorization")?.hasPrefix("ACS3-") == true { return .authorizationScheme }
        guard let parameters else { return nil }
        if parameters.contains(where: { $0.name == "AccessKeyId" }) { return .credentialParameter }
        if parameters.contains(where: { $0.name == "Version" && $0.value == "2014-05-26" }) { return .versionParameter }
        return nil
    }

    static func prepare(
        _ request: RawRequest,
        configuration: EmulatorConfiguration,
        wallClock: Instant
    ) -> Result<Emulator.AliyunFront, APIError> {
        Result { () throws(APIError) in
            try Emulator.aliyunFront(request, configuration: configuration, wallClock: wallClock)
        }
    }

    static func serve(
        _ prepared: Result<Emulator.AliyunFront, APIError>,
        in emulator: inout Emulator,
        requestID: String,
        wallClock: Instant
    ) -> RawResponse {
        emulator.serveAliyun(prepared, requestID: requestID, wallClock: wallClock)
    }
}

/// CVM (2017-03-12) and the CBS, VPC, Tag and STS calls around a release:
/// ``Emulator/tencentFront(_:configuration:wallClock:)`` and ``Emulator/serveTencent(_:requestID:wallClock:)``.
enum TencentFrontEnd: EmulatorFrontEnd {
    static let kind = ProviderModel.Kind.tencent
    /// 5 minutes for `X-TC-Timestamp` (Docs/Emulator.md "What the SDKs need from the wire", item 3).
    static let freshness = Seconds.minutes(5)
    /// `ins-…`, CVM's own shape.
    static let instanceIDShape = (prefix: "ins-", suffix: "")
    /// A CVM termination's LatestOperationState stays OPERATING for a while (TD9 DescribeInstances).
    static let showsReleaseInProgress = true
    /// `CLOUD_PREMIUM` disks, 50 GiB for the system disk and 40 GiB for data; `disk-`, `snap-`, `eip-` ids.
    static let resourceShapes = ResourceShapes(
        systemDisk: DiskShape(category: "CLOUD_PREMIUM", size: 50),
        dataDisk: DiskShape(category: "CLOUD_PREMIUM", size: 40),
        diskIDPrefix: "disk-",
        snapshotIDPrefix: "snap-",
        addressIDPrefix: "eip-"
    )
    static var dryRunPassed: APIError {
        APIError(TencentErrorCode.dryRunOperation.rawValue, "DryRun succeeded: the request would have been accepted.")
    }
    /// A scheduled destruction is an ActionTimer with its own id (TD9 DescribeInstancesActionTimer).
    static let scheduledReleaseIsATimer = true

    static func describedInstance(_ id: String, in emulator: Emulator) -> JSONValue? {
        emulator.tencentInstanceJSON(id)
    }

    static func evidence(in request: RawRequest, parameters: [(name: String, value: String)]?) -> WireEvidence? {
        if request.header("X-TC-Action") != nil { return .actionHeader }
        if request.header("Authorization")?.hasPrefix("TC3-") == true { return .authorizationScheme }
        guard let parameters else { return nil }
        if parameters.contains(where: { $0.name == "SecretId" }) { return .credentialParameter }
        if parameters.contains(where: { $0.name == "Version" && $0.value == "2017-03-12" }) { return .versionParameter }
        return nil
    }

    static func prepare(
        _ request: RawRequest,
        configuration: EmulatorConfiguration,
        wallClock: Instant
    ) -> Result<Emulator.TencentFront, APIError> {
        Result { () throws(APIError) in
            try Emulator.tencentFront(request, configuration: configuration, wallClock: wallClock)
        }
    }

    static func serve(
        _ prepared: Result<Emulator.TencentFront, APIError>,
        in emulator: inout Emulator,
        requestID: String,
        wallClock: Instant
    ) -> RawResponse {
        emulator.serveTencent(prepared, requestID: requestID, wallClock: wallClock)
    }
}
