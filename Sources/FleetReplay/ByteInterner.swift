import ReleaseCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A hash table from byte strings to values, each key stored in the table itself beside its value, so that
/// finding a key reads one place of the table (and, at most, the few places after it).
///
/// The replay looks up an instance id for every record. A table of numbers pointing into an array of entries
/// cost two dependent cache misses a lookup, the number's slot and then the entry, and at a million instances the
/// lookup was the reader's largest cost (Docs/Performance.md, "One place per id"). Here the entry is the slot.
///
/// Keys are compared as `String`s compare them: by canonical equivalence. ASCII keys (nearly every id) are
/// their own bytes; any other key is stored in Unicode Normalization Form C, so that two spellings a `String`
/// holds equal (a precomposed "é" and "e" with a combining accent, or the Kelvin sign and "K") are one key, as
/// they were when the replay kept ids in `String`-keyed dictionaries.
///
/// Open addressing with linear probing, at most three quarters full. A table's size is a power of two or one and a
/// half times one (16, 24, 32, 48, …), and a hash is mapped onto it by a multiply and a shift rather than a mask, so
/// that a table just grown is at most twice its keys (2.67 times with powers of two only): at a million ids, 1.5 ×
/// 2^20 entries (36 MiB) instead of 2^21 (48 MiB) (Docs/Performance.md, "A table sized in half steps"). A key of 1 to 15
/// bytes is stored inline in its entry, as a small `String` is; longer keys (and an empty one) live in one byte
/// array. An entry of zero bytes is empty, so that a new table is memory the kernel hands over zeroed (`calloc`),
/// never written before its keys are: filling a table with a marker was 2% of the 1M replay (Docs/Performance.md,
/// "A table that starts as zeroes").
struct ByteTable<Value: BitwiseCopyable> {
    private struct Entry {
        /// A short key's first 8 bytes; a long key's offset in `longKeys`.
        var low: UInt64
        /// A short key's bytes 8 to 14 and its length (1 to 15) in the top byte; a long key's length, top byte
        /// ``ByteTable/longMark``; an empty entry, zero.
        var high: UInt64
        var value: Value

        /// Whether the entry holds no key.
        var isEmpty: Bool { high >> 56 == 0 }
    }

    /// The entries, zeroed when allocated; the storage frees them. A copy of the table shares them until either
    /// side inserts or sets a value (``makeUnique()``).
    private final class Storage {
        let entries: UnsafeMutablePointer<Entry>
        let count: Int

        /// `count` empty entries (``ByteTable/size(after:)``), in memory that asks for huge pages when large.
        init(count: Int) {
            self.count = count
            let bytes = count * MemoryLayout<Entry>.stride
            guard let zeroed = calloc(count, MemoryLayout<Entry>.stride) else {
                fatalError("cannot allocate \(bytes) bytes for the id table")
            }
            HugePages.advise(UnsafeMutableRawBufferPointer(start: zeroed, count: bytes))
            entries = zeroed.bindMemory(to: Entry.self, capacity: count)
        }

        /// A storage of its own holding the same entries.
        func copy() -> Storage {
            let copy = Storage(count: count)
            copy.entries.update(from: entries, count: count)
            return copy
        }

        deinit { free(entries) }
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    private static var longMark: UInt64 { 0xFF }

    private var storage: Storage
    private var longKeys: [UInt8] = []
    /// How many keys the table holds.
    private(set) var count = 0

    /// Where a key is in the table: valid until the next insertion, which may move every key.
    struct Place {
        fileprivate let index: Int
    }

    /// An empty table with room for `capacity` keys before it first grows.
    init(capacity: Int = 1_024) {
        var size = 16
        while size * 3 < capacity * 4 { size = Self.size(after: size) }
        storage = Storage(count: size)
    }

    /// The size a table of `size` entries grows to: the next power of two or one and a half times one (16 → 24 →
    /// 32 → 48 → 64 …).
    static func size(after size: Int) -> Int {
        size & (size - 1) == 0 ? size + size / 2 : size / 3 * 4
    }

    /// The place a hash maps to in a table of `count` entries: the hash scaled to the count (a multiply and a
    /// shift, Lemire's "fast alternative to the modulo reduction"), so that any count takes every hash evenly.
    @inline(__always)
    private static func home(of hash: UInt32, count: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(hash) &* UInt64(count)) >> 32)
    }

    /// The value at `place`.
    subscript(place: Place) -> Value {
        get { storage.entries[place.index].value }
        set {
            makeUnique()
            storage.entries[place.index].value = newValue
        }
    }

    /// A key's hash, found once and used for its place, its lookup and its insertion (a reader hashes each id once:
    /// Docs/Performance.md, "Each id hashed once").
    struct KeyHash {
        fileprivate let value: UInt32
        /// Whether the key is ASCII, and so its own normal form; any other key is hashed again once normalised.
        fileprivate let isASCII: Bool
    }

    /// The hash of `key`'s bytes as they are.
    static func keyHash(_ key: UnsafeBufferPointer<UInt8>) -> KeyHash {
        let (value, isASCII) = hash(key)
        return KeyHash(value: value, isASCII: isASCII)
    }

    /// Where `key` is, or nil when the table does not hold it.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Place? {
        find(key, hashed: Self.keyHash(key))
    }

    /// Where `key`, whose ``keyHash(_:)`` is `hashed`, is, or nil when the table does not hold it.
    func find(_ key: UnsafeBufferPointer<UInt8>, hashed: KeyHash) -> Place? {
        if hashed.isASCII { return find(key, hash: hashed.value).found }
        return Self.normalized(key).withUnsafeBufferPointer { find($0, hash: Self.hash($0).hash).found }
    }

    /// How many entries the table has (its keys and its empty entries).
    var entryCount: Int { storage.count }

    /// How many entries a lookup of `key`, an ASCII key, reads before it finds it or an empty entry: how well the hash
    /// spreads keys (tests read it; a uniform hash at three quarters full reads 2.5 on average).
    func probeLength(of key: UnsafeBufferPointer<UInt8>) -> Int {
        let packed = Self.packed(key)
        var index = firstPlace(of: key)
        var length = 1
        while !storage.entries[index].isEmpty {
            let entry = storage.entries[index]
            if let packed, entry.low == packed.low && entry.high == packed.high { break }
            if packed == nil && matchesLong(entry, key) { break }
            index += 1
            if index == storage.count { index = 0 }
            length += 1
        }
        return length
    }

    /// The first place `key` may be in (where a lookup starts).
    func firstPlace(of key: UnsafeBufferPointer<UInt8>) -> Int {
        firstPlace(hashed: Self.keyHash(key))
    }

    /// The first place a key whose ``keyHash(_:)`` is `hashed` may be in (an ASCII key's exactly; another key's
    /// normal form may start elsewhere).
    func firstPlace(hashed: KeyHash) -> Int {
        Self.home(of: hashed.value, count: storage.count)
    }

    /// Reads the given places (from ``firstPlace(of:)``; others are skipped) and returns their bytes folded, changing
    /// nothing: a reader that knows its next keys reads their places together, so that their cache misses overlap
    /// (``TraceReader/read(_:into:)-(LineGroup,_)``).
    func touch(_ places: UnsafeBufferPointer<Int>) -> UInt64 {
        var folded: UInt64 = 0
        for place in places where place >= 0 && place < storage.count { folded ^= storage.entries[place].high }
        return folded
    }

    /// Where `key` is; a new key is added with `value`.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, value: Value) -> (place: Place, isNew: Bool) {
        insert(key, hashed: Self.keyHash(key), value: value)
    }

    /// Where `key`, whose ``keyHash(_:)`` is `hashed`, is; a new key is added with `value`.
    mutating func insert(
        _ key: UnsafeBufferPointer<UInt8>,
        hashed: KeyHash,
        value: Value
    ) -> (place: Place, isNew: Bool) {
        if hashed.isASCII { return insert(key, hash: hashed.value, value: value) }
        return Self.normalized(key).withUnsafeBufferPointer { insert($0, hash: Self.hash($0).hash, value: value) }
    }

    /// The key's place, or the empty entry where it would go.
    @inline(__always)
    private func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt32) -> (found: Place?, empty: Int) {
        let packed = Self.packed(key)
        let entries = storage.entries
        let count = storage.count
        var index = Self.home(of: hash, count: count)
        while true {
            let entry = entries[index]
            if entry.isEmpty { return (nil, index) }
            if let packed {
                if entry.low == packed.low && entry.high == packed.high { return (Place(index: index), index) }
            } else if matchesLong(entry, key) {
                return (Place(index: index), index)
            }
            index += 1
            if index == count { index = 0 }
        }
    }

    private mutating func insert(
        _ key: UnsafeBufferPointer<UInt8>,
        hash: UInt32,
        value: Value
    ) -> (place: Place, isNew: Bool) {
        var (found, empty) = find(key, hash: hash)
        if let found { return (found, false) }
        makeUnique()
        if (count + 1) * 4 > storage.count * 3 {
            grow()
            empty = find(key, hash: hash).empty
        }
        if let packed = Self.packed(key) {
            storage.entries[empty] = Entry(low: packed.low, high: packed.high, value: value)
        } else {
            storage.entries[empty] = Entry(
                low: UInt64(longKeys.count),
                high: Self.longMark << 56 | UInt64(key.count),
                value: value
            )
            longKeys.append(contentsOf: key)
        }
        count += 1
        return (Place(index: empty), true)
    }

    /// Grows the table to its next size (``size(after:)``), placing every key again by its hash (recomputed from
    /// its stored bytes).
    private mutating func grow() {
        let old = storage
        // Read at a random place per record: large, it asks for huge pages (``HugePages``).
        storage = Storage(count: Self.size(after: old.count))
        let count = storage.count
        for oldIndex in 0..<old.count where !old.entries[oldIndex].isEmpty {
            let entry = old.entries[oldIndex]
            var index = Self.home(of: storedHash(entry), count: count)
            while !storage.entries[index].isEmpty {
                index += 1
                if index == count { index = 0 }
            }
            storage.entries[index] = entry
        }
    }

    /// The hash of an entry's key, from the bytes it stores (already normalised).
    private func storedHash(_ entry: Entry) -> UInt32 {
        if entry.high >> 56 == Self.longMark {
            let start = Int(entry.low)
            let length = Int(entry.high & 0xFFFF_FFFF)
            return longKeys.withUnsafeBufferPointer {
                Self.hash(UnsafeBufferPointer(rebasing: $0[start..<start + length])).hash
            }
        }
        // Byte i of a short key is bits 8i to 8i + 7 of the pair (``packed(_:)``): laid out little-endian, in order.
        var bytes = (entry.low.littleEndian, (entry.high & 0x00FF_FFFF_FFFF_FFFF).littleEndian)
        let length = Int(entry.high >> 56)
        return withUnsafeBytes(of: &bytes) { raw in
            Self.hash(UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[0..<length])).hash
        }
    }

    private func matchesLong(_ entry: Entry, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard entry.high >> 56 == Self.longMark, Int(entry.high & 0xFFFF_FFFF) == key.count else { return false }
        let start = Int(entry.low)
        return longKeys.withUnsafeBufferPointer { stored in
            memcmp(stored.baseAddress! + start, key.baseAddress!, key.count) == 0
        }
    }

    /// A key of 1 to 15 bytes in two words, its length in the top byte; nil for a longer or an empty key.
    @inline(__always)
    private static func packed(_ key: UnsafeBufferPointer<UInt8>) -> (low: UInt64, high: UInt64)? {
        // An empty key would look like an empty entry: it is stored as a long one.
        let count = key.count
        guard count <= 15, count > 0, let base = key.baseAddress else { return nil }
        // Read by words, not bytes (a lookup packs every id it reads): byte i of the key is bits 8i to 8i + 7 of the
        // pair, as a little-endian load gives. Two loads that overlap cover any length from a word to two words, and
        // never read outside the key.
        let raw = UnsafeRawPointer(base)
        func word(at offset: Int) -> UInt64 {
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        func half(at offset: Int) -> UInt64 {
            UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        }
        var low: UInt64
        var high = UInt64(count) << 56
        switch count {
        case 8...15:
            low = word(at: 0)
            // The last 8 bytes, of which the first 16 − count are low's again.
            if count > 8 { high |= word(at: count - 8) >> (8 * UInt64(16 - count)) }
        case 4...7:
            // The last 4 bytes, of which the first 8 − count are the first load's again.
            low = half(at: 0) | (half(at: count - 4) >> (8 * UInt64(8 - count))) << 32
        default:
            low = 0
            for index in 0..<count { low |= UInt64(key[index]) << (8 * UInt64(index)) }
        }
        return (low, high)
    }

    /// 64-bit FNV-1a, folded and then mixed to 32 bits (ids are short; the table needs a spread, not a defence: a
    /// trace is the user's own file). Also says whether the key is ASCII, in the same pass.
    ///
    /// A table place is taken from the hash's *high* bits (``home(of:count:)``), where FNV-1a alone spreads ids that
    /// differ in their last bytes poorly: "i-0" to "i-199999" in a table half full probed 33 places a key on
    /// average. The last multiply by 2^64 / φ (Fibonacci hashing) spreads every bit of the fold into the high ones:
    /// 1.5 places, as a uniform hash would.
    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> (hash: UInt32, isASCII: Bool) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var high: UInt8 = 0
        for byte in key {
            high |= byte
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let mixed = (hash ^ (hash >> 32)) &* 0x9E37_79B9_7F4A_7C15
        return (UInt32(truncatingIfNeeded: mixed >> 32), high < 0x80)
    }

    /// The key's bytes in Normalization Form C (the caller has checked they are UTF-8): the standard library's own
    /// form, the one `String`'s `==` compares by (Foundation's `precomposedStringWithCanonicalMapping` is not in
    /// `FoundationEssentials`).
    private static func normalized(_ key: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        String(decoding: key, as: UTF8.self)._nfcCodeUnits
    }
}

/// Numbers byte strings densely (0, 1, 2, … in order of first sight) and keeps a value beside each, so that a
/// replay names an account by an integer instead of making and hashing a `String` for every record. Keys are
/// compared as ``ByteTable`` compares them (canonical equivalence).
struct ByteInterner<Value> {
    private var numbers: ByteTable<Int32>
    private var values: [Value] = []

    /// An empty interner with room for `capacity` keys before it first grows.
    init(capacity: Int = 1_024) {
        numbers = ByteTable(capacity: capacity)
    }

    /// How many keys are numbered.
    var count: Int { values.count }

    /// The value kept beside key `number`.
    subscript(value number: Int32) -> Value {
        get { values[Int(number)] }
        set { values[Int(number)] = newValue }
    }

    /// The number of `key`, or nil when it was never added.
    func number(of key: UnsafeBufferPointer<UInt8>) -> Int32? {
        numbers.find(key).map { numbers[$0] }
    }

    /// The number of `key`; a new key is added with `value`.
    mutating func add(_ key: UnsafeBufferPointer<UInt8>, value: Value) -> (number: Int32, isNew: Bool) {
        let (place, isNew) = numbers.insert(key, value: Int32(values.count))
        if isNew { values.append(value) }
        return (numbers[place], isNew)
    }
}
