import Foundation
import ProviderRegistry
import ReleaseCore
public import Reporting

extension ReplaySummary {
    /// Renders the summary as text or JSON (Markdown renders as text in a code block).
    public func rendered(as format: OutputFormat) -> String {
        switch format {
        case .json: return JSONOutput.encode(self)
        case .text: return text()
        case .markdown: return "```\n" + text() + "```\n"
        }
    }

    private func text() -> String {
        var lines: [String] = []
        lines.append(
            "Replayed \(file): \(grouped(records)) records = \(grouped(applied)) applied + \(grouped(rejected)) rejected"
                + " + \(grouped(malformed)) malformed"
        )
        let from = interval.from?.iso8601 ?? "-"
        let to = interval.to?.iso8601 ?? "-"
        lines.append(
            "Interval \(from) → \(to); \(grouped(deadlinesFired)) deadlines fired; "
                + "\(String(format2: wallSeconds)) s wall"
        )
        lines.append(
            "Profiles: " + profiles.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        )
        if let stoppedBeforeLine {
            lines.append("Stopped reading before line \(stoppedBeforeLine) (later than --until).")
        }
        let providers = Set(instances.keys).union(rejections.keys).sorted()
        lines.append("")
        lines.append("Instances by final phase:")
        let phases = Phase.allCases.filter { phase in providers.contains { instances[$0]?[phase.rawValue] != nil } }
        lines += table(
            header: ["provider"] + phases.map(\.rawValue),
            rows: providers.map { provider in
                [provider] + phases.map { grouped(instances[provider]?[$0.rawValue] ?? 0) }
            }
        )
        lines.append("")
        lines.append("Billed time over the interval (all meters of a family together; seconds in the JSON summary):")
        lines += table(
            header: ["provider"] + MeterFamily.allCases.map(\.rawValue),
            rows: providers.map { provider in
                [provider] + MeterFamily.allCases.map { "\(Seconds(billedSeconds[provider]?[$0.rawValue] ?? 0))" }
            }
        )
        if let months = subscriptionMonths, !months.isEmpty {
            lines.append(
                "Subscription months bought: "
                    + months.sorted { $0.key < $1.key }.map { "\($0.key) \(grouped(Int(clamping: $0.value)))" }
                    .joined(separator: ", ")
            )
        }
        if let cost {
            lines.append("")
            lines.append("Cost forecast (\(currency ?? "CNY"), the given prices; exact, shown to the cent):")
            let columns =
                MeterFamily.allCases.map(\.rawValue)
                + (cost.values.contains { $0["subscription"] != nil } ? ["subscription"] : []) + ["total"]
            lines += table(
                header: ["provider"] + columns,
                rows: providers.map { provider in
                    [provider] + columns.map { Self.cents(cost[provider]?[$0], currency: currency ?? "CNY") }
                }
            )
            let unpriced = (unpricedSubscriptions ?? [:]).sorted { $0.key < $1.key }
            if !unpriced.isEmpty {
                lines.append(
                    "Not priced: the period fees of "
                        + unpriced.map { "\(grouped($0.value)) \($0.key)" }.joined(separator: ", ")
                        + " subscription instances (no subscriptionPerMonth price for them; their per-second meters"
                        + " are priced)."
                )
            }
        }
        if !resourceFates.isEmpty {
            lines.append("")
            lines.append("Resources of released instances by fate:")
            let fates = ResourceFate.allCases.filter { fate in
                providers.contains { resourceFates[$0]?[fate.rawValue] != nil }
            }
            lines += table(
                header: ["provider"] + fates.map(\.rawValue),
                rows: providers.map { provider in
                    [provider] + fates.map { grouped(resourceFates[provider]?[$0.rawValue] ?? 0) }
                }
            )
        }
        lines.append("")
        if rejections.isEmpty {
            lines.append("Rejections: none")
        } else {
            lines.append("Rejections by provider and error code:")
            var rows: [[String]] = []
            for provider in rejections.keys.sorted() {
                for (code, count) in rejections[provider]!.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                    rows.append([provider, code, grouped(count)])
                }
            }
            lines += table(header: ["provider", "code", "count"], rows: rows)
        }
        if !malformedLines.isEmpty {
            lines.append("")
            lines.append("Malformed lines (skipped):")
            for entry in malformedLines.prefix(20) { lines.append("  \(file):\(entry.line): \(entry.reason)") }
            if malformedLines.count > 20 {
                lines.append("  ... and \(malformedLines.count - 20) more (all are listed with --format json)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func table(header: [String], rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            "  "
                + row.enumerated().map { column, text -> String in
                    let numeric = text.first.map { $0.isNumber } ?? false
                    return numeric
                        ? String(repeating: " ", count: widths[column] - text.count) + text
                        : TextLayout.pad(text, widths[column])
                }.joined(separator: "  ").trailingSpacesRemoved
        }
    }

    /// An exact amount to the cent (half to even), or `-` when unpriced.
    static func cents(_ amount: Decimal?, currency: String) -> String {
        guard let amount, let money = Money(decimal: "\(amount)", currency: currency) else { return "-" }
        let text = money.rounded()
        let point = text.firstIndex(of: ".") ?? text.endIndex
        var whole = ""
        for (index, digit) in text[..<point].enumerated() {
            if index > 0 && (text.distance(from: text.startIndex, to: point) - index) % 3 == 0 { whole.append(",") }
            whole.append(digit)
        }
        return whole + text[point...]
    }

    private func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }
}

extension String {
    /// A number with two decimals.
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let fraction = String(hundredths % 100)
        self = "\(hundredths / 100).\(fraction.count == 1 ? "0" + fraction : fraction)"
    }
}
