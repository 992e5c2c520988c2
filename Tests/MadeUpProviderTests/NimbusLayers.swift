import EmulatorCore
import Foundation
import ListingCodec
import ProviderRegistry
import ReleaseCore
import Reporting

/// Nimbus in the registry: registered once, with its inventory codec, beside this package's providers.
enum NimbusRegistry {
    /// The kind `registering` returns (the registration test checks it succeeds; this value is the same).
    static let kind: ProviderModel.Kind = {
        do {
            return try ProviderModel.Kind.registering(Nimbus.self, inventoryCodec: NimbusCodec.self)
        } catch {
            preconditionFailure("Nimbus does not register: \(error)")
        }
    }()

    /// This package's providers and Nimbus.
    static let providers = ProviderModel.Kind.allCases + [kind]
}

/// How the inventory reads Nimbus's answers: `{"NimbusInstances": [{"InstanceId", "Status", "ReleaseAt"?}]}`.
enum NimbusCodec: InventoryCodec {
    static let listings = [
        InventoryListing(
            keys: ["NimbusInstances"],
            mayBeUnderResponse: false,
            name: (english: "NimbusInstances[]", chinese: "NimbusInstances[]"),
            read: { reader, element, path in
                guard let id = reader.string(element, "InstanceId", path),
                    let status = reader.string(element, "Status", path),
                    let releaseAt = reader.time(element, "ReleaseAt", path, { Instant(iso8601: $0) })
                else { return }
                let observed: InventoryInstance.Observed
                switch status {
                case "RUNNING": observed = .live(.running, nil)
                case "IN_BIN": observed = .recycleBin
                default:
                    reader.problem("\(path).Status", "not RUNNING or IN_BIN", "不是 RUNNING 或 IN_BIN")
                    return
                }
                reader.instances.append(
                    InventoryInstance(
                        provider: Nimbus.id,
                        file: reader.file,
                        path: path,
                        description: InstanceDescription(id: id),
                        observed: observed,
                        stateText: status,
                        scheduledRelease: releaseAt,
                        notes: []
                    )
                )
            }
        )
    ]

    static func unlistedResourceNotes(disksListed: Bool, snapshotsFound: Bool) -> [(english: String, chinese: String)] {
        []
    }
}

/// Nimbus's wire front end in the emulator: a JSON API whose action is the `X-Nimbus-Action` header and whose
/// caller's account is `X-Nimbus-Account` (no signature: the made-up cloud has none).
enum NimbusFrontEnd: EmulatorFrontEnd {
    struct Call {
        var action: String
        var account: String
        var instance: String?
    }
    typealias Prepared = Call

    static var kind: ProviderModel.Kind { NimbusRegistry.kind }
    static let apiName = "Nimbus 2026-12-04"
    static let wireMarks = WireMarks(
        actionHeaders: ["X-Nimbus-Action"],
        authorizationPrefix: "NIMBUS-",
        credentialParameter: "NimbusKey",
        version: "2026-12-04"
    )
    static let freshness = Seconds(300)
    static let signatureSchemes: [SignatureScheme] = []
    static func signatureClaim(of request: RawRequest) throws(SignatureMalformation) -> SignatureClaim? { nil }
    static let instanceIDShape = (prefix: "nb-", suffix: "")
    static let showsReleaseInProgress = false
    static let restoresFromRecycleBin = true
    static let resourceShapes = ResourceShapes(
        systemDisk: DiskShape(category: "nimbus_ssd", size: 20),
        dataDisk: DiskShape(category: "nimbus_ssd", size: 40),
        diskIDPrefix: "nd-",
        snapshotIDPrefix: "ns-",
        addressIDPrefix: "na-"
    )
    static let dryRunPassed = APIError("DryRunOperation", "the request would have succeeded")
    static let scheduledReleaseTimerPrefix: String? = nil
    static let parameterSections: [ParameterSection] = []
    static let parameterSources = ["this test target (Nimbus is made up)"]
    static let parameterAnswers = "Nimbus reads no parameter but the instance's id."
    static let apiDomains = ["nimbus.example"]
    static let caBundleVariables: [String] = []
    static func clientHints(endpoint: String) -> [String] { ["nimbus: POST http://\(endpoint)/ with X-Nimbus-Action"] }
    static let commandLineOptions = [
        FrontEndCommandLineOption(name: "nimbus-bin", values: ["keep", "purge"], help: "Nimbus's made-up setting.") {
            _,
            _ in
        }
    ]
    static func settingsSummary(_ configuration: EmulatorConfiguration) -> String? { nil }
    static let exampleRegion = "nimbus-1"
    static let accessKeyPrefix = "NMB"
    static func refusalCode(in answer: JSONValue) -> String? { answer["error"]?.text }
    static func fuzzMutation(of request: RawRequest, choices: inout FuzzChoices) -> RawRequest {
        var request = request
        request.headers = request.headers.filter { $0.name != "X-Nimbus-Account" }
        return request
    }
    /// A listing or a release of a known instance, unsigned (Nimbus has no signature).
    static func fuzzRequest(
        ids: [String],
        now: Instant,
        keys: [SigningKey],
        wallClock: Instant,
        choices: inout FuzzChoices
    ) -> RawRequest {
        RawRequest(
            method: "POST",
            target: "/",
            headers: [
                ("X-Nimbus-Action", choices.pick(["DescribeInstances", "ReleaseInstance"])),
                ("X-Nimbus-Account", choices.pick(keys).id),
            ],
            body: Array("{\"InstanceId\": \"\(choices.id(ids, prefix: "nb-"))\"}".utf8)
        )
    }

    static func describedInstance(_ record: Emulator.InstanceRecord, in emulator: Emulator) -> JSONValue? {
        let machine = emulator.machine(record)
        guard machine.phase != .released else { return nil }
        return .object([("InstanceId", .string(record.id)), ("Status", .string(machine.apiStatus))])
    }

    static func prepare(
        _ request: RawRequest,
        configuration: EmulatorConfiguration,
        wallClock: Instant
    ) -> Result<Call, APIError> {
        guard let action = request.header("X-Nimbus-Action"), let account = request.header("X-Nimbus-Account") else {
            return .failure(APIError("MissingHeader", "X-Nimbus-Action and X-Nimbus-Account are required"))
        }
        var instance: String?
        if !request.body.isEmpty {
            guard let body = try? JSONDecoder().decode(JSONValue.self, from: Data(request.body)),
                case .string(let id)? = body["InstanceId"]
            else { return .failure(APIError("InvalidBody", "the body is {\"InstanceId\": \"…\"}")) }
            instance = id
        }
        return .success(Call(action: action, account: account, instance: instance))
    }

    static func serve(
        _ prepared: Result<Call, APIError>,
        in emulator: inout Emulator,
        requestID: String,
        wallClock: Instant
    ) -> RawResponse {
        func refusal(_ error: APIError) -> RawResponse {
            Emulator.json(error.status, .object([("Code", .string(error.code)), ("Message", .string(error.message))]))
        }
        let call: Call
        switch prepared {
        case .success(let success): call = success
        case .failure(let error): return refusal(error)
        }
        switch call.action {
        case "DescribeInstances":
            // The caller's scope is the only listing the core gives a front end: other accounts' are out of reach.
            let listed = emulator.instances(of: call.account, kind: kind).compactMap {
                describedInstance($0, in: emulator)
            }
            return Emulator.json(200, .object([("NimbusInstances", .array(listed))]))
        case "ReleaseInstance", "PurgeInstance":
            // The instance must be this caller's and Nimbus's: an unknown id is refused, never widened.
            guard let id = call.instance, let record = emulator.owned(id, by: call.account, kind: kind) else {
                return refusal(APIError(Nimbus.notFoundCode.rawValue, status: 404, "no such instance"))
            }
            do {
                let effects = try emulator.perform(.release(call.action == "PurgeInstance" ? [.purge] : []), on: record)
                return Emulator.json(200, .object([("Rules", .array(effects.citedSources.map { .string($0) }))]))
            } catch {
                return refusal(APIError(error))
            }
        default:
            return refusal(APIError("UnknownAction", "\(call.action.prefix(40)) is not a Nimbus action"))
        }
    }
}
