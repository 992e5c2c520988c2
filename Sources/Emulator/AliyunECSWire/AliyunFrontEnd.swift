import EmulatorCore
import ProviderRegistry
import ReleaseCore
import Reporting

/// ECS (2014-05-26) and the STS GetCallerIdentity beside it: ``Emulator/aliyunFront(_:configuration:wallClock:)``
/// and ``Emulator/serveAliyun(_:requestID:wallClock:)``.
package enum AliyunFrontEnd: EmulatorFrontEnd {
    static let kind = ProviderModel.Kind.aliyun
    static let apiName = "ECS 2014-05-26"
    static let wireMarks = WireMarks(
        actionHeaders: ["x-acs-action", "x-acs-version"],
        authorizationPrefix: "ACS3-",
        credentialParameter: "AccessKeyId",
        version: "2014-05-26"
    )
    /// 15 minutes (Docs/Emulator.md "What the SDKs need from the wire", item 3).
    static let freshness = Seconds.minutes(15)
    static let signatureSchemes: [SignatureScheme] = [.aliyunRPC, .aliyunACS3]

    static func signatureClaim(of request: RawRequest) throws(SignatureMalformation) -> SignatureClaim? {
        try AliyunSignatures.claim(of: request)
    }

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
    static let scheduledReleaseTimerPrefix: String? = nil
    /// ECS releases at once: no recycle bin to restore from (AD1).
    static let restoresFromRecycleBin = false
    /// ECS, and the STS and Tag hosts its tools call (`ecs.cn-hangzhou.aliyuncs.com`, `sts.aliyuncs.com`).
    static let apiDomains = ["aliyuncs.com"]
    /// aliyun-python-sdk-core's CA bundle (it does not read requests' variable).
    static let caBundleVariables = ["ALIBABA_CLOUD_CA_BUNDLE"]
    static func clientHints(endpoint: String) -> [String] {
        [
            "aliyun-python-sdk-core:  client.add_endpoint(region, 'Ecs', '\(endpoint)')  or  request.set_endpoint('\(endpoint)')",
            "alibabacloud-ecs20140526: Config(endpoint='\(endpoint)', protocol='http', ...)",
        ]
    }
    static let commandLineOptions: [FrontEndCommandLineOption] = []
    static func settingsSummary(_ configuration: EmulatorConfiguration) -> String? { nil }
    static var parameterSections: [ParameterSection] {
        [
            ParameterSection(
                title:
                    "ECS 2014-05-26 (`RegionId` is checked on every action; STS 2015-04-01 GetCallerIdentity takes none)",
                actions: Emulator.AliyunAction.allCases.map { ($0.rawValue, $0.honoured) },
                documented: ECSDocumentedParameters.actions
            )
        ]
    }

    static let parameterSources = ECSDocumentedParameters.sources
    static let parameterAnswers =
        "A documented parameter it does not honour is refused with `UnsupportedParameter`; a name the action does "
        + "not document is accepted and ignored, as ECS does, and named in the answer's `X-CloudRelease-Ignored` header."

    static func describedInstance(_ record: Emulator.InstanceRecord, in emulator: Emulator) -> JSONValue? {
        emulator.aliyunInstanceJSON(record)
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
