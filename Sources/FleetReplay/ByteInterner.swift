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
/// Open addressing with linear probing, in eight segments chosen by a hash's top bits, each at most three quarters
/// full and grown on its own, so that a growth holds one eighth of the table twice, not all of it (at ten million ids
/// the whole table's last growth held 700 MB at once: Docs/Performance.md, "A table in segments"). A segment's size
/// is a power of two or one and a half times one (16, 24, 32, 48, …), and the hash's other bits are mapped onto it by
/// a multiply and a shift rather than a mask, so that a segment of 1 MiB or more just grown is at most twice its keys
/// (2.67 times with powers of two only): at a million ids, 1.5 × 2^20 entries in all (36 MiB) instead of 2^21 (48 MiB)
/// (Docs/Performance.md, "A table sized in half steps"). A smaller segment doubles, in fewer steps, and its new entries
/// are mapped in one call rather than a page fault at a time, since a growth writes all over them (Docs/Performance.md,
/// "Small segments doubled, grown segments populated"). A key of 1 to 15
/// bytes is stored inline in its entry, as a small `String` is; longer keys (and an empty one) live in one byte
/// array. An entry of zero bytes is empty, so that a new segment is memory the kernel hands over zeroed (`mmap`),
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

    /// The segments' entries, zeroed when allocated; the storage frees them. A copy of the table shares them until
    /// either side inserts or sets a value (``makeUnique()``).
    private final class Storage {
        // Fixed-size buffers behind `let`s rather than arrays in `var`s: read on every lookup, and a class's `var`
        // is checked for exclusive access at run time on each read (`swift_beginAccess`, 4% of the replay).
        /// Each segment's entries.
        let segments: UnsafeMutablePointer<UnsafeMutablePointer<Entry>>
        /// How many entries each segment has (``ByteTable/size(after:)``).
        let sizes: UnsafeMutablePointer<Int>
        /// How many keys each segment holds.
        let keys: UnsafeMutablePointer<Int>

        /// ``ByteTable/segmentCount`` segments of `size` empty entries each.
        init(segmentSize size: Int) {
            let count = ByteTable.segmentCount
            segments = .allocate(capacity: count)
            sizes = .allocate(capacity: count)
            keys = .allocate(capacity: count)
            for segment in 0..<count {
                (segments + segment).initialize(to: Storage.allocate(size))
                (sizes + segment).initialize(to: size)
                (keys + segment).initialize(to: 0)
            }
        }

        private init(copying other: Storage) {
            let count = ByteTable.segmentCount
            segments = .allocate(capacity: count)
            sizes = .allocate(capacity: count)
            keys = .allocate(capacity: count)
            sizes.initialize(from: other.sizes, count: count)
            keys.initialize(from: other.keys, count: count)
            for segment in 0..<count {
                let entries = Storage.allocate(other.sizes[segment])
                entries.update(from: other.segments[segment], count: other.sizes[segment])
                (segments + segment).initialize(to: entries)
            }
        }

        /// `count` empty entries, in memory that asks for huge pages when large (read at a random place per record).
        ///
        /// Mapped from the kernel, which hands it over zeroed, and unmapped when freed (``release(_:count:)``):
        /// `calloc` kept a grown segment's old entries in the C library's heap once freed, still resident (5 MB more
        /// at a million ids than one table).
        static func allocate(_ count: Int, populated: Bool = false) -> UnsafeMutablePointer<Entry> {
            let bytes = count * MemoryLayout<Entry>.stride
            let mapped = MappedMemory.map(bytes)
            HugePages.advise(UnsafeMutableRawBufferPointer(start: mapped, count: bytes))
            if populated { MappedMemory.populate(mapped, bytes: bytes) }
            return mapped.bindMemory(to: Entry.self, capacity: count)
        }

        /// Gives back `count` entries from ``allocate(_:)``.
        static func release(_ entries: UnsafeMutablePointer<Entry>, count: Int) {
            MappedMemory.unmap(UnsafeMutableRawPointer(entries), bytes: count * MemoryLayout<Entry>.stride)
        }

        /// A storage of its own holding the same entries.
        func copy() -> Storage { Storage(copying: self) }

        deinit {
            for segment in 0..<ByteTable.segmentCount { Storage.release(segments[segment], count: sizes[segment]) }
            segments.deallocate()
            sizes.deallocate()
            keys.deallocate()
        }
    }

    /// How many segments a table has, and the hash bits that choose one (the top three).
    static var segmentCount: Int { 8 }
    private static var segmentShift: UInt32 { 29 }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    private static var longMark: UInt64 { 0xFF }

    private var storage: Storage
    private var longKeys: [UInt8] = []

    /// How many keys the table holds, in all its segments.
    var count: Int { (0..<Self.segmentCount).reduce(0) { $0 + storage.keys[$1] } }

    /// Where a key is in the table: valid until the next insertion, which may move every key.
    struct Place {
        fileprivate let segment: Int
        fileprivate let index: Int
    }

    /// An empty table with room for `capacity` keys (spread evenly over its segments) before it first grows.
    init(capacity: Int = 1_024) {
        let perSegment = (capacity + Self.segmentCount - 1) / Self.segmentCount
        var size = 16
        while size * 3 < perSegment * 4 { size = Self.size(after: size) }
        storage = Storage(segmentSize: size)
    }

    /// The size a table of `size` entries grows to: the next power of two or one and a half times one (16 → 24 →
    /// 32 → 48 → 64 …).
    static func size(after size: Int) -> Int {
        size & (size - 1) == 0 ? size + size / 2 : size / 3 * 4
    }

    /// The size a segment of `size` entries grows to: twice the size while its entries take less than
    /// ``doublingBytes``, then the next half step (``size(after:)``). Half steps keep a large table's last size near its
    /// keys (the memory that matters); below that a growth's page faults and moved keys cost more than the memory a
    /// doubling may leave unused (at 100,000 ids, one growth a segment instead of two: Docs/Performance.md, "Small
    /// segments doubled, grown segments populated").
    static func grownSize(from size: Int) -> Int {
        size * MemoryLayout<Entry>.stride < doublingBytes ? 2 * size : Self.size(after: size)
    }

    /// The size below which a segment doubles when it grows: 1 MiB of entries.
    static var doublingBytes: Int { 1 << 20 }

    /// The segment a hash chooses: its top bits.
    @inline(__always)
    private static func segment(of hash: UInt32) -> Int { Int(hash >> segmentShift) }

    /// The place a hash maps to in a segment of `count` entries: the hash's bits below the segment's scaled to the
    /// count (a multiply and a shift, Lemire's "fast alternative to the modulo reduction"), so that any count takes
    /// every hash evenly.
    @inline(__always)
    private static func home(of hash: UInt32, count: Int) -> Int {
        let below = UInt64(hash & (1 << segmentShift - 1))
        return Int(truncatingIfNeeded: (below &* UInt64(count)) >> UInt64(segmentShift))
    }

    /// The value at `place`.
    subscript(place: Place) -> Value {
        get { storage.segments[place.segment][place.index].value }
        set {
            makeUnique()
            storage.segments[place.segment][place.index].value = newValue
        }
    }

    /// A key's hash, found once and used for its place, its lookup and its insertion (a reader hashes each id once:
    /// Docs/Performance.md, "Each id hashed once").
    struct KeyHash {
        fileprivate let value: UInt32
        /// Whether the key is ASCII, and so its own normal form; any other key is hashed again once normalised.
        fileprivate let isASCII: Bool
        /// A short key's packed words (``packed(_:)``), which its hash is made from and its lookup compares: made
        /// once, with the hash.
        fileprivate let packed: (low: UInt64, high: UInt64)?
    }

    /// The hash of `key`'s bytes as they are.
    @inline(__always)
    static func keyHash(_ key: UnsafeBufferPointer<UInt8>) -> KeyHash {
        guard let packed = packed(key) else {
            let (value, isASCII) = bytesHash(key)
            return KeyHash(value: value, isASCII: isASCII, packed: nil)
        }
        // A packed key's top byte is its length (at most 15), so the top bit of every byte is the key's own.
        let isASCII = (packed.low | packed.high) & 0x8080_8080_8080_8080 == 0
        return KeyHash(value: hash(packed: packed), isASCII: isASCII, packed: packed)
    }

    /// Where `key` is, or nil when the table does not hold it.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Place? {
        find(key, hashed: Self.keyHash(key))
    }

    /// Where `key`, whose ``keyHash(_:)`` is `hashed`, is, or nil when the table does not hold it.
    func find(_ key: UnsafeBufferPointer<UInt8>, hashed: KeyHash) -> Place? {
        if hashed.isASCII { return find(key, hashed).found }
        return Self.normalized(key).withUnsafeBufferPointer { find($0, Self.keyHash($0)).found }
    }

    /// How many entries the table has (its keys and its empty entries), in all its segments.
    var entryCount: Int { segmentSizes.reduce(0, +) }

    /// How many entries each segment has.
    var segmentSizes: [Int] { (0..<Self.segmentCount).map { storage.sizes[$0] } }

    /// How many entries a lookup of `key`, an ASCII key, reads before it finds it or an empty entry: how well the hash
    /// spreads keys (tests read it; a uniform hash at three quarters full reads 2.5 on average).
    func probeLength(of key: UnsafeBufferPointer<UInt8>) -> Int {
        let hashed = Self.keyHash(key)
        let (found, empty) = find(key, hashed)
        let reached = found ?? empty
        let count = storage.sizes[reached.segment]
        return (reached.index - Self.home(of: hashed.value, count: count) + count) % count + 1
    }

    /// The first place `key` may be in (where a lookup starts).
    func firstPlace(of key: UnsafeBufferPointer<UInt8>) -> Int {
        firstPlace(hashed: Self.keyHash(key))
    }

    /// The first place a key whose ``keyHash(_:)`` is `hashed` may be in (an ASCII key's exactly; another key's
    /// normal form may start elsewhere), as one number: its segment in the bits from ``placeSegmentShift`` up.
    func firstPlace(hashed: KeyHash) -> Int {
        let segment = Self.segment(of: hashed.value)
        return segment << Self.placeSegmentShift | Self.home(of: hashed.value, count: storage.sizes[segment])
    }

    /// Where a place number (``firstPlace(hashed:)``) keeps its segment.
    private static var placeSegmentShift: Int { 40 }

    /// Reads the given places (from ``firstPlace(of:)``; others are skipped) and returns their bytes folded, changing
    /// nothing: a reader that knows its next keys reads their places together, so that their cache misses overlap
    /// (``TraceReader/read(_:into:)-(LineGroup,_)``).
    func touch(_ places: UnsafeBufferPointer<Int>) -> UInt64 {
        var folded: UInt64 = 0
        for place in places where place >= 0 {
            let segment = place >> Self.placeSegmentShift
            let index = place & (1 << Self.placeSegmentShift - 1)
            guard segment < Self.segmentCount, index < storage.sizes[segment] else { continue }
            // The entry's first and last bytes: an entry of 24 bytes lies across two cache lines at two of every
            // eight places, and a lookup reads its key's words and then its value.
            let entry = UnsafeRawPointer(storage.segments[segment] + index)
            folded ^= UInt64(
                entry.load(as: UInt8.self) ^ entry.load(fromByteOffset: MemoryLayout<Entry>.size - 1, as: UInt8.self)
            )
        }
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
        if hashed.isASCII { return insert(key, hashed, value: value) }
        return Self.normalized(key).withUnsafeBufferPointer { insert($0, Self.keyHash($0), value: value) }
    }

    /// The key's place, or the empty entry where it would go; `hashed` is the key's own (normalised when it is not
    /// ASCII).
    @inline(__always)
    private func find(_ key: UnsafeBufferPointer<UInt8>, _ hashed: KeyHash) -> (found: Place?, empty: Place) {
        let (hash, packed) = (hashed.value, hashed.packed)
        let segment = Self.segment(of: hash)
        let entries = storage.segments[segment]
        let count = storage.sizes[segment]
        var index = Self.home(of: hash, count: count)
        while true {
            let entry = entries[index]
            let place = Place(segment: segment, index: index)
            if entry.isEmpty { return (nil, place) }
            if let packed {
                if entry.low == packed.low && entry.high == packed.high { return (place, place) }
            } else if matchesLong(entry, key) {
                return (place, place)
            }
            index += 1
            if index == count { index = 0 }
        }
    }

    private mutating func insert(
        _ key: UnsafeBufferPointer<UInt8>,
        _ hashed: KeyHash,
        value: Value
    ) -> (place: Place, isNew: Bool) {
        var (found, empty) = find(key, hashed)
        if let found { return (found, false) }
        makeUnique()
        if (storage.keys[empty.segment] + 1) * 4 > storage.sizes[empty.segment] * 3 {
            grow(empty.segment)
            empty = find(key, hashed).empty
        }
        let entry: Entry
        if let packed = hashed.packed {
            entry = Entry(low: packed.low, high: packed.high, value: value)
        } else {
            entry = Entry(low: UInt64(longKeys.count), high: Self.longMark << 56 | UInt64(key.count), value: value)
            longKeys.append(contentsOf: key)
        }
        storage.segments[empty.segment][empty.index] = entry
        storage.keys[empty.segment] += 1
        return (empty, true)
    }

    /// Grows segment `segment` to its next size (``size(after:)``), placing each of its keys again by its hash
    /// (recomputed from its stored bytes; the hash's top bits, and so the segment, are the same). The other segments
    /// stay as they are, so that only this segment is held twice meanwhile.
    private mutating func grow(_ segment: Int) {
        let old = storage.segments[segment]
        let oldCount = storage.sizes[segment]
        let count = Self.grownSize(from: oldCount)
        let entries = Storage.allocate(count, populated: true)
        for oldIndex in 0..<oldCount where !old[oldIndex].isEmpty {
            let entry = old[oldIndex]
            var index = Self.home(of: storedHash(entry), count: count)
            while !entries[index].isEmpty {
                index += 1
                if index == count { index = 0 }
            }
            entries[index] = entry
        }
        storage.segments[segment] = entries
        storage.sizes[segment] = count
        Storage.release(old, count: oldCount)
    }

    /// The hash of an entry's key, from the bytes it stores (already normalised).
    private func storedHash(_ entry: Entry) -> UInt32 {
        if entry.high >> 56 == Self.longMark {
            let start = Int(entry.low)
            let length = Int(entry.high & 0xFFFF_FFFF)
            return longKeys.withUnsafeBufferPointer {
                Self.bytesHash(UnsafeBufferPointer(rebasing: $0[start..<start + length])).hash
            }
        }
        // A short key's entry holds its packed words, which are what it was hashed from.
        return Self.hash(packed: (entry.low, entry.high))
    }

    private func matchesLong(_ entry: Entry, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard entry.high >> 56 == Self.longMark, Int(entry.high & 0xFFFF_FFFF) == key.count else { return false }
        let start = Int(entry.low)
        return longKeys.withUnsafeBufferPointer { stored in
            memcmp(stored.baseAddress! + start, key.baseAddress!, key.count) == 0
        }
    }

    /// A key of 1 to 15 bytes in two words, its length in the top byte; nil for a longer or an empty key. Two keys'
    /// words are equal exactly when their bytes are.
    @inline(__always)
    static func packed(_ key: UnsafeBufferPointer<UInt8>) -> (low: UInt64, high: UInt64)? {
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

    /// The hash of a short key's packed words (``keyHash(_:)``; a longer or empty key is hashed by its bytes,
    /// ``bytesHash(_:)``): the full-width product of the two words, each with a constant mixed in, folded (the
    /// "multiply and fold" of wyhash), then mixed as ``bytesHash(_:)`` mixes, so that every bit of the key reaches
    /// the high bits a table place is taken from. A lookup packs the key anyway, and the one multiply replaces
    /// hashing its bytes one at a time, about 40 instructions an id (Docs/Performance.md, "Ids hashed by their
    /// words").
    @inline(__always)
    private static func hash(packed: (low: UInt64, high: UInt64)) -> UInt32 {
        let product = (packed.low ^ 0xA076_1D64_78BD_642F).multipliedFullWidth(by: packed.high ^ 0xE703_7ED1_A0B4_28DB)
        let folded = product.high ^ product.low
        let mixed = (folded ^ (folded >> 32)) &* 0x9E37_79B9_7F4A_7C15
        return UInt32(truncatingIfNeeded: mixed >> 32)
    }

    /// 64-bit FNV-1a, folded and then mixed to 32 bits (ids are short; the table needs a spread, not a defence: a
    /// trace is the user's own file). Also says whether the key is ASCII, in the same pass.
    ///
    /// A table place is taken from the hash's *high* bits (its segment, then ``home(of:count:)``), where FNV-1a alone
    /// spreads ids that differ in their last bytes poorly: "i-0" to "i-199999" in a table half full probed 33 places a
    /// key on average. The last multiply by 2^64 / φ (Fibonacci hashing) spreads every bit of the fold into the high ones:
    /// 1.5 places, as a uniform hash would.
    private static func bytesHash(_ key: UnsafeBufferPointer<UInt8>) -> (hash: UInt32, isASCII: Bool) {
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
