package import ReleaseCore

/// The seeded choices a request fuzzer makes, shared by every front end's ``EmulatorFrontEnd/fuzzRequest(ids:now:keys:wallClock:choices:)``
/// and the fuzzer that drives them (EmulatorFuzzing): the same seed gives the same requests against the same
/// states.
package struct FuzzChoices {
    private var random: SplitMix64
    private var nonce = 0

    package init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    /// A number in `0..<bound` (0 for an empty range).
    package mutating func below(_ bound: Int) -> Int { Int(random.next() % UInt64(max(bound, 1))) }
    /// True `percent` times in a hundred.
    package mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    /// One of `values`, which is not empty.
    package mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }

    /// A known id, sometimes an unknown or malformed one (`prefix` is the provider's id prefix).
    package mutating func id(_ known: [String], prefix: String) -> String {
        if known.isEmpty || chance(10) {
            return pick([prefix + "missing0", "", "i-" + String(repeating: "9", count: 70)])
        }
        return pick(known)
    }

    /// One to three ids, sometimes one repeated.
    package mutating func ids(_ known: [String], prefix: String) -> [String] {
        var result = (0..<(1 + below(3))).map { _ in id(known, prefix: prefix) }
        if chance(5) { result.append(result[0]) }
        return result
    }

    /// A time for an automatic release: inside the window, at its edges, or out of range.
    package mutating func time(after now: Instant, secondPrecise: Bool) -> String {
        let offsets: [Int64] = [-3_600, 0, 1_799, 1_800, 1_860, 7_200, 86_400 * 30, 94_608_000, 94_608_060]
        var instant = now + Seconds(pick(offsets) + (secondPrecise ? Int64(below(60)) : 0))
        if chance(5) { instant = Instant(secondsSince1970: 253_402_300_799) }
        let text = instant.iso8601
        if chance(10) { return pick(["9999-12-31T23:59:59-08:00", "2026-02-30T00:00:00Z", "soon", ""]) }
        return secondPrecise || chance(20) ? text : String(text.prefix(16)) + "Z"
    }

    /// A name at, under and over `maximumBytes`, multi-byte, or with separators.
    package mutating func name(maximumBytes: Int) -> String {
        switch below(6) {
        case 0: return "web-" + String(below(1_000))
        case 1: return String(repeating: "名", count: maximumBytes / 3)
        case 2: return String(repeating: "n", count: maximumBytes)
        case 3: return String(repeating: "n", count: maximumBytes + 1)
        case 4: return "x"
        default: return "a,b;\"c\"\n"
        }
    }

    /// A boolean's text, or one that is not.
    package mutating func boolText() -> String { pick(["true", "false", "True", "False", "maybe", ""]) }

    /// A nonce not used before in this run.
    package mutating func nextNonce() -> String {
        nonce += 1
        return "fuzz-nonce-\(nonce)"
    }
}

/// An access key a request is signed with: its id and secret.
package struct SigningKey: Sendable {
    package var id: String
    package var secret: String

    package init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }
}
