import ProviderRegistry
public import ReleaseCore
import Reporting

/// Writes valid synthetic fleet traces of any size, for benchmarks and capacity planning.
///
/// The first `instances` records launch the fleet over the first tenth of the span; the rest are commands
/// on random instances (and now and then an account's arrears or top-up), in non-decreasing time order.
/// Some commands are refused by the models on purpose (a release of a running Aliyun instance without
/// force, a restore of an instance that is not in the recycle bin): real fleets see those too.
public struct TraceGenerator: Sendable {
    /// The two release variants generated: ECS's forced release and CVM's release without the bin (by word, as a
    /// trace writes them; each provider refuses the other's).
    static let releaseFlags: [ReleaseFlags] = [
        ReleaseFlags(ProviderModel.flag("force").map { [$0] } ?? []),
        ReleaseFlags(ProviderModel.flag("immediately").map { [$0] } ?? []),
    ]

    public var instances: Int
    public var recordsPerInstance: Int
    public var accounts: Int
    public var seed: UInt64
    public var start: Instant
    public var span: Seconds

    /// A generator; the defaults make about five records per instance over one week.
    public init(
        instances: Int,
        recordsPerInstance: Int = 5,
        accounts: Int? = nil,
        seed: UInt64 = 1,
        start: Instant = .referenceStart,
        span: Seconds = .days(7)
    ) {
        self.instances = max(1, instances)
        self.recordsPerInstance = max(1, recordsPerInstance)
        self.accounts = max(1, accounts ?? max(1, instances / 1_000))
        self.seed = seed
        self.start = start
        self.span = span
    }

    /// Calls `write` with chunks of the trace text, in order.
    public func generate<Failure: Error>(_ write: (String) throws(Failure) -> Void) throws(Failure) {
        var random = SplitMix64(seed: seed)
        let total = instances * recordsPerInstance
        var buffer =
            "# cloud-release trace v1 (synthetic: \(instances) instances, seed \(seed))\n\(TraceRecord.header)\n"
        buffer.reserveCapacity(1 << 20)
        let launchSpan = span.count / 10
        for index in 0..<total {
            let time: Instant
            let record: TraceRecord
            if index < instances {
                time = start + Seconds(launchSpan * Int64(index) / Int64(instances))
                record = launch(index, at: time, random: &random)
            } else {
                let offset = Int64(index - instances)
                let rest = Int64(total - instances)
                time = start + Seconds(launchSpan + (span.count - launchSpan) * offset / max(1, rest))
                record = command(at: time, random: &random)
            }
            buffer += record.line
            buffer += "\n"
            if buffer.utf8.count >= 1 << 20 {
                try write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try write(buffer)
    }

    private func instanceID(_ index: Int) -> String { "i-\(index)" }
    private func account(of index: Int) -> String { "acct-\(index % accounts)" }

    private func launch(_ index: Int, at time: Instant, random: inout SplitMix64) -> TraceRecord {
        let kinds = ProviderModel.Kind.allCases
        let kind = kinds[Int(random.next() % UInt64(kinds.count))]
        let prepaid = random.next() % 10 == 0
        let charge: ChargeType =
            prepaid ? .subscription(expiresAt: time + .days(Int64(1 + random.next() % 30))) : .payAsYouGo
        let isProtected = !prepaid && random.next() % 10 == 0
        return TraceRecord(
            time: time,
            account: account(of: index),
            instance: instanceID(index),
            operation: .launch(kind, charge, isProtected: isProtected)
        )
    }

    private func command(at time: Instant, random: inout SplitMix64) -> TraceRecord {
        let index = Int(random.next() % UInt64(instances))
        // Account-level events are rare, about one arrears and one top-up per account over the trace: each
        // reaches every instance of its account.
        let commands = UInt64(max(1, instances * (recordsPerInstance - 1)))
        if random.next() % commands < UInt64(2 * accounts) {
            let accountIndex = Int(random.next() % UInt64(accounts))
            return TraceRecord(
                time: time,
                account: "acct-\(accountIndex)",
                instance: "",
                operation: random.next() % 2 == 0 ? .arrears : .topUp
            )
        }
        let roll = random.next() % 1_000
        let operation: TraceRecord.Operation
        switch roll {
        case 0..<2: operation = .cancelSchedule
        case 2..<200: operation = .stop(force: false, chargingMode: random.next() % 2 == 0 ? .stopCharging : nil)
        case 200..<330: operation = .start
        case 330..<480: operation = .release([])
        case 480..<560: operation = .release(Self.releaseFlags[Int(random.next() % 2)])
        case 560..<720: operation = .scheduleRelease(time + Seconds(Int64(60 + random.next() % 259_200)))
        case 720..<780: operation = .cancelSchedule
        case 780..<880: operation = .protect(random.next() % 2 == 0)
        default: operation = .restore
        }
        return TraceRecord(time: time, account: account(of: index), instance: instanceID(index), operation: operation)
    }
}
