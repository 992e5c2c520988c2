/// A source's short code from the fact sheet's source key (`A4`, `T2`, `TD7`, `Q13`): the key of a provider's
/// source catalogue and what an ``Effect`` cites.
///
/// A static string, written as a literal where a rule is encoded, so an effect that carries one is a plain
/// value: the engine copies and drops effects without reference counting.
public struct SourceCode: Hashable, Sendable, Comparable, Encodable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The code's text.
    public let text: StaticString

    /// A code written as a literal.
    @inlinable
    public init(stringLiteral text: StaticString) {
        self.text = text
    }

    /// The code as a String.
    public var description: String { text.description }

    public static func == (lhs: SourceCode, rhs: SourceCode) -> Bool {
        lhs.text.withUTF8Buffer { left in rhs.text.withUTF8Buffer { right in left.elementsEqual(right) } }
    }

    public static func < (lhs: SourceCode, rhs: SourceCode) -> Bool {
        lhs.text.withUTF8Buffer { left in rhs.text.withUTF8Buffer { right in left.lexicographicallyPrecedes(right) } }
    }

    public func hash(into hasher: inout Hasher) {
        text.withUTF8Buffer { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Encoded as its text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Where a rule comes from: a short code from the fact sheet's source key and the document it names.
public struct Citation: Hashable, Sendable, Encodable, CustomStringConvertible {
    // The strings first and the flags last: 51 bytes rather than 64, for a refusal carries one (``ReleaseError``).

    /// The seed file or official page.
    public var document: String
    /// The document's description, or the product's choice, in Chinese where it is English prose (`--lang zh`);
    /// nil where ``document`` reads the same in both (a URL, a seed's title). Not encoded.
    public var chineseDocument: String?
    /// The short code, e.g. `A4`, `T2`, `TD7`, as effects cite it.
    public let sourceCode: SourceCode
    /// Whether the cited document is one of the seed documents (the product's specification).
    public var isSeed: Bool
    /// Whether no source states the rule and the product chose it (tagged [MODEL] in the docs).
    public var isModelChoice: Bool

    /// The short code as a String.
    public var code: String { sourceCode.description }

    /// Creates a citation.
    public init(
        code: SourceCode,
        document: String,
        chineseDocument: String? = nil,
        isSeed: Bool = false,
        isModelChoice: Bool = false
    ) {
        self.sourceCode = code
        self.document = document
        self.chineseDocument = chineseDocument
        self.isSeed = isSeed
        self.isModelChoice = isModelChoice
    }

    /// ``document`` in Chinese when `chinese` and there is a Chinese wording, else as it is.
    public func document(chinese: Bool) -> String { chinese ? chineseDocument ?? document : document }

    /// A product choice where the sources are silent: `code` is the fact sheet's open question (`Q13`) or
    /// contradiction (`C7`) it answers, `reason` the choice, `chinese` the same in Chinese.
    public static func model(_ code: SourceCode, _ reason: String, _ chinese: String) -> Citation {
        Citation(code: code, document: reason, chineseDocument: chinese, isModelChoice: true)
    }

    public var description: String { isModelChoice ? "\(code) [MODEL]: \(document)" : "\(code): \(document)" }

    private enum CodingKeys: String, CodingKey { case code, document, isSeed, isModelChoice }

    /// Encoded as `{"code", "document", "isSeed", "isModelChoice"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(document, forKey: .document)
        try container.encode(isSeed, forKey: .isSeed)
        try container.encode(isModelChoice, forKey: .isModelChoice)
    }
}

/// A rule value together with its source.
public struct Sourced<Value: Hashable & Sendable>: Hashable, Sendable {
    /// The value the models use.
    public var value: Value
    /// Where it comes from.
    public var source: Citation

    /// Creates a sourced value.
    public init(_ value: Value, _ source: Citation) {
        self.value = value
        self.source = source
    }
}

/// A dated set of provider rules. The seed profile is every provider's default; newer official pages that
/// disagree with a seed become a second profile, never mixed into the first.
public struct ProfileInfo: Hashable, Sendable, Codable {
    /// A short identifier such as `seed` or `2025`.
    public var name: String
    /// The date (or date range) of the sources the profile follows.
    public var asOf: String
    /// One sentence on what the profile is.
    public var summary: String

    /// Creates profile metadata.
    public init(name: String, asOf: String, summary: String) {
        self.name = name
        self.asOf = asOf
        self.summary = summary
    }
}
