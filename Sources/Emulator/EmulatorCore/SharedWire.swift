import Crypto
import Foundation
package import ProviderRegistry
import ReleaseCore
import Reporting

/// What both providers' front ends write alike: the rule and profile headers, user data's Base64, stable serial
/// numbers.
extension Emulator {
    /// `X-CloudRelease-Rules` (the rules an answer applied) and `X-CloudRelease-Profile` (the provider's profile).
    package func ruleHeaders(_ rules: [String], kind: ProviderModel.Kind) -> [(name: String, value: String)] {
        [
            ("X-CloudRelease-Rules", rules.joined(separator: ",")),
            ("X-CloudRelease-Profile", configuration.model(kind).description),
        ]
    }

    /// A stable serial number per instance (a UUID-shaped hex of its id) [MODEL EM11].
    package static func serialNumber(of id: String) -> String {
        let hex = Array(md5(id))
        return
            "\(String(hex[0..<8]))-\(String(hex[8..<12]))-\(String(hex[12..<16]))-\(String(hex[16..<20]))-\(String(hex[20..<32]))"
    }

    /// `UserData`: Base64 of at most `maximumBytes` decoded bytes (ECS RunInstances: 32 KB; CVM RunInstances:
    /// 16 KB), kept as sent.
    package static func userData(_ text: String?, maximumBytes: Int, code: String) throws(APIError) -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard text.utf8.count <= (maximumBytes + 2) / 3 * 4 + 4, let decoded = Data(base64Encoded: text),
            decoded.count <= maximumBytes
        else {
            throw APIError(code, "UserData must be Base64 of at most \(maximumBytes) bytes.")
        }
        return text
    }

    /// The lowercase hex MD5 the Tag API shows beside each key and value (an identifier, not a security measure).
    package static func md5(_ text: String) -> String {
        Insecure.MD5.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
