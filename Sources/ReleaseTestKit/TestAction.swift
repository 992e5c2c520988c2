public import ReleaseCore

/// One step of a generated run: a command, an event, or a move of the clock.
///
/// Clock moves are abstract where they aim at a deadline, so a shrunk sequence still means the same thing:
/// "one second before the recycle bin expires" is resolved against the state at that point of the run.
public enum TestAction: Hashable, Sendable, CustomStringConvertible {
    /// A user command at the current time.
    case command(Command)
    /// An event at the current time.
    case event(Event)
    /// Move the clock forward by a fixed amount.
    case wait(Seconds)
    /// Move the clock to a pending deadline of `kind`, offset by `offset` seconds (-1, 0 or +1).
    case waitForDeadline(DeadlineKind, offset: Int64)

    /// A scheduled release `lead` after the current time (resolved against the run's now).
    case scheduleReleaseAfter(Seconds)
    /// A renewal of the subscription until `lead` after the current time.
    case renewFor(Seconds)
    /// A scheduled release `years` calendar years after the current time, plus `offset` (window bounds).
    case scheduleReleaseYearsAhead(Int64, offset: Seconds)

    /// The concrete step at `now` for `machine`, or nil when the action's precondition does not hold
    /// (e.g. no such deadline is pending, or it is already past).
    public func resolve(now: Instant, machine: some ReleaseStateMachine) -> ResolvedAction? {
        switch self {
        case .command(let command): return .command(command)
        case .event(let event): return .event(event)
        case .scheduleReleaseAfter(let lead): return .command(.scheduleRelease(at: now + lead))
        case .scheduleReleaseYearsAhead(let years, let offset):
            return .command(.scheduleRelease(at: now.addingCalendarYears(years) + offset))
        case .renewFor(let lead): return .command(.renew(until: now + lead))
        case .wait(let seconds):
            guard seconds.count > 0 else { return nil }
            return .advance(to: now + seconds)
        case .waitForDeadline(let kind, let offset):
            guard let deadline = machine.pendingDeadlines.first(where: { $0.kind == kind }) else { return nil }
            let target = deadline.at + Seconds(offset)
            guard target > now else { return nil }
            return .advance(to: target)
        }
    }

    public var description: String {
        switch self {
        case .command(let command): return "\(command)"
        case .event(let event): return "\(event)"
        case .wait(let seconds): return "wait \(seconds)"
        case .waitForDeadline(let kind, let offset):
            return "wait for \(kind.rawValue)\(offset == 0 ? "" : offset > 0 ? " +\(offset)s" : " \(offset)s")"
        case .scheduleReleaseAfter(let lead): return "scheduleRelease(now + \(lead))"
        case .scheduleReleaseYearsAhead(let years, let offset): return "scheduleRelease(now + \(years) y + \(offset))"
        case .renewFor(let lead): return "renew(now + \(lead))"
        }
    }
}

/// A step resolved against the run's state: what the machine is actually given.
public enum ResolvedAction: Hashable, Sendable {
    case command(Command)
    case event(Event)
    case advance(to: Instant)
}

/// The instant arguments of the kit's runs start here.
public let testKitStart = Instant.referenceStart
