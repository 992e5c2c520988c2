/// One stretch of time a meter was billing: `[start, end)`, `end` nil while it still runs.
public struct MeterInterval: Hashable, Sendable, Codable {
    /// The meter.
    public var meter: Meter
    /// When it started billing.
    public var start: Instant
    /// When it stopped, or nil if it is still billing.
    public var end: Instant?

    /// Billed seconds of this interval that fall inside `[from, to)`: the length of their intersection, never
    /// negative. A window that ends before the interval starts or starts after it ends, and an empty or reversed
    /// window (`to <= from`), share no second with it: zero. An interval still billing runs on to `to`.
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

    /// Billed seconds inside `[from, to)` of the meters `include` selects (all by default): the sum over their
    /// intervals of each one's intersection with the window (``MeterInterval/overlap(from:to:)``), so an
    /// interval the window excludes adds nothing and an empty or reversed window bills zero. For example, a meter
    /// billed over [0, 1 h) and [5 h, 10 h) bills 5 h in [2 h, 10 h) and 1 h in [0, 3 h).
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
