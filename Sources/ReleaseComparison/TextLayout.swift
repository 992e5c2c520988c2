/// Word wrapping and padding for fixed-width text tables.
enum TextLayout {
    /// Splits `text` into lines of at most `width` characters, breaking at spaces where possible.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [text] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            var word = word
            while word.count > width {
                if !current.isEmpty {
                    lines.append(current)
                    current = ""
                }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// `text` padded with spaces to `width` characters.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Renders rows of cells as an aligned table whose columns have the given widths, wrapping each cell.
    /// `style` may decorate a finished line (e.g. with colour) without changing its width.
    static func table(
        _ rows: [[String]],
        widths: [Int],
        separator: String = "  ",
        style: (_ row: Int, _ column: Int, _ line: String) -> String = { _, _, line in line }
    ) -> [String] {
        var output: [String] = []
        for (rowIndex, row) in rows.enumerated() {
            let wrapped = zip(row, widths).map { wrap($0, width: $1) }
            let height = wrapped.map(\.count).max() ?? 1
            for lineIndex in 0..<height {
                var parts: [String] = []
                for (column, lines) in wrapped.enumerated() {
                    let text = lineIndex < lines.count ? lines[lineIndex] : ""
                    let isLast = column == wrapped.count - 1
                    let padded = isLast ? text : pad(text, widths[column])
                    parts.append(style(rowIndex, column, padded))
                }
                output.append(parts.joined(separator: separator).trailingSpacesRemoved)
            }
        }
        return output
    }
}

extension String {
    var trailingSpacesRemoved: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
