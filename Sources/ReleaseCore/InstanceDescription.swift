/// How an instance is paid for.
public enum ChargeType: Hashable, Sendable, Codable {
    /// Billed per second of use (`PostPaid`, `POSTPAID_BY_HOUR`); spot instances count here.
    case payAsYouGo
    /// Paid up front until `expiresAt` (`PrePaid`, `PREPAID`).
    case subscription(expiresAt: Instant)

    /// A subscription's expiry; nil for pay-as-you-go.
    public var expiresAt: Instant? {
        switch self {
        case .payAsYouGo: return nil
        case .subscription(let expiresAt): return expiresAt
        }
    }

    /// Whether the instance is pay-as-you-go.
    public var isPayAsYouGo: Bool {
        if case .payAsYouGo = self { return true }
        return false
    }
}

/// The part a disk plays on its instance.
public enum DiskRole: String, Hashable, Sendable, Codable, CaseIterable {
    /// The boot disk.
    case system
    /// A cloud data disk.
    case data
    /// A local (ephemeral) disk on the host.
    case local
}

/// A disk attached to an instance.
public struct Disk: Hashable, Sendable, Codable {
    /// The disk's id, unique within its instance.
    public var id: String
    /// System, data or local.
    public var role: DiskRole
    /// `DeleteWithInstance`: a cloud disk is released with the instance when true.
    public var deleteWithInstance: Bool
    /// An elastic (portable) cloud disk: it follows its own lifecycle rather than the instance's.
    public var isElastic: Bool
    /// `DeleteAutoSnapshot`: the disk's automatic snapshots are deleted when the disk is released.
    public var deleteAutoSnapshots: Bool

    /// Creates a disk; defaults are the providers' defaults for a disk created with the instance.
    public init(
        id: String,
        role: DiskRole,
        deleteWithInstance: Bool = true,
        isElastic: Bool = false,
        deleteAutoSnapshots: Bool = true
    ) {
        self.id = id
        self.role = role
        self.deleteWithInstance = deleteWithInstance
        self.isElastic = isElastic
        self.deleteAutoSnapshots = deleteAutoSnapshots
    }
}

/// Whether a snapshot was taken by a policy or by hand.
public enum SnapshotKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// Taken by an automatic snapshot policy.
    case automatic
    /// Taken by a user.
    case manual
}

/// A snapshot of one of the instance's disks.
public struct Snapshot: Hashable, Sendable, Codable {
    /// The snapshot's id.
    public var id: String
    /// The id of the disk it was taken from.
    public var diskID: String
    /// Automatic or manual.
    public var kind: SnapshotKind

    /// Creates a snapshot record.
    public init(id: String, diskID: String, kind: SnapshotKind) {
        self.id = id
        self.diskID = diskID
        self.kind = kind
    }
}

/// The public address an instance has.
public enum PublicAddress: String, Hashable, Sendable, Codable, CaseIterable {
    /// No public address.
    case none
    /// A public IP assigned with the instance (not an EIP).
    case fixedPublicIP
    /// An elastic IP address bound to the instance.
    case elasticIP
}

/// Everything about an instance that decides what its release does, but its id: what a machine holds.
///
/// A machine does not hold its instance's id: the holder (a fleet's index, a replay's reader, the emulator's
/// table) keeps ids, once, and a machine's ``ReleaseStateMachine/instance`` joins the two. A million machines are
/// then 16 bytes smaller each (Docs/Performance.md, "Machines without their ids").
public struct InstanceLaunch: Hashable, Sendable {
    /// The region, disks and snapshots, which a launch fixes and many instances share: one reference held by
    /// every description copied from the same one, so a machine is a cache line and a half smaller and a million
    /// launched alike hold one array of disks (Docs/Performance.md, "A shared launch shape"). A subscription whose
    /// expiry does not fit the 32-bit charge (before 1970 or after early 2106) keeps it here, in a shape of its own.
    @usableFromInline final class Shape: Sendable {
        // Read through the launch's inlinable getters, so that a caller that counts or walks the disks reads them in
        // place rather than taking a reference of its own to count in and out (twice a launch, once a release).
        @usableFromInline let region: String
        @usableFromInline let disks: [Disk]
        @usableFromInline let snapshots: [Snapshot]
        /// The expiry of a subscription whose charge is ``InstanceLaunch/wideCharge``; read for no other.
        @usableFromInline let wideExpiry: Instant

        init(region: String, disks: [Disk], snapshots: [Snapshot], wideExpiry: Instant = .init(secondsSince1970: 0)) {
            self.region = region
            self.disks = disks
            self.snapshots = snapshots
            self.wideExpiry = wideExpiry
        }

        /// This shape with the given parts replaced.
        func replacing(
            region: String? = nil,
            disks: [Disk]? = nil,
            snapshots: [Snapshot]? = nil,
            wideExpiry: Instant? = nil
        ) -> Shape {
            Shape(
                region: region ?? self.region,
                disks: disks ?? self.disks,
                snapshots: snapshots ?? self.snapshots,
                wideExpiry: wideExpiry ?? self.wideExpiry
            )
        }

        func hasSameContents(as other: Shape) -> Bool {
            self === other || (region == other.region && disks == other.disks && snapshots == other.snapshots)
        }
    }

    // A machine holds its launch, a million times over (Docs/Performance.md, "A machine in one cache line"): the shape's
    // reference, the charge in 32 bits and the three small fields in one byte, 13 bytes where they took 20.
    @usableFromInline var shape: Shape
    /// The charge: `payAsYouGoCharge`; a subscription's expiry in seconds since 1970, plus one; or `wideCharge`, a
    /// subscription whose expiry is the shape's.
    @usableFromInline var chargeSlot: UInt32
    /// `isSpot` (bit 0), `isProtected` (bit 1) and the public address's place in `PublicAddress.allCases`
    /// (bits 2 and 3).
    @usableFromInline var flags: UInt8

    @usableFromInline static var payAsYouGoCharge: UInt32 { 0 }
    @usableFromInline static var wideCharge: UInt32 { .max }

    /// The region; a batch release may not cross regions.
    public var region: String {
        @inlinable get { shape.region }
        set { shape = shape.replacing(region: newValue) }
    }
    /// The instance's disks; exactly one should have the `system` role.
    public var disks: [Disk] {
        @inlinable get { shape.disks }
        set { shape = shape.replacing(disks: newValue) }
    }
    /// Snapshots of the instance's disks.
    public var snapshots: [Snapshot] {
        @inlinable get { shape.snapshots }
        set { shape = shape.replacing(snapshots: newValue) }
    }
    /// Pay-as-you-go or subscription.
    @inlinable public var charge: ChargeType {
        get {
            switch chargeSlot {
            case Self.payAsYouGoCharge: return .payAsYouGo
            case Self.wideCharge: return .subscription(expiresAt: shape.wideExpiry)
            default: return .subscription(expiresAt: Instant(packed: chargeSlot))
            }
        }
        set { setCharge(newValue) }
    }

    @usableFromInline mutating func setCharge(_ charge: ChargeType) {
        switch charge {
        case .payAsYouGo:
            chargeSlot = Self.payAsYouGoCharge
        case .subscription(let expiresAt):
            if let packed = expiresAt.packed {
                chargeSlot = packed
            } else {
                shape = shape.replacing(wideExpiry: expiresAt)
                chargeSlot = Self.wideCharge
            }
        }
    }

    /// A spot (preemptible) instance; billed as pay-as-you-go.
    @inlinable public var isSpot: Bool {
        get { flags[bits: 1] }
        set { flags[bits: 1] = newValue }
    }
    /// Release protection (`DeletionProtection`, `DisableApiTermination`) at launch.
    @inlinable public var isProtected: Bool {
        get { flags[bits: 2] }
        set { flags[bits: 2] = newValue }
    }
    /// The public address.
    @inlinable public var publicAddress: PublicAddress {
        get {
            switch flags >> 2 & 3 {
            case 0: return .none
            case 1: return .fixedPublicIP
            default: return .elasticIP
            }
        }
        set {
            let place: UInt8
            switch newValue {
            case .none: place = 0
            case .fixedPublicIP: place = 1
            case .elasticIP: place = 2
            }
            flags = flags & ~12 | place << 2
        }
    }

    /// Creates a launch; the defaults are those of ``InstanceDescription``, but the disks, which have no default
    /// here (the default system disk's id is made from the instance's).
    public init(
        region: String = "region-1",
        charge: ChargeType = .payAsYouGo,
        isSpot: Bool = false,
        disks: [Disk],
        snapshots: [Snapshot] = [],
        publicAddress: PublicAddress = .none,
        isProtected: Bool = false
    ) {
        self.shape = Shape(region: region, disks: disks, snapshots: snapshots)
        self.chargeSlot = Self.payAsYouGoCharge
        self.flags = 0
        self.charge = charge
        self.isSpot = isSpot
        self.publicAddress = publicAddress
        self.isProtected = isProtected
    }

    public static func == (lhs: InstanceLaunch, rhs: InstanceLaunch) -> Bool {
        lhs.charge == rhs.charge && lhs.isSpot == rhs.isSpot && lhs.publicAddress == rhs.publicAddress
            && lhs.isProtected == rhs.isProtected && lhs.shape.hasSameContents(as: rhs.shape)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(region)
        hasher.combine(disks)
        hasher.combine(snapshots)
        hasher.combine(charge)
        hasher.combine(isSpot)
        hasher.combine(publicAddress)
        hasher.combine(isProtected)
    }
}

/// Everything about an instance that decides what its release does: its id and its ``InstanceLaunch``.
///
/// A description is plain data: the providers read it, and a provider may refuse to launch one it does
/// not allow (for example release protection on a subscription instance).
public struct InstanceDescription: Hashable, Sendable, Codable {
    /// The most disks (the system disk included) one instance may have; a launch with more is refused with
    /// `InvalidParameter` (CAP [MODEL]: the meters bill each disk with one bit of a 64-bit mask; ECS sells 16 data
    /// disks, CVM 21).
    public static var maximumDisks: Int { MachineCore.maximumDisks }
    /// The most snapshots one instance may have, for the same reason.
    public static var maximumSnapshots: Int { MachineCore.maximumSnapshots }

    /// The instance id.
    public var id: String
    /// Everything else: what a machine holds.
    public var launch: InstanceLaunch

    /// The region; a batch release may not cross regions.
    public var region: String {
        get { launch.region }
        set { launch.region = newValue }
    }
    /// The instance's disks; exactly one should have the `system` role.
    public var disks: [Disk] {
        get { launch.disks }
        set { launch.disks = newValue }
    }
    /// Snapshots of the instance's disks.
    public var snapshots: [Snapshot] {
        get { launch.snapshots }
        set { launch.snapshots = newValue }
    }
    /// Pay-as-you-go or subscription.
    public var charge: ChargeType {
        get { launch.charge }
        set { launch.charge = newValue }
    }
    /// A spot (preemptible) instance; billed as pay-as-you-go.
    public var isSpot: Bool {
        get { launch.isSpot }
        set { launch.isSpot = newValue }
    }
    /// The public address.
    public var publicAddress: PublicAddress {
        get { launch.publicAddress }
        set { launch.publicAddress = newValue }
    }
    /// Release protection (`DeletionProtection`, `DisableApiTermination`) at launch.
    public var isProtected: Bool {
        get { launch.isProtected }
        set { launch.isProtected = newValue }
    }

    /// Creates a description; the defaults are a pay-as-you-go instance with one system disk.
    public init(
        id: String,
        region: String = "region-1",
        charge: ChargeType = .payAsYouGo,
        isSpot: Bool = false,
        disks: [Disk]? = nil,
        snapshots: [Snapshot] = [],
        publicAddress: PublicAddress = .none,
        isProtected: Bool = false
    ) {
        self.id = id
        self.launch = InstanceLaunch(
            region: region,
            charge: charge,
            isSpot: isSpot,
            disks: disks ?? [Disk(id: "\(id)-system", role: .system)],
            snapshots: snapshots,
            publicAddress: publicAddress,
            isProtected: isProtected
        )
    }

    /// The description of instance `id` launched as `launch`.
    public init(id: String, launch: InstanceLaunch) {
        self.id = id
        self.launch = launch
    }

    /// This description for another instance, `id`, launched the same way under `charge`: its region, disks
    /// (their ids too) and snapshots are shared with this one, not copied (a replay launches a million instances
    /// from a few shapes), and its spot, public address and protection are this one's until set. A subscription
    /// expiring after early 2106 is the exception: its expiry does not fit the launch's 32-bit charge, so it gets a
    /// shape of its own (one allocation).
    public func launching(id: String, charge: ChargeType) -> InstanceDescription {
        var description = self
        description.id = id
        description.charge = charge
        return description
    }

    private enum CodingKeys: String, CodingKey {
        case id, region, disks, snapshots, charge, isSpot, publicAddress, isProtected
    }

    /// Reads the fields in the order the synthesised decoder did, so the first bad one is the one reported.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decode(String.self, forKey: .id)
        let region = try container.decode(String.self, forKey: .region)
        let disks = try container.decode([Disk].self, forKey: .disks)
        let snapshots = try container.decode([Snapshot].self, forKey: .snapshots)
        let charge = try container.decode(ChargeType.self, forKey: .charge)
        let isSpot = try container.decode(Bool.self, forKey: .isSpot)
        let publicAddress = try container.decode(PublicAddress.self, forKey: .publicAddress)
        let isProtected = try container.decode(Bool.self, forKey: .isProtected)
        self.init(
            id: id,
            region: region,
            charge: charge,
            isSpot: isSpot,
            disks: disks,
            snapshots: snapshots,
            publicAddress: publicAddress,
            isProtected: isProtected
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(region, forKey: .region)
        try container.encode(disks, forKey: .disks)
        try container.encode(snapshots, forKey: .snapshots)
        try container.encode(charge, forKey: .charge)
        try container.encode(isSpot, forKey: .isSpot)
        try container.encode(publicAddress, forKey: .publicAddress)
        try container.encode(isProtected, forKey: .isProtected)
    }
}
