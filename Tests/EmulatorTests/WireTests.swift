import EmulatorFrontEnds
import EmulatorFuzzing
import ReleaseCore
import Reporting
import Testing

@testable import AliyunECSWire
@testable import EmulatorCore
@testable import TencentCVMWire

/// What the SDKs need from the wire (Docs/Emulator.md "What the SDKs need from the wire"): signatures, freshness, nonces, statuses, content types.
@Suite("Wire: authentication and answer shapes")
struct WireTests {
    @Test("no captured SDK or tccli request is refused for its signature", arguments: Fixtures.requests)
    func capturedRequestsAuthenticate(_ captured: CapturedRequest) {
        var emulator = Emulator(
            configuration: EmulatorConfiguration(
                frontEnds: EmulatorFrontEnds.registered,
                authentication: .verify(Fixtures.keys)
            ),
            wallClock: captured.signedAt
        )
        let response = emulator.handle(captured.request, wallClock: captured.signedAt)
        let body = response.bodyText
        for code in ["Signature", "AuthFailure", "InvalidAccessKeyId", "InvalidTimeStamp", "IncompleteSignature"] {
            #expect(!body.contains("\"Code\":\"\(code)"), "\(captured): \(body)")
        }
        #expect(response.status < 500)
    }

    @Test("a replayed ECS nonce is refused: SignatureNonceUsed (400)")
    func nonceReuse() throws {
        let captured = try #require(Fixtures.requests.first { $0.file == "captures-aliyun-legacy.json" })
        var emulator = Emulator(
            configuration: EmulatorConfiguration(
                frontEnds: EmulatorFrontEnds.registered,
                authentication: .verify(Fixtures.keys)
            ),
            wallClock: captured.signedAt
        )
        _ = emulator.handle(captured.request, wallClock: captured.signedAt)
        let again = emulator.handle(captured.request, wallClock: captured.signedAt)
        #expect(again.status == 400)
        #expect(again.bodyText.contains("\"Code\":\"SignatureNonceUsed\""))
    }

    @Test("nonces are remembered per access key: another key may use the same nonce, the same key may not")
    func noncePerKey() {
        let client = TestClient()
        func request(_ key: TestClient.Key) -> RawRequest {
            ECSRequestSigning.rpc(
                "DescribeInstances",
                [:],
                key: SigningKey(id: key.id, secret: key.secret),
                signedAt: client.wall,
                nonce: "the-same-nonce"
            )
        }
        #expect(client.send(request(.alice)).status == 200)
        #expect(client.send(request(.bob)).status == 200)
        let again = client.send(request(.bob))
        #expect(again.code == "SignatureNonceUsed")
        #expect(again.status == 400)
    }

    @Test("a TC3 credential scope names the UTC date of X-TC-Timestamp: one dated the day before is refused for it")
    func credentialScopeDate() {
        let client = TestClient()
        client.wall = Instant(iso8601: "2026-12-04T00:00:30Z")!
        // Signed at 23:59:30 the day before: its scope date is 2026-12-03, its time stamp agrees, and it passes.
        let evening = client.wall - .minutes(1)
        #expect(client.send(client.tencentRequest("DescribeInstances", .object([]), signedAt: evening)).status == 200)
        // The same scope with a time stamp of the next day, in the same month: the date check refuses it.
        var request = client.tencentRequest("DescribeInstances", .object([]), signedAt: evening)
        request.headers = request.headers.map {
            $0.name == "X-TC-Timestamp" ? ($0.name, String(client.wall.secondsSince1970)) : $0
        }
        let refused = client.send(request)
        #expect(refused.code == "AuthFailure.SignatureFailure")
        #expect(refused.payload["Error"]?["Message"]?.text?.contains("credential scope date 2026-12-03") == true)
    }

    @Test("a flattened CVM list index may be as high as 1000, and no higher")
    func flatIndexBound() throws {
        let top = WireLimits.maximumIndex
        let full = (0...top).map { (name: "InstanceIds.\($0)", value: "ins-\($0)") }
        #expect(try TencentParameters(flat: full).stringList("InstanceIds")?.count == top + 1)
        #expect(throws: APIError.self) {
            try TencentParameters(flat: full + [(name: "InstanceIds.\(top + 1)", value: "one more")])
        }
    }

    @Test("flattened CVM parameters cannot make a request allocate far more than it carries")
    func sparseIndices() throws {
        let pairs = (0..<2_000).map { (name: "Key\($0).1000", value: "x") }
        #expect(throws: APIError.self) { try TencentParameters(flat: pairs) }
        let forwards = try TencentParameters(flat: [
            (name: "InstanceIds.0", value: "a"), (name: "InstanceIds.1", value: "b"),
        ])
        let backwards = try TencentParameters(flat: [
            (name: "InstanceIds.1", value: "b"), (name: "InstanceIds.0", value: "a"),
        ])
        #expect(try forwards.stringList("InstanceIds") == ["a", "b"])
        #expect(try backwards.stringList("InstanceIds") == ["a", "b"])
    }

    @Test("remembered nonces are bounded: past the bound a signed request is throttled, and expired ones make room")
    func nonceBound() {
        let client = TestClient { $0.maximumLiveNonces = 2 }
        #expect(client.aliyun("DescribeInstances").status == 200)
        #expect(client.aliyun("DescribeInstances").status == 200)
        let throttled = client.aliyun("DescribeInstances")
        #expect(throttled.code == "Throttling.User")
        #expect(throttled.status == 400)
        // After twice the 15-minute window the first nonces expire and requests pass again.
        client.wall = client.wall + .minutes(31)
        #expect(client.aliyun("DescribeInstances").status == 200)
    }

    @Test("a time stamp 15 min off is fresh, 16 min off is not (ECS), 5 and 6 min (CVM)")
    func freshness() {
        let client = TestClient()
        let fifteen = client.aliyunRequest("DescribeInstances", [:], signedAt: client.wall - .minutes(15))
        #expect(client.send(fifteen).status == 200)
        let sixteen = client.aliyunRequest("DescribeInstances", [:], signedAt: client.wall - .minutes(16))
        let stale = client.send(sixteen)
        #expect(stale.status == 400)
        #expect(stale.code == "InvalidTimeStamp.Expired")
        let five = client.tencentRequest("DescribeInstances", .object([]), signedAt: client.wall + .minutes(5))
        #expect(client.send(five).code == nil)
        let six = client.tencentRequest("DescribeInstances", .object([]), signedAt: client.wall + .minutes(6))
        #expect(client.send(six).code == "AuthFailure.SignatureExpire")
    }

    @Test("freshness runs on the wall clock: advancing the virtual clock changes nothing")
    func twoClocks() {
        let client = TestClient()
        #expect(client.advance(86_400 * 30).status == 200)
        #expect(client.aliyun("DescribeInstances").status == 200)
        #expect(client.tencent("DescribeInstances").code == nil)
    }

    @Test("a wrong secret: ECS SignatureDoesNotMatch with the string to sign after a colon (trap 4)")
    func wrongAliyunSecret() throws {
        let client = TestClient()
        let answer = client.send(client.aliyunRequest("DescribeInstances", [:], secret: "wrong"))
        #expect(answer.status == 400)
        #expect(answer.code == "SignatureDoesNotMatch")
        let message = try #require(answer.json["Message"]?.text)
        #expect(message.contains("server string to sign is:GET&%2F&"))
    }

    @Test("a wrong secret: CVM AuthFailure.SignatureFailure with HTTP 200")
    func wrongTencentSecret() {
        let client = TestClient()
        let answer = client.send(client.tencentRequest("DescribeInstances", .object([]), secret: "wrong"))
        #expect(answer.status == 200)
        #expect(answer.code == "AuthFailure.SignatureFailure")
    }

    @Test("an unknown key: InvalidAccessKeyId.NotFound (404) / AuthFailure.SecretIdNotFound")
    func unknownKey() {
        let client = TestClient()
        let stranger = TestClient.Key(id: "LTAI-stranger", secret: "x")
        #expect(client.aliyun("DescribeInstances", key: stranger).code == "InvalidAccessKeyId.NotFound")
        #expect(client.aliyun("DescribeInstances", key: stranger).status == 404)
        let request = client.tencentRequest("DescribeInstances", .object([]), key: stranger)
        #expect(client.send(request).code == "AuthFailure.SecretIdNotFound")
    }

    @Test("CVM answers are HTTP 200 with Content-Type exactly application/json, refusals included (traps 1, 2)")
    func tencentShape() {
        let client = TestClient()
        for answer in [
            client.tencent("DescribeInstances"),
            client.tencent("TerminateInstances", .object([("InstanceIds", ["ins-nothere"])])),
            client.tencent("NoSuchAction"),
        ] {
            #expect(answer.status == 200)
            #expect(answer.response.header("Content-Type") == "application/json")
            #expect(answer["RequestId"]?.text?.isEmpty == false)
        }
        #expect(client.tencent("NoSuchAction").code == "InvalidAction")
    }

    @Test("ECS refusals are non-2xx with RequestId, HostId, Code, Message, Recommend (trap 3)")
    func aliyunShape() throws {
        let client = TestClient()
        let answer = client.aliyun("DeleteInstance", ["InstanceId": "i-nothere"])
        #expect(answer.status == 404)
        #expect(answer.code == "InvalidInstanceId.NotFound")
        for field in ["RequestId", "HostId", "Code", "Message", "Recommend"] { #expect(answer.json[field] != nil) }
        #expect(client.aliyun("NoSuchAction").code == "InvalidAction.NotFound")
        #expect(client.aliyun("DeleteInstance").code == "MissingParameter")
        #expect(client.aliyun("DeleteInstance").status == 400)
    }

    @Test("every answer names the rules it applied and the profile")
    func rulesHeader() {
        let client = TestClient()
        let id = client.runAliyun(["DeletionProtection": "True"])
        let refused = client.aliyun("DeleteInstance", ["InstanceId": id, "Force": "True"])
        #expect(refused.code == "InvalidOperation.DeletionProtection")
        #expect(refused.response.header("X-CloudRelease-Rules")?.isEmpty == false)
        #expect(refused.response.header("X-CloudRelease-Profile") == "aliyun")
    }

    @Test("without keys any key is accepted unchecked and is its own account")
    func acceptAnyKey() {
        let client = TestClient { $0.authentication = .acceptAnyKey }
        let id = client.runAliyun()
        let other = TestClient.Key(id: "LTAI-anyone", secret: "whatever")
        #expect(client.aliyun("DescribeInstances", ["InstanceIds": "[\"\(id)\"]"], key: other)["TotalCount"] == 0)
        #expect(client.aliyun("DescribeInstances", ["InstanceIds": "[\"\(id)\"]"])["TotalCount"] == 1)
    }

    @Test("a body over the bound is refused with 413 and changes nothing")
    func bodyBound() {
        let client = TestClient { $0.maximumBodyBytes = 1_000 }
        let big = JSONValue.object([("InstanceName", .string(String(repeating: "x", count: 2_000)))])
        let answer = client.send(client.tencentRequest("RunInstances", big))
        #expect(answer.status == 413)
        #expect(client.control("GET", "instances")["instances"]?.count == 0)
    }

    @Test("a malformed request changes nothing and is never a 5xx")
    func malformed() {
        let client = TestClient()
        var request = client.tencentRequest("RunInstances", .object([]))
        request.body = Array("{not json".utf8)
        let answer = client.send(request)
        #expect(answer.status == 200)
        #expect(answer.code != nil)
        let garbage = RawRequest(
            method: "POST",
            target: "/?%zz",
            headers: [("x-acs-action", "RunInstances")],
            body: [0xFF]
        )
        #expect(client.send(garbage).status < 500)
        #expect(client.control("GET", "instances")["instances"]?.count == 0)
    }
}

@Suite("Keys")
struct KeysTests {
    @Test("a keys file: one ID:SECRET:ACCOUNT a line, comments and blank lines skipped")
    func keysFile() throws {
        let keys = try EmulatorConfiguration.accessKeys(fromFile: "# team a\nLTAI-a:s1:team-a\r\n\nAKID-a:s2:team-a\n")
        #expect(keys.map(\.id) == ["LTAI-a", "AKID-a"])
        #expect(keys.map(\.account) == ["team-a", "team-a"])
    }

    @Test(
        "a bad line or a repeated id is refused with its line",
        arguments: [
            ("LTAI-a:s1\n", 1), ("LTAI-a:s1:team-a\nLTAI-a:s2:team-b\n", 2), ("x:y:acc,ount\n", 1), ("\n\n::\n", 3),
        ]
    )
    func badKeysFile(_ text: String, _ line: Int) {
        #expect(throws: EmulatorConfiguration.KeysFileError.self) {
            try EmulatorConfiguration.accessKeys(fromFile: text)
        }
        do {
            _ = try EmulatorConfiguration.accessKeys(fromFile: text)
        } catch {
            #expect(error.line == line)
        }
    }
}
