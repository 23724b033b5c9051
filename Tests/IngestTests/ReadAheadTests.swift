import Foundation
import LogModel
import LogScanner
import Testing

@testable import LogIngest

/// `ReadAhead`: a compressed file decompressed on another thread gives the scan exactly what
/// `Source.read` gives: the same bytes in the same order, members one after the other, and a
/// truncated or corrupt file's error after the same last good bytes.
@Suite struct ReadAheadTests {
    /// `bytes` through `gzip -c` (a missing gzip fails with what to install; `.ci/run` installs it).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        guard
            let tool = ["/usr/bin/gzip", "/bin/gzip"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { throw Missing() }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("acrscan-ra-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let input = scratch.appendingPathComponent("in")
        let output = scratch.appendingPathComponent("out")
        try Data(bytes).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-c"]
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return Array(try Data(contentsOf: output))
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String { "gzip is not installed: apt-get install gzip (.ci/run installs it)" }
    }

    /// Log-like lines, about `megabytes` MB, not too compressible (numbers vary line to line).
    static func text(megabytes: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        var out: [UInt8] = []
        out.reserveCapacity(megabytes << 20)
        var i = 0
        while out.count < megabytes << 20 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            out += Array(
                "2026-11-30T12:\(i % 60):00Z level=info msg=\"pulled layer \(state >> 20) in \(state % 997) ms\" n=\(i)\n"
                    .utf8)
            i += 1
        }
        return out
    }

    /// Writes `bytes` to a new file; its path.
    static func file(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("acrscan-ra-\(UUID().uuidString).gz")
            .path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// What `Source.read` gives with `chunk`-byte buffers after the head: the head and the bytes,
    /// and the error it ended with.
    static func direct(_ path: String, chunk: Int) throws -> ([UInt8], InputError?) {
        let source = try Source(path: path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var out = source.head
        do throws(InputError) {
            while true {
                let n = try source.read(into: buffer)
                if n == 0 { break }
                out += buffer[0..<n]
            }
        } catch {
            return (out, error)
        }
        return (out, nil)
    }

    /// The same through `ReadAhead`, and the source's count of bytes read after `finish()`.
    static func ahead(_ path: String, chunk: Int, slots: Int) throws -> ([UInt8], InputError?, Int64) {
        let source = try Source(path: path)
        let ahead = ReadAhead(source, chunkSize: chunk, slots: slots)
        var out = source.head
        var failure: InputError?
        do throws(InputError) {
            while let bytes = try ahead.next() {
                out += bytes
                ahead.release()
            }
        } catch {
            failure = error
        }
        ahead.finish()
        return (out, failure, source.bytesRead)
    }

    @Test(
        "two gzip members through ReadAhead: the bytes, their order and the end of a direct read",
        arguments: [
            (4096, 2), (256 * 1024, 3), (100_003, 2),
        ])
    func members(chunk: Int, slots: Int) throws {
        let first = Self.text(megabytes: 2, seed: 1)
        let second = Self.text(megabytes: 1, seed: 2)
        let path = try Self.file(try Self.gzip(first) + Self.gzip(second))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (bytes, failure, read) = try Self.ahead(path, chunk: chunk, slots: slots)
        #expect(failure == nil)
        #expect(bytes.count == first.count + second.count)
        #expect(bytes == first + second, "other bytes")
        // The head (read when the source opened) is counted too: all the content, once.
        #expect(read == Int64(first.count + second.count))
    }

    @Test(
        "a truncated and a corrupt gzip file: the same last good bytes, then the same error, as a direct read with the same buffer size"
    )
    func brokenFiles() throws {
        let text = Self.text(megabytes: 2, seed: 3)
        let whole = try Self.gzip(text)
        var corrupt = whole
        for i in stride(from: whole.count / 2, to: whole.count / 2 + 64, by: 1) { corrupt[i] ^= 0x5A }
        for (name, bytes) in [("truncated", Array(whole.dropLast(5000))), ("corrupt", corrupt)] {
            let path = try Self.file(bytes)
            defer { try? FileManager.default.removeItem(atPath: path) }
            // A decoder call that fails hands out none of its output, so where the last good bytes
            // end depends on the buffer size: a scan's read-ahead uses the size of its job's buffer.
            for chunk in [256 * 1024, 65_536] {
                let (expected, expectedFailure) = try Self.direct(path, chunk: chunk)
                #expect(expectedFailure != nil, "\(name): the direct read fails")
                let (got, failure, _) = try Self.ahead(path, chunk: chunk, slots: 3)
                #expect(failure == expectedFailure, "\(name), \(chunk)-byte chunks")
                #expect(got.count == expected.count, "\(name), \(chunk)-byte chunks")
                #expect(got == expected, "\(name), \(chunk)-byte chunks: other bytes")
            }
        }
    }

    @Test("finish() stops the producer mid-file without waiting for the rest of it")
    func finishEarly() throws {
        let text = Self.text(megabytes: 4, seed: 4)
        let path = try Self.file(try Self.gzip(text))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = try Source(path: path)
        let ahead = ReadAhead(source, chunkSize: 64 * 1024, slots: 2)
        let chunk = try ahead.next()
        let start = source.head.count
        #expect(chunk.map { Array($0) == Array(text[start..<start + $0.count]) } == true)
        ahead.release()
        ahead.finish()
        ahead.finish()  // idempotent
        // At most the chunks in the slots, and the one being read, were decompressed: not the file.
        #expect(source.bytesRead < Int64(text.count) / 2)
    }
}
