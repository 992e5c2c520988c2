import FleetReplay
import Foundation
import ProviderRegistry
import ReleaseComparison
import ReleaseCore
import Reporting
import Scenarios
import TestSupport
import Testing

/// Docs/scenario.schema.json is checked against the code's vocabularies, so a new provider, profile, command,
/// flag, event or kind that the decoder accepts cannot be missing from the schema editors validate with.
@Suite("The scenario JSON Schema follows the code")
struct SchemaTests {
    /// Every `enum` of the schema, by the name of the member (or map) it constrains.
    static func schemaEnums() throws -> [String: [String]] {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("Docs/scenario.schema.json"))
        let root = try JSONSerialization.jsonObject(with: data)
        var found: [String: [String]] = [:]
        func walk(_ value: Any, key: String) {
            if let object = value as? [String: Any] {
                if let values = object["enum"] as? [String] { found[key, default: []] += values }
                for (name, child) in object {
                    // A combinator's branches constrain the same member as it does.
                    let next =
                        ["anyOf", "oneOf", "allOf"].contains(name)
                        ? key
                        : ["items", "additionalProperties", "propertyNames"].contains(name) ? "\(key).\(name)" : name
                    walk(child, key: next)
                }
            } else if let array = value as? [Any] {
                for child in array { walk(child, key: key) }
            }
        }
        walk(root, key: "")
        return found
    }

    @Test("Each vocabulary of the schema is exactly the code's")
    func vocabularies() throws {
        let enums = try Self.schemaEnums()
        func same(_ key: String, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
            let actual = Set(enums[key] ?? [])
            #expect(actual == Set(expected), "schema \(key)", sourceLocation: sourceLocation)
        }
        same("command", CommandWord.allCases.map(\.rawValue))
        same("flags.items", ProviderModel.releaseFlags.map(\.word))
        same("chargingMode", StopChargingMode.allCases.map(\.word))
        same("event", ProviderModel.namedEvents.map(\.name))
        same("role", DiskRole.allCases.map(\.rawValue))
        same("kind", SnapshotKind.allCases.map(\.rawValue))
        same("publicAddress", PublicAddress.allCases.map(\.rawValue))
        same("fates.additionalProperties", ResourceFate.allCases.map(\.rawValue))
        same("resources.additionalProperties", ResourceState.allCases.map(\.rawValue))
        same("billed.propertyNames", MeterFamily.allCases.map(\.rawValue))
        same("deadlines.propertyNames", AnyInstance.deadlineKinds.map(\.rawValue))
        same("cost.propertyNames", MeterFamily.allCases.map(\.rawValue) + ["subscription", "total"])
        let priceProviders = "^(\(ProviderModel.Kind.allCases.map(\.rawValue).joined(separator: "|"))|\\*)$"
        same("\(priceProviders).propertyNames", PriceTable.priceNames)
        // The instance's launch phase and an expected phase share the member name.
        same("phase", LaunchPhase.allCases.map(\.rawValue) + Phase.allCases.map(\.rawValue))
    }

    @Test("The schema's provider-model pattern accepts exactly the registry's models")
    func providerPattern() throws {
        let text = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Docs/scenario.schema.json"),
            encoding: .utf8
        )
        let kinds = ProviderModel.Kind.allCases.map(\.rawValue).joined(separator: "|")
        let profiles = ["seed", "newer"] + ProviderModel.allModels.filter(\.usesNewerProfile).map(\.profile.name)
        let pattern = "^(\(kinds))(@(\(profiles.joined(separator: "|"))))?$"
        #expect(text.components(separatedBy: "\"\(pattern)\"").count - 1 == 2, "expected \(pattern) twice")
        for model in ProviderModel.allModels {
            #expect(model.description.range(of: pattern, options: .regularExpression) != nil)
        }
    }
}
