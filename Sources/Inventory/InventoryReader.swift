// The instance as read, the listings and the problems are the codecs' vocabulary, which the providers' modules
// write; re-exported, so that `import Inventory` is all a library user needs (as SwiftNIO's umbrella does).
@_exported public import ListingCodec
public import ProviderRegistry
public import ReleaseCore
import Reporting

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Everything read from a user's answer files, one file after another: what a forecast runs on.
public struct InventoryReading: Sendable {
    /// The providers whose answers the files may hold.
    public let providers: [ProviderModel.Kind]
    public var instances: [InventoryInstance] = []
    /// CVM ActionTimers' times by instance (a later file's wins).
    public var timers: [String: Instant] = [:]
    /// The resource listings by owner (`InventoryResources`, ListingCodec), merged across files.
    public var resources: [String: InventoryResources] = [:]
    public var problems: [InventoryProblem] = []

    /// Nothing read yet; the files are read with the codecs of `providers` (this package's by default).
    public init(providers: [ProviderModel.Kind] = ProviderModel.Kind.allCases) { self.providers = providers }

    /// Reads one file's bytes (``InventoryReader/read(_:file:at:providers:)``) and adds what it says.
    public mutating func read(_ data: Data, file: String, at now: Instant) {
        let read = InventoryReader.read(data, file: file, at: now, providers: providers)
        instances += read.instances
        timers.merge(read.timers) { _, later in later }
        for (owner, listed) in read.resources { resources[owner, default: InventoryResources()].merge(listed) }
        problems += read.problems
    }
}

/// Reads the JSON the providers' tools print for DescribeInstances and the calls around it, with every provider's
/// codec from the registry (`ProviderModel.Kind.inventoryCodec`): the Aliyun CLI/SDKs' `{"Instances": {"Instance":
/// [...]}}`, the CVM API/SDK's `{"Response": {"InstanceSet": [...]}}` and tccli's `{"InstanceSet": [...]}`, CVM
/// ActionTimers (attached to their instance by `ActionTime`), and the disk, snapshot and address listings.
public enum InventoryReader {
    /// Every list this package's providers answer with.
    private static let listings = listings(of: ProviderModel.Kind.allCases)

    /// Every list the providers' codecs read (a provider registered without a codec has none).
    private static func listings(of providers: [ProviderModel.Kind]) -> [InventoryListing] {
        providers.flatMap { $0.inventoryCodec?.listings ?? [] }
    }

    /// Reads one file's bytes with the codecs of `providers`; `now` tells an expired subscription from a stopped
    /// one.
    public static func read(
        _ data: Data,
        file: String,
        at now: Instant,
        providers: [ProviderModel.Kind] = ProviderModel.Kind.allCases
    ) -> (
        instances: [InventoryInstance], timers: [String: Instant], resources: [String: InventoryResources],
        problems: [InventoryProblem]
    ) {
        guard let root = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            return (
                [], [:], [:],
                [InventoryProblem(file: file, path: "$", reason: "not a JSON document", chineseReason: "不是 JSON 文档")]
            )
        }
        let listings = providers == ProviderModel.Kind.allCases ? Self.listings : Self.listings(of: providers)
        var reader = ListingReader(file: file, now: now)
        let response = root["Response"]
        var recognised = false
        for listing in listings {
            var body = root
            var prefix = ""
            if listing.mayBeUnderResponse, let response {
                body = response
                prefix = "Response."
            }
            var node: JSONValue? = body
            for key in listing.keys { node = node?[key] }
            guard case .array(let elements)? = node else { continue }
            recognised = true
            let path = prefix + listing.keys.joined(separator: ".")
            for (index, element) in elements.enumerated() { listing.read(&reader, element, "\(path)[\(index)]") }
        }
        if !recognised {
            reader.problem(
                "$",
                "none of the lists a provider answers with: " + listings.map(\.name.english).joined(separator: ", "),
                "不是任何云厂商答复的列表：" + listings.map(\.name.chinese).joined(separator: "、")
            )
        }
        return (reader.instances, reader.timers, reader.resources, reader.problems)
    }
}
