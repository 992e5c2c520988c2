#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How to print a report.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned text for a terminal (120 columns unless told otherwise).
    case text
    /// A Markdown document.
    case markdown
    /// JSON with stable keys.
    case json
}

/// Stable JSON: sorted keys, pretty printed, no escaped slashes. The one encoder configuration of every JSON
/// the package prints (reports, summaries, explanations).
public enum JSONOutput {
    /// `value` as stable JSON text ending in a newline.
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
        } catch {
            preconditionFailure("encoding a report cannot fail: \(error)")
        }
    }
}

/// A report the package prints in every ``OutputFormat``: JSON of its stable keys, aligned text and Markdown.
///
/// A report writes its text and Markdown forms; choosing among the forms is written once, here.
public protocol Report: Encodable {
    /// Aligned text that fits `width` terminal columns (at least 60), with ANSI emphasis when `colour`.
    func text(colour: Bool, width: Int, language: Language) -> String
    /// A Markdown document.
    func markdown(language: Language) -> String
}

extension Report {
    /// The report in `format`: `colour` adds ANSI emphasis to text, which fits `width` terminal columns (at least
    /// 60); `language` is the language of the words (JSON keys and codes are the same in every language).
    public func rendered(
        as format: OutputFormat,
        colour: Bool = false,
        width: Int = 120,
        language: Language = .en
    ) -> String {
        switch format {
        case .json: return JSONOutput.encode(self)
        case .text: return text(colour: colour, width: max(60, width), language: language)
        case .markdown: return markdown(language: language)
        }
    }
}
