public import ReleaseCore

/// A scenario: one instance, timed steps (commands, events, time advances) and expectations, run on each
/// provider model (Docs/Scenarios.md; JSON Schema in Docs/scenario.schema.json).
public struct Scenario: Hashable, Sendable {
    /// A timed step.
    public struct Step: Hashable, Sendable {
        /// What the step does besides moving the clock.
        public enum Action: Hashable, Sendable {
            case command(Command)
            case event(Event)
        }

        /// The 1-based line of the step in its file (0 when built in code).
        public var line: Int
        /// When the step happens.
        public var at: Instant
        /// The command or event, or nil to only advance the clock.
        public var action: Action?
        /// Expectations checked after the step, for every model (key nil) or one provider.
        public var expectations: [Expectation]
        /// A free-text note shown in the timeline.
        public var note: String?

        public init(line: Int = 0, at: Instant, action: Action?, expectations: [Expectation] = [], note: String? = nil)
        {
            self.line = line
            self.at = at
            self.action = action
            self.expectations = expectations
            self.note = note
        }
    }

    /// What must hold after a step, on every model or on one provider.
    public struct Expectation: Hashable, Sendable {
        /// How a command's result must look.
        public enum Outcome: Hashable, Sendable {
            /// The provider accepts the command.
            case accepted
            /// The provider refuses it with this code.
            case refused(String)
        }

        /// The line of the expectation in its file.
        public var line: Int
        /// The models it applies to: a provider (`tencent`, every profile), one model (`tencent@2025`), or
        /// nil for all.
        public var provider: String?
        public var phase: Phase?
        public var outcome: Outcome?
        public var apiStatus: String?
        public var fates: [ResourceName: ResourceFate] = [:]
        /// Billed seconds per meter family from the scenario's start to the step.
        public var billed: [MeterFamily: Seconds] = [:]
        /// Pending deadlines by kind; a nil time means "none pending of this kind".
        public var deadlines: [DeadlineKind: Instant?] = [:]

        /// Whether the expectation applies to `model`.
        public func applies(to model: ProviderModel) -> Bool {
            guard let provider else { return true }
            guard let selected = ProviderModel(parsing: provider) else { return false }
            return provider.contains("@") ? selected == model : selected.kind == model.kind
        }

        public init(line: Int = 0, provider: String? = nil) {
            self.line = line
            self.provider = provider
        }
    }

    /// A resource named as in scenario files: `disk:<id>`, `snapshot:<id>` or `publicAddress`.
    public struct ResourceName: Hashable, Sendable, Comparable, CustomStringConvertible {
        public var text: String
        public init(_ text: String) { self.text = text }
        public var description: String { text }
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.text < rhs.text }

        /// The resource in `instance`, if it names one.
        public func resolve(in instance: InstanceDescription) -> Resource? {
            if text == "publicAddress" { return instance.publicAddress == .none ? nil : .publicAddress }
            if text.hasPrefix("disk:") {
                let id = String(text.dropFirst(5))
                return instance.disks.firstIndex { $0.id == id }.map(Resource.disk)
            }
            if text.hasPrefix("snapshot:") {
                let id = String(text.dropFirst(9))
                return instance.snapshots.firstIndex { $0.id == id }.map(Resource.snapshot)
            }
            return nil
        }

        /// The name of `resource` in `instance`.
        public static func of(_ resource: Resource, in instance: InstanceDescription) -> ResourceName {
            switch resource {
            case .disk(let index): return ResourceName("disk:\(instance.disks[index].id)")
            case .snapshot(let index): return ResourceName("snapshot:\(instance.snapshots[index].id)")
            case .publicAddress: return ResourceName("publicAddress")
            }
        }
    }

    public var name: String
    public var summary: String?
    /// The scenario's clock starts here; `+1h` in a step means one hour after it.
    public var start: Instant
    /// The models to run, in column order (default: both providers under their seed profiles).
    public var models: [ProviderModel]
    /// The instance, launched at `start`.
    public var instance: InstanceDescription
    /// The phase it is launched in.
    public var launchPhase: LaunchPhase
    /// The steps in time order.
    public var steps: [Step]

    public init(
        name: String,
        summary: String? = nil,
        start: Instant,
        models: [ProviderModel] = ProviderModel.seedModels,
        instance: InstanceDescription,
        launchPhase: LaunchPhase = .running,
        steps: [Step]
    ) {
        self.name = name
        self.summary = summary
        self.start = start
        self.models = models
        self.instance = instance
        self.launchPhase = launchPhase
        self.steps = steps
    }
}

/// Why a scenario file is not valid: where, which field, why.
public struct ScenarioError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// The field's path, e.g. `steps[2].command`.
    public var field: String
    public var reason: String

    /// `file:line:column: field: why`, on one line.
    public var description: String {
        field.isEmpty ? "\(file):\(line):\(column): \(reason)" : "\(file):\(line):\(column): \(field): \(reason)"
    }
}

/// Parses durations such as `2h`, `15d 2h`, `30min`, `90s` and times such as `+1h` or `2026-01-01T00:00:00Z`.
public enum TimeText {
    /// A duration like `2h`, `1d 2h`, `30min`, `45s` (units d, h, min, s; parts may be joined by spaces).
    public static func duration(_ text: String) -> Seconds? {
        var total: Int64 = 0
        var number = ""
        var unit = ""
        var sawPart = false
        func flush() -> Bool {
            guard !number.isEmpty, let value = Int64(number) else { return number.isEmpty && unit.isEmpty }
            let factor: Int64
            switch unit {
            case "d": factor = 86_400
            case "h": factor = 3_600
            case "min", "m": factor = 60
            case "s": factor = 1
            default: return false
            }
            total += value * factor
            number = ""
            unit = ""
            sawPart = true
            return true
        }
        for character in text {
            if character.isASCII && character.isNumber {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(character)
            } else if character.isASCII && character.isLetter {
                guard !number.isEmpty else { return nil }
                unit.append(character)
            } else if character == " " {
                guard flush() else { return nil }
            } else {
                return nil
            }
        }
        guard flush(), sawPart else { return nil }
        return Seconds(total)
    }

    /// `+<duration>` after `start`, or an absolute UTC time.
    public static func instant(_ text: String, start: Instant) -> Instant? {
        if text.hasPrefix("+") { return duration(String(text.dropFirst())).map { start + $0 } }
        return Instant(iso8601: text)
    }
}
