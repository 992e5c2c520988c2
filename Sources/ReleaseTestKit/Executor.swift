public import ReleaseCore

/// A law or invariant that failed, and where.
public struct Violation: Hashable, Sendable, CustomStringConvertible {
    /// The law's name.
    public var law: String
    /// What was wrong.
    public var message: String
    /// The step (0-based) after which it was found.
    public var step: Int
    /// What the law demanded of that step, where it can be written as an expectation.
    public var requirement: LawRequirement?

    public init(law: String, message: String, step: Int, requirement: LawRequirement? = nil) {
        self.law = law
        self.message = message
        self.step = step
        self.requirement = requirement
    }

    public var description: String { "step \(step + 1): \(law): \(message)" }
}

/// The outcome of running one case.
public enum CaseOutcome: Hashable, Sendable {
    /// Every law held; `steps` were executed.
    case passed(steps: Int)
    /// A law failed.
    case failed(Violation)
    /// The case cannot run: the provider refused the launch, or an action's precondition does not hold.
    case invalid
}

/// A resolved step, kept to print a counterexample.
public struct ExecutedStep: Hashable, Sendable {
    public var at: Instant
    public var resolved: ResolvedAction
}

/// Runs a case against a subject, checking laws after every step.
public struct Executor<Machine: ReleaseStateMachine>: Sendable {
    /// Applies one resolved step: the machine changes, the ledger records the effects, the clock moves.
    /// Returns the command's or event's effects (or the refusal), and the deadlines fired by a clock move.
    static func apply(
        _ resolved: ResolvedAction,
        to machine: inout Machine,
        ledger: inout MeterLedger,
        now: inout Instant
    ) -> (Result<[Effect], ReleaseError>, [Step]) {
        switch resolved {
        case .command(let command):
            do throws(ReleaseError) {
                let effects = try machine.perform(command, at: now)
                ledger.record(effects, at: now)
                return (.success(effects), [])
            } catch {
                return (.failure(error), [])
            }
        case .event(let event):
            let effects = machine.handle(event, at: now)
            ledger.record(effects, at: now)
            return (.success(effects), [])
        case .advance(let time):
            let fired = machine.advance(to: time)
            for step in fired { ledger.record(step.effects, at: step.at) }
            now = time
            return (.success(fired.flatMap(\.effects)), fired)
        }
    }

    public var subject: Subject<Machine>
    public var laws: [Law<Machine>]

    public init(subject: Subject<Machine>, laws: [Law<Machine>]) {
        self.subject = subject
        self.laws = laws
    }

    /// Runs `runCase`. With `strict`, an action whose precondition fails makes the case invalid (used while
    /// shrinking, so a shrunk case means what it says); otherwise that action is skipped.
    public func execute(
        _ runCase: RunCase,
        strict: Bool = false,
        record: ((ExecutedStep) -> Void)? = nil
    )
        -> CaseOutcome
    {
        var machine: Machine
        var ledger = MeterLedger()
        do {
            let (launched, effects) = try subject.launch(runCase.instance, runCase.launchPhase, testKitStart)
            machine = launched
            ledger.record(effects, at: testKitStart)
        } catch {
            return .invalid
        }
        var now = testKitStart
        var fateEffects: [Resource: Int] = [:]
        var executed = 0
        for (index, action) in runCase.actions.enumerated() {
            guard let resolved = action.resolve(now: now, machine: machine) else {
                if strict { return .invalid }
                continue
            }
            let before = machine
            let ledgerBefore = ledger
            let nowBefore = now
            let (result, fired) = Self.apply(resolved, to: &machine, ledger: &ledger, now: &now)
            if case .success(let effects) = result {
                for case .resourceFate(let resource, _, _) in effects { fateEffects[resource, default: 0] += 1 }
            }
            record?(ExecutedStep(at: nowBefore, resolved: resolved))
            let context = StepContext(
                index: index,
                action: action,
                resolved: resolved,
                before: before,
                after: machine,
                nowBefore: nowBefore,
                nowAfter: now,
                result: result,
                fired: fired,
                ledgerBefore: ledgerBefore,
                ledgerAfter: ledger,
                fateEffects: fateEffects,
                subject: subject
            )
            for law in laws {
                if let message = law.check(context) {
                    return .failed(
                        Violation(law: law.name, message: message, step: index, requirement: law.requirement(context))
                    )
                }
            }
            executed += 1
        }
        return .passed(steps: executed)
    }
}
