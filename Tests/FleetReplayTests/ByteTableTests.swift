import ProviderRegistry
import ReleaseCore
import ReleaseTestKit
import Testing

@testable import FleetReplay

/// The reader's id table (``ByteTable``) and account numbering (``ByteInterner``) against a `String`-keyed
/// dictionary: the same keys found, the same keys new, values kept, through every growth, for short, 15-byte, long
/// and non-ASCII keys whose spellings `String` holds equal.
@Suite("The reader's byte-keyed tables answer as String-keyed dictionaries do")
struct ByteTableTests {
    /// `CLOUDRELEASE_PROPERTY_RUNS` sets the number of random keys (default 20,000).
    static let runs = PropertyRunner<AnyInstance>.configuredRuns(fallback: 20_000)

    /// Keys a trace may hold: ids of every length around the inline limit, and spellings that are one `String`.
    static func key(_ random: inout SplitMix64) -> String {
        let number = Int.random(in: 0..<4_000, using: &random)
        switch Int.random(in: 0..<7, using: &random) {
        case 0: return "i-\(number)"
        case 1: return String(repeating: "x", count: 13) + String(number % 100)  // 14 or 15 bytes
        case 2: return "instance-with-a-long-id-\(number)"  // past the 15 inline bytes
        case 3: return "caf\u{E9}-\(number % 50)"  // precomposed é
        case 4: return "cafe\u{301}-\(number % 50)"  // e and a combining accent: the same String
        case 5: return "\u{212A}-\(number % 20)"  // the Kelvin sign, equal to "K-…"
        default: return "K-\(number % 20)"
        }
    }

    @Test("Random keys: found and added exactly as a dictionary keyed by String finds and adds them")
    func againstDictionary() {
        var random = SplitMix64(seed: 0xB7_7AB1E)
        var table = ByteTable<Int>(capacity: 4)
        var interner = ByteInterner<String>(capacity: 4)
        var reference: [String: Int] = [:]
        var numbers: [String: Int32] = [:]
        for run in 0..<Self.runs {
            let key = Self.key(&random)
            var spelled = key
            spelled.withUTF8 { bytes in
                let found = table.find(bytes).map { table[$0] }
                #expect(found == reference[key], "run \(run): \(key)")
                if Bool.random(using: &random) {
                    let (place, isNew) = table.insert(bytes, value: run)
                    #expect(isNew == (reference[key] == nil), "run \(run): \(key)")
                    if isNew { reference[key] = run }
                    #expect(table[place] == reference[key], "run \(run): \(key)")
                }
                let (number, isNew) = interner.add(bytes, value: key)
                #expect(isNew == (numbers[key] == nil), "run \(run): \(key)")
                if isNew { numbers[key] = Int32(numbers.count) }
                #expect(number == numbers[key], "run \(run): \(key)")
                #expect(interner.number(of: bytes) == numbers[key])
            }
        }
        #expect(table.count == reference.count)
        #expect(interner.count == numbers.count)
        // Every key is still where a lookup finds it after all the growth.
        for (key, value) in reference {
            var spelled = key
            spelled.withUTF8 { bytes in #expect(table.find(bytes).map { table[$0] } == value, "\(key)") }
        }
    }

    @Test(
        "A table grows in half steps: to the next power of two or one and a half times one",
        arguments: [(16, 24), (24, 32), (32, 48), (48, 64), (1 << 20, 3 << 19), (3 << 19, 1 << 21)]
    )
    func halfSteps(size: Int, next: Int) {
        #expect(ByteTable<Int32>.size(after: size) == next)
    }

    /// An entry is 24 bytes, so that 1 MiB is 43,690 entries: 32,768 doubles, 49,152 takes a half step.
    @Test(
        "A segment under 1 MiB doubles when it grows; a larger one grows in half steps",
        arguments: [(16, 32), (24, 48), (12_288, 24_576), (32_768, 65_536), (49_152, 65_536), (3 << 19, 1 << 21)]
    )
    func smallSegmentsDouble(size: Int, next: Int) {
        #expect(ByteTable<Int32>.grownSize(from: size) == next)
    }

    /// The documented bounds over every size a segment passes through, from the smallest to 2^26 entries: each is a
    /// power of two or one and a half times one; a growth under 1 MiB doubles; from 1 MiB on, a segment just grown
    /// (from three quarters full) is at most twice its keys, so at most 1.5 times the size it grew from.
    @Test("Every growth keeps a segment's size a half step, doubles it under 1 MiB, and is a half step from 1 MiB on")
    func growthBounds() {
        let stride = 24
        var size = 16
        while size < 1 << 26 {
            let next = ByteTable<Int32>.grownSize(from: size)
            let base = next & (next - 1) == 0 ? next : next / 3 * 2
            #expect(base & (base - 1) == 0 && (base == next || base / 2 * 3 == next), "\(next)")
            if size * stride < 1 << 20 {
                #expect(next == 2 * size, "\(size)")
            } else {
                #expect(next > size && next * 2 <= size * 3, "\(size) → \(next)")
            }
            size = next
        }
    }

    @Test("A million ids take 1.5 × 2^20 entries, not 2^21; at most three quarters are ever full")
    func sizedForCapacity() {
        #expect(ByteTable<Int32>(capacity: 1_000_000).entryCount == 3 << 19)
        #expect(ByteTable<Int32>(capacity: 786_432).entryCount == 1 << 20)
        #expect(ByteTable<Int32>(capacity: 786_433).entryCount == 3 << 19)
        var table = ByteTable<Int32>(capacity: 1)
        for index in 0..<5_000 {
            var key = "i-\(index)"
            key.withUTF8 { bytes in _ = table.insert(bytes, value: Int32(index)) }
            #expect(table.count * 4 <= table.entryCount * 3)
        }
    }

    /// A table is eight segments, each grown on its own, so that a growth holds one segment twice rather than the
    /// whole table (the ten-million-instance replay's peak).
    @Test("Segments grow one at a time, and ids numbered in order reach every segment")
    func segmentsGrowAlone() {
        var table = ByteTable<Int32>(capacity: 1)
        var sizes = table.segmentSizes
        #expect(sizes.count == ByteTable<Int32>.segmentCount)
        for index in 0..<5_000 {
            var key = "i-\(index)"
            key.withUTF8 { bytes in _ = table.insert(bytes, value: Int32(index)) }
            let grown = zip(sizes, table.segmentSizes).filter { $0 != $1 }
            #expect(grown.count <= 1, "insertion \(index) grew \(grown.count) segments")
            sizes = table.segmentSizes
        }
        #expect(sizes.allSatisfy { $0 > 16 }, "\(sizes)")
    }

    /// Places come from the hash's high bits, which FNV-1a alone spreads badly for ids that differ in their last
    /// bytes (120 to 185 entries a lookup for 20,000 ids): the mix after it must spread them as a uniform hash would.
    @Test(
        "Ids numbered in order are spread: a lookup reads about as many entries as with a uniform hash",
        arguments: [
            "i-", "ins-", "acct-7/i-",
        ]
    )
    func sequentialIDsSpread(prefix: String) {
        var table = ByteTable<Int32>(capacity: 1)
        let keys = (0..<20_000).map { "\(prefix)\($0)" }
        for (index, key) in keys.enumerated() {
            var key = key
            key.withUTF8 { bytes in _ = table.insert(bytes, value: Int32(index)) }
        }
        var probes = 0
        for key in keys {
            var key = key
            key.withUTF8 { bytes in probes += table.probeLength(of: bytes) }
        }
        let load = Double(table.count) / Double(table.entryCount)
        // A uniform hash with linear probing reads (1 + 1 / (1 − load)) / 2 entries a found key (Knuth).
        let uniform = (1 + 1 / (1 - load)) / 2
        let mean = Double(probes) / Double(keys.count)
        #expect(mean < uniform * 1.25, "\(prefix): \(mean) entries a lookup at load \(load); uniform \(uniform)")
    }

    /// Short keys are packed by words (loads that overlap) and read back byte by byte when the table grows: every byte
    /// of every length must land where growth reads it, or keys are misplaced (lost, or added twice) as the table grows
    /// from its smallest size.
    @Test("Keys of every length that differ in one byte are different keys, each found with its value after growth")
    func everyBytePosition() {
        var table = ByteTable<Int32>(capacity: 1)
        var keys: [String: Int32] = [:]
        for length in 1...20 {
            for position in -1..<length {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                if position >= 0 { bytes[position] = UInt8(ascii: "b") }
                let key = String(decoding: bytes, as: UTF8.self)
                let value = Int32(keys.count)
                let isNew = bytes.withUnsafeBufferPointer { table.insert($0, value: value).isNew }
                #expect(isNew, "\(key) was taken for a key before it")
                keys[key] = value
            }
        }
        for (key, value) in keys {
            var spelled = key
            spelled.withUTF8 { bytes in #expect(table.find(bytes).map { table[$0] } == value, "\(key)") }
        }
        #expect(table.count == keys.count)
    }

    @Test("A value set at a key's place is the value found for it")
    func placeHoldsValue() {
        var table = ByteTable<(account: Int32, slot: Int32)>(capacity: 1)
        var id = "i-0001"
        id.withUTF8 { bytes in
            let (place, isNew) = table.insert(bytes, value: (7, -1))
            #expect(isNew)
            table[place].slot = 3
            let found = table.find(bytes).map { table[$0] }
            #expect(found?.account == 7 && found?.slot == 3)
        }
        var other = "i-0002"
        other.withUTF8 { bytes in #expect(table.find(bytes) == nil) }
    }

    @Test("An empty key is a key like any other, apart from the empty entries")
    func emptyKey() {
        var table = ByteTable<Int32>(capacity: 1)
        var empty = ""
        var other = "i-1"
        empty.withUTF8 { bytes in
            #expect(table.find(bytes) == nil)
            #expect(table.insert(bytes, value: 5).isNew)
        }
        other.withUTF8 { bytes in #expect(table.insert(bytes, value: 6).isNew) }
        for index in 0..<40 {
            var key = "k\(index)"
            key.withUTF8 { bytes in _ = table.insert(bytes, value: Int32(index)) }
        }
        empty.withUTF8 { bytes in #expect(table.find(bytes).map { table[$0] } == 5) }
        other.withUTF8 { bytes in #expect(table.find(bytes).map { table[$0] } == 6) }
        #expect(table.count == 42)
    }

    @Test("A copy of a table is a value: what one side inserts or sets, the other does not see")
    func copiesAreValues() {
        var original = ByteTable<Int32>(capacity: 4)
        var first = "i-1"
        var second = "i-2"
        first.withUTF8 { bytes in _ = original.insert(bytes, value: 1) }
        var copy = original
        second.withUTF8 { bytes in _ = copy.insert(bytes, value: 2) }
        first.withUTF8 { bytes in
            let place = copy.find(bytes)!
            copy[place] = 10
            #expect(original.find(bytes).map { original[$0] } == 1)
            #expect(copy.find(bytes).map { copy[$0] } == 10)
        }
        second.withUTF8 { bytes in
            #expect(original.find(bytes) == nil)
            #expect(copy.find(bytes).map { copy[$0] } == 2)
        }
    }
}
