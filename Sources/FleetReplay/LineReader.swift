#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file a chunk at a time and hands out its lines as byte buffers, never holding the whole file.
///
/// Memory is bounded: a line longer than `maximumLineLength` bytes (for example a file with no newline at
/// all, such as `/dev/zero`) is an error at its line number, not an ever-growing buffer.
struct LineReader {
    /// Why a file could not be read: the OS's reason, and the line when the problem is one line.
    struct ReadError: Error {
        var message: String
        var line: Int?
    }

    /// The longest line accepted, in bytes (a trace line is well under 200).
    static let defaultMaximumLineLength = 64 << 10

    private let descriptor: Int32
    private let chunkSize: Int
    private let maximumLineLength: Int
    /// The file's size in bytes when it was opened (0 for pipes and devices).
    let size: Int

    /// Opens `path` for reading; refuses a directory and says why any other open fails.
    init(
        path: String,
        chunkSize: Int = 4 << 20,
        maximumLineLength: Int = defaultMaximumLineLength
    )
        throws(ReadError)
    {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ReadError(message: "cannot open the file: \(LineReader.reason(errno))") }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw ReadError(message: "cannot inspect the file: \(LineReader.reason(code))")
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            close(descriptor)
            throw ReadError(message: "is a directory, not a file")
        }
        self.descriptor = descriptor
        self.chunkSize = chunkSize
        self.maximumLineLength = maximumLineLength
        self.size = status.st_mode & S_IFMT == S_IFREG ? Int(status.st_size) : 0
    }

    /// The OS's words for an `errno` value.
    static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Calls `body` with each line (without its LF or CRLF) and the number of bytes read so far; `body`
    /// returns false to stop early. A UTF-8 byte-order mark before the first line is skipped. Returns the
    /// number of lines delivered; throws for I/O errors and for a line over the length limit.
    @discardableResult
    func forEachLine(_ body: (_ line: UnsafeBufferPointer<UInt8>, _ bytesRead: Int) -> Bool) throws(ReadError) -> Int {
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var carry: [UInt8] = []
        var bytesRead = 0
        var delivered = 0
        var atStart = true
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunkSize) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(message: "read failed: \(LineReader.reason(errno))", line: delivered + 1)
            }
            if count == 0 { break }
            bytesRead += count
            var keepGoing = true
            var tooLong = false
            buffer.withUnsafeBufferPointer { whole in
                let bytes = UnsafeBufferPointer(rebasing: whole[0..<count])
                var start = 0
                if atStart {
                    atStart = false
                    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
                }
                var index = start
                while index < bytes.count {
                    if bytes[index] == 0x0A {
                        if carry.isEmpty {
                            let line = UnsafeBufferPointer(rebasing: bytes[start..<index])
                            tooLong = line.count > maximumLineLength
                            if !tooLong { keepGoing = body(Self.trimmingCR(line), bytesRead) }
                        } else {
                            carry.append(contentsOf: bytes[start..<index])
                            tooLong = carry.count > maximumLineLength
                            if !tooLong {
                                keepGoing = carry.withUnsafeBufferPointer { body(Self.trimmingCR($0), bytesRead) }
                            }
                            carry.removeAll(keepingCapacity: true)
                        }
                        if tooLong { return }
                        delivered += 1
                        if !keepGoing { return }
                        start = index + 1
                    }
                    index += 1
                }
                carry.append(contentsOf: bytes[start..<bytes.count])
                tooLong = carry.count > maximumLineLength
            }
            if tooLong {
                throw ReadError(
                    message: "the line is longer than \(maximumLineLength) bytes (is this a text file with newlines?)",
                    line: delivered + 1
                )
            }
            if !keepGoing { return delivered }
        }
        if !carry.isEmpty {
            _ = carry.withUnsafeBufferPointer { body(Self.trimmingCR($0), bytesRead) }
            delivered += 1
        }
        return delivered
    }

    private static func trimmingCR(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        if let last = line.last, last == 0x0D { return UnsafeBufferPointer(rebasing: line.dropLast()) }
        return line
    }
}
