import Foundation

/// Reads a file a chunk at a time and hands out its lines as byte buffers, never holding the whole file.
struct LineReader {
    /// Why a file could not be read.
    struct ReadError: Error {
        var message: String
    }

    private let handle: FileHandle
    private let chunkSize: Int

    /// Opens `path` for reading.
    init(path: String, chunkSize: Int = 4 << 20) throws(ReadError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ReadError(message: "cannot open the file for reading")
        }
        self.handle = handle
        self.chunkSize = chunkSize
    }

    /// Calls `body` with each line (without its LF or CRLF) and the number of bytes read so far; `body`
    /// returns false to stop early. Returns the number of lines delivered; throws only for I/O errors.
    @discardableResult
    func forEachLine(_ body: (_ line: UnsafeBufferPointer<UInt8>, _ bytesRead: Int) -> Bool) throws -> Int {
        defer { try? handle.close() }
        var carry: [UInt8] = []
        var bytesRead = 0
        var delivered = 0
        while true {
            let data = try handle.read(upToCount: chunkSize) ?? Data()
            if data.isEmpty { break }
            bytesRead += data.count
            var keepGoing = true
            data.withUnsafeBytes { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                var start = 0
                var index = 0
                while index < bytes.count {
                    if bytes[index] == 0x0A {
                        if carry.isEmpty {
                            let line = UnsafeBufferPointer(rebasing: bytes[start..<index])
                            keepGoing = body(Self.trimmingCR(line), bytesRead)
                        } else {
                            carry.append(contentsOf: bytes[start..<index])
                            keepGoing = carry.withUnsafeBufferPointer { body(Self.trimmingCR($0), bytesRead) }
                            carry.removeAll(keepingCapacity: true)
                        }
                        delivered += 1
                        if !keepGoing { return }
                        start = index + 1
                    }
                    index += 1
                }
                carry.append(contentsOf: bytes[start..<bytes.count])
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
