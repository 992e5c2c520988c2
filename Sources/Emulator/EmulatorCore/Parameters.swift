import Foundation
import ReleaseCore
import Reporting

/// A refusal in wire terms: the provider's code, its HTTP status (ECS; CVM answers 200), a message, and the
/// rules behind it for `X-CloudRelease-Rules`.
struct APIError: Error {
    var code: String
    var status: Int
    var message: String
    var rules: [String] = []

    init(_ code: String, status: Int = 400, _ message: String, rules: [String] = []) {
        self.code = code
        self.status = status
        self.message = message
        self.rules = rules
    }

    /// A model's refusal as the wire says it; a code the model gives no status gets 400 (ECS `DryRunOperation`
    /// is a client error to the SDKs, brief §4 trap 3).
    init(_ error: ReleaseError) {
        self.init(error.code.rawValue, status: error.httpStatus ?? 400, error.message, rules: [error.source.code])
    }
}

/// ECS request parameters: query and form pairs by name (the last of a repeated name wins).
struct AliyunParameters {
    var values: [String: String]

    init(_ pairs: [(name: String, value: String)]) {
        values = [:]
        for pair in pairs { values[pair.name] = pair.value }
    }

    subscript(name: String) -> String? { values[name] }

    func required(_ name: String) throws(APIError) -> String {
        guard let value = values[name], !value.isEmpty else {
            throw APIError(
                "MissingParameter",
                "The input parameter \"\(name)\" that is mandatory for processing this request is not supplied."
            )
        }
        return value
    }

    /// Booleans arrive as Python's `str(bool)` (`True`, `False`) or as `true`/`false` (brief §2).
    func bool(_ name: String) throws(APIError) -> Bool? {
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

    func int(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
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
    func list(_ name: String) -> [String] {
        var result: [String] = []
        while let value = values["\(name).\(result.count + 1)"] { result.append(value) }
        return result
    }

    /// A JSON array of strings sent as one parameter (DescribeInstances `InstanceIds`).
    func jsonList(_ name: String) throws(APIError) -> [String]? {
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
/// `ActionTimer.Externals.ReleaseAddress`) folded into the same shape (brief §2).
struct TencentParameters {
    var root: JSONValue

    init(json: JSONValue) { root = json }

    /// Folds flat pairs into objects and arrays; nil when the names clash (`A=1` and `A.0=2`) or the indices
    /// leave more gaps than the pairs could fill (`A.100=x` alone would otherwise allocate 100 empty slots per
    /// pair, a request's worth of memory many times over).
    init?(flat pairs: [(name: String, value: String)]) {
        var root = JSONValue.object([])
        var slots = 2 * pairs.count + 256
        for pair in pairs {
            let path = pair.name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !path.contains(where: \.isEmpty),
                Self.insert(.string(pair.value), at: path[...], into: &root, slots: &slots)
            else {
                return nil
            }
        }
        self.root = root
    }

    private static func insert(
        _ value: JSONValue,
        at path: ArraySlice<String>,
        into node: inout JSONValue,
        slots: inout Int
    ) -> Bool {
        guard let head = path.first else {
            node = value
            return true
        }
        let rest = path.dropFirst()
        if let index = Int(head), index >= 0, index <= 1_000 {
            var elements: [JSONValue]
            switch node {
            case .array(let existing): elements = existing
            case .object(let members) where members.isEmpty: elements = []
            case .null: elements = []
            default: return false
            }
            while elements.count <= index {
                slots -= 1
                guard slots >= 0 else { return false }
                elements.append(.null)
            }
            var child = elements[index]
            if child == .null, !rest.isEmpty { child = .object([]) }
            guard insert(value, at: rest, into: &child, slots: &slots) else { return false }
            elements[index] = child
            node = .array(elements)
            return true
        }
        guard case .object(var members) = node else {
            if node == .null {
                node = .object([])
                return insert(value, at: path, into: &node, slots: &slots)
            }
            return false
        }
        if let position = members.firstIndex(where: { $0.0 == head }) {
            var child = members[position].1
            guard insert(value, at: rest, into: &child, slots: &slots) else { return false }
            members[position].1 = child
        } else {
            var child: JSONValue = rest.isEmpty ? .null : (Int(rest.first!) != nil ? .array([]) : .object([]))
            guard insert(value, at: rest, into: &child, slots: &slots) else { return false }
            members.append((head, child))
        }
        node = .object(members)
        return true
    }

    subscript(name: String) -> JSONValue? {
        guard let value = root[name], value != .null else { return nil }
        return value
    }

    func string(_ name: String) throws(APIError) -> String? {
        guard let value = self[name] else { return nil }
        guard let text = value.text else { throw Self.invalid(name, "is not a string") }
        return text
    }

    func required(_ name: String) throws(APIError) -> String {
        guard let text = try string(name), !text.isEmpty else {
            throw APIError("MissingParameter", "The request is missing a required parameter `\(name)`.")
        }
        return text
    }

    func bool(_ name: String) throws(APIError) -> Bool? {
        guard let value = self[name] else { return nil }
        if case .bool(let flag) = value { return flag }
        switch value.text?.lowercased() {
        case "true": return true
        case "false": return false
        default: throw Self.invalid(name, "is not a boolean")
        }
    }

    func int(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let value = self[name] else { return nil }
        guard let text = value.text, let number = Int(text), range.contains(number) else {
            throw Self.invalid(name, "is not an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    func stringList(_ name: String) throws(APIError) -> [String]? {
        guard let value = self[name] else { return nil }
        guard case .array(let elements) = value else { throw Self.invalid(name, "is not an array") }
        var result: [String] = []
        for element in elements {
            guard let text = element.text else { throw Self.invalid(name, "holds a value that is not a string") }
            result.append(text)
        }
        return result
    }

    func object(_ name: String) throws(APIError) -> TencentParameters? {
        guard let value = self[name] else { return nil }
        guard case .object = value else { throw Self.invalid(name, "is not an object") }
        return TencentParameters(json: value)
    }

    func objects(_ name: String) throws(APIError) -> [TencentParameters] {
        guard let value = self[name] else { return [] }
        guard case .array(let elements) = value else { throw Self.invalid(name, "is not an array") }
        var result: [TencentParameters] = []
        for element in elements {
            guard case .object = element else { throw Self.invalid(name, "holds a value that is not an object") }
            result.append(TencentParameters(json: element))
        }
        return result
    }

    static func invalid(_ name: String, _ why: String) -> APIError {
        APIError("InvalidParameterValue", "The value of parameter `\(name)` \(why).")
    }
}

/// The wire's time stamps.
enum WireTime {
    /// CVM times: ISO 8601 UTC to the second (`2026-01-01T00:00:00Z`); a `+08:00`-style offset is accepted.
    static func tencent(_ text: String) -> Instant? {
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
        return sign == "+" ? instant - shift : instant + shift
    }

    /// Adds whole calendar months (a subscription's `Period`), clamping the day to the month's length.
    static func addingMonths(_ months: Int, to instant: Instant) -> Instant? {
        let civil = instant.civil
        let total = civil.month - 1 + Int64(months)
        let year = civil.year + total / 12
        let month = total % 12 + 1
        let monthLengths: [Int64] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let length = month == 2 && isLeap ? 29 : monthLengths[Int(month - 1)]
        let day = min(civil.day, length)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let text =
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(civil.hour, 2)):\(pad(civil.minute, 2)):\(pad(civil.second, 2))Z"
        guard let result = Instant(iso8601: text), Instant.supportedRange.contains(result) else { return nil }
        return result
    }
}
