public import ReleaseCore

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The outcome of replaying a trace (`cloud-release replay --format json`, Docs/Traces.md).
///
/// Keys are stable: new keys may be added, none renamed or removed.
public struct ReplaySummary: Hashable, Sendable, Codable {
    /// A malformed line that was skipped.
    public struct MalformedLine: Hashable, Sendable, Codable {
        public var line: Int
        public var reason: String
        /// The reason in Chinese, for text output (`--lang zh`); not in JSON, whose values stay in one language.
        public var chineseReason: String?

        private enum CodingKeys: String, CodingKey { case line, reason }

        public init(line: Int, reason: String, chineseReason: String? = nil) {
            self.line = line
            self.reason = reason
            self.chineseReason = chineseReason
        }
    }

    /// The interval replayed.
    public struct Interval: Hashable, Sendable, Codable {
        public var from: Instant?
        public var to: Instant?
    }

    /// Always `cloud-release replay summary v1`.
    public var format = "cloud-release replay summary v1"
    /// The trace file.
    public var file: String
    /// Which profile each provider ran under.
    public var profiles: [String: String]
    /// Records read (lines that are neither comments nor the header).
    public var records = 0
    /// Records the models accepted (launches included).
    public var applied = 0
    /// Well-formed records a provider refused.
    public var rejected = 0
    /// Records that break the format (counted only with skip-malformed; otherwise replay stops at the first).
    public var malformed = 0
    /// The first ``listedMalformedLines`` skipped malformed lines, in file order (`malformed` counts them all).
    public var malformedLines: [MalformedLine] = []

    /// How many malformed lines a summary lists: a trace (a compressed one above all) can hold far more bad lines
    /// than memory, and the count says how many there were.
    public static let listedMalformedLines = 1_000
    /// Rejections per provider per error code.
    public var rejections: [String: [String: Int]] = [:]
    /// Instances per provider per final phase (`Phase` raw values).
    public var instances: [String: [String: Int]] = [:]
    /// Billed seconds per provider per meter family over the interval.
    public var billedSeconds: [String: [String: Int64]] = [:]
    /// With prices: the cost per provider of each meter family, `subscription` (period fees) and `total`, exact
    /// decimals in `currency`.
    public var cost: [String: [String: Decimal]]?
    /// With prices: the currency of `cost` and `prices` (`CNY` unless the price file says otherwise).
    public var currency: String?
    /// Subscription months bought per provider: each subscription launch's whole calendar months from launch to
    /// expiry, and each accepted renewal's from the old expiry to the new ([MODEL], Docs/Prices.md).
    public var subscriptionMonths: [String: Int64]?
    /// Resources of released instances per provider per fate (`released`, `retained`, ...).
    public var resourceFates: [String: [String: Int]] = [:]
    /// How many deadlines fired on the way.
    public var deadlinesFired = 0
    /// From the first record to the last record (or `--until`).
    public var interval = Interval()
    /// The line before which `--until` stopped reading, if it did.
    public var stoppedBeforeLine: Int?
    /// Wall-clock seconds the replay took, parsing included.
    public var wallSeconds = 0.0
    /// With prices: subscription instances per provider whose period fees the cost leaves out, because that
    /// provider's prices have no `subscriptionPerMonth` (their per-second meters are priced like any other).
    public var unpricedSubscriptions: [String: Int]?
    /// With prices: the prices the cost was computed with, per provider (`*`: every provider without its own),
    /// each meter family's hourly price and `subscriptionPerMonth` (a merge recomputes the cost from them).
    public var prices: [String: [String: Decimal]]?
    /// The shard this summary covers (`replay --shard`); absent for a whole replay.
    public var shard: TraceShard?
}
