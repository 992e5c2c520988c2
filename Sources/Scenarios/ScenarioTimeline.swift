public import ProviderRegistry
public import ReleaseCore
public import Reporting

/// One model's run of a scenario as a picture needs it: phases as bands, what happened as marks, billing as
/// intervals.
public struct ScenarioTimeline: Hashable, Sendable, Codable {
    /// A phase held from `from` to `to`.
    public struct Band: Hashable, Sendable, Codable {
        public var phase: Phase
        public var from: Instant
        public var to: Instant
    }

    /// Something that happened at an instant.
    public struct Mark: Hashable, Sendable, Codable {
        public enum Kind: String, Hashable, Sendable, Codable {
            case command, refused, event, deadline
        }
        public var at: Instant
        public var kind: Kind
        public var label: String
    }

    /// A meter billing from `from` to `to`.
    public struct Billed: Hashable, Sendable, Codable {
        public var meter: MeterFamily
        public var from: Instant
        public var to: Instant
    }

    public var model: String
    public var bands: [Band]
    public var marks: [Mark]
    public var billed: [Billed]
    public var start: Instant
    public var end: Instant
}

extension Scenario {
    /// Runs the scenario on `models` (default: its own) and records each model's timeline, to the last step or
    /// the last deadline that fired, whichever is later; marks are labelled in `language`.
    public func timelines(on models: [ProviderModel]? = nil, language: Language = .en) -> [ScenarioTimeline] {
        (models ?? self.models).map { model in
            let words = ScenarioWords(language: language, provider: model.kind.rawValue)
            var marks: [ScenarioTimeline.Mark] = []
            var changes: [(at: Instant, phase: Phase)] = []
            func note(_ effects: [Effect], at time: Instant) {
                for case .phaseChanged(_, let to) in effects { changes.append((time, to)) }
            }
            guard let (machine, effects) = try? model.launch(instance, in: launchPhase, at: start) else {
                return ScenarioTimeline(
                    model: model.description,
                    bands: [],
                    marks: [],
                    billed: [],
                    start: start,
                    end: start
                )
            }
            var simulation = Simulation(machine: machine, launchEffects: effects, at: start)
            changes.append((start, machine.phase))
            var seen = 0
            func collectFired() {
                for step in simulation.history.dropFirst(seen) where !step.effects.isEmpty {
                    if case .deadlineReached(let deadline) = step.event {
                        marks.append(.init(at: step.at, kind: .deadline, label: words.term(deadline.kind.rawValue)))
                    }
                    note(step.effects, at: step.at)
                }
                seen = simulation.history.count
            }
            for step in steps {
                simulation.advance(to: step.at)
                collectFired()
                switch step.action {
                case .command(let command):
                    let label = words.label(.command(command))
                    do throws(ReleaseError) {
                        let effects = try simulation.perform(command, at: step.at)
                        note(effects, at: step.at)
                        marks.append(.init(at: step.at, kind: .command, label: label))
                    } catch {
                        marks.append(.init(at: step.at, kind: .refused, label: "\(label): \(error.code)"))
                    }
                case .event(let event):
                    note(simulation.handle(event, at: step.at), at: step.at)
                    marks.append(
                        .init(at: step.at, kind: .event, label: event.name.map(words.term) ?? words.say("event", "事件"))
                    )
                    seen = simulation.history.count
                case nil:
                    break
                }
            }
            let end = max(simulation.now, marks.map(\.at).max() ?? start)
            var bands: [ScenarioTimeline.Band] = []
            for (index, change) in changes.enumerated() {
                let to = index + 1 < changes.count ? changes[index + 1].at : end
                if let last = bands.last, last.phase == change.phase {
                    bands[bands.count - 1].to = to
                } else {
                    bands.append(.init(phase: change.phase, from: change.at, to: to))
                }
            }
            let billed = simulation.ledger.intervals.compactMap { interval -> ScenarioTimeline.Billed? in
                let to = min(interval.end ?? end, end)
                guard to > interval.start else { return nil }
                return .init(meter: interval.meter.family, from: interval.start, to: to)
            }
            return ScenarioTimeline(
                model: model.description,
                bands: bands.filter { $0.to > $0.from || $0.phase == .released },
                marks: marks,
                billed: billed,
                start: start,
                end: end
            )
        }
    }
}
