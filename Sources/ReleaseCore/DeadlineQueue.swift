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

/// A binary min-heap of deadlines: O(log n) push and pop, so the cost per event grows as log n.
@usableFromInline struct DeadlineQueue: Sendable {
    @usableFromInline var heap: [QueuedDeadline] = []

    @inlinable init() {}

    @inlinable var count: Int { heap.count }
    @inlinable var first: QueuedDeadline? { heap.first }

    @inlinable mutating func push(_ element: QueuedDeadline) {
        heap.append(element)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    @inlinable mutating func popFirst() -> QueuedDeadline? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count && heap[left] < heap[smallest] { smallest = left }
                if right < heap.count && heap[right] < heap[smallest] { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
