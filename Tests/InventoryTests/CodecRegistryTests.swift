import AliyunECS
import Foundation
import Inventory
import ProviderRegistry
import ReleaseCore
import Reporting
import TencentCVM
import Testing

/// The inventory reads through the registry: each provider's codec, none named by the reader (issue 19, item 1).
@Suite("Inventory codecs from the registry")
struct CodecRegistryTests {
    static let now = Instant(iso8601: "2026-11-24T23:00:00Z")!

    /// Every (provider, list) the registry's codecs declare, with the list's place in an answer.
    static let listings: [(ProviderModel.Kind, [String], Bool)] = ProviderModel.Kind.allCases.flatMap { kind in
        (kind.inventoryCodec?.listings ?? []).map { (kind, $0.keys, $0.mayBeUnderResponse) }
    }

    /// The JSON of an answer holding one empty list at `keys`.
    static func answer(_ keys: [String], underResponse: Bool) -> String {
        var json = "[]"
        for key in keys.reversed() { json = "{\"\(key)\": \(json)}" }
        return underResponse ? "{\"Response\": \(json)}" : json
    }

    @Test(
        "Every list a registered codec declares is recognised where it sits, wrapped in Response only where allowed",
        arguments: listings.map { "\($0.0.rawValue):\($0.1.joined(separator: "."))" }
    )
    func everyListingIsRead(_ name: String) throws {
        let (kind, keys, mayBeUnderResponse) = try #require(
            Self.listings.first { "\($0.0.rawValue):\($0.1.joined(separator: "."))" == name }
        )
        let bare = InventoryReader.read(
            Data(Self.answer(keys, underResponse: false).utf8),
            file: "a.json",
            at: Self.now
        )
        #expect(bare.problems.isEmpty, "\(kind): \(bare.problems)")
        let wrapped = InventoryReader.read(
            Data(Self.answer(keys, underResponse: true).utf8),
            file: "a.json",
            at: Self.now
        )
        // A list that is never under Response is not looked for there: the file is then no answer at all.
        #expect(wrapped.problems.isEmpty == mayBeUnderResponse, "\(kind): \(wrapped.problems)")
    }

    @Test("A file with none of the registered lists names every one of them, in both languages")
    func unrecognisedNamesEveryList() throws {
        let read = InventoryReader.read(Data(#"{"Items": []}"#.utf8), file: "a.json", at: Self.now)
        let problem = try #require(read.problems.first)
        #expect(read.problems.count == 1)
        for kind in ProviderModel.Kind.allCases {
            for listing in kind.inventoryCodec?.listings ?? [] {
                #expect(problem.reason.contains(listing.name.english))
                #expect(problem.chineseReason?.contains(listing.name.chinese) == true)
            }
        }
    }

    @Test("Each instance read carries its codec's provider id, which the registry maps back to its provider")
    func instancesCarryTheirProvider() {
        let ecs =
            #"{"Instances": {"Instance": [{"InstanceId": "i-1", "Status": "Running", "InstanceChargeType": "PostPaid"}]}}"#
        let cvm =
            #"{"InstanceSet": [{"InstanceId": "ins-1", "InstanceState": "RUNNING", "InstanceChargeType": "POSTPAID_BY_HOUR"}]}"#
        for (json, kind) in [(ecs, ProviderModel.Kind.aliyun), (cvm, .tencent)] {
            let read = InventoryReader.read(Data(json.utf8), file: "a.json", at: Self.now)
            #expect(read.instances.map(\.provider) == [kind.providerType.id])
            #expect(read.instances.first.flatMap { ProviderModel.Kind(id: $0.provider) } == kind)
        }
    }

    @Test("An instance of a provider the registry does not have is a problem of the forecast, not a trap")
    func unregisteredProviderIsAProblem() {
        let stranger = InventoryInstance(
            provider: ProviderID(rawValue: "huawei"),
            file: "mine.json",
            path: "Servers[0]",
            description: InstanceDescription(id: "ecs-1", region: "cn-north-4", charge: .payAsYouGo),
            observed: .live(.running, nil),
            stateText: "ACTIVE",
            scheduledRelease: nil,
            notes: []
        )
        let forecast = Forecast.run([stranger], timers: [:], problems: [], at: Self.now)
        #expect(forecast.instances.isEmpty)
        #expect(forecast.problems == ["mine.json: Servers[0]: no registered provider is huawei"])
        let chinese = Forecast.run([stranger], timers: [:], problems: [], at: Self.now, language: .zh)
        #expect(chinese.problems == ["mine.json: Servers[0]: 没有已注册的云厂商 huawei"])
    }
}

extension CodecRegistryTests {
    @Test("The inventory's and ListingCodec's code name no provider: what a provider's answers say, its codec reads")
    func neutralSources() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for module in ["Sources/Inventory", "Sources/ListingCodec"] {
            let folder = root.appendingPathComponent(module)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
                $0.hasSuffix(".swift")
            }
            #expect(!files.isEmpty)
            for file in files {
                let text = try String(contentsOfFile: folder.appendingPathComponent(file).path, encoding: .utf8)
                // Code, not comments: a comment may cite a provider's page as an example.
                let code = text.split(separator: "\n").filter {
                    !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//")
                }
                for line in code {
                    for name in ["aliyun", "tencent", "alibaba", "qcloud"] {
                        #expect(!line.lowercased().contains(name), "\(module)/\(file): \(line)")
                    }
                    for name in ["ECS", "CVM", "CBS"] {
                        #expect(!line.contains(name), "\(module)/\(file): \(line)")
                    }
                }
            }
        }
    }
}

/// The emulator writes an instance's release fields with `describeInstancesMembers`, and the inventory reads them
/// back with the same provider's codec: one shape, two halves, held together here across the states a release
/// goes through.
@Suite("DescribeInstances: what the emulator writes, the inventory reads back")
struct DescribeInstancesRoundTripTests {
    static let start = Instant(iso8601: "2026-03-01T00:00:00Z")!

    enum Step { case command(Command), wait(Seconds) }

    /// A state to reach, the steps that reach it, and what the inventory must read.
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var charge: ChargeType = .payAsYouGo
        var steps: [Step]
        var expected: InventoryInstance.Observed
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "running", steps: [], expected: .live(.running, nil)),
        Case(
            name: "stopped, no charge",
            steps: [.command(.stop(chargingMode: .stopCharging))],
            expected: .live(.stopped, .stopCharging)
        ),
        Case(
            name: "stopped, charging",
            steps: [.command(.stop(chargingMode: .keepCharging))],
            expected: .live(.stopped, .keepCharging)
        ),
        Case(name: "protected", steps: [.command(.setProtection(true))], expected: .live(.running, nil)),
        Case(
            name: "scheduled",
            steps: [.command(.scheduleRelease(at: start + .hours(3)))],
            expected: .live(.running, nil)
        ),
        Case(
            name: "expired subscription",
            charge: .subscription(expiresAt: start + .days(1)),
            steps: [.wait(.days(2))],
            expected: .expired
        ),
    ]

    @Test(
        "Both providers, every state: the phase, protection and scheduled release read back are the model's",
        arguments: ProviderModel.Kind.allCases,
        cases
    )
    func roundTrip(_ kind: ProviderModel.Kind, _ testCase: Case) throws {
        let description = InstanceDescription(id: "i-roundtrip", region: "r", charge: testCase.charge)
        let (machine, effects) = try ProviderModel(kind).launch(description, at: Self.start)
        var simulation = Simulation(machine: machine, launchEffects: effects, at: Self.start)
        for step in testCase.steps {
            switch step {
            case .command(let command): try simulation.perform(command, at: simulation.now)
            case .wait(let seconds): simulation.advance(to: simulation.now + seconds)
            }
        }
        let now = simulation.now
        let json: JSONValue
        switch simulation.machine {
        case .aliyun(let machine):
            let attributes = try #require(machine.attributes)
            json = .object([
                (
                    "Instances",
                    .object([
                        (
                            "Instance",
                            .array([
                                .object(
                                    [("InstanceId", "i-roundtrip"), ("RegionId", "r")]
                                        + attributes.describeInstancesMembers(status: attributes.status.rawValue)
                                )
                            ])
                        )
                    ])
                )
            ])
        case .tencent(let machine):
            let attributes = try #require(machine.attributes)
            json = .object([
                (
                    "InstanceSet",
                    .array([
                        .object(
                            [("InstanceId", "i-roundtrip")]
                                + attributes.describeInstancesMembers(state: attributes.instanceState.rawValue)
                        )
                    ])
                )
            ])
        case .registered:
            Issue.record("the round trip covers this package's providers only")
            return
        }
        let read = InventoryReader.read(Data(json.serialized.utf8), file: "answer.json", at: now)
        #expect(read.problems.isEmpty, "\(read.problems)")
        let instance = try #require(read.instances.first)
        #expect(instance.provider == kind.providerType.id)
        #expect(instance.observed == testCase.expected, "\(kind) \(testCase): \(instance.stateText)")
        #expect(instance.description.isProtected == simulation.machine.isProtected)
        #expect(instance.description.charge.isPayAsYouGo == testCase.charge.isPayAsYouGo)
        if kind == .aliyun {
            // ECS writes AutoReleaseTime on the instance; CVM's scheduled destruction is an ActionTimer of its own.
            let scheduled = simulation.machine.pendingDeadlines.first { $0.kind == .scheduledRelease }?.at
            #expect(instance.scheduledRelease == scheduled)
        }
    }
}
