public import ProviderRegistry
public import ReleaseCore
public import Reporting

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
        /// The instances the step acts on, by index into ``Scenario/instances``; empty: every instance (an account
        /// event, a clock move, or a scenario of one instance).
        public var targets: [Int] = []
        /// How a release of several instances is sent: one all-or-nothing API call, or the console's batch.
        public var batch: Batch?
        /// Whether the step's command or event comes before the deadlines due at the same second (`"order":
        /// "before-deadlines"`); by default they fire first, as the engines order a second (Q-rules in
        /// Docs/Semantics.md: deadlines, then commands). Expectations see the state right after the step; the
        /// deadlines it came before fire as the clock moves on.
        public var beforeDeadlines: Bool

        public init(
            line: Int = 0,
            at: Instant,
            action: Action?,
            expectations: [Expectation] = [],
            note: String? = nil,
            beforeDeadlines: Bool = false,
            targets: [Int] = [],
            batch: Batch? = nil
        ) {
            self.line = line
            self.at = at
            self.action = action
            self.expectations = expectations
            self.note = note
            self.beforeDeadlines = beforeDeadlines
            self.targets = targets
            self.batch = batch
        }
    }

    /// How a release of several instances is sent (seeds 002, 003).
    public enum Batch: String, Hashable, Sendable, CaseIterable {
        /// One API call (Aliyun DeleteInstances, Tencent TerminateInstances): all or nothing, the first member's
        /// refusal refuses the whole request.
        case api
        /// The console's batch: each instance on its own; a refused one (a protected instance, say) keeps its
        /// refusal and the others go ahead.
        case console
    }

    /// An instance of the scenario and the phase it is launched in.
    public struct Launch: Hashable, Sendable {
        public var description: InstanceDescription
        public var phase: LaunchPhase

        public init(_ description: InstanceDescription, phase: LaunchPhase = .running) {
            self.description = description
            self.phase = phase
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
        /// The instance it checks, by index into ``Scenario/instances``; nil: each instance the step acts on.
        public var instance: Int?
        public var phase: Phase?
        public var outcome: Outcome?
        public var apiStatus: String?
        public var fates: [ResourceName: ResourceFate] = [:]
        /// Each named resource's state right after the step, while the instance lives or after (`resources`).
        public var resources: [ResourceName: ResourceState] = [:]
        /// Billed seconds per meter family from the scenario's start to the step.
        public var billed: [MeterFamily: Seconds] = [:]
        /// Billed seconds of one resource's own meter (`disk:<id>`, `snapshot:<id>`, `publicAddress`: an elastic
        /// IP's) from the scenario's start to the step; a resource without a meter of its own bills nothing.
        public var billedResources: [ResourceName: Seconds] = [:]
        /// Pending deadlines by kind; a nil time means "none pending of this kind".
        public var deadlines: [DeadlineKind: Instant?] = [:]
        /// Costs from the scenario's start to the step at the file's ``Scenario/prices``, as written (a decimal
        /// with at most six places): the actual amount, rounded half to even to the places written, must equal it.
        public var cost: [CostItem: String] = [:]

        /// Whether the expectation applies to `model`.
        public func applies(to model: ProviderModel) -> Bool {
            guard let provider else { return true }
            // Parsed among the model's own provider only: a name of any other provider does not apply to it.
            guard let selected = ProviderModel(parsing: provider, among: [model.kind]) else { return false }
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

    /// What a `cost` expectation prices: a meter family, one resource's own meter, the subscription's months,
    /// or the total (every family and the subscription).
    public enum CostItem: Hashable, Sendable, Comparable, CustomStringConvertible {
        case family(MeterFamily)
        case resource(ResourceName)
        case subscription
        case total

        /// The item a scenario file names `name` (`compute`, `disk:<id>`, `subscription`, `total`), if any.
        public init?(_ name: String, in instance: InstanceDescription) {
            if let family = MeterFamily(rawValue: name) {
                self = .family(family)
            } else if name == "subscription" {
                self = .subscription
            } else if name == "total" {
                self = .total
            } else if ResourceName(name).resolve(in: instance) != nil {
                self = .resource(ResourceName(name))
            } else {
                return nil
            }
        }

        public var description: String {
            switch self {
            case .family(let family): return family.rawValue
            case .resource(let name): return name.text
            case .subscription: return "subscription"
            case .total: return "total"
            }
        }

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }
    }

    public var name: String
    public var summary: String?
    /// The scenario's clock starts here; `+1h` in a step means one hour after it.
    public var start: Instant
    /// The models to run, in column order (default: both providers under their seed profiles).
    public var models: [ProviderModel]
    /// The instances, each launched at `start` in its phase, in one account (an account event reaches them all).
    public var instances: [Launch]
    /// The first instance (the only one in most scenarios).
    public var instance: InstanceDescription {
        get { instances[0].description }
        set { instances[0].description = newValue }
    }
    /// The phase the first instance is launched in.
    public var launchPhase: LaunchPhase {
        get { instances[0].phase }
        set { instances[0].phase = newValue }
    }
    /// The steps in time order.
    public var steps: [Step]
    /// The file the scenario was read from (reports name it), or nil when it was built in code.
    public var file: String?
    /// The file's prices (`prices`, Docs/Prices.md): they price its report and its `cost` expectations.
    public var prices: PriceBook?

    public init(
        name: String,
        summary: String? = nil,
        start: Instant,
        models: [ProviderModel] = ProviderModel.seedModels,
        instance: InstanceDescription,
        launchPhase: LaunchPhase = .running,
        moreInstances: [Launch] = [],
        steps: [Step]
    ) {
        self.name = name
        self.summary = summary
        self.start = start
        self.models = models
        self.instances = [Launch(instance, phase: launchPhase)] + moreInstances
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
    /// The same reason in Chinese (`--lang zh`); without one, Chinese output shows ``reason``.
    public var chineseReason: String?
    /// Further problems found in the same file, in file order (a file is checked whole: one problem per
    /// top-level member and per step, so fixing them one run at a time is not needed).
    public var more: [ScenarioError] = []

    /// Creates a problem report.
    public init(file: String, line: Int, column: Int, field: String, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.reason = reason
    }

    /// `file:line:column: field: why`, one line per problem.
    public var description: String { description(in: .en) }

    /// `file:line:column: field: why`, one line per problem, the why in `language`.
    public func description(in language: Language) -> String {
        ([self] + more).map { problem in
            let reason = language == .zh ? problem.chineseReason ?? problem.reason : problem.reason
            return problem.field.isEmpty
                ? "\(problem.file):\(problem.line):\(problem.column): \(reason)"
                : "\(problem.file):\(problem.line):\(problem.column): \(problem.field): \(reason)"
        }.joined(separator: "\n")
    }
}

extension Scenario {
    /// Why running this scenario on `models` (default: its own) would check nothing, or nil: each expectation
    /// for a provider or model the file's own `providers` do not include (it would always be skipped), and a run
    /// in which no expectation applies to any model run (a file with no expectations, or `--provider` naming
    /// models the file expects nothing of). Each problem names the file and a line; the caller decides whether
    /// a run that checks nothing is an error (`simulate` refuses it unless asked for a dry run, issue 23).
    public func uncheckedExpectations(file: String, on models: [ProviderModel]? = nil) -> ScenarioError? {
        let run = models ?? self.models
        let own = self.models.map(\.description).joined(separator: ", ")
        let names = run.map(\.description).joined(separator: ", ")
        var problems: [ScenarioError] = []
        var applicable = 0
        for (index, step) in steps.enumerated() {
            for expectation in step.expectations {
                if run.contains(where: expectation.applies(to:)) { applicable += 1 }
                guard !self.models.contains(where: expectation.applies(to:)) else { continue }
                let provider = expectation.provider ?? ""
                var problem = ScenarioError(
                    file: file,
                    line: expectation.line,
                    column: 1,
                    field: "steps[\(index)].expect",
                    reason: "the expectation for \(provider) applies to no model the file runs (\(own)): it would "
                        + "never be checked; add the provider to \"providers\", or run with --dry-run"
                )
                problem.chineseReason =
                    "针对 \(provider) 的期望不适用于该文件运行的任何模型（\(own)）：它永远不会被检查；请把该云厂商加入 "
                    + "\"providers\"，或使用 --dry-run 运行"
                problems.append(problem)
            }
        }
        if applicable == 0 {
            let line = steps.first(where: { !$0.expectations.isEmpty })?.expectations.first?.line ?? steps.first?.line
            var problem = ScenarioError(
                file: file,
                line: line ?? 1,
                column: 1,
                field: "steps",
                reason: "no expectation applies to the models run (\(names)): the scenario checks nothing; add "
                    + "\"expect\" to a step, or run with --dry-run"
            )
            problem.chineseReason =
                "没有任何期望适用于本次运行的模型（\(names)）：场景什么也不检查；请在某一步加入 \"expect\"，或使用 --dry-run 运行"
            problems.append(problem)
        }
        guard var first = problems.first else { return nil }
        first.more = Array(problems.dropFirst())
        return first
    }
}
