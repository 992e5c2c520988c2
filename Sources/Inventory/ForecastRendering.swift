import ProviderRegistry
import ReleaseCore
public import Reporting

extension Forecast: Report {
    /// The forecast as text (a table per instance, then totals and problems), Markdown, or JSON.

    func eventText(_ event: InstanceForecast.Event, _ language: Language = .en, provider: String? = nil) -> String {
        guard language == .zh else {
            let bound = event.atTheLatest ? " at the latest" : ""
            return "\(event.kind) \(event.at.iso8601)\(bound) (in \(event.at - now))"
        }
        let bound = event.atTheLatest ? "（最迟）" : ""
        return "\(language.term(event.kind, provider: provider)) \(event.at.iso8601)\(bound)"
            + "（\(language.duration("\(event.at - now)"))后）"
    }

    private func rows(_ language: Language) -> [[String]] {
        let zh = language == .zh
        return instances.map { forecast in
            [
                forecast.instance, forecast.provider, forecast.state,
                forecast.events.isEmpty
                    ? (zh ? "无计划" : "nothing scheduled")
                    : forecast.events.map { eventText($0, language, provider: forecast.provider) }
                        .joined(separator: zh ? "；" : "; "),
                forecast.protectionBlocksRelease ? (zh ? "是" : "yes") : (zh ? "否" : "no"),
                forecast.releaseNow
                    + (forecast.releaseRules.isEmpty ? "" : " (\(forecast.releaseRules.joined(separator: ", ")))"),
                forecast.outlives.isEmpty ? "-" : forecast.outlives.joined(separator: ", "),
            ]
        }
    }

    private static func header(_ language: Language) -> [String] {
        language == .zh
            ? ["实例", "云厂商", "状态", "下一步（自动）", "保护", "现在释放/销毁", "释放后仍计费"]
            : [
                "instance", "provider", "state", "next (automatic)", "protected", "a release now",
                "outlives it, billing",
            ]
    }

    private func summaryLines(_ language: Language) -> [String] {
        let counts = totals.instances.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        guard language == .en else {
            return [
                "\(instances.count) 个实例（\(counts.isEmpty ? "无" : counts)），时间 \(now.iso8601)",
                "24 小时内自动释放/销毁：\(totals.releasedWithin24Hours)",
                "释放保护阻止手动释放/销毁：\(totals.protected)",
                "现在释放/销毁会留下仍计费的资源：\(totals.leaveResourcesBilling)",
            ] + costLines(language)
        }
        return [
            "\(instances.count) instances (\(counts.isEmpty ? "none" : counts)) at \(now.iso8601)",
            "released automatically within 24 h: \(totals.releasedWithin24Hours)",
            "protection blocks a manual release: \(totals.protected)",
            "a release now leaves resources billing: \(totals.leaveResourcesBilling)",
        ] + costLines(language)
    }

    /// With prices: the fleet's cost a day now and after releasing every instance a release now would release.
    private func costLines(_ language: Language) -> [String] {
        guard let currency = instances.lazy.compactMap(\.currency).first else { return [] }
        func sum(_ amounts: [String?]) -> String {
            amounts.compactMap { $0.flatMap { Money(decimal: $0, currency: currency) } }
                .reduce(Money.zero(currency), +).rounded()
        }
        let now = sum(instances.map(\.costPerDayNow))
        let after = sum(instances.map(\.costPerDayAfterRelease))
        guard language == .en else {
            return ["每天费用（\(currency)）：现在 \(now)；每个实例现在释放/销毁后 \(after)（释放后仍保留的资源，以及被拒绝的释放留下的运行实例）"]
        }
        return [
            "cost a day (\(currency)): \(now) now; \(after) after releasing each instance now (what outlives them, "
                + "and what a refused release leaves running)"
        ]
    }

    /// The forecast as a table of instances, the totals, and what the answers do not say.
    public func text(colour: Bool, width: Int, language: Language) -> String {
        let zh = language == .zh
        let usable = max(width, 80) - 12
        let widths = [22, 8, 12, usable * 28 / 100, 9, usable * 28 / 100, usable - 51 - usable * 56 / 100]
        var lines = TextLayout.table([Self.header(language)] + rows(language), widths: widths)
        lines.append("")
        lines += summaryLines(language)
        let notes = instances.flatMap(\.notes)
        if !notes.isEmpty {
            lines.append("")
            lines.append(zh ? "答复中没有的（不作猜测）：" : "not in the answers (not guessed):")
            lines += notes.map { "  \($0)" }
        }
        if !problems.isEmpty {
            lines.append("")
            lines.append(zh ? "未能预测：" : "not forecast:")
            lines += problems.map { "  \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The forecast as a Markdown table, the totals and the notes.
    public func markdown(language: Language) -> String {
        func cell(_ text: String) -> String { text.replacing("|", with: "\\|") }
        let header = Self.header(language)
        var lines = [
            "| " + header.joined(separator: " | ") + " |",
            "|" + String(repeating: " --- |", count: header.count),
        ]
        lines += rows(language).map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
        lines.append("")
        lines += summaryLines(language).map { "- \($0)" }
        let notes = instances.flatMap(\.notes) + problems
        if !notes.isEmpty {
            lines.append("")
            lines += notes.map { "- \(cell($0))" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
