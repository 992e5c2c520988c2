import EmulatorCore
import ProviderRegistry
import ReleaseCore
import Reporting
import TencentCVM

/// CVM (2017-03-12) and the CBS, VPC, Tag and STS calls around a release:
/// ``Emulator/tencentFront(_:configuration:wallClock:)`` and ``Emulator/serveTencent(_:requestID:wallClock:)``.
package enum TencentFrontEnd: EmulatorFrontEnd {
    static let kind = ProviderModel.Kind.tencent
    static let apiName = "CVM 2017-03-12"
    static let wireMarks = WireMarks(
        actionHeaders: ["X-TC-Action"],
        authorizationPrefix: "TC3-",
        credentialParameter: "SecretId",
        version: "2017-03-12"
    )
    /// 5 minutes for `X-TC-Timestamp` (Docs/Emulator.md "What the SDKs need from the wire", item 3).
    static let freshness = Seconds.minutes(5)
    static let signatureSchemes: [SignatureScheme] = [.tencentTC3, .tencentV1]

    static func signatureClaim(of request: RawRequest) throws(SignatureMalformation) -> SignatureClaim? {
        try TencentSignatures.claim(of: request)
    }

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
    static let scheduledReleaseTimerPrefix: String? = "lt-"
    /// A destroyed pay-as-you-go instance waits 2 h in the recycle bin (T2).
    static let restoresFromRecycleBin = true
    /// CVM, and the STS and Tag hosts its tools call (`cvm.tencentcloudapi.com`, `sts.tencentcloudapi.com`).
    static let apiDomains = ["tencentcloudapi.com"]
    /// None: tencentcloud-sdk-python (and so tccli) trusts `certifi.where()` only, which the proxy's `PYTHONPATH`
    /// answers.
    static let caBundleVariables: [String] = []
    static func clientHints(endpoint: String) -> [String] {
        [
            "tencentcloud-sdk-python: HttpProfile(endpoint='\(endpoint)', protocol='http')",
            "tccli:                   tccli cvm DescribeInstances --endpoint http://\(endpoint)",
        ]
    }
    static let commandLineOptions = [
        FrontEndCommandLineOption(
            name: "tencent-terminate",
            values: EmulatorConfiguration.TencentTerminateSemantics.allCases.map(\.rawValue),
            help:
                "What TerminateInstances does to pay-as-you-go CVM instances: recycle-bin (seed T2) or api-document (TD1)."
        ) { value, configuration in
            configuration.tencentTerminate = EmulatorConfiguration.TencentTerminateSemantics(rawValue: value)!
        },
        FrontEndCommandLineOption(
            name: "second-action-timer",
            values: EmulatorConfiguration.SecondActionTimer.allCases.map(\.rawValue),
            help: "A second ImportInstancesActionTimer on an instance: refuse (SDK error catalogue) or replace (Q14)."
        ) { value, configuration in
            configuration.secondActionTimer = EmulatorConfiguration.SecondActionTimer(rawValue: value)!
        },
    ]
    static func settingsSummary(_ configuration: EmulatorConfiguration) -> String? {
        "TerminateInstances: \(configuration.tencentTerminate.rawValue)"
    }
    /// One section per service (CVM, CBS, VPC, Tag, STS).
    static var parameterSections: [ParameterSection] {
        Emulator.TencentService.allCases.map { service in
            ParameterSection(
                title: "\(service.rawValue.uppercased()) \(service.version)",
                actions: Emulator.TencentAction.allCases.filter { $0.service == service }.map {
                    ($0.rawValue, $0.honoured)
                },
                documented: service.documented
            )
        }
    }

    static let parameterSources = CVMDocumentedParameters.sources
    static let parameterAnswers =
        "A documented parameter it does not honour is refused with `UnsupportedOperation`; a name the action does not "
        + "document gets `UnknownParameter`, as the API answers."

    static func describedInstance(_ record: Emulator.InstanceRecord, in emulator: Emulator) -> JSONValue? {
        emulator.tencentInstanceJSON(record)
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
