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

    /// Advances to `time` and applies `command`; a refusal changes nothing and is rethrown.
    @discardableResult
    public mutating func perform(_ command: Command, at time: Instant) throws(ReleaseError) -> [Effect] {
        advance(to: time)
        let effects = try machine.perform(command, at: time)
        ledger.record(effects, at: time)
        return effects
    }

    /// Advances to `time` and delivers `event`.
    @discardableResult
    public mutating func handle(_ event: Event, at time: Instant) -> [Effect] {
        advance(to: time)
        let effects = machine.handle(event, at: time)
        ledger.record(effects, at: time)
        history.append(Step(at: time, event: event, effects: effects))
        return effects
    }

    /// Billed seconds of a meter family from `from` to the current time.
    public func billedSeconds(_ family: MeterFamily, since from: Instant) -> Seconds {
        ledger.billedSeconds(family, from: from, to: now)
    }
}
