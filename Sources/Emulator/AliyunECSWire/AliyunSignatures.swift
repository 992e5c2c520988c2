import Crypto
package import EmulatorCore
import Foundation
import ReleaseCore

extension SignatureScheme {
    /// Aliyun RPC, `Signature` parameter, HMAC-SHA1 (aliyun-python-sdk-core; Tea with `signature_algorithm="v2"`).
    package static let aliyunRPC = SignatureScheme(rawValue: "HMAC-SHA1")
    /// Aliyun ACS3-HMAC-SHA256 `Authorization` header (the Tea SDK's default).
    package static let aliyunACS3 = SignatureScheme(rawValue: "ACS3-HMAC-SHA256")
}

/// Aliyun's `Timestamp` / `x-acs-date`: `yyyy-MM-ddTHH:mm:ssZ`.
private func aliyunTimestamp(_ text: String?) -> Instant? {
    guard let text else { return nil }
    return Instant(iso8601: text)
}

/// ECS's two signature schemes, read from a request before the secret is known.
enum AliyunSignatures {
    /// The ACS3 or RPC signature a request carries, or nil when it carries neither.
    static func claim(of request: RawRequest) throws(SignatureMalformation) -> SignatureClaim? {
        try SignatureReader.claim(of: request, headerPrefix: AliyunFrontEnd.wireMarks.authorizationPrefix, header: acs3)
        {
            (request, parameters, method) throws(SignatureMalformation) -> SignatureClaim? in
            guard method == "HMAC-SHA1", parameters.contains(where: { $0.name == "AccessKeyId" }) else { return nil }
            return try aliyunRPC(request, parameters)
        }
    }

    private static func aliyunRPC(
        _ request: RawRequest,
        _ parameters: [(name: String, value: String)]
    ) throws(SignatureMalformation) -> SignatureClaim {
        func value(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
        guard let key = value("AccessKeyId") else {
            throw SignatureMalformation(code: "MissingParameter", message: "AccessKeyId is mandatory for this action.")
        }
        guard value("SignatureVersion") == "1.0" else {
            throw SignatureMalformation(
                code: "InvalidParameter",
                message: "The specified parameter \"SignatureVersion\" is not valid."
            )
        }
        guard let timestamp = aliyunTimestamp(value("Timestamp")) else {
            throw SignatureMalformation(
                code: "InvalidTimeStamp.Format",
                message: "Specified time stamp or date value is not well formatted."
            )
        }
        let given = value("Signature") ?? ""
        // aliyun-python-sdk-core signs `dict(query); update(body)`: a name sent in both (CommonRequest's
        // add_body_params('RegionId', …) beside the query's RegionId) is signed once, with the body's value.
        var signed: [String: String] = [:]
        for pair in parameters where pair.name != "Signature" { signed[pair.name] = pair.value }
        let canonical = signed.map { (name: $0.key, value: $0.value) }.sorted(by: utf8Precedes)
            .map { Percent.encode($0.name) + "=" + Percent.encode($0.value) }.joined(separator: "&")
        let stringToSign = request.method.uppercased() + "&" + Percent.encode("/") + "&" + Percent.encode(canonical)
        return SignatureClaim(
            scheme: .aliyunRPC,
            accessKeyID: key,
            timestamp: timestamp,
            nonce: value("SignatureNonce"),
            stringToSign: stringToSign,
            verify: { secret in
                let mac = HMAC<Insecure.SHA1>.authenticationCode(
                    for: Array(stringToSign.utf8),
                    using: SymmetricKey(data: Array((secret + "&").utf8))
                )
                return signaturesMatch(Data(mac).base64EncodedString(), given)
            }
        )
    }

    /// The `x-acs-*` headers and `host` that ACS3 must cover; the Tea SDK signs more (Docs/Emulator.md "What the SDKs need from the wire", item 2).
    private static let acs3RequiredHeaders = [
        "host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256",
    ]

    private static func acs3(
        _ request: RawRequest,
        _ authorization: String
    ) throws(SignatureMalformation)
        -> SignatureClaim
    {
        let (algorithm, fields) = authorizationFields(authorization)
        guard algorithm == SignatureScheme.aliyunACS3.rawValue, let key = fields["Credential"],
            let given = fields["Signature"], let signedList = fields["SignedHeaders"]
        else {
            throw SignatureMalformation(
                code: "IncompleteSignature",
                message: "The request signature does not conform to Aliyun standards."
            )
        }
        let signed = signedList.split(separator: ";").map(String.init)
        if let missing = acs3RequiredHeaders.first(where: { !signed.contains($0) }) {
            throw SignatureMalformation(
                code: "IncompleteSignature",
                message: "The request signature does not conform to Aliyun standards: \(missing) is not signed."
            )
        }
        guard let timestamp = aliyunTimestamp(request.header("x-acs-date")) else {
            throw SignatureMalformation(
                code: "InvalidTimeStamp.Format",
                message: "Specified time stamp or date value is not well formatted."
            )
        }
        let payloadHash = sha256Hex(request.body)
        guard request.header("x-acs-content-sha256") == payloadHash else {
            throw SignatureMalformation(
                code: "ContentSHA256NotMatched",
                message: "The x-acs-content-sha256 header does not match the body."
            )
        }
        guard let query = Percent.pairs(request.rawQuery) else {
            throw SignatureMalformation(code: "InvalidParameter", message: "the query string is not valid")
        }
        let canonicalQuery = query.sorted(by: utf8Precedes)
            .map { Percent.encode($0.name) + "=" + Percent.encode($0.value) }.joined(separator: "&")
        var canonicalHeaders = ""
        for name in signed {
            let values = request.headers.filter { $0.name.lowercased() == name }
                .map { $0.value.trimmingCharacters(in: .whitespaces) }.sorted()
            canonicalHeaders += name + ":" + values.joined(separator: ",") + "\n"
        }
        let path = request.path.isEmpty ? "/" : request.path
        let canonicalRequest = [
            request.method.uppercased(), path, canonicalQuery, canonicalHeaders, signedList, payloadHash,
        ].joined(separator: "\n")
        let stringToSign = algorithm + "\n" + sha256Hex(Array(canonicalRequest.utf8))
        return SignatureClaim(
            scheme: .aliyunACS3,
            accessKeyID: key,
            timestamp: timestamp,
            nonce: request.header("x-acs-signature-nonce"),
            stringToSign: stringToSign,
            verify: { secret in
                let mac = HMAC<SHA256>.authenticationCode(
                    for: Array(stringToSign.utf8),
                    using: SymmetricKey(data: Array(secret.utf8))
                )
                return signaturesMatch(hex(mac), given)
            }
        )
    }
}
