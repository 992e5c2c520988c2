import Foundation

/// How to print a report.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned text for a terminal (at most 120 columns).
    case text
    /// A Markdown document.
    case markdown
    /// JSON with stable keys.
    case json
}

extension ComparisonCell {
    /// `outcome (A4, Q3 [MODEL])`.
    func rendered(markModel: (String) -> Bool) -> String {
        guard !sources.isEmpty else { return outcome }
        let codes = sources.map { markModel($0) ? "\($0)*" : $0 }
        return "\(outcome) (\(codes.joined(separator: ", ")))"
    }
}

extension Comparison {
    private func isModelCode(_ code: String) -> Bool {
        sources.first { $0.code == code }?.isModelChoice ?? false
    }

    /// Renders the comparison in `format`; `colour` adds ANSI emphasis to text output.
    public func rendered(as format: OutputFormat, colour: Bool = false) -> String {
        switch format {
        case .text: return text(colour: colour)
        case .markdown: return markdown()
        case .json: return JSONOutput.encode(self)
        }
    }

    private func text(colour: Bool) -> String {
        let totalWidth = 120
        let questionWidth = columns.count > 2 ? 26 : 34
        let separator = "  "
        let cellWidth = (totalWidth - questionWidth - separator.count * columns.count) / max(1, columns.count)
        let widths = [questionWidth] + Array(repeating: cellWidth, count: columns.count)
        var lines: [String] = []
        var table: [[String]] = [["question"] + columns]
        var headerRows: Set<Int> = [0]
        var group = ""
        for row in rows {
            if row.group != group {
                group = row.group
                headerRows.insert(table.count)
                table.append([group.uppercased()] + Array(repeating: "", count: columns.count))
            }
            table.append([row.question] + row.cells.map { $0.rendered(markModel: isModelCode) })
        }
        lines += TextLayout.table(table, widths: widths, separator: separator) { row, column, line in
            guard colour else { return line }
            if headerRows.contains(row) { return "\u{1B}[1m\(line)\u{1B}[0m" }
            if column > 0 && line.contains("refused") { return "\u{1B}[33m\(line)\u{1B}[0m" }
            return line
        }
        lines.append("")
        lines.append("* a product choice where the sources are silent ([MODEL], see Docs/Semantics.md).")
        lines.append("Sources:")
        for entry in sources {
            let mark = entry.isModelChoice ? " [MODEL]" : ""
            lines += TextLayout.wrap("\(entry.code)\(mark): \(entry.citation)", width: totalWidth - 2).enumerated()
                .map { $0.offset == 0 ? "  " + $0.element : "      " + $0.element }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func markdown() -> String {
        func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        var lines: [String] = []
        lines.append("| question | " + columns.joined(separator: " | ") + " |")
        lines.append("| --- |" + String(repeating: " --- |", count: columns.count))
        var group = ""
        for row in rows {
            if row.group != group {
                group = row.group
                lines.append("| **\(group)** |" + String(repeating: " |", count: columns.count))
            }
            let cells = row.cells.map { cell -> String in
                let codes = cell.sources.map { isModelCode($0) ? "\($0) [MODEL]" : $0 }
                return escape(codes.isEmpty ? cell.outcome : "\(cell.outcome) (\(codes.joined(separator: ", ")))")
            }
            lines.append("| \(escape(row.question)) | " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines.append("[MODEL] marks a product choice where the sources are silent.")
        lines.append("")
        lines.append("### Sources")
        lines.append("")
        for entry in sources {
            let mark = entry.isModelChoice ? " [MODEL]" : ""
            lines.append("- **\(entry.code)**\(mark): \(escape(entry.citation))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Stable JSON: sorted keys, pretty printed, no escaped slashes.
enum JSONOutput {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
        } catch {
            preconditionFailure("encoding a report cannot fail: \(error)")
        }
    }
}
