public import ReleaseCore

/// The laws every provider model obeys, whatever its rules.
public enum Laws {
    /// Every standard law, in the order they are checked.
    public static func all<Machine: ReleaseStateMachine>() -> [Law<Machine>] {
        [
            releasedIsAbsorbing(), refusedCommandChangesNothing(), deterministic(), advanceIsAdditive(),
            protectionBlocksManualRelease(), protectionNeverBlocksAutomaticRelease(), noMeterOnReleasedInstance(),
            billingNeverDecreases(), ledgerMatchesMeters(), everyResourceHasOneFate(), resourceStatesAgree(),
            deadlinesFireOnTime(),
        ]
    }

    /// Once released, always released: commands are refused and change nothing, events do nothing.
    public static func releasedIsAbsorbing<Machine: ReleaseStateMachine>() -> Law<Machine> {
        Law("released is absorbing", requirement: { _ in LawRequirement(phase: .released) }) { step in
            guard step.before.phase == .released else { return nil }
            if step.after.phase != .released { return "a released instance became \(step.after.phase)" }
            if step.after != step.before { return "a released instance changed" }
            if case .command = step.resolved, case .success = step.result {
                return "a command on a released instance was accepted"
            }
            if case .success(let effects) = step.result, !effects.isEmpty {
                return "an event on a released instance had effects"
            }
            return nil
        }
    }

    /// A refused command leaves the machine exactly as it was, and the caller's effect buffer too.
    public static func refusedCommandChangesNothing<Machine: ReleaseStateMachine>() -> Law<Machine> {
        Law("a refused command changes nothing", requirement: { step in LawRequirement(phase: step.before.phase) }) {
            step in
            guard case .failure(let error) = step.result else { return nil }
            if step.after != step.before { return "refused with \(error.code) but the instance changed" }
            if error.phase != step.before.phase {
                return "the error says phase \(error.phase), the instance was \(step.before.phase)"
            }
            // The engine's form appends to a buffer it does not own: a refusal must leave it as it was.
            guard case .command(let command) = step.resolved else { return nil }
            var again = step.before
            let earlier: [Effect] = [.dataUnrecoverable]
            var buffer = earlier
            do throws(ReleaseError) {
                try again.perform(command, at: step.nowBefore, into: &buffer)
                return "refused with \(error.code) by perform(_:at:), accepted by perform(_:at:into:)"
            } catch {
                if buffer != earlier { return "refused with \(error.code) but appended to the caller's buffer" }
            }
            return nil
        }
    }

    /// The same step from the same state gives the same state and result.
    public static func deterministic<Machine: ReleaseStateMachine>() -> Law<Machine> {
        Law("same inputs, same outputs") { step in
            var again = step.before
            let result: Result<[Effect], ReleaseError>
            switch step.resolved {
            case .command(let command):
                do throws(ReleaseError) {
                    result = .success(try again.perform(command, at: step.nowBefore))
                } catch {
                    result = .failure(error)
                }
            case .event(let event):
                result = .success(again.handle(event, at: step.nowBefore))
            case .advance(let time):
                result = .success(again.advance(to: time).flatMap(\.effects))
            }
            if again != step.after { return "repeating the step gave a different state" }
            if result != step.result { return "repeating the step gave a different result" }
            return nil
        }
    }

    /// Advancing to t in two steps (via the midpoint) is the same as one step.
    public static func advanceIsAdditive<Machine: ReleaseStateMachine>() -> Law<Machine> {
        Law("advancing by a then b equals advancing by a + b") { step in
            guard case .advance(let time) = step.resolved else { return nil }
            let middle = Instant(
                secondsSince1970: step.nowBefore.secondsSince1970
                    + (time.secondsSince1970 - step.nowBefore.secondsSince1970) / 2
            )
            var split = step.before
            let first = split.advance(to: middle)
            let second = split.advance(to: time)
            if split != step.after { return "advancing via \(middle) gave a different state" }
            if (first + second) != step.fired { return "advancing via \(middle) fired different deadlines" }
            return nil
        }
    }

    /// A manual release of a protected instance is refused; where the refusal is not the protection code, the
    /// same release is refused for the same reason without protection (protection hides nothing).
    public static func protectionBlocksManualRelease<Machine: ReleaseStateMachine>() -> Law<Machine> {
        Law(
            "protection always blocks a manual release with the provider's code",
            requirement: { step in LawRequirement(error: step.subject.protectionCode) }
        ) { step in
            guard case .command(let command) = step.resolved, command.isManualRelease, step.before.isProtected,
                step.before.phase != .released
            else { return nil }
            guard case .failure(let error) = step.result else { return "a protected instance was released by hand" }
            if error.code.rawValue == step.subject.protectionCode { return nil }
            var twin = step.before
            guard (try? twin.perform(.setProtection(false), at: step.nowBefore)) != nil else { return nil }
            do {
                _ = try twin.perform(command, at: step.nowBefore)
                return
                    "refused with \(error.code), not \(step.subject.protectionCode), though only protection blocks it"
            } catch {
                return nil
            }
        }
    }

    /// Timers and system releases release the instance whether or not it is protected.
    public static func protectionNeverBlocksAutomaticRelease<Machine: ReleaseStateMachine>() -> Law<Machine> {
        // Which kinds release is the kind's own declaration (its owner's: the core or the provider module).
        return Law(
            "protection never blocks an automatic release",
            requirement: { _ in LawRequirement(phase: .released) }
        ) {
            step in
            for fired in step.fired {
                guard case .deadlineReached(let deadline) = fired.event, deadline.kind.releasesInstance,
                    !fired.effects.isEmpty
                else { continue }
                let released = fired.effects.contains {
                    if case .phaseChanged(_, .released) = $0 { true } else { false }
                }
                if !released { return "\(deadline.kind.rawValue) fired but did not release the instance" }
            }
            if case .event(.systemRelease) = step.resolved, step.before.phase != .released,
                step.after.phase != .released
            {
                return "a system release did not release the instance"
            }
            return nil
        }
    }

    /// A released instance bills nothing for compute or for released resources.
    public static func noMeterOnReleasedInstance<Machine: ReleaseStateMachine>() -> Law<Machine> {
        Law("no meter runs on a released instance") { step in
            guard step.after.phase == .released else { return nil }
            let meters = step.after.runningMeters
            if meters.contains(.compute) { return "compute is still billing after release" }
            for outcome in step.after.resourceFates where outcome.fate != .retained {
                let meter: Meter
                switch outcome.resource {
                case .disk(let index): meter = .disk(index)
                case .snapshot(let index): meter = .snapshot(index)
                case .publicAddress: meter = .elasticIP
                }
                if meters.contains(meter) { return "\(outcome.resource) was \(outcome.fate) but still bills" }
            }
            return nil
        }
    }

    /// Billed seconds up to now never go down.
    public static func billingNeverDecreases<Machine: ReleaseStateMachine>() -> Law<Machine> {
        Law("billed seconds never decrease") { step in
            let before = step.ledgerBefore.billedSeconds(from: testKitStart, to: step.nowBefore)
            let after = step.ledgerAfter.billedSeconds(from: testKitStart, to: step.nowAfter)
            return after < before ? "billed seconds went from \(before) to \(after)" : nil
        }
    }

    /// The meters the effects started and stopped are the meters the machine says are running.
    public static func ledgerMatchesMeters<Machine: ReleaseStateMachine>() -> Law<Machine> {
        Law("meter effects agree with the machine") { step in
            let open = Set(step.ledgerAfter.intervals.filter { $0.end == nil }.map(\.meter))
            let running = Set(step.after.runningMeters.all)
            return open == running ? nil : "effects say \(open.sorted()) bill, the machine says \(running.sorted())"
        }
    }

    /// After release each resource has exactly one fate, reported exactly once.
    public static func everyResourceHasOneFate<Machine: ReleaseStateMachine>() -> Law<Machine> {
        Law("every resource has exactly one fate") { step in
            let resources = step.after.instance.resources
            guard step.after.phase == .released else {
                if !step.after.resourceFates.isEmpty { return "fates are reported before release" }
                return step.fateEffects.isEmpty ? nil : "a resource met a fate before release"
            }
            let fated = step.after.resourceFates.map(\.resource)
            if fated.sorted() != resources.sorted() { return "fates cover \(fated), resources are \(resources)" }
            for resource in resources where step.fateEffects[resource] != 1 {
                return "\(resource) had \(step.fateEffects[resource] ?? 0) fate effects"
            }
            return nil
        }
    }

    /// A resource's state agrees with the rest of the machine: once released it is the resource's fate; before,
    /// nothing is released or in the disk recycle bin, only a public address is ever given up (and then compute
    /// does not bill: a no-charge stop) or held on its own (an idle EIP, billed on its own meter).
    public static func resourceStatesAgree<Machine: ReleaseStateMachine>() -> Law<Machine> {
        Law("resource states agree with fates and meters") { step in
            let machine = step.after
            let fates = Dictionary(machine.resourceFates.map { ($0.resource, $0.fate) }) { first, _ in first }
            for resource in machine.instance.resources {
                let state = machine.resourceState(of: resource)
                if machine.phase == .released {
                    guard let fate = fates[resource] else { return "\(resource) has no fate after release" }
                    if state != ResourceState(fate) { return "\(resource) is \(state) after release, its fate \(fate)" }
                    continue
                }
                switch state {
                case .attached:
                    continue
                case .released, .movedToDiskRecycleBin:
                    return "\(resource) is \(state) while the instance is \(machine.phase)"
                case .givenUp:
                    guard case .publicAddress = resource, machine.instance.publicAddress == .fixedPublicIP else {
                        return "\(resource) is given up, only a fixed public IP can be"
                    }
                    if machine.runningMeters.all.contains(.compute) {
                        return "the public IP is given up while compute bills (no no-charge stop)"
                    }
                case .retained:
                    guard case .publicAddress = resource, machine.runningMeters.all.contains(.elasticIP) else {
                        return "\(resource) is held on its own while the instance is \(machine.phase), with no meter"
                    }
                }
            }
            return nil
        }
    }

    /// Deadlines fire at their second (no earlier, no later), are never set in the past, and scheduled
    /// releases sit on the provider's precision (a whole minute on Aliyun).
    public static func deadlinesFireOnTime<Machine: ReleaseStateMachine>() -> Law<Machine> {
        Law("no deadline fires early or late, or off its precision") { step in
            for fired in step.fired {
                guard case .deadlineReached(let deadline) = fired.event else { continue }
                if fired.at != deadline.at {
                    return "\(deadline.kind.rawValue) due \(deadline.at) fired at \(fired.at)"
                }
            }
            if let overdue = step.after.pendingDeadlines.first(where: { $0.at <= step.nowAfter }),
                case .advance = step.resolved
            {
                return "\(overdue.kind.rawValue) due \(overdue.at) is still pending at \(step.nowAfter)"
            }
            var effects: [Effect] = []
            if case .success(let list) = step.result { effects = list }
            for case .deadlineSet(let deadline) in effects {
                if deadline.at < step.nowBefore { return "\(deadline.kind.rawValue) set in the past (\(deadline.at))" }
                let precision = step.subject.scheduledReleasePrecision.count
                if deadline.kind == .scheduledRelease && deadline.at.secondsSince1970 % precision != 0 {
                    return
                        "scheduled release at \(deadline.at) is off its \(step.subject.scheduledReleasePrecision) precision"
                }
            }
            return nil
        }
    }
}
