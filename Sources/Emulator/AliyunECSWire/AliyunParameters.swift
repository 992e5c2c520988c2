package import EmulatorCore
import Foundation
import ReleaseCore
import Reporting

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

extension NameSequence {
    /// ECS `UniqueSuffix`'s ordered suffix: `001` to `999`.
    static func suffix(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// ECS `InstanceName`/`HostName` in the sorting format `name_prefix[begin_number,bits]name_suffix`: each
    /// `[begin,bits]` becomes begin + i written with `bits` digits (RunInstances, "Specify sequential instance
    /// names or hostnames"); without one, every instance has the name given.
    static func aliyun(_ name: String, count: Int) -> [String] {
        (0..<count).map { offset in
            replacingGroups(in: name, open: "[", close: "]") { inside in
                let numbers = inside.split(separator: ",", omittingEmptySubsequences: false)
                guard numbers.count == 2, let begin = Int(numbers[0]), let bits = Int(numbers[1]),
                    (1...6).contains(bits),
                    (0...999_999).contains(begin)
                else { return nil }
                let digits = String(begin + offset)
                return String(repeating: "0", count: max(0, bits - digits.count)) + digits
            }
        }
    }
}
