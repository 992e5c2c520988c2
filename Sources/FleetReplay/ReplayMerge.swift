import ProviderRegistry
import ReleaseCore
import Reporting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why summaries cannot be merged.
public struct MergeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: String
    /// The reason in Chinese (`--lang zh`).
    public var chineseReason: String?
    public var description: String { reason }

    init(_ reason: String, _ chinese: String) {
        self.reason = reason
        self.chineseReason = chinese
    }
}

extension ReplaySummary {
    /// The whole replay from the summaries of all its shards (any order): counts, phases, fates, rejections and
    /// billed seconds add up; the cost is recomputed from the added billed seconds, so the merge equals the
    /// whole replay exactly (wall time aside: the longest shard's).
    public static func merged(_ parts: [ReplaySummary]) throws(MergeError) -> ReplaySummary {
        guard let first = parts.first else { throw MergeError("no summaries to merge", "没有可合并的摘要") }
        guard let count = first.shard?.count else {
            throw MergeError(
                "\(first.file): a whole replay's summary, not a shard's (replay --shard K/N)",
                "\(first.file)：这是整个回放的摘要，不是分片的（replay --shard K/N）"
            )
        }
        var seen = Set<Int>()
        for part in parts {
            guard let shard = part.shard, shard.count == count else {
                throw MergeError(
                    "\(part.file): not one of the \(count) shards of the first summary",
                    "\(part.file)：不是第一个摘要的 \(count) 个分片之一"
                )
            }
            guard seen.insert(shard.index).inserted else {
                throw MergeError("shard \(shard) is given twice", "分片 \(shard) 给出了两次")
            }
            if let difference = part.replayDifference(from: first) {
                // Docs/Traces.md: a set with shards of different replays (file, profiles, interval or prices) is
                // refused; the error names what differs.
                let firstShard = first.shard.map { "\($0)" } ?? "?"
                throw MergeError(
                    "shard \(shard) is of another replay than shard \(firstShard): \(difference.english)",
                    "分片 \(shard) 与分片 \(firstShard) 属于不同的回放：\(difference.chinese)"
                )
            }
        }
        let missing = (0..<count).filter { !seen.contains($0) }
        guard missing.isEmpty else {
            throw MergeError(
                "shards missing: \(missing.map { "\($0)/\(count)" }.joined(separator: ", "))",
                "缺少分片：\(missing.map { "\($0)/\(count)" }.joined(separator: "、"))"
            )
        }
        var whole = first
        whole.shard = nil
        whole.records = 0
        whole.applied = 0
        whole.rejected = 0
        whole.malformed = 0
        whole.malformedLines = []
        whole.rejections = [:]
        whole.instances = [:]
        whole.billedSeconds = [:]
        whole.resourceFates = [:]
        whole.deadlinesFired = 0
        whole.wallSeconds = 0
        whole.subscriptionMonths = nil
        whole.unpricedSubscriptions = nil
        for part in parts { try whole.addCounts(of: part) }
        whole.cost = nil
        if let prices = first.prices {
            guard let book = ReplaySummary.priceBook(prices, currency: first.currency ?? "CNY") else {
                throw MergeError(
                    "the summaries' prices are not prices (decimals from 0 to 1e9 per family)",
                    "摘要中的价格无效（每个计费项应为 0 至 1e9 的小数）"
                )
            }
            whole.cost = ReplaySummary.cost(of: whole.billedSeconds, months: whole.subscriptionMonths, prices: book)
        }
        return whole
    }

    /// Adds a part's counts to this summary's: records, applied, rejected, malformed (its listed lines kept in file
    /// order, the first ``listedMalformedLines``), rejections, phases, billed seconds, resource fates, deadlines
    /// fired, subscription months and unpriced subscriptions; the wall time is the longest. Summaries are files a
    /// user hands in: a sum that does not fit is an error, never a trap.
    mutating func addCounts(of part: ReplaySummary) throws(MergeError) {
        func sum<Value: FixedWidthInteger>(_ total: inout Value, _ value: Value) throws(MergeError) {
            let (result, overflow) = total.addingReportingOverflow(value)
            guard !overflow else { throw MergeError("the summaries' counts do not fit in 64 bits", "摘要的计数超出 64 位") }
            total = result
        }
        func add<Value: FixedWidthInteger>(
            _ into: inout [String: [String: Value]],
            _ from: [String: [String: Value]]
        ) throws(MergeError) {
            for (outer, inner) in from {
                for (key, value) in inner { try sum(&into[outer, default: [:]][key, default: 0], value) }
            }
        }
        try sum(&records, part.records)
        try sum(&applied, part.applied)
        try sum(&rejected, part.rejected)
        try sum(&malformed, part.malformed)
        if !part.malformedLines.isEmpty {
            // Each part lists its own first lines, so the whole's first lines are among them.
            malformedLines += part.malformedLines
            malformedLines.sort { $0.line < $1.line }
            malformedLines = Array(malformedLines.prefix(Self.listedMalformedLines))
        }
        try add(&rejections, part.rejections)
        try add(&instances, part.instances)
        try add(&billedSeconds, part.billedSeconds)
        try add(&resourceFates, part.resourceFates)
        try sum(&deadlinesFired, part.deadlinesFired)
        wallSeconds = max(wallSeconds, part.wallSeconds)
        if let months = part.subscriptionMonths {
            var merged = subscriptionMonths ?? [:]
            for (provider, count) in months { try sum(&merged[provider, default: 0], count) }
            subscriptionMonths = merged
        }
        if let counts = part.unpricedSubscriptions {
            var merged = unpricedSubscriptions ?? [:]
            for (provider, count) in counts { try sum(&merged[provider, default: 0], count) }
            unpricedSubscriptions = merged
        }
    }

    /// An empty summary of a replay of `file` with `options`: the profiles, the shard and the prices.
    init(file: String, options: TraceReplayer.Options) {
        self.init(
            file: file,
            profiles: Dictionary(
                uniqueKeysWithValues: ProviderModel.Kind.allCases.map {
                    ($0.rawValue, ProviderModel($0, newerProfile: options.newerProfiles).profile.name)
                }
            )
        )
        shard = options.shard
        if let prices = options.prices {
            self.prices = ReplaySummary.pricesRecord(prices)
            currency = prices.currency
        }
    }

    /// The whole replay from the reader's summary and the partitions' counts (each from
    /// ``TraceApplier/finish(end:into:)``): counts add up, the interval ends at `end`, and with prices the cost
    /// is computed from the added billed seconds and months, as a merge of shards does.
    static func combining(
        _ read: ReplaySummary,
        parts: [ReplaySummary],
        end: Instant?,
        prices: PriceBook?
    ) throws(ReplayError) -> ReplaySummary {
        var whole = read
        do {
            for part in parts { try whole.addCounts(of: part) }
        } catch {
            throw ReplayError(file: read.file, line: nil, reason: error.reason, chineseReason: error.chineseReason)
        }
        // No record, no fleet: nothing was billed, so there is no cost either.
        guard whole.interval.from != nil else { return whole }
        whole.interval.to = end
        if let prices {
            whole.cost = ReplaySummary.cost(of: whole.billedSeconds, months: whole.subscriptionMonths, prices: prices)
        }
        return whole
    }

    /// What makes this summary one of another replay than `other`, in words (English, Chinese): the first of its
    /// format, file, profiles, interval, stopping line, currency and prices that differs (for prices, the first
    /// price by table and name, present in one and absent in the other or of another amount); nil when none does.
    func replayDifference(from other: ReplaySummary) -> (english: String, chinese: String)? {
        func text<Value>(_ value: Value?) -> String { value.map { "\($0)" } ?? "none" }
        if format != other.format {
            return ("its format is \(format), not \(other.format)", "格式为 \(format)，而非 \(other.format)")
        }
        if file != other.file { return ("its file is \(file), not \(other.file)", "文件为 \(file)，而非 \(other.file)") }
        if profiles != other.profiles {
            let describe = { (profiles: [String: String]) in
                profiles.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            }
            return (
                "its profiles are \(describe(profiles)), not \(describe(other.profiles))",
                "规则版本为 \(describe(profiles))，而非 \(describe(other.profiles))"
            )
        }
        if interval != other.interval || stoppedBeforeLine != other.stoppedBeforeLine {
            let mine = "\(text(interval.from?.iso8601)) → \(text(interval.to?.iso8601))"
            let theirs = "\(text(other.interval.from?.iso8601)) → \(text(other.interval.to?.iso8601))"
            return ("its interval is \(mine), not \(theirs)", "时间区间为 \(mine)，而非 \(theirs)")
        }
        if (prices == nil) != (other.prices == nil) {
            return prices != nil
                ? ("it was replayed with prices, the other without", "它按价格回放，另一个没有价格")
                : ("it was replayed without prices, the other with", "它没有价格，另一个按价格回放")
        }
        if currency != other.currency {
            return (
                "its prices are in \(text(currency)), not \(text(other.currency))",
                "价格币种为 \(text(currency))，而非 \(text(other.currency))"
            )
        }
        guard prices != other.prices, let mine = prices, let theirs = other.prices else { return nil }
        for table in Set(mine.keys).union(theirs.keys).sorted() {
            for name in Set((mine[table] ?? [:]).keys).union((theirs[table] ?? [:]).keys).sorted() {
                let here = mine[table]?[name]
                let there = theirs[table]?[name]
                guard here != there else { continue }
                return (
                    "its prices differ: \(table) \(name) is \(text(here)), not \(text(there))",
                    "价格不同：\(table) \(name) 为 \(text(here))，而非 \(text(there))"
                )
            }
            // A table without prices still prices its provider (at nothing) instead of the fallback's.
            if (mine[table] == nil) != (theirs[table] == nil) {
                let has = { (record: [String: [String: Decimal]]) in record[table] == nil ? "none" : "an empty one" }
                return (
                    "its prices differ: the price table \(table) is \(has(mine)), not \(has(theirs))",
                    "价格不同：价格表 \(table) 为\(mine[table] == nil ? "无" : "空")，而非\(theirs[table] == nil ? "无" : "空")"
                )
            }
        }
        return ("its prices differ", "价格不同")
    }

    /// The cost per provider of each meter family, `subscription` (when priced) and `total`, as exact decimals.
    static func cost(
        of billedSeconds: [String: [String: Int64]],
        months: [String: Int64]?,
        prices: PriceBook
    ) -> [String: [String: Decimal]] {
        var cost: [String: [String: Decimal]] = [:]
        for provider in Set(billedSeconds.keys).union((months ?? [:]).keys) {
            guard let table = prices.table(for: ProviderID(rawValue: provider)) else { continue }
            var billed: [MeterFamily: Seconds] = [:]
            for (name, seconds) in billedSeconds[provider] ?? [:] {
                if let family = MeterFamily(rawValue: name) { billed[family] = Seconds(seconds) }
            }
            var costs: [String: Decimal] = [:]
            var total = table.cost(of: billed)
            for (family, seconds) in billed { costs[family.rawValue] = table.cost(of: seconds, family).decimal }
            if let bought = months?[provider], let fees = table.subscriptionCost(months: bought) {
                costs["subscription"] = fees.decimal
                total = total + fees
            }
            costs["total"] = total.decimal
            cost[provider] = costs
        }
        return cost
    }

    /// The prices of a book as the summary records them: per provider (`*` for the fallback), each family's hourly
    /// price and `subscriptionPerMonth`.
    static func pricesRecord(_ book: PriceBook) -> [String: [String: Decimal]] {
        book.tablesByKey.mapValues { table in table.pricesByName.mapValues(\.decimal) }
    }

    /// The book a summary's prices describe, or nil when one is not a price.
    static func priceBook(_ record: [String: [String: Decimal]], currency: String) -> PriceBook? {
        var book = PriceBook(currency: currency)
        for (provider, prices) in record {
            var table = PriceTable(currency: currency)
            for (name, value) in prices {
                guard let price = Money(decimal: "\(value)", currency: currency), table.setPrice(named: name, to: price)
                else { return nil }
            }
            book.setTable(table, forKey: provider)
        }
        return book
    }
}
