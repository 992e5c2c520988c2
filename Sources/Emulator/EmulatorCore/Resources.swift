package import ProviderRegistry
package import ReleaseCore

/// How a disk looks on the wire: what the launch request said of it, or the emulator's display default.
///
/// The models decide a disk's fate and billing from its role and `DeleteWithInstance`; its category and size
/// decide nothing, so they are kept only to be shown back (ECS DescribeDisks, CBS DescribeDisks).
package struct DiskShape: Sendable, Codable, Equatable {
    /// ECS `Category` (`cloud_essd`) or CBS `DiskType` (`CLOUD_PREMIUM`).
    package var category: String
    /// GiB.
    package var size: Int

    /// Every stored property, as the memberwise initialiser takes them (package: front ends build it).
    package init(
        category: String,
        size: Int,
    ) {
        self.category = category
        self.size = size
    }
}

/// What a launch request says of an instance's network and login that the models do not decide, kept to be shown
/// back by DescribeInstances (ECS `SecurityGroupId`, `VSwitchId`, `KeyPairName`, ...; CVM `SecurityGroupIds`,
/// `VirtualPrivateCloud`, `LoginSettings.KeyIds`, ...).
package struct NetworkAttributes: Sendable, Codable, Equatable {
    package var securityGroupIDs: [String] = []
    package var vpcID: String?
    /// ECS `VSwitchId`, CVM `SubnetId`.
    package var subnetID: String?
    /// ECS `PayByBandwidth`/`PayByTraffic`, CVM `TRAFFIC_POSTPAID_BY_HOUR`/`BANDWIDTH_POSTPAID_BY_HOUR`/...
    package var internetChargeType: String?
    package var internetMaxBandwidthIn: Int?
    package var internetMaxBandwidthOut: Int?
    /// ECS `KeyPairName`, CVM `LoginSettings.KeyIds`.
    package var keyNames: [String] = []
    package var ioOptimized: Bool?

    /// Every stored property, as the memberwise initialiser takes them (package: front ends build it).
    package init(
        securityGroupIDs: [String] = [],
        vpcID: String? = nil,
        subnetID: String? = nil,
        internetChargeType: String? = nil,
        internetMaxBandwidthIn: Int? = nil,
        internetMaxBandwidthOut: Int? = nil,
        keyNames: [String] = [],
        ioOptimized: Bool? = nil,
    ) {
        self.securityGroupIDs = securityGroupIDs
        self.vpcID = vpcID
        self.subnetID = subnetID
        self.internetChargeType = internetChargeType
        self.internetMaxBandwidthIn = internetMaxBandwidthIn
        self.internetMaxBandwidthOut = internetMaxBandwidthOut
        self.keyNames = keyNames
        self.ioOptimized = ioOptimized
    }
}

/// One resource of an emulated instance as the providers' listings show it: disks, snapshots and the public
/// address, in the instance description's order, following the models' fates after a release.
package struct ListedResource {
    /// Which resource.
    package enum Item {
        case disk(Disk, index: Int, shape: DiskShape)
        case snapshot(Snapshot, index: Int)
        case address(PublicAddress)
    }

    /// Where the resource stands.
    package enum Standing: Equatable {
        /// Its instance lives (running, stopped, in arrears or in Tencent's recycle bin): attached to it.
        case attached
        /// Its instance was released and the model kept it (`ResourceFate.retained`): on its own, billed on its own.
        case kept
        /// Its instance was released and the model moved it to the disk recycle bin.
        case inDiskRecycleBin
    }

    var instanceID: String
    package var item: Item
    package var standing: Standing
}

extension Emulator {
    /// How a disk of the record is shown: as its launch request gave it, else its role's display default.
    package func diskShape(_ disk: Disk, at index: Int, of record: InstanceRecord) -> DiskShape {
        if let shapes = record.diskShapes, index < shapes.count { return shapes[index] }
        let shapes = configuration.frontEnd(record.kind).resourceShapes
        return disk.role == .system ? shapes.systemDisk : shapes.dataDisk
    }

    /// The resources of one instance, in the description's order: every one while the instance lives; after a
    /// release only those the model kept or moved to the disk recycle bin (a released resource is gone).
    package func listedResources(of record: InstanceRecord) -> [ListedResource] {
        let machine = machine(record)
        let description = machine.instance
        let isReleased = machine.phase == .released
        let fates = isReleased ? machine.resourceFates : []
        func standing(_ resource: Resource) -> ListedResource.Standing? {
            guard isReleased else { return .attached }
            switch fates.first(where: { $0.resource == resource })?.fate {
            case .retained?: return .kept
            case .movedToDiskRecycleBin?: return .inDiskRecycleBin
            case .released?, nil: return nil
            }
        }
        var listed: [ListedResource] = []
        for (index, disk) in description.disks.enumerated() {
            guard let standing = standing(.disk(index)) else { continue }
            let shape = diskShape(disk, at: index, of: record)
            listed.append(
                ListedResource(
                    instanceID: record.id,
                    item: .disk(disk, index: index, shape: shape),
                    standing: standing
                )
            )
        }
        for (index, snapshot) in description.snapshots.enumerated() {
            guard let standing = standing(.snapshot(index)) else { continue }
            listed.append(
                ListedResource(
                    instanceID: record.id,
                    item: .snapshot(snapshot, index: index),
                    standing: standing
                )
            )
        }
        if description.publicAddress != .none, let standing = standing(.publicAddress) {
            listed.append(
                ListedResource(
                    instanceID: record.id,
                    item: .address(description.publicAddress),
                    standing: standing
                )
            )
        }
        return listed
    }

    /// A resource's wire id, derived from its instance's: the provider's prefix (its front end's
    /// ``ResourceShapes``) + the instance id's suffix + the disk's or snapshot's own id (`system`, `data1`); an
    /// elastic IP has the prefix and suffix alone [MODEL EM11].
    package static func resourceID(_ item: ListedResource.Item, instanceID: String, shapes: ResourceShapes) -> String {
        let suffix = instanceID.split(separator: "-", maxSplits: 1).last.map(String.init) ?? instanceID
        switch item {
        case .disk(let disk, _, _): return diskID(disk, instanceID: instanceID, shapes: shapes)
        case .snapshot(let snapshot, _): return "\(shapes.snapshotIDPrefix)\(suffix)-\(snapshot.id)"
        case .address: return "\(shapes.addressIDPrefix)\(suffix)"
        }
    }

    /// A disk's wire id: the provider's disk prefix + the instance id's suffix + the disk's own id [MODEL EM11].
    package static func diskID(_ disk: Disk, instanceID: String, shapes: ResourceShapes) -> String {
        let suffix = instanceID.split(separator: "-", maxSplits: 1).last.map(String.init) ?? instanceID
        return "\(shapes.diskIDPrefix)\(suffix)-\(disk.id)"
    }

    /// The instance's public IP address, derived from its sequence in the emulator (documentation range
    /// 203.0.113.0/24 is too small for a fleet, so 100.64.0.0/10, shared address space, never routed) [MODEL EM11].
    package func publicIPAddress(of record: InstanceRecord) -> String {
        let number = UInt32(truncatingIfNeeded: handle(record).index) & 0x3F_FFFF
        return "100.\(64 + (number >> 16) & 0x3F).\((number >> 8) & 0xFF).\(number & 0xFF)"
    }

    /// The instance's private IP address, derived the same way, in 172.16.0.0/12 [MODEL EM11].
    package func privateIPAddress(of record: InstanceRecord) -> String {
        let number = UInt32(truncatingIfNeeded: handle(record).index) & 0xF_FFFF
        return "172.\(16 + (number >> 16) & 0x0F).\((number >> 8) & 0xFF).\(number & 0xFF)"
    }

    /// The regions a listing shows: the provider's public ones, then any other region the account has instances of
    /// that provider in (the emulator serves every region name it is sent), labelled by their own name.
    package func listedRegions(
        _ known: [(region: String, name: String)],
        kind: ProviderModel.Kind,
        account: String
    ) -> [(region: String, name: String)] {
        var regions = known
        var seen = Set(known.map(\.region))
        for id in order {
            guard let record = records[id], record.kind == kind, record.account == account,
                seen.insert(record.region).inserted
            else { continue }
            regions.append((record.region, record.region))
        }
        return regions
    }

    /// The zones a listing shows in a region: `defaults`, then any other zone the account's instances of that
    /// provider are in [MODEL EM11].
    package func listedZones(
        _ defaults: [String],
        kind: ProviderModel.Kind,
        account: String,
        region: String
    ) -> [String] {
        var zones = defaults
        var seen = Set(defaults)
        for id in order {
            guard let record = records[id], record.kind == kind, record.account == account, record.region == region,
                seen.insert(record.zone).inserted
            else { continue }
            zones.append(record.zone)
        }
        return zones
    }
}

/// One page of a listing by offset and count, clamped to the entries there are.
package func pageOf<Entry>(_ entries: [Entry], from first: Int, count: Int) -> [Entry] {
    first >= entries.count ? [] : Array(entries[first..<min(entries.count, first + count)])
}
