import AliyunECS
import FleetReplay
import Foundation
import ProviderRegistry
import ReleaseComparison
import ReleaseCore
import Reporting
import Scenarios
import TencentCVM
import TestSupport
import Testing

/// The code of Docs/Library.md, compiled and run. `docSnippetsAreCompiled` checks that every Swift block of
/// the document appears here verbatim, so the document cannot drift from code that builds and passes.
@Suite("Docs/Library.md")
struct LibraryDocTests {
    @Test("What happens if I release this now?")
    func releaseNow() throws {
        let now = Instant(iso8601: "2026-01-01T00:00:00Z")!
        let web = InstanceDescription(id: "i-web-1", publicAddress: .elasticIP)

        let (ecs, _) = try AliyunECS().launch(web, at: now)
        let onAliyun = ecs.outcome(of: .release(), at: now)
        print(onAliyun.error?.code ?? "accepted")  // IncorrectInstanceStatus: stop it first, or use force

        let (cvm, _) = try TencentCVM().launch(web, at: now)
        let onTencent = cvm.outcome(of: .release(), at: now)
        print(onTencent.phaseAfter, onTencent.pendingDeadlines)  // recycleBin, expiry at now + 2 h

        #expect(onAliyun.error?.code == AliyunErrorCode.incorrectInstanceStatus.code)
        #expect(onTencent.phaseAfter == .recycleBin)
        #expect(onTencent.pendingDeadlines == [Deadline(.recycleBinExpiry, at: now + .hours(2))])
    }

    @Test("What happens if I do it at time T?")
    func atTimeT() throws {
        let now = Instant(iso8601: "2026-01-01T00:00:00Z")!
        var (cvm, _) = try TencentCVM().launch(InstanceDescription(id: "ins-1"), at: now)
        _ = try cvm.perform(.release(), at: now)  // into the recycle bin for 2 h
        let oneHourLater = cvm.outcome(of: .restore, at: now + .hours(1))
        let threeHoursLater = cvm.outcome(of: .restore, at: now + .hours(3))
        print(oneHourLater.phaseAfter)  // stopped: restored
        print(threeHoursLater.error?.code ?? "accepted")  // InvalidInstanceId.NotFound: the bin let go at +2 h

        #expect(oneHourLater.phaseAfter == .stopped)
        #expect(threeHoursLater.error?.code == TencentErrorCode.notFound)
    }

    @Test("Reading the effects: deadlines, billing, resource fates, sources")
    func effects() throws {
        let now = Instant(iso8601: "2026-01-01T00:00:00Z")!
        let disks = [Disk(id: "root", role: .system), Disk(id: "data", role: .data, deleteWithInstance: false)]
        var (ecs, _) = try AliyunECS().launch(InstanceDescription(id: "i-db", disks: disks), at: now)
        for effect in try ecs.perform(.release([.force]), at: now) {
            switch effect {
            case .phaseChanged(let from, let to): print("phase", from, "→", to)
            case .deadlineSet(let deadline): print("timer", deadline.kind, deadline.at)
            case .deadlineCancelled(let kind): print("timer cancelled", kind)
            case .meterStarted(let meter): print("billing starts", meter)
            case .meterStopped(let meter): print("billing stops", meter)
            case .resourceFate(let resource, let fate, _): print(resource, fate)  // disk(1) retained: still billed
            case .protectionChanged(let on): print("protection", on)
            case .dataUnrecoverable: print("data is gone")
            case .cited(let code): print("rule", AliyunSource.catalogue[code.description]?.document ?? code.description)
            }
        }

        #expect(ecs.resourceFates == [ResourceOutcome(.disk(0), .released), ResourceOutcome(.disk(1), .retained)])
    }

    @Test("A refusal carries the provider's code")
    func refusal() throws {
        let now = Instant(iso8601: "2026-01-01T00:00:00Z")!
        var (cvm, _) = try TencentCVM().launch(InstanceDescription(id: "ins-2", isProtected: true), at: now)
        do {
            _ = try cvm.perform(.release(), at: now)
        } catch {
            print(error.code, error.provider, error.phase, error.message, error.source)
            // UnsupportedOperation.InstancesProtected tencent running ... TD2: https://www.tencentcloud.com/...
        }

        #expect(throws: ReleaseError.self) { try cvm.perform(.release(), at: now) }
    }

    @Test("Many transitions: the engine's form appends to one reused buffer")
    func engineForm() throws {
        let now = Instant(iso8601: "2026-01-01T00:00:00Z")!
        var machines = try (1...3).map {
            try AliyunECS().launch(InstanceDescription(id: "i-\($0)"), in: .stopped, at: now).0
        }
        var effects: [Effect] = []
        effects.reserveCapacity(32)
        for index in machines.indices {
            effects.removeAll(keepingCapacity: true)  // keeps its storage: no allocation once it has grown
            do {
                try machines[index].perform(.release(), at: now, into: &effects)
                print(machines[index].phase, effects.count)  // released, and what the release did
            } catch {
                print(error.code)  // effects is as it was before the refused command
            }
        }

        #expect(machines.allSatisfy { $0.phase == .released })
        var again = machines[0]
        #expect(throws: ReleaseError.self) { try again.perform(.release(), at: now, into: &effects) }
        #expect(effects.last == .dataUnrecoverable)
    }

    @Test("Billing over time, and the newer profile")
    func billing() throws {
        let now = Instant(iso8601: "2026-01-01T00:00:00Z")!
        for provider in [TencentCVM(rules: .seed), TencentCVM(rules: .newer)] {
            let (machine, launchEffects) = try provider.launch(InstanceDescription(id: "ins-3"), at: now)
            var simulation = Simulation(machine: machine, launchEffects: launchEffects, at: now)
            try simulation.perform(.release(), at: now + .hours(1))
            simulation.advance(to: now + .hours(5))
            print(
                provider.profile.name,
                simulation.billedSeconds(.compute, since: now),
                simulation.billedSeconds(.disk, since: now)
            )
            // seed 1h 1h; 2025 1h 3h: TD4 keeps disks billing in the recycle bin
        }

        let (seed, _) = try TencentCVM(rules: .seed).launch(InstanceDescription(id: "x"), at: now)
        var simulation = Simulation(machine: seed, launchEffects: [], at: now)
        simulation.advance(to: now + .hours(1))
        #expect(simulation.billedSeconds(.compute, since: now) == .zero)
    }

    @Test("A whole fleet, both providers, one clock")
    func fleet() throws {
        let now = Instant(iso8601: "2026-01-01T00:00:00Z")!
        var fleet = Fleet<AnyInstance>(startingAt: now)
        for (index, model) in [ProviderModel(.aliyun), ProviderModel(.tencent)].enumerated() {
            let (machine, effects) = try model.launch(InstanceDescription(id: "i-\(index)"), at: now)
            try fleet.add(machine, launchEffects: effects, account: "team-a", at: now)
        }
        fleet.deliver(.arrearsBegan, toAccount: "team-a", at: now + .hours(1))
        fleet.advance(to: now + .days(2))
        for handle in fleet.handles {
            print(
                fleet[handle].provider,
                fleet[handle].phase,
                fleet.billedSeconds(of: handle, .compute, from: now, to: fleet.now)
            )
        }
        // aliyun running 2d (released at 15 d overdue); tencent released 3h (2 h billed after arrears, released at 26 h)

        #expect(fleet.handles.map { fleet[$0].phase } == [.running, .released])
    }

    @Test("Scenarios and explanations from code")
    func scenariosAndExplanations() throws {
        let text = try String(
            contentsOfFile: repositoryRoot.appendingPathComponent("Examples/restore-after-1h.json").path,
            encoding: .utf8
        )
        let scenario = try Scenario.decode(text, file: "restore-after-1h.json")
        let report = scenario.run()
        print(report.rendered(as: .text))
        print(report.passed)  // true

        let answer = Explanation.explain(
            .release([.force]),
            on: InstanceDescription(id: "i-1"),
            model: ProviderModel(.aliyun)
        )
        print(answer.rendered(as: .text))

        #expect(report.passed)
        #expect(answer.accepted)
    }

    @Test("Every Swift block of Docs/Library.md is compiled here")
    func docSnippetsAreCompiled() throws {
        let doc = try String(
            contentsOfFile: repositoryRoot.appendingPathComponent("Docs/Library.md").path,
            encoding: .utf8
        )
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        func normalized(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            .joined(separator: "\n")
        }
        let compiled = normalized(source)
        let blocks = doc.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count >= 6)
        for block in blocks {
            // A block that is only the start of compiled code (a brace left open) would still be found verbatim.
            for (open, close) in [("{", "}"), ("(", ")"), ("[", "]")] {
                let code = block.split(separator: "\n").filter {
                    !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//")
                }
                .joined(separator: "\n")
                #expect(
                    code.components(separatedBy: open).count == code.components(separatedBy: close).count,
                    "Docs/Library.md block is not balanced in \(open)\(close):\n\(block)"
                )
            }
            let body = block.split(separator: "\n", omittingEmptySubsequences: false).filter {
                !$0.hasPrefix("import ")
            }
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(compiled.contains(normalized(body)), "Docs/Library.md block not found in LibraryDocTests:\n\(body)")
        }
    }
}
