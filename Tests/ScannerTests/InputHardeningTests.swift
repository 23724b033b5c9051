import Foundation
import LogModel
import LogScanner
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Files that change under the reader and paths that cannot be walked: each named, with its reason.
@Suite struct InputHardeningTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "acrscan-hardening-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: path(name)))
        return path(name)
    }

    /// Reads `file` to its end in reads of `chunk` bytes.
    func drain(_ file: LogFile, chunk: Int = 64 * 1024) throws(InputError) -> Int {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let n = try file.read(into: buffer)
            if n == 0 { return total }
            total += n
        }
    }

    @Test("a file truncated while it is read: the bytes before, then an error naming it")
    func shrinksWhileRead() throws {
        let log = try write("shrinking.log", [UInt8](repeating: 0x61, count: 1 << 20))
        let file = try LogFile(path: log)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 300 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        var read = 0
        while read < 300 * 1024 {
            read += try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[read...]))
        }
        #expect(truncate(log, 100 * 1024) == 0)
        #expect(throws: InputError.shrank(path: log, size: 1 << 20, read: 300 * 1024)) { _ = try drain(file) }
        #expect(
            InputError.shrank(path: log, size: 1 << 20, read: 300 * 1024).description
                == "\(log): shrank while being read (1048576 bytes when opened, ended after 307200); scanned as far as it goes"
        )
    }

    @Test("a file deleted while it is open is read to its end (the system keeps it until closed)")
    func deletedWhileOpen() throws {
        let log = try write("rotated-away.log", [UInt8](repeating: 0x62, count: 600 * 1024))
        let file = try LogFile(path: log)
        try FileManager.default.removeItem(atPath: log)
        #expect(try drain(file) == 600 * 1024)
    }

    @Test("a file that grows while it is read is fine")
    func growsWhileRead() throws {
        let log = try write("growing.log", [UInt8](repeating: 0x63, count: 1000))
        let file = try LogFile(path: log)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0x64, count: 500))
        try handle.close()
        #expect(try drain(file) == 1500)
    }

    @Test("corrupt gzip: the good bytes first, then an error that names the file")
    func corruptGzip() throws {
        var member: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]  // header, then a bad block type
        member += [0xFF, 0xFF, 0xFF, 0xFF]
        let log = try write("bad.gz", member)
        #expect(throws: InputError.corruptGzip(path: log, reason: "invalid deflate block")) {
            _ = try drain(try LogFile(path: log))
        }
    }
}
