public import Crypto
public import Foundation
import SwiftASN1
public import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The emulator's own certificate authority for its proxy mode: a P-256 key and a self-signed CA certificate,
/// generated on first start and kept as PEM in one directory (`ca.pem`, and `ca-key.pem` with mode 0600), then
/// reused; it signs a short-lived server certificate for each API host name a client tunnels to.
///
/// Only swift-crypto and swift-certificates make keys, certificates and signatures here.
public struct CertificateAuthority: Sendable {
    /// The directory holding `ca.pem` and `ca-key.pem`.
    public let directory: String
    public let certificate: Certificate
    private let privateKey: P256.Signing.PrivateKey

    /// The CA certificate (PEM): the file to name in `SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE` and the like.
    public var certificatePath: String { directory + "/ca.pem" }
    public var privateKeyPath: String { directory + "/ca-key.pem" }

    /// How long a new CA is valid; one within 30 days of its end is replaced at start.
    static let lifetime: TimeInterval = 10 * 365 * 86_400
    /// A server certificate's whole validity, within the 397 days browsers and clients accept.
    static let leafLifetime: TimeInterval = 396 * 86_400

    /// Loads the CA kept in `directory`, or makes one there (and the directory, mode 0700) when there is none.
    /// Refuses a key file that group or others may read. Concurrent starts sharing the directory take a lock, so
    /// they all end with the same CA.
    public static func loadOrCreate(
        directory: String,
        now: Date = Date()
    ) throws(CertificateAuthorityError) -> (authority: CertificateAuthority, created: Bool) {
        do {
            try FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw CertificateAuthorityError(path: directory, reason: "cannot create it: \(error.localizedDescription)")
        }
        let lockPath = directory + "/.lock"
        let lock = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw CertificateAuthorityError(path: lockPath, reason: errnoText()) }
        defer { close(lock) }
        guard flock(lock, LOCK_EX) == 0 else { throw CertificateAuthorityError(path: lockPath, reason: errnoText()) }
        defer { flock(lock, LOCK_UN) }

        let certificatePath = directory + "/ca.pem"
        let keyPath = directory + "/ca-key.pem"
        if FileManager.default.fileExists(atPath: keyPath) {
            let existing = try load(directory: directory, certificatePath: certificatePath, keyPath: keyPath)
            if existing.certificate.notValidAfter > now.addingTimeInterval(30 * 86_400) {
                return (existing, false)
            }
        }
        let authority = try create(directory: directory, now: now)
        try writeFile(Array(authority.privateKey.pemRepresentation.utf8), to: keyPath, mode: 0o600)
        let pem: String
        do {
            pem = try authority.certificate.serializeAsPEM().pemString
        } catch {
            throw CertificateAuthorityError(path: certificatePath, reason: "cannot encode the certificate: \(error)")
        }
        try writeFile(Array((pem + "\n").utf8), to: certificatePath, mode: 0o644)
        return (authority, true)
    }

    private static func load(
        directory: String,
        certificatePath: String,
        keyPath: String
    ) throws(CertificateAuthorityError) -> CertificateAuthority {
        let mode: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
            mode = ((attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777) & 0o777
        } catch {
            throw CertificateAuthorityError(path: keyPath, reason: error.localizedDescription)
        }
        guard mode & 0o077 == 0 else {
            throw CertificateAuthorityError(
                path: keyPath,
                reason:
                    "the CA's private key is readable by others (mode \(String(mode, radix: 8))): `chmod 600` it, or delete the directory to make a new CA"
            )
        }
        do {
            let key = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOfFile: keyPath, encoding: .utf8))
            let certificate = try Certificate(pemEncoded: String(contentsOfFile: certificatePath, encoding: .utf8))
            guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
                throw CertificateAuthorityError(
                    path: certificatePath,
                    reason: "the certificate is not the one of \(keyPath): delete the directory to make a new CA"
                )
            }
            return CertificateAuthority(directory: directory, certificate: certificate, privateKey: key)
        } catch let error as CertificateAuthorityError {
            throw error
        } catch {
            throw CertificateAuthorityError(path: directory, reason: "cannot read the CA: \(error)")
        }
    }

    private static func create(
        directory: String,
        now: Date
    ) throws(CertificateAuthorityError) -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        do {
            let name = try DistinguishedName {
                OrganizationName("CloudRelease")
                CommonName("cloud-release-emulator local CA \(Int(now.timeIntervalSince1970))")
            }
            let certificate = try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: publicKey,
                notValidBefore: now.addingTimeInterval(-3_600),
                notValidAfter: now.addingTimeInterval(lifetime),
                issuer: name,
                subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: publicKey)
                },
                issuerPrivateKey: Certificate.PrivateKey(key)
            )
            return CertificateAuthority(directory: directory, certificate: certificate, privateKey: key)
        } catch {
            throw CertificateAuthorityError(path: directory, reason: "cannot make the CA certificate: \(error)")
        }
    }

    /// A new key and a certificate for `host` signed by this CA: serverAuth, the name as its one DNS SAN.
    public func issueServerCertificate(for host: String, now: Date = Date()) throws -> ServerCertificate {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let authorityKeyIdentifier = try certificate.extensions.subjectKeyIdentifier?.keyIdentifier
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3_600),
            notValidAfter: min(
                now.addingTimeInterval(Self.leafLifetime - 3_600),
                self.certificate.notValidAfter
            ),
            issuer: self.certificate.subject,
            subject: try DistinguishedName { CommonName(host) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName(host)])
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier)
            },
            issuerPrivateKey: Certificate.PrivateKey(privateKey)
        )
        return ServerCertificate(certificate: certificate, privateKey: key)
    }

    private static func writeFile(_ bytes: [UInt8], to path: String, mode: mode_t) throws(CertificateAuthorityError) {
        let temporary = path + ".\(getpid()).tmp"
        let descriptor = open(temporary, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw CertificateAuthorityError(path: temporary, reason: errnoText()) }
        // The mode given to open is masked by the umask; set it exactly.
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fchmod(descriptor, mode) == 0 && fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let reason = errnoText()
            unlink(temporary)
            throw CertificateAuthorityError(path: path, reason: reason)
        }
    }
}

/// A server certificate and its key, as the TLS handshake needs them.
public struct ServerCertificate: Sendable {
    public let certificate: Certificate
    public let privateKey: P256.Signing.PrivateKey

    /// The private key, PEM-encoded (PKCS #8).
    public var privateKeyPEM: String { privateKey.pemRepresentation }

    /// The certificate, DER-encoded.
    public func certificateDER() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}

/// Why the CA could not be loaded or made: the file or directory and the reason.
public struct CertificateAuthorityError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}

private func errnoText() -> String { String(cString: strerror(errno)) }
