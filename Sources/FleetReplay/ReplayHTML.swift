import ProviderRegistry
import ReleaseCore
public import Reporting

extension ReplaySummary {
    /// One self-contained HTML page (inline SVG, no script, no network): the final phases per provider as
    /// stacked bars, rejections per provider and error code, and billed time per meter.
    public func html(language: Language = .en) -> String {
        let zh = language == .zh
        func say(_ english: String, _ chinese: String) -> String { zh ? chinese : english }
        let providers = Set(instances.keys).union(rejections.keys).union(billedSeconds.keys).sorted()
        var sections: [String] = []
        sections.append("<h2>\(say("Instances by final phase", "按最终状态统计的实例"))</h2>")
        sections.append(phaseChart(providers, language))
        sections.append("<h2>\(say("Rejected records by error code", "按错误码统计的被拒绝记录"))</h2>")
        let codes = providers.flatMap { provider in
            (rejections[provider] ?? [:]).map {
                (label: "\(provider) \($0.key)", value: Double($0.value), text: "\($0.value)")
            }
        }.sorted { ($0.value, $1.label) > ($1.value, $0.label) }
        let none = "<p>\(say("None.", "无。"))</p>"
        sections.append(codes.isEmpty ? none : barChart(codes, colour: "#b00020", kind: "rejection"))
        sections.append("<h2>\(say("Billed time by meter", "按计费项统计的计费时长"))</h2>")
        let billed = providers.flatMap { provider in
            MeterFamily.allCases.compactMap { meter -> (label: String, value: Double, text: String)? in
                guard let seconds = billedSeconds[provider]?[meter.rawValue], seconds > 0 else { return nil }
                return (
                    "\(provider) \(language.term(meter.rawValue))", Double(seconds),
                    language.duration("\(Seconds(seconds))")
                )
            }
        }
        sections.append(billed.isEmpty ? none : barChart(billed, colour: "#64748b", kind: "billed"))
        let interval = "\(interval.from?.iso8601 ?? "-") → \(interval.to?.iso8601 ?? "-")"
        return Markup.page(
            title: "cloud-release replay",
            subtitle: say(
                "\(file): \(records) records = \(applied) applied + \(rejected) rejected + \(malformed) malformed; \(interval)",
                "\(file)：\(records) 条记录 = \(applied) 条已执行 + \(rejected) 条被拒绝 + \(malformed) 条格式错误；\(interval)"
            ),
            legend: Phase.allCases.map { (language.term($0.rawValue), Self.colour($0)) },
            body: sections.joined(separator: "\n"),
            language: language
        )
    }

    static func colour(_ phase: Phase) -> String { Markup.phaseColours[phase.rawValue] ?? "#000" }

    /// One stacked bar per provider: its instances by final phase.
    private func phaseChart(_ providers: [String], _ language: Language) -> String {
        let width = 1000.0, left = 120.0, right = 20.0, barHeight = 26.0
        let height = 20 + (barHeight + 14) * Double(max(providers.count, 1))
        let largest = Double(providers.map { (instances[$0] ?? [:]).values.reduce(0, +) }.max() ?? 1)
        var parts = [
            "<svg class=\"chart phases\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        ]
        for (row, provider) in providers.enumerated() {
            let y = 14 + (barHeight + 14) * Double(row)
            parts.append(
                "<text x=\"8\" y=\"\(Markup.coordinate(y + 17))\" font-weight=\"bold\">\(Markup.escaped(provider))</text>"
            )
            var x = left
            for phase in Phase.allCases {
                guard let count = instances[provider]?[phase.rawValue], count > 0 else { continue }
                let length = (width - left - right) * Double(count) / max(largest, 1)
                parts.append(
                    "<rect class=\"bar\" data-phase=\"\(phase.rawValue)\" x=\"\(Markup.coordinate(x))\" y=\"\(Markup.coordinate(y))\" width=\"\(Markup.coordinate(max(length, 1)))\" height=\"\(Int(barHeight))\" fill=\"\(Self.colour(phase))\">"
                        + "<title>\(Markup.escaped(provider)) \(language.term(phase.rawValue, provider: provider)): \(count)</title></rect>"
                )
                if length > 70 {
                    parts.append(
                        "<text x=\"\(Markup.coordinate(x + 4))\" y=\"\(Markup.coordinate(y + 17))\">\(language.term(phase.rawValue, provider: provider)) \(count)</text>"
                    )
                }
                x += length
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// Horizontal bars, largest first.
    private func barChart(
        _ bars: [(label: String, value: Double, text: String)],
        colour: String,
        kind: String
    ) -> String {
        let width = 1000.0, left = 430.0, right = 190.0, barHeight = 16.0
        let height = 12 + (barHeight + 6) * Double(bars.count)
        let largest = bars.map(\.value).max() ?? 1
        var parts = [
            "<svg class=\"chart \(kind)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        ]
        for (row, bar) in bars.enumerated() {
            let y = 6 + (barHeight + 6) * Double(row)
            let length = (width - left - right) * bar.value / max(largest, 1)
            parts.append("<text x=\"8\" y=\"\(Markup.coordinate(y + 12))\">\(Markup.escaped(bar.label))</text>")
            parts.append(
                "<rect class=\"bar\" data-kind=\"\(kind)\" x=\"\(Int(left))\" y=\"\(Markup.coordinate(y))\" width=\"\(Markup.coordinate(max(length, 1)))\" height=\"\(Int(barHeight))\" fill=\"\(colour)\"><title>\(Markup.escaped(bar.label)): \(Markup.escaped(bar.text))</title></rect>"
            )
            parts.append(
                "<text x=\"\(Markup.coordinate(left + max(length, 1) + 6))\" y=\"\(Markup.coordinate(y + 12))\">\(Markup.escaped(bar.text))</text>"
            )
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
