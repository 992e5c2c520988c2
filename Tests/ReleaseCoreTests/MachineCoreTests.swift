import ReleaseCore
import Testing

/// The shared half of the machines, driven directly: the transitions every provider asks the core for, so each
/// row holds even where no provider's command reaches it today (a stopping instance in no-charge mode is only
/// observed, never commanded).
@Suite("Machine core: the transitions the providers share")
struct MachineCoreTests {
    /// One row: a transitional state, the state it settles into, and whether compute bills afterwards.
    struct SettleRow: Sendable, CustomTestStringConvertible {
        let from: LiveState
        let to: LiveState
        let computeBills: Bool
        var testDescription: String { "\(from) settles into \(to), compute \(computeBills ? "billing" : "stopped")" }
    }

    static let settleRows: [SettleRow] = [
        SettleRow(from: .pending, to: .running, computeBills: true),
        SettleRow(from: .starting, to: .running, computeBills: true),
        SettleRow(from: .stopping(.keepCharging), to: .stopped(.keepCharging), computeBills: true),
        SettleRow(from: .stopping(.stopCharging), to: .stopped(.stopCharging), computeBills: false),
    ]

    private static func launched(
        _ charge: ChargeType = .payAsYouGo,
        isSpot: Bool = false,
        publicAddress: PublicAddress = .none,
        isProtected: Bool = false
    ) throws -> MachineCore {
        var effects: [Effect] = []
        var core = MachineCore(
            holding: InstanceDescription(
                id: "i-core",
                charge: charge,
                isSpot: isSpot,
                publicAddress: publicAddress,
                isProtected: isProtected
            ).launch
        )
        try core.start(
            billsElasticIP: false,
            provider: ProviderID(rawValue: "test"),
            phase: .running,
            subscriptionExpiryRank: 3,
            into: &effects
        )
        return core
    }

    @Test("Settling a transitional state: economical mode stops compute (AD4, TD10)", arguments: settleRows)
    func settle(row: SettleRow) throws {
        var core = try Self.launched()
        var effects: [Effect] = []
        let settled = core.settle(row.from, citing: "AD4", into: &effects)
        #expect(settled == row.to)
        #expect(effects.contains(.phaseChanged(from: row.from.phase, to: row.to.phase)))
        #expect(core.meters.contains(.compute) == row.computeBills)
        #expect(effects.contains(.meterStopped(.compute)) == !row.computeBills)
    }

    @Test(
        "Settling a settled state is no transition",
        arguments: [LiveState.running, .stopped(.keepCharging), .stopped(.stopCharging)]
    )
    func settleSettled(state: LiveState) throws {
        var core = try Self.launched()
        var effects: [Effect] = []
        #expect(core.settle(state, citing: "AD4", into: &effects) == nil)
        #expect(effects.isEmpty)
    }

    @Test(
        "Stopping a running instance: only economical mode stops compute (AD4, TD10)",
        arguments: StopChargingMode.allCases
    )
    func stopRunning(mode: StopChargingMode) throws {
        var core = try Self.launched()
        var effects: [Effect] = []
        #expect(core.stopRunning(mode: mode, citing: "AD4", into: &effects) == .stopped(mode))
        #expect(core.meters.contains(.compute) == (mode == .keepCharging))
    }
}

extension MachineCoreTests {
    /// One instance's shape: everything but the charge may vary, and none of it may start compute.
    struct StartRow: Sendable, CustomTestStringConvertible {
        let charge: ChargeType
        let isSpot: Bool
        let publicAddress: PublicAddress
        let isProtected: Bool
        var testDescription: String {
            "\(charge.isPayAsYouGo ? "pay-as-you-go" : "subscription"), spot \(isSpot), \(publicAddress), protected \(isProtected)"
        }
    }

    static let startRows: [StartRow] = [
        ChargeType.payAsYouGo, .subscription(expiresAt: Instant(iso8601: "2027-01-01T00:00:00Z")!),
    ].flatMap { charge in
        [false, true].flatMap { isSpot in
            PublicAddress.allCases.flatMap { address in
                [false, true].map { StartRow(charge: charge, isSpot: isSpot, publicAddress: address, isProtected: $0) }
            }
        }
    }

    @Test(
        "Starting a stopped instance bills compute again only when it is pay-as-you-go: a subscription is prepaid, whatever else it has (A0)",
        arguments: startRows
    )
    func startStopped(row: StartRow) throws {
        var core = try Self.launched(
            row.charge,
            isSpot: row.isSpot,
            publicAddress: row.publicAddress,
            isProtected: row.isProtected
        )
        var effects: [Effect] = []
        _ = core.stopRunning(mode: .stopCharging, citing: "AD4", into: &effects)
        #expect(!core.meters.contains(.compute))
        effects.removeAll()
        #expect(core.startStopped(citing: "AD4", into: &effects) == .running)
        #expect(core.meters.contains(.compute) == row.charge.isPayAsYouGo)
        #expect(effects.contains(.meterStarted(.compute)) == row.charge.isPayAsYouGo)
    }
}

/// `ordinal` counts phases and fates without building `allCases` (the replay counts a million instances with it).
@Suite("Case ordinals")
struct OrdinalTests {
    @Test("A phase's ordinal is its place in allCases, and phases order by it", arguments: Phase.allCases)
    func phaseOrdinal(phase: Phase) {
        #expect(Phase.allCases.firstIndex(of: phase) == phase.ordinal)
        for other in Phase.allCases {
            #expect((phase < other) == (Phase.allCases.firstIndex(of: phase)! < Phase.allCases.firstIndex(of: other)!))
        }
    }

    @Test("A resource fate's ordinal is its place in allCases", arguments: ResourceFate.allCases)
    func fateOrdinal(fate: ResourceFate) {
        #expect(ResourceFate.allCases.firstIndex(of: fate) == fate.ordinal)
    }
}
