import Foundation
import Inventory
import ReleaseCore
import Reporting
import Testing

@testable import EmulatorCore

/// The emulator's DescribeInstances answers, read by `forecast`, say what the emulator then does.
@Suite("Forecast of the emulator's answers")
struct ForecastFromEmulatorTests {
    @Test("ECS and CVM answers: the forecast's next events are what the emulator fires")
    func agreesWithTheEmulator() throws {
        let client = TestClient()
        let ecs = client.runAliyun(["DeletionProtection": "true"])
        let releaseAt = client.now + .hours(3)
        _ = client.aliyun("ModifyInstanceAutoReleaseTime", ["InstanceId": ecs, "AutoReleaseTime": releaseAt.iso8601])
        let cvm = client.runTencent()
        _ = client.tencent("TerminateInstances", .object([("InstanceIds", [.string(cvm)])]))
        let timed = client.runTencent([
            ("ActionTimer", .object([("ActionTime", .string((client.now + .hours(1) + Seconds(7)).iso8601))]))
        ])
        let answers = [
            ("ecs.json", client.aliyun("DescribeInstances").response.body),
            ("cvm.json", client.tencent("DescribeInstances").response.body),
            ("timers.json", client.tencent("DescribeInstancesActionTimer").response.body),
        ]
        var instances: [InventoryInstance] = []
        var timers: [String: Instant] = [:]
        var problems: [InventoryProblem] = []
        for (file, body) in answers {
            let read = InventoryReader.read(Data(body), file: file, at: client.now)
            instances += read.instances
            timers.merge(read.timers) { _, later in later }
            problems += read.problems
        }
        let forecast = Forecast.run(instances, timers: timers, problems: problems, at: client.now)
        #expect(forecast.problems.isEmpty, "\(forecast.problems)")
        let ecsForecast = try #require(forecast.instances.first { $0.instance == ecs })
        #expect(ecsForecast.protectionBlocksRelease)
        #expect(ecsForecast.events.first?.kind == "scheduledRelease")
        let binned = try #require(forecast.instances.first { $0.instance == cvm })
        #expect(binned.events.first?.kind == "recycleBinExpiry")
        let timedForecast = try #require(forecast.instances.first { $0.instance == timed })
        let at = try #require(timedForecast.events.first?.at)
        // What the emulator fires, and when, is what the forecast said (ECS to the minute, as its answer shows).
        #expect(
            client.control("POST", "clock", .object([("set", .string((at - Seconds(1)).iso8601))]))["fired"]?.count == 0
        )
        let fired = client.advance(1)["fired"]
        #expect(fired?.first?["instance"] == .string(timed))
        #expect(fired?.first?["cause"] == "scheduledRelease")
        let ecsAt = try #require(ecsForecast.events.first?.at)
        #expect(ecsAt == releaseAt.truncated(to: .minutes(1)))
    }
}
