/// Parses durations such as `2h`, `15d 2h`, `30min`, `90s` and times such as `+1h` or `2026-01-01T00:00:00Z`.
public enum TimeText {
    /// A duration like `2h`, `1d 2h`, `30min`, `45s` (units d, h, min, s; parts may be joined by spaces).
    public static func duration(_ text: String) -> Seconds? {
        try? parseDuration(text).get()
    }

    /// `+<duration>` after `start`, or an absolute UTC time.
    public static func instant(_ text: String, start: Instant) -> Instant? {
        try? parseInstant(text, start: start).get()
    }

    /// Why a time or duration text was refused, in words for a `file:line: field: why` message.
    public struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        public var reason: String
        /// The same reason in Chinese, for `--lang zh`.
        public var chineseReason: String?
        public var description: String { reason }
    }

    /// Parses a duration, refusing anything longer than ``Seconds/supportedMaximum`` (about 8,000 years)
    /// with checked arithmetic, so no input can overflow.
    public static func parseDuration(_ text: String) -> Result<Seconds, Refusal> {
        let malformed = Refusal(
            reason: "\"\(escaped(text))\" is not a duration (e.g. 2h, 1d 2h, 30min, 90s)",
            chineseReason: "“\(escaped(text))”不是时长（例如 2h、1d 2h、30min、90s）"
        )
        let tooLong = Refusal(
            reason: "\"\(escaped(text))\" is longer than the supported \(Seconds.supportedMaximum.count) s "
                + "(the span of years 1970 to 9999)",
            chineseReason: "“\(escaped(text))”超过支持的最长时长 \(Seconds.supportedMaximum.count) 秒（1970 至 9999 年）"
        )
        var total: Int64 = 0
        var number = ""
        var unit = ""
        var sawPart = false
        var overflowed = false
        func flush() -> Bool {
            guard !number.isEmpty else { return unit.isEmpty }
            let factor: Int64
            switch unit {
            case "d": factor = 86_400
            case "h": factor = 3_600
            case "min", "m": factor = 60
            case "s": factor = 1
            default: return false
            }
            guard let value = Int64(number) else {
                overflowed = true
                return false
            }
            let (part, productOverflow) = value.multipliedReportingOverflow(by: factor)
            let (sum, sumOverflow) = total.addingReportingOverflow(part)
            guard !productOverflow, !sumOverflow, sum <= Seconds.supportedMaximum.count else {
                overflowed = true
                return false
            }
            total = sum
            number = ""
            unit = ""
            sawPart = true
            return true
        }
        for character in text {
            if character.isASCII && character.isNumber {
                if !unit.isEmpty { guard flush() else { return .failure(overflowed ? tooLong : malformed) } }
                number.append(character)
            } else if character.isASCII && character.isLetter {
                guard !number.isEmpty else { return .failure(malformed) }
                unit.append(character)
            } else if character == " " {
                guard flush() else { return .failure(overflowed ? tooLong : malformed) }
            } else {
                return .failure(malformed)
            }
        }
        guard flush(), sawPart else { return .failure(overflowed ? tooLong : malformed) }
        return .success(Seconds(total))
    }

    /// Parses `+<duration>` after `start` or an absolute UTC time, refusing one outside
    /// ``Instant/supportedRange``.
    public static func parseInstant(_ text: String, start: Instant) -> Result<Instant, Refusal> {
        if text.hasPrefix("+") {
            switch parseDuration(String(text.dropFirst())) {
            case .failure(let refusal):
                return .failure(refusal)
            case .success(let duration):
                guard let time = start.checkedAdding(duration) else {
                    return .failure(
                        Refusal(
                            reason:
                                "\"\(escaped(text))\" after \(start) is past 9999-12-31T23:59:59Z, the latest supported time",
                            chineseReason: "\(start) 之后的“\(escaped(text))”晚于支持的最晚时间 9999-12-31T23:59:59Z"
                        )
                    )
                }
                return .success(time)
            }
        }
        guard let time = Instant(iso8601: text) else {
            return .failure(
                Refusal(
                    reason: "\"\(escaped(text))\" is neither +<duration> (e.g. +2h, +1d 2h) nor a UTC time "
                        + "YYYY-MM-DDTHH:MM:SSZ from 1970 to 9999",
                    chineseReason: "“\(escaped(text))”既不是 +<时长>（例如 +2h、+1d 2h），也不是 1970 至 9999 年的 UTC 时间 "
                        + "YYYY-MM-DDTHH:MM:SSZ"
                )
            )
        }
        return .success(time)
    }

    /// `text` as it may be echoed in a message: at most 60 characters, control characters escaped.
    public static func escaped(_ text: String) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == 60 {
                result += "…"
                break
            }
            switch scalar.value {
            case 0..<0x20, 0x7F, 0x80..<0xA0: result += "\\u{\(String(scalar.value, radix: 16))}"
            case 0x22: result += "\\\""
            default: result.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return result
    }
}
