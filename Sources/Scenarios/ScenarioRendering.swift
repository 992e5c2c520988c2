import ProviderRegistry
import ReleaseCore
public import Reporting

/// A report is a side-by-side timeline, the final difference and the expectation results.
extension ScenarioReport: Report {

    private func finalRows(_ language: Language) -> [[String]] {
        let words = columns.map {
            ScenarioWords(language: language, provider: Self.provider(ofColumn: $0))
        }
        let say = ScenarioWords(language: language, provider: nil).say
        var rows: [[String]] = [
            [say("phase", "状态")]
                + final.enumerated().map { index, state in
                    Phase(rawValue: state.phase).map { words[index].phase($0) } ?? state.phase
                },
            // The providers' own status words stay as the APIs spell them.
            [say("API status", "API 状态")] + final.map { language.term($0.apiStatus) },
            [say("recoverable", "可恢复")] + final.map(\.recoverable),
        ]
        for family in MeterFamily.allCases {
            let values = final.map { $0.billedSeconds[family.rawValue] ?? 0 }
            if values.contains(where: { $0 != 0 }) {
                rows.append(
                    [say("billed \(family.rawValue)", "计费 \(language.term(family.rawValue))")]
                        + values.map { language.duration("\(Seconds($0))") }
                )
            }
        }
        if final.contains(where: { ($0.subscriptionMonths ?? 0) > 0 }) {
            rows.append(
                [say("subscription months", "包年包月月数")] + final.map { $0.subscriptionMonths.map(String.init) ?? "-" }
            )
        }
        if let currency = final.lazy.compactMap(\.currency).first {
            rows.append(
                [say("cost (\(currency))", "费用（\(currency)）")]
                    + final.map { state in
                        state.cost.flatMap { Money(decimal: $0, currency: currency)?.rounded() } ?? "-"
                    }
            )
        }
        let resources = Set(final.flatMap(\.fates.keys)).sorted()
        for resource in resources {
            rows.append(
                [resource]
                    + final.enumerated().map { index, state in
                        state.fates[resource].map { words[index].term($0) } ?? say("(attached)", "（仍挂载）")
                    }
            )
        }
        let kinds = Set(final.flatMap(\.pendingDeadlines.keys)).sorted()
        for kind in kinds {
            rows.append(
                [say("pending \(kind)", "待触发 \(language.term(kind))")]
                    + final.map { state in
                        state.pendingDeadlines[kind].map { "\($0)" } ?? "-"
                    }
            )
        }
        return rows
    }

    private var start: Instant { rows.first?.at ?? end }

    /// The report as text that fits `width` columns where the columns allow (each model's column keeps at least 20).
    public func text(colour: Bool, width: Int, language: Language) -> String {
        func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let say = ScenarioWords(language: language, provider: nil).say
        var lines: [String] = [say("Scenario: \(name) (\(file))", "场景：\(name)（\(file)）"), ""]
        let offsetWidth = max(6, rows.map(\.offset.displayWidth).max() ?? 6)
        let labelWidth = min(30, max(8, rows.map(\.label.displayWidth).max() ?? 8))
        let cellWidth = max(20, (width - offsetWidth - labelWidth - 2 * (columns.count + 1)) / max(1, columns.count))
        let widths = [offsetWidth, labelWidth] + Array(repeating: cellWidth, count: columns.count)
        let table = [[say("time", "时间"), say("step", "步骤")] + columns] + rows.map { [$0.offset, $0.label] + $0.cells }
        lines += TextLayout.table(table, widths: widths) { row, _, line in row == 0 ? paint(line, "1") : line }
        lines.append("")
        let atTheEnd = say("At the end (+\(end - start)):", "结束时（+\(language.duration("\(end - start)"))）：")
        lines.append(colour ? paint(atTheEnd, "1") : atTheEnd)
        let rows = finalRows(language)
        let finalLabelWidth = max(labelWidth + offsetWidth + 2, rows.map { $0[0].displayWidth }.max() ?? 0)
        let finalCellWidth = max(20, (width - finalLabelWidth - 2 * columns.count) / max(1, columns.count))
        let finalWidths = [finalLabelWidth] + Array(repeating: min(cellWidth, finalCellWidth), count: columns.count)
        lines += TextLayout.table([[""] + columns] + rows, widths: finalWidths)
        lines.append("")
        let failed = checks.filter { !$0.passed }
        for check in checks {
            let mark = check.passed ? paint("✓", "32") : paint("✗", "31")
            let found = check.found.map { say(", found \($0)", "，实际为 \($0)") } ?? ""
            lines.append("\(mark) \(file):\(check.line): \(check.model): \(check.what)\(found)")
        }
        lines.append(
            say(
                "\(checks.count - failed.count) passed, \(failed.count) failed",
                "通过 \(checks.count - failed.count) 项，失败 \(failed.count) 项"
            )
        )
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as Markdown tables and a list of expectations.
    public func markdown(language: Language) -> String {
        let say = ScenarioWords(language: language, provider: nil).say
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacing("|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        var lines = ["### \(name)", "", row([say("time", "时间"), say("step", "步骤")] + columns)]
        lines.append("|" + String(repeating: " --- |", count: columns.count + 2))
        lines += rows.map { row([$0.offset, $0.label] + $0.cells) }
        lines += [
            "", row([say("at the end", "结束时")] + columns), "|" + String(repeating: " --- |", count: columns.count + 1),
        ]
        lines += finalRows(language).map(row)
        lines.append("")
        let failed = checks.filter { !$0.passed }.count
        lines.append(
            say(
                "Expectations: \(checks.count - failed) passed, \(failed) failed.",
                "预期：通过 \(checks.count - failed) 项，失败 \(failed) 项。"
            )
        )
        return lines.joined(separator: "\n") + "\n"
    }
}

extension ScenarioReport {
    /// The reports as JUnit XML: a test suite per scenario file, a test case per expectation (per provider), so
    /// scenario files run as checks in any CI. A scenario without expectations is one passing case.
    public static func junit(_ reports: [ScenarioReport]) -> String {
        let tests = reports.reduce(0) { $0 + max($1.checks.count, 1) }
        let failures = reports.reduce(0) { $0 + $1.checks.filter { !$0.passed }.count }
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuites name="cloud-release simulate" tests="\#(tests)" failures="\#(failures)">"#,
        ]
        for report in reports {
            let failed = report.checks.filter { !$0.passed }.count
            lines.append(
                "  <testsuite name=\"\(xml(report.name))\" file=\"\(xml(report.file))\" "
                    + "tests=\"\(max(report.checks.count, 1))\" failures=\"\(failed)\">"
            )
            if report.checks.isEmpty {
                lines.append("    <testcase classname=\"\(xml(report.file))\" name=\"runs\"/>")
            }
            for check in report.checks {
                let name = "line \(check.line): \(check.model): \(check.what)"
                let opening =
                    "    <testcase classname=\"\(xml(report.file))\" name=\"\(xml(name))\" file=\"\(xml(report.file))\" line=\"\(check.line)\""
                if check.passed {
                    lines.append(opening + "/>")
                } else {
                    let found = check.found.map { "found \($0)" } ?? "not met"
                    lines.append(opening + ">")
                    lines.append("      <failure message=\"\(xml(found))\">\(xml(check.what)): \(xml(found))</failure>")
                    lines.append("    </testcase>")
                }
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    static func xml(_ text: String) -> String { Markup.escaped(text) }
}
