public import ProviderRegistry
import ReleaseCore
public import Reporting

/// One cell of the comparison: what a provider model did, and the rules that made it so.
public struct ComparisonCell: Hashable, Sendable, Codable {
    /// The outcome in a few words.
    public var outcome: String
    /// The source codes of the rules involved (`A4`, `T2`, `Q13`, ...), in order of first use.
    public var sources: [String]
    /// Whether any of those rules is a product choice where the sources are silent.
    public var isModelChoice: Bool
}

/// One question asked of every provider model.
public struct ComparisonRow: Hashable, Sendable, Codable {
    /// A stable identifier, e.g. `release-running`.
    public var id: String
    /// The topic it belongs to.
    public var group: String
    /// The question in plain words.
    public var question: String
    /// One cell per column, in column order.
    public var cells: [ComparisonCell]
}

/// The providers side by side, derived by running probe scenarios through the models.
///
/// Nothing in a cell is typed by hand: each probe launches an instance, applies commands and advances
/// time, then describes what the model did, citing the rules the model reported.
public struct Comparison: Hashable, Sendable, Codable {
    /// The column headings (`aliyun`, `tencent`, `aliyun@2024`, ...).
    public var columns: [String]
    /// The rows in a fixed order.
    public var rows: [ComparisonRow]
    /// Every source code that appears, with its citation text.
    public var sources: [SourceEntry]
    /// Every product choice ([MODEL]) of the models compared, cited in a cell or not, with its provider.
    public var modelChoices: [ModelChoice]

    /// A product choice where the sources are silent, as the provider module states it.
    public struct ModelChoice: Hashable, Sendable, Codable {
        public var provider: String
        public var code: String
        public var choice: String
    }

    /// A cited source.
    public struct SourceEntry: Hashable, Sendable, Codable {
        public var code: String
        public var citation: String
        public var isModelChoice: Bool
    }

    /// Runs every probe on every model; `language` is the language of the questions and outcomes (ids, codes
    /// and sources are the same in every language).
    public static func run(models: [ProviderModel], language: Language = .en) -> Comparison {
        let rows = Probe.all.map { probe in
            ComparisonRow(
                id: probe.id,
                group: language == .zh ? Probe.chineseGroups[probe.group] ?? probe.group : probe.group,
                question: language == .zh ? Probe.chineseQuestions[probe.id] ?? probe.question : probe.question,
                cells: models.map { probe.run(ProbeRunner(model: $0, language: language)) }
            )
        }
        var entries: [String: SourceEntry] = [:]
        for row in rows {
            for (cell, model) in zip(row.cells, models) {
                for code in cell.sources where entries[code] == nil || entries[code]?.citation.isEmpty == true {
                    let citation = model.citation(code)
                    entries[code] = SourceEntry(
                        code: code,
                        citation: citation?.document(chinese: language == .zh) ?? "",
                        isModelChoice: citation?.isModelChoice ?? false
                    )
                }
            }
        }
        var choices: [ModelChoice] = []
        for model in models where !choices.contains(where: { $0.provider == model.kind.rawValue }) {
            for citation in model.sourceCatalogue.values where citation.isModelChoice {
                choices.append(
                    ModelChoice(
                        provider: model.kind.rawValue,
                        code: citation.code,
                        choice: citation.document(chinese: language == .zh)
                    )
                )
            }
        }
        choices.sort { $0.provider != $1.provider ? $0.provider < $1.provider : naturalOrder($0.code, $1.code) }
        return Comparison(
            columns: models.map(\.description),
            rows: rows,
            sources: entries.values.sorted { naturalOrder($0.code, $1.code) },
            modelChoices: choices
        )
    }
}

/// Runs small scenarios on one model and describes the results.
struct ProbeRunner {
    let model: ProviderModel
    var language: Language = .en
    let start = Instant.referenceStart

    init(model: ProviderModel, language: Language = .en) {
        self.model = model
        self.language = language
    }

    /// `english`, or `chinese` when the comparison is in Chinese.
    func say(_ english: String, _ chinese: String) -> String { language == .zh ? chinese : english }

    /// A phase in the comparison's language and the provider's words (Aliyun 已释放, Tencent 已销毁).
    func phase(_ phase: Phase) -> String { language.term(phase.rawValue, provider: model.kind.rawValue) }

    /// A duration in the comparison's language.
    func span(_ duration: Seconds) -> String { language.duration("\(duration)") }

    /// The outcome of a probe that could not launch its instance (the provider refused the launch).
    func refusedLaunch(_ error: ReleaseError) -> ComparisonCell {
        cell(say("launch refused: ", "拒绝创建：") + error.code.rawValue, sources: [error.source.code])
    }

    func simulation(
        _ description: InstanceDescription = InstanceDescription(id: "probe"),
        in phase: LaunchPhase = .running
    ) throws(ReleaseError) -> Simulation<AnyInstance> {
        let (machine, effects) = try model.launch(description, in: phase, at: start)
        return Simulation(machine: machine, launchEffects: effects, at: start)
    }

    func cell(_ outcome: String, sources: [String]) -> ComparisonCell {
        var unique: [String] = []
        for code in sources where !unique.contains(code) { unique.append(code) }
        let isModel = unique.contains { model.citation($0)?.isModelChoice ?? false }
        return ComparisonCell(outcome: outcome, sources: unique, isModelChoice: isModel)
    }

    /// Applies `command` at `time` and describes the result: the new phase (and how long a recycle bin
    /// keeps it), or the refusal code.
    func attempt(_ command: Command, on simulation: inout Simulation<AnyInstance>, at time: Instant) -> ComparisonCell {
        do {
            let effects = try simulation.perform(command, at: time)
            var outcome = "→ \(phase(simulation.machine.phase))"
            if let expiry = simulation.machine.restorableUntil {
                outcome += say(", restorable for \(expiry - time)", "，\(span(expiry - time))内可恢复")
            }
            if simulation.machine.phase == .released { outcome += say(", unrecoverable", "，不可恢复") }
            return cell(outcome, sources: effects.citedSources)
        } catch {
            return cell(say("refused: ", "拒绝：") + error.code.rawValue, sources: [error.source.code])
        }
    }

    /// Advances to `end` and lists every phase change after `origin` as `phase at +offset`.
    func timeline(
        of simulation: inout Simulation<AnyInstance>,
        from origin: Instant,
        until end: Instant
    )
        -> ComparisonCell
    {
        let already = simulation.history.count
        simulation.advance(to: end)
        var parts: [String] = []
        var sources: [String] = []
        for step in simulation.history.dropFirst(already) {
            sources += step.effects.citedSources
            for case .phaseChanged(_, let to) in step.effects {
                parts.append(say("\(to.rawValue) at +\(step.at - origin)", "+\(span(step.at - origin)) \(phase(to))"))
            }
        }
        return cell(
            parts.isEmpty
                ? say("no change by +\(end - origin)", "至 +\(span(end - origin)) 无变化")
                : parts.joined(separator: say("; ", "；")),
            sources: sources
        )
    }
}

/// A question and how to answer it on one model.
struct Probe: Sendable {
    var id: String
    var group: String
    var question: String
    var run: @Sendable (ProbeRunner) -> ComparisonCell
}

/// Orders `Q3` before `Q13` and `A4` before `AD1`: letters compare as text, digit runs as numbers.
func naturalOrder(_ lhs: String, _ rhs: String) -> Bool {
    func key(_ text: String) -> [(String, Int)] {
        var parts: [(String, Int)] = []
        var letters = ""
        var number = ""
        for character in text {
            if character.isNumber {
                number.append(character)
            } else {
                if !number.isEmpty {
                    parts.append((letters, Int(number) ?? 0))
                    letters = ""
                    number = ""
                }
                letters.append(character)
            }
        }
        parts.append((letters, Int(number) ?? -1))
        return parts
    }
    let (left, right) = (key(lhs), key(rhs))
    for (a, b) in zip(left, right) where a != b {
        return a.0 != b.0 ? a.0 < b.0 : a.1 < b.1
    }
    return left.count < right.count
}
