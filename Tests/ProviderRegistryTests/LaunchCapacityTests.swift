import ProviderRegistry
import ReleaseCore
import Testing

/// The package's capacity (CAP [MODEL], `InstanceDescription.maximumDisks`): the meters bill one bit per disk and per
/// snapshot, so an instance with more is refused at launch by every provider and profile, with the provider named,
/// never a trap in the meters.
@Suite("Launch capacity")
struct LaunchCapacityTests {
    static let cases: [(ProviderModel, Int, Int, Bool)] = ProviderModel.allModels.flatMap { model in
        [(64, 0, true), (65, 0, false), (1, 64, true), (1, 65, false), (300, 300, false)].map {
            (model, $0.0, $0.1, $0.2)
        }
    }

    @Test(
        "CAP: more than 64 disks or 64 snapshots is refused at launch (InvalidParameter); at the bound it launches",
        arguments: cases
    )
    func capacity(model: ProviderModel, disks: Int, snapshots: Int, launches: Bool) {
        var instanceDisks = [Disk(id: "system", role: .system)]
        for index in 1..<disks { instanceDisks.append(Disk(id: "data\(index)", role: .data)) }
        let description = InstanceDescription(
            id: "i-1",
            disks: instanceDisks,
            snapshots: (0..<snapshots).map { Snapshot(id: "s\($0)", diskID: "system", kind: .manual) }
        )
        let start = Instant(iso8601: "2026-01-01T00:00:00Z")!
        do {
            let (machine, effects) = try model.launch(description, at: start)
            #expect(launches, "\(model)")
            // Each disk bills on its own bit, the 64th too: the launch starts each one's meter, and all of them run.
            let started = effects.compactMap { effect -> Int? in
                if case .meterStarted(.disk(let index)) = effect { return index }
                return nil
            }
            #expect(started == Array(0..<disks), "\(model)")
            let billedDisks = machine.runningMeters.all.compactMap { meter -> Int? in
                if case .disk(let index) = meter { return index }
                return nil
            }
            #expect(billedDisks == Array(0..<disks), "\(model)")
            #expect((0..<snapshots).allSatisfy { machine.runningMeters.contains(.snapshot($0)) }, "\(model)")
        } catch {
            #expect(!launches, "\(model)")
            #expect(error.code == "InvalidParameter")
            #expect(error.provider == model.kind.providerType.id)
            #expect(error.source.code == MachineCore.capacitySource.code)
            #expect(error.chineseMessage != nil)
        }
    }

    @Test("REG1: a batch release holding another provider's instance is refused (InvalidParameter), not a trap")
    func mixedBatch() throws {
        let start = Instant(iso8601: "2026-01-01T00:00:00Z")!
        for model in ProviderModel.allModels {
            let other = ProviderModel.allModels.first { $0.kind != model.kind }!
            var machines = [
                try model.launch(InstanceDescription(id: "i-own"), at: start).0,
                try other.launch(InstanceDescription(id: "i-other"), at: start).0,
            ]
            let before = machines
            do {
                _ = try model.releaseBatch(&machines, flags: [], at: start)
                Issue.record("\(model): a mixed batch was accepted")
            } catch {
                #expect(error.code.rawValue == "InvalidParameter")
                #expect(error.source.code == "REG1")
                #expect(error.message.contains("i-other"))
            }
            #expect(machines.map(\.phase) == before.map(\.phase))
        }
    }
}
