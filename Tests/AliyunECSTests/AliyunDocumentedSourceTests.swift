import AliyunECS
import ReleaseCore
import Testing

/// The table a refusal reads its source from is the commands' documented tables (Docs/Performance.md, "A released
/// instance's refusal without hashing").
@Suite("Aliyun documented sources")
struct AliyunDocumentedSourceTests {
    @Test("Each command's source of each code is the one its documented table lists", arguments: CommandKind.allCases)
    func sourcesEqualTheTables(command: CommandKind) {
        let documented = AliyunErrorCode.documented(command)
        for code in AliyunErrorCode.allCases {
            let source = AliyunErrorCode.documentedSource(of: code, for: command)
            #expect(source == documented.codes[code.code], "\(command) \(code)")
        }
        #expect(AliyunErrorCode.allCases.contains { AliyunErrorCode.documentedSource(of: $0, for: command) != nil })
    }
}
