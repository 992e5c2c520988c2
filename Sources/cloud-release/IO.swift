import Reporting

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An input or I/O problem already phrased as `file:line: why` (one line per problem), in English and in
/// Chinese; exits with status 2, said in the language the command line asks for (``Speech/language``).
struct InputError: Error, CustomStringConvertible {
    var message: String
    var chinese: String?

    init(message: String, chinese: String? = nil) {
        self.message = message
        self.chinese = chinese
    }

    /// A problem said in both languages.
    init(_ english: String, _ chinese: String) {
        self.init(message: english, chinese: chinese)
    }

    /// The message in the language of the tool's messages (ArgumentParser prints this for an error thrown while it
    /// validates the options).
    var description: String { message(in: Speech.language) }

    /// The message in `language` (English where there is no Chinese).
    func message(in language: Language) -> String { language == .zh ? chinese ?? message : message }
}

/// write(2), named apart from ``Output/write(_:)``.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// The OS's words for an `errno` value.
func osReason(_ code: Int32) -> String {
    String(cString: strerror(code))
}

/// Standard output and error, written with every OS error reported (a full disk, a closed pipe) instead of
/// ignored, so a command never exits 0 having written half its answer.
enum Output {
    /// Makes write errors visible: a closed pipe answers EPIPE instead of killing the process silently, and
    /// a file-size limit (`ulimit -f`) answers EFBIG instead of SIGXFSZ, so both are reported.
    static func prepare() {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
    }

    /// Writes `text` to standard output, whole, or throws the OS's reason.
    static func write(_ text: String) throws(InputError) {
        try write(text, to: STDOUT_FILENO, name: "standard output")
    }

    /// Writes a line to standard error (best effort: there is nowhere left to report a failure).
    static func error(_ text: String) {
        try? write(text, to: STDERR_FILENO, name: "standard error")
    }

    /// Writes all of `text` to `descriptor`, retrying short writes and EINTR.
    static func write(_ text: String, to descriptor: Int32, name: String) throws(InputError) {
        var text = text
        let failure: Int32? = text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure {
            throw InputError("cannot write to \(name): \(osReason(failure))", "无法写入 \(name)：\(osReason(failure))")
        }
    }
}

/// Why a file cannot be read, with the OS's reason.
private func cannotRead(_ path: String, _ code: Int32) -> InputError {
    InputError("\(path): cannot read the file: \(osReason(code))", "\(path)：无法读取文件：\(osReason(code))")
}

/// Reads a whole input file (a scenario), saying why when it cannot: missing, a directory, no permission.
/// `-` is standard input.
func readInputFile(_ path: String, limit: Int = 16 << 20) throws(InputError) -> [UInt8] {
    let isStandardInput = path == "-"
    let descriptor = isStandardInput ? STDIN_FILENO : open(path, O_RDONLY)
    guard descriptor >= 0 else { throw cannotRead(path, errno) }
    defer { if !isStandardInput { close(descriptor) } }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw cannotRead(path, errno) }
    if status.st_mode & S_IFMT == S_IFDIR {
        throw InputError("\(path): is a directory, not a file", "\(path)：是目录，不是文件")
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw cannotRead(path, errno)
        }
        if count == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<count])
        guard bytes.count <= limit else {
            throw InputError(
                "\(path): the file is larger than \(limit >> 20) MiB; a scenario is far smaller",
                "\(path)：文件大于 \(limit >> 20) MiB；场景文件远小于此"
            )
        }
    }
}

/// Writes a file next to its destination and renames it into place in one step, so readers never see half a
/// file and an existing file is replaced only by a complete one.
///
/// The destination must be absent or a regular file (a directory, a device or a pipe is refused, never
/// removed). The temporary file is removed on any error and on SIGINT or SIGTERM.
enum AtomicFile {
    static func write(
        to path: String,
        _ body: (_ write: (String) throws(InputError) -> Void) throws(InputError) -> Void
    )
        throws(InputError)
    {
        var status = stat()
        if lstat(path, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            guard kind == S_IFREG else {
                let what = kind == S_IFDIR ? "a directory" : kind == S_IFLNK ? "a symbolic link" : "not a regular file"
                let chinese = kind == S_IFDIR ? "是目录" : kind == S_IFLNK ? "是符号链接" : "不是普通文件"
                throw InputError(
                    "\(path): is \(what); --output replaces only a regular file",
                    "\(path)：\(chinese)；--output 只替换普通文件"
                )
            }
        } else if errno != ENOENT {
            throw InputError("\(path): \(osReason(errno))", "\(path)：\(osReason(errno))")
        }
        let temporary = path + ".partial-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw InputError(
                "\(temporary): cannot create the file: \(osReason(errno))",
                "\(temporary)：无法创建文件：\(osReason(errno))"
            )
        }
        CleanupOnSignal.arm(temporary)
        defer { CleanupOnSignal.disarm() }
        do throws(InputError) {
            try body { text throws(InputError) in try Output.write(text, to: descriptor, name: temporary) }
            guard fsync(descriptor) == 0, close(descriptor) == 0 else {
                throw InputError("\(temporary): \(osReason(errno))", "\(temporary)：\(osReason(errno))")
            }
            guard rename(temporary, path) == 0 else {
                throw InputError(
                    "\(path): cannot move the finished file into place: \(osReason(errno))",
                    "\(path)：无法把写好的文件移到位：\(osReason(errno))"
                )
            }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw InputError(
                "\(path): nothing written: \(error.message)",
                "\(path)：未写入任何内容：\(error.message(in: .zh))"
            )
        }
    }
}

/// Removes a half-written temporary file when the process is interrupted. The path lives in a fixed C
/// buffer because a signal handler may only call async-signal-safe functions (unlink, _exit).
enum CleanupOnSignal {
    nonisolated(unsafe) private static var path = UnsafeMutablePointer<CChar>.allocate(capacity: 4_096)
    nonisolated(unsafe) private static var armed: sig_atomic_t = 0

    static func arm(_ temporary: String) {
        let bytes = Array(temporary.utf8CString.prefix(4_095))
        for (index, byte) in bytes.enumerated() { path[index] = byte }
        path[bytes.count] = 0
        armed = 1
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { received in
                if CleanupOnSignal.armed != 0 { unlink(CleanupOnSignal.path) }
                _exit(128 + received)
            }
        }
    }

    static func disarm() {
        armed = 0
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

/// What a JSON decoder found wrong, at which field, in English and in Chinese: the field's path, then "missing"
/// (缺少) or the `DecodingError`'s own words (English in both).
func decodingProblem(_ error: any Error) -> (english: String, chinese: String) {
    let path: [any CodingKey]
    let problem: (english: String, chinese: String)
    switch error as? DecodingError {
    case .keyNotFound(let key, let context):
        (path, problem) = (context.codingPath + [key], ("missing", "缺少"))
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
        (path, problem) = (context.codingPath, (context.debugDescription, context.debugDescription))
    case nil: return (String(describing: error), String(describing: error))
    @unknown default: return (String(describing: error), String(describing: error))
    }
    // Members by name, joined with dots; array elements by index, in brackets (`parts[3].name`).
    let field = path.enumerated().map { place, key in
        if let index = key.intValue { return "[\(index)]" }
        return place == 0 ? key.stringValue : "." + key.stringValue
    }.joined()
    return field.isEmpty ? problem : ("\(field): \(problem.english)", "\(field)：\(problem.chinese)")
}
