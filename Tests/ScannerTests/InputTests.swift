import Foundation
import LogModel
import LogScanner
import Testing

/// Reading files: plain, gzip (multi-member, truncated), special files, directory walks.
@Suite struct InputTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("acrscan-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func gzip(_ path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-f", path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    func readAll(_ path: String, chunk: Int = 4096) throws -> [UInt8] {
        let file = try LogFile(path: path)
        var out: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let n = try file.read(into: buffer)
            if n == 0 { break }
            out += buffer[0..<n]
        }
        return out
    }

    @Test("gzip is recognised by magic bytes, and every member of a multi-member file is read")
    func multiMemberGzip() throws {
        let a = try write("a", "first member\n")
        let b = try write("b", "second member\n")
        try gzip(a)
        try gzip(b)
        var joined = try Data(contentsOf: URL(fileURLWithPath: a + ".gz"))
        joined.append(try Data(contentsOf: URL(fileURLWithPath: b + ".gz")))
        let path = directory.appendingPathComponent("rotated.log.1").path  // no .gz suffix on purpose
        try joined.write(to: URL(fileURLWithPath: path))
        #expect(String(decoding: try readAll(path, chunk: 3), as: UTF8.self) == "first member\nsecond member\n")
        #expect(try LogFile(path: path).isGzip)
    }

    @Test("a truncated gzip file gives its readable bytes, then a clear error naming it")
    func truncatedGzip() throws {
        let path = try write("t.log", String(repeating: "line of text for the gzip stream\n", count: 2000))
        try gzip(path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path + ".gz"))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path + ".gz"))
        #expect(throws: InputError.truncatedGzip(path: path + ".gz")) { _ = try readAll(path + ".gz") }
    }

    @Test("missing files and directories given as files are reported with their path")
    func openErrors() throws {
        #expect(throws: InputError.notFound(path: directory.path + "/nope")) {
            _ = try LogFile(path: directory.path + "/nope")
        }
        #expect(throws: InputError.notRegular(path: directory.path, kind: "directory")) {
            _ = try LogFile(path: directory.path)
        }
    }

    @Test("skipping positions a plain file and a gzip stream at the same content byte")
    func skip() throws {
        let text = (0..<1000).map { "line \($0)\n" }.joined()
        let plain = try write("p.log", text)
        let zipped = try write("z.log", text)
        try gzip(zipped)
        for path in [plain, zipped + ".gz"] {
            let file = try LogFile(path: path)
            let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 8)
            defer { scratch.deallocate() }
            #expect(try file.skip(5000, scratch: scratch) == 5000)
            let n = try file.read(into: scratch)
            #expect(Array(scratch[0..<n]) == Array(Array(text.utf8)[5000..<(5000 + n)]))
        }
    }
}
