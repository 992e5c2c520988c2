import ProviderRegistry
import ReleaseCore

/// Every column of a scenario run — one model and one instance — stepped together: the one place a scenario's
/// steps are applied, read by the report (``Scenario/run(file:on:language:)``) and the timelines.
struct ScenarioExecution {
    /// One model running one of the scenario's instances.
    struct Column {
        var model: ProviderModel
        /// The instance's index in ``Scenario/instances``.
        var instance: Int
        /// `aliyun`, or `aliyun web-1` when the scenario has several instances.
        var name: String
    }

    /// What a step did on one column.
    enum Outcome {
        /// The column's instance was not launched (the provider refused the launch).
        case notLaunched
        /// The command was accepted with these effects.
        case accepted([Effect])
        /// The command was refused.
        case refused(ReleaseError)
        /// The event was delivered, with these effects.
        case delivered([Effect])
        /// The step only moved the clock.
        case clock
    }

    let scenario: Scenario
    let columns: [Column]
    /// Each column's simulation, or nil when its launch was refused.
    private(set) var simulations: [Simulation<AnyInstance>?]
    /// Each column's launch: its effects, or the provider's refusal.
    let launches: [Result<[Effect], ReleaseError>]
    /// Each column's subscription months bought so far, nil for none ([MODEL] PM1, as the replay counts them:
    /// from the launch to the expiry, and from each accepted renewal's old expiry to its new one). A conversion
    /// to pay-as-you-go keeps what was bought: its refund is not priced (AM5, TM10).
    private(set) var monthsBought: [Int64?]

    init(_ scenario: Scenario, models: [ProviderModel]) {
        self.scenario = scenario
        let several = scenario.instances.count > 1
        columns = models.flatMap { model in
            scenario.instances.indices.map { index in
                Column(
                    model: model,
                    instance: index,
                    name: several ? "\(model) \(scenario.instances[index].description.id)" : model.description
                )
            }
        }
        var simulations: [Simulation<AnyInstance>?] = []
        var launches: [Result<[Effect], ReleaseError>] = []
        for column in columns {
            let launch = scenario.instances[column.instance]
            do {
                let (machine, effects) = try column.model.launch(
                    launch.description,
                    in: launch.phase,
                    at: scenario.start
                )
                simulations.append(Simulation(machine: machine, launchEffects: effects, at: scenario.start))
                launches.append(.success(effects))
            } catch {
                simulations.append(nil)
                launches.append(.failure(error))
            }
        }
        self.simulations = simulations
        self.launches = launches
        let columns = self.columns
        monthsBought = columns.indices.map { column in
            guard simulations[column] != nil else { return nil }
            return scenario.instances[columns[column].instance].description.charge.expiresAt.map {
                scenario.start.calendarMonths(until: $0)
            }
        }
    }

    /// Whether `step` acts on (and, unless an expectation names an instance, checks) `column`'s instance.
    func acts(_ step: Scenario.Step, on column: Int) -> Bool {
        step.targets.isEmpty || step.targets.contains(columns[column].instance)
    }

    /// Moves every column's clock to `step` (to just before its second with `beforeDeadlines`), firing the deadlines
    /// due on the way; returns each one fired, with its column.
    mutating func advance(to step: Scenario.Step) -> [(column: Int, fired: ReleaseCore.Step)] {
        var fired: [(column: Int, fired: ReleaseCore.Step)] = []
        for column in simulations.indices {
            guard var simulation = simulations[column] else { continue }
            let before = simulation.history.count
            if step.beforeDeadlines {
                simulation.advance(toJustBefore: step.at)
            } else {
                simulation.advance(to: step.at)
            }
            for event in simulation.history.dropFirst(before) { fired.append((column, event)) }
            simulations[column] = simulation
        }
        return fired
    }

    /// Applies `step`'s command or event on each column it acts on (after ``advance(to:)``); nil for a column it
    /// does not act on. A release of several instances goes to each model as one batch: the API's, all or
    /// nothing, or the console's, member by member.
    mutating func apply(_ step: Scenario.Step) -> [Outcome?] {
        var outcomes: [Outcome?] = Array(repeating: nil, count: columns.count)
        if case .command(.release(let flags)) = step.action, let batch = step.batch {
            for model in Set(columns.map(\.model.description)).sorted() {
                let members = step.targets.compactMap { target in
                    columns.indices.first { columns[$0].model.description == model && columns[$0].instance == target }
                }
                applyBatch(batch, flags: flags, at: step.at, on: members, into: &outcomes)
            }
            return outcomes
        }
        for column in columns.indices where acts(step, on: column) {
            guard var simulation = simulations[column] else {
                outcomes[column] = .notLaunched
                continue
            }
            switch step.action {
            case .command(let command):
                let expiryBefore = simulation.machine.instance.charge.expiresAt
                do {
                    let effects = try simulation.perform(command, at: step.at, beforeDeadlines: step.beforeDeadlines)
                    outcomes[column] = .accepted(effects)
                    if case .renew(let until) = command, let expiryBefore {
                        monthsBought[column] = (monthsBought[column] ?? 0) + expiryBefore.calendarMonths(until: until)
                    }
                } catch {
                    outcomes[column] = .refused(error)
                }
            case .event(let event):
                outcomes[column] = .delivered(
                    simulation.handle(event, at: step.at, beforeDeadlines: step.beforeDeadlines)
                )
            case nil:
                simulation.advance(to: step.at)
                outcomes[column] = .clock
            }
            simulations[column] = simulation
        }
        return outcomes
    }

    private mutating func applyBatch(
        _ batch: Scenario.Batch,
        flags: ReleaseFlags,
        at time: Instant,
        on members: [Int],
        into outcomes: inout [Outcome?]
    ) {
        guard let model = members.first.map({ columns[$0].model }) else { return }
        let launched = members.filter { simulations[$0] != nil }
        for member in members where simulations[member] == nil { outcomes[member] = .notLaunched }
        guard !launched.isEmpty else { return }
        var machines = launched.map { simulations[$0]!.machine }
        let results: [Result<[Effect], ReleaseError>]
        switch batch {
        case .api:
            do {
                let effects = try model.releaseBatch(&machines, flags: flags, at: time)
                results = effects.map { .success($0) }
            } catch {
                results = launched.map { _ in .failure(error) }
            }
        case .console:
            results = model.consoleRelease(&machines, flags: flags, at: time)
        }
        for (position, member) in launched.enumerated() {
            switch results[position] {
            case .success(let effects):
                simulations[member]!.adopt(machines[position], effects: effects)
                outcomes[member] = .accepted(effects)
            case .failure(let error):
                outcomes[member] = .refused(error)
            }
        }
    }
}
