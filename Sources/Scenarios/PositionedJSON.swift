import ReleaseCore

/// A JSON value that remembers where it was written, so input errors can say `file:line:column`.
indirect enum ParsedJSON: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([Positioned])
    case object([(key: Positioned, value: Positioned)])

    /// A JSON value with its 1-based line and column.
    struct Positioned: Sendable {
        var value: ParsedJSON
        var line: Int
        var column: Int
    }

    /// What kind of value it is, for error messages.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// What kind of value it is, in Chinese.
    var chineseKindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "布尔值"
        case .number: return "数字"
        case .string: return "字符串"
        case .array: return "数组"
        case .object: return "对象"
        }
    }
}

/// A JSON syntax error at a position.
struct JSONSyntaxError: Error, Hashable, Sendable {
    var line: Int
    var column: Int
    var reason: String
    /// The same reason in Chinese, for `--lang zh`.
    var chineseReason: String?
}

/// A strict JSON (RFC 8259) parser that records positions.
///
/// It works in time linear in the input: columns are counted incrementally, member names are checked for
/// duplicates with a set.
struct PositionedJSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    /// The byte up to which ``columnCount`` has counted, on the current line.
    private var columnCursor = 0
    /// Unicode scalars from the line's start to ``columnCursor``.
    private var columnCount = 0

    /// Parses `text` as one JSON document. A leading byte-order mark is skipped.
    static func parse(_ text: String) throws(JSONSyntaxError) -> ParsedJSON.Positioned {
        try parse(utf8: Array(text.utf8))
    }

    /// Parses UTF-8 bytes as one JSON document: a leading byte-order mark is skipped, and bytes that are
    /// not UTF-8 are an error at their line and column (never replaced by U+FFFD).
    static func parse(utf8 bytes: [UInt8]) throws(JSONSyntaxError) -> ParsedJSON.Positioned {
        var parser = PositionedJSONParser(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            parser.index = 3
            parser.lineStart = 3
            parser.columnCursor = 3
        }
        try parser.validateUTF8()
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else {
            throw parser.error("unexpected text after the JSON value", "JSON 值之后有多余的文字")
        }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The 1-based column of ``index``, in Unicode scalars (not bytes). Counted from where the last call
    /// stopped, so a long line costs linear time in all.
    private var column: Int {
        mutating get {
            let end = min(index, bytes.count)
            if columnCursor < lineStart || columnCursor > end {
                columnCursor = lineStart
                columnCount = 0
            }
            while columnCursor < end {
                // Every byte that is not a continuation byte (10xxxxxx) starts a scalar.
                if bytes[columnCursor] & 0xC0 != 0x80 { columnCount += 1 }
                columnCursor += 1
            }
            return columnCount + 1
        }
    }

    private mutating func error(_ reason: String, _ chinese: String) -> JSONSyntaxError {
        JSONSyntaxError(line: line, column: column, reason: reason, chineseReason: chinese)
    }

    /// Checks that the whole input is UTF-8 (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF),
    /// reporting the first bad byte's position.
    private mutating func validateUTF8() throws(JSONSyntaxError) {
        let start = index
        var position = index
        while position < bytes.count {
            let lead = bytes[position]
            if lead < 0x80 {
                if lead == 0x0A {
                    line += 1
                    lineStart = position + 1
                }
                position += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, low) = (3, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: (length, high) = (3, 0x9F)
            case 0xF0: (length, low) = (4, 0x90)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, high) = (4, 0x8F)
            default: length = 0
            }
            var valid = length > 0 && position + length <= bytes.count
            if valid {
                for offset in 1..<length {
                    let byte = bytes[position + offset]
                    let (minimum, maximum) = offset == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                    if byte < minimum || byte > maximum {
                        valid = false
                        break
                    }
                }
            }
            guard valid else {
                index = position
                let problem = error(
                    "byte 0x\(String(lead, radix: 16, uppercase: true)) is not UTF-8 (the file must be UTF-8 text)",
                    "字节 0x\(String(lead, radix: 16, uppercase: true)) 不是 UTF-8（文件必须是 UTF-8 文本）"
                )
                throw problem
            }
            position += length
        }
        index = start
        line = 1
        lineStart = start
        columnCursor = start
        columnCount = 0
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> ParsedJSON.Positioned {
        guard depth < 64 else { throw error("nesting deeper than 64 levels", "嵌套超过 64 层") }
        guard index < bytes.count else { throw error("unexpected end of input, expected a value", "输入意外结束，此处应为一个值") }
        let (startLine, startColumn) = (line, column)
        func positioned(_ value: ParsedJSON) -> ParsedJSON.Positioned {
            ParsedJSON.Positioned(value: value, line: startLine, column: startColumn)
        }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [(key: ParsedJSON.Positioned, value: ParsedJSON.Positioned)] = []
            var names: Set<String> = []
            if consumes("}") { return positioned(.object(members)) }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw error("expected a quoted member name", "此处应为带引号的成员名")
                }
                let keyLine = line
                let keyColumn = column
                let key = try parseString()
                guard names.insert(key).inserted else {
                    throw JSONSyntaxError(
                        line: keyLine,
                        column: keyColumn,
                        reason: "duplicate member \"\(TimeText.escaped(key))\"",
                        chineseReason: "成员“\(TimeText.escaped(key))”重复"
                    )
                }
                guard consumes(":") else { throw error("expected ':'", "此处应为 ':'") }
                skipWhitespace()
                let value = try parseValue(depth: depth + 1)
                members.append((ParsedJSON.Positioned(value: .string(key), line: keyLine, column: keyColumn), value))
                if try closes(with: "}", in: ("an object", "对象")) { return positioned(.object(members)) }
            }
        case UInt8(ascii: "["):
            index += 1
            var elements: [ParsedJSON.Positioned] = []
            if consumes("]") { return positioned(.array(elements)) }
            while true {
                skipWhitespace()
                elements.append(try parseValue(depth: depth + 1))
                if try closes(with: "]", in: ("an array", "数组")) { return positioned(.array(elements)) }
            }
        case UInt8(ascii: "\""):
            return positioned(.string(try parseString()))
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return positioned(.bool(true))
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return positioned(.bool(false))
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return positioned(.null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return positioned(.number(try parseNumber()))
        default:
            throw error(
                "unexpected character '\(String(decoding: [bytes[index]], as: UTF8.self))'",
                "意外的字符 '\(String(decoding: [bytes[index]], as: UTF8.self))'"
            )
        }
    }

    /// After a member of an object or an element of an array: consumes `,` (false: another follows) or the
    /// closing bracket (true: the container ends); anything else is an error naming the container.
    private mutating func closes(
        with closing: Unicode.Scalar,
        in container: (english: String, chinese: String)
    ) throws(JSONSyntaxError) -> Bool {
        if consumes(",") { return false }
        if consumes(closing) { return true }
        guard index < bytes.count else {
            throw error("unexpected end of input in \(container.english)", "\(container.chinese)中输入意外结束")
        }
        throw error("expected ',' or '\(closing)'", "此处应为 ',' 或 '\(closing)'")
    }

    /// Skips whitespace, then consumes `scalar` if it comes next.
    private mutating func consumes(_ scalar: Unicode.Scalar) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: scalar) else { return false }
        index += 1
        return true
    }

    private mutating func expectLiteral(_ literal: String) throws(JSONSyntaxError) {
        let expected = Array(literal.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected else {
            throw error("expected \(literal)", "此处应为 \(literal)")
        }
        index += expected.count
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> Double {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        while index < bytes.count,
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
                || [
                    UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"),
                ].contains(bytes[index])
        {
            index += 1
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard Self.isNumber(bytes[start..<index]), let value = Double(text) else {
            index = start
            throw error("malformed number \"\(text)\"", "数字“\(text)”格式错误")
        }
        return value
    }

    /// RFC 8259 §6's number: `-? (0 | [1-9] digit*) (. digit+)? ([eE] [+-]? digit+)?`. `Double(_:)` alone also
    /// takes `01`, `1.`, `-.5` and `1.e5`, which JSON does not.
    static func isNumber(_ text: ArraySlice<UInt8>) -> Bool {
        var index = text.startIndex
        func digits() -> Int {
            let first = index
            while index < text.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[index]) { index += 1 }
            return index - first
        }
        if index < text.endIndex, text[index] == UInt8(ascii: "-") { index += 1 }
        guard index < text.endIndex else { return false }
        if text[index] == UInt8(ascii: "0") {
            index += 1  // a leading zero stands alone: "01" is not a number
        } else {
            let integerDigits = digits()
            guard integerDigits > 0 else { return false }
        }
        if index < text.endIndex, text[index] == UInt8(ascii: ".") {
            index += 1
            let fractionDigits = digits()
            guard fractionDigits > 0 else { return false }
        }
        if index < text.endIndex, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
            index += 1
            if index < text.endIndex, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
                index += 1
            }
            let exponentDigits = digits()
            guard exponentDigits > 0 else { return false }
        }
        return index == text.endIndex
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1  // the opening quote
        var scalars: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else { throw error("unterminated escape", "转义序列未结束") }
                let escaped = bytes[index + 1]
                index += 2
                switch escaped {
                case UInt8(ascii: "\""): scalars.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): scalars.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): scalars.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count,
                        let code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    else { throw error("bad \\u escape", "\\u 转义错误") }
                    index += 4
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw error(
                        "unknown escape \\\(String(decoding: [escaped], as: UTF8.self))",
                        "未知的转义 \\\(String(decoding: [escaped], as: UTF8.self))"
                    )
                }
            case 0x00..<0x20:
                throw error("control character in a string (newlines must be escaped)", "字符串中有控制字符（换行必须转义）")
            default:
                scalars.append(byte)
                index += 1
            }
        }
        throw error("unterminated string", "字符串未结束")
    }
}
