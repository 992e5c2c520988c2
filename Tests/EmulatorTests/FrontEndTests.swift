import ProviderRegistry
import ReleaseCore
import Reporting
import Testing

@testable import EmulatorCore

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
            #expect(EmulatorFrontEnds.claiming(capture.request)?.kind == expected, "\(capture)")
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
        #expect((EmulatorFrontEnds.claiming(request)?.kind.rawValue ?? "none") == expected)
    }

    @Test("An instance id has its provider's shape, from its front end")
    func instanceIDShapes() {
        #expect(Emulator.instanceID(.aliyun, number: 35) == "i-emu0000000zcr")
        #expect(Emulator.instanceID(.tencent, number: 36) == "ins-00000010")
    }
}
