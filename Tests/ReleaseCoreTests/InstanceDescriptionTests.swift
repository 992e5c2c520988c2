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

    /// Charges the 32-bit slot holds, and ones it cannot: 1970's first second, the last it holds (early 2106), the
    /// first after it, and the supported range's last second (9999), which the shape keeps; and instants before 1970,
    /// which an `Instant` can hold, though no document of the package has one.
    static let charges: [ChargeType] = [
        .payAsYouGo,
        .subscription(expiresAt: Instant(secondsSince1970: -1)),
        .subscription(expiresAt: Instant(secondsSince1970: -31_536_000)),
        .subscription(expiresAt: Instant(secondsSince1970: 0)),
        .subscription(expiresAt: Instant(secondsSince1970: Int64(UInt32.max) - 2)),
        .subscription(expiresAt: Instant(secondsSince1970: Int64(UInt32.max) - 1)),
        .subscription(expiresAt: Instant.supportedRange.upperBound),
    ]

    @Test("A launch's packed charge and flags read back what was set, however set", arguments: charges)
    func packedLaunch(charge: ChargeType) {
        for address in PublicAddress.allCases {
            for (isSpot, isProtected) in [(false, false), (true, false), (false, true), (true, true)] {
                var launch = Self.shaped.launch
                // Each flag set the other way first, so that setting it clears what it must.
                launch.isSpot = !isSpot
                launch.isProtected = !isProtected
                launch.charge = charge
                launch.publicAddress = address
                launch.isSpot = isSpot
                launch.isProtected = isProtected
                #expect(launch.charge == charge)
                #expect(launch.publicAddress == address)
                #expect(launch.isSpot == isSpot)
                #expect(launch.isProtected == isProtected)
                #expect(launch.region == Self.shaped.region && launch.disks == Self.shaped.disks)
                let built = InstanceLaunch(
                    region: Self.shaped.region,
                    charge: charge,
                    isSpot: isSpot,
                    disks: Self.shaped.disks,
                    snapshots: Self.shaped.snapshots,
                    publicAddress: address,
                    isProtected: isProtected
                )
                #expect(launch == built)
                #expect(launch.hashValue == built.hashValue)
            }
        }
    }

    @Test("A charge that left the shape's wide expiry behind is equal to one that never had it")
    func wideExpiryLeftBehind() {
        let far = Instant.supportedRange.upperBound
        var launch = Self.shaped.launch
        launch.charge = .subscription(expiresAt: far)
        #expect(launch != Self.shaped.launch)
        launch.region = "ap-guangzhou"
        #expect(launch.charge == .subscription(expiresAt: far))
        launch.region = Self.shaped.region
        launch.charge = .payAsYouGo
        #expect(launch == Self.shaped.launch)
        #expect(launch.hashValue == Self.shaped.launch.hashValue)
    }
}
