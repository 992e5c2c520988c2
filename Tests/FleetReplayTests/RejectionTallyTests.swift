import Testing

@testable import FleetReplay

/// The replay's count of refusals: one count per provider and code, whichever storage the code's text arrives in.
@Suite("Refusals counted by provider and code")
struct RejectionTallyTests {
    /// A code's text in storage of its own, as a code built at run time would be.
    private static func built(_ text: String) -> String { String(decoding: Array(text.utf8), as: UTF8.self) }

    @Test("the same code counts once, from a literal or from text built at run time")
    func sameCodeInOtherStorage() {
        var tally = RejectionTally()
        let literal = "InvalidInstanceId.NotFound"
        let built = Self.built(literal)
        #expect(StringBits(literal) != StringBits(built))
        tally.count(provider: "aliyun", code: literal)
        tally.count(provider: "aliyun", code: built)
        tally.count(provider: Self.built("aliyun"), code: Self.built(literal))
        #expect(tally.byProvider == ["aliyun": ["InvalidInstanceId.NotFound": 3]])
        #expect(tally.pairs == 1)
    }

    @Test("a code built afresh for every refusal is one pair, not one per refusal")
    func oneCodeBuiltAfreshIsOnePair() {
        var tally = RejectionTally()
        for _ in 0..<1_000 {
            tally.count(
                provider: Self.built("a-provider-registered-at-run-time"),
                code: Self.built("Busy.RetryAfterAWhile")
            )
        }
        #expect(tally.pairs == 1)
        #expect(tally.byProvider == ["a-provider-registered-at-run-time": ["Busy.RetryAfterAWhile": 1_000]])
    }

    @Test("two spellings of one code (canonically equivalent, of different lengths) are one count, as a summary's key")
    func canonicallyEquivalentCodes() {
        var tally = RejectionTally()
        tally.count(provider: "made-up", code: "Caf\u{E9}.Closed")
        tally.count(provider: "made-up", code: "Cafe\u{301}.Closed")
        #expect(tally.byProvider == ["made-up": ["Caf\u{E9}.Closed": 2]])
    }

    @Test("a provider counts once, its name from a literal or built at run time (a name too long to be held inline)")
    func sameProviderInOtherStorage() {
        var tally = RejectionTally()
        let provider = "a-provider-registered-at-run-time"
        tally.count(provider: provider, code: "InvalidInstanceId.NotFound")
        tally.count(provider: Self.built(provider), code: "InvalidInstanceId.NotFound")
        #expect(StringBits(provider) != StringBits(Self.built(provider)))
        #expect(tally.byProvider == [provider: ["InvalidInstanceId.NotFound": 2]])
        #expect(tally.pairs == 1)
    }

    @Test("one literal code of two providers is two pairs, each counted by its words")
    func literalCodeOfTwoProviders() {
        var tally = RejectionTally()
        for _ in 0..<3 {
            tally.count(provider: "aliyun", code: "InvalidInstanceId.NotFound")
            tally.count(provider: "tencent", code: "InvalidInstanceId.NotFound")
        }
        tally.count(provider: "tencent", code: "InvalidInstanceId.NotFound")
        #expect(tally.pairs == 2)
        #expect(
            tally.byProvider == [
                "aliyun": ["InvalidInstanceId.NotFound": 3], "tencent": ["InvalidInstanceId.NotFound": 4],
            ]
        )
    }

    @Test("one code of two hundred providers: each provider's count its own, however their words meet in the table")
    func oneCodeOfManyProviders() {
        var tally = RejectionTally()
        // Kept, so that each string arrives as the same words every time; long enough to live in storage of its own.
        let code = Self.built("Shared.Code.Refused")
        let providers = (0..<200).map { Self.built("provider-number-\($0)-of-many") }
        for _ in 0..<3 {
            for provider in providers { tally.count(provider: provider, code: code) }
        }
        #expect(tally.pairs == 200)
        #expect(tally.byProvider.count == 200)
        #expect(tally.byProvider.values.allSatisfy { $0 == ["Shared.Code.Refused": 3] })
    }

    @Test("more pairs than the table first holds: each still counts once per arrival, found again by its words")
    func morePairsThanTheTableFirstHolds() {
        var tally = RejectionTally()
        let codes = (0..<100).map { Self.built("Code.\($0).Refused") }
        for round in 1...3 {
            for code in codes { tally.count(provider: "made-up", code: code) }
            #expect(tally.pairs == 100)
            #expect(tally.byProvider["made-up"]?.values.allSatisfy { $0 == round } == true)
        }
    }

    @Test("codes and providers are counted apart, codes of one length included")
    func codesAndProvidersApart() {
        var tally = RejectionTally()
        for (provider, code) in [
            ("aliyun", "IncorrectInstanceStatus"), ("tencent", "IncorrectInstanceStatus"),
            ("aliyun", "ChargeTypeViolation"), ("aliyun", "IncorrectInstanceState!"),
            ("aliyun", "IncorrectInstanceStatus"),
        ] {
            tally.count(provider: provider, code: Self.built(code))
        }
        #expect(
            tally.byProvider == [
                "aliyun": ["IncorrectInstanceStatus": 2, "ChargeTypeViolation": 1, "IncorrectInstanceState!": 1],
                "tencent": ["IncorrectInstanceStatus": 1],
            ]
        )
    }
}
