import ProviderRegistry
import ReleaseCore
public import Reporting

extension ScenarioReport {
    /// One self-contained HTML page (inline SVG and CSS, no script, no network): for each scenario the
    /// providers' timelines side by side — phases as bands, commands, events and deadlines as marks, billed
    /// intervals per meter — then its expectations.
    public static func html(
        _ reports: [ScenarioReport],
        timelines: [[ScenarioTimeline]],
        language: Language = .en
    ) -> String {
        let words = ScenarioWords(language: language, provider: nil)
        let say = words.say
        var body: [String] = []
        for (report, lines) in zip(reports, timelines) {
            body.append("<section class=\"scenario\">")
            body.append("<h2>\(xml(report.name))</h2>")
            body.append("<p class=\"file\">\(xml(report.file))</p>")
            body.append(svg(lines, words))
            if !report.checks.isEmpty {
                body.append(
                    "<table class=\"checks\"><tr><th></th><th>\(say("line", "行"))</th><th>\(say("model", "模型"))</th>"
                        + "<th>\(say("expectation", "预期"))</th><th>\(say("found", "实际"))</th></tr>"
                )
                for check in report.checks {
                    body.append(
                        "<tr class=\"\(check.passed ? "pass" : "fail")\"><td>\(check.passed ? "✓" : "✗")</td><td>\(check.line)</td>"
                            + "<td>\(xml(check.model))</td><td>\(xml(check.what))</td><td>\(xml(check.found ?? ""))</td></tr>"
                    )
                }
                body.append("</table>")
            }
            body.append("</section>")
        }
        return Markup.page(
            title: "cloud-release simulate",
            legend: Phase.allCases.map { (words.phase($0), colour($0)) },
            body: body.joined(separator: "\n"),
            language: language
        )
    }

    private static func colour(_ phase: Phase) -> String { Markup.phaseColours[phase.rawValue] ?? "#000" }

    private static func colour(_ kind: ScenarioTimeline.Mark.Kind) -> String {
        switch kind {
        case .command: return "#1d4ed8"
        case .refused: return "#b00020"
        case .event: return "#0f766e"
        case .deadline: return "#7c2d12"
        }
    }

    /// The providers' timelines in one SVG on a shared time axis.
    private static func svg(_ lines: [ScenarioTimeline], _ shared: ScenarioWords) -> String {
        let width = 1000.0, left = 120.0, right = 20.0
        let start = lines.map(\.start).min() ?? Instant.referenceStart
        let end = max(lines.map(\.end).max() ?? start, start + Seconds(1))
        let span = Double((end - start).count)
        func x(_ instant: Instant) -> Double { left + (width - left - right) * Double((instant - start).count) / span }
        func f(_ value: Double) -> String { Markup.coordinate(value) }
        let meters = MeterFamily.allCases
        let rowHeight = 28.0, markRow = 34.0, billedRow = 12.0
        let groupHeight = rowHeight + markRow + billedRow * Double(meters.count) + 22
        let height = 36 + groupHeight * Double(lines.count)
        var parts: [String] = [
            "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        ]
        // The time axis: five ticks, as offsets from the start.
        for tick in 0...4 {
            let at = start + Seconds((end - start).count * Int64(tick) / 4)
            let position = x(at)
            parts.append(
                "<line class=\"tick\" x1=\"\(f(position))\" y1=\"18\" x2=\"\(f(position))\" y2=\"\(Int(height))\" stroke=\"#eee\"/>"
            )
            parts.append(
                "<text x=\"\(f(position))\" y=\"12\" text-anchor=\"middle\">+\(xml(shared.span(at - start)))</text>"
            )
        }
        for (index, line) in lines.enumerated() {
            let top = 30 + groupHeight * Double(index)
            let words = ScenarioWords(
                language: shared.language,
                provider: ScenarioReport.provider(ofColumn: line.model)
            )
            let say = words.say
            parts.append("<g class=\"provider\" data-model=\"\(xml(line.model))\">")
            parts.append("<text x=\"8\" y=\"\(f(top + 18))\" font-weight=\"bold\">\(xml(line.model))</text>")
            for band in line.bands {
                let from = x(band.from), to = max(x(band.to), from + 2)
                parts.append(
                    "<rect class=\"band\" data-phase=\"\(band.phase.rawValue)\" x=\"\(f(from))\" y=\"\(f(top))\" width=\"\(f(to - from))\" height=\"\(f(rowHeight))\" fill=\"\(colour(band.phase))\">"
                        + "<title>\(words.phase(band.phase)) \(band.from.iso8601) – \(band.to.iso8601)</title></rect>"
                )
                if to - from > 60 {
                    parts.append("<text x=\"\(f(from + 4))\" y=\"\(f(top + 18))\">\(words.phase(band.phase))</text>")
                }
            }
            for (markIndex, mark) in line.marks.enumerated() {
                let position = x(mark.at)
                let labelY = top + rowHeight + 12 + Double(markIndex % 2) * 12
                parts.append(
                    "<line class=\"mark\" data-kind=\"\(mark.kind.rawValue)\" x1=\"\(f(position))\" y1=\"\(f(top))\" x2=\"\(f(position))\" y2=\"\(f(labelY - 9))\" stroke=\"\(colour(mark.kind))\" stroke-width=\"2\">"
                        + "<title>\(xml(mark.label)) \(say("at", "于")) \(mark.at.iso8601)</title></line>"
                )
                // Labels near the right edge run leftwards so they stay inside the picture.
                let anchor = position > width * 0.7 ? "end" : "start"
                let labelX = anchor == "end" ? position - 2 : position + 2
                parts.append(
                    "<text x=\"\(f(labelX))\" y=\"\(f(labelY))\" text-anchor=\"\(anchor)\" fill=\"\(colour(mark.kind))\">\(xml(mark.label))</text>"
                )
            }
            for (meterIndex, meter) in meters.enumerated() {
                let y = top + rowHeight + markRow + billedRow * Double(meterIndex)
                let billedLabel = say("billed \(meter.rawValue)", "计费 \(words.term(meter.rawValue))")
                parts.append("<text x=\"8\" y=\"\(f(y + 9))\" style=\"font-size: 9px\">\(xml(billedLabel))</text>")
                for billed in line.billed where billed.meter == meter {
                    let from = x(billed.from), to = max(x(billed.to), from + 1)
                    parts.append(
                        "<rect class=\"billed\" data-meter=\"\(meter.rawValue)\" x=\"\(f(from))\" y=\"\(f(y + 3))\" width=\"\(f(to - from))\" height=\"7\" fill=\"#64748b\">"
                            + "<title>\(xml(billedLabel)) \(billed.from.iso8601) – \(billed.to.iso8601)</title></rect>"
                    )
                }
            }
            parts.append("</g>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
