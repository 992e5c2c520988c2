/// Text for XML and HTML documents (JUnit reports, the HTML timelines and charts).
public enum Markup {
    /// Text escaped for an element or an attribute; characters XML 1.0 forbids are dropped.
    public static func escaped(_ text: String) -> String {
        text.replacingScalars { scalar in
            switch scalar {
            case "&": return "&amp;"
            case "<": return "&lt;"
            case ">": return "&gt;"
            case "\"": return "&quot;"
            case "'": return "&apos;"
            case "\t", "\n", "\r": return nil
            case let forbidden where forbidden.value < 0x20 || (0xFFFE...0xFFFF).contains(forbidden.value): return ""
            default: return nil
            }
        }
    }

    /// A number to one decimal, for coordinates (never negative).
    public static func coordinate(_ value: Double) -> String {
        let tenths = Int((max(value, 0) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// A whole self-contained page: the shared style, a title, an optional line under it, a legend of
    /// coloured keys, and the body.
    public static func page(
        title: String,
        subtitle: String? = nil,
        legend: [(key: String, colour: String)],
        body: String,
        language: Language = .en
    )
        -> String
    {
        let keys = legend.map {
            "<span class=\"key\"><span class=\"swatch\" style=\"background:\($0.colour)\"></span>\(escaped($0.key))</span>"
        }.joined(separator: " ")
        let line = subtitle.map { "<p class=\"file\">\(escaped($0))</p>\n" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="\(language == .zh ? "zh-CN" : "en")">
            <head>
            <meta charset="utf-8">
            <title>\(escaped(title))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            <h1>\(escaped(title))</h1>
            \(line)<div class="legend">\(keys)</div>
            \(body)
            </body>
            </html>

            """
    }

    /// The colour of each phase (by its name) in every picture, so pages read alike.
    public static let phaseColours: [String: String] = [
        "pending": "#c7d2fe", "starting": "#a5b4fc", "running": "#4ade80", "stopping": "#fcd34d",
        "stopped": "#fbbf24", "suspended": "#f97316", "recycleBin": "#a78bfa", "released": "#9ca3af",
    ]

    /// The page's shared style: one sans-serif look for every HTML report.
    public static let style = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
        h1 { font-size: 20px; } h2 { font-size: 17px; margin-bottom: 2px; } .file { color: #666; margin-top: 0; }
        .legend { margin: 8px 0 16px; } .key { margin-right: 12px; white-space: nowrap; }
        .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
        svg { border: 1px solid #ddd; background: #fff; max-width: 100%; height: auto; }
        svg text { font: 11px system-ui, sans-serif; fill: #222; }
        table { border-collapse: collapse; margin: 8px 0 24px; }
        td, th { border-bottom: 1px solid #eee; padding: 2px 8px; text-align: left; }
        tr.fail { color: #b00020; }
        """
}

extension String {
    /// The string with each Unicode scalar for which `replacement` answers a string replaced by it (an empty
    /// string drops the scalar): the one loop behind JSON quoting and XML escaping.
    package func replacingScalars(_ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            if let replaced = replacement(scalar) {
                out += replaced
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
