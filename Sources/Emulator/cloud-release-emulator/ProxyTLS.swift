import EmulatorCore
import EmulatorFrontEnds
import EmulatorTLS
import Foundation
import NIOConcurrencyHelpers
import NIOSSL

/// The proxy mode's TLS side: the CA (``CertificateAuthority``), a TLS context per API host name made on first
/// use and kept, and the `export` lines that aim clients at the emulator.
final class ProxyTLS: Sendable {
    let authority: CertificateAuthority
    /// The CA followed by the system's trusted certificates (when readable), so that hosts left out of the proxy
    /// by `NO_PROXY` still verify for clients told to trust this file.
    let bundlePath: String
    /// A directory holding a `certifi` package whose `where()` is ``bundlePath``: see ``environment(host:port:)``.
    let pythonPath: String
    private let contexts = NIOLockedValueBox<[String: NIOSSLContext]>([:])

    /// The CA's directory: `--ca-dir`, else `ca` under `--state`, else the user's cache directory.
    static func directory(caDir: String?, state: String?) -> String {
        if let caDir { return caDir }
        if let state { return state + "/ca" }
        let environment = ProcessInfo.processInfo.environment
        let cache =
            environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return cache + "/cloud-release-emulator/ca"
    }

    init(directory: String) throws {
        authority = try CertificateAuthority.loadOrCreate(directory: directory).authority
        let caPEM = try String(contentsOfFile: authority.certificatePath, encoding: .utf8)
        let system = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"]
            .lazy.compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }.first
        bundlePath = directory + "/bundle.pem"
        try Data((caPEM + (system ?? "")).utf8).write(to: URL(fileURLWithPath: bundlePath), options: .atomic)
        pythonPath = directory + "/python"
        let package = pythonPath + "/certifi"
        try FileManager.default.createDirectory(atPath: package, withIntermediateDirectories: true)
        let module = """
            \"\"\"Written by cloud-release-emulator (Docs/Emulator.md, "Point your tools at it").

            certifi's interface answering the emulator's bundle: its CA, then the system's trusted certificates.
            An SDK that hands certifi.where() to requests as its only trust store reads no CA variable; this
            package, first on PYTHONPATH, reaches it.
            \"\"\"
            __version__ = "0+cloud-release-emulator"
            _BUNDLE = \(pythonString(bundlePath))


            def where():
                return _BUNDLE


            def contents():
                with open(_BUNDLE, encoding="ascii") as bundle:
                    return bundle.read()

            """
        try Data(module.utf8).write(to: URL(fileURLWithPath: package + "/__init__.py"), options: .atomic)
    }

    /// The TLS context serving `host` (already canonical, see ``ProxyHosts/served(_:among:)``).
    func context(for host: String) throws -> NIOSSLContext {
        try contexts.withLockedValue { cache in
            if let context = cache[host] { return context }
            let leaf = try authority.issueServerCertificate(for: host)
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(try NIOSSLCertificate(bytes: leaf.certificateDER(), format: .der))],
                privateKey: .privateKey(
                    try NIOSSLPrivateKey(bytes: Array(leaf.privateKeyPEM.utf8), format: .pem)
                )
            )
            let context = try NIOSSLContext(configuration: configuration)
            // Names are unbounded (any depth under the two domains): keep the cache small.
            if cache.count >= 1_000 { cache.removeAll() }
            cache[host] = context
            return context
        }
    }

    /// The lines a shell can `eval` to send every common client through the emulator: the proxy variables (both
    /// cases; loopback excluded, for the control plane) and the CA bundle for OpenSSL and Go (`SSL_CERT_FILE`),
    /// requests (`REQUESTS_CA_BUNDLE`), curl (`CURL_CA_BUNDLE`), each front end's SDKs (its `caBundleVariables`)
    /// and, through `PYTHONPATH`, whatever reads `certifi.where()`.
    func environment(host: String, port: Int) -> [String] {
        let address =
            ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host.contains(":") ? "[\(host)]" : host
        let proxyURL = shellQuoted("http://\(address):\(port)")
        let noProxy = shellQuoted("127.0.0.1,localhost,::1")
        let bundle = shellQuoted(bundlePath)
        return [
            "export HTTPS_PROXY=\(proxyURL)", "export https_proxy=\(proxyURL)",
            "export HTTP_PROXY=\(proxyURL)", "export http_proxy=\(proxyURL)",
            "export NO_PROXY=\(noProxy)", "export no_proxy=\(noProxy)",
            "export SSL_CERT_FILE=\(bundle)", "export REQUESTS_CA_BUNDLE=\(bundle)",
            "export CURL_CA_BUNDLE=\(bundle)",
        ] + ProxyDomains.caBundleVariables.map { "export \($0)=\(bundle)" } + [
            "export PYTHONPATH=\(shellQuoted(pythonPath))${PYTHONPATH:+:$PYTHONPATH}"
        ]
    }

    /// The body of a 403 to a host the proxy does not serve.
    static func refusal(_ target: String) -> String {
        "cloud-release-emulator serves only "
            + ProxyDomains.served.map { "*.\($0)" }.joined(separator: " and ")
            + " (port 443); \(jsonEscaped(target)) is refused and nothing is forwarded"
    }
}

/// Why the proxy mode is off.
struct ProxyProblem: Error {
    var message: String
}

private func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

private func pythonString(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

private func jsonEscaped(_ text: String) -> String {
    String(
        text.unicodeScalars.map { scalar -> String in
            scalar == "\"" || scalar == "\\" || scalar.value < 0x20 ? "?" : String(scalar)
        }.joined()
    )
}

/// The API domains the proxy mode serves: those of the registered front ends (``EmulatorFrontEnd/apiDomains``).
enum ProxyDomains {
    static let served = EmulatorFrontEnds.registered.flatMap { $0.apiDomains }
    /// The variables the front ends' SDKs read a CA bundle from (``EmulatorFrontEnd/caBundleVariables``).
    static let caBundleVariables = EmulatorFrontEnds.registered.flatMap { $0.caBundleVariables }
}
