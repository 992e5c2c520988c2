import Testing

@testable import ReleaseCore

/// Large arrays that ask for huge pages hold exactly what plain arrays hold.
@Suite("Arrays that ask for huge pages are ordinary arrays")
struct HugePagesTests {
    @Test("Appending past the threshold keeps every element in order, references included")
    func appendKeepsElements() {
        var advised: [String] = []
        var plain: [String] = []
        let count = 2 * HugePages.threshold / MemoryLayout<String>.stride + 3
        for index in 0..<count {
            let element = index % 1_000 == 0 ? String(repeating: "x", count: 40) + "\(index)" : "\(index)"
            advised.appendAdvisingHugePages(element)
            plain.append(element)
        }
        #expect(advised == plain)
        #expect(advised.capacity >= count)
    }

    @Test("A large array of one value is that value throughout", arguments: [0, 1, 17, 1 << 20])
    func repeating(count: Int) {
        let advised = [Int32](advisingHugePages: -1, count: count)
        #expect(advised == [Int32](repeating: -1, count: count))
    }
}
