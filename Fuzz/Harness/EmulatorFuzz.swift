import EmulatorCore
import EmulatorFrontEnds
import EmulatorFuzzing
import Foundation
import ReleaseCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A request as HTTP/1.1 text: what `Fuzz/Regressions/emulator/*.http` hold and a crash leaves in
/// `Fuzz/crash-emulator.bin`. A file holds requests separated by `### next` lines, after an optional
/// `# wall-clock: <ISO-8601>` line giving the wall clock they were signed against.
enum HTTPText {
    static let separator = "\n### next\n"

    static func render(_ request: RawRequest) -> [UInt8] {
        var text = "\(request.method) \(request.target) HTTP/1.1\r\n"
        for header in request.headers { text += "\(header.name): \(header.value)\r\n" }
        return Array((text + "\r\n").utf8) + request.body
    }

    static func parse(_ text: String) -> (wallClock: Instant?, requests: [RawRequest]) {
        var body = text
        var wallClock: Instant?
        if body.hasPrefix("# wall-clock: "), let end = body.firstIndex(of: "\n") {
            wallClock = Instant(iso8601: String(body[body.index(body.startIndex, offsetBy: 14)..<end]))
            body = String(body[body.index(after: end)...])
        }
        let requests = body.components(separatedBy: separator).compactMap { part -> RawRequest? in
            guard let blank = part.range(of: "\r\n\r\n") ?? part.range(of: "\n\n") else { return nil }
            let lines = part[..<blank.lowerBound].split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
                .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
            let start = lines.first?.split(separator: " ") ?? []
            guard start.count >= 2 else { return nil }
            let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            return RawRequest(
                method: String(start[0]),
                target: String(start[1]),
                headers: headers,
                body: Array(part[blank.upperBound...].utf8)
            )
        }
        return (wallClock, requests)
    }
}

/// What the emulator's part of a fuzzing run found.
struct EmulatorFuzzResult {
    var regressions: Int
    /// Regression requests the emulator accepted (the rest were refused, as most of them must be).
    var regressionsAccepted: Int
    var report: CampaignReport
    var findings: [String]

    var summary: String {
        let head =
            "cloud-release-fuzz: emulator: \(regressions) regression requests (\(regressionsAccepted) accepted), \(report.requests) campaign requests "
            + "(\(report.accepted) accepted, \(report.refused) refused), \(report.reloads) journal reloads, "
            + "slowest \(String(format: "%.3f", report.slowestSeconds)) s, at most \(report.largestNonceBytes) nonce bytes; "
            + "\(findings.count) findings"
        return ([head] + findings.prefix(10).map { "  " + $0 }).joined(separator: "\n")
    }
}

/// Replays every emulator regression input, then runs a seeded campaign of `requests` requests
/// (``EmulatorCampaign``); nil when asked for none. Each request is kept for the crash handler first.
func fuzzEmulator(_ requests: Int, seed: UInt64, root: String) -> EmulatorFuzzResult? {
    guard requests > 0 else { return nil }
    var findings: [String] = []
    var regressions = 0
    var regressionsAccepted = 0
    let directory = "\(root)/Fuzz/Regressions/emulator"
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
        $0.hasSuffix(".http")
    }
    for name in names.sorted() {
        guard let text = try? String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8) else {
            findings.append("\(name): not UTF-8 text")
            continue
        }
        let (wallClock, parsed) = HTTPText.parse(text)
        let wall = wallClock ?? Instant(secondsSince1970: 1_796_000_000)
        var emulator = Emulator(
            configuration: EmulatorConfiguration(frontEnds: EmulatorFrontEnds.registered),
            wallClock: wall
        )
        var journal = emulator.journalPreamble()
        for request in parsed {
            regressions += 1
            keep(HTTPText.render(request), target: "emulator", root: root)
            alarm(10)
            let before = emulator.snapshot()
            let response = emulator.handle(request, wallClock: wall)
            alarm(0)
            let batch = emulator.takeJournal()
            journal = batch.startsOver ? emulator.journalPreamble() + batch.lines : journal + batch.lines
            if response.status >= 500 { findings.append("\(name): answered \(response.status)") }
            let refused = response.status >= 400 || response.bodyText.contains("\"Error\":{")
            if !refused { regressionsAccepted += 1 }
            if refused, emulator.snapshot() != before || !batch.lines.isEmpty {
                findings.append("\(name): refused (\(response.status)) yet changed state or journal")
            }
        }
        do {
            let (restored, _) = try Emulator.restoring(
                configuration: emulator.configuration,
                wallClock: wall,
                journal: journal.joined(separator: "\n") + "\n"
            )
            if restored.snapshot() != emulator.snapshot() { findings.append("\(name): a restart differs") }
        } catch {
            findings.append("\(name): the journal does not reload: \(error)")
        }
    }
    var campaign = EmulatorCampaign(seed: seed, requests: requests)
    campaign.stallSeconds = 2
    let report = campaign.run { request in
        keep(HTTPText.render(request), target: "emulator", root: root)
        alarm(10)
    }
    alarm(0)
    for finding in report.findings.prefix(20) { findings.append(finding.description) }
    return EmulatorFuzzResult(
        regressions: regressions,
        regressionsAccepted: regressionsAccepted,
        report: report,
        findings: findings
    )
}
