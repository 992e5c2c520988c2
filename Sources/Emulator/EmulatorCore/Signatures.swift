import Crypto
import Foundation
import ReleaseCore

/// The four signature schemes the official SDKs and tccli send (Docs/Emulator.md "What the SDKs need from the wire", item 2), each verified server-side.
package enum SignatureScheme: String, Hashable, Sendable, CaseIterable {
    /// Aliyun RPC, `Signature` parameter, HMAC-SHA1 (aliyun-python-sdk-core; Tea with `signature_algorithm="v2"`).
    case aliyunRPC = "HMAC-SHA1"
    /// Aliyun ACS3-HMAC-SHA256 `Authorization` header (the Tea SDK's default).
    case aliyunACS3 = "ACS3-HMAC-SHA256"
    /// Tencent TC3-HMAC-SHA256 `Authorization` header (the SDK's default and tccli's only scheme).
    case tencentTC3 = "TC3-HMAC-SHA256"
    /// Tencent API 3.0 legacy `Signature` parameter, HmacSHA256 or HmacSHA1.
    case tencentV1 = "HmacSHA256/HmacSHA1"
}

/// What a signed request claims, read before the secret is known: whose key, when, which nonce.
struct SignatureClaim {
    var scheme: SignatureScheme
    var accessKeyID: String
    /// The client's wall-clock time stamp (freshness is checked on the wall clock, never the virtual one).
    var timestamp: Instant
    /// Aliyun's `SignatureNonce` / `x-acs-signature-nonce`; Tencent v1's `Nonce`.
    var nonce: String?
    /// The string the client signed, computed from the request (Aliyun's error message quotes it).
    var stringToSign: String
    /// Checks the signature with a secret.
    package var verify: @Sendable (String) -> Bool
}

/// Why a request's signature could not even be read (the provider's codes for a malformed signature).
struct SignatureMalformation: Error {
    package var code: String
    package var message: String
}

/// The request's parameters as both RPC schemes see them: query pairs then form-body pairs, decoded.
package func rpcParameters(of request: RawRequest) -> [(name: String, value: String)]? {
    guard var pairs = Percent.pairs(request.rawQuery) else { return nil }
    if request.hasFormBody {
        guard let text = request.bodyText, let form = Percent.pairs(text) else { return nil }
        pairs += form
    }
    return pairs
}

/// Byte order of UTF-8, which is code-point order: the order Python's `sorted` gives the signers.
func utf8Precedes(_ lhs: (name: String, value: String), _ rhs: (name: String, value: String)) -> Bool {
    if lhs.name != rhs.name { return lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8) }
    return lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
}

private func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}

private func sha256Hex(_ bytes: some DataProtocol) -> String { hex(SHA256.hash(data: bytes)) }

/// Constant-time comparison of two signatures.
private func signaturesMatch(_ expected: String, _ given: String) -> Bool {
    let a = Array(expected.utf8)
    let b = Array(given.utf8)
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}

/// Splits `ALG Key=v,Key=v` (ACS3 and TC3 `Authorization` values).
private func authorizationFields(_ value: String) -> (algorithm: String, fields: [String: String]) {
    let algorithm = String(value.prefix { $0 != " " })
    var fields: [String: String] = [:]
    for part in value.dropFirst(algorithm.count).split(separator: ",") {
        let trimmed = part.trimmingCharacters(in: .whitespaces)
        guard let equals = trimmed.firstIndex(of: "=") else { continue }
        fields[String(trimmed[..<equals])] = String(trimmed[trimmed.index(after: equals)...])
    }
    return (algorithm, fields)
}

/// Aliyun's `Timestamp` / `x-acs-date`: `yyyy-MM-ddTHH:mm:ssZ`.
private func aliyunTimestamp(_ text: String?) -> Instant? {
    guard let text else { return nil }
    return Instant(iso8601: text)
}

enum SignatureReader {
    /// Reads the signature a request carries, or nil when it carries none of the four schemes.
    static func claim(of request: RawRequest) throws(SignatureMalformation) -> SignatureClaim? {
        if let authorization = request.header("Authorization") {
            if authorization.hasPrefix("ACS3-") { return try acs3(request, authorization) }
            if authorization.hasPrefix("TC3-") { return try tc3(request, authorization) }
        }
        guard let parameters = rpcParameters(of: request) else {
            throw SignatureMalformation(code: "InvalidParameter", message: "the query or form body is not valid")
        }
        let method = parameters.first { $0.name == "SignatureMethod" }?.value
        if method == "HMAC-SHA1", parameters.contains(where: { $0.name == "AccessKeyId" }) {
            return try aliyunRPC(request, parameters)
        }
        if method == "HmacSHA256" || method == "HmacSHA1", parameters.contains(where: { $0.name == "SecretId" }) {
            return try tencentV1(request, parameters, method: method == "HmacSHA1" ? .sha1 : .sha256)
        }
        return nil
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
