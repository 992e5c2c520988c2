/// Where a rule comes from: a short code from the fact sheet's source key and the document it names.
public struct Citation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The short code, e.g. `A4`, `T2`, `TD7`.
    public var code: String
    /// The seed file or official page.
    public var document: String
    /// Whether the cited document is one of the seed documents (the product's specification).
    public var isSeed: Bool
    /// Whether no source states the rule and the product chose it (tagged [MODEL] in the docs).
    public var isModelChoice: Bool

    /// Creates a citation.
    public init(code: String, document: String, isSeed: Bool = false, isModelChoice: Bool = false) {
        self.code = code
        self.document = document
        self.isSeed = isSeed
        self.isModelChoice = isModelChoice
    }

    /// A product choice where the sources are silent: `code` is the fact sheet's open question (`Q13`) or
    /// contradiction (`C7`) it answers, `reason` the choice.
    public static func model(_ code: String, _ reason: String) -> Citation {
        Citation(code: code, document: reason, isModelChoice: true)
    }

    public var description: String { isModelChoice ? "\(code) [MODEL]: \(document)" : "\(code): \(document)" }
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
