import Foundation
import Reporting
import Testing

/// Runs the Python SDK suite (Tests/EmulatorSDK) against the built emulator when its venv exists, so
/// `swift test` exercises the official SDKs too; otherwise the test is skipped and says how to enable it.
@Suite("Official SDKs against the emulator")
struct SDKSuiteTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let python = root.appendingPathComponent(".venv-sdk/bin/python").path
    static let emulator = root.appendingPathComponent(".build/debug/cloud-release-emulator").path
    static let cli = root.appendingPathComponent(".build/debug/cloud-release").path
    static let isAvailable = [python, emulator, cli].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(
        "pytest Tests/EmulatorSDK passes",
        .enabled(
            if: isAvailable,
            "skipped: needs .venv-sdk and the built emulator and CLI; run `bash .ci/emulator-sdk` once to create them"
        )
    )
    func sdkSuite() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = ["-m", "pytest", "-q", "-p", "no:cacheprovider"]
        process.currentDirectoryURL = Self.root.appendingPathComponent("Tests/EmulatorSDK")
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text.suffix(4_000))")
    }
}
