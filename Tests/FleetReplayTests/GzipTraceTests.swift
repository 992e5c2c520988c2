import FleetReplay
import Foundation
import TestSupport
import Testing
import ZlibGzip

/// Traces compressed with gzip are read as they are decompressed (issue 12.5). The fixtures were written by
/// Python's gzip and zlib modules from `trace.csv`: level 9 (dynamic Huffman blocks), level 0 (stored blocks),
/// the fixed-code strategy, and two members split in the middle of a line with a file name in the first header.
@Suite("Compressed traces")
struct GzipTraceTests {
    static let directory = repositoryRoot.appendingPathComponent("Tests/FleetReplayTests/Fixtures/gzip")

    /// The gzip decoders a replay may use: the library's own, and zlib's, which the executable uses.
    enum Decoder: String, CaseIterable, Sendable {
        case library, zlib
        var type: any GzipStreamDecoder.Type {
            switch self {
            case .library: return Inflater.self
            case .zlib: return ZlibGzipDecoder.self
            }
        }
    }

    static func summary(_ path: String, _ decoder: Decoder = .library) throws -> ReplaySummary {
        var options = TraceReplayer.Options()
        options.gzipDecoder = decoder.type
        var summary = try TraceReplayer.replay(path: path, options: options).0
        summary.file = ""
        summary.wallSeconds = 0
        return summary
    }

    @Test(
        "A gzip trace replays exactly as its plain text",
        arguments: ["trace.csv.gz", "trace.stored.csv.gz", "trace.fixed.csv.gz", "trace.members.csv.gz"],
        Decoder.allCases
    )
    func sameSummary(name: String, decoder: Decoder) throws {
        let plain = try Self.summary(Self.directory.appendingPathComponent("trace.csv").path)
        let compressed = try Self.summary(Self.directory.appendingPathComponent(name).path, decoder)
        #expect(plain.records > 1_000)
        #expect(compressed == plain)
    }

    @Test(
        "A large trace compressed by gzip(1) replays as the plain one (back-references across the 32 KiB window)",
        arguments: Decoder.allCases
    )
    func largeTraceThroughGzip(decoder: Decoder) throws {
        let gzip = URL(fileURLWithPath: "/bin/gzip")
        guard FileManager.default.isExecutableFile(atPath: gzip.path) else {
            Issue.record("/bin/gzip is not installed; the test needs it to compress a large trace")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gzip-trace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plainPath = folder.appendingPathComponent("trace.csv").path
        var text = ""
        // Compressed, more than 1 MiB: the line reader's first read (4 MiB) reaches a decoder whole, beyond any
        // input buffer of its own (zlib's decoder once kept only the first MiB of it).
        TraceGenerator(instances: 40_000, seed: 11).generate { text += $0 }
        try text.write(toFile: plainPath, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = gzip
        process.arguments = ["-k", "-6", plainPath]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let plain = try Self.summary(plainPath)
        let compressed = try Self.summary(plainPath + ".gz", decoder)
        #expect(plain.records == 200_000)
        let compressedSize = try FileManager.default.attributesOfItem(atPath: plainPath + ".gz")[.size] as? Int
        #expect((compressedSize ?? 0) > 1 << 20)
        #expect(compressed == plain)
    }

    @Test("Compressed bytes in memory replay like the file", arguments: ["trace.csv.gz", "trace.members.csv.gz"])
    func inMemory(name: String) throws {
        let plain = try Self.summary(Self.directory.appendingPathComponent("trace.csv").path)
        let bytes = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        var summary = try TraceReplayer.replay(utf8: Array(bytes)).0
        summary.file = ""
        #expect(summary == plain)
        #expect {
            try TraceReplayer.replay(utf8: Array(bytes.prefix(bytes.count - 5)))
        } throws: { error in
            "\(error)".contains("not a readable gzip file")
        }
    }

    @Test("A truncated gzip trace is an error that says so, with the compressed byte", arguments: Decoder.allCases)
    func truncated(decoder: Decoder) throws {
        let bytes = try Data(contentsOf: Self.directory.appendingPathComponent("trace.csv.gz"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("truncated-\(UUID().uuidString).gz")
        try bytes.prefix(bytes.count / 2).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        #expect {
            try Self.summary(path.path, decoder)
        } throws: { error in
            "\(error)".contains("not a readable gzip file: the file ends in the middle")
        }
    }

    @Test("Changed bytes give a summary or a clear error, never a trap or a hang; both decoders judge alike")
    func damaged() throws {
        let original = try Data(contentsOf: Self.directory.appendingPathComponent("trace.csv.gz"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-\(UUID().uuidString).gz")
        defer { try? FileManager.default.removeItem(at: path) }
        var random = SystemRandomNumberGenerator()
        var errors = 0
        for round in 0..<200 {
            var bytes = original
            // The header's first ten bytes, then anywhere in the compressed data and the trailer.
            let index = round < 10 ? round : Int.random(in: 10..<bytes.count, using: &random)
            bytes[index] ^= UInt8.random(in: 1...255, using: &random)
            try bytes.write(to: path)
            var outcomes: [String] = []
            for decoder in Decoder.allCases {
                var options = TraceReplayer.Options(skipMalformed: true)
                options.gzipDecoder = decoder.type
                do {
                    let summary = try TraceReplayer.replay(path: path.path, options: options).0
                    outcomes.append("summary: \(summary.records) records, \(summary.malformed) malformed")
                } catch {
                    // A changed magic byte makes it plain text, refused at its header; anything else is the gzip
                    // reader's.
                    let text = "\(error)"
                    #expect(
                        text.contains("not a readable gzip file") || text.contains("header"),
                        "\(decoder): unclear error: \(text)"
                    )
                    outcomes.append("error")
                }
            }
            #expect(outcomes[0] == outcomes[1], "byte \(index): the library's decoder and zlib's disagree: \(outcomes)")
            if outcomes[0] == "error" { errors += 1 }
        }
        // Nearly every change breaks the CRC-32 or a code; a change can only pass unseen in the header's
        // modification time or operating-system byte.
        #expect(errors >= 190)
    }

    @Test("replay - reads standard input, plain or compressed")
    func standardInput() throws {
        func withoutVaryingFields(_ json: String) -> [String] {
            json.split(separator: "\n").map(String.init).filter {
                !$0.contains("wallSeconds") && !$0.contains("\"file\"")
            }
        }
        let expected = try BuiltTool.run([
            "replay", "Tests/FleetReplayTests/Fixtures/gzip/trace.csv", "--format", "json",
        ])
        #expect(expected.status == 0)
        for name in ["trace.csv", "trace.csv.gz"] {
            let run = try BuiltTool.run(
                ["replay", "-", "--format", "json"],
                input: Self.directory.appendingPathComponent(name)
            )
            #expect(run.status == 0, "\(run.stderr)")
            #expect(withoutVaryingFields(run.stdout) == withoutVaryingFields(expected.stdout))
        }
    }

    @Test("A damaged compressed trace on the command line is exit 2 with the file and the reason")
    func commandLineError() throws {
        let bytes = try Data(contentsOf: Self.directory.appendingPathComponent("trace.csv.gz"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).csv.gz")
        try bytes.prefix(200).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let run = try BuiltTool.run(["replay", path.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains(path.path) && run.stderr.contains("not a readable gzip file"), "\(run.stderr)")
    }
}
