import Crypto
package import EmulatorCore
import Foundation
package import ReleaseCore
package import Reporting

/// Signs requests as the official SDKs do, from the providers' specifications: ECS RPC (HMAC-SHA1, the legacy
/// aliyun-python-sdk-core) and CVM TC3-HMAC-SHA256 (tencentcloud-sdk-python). The tests and the fuzzer use it.
package enum RequestSigner {
    /// An access key: its id and secret.
    package struct Key: Sendable {
        package var id: String
        package var secret: String

        package init(id: String, secret: String) {
            self.id = id
            self.secret = secret
        }
    }

    /// An ECS RPC GET request for `action` with `parameters`, signed at `signedAt` with `nonce`.
    package static func aliyunRPC(
        _ action: String,
        _ parameters: [String: String],
        key: Key,
        signedAt: Instant,
        nonce: String,
        secret: String? = nil
    ) -> RawRequest {
        var all = parameters
        all["Action"] = action
        all["Version"] = all["Version"] ?? "2014-05-26"
        all["Format"] = "JSON"
        all["AccessKeyId"] = key.id
        all["SignatureMethod"] = "HMAC-SHA1"
        all["SignatureVersion"] = "1.0"
        all["SignatureNonce"] = nonce
        all["Timestamp"] = signedAt.iso8601
        if all["RegionId"] == nil { all["RegionId"] = "cn-hangzhou" }
        let canonical = all.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { encode($0.key) + "=" + encode($0.value) }.joined(separator: "&")
        let stringToSign = "GET&%2F&" + encode(canonical)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: Array(stringToSign.utf8),
            using: SymmetricKey(data: Array(((secret ?? key.secret) + "&").utf8))
        )
        let target = "/?" + canonical + "&Signature=" + encode(Data(mac).base64EncodedString())
        return RawRequest(method: "GET", target: target, headers: [("Host", "127.0.0.1:8080")], body: [])
    }

    /// A CVM TC3 POST request for `action` with a JSON `body`, signed at `signedAt`.
    package static func tencentTC3(
        _ action: String,
        _ body: JSONValue,
        key: Key,
        region: String,
        signedAt: Instant,
        secret: String? = nil,
        contentType: String = "application/json"
    ) -> RawRequest {
        let payload = Array(body.serialized.utf8)
        let host = "127.0.0.1:8080"
        let date = String(signedAt.iso8601.prefix(10))
        let canonical = "POST\n/\n\ncontent-type:\(contentType)\nhost:\(host)\n\ncontent-type;host\n\(sha256(payload))"
        let stringToSign =
            "TC3-HMAC-SHA256\n\(signedAt.secondsSince1970)\n\(date)/cvm/tc3_request\n\(sha256(Array(canonical.utf8)))"
        func mac(_ key: [UInt8], _ text: String) -> [UInt8] {
            Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: key)))
        }
        let signingKey = mac(mac(mac(Array(("TC3" + (secret ?? key.secret)).utf8), date), "cvm"), "tc3_request")
        let signature = hex(mac(signingKey, stringToSign))
        let authorization =
            "TC3-HMAC-SHA256 Credential=\(key.id)/\(date)/cvm/tc3_request, SignedHeaders=content-type;host, Signature=\(signature)"
        return RawRequest(
            method: "POST",
            target: "/",
            headers: [
                ("Content-Type", contentType), ("Host", host), ("X-TC-Action", action),
                ("X-TC-Timestamp", String(signedAt.secondsSince1970)), ("X-TC-Version", "2017-03-12"),
                ("X-TC-Region", region), ("Authorization", authorization),
            ],
            body: payload
        )
    }

    /// RFC 3986: unreserved bytes kept, every other byte `%XX` (EmulatorCore's own encoding, which the
    /// verifier uses).
    package static func encode(_ text: String) -> String { Percent.encode(text) }

    private static func sha256(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String($0 >> 4, radix: 16) + String($0 & 0x0F, radix: 16) }.joined()
    }
}
