import Foundation
package import ReleaseCore
package import Reporting

/// A refusal in wire terms: the provider's code, its HTTP status (ECS; CVM answers 200), a message, and the
/// rules behind it for `X-CloudRelease-Rules`.
package struct APIError: Error {
    package var code: String
    package var status: Int
    package var message: String
    package var rules: [String] = []
    /// An injected dropped connection: the server closes the connection instead of sending this.
    package var dropsConnection = false

    package init(_ code: String, status: Int = 400, _ message: String, rules: [String] = []) {
        self.code = code
        self.status = status
        self.message = message
        self.rules = rules
    }

    /// A model's refusal as the wire says it; a code the model gives no status gets 400 (ECS `DryRunOperation`
    /// is a client error to the SDKs, Docs/Emulator.md "What the SDKs need from the wire", trap 3).
    package init(_ error: ReleaseError) {
        self.init(error.code.rawValue, status: error.httpStatus ?? 400, error.message, rules: [error.source.code])
    }
}

/// The sizes the wire front ends accept: each bounds the work and memory one request can cost.
package enum WireLimits {
    /// Parameters in one query or form body (a full RunInstances with 16 data disks and 20 tags sends ~200).
    package static let maximumParameters = 1_000
    /// Bytes in one parameter name (the longest documented flat name, `TagSpecification.0.Tags.0.Key`, has 29).
    package static let maximumNameBytes = 256
    /// Dot-separated parts in one flat name (the deepest documented one, `TagSpecification.0.Tags.0.Key`, has 5).
    package static let maximumNameParts = 8
    /// The largest list index a flat name may use (CVM lists hold at most 100 entries).
    package static let maximumIndex = 1_000
    /// Bytes in an identifier the providers assign (region, zone, image, instance type: the longest real ones are
    /// under 40) [MODEL EM6]: each is kept in every journal record line of its instance.
    package static let maximumIdentifierBytes = 64
    /// Bytes in a signature nonce [MODEL EM6]: the SDKs send a 36-character UUID (Aliyun) or a number (Tencent v1).
    package static let maximumNonceBytes = 128

    /// The most values (leaves, empty lists and objects included) one CVM JSON body may hold: the richest
    /// documented RunInstances sends ~100.
    static let maximumLeaves = 2_000

    /// Refuses a CVM JSON body whose member names, nesting or number of values exceed the flat form's limits, so
    /// the parameter check never builds more names than a real request has.
    package static func checkShape(of value: JSONValue) throws(APIError) {
        var leaves = 0
        func walk(_ node: JSONValue, depth: Int) throws(APIError) {
            guard depth <= maximumNameParts else {
                throw APIError("InvalidParameter", "The request body nests deeper than \(maximumNameParts) levels.")
            }
            switch node {
            case .object(let members):
                if members.isEmpty { leaves += 1 }
                for (name, child) in members {
                    guard name.utf8.count <= maximumNameBytes else {
                        throw APIError("InvalidParameter", "A member name is longer than \(maximumNameBytes) bytes.")
                    }
                    try walk(child, depth: depth + 1)
                }
            case .array(let elements):
                guard elements.count <= maximumIndex else {
                    throw APIError("InvalidParameter", "A list holds more than \(maximumIndex) entries.")
                }
                if elements.isEmpty { leaves += 1 }
                for element in elements { try walk(element, depth: depth + 1) }
            case .null, .bool, .int, .double, .string:
                leaves += 1
            }
            guard leaves <= maximumLeaves else {
                throw APIError("InvalidParameter", "The request holds more than \(maximumLeaves) values.")
            }
        }
        try walk(value, depth: 0)
    }

    /// Whether a value can be a `ClientToken`: at most 64 ASCII characters, as both providers' RunInstances pages
    /// say ("Ensure idempotence"; "最多64个ASCII字符").
    package static func isClientToken(_ text: String) -> Bool {
        text.utf8.count <= 64 && text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Whether a value can be an identifier: 1 to ``maximumIdentifierBytes`` printable ASCII bytes.
    package static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= maximumIdentifierBytes && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}

/// The wire's time stamps.
package enum WireTime {
    /// Adds whole calendar months (a subscription's `Period`), clamping the day to the month's length.
    package static func addingMonths(_ months: Int, to instant: Instant) -> Instant? {
        // The calendar is ReleaseCore's (a 31st lands on a shorter month's last day); the wire adds the range.
        let result = instant.addingCalendarMonths(Int64(months))
        return Instant.supportedRange.contains(result) ? result : nil
    }
}
