/// Many instances of any providers, grouped by account, run through time by one deadline queue.
///
/// The engine is generic over ``ReleaseStateMachine`` and knows no provider. It is deterministic: the
/// same calls give the same state, timeline and bill, byte for byte.
///
/// **Time order.** Time never goes backwards. `perform` and `deliver` at time t first fire every deadline
/// due at or before t, so a deadline at t happens before a command at t. Deadlines due at the same second
/// fire in the order their instances were added, and for one instance in its machine's order, the order of
/// its ``ReleaseStateMachine/deadlineKinds`` (for this package's machines: scheduled release, recycle-bin expiry,
/// arrears shutdown, arrears release, subscription expiry, expired release). An account-level event reaches the account's instances in the order they were added.
public struct Fleet<Machine: ReleaseStateMachine>: Sendable {
    /// A handle to an instance in this fleet (dense, in the order instances were added).
    public struct InstanceHandle: Hashable, Sendable, Comparable {
        public let index: Int32
        @inlinable package init(index: Int32) { self.index = index }
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.index < rhs.index }
    }

    /// What happened, for the optional timeline.
    public enum Cause: Hashable, Sendable {
        case launch
        case command(Command)
        case event(Event)
    }

    /// One line of the timeline.
    public struct TimelineEntry: Hashable, Sendable {
        public var at: Instant
        public var instance: InstanceHandle
        public var cause: Cause
        public var effects: [Effect]

        @usableFromInline init(at: Instant, instance: InstanceHandle, cause: Cause, effects: [Effect]) {
            self.at = at
            self.instance = instance
            self.cause = cause
            self.effects = effects
        }
    }

    /// How much billing history to keep.
    public enum BillingDetail: Sendable {
        /// Every meter interval of every instance: any instance, account or provider, any window.
        case perInstance
        /// Running totals per provider and per account from the fleet's start: O(1) memory per instance.
        case totals
    }

    /// Errors of the fleet's own bookkeeping (provider refusals are ``ReleaseError``s).
    public enum FleetError: Error, Hashable, Sendable {
        /// An instance with this id is already in the fleet.
        case duplicateInstance(String)
    }

    public var now: Instant { _now }
    @usableFromInline var _now: Instant
    /// The machines without their ids (``ReleaseStateMachine/Lifecycle``), by index: in chunks that never move,
    /// however many are added (``ChunkedArray``).
    @usableFromInline var machines = ChunkedArray<Machine.Lifecycle>()
    @usableFromInline var accountOfInstance: [Int32] = []
    @usableFromInline var providerOfInstance: [UInt8] = []
    @usableFromInline var instanceIndex = InstanceIndex()
    /// Each instance's id, by index, when the fleet indexes them: what an index lookup checks, and what joins a
    /// stored lifecycle into the machine ``subscript(_:)`` hands out.
    @usableFromInline var instanceIDs: [String] = []
    @usableFromInline var accountNames: [String] = []
    @usableFromInline var accountIndex: [String: Int32] = [:]
    @usableFromInline var accountMembers: [[Int32]] = []
    /// Whether each account with instances is in arrears now, by its slot.
    @usableFromInline var accountInArrears: [Bool] = []
    /// Accounts with no instance yet whose balance is below zero now, by name (an account's standing moves to
    /// `accountInArrears` with its first instance).
    @usableFromInline var unseenAccountsInArrears: Set<String> = []
    public var providers: [ProviderID] { _providers }
    @usableFromInline var _providers: [ProviderID] = []
    @usableFromInline var queue = DeadlineQueue()
    /// What the group reads of ``touch(_:)`` returned, kept so that the reads are not optimised away.
    @usableFromInline var touched: UInt8 = 0
    @usableFromInline var ledgers: [MeterLedger]
    @usableFromInline var providerTotals: [MeterTotals] = []
    @usableFromInline var accountTotals: [MeterTotals] = []
    /// Everything that happened, when the fleet was made with `recordTimeline: true`.
    public var timeline: [TimelineEntry]? { _timeline }
    @usableFromInline var _timeline: [TimelineEntry]?
    /// How many deadlines have fired (stale ones included).
    public var deadlinesFired: Int { _deadlinesFired }
    @usableFromInline var _deadlinesFired: Int = 0
    @usableFromInline let billingDetail: BillingDetail
    /// Whether the fleet keeps an index from instance id to handle (``handle(named:)``) and refuses a second
    /// instance with an id it holds. A replay that numbers its instances itself turns it off, so that a million
    /// instances are not indexed twice. A fleet that does not index keeps no id either (the replay's partitions:
    /// their reader holds the ids), and hands no machine out: its owner reads lifecycles with ``withMachine(_:_:)``.
    @usableFromInline let indexesInstanceIDs: Bool

    /// The effects of the transition being applied: one buffer reused by every transition, so the engine
    /// allocates nothing per command or event once it has grown.
    @usableFromInline var effectBuffer: [Effect] = []

    /// An empty fleet whose clock starts at `start`.
    @inlinable public init(
        startingAt start: Instant,
        recordTimeline: Bool = false,
        billing: BillingDetail = .perInstance
    ) {
        self.init(startingAt: start, recordTimeline: recordTimeline, billing: billing, indexesInstanceIDs: true)
    }

    /// An empty fleet whose clock starts at `start`; with `indexesInstanceIDs` false, the caller guarantees that
    /// ids are unique, ``handle(named:)`` finds nothing, and the fleet keeps no id and hands no machine out
    /// (``subscript(_:)`` stops the process): the caller reads lifecycles with ``withMachine(_:_:)``.
    @inlinable package init(
        startingAt start: Instant,
        recordTimeline: Bool,
        billing: BillingDetail,
        indexesInstanceIDs: Bool
    ) {
        _now = start
        _timeline = recordTimeline ? [] : nil
        billingDetail = billing
        self.indexesInstanceIDs = indexesInstanceIDs
        ledgers = []
    }

    /// The number of instances.
    @inlinable public var count: Int { machines.count }
    /// Every handle in order.
    @inlinable public var handles: [InstanceHandle] { (0..<Int32(machines.count)).map(InstanceHandle.init) }
    /// The account names in the order they first appeared.
    @inlinable public var accounts: [String] { accountNames }

    /// The handle of the instance with this id.
    @inlinable public func handle(named id: String) -> InstanceHandle? {
        guard indexesInstanceIDs else { return nil }
        return instanceIndex.find(hash: InstanceIndex.hash(id)) { instanceIDs[Int($0)] == id }.map(InstanceHandle.init)
    }

    /// The machine behind a handle: its stored lifecycle joined to its id.
    @inlinable public subscript(handle: InstanceHandle) -> Machine {
        precondition(indexesInstanceIDs, "a fleet made to keep no instance id hands no machine out")
        return Machine(id: instanceIDs[Int(handle.index)], lifecycle: machines[Int(handle.index)])
    }

    /// Lends machine `handle` to `body` where it lies, for a reader that moves its parts out and back rather than
    /// copy it (``ProviderMachine/census(_:)``). `body` must leave the machine as it found it.
    @inlinable package mutating func withMachineInPlace<Result>(
        _ handle: InstanceHandle,
        _ body: (inout Machine.Lifecycle) -> Result
    ) -> Result {
        body(&machines[Int(handle.index)])
    }

    /// Calls `body` with the lifecycle of the machine behind a handle, borrowed in place rather than copied out of
    /// the array.
    @inlinable package func withMachine<Result>(
        _ handle: InstanceHandle,
        _ body: (borrowing Machine.Lifecycle) -> Result
    ) -> Result {
        body(machines[Int(handle.index)])
    }

    /// How many machines an engine reads together with ``touch(_:)`` before using them: enough misses outstanding
    /// at once to overlap, few enough that the group's own work does not evict them (Docs/Performance.md,
    /// "Touching a group of machines": 8 and 16 were measured).
    @inlinable package static var touchedTogether: Int { 16 }

    /// Reads the first and last byte of each instance's machine, its provider and account slots, and returns them folded
    /// together: an engine that knows its next records' instances calls this for a group of them before it performs
    /// their commands, so that their cache misses overlap instead of following one another (Swift has no prefetch
    /// instruction; Docs/Performance.md, "Touching a group of machines"). Changes nothing.
    // Always inlined: a call from a mutating method copied the whole fleet (200 bytes) first.
    @inlinable @inline(__always) package func touch(_ indices: UnsafeBufferPointer<Int32>) -> UInt8 {
        var folded: UInt8 = 0
        for index in indices { folded ^= touch(instance: index) }
        return folded
    }

    /// Reads instance `index`'s machine and its provider's and account's slots (``touch(_:)``), changing nothing; an
    /// index outside the fleet reads nothing.
    @inlinable @inline(__always) func touch(instance index: Int32) -> UInt8 {
        guard index >= 0 && Int(index) < machines.count else { return 0 }
        // The machine's own last byte (its size), not the stride's padding, which is never written.
        return machines.edgeBytes(of: Int(index)) ^ providerOfInstance[Int(index)]
            ^ UInt8(truncatingIfNeeded: accountOfInstance[Int(index)])
    }

    /// The place in ``providers`` of the provider of an instance.
    @inlinable package func providerSlot(of handle: InstanceHandle) -> Int {
        Int(providerOfInstance[Int(handle.index)])
    }

    /// Whether `account` is in arrears now: after an `arrearsBegan` sent to it and before the next
    /// `balanceRestored`. Pass it to a provider's `launch(_:in:standing:at:)` so that the provider can refuse
    /// a launch into an account in arrears with its own code.
    @inlinable public func standing(of account: String) -> AccountStanding {
        if let slot = accountIndex[account] { return standing(ofAccountSlot: slot) }
        return unseenAccountsInArrears.contains(account) ? .inArrears : .inGoodStanding
    }

    /// Whether the account in `slot` (see ``accountSlot(of:)``) is in arrears now.
    @inlinable package func standing(ofAccountSlot slot: Int32) -> AccountStanding {
        accountInArrears[Int(slot)] ? .inArrears : .inGoodStanding
    }

    /// The slot of the account an instance belongs to: the same for every instance of one account, dense in the
    /// order accounts got their first instance.
    @inlinable package func accountSlot(of handle: InstanceHandle) -> Int32 {
        accountOfInstance[Int(handle.index)]
    }

    /// The account an instance belongs to.
    @inlinable public func account(of handle: InstanceHandle) -> String {
        accountNames[Int(accountOfInstance[Int(handle.index)])]
    }

    /// Adds an instance launched at `time` (its launch `effects` start its meters and timers).
    ///
    /// Arrears is the account's state: an instance added to an account in arrears (launched without asking
    /// the provider with ``standing(of:)``) receives `arrearsBegan` at `time`, so it comes under the
    /// provider's arrears rules like its siblings instead of billing forever.
    @discardableResult
    @inlinable public mutating func add(
        _ machine: Machine,
        launchEffects effects: [Effect],
        account: String,
        at time: Instant
    )
        throws(FleetError) -> InstanceHandle
    {
        advance(to: time)
        if let slot = accountIndex[account] {
            return try add(machine, launchEffects: effects, accountSlot: slot, at: time)
        }
        let id = machine.instance.id
        if indexesInstanceIDs {
            guard instanceIndex.find(hash: InstanceIndex.hash(id), matches: { instanceIDs[Int($0)] == id }) == nil
            else { throw .duplicateInstance(id) }
        }
        return try add(machine, launchEffects: effects, accountSlot: slot(creatingAccount: account), at: time)
    }

    /// The slot of `account`, made when it has none yet: an account's standing moves from the unseen accounts in
    /// arrears to its slot.
    @inlinable package mutating func slot(creatingAccount account: String) -> Int32 {
        if let slot = accountIndex[account] { return slot }
        let slot = Int32(accountNames.count)
        accountIndex[account] = slot
        accountNames.append(account)
        accountMembers.append([])
        accountTotals.append(MeterTotals(start: now))
        accountInArrears.append(unseenAccountsInArrears.remove(account) != nil)
        return slot
    }

    /// Adds an instance launched at `time` to the account in `slot` (``accountSlot(of:)`` of one of its instances),
    /// as ``add(_:launchEffects:account:at:)`` does without looking the account's name up.
    @discardableResult
    @inlinable package mutating func add(
        _ machine: consuming Machine,
        launchEffects effects: [Effect],
        accountSlot: Int32,
        at time: Instant
    )
        throws(FleetError) -> InstanceHandle
    {
        advance(to: time)
        if indexesInstanceIDs {
            let id = machine.instance.id
            let hash = InstanceIndex.hash(id)
            guard instanceIndex.find(hash: hash, matches: { instanceIDs[Int($0)] == id }) == nil else {
                throw .duplicateInstance(id)
            }
            instanceIndex.insert(hash: hash, index: Int32(machines.count))
            instanceIDs.append(id)
        }
        return append(machine.lifecycle, launchEffects: effects, accountSlot: accountSlot, at: time)
    }

    /// Adds the lifecycle of an instance launched at `time` to the account in `slot`, in a fleet that keeps no id
    /// (made with `indexesInstanceIDs` false): a replay's partition launches machines without their ids.
    @discardableResult
    @inlinable package mutating func add(
        lifecycle: consuming Machine.Lifecycle,
        launchEffects effects: [Effect],
        accountSlot: Int32,
        at time: Instant
    ) -> InstanceHandle {
        precondition(!indexesInstanceIDs, "a fleet that indexes ids adds machines with their ids")
        advance(to: time)
        // Moved, not copied: a copy of a machine and its release cost 180 instructions a launch.
        return append(consume lifecycle, launchEffects: effects, accountSlot: accountSlot, at: time)
    }

    /// Appends a lifecycle to the account in `slot` at `time` (the clock advanced there), applying its launch
    /// effects, and an account's arrears after them.
    @inlinable mutating func append(
        _ lifecycle: consuming Machine.Lifecycle,
        launchEffects effects: [Effect],
        accountSlot: Int32,
        at time: Instant
    ) -> InstanceHandle {
        let index = Int32(machines.count)
        accountMembers[Int(accountSlot)].append(index)
        let provider = lifecycle.provider
        let providerSlot: UInt8
        if let existing = _providers.firstIndex(of: provider) {
            providerSlot = UInt8(existing)
        } else {
            providerSlot = UInt8(providers.count)
            _providers.append(provider)
            providerTotals.append(MeterTotals(start: now))
        }
        // Read at a random place per record: large, they ask for huge pages (``HugePages``).
        machines.append(consume lifecycle)
        accountOfInstance.appendAdvisingHugePages(accountSlot)
        providerOfInstance.appendAdvisingHugePages(providerSlot)
        if case .perInstance = billingDetail { ledgers.append(MeterLedger()) }
        apply(effects, to: index, at: time, cause: .launch)
        if accountInArrears[Int(accountSlot)] {
            clearEffects()
            machines[Int(index)].handle(.arrearsBegan, at: time, into: &effectBuffer)
            applyEffectBuffer(to: index, at: time, cause: .event(.arrearsBegan))
        }
        return InstanceHandle(index: index)
    }

    /// Empties the effect buffer, keeping its room (``Swift/Array/removeAllKeepingRoom()``).
    @inlinable mutating func clearEffects() {
        effectBuffer.removeAllKeepingRoom()
    }

    /// Applies a user command at `time`; a refusal changes nothing and is rethrown.
    @discardableResult
    @inlinable public mutating func perform(
        _ command: Command,
        on handle: InstanceHandle,
        at time: Instant
    )
        throws(ReleaseError) -> [Effect]
    {
        advance(to: time)
        clearEffects()
        try machines[Int(handle.index)].perform(command, at: time, into: &effectBuffer)
        applyEffectBuffer(to: handle.index, at: time, cause: .command(command))
        // Shared with the caller only while it keeps the result (a discarded result leaves the buffer unique).
        return effectBuffer
    }

    /// Applies a user command at `time` as ``perform(_:on:at:)`` does, and returns the refusal instead of throwing it
    /// (nil when the command was applied): for an engine that counts refusals.
    @inlinable package mutating func refusal(
        performing command: Command,
        on handle: InstanceHandle,
        at time: Instant
    ) -> ReleaseError? {
        advance(to: time)
        clearEffects()
        do {
            try machines[Int(handle.index)].perform(command, at: time, into: &effectBuffer)
        } catch {
            return error
        }
        applyEffectBuffer(to: handle.index, at: time, cause: .command(command))
        return nil
    }

    /// Delivers an event to one instance at `time`.
    @discardableResult
    @inlinable public mutating func deliver(_ event: Event, to handle: InstanceHandle, at time: Instant) -> [Effect] {
        advance(to: time)
        clearEffects()
        machines[Int(handle.index)].handle(event, at: time, into: &effectBuffer)
        applyEffectBuffer(to: handle.index, at: time, cause: .event(event))
        return effectBuffer
    }

    /// Delivers an account-level event (arrears began, balance restored) to every instance of `account`, in
    /// the order they were added, and records the account's standing. An account with no instances yet
    /// keeps its standing for the instances launched later.
    @inlinable public mutating func deliver(_ event: Event, toAccount account: String, at time: Instant) {
        guard let slot = accountIndex[account] else {
            advance(to: time)
            switch event {
            case .arrearsBegan: unseenAccountsInArrears.insert(account)
            case .balanceRestored: unseenAccountsInArrears.remove(account)
            case .deadlineReached, .transitionCompleted, .systemRelease, .provider: break
            }
            return
        }
        deliver(event, toAccountSlot: slot, at: time)
    }

    /// Delivers an account-level event to the account in `slot` (``accountSlot(of:)``), as
    /// ``deliver(_:toAccount:at:)`` does without looking the account's name up.
    @inlinable package mutating func deliver(_ event: Event, toAccountSlot slot: Int32, at time: Instant) {
        advance(to: time)
        switch event {
        case .arrearsBegan: accountInArrears[Int(slot)] = true
        case .balanceRestored: accountInArrears[Int(slot)] = false
        case .deadlineReached, .transitionCompleted, .systemRelease, .provider: break
        }
        // A group of members' machines is read together before their events (``touch(_:)``): an account's
        // instances lie anywhere in the fleet.
        let members = accountMembers[Int(slot)]
        var groupStart = 0
        while groupStart < members.count {
            let groupEnd = min(groupStart + Self.touchedTogether, members.count)
            touched ^= members.withUnsafeBufferPointer {
                touch(UnsafeBufferPointer(rebasing: $0[groupStart..<groupEnd]))
            }
            for index in members[groupStart..<groupEnd] {
                clearEffects()
                machines[Int(index)].handle(event, at: time, into: &effectBuffer)
                applyEffectBuffer(to: index, at: time, cause: .event(event))
            }
            groupStart = groupEnd
        }
    }

    /// Fires every deadline due at or before `time`, in the documented order, and moves the clock there.
    @inlinable public mutating func advance(to time: Instant) {
        precondition(time >= now, "the fleet's clock only moves forward (now \(now), asked for \(time))")
        while let next = queue.first, next.at <= time.secondsSince1970 {
            _ = queue.popFirst()
            // The deadline now first is read ahead, while this one is handled: in a large fleet a deadline's instance
            // lies anywhere and nothing else reads it before it fires, whether now or a few records on, when its
            // machine is still in the cache (Docs/Performance.md, "The next deadline's machine read ahead").
            if let following = queue.first { touched ^= touch(instance: following.instance) }
            let at = Instant(secondsSince1970: next.at)
            _now = at
            _deadlinesFired += 1
            // The queue keeps only the rank; the instance's machine names it (ranks are unique within a machine).
            guard let kind = machines[Int(next.instance)].deadlineKind(rank: next.kind) else {
                preconditionFailure("a queued deadline of rank \(next.kind), which no kind of the machine has")
            }
            let deadline = Deadline(kind, at: at, rank: next.kind)
            clearEffects()
            machines[Int(next.instance)].handle(.deadlineReached(deadline), at: at, into: &effectBuffer)
            if !effectBuffer.isEmpty {
                applyEffectBuffer(to: next.instance, at: at, cause: .event(.deadlineReached(deadline)))
            }
        }
        _now = time
    }

    /// Applies the effect buffer (``apply(_:to:at:cause:)``) when it holds any effect or a timeline records even an
    /// empty transition: most of an account's deliveries leave it empty (73% of the 20k trace's). A fleet that keeps
    /// no record of its effects (no ledgers, no timeline, as a replay's) reads the buffer where it lies: handed to a
    /// method as an array, the buffer was a reference counted in and out, on every core, per transition
    /// (Docs/Performance.md, "Effects read where they lie").
    @inlinable mutating func applyEffectBuffer(to index: Int32, at time: Instant, cause: Cause) {
        guard !effectBuffer.isEmpty || _timeline != nil else { return }
        guard case .totals = billingDetail, _timeline == nil else {
            apply(effectBuffer, to: index, at: time, cause: cause)
            return
        }
        for place in effectBuffer.indices { applyOne(effectBuffer[place], to: index, at: time) }
    }

    /// Applies a transition's effects to the fleet's own state, and records them where the fleet keeps a record.
    @inlinable mutating func apply(_ effects: [Effect], to index: Int32, at time: Instant, cause: Cause) {
        // Most of an account's events change nothing for a given member (one released, or already in arrears: 73%
        // of the 20k trace's deliveries), and then the loop's checks of the totals' storage are not paid for.
        if !effects.isEmpty { applyEach(effects, to: index, at: time) }
        let instance = Int(index)
        if case .perInstance = billingDetail { ledgers[instance].record(effects, at: time) }
        if timeline != nil {
            _timeline!.append(
                TimelineEntry(at: time, instance: InstanceHandle(index: index), cause: cause, effects: effects)
            )
        }
    }

    /// The fleet's part of each effect: deadlines queued, meters totalled (``apply(_:to:at:cause:)``).
    @inlinable mutating func applyEach(_ effects: [Effect], to index: Int32, at time: Instant) {
        for effect in effects { applyOne(effect, to: index, at: time) }
    }

    /// The fleet's part of one effect (``applyEach(_:to:at:)``).
    // Inlinable, so that each fleet specialises it: it ranks each deadline set by asking the machine.
    @inlinable @inline(__always) mutating func applyOne(_ effect: Effect, to index: Int32, at time: Instant) {
        let instance = Int(index)
        switch effect {
        case .deadlineSet(let deadline):
            // The machine ranks its own kinds (its same-second order); one that set a kind it does not list
            // has a fault of its own. A rank on the effect is the machine's own: only its deadline set gives one
            // (``DeadlineSet/set(_:rank:at:into:)``), and a deadline whose kind changes forgets it.
            guard let rank = deadline.rank ?? machines[instance].deadlineRank(of: deadline.kind) else {
                preconditionFailure(
                    "a machine set \(deadline.kind), a deadline kind its deadlineKinds does not list"
                )
            }
            queue.push(QueuedDeadline(at: deadline.at.secondsSince1970, instance: index, kind: rank))
        case .meterStarted(let meter):
            providerTotals[Int(providerOfInstance[instance])].start(meter.family, at: time)
            accountTotals[Int(accountOfInstance[instance])].start(meter.family, at: time)
        case .meterStopped(let meter):
            providerTotals[Int(providerOfInstance[instance])].stop(meter.family, at: time)
            accountTotals[Int(accountOfInstance[instance])].stop(meter.family, at: time)
        case .phaseChanged, .deadlineCancelled, .resourceFate, .protectionChanged, .dataUnrecoverable, .cited:
            break
        }
    }

    // MARK: Billing

    /// Billed seconds of one instance in `[from, to)`, all meters or one family. Needs `.perInstance`.
    ///
    /// The length of the intersection of the instance's billed intervals with the window, which ends at ``now``
    /// at the latest (nothing is billed ahead of the clock): an interval the window excludes adds nothing, and an
    /// empty or reversed window (`to <= from`) bills zero (``MeterLedger/billedSeconds(from:to:where:)``).
    @inlinable public func billedSeconds(
        of handle: InstanceHandle,
        _ family: MeterFamily? = nil,
        from: Instant,
        to: Instant
    ) -> Seconds {
        guard case .perInstance = billingDetail else {
            preconditionFailure("per-instance billing needs a fleet made with billing: .perInstance")
        }
        let ledger = ledgers[Int(handle.index)]
        return ledger.billedSeconds(from: from, to: min(to, now)) { family == nil || $0.family == family }
    }

    /// Billed seconds of every instance of `account` in `[from, to)`: the sum of each instance's
    /// ``billedSeconds(of:_:from:to:)``. Needs `.perInstance`.
    @inlinable public func billedSeconds(
        ofAccount account: String,
        _ family: MeterFamily? = nil,
        from: Instant,
        to: Instant
    )
        -> Seconds
    {
        guard let slot = accountIndex[account] else { return .zero }
        return accountMembers[Int(slot)].reduce(Seconds.zero) {
            $0 + billedSeconds(of: InstanceHandle(index: $1), family, from: from, to: to)
        }
    }

    /// Billed seconds of every instance of `provider` in `[from, to)`: the sum of each instance's
    /// ``billedSeconds(of:_:from:to:)``. Needs `.perInstance`.
    @inlinable public func billedSeconds(
        ofProvider provider: ProviderID,
        _ family: MeterFamily? = nil,
        from: Instant,
        to: Instant
    )
        -> Seconds
    {
        guard let slot = providers.firstIndex(of: provider) else { return .zero }
        var total = Seconds.zero
        for index in machines.indices where providerOfInstance[index] == UInt8(slot) {
            total = total + billedSeconds(of: InstanceHandle(index: Int32(index)), family, from: from, to: to)
        }
        return total
    }

    /// Billed seconds per meter family of `provider` from when it first appeared until now (both modes).
    @inlinable public func totalBilledSeconds(ofProvider provider: ProviderID) -> [MeterFamily: Seconds] {
        guard let slot = providers.firstIndex(of: provider) else { return [:] }
        return providerTotals[slot].totals(at: now)
    }

    /// Billed seconds per meter family of `account` from when it first appeared until now (both modes).
    @inlinable public func totalBilledSeconds(ofAccount account: String) -> [MeterFamily: Seconds] {
        guard let slot = accountIndex[account] else { return [:] }
        return accountTotals[Int(slot)].totals(at: now)
    }
}

/// Running billed-seconds totals of a group of meters: each family's accumulated seconds plus how many of
/// its meters run now.
///
/// Sums are kept in 128 bits: tens of millions of meters over the supported range of years can pass 2^63
/// seconds, and a total must never trap. A total beyond `Int64.max` (292 billion years of meter time) is
/// reported as `Int64.max`.
@usableFromInline struct MeterTotals: Sendable {
    /// One family's accumulated seconds and how many of its meters run now.
    @usableFromInline struct Family: Sendable {
        @usableFromInline var accumulated: Int128 = 0
        @usableFromInline var running: Int64 = 0

        @inlinable init() {}

        @inlinable mutating func catchUp(elapsed: Int128) { accumulated += Int128(running) * elapsed }
    }

    // A field per family rather than arrays: every meter effect catches a provider's and an account's totals up,
    // and an array's every change checked its buffer's uniqueness (Docs/Performance.md, "Launches without ids, and
    // totals in the value"). `subscript(family:)` names each field in a switch over every family.
    @usableFromInline var compute = Family()
    @usableFromInline var disk = Family()
    @usableFromInline var elasticIP = Family()
    @usableFromInline var snapshot = Family()
    @usableFromInline var lastUpdate: Int64

    @inlinable init(start: Instant) {
        lastUpdate = start.secondsSince1970
    }

    /// The totals of `family`.
    @inlinable subscript(family family: MeterFamily) -> Family {
        get {
            switch family {
            case .compute: return compute
            case .disk: return disk
            case .elasticIP: return elasticIP
            case .snapshot: return snapshot
            }
        }
        set {
            switch family {
            case .compute: compute = newValue
            case .disk: disk = newValue
            case .elasticIP: elasticIP = newValue
            case .snapshot: snapshot = newValue
            }
        }
    }

    @inlinable mutating func catchUp(to time: Instant) {
        let elapsed = time.secondsSince1970 - lastUpdate
        if elapsed > 0 {
            let wide = Int128(elapsed)
            compute.catchUp(elapsed: wide)
            disk.catchUp(elapsed: wide)
            elasticIP.catchUp(elapsed: wide)
            snapshot.catchUp(elapsed: wide)
            lastUpdate = time.secondsSince1970
        }
    }

    @inlinable mutating func start(_ family: MeterFamily, at time: Instant) {
        catchUp(to: time)
        self[family: family].running += 1
    }

    @inlinable mutating func stop(_ family: MeterFamily, at time: Instant) {
        catchUp(to: time)
        self[family: family].running -= 1
    }

    @inlinable func totals(at time: Instant) -> [MeterFamily: Seconds] {
        var copy = self
        copy.catchUp(to: time)
        var result: [MeterFamily: Seconds] = [:]
        for family in MeterFamily.allCases {
            result[family] = Seconds(Int64(clamping: copy[family: family].accumulated))
        }
        return result
    }
}

extension Array {
    /// Empties the array and keeps its room, one element at a time from the end: for the few effects a command
    /// leaves in a buffer, about a third less than `removeLast(_:)`, a general replacement of the range, which was a
    /// fifth of `removeAll(keepingCapacity:)` (Docs/Performance.md, "An effect buffer emptied cheaply", "A release's
    /// flag read quickly").
    @inlinable
    package mutating func removeAllKeepingRoom() {
        while !isEmpty { removeLast() }
    }
}
