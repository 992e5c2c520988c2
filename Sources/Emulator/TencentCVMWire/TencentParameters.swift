package import EmulatorCore
import Foundation
package import ReleaseCore
package import Reporting

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

extension WireTime {
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
}

extension NameSequence {
    /// CVM `InstanceName`: each `{R:x}` becomes x + i; without one, a batch's names get the suffixes 1…n
    /// (RunInstances: "如果指定模式串{R:x}，表示生成数字[x, x+n-1]… 如果不指定模式串，则在实例显示名称添加后缀1、2...n").
    static func tencent(_ name: String, count: Int) -> [String] {
        let hasPattern = name.contains("{R:")
        return (0..<count).map { offset in
            guard hasPattern else { return count > 1 ? name + String(offset + 1) : name }
            return replacingGroups(in: name, open: "{", close: "}") { inside in
                guard inside.hasPrefix("R:"), let start = Int(inside.dropFirst(2)), (0...999_999).contains(start) else {
                    return nil
                }
                return String(start + offset)
            }
        }
    }
}
