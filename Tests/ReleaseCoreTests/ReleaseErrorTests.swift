import Foundation
import ReleaseCore
import Testing

/// A refusal keeps its reason unrendered until read: equality, hashing and encoding see the rendered sentences,
/// however the error keeps them.
@Suite("Release errors: reasons rendered when read")
struct ReleaseErrorTests {
    private static func error(_ text: ReleaseError.Text) -> ReleaseError {
        ReleaseError(
            code: "InvalidParameter",
            httpStatus: 400,
            provider: ProviderID(rawValue: "test"),
            phase: .running,
            command: .release,
            text: text,
            source: .model("T1", "a test's rule", "测试规则")
        )
    }

    private static func error(_ reason: some RefusalReason) -> ReleaseError { error(.rendered(by: reason)) }

    /// The same error built by the initialiser that takes sentences.
    private static func error(_ english: String, _ chinese: String?) -> ReleaseError {
        let keyed = error(.sentences(english: "", chinese: nil))
        return ReleaseError(
            code: keyed.code,
            httpStatus: keyed.httpStatus,
            provider: keyed.provider,
            phase: keyed.phase,
            command: keyed.command,
            message: english,
            chineseMessage: chinese,
            source: keyed.source
        )
    }

    /// One row: a shared reason and the sentences it renders.
    struct Row: Sendable, CustomTestStringConvertible {
        let reason: SharedRefusalReason
        let english: String
        let chinese: String
        var testDescription: String { english }
    }

    static let rows: [Row] = [
        Row(
            reason: .tooManyIDs(api: "DeleteInstances", limit: 100, given: 101),
            english: "DeleteInstances takes at most 100 ids, got 101",
            chinese: "DeleteInstances 最多 100 个实例 ID，实际 101 个"
        ),
        Row(
            reason: .beyondCapacity(disks: 65, snapshots: 0),
            english: "an instance has at most 64 disks and 64 snapshots here (this one: 65 and 0)",
            chinese: "一个实例至多 64 块盘、64 个快照（此实例：65 块、0 个）"
        ),
    ]

    @Test("A reason renders its values in both languages", arguments: rows)
    func renders(row: Row) {
        let keyed = Self.error(row.reason)
        #expect(keyed.message == row.english)
        #expect(keyed.chineseMessage == row.chinese)
        #expect(keyed.description.hasSuffix(": InvalidParameter (HTTP 400): \(row.english) [T1]"))
    }

    @Test("A keyed error equals, hashes and encodes like one given the same sentences", arguments: rows)
    func sameAsSentences(row: Row) throws {
        let keyed = Self.error(row.reason)
        let given = Self.error(row.english, row.chinese)
        #expect(keyed == given)
        #expect(Set([keyed, given]).count == 1)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(keyed) == encoder.encode(given))
        #expect(keyed != Self.error(row.english, nil))
        #expect(keyed != Self.error(row.english + ".", row.chinese))
    }

    @Test("Encoded with the sentences rendered, under the documented keys")
    func encodedKeys() throws {
        let keyed = Self.error(SharedRefusalReason.tooManyIDs(api: "TerminateInstances", limit: 100, given: 200))
        let object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(keyed)) as? [String: Any]
        )
        #expect(
            Set(object.keys) == [
                "code", "httpStatus", "provider", "phase", "command", "message", "chineseMessage", "source",
            ]
        )
        #expect(object["message"] as? String == "TerminateInstances takes at most 100 ids, got 200")
    }

    /// A refusal is copied on every hop from its rule to its engine: within 128 bytes the copies are made inline,
    /// beyond them each one is a call to `memcpy` (Docs/Performance.md, "Refusals within 128 bytes").
    @Test("An error fits in 128 bytes, and its HTTP status reads back as set")
    func errorFitsInline() {
        #expect(MemoryLayout<ReleaseError>.size <= 128)
        var keyed = Self.error(.sentences(english: "refused", chinese: nil))
        #expect(keyed.httpStatus == 400)
        for status in [100, 200, 403, 404, 599] {
            keyed.httpStatus = status
            #expect(keyed.httpStatus == status)
        }
        keyed.httpStatus = nil
        #expect(keyed.httpStatus == nil)
    }
}
