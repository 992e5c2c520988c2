import Crypto
package import EmulatorCore
import Foundation
package import ReleaseCore
package import Reporting

/// Signs requests as tencentcloud-sdk-python does (CVM TC3-HMAC-SHA256, from the signature page the verifier
/// follows too: TencentSignatures.swift). The tests and the fuzzer send these.
package enum CVMRequestSigning {
    /// A CVM TC3 POST request for `action` with a JSON `body`, signed at `signedAt`.
    package static func tc3(
        _ action: String,
        _ body: JSONValue,
        key: SigningKey,
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

    private static func sha256(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String($0 >> 4, radix: 16) + String($0 & 0x0F, radix: 16) }.joined()
    }
}
