import EmulatorFrontEnds
import Foundation
import ProviderRegistry
import ReleaseCore
import Reporting
import Testing

@testable import AliyunECSWire
@testable import EmulatorCore
@testable import TencentCVMWire

/// Requests reach a provider's front end by the registry alone (issue 19, item 1).
@Suite("Front ends from the registry")
struct FrontEndTests {
    @Test("One front end a provider, in the registry's order, each fronting its own provider")
    func oneFrontEndPerProvider() {
        #expect(EmulatorFrontEnds.registered.map { $0.kind } == ProviderModel.Kind.allCases)
    }

    @Test("Every captured SDK and tccli request is claimed by its own provider's front end", arguments: Fixtures.files)
    func capturesReachTheirFrontEnd(_ file: String) {
        let expected: ProviderModel.Kind = file.contains("aliyun") ? .aliyun : .tencent
        let requests = Fixtures.requests.filter { $0.file == file }
        #expect(!requests.isEmpty)
        for capture in requests {
            #expect(
                EmulatorConfiguration(frontEnds: EmulatorFrontEnds.registered).frontEnd(claiming: capture.request)?.kind
                    == expected,
                "\(capture)"
            )
        }
    }

    @Test(
        "The strongest evidence wins: an API's own header over another's parameters; a request with none is no one's",
        arguments: [
            ("/?AccessKeyId=k&Action=DescribeInstances", [("X-TC-Action", "DescribeInstances")], "tencent"),
            ("/?SecretId=k&Version=2017-03-12", [("x-acs-action", "DescribeInstances")], "aliyun"),
            ("/?Version=2014-05-26", [("Authorization", "TC3-HMAC-SHA256 Credential=k/x")], "tencent"),
            ("/?SecretId=k&Version=2014-05-26", [], "tencent"),
            ("/?Version=2014-05-26", [], "aliyun"),
            ("/?Version=2017-03-12", [], "tencent"),
            ("/?Action=DescribeInstances", [], "none"),
        ]
    )
    func strongestEvidenceWins(_ target: String, _ headers: [(String, String)], _ expected: String) {
        let request = RawRequest(
            method: "GET",
            target: target,
            headers: headers.map { (name: $0.0, value: $0.1) },
            body: []
        )
        #expect(
            (EmulatorConfiguration(frontEnds: EmulatorFrontEnds.registered).frontEnd(claiming: request)?.kind.rawValue
                ?? "none") == expected
        )
    }

    @Test(
        "An emulator serving one provider's front end refuses the other's requests, seeding and journal as no one's"
    )
    func oneFrontEndOnly() throws {
        let configuration = EmulatorConfiguration(frontEnds: [TencentFrontEnd.self])
        let ecs = RawRequest(
            method: "GET",
            target: "/?Version=2014-05-26&Action=DescribeInstances",
            headers: [],
            body: []
        )
        #expect(configuration.frontEnd(claiming: ecs) == nil)
        #expect(!configuration.serves(.aliyun) && configuration.serves(.tencent))
        var emulator = Emulator(configuration: configuration, wallClock: Instant(secondsSince1970: 1_800_000_000))
        let answer = emulator.handle(ecs, wallClock: Instant(secondsSince1970: 1_800_000_000))
        #expect(answer.status == 400)
        #expect(String(decoding: answer.body, as: UTF8.self).contains("UnknownProtocol"))
        // The refusal names the APIs this emulator serves, and only those.
        #expect(
            String(decoding: answer.body, as: UTF8.self).contains("not a request of CVM 2017-03-12 (no X-TC-Action")
        )
        var serving = Emulator(
            configuration: EmulatorConfiguration(frontEnds: EmulatorFrontEnds.registered),
            wallClock: Instant(secondsSince1970: 1_800_000_000)
        )
        let nobody = RawRequest(method: "GET", target: "/?Action=DescribeInstances", headers: [], body: [])
        let refused = String(
            decoding: serving.handle(nobody, wallClock: Instant(secondsSince1970: 1_800_000_000)).body,
            as: UTF8.self
        )
        #expect(refused.contains("not a request of ECS 2014-05-26 or CVM 2017-03-12 (no x-acs-action, X-TC-Action or"))
        let seed = RawRequest(
            method: "POST",
            target: "/_cloudrelease/instances",
            headers: [("Content-Type", "application/json")],
            body: Array(
                #"{"provider": "aliyun", "account": "alice", "region": "cn-hangzhou", "id": "i-seeded01"}"#.utf8
            )
        )
        let seeded = emulator.handle(seed, wallClock: Instant(secondsSince1970: 1_800_000_000))
        #expect(seeded.status == 400)
        #expect(String(decoding: seeded.body, as: UTF8.self).contains(#"provider must be one of [\"tencent\"]"#))
        // A journal written by an emulator serving both, restored by one serving CVM alone: its ECS launch is
        // refused at its line, not recorded without a front end.
        var both = Emulator(
            configuration: EmulatorConfiguration(frontEnds: EmulatorFrontEnds.registered),
            wallClock: Instant(secondsSince1970: 1_800_000_000)
        )
        #expect(both.handle(seed, wallClock: Instant(secondsSince1970: 1_800_000_000)).status == 200)
        let journal = (both.journalPreamble() + both.takeJournal().lines).joined(separator: "\n") + "\n"
        do {
            _ = try Emulator.restoring(
                configuration: configuration,
                wallClock: Instant(secondsSince1970: 1_800_000_000),
                journal: journal
            )
            Issue.record("a journal with an ECS launch was restored by an emulator without ECS's front end")
        } catch {
            #expect("\(error)".contains("no front end of this emulator serves aliyun"), "\(error)")
        }
        // A record line naming another provider than its launched instance's is refused at its line too.
        let recordLine = try #require(journal.split(separator: "\n").first { $0.hasPrefix("# emulator record ") })
        let edited = journal.replacingOccurrences(
            of: String(recordLine),
            with: recordLine.replacingOccurrences(of: #""kind":"aliyun""#, with: #""kind":"tencent""#)
        )
        #expect(edited != journal)
        do {
            _ = try Emulator.restoring(
                configuration: EmulatorConfiguration(frontEnds: EmulatorFrontEnds.registered),
                wallClock: Instant(secondsSince1970: 1_800_000_000),
                journal: edited
            )
            Issue.record("a record naming another provider than its instance's was restored")
        } catch {
            #expect("\(error)".contains("is not its instance's"), "\(error)")
        }
    }

    @Test(
        "A front end reads only its own provider's signature schemes: another's signature is no signature to it",
        arguments: Fixtures.files
    )
    func signaturesAreEachProvidersOwn(_ file: String) throws {
        let own: any EmulatorFrontEnd.Type = file.contains("aliyun") ? AliyunFrontEnd.self : TencentFrontEnd.self
        let other: any EmulatorFrontEnd.Type = file.contains("aliyun") ? TencentFrontEnd.self : AliyunFrontEnd.self
        for capture in Fixtures.requests.filter({ $0.file == file }) {
            let claim = try #require(try own.signatureClaim(of: capture.request), "\(capture)")
            #expect(own.signatureSchemes.contains(claim.scheme), "\(capture)")
            #expect(try other.signatureClaim(of: capture.request) == nil, "\(capture)")
        }
    }

    @Test("A front end's option reads as its default until set, and as set after; options are kept apart")
    func frontEndOptions() {
        var configuration = EmulatorConfiguration(frontEnds: EmulatorFrontEnds.registered)
        #expect(configuration.tencentTerminate == .recycleBin)
        #expect(configuration.secondActionTimer == .refuse)
        configuration.tencentTerminate = .apiDocument
        #expect(configuration.tencentTerminate == .apiDocument)
        #expect(configuration.secondActionTimer == .refuse)
        configuration.secondActionTimer = .replace
        #expect(configuration.tencentTerminate == .apiDocument && configuration.secondActionTimer == .replace)
    }

    @Test("An instance id has its provider's shape, from its front end")
    func instanceIDShapes() {
        #expect(Emulator.instanceID(number: 35, shape: AliyunFrontEnd.instanceIDShape) == "i-emu0000000zcr")
        #expect(Emulator.instanceID(number: 36, shape: TencentFrontEnd.instanceIDShape) == "ins-00000010")
    }
}

extension FrontEndTests {
    @Test(
        "The emulator's core, executable, TLS and fuzzing code name no provider: each provider's wire knowledge is in its own front end",
        arguments: [
            ("EmulatorCore", 10), ("cloud-release-emulator", 3), ("EmulatorTLS", 2), ("EmulatorFuzzing", 2),
        ]
    )
    func coreNamesNoProvider(module: String, leastFiles: Int) throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Emulator/\(module)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count >= leastFiles)
        for file in files {
            let text = try String(contentsOfFile: folder.appendingPathComponent(file).path, encoding: .utf8)
            // Code, not comments: a comment may cite a provider's page.
            for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                for name in ["aliyun", "tencent", "alibaba", "qcloud"] {
                    #expect(!line.lowercased().contains(name), "\(file): \(line)")
                }
                for name in ["ECS", "CVM", "CBS"] {
                    #expect(!line.contains(name), "\(file): \(line)")
                }
            }
        }
    }
}

extension FrontEndTests {
    @Test("A front end's listing is one account's instances of its provider, whatever ids the request names")
    func scopedListing() {
        let client = TestClient()
        for (provider, account, id) in [
            ("aliyun", "alice", "i-alice01"), ("aliyun", "bob", "i-bob01"), ("tencent", "alice", "ins-alice01"),
            ("aliyun", "alice", "i-alice02"),
        ] {
            let seeded = client.control(
                "POST",
                "instances",
                .object([
                    ("provider", .string(provider)), ("account", .string(account)), ("region", "cn-hangzhou"),
                    ("id", .string(id)),
                ])
            )
            #expect(seeded.status == 200)
        }
        let emulator = client.emulator
        #expect(emulator.instances(of: "alice", kind: .aliyun).map(\.id) == ["i-alice01", "i-alice02"])
        // Named ids of another account or provider, or unknown, are left out; creation order is kept.
        let named = emulator.instances(
            of: "alice",
            kind: .aliyun,
            named: ["i-alice02", "i-bob01", "ins-alice01", "i-none", "i-alice01"]
        )
        #expect(named.map(\.id) == ["i-alice01", "i-alice02"])
        #expect(emulator.owned("i-bob01", by: "alice", kind: .aliyun) == nil)
        #expect(emulator.owned("ins-alice01", by: "alice", kind: .aliyun) == nil)
        #expect(emulator.instances(of: "bob", kind: .tencent).isEmpty)
    }
}

extension FrontEndTests {
    @Test("The front ends' own command-line options set their settings, in either form, and refuse what is not theirs")
    func frontEndCommandLineOptions() throws {
        let options = EmulatorFrontEnds.registered.flatMap { $0.commandLineOptions }
        #expect(options.map(\.name) == ["tencent-terminate", "second-action-timer"])
        var configuration = EmulatorConfiguration(frontEnds: EmulatorFrontEnds.registered)
        #expect(configuration.tencentTerminate == .recycleBin)
        try FrontEndCommandLineOption.apply(
            ["--tencent-terminate", "api-document", "--second-action-timer=replace"],
            of: options,
            to: &configuration
        )
        #expect(configuration.tencentTerminate == .apiDocument)
        #expect(configuration.secondActionTimer == .replace)
        let refusals: [([String], String)] = [
            (["--tencent-terminate", "bin"], "--tencent-terminate bin: expected recycle-bin or api-document"),
            (["--tencent-terminate"], "missing value for '--tencent-terminate'"),
            (["--terminate", "api-document"], "unknown option '--terminate'"),
            (["api-document"], "unexpected argument 'api-document'"),
            (["--second-action-timer="], "--second-action-timer : expected refuse or replace"),
        ]
        for (arguments, message) in refusals {
            var untouched = EmulatorConfiguration(frontEnds: EmulatorFrontEnds.registered)
            #expect(throws: FrontEndCommandLineError.self, "\(arguments)") {
                try FrontEndCommandLineOption.apply(arguments, of: options, to: &untouched)
            }
            do {
                try FrontEndCommandLineOption.apply(arguments, of: options, to: &untouched)
            } catch {
                #expect(error.description == message)
            }
        }
    }
}
