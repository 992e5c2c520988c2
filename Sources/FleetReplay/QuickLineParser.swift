import ProviderRegistry
import ReleaseCore

/// Reads the forms nearly every trace line takes, in one pass that builds nothing: an ASCII account and instance id,
/// and an op with no argument or with its usual words (a launch's provider and charge, and `protected`; one word of a
/// stop; one flag of a release; one time; `on` or `off`).
///
/// Any other line, a malformed one among them, is nil here, and ``TraceLineParser/parseFields(_:commas:times:rich:)``
/// reads it: that parser alone judges lines and explains what is wrong with them. Where this one reads a line, it
/// reads it as that one does (`QuickLineParserTests` checks both on every form and on lines changed at random). The
/// reader is the replay's one sequential stage, so its instructions bound the whole replay's time
/// (Docs/Performance.md, "The usual lines read quickly").
enum QuickLineParser {
    private typealias Bytes = UnsafeBufferPointer<UInt8>

    /// The line's fields, when it has one of the usual forms; nil for any other line.
    static func fields(
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
        guard let operation = Self.operation(op, argument) else { return nil }
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

    /// The op and its argument, in one of their usual forms; nil for any other. The words are read by the general
    /// parser's own readers (``TraceLineParser/opWord(_:)`` and the rest), so each word is read in one place.
    private static func operation(_ op: Bytes, _ argument: Bytes) -> ReadOperation? {
        guard let opWord = TraceLineParser.opWord(op) else { return nil }
        switch opWord {
        case .launch: return launch(argument)
        case .stop:
            if argument.isEmpty { return .stop(force: false, chargingMode: nil) }
            switch TraceLineParser.stopWord(argument) {
            case .force: return .stop(force: true, chargingMode: nil)
            case .keepCharging: return .stop(force: false, chargingMode: .keepCharging)
            case .stopCharging: return .stop(force: false, chargingMode: .stopCharging)
            case nil: return nil
            }
        case .protect: return TraceLineParser.protectWord(argument).map { .protect($0) }
        case .renew: return time(argument).map { .renew($0) }
        case .scheduleRelease: return time(argument).map { .scheduleRelease($0) }
        case .start: return argument.isEmpty ? .start : nil
        case .release:
            if argument.isEmpty { return .release }
            // One flag, as its word's exact bytes (more words, or any other spelling: the general parser).
            return TraceLineParser.releaseFlagPlace(argument).map { .releaseFlag($0) }
        case .restore: return argument.isEmpty ? .restore : nil
        case .cancelSchedule: return argument.isEmpty ? .cancelSchedule : nil
        case .convertToPostpaid: return argument.isEmpty ? .convertToPostpaid : nil
        case .convertIPToEIP: return argument.isEmpty ? .convertIPToEIP : nil
        case .unsubscribe: return argument.isEmpty ? .unsubscribe : nil
        case .arrears: return argument.isEmpty ? .arrears : nil
        case .topUp: return argument.isEmpty ? .topUp : nil
        }
    }

    /// An argument that is one time and nothing else.
    private static func time(_ argument: Bytes) -> Instant? {
        argument.count == 20 ? Instant.parse(utf8: argument) : nil
    }

    /// `<provider> <charge>` or `<provider> <charge> protected`, one space between words.
    private static func launch(_ argument: Bytes) -> ReadOperation? {
        guard let firstSpace = argument.firstIndex(of: 0x20), firstSpace > 0 else { return nil }
        guard let kind = TraceLineParser.provider(Bytes(rebasing: argument[0..<firstSpace])) else { return nil }
        let rest = Bytes(rebasing: argument[(firstSpace + 1)..<argument.count])
        let chargeEnd = rest.firstIndex(of: 0x20) ?? rest.count
        guard let charge = TraceLineParser.charge(Bytes(rebasing: rest[0..<chargeEnd])) else { return nil }
        if chargeEnd == rest.count { return .launch(kind, charge, isProtected: false) }
        guard TraceLineParser.equals(Bytes(rebasing: rest[(chargeEnd + 1)..<rest.count]), "protected") else {
            return nil
        }
        return .launch(kind, charge, isProtected: true)
    }
}
