import ProviderRegistry
import ReleaseCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the forms nearly every trace line takes, in one pass that builds nothing: an ASCII account and instance id,
/// and an op with no argument or with its usual words (a launch's provider and charge, and `protected`; one word of a
/// stop; one time; `on` or `off`).
///
/// Any other line, a malformed one among them, is nil here, and ``TraceLineParser/parseFields(_:commas:times:rich:)``
/// reads it: that parser alone judges lines and explains what is wrong with them. Where this one reads a line, it
/// reads it as that one does (`QuickLineParserTests` checks both on every form and on lines changed at random). The
/// reader is the replay's one sequential stage, so its instructions bound the whole replay's time
/// (Docs/Performance.md, "The usual lines read quickly").
struct QuickLineParser {
    private typealias Bytes = UnsafeBufferPointer<UInt8>

    /// This package's providers' words, one after another, and where each ends: the only providers a trace names.
    private let providerWords: [UInt8]
    private let providerWordEnds: [Int]
    private let providers: [ProviderModel.Kind]

    init() {
        providers = ProviderModel.Kind.allCases
        var words: [UInt8] = []
        var ends: [Int] = []
        for kind in providers {
            words += Array(kind.rawValue.utf8)
            ends.append(words.count)
        }
        (providerWords, providerWordEnds) = (words, ends)
    }

    /// The line's fields, when it has one of the usual forms; nil for any other line.
    func fields(
        _ line: UnsafeBufferPointer<UInt8>,
        commas found: TraceLineParser.Commas,
        times: inout InstantParser
    ) -> TraceLineParser.Fields? {
        guard let commas = found.all else { return nil }
        // An empty account is malformed: the general parser says so.
        guard commas.1 > commas.0 + 1 else { return nil }
        guard let time = times.parse(utf8: Bytes(rebasing: line[0..<commas.0])) else { return nil }
        let account = Bytes(rebasing: line[(commas.0 + 1)..<commas.1])
        let instance = Bytes(rebasing: line[(commas.1 + 1)..<commas.2])
        guard TraceLineParser.isASCII(account), TraceLineParser.isASCII(instance) else { return nil }
        let op = Bytes(rebasing: line[(commas.2 + 1)..<commas.3])
        let argument = Bytes(rebasing: line[(commas.3 + 1)..<line.count])
        guard let operation = self.operation(op, argument) else { return nil }
        let subject = operation.subject(rich: nil)
        // An account-level op names no instance, and any other op names one; the general parser explains either.
        guard (subject == .account) == instance.isEmpty else { return nil }
        return TraceLineParser.Fields(
            time: time,
            account: account,
            instance: instance,
            operation: operation,
            subject: subject
        )
    }

    /// The op and its argument, in one of their usual forms; nil for any other.
    private func operation(_ op: Bytes, _ argument: Bytes) -> ReadOperation? {
        // The op's length picks the few words it may be, so that a line is compared with one or two of them.
        switch op.count {
        case 4:
            guard TraceLineParser.equals(op, "stop") else { return nil }
            if argument.isEmpty { return .stop(force: false, chargingMode: nil) }
            if TraceLineParser.equals(argument, "stop-charging") {
                return .stop(force: false, chargingMode: .stopCharging)
            }
            if TraceLineParser.equals(argument, "keep-charging") {
                return .stop(force: false, chargingMode: .keepCharging)
            }
            if TraceLineParser.equals(argument, "force") { return .stop(force: true, chargingMode: nil) }
            return nil
        case 5:
            if TraceLineParser.equals(op, "start") { return argument.isEmpty ? .start : nil }
            if TraceLineParser.equals(op, "renew") { return Self.time(argument).map { .renew($0) } }
            if TraceLineParser.equals(op, "topup") { return argument.isEmpty ? .topUp : nil }
            return nil
        case 6:
            return TraceLineParser.equals(op, "launch") ? launch(argument) : nil
        case 7:
            if TraceLineParser.equals(op, "release") { return argument.isEmpty ? .release : nil }
            if TraceLineParser.equals(op, "restore") { return argument.isEmpty ? .restore : nil }
            if TraceLineParser.equals(op, "protect") {
                if TraceLineParser.equals(argument, "on") { return .protect(true) }
                if TraceLineParser.equals(argument, "off") { return .protect(false) }
                return nil
            }
            if TraceLineParser.equals(op, "arrears") { return argument.isEmpty ? .arrears : nil }
            return nil
        case 11:
            return TraceLineParser.equals(op, "unsubscribe") && argument.isEmpty ? .unsubscribe : nil
        case 15:
            return TraceLineParser.equals(op, "cancel-schedule") && argument.isEmpty ? .cancelSchedule : nil
        case 16:
            return TraceLineParser.equals(op, "schedule-release")
                ? Self.time(argument).map { .scheduleRelease($0) } : nil
        case 17:
            return TraceLineParser.equals(op, "convert-ip-to-eip") && argument.isEmpty ? .convertIPToEIP : nil
        case 19:
            return TraceLineParser.equals(op, "convert-to-postpaid") && argument.isEmpty ? .convertToPostpaid : nil
        default:
            return nil
        }
    }

    /// An argument that is one time and nothing else.
    private static func time(_ argument: Bytes) -> Instant? {
        argument.count == 20 ? Instant.parse(utf8: argument) : nil
    }

    /// `<provider> <charge>` or `<provider> <charge> protected`, one space between words.
    private func launch(_ argument: Bytes) -> ReadOperation? {
        guard let firstSpace = argument.firstIndex(of: 0x20), firstSpace > 0 else { return nil }
        guard let kind = provider(Bytes(rebasing: argument[0..<firstSpace])) else { return nil }
        let rest = Bytes(rebasing: argument[(firstSpace + 1)..<argument.count])
        let chargeEnd = rest.firstIndex(of: 0x20) ?? rest.count
        guard let charge = Self.charge(Bytes(rebasing: rest[0..<chargeEnd])) else { return nil }
        if chargeEnd == rest.count { return .launch(kind, charge, isProtected: false) }
        guard TraceLineParser.equals(Bytes(rebasing: rest[(chargeEnd + 1)..<rest.count]), "protected") else {
            return nil
        }
        return .launch(kind, charge, isProtected: true)
    }

    /// `postpaid` or `prepaid:<time>`.
    private static func charge(_ word: Bytes) -> ChargeType? {
        if TraceLineParser.equals(word, "postpaid") { return .payAsYouGo }
        guard word.count == 28, TraceLineParser.equals(Bytes(rebasing: word[0..<8]), "prepaid:"),
            let expiry = Instant.parse(utf8: Bytes(rebasing: word[8..<28]))
        else { return nil }
        return .subscription(expiresAt: expiry)
    }

    /// The provider whose word this is.
    private func provider(_ word: Bytes) -> ProviderModel.Kind? {
        providerWords.withUnsafeBufferPointer { words in
            var start = 0
            for (place, end) in providerWordEnds.enumerated() {
                if end - start == word.count, memcmp(words.baseAddress! + start, word.baseAddress!, word.count) == 0 {
                    return providers[place]
                }
                start = end
            }
            return nil
        }
    }
}
