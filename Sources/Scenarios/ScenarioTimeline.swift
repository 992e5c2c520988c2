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
    /// Runs the scenario on `models` (default: its own) and records each column's timeline (a model, or a model and
    /// one instance when there are several), to the last step or the last deadline that fired, whichever is later;
    /// marks are labelled in `language`.
    public func timelines(on models: [ProviderModel]? = nil, language: Language = .en) -> [ScenarioTimeline] {
        var execution = ScenarioExecution(self, models: models ?? self.models)
        let columns = execution.columns
        let words = columns.map { ScenarioWords(language: language, provider: $0.model.kind.rawValue) }
        var marks = Array(repeating: [ScenarioTimeline.Mark](), count: columns.count)
        var changes = Array(repeating: [(at: Instant, phase: Phase)](), count: columns.count)
        func note(_ effects: [Effect], at time: Instant, _ column: Int) {
            for case .phaseChanged(_, let to) in effects { changes[column].append((time, to)) }
        }
        for column in columns.indices {
            if let simulation = execution.simulations[column] {
                changes[column].append((start, simulation.machine.phase))
            }
        }
        for step in steps {
            for (column, fired) in execution.advance(to: step) where !fired.effects.isEmpty {
                if case .deadlineReached(let deadline) = fired.event {
                    marks[column].append(
                        .init(at: fired.at, kind: .deadline, label: words[column].term(deadline.kind.rawValue))
                    )
                }
                note(fired.effects, at: fired.at, column)
            }
            for (column, outcome) in execution.apply(step).enumerated() {
                let label = step.action.map(words[column].label) ?? ""
                switch outcome {
                case .accepted(let effects)?:
                    note(effects, at: step.at, column)
                    marks[column].append(.init(at: step.at, kind: .command, label: label))
                case .refused(let error)?:
                    marks[column].append(.init(at: step.at, kind: .refused, label: "\(label): \(error.code)"))
                case .delivered(let effects)?:
                    note(effects, at: step.at, column)
                    guard case .event(let event) = step.action else { continue }
                    marks[column].append(
                        .init(
                            at: step.at,
                            kind: .event,
                            label: event.name.map(words[column].term) ?? words[column].say("event", "事件")
                        )
                    )
                case .clock?, .notLaunched?, nil:
                    continue
                }
            }
        }
        return columns.indices.map { column in
            guard let simulation = execution.simulations[column] else {
                return ScenarioTimeline(
                    model: columns[column].name,
                    bands: [],
                    marks: [],
                    billed: [],
                    start: start,
                    end: start
                )
            }
            let end = max(simulation.now, marks[column].map(\.at).max() ?? start)
            var bands: [ScenarioTimeline.Band] = []
            for (index, change) in changes[column].enumerated() {
                let to = index + 1 < changes[column].count ? changes[column][index + 1].at : end
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
                model: columns[column].name,
                bands: bands.filter { $0.to > $0.from || $0.phase == .released },
                marks: marks[column],
                billed: billed,
                start: start,
                end: end
            )
        }
    }
}
