/// Refusals counted by provider, then by code, as a replay meets them: about half of a trace's records.
///
/// A trace meets a few dozen pairs, so a linear search costs less than hashing two strings per refusal. A provider's
/// codes are string literals, so the same code nearly always arrives as the same two words (``StringBits``): those
/// are compared first, and the text only when they differ (a code built at run time, or the same text in another
/// literal), so that one code is one count.
struct RejectionTally {
    private typealias CodeCount = (code: String, bits: StringBits, count: Int)
    private var providers: [(provider: String, bits: StringBits, codes: [CodeCount])] = []

    /// Counts one refusal of `provider` with `code`.
    // Inlined: as a call of its own, the applier's refusal path around it stopped being inlined into `apply`
    // (2.8 M more instructions on the 20k trace; Docs/Performance.md, "Refusals counted by their words, machines
    // moved, workers fed from the start").
    @inline(__always)
    mutating func count(provider: String, code: String) {
        let providerBits = StringBits(provider)
        guard
            let group = providers.firstIndex(where: { $0.bits == providerBits })
                ?? providers.firstIndex(where: { $0.provider == provider })
        else {
            providers.append((provider, providerBits, [(code, StringBits(code), 1)]))
            return
        }
        let codeBits = StringBits(code)
        if let index = providers[group].codes.firstIndex(where: { $0.bits == codeBits }) {
            providers[group].codes[index].count += 1
            return
        }
        let length = code.utf8.count
        if let index = providers[group].codes.firstIndex(where: { $0.code.utf8.count == length && $0.code == code }) {
            providers[group].codes[index].count += 1
        } else {
            providers[group].codes.append((code, codeBits, 1))
        }
    }

    /// How many provider-and-code pairs the tally holds: one for each pair of texts, however often it arrives and
    /// in whatever storage, so that its room and its searches grow with a trace's codes, not with its refusals.
    var pairs: Int { providers.reduce(0) { $0 + $1.codes.count } }

    /// The counts, by provider, then by code.
    var byProvider: [String: [String: Int]] {
        var result: [String: [String: Int]] = [:]
        for (provider, _, codes) in providers {
            // Added, not set: two spellings of one text (canonically equivalent, of different lengths) are two
            // entries above and one key here.
            for (code, _, count) in codes { result[provider, default: [:]][code, default: 0] += count }
        }
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
}
