import AliyunECS
import ProviderRegistry
import ReleaseCore
import TencentCVM
import Testing

/// A machine is its id and its lifecycle: a fleet stores the lifecycle alone and joins the id back when it hands
/// a machine out (Docs/Performance.md, "Machines without their ids").
@Suite("Machines without their ids")
struct MachineLifecycleTests {
    private static let t0 = Instant(secondsSince1970: 1_767_225_600)

    private static let launches: [(ProviderModel.Kind, InstanceDescription)] = [
        (.aliyun, InstanceDescription(id: "i-a", publicAddress: .elasticIP)),
        (.tencent, InstanceDescription(id: "ins-t", charge: .subscription(expiresAt: t0 + .days(30)))),
    ]

    @Test("A machine taken apart into its id and lifecycle and joined again is the same machine", arguments: [0, 1])
    func joinedAgain(launch: Int) throws {
        let (kind, description) = Self.launches[launch]
        var (machine, _) = try ProviderModel(kind).launch(description, at: Self.t0, as: BuiltInInstance.self)
        _ = try machine.perform(.release(ProviderModel(kind).directReleaseFlags), at: Self.t0 + .hours(1))
        let joined = BuiltInInstance(id: description.id, lifecycle: machine.lifecycle)
        #expect(joined == machine)
        #expect(joined.instance == machine.instance)
        #expect(joined.instance.id == description.id)
        #expect(joined.lifecycle.phase == machine.phase)
        // Another id makes another instance of the same lifecycle.
        #expect(BuiltInInstance(id: "other", lifecycle: machine.lifecycle) != machine)
    }

    @Test("A fleet hands out each machine with its own id, and stores the lifecycle the machine has")
    func fleetJoinsIDs() throws {
        var fleet = Fleet<BuiltInInstance>(startingAt: Self.t0)
        for (kind, description) in Self.launches {
            let (machine, effects) = try ProviderModel(kind).launch(description, at: Self.t0, as: BuiltInInstance.self)
            let handle = try fleet.add(machine, launchEffects: effects, account: "a", at: Self.t0)
            #expect(fleet[handle] == machine)
            #expect(fleet[handle].instance.id == description.id)
            #expect(fleet.withMachine(handle) { $0 } == machine.lifecycle)
            #expect(fleet.handle(named: description.id) == handle)
        }
    }

    /// The replay holds a million of these: the id was 16 bytes of every one of them, and the reader's table holds the
    /// id already; a machine of 64 bytes is one cache line. A field added to a machine shows here and in
    /// Docs/Performance.md's figures.
    @Test("A package machine without its id is one cache line: 64 bytes, where a machine with its id took 96")
    func lifecycleSize() {
        #expect(MemoryLayout<ProviderMachine<NoRegisteredMachine>>.stride <= 64)
        #expect(MemoryLayout<AliyunMachine>.stride <= 64)
        #expect(MemoryLayout<TencentMachine>.stride <= 64)
        #expect(MemoryLayout<BuiltInInstance>.stride >= MemoryLayout<ProviderMachine<NoRegisteredMachine>>.stride + 16)
        // The launch: the shape's reference, the charge in 32 bits, three small fields in one byte.
        #expect(MemoryLayout<InstanceLaunch>.size <= 13)
        // The core, with the machines' own flags in its padding: the providers' states fit the 3 bytes after it.
        #expect(MemoryLayout<MachineCore>.size <= 61)
    }
}
