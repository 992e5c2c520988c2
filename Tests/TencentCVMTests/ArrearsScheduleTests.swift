import ReleaseCore
import TencentCVM
import TestSupport
import Testing

/// Issue 23 (B): seed 002's table offers scheduled destruction to accounts not in arrears (定时销毁（未欠费）),
/// and an instance shut down for arrears is isolated (isolated instances do not support the operation).
@Suite("Tencent scheduled destruction and arrears")
struct ArrearsScheduleTests {
    @Test(
        "T2 定时销毁（未欠费）: a schedule on an instance isolated for arrears is refused with ImportInstancesActionTimer's own code",
        arguments: [TencentRules.seed, TencentRules.newer]
    )
    func scheduleRefusedWhileIsolated(rules: TencentRules) {
        var simulation = launch(rules: rules)
        _ = simulation.handle(.arrearsBegan, at: t0)
        simulation.advance(to: t0 + .hours(3))
        #expect(simulation.machine.phase == .suspended)
        let code = refusalCode(&simulation, .scheduleRelease(at: t0 + .hours(4)), at: t0 + .hours(3))
        #expect(code == TencentErrorCode.actionTimerNotSupported.rawValue)
        // Nothing set: the arrears release (26 h in the seed profile) still governs.
        #expect(simulation.machine.scheduledDestructionTime == nil)
        simulation.advance(to: t0 + .hours(4))
        #expect(simulation.machine.phase == .suspended)
    }

    @Test("T2 定时销毁（未欠费）: a schedule while the account is in arrears, still running its 2 billed hours, is refused")
    func scheduleRefusedInArrearsRunning() {
        var simulation = launch()
        _ = simulation.handle(.arrearsBegan, at: t0)
        let code = refusalCode(&simulation, .scheduleRelease(at: t0 + .hours(1)), at: t0 + .minutes(10))
        #expect(code == TencentErrorCode.actionTimerNotSupported.rawValue)
    }

    @Test("T2: after a top-up the account is not in arrears and scheduled destruction is offered again")
    func scheduleAfterTopUp() throws {
        var simulation = launch()
        _ = simulation.handle(.arrearsBegan, at: t0)
        _ = simulation.handle(.balanceRestored, at: t0 + .hours(3))
        try simulation.perform(.scheduleRelease(at: t0 + .hours(5)), at: t0 + .hours(3))
        #expect(simulation.machine.scheduledDestructionTime == t0 + .hours(5))
    }

    @Test(
        "TM9: a schedule set before arrears began stays in force and, due first, releases the instance (never via the bin)"
    )
    func scheduleSetBeforeArrearsStays() throws {
        var simulation = launch()
        try simulation.perform(.scheduleRelease(at: t0 + .hours(10)), at: t0)
        _ = simulation.handle(.arrearsBegan, at: t0 + .hours(1))
        simulation.advance(to: t0 + .hours(4))
        #expect(simulation.machine.phase == .suspended)
        #expect(simulation.machine.scheduledDestructionTime == t0 + .hours(10))
        simulation.advance(to: t0 + .hours(10))
        #expect(simulation.machine.phase == .released)
        #expect(simulation.machine.restorableUntil == nil)
    }

    @Test("TD11: StartInstances on an instance isolated for arrears answers its own InstanceStateShutdown")
    func startWhileIsolated() {
        var simulation = launch()
        _ = simulation.handle(.arrearsBegan, at: t0)
        let code = refusalCode(&simulation, .start, at: t0 + .hours(3))
        #expect(code == TencentErrorCode.stateShutdown.rawValue)
    }
}
