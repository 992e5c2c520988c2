import AliyunECS
import ReleaseCore
import TencentCVM
import Testing

/// Issue 23: a refusal carries the refused action's own code. Every command is tried in every state the
/// walk reaches (both providers, both profiles), and each refusal's code must be one its API's error list
/// names (``AliyunErrorCode/documented(_:)``, ``TencentErrorCode/documented(_:)``: the same data the refusal
/// sites pick from), each listed code with its source.
@Suite("Each refusal's code is in the refused command's documented list")
struct ErrorCatalogueTests {
    static let start = Instant(iso8601: "2026-01-01T00:00:00Z")!

    /// A way to reach a state: what to launch, then events and commands at offsets from the launch.
    struct Setup: CustomTestStringConvertible, Sendable {
        enum Step: Sendable {
            case at(Seconds, Event)
            case command(Seconds, Command)
        }
        var name: String
        var charge: ChargeType = .payAsYouGo
        var protected = false
        var phase: LaunchPhase = .running
        var steps: [Step] = []
        var testDescription: String { name }
    }

    static let subscription = ChargeType.subscription(expiresAt: start + .days(30))

    /// Every launch phase directly (so each transitional state is reached whatever a command would do in the
    /// model), then the states that commands and events lead to.
    static let setups: [Setup] =
        LaunchPhase.allCases.map { Setup(name: "launched \($0.rawValue)", phase: $0) } + [
            Setup(name: "stopping", steps: [.command(Seconds(0), .stop())]),
            Setup(name: "stopped", steps: [.command(Seconds(0), .stop()), .at(Seconds(1), .transitionCompleted)]),
            Setup(name: "protected", protected: true),
            Setup(name: "scheduled", steps: [.command(Seconds(0), .scheduleRelease(at: start + .hours(2)))]),
            Setup(name: "in arrears, running", steps: [.at(Seconds(0), .arrearsBegan)]),
            Setup(
                name: "in arrears, shut down",
                steps: [.at(Seconds(0), .arrearsBegan), .at(.hours(3), .transitionCompleted)]
            ),
            Setup(
                name: "overdue 16 days",
                steps: [.at(Seconds(0), .arrearsBegan), .at(.days(16), .transitionCompleted)]
            ),
            Setup(name: "subscription", charge: subscription),
            Setup(name: "subscription expired", charge: subscription, steps: [.at(.days(31), .transitionCompleted)]),
            Setup(name: "subscription refunded", charge: subscription, steps: [.at(Seconds(0), .subscriptionRefunded)]),
            Setup(name: "security-locked", steps: [.at(Seconds(0), .securityLocked)]),
            Setup(name: "recycle bin", steps: [.command(Seconds(0), .release())]),
            Setup(name: "subscription in the bin", charge: subscription, steps: [.command(Seconds(0), .release())]),
            Setup(name: "released", steps: [.at(Seconds(0), .systemRelease(.scaleIn))]),
        ]

    /// Every command, with the variants that reach each check.
    static func commands(at now: Instant) -> [Command] {
        [
            .stop(), .stop(chargingMode: .stopCharging), .start,
            .release(), .release([.force]), .release([.dryRun]), .release([.force, .terminateSubscription]),
            .release([.immediately]), .release([.releaseAddress]), .release([.force, .graceful]),
            .scheduleRelease(at: now + Seconds(10)), .scheduleRelease(at: now + .hours(1)),
            .scheduleRelease(at: now + .days(4 * 366)), .cancelScheduledRelease,
            .setProtection(true), .setProtection(false), .restore,
            .renew(until: now + .days(60)), .renew(until: now + Seconds(-1)),
        ]
    }

    /// Runs the setup, then each command on a copy; returns every refusal.
    static func refusals<Machine: ReleaseStateMachine>(
        _ setup: Setup,
        launch: (InstanceDescription, LaunchPhase) throws -> Simulation<Machine>
    ) throws -> [ReleaseError] {
        let description = InstanceDescription(id: "i-1", charge: setup.charge, isProtected: setup.protected)
        var simulation = try launch(description, setup.phase)
        for step in setup.steps {
            switch step {
            case .at(let offset, let event):
                simulation.advance(to: start + offset)
                _ = simulation.handle(event, at: start + offset)
            case .command(let offset, let command):
                simulation.advance(to: start + offset)
                _ = try? simulation.perform(command, at: start + offset)
            }
        }
        let now = simulation.now
        var found: [ReleaseError] = []
        for command in commands(at: now) {
            var copy = simulation
            do { _ = try copy.perform(command, at: now) } catch { found.append(error) }
        }
        return found
    }

    static func check(_ refusals: [ReleaseError], against documented: (CommandKind) -> DocumentedErrors) {
        for error in refusals {
            let list = documented(error.command)
            #expect(
                list.lists(error.code),
                "\(error.provider) \(error.command) (\(list.api)) refused with \(error.code), not in its list: \(error.message)"
            )
        }
    }

    @Test("ECS: every refusal's code is in its API's error list", arguments: setups)
    func aliyun(setup: Setup) throws {
        var total = 0
        for rules in AliyunRules.all {
            let found = try Self.refusals(setup) { description, phase in
                let (machine, effects) = try AliyunECS(rules: rules).launch(description, in: phase, at: Self.start)
                return Simulation(machine: machine, launchEffects: effects, at: Self.start)
            }
            total += found.count
            Self.check(found, against: AliyunErrorCode.documented)
        }
        #expect(total > 0)
    }

    @Test("CVM: every refusal's code is in its API's error list (with API 3.0's common codes)", arguments: setups)
    func tencent(setup: Setup) throws {
        var total = 0
        for rules in TencentRules.all {
            let found = try Self.refusals(setup) { description, phase in
                let (machine, effects) = try TencentCVM(rules: rules).launch(description, in: phase, at: Self.start)
                return Simulation(machine: machine, launchEffects: effects, at: Self.start)
            }
            total += found.count
            Self.check(found, against: TencentErrorCode.documented)
        }
        #expect(total > 0)
    }

    @Test("Launch refusals and batch refusals are in RunInstances' and the batch APIs' lists")
    func launchAndBatch() throws {
        var refusals: [ReleaseError] = []
        let protectedSubscription = InstanceDescription(id: "i-1", charge: Self.subscription, isProtected: true)
        do { _ = try AliyunECS().launch(protectedSubscription, in: .running, at: Self.start) } catch {
            refusals.append(error)
        }
        let plain = InstanceDescription(id: "i-1")
        do { _ = try AliyunECS().launch(plain, in: .running, standing: .inArrears, at: Self.start) } catch {
            refusals.append(error)
        }
        Self.check(refusals, against: AliyunErrorCode.documented)
        var cvm: [ReleaseError] = []
        do { _ = try TencentCVM().launch(plain, in: .running, standing: .inArrears, at: Self.start) } catch {
            cvm.append(error)
        }
        Self.check(cvm, against: TencentErrorCode.documented)
        #expect(refusals.count == 2)
        #expect(cvm.count == 1)
    }

    @Test("ModifyInstanceAutoReleaseTime on a released instance answers its own NoSuchResource (AD3)")
    func autoReleaseTimeNotFoundIsItsOwn() throws {
        let (machine, effects) = try AliyunECS().launch(InstanceDescription(id: "i-1"), in: .running, at: Self.start)
        var simulation = Simulation(machine: machine, launchEffects: effects, at: Self.start)
        _ = try simulation.perform(.release([.force]), at: Self.start)
        for command in [Command.scheduleRelease(at: Self.start + .hours(1)), .cancelScheduledRelease] {
            var copy = simulation
            #expect(throws: ReleaseError.self) { _ = try copy.perform(command, at: Self.start) }
            do { _ = try copy.perform(command, at: Self.start) } catch {
                #expect(error.code == AliyunErrorCode.noSuchResource.code)
                #expect(error.httpStatus == 404)
            }
        }
        // DeleteInstance keeps its own InvalidInstanceId.NotFound (AD1).
        var again = simulation
        do { _ = try again.perform(.release([.force]), at: Self.start) } catch {
            #expect(error.code == AliyunErrorCode.notFound.code)
        }
    }

    @Test("Every listed code cites a source, and the lists name the APIs")
    func listsCiteSources() {
        for kind in CommandKind.allCases {
            for list in [AliyunErrorCode.documented(kind), TencentErrorCode.documented(kind)] {
                #expect(list.command == kind)
                #expect(!list.api.isEmpty)
                #expect(!list.codes.isEmpty)
                for (code, citation) in list.codes {
                    #expect(!citation.document.isEmpty, "\(list.api) \(code) has no source")
                }
            }
        }
    }
}
