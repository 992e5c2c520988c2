import ProviderRegistry
import ReleaseCore
public import Reporting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ReplaySummary: Report {
    /// Renders the summary as text or JSON (Markdown renders as text in a code block).
    /// The summary as Markdown: its text in a code block.
    public func markdown(language: Language) -> String {
        "```\n" + text(colour: false, width: 120, language: language) + "```\n"
    }

    /// The summary as text: counts, final phases, billed time, cost, rejections and skipped lines.
    public func text(colour: Bool, width: Int, language: Language) -> String {
        let zh = language == .zh
        func t(_ english: String, _ chinese: String) -> String { zh ? chinese : english }
        func term(_ word: String, _ provider: String? = nil) -> String { language.term(word, provider: provider) }
        var lines: [String] = []
        lines.append(
            zh
                ? "回放 \(file)：\(grouped(records)) 条记录 = \(grouped(applied)) 条已执行 + \(grouped(rejected)) 条被拒绝"
                    + " + \(grouped(malformed)) 条格式错误"
                : "Replayed \(file): \(grouped(records)) records = \(grouped(applied)) applied + \(grouped(rejected)) rejected"
                    + " + \(grouped(malformed)) malformed"
        )
        let from = interval.from?.iso8601 ?? "-"
        let to = interval.to?.iso8601 ?? "-"
        lines.append(
            zh
                ? "区间 \(from) → \(to)；触发 \(grouped(deadlinesFired)) 个时间点；耗时 \(String(format2: wallSeconds)) 秒"
                : "Interval \(from) → \(to); \(grouped(deadlinesFired)) deadlines fired; "
                    + "\(String(format2: wallSeconds)) s wall"
        )
        lines.append(
            t("Profiles: ", "规则版本：")
                + profiles.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        )
        if let stoppedBeforeLine {
            lines.append(
                t(
                    "Stopped reading before line \(stoppedBeforeLine) (later than --until).",
                    "在第 \(stoppedBeforeLine) 行前停止读取（晚于 --until）。"
                )
            )
        }
        let providers = Set(instances.keys).union(rejections.keys).sorted()
        lines.append("")
        lines.append(t("Instances by final phase:", "按最终状态统计实例："))
        let phases = Phase.allCases.filter { phase in providers.contains { instances[$0]?[phase.rawValue] != nil } }
        lines += table(
            header: [t("provider", "云厂商")] + phases.map { term($0.rawValue) },
            rows: providers.map { provider in
                [provider] + phases.map { grouped(instances[provider]?[$0.rawValue] ?? 0) }
            }
        )
        lines.append("")
        lines.append(
            t(
                "Billed time over the interval (all meters of a family together; seconds in the JSON summary):",
                "区间内计费时长（同类计量合计；JSON 摘要中为秒）："
            )
        )
        lines += table(
            header: [t("provider", "云厂商")] + MeterFamily.allCases.map { term($0.rawValue) },
            rows: providers.map { provider in
                [provider]
                    + MeterFamily.allCases.map {
                        language.duration("\(Seconds(billedSeconds[provider]?[$0.rawValue] ?? 0))")
                    }
            }
        )
        if let months = subscriptionMonths, !months.isEmpty {
            lines.append(
                t("Subscription months bought: ", "购买的包年包月月数：")
                    + months.sorted { $0.key < $1.key }.map { "\($0.key) \(grouped(Int(clamping: $0.value)))" }
                    .joined(separator: ", ")
            )
        }
        if let cost {
            lines.append("")
            lines.append(
                t(
                    "Cost forecast (\(currency ?? "CNY"), the given prices; exact, shown to the cent):",
                    "费用预测（\(currency ?? "CNY")，按给定价格精确计算，显示到分）："
                )
            )
            let columns =
                MeterFamily.allCases.map(\.rawValue)
                + (cost.values.contains { $0["subscription"] != nil } ? ["subscription"] : []) + ["total"]
            lines += table(
                header: [t("provider", "云厂商")] + columns.map { $0 == "total" ? t("total", "合计") : term($0) },
                rows: providers.map { provider in
                    [provider] + columns.map { Self.cents(cost[provider]?[$0], currency: currency ?? "CNY") }
                }
            )
            let unpriced = (unpricedSubscriptions ?? [:]).sorted { $0.key < $1.key }
            if !unpriced.isEmpty {
                let counts = unpriced.map { "\(grouped($0.value)) \($0.key)" }.joined(separator: ", ")
                lines.append(
                    zh
                        ? "未计价：\(counts) 个包年包月实例的周期费用（没有 subscriptionPerMonth 价格；按秒计费的计量已计价）。"
                        : "Not priced: the period fees of \(counts) subscription instances (no subscriptionPerMonth price for"
                            + " them; their per-second meters are priced)."
                )
            }
        }
        if !resourceFates.isEmpty {
            lines.append("")
            lines.append(t("Resources of released instances by fate:", "已释放实例的资源去向："))
            let fates = ResourceFate.allCases.filter { fate in
                providers.contains { resourceFates[$0]?[fate.rawValue] != nil }
            }
            lines += table(
                header: [t("provider", "云厂商")] + fates.map { term($0.rawValue) },
                rows: providers.map { provider in
                    [provider] + fates.map { grouped(resourceFates[provider]?[$0.rawValue] ?? 0) }
                }
            )
        }
        lines.append("")
        if rejections.isEmpty {
            lines.append(t("Rejections: none", "被拒绝：无"))
        } else {
            lines.append(t("Rejections by provider and error code:", "按云厂商和错误码统计的拒绝："))
            var rows: [[String]] = []
            for provider in rejections.keys.sorted() {
                for (code, count) in rejections[provider]!.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                    rows.append([provider, code, grouped(count)])
                }
            }
            lines += table(header: [t("provider", "云厂商"), t("code", "错误码"), t("count", "次数")], rows: rows)
        }
        if !malformedLines.isEmpty {
            lines.append("")
            lines.append(t("Malformed lines (skipped):", "格式错误的行（已跳过）："))
            for entry in malformedLines.prefix(20) {
                lines.append("  \(file):\(entry.line): \(t(entry.reason, entry.chineseReason ?? entry.reason))")
            }
            let shown = min(malformedLines.count, 20)
            if malformed > shown {
                let listed = grouped(malformedLines.count)
                lines.append(
                    t(
                        "  ... and \(grouped(malformed - shown)) more (the first \(listed) are listed with --format json)",
                        "  …… 另有 \(grouped(malformed - shown)) 行（--format json 列出前 \(listed) 行）"
                    )
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func table(header: [String], rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].displayWidth }.max() ?? 0 }
        return all.map { row in
            "  "
                + row.enumerated().map { column, text -> String in
                    let numeric = text.first.map { $0.isNumber } ?? false
                    return numeric
                        ? String(repeating: " ", count: widths[column] - text.displayWidth) + text
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
