public import ProviderRegistry
public import ReleaseCore
public import Reporting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The result of running a scenario on each model: a side-by-side timeline, expectation results and the
/// final difference.
public struct ScenarioReport: Hashable, Sendable, Codable {
    /// One line of the timeline.
    public struct Row: Hashable, Sendable, Codable {
        /// Offset from the scenario's start.
        public var offset: String
        public var at: Instant
        /// What happened: a step's command or event, or a deadline that fired.
        public var label: String
        /// One cell per model; empty where nothing happened on that model.
        public var cells: [String]
    }

    /// One checked expectation.
    public struct Check: Hashable, Sendable, Codable {
        public var line: Int
        public var model: String
        public var what: String
        public var passed: Bool
        /// What was found instead, when it failed.
        public var found: String?
    }

    /// A model's state at the end.
    public struct FinalState: Hashable, Sendable, Codable {
        public var phase: String
        public var apiStatus: String
        public var recoverable: String
        public var billedSeconds: [String: Int64]
        public var fates: [String: String]
        public var pendingDeadlines: [String: Instant]
        /// A subscription's months bought, from the scenario's start to its expiry (renewals included).
        public var subscriptionMonths: Int64?
        /// With prices (``ScenarioReport/priced(with:)``): the billed meters' and subscription months' cost, exact
        /// (to the micro-unit, as text; JSON writes it as a number, as Docs/Prices.md says of every amount).
        public var cost: String?
        /// The currency of `cost`.
        public var currency: String?

        private enum CodingKeys: String, CodingKey {
            case phase, apiStatus, recoverable, billedSeconds, fates, pendingDeadlines, subscriptionMonths, cost,
                currency
        }

        public init(
            phase: String,
            apiStatus: String,
            recoverable: String,
            billedSeconds: [String: Int64],
            fates: [String: String],
            pendingDeadlines: [String: Instant],
            subscriptionMonths: Int64? = nil,
            cost: String? = nil,
            currency: String? = nil
        ) {
            self.phase = phase
            self.apiStatus = apiStatus
            self.recoverable = recoverable
            self.billedSeconds = billedSeconds
            self.fates = fates
            self.pendingDeadlines = pendingDeadlines
            self.subscriptionMonths = subscriptionMonths
            self.cost = cost
            self.currency = currency
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            phase = try container.decode(String.self, forKey: .phase)
            apiStatus = try container.decode(String.self, forKey: .apiStatus)
            recoverable = try container.decode(String.self, forKey: .recoverable)
            billedSeconds = try container.decode([String: Int64].self, forKey: .billedSeconds)
            fates = try container.decode([String: String].self, forKey: .fates)
            pendingDeadlines = try container.decode([String: Instant].self, forKey: .pendingDeadlines)
            subscriptionMonths = try container.decodeIfPresent(Int64.self, forKey: .subscriptionMonths)
            cost = try container.decodeIfPresent(Decimal.self, forKey: .cost).map { "\($0)" }
            currency = try container.decodeIfPresent(String.self, forKey: .currency)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(phase, forKey: .phase)
            try container.encode(apiStatus, forKey: .apiStatus)
            try container.encode(recoverable, forKey: .recoverable)
            try container.encode(billedSeconds, forKey: .billedSeconds)
            try container.encode(fates, forKey: .fates)
            try container.encode(pendingDeadlines, forKey: .pendingDeadlines)
            try container.encodeIfPresent(subscriptionMonths, forKey: .subscriptionMonths)
            let amount = cost.flatMap { Money(decimal: $0, currency: currency ?? "") }
            try container.encodeIfPresent(amount?.decimal, forKey: .cost)
            try container.encodeIfPresent(currency, forKey: .currency)
        }
    }

    public var name: String
    public var file: String
    public var columns: [String]
    public var rows: [Row]
    public var checks: [Check]
    public var final: [FinalState]
    public var end: Instant

    /// Whether every expectation held.
    public var passed: Bool { checks.allSatisfy(\.passed) }

    /// The provider a column shows: `aliyun` of `aliyun`, `aliyun@2024` or `aliyun web-1` (an instance of
    /// several); read from the text, so a provider registered at run time is named as one of this package's.
    package static func provider(ofColumn column: String) -> String {
        String(column.prefix { $0 != " " && $0 != "@" })
    }

    /// The report with each model's cost at the end: its billed meters at `prices` and its subscription months at
    /// the month's price (Docs/Prices.md). A model whose provider has no prices keeps no cost.
    public func priced(with prices: PriceBook) -> ScenarioReport {
        var report = self
        for (index, column) in columns.enumerated() where index < report.final.count {
            guard let table = prices.table(for: ProviderID(rawValue: Self.provider(ofColumn: column))) else { continue }
            var billed: [MeterFamily: Seconds] = [:]
            for (name, seconds) in final[index].billedSeconds {
                if let family = MeterFamily(rawValue: name) { billed[family] = Seconds(seconds) }
            }
            var cost = table.cost(of: billed)
            if let months = final[index].subscriptionMonths, let fees = table.subscriptionCost(months: months) {
                cost = cost + fees
            }
            report.final[index].cost = cost.decimalText
            report.final[index].currency = table.currency
        }
        return report
    }
}

extension Scenario {
    /// Runs the scenario on each of its models (or on `models` when given).
    /// Runs the scenario on `models` (default: its own). Reports name `file`, by default the file it was
    /// read from.
    public func run(file: String? = nil, on models: [ProviderModel]? = nil, language: Language = .en) -> ScenarioReport
    {
        let file = file ?? self.file ?? "<scenario>"
        var execution = ScenarioExecution(self, models: models ?? self.models)
        let columns = execution.columns
        let words = columns.map { ScenarioWords(language: language, provider: $0.model.kind.rawValue) }
        let rowWords = ScenarioWords(language: language, provider: nil)
        let launchCells = columns.indices.map { column in
            switch execution.launches[column] {
            case .success(let effects):
                return words[column].phase(execution.simulations[column]!.machine.phase)
                    + Self.deadlineNotes(effects, start: start, words[column])
            case .failure(let error):
                return words[column].say("refused: ", "拒绝：") + error.code.rawValue
            }
        }
        var report = ScenarioReport(
            name: name,
            file: file,
            columns: columns.map(\.name),
            rows: [
                ScenarioReport.Row(
                    offset: "+\(rowWords.span(.zero))",
                    at: start,
                    label: rowWords.say("launch", "创建"),
                    cells: launchCells
                )
            ],
            checks: [],
            final: [],
            end: steps.last?.at ?? start
        )
        for step in steps {
            // Deadlines that fire on the way, merged across columns in time order.
            var fired: [(at: Instant, label: String, column: Int, cell: String)] = []
            for (column, event) in execution.advance(to: step) where !event.effects.isEmpty {
                guard case .deadlineReached(let deadline) = event.event else { continue }
                fired.append(
                    (
                        event.at, "⏰ \(rowWords.term(deadline.kind.rawValue))", column,
                        Self.describe(event.effects, start: start, words[column])
                    )
                )
            }
            fired.sort { ($0.at, $0.label, $0.column) < ($1.at, $1.label, $1.column) }
            for item in fired {
                if let last = report.rows.last, last.at == item.at, last.label == item.label,
                    last.cells[item.column].isEmpty
                {
                    report.rows[report.rows.count - 1].cells[item.column] = item.cell
                } else {
                    var cells = Array(repeating: "", count: columns.count)
                    cells[item.column] = item.cell
                    report.rows.append(
                        .init(
                            offset: "+\(rowWords.span(item.at - start))",
                            at: item.at,
                            label: item.label,
                            cells: cells
                        )
                    )
                }
            }
            // The step itself.
            let applied = execution.apply(step)
            var cells = Array(repeating: "", count: columns.count)
            var outcomes: [Expectation.Outcome?] = Array(repeating: nil, count: columns.count)
            for column in columns.indices {
                switch applied[column] {
                case nil: continue
                case .notLaunched?: cells[column] = words[column].say("(not launched)", "（未创建）")
                case .accepted(let effects)?:
                    cells[column] = Self.describe(effects, start: start, words[column])
                    outcomes[column] = .accepted
                case .refused(let error)?:
                    cells[column] = words[column].say("refused: ", "拒绝：") + error.code.rawValue
                    outcomes[column] = .refused(error.code.rawValue)
                case .delivered(let effects)?: cells[column] = Self.describe(effects, start: start, words[column])
                case .clock?: cells[column] = words[column].phase(execution.simulations[column]!.machine.phase)
                }
            }
            let label =
                step.action.map(rowWords.label) ?? (step.note.map { "(\($0))" } ?? rowWords.say("(advance)", "（推进时间）"))
            report.rows.append(
                .init(
                    offset: "+\(rowWords.span(step.at - start))",
                    at: step.at,
                    label: label + targetNames(step, rowWords),
                    cells: cells
                )
            )
            for expectation in step.expectations {
                for (column, entry) in columns.enumerated() where expectation.applies(to: entry.model) {
                    guard expectation.instance.map({ $0 == entry.instance }) ?? execution.acts(step, on: column)
                    else { continue }
                    report.checks += Self.check(
                        expectation,
                        simulation: execution.simulations[column],
                        outcome: outcomes[column],
                        model: entry.name,
                        table: prices?.table(for: entry.model.kind.providerType.id),
                        monthsBought: execution.monthsBought[column],
                        start: start,
                        instance: instances[entry.instance].description,
                        words: words[column]
                    )
                }
            }
        }
        for (column, simulation) in execution.simulations.enumerated() {
            var final = Self.finalState(simulation, start: start, words[column])
            if simulation != nil { final.subscriptionMonths = execution.monthsBought[column] }
            report.final.append(final)
        }
        return prices.map { report.priced(with: $0) } ?? report
    }

    /// The instances a step names, after its label: ` web-1`, or ` web-1 web-2 (console)` for a console batch.
    private func targetNames(_ step: Step, _ words: ScenarioWords) -> String {
        guard !step.targets.isEmpty, instances.count > 1 else { return "" }
        let names = step.targets.map { instances[$0].description.id }.joined(separator: " ")
        return " \(names)" + (step.batch == .console ? words.say(" (console)", "（控制台）") : "")
    }

    package static func label(_ action: Step.Action) -> String {
        switch action {
        case .command(let command):
            switch command {
            case .stop(let force, let mode):
                return "stop" + (force ? " force" : "")
                    + (mode.map { " \($0 == .stopCharging ? "stop-charging" : "keep-charging")" } ?? "")
            case .start: return "start"
            case .release(let flags): return flags.isEmpty ? "release" : "release \(ProviderModel.words(of: flags))"
            case .scheduleRelease(let at): return "schedule-release \(at)"
            case .cancelScheduledRelease: return "cancel-schedule"
            case .setProtection(let on): return on ? "protect" : "unprotect"
            case .restore: return "restore"
            case .renew(let until): return "renew until \(until)"
            case .convertToPayAsYouGo: return "convert-to-postpaid"
            case .convertPublicIPToElasticIP: return "convert-ip-to-eip"
            case .unsubscribe: return "unsubscribe"
            }
        case .event(let event):
            if case .deadlineReached(let deadline) = event { return "⏰ \(deadline.kind.rawValue)" }
            return event.name ?? "\(event)"
        }
    }

    /// A few words for what `effects` did: the phase change, deadlines set or cancelled, cited sources.
    /// Cancellations that a release implies are not repeated.
    static func describe(_ effects: [Effect], start: Instant, _ words: ScenarioWords = .english) -> String {
        let released = effects.contains { if case .phaseChanged(_, .released) = $0 { true } else { false } }
        var parts: [String] = []
        let sources = effects.citedSources
        for effect in effects {
            switch effect {
            case .phaseChanged(_, let to): parts.append("→ \(words.phase(to))")
            case .deadlineSet(let deadline): parts.append(words.deadline(deadline, start: start))
            case .deadlineCancelled(let kind) where !released:
                parts.append(words.say("\(kind.rawValue) cancelled", "取消\(words.term(kind.rawValue))"))
            case .protectionChanged(let on):
                parts.append(
                    on
                        ? words.say("protected", words.term("protect"))
                        : words.say("unprotected", words.term("unprotect"))
                )
            default: continue
            }
        }
        let text = parts.isEmpty ? words.say("ok", "成功") : parts.joined(separator: words.say(", ", "，"))
        return sources.isEmpty ? text : "\(text) (\(sources.joined(separator: ", ")))"
    }

    static func deadlineNotes(_ effects: [Effect], start: Instant, _ words: ScenarioWords = .english) -> String {
        let notes = effects.compactMap { effect -> String? in
            if case .deadlineSet(let deadline) = effect { return words.deadline(deadline, start: start) }
            return nil
        }
        return notes.isEmpty ? "" : words.say(", ", "，") + notes.joined(separator: words.say(", ", "，"))
    }

    static func check(
        _ expectation: Expectation,
        simulation: Simulation<AnyInstance>?,
        outcome: Expectation.Outcome?,
        model: String,
        table: PriceTable? = nil,
        monthsBought: Int64? = nil,
        start: Instant,
        instance: InstanceDescription,
        words: ScenarioWords = .english
    ) -> [ScenarioReport.Check] {
        // The expectation and what was found, in the report's language (the file's own words in English).
        let say = words.say
        var checks: [ScenarioReport.Check] = []
        func add(_ what: String, _ passed: Bool, _ found: String) {
            checks.append(
                .init(line: expectation.line, model: model, what: what, passed: passed, found: passed ? nil : found)
            )
        }
        guard let simulation else {
            add(say("instance launched", "实例已创建"), false, say("the provider refused the launch", "云厂商拒绝了创建"))
            return checks
        }
        let machine = simulation.machine
        if let phase = expectation.phase {
            add(
                say("phase \(phase.rawValue)", "状态 \(words.phase(phase))"),
                machine.phase == phase,
                words.phase(machine.phase)
            )
        }
        if let expected = expectation.outcome {
            let found: String
            switch outcome {
            case .accepted?: found = say("accepted", "已接受")
            case .refused(let code)?: found = say("refused with \(code)", "被拒绝：\(code)")
            case nil: found = say("no command", "没有命令")
            }
            switch expected {
            case .accepted: add(say("command accepted", "命令被接受"), outcome == .accepted, found)
            case .refused(let code): add(say("error \(code)", "错误 \(code)"), outcome == .refused(code), found)
            }
        }
        if let status = expectation.apiStatus {
            add(say("apiStatus \(status)", "API 状态 \(status)"), machine.apiStatus == status, machine.apiStatus)
        }
        let fates = Dictionary(
            uniqueKeysWithValues: machine.resourceFates.map {
                (Scenario.ResourceName.of($0.resource, in: instance), $0.fate)
            }
        )
        for (resource, fate) in expectation.fates.sorted(by: { $0.key < $1.key }) {
            let actual = fates[resource]
            add(
                "\(resource) \(words.term(fate.rawValue))",
                actual == fate,
                actual.map { words.term($0.rawValue) } ?? say("not released yet", "尚未释放")
            )
        }
        for (name, state) in expectation.resources.sorted(by: { $0.key < $1.key }) {
            let actual = name.resolve(in: instance).map(machine.resourceState(of:))
            add(
                "\(name) \(words.term(state.rawValue))",
                actual == state,
                actual.map { words.term($0.rawValue) } ?? say("no such resource", "没有该资源")
            )
        }
        for (family, seconds) in expectation.billed.sorted(by: { $0.key < $1.key }) {
            let actual = simulation.ledger.billedSeconds(family, from: start, to: simulation.now)
            add(
                say("billed \(family.rawValue) \(seconds)", "计费 \(words.term(family.rawValue)) \(words.span(seconds))"),
                actual == seconds,
                words.span(actual)
            )
        }
        for (name, seconds) in expectation.billedResources.sorted(by: { $0.key < $1.key }) {
            let actual = billedSeconds(of: name, simulation, start: start)
            add(
                say("billed \(name) \(seconds)", "计费 \(name) \(words.span(seconds))"),
                actual == seconds,
                words.span(actual)
            )
        }
        if !expectation.cost.isEmpty {
            guard let table else {
                add(say("cost", "费用"), false, say("no prices for this provider", "没有该云厂商的价格"))
                return checks
            }
            for (item, text) in expectation.cost.sorted(by: { $0.key < $1.key }) {
                let actual = cost(
                    of: item,
                    simulation,
                    table: table,
                    monthsBought: monthsBought,
                    start: start,
                    instance: instance
                )
                // Compared at the places written, rounded half to even: "1.04" is met by 1.035 to 1.045, not by 1.0451.
                let places = text.split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
                let shown = actual.rounded(places: places)
                add(
                    say("cost \(item) \(text)", "费用 \(words.term(item.description)) \(text)"),
                    Money(decimal: shown, currency: table.currency) == Money(decimal: text, currency: table.currency),
                    "\(shown) (\(actual.decimalText) \(table.currency))"
                )
            }
        }
        for (kind, time) in expectation.deadlines.sorted(by: { $0.key < $1.key }) {
            let actual = machine.pendingDeadlines.first { $0.kind == kind }?.at
            let describe = { (instant: Instant?) in instant.map { "+\(words.span($0 - start))" } ?? say("none", "无") }
            add("\(words.term(kind.rawValue)) \(describe(time))", actual == time, describe(actual))
        }
        return checks
    }

    /// The billed seconds of one resource's own meter from `start`; a fixed public IP has none (it is part of
    /// the instance's price) and bills nothing. The address is the instance's as it is now (an EIP once converted).
    static func billedSeconds(
        of name: ResourceName,
        _ simulation: Simulation<AnyInstance>,
        start: Instant
    ) -> Seconds {
        let instance = simulation.machine.instance
        let meter: Meter?
        switch name.resolve(in: instance) {
        case .disk(let index)?: meter = .disk(index)
        case .snapshot(let index)?: meter = .snapshot(index)
        case .publicAddress?: meter = instance.publicAddress == .elasticIP ? .elasticIP : nil
        case nil: meter = nil
        }
        guard let meter else { return .zero }
        return simulation.ledger.billedSeconds(from: start, to: simulation.now) { $0 == meter }
    }

    /// What `item` has cost from `start` to the simulation's clock at `table`'s prices (Docs/Prices.md): billed
    /// time at the hourly price, and the subscription's `monthsBought` so far (PM1) at the month's price.
    static func cost(
        of item: CostItem,
        _ simulation: Simulation<AnyInstance>,
        table: PriceTable,
        monthsBought: Int64?,
        start: Instant,
        instance: InstanceDescription
    ) -> Money {
        func family(_ family: MeterFamily) -> Money {
            table.cost(of: simulation.ledger.billedSeconds(family, from: start, to: simulation.now), family)
        }
        func subscription() -> Money {
            monthsBought.flatMap(table.subscriptionCost(months:)) ?? .zero(table.currency)
        }
        switch item {
        case .family(let meterFamily): return family(meterFamily)
        case .resource(let name):
            let seconds = billedSeconds(of: name, simulation, start: start)
            let meterFamily: MeterFamily
            switch name.resolve(in: instance) {
            case .disk?: meterFamily = .disk
            case .snapshot?: meterFamily = .snapshot
            case .publicAddress?, nil: meterFamily = .elasticIP
            }
            return table.cost(of: seconds, meterFamily)
        case .subscription: return subscription()
        case .total: return MeterFamily.allCases.map(family).reduce(subscription(), +)
        }
    }

    static func finalState(
        _ simulation: Simulation<AnyInstance>?,
        start: Instant,
        _ words: ScenarioWords = .english
    ) -> ScenarioReport.FinalState {
        guard let simulation else {
            return .init(
                phase: "-",
                apiStatus: "-",
                recoverable: "-",
                billedSeconds: [:],
                fates: [:],
                pendingDeadlines: [:]
            )
        }
        let machine = simulation.machine
        let recoverable: String
        switch machine.phase {
        case .released: recoverable = words.say("no", "否")
        case .recycleBin:
            recoverable =
                machine.restorableUntil.map { words.say("until +\($0 - start)", "+\(words.span($0 - start)) 前可恢复") }
                ?? words.say("yes", "是")
        default: recoverable = words.say("yes", "是")
        }
        var billed: [String: Int64] = [:]
        for family in MeterFamily.allCases {
            billed[family.rawValue] = simulation.ledger.billedSeconds(family, from: start, to: simulation.now).count
        }
        var fates: [String: String] = [:]
        for outcome in machine.resourceFates {
            fates[Scenario.ResourceName.of(outcome.resource, in: machine.instance).text] = outcome.fate.rawValue
        }
        var deadlines: [String: Instant] = [:]
        for deadline in machine.pendingDeadlines { deadlines[deadline.kind.rawValue] = deadline.at }
        return .init(
            phase: machine.phase.rawValue,
            apiStatus: machine.apiStatus,
            recoverable: recoverable,
            billedSeconds: billed,
            fates: fates,
            pendingDeadlines: deadlines,
            subscriptionMonths: machine.instance.charge.expiresAt.map { start.calendarMonths(until: $0) }
        )
    }
}
