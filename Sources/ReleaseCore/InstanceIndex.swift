/// The fleet's index from instance id to dense index: open addressing over one array of 8-byte slots.
///
/// A slot holds 32 bits of the id's hash and the index; the id itself is checked against the instance the slot
/// names (which the caller is about to touch anyway). At a million instances a lookup is a cache miss, and a
/// `Dictionary<String, Int32>` takes up to three (its bitmap, its key array, its value array) where this takes
/// one. Hashing stays Swift's seeded `Hasher`, so a trace crafted to collide cannot make lookups quadratic.
@usableFromInline
struct InstanceIndex: Sendable {
    /// `0` is empty; otherwise the hash's high 32 bits (the tag, which also picks the home slot) above
    /// `index + 1`. The size is a power of two.
    @usableFromInline var slots: [UInt64] = Array(repeating: 0, count: 16)
    @usableFromInline var count = 0

    @inlinable init() {}

    @inlinable static func hash(_ id: String) -> UInt64 {
        UInt64(truncatingIfNeeded: id.hashValue)
    }

    /// The index of the instance whose id hashes to `hash` and for which `matches` holds.
    @inlinable
    func find(hash: UInt64, matches: (Int32) -> Bool) -> Int32? {
        let mask = slots.count - 1
        let tag = hash >> 32
        var position = Int(truncatingIfNeeded: tag) & mask
        while true {
            let slot = slots[position]
            if slot == 0 { return nil }
            if slot >> 32 == tag {
                let index = Int32(truncatingIfNeeded: (slot & 0xFFFF_FFFF) - 1)
                if matches(index) { return index }
            }
            position = (position + 1) & mask
        }
    }

    /// Records `index` under `hash` (the caller has checked that the id is not there yet).
    @inlinable
    mutating func insert(hash: UInt64, index: Int32) {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        place(hash & 0xFFFF_FFFF_0000_0000 | UInt64(UInt32(index) + 1), at: Int(truncatingIfNeeded: hash >> 32))
        count += 1
    }

    @inlinable
    mutating func place(_ slot: UInt64, at start: Int) {
        let mask = slots.count - 1
        var position = start & mask
        while slots[position] != 0 { position = (position + 1) & mask }
        slots[position] = slot
    }

    /// Doubles the table. A slot's home is its tag (the hash's high 32 bits) modulo the size, so the stored tag
    /// is all it takes to place it again.
    @usableFromInline
    mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        for slot in old where slot != 0 { place(slot, at: Int(truncatingIfNeeded: slot >> 32)) }
    }
}
