import Foundation
import LogModel
import LogScanner
import Testing

/// Compressed logs as logrotate and the compressors write them: gzip, zstd, xz, bzip2, each by its
/// magic bytes, multi-member, truncated, corrupt, too large to decompress in bounded memory; and
/// formats that are recognised but not read (lz4, journald's binary journal), named as skipped.
@Suite struct CompressedInputTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "acrscan-compressed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// About 600 KB of log lines: more than one raw read (256 KiB), several bzip2 blocks at `-1`.
    static func text(_ lines: Range<Int> = 0..<16_000, tag: String = "a") -> [UInt8] {
        Array(
            lines.map {
                "2026-11-20T03:14:15.\($0)Z \(tag) container \($0 * 7919 % 10007) health status changed; took \($0 % 97) ms\n"
            }.joined().utf8)
    }

    /// Where `got` first differs from `expected` (nil when equal): large arrays are compared this
    /// way, as `#expect(a == b)` would diff them element by element on failure.
    static func mismatch(_ got: [UInt8], _ expected: [UInt8]) -> String? {
        if got == expected { return nil }
        let index =
            zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(got.count, expected.count)
        return "\(got.count) bytes against \(expected.count), first difference at \(index)"
    }

    /// Reads `path` in reads of `chunk` bytes: the content, and the error that ended it early.
    static func drain(_ path: String, chunk: Int = 64 * 1024) -> (bytes: [UInt8], error: InputError?) {
        var out: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        do {
            let file = try LogFile(path: path)
            while true {
                let n = try file.read(into: buffer)
                if n == 0 { return (out, nil) }
                out += buffer[0..<n]
            }
        } catch {
            return (out, error)
        }
    }

    @Test(
        "each format is recognised by its magic bytes (not its name) and every member of a multi-member file is read",
        arguments: Compression.allCases)
    func multiMember(_ format: Compression) throws {
        let first = Self.text(0..<9_000, tag: "first")
        let second = Self.text(0..<7_000, tag: "second")
        let joined = try Compressors.compress(format.rawValue, first) + Compressors.compress(format.rawValue, second)
        let path = try write("rotated.log.1", joined)  // no suffix on purpose
        #expect(try LogFile(path: path).compression == format)
        for chunk in [1000, 64 * 1024] {
            let (bytes, error) = Self.drain(path, chunk: chunk)
            #expect(error == nil)
            #expect(Self.mismatch(bytes, first + second) == nil)
        }
    }

    @Test(
        "a truncated file gives its readable bytes, then an error that names it and its format",
        arguments: Compression.allCases)
    func truncated(_ format: Compression) throws {
        let text = Self.text()
        // bzip2 -1: blocks of 100 kB, so that the first half holds whole blocks to give.
        let compressed = try Compressors.compress(format.rawValue, text, arguments: format == .bzip2 ? ["-1"] : [])
        let path = try write("t.log.1", Array(compressed.prefix(compressed.count / 2)))
        let (bytes, error) = Self.drain(path)
        #expect(error == .truncated(path: path, format: format))
        #expect(!bytes.isEmpty && bytes.count < text.count)
        #expect(Self.mismatch(bytes, Array(text.prefix(bytes.count))) == nil)
        #expect(error?.description == "\(path): truncated \(format) file; scanned as far as it goes")
    }

    @Test(
        "corrupt data: the good bytes first, then an error that names the file, the format and the library's reason",
        arguments: Compression.allCases)
    func corrupt(_ format: Compression) throws {
        let text = Self.text()
        var damaged = try Compressors.compress(format.rawValue, text, arguments: format == .bzip2 ? ["-1"] : [])
        for i in (damaged.count / 2)..<(damaged.count / 2 + 64) { damaged[i] ^= 0x5A }
        let path = try write("c.log.1", damaged)
        let (bytes, error) = Self.drain(path)
        guard case .corrupt(path, format, let reason)? = error else {
            Issue.record("expected corrupt \(format) data, got \(String(describing: error))")
            return
        }
        #expect(!reason.isEmpty)
        // What comes before the damage is given; after it, a decoder may give garbage before it notices.
        #expect(bytes.count >= 10_000)
        #expect(Self.mismatch(Array(bytes.prefix(10_000)), Array(text.prefix(10_000))) == nil)
        #expect(error?.description == "\(path): corrupt \(format) data (\(reason)); scanned as far as it goes")
    }

    @Test("skipping positions every format at the same content byte as a plain file", arguments: Compression.allCases)
    func skip(_ format: Compression) throws {
        let text = Self.text(0..<2_000)
        let path = try write("s.log.1", try Compressors.compress(format.rawValue, text))
        let file = try LogFile(path: path)
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 8)
        defer { scratch.deallocate() }
        #expect(try file.skip(50_000, scratch: scratch) == 50_000)
        let n = try file.read(into: scratch)
        #expect(n > 0 && Array(scratch[0..<n]) == Array(text[50_000..<(50_000 + n)]))
    }

    @Test("xz: streams separated by stream padding are all read")
    func xzPadding() throws {
        let first = Self.text(0..<100, tag: "one")
        let second = Self.text(0..<100, tag: "two")
        let path = try write(
            "padded.xz",
            try Compressors.compress("xz", first) + [0, 0, 0, 0, 0, 0, 0, 0] + Compressors.compress("xz", second))
        let (bytes, error) = Self.drain(path, chunk: 777)
        #expect(error == nil)
        #expect(Self.mismatch(bytes, first + second) == nil)
    }

    @Test("zstd: a skippable frame (as pzstd writes) before the data is passed over")
    func zstdSkippable() throws {
        let text = Self.text(0..<100)
        let skippable: [UInt8] = [0x50, 0x2A, 0x4D, 0x18, 4, 0, 0, 0, 0xDE, 0xAD, 0xBE, 0xEF]
        let path = try write("skippable.zst", skippable + Compressors.compress("zstd", text))
        #expect(try LogFile(path: path).compression == .zstd)
        let (bytes, error) = Self.drain(path)
        #expect(error == nil)
        #expect(Self.mismatch(bytes, text) == nil)
    }

    @Test("a zstd window or xz dictionary over the memory limit is refused with its reason, not decoded unbounded")
    func tooLarge() throws {
        let text = Self.text(0..<2_000)
        // From a pipe the size is unknown, so the tools keep their full window: 128 MiB and 64 MiB.
        let zstd = try write("long.zst", try Compressors.compress("zstd", text, arguments: ["--long=27"]))
        let xz = try write("nine.xz", try Compressors.compress("xz", text, arguments: ["-9"]))
        for (path, format) in [(zstd, Compression.zstd), (xz, .xz)] {
            let (bytes, error) = Self.drain(path)
            guard case .tooLarge(path, format, let reason)? = error else {
                Issue.record("expected \(format) too large, got \(String(describing: error))")
                continue
            }
            #expect(bytes.isEmpty)
            #expect(
                error?.description
                    == "\(path): \(format) data too large to decompress (\(reason)); scanned as far as it goes")
        }
    }

    @Test("lz4 frames and journald binary journals are named as skipped, with what to do instead")
    func unreadFormats() throws {
        let lz4 = try write("app.log.5.lz4", try Compressors.compress("lz4", Self.text(0..<100)))
        let journal = try write("system.journal", Array("LPKSHHRH".utf8) + [UInt8](repeating: 0, count: 248))
        for (path, word) in [(lz4, "lz4-compressed"), (journal, "a journald binary journal")] {
            do {
                _ = try LogFile(path: path)
                Issue.record("\(path) was opened")
            } catch {
                guard case .skipped(path, let reason) = error else {
                    Issue.record("expected skipped, got \(error)")
                    continue
                }
                #expect(reason.contains(word))
                #expect(error.description.hasPrefix("\(path): skipped, \(word)"))
            }
        }
    }

    @Test("text that begins like a magic number is plain: 'BZh9 ...' is a log line, not bzip2")
    func lookAlikes() throws {
        for text in ["BZh9 rotated the logs\n", "LPKSHH but not a journal\n", "", "x"] {
            let path = try write("look.log", Array(text.utf8))
            let file = try LogFile(path: path)
            #expect(file.compression == nil)
            #expect(Self.drain(path).bytes == Array(text.utf8))
        }
    }
}
