import Foundation
import Inventory
import ProviderRegistry
import ReleaseCore
import Reporting
import Testing

/// Reading DescribeInstances answers and forecasting from them.
@Suite("Inventory and forecast")
struct InventoryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let now = Instant(iso8601: "2026-11-24T23:00:00Z")!

    static func forecast(_ files: [String], at now: Instant = now, prices: PriceBook? = nil) throws -> Forecast {
        var reading = InventoryReading()
        for file in files {
            reading.read(
                try Data(contentsOf: root.appendingPathComponent("Examples/inventory/\(file)")),
                file: file,
                at: now
            )
        }
        return Forecast.run(reading, at: now, prices: prices)
    }

    @Test("With prices: each instance's cost a day now and after a release now, and the fleet's, exactly")
    func pricedForecast() throws {
        let prices = PriceBook(PriceTable(decimalPerHour: [.compute: "0.5", .disk: "0.04", .elasticIP: "0.02"])!)
        let forecast = try Self.forecast(["ecs-describe-instances.json"], prices: prices)
        let web = try #require(forecast.instances.first { $0.instance == "i-bp67acfmxazb4p****" })
        // Running pay-as-you-go: compute and its system disk, 0.54 an hour; a release now leaves nothing billing.
        #expect(web.costPerDayNow == "12.96")
        #expect(web.costPerDayAfterRelease == "0")
        #expect(web.currency == "CNY")
        let text = forecast.rendered(as: .text)
        #expect(text.contains("cost a day (CNY): "))
        let unpriced = try Self.forecast(["ecs-describe-instances.json"])
        #expect(unpriced.instances.allSatisfy { $0.costPerDayNow == nil })
        #expect(!unpriced.rendered(as: .text).contains("cost a day"))
    }

    @Test("A4: a DescribeDisks answer joins its instances: a data disk kept on release outlives it and keeps billing")
    func disksFromDescribeDisks() throws {
        let prices = PriceBook(PriceTable(decimalPerHour: [.compute: "0.5", .disk: "0.04", .elasticIP: "0.02"])!)
        let alone = try Self.forecast(["ecs-describe-instances.json"], prices: prices)
        let before = try #require(alone.instances.first { $0.instance == "i-bp67acfmxazb4p****" })
        #expect(before.outlives.isEmpty)
        #expect(before.notes.contains { $0.contains("no DescribeDisks answer names this instance") })
        let forecast = try Self.forecast(["ecs-describe-instances.json", "ecs-describe-disks.json"], prices: prices)
        #expect(forecast.problems.isEmpty, "\(forecast.problems)")
        let web = try #require(forecast.instances.first { $0.instance == "i-bp67acfmxazb4p****" })
        #expect(web.outlives.count == 1)
        #expect(web.outlives.first?.contains("d-bp67acfmxazb4pdat****") == true)
        #expect(!web.notes.contains { $0.contains("DescribeDisks") })
        // Compute and two disks now (0.58 an hour); the kept data disk alone after a release (0.04 an hour).
        #expect(web.costPerDayNow == "13.92")
        #expect(web.costPerDayAfterRelease == "0.96")
        // The detached disk belongs to no instance's forecast.
        #expect(!forecast.instances.contains { $0.outlives.contains { $0.contains("d-bp1detached0") } })
    }

    @Test("a CBS listing that omits a disk (paged, filtered, or local) does not drop it from the forecast")
    func partialDiskListing() throws {
        let listing =
            #"{"Response": {"TotalCount": 1, "DiskSet": [{"DiskId": "disk-sys1", "DiskUsage": "SYSTEM_DISK", "DiskType": "CLOUD_PREMIUM", "InstanceId": "ins-xlsyru2j", "DeleteWithInstance": true}], "RequestId": "r"}}"#
        let read = InventoryReader.read(Data(listing.utf8), file: "cbs.json", at: Self.now)
        #expect(read.problems.isEmpty)
        let data = try Data(
            contentsOf: Self.root.appendingPathComponent("Examples/inventory/cvm-describe-instances.json")
        )
        let answer = InventoryReader.read(data, file: "cvm.json", at: Self.now)
        let forecast = Forecast.run(
            answer.instances,
            timers: [:],
            resources: read.resources,
            problems: [],
            at: Self.now
        )
        let instance = try #require(forecast.instances.first { $0.instance == "ins-xlsyru2j" })
        // The recycle bin comes first; what outlives the release is decided when it lets go: the kept data disk.
        let direct = try Self.forecast(["cvm-describe-instances.json"])
        let alone = try #require(direct.instances.first { $0.instance == "ins-xlsyru2j" })
        #expect(instance.outlives == alone.outlives)
        #expect(instance.outlives.contains { $0.contains("disk-keep1") })
    }

    static func text(_ json: String, at now: Instant = now) -> Forecast {
        let read = InventoryReader.read(Data(json.utf8), file: "answer.json", at: now)
        return Forecast.run(read.instances, timers: read.timers, problems: read.problems, at: now)
    }

    @Test("A4: an ECS AutoReleaseTime is the next event; a release now of a running PostPaid instance")
    func aliyunSample() throws {
        let forecast = try Self.forecast(["ecs-describe-instances.json"])
        let web = try #require(forecast.instances.first { $0.instance == "i-bp67acfmxazb4p****" })
        #expect(web.events.map(\.kind) == ["scheduledRelease"])
        #expect(web.events.first?.at == Instant(iso8601: "2026-12-01T02:00:00Z"))
        #expect(web.releaseNow == "→ released")
        let database = try #require(forecast.instances.first { $0.instance == "i-bp1protected****" })
        #expect(database.protectionBlocksRelease)
        #expect(database.releaseNow == "refused: InvalidOperation.DeletionProtection")
        let batch = try #require(forecast.instances.first { $0.instance == "i-bp1prepaid****" })
        #expect(batch.events.map(\.kind) == ["subscriptionExpiry"])
        #expect(batch.releaseNow == "refused: ChargeTypeViolation")
        #expect(forecast.problems.isEmpty)
        // ECS's DescribeInstances has no disks: said per instance, not guessed.
        #expect(web.notes.contains { $0.contains("Instances.Instance[0]") && $0.contains("no disks") })
    }

    @Test("T2: a CVM ActionTimer is the next event; the bin's expiry is an upper bound; a kept disk outlives")
    func tencentSample() throws {
        let forecast = try Self.forecast(["cvm-describe-instances.json", "cvm-action-timers.json"])
        let api = try #require(forecast.instances.first { $0.instance == "ins-xlsyru2j" })
        #expect(api.events.map(\.kind) == ["scheduledRelease"])
        #expect(api.events.first?.at == Instant(iso8601: "2026-11-25T06:30:42Z"))
        #expect(api.releaseNow == "→ recycleBin, restorable for 2h")
        #expect(api.outlives == ["data disk disk-keep1 (retained)"])
        let binned = try #require(forecast.instances.first { $0.instance == "ins-binned01" })
        #expect(binned.events.first?.kind == "recycleBinExpiry")
        #expect(binned.events.first?.atTheLatest == true)
        #expect(binned.notes.contains { $0.contains("IsolatedSource") })
        let ledger = try #require(forecast.instances.first { $0.instance == "ins-protect1" })
        #expect(ledger.protectionBlocksRelease)
        #expect(forecast.totals.releasedWithin24Hours == 2)
    }

    @Test(
        "missing or unknown fields are problems with their JSON path, and the instance is not forecast",
        arguments: [
            (
                #"{"Instances": {"Instance": [{"Status": "Running", "InstanceChargeType": "PostPaid"}]}}"#,
                "Instances.Instance[0].InstanceId: missing"
            ),
            (
                #"{"Instances": {"Instance": [{"InstanceId": "i-1", "Status": "Rebooting", "InstanceChargeType": "PostPaid"}]}}"#,
                "Instances.Instance[0].Status: \"Rebooting\" is not one of Pending, Starting, Running, Stopping, Stopped"
            ),
            (
                #"{"InstanceSet": [{"InstanceId": "ins-1", "InstanceState": "REBOOTING", "InstanceChargeType": "PREPAID", "ExpiredTime": "2027-01-01T00:00:00Z"}]}"#,
                "InstanceSet[0].InstanceState: \"REBOOTING\" is not one of PENDING, RUNNING, STARTING, STOPPING, STOPPED, SHUTDOWN"
            ),
            (
                #"{"Instances": {"Instance": [{"InstanceId": "i-1", "Status": "Running", "InstanceChargeType": "PrePaid"}]}}"#,
                "Instances.Instance[0].ExpiredTime: a PrePaid (subscription) instance needs its expiry"
            ),
            (
                #"{"Response": {"InstanceSet": [{"InstanceId": "ins-1", "InstanceState": "SHUTDOWN", "InstanceChargeType": "POSTPAID_BY_HOUR"}]}}"#,
                "Response.InstanceSet[0].IsolatedSource"
            ),
            (
                #"{"InstanceSet": [{"InstanceId": "ins-1", "InstanceState": "RUNNING", "InstanceChargeType": "CDHPAID"}]}"#,
                "InstanceSet[0].InstanceChargeType: \"CDHPAID\" is not one of PREPAID, POSTPAID_BY_HOUR, SPOTPAID"
            ),
            (
                #"{"Instances": {"Instance": [{"InstanceId": "i-1", "Status": "Running", "InstanceChargeType": "PostPaid", "AutoReleaseTime": "2026-11-01T00:00Z"}]}}"#,
                "is not after"
            ),
            (
                #"{"Instances": {"Instance": [{"InstanceId": "i-1", "Status": "Running", "InstanceChargeType": "PostPaid", "AutoReleaseTime": "soon"}]}}"#,
                "AutoReleaseTime"
            ),
            (#"{"Items": []}"#, "$: none of the lists a provider answers with: "),
            ("not json", "$: not a JSON document"),
        ]
    )
    func problems(_ json: String, _ expected: String) {
        let forecast = Self.text(json)
        #expect(forecast.instances.isEmpty)
        #expect(forecast.problems.contains { $0.contains(expected) }, "\(forecast.problems)")
    }

    @Test(
        "TD9: a CVM SPOTPAID instance bills by use, as pay-as-you-go does, in every live state, with or without an ExpiredTime",
        arguments: ["RUNNING", "STOPPED", "PENDING"]
    )
    func spotInstanceBillsByUse(state: String) throws {
        for expiry in ["", #", "ExpiredTime": "2027-01-01T00:00:00Z""#] {
            let forecast = Self.text(
                #"{"InstanceSet": [{"InstanceId": "ins-spot", "InstanceState": "\#(state)", "InstanceChargeType": "SPOTPAID"\#(expiry)}]}"#
            )
            #expect(forecast.problems.isEmpty, "\(forecast.problems)")
            let spot = try #require(forecast.instances.first)
            // Pay-as-you-go: no subscription expiry to wait for.
            #expect(!spot.events.contains { $0.kind == "subscriptionExpiry" }, "\(state)\(expiry)")
        }
    }

    @Test(
        "A1/AD5: an ECS instance's address is read from its answer: an EipAddress is an EIP that outlives the release, a PublicIpAddress a fixed IP that does not, whatever else is set",
        arguments: [(true, false), (false, true), (true, true), (false, false)]
    )
    func ecsAddressReading(eip: Bool, fixed: Bool) throws {
        let eipText = eip ? "47.1.2.3" : ""
        let fixedList = fixed ? #"["47.9.8.7"]"# : "[]"
        let forecast = Self.text(
            #"{"Instances": {"Instance": [{"InstanceId": "i-1", "Status": "Stopped", "InstanceChargeType": "PostPaid", "EipAddress": {"IpAddress": "\#(eipText)"}, "PublicIpAddress": {"IpAddress": \#(fixedList)}}]}}"#
        )
        #expect(forecast.problems.isEmpty, "\(forecast.problems)")
        let instance = try #require(forecast.instances.first)
        #expect(instance.outlives == (eip ? ["elastic IP (retained)"] : []), "\(instance.outlives)")
    }

    @Test("tccli's answer (no Response wrapper) and the API's read the same")
    func tccliShape() throws {
        let element =
            #"{"InstanceId": "ins-1", "InstanceState": "STOPPED", "InstanceChargeType": "POSTPAID_BY_HOUR", "StopChargingMode": "STOP_CHARGING", "DisableApiTermination": true}"#
        let api = Self.text(#"{"Response": {"InstanceSet": [\#(element)]}}"#)
        let cli = Self.text(#"{"InstanceSet": [\#(element)]}"#)
        #expect(api.instances.map(\.releaseNow) == cli.instances.map(\.releaseNow))
        #expect(api.instances.first?.protectionBlocksRelease == true)
        #expect(api.instances.first?.path == "Response.InstanceSet[0]")
        #expect(cli.instances.first?.path == "InstanceSet[0]")
    }

    @Test("an expired ECS subscription: released 15 days after its expiry (AD7)")
    func expiredSubscription() {
        let forecast = Self.text(
            #"{"Instances": {"Instance": [{"InstanceId": "i-1", "Status": "Stopped", "InstanceChargeType": "PrePaid", "ExpiredTime": "2026-11-20T00:00Z"}]}}"#
        )
        #expect(forecast.instances.first?.events.map(\.kind) == ["expiredRelease"])
        #expect(forecast.instances.first?.events.first?.at == Instant(iso8601: "2026-12-05T00:00:00Z"))
    }

    @Test("Every problem and note reading an answer is in Chinese too (values of the examples broken at random)")
    func chineseProblems() throws {
        func isChinese(_ text: String) -> Bool { text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }
        let bad = ["\"zz\"", "7", "true", "null", "[]", "{}", "\"\"", "\"SHUTDOWN\"", "\"PREPAID\"", "\"PrePaid\""]
        var random = SplitMix64(seed: 5)
        var problems = 0
        for file in ["ecs-describe-instances.json", "cvm-describe-instances.json", "cvm-action-timers.json"] {
            let text = try String(
                contentsOf: Self.root.appendingPathComponent("Examples/inventory/\(file)"),
                encoding: .utf8
            )
            // Replace the value after a random `"Key": ` with a bad one.
            let keys = text.ranges(of: "\": ").map(\.upperBound)
            for _ in 0..<80 {
                var mutated = text
                let start = keys.randomElement(using: &random)!
                let end = mutated[start...].firstIndex(where: { ",\n}".contains($0) }) ?? mutated.endIndex
                mutated.replaceSubrange(start..<end, with: bad.randomElement(using: &random)!)
                let read = InventoryReader.read(Data(mutated.utf8), file: file, at: Self.now)
                problems += read.problems.count
                for problem in read.problems {
                    #expect(problem.chineseReason.map(isChinese) == true, "no Chinese for: \(problem.reason)")
                }
                for instance in read.instances {
                    #expect(instance.chineseNotes.count == instance.notes.count)
                    #expect(instance.chineseNotes.allSatisfy(isChinese))
                }
                let forecast = Forecast.run(
                    read.instances,
                    timers: read.timers,
                    problems: read.problems,
                    at: Self.now,
                    language: .zh
                )
                #expect(forecast.problems.allSatisfy(isChinese), "\(forecast.problems)")
            }
        }
        #expect(problems > 0)
    }
}

/// What the CVM readers take from the fields an answer may leave out, and from every documented value of the
/// fields that decide a forecast.
@Suite("CVM answers: defaults and every documented value")
struct CVMAnswerValueTests {
    static let now = Instant(iso8601: "2026-11-24T23:00:00Z")!

    /// TD9: `DataDisk.DeleteWithInstance` is true unless the answer says false; a disk kept is the models'
    /// elastic disk (T2, TD4).
    @Test(
        "TD9: a CVM data disk is deleted with its instance unless DeleteWithInstance says false (absent: deleted)",
        arguments: [("true", true), ("false", false), (nil, true)] as [(String?, Bool)]
    )
    func dataDiskDeleteWithInstance(field: String?, deleted: Bool) throws {
        let deleteField = field.map { #", "DeleteWithInstance": \#($0)"# } ?? ""
        let json = #"""
            {"Response": {"InstanceSet": [{"InstanceId": "ins-1", "InstanceState": "RUNNING", \#
            "IsolatedSource": "NOTISOLATED", "InstanceChargeType": "POSTPAID_BY_HOUR", \#
            "DataDisks": [{"DiskId": "disk-1", "DiskType": "CLOUD_PREMIUM"\#(deleteField)}]}]}}
            """#
        let read = InventoryReader.read(Data(json.utf8), file: "answer.json", at: Self.now)
        let instance = try #require(read.instances.first)
        let disk = try #require(instance.description.disks.first { $0.id == "disk-1" })
        #expect(disk.deleteWithInstance == deleted)
        #expect(disk.isElastic == !deleted)
    }

    /// TD7: a timer's `Status` is `UNDO` (not run), `DOING` or `DONE`; only one not yet run is a pending
    /// scheduled destruction (an answer without a status is read as not run).
    @Test(
        "TD7: only an UNDO action timer (or one without a Status) is a pending scheduled destruction",
        arguments: [("UNDO", true), ("DOING", false), ("DONE", false), (nil, true)] as [(String?, Bool)]
    )
    func timerStatus(status: String?, pending: Bool) {
        let statusField = status.map { #", "Status": "\#($0)""# } ?? ""
        let json = #"""
            {"TotalCount": 1, "ActionTimers": [{"ActionTimerId": "lt-1", "InstanceId": "ins-1", \#
            "TimerAction": "TerminateInstances", "ActionTime": "2026-11-25T06:30:42Z"\#(statusField)}]}
            """#
        let read = InventoryReader.read(Data(json.utf8), file: "timers.json", at: Self.now)
        #expect(read.timers["ins-1"] == (pending ? Instant(iso8601: "2026-11-25T06:30:42Z") : nil))
    }
}
