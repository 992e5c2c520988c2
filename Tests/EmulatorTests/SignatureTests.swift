import EmulatorFrontEnds
import ReleaseCore
import Reporting
import Testing

@testable import AliyunECSWire
@testable import EmulatorCore
@testable import TencentCVMWire

/// Every request the official SDKs and tccli sent verifies with the right secret and fails with a wrong one
/// or with a signed value changed (Docs/Emulator.md "What the SDKs need from the wire", item 2: four schemes).
@Suite("Signatures of the captured SDK requests")
struct SignatureTests {
    static let secrets = Dictionary(uniqueKeysWithValues: Fixtures.keys.map { ($0.id, $0.secret) })

    @Test("the captures cover the four schemes")
    func coverage() throws {
        let schemes = try Set(
            Fixtures.requests.compactMap {
                try SignatureReader.claim(of: $0.request, frontEnds: EmulatorFrontEnds.registered)?.scheme
            }
        )
        #expect(schemes == Set(EmulatorFrontEnds.registered.flatMap { $0.signatureSchemes }))
        #expect(Fixtures.requests.count >= 60)
    }

    @Test("the right secret verifies", arguments: Fixtures.requests)
    func rightSecret(_ captured: CapturedRequest) throws {
        let claim = try #require(
            try SignatureReader.claim(of: captured.request, frontEnds: EmulatorFrontEnds.registered)
        )
        let secret = try #require(Self.secrets[claim.accessKeyID])
        #expect(claim.verify(secret))
    }

    @Test("a wrong secret does not", arguments: Fixtures.requests)
    func wrongSecret(_ captured: CapturedRequest) throws {
        let claim = try #require(
            try SignatureReader.claim(of: captured.request, frontEnds: EmulatorFrontEnds.registered)
        )
        let secret = try #require(Self.secrets[claim.accessKeyID])
        #expect(!claim.verify(secret + "x"))
        #expect(!claim.verify(""))
    }

    @Test("a changed signed value does not", arguments: Fixtures.requests)
    func tampered(_ captured: CapturedRequest) throws {
        let original = try #require(
            try SignatureReader.claim(of: captured.request, frontEnds: EmulatorFrontEnds.registered)
        )
        let secret = try #require(Self.secrets[original.accessKeyID])
        var request = captured.request
        // With X-TC-Content-SHA256: UNSIGNED-PAYLOAD the body is not signed (by design), so change the host.
        let unsignedPayload = request.header("X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD"
        if !request.body.isEmpty, !unsignedPayload {
            request.body[request.body.count / 2] ^= 0x01
        } else if request.target.contains("?"), let mark = request.target.firstIndex(of: "=") {
            // The first query value gets one more character.
            request.target.insert("X", at: request.target.index(after: mark))
        } else {
            let index = try #require(request.headers.firstIndex { $0.name.lowercased() == "host" })
            request.headers[index].value += "1"
        }
        do {
            let claim = try #require(try SignatureReader.claim(of: request, frontEnds: EmulatorFrontEnds.registered))
            #expect(!claim.verify(secret))
        } catch let refusal as SignatureMalformation {
            // Refused before the secret is needed: an ACS3 body no longer matching x-acs-content-sha256.
            #expect(refusal.code == "ContentSHA256NotMatched")
        }
    }
}
