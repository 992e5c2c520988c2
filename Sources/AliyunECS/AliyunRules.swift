public import ReleaseCore

/// The Aliyun ECS rule values of one dated profile, each with its source.
///
/// Shared by reference and compared by identity, as every `RuleProfile` is.
public final class AliyunRules: RuleProfile {
    /// Which profile these are.
    public let info: ProfileInfo
    /// ModifyInstanceAutoReleaseTime: the precision; seconds below it are dropped (start of the minute).
    public let autoReleasePrecision: Sourced<Seconds>
    /// ModifyInstanceAutoReleaseTime: the time must be at least this far ahead (inclusive, fact sheet Q2).
    public let autoReleaseMinimumLead: Sourced<Seconds>
    /// ModifyInstanceAutoReleaseTime: the time may be at most this many calendar years ahead (inclusive).
    public let autoReleaseMaximumLeadYears: Sourced<Int64>
    /// How long a pay-as-you-go instance keeps running after its bill falls overdue.
    public let overdueRunningPeriod: Sourced<Seconds>
    /// How long an overdue instance stays stopped before release; `nil` means it is released as soon as the
    /// running period ends (the seed's one-step timeline).
    public let overdueStoppedRetention: Sourced<Seconds?>
    /// How long an expired subscription instance is kept (stopped) before release.
    public let expiredSubscriptionRetention: Sourced<Seconds>
    /// DeleteInstances: at most this many `InstanceId.N`.
    public let batchLimit: Sourced<Int>

    init(
        info: ProfileInfo,
        overdueStoppedRetention: Sourced<Seconds?>,
        overdueRunningPeriod: Sourced<Seconds>
    ) {
        self.info = info
        self.autoReleasePrecision = Sourced(.minutes(1), AliyunSource.a4)
        self.autoReleaseMinimumLead = Sourced(.minutes(30), AliyunSource.a4)
        self.autoReleaseMaximumLeadYears = Sourced(3, AliyunSource.a4)
        self.overdueRunningPeriod = overdueRunningPeriod
        self.overdueStoppedRetention = overdueStoppedRetention
        self.expiredSubscriptionRetention = Sourced(.days(15), AliyunSource.ad7)
        self.batchLimit = Sourced(100, AliyunSource.ad2)
    }

    /// The default profile: the seed documents. Overdue for 15 days → released, protection notwithstanding
    /// (seed 003).
    public static let seed = AliyunRules(
        info: ProfileInfo(
            name: "seed",
            asOf: "2019-2025 (seeds 000, 001, 003, 004)",
            summary: "The seed documents: released once overdue for 15 days."
        ),
        overdueStoppedRetention: Sourced(nil, AliyunSource.a3),
        overdueRunningPeriod: Sourced(.days(15), AliyunSource.a3)
    )

    /// The newer profile: overdue instances run 15 days, are stopped (billing stops), and are released
    /// 15 days after the stop (AD6, 2023-11-03 and 2024-09-18).
    public static let newer = AliyunRules(
        info: ProfileInfo(
            name: "2024",
            asOf: "2024-09-18 (AD6 overdue payments)",
            summary: "Overdue: running to +15 d, stopped at +15 d (billing stops), released at +30 d."
        ),
        overdueStoppedRetention: Sourced(.days(15), AliyunSource.ad6),
        overdueRunningPeriod: Sourced(.days(15), AliyunSource.ad6)
    )

    /// Both profiles, default first.
    public static let all: [AliyunRules] = [.seed, .newer]
}
