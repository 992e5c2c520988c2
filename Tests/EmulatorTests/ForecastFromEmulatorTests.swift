import EmulatorFrontEnds
import Foundation
import Inventory
import ProviderRegistry
import ReleaseCore
import Reporting
import Testing

@testable import AliyunECSWire
@testable import EmulatorCore
@testable import TencentCVMWire

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
        let forecast = Self.forecast(answers, at: client.now)
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

    /// Reads the answers as `cloud-release forecast` does, one file each, and forecasts them.
    static func forecast(_ answers: [(String, [UInt8])], at now: Instant) -> Forecast {
        var reading = InventoryReading()
        for (file, body) in answers { reading.read(Data(body), file: file, at: now) }
        return Forecast.run(reading, at: now)
    }

    @Test(
        "the disk, snapshot and address listings join their instances: what outlives a release is forecast (seed 001)"
    )
    func resourcesOutliveTheRelease() throws {
        let client = TestClient()
        let ecs = client.runAliyun(["DataDisk.1.Size": "100", "DataDisk.1.DeleteWithInstance": "false"])
        let seeded = client.control(
            "POST",
            "instances",
            .object([
                ("provider", "aliyun"), ("account", "alice"), ("region", "cn-hangzhou"), ("id", "i-eip00001"),
                ("address", "eip"), ("snapshots", .array(["manual"])),
            ])
        )
        #expect(seeded.status == 200)
        let cvm = client.runTencent([("DataDisks", .array([.object([("DeleteWithInstance", .bool(false))])]))])
        let withoutListings = Self.forecast(
            [("ecs.json", client.aliyun("DescribeInstances").response.body)],
            at: client.now
        )
        let plain = try #require(withoutListings.instances.first { $0.instance == ecs })
        #expect(plain.outlives.isEmpty)
        #expect(plain.notes.contains { $0.contains("no DescribeDisks answer names this instance") })
        let forecast = Self.forecast(
            [
                ("ecs.json", client.aliyun("DescribeInstances").response.body),
                ("disks.json", client.aliyun("DescribeDisks", ["RegionId": "cn-hangzhou"]).response.body),
                ("snapshots.json", client.aliyun("DescribeSnapshots", ["RegionId": "cn-hangzhou"]).response.body),
                ("eips.json", client.aliyun("DescribeEipAddresses", ["RegionId": "cn-hangzhou"]).response.body),
                ("cvm.json", client.tencent("DescribeInstances").response.body),
                ("cbs.json", client.tencent("DescribeDisks").response.body),
            ],
            at: client.now
        )
        #expect(forecast.problems.isEmpty, "\(forecast.problems)")
        // What the forecast says outlives each release is what the emulator keeps when it happens (the recycle
        // bin lets go of the CVM instance's resources when it expires, T2).
        for id in [ecs, "i-eip00001"] {
            #expect(client.aliyun("DeleteInstance", ["InstanceId": id, "Force": "true"]).code == nil)
        }
        #expect(client.tencent("TerminateInstances", .object([("InstanceIds", [.string(cvm)])])).code == nil)
        _ = client.advance(2 * 3_600 + 1)
        for id in [ecs, "i-eip00001", cvm] {
            let predicted = try #require(forecast.instances.first { $0.instance == id })
            #expect(!predicted.notes.contains { $0.contains("no DescribeDisks answer") })
            let record = try #require(client.emulator.records[id])
            let kept = client.emulator.machine(record).resourceFates.filter { $0.fate == .retained }.count
            #expect(predicted.outlives.count == kept, "\(id): \(predicted.outlives)")
            #expect(kept > 0, "\(id)")
        }
    }
}
