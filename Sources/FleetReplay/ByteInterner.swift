import Foundation

/// Numbers byte strings densely (0, 1, 2, … in order of first sight) and keeps a value beside each, so that a
/// replay names an instance or an account by an integer instead of making and hashing a `String` for every
/// record.
///
/// Keys are compared as `String`s compare them: by canonical equivalence. ASCII keys (nearly every id) are
/// their own bytes; any other key is stored in Unicode Normalization Form C, so that two spellings a `String`
/// holds equal (a precomposed "é" and "e" with a combining accent, or the Kelvin sign and "K") get one number, as
/// they did when the replay kept ids in `String`-keyed dictionaries.
///
/// Open addressing with linear probing over a power-of-two table of one word a slot (the key's hash and its
/// number). A key of up to 15 bytes is stored inline in its entry beside its value, as a small `String` is, so a
/// lookup reads the table and one entry; longer keys live in one byte array.
struct ByteInterner<Value> {
    private struct Entry {
        /// A short key's first 8 bytes; a long key's offset in `longKeys`.
        var low: UInt64
        /// A short key's bytes 8 to 14 and its length in the top byte; a long key's length, top byte 0xFF.
        var high: UInt64
        var value: Value
    }

    private var entries: [Entry] = []
    private var longKeys: [UInt8] = []
    /// By hash slot: the key's hash in the high 32 bits and its number + 1 in the low (0 is an empty slot), so
    /// that a probe reads one word and compares keys only on a full-hash match.
    private var slots: [UInt64]

    /// An empty table with room for `capacity` keys before it first grows.
    init(capacity: Int = 1_024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
    }

    /// How many keys are numbered.
    var count: Int { entries.count }

    /// The value kept beside key `number`.
    subscript(value number: Int32) -> Value {
        get { entries[Int(number)].value }
        set { entries[Int(number)].value = newValue }
    }

    /// The number of `key`, or nil when it was never added.
    func number(of key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let (hash, isASCII) = Self.hash(key)
        if isASCII { return find(key, hash: hash) }
        return Self.normalized(key).withUnsafeBufferPointer { find($0, hash: Self.hash($0).hash) }
    }

    /// The number of `key`; a new key is added with `value`.
    mutating func add(_ key: UnsafeBufferPointer<UInt8>, value: Value) -> (number: Int32, isNew: Bool) {
        let (hash, isASCII) = Self.hash(key)
        if isASCII { return insert(key, hash: hash, value: value) }
        return Self.normalized(key).withUnsafeBufferPointer { insert($0, hash: Self.hash($0).hash, value: value) }
    }

    @inline(__always)
    private func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32? {
        let packed = Self.packed(key)
        return slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                let mask = slots.count - 1
                var slot = Int(hash) & mask
                while true {
                    let word = slots[slot]
                    if word == 0 { return nil }
                    let number = Int32(truncatingIfNeeded: word) - 1
                    if UInt32(truncatingIfNeeded: word >> 32) == hash {
                        let entry = entries[Int(number)]
                        if let packed {
                            if entry.low == packed.low && entry.high == packed.high { return number }
                        } else if matchesLong(entry, key) {
                            return number
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    private mutating func insert(
        _ key: UnsafeBufferPointer<UInt8>,
        hash: UInt32,
        value: Value
    ) -> (number: Int32, isNew: Bool) {
        if let number = find(key, hash: hash) { return (number, false) }
        if (count + 1) * 2 > slots.count { grow() }
        let number = Int32(count)
        if let packed = Self.packed(key) {
            entries.append(Entry(low: packed.low, high: packed.high, value: value))
        } else {
            entries.append(Entry(low: UInt64(longKeys.count), high: 0xFF << 56 | UInt64(key.count), value: value))
            longKeys.append(contentsOf: key)
        }
        place(number, hash: hash)
        return (number, true)
    }

    private mutating func place(_ number: Int32, hash: UInt32) {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = UInt64(hash) << 32 | UInt64(number + 1)
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: slots.count * 2)
        for word in old where word != 0 {
            place(Int32(truncatingIfNeeded: word) - 1, hash: UInt32(truncatingIfNeeded: word >> 32))
        }
    }

    private func matchesLong(_ entry: Entry, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard entry.high >> 56 == 0xFF, Int(entry.high & 0xFFFF_FFFF) == key.count else { return false }
        let start = Int(entry.low)
        return longKeys.withUnsafeBufferPointer { stored in
            memcmp(stored.baseAddress! + start, key.baseAddress!, key.count) == 0
        }
    }

    /// A key of up to 15 bytes in two words, its length in the top byte; nil for a longer key.
    @inline(__always)
    private static func packed(_ key: UnsafeBufferPointer<UInt8>) -> (low: UInt64, high: UInt64)? {
        guard key.count <= 15 else { return nil }
        var low: UInt64 = 0
        var high = UInt64(key.count) << 56
        for index in 0..<key.count {
            if index < 8 {
                low |= UInt64(key[index]) << (8 * UInt64(index))
            } else {
                high |= UInt64(key[index]) << (8 * UInt64(index - 8))
            }
        }
        return (low, high)
    }

    /// 32-bit FNV-1a, folded from 64 bits (ids are short; the table needs a spread, not a defence: a trace is
    /// the user's own file). Also says whether the key is ASCII, in the same pass.
    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> (hash: UInt32, isASCII: Bool) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var high: UInt8 = 0
        for byte in key {
            high |= byte
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return (UInt32(truncatingIfNeeded: hash ^ (hash >> 32)), high < 0x80)
    }

    /// The key's bytes in Normalization Form C (the caller has checked they are UTF-8).
    private static func normalized(_ key: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        Array(String(decoding: key, as: UTF8.self).precomposedStringWithCanonicalMapping.utf8)
    }
}
