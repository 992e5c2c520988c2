import ReleaseCore
import TencentCVM
import Testing

/// The package's capacity (CAP [MODEL]): the meters bill one bit per disk and per snapshot, so an instance
/// with more is refused at launch with the provider named, never a trap in the meters.
@Suite("TencentCVM: launch capacity")
struct LaunchCapacityTests {
    @Test(
        "CAP: an instance with more than 64 disks or 64 snapshots is refused at launch (InvalidParameter), at the bound it launches",
        arguments: [(64, 0, true), (65, 0, false), (1, 64, true), (1, 65, false), (300, 300, false)]
    )
    func capacity(disks: Int, snapshots: Int, launches: Bool) throws {
        var instanceDisks = [Disk(id: "system", role: .system)]
        for index in 1..<disks { instanceDisks.append(Disk(id: "data\(index)", role: .data)) }
        let description = InstanceDescription(
            id: "ins-1",
            disks: instanceDisks,
            snapshots: (0..<snapshots).map { Snapshot(id: "s\($0)", diskID: "system", kind: .manual) }
        )
        do {
            _ = try TencentCVM().launch(description, at: t0)
            #expect(launches)
        } catch {
            #expect(!launches)
            #expect(error.code == "InvalidParameter")
            #expect(error.provider == TencentCVM.id)
            #expect(error.source.code == MachineCore.capacitySource.code)
            #expect(error.chineseMessage != nil)
        }
    }
}
