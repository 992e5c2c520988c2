import ProviderRegistry
import ReleaseTestKit
import Testing

@testable import ReleaseCore

/// The fleet's queue (a four-ary heap) against a sorted list: pushes and pops interleaved at random, with many
/// ties in time, instance and rank, pop in (time, instance, rank) order.
@Suite("The deadline queue pops in time, then instance, then rank order")
struct DeadlineQueueTests {
    /// `CLOUDRELEASE_PROPERTY_RUNS` sets the number of random operations (default 5,000).
    static let runs = PropertyRunner<AnyInstance>.configuredRuns(fallback: 5_000)

    /// Deadlines that fit a word, and (`mixed`) as many that do not: times before 1970 and past 2106, instances
    /// from 2^27 and ranks from 32, each beside one that fits, so that the two heaps' heads are compared.
    static func element(_ random: inout SplitMix64, mixed: Bool) -> QueuedDeadline {
        let wordLimit = Int64(UInt32.max)
        var at = Int64.random(in: 0..<40, using: &random)
        var instance = Int32.random(in: 0..<6, using: &random)
        var kind = UInt8.random(in: 0..<7, using: &random)
        if mixed {
            switch Int.random(in: 0..<8, using: &random) {
            case 0: at = [-1, -40, wordLimit, wordLimit + 1, Int64.max, Int64.min].randomElement(using: &random)!
            case 1: instance = [1 << 27 - 1, 1 << 27, Int32.max].randomElement(using: &random)!
            case 2: kind = [31, 32, 255].randomElement(using: &random)!
            case 3: at = [wordLimit - 1, wordLimit].randomElement(using: &random)!
            default: break
            }
        }
        return QueuedDeadline(at: at, instance: instance, kind: kind)
    }

    @Test("Random pushes and pops give what a sorted list gives", arguments: [false, true])
    func againstSortedList(mixed: Bool) {
        var random = SplitMix64(seed: mixed ? 0x4_4EA8 : 0x4_4EA9)
        var queue = DeadlineQueue()
        var reference: [QueuedDeadline] = []
        for run in 0..<Self.runs {
            if reference.isEmpty || Int.random(in: 0..<5, using: &random) < 3 {
                let element = Self.element(&random, mixed: mixed)
                queue.push(element)
                reference.append(element)
            } else {
                reference.sort()
                let expected = reference.removeFirst()
                let popped = queue.popFirst()
                #expect(popped == expected, "run \(run)")
                if popped != expected { return }
            }
            #expect(queue.count == reference.count)
            #expect(queue.first == reference.min())
        }
        reference.sort()
        for expected in reference { #expect(queue.popFirst() == expected) }
        #expect(queue.popFirst() == nil)
    }

    @Test(
        "A deadline is a word exactly when its time, instance and rank fit one, and the word orders as it does",
        arguments: [
            (QueuedDeadline(at: 0, instance: 0, kind: 0), true),
            (QueuedDeadline(at: Int64(UInt32.max), instance: 1 << 27 - 1, kind: 31), true),
            (QueuedDeadline(at: Int64(UInt32.max) + 1, instance: 0, kind: 0), false),
            (QueuedDeadline(at: -1, instance: 0, kind: 0), false),
            (QueuedDeadline(at: 5, instance: 1 << 27, kind: 0), false),
            (QueuedDeadline(at: 5, instance: -1, kind: 0), false),
            (QueuedDeadline(at: 5, instance: 3, kind: 32), false),
        ]
    )
    func packing(element: QueuedDeadline, fits: Bool) {
        let word = DeadlineQueue.packed(element)
        #expect((word != nil) == fits)
        if let word { #expect(DeadlineQueue.unpacked(word) == element) }
    }

    @Test("Words order as deadlines do: time, then instance, then rank")
    func wordsOrderAsDeadlines() {
        var random = SplitMix64(seed: 0x4_4EAA)
        for _ in 0..<Self.runs {
            let lhs = QueuedDeadline(
                at: Int64.random(in: 0...Int64(UInt32.max), using: &random),
                instance: Int32.random(in: 0..<(1 << 27), using: &random),
                kind: UInt8.random(in: 0..<32, using: &random)
            )
            var rhs = lhs
            switch Int.random(in: 0..<3, using: &random) {
            case 0: rhs.at = Int64.random(in: 0...Int64(UInt32.max), using: &random)
            case 1: rhs.instance = Int32.random(in: 0..<(1 << 27), using: &random)
            default: rhs.kind = UInt8.random(in: 0..<32, using: &random)
            }
            #expect((DeadlineQueue.packed(lhs)! < DeadlineQueue.packed(rhs)!) == (lhs < rhs), "\(lhs) \(rhs)")
        }
    }
}
