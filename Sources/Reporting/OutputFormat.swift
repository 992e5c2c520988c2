import Foundation

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
