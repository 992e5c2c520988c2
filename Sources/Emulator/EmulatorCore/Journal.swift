import FleetReplay
import Foundation
import ProviderRegistry
package import ReleaseCore
import Reporting

/// The journal of accepted changes: a fleet trace (Docs/Traces.md) that `cloud-release replay --until <clock>`
/// runs to the emulator's model state, with `# emulator …` comment lines (ignored by replay) carrying what
/// only the wire needs: instance records, ClientToken answers, counters, clock moves. Each handled request's
/// lines end with `# emulator commit N`; the server appends and fsyncs them before it answers.
struct Journal {
    var lines: [String] = []
    var touched: [String] = []
    /// Set by a reset: the server starts a new journal file instead of appending.
    var startsOver = false

    mutating func record(_ record: TraceRecord) { lines.append(record.line) }

    mutating func directive(_ kind: String, _ payload: String) { lines.append("# emulator \(kind) \(payload)") }

    mutating func touch(_ id: String) {
        if !touched.contains(id) { touched.append(id) }
    }

    /// Whether a value can be a trace field (an account or instance id): 1 to 128 printable ASCII characters
    /// without commas, so every journal line parses back.
    static func isTraceField(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 128
            && text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ",") }
    }

    /// A journal line's JSON with every number as it was written: `0.0` stays a double (ECS's `TradePrice`),
    /// which JSONValue's Decodable reads as the integer 0, so a ClientToken answer after a restart would differ.
    /// Members are in key order, as JSONValue's Decodable gives them.
    static func decodeKeepingNumberTypes(_ text: String) -> JSONValue? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        else { return nil }
        return value(of: object)
    }

    private static func value(of object: Any) -> JSONValue? {
        switch object {
        case is NSNull: return .null
        case let text as String: return .string(text)
        case let number as NSNumber:
            switch String(cString: number.objCType) {
            case "c", "B": return .bool(number.boolValue)
            case "f", "d": return .double(number.doubleValue)
            default: return .int(number.int64Value)
            }
        case let array as [Any]:
            var elements: [JSONValue] = []
            for element in array {
                guard let value = value(of: element) else { return nil }
                elements.append(value)
            }
            return .array(elements)
        case let dictionary as [String: Any]:
            var members: [(String, JSONValue)] = []
            for key in dictionary.keys.sorted() {
                guard let member = dictionary[key], let value = value(of: member) else { return nil }
                members.append((key, value))
            }
            return .object(members)
        default: return nil
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// What was written by ``Emulator/takeJournal()`` since the last call.
package struct JournalBatch: Sendable {
    /// Lines to append, each without its line feed; empty when nothing changed.
    package var lines: [String]
    /// Whether the journal must be started anew (after a reset) with these lines.
    package var startsOver: Bool
}

/// Why a journal cannot be loaded: which line and why.
package struct JournalError: Error, CustomStringConvertible, Sendable {
    package var line: Int
    package var reason: String
    package var description: String { "line \(line): \(reason)" }
}

/// What loading a journal found.
package struct JournalLoad: Sendable {
    /// Requests restored (committed batches).
    package var committedBatches: Int
    /// Lines after the last commit: a batch cut short by a crash, never acknowledged, so not applied.
    package var tornLines: Int
    /// The UTF-8 byte count of the committed part (the server truncates the file to it).
    package var committedBytes: Int
}

extension Emulator {
    /// The first lines of a new journal.
    package func journalPreamble() -> [String] {
        [
            "# cloud-release trace v1",
            "# written by cloud-release-emulator: replay it with `cloud-release replay FILE --until <the last clock line>`",
            "# emulator start \(now.iso8601)",
            TraceRecord.header,
        ]
    }

    /// Ends the journal of one handled request: the records it touched, counters, a commit marker.
    mutating func finishJournal() {
        guard !journal.lines.isEmpty || !journal.touched.isEmpty || journal.startsOver else { return }
        for id in journal.touched {
            guard let record = records[id], let data = try? Journal.encoder.encode(record) else { continue }
            journal.directive("record", String(decoding: data, as: UTF8.self))
        }
        journal.directive("counters", "\(requestCounter) \(instanceCounter) \(timerCounter) \(faultCounter)")
        journal.directive("commit", String(requestCounter))
        recentChanges += journal.lines.filter {
            !$0.hasPrefix("# emulator record ") && !$0.hasPrefix("# emulator counters ")
                && !$0.hasPrefix("# emulator commit ") && !$0.hasPrefix("# emulator token ")
        }
        if recentChanges.count > ControlPlane.recentChangesKept {
            recentChanges.removeFirst(recentChanges.count - ControlPlane.recentChangesKept)
        }
        pendingJournal.lines += journal.lines
        pendingJournal.startsOver = pendingJournal.startsOver || journal.startsOver
        journal = Journal()
    }

    /// The journal lines of every accepted change since the last call (``JournalBatch``).
    package mutating func takeJournal() -> JournalBatch {
        defer { pendingJournal = JournalBatch(lines: [], startsOver: false) }
        return pendingJournal
    }

    /// Rebuilds an emulator from its journal. Lines after the last `# emulator commit` belong to a request
    /// that was never answered (the process died while writing): they are counted, not applied.
    package static func restoring(
        configuration: EmulatorConfiguration,
        wallClock: Instant,
        journal text: String
    ) throws(JournalError) -> (Emulator, JournalLoad) {
        var emulator = Emulator(configuration: configuration, wallClock: wallClock)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        let lastCommit = lines.lastIndex { $0.hasPrefix("# emulator commit ") }
        // The preamble is written whole (through a renamed temporary file) before any change, so it is committed
        // even when no change follows it: a journal stopped before its first change is a valid, empty journal.
        let preambleCount = lines.firstIndex { !$0.hasPrefix("#") }.map { lines[$0] == TraceRecord.header ? $0 + 1 : 0 }
        let committedCount = max(lastCommit.map { $0 + 1 } ?? 0, preambleCount ?? 0)
        var committedBytes = 0
        for line in lines[..<committedCount] { committedBytes += line.utf8.count + 1 }
        let torn = lines[committedCount...].filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
        var batches = 0
        for (index, rawLine) in lines[..<committedCount].enumerated() {
            let number = index + 1
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
            if line.isEmpty || line == TraceRecord.header { continue }
            if line.hasPrefix("# emulator ") {
                try emulator.applyDirective(String(line.dropFirst("# emulator ".count)), line: number)
                if line.hasPrefix("# emulator commit ") { batches += 1 }
                continue
            }
            if line.hasPrefix("#") { continue }
            let record: TraceRecord
            do {
                record = try TraceRecord(parsing: line)
            } catch {
                throw JournalError(line: number, reason: error.description)
            }
            try emulator.apply(record, line: number)
        }
        emulator.pendingJournal = JournalBatch(lines: [], startsOver: false)
        // A running clock resumes from where the journal left it, with the wall time from this start on.
        emulator.clockLead = emulator.now - wallClock
        return (emulator, JournalLoad(committedBatches: batches, tornLines: torn, committedBytes: committedBytes))
    }

    private mutating func applyDirective(_ text: String, line: Int) throws(JournalError) {
        let kind = String(text.prefix { $0 != " " })
        let payload = String(text.dropFirst(kind.count).drop { $0 == " " })
        switch kind {
        case "start":
            guard let start = Instant(iso8601: payload), order.isEmpty else {
                throw JournalError(line: line, reason: "start must come first and be an ISO-8601 instant")
            }
            fleet = Fleet(startingAt: start, recordTimeline: true, billing: .totals)
        case "clock":
            guard let time = Instant(iso8601: payload), time >= now else {
                throw JournalError(
                    line: line,
                    reason: "clock \(payload.prefix(40)) is not an instant at or after \(now)"
                )
            }
            fleet.advance(to: time)
        case "record":
            guard let record = try? JSONDecoder().decode(InstanceRecord.self, from: Data(payload.utf8)),
                let handle = fleet.handle(named: record.id)
            else {
                throw JournalError(line: line, reason: "record is not an instance record of a launched instance")
            }
            // A record answers through its provider's front end, so it must name its launched machine's provider
            // (which the launch line already held to the ones this emulator serves).
            guard fleet[handle].provider == record.kind.providerType.id else {
                throw JournalError(line: line, reason: "record's provider \(record.kind) is not its instance's")
            }
            if records[record.id] == nil { order.append(record.id) }
            records[record.id] = record
        case "token":
            guard case .object(let members)? = Journal.decodeKeepingNumberTypes(payload),
                let key = members.first(where: { $0.0 == "key" })?.1.text,
                let answer = members.first(where: { $0.0 == "answer" }).flatMap({ ActionAnswer(journalForm: $0.1) })
            else {
                throw JournalError(
                    line: line,
                    reason: "token needs {\"key\": …, \"answer\": {…}} with _rules, if any, a list of strings"
                )
            }
            clientTokens[key] = answer
        case "counters":
            let numbers = payload.split(separator: " ").compactMap { UInt64($0) }
            // Journals written before fault injection have no fourth counter.
            guard numbers.count == 3 || numbers.count == 4 else {
                throw JournalError(line: line, reason: "counters needs three or four numbers")
            }
            (requestCounter, instanceCounter, timerCounter) = (numbers[0], numbers[1], numbers[2])
            faultCounter = numbers.count == 4 ? numbers[3] : 0
        case "faults":
            guard let list = try? JSONDecoder().decode([Fault].self, from: Data(payload.utf8)) else {
                throw JournalError(line: line, reason: "faults is not a list of faults")
            }
            faults = list
        case "faulted":
            // What an injected fault answered: a record for the reader; the faults line after it holds the counts.
            break
        case "commit":
            break
        default:
            throw JournalError(line: line, reason: "unknown directive \(kind.prefix(40))")
        }
    }

    private mutating func apply(_ record: TraceRecord, line: Int) throws(JournalError) {
        guard record.time >= now else {
            throw JournalError(line: line, reason: "record at \(record.time) is before the clock's \(now)")
        }
        switch record.operation {
        case .launch:
            guard let (kind, description) = record.launched else { return }
            guard configuration.serves(kind) else {
                throw JournalError(line: line, reason: "no front end of this emulator serves \(kind)")
            }
            fleet.advance(to: record.time)
            do {
                let (machine, effects) = try configuration.model(kind)
                    .launch(description, standing: fleet.standing(of: record.account), at: record.time)
                try fleet.add(machine, launchEffects: effects, account: record.account, at: record.time)
            } catch {
                throw JournalError(
                    line: line,
                    reason: "the journaled launch of \(record.instance) is refused now: \(error)"
                )
            }
        case .arrears, .topUp:
            if let event = record.operation.accountEvent {
                fleet.deliver(event, toAccount: record.account, at: record.time)
            }
        case .stop, .start, .release, .scheduleRelease, .cancelSchedule, .protect, .restore, .renew,
            .convertToPostpaid, .convertIPToEIP, .unsubscribe:
            guard let command = record.operation.command, let handle = fleet.handle(named: record.instance) else {
                throw JournalError(line: line, reason: "unknown instance \(record.instance.prefix(64))")
            }
            do {
                try fleet.perform(command, on: handle, at: record.time)
            } catch {
                // Accepted when journaled: a refusal now means other rules (a different --profile).
                throw JournalError(
                    line: line,
                    reason:
                        "the journaled \(CommandWord(command).rawValue) is refused now: \(error.code) (was the emulator started with other profiles?)"
                )
            }
        }
    }
}
