/// Word wrapping and padding for fixed-width text tables, by display width: a CJK character takes two
/// terminal columns, a combining mark none.
package enum TextLayout {
    /// Splits `text` into lines of at most `width` display columns, breaking at spaces where possible.
    package static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [text] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            var word = word
            while word.displayWidth > width {
                if !current.isEmpty {
                    // CJK text has no spaces: a run of it longer than a line starts where the line has room (a
                    // long Latin word, such as an error code, starts a line of its own).
                    let room = width - current.displayWidth - 1
                    if room >= 4 && word.displayWidth > word.count {
                        let (head, tail) = word.splitting(atDisplayWidth: room)
                        lines.append(current + " " + head)
                        current = ""
                        word = tail
                        continue
                    }
                    lines.append(current)
                    current = ""
                }
                let (head, tail) = word.splitting(atDisplayWidth: width)
                lines.append(head)
                word = tail
            }
            if current.isEmpty {
                current = word
            } else if current.displayWidth + 1 + word.displayWidth <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// `text` padded with spaces to `width` display columns.
    package static func pad(_ text: String, _ width: Int) -> String {
        let textWidth = text.displayWidth
        return textWidth >= width ? text : text + String(repeating: " ", count: width - textWidth)
    }

    /// Renders rows of cells as an aligned table whose columns have the given widths, wrapping each cell.
    /// `style` may decorate a finished line (e.g. with colour) without changing its width.
    package static func table(
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

extension Unicode.Scalar {
    /// Terminal columns: 2 for East Asian wide and fullwidth characters (CJK, Hangul, fullwidth forms,
    /// emoji), 0 for combining marks and zero-width characters, 1 otherwise (after Unicode UAX #11).
    package var displayWidth: Int {
        switch value {
        case 0x0300...0x036F, 0x200B...0x200F, 0x20D0...0x20FF, 0xFE00...0xFE0F, 0xFE20...0xFE2F: return 0
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default: return 1
        }
    }
}

extension String {
    /// Terminal columns the text takes (see ``Unicode/Scalar/displayWidth``).
    package var displayWidth: Int {
        unicodeScalars.reduce(0) { $0 + $1.displayWidth }
    }

    /// The longest prefix of at most `width` display columns (at least one character), and the rest.
    package func splitting(atDisplayWidth width: Int) -> (String, String) {
        var used = 0
        var end = startIndex
        for index in indices {
            let characterWidth = self[index].unicodeScalars.reduce(0) { $0 + $1.displayWidth }
            if used + characterWidth > width && end > startIndex { break }
            used += characterWidth
            end = self.index(after: index)
        }
        return (String(self[..<end]), String(self[end...]))
    }

    package var trailingSpacesRemoved: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
