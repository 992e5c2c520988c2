import Foundation
import ReleaseCore
import Testing

@Suite("Release flags: a set of words with no capacity")
struct ReleaseFlagsTests {
    static let wipe = ReleaseFlag("wipe")
    static let keep = ReleaseFlag("keep")
    static let force = ReleaseFlag("force")

    @Test(
        "A set is its flags, whatever order they were named in and however often",
        arguments: [
            [wipe, keep, force], [force, keep, wipe], [keep, wipe, force, keep], [wipe, wipe, keep, force, force],
        ]
    )
    func order(named: [ReleaseFlag]) {
        let flags = ReleaseFlags(named)
        let reference: ReleaseFlags = [Self.force, Self.keep, Self.wipe]
        #expect(flags == reference)
        #expect(flags.hashValue == reference.hashValue)
        #expect(flags.count == 3)
        #expect(Array(flags) == [Self.force, Self.keep, Self.wipe])
        #expect(flags.words == "force keep wipe")
        #expect(flags.description == "force, keep, wipe")
    }

    @Test("A set holds any number of flags (no bit capacity): 300 distinct words")
    func noCapacity() {
        let many = (0..<300).map { ReleaseFlag("flag-\($0)") }
        var flags = ReleaseFlags()
        for flag in many.reversed() {
            let inserted = flags.insert(flag)
            #expect(inserted)
        }
        #expect(flags.count == 300)
        #expect(many.allSatisfy { flags.contains($0) })
        let insertedAgain = flags.insert(many[150])
        #expect(!insertedAgain)
        #expect(flags.count == 300)
        #expect(flags.subtracting(many.dropLast()) == [many[299]])
    }

    @Test("Subtracting, union and disjointness are a set's")
    func algebra() {
        let flags: ReleaseFlags = [Self.force, Self.wipe]
        #expect(flags.subtracting([Self.force]) == [Self.wipe])
        #expect(flags.subtracting([Self.force, Self.wipe]).isEmpty)
        #expect(flags.subtracting([]) == flags)
        #expect(flags.union([Self.keep, Self.force]) == [Self.force, Self.keep, Self.wipe])
        #expect(flags.isDisjoint(with: [Self.keep]))
        #expect(!flags.isDisjoint(with: [Self.keep, Self.wipe]))
        #expect(!flags.contains(Self.keep))
        #expect(ReleaseFlags().words == "none")
        #expect(ReleaseFlags().description == "no flags")
    }

    @Test("Words are compared byte for byte: canonically equivalent spellings are two flags, in one order")
    func bytes() {
        let pairs: [(String, String)] = [
            ("caf\u{E9}", "cafe\u{301}"), ("\u{212A}eep", "Keep"), ("a\u{301}\u{316}", "a\u{316}\u{301}"),
        ]
        for (one, other) in pairs {
            let (a, b) = (ReleaseFlag(one), ReleaseFlag(other))
            #expect(a != b)
            #expect((a < b) != (b < a))
            #expect(ReleaseFlags([a, b]).count == 2)
            #expect(ReleaseFlags([a, b]) == ReleaseFlags([b, a]))
            #expect(Array(ReleaseFlags([a, b])) == Array(ReleaseFlags([b, a])))
        }
    }

    @Test("Flags encode as their words and decode back")
    func codable() throws {
        let flags: ReleaseFlags = [Self.wipe, Self.force]
        let data = try JSONEncoder().encode(flags)
        #expect(String(decoding: data, as: UTF8.self) == #"["force","wipe"]"#)
        #expect(try JSONDecoder().decode(ReleaseFlags.self, from: data) == flags)
    }

    @Test(
        "A flag's word is one word of a trace line",
        arguments: [
            ("force", true), ("terminate-subscription", true), ("", false), ("wipe all", false), ("a,b", false),
            ("say\"", false), ("tab\t", false), ("清除", false), (String(repeating: "w", count: 64), true),
            (String(repeating: "w", count: 65), false),
        ]
    )
    func writable(word: String, writable: Bool) {
        #expect(ReleaseFlag.isWritable(word) == writable)
    }
}
