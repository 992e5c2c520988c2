public import ReleaseCore

/// The Tencent CVM rule values of one dated profile, each with its source.
///
/// Shared by reference and compared by identity, as every `RuleProfile` is.
public final class TencentRules: RuleProfile {
    /// Which profile these are.
    public let info: ProfileInfo
    /// How long a destroyed pay-as-you-go instance stays in the recycle bin.
    public let payAsYouGoRecycleBinRetention: Sourced<Seconds>
    /// How long a returned or expired subscription instance stays in the recycle bin.
    public let subscriptionRecycleBinRetention: Sourced<Seconds>
    /// Arrears: how long the instance keeps running and billed.
    public let arrearsBilledPeriod: Sourced<Seconds>
    /// Arrears: how long it then stays shut down, unbilled, before release.
    public let arrearsShutdownPeriod: Sourced<Seconds>
    /// Scheduled destruction: the precision, one second; times are kept as given.
    public let schedulePrecision: Sourced<Seconds>
    /// Scheduled destruction: `ActionTime` must be later than now plus this (exclusive).
    public let scheduleMinimumLead: Sourced<Seconds>
    /// Whether a pay-as-you-go instance's own (non-elastic) disks stop billing in the recycle bin.
    public let recycleBinStopsDiskBilling: Sourced<Bool>
    /// What happens to an elastic cloud disk when its instance is released.
    public let elasticDiskFate: Sourced<ResourceFate>
    /// TerminateInstances: at most this many `InstanceIds.N`.
    public let batchLimit: Sourced<Int>

    init(
        info: ProfileInfo,
        arrearsShutdownPeriod: Sourced<Seconds>,
        recycleBinStopsDiskBilling: Sourced<Bool>,
        elasticDiskFate: Sourced<ResourceFate>
    ) {
        self.info = info
        self.payAsYouGoRecycleBinRetention = Sourced(.hours(2), TencentSource.t2)
        self.subscriptionRecycleBinRetention = Sourced(.days(7), TencentSource.td6)
        self.arrearsBilledPeriod = Sourced(.hours(2), TencentSource.t2)
        self.arrearsShutdownPeriod = arrearsShutdownPeriod
        self.schedulePrecision = Sourced(Seconds(1), TencentSource.t2)
        self.scheduleMinimumLead = Sourced(.minutes(5), TencentSource.td7)
        self.recycleBinStopsDiskBilling = recycleBinStopsDiskBilling
        self.elasticDiskFate = elasticDiskFate
        self.batchLimit = Sourced(100, TencentSource.td2)
    }

    /// The default profile: seed 002. Arrears: 2 h billed, 24 h shut down, released at 26 h; no instance
    /// fees once destroyed; elastic disks follow their own lifecycle.
    public static let seed = TencentRules(
        info: ProfileInfo(
            name: "seed",
            asOf: "≤2020 (seed 002)",
            summary: "Seed 002: arrears release at 26 h; no instance fees in the recycle bin."
        ),
        arrearsShutdownPeriod: Sourced(.hours(24), TencentSource.t2),
        recycleBinStopsDiskBilling: Sourced(true, TencentSource.t2),
        elasticDiskFate: Sourced(.retained, TencentSource.t2)
    )

    /// The newer profile: arrears release at 2 h + 15 d (TD3 2024-04-10, TD5); in the recycle bin CPU and
    /// memory stop billing but disks keep billing, and elastic disks go to the disk recycle bin (TD4 2025).
    public static let newer = TencentRules(
        info: ProfileInfo(
            name: "2025",
            asOf: "2024-04-10 (TD3) and 2025-12-31 (TD4)",
            summary: "Arrears release at 2 h + 15 d; disks keep billing in the recycle bin."
        ),
        arrearsShutdownPeriod: Sourced(.days(15), TencentSource.td3),
        recycleBinStopsDiskBilling: Sourced(false, TencentSource.td4),
        elasticDiskFate: Sourced(.movedToDiskRecycleBin, TencentSource.td4)
    )

    /// Both profiles, default first.
    public static let all: [TencentRules] = [.seed, .newer]

    /// Every profile of ``all``, to be lent (``lent(_:)``).
    private static let unretained = all.map { Unmanaged.passUnretained($0) }

    /// The profile at `place` in ``all``, lent without a reference counted: ``all`` holds every profile for the
    /// process's life, and a reference to one counted in and out from two cores at once contended for one cache line
    /// on every transition that reads a rule (Docs/Performance.md, "Rules named by their place").
    package static func lent(_ place: Int) -> Unmanaged<TencentRules> { unretained[place] }
}
