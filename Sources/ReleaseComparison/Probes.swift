import ProviderRegistry
import ReleaseCore
import Reporting

extension ProbeRunner {
    /// Runs `body` on a freshly launched instance, or reports that the provider refused the launch.
    func with(
        _ description: InstanceDescription = InstanceDescription(id: "probe"),
        in phase: LaunchPhase = .running,
        _ body: (inout Simulation<AnyInstance>) -> ComparisonCell
    ) -> ComparisonCell {
        do {
            var simulation = try simulation(description, in: phase)
            return body(&simulation)
        } catch {
            return refusedLaunch(error)
        }
    }

    var hour: Seconds { .hours(1) }

    /// The flags of the most direct manual release of a running instance (the provider says which).
    var directReleaseFlags: ReleaseFlags { model.directReleaseFlags }

    /// A release parameter by its word, asked of every provider (one that lacks it refuses it with its own
    /// parameter error, which is the row's answer).
    func flag(_ word: String) -> ReleaseFlags {
        guard let flag = ProviderModel.flag(word) else { preconditionFailure("no provider has a release flag \(word)") }
        return [flag]
    }

    /// The earliest (or latest) lead time the model accepts for a scheduled release, found by bisection
    /// between `low` (refused) and `high` (accepted) — or the other way round for the latest.
    func boundary(low: Seconds, high: Seconds, acceptedBelow: Bool) -> Seconds? {
        func accepted(_ lead: Seconds) -> Bool {
            guard let simulation = try? simulation() else { return false }
            return simulation.machine.outcome(of: .scheduleRelease(at: start + lead), at: start).isAccepted
        }
        var (refusedSide, acceptedSide) = acceptedBelow ? (high, low) : (low, high)
        guard accepted(acceptedSide), !accepted(refusedSide) else { return nil }
        while abs(refusedSide.count - acceptedSide.count) > 1 {
            let middle = Seconds((refusedSide.count + acceptedSide.count) / 2)
            if accepted(middle) { acceptedSide = middle } else { refusedSide = middle }
        }
        return acceptedSide
    }

    static let richInstance = InstanceDescription(
        id: "probe",
        disks: [
            Disk(id: "system", role: .system),
            Disk(id: "data", role: .data, deleteWithInstance: false),
            Disk(id: "data-dwi", role: .data, deleteWithInstance: true),
            Disk(id: "elastic", role: .data, isElastic: true),
            Disk(id: "local", role: .local),
        ],
        snapshots: [
            Snapshot(id: "auto", diskID: "data-dwi", kind: .automatic),
            Snapshot(id: "manual", diskID: "data-dwi", kind: .manual),
        ],
        publicAddress: .elasticIP
    )

    /// Releases an instance for good the way a user most directly can (Aliyun: DeleteInstance with Force;
    /// Tencent: destroy, then destroy again from the recycle bin) and returns the simulation.
    func releasedForGood(_ description: InstanceDescription) -> (Simulation<AnyInstance>, [String])? {
        guard var simulation = try? simulation(description) else { return nil }
        var sources: [String] = []
        for _ in 0..<2 where simulation.machine.phase != .released {
            guard let effects = try? simulation.perform(.release(directReleaseFlags), at: start + hour) else {
                return nil
            }
            sources += effects.citedSources
        }
        return (simulation, sources)
    }

    /// The fate of `resource` after a release for good, citing the rule that decided it (the effect carries
    /// its source).
    func fate(of resource: Resource, in description: InstanceDescription, after first: Command? = nil) -> ComparisonCell
    {
        guard var simulation = try? simulation(description) else { return cell(say("n/a", "不适用"), sources: []) }
        var effects: [Effect] = []
        if let first {
            guard let step = try? simulation.perform(first, at: start) else {
                return cell(
                    say("\(CommandWord(first).rawValue) refused", "\(CommandWord(first).rawValue) 被拒绝"),
                    sources: []
                )
            }
            effects += step
        }
        for _ in 0..<2 where simulation.machine.phase != .released {
            guard let step = try? simulation.perform(.release(directReleaseFlags), at: start + hour) else {
                return cell(say("release refused", "释放被拒绝"), sources: [])
            }
            effects += step
        }
        for case .resourceFate(resource, let fate, let source) in effects {
            return cell(language.term(fate.rawValue, provider: model.kind.rawValue), sources: [source.description])
        }
        return cell(say("n/a", "不适用"), sources: [])
    }

    /// A 30-day subscription given `first` at +1 h (a conversion, an unsubscription), then released at once with
    /// `flags`.
    func subscription(after first: Command, releasing flags: ReleaseFlags) -> ComparisonCell {
        with(InstanceDescription(id: "probe", charge: .subscription(expiresAt: start + .days(30)))) { simulation in
            _ = try? simulation.perform(first, at: start + hour)
            return attempt(.release(flags), on: &simulation, at: start + hour)
        }
    }

    /// When a meter family stops billing after a manual release at +1 h, within the next 30 days.
    func billingStop(_ family: MeterFamily) -> ComparisonCell {
        with(Self.richInstance) { simulation in
            guard let effects = try? simulation.perform(.release(directReleaseFlags), at: start + hour) else {
                return cell(say("release refused", "释放被拒绝"), sources: [])
            }
            let releasedAt = start + hour
            let end = releasedAt + .days(30)
            simulation.advance(to: end)
            var stops: [String] = []
            let intervals = simulation.ledger.intervals.filter { $0.meter.family == family }
            for interval in intervals {
                if let stopped = interval.end, stopped >= releasedAt {
                    stops.append("+\(span(stopped - releasedAt))")
                } else if interval.end == nil {
                    stops.append(say("never", "从不"))
                }
            }
            let unique = stops.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            var sources = effects.citedSources
            for step in simulation.history { sources += step.effects.citedSources }
            let text = unique.isEmpty ? say("no meter", "无此计量") : unique.joined(separator: " / ")
            return cell(say(text + " after the release call", "释放调用后 " + text), sources: sources)
        }
    }
}

extension Probe {
    /// Every question `compare` asks, in display order.
    static let all: [Probe] = [
        Probe(id: "api", group: "API", question: "Release API") { runner in
            runner.cell(runner.model.releaseAPI.value, sources: [runner.model.releaseAPI.source.code])
        },
        Probe(id: "batch-limit", group: "API", question: "Batch release: largest accepted batch") { runner in
            var accepted = 0
            var refusal = ""
            var sources: [String] = []
            for size in [1, 100, 101, 1_000] {
                var members: [AnyInstance] = []
                for index in 0..<size {
                    guard let member = try? runner.simulation(InstanceDescription(id: "b\(index)"), in: .stopped)
                    else { continue }
                    members.append(member.machine)
                }
                do throws(ReleaseError) {
                    _ = try runner.model.releaseBatch(&members, flags: [], at: runner.start)
                    accepted = size
                } catch {
                    refusal = "\(size) → \(error.code)"
                    sources.append(error.source.code)
                    break
                }
            }
            return runner.cell("\(accepted); \(refusal)", sources: sources)
        },
        Probe(id: "release-running", group: "Manual release", question: "Release a running pay-as-you-go instance") {
            runner in
            runner.with { runner.attempt(.release(), on: &$0, at: runner.start + runner.hour) }
        },
        Probe(id: "release-running-force", group: "Manual release", question: "... with force") { runner in
            runner.with { runner.attempt(.release(runner.flag("force")), on: &$0, at: runner.start + runner.hour) }
        },
        Probe(id: "release-stopped", group: "Manual release", question: "Release a stopped pay-as-you-go instance") {
            runner in
            runner.with(in: .stopped) { runner.attempt(.release(), on: &$0, at: runner.start + runner.hour) }
        },
        Probe(id: "release-now", group: "Manual release", question: "... asking to skip the recycle bin") { runner in
            runner.with {
                runner.attempt(.release(runner.flag("immediately")), on: &$0, at: runner.start + runner.hour)
            }
        },
        Probe(id: "dry-run", group: "Manual release", question: "Dry run of a release (stopped instance)") { runner in
            runner.with(in: .stopped) { runner.attempt(.release(runner.flag("dry-run")), on: &$0, at: runner.start) }
        },
        Probe(id: "restore-1h", group: "Manual release", question: "Restore 1 h after a manual release") { runner in
            runner.with(in: .stopped) { simulation in
                _ = try? simulation.perform(.release(), at: runner.start)
                return runner.attempt(.restore, on: &simulation, at: runner.start + runner.hour)
            }
        },
        Probe(id: "restore-3h", group: "Manual release", question: "Restore 3 h after a manual release") { runner in
            runner.with(in: .stopped) { simulation in
                _ = try? simulation.perform(.release(), at: runner.start)
                return runner.attempt(.restore, on: &simulation, at: runner.start + .hours(3))
            }
        },
        Probe(id: "released-again", group: "Manual release", question: "Any command on a released instance") {
            runner in
            guard var (simulation, _) = runner.releasedForGood(InstanceDescription(id: "probe")) else {
                return runner.cell(runner.say("n/a", "不适用"), sources: [])
            }
            return runner.attempt(.start, on: &simulation, at: runner.start + .hours(2))
        },
        Probe(id: "protected-manual", group: "Protection", question: "Protected running instance, manual release") {
            runner in
            runner.with(InstanceDescription(id: "probe", isProtected: true)) {
                runner.attempt(.release(runner.directReleaseFlags), on: &$0, at: runner.start + runner.hour)
            }
        },
        Probe(id: "protected-schedule", group: "Protection", question: "Protected instance, scheduled release fires") {
            runner in
            runner.with(InstanceDescription(id: "probe", isProtected: true)) { simulation in
                _ = try? simulation.perform(.scheduleRelease(at: runner.start + runner.hour), at: runner.start)
                return runner.timeline(of: &simulation, from: runner.start, until: runner.start + .days(1))
            }
        },
        Probe(id: "protected-arrears", group: "Protection", question: "Protected instance, account in arrears") {
            runner in
            runner.with(InstanceDescription(id: "probe", isProtected: true)) { simulation in
                simulation.handle(.arrearsBegan, at: runner.start)
                return runner.timeline(of: &simulation, from: runner.start, until: runner.start + .days(40))
            }
        },
        Probe(id: "protected-subscription", group: "Protection", question: "Turn protection on for a subscription") {
            runner in
            runner.with(InstanceDescription(id: "probe", charge: .subscription(expiresAt: runner.start + .days(30)))) {
                runner.attempt(.setProtection(true), on: &$0, at: runner.start)
            }
        },
        Probe(id: "schedule-precision", group: "Scheduled release", question: "Scheduled for +1 h 0 min 42 s; fires at")
        { runner in
            runner.with { simulation in
                let requested = runner.start + runner.hour + Seconds(42)
                guard let effects = try? simulation.perform(.scheduleRelease(at: requested), at: runner.start),
                    let deadline = simulation.machine.pendingDeadlines.first
                else { return runner.cell(runner.say("refused", "被拒绝"), sources: []) }
                return runner.cell("+\(runner.span(deadline.at - runner.start))", sources: effects.citedSources)
            }
        },
        Probe(id: "schedule-earliest", group: "Scheduled release", question: "Earliest accepted time") { runner in
            let lead = runner.boundary(low: .zero, high: .days(1), acceptedBelow: false)
            let tooSoon = runner.with {
                runner.attempt(.scheduleRelease(at: runner.start + Seconds(60)), on: &$0, at: runner.start)
            }
            let accepted = runner.with {
                runner.attempt(.scheduleRelease(at: runner.start + (lead ?? .zero)), on: &$0, at: runner.start)
            }
            let refusal = tooSoon.outcome.replacingPrefix(runner.say("refused: ", "拒绝："))
            return runner.cell(
                lead.map { runner.say("now + \($0); sooner → \(refusal)", "now + \(runner.span($0))；更早 → \(refusal)") }
                    ?? runner.say("none found", "未找到"),
                sources: accepted.sources + tooSoon.sources
            )
        },
        Probe(id: "schedule-latest", group: "Scheduled release", question: "Latest accepted time (searched to 10 y)") {
            runner in
            let lead = runner.boundary(low: .days(1), high: .days(3_660), acceptedBelow: true)
            let farthest = runner.with {
                runner.attempt(.scheduleRelease(at: runner.start + .days(3_660)), on: &$0, at: runner.start)
            }
            return runner.cell(
                lead.map { "now + \(runner.span($0)) (\((runner.start + $0).iso8601))" }
                    ?? runner.say("no bound up to now + 10 y", "至 now + 10 年无上限"),
                sources: farthest.sources
            )
        },
        Probe(id: "schedule-fires", group: "Scheduled release", question: "When it fires") { runner in
            runner.with { simulation in
                _ = try? simulation.perform(.scheduleRelease(at: runner.start + runner.hour), at: runner.start)
                return runner.timeline(of: &simulation, from: runner.start, until: runner.start + .days(1))
            }
        },
        Probe(id: "schedule-cancel", group: "Scheduled release", question: "Cancel before it fires") { runner in
            runner.with { simulation in
                _ = try? simulation.perform(.scheduleRelease(at: runner.start + runner.hour), at: runner.start)
                var cell = runner.attempt(.cancelScheduledRelease, on: &simulation, at: runner.start + .minutes(59))
                simulation.advance(to: runner.start + .days(1))
                cell.outcome += runner.say(
                    "; at +1d still \(simulation.machine.phase.rawValue)",
                    "；+1天 时仍为\(runner.phase(simulation.machine.phase))"
                )
                return cell
            }
        },
        Probe(id: "schedule-in-bin", group: "Scheduled release", question: "Scheduled for +1 h, destroyed at +10 min") {
            runner in
            runner.with { simulation in
                _ = try? simulation.perform(.scheduleRelease(at: runner.start + runner.hour), at: runner.start)
                let destroy = runner.attempt(
                    .release(runner.directReleaseFlags),
                    on: &simulation,
                    at: runner.start + .minutes(10)
                )
                let later = runner.timeline(of: &simulation, from: runner.start, until: runner.start + .days(1))
                return runner.cell(
                    runner.say("\(destroy.outcome); then \(later.outcome)", "\(destroy.outcome)；之后 \(later.outcome)"),
                    sources: destroy.sources + later.sources
                )
            }
        },
        Probe(
            id: "schedule-cancel-subscription",
            group: "Scheduled release",
            question: "Cancel a subscription's schedule"
        ) { runner in
            runner.with(InstanceDescription(id: "probe", charge: .subscription(expiresAt: runner.start + .days(30)))) {
                runner.attempt(.cancelScheduledRelease, on: &$0, at: runner.start)
            }
        },
        Probe(id: "schedule-subscription", group: "Scheduled release", question: "Schedule a subscription's release") {
            runner in
            runner.with(InstanceDescription(id: "probe", charge: .subscription(expiresAt: runner.start + .days(30)))) {
                runner.attempt(.scheduleRelease(at: runner.start + .days(1)), on: &$0, at: runner.start)
            }
        },
        Probe(id: "arrears", group: "Arrears", question: "Pay-as-you-go account in arrears at t") { runner in
            runner.with { simulation in
                simulation.handle(.arrearsBegan, at: runner.start)
                return runner.timeline(of: &simulation, from: runner.start, until: runner.start + .days(40))
            }
        },
        Probe(id: "arrears-billed", group: "Arrears", question: "Compute billed after arrears begin") { runner in
            runner.with { simulation in
                let effects = simulation.handle(.arrearsBegan, at: runner.start)
                simulation.advance(to: runner.start + .days(40))
                return runner.cell(
                    runner.span(simulation.billedSeconds(.compute, since: runner.start)),
                    sources: effects.citedSources
                )
            }
        },
        Probe(id: "arrears-topup", group: "Arrears", question: "Top-up 20 h after arrears begin") { runner in
            runner.with { simulation in
                simulation.handle(.arrearsBegan, at: runner.start)
                simulation.advance(to: runner.start + .hours(20))
                let effects = simulation.handle(.balanceRestored, at: runner.start + .hours(20))
                simulation.advance(to: runner.start + .days(40))
                return runner.cell(
                    runner.say(
                        "\(simulation.machine.phase.rawValue) at +40d",
                        "+40天 时\(runner.phase(simulation.machine.phase))"
                    ),
                    sources: effects.citedSources
                )
            }
        },
        Probe(
            id: "arrears-topup-stopped",
            group: "Arrears",
            question: "Stopped without charging; arrears; top-up at +20 h"
        ) { runner in
            runner.with { simulation in
                _ = try? simulation.perform(.stop(chargingMode: .stopCharging), at: runner.start)
                simulation.handle(.arrearsBegan, at: runner.start)
                simulation.advance(to: runner.start + .hours(20))
                let effects = simulation.handle(.balanceRestored, at: runner.start + .hours(20))
                simulation.advance(to: runner.start + .days(2))
                let billed = simulation.billedSeconds(.compute, since: runner.start)
                return runner.cell(
                    runner.say(
                        "\(simulation.machine.phase.rawValue) at +2d, compute billed \(billed)",
                        "+2天 时\(runner.phase(simulation.machine.phase))，计算计费 \(runner.span(billed))"
                    ),
                    sources: effects.citedSources
                )
            }
        },
        Probe(id: "arrears-launch", group: "Arrears", question: "Launch into an account in arrears") { runner in
            do throws(ReleaseError) {
                _ = try runner.model.launch(InstanceDescription(id: "probe"), standing: .inArrears, at: runner.start)
                return runner.cell(runner.say("accepted", "受理"), sources: [])
            } catch {
                return runner.refusedLaunch(error)
            }
        },
        Probe(id: "subscription-before", group: "Subscription", question: "Release before expiry") { runner in
            runner.with(InstanceDescription(id: "probe", charge: .subscription(expiresAt: runner.start + .days(30)))) {
                runner.attempt(.release(runner.directReleaseFlags), on: &$0, at: runner.start + runner.hour)
            }
        },
        Probe(id: "subscription-after", group: "Subscription", question: "Release after expiry (no extra flag)") {
            runner in
            runner.with(InstanceDescription(id: "probe", charge: .subscription(expiresAt: runner.start + .days(30)))) {
                runner.attempt(.release(), on: &$0, at: runner.start + .days(31))
            }
        },
        Probe(id: "subscription-after-flag", group: "Subscription", question: "... with terminate-subscription") {
            runner in
            runner.with(InstanceDescription(id: "probe", charge: .subscription(expiresAt: runner.start + .days(30)))) {
                runner.attempt(.release(runner.flag("terminate-subscription")), on: &$0, at: runner.start + .days(31))
            }
        },
        Probe(id: "subscription-renew", group: "Subscription", question: "Renew for 30 days, 1 day after expiry") {
            runner in
            runner.with(InstanceDescription(id: "probe", charge: .subscription(expiresAt: runner.start + .days(30)))) {
                runner.attempt(.renew(until: runner.start + .days(61)), on: &$0, at: runner.start + .days(31))
            }
        },
        Probe(id: "subscription-convert", group: "Subscription", question: "Convert to pay-as-you-go, running") {
            runner in
            runner.with(InstanceDescription(id: "probe", charge: .subscription(expiresAt: runner.start + .days(30)))) {
                runner.attempt(.convertToPayAsYouGo, on: &$0, at: runner.start + runner.hour)
            }
        },
        Probe(
            id: "subscription-convert-release",
            group: "Subscription",
            question: "... then release it (seed 000: 转为按量付费后释放)"
        ) { runner in
            runner.subscription(after: .convertToPayAsYouGo, releasing: runner.directReleaseFlags)
        },
        Probe(
            id: "subscription-unsubscribe",
            group: "Subscription",
            question: "Unsubscribe early, then release (seed 001: 退订)"
        ) { runner in
            runner.subscription(
                after: .unsubscribe,
                releasing: runner.flag("terminate-subscription").union(runner.directReleaseFlags)
            )
        },
        Probe(id: "subscription-convert-expired", group: "Subscription", question: "Convert 1 day after expiry") {
            runner in
            runner.with(InstanceDescription(id: "probe", charge: .subscription(expiresAt: runner.start + .days(30)))) {
                runner.attempt(.convertToPayAsYouGo, on: &$0, at: runner.start + .days(31))
            }
        },
        Probe(id: "subscription-expiry", group: "Subscription", question: "Never renewed: from expiry") { runner in
            runner.with(InstanceDescription(id: "probe", charge: .subscription(expiresAt: runner.start + .days(30)))) {
                simulation in
                simulation.advance(to: runner.start + .days(30) - Seconds(1))
                return runner.timeline(
                    of: &simulation,
                    from: runner.start + .days(30),
                    until: runner.start + .days(60)
                )
            }
        },
        Probe(id: "fate-system", group: "Resource fate", question: "System disk") { runner in
            runner.fate(of: .disk(0), in: ProbeRunner.richInstance)
        },
        Probe(id: "fate-data", group: "Resource fate", question: "Data disk, delete-with-instance off") { runner in
            runner.fate(of: .disk(1), in: ProbeRunner.richInstance)
        },
        Probe(id: "fate-data-dwi", group: "Resource fate", question: "Data disk, delete-with-instance on") { runner in
            runner.fate(of: .disk(2), in: ProbeRunner.richInstance)
        },
        Probe(id: "fate-elastic", group: "Resource fate", question: "Elastic (portable) data disk") { runner in
            runner.fate(of: .disk(3), in: ProbeRunner.richInstance)
        },
        Probe(id: "fate-local", group: "Resource fate", question: "Local disk") { runner in
            runner.fate(of: .disk(4), in: ProbeRunner.richInstance)
        },
        Probe(id: "fate-auto-snapshot", group: "Resource fate", question: "Automatic snapshot of a released disk") {
            runner in
            runner.fate(of: .snapshot(0), in: ProbeRunner.richInstance)
        },
        Probe(id: "fate-manual-snapshot", group: "Resource fate", question: "Manual snapshot") { runner in
            runner.fate(of: .snapshot(1), in: ProbeRunner.richInstance)
        },
        Probe(id: "fate-public-ip", group: "Resource fate", question: "Fixed public IP") { runner in
            runner.fate(of: .publicAddress, in: InstanceDescription(id: "probe", publicAddress: .fixedPublicIP))
        },
        Probe(
            id: "fate-public-ip-converted",
            group: "Resource fate",
            question: "Fixed public IP converted to an EIP first (seed 001)"
        ) { runner in
            runner.fate(
                of: .publicAddress,
                in: InstanceDescription(id: "probe", publicAddress: .fixedPublicIP),
                after: .convertPublicIPToElasticIP
            )
        },
        Probe(id: "fate-eip", group: "Resource fate", question: "Elastic IP") { runner in
            runner.fate(of: .publicAddress, in: ProbeRunner.richInstance)
        },
        Probe(id: "billing-compute", group: "Billing", question: "Compute stops billing") { runner in
            runner.billingStop(.compute)
        },
        Probe(id: "billing-disk", group: "Billing", question: "Disks stop billing") { runner in
            runner.billingStop(.disk)
        },
        Probe(id: "billing-eip", group: "Billing", question: "Elastic IP stops billing") { runner in
            runner.billingStop(.elasticIP)
        },
    ]
}

extension String {
    func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
