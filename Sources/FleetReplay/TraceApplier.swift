import ProviderRegistry
import ReleaseCore

/// Applies one partition's records (checked by ``TraceReader``) to its own fleet and counts what the models
/// answer: accepted, refused by code, subscription months, and at the end the instances' phases, resource fates
/// and billed time. Partitions hold disjoint accounts, so their counts add up to the whole replay's
/// (``ReplaySummary/merged(_:)`` relies on the same fact).
struct TraceApplier {

    private let options: TraceReplayer.Options
    /// The models in `ProviderModel.Kind.allCases` order (an array read per launch, not a hash).
    private let models: [ProviderModel]
    /// Whether the fleet keeps its own index of instance ids: only when the fleet is handed to a library user
    /// (``TraceReplayer/fleet``); the reader has numbered the instances already.
    private let indexesInstanceIDs: Bool
    /// This applier's own shape for launches without extras (its thread alone counts references to it).
    private let plainLaunch = TraceRecord.newPlainLaunch().launch
    /// The effects of a launch into a fleet that keeps no id: one buffer, emptied before each launch.
    private var launchEffects = Effect.launchBuffer()
    /// The fleet, once ``start(at:)`` has started it, when it indexes instance ids (nil before, and for a fleet
    /// that keeps no id: it could not hand its machines out).
    var fleet: Fleet<BuiltInInstance>? { isStarted && indexesInstanceIDs ? engine : nil }
    /// The fleet, kept as a plain value rather than an optional: reading an optional's fleet to call one of its
    /// methods copied the whole fleet, a count for each of its arrays, per launch and per group (Docs/Performance.md,
    /// "The fleet read in place").
    private var engine: Fleet<BuiltInInstance>
    /// Whether ``start(at:)`` has started the fleet.
    private(set) var isStarted = false
    /// The fleet's slot of each account by the reader's account number (-1: no instance yet), so that a record
    /// names its account without hashing its name.
    private var accountSlots: [Int32] = []
    /// Each account's name by the reader's account number, kept from the record that carried it: the reader sends a
    /// name once, with the account's first launch or account-level op (``TraceReader``).
    private var accountNames: [String?] = []
    /// The instances of this partition whose provider refused their launch (so that, to the provider, they do not
    /// exist), by their number in launch order, each with its provider's index in `ProviderModel.Kind.allCases`.
    ///
    /// Every other instance is in the fleet, added in the same order, so its handle is its number less the refused
    /// launches before it: no table by instance (a lookup of one missed the cache at every record of a million
    /// instances, Docs/Performance.md "Handles from numbers"), only this list, which a trace keeps short.
    private var refusedLaunches: [(number: Int32, provider: Int32)] = []
    /// How many launches this partition has seen: the next instance's number.
    private var launches: Int32 = 0
    private var applied = 0
    private var rejected = 0
    /// Rejections by provider, then by code.
    private var rejections = RejectionTally()
    /// Subscription months bought (launches and renewals), by the fleet's slot of the provider
    /// (``Fleet/providerSlot(of:)``): a number, not a provider's name hashed, per subscription bought.
    private var subscriptionMonths: [Int64] = []
    private let file: String
    /// A fault of the replay itself, if one was met: the fleet refused a launch the reader had let through. The
    /// replay reports it instead of a summary that would be silently wrong.
    private(set) var fault: ReplayError?
    /// What ``touch(_:)`` read, kept so that the reads are not optimised away.
    private(set) var touched: UInt8 = 0

    init(file: String, options: TraceReplayer.Options, indexesInstanceIDs: Bool) {
        self.file = file
        self.options = options
        self.indexesInstanceIDs = indexesInstanceIDs
        models = ProviderModel.Kind.allCases.map { ProviderModel($0, newerProfile: options.newerProfiles) }
        engine = Fleet(
            startingAt: Instant(secondsSince1970: 0),
            recordTimeline: false,
            billing: .totals,
            indexesInstanceIDs: false
        )
    }

    /// The model of `kind`, one of this package's providers (the only ones a trace names).
    private func model(_ kind: ProviderModel.Kind) -> ProviderModel {
        guard let index = kind.builtInIndex else { preconditionFailure("a trace names \(kind), a registered provider") }
        return models[index]
    }

    /// The name of the record's account: the one the record carries, kept for the account's later records, or the
    /// one kept from an earlier record.
    private mutating func accountName(of record: ReadRecord, in batch: RecordBatch) -> String {
        let number = Int(record.accountNumber)
        if number >= accountNames.count {
            accountNames.append(contentsOf: repeatElement(nil, count: number + 1 - accountNames.count))
        }
        if record.accountLength > 0 {
            let name = batch.account(of: record)
            accountNames[number] = name
            return name
        }
        guard let name = accountNames[number] else {
            // The reader sends each name with the account's first record that needs it: without one, the replay
            // has a fault of its own, which it reports rather than a summary that would be silently wrong.
            reportFault(at: record.line, "account \(number) came without its name", "账户 \(number) 没有名称")
            return ""
        }
        return name
    }

    /// The fleet's slot of the account numbered `number`, or -1 while it has no instance.
    private func fleetSlot(ofAccount number: Int32) -> Int32 {
        Int(number) < accountSlots.count ? accountSlots[Int(number)] : -1
    }

    /// Starts the fleet's clock at the replay's first record (every partition's fleet starts there).
    mutating func start(at time: Instant) {
        guard !isStarted else { return }
        isStarted = true
        engine = Fleet(
            startingAt: time,
            recordTimeline: options.recordTimeline,
            billing: options.perInstanceBilling ? .perInstance : .totals,
            indexesInstanceIDs: indexesInstanceIDs
        )
    }

    /// Applies every record of `batch`, a group at a time: each group's machines are read together first
    /// (``touch(_:)``), then its records applied in order. The fleet has been started.
    mutating func apply(_ batch: RecordBatch) {
        let records = batch.records
        var groupStart = 0
        while groupStart < records.count {
            let end = min(groupStart + Fleet<BuiltInInstance>.touchedTogether, records.count)
            touch(records[groupStart..<end])
            for record in records[groupStart..<end] { apply(record, in: batch) }
            groupStart = end
        }
    }

    /// Applies one record of `batch`; the fleet has been started.
    mutating func apply(_ record: ReadRecord, in batch: RecordBatch) {
        switch record.operation {
        case .launch(let kind, let charge, let isProtected):
            launch(record, in: batch, kind: kind, charge: charge, isProtected: isProtected, extras: .none)
        case .arrears: deliver(.arrearsBegan, for: record, in: batch)
        case .topUp: deliver(.balanceRestored, for: record, in: batch)
        case .stop(let force, let mode):
            perform(.stop(force: force, chargingMode: mode), on: record)
        case .start: perform(.start, on: record)
        // `ReleaseFlags()` rather than `[]`: an array literal builds its variadic array first.
        case .release: perform(.release(ReleaseFlags()), on: record)
        case .releaseFlag(let place): perform(.release(ReadOperation.oneFlag[Int(place)]), on: record)
        case .scheduleRelease(let time): perform(.scheduleRelease(at: time), on: record)
        case .cancelSchedule: perform(.cancelScheduledRelease, on: record)
        case .protect(let on): perform(.setProtection(on), on: record)
        case .restore: perform(.restore, on: record)
        case .renew(let until): perform(.renew(until: until), on: record)
        case .convertToPostpaid: perform(.convertToPayAsYouGo, on: record)
        case .convertIPToEIP: perform(.convertPublicIPToElasticIP, on: record)
        case .unsubscribe: perform(.unsubscribe, on: record)
        case .rich:
            let operation = batch.operation(of: record)
            if case .launch(let kind, let charge, let isProtected, let extras) = operation {
                launch(record, in: batch, kind: kind, charge: charge, isProtected: isProtected, extras: extras)
            } else if let command = operation.command {
                perform(command, on: record)
            } else {
                // The reader hands on only launches and releases as rich operations.
                reportFault(
                    at: record.line,
                    "a rich operation that is neither a launch nor a command",
                    "既非创建也非实例命令的操作"
                )
            }
        }
    }

    /// Delivers an account-level event to the record's account.
    private mutating func deliver(_ event: Event, for record: ReadRecord, in batch: RecordBatch) {
        let accountSlot = fleetSlot(ofAccount: record.accountNumber)
        if accountSlot >= 0 {
            engine.deliver(event, toAccountSlot: accountSlot, at: record.time)
        } else {
            engine.deliver(event, toAccount: accountName(of: record, in: batch), at: record.time)
        }
        applied += 1
    }

    /// Launches the record's instance.
    private mutating func launch(
        _ record: ReadRecord,
        in batch: RecordBatch,
        kind: ProviderModel.Kind,
        charge: ChargeType,
        isProtected: Bool,
        extras: TraceRecord.LaunchExtras
    ) {
        do {
            let accountSlot = fleetSlot(ofAccount: record.accountNumber)
            let standing =
                accountSlot >= 0
                ? engine.standing(ofAccountSlot: accountSlot) : engine.standing(of: accountName(of: record, in: batch))
            let launch = TraceRecord.launch(
                charge: charge,
                isProtected: isProtected,
                extras: extras,
                plain: plainLaunch
            )
            let handle: Fleet<BuiltInInstance>.InstanceHandle
            if indexesInstanceIDs {
                // A fleet handed to a library user keeps its ids and checks them.
                guard
                    let added = try addNamed(
                        launch,
                        of: record,
                        in: batch,
                        kind: kind,
                        standing: standing,
                        accountSlot: accountSlot
                    )
                else { return }
                handle = added
            } else {
                // A partition's fleet keeps no id (the reader holds them): the machine is launched without one, into
                // this applier's own buffer.
                launchEffects.removeAllKeepingRoom()
                let machine = try model(kind).launchMachine(
                    launch,
                    standing: standing,
                    at: record.time,
                    into: &launchEffects
                )
                let slot =
                    accountSlot >= 0 ? accountSlot : engine.slot(creatingAccount: accountName(of: record, in: batch))
                handle = engine.add(
                    lifecycle: consume machine,
                    launchEffects: launchEffects,
                    accountSlot: slot,
                    at: record.time
                )
                if accountSlot < 0 { remember(slot, ofAccount: record.accountNumber) }
            }
            // Handles follow numbers (less the refused launches); a fleet that numbered otherwise would make
            // every later record name the wrong instance, so the replay reports it rather than a wrong summary.
            let expected = launches - Int32(refusedLaunches.count)
            if handle.index != expected {
                // The line names the instance (a partition's batches carry no ids).
                reportFault(
                    at: record.line,
                    "the instance launched here got handle \(handle.index), not \(expected)",
                    "此行创建的实例得到句柄 \(handle.index)，而非 \(expected)"
                )
            }
            launches += 1
            if case .subscription(let expiresAt) = charge {
                buySubscription(engine.providerSlot(of: handle), record.time.calendarMonths(until: expiresAt))
            }
            applied += 1
        } catch {
            refuse(kind)
            reject(error)
        }
    }

    /// Launches `launch` as the record's instance, with its id, into a fleet that indexes ids; nil (the launch
    /// refused as a fault of the replay, reported) when the fleet holds the id already.
    private mutating func addNamed(
        _ launch: InstanceLaunch,
        of record: ReadRecord,
        in batch: RecordBatch,
        kind: ProviderModel.Kind,
        standing: AccountStanding,
        accountSlot: Int32
    ) throws(ReleaseError) -> Fleet<BuiltInInstance>.InstanceHandle? {
        let instanceID = batch.instanceID(of: record)
        let (machine, effects) = try model(kind).launch(
            InstanceDescription(id: instanceID, launch: launch),
            standing: standing,
            at: record.time,
            as: BuiltInInstance.self
        )
        // The reader let this id launch once, and the fleet compares ids as the reader does, so the fleet cannot
        // hold it already; if it does, the replay has a fault and says so.
        do {
            if accountSlot >= 0 {
                return try engine.add(machine, launchEffects: effects, accountSlot: accountSlot, at: record.time)
            }
            let handle = try engine.add(
                machine,
                launchEffects: effects,
                account: accountName(of: record, in: batch),
                at: record.time
            )
            remember(engine.accountSlot(of: handle), ofAccount: record.accountNumber)
            return handle
        } catch {
            refuse(kind)
            reportFault(at: record.line, "the fleet already holds \(instanceID)", "机群中已有 \(instanceID)")
            return nil
        }
    }

    /// Records the fleet's slot of the account the reader numbered `number`.
    private mutating func remember(_ slot: Int32, ofAccount number: Int32) {
        let number = Int(number)
        if number >= accountSlots.count {
            accountSlots.append(contentsOf: repeatElement(-1, count: number + 1 - accountSlots.count))
        }
        accountSlots[number] = slot
    }

    /// Performs `command` on the record's instance.
    private mutating func perform(_ command: Command, on record: ReadRecord) {
        let (slot, refusedBy) = handleIndex(ofInstance: record.instance)
        if let refusedBy {
            // The provider refused its launch, so to the provider it does not exist.
            let kind = ProviderModel.Kind.allCases[Int(refusedBy)]
            engine.advance(to: record.time)
            reject(provider: kind.rawValue, code: model(kind).notFoundCode)
            return
        }
        let handle = Fleet<BuiltInInstance>.InstanceHandle(index: slot)
        // Only a renewal needs the expiry before it (reading the machine for every record would copy it).
        var expiryBefore: Instant?
        if case .renew = command { expiryBefore = engine.withMachine(handle) { $0.launch.charge.expiresAt } }
        if let refusal = engine.refusal(performing: command, on: handle, at: record.time) {
            reject(refusal)
            return
        }
        applied += 1
        if case .renew(let until) = command, let expiryBefore {
            buySubscription(engine.providerSlot(of: handle), expiryBefore.calendarMonths(until: until))
        }
    }

    /// Touches the machines of `records` before they are applied (``Fleet/touch(_:)``): their fleet indices are
    /// found together and their machines read together, so that the misses of a group overlap. Changes nothing.
    mutating func touch(_ records: ArraySlice<ReadRecord>) {
        guard isStarted else { return }
        touched ^= withUnsafeTemporaryAllocation(of: Int32.self, capacity: records.count) { indices in
            for (place, record) in zip(indices.indices, records) {
                indices[place] = record.instance >= 0 ? handleIndex(ofInstance: record.instance).index : -1
            }
            return engine.touch(UnsafeBufferPointer(indices))
        }
    }

    /// Keeps the first fault of the replay itself (what went wrong, in English and Chinese), reported instead of a
    /// summary that would be silently wrong.
    private mutating func reportFault(at line: Int, _ what: String, _ chineseWhat: String) {
        fault =
            fault
            ?? ReplayError(
                file: file,
                line: line,
                reason: "a fault of the replay: \(what); please report it",
                chineseReason: "回放内部错误：\(chineseWhat)；请报告此问题"
            )
    }

    /// Records that the next instance's launch was refused by `kind`.
    private mutating func refuse(_ kind: ProviderModel.Kind) {
        guard let index = kind.builtInIndex else { preconditionFailure("a trace names \(kind), a registered provider") }
        refusedLaunches.append((launches, Int32(index)))
        launches += 1
    }

    /// The fleet index of instance `number` (its number less the refused launches before it), or the index of the
    /// provider that refused its launch.
    // Always inlined: called from a mutating method, a call copied the whole applier (537 bytes) for every record
    // (Docs/Performance.md, "The usual lines read quickly").
    @inline(__always)
    private func handleIndex(ofInstance number: Int32) -> (index: Int32, refusedBy: Int32?) {
        guard let last = refusedLaunches.last else { return (number, nil) }
        if number > last.number { return (number - Int32(refusedLaunches.count), nil) }
        // A binary search for the first refused launch at or after `number`.
        var low = 0
        var high = refusedLaunches.count
        while low < high {
            let middle = (low + high) / 2
            if refusedLaunches[middle].number < number { low = middle + 1 } else { high = middle }
        }
        if low < refusedLaunches.count, refusedLaunches[low].number == number {
            return (-1, refusedLaunches[low].provider)
        }
        return (number - Int32(low), nil)
    }

    /// Adds subscription months bought (a sum past 2^63 months stays at the largest count, never traps).
    private mutating func buySubscription(_ providerSlot: Int, _ months: Int64) {
        guard months > 0 else { return }
        if providerSlot >= subscriptionMonths.count {
            subscriptionMonths.append(contentsOf: repeatElement(0, count: providerSlot + 1 - subscriptionMonths.count))
        }
        let (sum, overflow) = subscriptionMonths[providerSlot].addingReportingOverflow(months)
        subscriptionMonths[providerSlot] = overflow ? .max : sum
    }

    /// Counts a refusal by its provider and code.
    private mutating func reject(_ error: borrowing ReleaseError) {
        reject(provider: error.provider.rawValue, code: error.code.rawValue)
    }

    private mutating func reject(provider: String, code: String) {
        rejected += 1
        rejections.count(provider: provider, code: code)
    }

    /// Runs the clock to `end` (never back) and writes this partition's counts into `summary`, which holds
    /// none yet: applied, rejected, rejections, phases, resource fates, billed seconds, deadlines fired,
    /// subscription months and, with prices, the unpriced subscriptions.
    mutating func finish(end: Instant?, into summary: inout ReplaySummary) {
        guard isStarted else { return }
        engine.advance(to: max(end ?? engine.now, engine.now))
        summary.applied = applied
        summary.rejected = rejected
        summary.deadlinesFired = engine.deadlinesFired
        summary.rejections = rejections.byProvider
        for provider in engine.providers {
            var families: [String: Int64] = [:]
            for (family, seconds) in engine.totalBilledSeconds(ofProvider: provider) {
                families[family.rawValue] = seconds.count
            }
            summary.billedSeconds[provider.rawValue] = families
        }
        // A provider appears once it has bought a month.
        let months = subscriptionMonths.enumerated().filter { $0.element > 0 }
        if !months.isEmpty {
            summary.subscriptionMonths = Dictionary(
                uniqueKeysWithValues: months.map { (engine.providers[$0.offset].rawValue, $0.element) }
            )
        }
        // Count into fixed arrays first: a dictionary update per instance would dominate a million-instance run.
        var phaseCounts = Array(
            repeating: Array(repeating: 0, count: Phase.allCases.count),
            count: engine.providers.count
        )
        var fateCounts = Array(
            repeating: Array(repeating: 0, count: ResourceFate.allCases.count),
            count: engine.providers.count
        )
        var subscriptions = Array(repeating: 0, count: engine.providers.count)
        for index in 0..<Int32(engine.count) {
            let handle = Fleet<BuiltInInstance>.InstanceHandle(index: index)
            let slot = engine.providerSlot(of: handle)
            let (phase, isPayAsYouGo) = engine.withMachineInPlace(handle) { machine in
                machine.census { fateCounts[slot][$0.ordinal] += 1 }
            }
            phaseCounts[slot][phase.ordinal] += 1
            if !isPayAsYouGo { subscriptions[slot] += 1 }
        }
        if let prices = options.prices {
            var unpriced: [String: Int] = [:]
            for (slot, provider) in engine.providers.enumerated()
            where subscriptions[slot] > 0 && prices.table(for: provider)?.subscriptionPerMonth == nil {
                unpriced[provider.rawValue] = subscriptions[slot]
            }
            summary.unpricedSubscriptions = unpriced
        }
        for (slot, provider) in engine.providers.enumerated() {
            for (index, phase) in Phase.allCases.enumerated() where phaseCounts[slot][index] > 0 {
                summary.instances[provider.rawValue, default: [:]][phase.rawValue] = phaseCounts[slot][index]
            }
            for (index, fate) in ResourceFate.allCases.enumerated() where fateCounts[slot][index] > 0 {
                summary.resourceFates[provider.rawValue, default: [:]][fate.rawValue] = fateCounts[slot][index]
            }
        }
    }
}
