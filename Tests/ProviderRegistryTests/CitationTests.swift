import AliyunECS
import FleetReplay
import Foundation
import ProviderRegistry
import ReleaseComparison
import ReleaseCore
import Reporting
import Scenarios
import TencentCVM
import TestSupport
import Testing

/// Each provider cites through one catalogue (`AliyunSource.catalogue`, `TencentSource.catalogue`): every
/// code its rules cite resolves there, and every catalogue entry is cited by some rule.
@Suite("Citations resolve, and every source is used")
struct CitationTests {
    struct Module: CustomTestStringConvertible, Sendable {
        var folder: String
        var catalogueType: String
        var kind: ProviderModel.Kind
        var testDescription: String { folder }
    }

    static let modules = [
        Module(folder: "AliyunECS", catalogueType: "AliyunSource", kind: .aliyun),
        Module(folder: "TencentCVM", catalogueType: "TencentSource", kind: .tencent),
    ]

    @Test("Every cited code resolves and every catalogue entry is cited", arguments: modules)
    func catalogue(module: Module) throws {
        let folder = repositoryRoot.appendingPathComponent("Sources/\(module.folder)")
        let catalogue = module.kind.providerType.sourceCatalogue
        let code = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".swift") && !$0.hasSuffix("Sources.swift") }
            .map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
            .joined(separator: "\n")
        // Codes written as literals in the rules: `.cited("AD7")`, `.citing("T2", "Q13")`, `(fate, "Q8")`.
        let literal = try NSRegularExpression(pattern: #""((?:A|AD|AM|T|TD|TM|Q|C)[0-9]+)""#)
        var literals: Set<String> = []
        for match in literal.matches(in: code, range: NSRange(code.startIndex..., in: code)) {
            literals.insert(String(code[Range(match.range(at: 1), in: code)!]))
        }
        #expect(!literals.isEmpty)
        for cited in literals {
            #expect(catalogue[cited] != nil, "\(module.folder) cites \(cited), not in its catalogue")
        }
        // Catalogue entries referenced by name: `AliyunSource.q7`, `TencentSource.td2RunInstances`.
        let named = try NSRegularExpression(pattern: "\(module.catalogueType)\\.([a-zA-Z0-9]+)")
        var names: Set<String> = []
        for match in named.matches(in: code, range: NSRange(code.startIndex..., in: code)) {
            names.insert(String(code[Range(match.range(at: 1), in: code)!]))
        }
        let sourcesFile = try String(
            contentsOf: folder.appendingPathComponent(
                "\(module.catalogueType.replacingOccurrences(of: "Source", with: ""))Sources.swift"
            ),
            encoding: .utf8
        )
        for (entryCode, citation) in catalogue {
            // The static property that holds this citation, found by its code in the catalogue file.
            let declaration = try NSRegularExpression(
                pattern: #"static let (\w+) = Citation(?:\.model)?\(\s*(?:code: )?""#
                    + NSRegularExpression.escapedPattern(for: entryCode) + "\""
            )
            let match = declaration.firstMatch(
                in: sourcesFile,
                range: NSRange(sourcesFile.startIndex..., in: sourcesFile)
            )
            let property = match.map { String(sourcesFile[Range($0.range(at: 1), in: sourcesFile)!]) }
            let used = literals.contains(entryCode) || property.map(names.contains) == true
            #expect(used, "\(module.folder): catalogue entry \(entryCode) (\(citation.document)) is never cited")
        }
    }
}
