import AliyunECS
import ReleaseCore
import TestSupport
import Testing

/// What DescribeInstances shows of an instance's stop mode and locks, stated as the rules and checked over every
/// charge, stop mode and security lock together (so a rule cannot hold only for the combination an example picks).
@Suite("ECS DescribeInstances: StoppedMode and OperationLocks")
struct AliyunDescribeAttributesTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var payAsYouGo: Bool
        /// The mode the instance was stopped in, or nil when it is left running.
        var stop: StopChargingMode?
        var securityLocked: Bool
        var testDescription: String {
            "\(payAsYouGo ? "pay-as-you-go" : "subscription"), "
                + (stop.map { "stopped \($0)" } ?? "running") + (securityLocked ? ", security-locked" : "")
        }
    }

    static let rows: [Row] = [true, false].flatMap { payAsYouGo in
        [nil, StopChargingMode.keepCharging, .stopCharging].flatMap { stop in
            [false, true].map { Row(payAsYouGo: payAsYouGo, stop: stop, securityLocked: $0) }
        }
    }

    @Test(
        """
        AD4: StoppedMode is the stop's mode for a stopped pay-as-you-go instance and Not-applicable otherwise \
        (a subscription, or not stopped); AD1: a security lock shows as OperationLocks LockReason=security
        """,
        arguments: rows
    )
    func attributes(row: Row) throws {
        let charge: ChargeType = row.payAsYouGo ? .payAsYouGo : .subscription(expiresAt: t0 + .days(30))
        var simulation = try launch(InstanceDescription(id: "i-1", charge: charge))
        if let mode = row.stop {
            try simulation.perform(.stop(chargingMode: mode), at: t0 + .minutes(1))
        }
        if row.securityLocked {
            simulation.handle(.securityLocked, at: t0 + .minutes(2))
        }
        let attributes = try #require(simulation.machine.attributes)
        let expectedMode: ECSInstanceAttributes.StoppedMode
        switch row.stop {
        case nil: expectedMode = .notApplicable
        case .keepCharging?: expectedMode = row.payAsYouGo ? .keepCharging : .notApplicable
        case .stopCharging?: expectedMode = row.payAsYouGo ? .stopCharging : .notApplicable
        }
        #expect(attributes.status == (row.stop == nil ? .running : .stopped))
        #expect(attributes.stoppedMode == expectedMode)
        #expect(attributes.operationLocks == (row.securityLocked ? [.security] : []))
    }
}
