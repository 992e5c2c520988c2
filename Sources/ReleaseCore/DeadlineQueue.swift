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

/// The fleet's pending deadlines, first due first: (time, instance, rank) order.
///
/// Nearly every deadline's time, instance and rank fit one 64-bit word, compared as a plain integer: the time's
/// seconds since 1970 (1970 to early 2106) in the high 32 bits, then the instance (below 2^27) and the rank (below
/// 32). Those are queued as words, half the bytes of a ``QueuedDeadline`` (a million pending take 8 MB, not 16, and
/// a node's four children are half a cache line), and any other deadline (an instant the model accepts outside that
/// range, a fleet past 2^27 instances, a machine with more than 32 kinds) in a heap of its own; the two heads are
/// compared on each pop (Docs/Performance.md, "Deadlines queued as words").
@usableFromInline struct DeadlineQueue: Sendable {
    /// The deadlines that fit a word (``packed(_:)``).
    @usableFromInline var words = FourAryHeap<UInt64>()
    /// The others, whole.
    @usableFromInline var others = FourAryHeap<QueuedDeadline>()

    @inlinable init() {}

    @inlinable var count: Int { words.count + others.count }

    @inlinable var first: QueuedDeadline? {
        let word = words.first.map(Self.unpacked)
        guard let other = others.first else { return word }
        guard let word else { return other }
        return other < word ? other : word
    }

    @inlinable mutating func push(_ element: QueuedDeadline) {
        if let word = Self.packed(element) {
            words.push(word)
        } else {
            others.push(element)
        }
    }

    @inlinable mutating func popFirst() -> QueuedDeadline? {
        if let other = others.first, words.first.map({ other < Self.unpacked($0) }) ?? true {
            return others.popFirst()
        }
        return words.popFirst().map(Self.unpacked)
    }

    /// The instances and ranks a word holds: below 2^27 and below 32.
    @usableFromInline static var instanceBits: UInt64 { 27 }
    @usableFromInline static var rankBits: UInt64 { 5 }

    /// `element` as one word ordered as the element is, or nil when a field does not fit.
    @inlinable static func packed(_ element: QueuedDeadline) -> UInt64? {
        guard element.at >= 0, element.at <= Int64(UInt32.max), element.instance >= 0,
            UInt64(element.instance) >> instanceBits == 0, UInt64(element.kind) >> rankBits == 0
        else { return nil }
        return UInt64(element.at) << 32 | UInt64(element.instance) << rankBits | UInt64(element.kind)
    }

    /// The deadline a word holds (``packed(_:)``).
    @inlinable static func unpacked(_ word: UInt64) -> QueuedDeadline {
        QueuedDeadline(
            at: Int64(word >> 32),
            instance: Int32(truncatingIfNeeded: (word & 0xFFFF_FFFF) >> rankBits),
            kind: UInt8(truncatingIfNeeded: word & ((1 << rankBits) - 1))
        )
    }
}

/// A four-ary min-heap: O(log n) push and pop, with a node's four children side by side (one cache line or less),
/// so that a pop from a million reads half the levels a binary heap does, and each level's children in one place
/// (Docs/Performance.md, "A heap of four").
@usableFromInline struct FourAryHeap<Element: Comparable & Sendable>: Sendable {
    @usableFromInline var heap: [Element] = []

    @inlinable init() {}

    @inlinable var count: Int { heap.count }
    @inlinable var first: Element? { heap.first }

    // Both sift through the heap's buffer: through the array, each step's read checked its bounds and each write
    // the storage's uniqueness (Docs/Performance.md, "The usual lines read quickly").
    @inlinable mutating func push(_ element: Element) {
        heap.appendAdvisingHugePages(element)
        heap.withUnsafeMutableBufferPointer { heap in
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 4
                guard element < heap[parent] else { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = element
        }
    }

    @inlinable mutating func popFirst() -> Element? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return top }
        heap.withUnsafeMutableBufferPointer { heap in
            let count = heap.count
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
        }
        return top
    }
}
