package import EmulatorCore
import EmulatorFrontEnds
import Foundation
import ProviderRegistry
import ReleaseCore
import Reporting

/// What a campaign found wrong with one request.
package struct CampaignFinding: Sendable, CustomStringConvertible {
    /// The request's place in the campaign (0-based).
    package var index: Int
    /// What was wrong.
    package var problem: String
    /// The request, as its method, target and the start of its body.
    package var request: String

    package var description: String { "request \(index): \(problem)\n  \(request)" }
}

/// What a campaign did and found.
package struct CampaignReport: Sendable {
    package var requests = 0
    package var accepted = 0
    package var refused = 0
    /// Restarts from the journal compared with the running emulator.
    package var reloads = 0
    /// The slowest request's wall time, in seconds.
    package var slowestSeconds = 0.0
    /// The most nonce bytes one emulator remembered at once.
    package var largestNonceBytes = 0
    package var findings: [CampaignFinding] = []
}

/// Drives two emulators with seeded requests (``RequestGenerator``) and checks after every request what the
/// emulator promises (Docs/Testing.md, "The emulator under fuzzing"):
///
/// - no 5xx answer, and no request slower than ``stallSeconds`` (a trap ends the process: the caller keeps
///   the request it is about to send, ``run(before:)``);
/// - a refused request changes nothing: the control plane's snapshot (every field a client can read) and the
///   journal are as before;
/// - the journal always reloads: every ``reloadEvery`` requests, and at the end, an emulator restored from the
///   journal lines collected so far has the same snapshot, DescribeInstances answers included;
/// - remembered nonces stay within their bound in bytes.
///
/// One emulator verifies signatures and gets valid signed requests; the other accepts any key and gets a share
/// of them mutated after signing, so malformed requests reach the actions.
package struct EmulatorCampaign {
    package var seed: UInt64
    package var requests: Int
    package var reloadEvery = 50
    package var resetEvery = 500
    package var stallSeconds = 1.0

    package init(seed: UInt64, requests: Int) {
        self.seed = seed
        self.requests = requests
    }

    /// The two accounts every front end's requests are signed for.
    static let accounts = ["alice", "bob"]

    /// Each front end with a key per account (`LTAI-fuzz-alice`, secret `alice-aliyun`).
    static let frontEnds: [(frontEnd: any EmulatorFrontEnd.Type, keys: [SigningKey])] = EmulatorFrontEnds.registered
        .map { frontEnd in
            (
                frontEnd,
                accounts.map {
                    SigningKey(id: "\(frontEnd.accessKeyPrefix)-fuzz-\($0)", secret: "\($0)-\(frontEnd.kind.rawValue)")
                }
            )
        }

    /// One emulator under test with the journal a server would have written for it.
    struct Subject {
        var emulator: Emulator
        var journal: [String]
        let mutates: Bool

        init(_ configuration: EmulatorConfiguration, wallClock: Instant, mutates: Bool) {
            emulator = Emulator(configuration: configuration, wallClock: wallClock)
            journal = emulator.journalPreamble()
            self.mutates = mutates
        }
    }

    /// Runs the campaign; `before` sees each request before it is handled (to keep it where a crash handler
    /// can write it out).
    package func run(before: (RawRequest) -> Void = { _ in }) -> CampaignReport {
        var report = CampaignReport()
        var generator = RequestGenerator(seed: seed, frontEnds: Self.frontEnds)
        var wallClock = Instant(secondsSince1970: 1_796_000_000)
        let start = Instant(secondsSince1970: 1_767_225_600)
        let keys =
            Self.frontEnds.flatMap { zip($0.keys, Self.accounts) }.compactMap {
                EmulatorConfiguration.AccessKey(parsing: "\($0.0.id):\($0.0.secret):\($0.1)")
            }
        var verifying = EmulatorConfiguration(
            frontEnds: EmulatorFrontEnds.registered,
            authentication: .verify(keys),
            maximumLiveNonces: 10_000
        )
        verifying.start = start
        var accepting = EmulatorConfiguration(
            frontEnds: EmulatorFrontEnds.registered,
            authentication: .acceptAnyKey,
            maximumLiveNonces: 10_000
        )
        accepting.start = start
        // Timed transitions on one of the two, so their settle times go through the journal too.
        accepting.transitionSeconds = EmulatorConfiguration.TransitionSeconds()
        var subjects = [
            Subject(verifying, wallClock: wallClock, mutates: false),
            Subject(accepting, wallClock: wallClock, mutates: true),
        ]
        for index in 0..<requests {
            wallClock = wallClock + Seconds(1)
            let which = index % 2
            var request = generator.next(
                KnownState(snapshot: subjects[which].emulator.snapshot()),
                wallClock: wallClock,
                mutate: subjects[which].mutates
            )
            if index > 0, index % resetEvery == 0 || index % resetEvery == 1 {
                request = RawRequest(method: "POST", target: "/_cloudrelease/reset", headers: [], body: [])
            }
            before(request)
            check(request, index: index, on: &subjects[which], wallClock: wallClock, into: &report)
            let reloadDue = (index / 2) % reloadEvery == reloadEvery - 1 || index >= requests - 2
            if reloadDue { checkReload(subjects[which], index: index, wallClock: wallClock, into: &report) }
        }
        return report
    }

    private func check(
        _ request: RawRequest,
        index: Int,
        on subject: inout Subject,
        wallClock: Instant,
        into report: inout CampaignReport
    ) {
        let before = subject.emulator.snapshot()
        let started = DispatchTime.now().uptimeNanoseconds
        let response = subject.emulator.handle(request, wallClock: wallClock)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let batch = subject.emulator.takeJournal()
        subject.journal =
            batch.startsOver ? subject.emulator.journalPreamble() + batch.lines : subject.journal + batch.lines
        report.requests += 1
        report.slowestSeconds = max(report.slowestSeconds, seconds)
        func finding(_ problem: String) {
            report.findings.append(CampaignFinding(index: index, problem: problem, request: Self.summary(request)))
        }
        if response.status >= 500 { finding("answered \(response.status): \(response.bodyText.prefix(300))") }
        if seconds > stallSeconds { finding("took \(seconds) s (the bound is \(stallSeconds) s)") }
        let nonces = subject.emulator.nonceMemory
        report.largestNonceBytes = max(report.largestNonceBytes, nonces.bytes)
        let nonceBound = subject.emulator.configuration.maximumLiveNonces * (WireLimits.maximumNonceBytes + 200)
        if nonces.bytes > nonceBound { finding("remembers \(nonces.bytes) nonce bytes (bound \(nonceBound))") }
        guard Self.isRefusal(response) else {
            report.accepted += 1
            return
        }
        report.refused += 1
        if subject.emulator.snapshot() != before {
            finding("refused (\(response.status) \(Self.code(response) ?? "")) yet the snapshot changed")
        }
        if !batch.lines.isEmpty || batch.startsOver {
            finding(
                "refused (\(response.status) \(Self.code(response) ?? "")) yet journaled \(batch.lines.count) lines"
            )
        }
    }

    private func checkReload(_ subject: Subject, index: Int, wallClock: Instant, into report: inout CampaignReport) {
        report.reloads += 1
        let text = subject.journal.joined(separator: "\n") + "\n"
        do {
            let (restored, load) = try Emulator.restoring(
                configuration: subject.emulator.configuration,
                wallClock: wallClock,
                journal: text
            )
            if load.tornLines > 0 {
                report.findings.append(
                    CampaignFinding(index: index, problem: "the journal has \(load.tornLines) torn lines", request: "")
                )
            }
            let running = subject.emulator.snapshot()
            let reloaded = restored.snapshot()
            if running != reloaded {
                report.findings.append(
                    CampaignFinding(
                        index: index,
                        problem: "a restart from the journal differs: \(Self.difference(running, reloaded))",
                        request: ""
                    )
                )
            }
        } catch {
            report.findings.append(
                CampaignFinding(index: index, problem: "the journal does not reload: \(error)", request: "")
            )
        }
    }

    /// The first place two JSON values differ, as a path and both values.
    static func difference(_ lhs: JSONValue, _ rhs: JSONValue, at path: String = "") -> String {
        switch (lhs, rhs) {
        case (.object(let left), .object(let right)):
            for (key, value) in left {
                guard let other = right.first(where: { $0.0 == key })?.1 else {
                    return "\(path).\(key.debugDescription) only running"
                }
                if value != other { return difference(value, other, at: "\(path).\(key.debugDescription)") }
            }
            return "\(path): members \(left.map(\.0)) vs \(right.map(\.0))"
        case (.array(let left), .array(let right)):
            for (index, pair) in zip(left, right).enumerated() where pair.0 != pair.1 {
                return difference(pair.0, pair.1, at: "\(path)[\(index)]")
            }
            return "\(path): \(left.count) vs \(right.count) elements"
        default:
            return "\(path): running \(lhs.serialized.prefix(300)), restored \(rhs.serialized.prefix(300))"
        }
    }

    /// Whether an answer refuses: a 4xx/5xx, or a refusal code in a front end's shape (an error in a 200).
    static func isRefusal(_ response: RawResponse) -> Bool {
        response.status >= 400 || code(response) != nil
    }

    static func code(_ response: RawResponse) -> String? {
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: Data(response.body)) else { return nil }
        return EmulatorFrontEnds.registered.lazy.compactMap { $0.refusalCode(in: json) }.first
    }

    static func summary(_ request: RawRequest) -> String {
        "\(request.method) \(request.target.prefix(300)) body \(String(decoding: request.body.prefix(300), as: UTF8.self))"
    }
}
