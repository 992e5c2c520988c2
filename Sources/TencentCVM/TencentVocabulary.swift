public import ReleaseCore

/// The release vocabulary only CVM has: declared here, not in the core.
extension DeadlineKind {
    /// The recycle bin lets go of a destroyed instance (T2: 2 h pay-as-you-go; TD6: 7 days for an expired
    /// subscription). Rank 1: at the same second, after a scheduled release and before the arrears clocks.
    public static let recycleBinExpiry = DeadlineKind(rank: 1, name: "recycleBinExpiry", releasesInstance: true)
}
