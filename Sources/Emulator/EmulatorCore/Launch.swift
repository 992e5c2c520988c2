import FleetReplay
package import ProviderRegistry
package import ReleaseCore
package import Reporting

/// A create request in wire-neutral terms: what RunInstances/CreateInstance of either provider (and the
/// control plane's seeding call) ask for.
package struct LaunchOrder {
    package var kind: ProviderModel.Kind
    package var account: String
    package var region: String
    var charge: ChargeType
    /// `.running` (RunInstances) or `.stopped` (ECS CreateInstance).
    var phase: LaunchPhase
    package var count = 1
    /// Given ids instead of the emulator's own (the control plane seeds known instances).
    var ids: [String]? = nil
    package var isSpot = false
    package var isProtected = false
    package var scheduledRelease: Instant? = nil
    package var timerReleasesAddress = false
    package var dataDisks: [(deleteWithInstance: Bool, isLocal: Bool)] = []
    /// Each data disk's category and size, beside `dataDisks` (shown back by the disk listings).
    package var dataDiskShapes: [DiskShape] = []
    /// The system disk's category and size when the request gives them.
    package var systemDisk: DiskShape? = nil
    package var network = NetworkAttributes()
    package var userData: String? = nil
    package var hasPublicIP = false
    /// The public address is an elastic IP rather than a fixed public IP (the control plane's seeding).
    var isElasticIP = false
    /// Snapshots of the system disk, by kind (the control plane's seeding).
    var snapshots: [SnapshotKind] = []
    package var zone = ""
    package var instanceType = ""
    package var imageID = ""
    package var name: String? = nil
    /// One name per instance when the provider numbers a batch's names (``NameSequence``).
    package var names: [String]? = nil
    package var instanceDescription: String? = nil
    package var hostName: String? = nil
    /// One host name per instance (ECS `UniqueSuffix`).
    package var hostNames: [String]? = nil
    package var tags: [InstanceTag] = []
    package var isDryRun = false
    package var requestID = ""
    package var action = "RunInstances"

    /// The trace words for what the models know of the disks, address and spot.
    var extras: TraceRecord.LaunchExtras {
        TraceRecord.LaunchExtras(
            dataDisks: dataDisks.map { $0.isLocal ? .local : ($0.deleteWithInstance ? .delete : .keep) },
            publicAddress: isElasticIP ? .elasticIP : (hasPublicIP ? .fixedPublicIP : .none),
            snapshots: snapshots,
            isSpot: isSpot
        )
    }

    /// Every stored property, as the memberwise initialiser takes them (package: front ends build it).
    package init(
        kind: ProviderModel.Kind,
        account: String,
        region: String,
        charge: ChargeType,
        phase: LaunchPhase,
        ids: [String]? = nil,
        scheduledRelease: Instant? = nil,
        dataDisks: [(deleteWithInstance: Bool, isLocal: Bool)] = [],
        dataDiskShapes: [DiskShape] = [],
        systemDisk: DiskShape? = nil,
        userData: String? = nil,
        snapshots: [SnapshotKind] = [],
        name: String? = nil,
        names: [String]? = nil,
        instanceDescription: String? = nil,
        hostName: String? = nil,
        hostNames: [String]? = nil,
        tags: [InstanceTag] = [],
    ) {
        self.kind = kind
        self.account = account
        self.region = region
        self.charge = charge
        self.phase = phase
        self.ids = ids
        self.scheduledRelease = scheduledRelease
        self.dataDisks = dataDisks
        self.dataDiskShapes = dataDiskShapes
        self.systemDisk = systemDisk
        self.userData = userData
        self.snapshots = snapshots
        self.name = name
        self.names = names
        self.instanceDescription = instanceDescription
        self.hostName = hostName
        self.hostNames = hostNames
        self.tags = tags
    }
}

extension Emulator {
    /// Launches every instance of an order, or none: each is launched (and its release scheduled) on its own
    /// machine first, with the account's standing, so a refusal records nothing; a dry run stops there.
    package mutating func launch(_ order: LaunchOrder) throws(APIError) -> (ids: [JSONValue], rules: [String]) {
        let frontEnd = configuration.frontEnd(order.kind)
        let model = configuration.model(order.kind)
        let standing = fleet.standing(of: order.account)
        // The ids the emulator would give, taken from its counter only once the whole order is accepted.
        // The emulator's next free ids (a seeded instance may hold one), taken from its counter only once the whole
        // order is accepted.
        var ids = order.ids ?? []
        var lastNumber = instanceCounter
        while order.ids == nil, ids.count < order.count {
            lastNumber &+= 1
            let id = Self.instanceID(number: lastNumber, shape: frontEnd.instanceIDShape)
            if records[id] == nil { ids.append(id) }
        }
        for id in ids where records[id] != nil || fleet.handle(named: id) != nil {
            throw APIError("InvalidParameter", status: 409, "An instance \(id.prefix(64)) exists already.")
        }
        var launched: [(AnyInstance, [Effect], InstanceRecord)] = []
        var rules: [String] = []
        for (index, id) in ids.enumerated() {
            // The instance is exactly what its journaled `launch` line describes (disks, public address, spot), so a
            // restart from the journal, and `cloud-release replay` of it, rebuild the same machine.
            let description = TraceRecord.launchDescription(
                id: id,
                charge: order.charge,
                isProtected: order.isProtected,
                extras: order.extras
            )
            do {
                var (machine, effects) = try model.launch(description, in: .running, standing: standing, at: now)
                if order.phase == .stopped {
                    // ECS CreateInstance creates a Stopped instance: a launch and a stop in the same second, as the
                    // journal writes it (compute keeps billing while stopped, A0/AD4).
                    effects += try machine.perform(.stop(force: false, chargingMode: .keepCharging), at: now)
                }
                if let time = order.scheduledRelease {
                    effects += try machine.perform(.scheduleRelease(at: time), at: now)
                }
                rules += effects.citedSources.filter { !rules.contains($0) }
                var record = InstanceRecord(
                    id: id,
                    kind: order.kind,
                    account: order.account,
                    region: order.region,
                    zone: order.zone.isEmpty ? "\(order.region)-a" : order.zone,
                    instanceType: order.instanceType,
                    imageID: order.imageID,
                    name: order.names?[index] ?? order.name ?? id,
                    isSpot: order.isSpot,
                    hasPublicIP: order.hasPublicIP,
                    createdAt: now,
                    startedAt: order.phase == .running ? now : nil
                )
                record.latestOperation = .init(name: order.action, requestID: order.requestID)
                record.timerReleasesAddress = order.timerReleasesAddress
                record.instanceDescription = order.instanceDescription
                record.hostName = order.hostNames?[index] ?? order.hostName
                record.tags = order.tags.isEmpty ? nil : order.tags
                record.diskShapes =
                    order.dataDiskShapes.isEmpty && order.systemDisk == nil
                    ? nil : [order.systemDisk ?? frontEnd.resourceShapes.systemDisk] + order.dataDiskShapes
                record.network = order.network == NetworkAttributes() ? nil : order.network
                record.userData = order.userData
                if configuration.settleAfterDescribes > 0, order.phase == .running {
                    record.shownTransition = .pending
                    record.describesUntilSettled = configuration.settleAfterDescribes
                }
                if let durations = configuration.transitionSeconds, order.phase == .running {
                    record.shownTransition = .pending
                    record.settlesAt = settleTime(after: durations.launch)
                }
                launched.append((machine, effects, record))
            } catch {
                throw APIError(error)
            }
        }
        if order.isDryRun { throw frontEnd.dryRunPassed }
        if order.ids == nil { instanceCounter = lastNumber }
        for (machine, effects, record) in launched {
            var stored = record
            if let prefix = frontEnd.scheduledReleaseTimerPrefix, order.scheduledRelease != nil {
                stored.actionTimerID = newTimerID(prefix: prefix)
            }
            do {
                try add(machine, effects: effects, record: stored)
            } catch {
                throw APIError(error)
            }
            journal.record(
                TraceRecord(
                    time: now,
                    account: order.account,
                    instance: record.id,
                    operation: .launch(order.kind, order.charge, isProtected: order.isProtected, extras: order.extras)
                )
            )
            if order.phase == .stopped {
                journal.record(
                    TraceRecord(
                        time: now,
                        account: order.account,
                        instance: record.id,
                        operation: .stop(force: false, chargingMode: .keepCharging)
                    )
                )
            }
            if let time = order.scheduledRelease {
                journal.record(
                    TraceRecord(
                        time: now,
                        account: order.account,
                        instance: record.id,
                        operation: .scheduleRelease(time)
                    )
                )
            }
            journal.touch(record.id)
        }
        return (ids.map { .string($0) }, rules)
    }
}

/// The names a provider gives the instances of one create request: each provider's wire module adds its own
/// sequence (`NameSequence.aliyun`, `NameSequence.tencent`) over the shared group replacement.
package enum NameSequence {
    /// `text` with each `open…close` group that `replacement` answers replaced; other groups kept as written.
    package static func replacingGroups(
        in text: String,
        open: Character,
        close: Character,
        replacement: (Substring) -> String?
    ) -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.firstIndex(of: open), let end = rest[start...].firstIndex(of: close) {
            result += rest[..<start]
            let inside = rest[rest.index(after: start)..<end]
            result += replacement(inside) ?? String(rest[start...end])
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
