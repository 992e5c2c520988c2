/// The set of meters currently billing on one instance.
///
/// A small value type (two bit masks and two flags) so that a million instances stay cheap. Starting a
/// running meter or stopping a stopped one yields no effect, so providers can state what should be
/// running without tracking what already is.
public struct RunningMeters: Hashable, Sendable {
    // The masks first: the flags' byte then ends the value and a machine's next field can follow it, instead of
    // padding after the flags (Docs/Performance.md, "Machine layout"). Each mask is kept as two 32-bit halves, so
    // that the meters align to 4 bytes and follow the deadlines without padding (Docs/Performance.md, "A machine in
    // one cache line").
    private var diskLow: UInt32 = 0
    private var diskHigh: UInt32 = 0
    private var snapshotLow: UInt32 = 0
    private var snapshotHigh: UInt32 = 0
    /// Compute (bit 0) and the elastic IP (bit 1): one byte, so that a machine is one cache line.
    private var flags: UInt8 = 0

    private var computeRunning: Bool {
        get { flags[bits: 1] }
        set { flags[bits: 1] = newValue }
    }
    private var elasticIPRunning: Bool {
        get { flags[bits: 2] }
        set { flags[bits: 2] = newValue }
    }

    private var diskMask: UInt64 {
        get { UInt64(diskHigh) << 32 | UInt64(diskLow) }
        set {
            diskLow = UInt32(truncatingIfNeeded: newValue)
            diskHigh = UInt32(truncatingIfNeeded: newValue >> 32)
        }
    }
    private var snapshotMask: UInt64 {
        get { UInt64(snapshotHigh) << 32 | UInt64(snapshotLow) }
        set {
            snapshotLow = UInt32(truncatingIfNeeded: newValue)
            snapshotHigh = UInt32(truncatingIfNeeded: newValue >> 32)
        }
    }

    /// No meter running.
    public init() {}

    /// Whether `meter` is running.
    public func contains(_ meter: Meter) -> Bool {
        switch meter {
        case .compute: return computeRunning
        case .elasticIP: return elasticIPRunning
        case .disk(let index): return diskMask & (1 << UInt64(index)) != 0
        case .snapshot(let index): return snapshotMask & (1 << UInt64(index)) != 0
        }
    }

    /// Whether no meter is running.
    public var isEmpty: Bool { !computeRunning && !elasticIPRunning && diskMask == 0 && snapshotMask == 0 }

    /// All running meters in a stable order.
    public var all: [Meter] {
        var meters: [Meter] = []
        if computeRunning { meters.append(.compute) }
        for index in 0..<64 where diskMask & (1 << UInt64(index)) != 0 { meters.append(.disk(index)) }
        if elasticIPRunning { meters.append(.elasticIP) }
        for index in 0..<64 where snapshotMask & (1 << UInt64(index)) != 0 { meters.append(.snapshot(index)) }
        return meters
    }

    /// Starts `meter`, appending `.meterStarted` to `effects` if it was not running.
    public mutating func start(_ meter: Meter, into effects: inout [Effect]) {
        if set(meter, running: true) { effects.append(.meterStarted(meter)) }
    }

    /// Stops `meter`, appending `.meterStopped` to `effects` if it was running.
    public mutating func stop(_ meter: Meter, into effects: inout [Effect]) {
        if set(meter, running: false) { effects.append(.meterStopped(meter)) }
    }

    /// Sets `meter` running or not; true when that changed it. One switch per call: transitions start and stop
    /// several meters each, and a million-instance replay makes millions of transitions.
    private mutating func set(_ meter: Meter, running: Bool) -> Bool {
        switch meter {
        case .compute:
            guard computeRunning != running else { return false }
            computeRunning = running
        case .elasticIP:
            guard elasticIPRunning != running else { return false }
            elasticIPRunning = running
        case .disk(let index):
            precondition(index >= 0 && index < 64, "an instance has at most 64 disks")
            let bit: UInt64 = 1 << UInt64(index)
            guard (diskMask & bit != 0) != running else { return false }
            diskMask ^= bit
        case .snapshot(let index):
            precondition(index >= 0 && index < 64, "an instance has at most 64 snapshots")
            let bit: UInt64 = 1 << UInt64(index)
            guard (snapshotMask & bit != 0) != running else { return false }
            snapshotMask ^= bit
        }
        return true
    }
}

extension InstanceLaunch {
    /// Every resource of the instance that has a fate on release, in a stable order.
    public var resources: [Resource] {
        var resources = disks.indices.map(Resource.disk)
        resources += snapshots.indices.map(Resource.snapshot)
        if publicAddress != .none { resources.append(.publicAddress) }
        return resources
    }

    /// Calls `body` with every resource in the order of ``resources``, without building the array (a release
    /// settles every resource, and a million releases should not allocate a million arrays).
    @inlinable
    public func forEachResource(_ body: (Resource) -> Void) {
        for index in disks.indices { body(.disk(index)) }
        for index in snapshots.indices { body(.snapshot(index)) }
        if publicAddress != .none { body(.publicAddress) }
    }

    /// The index of the disk a snapshot was taken from, if that disk is on the instance.
    public func diskIndex(ofSnapshot index: Int) -> Int? {
        disks.firstIndex { $0.id == snapshots[index].diskID }
    }
}

extension InstanceDescription {
    /// Every resource of the instance that has a fate on release, in a stable order.
    public var resources: [Resource] { launch.resources }

    /// Calls `body` with every resource in the order of ``resources``, without building the array.
    @inlinable
    public func forEachResource(_ body: (Resource) -> Void) { launch.forEachResource(body) }

    /// The index of the disk a snapshot was taken from, if that disk is on the instance.
    public func diskIndex(ofSnapshot index: Int) -> Int? { launch.diskIndex(ofSnapshot: index) }
}

/// One resource's fate after release.
public struct ResourceOutcome: Hashable, Sendable, Codable {
    /// The resource.
    public var resource: Resource
    /// What became of it.
    public var fate: ResourceFate

    /// Creates an outcome.
    public init(_ resource: Resource, _ fate: ResourceFate) {
        self.resource = resource
        self.fate = fate
    }
}

extension RunningMeters {
    /// Starts what a pay-as-you-go instance's own fees run on: compute (when `compute`) and its cloud disks;
    /// local disks are part of the instance's price, and a subscription is prepaid, so nothing starts for it.
    public mutating func startPayAsYouGoFees(
        of instance: InstanceDescription,
        compute: Bool = true,
        into effects: inout [Effect]
    ) {
        startPayAsYouGoFees(of: instance.launch, compute: compute, into: &effects)
    }

    /// Starts a pay-as-you-go instance's own fees, as the form that takes a description does, from the launch a
    /// machine holds.
    public mutating func startPayAsYouGoFees(
        of instance: InstanceLaunch,
        compute: Bool = true,
        into effects: inout [Effect]
    ) {
        guard instance.charge.isPayAsYouGo else { return }
        if compute { start(.compute, into: &effects) }
        for (index, disk) in instance.disks.enumerated() where disk.role != .local {
            start(.disk(index), into: &effects)
        }
    }

    /// Settles one resource of an instance being released, the part every provider shares: records its fate
    /// (with the rule's source) and stops its meter when it is released, or bills it on its own when retained
    /// (starting it if it was not running, e.g. a subscription's kept disk that becomes pay-as-you-go). The
    /// machine stops compute and closes with `.dataUnrecoverable` itself.
    @inline(__always)
    public mutating func settle(
        _ resource: Resource,
        fate: ResourceFate,
        source: SourceCode,
        publicAddress: PublicAddress,
        into effects: inout [Effect]
    ) {
        effects.append(.resourceFate(resource, fate, source: source))
        let meter: Meter
        switch resource {
        case .disk(let index): meter = .disk(index)
        case .snapshot(let index): meter = .snapshot(index)
        case .publicAddress:
            // Only an elastic IP bills as a resource of its own.
            guard publicAddress == .elasticIP else { return }
            meter = .elasticIP
        }
        switch fate {
        case .released, .movedToDiskRecycleBin: stop(meter, into: &effects)
        case .retained: start(meter, into: &effects)
        }
    }
}
