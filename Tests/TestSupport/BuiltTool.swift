package import Foundation

/// The repository's root (where `Package.swift` is), found from this file's path: tests read Examples/, Docs/
/// and their own fixtures from it, and run the CLI in it.
package let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Runs the package's built `cloud-release` from a test: the end-to-end CLI tests, and library tests that check
/// the command line answers as the library does.
package enum BuiltTool {
    /// The built executable, beside the test bundle (`swift build --build-tests` builds both).
    package static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "cloud-release"
        )
    }

    /// What one run printed and how it exited.
    package struct Run: Sendable {
        package var status: Int32
        package var stdout: String
        package var stderr: String
    }

    /// Runs the CLI in the repository root, without the caller's terminal settings (`COLUMNS`, `NO_COLOR`)
    /// unless `environment` sets them.
    package static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        input: URL? = nil
    ) throws -> Run {
        let process = Process()
        if let input { process.standardInput = try FileHandle(forReadingFrom: input) }
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        var inherited = ProcessInfo.processInfo.environment
        for name in ["COLUMNS", "NO_COLOR", "LANG", "LC_ALL", "CLOUDRELEASE_CONFIG"] { inherited[name] = nil }
        process.environment = inherited.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }
}
