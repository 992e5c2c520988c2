import Foundation
import ReleaseCore
public import Reporting

extension Forecast {
    /// The forecast as text (a table per instance, then totals and problems), Markdown, or JSON.
    public func rendered(as format: OutputFormat, width: Int = 120) -> String {
        switch format {
        case .json: return JSONOutput.encode(self)
        case .markdown: return markdown()
        case .text: return text(width: width)
        }
    }

    func eventText(_ event: InstanceForecast.Event) -> String {
        let bound = event.atTheLatest ? " at the latest" : ""
        return "\(event.kind) \(event.at.iso8601)\(bound) (in \(event.at - now))"
    }

    private func rows() -> [[String]] {
        instances.map { forecast in
            [
                forecast.instance, forecast.provider, forecast.state,
                forecast.events.isEmpty ? "nothing scheduled" : forecast.events.map(eventText).joined(separator: "; "),
                forecast.protectionBlocksRelease ? "yes" : "no",
                forecast.releaseNow
                    + (forecast.releaseRules.isEmpty ? "" : " (\(forecast.releaseRules.joined(separator: ", ")))"),
                forecast.outlives.isEmpty ? "-" : forecast.outlives.joined(separator: ", "),
            ]
        }
    }

    private static let header = [
        "instance", "provider", "state", "next (automatic)", "protected", "a release now", "outlives it, billing",
    ]

    private func summaryLines() -> [String] {
        let counts = totals.instances.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return [
            "\(instances.count) instances (\(counts.isEmpty ? "none" : counts)) at \(now.iso8601)",
            "released automatically within 24 h: \(totals.releasedWithin24Hours)",
            "protection blocks a manual release: \(totals.protected)",
            "a release now leaves resources billing: \(totals.leaveResourcesBilling)",
        ] + costLines()
    }

    /// With prices: the fleet's cost a day now and after releasing every instance a release now would release.
    private func costLines() -> [String] {
        guard let currency = instances.lazy.compactMap(\.currency).first else { return [] }
        func sum(_ amounts: [String?]) -> String {
            amounts.compactMap { $0.flatMap { Money(decimal: $0, currency: currency) } }
                .reduce(Money.zero(currency), +).rounded()
        }
        return [
            "cost a day (\(currency)): \(sum(instances.map(\.costPerDayNow))) now; "
                + "\(sum(instances.map(\.costPerDayAfterRelease))) after releasing each instance now (what outlives them, "
                + "and what a refused release leaves running)"
        ]
    }

    private func text(width: Int) -> String {
        let usable = max(width, 80) - 12
        let widths = [22, 8, 12, usable * 28 / 100, 9, usable * 28 / 100, usable - 51 - usable * 56 / 100]
        var lines = TextLayout.table([Self.header] + rows(), widths: widths)
        lines.append("")
        lines += summaryLines()
        let notes = instances.flatMap(\.notes)
        if !notes.isEmpty {
            lines.append("")
            lines.append("not in the answers (not guessed):")
            lines += notes.map { "  \($0)" }
        }
        if !problems.isEmpty {
            lines.append("")
            lines.append("not forecast:")
            lines += problems.map { "  \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func markdown() -> String {
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        var lines = [
            "| " + Self.header.joined(separator: " | ") + " |",
            "|" + String(repeating: " --- |", count: Self.header.count),
        ]
        lines += rows().map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
        lines.append("")
        lines += summaryLines().map { "- \($0)" }
        let notes = instances.flatMap(\.notes) + problems
        if !notes.isEmpty {
            lines.append("")
            lines += notes.map { "- \(cell($0))" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
