import Testing

@testable import ReleaseCore

@Suite("The fleet's instance index")
struct InstanceIndexTests {
    /// Ids as a trace names them, and a few that share a prefix or differ in one byte.
    static let ids: [String] = (0..<5_000).map { "i-\($0)" } + ["i-", "I-1", "ins-00000000000000000001", "i-1 "]

    @Test("Every id inserted is found at its index through the table's growth; others are not")
    func findsWhatWasInserted() {
        var index = InstanceIndex()
        for (position, id) in Self.ids.enumerated() {
            let hash = InstanceIndex.hash(id)
            #expect(index.find(hash: hash) { Self.ids[Int($0)] == id } == nil)
            index.insert(hash: hash, index: Int32(position))
        }
        #expect(index.count == Self.ids.count)
        #expect(index.slots.count >= Self.ids.count * 4 / 3)
        for (position, id) in Self.ids.enumerated() {
            #expect(index.find(hash: InstanceIndex.hash(id)) { Self.ids[Int($0)] == id } == Int32(position))
        }
        for unknown in ["i-5000", "i-x", "", "i-00"] {
            #expect(index.find(hash: InstanceIndex.hash(unknown)) { Self.ids[Int($0)] == unknown } == nil)
        }
    }

    @Test("Ids whose hashes collide are told apart by the id check")
    func collidingHashes() {
        var index = InstanceIndex()
        let ids = ["a", "b", "c"]
        // The same hash for every id: one probe chain, resolved by comparing ids.
        for position in ids.indices { index.insert(hash: 42 << 32, index: Int32(position)) }
        for (position, id) in ids.enumerated() {
            #expect(index.find(hash: 42 << 32) { ids[Int($0)] == id } == Int32(position))
        }
        #expect(index.find(hash: 42 << 32) { ids[Int($0)] == "d" } == nil)
    }
}
