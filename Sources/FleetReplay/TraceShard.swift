/// One of `count` shards of a trace's accounts.
///
/// Accounts never interact (arrears and top-ups are per account, an instance belongs to one account), so the
/// accounts of a trace can be replayed apart and their summaries added: ``ReplaySummary/merged(_:)`` of every
/// shard equals the whole replay. An account's shard is a stable hash of its name (64-bit FNV-1a of its UTF-8
/// bytes, modulo `count`), the same on every machine and in every version of the format.
public struct TraceShard: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The shard, from 0 to `count - 1` (a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX`).
    public let index: Int
    /// How many shards the accounts are split into.
    public let count: Int

    /// The largest number of shards.
    public static let maximumCount = 65_536

    /// Shard `index` of `count`, or nil unless `0 <= index < count <= maximumCount`.
    public init?(index: Int, count: Int) {
        guard count >= 1, count <= TraceShard.maximumCount, index >= 0, index < count else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `K/N` (0-based K), as `replay --shard` takes it.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }

    /// Whether `account` belongs to this shard.
    public func owns(account: String) -> Bool {
        Int(TraceShard.hash(account) % UInt64(count)) == index
    }

    /// 64-bit FNV-1a of the account's UTF-8 bytes.
    public static func hash(_ account: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in account.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
