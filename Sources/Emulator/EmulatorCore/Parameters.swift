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

/// ECS request parameters: query and form pairs by name (the last of a repeated name wins).
package struct AliyunParameters {
    var values: [String: String]

    package init(_ pairs: [(name: String, value: String)]) {
        values = [:]
        for pair in pairs { values[pair.name] = pair.value }
    }

    package subscript(name: String) -> String? { values[name] }

    package func required(_ name: String) throws(APIError) -> String {
        guard let value = values[name], !value.isEmpty else {
            throw APIError(
                "MissingParameter",
                "The input parameter \"\(name)\" that is mandatory for processing this request is not supplied."
            )
        }
        return value
    }

    /// A short identifier (a region, zone, image or instance type): at most ``WireLimits/maximumIdentifierBytes``
    /// printable ASCII bytes.
    package func identifier(_ name: String) throws(APIError) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        guard WireLimits.isIdentifier(value) else {
            throw APIError(
                "InvalidParameter",
                "The specified parameter \"\(name)\" is not valid: at most \(WireLimits.maximumIdentifierBytes) printable ASCII characters."
            )
        }
        return value
    }

    /// `ClientToken`: at most 64 ASCII characters (RunInstances, "Ensure idempotence").
    package func clientToken() throws(APIError) -> String? {
        guard let token = values["ClientToken"], !token.isEmpty else { return nil }
        guard WireLimits.isClientToken(token) else {
            throw APIError(
                "InvalidParameter",
                "The specified parameter \"ClientToken\" is not valid: at most 64 ASCII characters."
            )
        }
        return token
    }

    /// Booleans arrive as Python's `str(bool)` (`True`, `False`) or as `true`/`false` (Docs/Emulator.md "What the SDKs need from the wire", item 1).
    package func bool(_ name: String) throws(APIError) -> Bool? {
        guard let text = values[name], !text.isEmpty else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw APIError(
                "InvalidParameter",
                "The specified parameter \"\(name)\" is not valid: \(text.prefix(40)) is not a boolean."
            )
        }
    }

    package func int(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = values[name], !text.isEmpty else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError(
                "InvalidParameter",
                "The specified parameter \"\(name)\" is not valid: \(text.prefix(40)) is not an integer in \(range.lowerBound)...\(range.upperBound)."
            )
        }
        return value
    }

    /// `Name.1`, `Name.2`, ... (1-based, contiguous).
    package func list(_ name: String) throws(APIError) -> [String] {
        let count = try listCount(name)
        return (0..<count).compactMap { values["\(name).\($0 + 1)"] }
    }

    /// How many `Name.N` (or `Name.N.Member`) entries the request numbers, refusing any index that is not exactly
    /// 1…n: a gap, a 0 or a leading zero would otherwise drop entries without a word (and a dropped filter widens
    /// an answer).
    package func listCount(_ name: String) throws(APIError) -> Int {
        let prefix = name + "."
        var indices = Set<Int>()
        for key in values.keys where key.hasPrefix(prefix) {
            let number = key.dropFirst(prefix.count).prefix { $0 != "." }
            guard let index = Int(number), index >= 1, String(index) == number else {
                throw APIError(
                    "InvalidParameter",
                    "The specified parameter \"\(key.prefix(64))\" is not valid: N of \(name).N counts from 1."
                )
            }
            indices.insert(index)
        }
        let count = indices.count
        if count > 0, let gap = (1...count).first(where: { !indices.contains($0) }) {
            throw APIError(
                "InvalidParameter",
                "The specified parameter \"\(name).\(gap)\" is missing: \(name).N must be numbered from 1 without gaps."
            )
        }
        return count
    }

    /// A JSON array of strings sent as one parameter (DescribeInstances `InstanceIds`).
    package func jsonList(_ name: String) throws(APIError) -> [String]? {
        guard let text = values[name], !text.isEmpty else { return nil }
        guard let data = text.data(using: .utf8), let list = try? JSONDecoder().decode([String].self, from: data) else {
            throw APIError(
                "InvalidParameter",
                "The specified parameter \"\(name)\" is not valid: expected a JSON array of strings."
            )
        }
        return list
    }
}

/// CVM request parameters as one JSON object: the POST body as sent, or GET/v1 flat pairs (`InstanceIds.0`,
/// `ActionTimer.Externals.ReleaseAddress`) folded into the same shape (Docs/Emulator.md "What the SDKs need from the wire", item 1).
package struct TencentParameters {
    package var root: JSONValue

    package init(json: JSONValue) { root = json }

    /// Folds flat pairs into objects and arrays in time linear in the request's size, or says which name is
    /// refused and why: more than ``WireLimits/maximumNameParts`` parts, longer than
    /// ``WireLimits/maximumNameBytes``, an empty part, an index past ``WireLimits/maximumIndex``, indices that
    /// leave more gaps than the pairs could fill (`A.1000=x` alone would otherwise allocate a thousand empty
    /// slots), or names that clash (`A=1` and `A.0=2`). A scalar given twice keeps its last value, as the
    /// providers' RPC forms do.
    package init(flat pairs: [(name: String, value: String)]) throws(APIError) {
        var tree = FlatTree()
        var slots = 2 * pairs.count + 256
        for pair in pairs {
            try tree.insert(pair.value, named: pair.name, slots: &slots)
        }
        root = tree.json(at: 0)
    }

    subscript(name: String) -> JSONValue? {
        guard let value = root[name], value != .null else { return nil }
        return value
    }

    package func string(_ name: String) throws(APIError) -> String? {
        guard let value = self[name] else { return nil }
        guard let text = value.text else { throw Self.invalid(name, "is not a string") }
        return text
    }

    package func required(_ name: String) throws(APIError) -> String {
        guard let text = try string(name), !text.isEmpty else {
            throw APIError("MissingParameter", "The request is missing a required parameter `\(name)`.")
        }
        return text
    }

    /// A short identifier (a zone, image or instance type): at most ``WireLimits/maximumIdentifierBytes``
    /// printable ASCII bytes, else `InvalidParameterValue.TooLong` ("参数值太长", the CVM error catalogue).
    package func identifier(_ name: String) throws(APIError) -> String? {
        guard let text = try string(name), !text.isEmpty else { return nil }
        guard WireLimits.isIdentifier(text) else {
            throw APIError(
                "InvalidParameterValue.TooLong",
                "The value of parameter `\(name)` must be at most \(WireLimits.maximumIdentifierBytes) printable ASCII characters."
            )
        }
        return text
    }

    /// `ClientToken`: at most 64 ASCII characters (RunInstances: "最多64个ASCII字符").
    package func clientToken() throws(APIError) -> String? {
        guard let token = try string("ClientToken"), !token.isEmpty else { return nil }
        guard WireLimits.isClientToken(token) else {
            throw APIError(
                "InvalidParameterValue.TooLong",
                "The value of parameter `ClientToken` must be at most 64 ASCII characters."
            )
        }
        return token
    }

    package func bool(_ name: String) throws(APIError) -> Bool? {
        guard let value = self[name] else { return nil }
        if case .bool(let flag) = value { return flag }
        switch value.text?.lowercased() {
        case "true": return true
        case "false": return false
        default: throw Self.invalid(name, "is not a boolean")
        }
    }

    package func int(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let value = self[name] else { return nil }
        guard let text = value.text, let number = Int(text), range.contains(number) else {
            throw Self.invalid(name, "is not an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    package func stringList(_ name: String) throws(APIError) -> [String]? {
        guard let value = self[name] else { return nil }
        guard case .array(let elements) = value else { throw Self.invalid(name, "is not an array") }
        var result: [String] = []
        for element in elements {
            guard let text = element.text else { throw Self.invalid(name, "holds a value that is not a string") }
            result.append(text)
        }
        return result
    }

    package func object(_ name: String) throws(APIError) -> TencentParameters? {
        guard let value = self[name] else { return nil }
        guard case .object = value else { throw Self.invalid(name, "is not an object") }
        return TencentParameters(json: value)
    }

    package func objects(_ name: String) throws(APIError) -> [TencentParameters] {
        guard let value = self[name] else { return [] }
        guard case .array(let elements) = value else { throw Self.invalid(name, "is not an array") }
        var result: [TencentParameters] = []
        for element in elements {
            guard case .object = element else { throw Self.invalid(name, "holds a value that is not an object") }
            result.append(TencentParameters(json: element))
        }
        return result
    }

    package static func invalid(_ name: String, _ why: String) -> APIError {
        APIError("InvalidParameterValue", "The value of parameter `\(name)` \(why).")
    }
}

/// The sizes the wire front ends accept: each bounds the work and memory one request can cost.
package enum WireLimits {
    /// Parameters in one query or form body (a full RunInstances with 16 data disks and 20 tags sends ~200).
    package static let maximumParameters = 1_000
    /// Bytes in one parameter name (the longest documented flat name, `TagSpecification.0.Tags.0.Key`, has 29).
    static let maximumNameBytes = 256
    /// Dot-separated parts in one flat name (the deepest documented one, `TagSpecification.0.Tags.0.Key`, has 5).
    static let maximumNameParts = 8
    /// The largest list index a flat name may use (CVM lists hold at most 100 entries).
    static let maximumIndex = 1_000
    /// Bytes in an identifier the providers assign (region, zone, image, instance type: the longest real ones are
    /// under 40) [MODEL EM6]: each is kept in every journal record line of its instance.
    static let maximumIdentifierBytes = 64
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
    static func isClientToken(_ text: String) -> Bool {
        text.utf8.count <= 64 && text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// Whether a value can be an identifier: 1 to ``maximumIdentifierBytes`` printable ASCII bytes.
    package static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= maximumIdentifierBytes && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}

/// The flat CVM parameters as a tree under construction: nodes in one array, members found by dictionary, so a
/// request of N names costs O(N) however its names nest (rebuilding a JSONValue per insert cost O(N²)).
private struct FlatTree {
    enum Shape {
        case unset
        case value(String)
        case object(order: [(key: String, node: Int)], members: [String: Int])
        /// Element node indices; -1 is a gap (null).
        case array([Int])
    }

    var nodes: [Shape] = [.unset]

    mutating func insert(_ value: String, named name: String, slots: inout Int) throws(APIError) {
        guard name.utf8.count <= WireLimits.maximumNameBytes else {
            throw Self.refuse(name, "is longer than \(WireLimits.maximumNameBytes) bytes")
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= WireLimits.maximumNameParts else {
            throw Self.refuse(name, "has more than \(WireLimits.maximumNameParts) dot-separated parts")
        }
        guard !parts.contains(where: \.isEmpty) else { throw Self.refuse(name, "has an empty part") }
        var node = 0
        for part in parts {
            node = try child(of: node, named: part, in: name, slots: &slots)
        }
        switch nodes[node] {
        case .unset, .value: nodes[node] = .value(value)
        case .object, .array: throw Self.refuse(name, "clashes with another parameter's name")
        }
    }

    /// The child `part` of `node`, made when missing: a number is a list index, anything else a member name.
    private mutating func child(
        of node: Int,
        named part: Substring,
        in name: String,
        slots: inout Int
    ) throws(APIError) -> Int {
        if let index = Int(part), index >= 0 {
            guard index <= WireLimits.maximumIndex else {
                throw Self.refuse(name, "uses an index past \(WireLimits.maximumIndex)")
            }
            var elements: [Int]
            switch nodes[node] {
            case .unset: elements = []
            case .array(let existing): elements = existing
            case .value, .object: throw Self.refuse(name, "clashes with another parameter's name")
            }
            // Leave the node empty while its list is edited, so the edit does not copy the list.
            nodes[node] = .unset
            while elements.count <= index {
                slots -= 1
                guard slots >= 0 else { throw Self.refuse(name, "leaves more list gaps than the request fills") }
                elements.append(-1)
            }
            if elements[index] < 0 {
                elements[index] = nodes.count
                nodes.append(.unset)
            }
            let found = elements[index]
            nodes[node] = .array(elements)
            return found
        }
        var order: [(key: String, node: Int)]
        var members: [String: Int]
        switch nodes[node] {
        case .unset: (order, members) = ([], [:])
        case .object(let existingOrder, let existingMembers): (order, members) = (existingOrder, existingMembers)
        case .value, .array: throw Self.refuse(name, "clashes with another parameter's name")
        }
        let key = String(part)
        if let found = members[key] { return found }
        nodes[node] = .unset
        order.append((key, nodes.count))
        members[key] = nodes.count
        nodes.append(.unset)
        nodes[node] = .object(order: order, members: members)
        return nodes.count - 1
    }

    /// The JSON of a node (its recursion is bounded by ``WireLimits/maximumNameParts``).
    package func json(at node: Int) -> JSONValue {
        switch nodes[node] {
        case .unset: return node == 0 ? .object([]) : .null
        case .value(let text): return .string(text)
        case .object(let order, _): return .object(order.map { ($0.key, json(at: $0.node)) })
        case .array(let elements): return .array(elements.map { $0 < 0 ? .null : json(at: $0) })
        }
    }

    private static func refuse(_ name: String, _ why: String) -> APIError {
        APIError("InvalidParameter", "The parameter name `\(name.prefix(64))` \(why).")
    }
}

/// The wire's time stamps.
package enum WireTime {
    /// CVM times: ISO 8601 UTC to the second (`2026-01-01T00:00:00Z`); a `+08:00`-style offset is accepted.
    package static func tencent(_ text: String) -> Instant? {
        if let instant = Instant(iso8601: text) { return instant }
        // `YYYY-MM-DDTHH:MM:SS+HH:MM`
        guard text.count == 25 else { return nil }
        let base = String(text.prefix(19)) + "Z"
        let offset = text.suffix(6)
        guard let instant = Instant(iso8601: base), let sign = offset.first, sign == "+" || sign == "-",
            let hours = Int64(offset.dropFirst().prefix(2)), let minutes = Int64(offset.suffix(2)),
            offset.dropFirst(3).first == ":"
        else { return nil }
        let shift = Seconds(hours * 3_600 + minutes * 60)
        // An offset can carry a time past the range every journal line can write (years 1970 to 9999).
        return sign == "+" ? instant.checkedAdding(Seconds(-shift.count)) : instant.checkedAdding(shift)
    }

    /// Adds whole calendar months (a subscription's `Period`), clamping the day to the month's length.
    package static func addingMonths(_ months: Int, to instant: Instant) -> Instant? {
        // The calendar is ReleaseCore's (a 31st lands on a shorter month's last day); the wire adds the range.
        let result = instant.addingCalendarMonths(Int64(months))
        return Instant.supportedRange.contains(result) ? result : nil
    }
}
