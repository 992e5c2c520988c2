import Crypto
package import EmulatorCore
import Foundation
package import ReleaseCore
import Reporting

/// Signs requests as aliyun-python-sdk-core does (ECS RPC, HMAC-SHA1, from the signature page the verifier
/// follows too: AliyunSignatures.swift). The tests and the fuzzer send these.
package enum ECSRequestSigning {
    /// An ECS RPC GET request for `action` with `parameters`, signed at `signedAt` with `nonce`.
    package static func rpc(
        _ action: String,
        _ parameters: [String: String],
        key: SigningKey,
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
            .map { Percent.encode($0.key) + "=" + Percent.encode($0.value) }.joined(separator: "&")
        let stringToSign = "GET&%2F&" + Percent.encode(canonical)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: Array(stringToSign.utf8),
            using: SymmetricKey(data: Array(((secret ?? key.secret) + "&").utf8))
        )
        let target = "/?" + canonical + "&Signature=" + Percent.encode(Data(mac).base64EncodedString())
        return RawRequest(method: "GET", target: target, headers: [("Host", "127.0.0.1:8080")], body: [])
    }
}
