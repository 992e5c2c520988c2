import EmulatorFrontEnds
import Foundation
import ReleaseCore
import Reporting
import Testing

@testable import AliyunECSWire
@testable import EmulatorCore
@testable import TencentCVMWire

/// Seeded mutations of valid SDK-shaped requests: never a trap, never a 5xx, and whatever was accepted is in
/// the journal (a restart from it answers the same). Runs: CLOUDRELEASE_EMULATOR_FUZZ_RUNS (default 3000).
@Suite("Emulator robustness")
struct RobustnessTests {
    static let runs = Int(ProcessInfo.processInfo.environment["CLOUDRELEASE_EMULATOR_FUZZ_RUNS"] ?? "") ?? 3_000

    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
    }

    @Test("mutated requests never trap or answer 5xx, and the journal keeps up")
    func mutations() throws {
        let client = TestClient { $0.authentication = .acceptAnyKey }
        var file = client.emulator.journalPreamble()
        func collect() {
            let batch = client.emulator.takeJournal()
            file = batch.startsOver ? client.emulator.journalPreamble() + batch.lines : file + batch.lines
        }
        let aliyun = client.runAliyun()
        let tencent = client.runTencent()
        collect()
        let seeds: [RawRequest] = [
            client.aliyunRequest("DeleteInstance", ["InstanceId": aliyun, "Force": "True"]),
            client.aliyunRequest(
                "ModifyInstanceAutoReleaseTime",
                ["InstanceId": aliyun, "AutoReleaseTime": "2026-01-01T05:00:00Z"]
            ),
            client.aliyunRequest("RunInstances", ["ImageId": "img", "Amount": "2", "DeletionProtection": "true"]),
            client.aliyunRequest("DescribeInstances", ["InstanceIds": "[\"\(aliyun)\"]", "PageSize": "5"]),
            client.tencentRequest("TerminateInstances", .object([("InstanceIds", [.string(tencent)])])),
            client.tencentRequest(
                "ImportInstancesActionTimer",
                .object([
                    ("InstanceIds", [.string(tencent)]),
                    (
                        "ActionTimer",
                        .object([("TimerAction", "TerminateInstances"), ("ActionTime", "2026-01-01T06:00:00Z")])
                    ),
                ])
            ),
            client.tencentRequest("RunInstances", .object([("InstanceCount", 3), ("DisableApiTermination", true)])),
            client.tencentRequest(
                "DescribeInstances",
                .object([("Filters", [.object([("Name", "instance-state"), ("Values", ["RUNNING"])])])])
            ),
            RawRequest(
                method: "POST",
                target: "/_cloudrelease/clock",
                headers: [],
                body: Array("{\"advance\": 600}".utf8)
            ),
            RawRequest(method: "POST", target: "/_cloudrelease/accounts/LTAI-alice/arrears", headers: [], body: []),
        ]
        var random = Random(state: UInt64(ProcessInfo.processInfo.environment["CLOUDRELEASE_FUZZ_SEED"] ?? "") ?? 1)
        let interesting: [[UInt8]] = [
            "\"", "{", "[", "%", "%zz", ".", ",", "\u{0}", "999999999999999999999", "-1", "True", "\u{FF}",
        ]
        .map { Array($0.utf8) }
        for _ in 0..<Self.runs {
            var request = seeds[random.below(seeds.count)]
            for _ in 0...random.below(3) {
                switch random.below(7) {
                case 0 where !request.body.isEmpty:
                    request.body[random.below(request.body.count)] = UInt8(truncatingIfNeeded: random.next())
                case 1:
                    request.body = Array(request.body.prefix(random.below(request.body.count + 1)))
                case 2:
                    let at = random.below(request.body.count + 1)
                    request.body.insert(contentsOf: interesting[random.below(interesting.count)], at: at)
                case 3:
                    var bytes = Array(request.target.utf8)
                    let at = random.below(bytes.count + 1)
                    bytes.insert(contentsOf: interesting[random.below(interesting.count)], at: at)
                    request.target = String(decoding: bytes, as: UTF8.self)
                case 4 where !request.headers.isEmpty:
                    request.headers.remove(at: random.below(request.headers.count))
                case 5 where !request.headers.isEmpty:
                    let index = random.below(request.headers.count)
                    request.headers[index].value += String(
                        decoding: interesting[random.below(interesting.count)],
                        as: UTF8.self
                    )
                default:
                    request.method = ["GET", "PUT", "DELETE", "POST"][random.below(4)]
                }
            }
            let response = client.send(request)
            #expect(response.status < 500, "\(request.method) \(request.target): \(response.response.bodyText)")
            collect()
        }
        let (restored, load) = try Emulator.restoring(
            configuration: client.emulator.configuration,
            wallClock: client.wall,
            journal: file.joined(separator: "\n") + "\n"
        )
        #expect(load.tornLines == 0)
        let after = TestClient()
        after.emulator = restored
        #expect(after.control("GET", "instances").json == client.control("GET", "instances").json)
    }
}
