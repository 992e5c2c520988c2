package import ProviderRegistry
package import ReleaseCore
package import Reporting

/// A provider's wire front end: the requests it recognises as its API's, the work it does on one before any
/// state is read (parameters parsed, signature verified: outside the lock that serialises the emulator), and its
/// answer once it holds the emulator.
///
/// The emulator core routes by these alone, so a provider's wire knowledge sits in its front end (issue 19,
/// item 1): the core asks every front end of its configuration (``EmulatorConfiguration/frontEnds``, usually
/// `EmulatorFrontEnds.registered`) how strongly a request shows it speaks its API, and the strongest claim serves
/// it.
package protocol EmulatorFrontEnd: Sendable {
    /// What ``prepare(_:configuration:wallClock:)`` reads from a request.
    associatedtype Prepared

    /// The provider it fronts.
    static var kind: ProviderModel.Kind { get }

    /// The API and version it answers as, for messages about requests no front end takes (`ECS 2014-05-26`).
    static var apiName: String { get }

    /// What in a request shows it speaks this front end's API (``WireMarks/evidence(in:parameters:)``).
    static var wireMarks: WireMarks { get }

    /// How long the provider accepts a signed time stamp either side of its clock.
    static var freshness: Seconds { get }

    /// The signature schemes the provider's SDKs and tools send, each verified server-side.
    static var signatureSchemes: [SignatureScheme] { get }

    /// The signature a request carries in one of ``signatureSchemes``, read before the secret is known; nil when
    /// it carries none, a malformation when one is there but cannot be read.
    static func signatureClaim(of request: RawRequest) throws(SignatureMalformation) -> SignatureClaim?

    /// The shape of the emulator's instance ids for the provider: a prefix and a suffix around eight base-36
    /// digits (``Emulator/instanceID(number:shape:)``).
    static var instanceIDShape: (prefix: String, suffix: String) { get }

    /// Whether the provider's answers show a release as an operation in progress for a while (with
    /// `--transition-seconds`), rather than the release alone.
    static var showsReleaseInProgress: Bool { get }

    /// Whether the provider has a recycle bin the control plane can restore an instance from
    /// (`POST /_cloudrelease/<provider>/instances/{instance}/restore`).
    static var restoresFromRecycleBin: Bool { get }

    /// The display defaults and id prefixes of the provider's disks, snapshots and addresses [MODEL EM11].
    static var resourceShapes: ResourceShapes { get }

    /// The provider's answer to a launch dry run that would have succeeded (a refusal, as both providers answer).
    static var dryRunPassed: APIError { get }

    /// The prefix of a timer's id when a scheduled release set at launch is a timer with an id of its own (CVM's
    /// ActionTimer, `lt-`); nil when it is a field of the instance.
    static var scheduledReleaseTimerPrefix: String? { get }

    /// This front end's sections of Docs/EmulatorParameters.md: each action with the documented parameters it
    /// honours (``Emulator/parameterDocument(frontEnds:)``).
    static var parameterSections: [ParameterSection] { get }

    /// The SDK packages its documented parameters come from (its generated `…DocumentedParameters`), for the page.
    static var parameterSources: [String] { get }

    /// One sentence on what its API answers to a documented parameter the emulator does not honour and to a name
    /// the action does not document (EM8, EM12), for the page.
    static var parameterAnswers: String { get }

    /// The domains of the provider's API hosts, each served at any depth by the proxy mode (`aliyuncs.com` for
    /// `ecs.cn-hangzhou.aliyuncs.com`); every other host is refused.
    static var apiDomains: [String] { get }

    /// The environment variables the provider's SDKs read a CA bundle from, beyond the common ones (requests, curl,
    /// OpenSSL), for the proxy mode's `export` lines.
    static var caBundleVariables: [String] { get }

    /// How the provider's SDKs and tools are pointed at an emulator listening on `endpoint` (`host:port`): one line
    /// each, for the start-up banner.
    static func clientHints(endpoint: String) -> [String]

    /// The front end's own settings on the emulator's command line (`--tencent-terminate api-document`).
    static var commandLineOptions: [FrontEndCommandLineOption] { get }

    /// The refusal code an answer of this front end carries, in its provider's shape; nil for an answer that is not
    /// a refusal in that shape.
    static func refusalCode(in answer: JSONValue) -> String?

    /// A region of the provider's, for seeded instances and examples (`cn-hangzhou`).
    static var exampleRegion: String { get }

    /// The prefix of the provider's access-key ids (`LTAI`, `AKID`), for the keys a fuzzer signs with.
    static var accessKeyPrefix: String { get }

    /// A seeded request for one of the actions it serves (EmulatorFuzzing's campaign): mostly valid, with the
    /// extreme values each parameter allows, naming `ids` (the instances of its provider the emulator holds) and
    /// times around `now` (its virtual clock), signed with one of `keys` at `wallClock` as the provider's SDK signs.
    static func fuzzRequest(
        ids: [String],
        now: Instant,
        keys: [SigningKey],
        wallClock: Instant,
        choices: inout FuzzChoices
    ) -> RawRequest

    /// `request` changed in one of the ways a careless or hostile client of this provider's wire sends (a nonce past
    /// its limit, its action header gone, a version it does not have): the fuzzer's mutations in the provider's own
    /// terms. A request that is not this front end's comes back unchanged.
    static func fuzzMutation(of request: RawRequest, choices: inout FuzzChoices) -> RawRequest

    /// What the start-up banner says of the front end's settings (`TerminateInstances: recycle-bin`); nil for nothing.
    static func settingsSummary(_ configuration: EmulatorConfiguration) -> String?

    /// The instance's DescribeInstances element, in the provider's shape (nil once it is released).
    static func describedInstance(_ record: Emulator.InstanceRecord, in emulator: Emulator) -> JSONValue?

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
    package var systemDisk: DiskShape
    /// A data disk whose category or size the launch request does not give.
    package var dataDisk: DiskShape
    /// Before the instance id's suffix: `d-`, `disk-`.
    var diskIDPrefix: String
    var snapshotIDPrefix: String
    var addressIDPrefix: String

    /// Every stored property, as the memberwise initialiser takes them (package: front ends build it).
    package init(
        systemDisk: DiskShape,
        dataDisk: DiskShape,
        diskIDPrefix: String,
        snapshotIDPrefix: String,
        addressIDPrefix: String,
    ) {
        self.systemDisk = systemDisk
        self.dataDisk = dataDisk
        self.diskIDPrefix = diskIDPrefix
        self.snapshotIDPrefix = snapshotIDPrefix
        self.addressIDPrefix = addressIDPrefix
    }
}

/// One section of Docs/EmulatorParameters.md: a service's actions, each with the parameters it honours, and the
/// documented parameters of every action (the front end's generated `…DocumentedParameters`).
package struct ParameterSection {
    package var title: String
    package var actions: [(name: String, honoured: Set<String>)]
    package var documented: [String: [String]]

    package init(title: String, actions: [(name: String, honoured: Set<String>)], documented: [String: [String]]) {
        self.title = title
        self.actions = actions
        self.documented = documented
    }
}

/// What in a request shows it speaks one provider's API, each mark at its ``WireEvidence`` strength.
package struct WireMarks: Sendable {
    /// Headers of the API's own that name its action or version (`x-acs-action`, `X-TC-Action`); the first names
    /// the action.
    package var actionHeaders: [String]
    /// The prefix of its `Authorization` schemes (`ACS3-`, `TC3-`), which its signature reader reads too.
    package var authorizationPrefix: String
    /// A credential parameter only it signs with (`AccessKeyId`, `SecretId`).
    package var credentialParameter: String
    /// Its `Version` parameter's value (`2014-05-26`, `2017-03-12`).
    package var version: String

    package init(actionHeaders: [String], authorizationPrefix: String, credentialParameter: String, version: String) {
        self.actionHeaders = actionHeaders
        self.authorizationPrefix = authorizationPrefix
        self.credentialParameter = credentialParameter
        self.version = version
    }

    /// How strongly `request` shows these marks (nil: none). `parameters` are the request's query or form
    /// parameters, when they could be read.
    package func evidence(in request: RawRequest, parameters: [(name: String, value: String)]?) -> WireEvidence? {
        if actionHeaders.contains(where: { request.header($0) != nil }) { return .actionHeader }
        if request.header("Authorization")?.hasPrefix(authorizationPrefix) == true { return .authorizationScheme }
        guard let parameters else { return nil }
        if parameters.contains(where: { $0.name == credentialParameter }) { return .credentialParameter }
        if parameters.contains(where: { $0.name == "Version" && $0.value == version }) { return .versionParameter }
        return nil
    }
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

/// A request prepared by its front end, waiting for the emulator: the front end's own reading of it, kept with
/// the answer it will give.
package struct PreparedCall {
    private let serve: (inout Emulator, String, Instant) -> RawResponse

    package init<FrontEnd: EmulatorFrontEnd>(_ frontEnd: FrontEnd.Type, _ prepared: Result<FrontEnd.Prepared, APIError>)
    {
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
