import EmulatorCore
import Foundation
import ReleaseCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the journal could not be read or written: the path and the operating system's reason.
struct JournalFileError: Error, CustomStringConvertible {
    var description: String
    init(_ path: String, _ what: String, errno code: Int32 = errno) {
        description = "\(path): \(what): \(String(cString: strerror(code)))"
    }
    init(_ path: String, message: String) { description = "\(path): \(message)" }
}

/// `--state DIR/journal.trace`: appended and fsync'd before each answer; replaced atomically on reset.
final class JournalFile {
    let path: String
    private var descriptor: Int32

    /// Opens (or creates) the journal and rebuilds the emulator from it.
    static func open(
        directory: String,
        configuration: EmulatorConfiguration,
        wallClock: Instant
    ) throws -> (JournalFile, Emulator, JournalLoad?) {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard mkdir(directory, 0o755) == 0 || errno == EEXIST else {
                throw JournalFileError(directory, "cannot create the state directory")
            }
        } else if !isDirectory.boolValue {
            throw JournalFileError(directory, message: "--state names a file, not a directory")
        }
        let path = directory + "/journal.trace"
        // A missing or empty journal (a crash between creating the file and renaming its preamble into place
        // leaves none; an empty file is what a user's `touch` makes) starts a new one.
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > 0 else {
            let emulator = Emulator(configuration: configuration, wallClock: wallClock)
            try replace(path, with: emulator.journalPreamble())
            return (try JournalFile(path: path), emulator, nil)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw JournalFileError(path, message: "cannot read the journal: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw JournalFileError(path, message: "the journal is not UTF-8 text")
        }
        let (emulator, load): (Emulator, JournalLoad)
        do {
            (emulator, load) = try Emulator.restoring(configuration: configuration, wallClock: wallClock, journal: text)
        } catch {
            throw JournalFileError(path, message: error.description)
        }
        if load.committedBytes < data.count {
            // The tail was never acknowledged (the process died mid-write): cut it so appends stay well formed.
            guard truncate(path, off_t(load.committedBytes)) == 0 else {
                throw JournalFileError(path, "cannot cut the torn tail")
            }
        }
        return (try JournalFile(path: path), emulator, load)
    }

    private init(path: String) throws {
        self.path = path
        descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else { throw JournalFileError(path, "cannot open the journal for appending") }
    }

    deinit { close(descriptor) }

    /// Appends a batch and waits until it is on disk; a reset starts a new journal file atomically.
    func write(_ batch: JournalBatch, preamble: [String]) throws {
        if batch.startsOver {
            close(descriptor)
            try Self.replace(path, with: preamble + batch.lines)
            descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
            guard descriptor >= 0 else { throw JournalFileError(path, "cannot reopen the journal") }
            return
        }
        guard !batch.lines.isEmpty else { return }
        try Self.writeAll(descriptor, Array((batch.lines.joined(separator: "\n") + "\n").utf8), path: path)
        guard fsync(descriptor) == 0 else { throw JournalFileError(path, "fsync failed") }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw JournalFileError(path, "write failed")
            }
            offset += written
        }
    }

    /// Writes a whole file through a temporary in the same directory, fsync'd, renamed over the old one.
    private static func replace(_ path: String, with lines: [String]) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw JournalFileError(temporary, "cannot create") }
        do {
            try writeAll(descriptor, Array((lines.joined(separator: "\n") + "\n").utf8), path: temporary)
            guard fsync(descriptor) == 0 else { throw JournalFileError(temporary, "fsync failed") }
            close(descriptor)
            guard rename(temporary, path) == 0 else {
                throw JournalFileError(path, "cannot rename the new journal into place")
            }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        let directory = (path as NSString).deletingLastPathComponent
        let directoryDescriptor = Glibc.open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}
