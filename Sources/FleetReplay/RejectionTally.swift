/// Refusals counted by provider, then by code, as a replay meets them: about half of a trace's records.
///
/// A provider's codes are string literals, so the same code nearly always arrives as the same two words
/// (``StringBits``): a pair is found by its two strings' words, hashed into a small table of the pairs met, and the
/// text is compared only when the words are new (a code built at run time, or the same text in another literal), so
/// that one code is one count. A trace meets a few dozen pairs; a search of them by provider, then by code, cost
/// about 130 instructions a refusal, the table about 30 (Docs/Performance.md, "Refusals counted by their words
/// hashed").
struct RejectionTally {
    private struct Pair {
        let provider: String
        let code: String
        let providerBits: StringBits
        let codeBits: StringBits
        var count: Int
    }

    /// The pairs met, in the order met.
    private var met: [Pair] = []
    /// Each pair's place in ``met`` plus one (zero: empty), at the hash of its first strings' words; open addressing,
    /// at most half full. Only the strings the tally holds are placed, so that their words cannot be another
    /// string's storage later.
    private var places = [Int32](repeating: 0, count: 64)

    /// Counts one refusal of `provider` with `code`.
    // Inlined: as a call of its own, the applier's refusal path around it stopped being inlined into `apply`
    // (2.8 M more instructions on the 20k trace; Docs/Performance.md, "Refusals counted by their words, machines
    // moved, workers fed from the start").
    @inline(__always)
    mutating func count(provider: String, code: String) {
        let providerBits = StringBits(provider)
        let codeBits = StringBits(code)
        let mask = places.count - 1
        var slot = Int(truncatingIfNeeded: codeBits.mixed(with: providerBits)) & mask
        while places[slot] != 0 {
            let index = Int(places[slot]) - 1
            if met[index].codeBits == codeBits && met[index].providerBits == providerBits {
                met[index].count += 1
                return
            }
            slot = (slot + 1) & mask
        }
        countByText(provider: provider, code: code)
    }

    /// Counts a refusal whose strings' words are not a pair's: by their text, or as a new pair.
    private mutating func countByText(provider: String, code: String) {
        let length = code.utf8.count
        if let index = met.firstIndex(where: {
            $0.code.utf8.count == length && $0.code == code && $0.provider == provider
        }) {
            met[index].count += 1
            return
        }
        met.append(
            Pair(
                provider: provider,
                code: code,
                providerBits: StringBits(provider),
                codeBits: StringBits(code),
                count: 1
            )
        )
        if met.count * 2 > places.count {
            places = [Int32](repeating: 0, count: places.count * 2)
            for index in met.indices { place(index) }
        } else {
            place(met.count - 1)
        }
    }

    /// Places pair `index` at the first empty slot from its hash.
    private mutating func place(_ index: Int) {
        let mask = places.count - 1
        var slot = Int(truncatingIfNeeded: met[index].codeBits.mixed(with: met[index].providerBits)) & mask
        while places[slot] != 0 { slot = (slot + 1) & mask }
        places[slot] = Int32(index + 1)
    }

    /// How many provider-and-code pairs the tally holds: one for each pair of texts, however often it arrives and
    /// in whatever storage, so that its room and its searches grow with a trace's codes, not with its refusals.
    var pairs: Int { met.count }

    /// The counts, by provider, then by code.
    var byProvider: [String: [String: Int]] {
        var result: [String: [String: Int]] = [:]
        // Added, not set: two spellings of one text (canonically equivalent, of different lengths) are two entries
        // above and one key here.
        for pair in met { result[pair.provider, default: [:]][pair.code, default: 0] += pair.count }
        return result
    }
}

/// A string's two words as stored: equal words are the same string (the same literal, the same small string, or the
/// same storage, which the tally keeps alive while it holds the string), so a count finds a string it met before
/// without reading its text. Unequal words say nothing: the text is compared then.
struct StringBits: Equatable {
    private let words: (UInt64, UInt64)

    init(_ string: String) {
        // Copied rather than cast: a String is 16 bytes on 64-bit machines and 12 on 32-bit ones.
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { target in withUnsafeBytes(of: string) { target.copyMemory(from: $0) } }
        self.words = words
    }

    static func == (lhs: StringBits, rhs: StringBits) -> Bool { lhs.words == rhs.words }

    /// The two strings' four words mixed into one (a multiply and shifts): where a pair of them is placed.
    func mixed(with other: StringBits) -> UInt64 {
        let folded =
            (words.0 &* 0x9E37_79B9_7F4A_7C15) ^ words.1 ^ (other.words.0 &* 0xC2B2_AE3D_27D4_EB4F)
            ^ (other.words.1 &>> 3)
        return folded ^ (folded &>> 29) ^ (folded &>> 47)
    }
}
