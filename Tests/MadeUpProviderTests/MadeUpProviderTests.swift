import EmulatorCore
import Foundation
import Inventory
import ProviderRegistry
import ReleaseComparison
import ReleaseCore
import Reporting
import Scenarios
import Testing

/// Issue 19, item 6: a provider defined in this test target alone (Nimbus, a one-hour recycle bin and a deadline
/// kind neither real provider has) registers and runs through the fleet, scenarios, the comparison's probes, the
/// emulator's core and the inventory's codec registry, with no change outside this target.
@Suite("A provider defined in a test target runs through every layer")
struct MadeUpProviderTests {
    static let t0 = Instant(iso8601: "2026-01-01T00:00:00Z")!

    @Test("Nimbus registers beside this package's providers, and only where it is passed")
    func registration() throws {
        let kind = try ProviderModel.Kind.registering(Nimbus.self)
        #expect(kind == NimbusRegistry.kind)
        #expect(kind.rawValue == "nimbus")
        #expect(kind.deadlineKinds.contains(.nimbusBinPurge))
        #expect(kind.builtInIndex == nil)
        // Nimbus has only its seed profile: asking for the newer one runs the seed, never an index past its list.
        #expect(ProviderModel(kind, newerProfile: true) == ProviderModel(kind))
        #expect(ProviderModel(kind, profileIndex: 1) == nil)
        // Nimbus's kinds are ranked by their place in its machine's list: its bin's is second, as Tencent's is.
        #expect(kind.deadlineKinds.firstIndex(of: .nimbusBinPurge) == 1)
        #expect(ProviderModel(parsing: "nimbus@newer", among: NimbusRegistry.providers) == nil)
        // The standard registry, and every default that reads it, is unchanged.
        #expect(ProviderModel.Kind(rawValue: "nimbus") == nil)
        #expect(ProviderModel(parsing: "nimbus") == nil)
        #expect(ProviderModel.Kind(rawValue: "nimbus", among: NimbusRegistry.providers) == kind)
        #expect(ProviderModel(parsing: "nimbus@seed", among: NimbusRegistry.providers)?.kind == kind)
        #expect(NimbusRegistry.providers.releaseFlags.contains(.purge))
        #expect(NimbusRegistry.providers.releaseFlag("purge") == .purge)
        #expect(!ProviderModel.releaseFlags.contains(.purge))
        #expect(ProviderModel.flag("purge") == nil)
    }

    @Test(
        "A registration that clashes with the registry is refused with its reason",
        arguments: [
            (
                ProviderRegistration.Facts(id: ProviderID(rawValue: "nimbus"), flags: [], deadlineKinds: []),
                ProviderRegistrationError.idTaken(ProviderID(rawValue: "nimbus"))
            ),
            (
                ProviderRegistration.Facts(
                    id: ProviderID(rawValue: "other"),
                    flags: [.purge],
                    deadlineKinds: []
                ),
                .flagWordTaken("purge")
            ),
            (
                ProviderRegistration.Facts(
                    id: ProviderID(rawValue: "other"),
                    flags: [],
                    deadlineKinds: [.scheduledRelease, .arrearsRelease, .scheduledRelease]
                ),
                .deadlineKindListedTwice("scheduledRelease")
            ),
            (
                ProviderRegistration.Facts(
                    id: ProviderID(rawValue: "other"),
                    flags: [],
                    deadlineKinds: [DeadlineKind(name: "nimbusBinPurge", releasesInstance: false)]
                ),
                .deadlineNameTaken("nimbusBinPurge")
            ),
            (
                ProviderRegistration.Facts(
                    id: ProviderID(rawValue: "other"),
                    flags: [],
                    deadlineKinds: Array(repeating: DeadlineKind(name: "many", releasesInstance: false), count: 257)
                ),
                .tooManyDeadlineKinds(257)
            ),
            (
                ProviderRegistration.Facts(
                    id: ProviderID(rawValue: "other"),
                    flags: [ReleaseFlag("force")],
                    deadlineKinds: []
                ),
                .flagWordTaken("force")
            ),
            (
                ProviderRegistration.Facts(
                    id: ProviderID(rawValue: "other"),
                    flags: [ReleaseFlag("wipe"), ReleaseFlag("keep"), ReleaseFlag("wipe")],
                    deadlineKinds: []
                ),
                .flagListedTwice("wipe")
            ),
            (
                ProviderRegistration.Facts(
                    id: ProviderID(rawValue: "other"),
                    flags: [ReleaseFlag("wipe all")],
                    deadlineKinds: []
                ),
                .flagWordUnwritable("wipe all")
            ),
            (
                ProviderRegistration.Facts(
                    id: ProviderID(rawValue: "other"),
                    flags: [ReleaseFlag("")],
                    deadlineKinds: []
                ),
                .flagWordUnwritable("")
            ),
            (
                ProviderRegistration.Facts(
                    id: ProviderID(rawValue: "other"),
                    flags: [],
                    deadlineKinds: [],
                    eventNames: ["security-lock"]
                ),
                .eventNameTaken("security-lock")
            ),
        ]
    )
    func clash(facts: ProviderRegistration.Facts, refusal: ProviderRegistrationError) {
        #expect(facts.problem(among: NimbusRegistry.providers) == refusal)
        #expect(
            ProviderRegistration.Facts(id: ProviderID(rawValue: "other"), flags: [], deadlineKinds: []).problem(
                among: NimbusRegistry.providers
            ) == nil
        )
    }

    @Test("A provider may declare more release flags than the 32 bits flags once had: they are words")
    func manyFlags() {
        let flags = (0..<40).map { ReleaseFlag("nimbus-flag-\($0)") }
        let facts = ProviderRegistration.Facts(id: ProviderID(rawValue: "other"), flags: flags, deadlineKinds: [])
        #expect(facts.problem(among: NimbusRegistry.providers) == nil)
        #expect(ReleaseFlags(flags).count == 40)
    }

    @Test("A fleet holds Nimbus beside Aliyun and Tencent; its bin and Tencent's have one rank and fire as their own")
    func fleet() throws {
        var fleet = Fleet<AnyInstance>(startingAt: Self.t0, recordTimeline: true)
        for (id, kind) in [("nb-1", NimbusRegistry.kind), ("ins-1", .tencent), ("i-1", .aliyun)] {
            let (machine, effects) = try ProviderModel(kind).launch(InstanceDescription(id: id), at: Self.t0)
            try fleet.add(machine, launchEffects: effects, account: "acct", at: Self.t0)
        }
        let (nimbus, tencent, aliyun) = (fleet.handles[0], fleet.handles[1], fleet.handles[2])
        let recycleBinExpiry = try #require(
            ProviderModel.Kind.tencent.deadlineKinds.first { $0.rawValue == "recycleBinExpiry" }
        )
        #expect(fleet[nimbus].deadlineRank(of: .nimbusBinPurge) == fleet[tencent].deadlineRank(of: recycleBinExpiry))
        #expect(DeadlineKind.nimbusBinPurge != recycleBinExpiry)
        try fleet.perform(.release([]), on: nimbus, at: Self.t0)
        try fleet.perform(.release([]), on: tencent, at: Self.t0)
        #expect(fleet[nimbus].phase == .recycleBin)
        #expect(fleet[nimbus].restorableUntil == Self.t0 + .hours(1))
        #expect(fleet[tencent].phase == .recycleBin)
        fleet.advance(to: Self.t0 + .hours(1))
        #expect(fleet[nimbus].phase == .released)
        #expect(fleet[tencent].phase == .recycleBin)
        fleet.advance(to: Self.t0 + .hours(3))
        #expect(fleet[tencent].phase == .released)
        #expect(fleet[aliyun].phase == .running)
        let fired = (fleet.timeline ?? []).compactMap { entry -> String? in
            guard case .event(.deadlineReached(let deadline)) = entry.cause else { return nil }
            return "\(fleet[entry.instance].instance.id):\(deadline.kind)"
        }
        #expect(fired == ["nb-1:nimbusBinPurge", "ins-1:recycleBinExpiry"])
        // An engine of this package's providers only (the replay's) refuses Nimbus's launch with REG2.
        #expect(throws: ReleaseError.self) {
            _ = try ProviderModel(NimbusRegistry.kind).launch(
                InstanceDescription(id: "nb-2"),
                at: Self.t0,
                as: BuiltInInstance.self
            )
        }
        // A Nimbus flag sent to Aliyun is another provider's parameter, refused with Aliyun's own code.
        #expect(throws: ReleaseError.self) {
            try fleet.perform(.release([.purge]), on: aliyun, at: Self.t0 + .hours(3))
        }
    }

    static let scenario = """
        {
          "name": "Nimbus's one-hour bin beside Tencent's two",
          "providers": ["nimbus", "tencent"],
          "instance": { "charge": "postpaid" },
          "steps": [
            { "at": "+0s", "command": "release",
              "expect": { "phase": "recycleBin",
                          "nimbus": { "deadlines": { "nimbusBinPurge": "+1h" } },
                          "tencent": { "deadlines": { "recycleBinExpiry": "+2h" } } } },
            { "at": "+1h", "expect": { "nimbus": { "phase": "released" }, "tencent": { "phase": "recycleBin" } } },
            { "at": "+2h", "expect": { "phase": "released" } },
            { "at": "+2h", "command": "release", "flags": ["purge"],
              "expect": { "nimbus": { "error": "InstanceNotFound" } } }
          ]
        }
        """

    @Test("A scenario file names Nimbus, its flag and its deadline kind, and runs on its model")
    func scenario() throws {
        let scenario = try Scenario.decode(Self.scenario, file: "nimbus.json", providers: NimbusRegistry.providers)
        #expect(scenario.models.map(\.description) == ["nimbus", "tencent"])
        let report = scenario.run()
        #expect(report.passed, "\(report.checks.filter { !$0.passed })")

        #expect(report.checks.count == 9)
        // Without the registration the file is refused at the provider's name.
        #expect(throws: ScenarioError.self) { try Scenario.decode(Self.scenario, file: "nimbus.json") }
    }

    @Test("The comparison's probes run on Nimbus's model beside the others")
    func comparison() throws {
        let models = ProviderModel.seedModels + [ProviderModel(NimbusRegistry.kind)]
        let comparison = Comparison.run(models: models)
        #expect(comparison.columns == ["aliyun", "tencent", "nimbus"])
        let release = try #require(comparison.rows.first { $0.id == "release-running" })
        let text = release.cells.map(\.outcome)
        // Its own one-hour bin, beside Tencent's two hours: the probe ran Nimbus's rules.
        #expect(text[1] == "→ recycleBin, restorable for 2h")
        #expect(text[2] == "→ recycleBin, restorable for 1h")
    }

    @Test("The emulator's core serves Nimbus through the front end its configuration lists")
    func emulator() throws {
        var configuration = EmulatorConfiguration(frontEnds: [NimbusFrontEnd.self])
        configuration.start = Self.t0
        var emulator = Emulator(configuration: configuration, wallClock: Self.t0)
        func call(_ method: String, _ path: String, headers: [(String, String)] = [], body: String = "") -> RawResponse
        {
            emulator.handle(
                RawRequest(method: method, target: path, headers: headers, body: Array(body.utf8)),
                wallClock: Self.t0
            )
        }
        func nimbus(_ action: String, _ body: String = "") -> (Int, String) {
            let response = call(
                "POST",
                "/",
                headers: [("X-Nimbus-Action", action), ("X-Nimbus-Account", "acct")],
                body: body
            )
            return (response.status, String(decoding: response.body, as: UTF8.self))
        }
        let seeded = call(
            "POST",
            "/_cloudrelease/instances",
            body: #"{"provider": "nimbus", "account": "acct", "region": "north", "id": "nb-7"}"#
        )
        #expect(seeded.status == 200, "\(String(decoding: seeded.body, as: UTF8.self))")
        #expect(nimbus("DescribeInstances").1.contains(#""Status":"RUNNING""#))
        // An id that is not the caller's is refused, never widened to another instance.
        #expect(nimbus("ReleaseInstance", #"{"InstanceId": "nb-8"}"#).0 == 404)
        let released = nimbus("ReleaseInstance", #"{"InstanceId": "nb-7"}"#)
        #expect(released.0 == 200 && released.1.contains("NB1"), "\(released)")
        #expect(nimbus("DescribeInstances").1.contains(#""Status":"IN_BIN""#))
        // The control plane restores from Nimbus's bin, as it does from Tencent's.
        #expect(call("POST", "/_cloudrelease/nimbus/instances/nb-7/restore").status == 200)
        #expect(nimbus("DescribeInstances").1.contains(#""Status":"RUNNING""#))
        _ = nimbus("ReleaseInstance", #"{"InstanceId": "nb-7"}"#)
        #expect(call("POST", "/_cloudrelease/clock", body: #"{"advance": "1h"}"#).status == 200)
        #expect(!nimbus("DescribeInstances").1.contains("nb-7"))
        // Another provider's seed is refused: the emulator serves the front ends it lists.
        let tencent = call(
            "POST",
            "/_cloudrelease/instances",
            body: #"{"provider": "tencent", "account": "acct", "region": "north", "id": "ins-1"}"#
        )
        #expect(tencent.status == 400)
    }

    @Test("The inventory reads Nimbus's answers with its codec and forecasts them on its model")
    func inventory() throws {
        let answer =
            #"{"NimbusInstances": [{"InstanceId": "nb-1", "Status": "RUNNING", "ReleaseAt": "2026-01-01T00:30:00Z"}]}"#
        var reading = InventoryReading(providers: NimbusRegistry.providers)
        reading.read(Data(answer.utf8), file: "nimbus.json", at: Self.t0)
        #expect(reading.problems.isEmpty, "\(reading.problems)")
        #expect(reading.instances.map(\.provider) == [Nimbus.id])
        let forecast = Forecast.run(reading, at: Self.t0, models: [ProviderModel(NimbusRegistry.kind)])
        let instance = try #require(forecast.instances.first)
        #expect(instance.provider == "nimbus")
        #expect(instance.events.map(\.kind).contains("scheduledRelease"), "\(instance.events)")
        #expect(forecast.totals.releasedWithin24Hours == 1)
        // This package's readers know nothing of Nimbus unless it is passed.
        var plain = InventoryReading()
        plain.read(Data(answer.utf8), file: "nimbus.json", at: Self.t0)
        #expect(plain.instances.isEmpty)
        #expect(!plain.problems.isEmpty)
    }
}
