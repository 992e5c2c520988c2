import Crypto
import Foundation
import ReleaseCore
import Reporting

@testable import EmulatorCore

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
        var configuration = EmulatorConfiguration(authentication: .verify(Self.verifiedKeys))
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
        var all = parameters
        all["Action"] = action
        all["Version"] = "2014-05-26"
        all["Format"] = "JSON"
        all["AccessKeyId"] = key.id
        all["SignatureMethod"] = "HMAC-SHA1"
        all["SignatureVersion"] = "1.0"
        all["SignatureNonce"] = "nonce-\(nonce)"
        all["Timestamp"] = (signedAt ?? wall).iso8601
        if all["RegionId"] == nil { all["RegionId"] = "cn-hangzhou" }
        let canonical = all.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { Self.encode($0.key) + "=" + Self.encode($0.value) }.joined(separator: "&")
        let stringToSign = "GET&%2F&" + Self.encode(canonical)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: Array(stringToSign.utf8),
            using: SymmetricKey(data: Array(((secret ?? key.secret) + "&").utf8))
        )
        let target = "/?" + canonical + "&Signature=" + Self.encode(Data(mac).base64EncodedString())
        return RawRequest(method: "GET", target: target, headers: [("Host", "127.0.0.1:8080")], body: [])
    }

    func aliyun(_ action: String, _ parameters: [String: String] = [:], key: Key = .alice) -> Answer {
        send(aliyunRequest(action, parameters, key: key))
    }

    /// RFC 3986: unreserved bytes kept, every other byte `%XX`.
    static func encode(_ text: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8)
        return text.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }
            .joined()
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
        let stamp = signedAt ?? wall
        let payload = Array(body.serialized.utf8)
        let host = "127.0.0.1:8080"
        let date = String(stamp.iso8601.prefix(10))
        func sha(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }
        let canonical = "POST\n/\n\ncontent-type:\(contentType)\nhost:\(host)\n\ncontent-type;host\n\(sha(payload))"
        let stringToSign =
            "TC3-HMAC-SHA256\n\(stamp.secondsSince1970)\n\(date)/cvm/tc3_request\n\(sha(Array(canonical.utf8)))"
        func mac(_ key: [UInt8], _ text: String) -> [UInt8] {
            Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: key)))
        }
        let signingKey = mac(mac(mac(Array(("TC3" + (secret ?? key.secret)).utf8), date), "cvm"), "tc3_request")
        let signature = mac(signingKey, stringToSign).map { String(format: "%02x", $0) }.joined()
        let authorization =
            "TC3-HMAC-SHA256 Credential=\(key.id)/\(date)/cvm/tc3_request, SignedHeaders=content-type;host, Signature=\(signature)"
        return RawRequest(
            method: "POST",
            target: "/",
            headers: [
                ("Content-Type", contentType), ("Host", host), ("X-TC-Action", action),
                ("X-TC-Timestamp", String(stamp.secondsSince1970)), ("X-TC-Version", "2017-03-12"),
                ("X-TC-Region", region), ("Authorization", authorization),
            ],
            body: payload
        )
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
