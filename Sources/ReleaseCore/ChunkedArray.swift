/// A growable array whose elements never move once the array has grown past one chunk: storage for a fleet's
/// machines, millions of which are appended one at a time.
///
/// An `Array` that grows moves everything it holds into storage twice the size, and holds the old and the new
/// storage together while it does: at a million machines the new storage's first writes were most of the replay's
/// page faults, and at ten million the two storages were most of its peak (Docs/Performance.md, "Machines in
/// chunks"). Here elements live in chunks of ``chunkCapacity``, each allocated once and never moved; every chunk but
/// the first is asked for huge pages before it is first written (``HugePages``). The first chunk is room reserved
/// whole (``MappedMemory``) in ordinary pages, which the kernel backs only where elements are written: a small array
/// costs the pages it uses, as when the first chunk grew by doubling (a small array's last huge page would be mostly
/// room it never uses: Docs/Performance.md, "A small fleet in ordinary pages"), and nothing is moved, nor any page
/// written twice, as it grows (Docs/Performance.md, "Room reserved, not moved").
///
/// A value type with copy-on-write, like `Array`: a copy shares the chunks until either side changes.
@usableFromInline
package struct ChunkedArray<Element> {
    /// Elements per chunk (a power of two): 65,536 machines of 96 bytes are three huge pages.
    @inlinable package static var chunkShift: Int { 16 }
    @inlinable package static var chunkCapacity: Int { 1 << chunkShift }

    /// Frees the chunks and the elements they hold when the last copy of the array goes.
    @usableFromInline
    final class Owner {
        @usableFromInline let chunks: UnsafeMutablePointer<UnsafeMutablePointer<Element>>
        /// Room in `chunks`.
        @usableFromInline let chunkRoom: Int
        // Unchecked: the array writes `count` at every append, and a class's checked `var` costs a run-time access
        // check each time (`swift_beginAccess`, 100 instructions a launch; Docs/Performance.md, "The usual lines read
        // quickly"). Only the array that owns this object touches it, as its copy-on-write makes sure.
        @exclusivity(unchecked) @usableFromInline var chunkCount = 0
        @exclusivity(unchecked) @usableFromInline var count = 0

        @inlinable init(chunkRoom: Int) {
            self.chunkRoom = chunkRoom
            chunks = .allocate(capacity: chunkRoom)
        }

        deinit {
            var remaining = count
            for index in 0..<chunkCount {
                let held = Swift.min(remaining, ChunkedArray.chunkCapacity)
                chunks[index].deinitialize(count: held)
                ChunkedArray.free(chunks[index], first: index == 0)
                remaining -= held
            }
            chunks.deallocate()
        }
    }

    /// The chunks' addresses, copied out of the owner so that reading an element reads no class property.
    @usableFromInline var chunks: UnsafeMutablePointer<UnsafeMutablePointer<Element>>
    @usableFromInline var owner: Owner
    /// How many elements the array holds.
    @usableFromInline package private(set) var count = 0

    /// An empty array.
    @inlinable package init() {
        owner = Owner(chunkRoom: 16)
        chunks = owner.chunks
    }

    @inlinable package var indices: Range<Int> { 0..<count }

    /// The address of element `index` (which the array holds).
    @inlinable func address(_ index: Int) -> UnsafeMutablePointer<Element> {
        precondition(index >= 0 && index < count, "index \(index) out of 0..<\(count)")
        return chunks[index >> Self.chunkShift] + (index & (Self.chunkCapacity - 1))
    }

    @inlinable package subscript(index: Int) -> Element {
        _read { yield address(index).pointee }
        _modify {
            makeUnique()
            yield &address(index).pointee
        }
    }

    /// The first and last byte of element `index`, folded: what ``Fleet/touch(_:)`` reads to bring an element into
    /// the cache. Changes nothing.
    @inlinable package func edgeBytes(of index: Int) -> UInt8 {
        let bytes = UnsafeRawPointer(address(index))
        return bytes.load(as: UInt8.self) ^ bytes.load(fromByteOffset: MemoryLayout<Element>.size - 1, as: UInt8.self)
    }

    /// Appends `element`; a new chunk is allocated when the last is full, and nothing already held moves.
    @inlinable package mutating func append(_ element: consuming Element) {
        makeUnique()
        let place = count & (Self.chunkCapacity - 1)
        if place == 0 && count >> Self.chunkShift == owner.chunkCount { addChunk() }
        (chunks[count >> Self.chunkShift] + place).initialize(to: consume element)
        count += 1
        owner.count = count
    }

    /// Adds a chunk after the last: the first, reserved whole in ordinary pages, or a later one in huge pages.
    @usableFromInline mutating func addChunk() {
        if owner.chunkCount == owner.chunkRoom {
            let larger = Owner(chunkRoom: 2 * owner.chunkRoom)
            larger.chunks.moveInitialize(from: owner.chunks, count: owner.chunkCount)
            (larger.chunkCount, larger.count) = (owner.chunkCount, count)
            // The old owner now holds nothing to free but its table.
            (owner.chunkCount, owner.count) = (0, 0)
            owner = larger
            chunks = larger.chunks
        }
        chunks[owner.chunkCount] = Self.allocateChunk(first: owner.chunkCount == 0)
        owner.chunkCount += 1
    }

    /// Storage for a chunk's elements. The first chunk is mapped room in ordinary pages (the type's comment says why);
    /// a later one is asked for huge pages before anything is written to it and, when large, aligned to a huge page,
    /// so that it is whole huge pages.
    @usableFromInline static func allocateChunk(first: Bool) -> UnsafeMutablePointer<Element> {
        let bytes = chunkCapacity * MemoryLayout<Element>.stride
        let raw: UnsafeMutableRawPointer
        if first {
            // Page-aligned, so an element of a cache line's size (a fleet's machine) is one line, not two halves.
            raw = MappedMemory.map(bytes)
            HugePages.adviseAgainst(UnsafeMutableRawBufferPointer(start: raw, count: bytes))
        } else {
            // A small chunk to a cache line, so that an element of a line's size is one line, not two halves.
            let small = Swift.max(Self.cacheLine, MemoryLayout<Element>.alignment)
            let alignment = bytes >= HugePages.threshold ? HugePages.pageSize : small
            raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: alignment)
            HugePages.advise(UnsafeMutableRawBufferPointer(start: raw, count: bytes))
        }
        return raw.bindMemory(to: Element.self, capacity: chunkCapacity)
    }

    /// The bytes of a cache line on the machines this package runs on (x86-64 and arm64 servers).
    @usableFromInline static var cacheLine: Int { 64 }

    /// Frees a chunk from ``allocateChunk(first:)``, whose elements are already gone.
    @usableFromInline static func free(_ chunk: UnsafeMutablePointer<Element>, first: Bool) {
        if first {
            MappedMemory.unmap(UnsafeMutableRawPointer(chunk), bytes: chunkCapacity * MemoryLayout<Element>.stride)
        } else {
            chunk.deallocate()
        }
    }

    /// Copies the elements into chunks of this array's own when another copy shares them.
    @inlinable mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&owner) { copyChunks() }
    }

    @usableFromInline mutating func copyChunks() {
        let copy = Owner(chunkRoom: owner.chunkRoom)
        var remaining = count
        for index in 0..<owner.chunkCount {
            let held = Swift.min(remaining, Self.chunkCapacity)
            let chunk = Self.allocateChunk(first: index == 0)
            chunk.initialize(from: chunks[index], count: held)
            copy.chunks[index] = chunk
            remaining -= held
        }
        (copy.chunkCount, copy.count) = (owner.chunkCount, count)
        owner = copy
        chunks = copy.chunks
    }
}

extension ChunkedArray: @unchecked Sendable where Element: Sendable {}
