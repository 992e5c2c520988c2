import EmulatorFrontEnds
import Foundation
import ReleaseCore
import Reporting

@testable import AliyunECSWire
@testable import EmulatorCore
@testable import TencentCVMWire

/// The requests the official SDKs and tccli sent to a capture server (../shared/docs/emulator/captures,
/// copied here as fixtures with the fake keys in credentials.json).
struct CapturedRequest: CustomStringConvertible, Sendable {
    var file: String
    var call: String
    var request: RawRequest
    /// The wall-clock time the client signed at (its Timestamp, x-acs-date or X-TC-Timestamp).
    var signedAt: Instant

    var description: String { "\(file): \(call)" }
}

enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let files = [
        "captures-aliyun-legacy.json", "captures-aliyun-tea-acs3.json", "captures-aliyun-tea-v2rpc.json",
        "captures-tencent-sdk-tc3-post.json", "captures-tencent-sdk-tc3-get.json",
        "captures-tencent-sdk-hmacsha256.json", "captures-tccli.json",
    ]

    /// The fake keys: Aliyun and Tencent, each its own account.
    static let keys: [EmulatorConfiguration.AccessKey] = {
        let data = try! Data(contentsOf: folder.appendingPathComponent("credentials.json"))
        let json = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        let aliyun = json["aliyun"] as! [String: String]
        let tencent = json["tencent"] as! [String: String]
        return [
            .init(id: aliyun["access_key_id"]!, secret: aliyun["access_key_secret"]!, account: "aliyun-account"),
            .init(id: tencent["secret_id"]!, secret: tencent["secret_key"]!, account: "tencent-account"),
        ]
    }()

    /// Every captured request (retries included).
    static let requests: [CapturedRequest] = files.flatMap { file -> [CapturedRequest] in
        let data = try! Data(contentsOf: folder.appendingPathComponent(file))
        let json = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        let exchanges = json["exchanges"] as! [[String: Any]]
        return exchanges.flatMap { exchange -> [CapturedRequest] in
            let call = exchange["call"] as! String
            return (exchange["requests"] as! [[String: Any]]).map { record in
                let headers = (record["headers"] as! [[String]]).map { (name: $0[0], value: $0[1]) }
                let body = Array(Data(base64Encoded: record["body_b64"] as? String ?? "") ?? Data())
                let request = RawRequest(
                    method: record["method"] as! String,
                    target: record["target"] as! String,
                    headers: headers,
                    body: body
                )
                return CapturedRequest(file: file, call: call, request: request, signedAt: signedAt(request))
            }
        }
    }

    private static func signedAt(_ request: RawRequest) -> Instant {
        if let stamp = request.header("X-TC-Timestamp"), let seconds = Int64(stamp) {
            return Instant(secondsSince1970: seconds)
        }
        if let date = request.header("x-acs-date"), let instant = Instant(iso8601: date) { return instant }
        let pairs = rpcParameters(of: request) ?? []
        if let stamp = pairs.first(where: { $0.name == "Timestamp" })?.value {
            if let seconds = Int64(stamp) { return Instant(secondsSince1970: seconds) }
            if let instant = Instant(iso8601: stamp) { return instant }
        }
        return Instant.referenceStart
    }
}
