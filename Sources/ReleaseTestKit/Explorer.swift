public import ReleaseCore

/// Exhaustive bounded exploration: every sequence over an alphabet of actions, up to a depth, from each
/// starting instance, with every law checked after every step.
public struct Explorer<Machine: ReleaseStateMachine>: Sendable {
    /// What the exploration covered.
    public struct Report: Hashable, Sendable, CustomStringConvertible {
        public var subject: String
        public var depth: Int
        public var alphabet: Int
        public var startingPoints: Int
        /// Sequences explored (every prefix counts, so this is the number of steps checked).
        public var sequences: Int
        /// Distinct (phase, protection, pending deadlines relative to now, running meters) states reached.
        public var distinctStates: Int
        /// Sequences cut short because an action's precondition did not hold.
        public var pruned: Int
        public var violation: (Violation, [TestAction])?

        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.description == rhs.description
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(description) }

        public var description: String {
            let outcome = violation.map { "VIOLATION \($0.0) after \($0.1)" } ?? "0 violations"
            return "\(subject): depth \(depth), alphabet \(alphabet), \(startingPoints) starting points, "
                + "\(sequences) sequences, \(distinctStates) distinct states, \(pruned) pruned; \(outcome)"
        }
    }

    public var subject: Subject<Machine>
    public var laws: [Law<Machine>]
    public var alphabet: [TestAction]
    public var depth: Int

    public init(subject: Subject<Machine>, laws: [Law<Machine>] = Laws.all(), alphabet: [TestAction], depth: Int) {
        self.subject = subject
        self.laws = laws
        self.alphabet = alphabet
        self.depth = depth
    }

    private struct StateKey: Hashable {
        var phase: Phase
        var isProtected: Bool
        var deadlines: [DeadlineKind: Int64]
        var meters: [Meter]
    }

    /// Explores every sequence from each starting instance.
    public func explore(from starts: [(InstanceDescription, LaunchPhase)]) -> Report {
        var report = Report(
            subject: subject.name,
            depth: depth,
            alphabet: alphabet.count,
            startingPoints: starts.count,
            sequences: 0,
            distinctStates: 0,
            pruned: 0
        )
        var states: Set<StateKey> = []
        let executor = Executor(subject: subject, laws: laws)
        for (instance, phase) in starts {
            guard let (machine, effects) = try? subject.launch(instance, phase, testKitStart) else { continue }
            var ledger = MeterLedger()
            ledger.record(effects, at: testKitStart)
            var path: [TestAction] = []
            visit(
                machine: machine,
                now: testKitStart,
                ledger: ledger,
                fates: [:],
                path: &path,
                executor: executor,
                report: &report,
                states: &states
            )
            if report.violation != nil { break }
        }
        report.distinctStates = states.count
        return report
    }

    private func visit(
        machine: Machine,
        now: Instant,
        ledger: MeterLedger,
        fates: [Resource: Int],
        path: inout [TestAction],
        executor: Executor<Machine>,
        report: inout Report,
        states: inout Set<StateKey>
    ) {
        states.insert(
            StateKey(
                phase: machine.phase,
                isProtected: machine.isProtected,
                deadlines: Dictionary(
                    uniqueKeysWithValues: machine.pendingDeadlines.map { ($0.kind, ($0.at - now).count) }
                ),
                meters: machine.runningMeters.all
            )
        )
        guard path.count < depth, report.violation == nil else { return }
        for action in alphabet {
            guard let resolved = action.resolve(now: now, machine: machine) else {
                report.pruned += 1
                continue
            }
            var after = machine
            var afterLedger = ledger
            var afterNow = now
            let (result, fired) = Executor.apply(resolved, to: &after, ledger: &afterLedger, now: &afterNow)
            var afterFates = fates
            if case .success(let effects) = result {
                for case .resourceFate(let resource, _, _) in effects { afterFates[resource, default: 0] += 1 }
            }
            report.sequences += 1
            let context = StepContext(
                index: path.count,
                action: action,
                resolved: resolved,
                before: machine,
                after: after,
                nowBefore: now,
                nowAfter: afterNow,
                result: result,
                fired: fired,
                ledgerBefore: ledger,
                ledgerAfter: afterLedger,
                fateEffects: afterFates,
                subject: subject
            )
            path.append(action)
            for law in executor.laws {
                if let message = law.check(context) {
                    report.violation = (Violation(law: law.name, message: message, step: path.count - 1), path)
                    path.removeLast()
                    return
                }
            }
            visit(
                machine: after,
                now: afterNow,
                ledger: afterLedger,
                fates: afterFates,
                path: &path,
                executor: executor,
                report: &report,
                states: &states
            )
            path.removeLast()
            if report.violation != nil { return }
        }
    }
}
