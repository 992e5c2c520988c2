public import Foundation
// The instance as read, the listings and the problems are the codecs' vocabulary, which the providers' modules
// write; re-exported, so that `import Inventory` is all a library user needs (as SwiftNIO's umbrella does).
@_exported public import ListingCodec
import ProviderRegistry
public import ReleaseCore
import Reporting

/// Everything read from a user's answer files, one file after another: what a forecast runs on.
public struct InventoryReading: Sendable {
    public var instances: [InventoryInstance] = []
    /// CVM ActionTimers' times by instance (a later file's wins).
    public var timers: [String: Instant] = [:]
    /// The resource listings by owner (`InventoryResources`, ListingCodec), merged across files.
    public var resources: [String: InventoryResources] = [:]
    public var problems: [InventoryProblem] = []

    public init() {}

    /// Reads one file's bytes (``InventoryReader/read(_:file:at:)``) and adds what it says.
    public mutating func read(_ data: Data, file: String, at now: Instant) {
        let read = InventoryReader.read(data, file: file, at: now)
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
    /// Every list any registered provider answers with.
    private static let listings = ProviderModel.Kind.allCases.flatMap { $0.inventoryCodec.listings }

    /// Reads one file's bytes; `now` tells an expired subscription from a stopped one.
    public static func read(
        _ data: Data,
        file: String,
        at now: Instant
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
