/// A length of time in whole seconds.
///
/// Every provider rule in this package is stated in whole seconds (the finest precision either provider
/// documents is one second), so durations never carry fractions.
public struct Seconds: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The number of seconds; may be negative for differences between instants.
    public var count: Int64

    /// Creates a duration of `count` seconds.
    public init(_ count: Int64) {
        self.count = count
    }

    /// The longest duration the package supports: the span of ``Instant/supportedRange``.
    public static let supportedMaximum = Seconds(253_402_300_799)

    /// A duration of `n` minutes.
    public static func minutes(_ n: Int64) -> Seconds { Seconds(n * 60) }
    /// A duration of `n` hours.
    public static func hours(_ n: Int64) -> Seconds { Seconds(n * 3_600) }
    /// A duration of `n` days of 24 hours (UTC has no daylight saving, so a day is always 86,400 s).
    public static func days(_ n: Int64) -> Seconds { Seconds(n * 86_400) }
    /// No time at all.
    public static let zero = Seconds(0)

    public static func < (lhs: Seconds, rhs: Seconds) -> Bool { lhs.count < rhs.count }
    public static func + (lhs: Seconds, rhs: Seconds) -> Seconds { Seconds(lhs.count + rhs.count) }
    public static func - (lhs: Seconds, rhs: Seconds) -> Seconds { Seconds(lhs.count - rhs.count) }

    /// A compact human form: `30min`, `2h`, `26h`, `2h 30min`, `15d`, `15d 2h`, `90s`, `-5min`.
    ///
    /// Whole days are shown as days from four days up, so the providers' own figures (26 h, 15 d) read
    /// the way their documents state them.
    public var description: String {
        if count < 0 { return "-" + Seconds(-count).description }
        if count == 0 { return "0s" }
        var rest = count
        var parts: [String] = []
        if count % 86_400 == 0 || count >= 4 * 86_400 {
            parts.append("\(rest / 86_400)d")
            rest %= 86_400
        }
        if rest >= 3_600 {
            parts.append("\(rest / 3_600)h")
            rest %= 3_600
        }
        if rest >= 60 {
            parts.append("\(rest / 60)min")
            rest %= 60
        }
        if rest > 0 { parts.append("\(rest)s") }
        return parts.joined(separator: " ")
    }

    public init(from decoder: any Decoder) throws {
        self.count = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(count)
    }
}

/// A UTC instant with whole-second precision.
///
/// Both providers exchange times as ISO-8601 UTC strings (`yyyy-MM-ddTHH:mm:ssZ`, seed 004,
/// TD7), so an instant is exactly that: seconds since 1970-01-01T00:00:00Z, no time zone,
/// no fractions. Parsing and formatting are done here without Foundation so that trace replay can parse
/// millions of timestamps cheaply and deterministically.
public struct Instant: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSince1970: Int64

    /// Creates the instant `secondsSince1970` seconds after the Unix epoch.
    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// Parses a strict ISO-8601 UTC timestamp `YYYY-MM-DDTHH:MM:SSZ`; returns `nil` for anything else.
    public init?(iso8601 text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Instant.parse(utf8: $0) }) else { return nil }
        self = parsed
    }

    /// Parses a strict ISO-8601 UTC timestamp from UTF-8 bytes; returns `nil` unless the bytes are exactly
    /// `YYYY-MM-DDTHH:MM:SSZ` naming a real calendar second in the ``supportedRange`` (years 1970 to 9999).
    package static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Instant? {
        guard bytes.count == 20, let base = bytes.baseAddress, let day = day(utf8: base) else { return nil }
        return instant(onDay: day, utf8: base)
    }

    /// The day `YYYY-MM-DD` at `bytes` names, as days since 1970-01-01, or nil (the first half of
    /// ``parse(utf8:)``; `bytes` has 20 readable bytes).
    @inline(__always)
    fileprivate static func day(utf8 bytes: UnsafePointer<UInt8>) -> Int64? {
        guard bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
        let year = digit(bytes, 0) * 1_000 + digit(bytes, 1) * 100 + digit(bytes, 2) * 10 + digit(bytes, 3)
        let month = digit(bytes, 5) * 10 + digit(bytes, 6)
        let day = digit(bytes, 8) * 10 + digit(bytes, 9)
        guard year >= 1_970, month >= 1, month <= 12, day >= 1, day <= Instant.daysIn(month: month, year: year)
        else { return nil }
        return Instant.daysFromCivil(year: year, month: month, day: day)
    }

    /// The instant `THH:MM:SSZ` at `bytes + 10` names on `day`, or nil (the second half of ``parse(utf8:)``).
    @inline(__always)
    fileprivate static func instant(onDay day: Int64, utf8 bytes: UnsafePointer<UInt8>) -> Instant? {
        guard let minuteStart = minuteStart(onDay: day, utf8: bytes) else { return nil }
        return instant(inMinuteStarting: minuteStart, utf8: bytes)
    }

    /// The first second (since 1970) of the minute `THH:MM` at `bytes + 10` names on `day`, or nil.
    @inline(__always)
    fileprivate static func minuteStart(onDay day: Int64, utf8 bytes: UnsafePointer<UInt8>) -> Int64? {
        guard bytes[10] == 0x54, bytes[13] == 0x3A else { return nil }
        let hour = digit(bytes, 11) * 10 + digit(bytes, 12)
        let minute = digit(bytes, 14) * 10 + digit(bytes, 15)
        guard hour >= 0, hour < 24, minute >= 0, minute < 60 else { return nil }
        return day * 86_400 + hour * 3_600 + minute * 60
    }

    /// The instant `:SSZ` at `bytes + 16` names in the minute that starts at `minuteStart` (seconds since 1970), or
    /// nil: the end of ``instant(onDay:utf8:)``.
    @inline(__always)
    fileprivate static func instant(inMinuteStarting minuteStart: Int64, utf8 bytes: UnsafePointer<UInt8>) -> Instant? {
        guard bytes[16] == 0x3A, bytes[19] == 0x5A else { return nil }
        let second = digit(bytes, 17) * 10 + digit(bytes, 18)
        guard second >= 0, second < 60 else { return nil }
        return Instant(secondsSince1970: minuteStart + second)
    }

    /// The decimal digit at `offset`, or a large negative number that fails every range check after it.
    @inline(__always)
    private static func digit(_ bytes: UnsafePointer<UInt8>, _ offset: Int) -> Int64 {
        let value = bytes[offset] &- 0x30
        return value <= 9 ? Int64(value) : -1_000_000
    }

    /// The instant as `YYYY-MM-DDTHH:MM:SSZ`.
    public var iso8601: String {
        let civil = self.civil
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        // The sign before the padded digits: a year before 1 BC is `-0001`, never `00-1`.
        let year = civil.year < 0 ? "-" + pad(-civil.year, 4) : pad(civil.year, 4)
        return "\(year)-\(pad(civil.month, 2))-\(pad(civil.day, 2))T"
            + "\(pad(civil.hour, 2)):\(pad(civil.minute, 2)):\(pad(civil.second, 2))Z"
    }

    public var description: String { iso8601 }

    /// The calendar fields of this instant in UTC.
    public var civil: (year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) {
        // From the remainder, so that no product leaves Int64 at its ends (`Instant(secondsSince1970: .min)` too).
        let remainder = secondsSince1970 % 86_400
        let secondOfDay = remainder < 0 ? remainder + 86_400 : remainder
        let days = Instant.floorDiv(secondsSince1970, 86_400)
        let date = Instant.civilFromDays(days)
        return (date.year, date.month, date.day, secondOfDay / 3_600, secondOfDay % 3_600 / 60, secondOfDay % 60)
    }

    /// The instant with its seconds dropped: the start of the minute it falls in.
    public var startOfMinute: Instant { truncated(to: .minutes(1)) }

    /// The instant rounded down to a whole multiple of `precision` since the epoch.
    public func truncated(to precision: Seconds) -> Instant {
        Instant(secondsSince1970: Instant.floorDiv(secondsSince1970, precision.count) * precision.count)
    }

    /// The same wall-clock time `years` calendar years later (UTC); 29 February becomes 28 February when
    /// the target year has no leap day.
    public func addingCalendarYears(_ years: Int64) -> Instant {
        let civil = self.civil
        let year = civil.year + years
        let day = min(civil.day, Instant.daysIn(month: civil.month, year: year))
        let days = Instant.daysFromCivil(year: year, month: civil.month, day: day)
        return Instant(secondsSince1970: days * 86_400 + civil.hour * 3_600 + civil.minute * 60 + civil.second)
    }

    /// The same wall-clock time `months` calendar months later (UTC); a day the target month lacks becomes its
    /// last day (31 January plus one month is 28 or 29 February).
    public func addingCalendarMonths(_ months: Int64) -> Instant {
        let civil = self.civil
        let monthIndex = civil.month - 1 + months
        let year = civil.year + Instant.floorDiv(monthIndex, 12)
        let month = monthIndex - Instant.floorDiv(monthIndex, 12) * 12 + 1
        let day = min(civil.day, Instant.daysIn(month: month, year: year))
        let days = Instant.daysFromCivil(year: year, month: month, day: day)
        return Instant(secondsSince1970: days * 86_400 + civil.hour * 3_600 + civil.minute * 60 + civil.second)
    }

    /// How many whole calendar months a period from this instant to `end` is bought for: the fewest months whose
    /// end is at or after `end` (at least one; none when `end` is not later).
    public func calendarMonths(until end: Instant) -> Int64 {
        guard end > self else { return 0 }
        let from = civil
        let to = end.civil
        var months = max(1, (to.year - from.year) * 12 + (to.month - from.month) - 1)
        while addingCalendarMonths(months) < end { months += 1 }
        return months
    }

    /// How many whole calendar months fit from this instant to `end`: the most months whose end is at or before
    /// `end` (none when `end` is not later). A period's month already begun is not whole.
    public func wholeCalendarMonths(until end: Instant) -> Int64 {
        let months = calendarMonths(until: end)
        return months > 0 && addingCalendarMonths(months) > end ? months - 1 : months
    }

    /// The instant every relative time starts from when nothing else is given: scenario files without a
    /// `start`, `explain`, the comparison's probes and the test kit (2026-01-01T00:00:00Z).
    public static let referenceStart = Instant(secondsSince1970: 1_767_225_600)

    /// The instants the package supports: 1970-01-01T00:00:00Z through 9999-12-31T23:59:59Z.
    ///
    /// Every boundary (scenario files, traces, CLI options) refuses a time outside it with a located error,
    /// and ``checkedAdding(_:)`` keeps sums inside it, so the machines' own arithmetic (an instant plus a
    /// rule's duration of at most a few years) can never overflow.
    public static let supportedRange = Instant(secondsSince1970: 0)...Instant(secondsSince1970: 253_402_300_799)

    /// `self + duration`, or nil when the sum leaves ``supportedRange`` (or would overflow).
    public func checkedAdding(_ duration: Seconds) -> Instant? {
        let (sum, overflow) = secondsSince1970.addingReportingOverflow(duration.count)
        guard !overflow else { return nil }
        let result = Instant(secondsSince1970: sum)
        return Instant.supportedRange.contains(result) ? result : nil
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }
    public static func + (lhs: Instant, rhs: Seconds) -> Instant {
        Instant(secondsSince1970: lhs.secondsSince1970 + rhs.count)
    }
    public static func - (lhs: Instant, rhs: Seconds) -> Instant {
        Instant(secondsSince1970: lhs.secondsSince1970 - rhs.count)
    }
    public static func - (lhs: Instant, rhs: Instant) -> Seconds {
        Seconds(lhs.secondsSince1970 - rhs.secondsSince1970)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let instant = Instant(iso8601: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected a UTC time like 2026-01-01T00:00:00Z, got \"\(text)\""
            )
        }
        self = instant
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }

    // MARK: Civil calendar arithmetic (proleptic Gregorian, H. Hinnant's algorithms)

    /// `a / b` rounded down, for `b > 0`: without negating `a`, which `Int64.min` cannot be.
    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return a % b < 0 ? quotient - 1 : quotient
    }

    private static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let monthIndex = (month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// Parses timestamps as ``Instant/parse(utf8:)`` does, remembering the last minute and the last day it read: a
/// trace's records come in time order, so most fall in the minute before them (only their seconds are read) and
/// nearly all on the day before them (only their time of day is read).
package struct InstantParser {
    /// The last minute's `YYYY-MM-DDTHH:MM` bytes (the first eight, then the next eight), and its first second;
    /// `minuteStart` nil for none.
    private var minuteWords: (UInt64, UInt64) = (0, 0)
    private var minuteStart: Int64?
    /// The last day's `YYYY-MM-DD` bytes (the first eight, then the last two), and that day; `day` nil for none.
    private var firstEight: UInt64 = 0
    private var lastTwo: UInt16 = 0
    private var day: Int64?

    package init() {}

    /// The instant the bytes name exactly, or nil: the same answer as ``Instant/parse(utf8:)`` for any bytes.
    package mutating func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Instant? {
        guard bytes.count == 20, let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let firstEight = raw.loadUnaligned(as: UInt64.self)
        let nextEight = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        // The same sixteen bytes as the last minute read: its day, hour and minute were checked then.
        if let minuteStart, firstEight == minuteWords.0, nextEight == minuteWords.1 {
            return Instant.instant(inMinuteStarting: minuteStart, utf8: base)
        }
        // Bytes 8 and 9 (the day's last two digits), on a machine of either byte order.
        let lastTwo = UInt16(truncatingIfNeeded: UInt64(littleEndian: nextEight))
        if day == nil || firstEight != self.firstEight || lastTwo != self.lastTwo {
            guard let day = Instant.day(utf8: base) else { return nil }
            (self.firstEight, self.lastTwo, self.day) = (firstEight, lastTwo, day)
        }
        // The day is this timestamp's; its minute, once checked, is remembered whatever its seconds say.
        guard let day, let minuteStart = Instant.minuteStart(onDay: day, utf8: base) else { return nil }
        (minuteWords, self.minuteStart) = ((firstEight, nextEight), minuteStart)
        return Instant.instant(inMinuteStarting: minuteStart, utf8: base)
    }
}

extension Instant {
    /// This instant in 32 bits, for values held a million times over (a machine's deadlines, its charge): its
    /// seconds since 1970 plus one, for instants from 1970 to early 2106; nil for any other. Neither 0 nor
    /// `UInt32.max` is ever a packed instant, so a holder gives them meanings of its own ("none", "kept elsewhere";
    /// Docs/Performance.md, "Deadlines in 32 bits").
    @inlinable package var packed: UInt32? {
        secondsSince1970 >= 0 && secondsSince1970 < Int64(UInt32.max) - 1 ? UInt32(secondsSince1970 + 1) : nil
    }

    /// The instant `packed` holds: the inverse of ``packed`` (0 and `UInt32.max` hold none).
    @inlinable package init(packed: UInt32) {
        self.init(secondsSince1970: Int64(packed) - 1)
    }
}
