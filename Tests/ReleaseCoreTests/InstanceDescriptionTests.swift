import Foundation
import ReleaseCore
import Testing

@Suite("Instance descriptions: plain values whose launch shape is shared")
struct InstanceDescriptionTests {
    static let shaped = InstanceDescription(
        id: "i-1",
        region: "cn-hangzhou",
        disks: [Disk(id: "sys", role: .system), Disk(id: "d1", role: .data, deleteWithInstance: false)],
        snapshots: [Snapshot(id: "s1", diskID: "sys", kind: .automatic)],
        publicAddress: .elasticIP
    )

    @Test("A description launched from another keeps its shape and takes its own id, charge and flags")
    func launching() {
        let expiry = Instant(secondsSince1970: 1_800_000_000)
        var other = Self.shaped.launching(id: "i-2", charge: .subscription(expiresAt: expiry))
        #expect(other.region == "cn-hangzhou")
        #expect(other.disks == Self.shaped.disks)
        #expect(other.snapshots == Self.shaped.snapshots)
        #expect(other.id == "i-2")
        #expect(other.charge == .subscription(expiresAt: expiry))
        // Spot, public address and protection are the original's until set.
        #expect(other.publicAddress == .elasticIP)
        #expect(!other.isSpot)
        #expect(!other.isProtected)
        other.isProtected = true
        #expect(!Self.shaped.isProtected)
        let built = InstanceDescription(
            id: "i-2",
            region: "cn-hangzhou",
            charge: .subscription(expiresAt: expiry),
            disks: Self.shaped.disks,
            snapshots: Self.shaped.snapshots,
            publicAddress: .elasticIP,
            isProtected: true
        )
        #expect(other == built)
        #expect(other.hashValue == built.hashValue)
    }

    @Test("Changing a shared field of one copy leaves the other unchanged (value semantics)")
    func valueSemantics() {
        var copy = Self.shaped
        copy.region = "ap-guangzhou"
        copy.disks.append(Disk(id: "d2", role: .local))
        copy.snapshots.removeAll()
        #expect(Self.shaped.region == "cn-hangzhou")
        #expect(Self.shaped.disks.count == 2)
        #expect(Self.shaped.snapshots.count == 1)
        #expect(copy.disks.count == 3)
        #expect(copy != Self.shaped)
        copy.region = "cn-hangzhou"
        copy.disks.removeLast()
        copy.snapshots = Self.shaped.snapshots
        #expect(copy == Self.shaped)
        #expect(copy.hashValue == Self.shaped.hashValue)
    }

    @Test("JSON has every field under its name and decodes back; a missing field is an error")
    func codable() throws {
        let data = try JSONEncoder().encode(Self.shaped)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(
            Set(object.keys)
                == ["id", "region", "disks", "snapshots", "charge", "isSpot", "publicAddress", "isProtected"]
        )
        #expect(try JSONDecoder().decode(InstanceDescription.self, from: data) == Self.shaped)
        var partial = object
        partial["region"] = nil
        let withoutRegion = try JSONSerialization.data(withJSONObject: partial)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(InstanceDescription.self, from: withoutRegion) }
    }
}
