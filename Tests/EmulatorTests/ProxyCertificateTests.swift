import EmulatorCore
import EmulatorFrontEnds
import EmulatorTLS
import Foundation
import Testing
import X509

/// The proxy mode's CA (issue 22, item 1): made once, kept with a private key nobody else may read, reused, and
/// signing server certificates that verify for exactly the host they name.
@Suite("Proxy CA and certificates")
struct ProxyCertificateTests {
    private static func temporaryDirectory() -> String {
        NSTemporaryDirectory() + "cloudrelease-ca-\(UUID().uuidString)/ca"
    }

    private static func mode(_ path: String) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return ((attributes?[.posixPermissions] as? NSNumber)?.intValue ?? -1) & 0o777
    }

    @Test("the CA is made once, its key mode 0600 in a 0700 directory, and reused across starts")
    func madeOnceAndReused() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory + "/..") }
        let first = try CertificateAuthority.loadOrCreate(directory: directory)
        #expect(first.created)
        #expect(Self.mode(first.authority.privateKeyPath) == 0o600)
        #expect(Self.mode(directory) == 0o700)
        let second = try CertificateAuthority.loadOrCreate(directory: directory)
        #expect(!second.created)
        #expect(second.authority.certificate == first.authority.certificate)
        let constraints = try #require(try first.authority.certificate.extensions.basicConstraints)
        #expect(constraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try first.authority.certificate.extensions.keyUsage?.keyCertSign == true)
    }

    @Test("an existing key that others may read is refused, not used")
    func readableKeyRefused() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory + "/..") }
        let made = try CertificateAuthority.loadOrCreate(directory: directory).authority
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: made.privateKeyPath)
        #expect(throws: CertificateAuthorityError.self) { try CertificateAuthority.loadOrCreate(directory: directory) }
        #expect(Self.mode(made.privateKeyPath) == 0o644, "the key is left as it was, not rewritten")
    }

    @Test(
        "a server certificate chains to the CA and verifies for its own host only",
        arguments: ["cvm.tencentcloudapi.com", "ecs.cn-hangzhou.aliyuncs.com", "ecs-cn-hangzhou.aliyuncs.com"]
    )
    func serverCertificateVerifies(host: String) async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory + "/..") }
        let authority = try CertificateAuthority.loadOrCreate(directory: directory).authority
        let leaf = try authority.issueServerCertificate(for: host).certificate
        #expect(leaf.notValidAfter.timeIntervalSince(leaf.notValidBefore) <= 397 * 86_400)
        #expect(try leaf.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
        #expect(try leaf.extensions.subjectAlternativeNames == SubjectAlternativeNames([.dnsName(host)]))

        var verifier = Verifier(rootCertificates: CertificateStore([authority.certificate])) {
            RFC5280Policy()
            ServerIdentityPolicy(serverHostname: host, serverIP: nil)
        }
        guard case .validCertificate(let chain) = await verifier.validate(leaf: leaf, intermediates: .init()) else {
            Issue.record("\(host): the certificate does not verify against the CA")
            return
        }
        #expect(chain.last == authority.certificate)

        var otherHost = Verifier(rootCertificates: CertificateStore([authority.certificate])) {
            RFC5280Policy()
            ServerIdentityPolicy(serverHostname: "other." + host, serverIP: nil)
        }
        guard case .couldNotValidate = await otherHost.validate(leaf: leaf, intermediates: .init()) else {
            Issue.record("\(host): the certificate verified for another name")
            return
        }
    }

    @Test(
        "the proxy serves the providers' API host names and refuses every other",
        arguments: [
            ("ecs.aliyuncs.com", true), ("ECS.CN-Hangzhou.Aliyuncs.com.", true), ("sts.aliyuncs.com", true),
            ("cvm.tencentcloudapi.com", true), ("cvm.ap-guangzhou.tencentcloudapi.com", true),
            ("tag.tencentcloudapi.com", true), ("example.com", false), ("aliyuncs.com.evil.example", false),
            ("evilaliyuncs.com", false), ("ecs..aliyuncs.com", false), ("127.0.0.1", false), ("", false),
        ]
    )
    func hostPolicy(host: String, served: Bool) {
        let domains = EmulatorFrontEnds.registered.flatMap { $0.apiDomains }
        #expect((ProxyHosts.served(host, among: domains) != nil) == served, "\(host)")
    }

    @Test("CONNECT targets split into host and port")
    func connectTargets() {
        #expect(ProxyHosts.authority("ecs.aliyuncs.com:443")! == ("ecs.aliyuncs.com", 443))
        #expect(ProxyHosts.authority("[::1]:8443")! == ("::1", 8443))
        #expect(ProxyHosts.authority("ecs.aliyuncs.com") == nil)
        #expect(ProxyHosts.authority(":443") == nil)
        #expect(ProxyHosts.authority("host:99999") == nil)
    }
}
