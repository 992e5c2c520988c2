/// One HTTP request exactly as it arrived: what every signature scheme is computed over.
///
/// The adapter hands over the raw request-target (path and query as sent, still percent-encoded), the
/// headers in wire order with their names as sent, and the body bytes, so a verifier can rebuild the string
/// the client signed (tccli's `Host: http://127.0.0.1:PORT` included).
package struct RawRequest: HTTPMessage, Sendable {
    package var method: String
    /// The request-target as sent: `/` or `/?Action=...&Signature=...`.
    package var target: String
    /// Header names and values in wire order.
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    package init(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The path part of the target.
    package var path: String {
        guard let mark = target.firstIndex(of: "?") else { return target }
        return String(target[..<mark])
    }

    /// The raw (still encoded) query string, empty when there is none.
    package var rawQuery: String {
        guard let mark = target.firstIndex(of: "?") else { return "" }
        return String(target[target.index(after: mark)...])
    }

    /// The body as UTF-8 text, or nil if it is not valid UTF-8.
    package var bodyText: String? { String(validating: body, as: UTF8.self) }

    /// Whether the body is an HTML form (`application/x-www-form-urlencoded`).
    var hasFormBody: Bool {
        guard !body.isEmpty, let type = header("Content-Type")?.lowercased() else { return false }
        return type.hasPrefix("application/x-www-form-urlencoded")
    }
}

/// One HTTP response: status, headers in order, body bytes.
package struct RawResponse: HTTPMessage, Sendable {
    package var status: Int
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]
    /// An injected latency (``Fault/Kind/latency``): the server holds the answer this long, outside its lock.
    package var delayMilliseconds = 0
    /// An injected dropped connection (``Fault/Kind/drop``): the server closes the connection without answering.
    package var dropsConnection = false

    package init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text.
    package var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A request or a response: headers in wire order, read by name.
package protocol HTTPMessage {
    /// Header names and values in wire order, names as sent.
    var headers: [(name: String, value: String)] { get }
}

extension HTTPMessage {
    /// The first value of a header, by case-insensitive name.
    package func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// RFC 3986 percent-encoding and `application/x-www-form-urlencoded` pairs, as both providers sign them.
package enum Percent {
    /// Encodes everything but `A-Z a-z 0-9 - _ . ~` (space as `%20`, `*` as `%2A`): the providers'
    /// canonical encoding (Docs/Emulator.md "What the SDKs need from the wire", item 2).
    package static func encode(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out.append("%")
                out.append(upperHexDigits[Int(byte >> 4)])
                out.append(upperHexDigits[Int(byte & 0x0F)])
            }
        }
        return out
    }

    private static let upperHexDigits = Array("0123456789ABCDEF")

    /// Decodes `%XX` escapes and, in form encoding, `+` as a space. Nil when an escape is malformed or the
    /// result is not UTF-8.
    static func decode(_ text: Substring, plusIsSpace: Bool = true) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Splits `a=1&b=2` into decoded pairs in order; nil when any part is malformed or there are more than
    /// ``WireLimits/maximumParameters`` pairs.
    package static func pairs(_ query: String) -> [(name: String, value: String)]? {
        var result: [(name: String, value: String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            guard result.count < WireLimits.maximumParameters else { return nil }
            let name: Substring
            let value: Substring
            if let equals = part.firstIndex(of: "=") {
                name = part[..<equals]
                value = part[part.index(after: equals)...]
            } else {
                name = part
                value = ""
            }
            guard let decodedName = decode(name), let decodedValue = decode(value) else { return nil }
            result.append((decodedName, decodedValue))
        }
        return result
    }
}
