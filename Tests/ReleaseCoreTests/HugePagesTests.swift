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

    @Test("Appending plain bytes past the threshold keeps every element in order")
    func appendKeepsPlainElements() {
        var advised: [Int64] = []
        let count = 2 * HugePages.threshold / MemoryLayout<Int64>.stride + 5
        for index in 0..<count { advised.appendAdvisingHugePages(Int64(index) * 7) }
        #expect(advised.count == count)
        #expect(advised.enumerated().allSatisfy { $0.element == Int64($0.offset) * 7 })
    }

    @Test("A large array of one value is that value throughout", arguments: [0, 1, 17, 1 << 20])
    func repeating(count: Int) {
        let advised = [Int32](advisingHugePages: -1, count: count)
        #expect(advised == [Int32](repeating: -1, count: count))
    }
}
