public import ReleaseCore

/// The release vocabulary only ECS has: declared here, not in the core.
extension DeadlineKind {
    /// An expired subscription is released (AD7: 15 days after expiry; seed 000). Rank 5: last at a second.
    public static let expiredRelease = DeadlineKind(rank: 5, name: "expiredRelease", releasesInstance: true)
}
