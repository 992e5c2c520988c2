/// One stretch of time a meter was billing: `[start, end)`, `end` nil while it still runs.
public struct MeterInterval: Hashable, Sendable, Codable {
    /// The meter.
    public var meter: Meter
    /// When it started billing.
    public var start: Instant
    /// When it stopped, or nil if it is still billing.
    public var end: Instant?

    /// Billed seconds of this interval that fall inside `[from, to)`.
    public func overlap(from: Instant, to: Instant) -> Seconds {
        let lower = max(start, from)
        let upper = min(end ?? to, to)
        return upper > lower ? upper - lower : .zero
    }
}

/// The billing history of one instance: every meter's intervals, built from ``Effect``s.
///
/// Seconds are the base unit; a price table may turn them into money, but the ledger never does.
public struct MeterLedger: Hashable, Sendable {
    /// Every interval in the order the meters started.
    public private(set) var intervals: [MeterInterval] = []

    /// An empty ledger.
    public init() {}

    /// Records the meter starts and stops among `effects`, which happened at `time`.
    public mutating func record(_ effects: [Effect], at time: Instant) {
        for effect in effects {
            switch effect {
            case .meterStarted(let meter):
                intervals.append(MeterInterval(meter: meter, start: time, end: nil))
            case .meterStopped(let meter):
                guard let open = intervals.lastIndex(where: { $0.meter == meter && $0.end == nil }) else {
                    preconditionFailure("meter \(meter) stopped without having started")
                }
                intervals[open].end = time
            case .phaseChanged, .deadlineSet, .deadlineCancelled, .resourceFate, .protectionChanged,
                .dataUnrecoverable, .cited:
                continue
            }
        }
    }

    /// Billed seconds inside `[from, to)` of the meters `include` selects (all by default).
    public func billedSeconds(
        from: Instant,
        to: Instant,
        where include: (Meter) -> Bool = { _ in true }
    ) -> Seconds {
        var total = Seconds.zero
        for interval in intervals where include(interval.meter) {
            total = total + interval.overlap(from: from, to: to)
        }
        return total
    }

    /// Billed seconds inside `[from, to)` of one meter family.
    public func billedSeconds(_ family: MeterFamily, from: Instant, to: Instant) -> Seconds {
        billedSeconds(from: from, to: to) { $0.family == family }
    }
}

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
    /// Everything that happened, in order.
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
