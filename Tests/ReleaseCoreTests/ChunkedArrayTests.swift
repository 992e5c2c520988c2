import Testing

@testable import ReleaseCore

/// A chunked array holds what an `Array` holds, as a value, whatever its size (Docs/Performance.md, "Machines in
/// chunks").
@Suite("Chunked arrays are ordinary arrays")
struct ChunkedArrayTests {
    /// Counts its live instances, so that a test sees every element freed once.
    final class Tracked {
        nonisolated(unsafe) static var live = 0
        let value: Int
        init(_ value: Int) {
            self.value = value
            Self.live += 1
        }
        deinit { Self.live -= 1 }
    }

    /// Sizes around the chunks' edges (the first chunk is reserved whole; later ones are allocated when reached).
    static let sizes = [
        0, 1, 16, 17, ChunkedArray<Int>.chunkCapacity - 1, ChunkedArray<Int>.chunkCapacity,
        ChunkedArray<Int>.chunkCapacity + 1, 3 * ChunkedArray<Int>.chunkCapacity + 5,
    ]

    @Test("Appending keeps every element in order, and changing one changes that one", arguments: sizes)
    func holdsWhatAnArrayHolds(count: Int) {
        var chunked = ChunkedArray<String>()
        var plain: [String] = []
        for index in 0..<count {
            let element = index % 1_000 == 0 ? String(repeating: "x", count: 40) + "\(index)" : "\(index)"
            chunked.append(element)
            plain.append(element)
        }
        #expect(chunked.count == count)
        #expect(chunked.indices.map { chunked[$0] } == plain)
        for index in stride(from: 0, to: count, by: 997) {
            chunked[index] += "!"
            plain[index] += "!"
        }
        #expect(chunked.indices.map { chunked[$0] } == plain)
    }

    @Test("A copy is a value: changing or growing one side leaves the other as it was", arguments: sizes)
    func copiesAreValues(count: Int) {
        var original = ChunkedArray<Int>()
        for index in 0..<count { original.append(index) }
        var copy = original
        copy.append(-1)
        if count > 0 { copy[count - 1] = -2 }
        #expect(original.count == count)
        #expect(original.indices.allSatisfy { original[$0] == $0 })
        #expect(copy.count == count + 1)
        if count > 0 { #expect(copy[count - 1] == -2) }
        original.append(count)
        #expect(copy[count] == -1)
        #expect(original[count] == count)
    }

    @Test("Every element is freed once, copies and chunks included")
    func elementsAreFreedOnce() {
        let before = Tracked.live
        do {
            var array = ChunkedArray<Tracked>()
            for index in 0..<(2 * ChunkedArray<Tracked>.chunkCapacity + 3) { array.append(Tracked(index)) }
            var copy = array
            copy[0] = Tracked(-1)
            #expect(Tracked.live == before + array.count + 1)
            #expect(array[0].value == 0 && copy[0].value == -1)
            // A table of chunks that grows past its first room (16 chunks) keeps every chunk.
            var long = ChunkedArray<Tracked>()
            for index in 0..<(17 * ChunkedArray<Tracked>.chunkCapacity + 1) { long.append(Tracked(index)) }
            #expect(long[long.count - 1].value == long.count - 1)
            #expect(long[16 * ChunkedArray<Tracked>.chunkCapacity].value == 16 * ChunkedArray<Tracked>.chunkCapacity)
        }
        #expect(Tracked.live == before)
    }

    @Test("The edge bytes are the element's first and last bytes")
    func edgeBytes() {
        var array = ChunkedArray<(UInt8, UInt64, UInt8)>()
        for index in 0..<(ChunkedArray<Int>.chunkCapacity + 2) {
            array.append((UInt8(truncatingIfNeeded: index), 0, UInt8(truncatingIfNeeded: index &* 31)))
        }
        for index in [0, 1, ChunkedArray<Int>.chunkCapacity, ChunkedArray<Int>.chunkCapacity + 1] {
            #expect(
                array.edgeBytes(of: index) == UInt8(truncatingIfNeeded: index) ^ UInt8(truncatingIfNeeded: index &* 31)
            )
        }
    }
}
