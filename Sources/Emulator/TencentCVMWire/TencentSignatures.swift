import Crypto
package import EmulatorCore
import Foundation
import ReleaseCore

extension SignatureScheme {
    /// Tencent TC3-HMAC-SHA256 `Authorization` header (the SDK's default and tccli's only scheme).
    package static let tencentTC3 = SignatureScheme(rawValue: "TC3-HMAC-SHA256")
    /// Tencent API 3.0 legacy `Signature` parameter, HmacSHA256 or HmacSHA1.
    package static let tencentV1 = SignatureScheme(rawValue: "HmacSHA256/HmacSHA1")
}

/// CVM's two signature schemes (API 3.0), read from a request before the secret is known.
enum TencentSignatures {
    /// The TC3 or v1 signature a request carries, or nil when it carries neither.
    static func claim(of request: RawRequest) throws(SignatureMalformation) -> SignatureClaim? {
        try SignatureReader.claim(of: request, headerPrefix: TencentFrontEnd.wireMarks.authorizationPrefix, header: tc3)
        {
            (request, parameters, method) throws(SignatureMalformation) -> SignatureClaim? in
            guard method == "HmacSHA256" || method == "HmacSHA1", parameters.contains(where: { $0.name == "SecretId" })
            else { return nil }
            return try tencentV1(request, parameters, method: method == "HmacSHA1" ? .sha1 : .sha256)
        }
    }

    private static func tc3(
        _ request: RawRequest,
        _ authorization: String
    ) throws(SignatureMalformation)
        -> SignatureClaim
    {
        let (algorithm, fields) = authorizationFields(authorization)
        let scope = fields["Credential"]?.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard algorithm == SignatureScheme.tencentTC3.rawValue, let scope, scope.count == 4,
            scope[3] == "tc3_request", let given = fields["Signature"], let signedList = fields["SignedHeaders"]
        else {
            throw SignatureMalformation(
                code: "AuthFailure.InvalidAuthorization",
                message: "Authorization is not valid: expected TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request."
            )
        }
        let (key, date, service) = (scope[0], scope[1], scope[2])
        guard let stampText = request.header("X-TC-Timestamp"), let seconds = Int64(stampText),
            Instant.supportedRange.contains(Instant(secondsSince1970: seconds))
        else {
            throw SignatureMalformation(
                code: "AuthFailure.SignatureFailure",
                message: "X-TC-Timestamp is missing or not a Unix time in seconds."
            )
        }
        let timestamp = Instant(secondsSince1970: seconds)
        guard timestamp.iso8601.prefix(10) == date else {
            throw SignatureMalformation(
                code: "AuthFailure.SignatureFailure",
                message: "the credential scope date \(date) is not the UTC date of X-TC-Timestamp."
            )
        }
        let signed = signedList.split(separator: ";").map(String.init)
        guard signed.contains("content-type"), signed.contains("host") else {
            throw SignatureMalformation(
                code: "AuthFailure.SignatureFailure",
                message: "content-type and host must be signed."
            )
        }
        let method = request.method.uppercased()
        let payload: [UInt8] =
            request.header("X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD"
            ? Array("UNSIGNED-PAYLOAD".utf8) : (method == "GET" ? [] : request.body)
        let payloadHash = sha256Hex(payload)
        let path = request.path.isEmpty ? "/" : request.path
        // The SDKs sign header values as sent; the specification lower-cases them: both are accepted.
        func stringToSign(lowercasingValues: Bool) -> String {
            var canonicalHeaders = ""
            for name in signed {
                var value = (request.header(name) ?? "").trimmingCharacters(in: .whitespaces)
                if lowercasingValues { value = value.lowercased() }
                canonicalHeaders += name + ":" + value + "\n"
            }
            let canonicalRequest = [
                method, path, method == "GET" ? request.rawQuery : "", canonicalHeaders, signedList, payloadHash,
            ].joined(separator: "\n")
            return [algorithm, stampText, "\(date)/\(service)/tc3_request", sha256Hex(Array(canonicalRequest.utf8))]
                .joined(separator: "\n")
        }
        let asSent = stringToSign(lowercasingValues: false)
        let lowercased = stringToSign(lowercasingValues: true)
        return SignatureClaim(
            scheme: .tencentTC3,
            accessKeyID: key,
            timestamp: timestamp,
            nonce: nil,
            stringToSign: asSent,
            verify: { secret in
                func mac(_ key: [UInt8], _ text: String) -> [UInt8] {
                    Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: key)))
                }
                let signingKey = mac(mac(mac(Array(("TC3" + secret).utf8), date), service), "tc3_request")
                return [asSent, lowercased].contains { signaturesMatch(hex(mac(signingKey, $0)), given) }
            }
        )
    }

    private enum V1Digest { case sha1, sha256 }

    private static func tencentV1(
        _ request: RawRequest,
        _ parameters: [(name: String, value: String)],
        method digest: V1Digest
    ) throws(SignatureMalformation) -> SignatureClaim {
        func value(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
        guard let key = value("SecretId"), let stampText = value("Timestamp"), let seconds = Int64(stampText),
            Instant.supportedRange.contains(Instant(secondsSince1970: seconds))
        else {
            throw SignatureMalformation(
                code: "AuthFailure.SignatureFailure",
                message: "SecretId and Timestamp (Unix seconds) are required."
            )
        }
        let given = value("Signature") ?? ""
        // Python's dict keeps the last of repeated names; sorted by name.
        var latest: [String: String] = [:]
        for pair in parameters where pair.name != "Signature" { latest[pair.name] = pair.value }
        let source =
            request.method.uppercased() + (request.header("Host") ?? "") + (request.path.isEmpty ? "/" : request.path)
            + "?"
            + latest.map { (name: $0.key, value: $0.value) }.sorted(by: utf8Precedes)
            .map { $0.name + "=" + $0.value }.joined(separator: "&")
        return SignatureClaim(
            scheme: .tencentV1,
            accessKeyID: key,
            timestamp: Instant(secondsSince1970: seconds),
            nonce: value("Nonce"),
            stringToSign: source,
            verify: { secret in
                let key = SymmetricKey(data: Array(secret.utf8))
                let mac: [UInt8] =
                    switch digest {
                    case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: Array(source.utf8), using: key))
                    case .sha256: Array(HMAC<SHA256>.authenticationCode(for: Array(source.utf8), using: key))
                    }
                return signaturesMatch(Data(mac).base64EncodedString(), given)
            }
        )
    }
}
