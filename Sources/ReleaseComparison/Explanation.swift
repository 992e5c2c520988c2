public import ProviderRegistry
public import ReleaseCore
public import Reporting
import Scenarios

/// The answer to "what happens if I do this to this instance on this provider?", in words and sources.
public struct Explanation: Hashable, Sendable, Codable, Report {
    public var model: String
    public var question: String
    public var phaseBefore: String
    public var apiStatusBefore: String
    public var accepted: Bool
    public var phaseAfter: String
    public var apiStatusAfter: String
    public var errorCode: String?
    public var httpStatus: Int?
    public var message: String?
    /// What followed, in words (phase change, timers, meters, resource fates).
    public var effects: [String]
    /// Deadlines pending afterwards, as offsets from now.
    public var deadlines: [String]
    /// The rules involved: `code: document`, with [MODEL] for product choices.
    public var sources: [String]
    /// With prices: what the instance's running meters cost an hour before and after the command (exact, in the
    /// prices' currency), and the meters that bill after it.
    public var cost: Cost?

    /// The hourly cost of an instance's running meters before and after a command.
    public struct Cost: Hashable, Sendable, Codable {
        public var currency: String
        public var perHourBefore: String
        public var perDayBefore: String
        public var perHourAfter: String
        public var perDayAfter: String
        public var billingAfter: [String]
    }

    /// A phase reached only through history: the recycle bin (after the provider's direct release) or the
    /// provider's stop for unpaid bills (after arrears, when its clock runs out).
    public enum Preparation: String, Hashable, Sendable, CaseIterable {
        case recycleBin = "recycle-bin"
        case suspended
    }

    /// Explains `command` on `instance` (launched in `phase` at `now`, after `events`, then brought to
    /// `preparation`) under `model`, the command given at `commandAt` (default: when the preparation is done).
    public static func explain(
        _ command: Command,
        on instance: InstanceDescription,
        in phase: LaunchPhase = .running,
        after events: [Event] = [],
        preparation: Preparation? = nil,
        commandAt: Instant? = nil,
        model: ProviderModel,
        at now: Instant = Instant.referenceStart,
        prices: PriceBook? = nil,
        language: Language = .en
    ) -> Explanation {
        let words = Words(language: language, provider: model.kind.rawValue)
        let question = words.question(command, phase: phase, instance: instance, events: events)
        var explanation = Explanation(
            model: model.description,
            question: question,
            phaseBefore: phase.rawValue,
            apiStatusBefore: "-",
            accepted: false,
            phaseAfter: phase.rawValue,
            apiStatusAfter: "-",
            effects: [],
            deadlines: [],
            sources: []
        )
        var codes: [String] = []
        var machine: AnyInstance
        let launchTime = now
        var time = now
        do {
            var (launched, _) = try model.launch(instance, in: phase, at: now)
            for event in events { codes += launched.handle(event, at: now).citedSources }
            switch preparation {
            case nil: break
            case .recycleBin:
                codes += try launched.perform(.release(model.directReleaseFlags), at: now).citedSources
            case .suspended:
                if !events.contains(.arrearsBegan) { codes += launched.handle(.arrearsBegan, at: now).citedSources }
                // The provider's own clock: its deadlines fire until it suspends the instance (or releases it).
                while launched.phase != .suspended, launched.phase != .released,
                    let next = launched.pendingDeadlines.first
                {
                    for step in launched.advance(to: next.at) { codes += step.effects.citedSources }
                    time = next.at
                }
            }
            machine = launched
        } catch {
            explanation.errorCode = error.code.rawValue
            explanation.message = words.launchRefused(
                language == .zh ? error.chineseMessage ?? error.message : error.message
            )
            explanation.sources = [
                model.citation(error.source.code).map { Self.cite($0, language) } ?? error.source.description
            ]
            return explanation
        }
        if let commandAt, commandAt > time {
            for step in machine.advance(to: commandAt) { codes += step.effects.citedSources }
            time = commandAt
        }
        let now = time
        if let preparation { explanation.question += words.preparation(preparation) }
        if now > launchTime { explanation.question += words.atLaunchPlus(now - launchTime) }
        explanation.phaseBefore = machine.phase.rawValue
        explanation.apiStatusBefore = machine.apiStatus
        var after = machine
        do {
            let effects = try after.perform(command, at: now)
            explanation.accepted = true
            explanation.effects = effects.compactMap { words.describe($0, instance: instance, now: now) }
            codes += effects.citedSources
        } catch {
            explanation.errorCode = error.code.rawValue
            explanation.httpStatus = error.httpStatus
            explanation.message = language == .zh ? error.chineseMessage ?? error.message : error.message
            codes.append(error.source.code)
        }
        explanation.phaseAfter = after.phase.rawValue
        explanation.apiStatusAfter = after.apiStatus
        if let table = prices?.table(for: model.kind.providerType.id) {
            func perHour(_ meters: RunningMeters) -> Money {
                meters.all.reduce(.zero(table.currency)) { total, meter in
                    total + table.cost(of: .hours(1), meter.family)
                }
            }
            explanation.cost = Cost(
                currency: table.currency,
                perHourBefore: perHour(machine.runningMeters).rounded(places: 4),
                perDayBefore: perHour(machine.runningMeters).times(24).rounded(),
                perHourAfter: perHour(after.runningMeters).rounded(places: 4),
                perDayAfter: perHour(after.runningMeters).times(24).rounded(),
                billingAfter: after.runningMeters.all.map { words.name(of: $0, in: after.instance) }
            )
        }
        explanation.deadlines = after.pendingDeadlines.map { words.deadline($0, now: now) }
        var seen: Set<String> = []
        explanation.sources = codes.filter { seen.insert($0).inserted }.map { code in
            model.citation(code).map { Self.cite($0, language) } ?? code
        }
        return explanation
    }

    private static func cite(_ citation: Citation, _ language: Language) -> String {
        let document = citation.document(chinese: language == .zh)
        return citation.isModelChoice ? "\(citation.code) [MODEL]: \(document)" : "\(citation.code): \(document)"
    }

    /// The explanation as indented text.
    public func text(colour: Bool, width: Int, language: Language) -> String { lines(markdown: false, language) }

    /// The explanation as a Markdown section with a list.
    public func markdown(language: Language) -> String { lines(markdown: true, language) }

    private func lines(markdown: Bool, _ language: Language) -> String {
        let zh = language == .zh
        let bullet = markdown ? "- " : "  "
        var lines = [markdown ? "### \(model): \(question)" : "\(model): \(question)"]
        lines.append("\(bullet)\(zh ? "之前：" : "before: ")\(phaseText(phaseBefore, language)) (\(apiStatusBefore))")
        if accepted {
            lines.append(
                "\(bullet)\(zh ? "受理 → " : "accepted → ")\(phaseText(phaseAfter, language)) (\(apiStatusAfter))"
            )
            lines += effects.map { "\(bullet)  \($0)" }
        } else if let errorCode {
            let status = httpStatus.map { " (HTTP \($0))" } ?? ""
            lines.append("\(bullet)\(zh ? "拒绝：" : "refused: ")\(errorCode)\(status): \(message ?? "")")
            lines.append("\(bullet)  \(zh ? "实例不变" : "the instance is unchanged")")
        }
        if let cost {
            let after =
                cost.billingAfter.isEmpty
                ? (zh ? "无" : "nothing") : cost.billingAfter.joined(separator: zh ? "、" : ", ")
            lines.append(
                zh
                    ? "\(bullet)费用（\(cost.currency)）：之前每小时 \(cost.perHourBefore)（每天 \(cost.perDayBefore)）；"
                        + "之后每小时 \(cost.perHourAfter)（每天 \(cost.perDayAfter)），仍在计费：\(after)"
                    : "\(bullet)cost (\(cost.currency)): before \(cost.perHourBefore) an hour (\(cost.perDayBefore) a day); "
                        + "after \(cost.perHourAfter) an hour (\(cost.perDayAfter) a day), billing \(after)"
            )
        }
        if !deadlines.isEmpty {
            lines.append("\(bullet)\(zh ? "待触发：" : "pending deadlines:")")
            lines += deadlines.map { "\(bullet)  \($0)" }
        }
        lines.append("\(bullet)\(zh ? "依据：" : "sources:")")
        lines += sources.map { "\(bullet)  \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    private func phaseText(_ phase: String, _ language: Language) -> String {
        language.term(phase, provider: model)
    }
}
