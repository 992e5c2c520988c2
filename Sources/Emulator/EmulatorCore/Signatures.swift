import Crypto
package import Foundation
package import ReleaseCore

/// A signature scheme a front end verifies (Docs/Emulator.md "What the SDKs need from the wire", item 2), named by
/// its algorithm as the request writes it; each provider's wire module declares its own
/// (``EmulatorFrontEnd/signatureSchemes``).
package struct SignatureScheme: RawRepresentable, Hashable, Sendable {
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
}

/// What a signed request claims, read before the secret is known: whose key, when, which nonce.
package struct SignatureClaim {
    package var scheme: SignatureScheme
    package var accessKeyID: String
    /// The client's wall-clock time stamp (freshness is checked on the wall clock, never the virtual one).
    package var timestamp: Instant
    /// Aliyun's `SignatureNonce` / `x-acs-signature-nonce`; Tencent v1's `Nonce`.
    package var nonce: String?
    /// The string the client signed, computed from the request (Aliyun's error message quotes it).
    package var stringToSign: String
    /// Checks the signature with a secret.
    package var verify: @Sendable (String) -> Bool

    /// Every stored property, as the memberwise initialiser takes them (package: front ends build it).
    package init(
        scheme: SignatureScheme,
        accessKeyID: String,
        timestamp: Instant,
        nonce: String? = nil,
        stringToSign: String,
        verify: @escaping @Sendable (String) -> Bool,
    ) {
        self.scheme = scheme
        self.accessKeyID = accessKeyID
        self.timestamp = timestamp
        self.nonce = nonce
        self.stringToSign = stringToSign
        self.verify = verify
    }
}

/// Why a request's signature could not even be read (the provider's codes for a malformed signature).
package struct SignatureMalformation: Error {
    package var code: String
    package var message: String

    /// Every stored property, as the memberwise initialiser takes them (package: front ends build it).
    package init(
        code: String,
        message: String,
    ) {
        self.code = code
        self.message = message
    }
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
package func utf8Precedes(_ lhs: (name: String, value: String), _ rhs: (name: String, value: String)) -> Bool {
    if lhs.name != rhs.name { return lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8) }
    return lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
}

package func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}

package func sha256Hex(_ bytes: some DataProtocol) -> String { hex(SHA256.hash(data: bytes)) }

/// Constant-time comparison of two signatures.
package func signaturesMatch(_ expected: String, _ given: String) -> Bool {
    let a = Array(expected.utf8)
    let b = Array(given.utf8)
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}

/// Splits `ALG Key=v,Key=v` (ACS3 and TC3 `Authorization` values).
package func authorizationFields(_ value: String) -> (algorithm: String, fields: [String: String]) {
    let algorithm = String(value.prefix { $0 != " " })
    var fields: [String: String] = [:]
    for part in value.dropFirst(algorithm.count).split(separator: ",") {
        let trimmed = part.trimmingCharacters(in: .whitespaces)
        guard let equals = trimmed.firstIndex(of: "=") else { continue }
        fields[String(trimmed[..<equals])] = String(trimmed[trimmed.index(after: equals)...])
    }
    return (algorithm, fields)
}

/// Reads a request's signature with the front ends' own readers: the first that finds one of its schemes.
package enum SignatureReader {
    /// How both providers carry a signature: an `Authorization` header whose value starts with `headerPrefix`
    /// (read by `header`), else the query and form parameters with a `SignatureMethod` (read by `parameters`, nil
    /// when they carry none of the provider's); unreadable parameters are a malformation.
    package static func claim(
        of request: RawRequest,
        headerPrefix: String,
        header: (RawRequest, String) throws(SignatureMalformation) -> SignatureClaim,
        parameters: (RawRequest, [(name: String, value: String)], String?) throws(SignatureMalformation) ->
            SignatureClaim?
    ) throws(SignatureMalformation) -> SignatureClaim? {
        if let authorization = request.header("Authorization"), authorization.hasPrefix(headerPrefix) {
            return try header(request, authorization)
        }
        guard let pairs = rpcParameters(of: request) else {
            throw SignatureMalformation(code: "InvalidParameter", message: "the query or form body is not valid")
        }
        return try parameters(request, pairs, pairs.first { $0.name == "SignatureMethod" }?.value)
    }

    /// The claim of the first of `frontEnds` whose scheme the request carries, or nil when it carries none.
    package static func claim(
        of request: RawRequest,
        frontEnds: [any EmulatorFrontEnd.Type]
    ) throws(SignatureMalformation) -> SignatureClaim? {
        for frontEnd in frontEnds {
            if let claim = try frontEnd.signatureClaim(of: request) { return claim }
        }
        return nil
    }
}
