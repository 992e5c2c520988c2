/// One instance run through time: its machine, its clock and its bill.
///
/// The smallest useful simulator, used by the scenario runner and by tests: commands and time advances in
/// order, deadlines fired on the way, every effect recorded.
public struct Simulation<Machine: ReleaseStateMachine>: Sendable {
    /// The instance's state machine.
    public private(set) var machine: Machine
    /// The current time.
    public private(set) var now: Instant
    /// The billing history.
    public private(set) var ledger = MeterLedger()
    /// Every deadline that fired and every event delivered, in order (commands are returned to the caller).
    public private(set) var history: [Step] = []

    /// Starts a simulation from a launched machine and its launch effects.
    public init(machine: Machine, launchEffects: [Effect], at time: Instant) {
        self.machine = machine
        self.now = time
        ledger.record(launchEffects, at: time)
    }

    /// Fires every deadline up to and including `time` and moves the clock there.
    public mutating func advance(to time: Instant) {
        precondition(time >= now, "time only moves forward")
        for step in machine.advance(to: time) {
            ledger.record(step.effects, at: step.at)
            history.append(step)
        }
        now = time
    }

    /// Fires every deadline before `time` and moves the clock there, leaving the deadlines due at `time` itself
    /// pending: what comes next in that second comes before them.
    public mutating func advance(toJustBefore time: Instant) {
        precondition(time >= now, "time only moves forward")
        if time > now { advance(to: time - Seconds(1)) }
        now = time
    }

    /// Advances to `time` and applies `command`; a refusal changes nothing and is rethrown. With
    /// `beforeDeadlines`, the command comes before the deadlines due at `time` (they fire as the clock moves on).
    @discardableResult
    public mutating func perform(
        _ command: Command,
        at time: Instant,
        beforeDeadlines: Bool = false
    ) throws(ReleaseError) -> [Effect] {
        if beforeDeadlines { advance(toJustBefore: time) } else { advance(to: time) }
        let effects = try machine.perform(command, at: time)
        ledger.record(effects, at: time)
        return effects
    }

    /// Advances to `time` and delivers `event` (before the deadlines due at `time` with `beforeDeadlines`).
    @discardableResult
    public mutating func handle(_ event: Event, at time: Instant, beforeDeadlines: Bool = false) -> [Effect] {
        if beforeDeadlines { advance(toJustBefore: time) } else { advance(to: time) }
        let effects = machine.handle(event, at: time)
        ledger.record(effects, at: time)
        history.append(Step(at: time, event: event, effects: effects))
        return effects
    }

    /// Takes `machine` as changed at the current time by a transition run outside the simulation (a batch release
    /// over several simulations' machines), recording its `effects`.
    package mutating func adopt(_ machine: Machine, effects: [Effect]) {
        self.machine = machine
        ledger.record(effects, at: now)
    }

    /// Billed seconds of a meter family from `from` to the current time.
    public func billedSeconds(_ family: MeterFamily, since from: Instant) -> Seconds {
        ledger.billedSeconds(family, from: from, to: now)
    }
}
