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

    @Test("Random pushes and pops give what a sorted list gives")
    func againstSortedList() {
        var random = SplitMix64(seed: 0x4_4EA9)
        var queue = DeadlineQueue()
        var reference: [QueuedDeadline] = []
        for run in 0..<Self.runs {
            if reference.isEmpty || Int.random(in: 0..<5, using: &random) < 3 {
                let element = QueuedDeadline(
                    at: Int64.random(in: 0..<40, using: &random),
                    instance: Int32.random(in: 0..<6, using: &random),
                    kind: UInt8.random(in: 0..<7, using: &random)
                )
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
}
