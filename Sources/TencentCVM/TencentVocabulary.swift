public import ReleaseCore

/// The release vocabulary only CVM has: declared here, not in the core.
extension DeadlineKind {
    /// The recycle bin lets go of a destroyed instance (T2: 2 h pay-as-you-go; TD6: 7 days for an expired
    /// subscription). Rank 1: at the same second, after a scheduled release and before the arrears clocks.
    public static let recycleBinExpiry = DeadlineKind(rank: 1, name: "recycleBinExpiry", releasesInstance: true)
}

/// TerminateInstances's parameters and the console's release-now, each a bit of ``ReleaseFlags``.
extension ReleaseFlags {
    /// Release at once instead of parking in the recycle bin (the console's "立即释放", T2).
    public static let immediately = ReleaseFlags(rawValue: 1 << 2)
    /// `ReleaseAddress=true`: also release the bound elastic IP (TD1).
    public static let releaseAddress = ReleaseFlags(rawValue: 1 << 5)
}
