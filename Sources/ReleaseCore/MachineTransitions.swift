/// The transitions a provider's machine writes, one per command and per event; which one a command or an event
/// runs is decided here, once.
///
/// A provider's machine conforms and forwards its public ``ReleaseLifecycle/perform(_:at:into:)`` and
/// ``ReleaseLifecycle/handle(_:at:into:)`` to the two `dispatch(_:at:into:)` methods. A new command or event adds a requirement here, and the compiler then
/// points at every machine that must decide what it does. The shared parts of an event's handling (taking a due
/// deadline off the set) are written here too; what a transition does stays in the provider's module.
///
/// The protocol is `package`: the transitions are the machine's own, reached by users only through
/// `perform` and `handle`.
package protocol MachineTransitions {
    /// The instance, its deadlines and meters: the provider-neutral half of the machine.
    var core: MachineCore { get set }
    /// The rank of `kind` among the machine's deadline kinds (``ReleaseLifecycle/deadlineRank(of:)``).
    func deadlineRank(of kind: DeadlineKind) -> UInt8?
    /// The kind of `rank` among the machine's deadline kinds (``ReleaseLifecycle/deadlineKind(rank:)``).
    func deadlineKind(rank: UInt8) -> DeadlineKind?

    // Commands: each throws the provider's refusal and then leaves the machine as it was.

    /// Stops a running instance, in `chargingMode` or the provider's default.
    mutating func stop(chargingMode: StopChargingMode?, into effects: inout [Effect]) throws(ReleaseError)
    /// Starts a stopped instance.
    mutating func start(into effects: inout [Effect]) throws(ReleaseError)
    /// The manual release API (or a dry run of it).
    mutating func release(flags: ReleaseFlags, at now: Instant, into effects: inout [Effect]) throws(ReleaseError)
    /// Sets (or replaces) the scheduled release.
    mutating func scheduleRelease(at time: Instant, now: Instant, into effects: inout [Effect]) throws(ReleaseError)
    /// Cancels the scheduled release.
    mutating func cancelScheduledRelease(into effects: inout [Effect]) throws(ReleaseError)
    /// Turns release protection on or off.
    mutating func setProtection(_ on: Bool, into effects: inout [Effect]) throws(ReleaseError)
    /// Brings an instance back from a recycle bin (refused by a provider that has none).
    mutating func restore(into effects: inout [Effect]) throws(ReleaseError)
    /// Renews a subscription until `until`.
    mutating func renew(until: Instant, at now: Instant, into effects: inout [Effect]) throws(ReleaseError)
    /// Converts a subscription to pay-as-you-go.
    mutating func convertToPayAsYouGo(at now: Instant, into effects: inout [Effect]) throws(ReleaseError)
    /// Converts the fixed public IP to an elastic IP.
    mutating func convertPublicIPToElasticIP(at now: Instant, into effects: inout [Effect]) throws(ReleaseError)
    /// Unsubscribes (returns) an unexpired subscription early.
    mutating func unsubscribe(at now: Instant, into effects: inout [Effect]) throws(ReleaseError)

    // Events: never refused; one that no longer applies appends nothing.

    /// A deadline of `kind` came due at `now` (it has been taken off the pending set).
    mutating func deadlineReached(_ kind: DeadlineKind, at now: Instant, into effects: inout [Effect])
    /// The account's balance fell below zero, or a bill became overdue.
    mutating func arrearsBegan(at now: Instant, into effects: inout [Effect])
    /// The account paid.
    mutating func balanceRestored(into effects: inout [Effect])
    /// A transitional state (pending, starting, stopping) settled.
    mutating func transitionCompleted(into effects: inout [Effect])
    /// The provider released the instance for its own reasons, protection notwithstanding.
    mutating func systemRelease(_ reason: SystemReleaseReason, into effects: inout [Effect])
    /// An event only some provider has; a machine ignores another provider's.
    mutating func providerEvent(_ event: ProviderEvent, at now: Instant, into effects: inout [Effect])
}

extension MachineTransitions {
    /// Runs the transition `command` names: the body of a machine's `perform`.
    @inlinable
    package mutating func dispatch(
        _ command: Command,
        at now: Instant,
        into effects: inout [Effect]
    ) throws(ReleaseError) {
        switch command {
        case .stop(_, let chargingMode): try stop(chargingMode: chargingMode, into: &effects)
        case .start: try start(into: &effects)
        case .release(let flags): try release(flags: flags, at: now, into: &effects)
        case .scheduleRelease(let time): try scheduleRelease(at: time, now: now, into: &effects)
        case .cancelScheduledRelease: try cancelScheduledRelease(into: &effects)
        case .setProtection(let on): try setProtection(on, into: &effects)
        case .restore: try restore(into: &effects)
        case .renew(let until): try renew(until: until, at: now, into: &effects)
        case .convertToPayAsYouGo: try convertToPayAsYouGo(at: now, into: &effects)
        case .convertPublicIPToElasticIP: try convertPublicIPToElasticIP(at: now, into: &effects)
        case .unsubscribe: try unsubscribe(at: now, into: &effects)
        }
    }

    /// Runs the transition `event` names: the body of a machine's `handle`. A deadline that is no longer
    /// pending (cancelled, replaced, or already fired) changes nothing.
    @inlinable
    package mutating func dispatch(_ event: Event, at now: Instant, into effects: inout [Effect]) {
        switch event {
        case .deadlineReached(let deadline):
            guard let rank = rank(of: deadline), core.deadlines.take(deadline, rank: rank) else { return }
            deadlineReached(deadline.kind, at: now, into: &effects)
        case .arrearsBegan: arrearsBegan(at: now, into: &effects)
        case .balanceRestored: balanceRestored(into: &effects)
        case .transitionCompleted: transitionCompleted(into: &effects)
        case .systemRelease(let reason): systemRelease(reason, into: &effects)
        case .provider(let providerEvent): self.providerEvent(providerEvent, at: now, into: &effects)
        }
    }

    /// The rank of `deadline`'s kind in this machine: the one the deadline carries when that rank names its kind here
    /// (a rank is cheaper to check than a kind to search for: a deadline a fleet fires carries its queue's), else the
    /// one the machine finds.
    @inlinable
    package func rank(of deadline: Deadline) -> UInt8? {
        if let rank = deadline.rank, deadlineKind(rank: rank)?.hasName(of: deadline.kind) == true { return rank }
        return deadlineRank(of: deadline.kind)
    }
}
