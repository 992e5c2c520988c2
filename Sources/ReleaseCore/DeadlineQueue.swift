/// A timer in the fleet's queue: instance `instance`'s deadline of `kind` at `at`.
@usableFromInline struct QueuedDeadline: Comparable, Sendable {
    @usableFromInline var at: Int64
    @usableFromInline var instance: Int32
    @usableFromInline var kind: UInt8

    @inlinable init(at: Int64, instance: Int32, kind: UInt8) {
        self.at = at
        self.instance = instance
        self.kind = kind
    }

    /// Time first; at the same second, instances in the order they were added; then deadline-kind order.
    @inlinable static func < (lhs: QueuedDeadline, rhs: QueuedDeadline) -> Bool {
        if lhs.at != rhs.at { return lhs.at < rhs.at }
        if lhs.instance != rhs.instance { return lhs.instance < rhs.instance }
        return lhs.kind < rhs.kind
    }
}

/// A four-ary min-heap of deadlines: O(log n) push and pop, with a node's four children side by side (64 bytes,
/// one or two cache lines), so that a pop from a million pending deadlines reads half the levels a binary heap
/// does, and each level's children in one place (Docs/Performance.md, "A heap of four").
@usableFromInline struct DeadlineQueue: Sendable {
    @usableFromInline var heap: [QueuedDeadline] = []

    @inlinable init() {}

    @inlinable var count: Int { heap.count }
    @inlinable var first: QueuedDeadline? { heap.first }

    @inlinable mutating func push(_ element: QueuedDeadline) {
        heap.appendAdvisingHugePages(element)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 4
            guard element < heap[parent] else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = element
    }

    @inlinable mutating func popFirst() -> QueuedDeadline? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        let count = heap.count
        guard count > 0 else { return top }
        var parent = 0
        while true {
            let firstChild = 4 * parent + 1
            guard firstChild < count else { break }
            var smallest = firstChild
            var child = firstChild + 1
            let end = min(firstChild + 4, count)
            while child < end {
                if heap[child] < heap[smallest] { smallest = child }
                child += 1
            }
            guard heap[smallest] < last else { break }
            heap[parent] = heap[smallest]
            parent = smallest
        }
        heap[parent] = last
        return top
    }
}
