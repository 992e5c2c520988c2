import EmulatorFrontEnds
import EmulatorFuzzing
import Foundation
import ReleaseCore
import Reporting

@testable import AliyunECSWire
@testable import EmulatorCore
@testable import TencentCVMWire

/// Drives an ``Emulator`` through ``Emulator/handle(_:wallClock:)`` as the SDKs do: signed ECS RPC requests
/// (HMAC-SHA1) and CVM TC3 requests (HMAC-SHA256), written here from the providers' specifications.
final class TestClient {
    struct Key {
        var id: String
        var secret: String
        static let alice = Key(id: "LTAI-alice", secret: "alice-secret")
        static let bob = Key(id: "LTAI-bob", secret: "bob-secret")
        static let tencentAlice = Key(id: "AKID-alice", secret: "alice-tencent-secret")
    }

    /// One answer: status, headers, parsed body.
    struct Answer {
        var status: Int
        var response: RawResponse
        var json: JSONValue
        /// The CVM `Response` object, or the ECS body.
        var payload: JSONValue { json["Response"] ?? json }
        /// The error code: ECS `Code` or CVM `Response.Error.Code`.
        var code: String? { payload["Error"]?["Code"]?.text ?? json["Code"]?.text }
        subscript(key: String) -> JSONValue? { payload[key] }
    }

    var emulator: Emulator
    var wall: Instant
    private var nonce = 0

    static let verifiedKeys: [EmulatorConfiguration.AccessKey] = [
        .init(id: Key.alice.id, secret: Key.alice.secret, account: "alice"),
        .init(id: Key.bob.id, secret: Key.bob.secret, account: "bob"),
        .init(id: Key.tencentAlice.id, secret: Key.tencentAlice.secret, account: "alice"),
    ]

    init(_ configure: (inout EmulatorConfiguration) -> Void = { _ in }) {
        var configuration = EmulatorConfiguration(
            frontEnds: EmulatorFrontEnds.registered,
            authentication: .verify(Self.verifiedKeys)
        )
        configuration.start = Instant(iso8601: "2026-01-01T00:00:00Z")!
        configure(&configuration)
        wall = Instant(iso8601: "2026-11-24T12:00:00Z")!
        emulator = Emulator(configuration: configuration, wallClock: wall)
    }

    func send(_ request: RawRequest) -> Answer {
        let response = emulator.handle(request, wallClock: wall)
        let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(response.body))) ?? .null
        return Answer(status: response.status, response: response, json: json)
    }

    // MARK: ECS

    func aliyunRequest(
        _ action: String,
        _ parameters: [String: String],
        key: Key = .alice,
        signedAt: Instant? = nil,
        secret: String? = nil
    ) -> RawRequest {
        nonce += 1
        // Each action under its own version (STS GetCallerIdentity: 2015-04-01), unless the test sets one.
        var parameters = parameters
        if parameters["Version"] == nil, let version = Emulator.AliyunAction(rawValue: action)?.version {
            parameters["Version"] = version
        }
        return ECSRequestSigning.rpc(
            action,
            parameters,
            key: SigningKey(id: key.id, secret: key.secret),
            signedAt: signedAt ?? wall,
            nonce: "nonce-\(nonce)",
            secret: secret
        )
    }

    func aliyun(_ action: String, _ parameters: [String: String] = [:], key: Key = .alice) -> Answer {
        send(aliyunRequest(action, parameters, key: key))
    }

    // MARK: CVM

    func tencentRequest(
        _ action: String,
        _ body: JSONValue,
        key: Key = .tencentAlice,
        region: String = "ap-guangzhou",
        signedAt: Instant? = nil,
        secret: String? = nil,
        contentType: String = "application/json"
    ) -> RawRequest {
        var request = CVMRequestSigning.tc3(
            action,
            body,
            key: SigningKey(id: key.id, secret: key.secret),
            region: region,
            signedAt: signedAt ?? wall,
            secret: secret,
            contentType: contentType
        )
        // Each service's actions under its own version (Tag and STS: 2018-08-13); the version is not signed.
        if let version = Emulator.TencentAction(rawValue: action)?.version {
            request.headers = request.headers.map { $0.name == "X-TC-Version" ? ($0.name, version) : $0 }
        }
        return request
    }

    func tencent(_ action: String, _ body: JSONValue = .object([]), region: String = "ap-guangzhou") -> Answer {
        send(tencentRequest(action, body, region: region))
    }

    // MARK: Control plane

    func control(_ method: String, _ path: String, _ body: JSONValue? = nil) -> Answer {
        send(
            RawRequest(
                method: method,
                target: "/_cloudrelease/" + path,
                headers: [("Content-Type", "application/json")],
                body: body.map { Array($0.serialized.utf8) } ?? []
            )
        )
    }

    func advance(_ seconds: Int64) -> Answer {
        control("POST", "clock", .object([("advance", .int(seconds))]))
    }

    var now: Instant { emulator.now }

    /// Launches one instance and returns its id.
    func runAliyun(_ parameters: [String: String] = [:]) -> String {
        aliyun("RunInstances", parameters.merging(["ImageId": "img"]) { a, _ in a })["InstanceIdSets"]?[
            "InstanceIdSet"
        ]?
        .firstString ?? "missing"
    }

    func runTencent(_ body: [(String, JSONValue)] = []) -> String {
        tencent("RunInstances", .object(body))["InstanceIdSet"]?.firstString ?? "missing"
    }

    func aliyunStatus(_ id: String) -> String? {
        aliyun("DescribeInstances", ["InstanceIds": "[\"\(id)\"]"])["Instances"]?["Instance"]?.first?["Status"]?.text
    }

    func tencentInstance(_ id: String) -> JSONValue? {
        tencent("DescribeInstances", .object([("InstanceIds", .array([.string(id)]))]))["InstanceSet"]?.first
    }
}

extension JSONValue {
    var first: JSONValue? {
        guard case .array(let elements) = self else { return nil }
        return elements.first
    }
    var firstString: String? { first?.text }
    var count: Int {
        switch self {
        case .array(let elements): return elements.count
        case .object(let members): return members.count
        default: return 0
        }
    }
}
