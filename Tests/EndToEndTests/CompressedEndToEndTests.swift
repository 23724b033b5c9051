import Foundation
import Testing

/// Rotated logs compressed as logrotate leaves them (gzip, zstd, xz, bzip2) over the built binary:
/// every failure counted once, a second sweep decompresses nothing, formats not read are named.
@Suite(.serialized) struct CompressedEndToEndTests {
    typealias Store = StoreEndToEndTests

    /// `bytes` through the format's own command-line tool; a missing tool fails with what to install.
    static func compress(_ tool: String, _ text: String) throws -> [UInt8] {
        let arguments: [String: [String]] = [
            "gzip": ["-c"], "zstd": ["-q", "-c"], "xz": ["-c", "-T1"], "bzip2": ["-c"], "lz4": ["-q", "-c"],
        ]
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            let package = tool == "xz" ? "xz-utils" : tool
            throw Failure(message: "\(tool) is not installed: apt-get install \(package) (.ci/run installs it)")
        }
        // Through files, not pipes (a pipe inherited by another child would never end).
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "acrscan-compress-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let input = scratch.appendingPathComponent("in")
        let output = scratch.appendingPathComponent("out")
        try Data(text.utf8).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments[tool]
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) failed")
        return Array(try Data(contentsOf: output))
    }

    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    static let rotated = [
        ("app.log.1.gz", "gzip"), ("app.log.2.zst", "zstd"), ("app.log.3.xz", "xz"), ("app.log.4.bz2", "bzip2"),
    ]

    @Test(
        "app.log and its copies as .gz, .zst, .xz and .bz2: each failure counted once; a second sweep decompresses nothing"
    )
    func rotatedCopies() throws {
        let tool = try Tool()
        let text = Store.log(0..<3_000)
        try tool.write("logs/app.log", text)
        for (name, format) in Self.rotated { try tool.write("logs/" + name, bytes: try Self.compress(format, text)) }

        let first = try Store.scan(tool, [tool.path("logs")])
        #expect(first["files"] as? Int == 5)
        #expect(first["new"] as? Int == Store.failures(0..<3_000))
        #expect(try Store.count(tool) == Store.failures(0..<3_000))

        let again = try Store.scan(tool, [tool.path("logs")])
        #expect(again["new"] as? Int == 0)
        #expect(again["unchanged"] as? Int == 5)
        #expect(again["bytes"] as? Int == 0)  // every compressed copy known by its compressed bytes
        #expect(try Store.count(tool) == Store.failures(0..<3_000))
    }

    @Test(
        "logrotate with each generation in another format: each failure counted once, each file decompressed once, then never again"
    )
    func rotatedGenerations() throws {
        let tool = try Tool()
        // Generation n holds lines [n * 1000, (n + 1) * 1000), the oldest in app.log.4.bz2.
        for (index, (name, format)) in Self.rotated.enumerated() {
            let generation = Self.rotated.count - index
            try tool.write(
                "logs/" + name, bytes: try Self.compress(format, Store.log(generation * 1000..<(generation + 1) * 1000))
            )
        }
        try tool.write("logs/app.log", Store.log(0..<1000))
        let first = try Store.scan(tool, [tool.path("logs"), "--jobs", "2"])
        #expect(first["new"] as? Int == Store.failures(0..<5000))
        let sizes = (1...4).map { n in Store.log(n * 1000..<(n + 1) * 1000).utf8.count }
        // each decompressed once
        #expect(first["bytes"] as? Int == Store.log(0..<1000).utf8.count + sizes.reduce(0, +))

        let again = try Store.scan(tool, [tool.path("logs"), "--jobs", "2"])
        #expect(again["bytes"] as? Int == 0)
        #expect(again["unchanged"] as? Int == 5)
        #expect(try Store.count(tool) == Store.failures(0..<5000))
    }

    @Test(
        "a compressed earlier copy (rotated before the log grew further): nothing new; after the sweep that compares it, never decompressed again"
    )
    func earlierCompressedCopy() throws {
        let tool = try Tool()
        try tool.write("logs/app.log", Store.log(0..<2_000))
        #expect(try Store.scan(tool, [tool.path("logs")])["new"] as? Int == Store.failures(0..<2_000))
        // A copy taken when the log was half as long, compressed by logrotate.
        try tool.write("logs/app.log.1.zst", bytes: try Self.compress("zstd", Store.log(0..<1_000)))
        let first = try Store.scan(tool, [tool.path("logs")])
        #expect(first["new"] as? Int == 0)
        let size = Store.log(0..<1_000).utf8.count
        // read to compare (anchor, then occurrences)
        #expect((first["bytes"] as? Int ?? 0) > 0 && (first["bytes"] as? Int ?? 0) <= 2 * size)
        let again = try Store.scan(tool, [tool.path("logs")])
        #expect(again["bytes"] as? Int == 0)  // known by its compressed bytes
        #expect(again["unchanged"] as? Int == 2)
        #expect(try Store.count(tool) == Store.failures(0..<2_000))
    }

    @Test(
        "one gzip file with two jobs (decompressed ahead on the spare core) stores what one job stores: two members, a truncated and a corrupt file"
    )
    func readAheadSameResults() throws {
        let tool = try Tool()
        // Two members, several 256 KiB chunks each, failures all through them.
        let whole = try Self.compress("gzip", Store.log(0..<20_000)) + Self.compress("gzip", Store.log(20_000..<36_000))
        var corrupt = whole
        for i in (whole.count / 2)..<(whole.count / 2 + 64) { corrupt[i] ^= 0x5A }
        let files: [(String, [UInt8], Int32)] = [
            ("members.log.1.gz", whole, 0), ("truncated.log.1.gz", Array(whole.dropLast(3_000)), 1),
            ("corrupt.log.1.gz", corrupt, 1),
        ]
        for (name, bytes, status) in files {
            try tool.write(name, bytes: bytes)
            var outputs: [String] = []
            for jobs in ["1", "2"] {
                let db = "\(name)-\(jobs).db"
                let scan = try tool.run(["scan", "-q", "--db", db, "--host", "h", "--jobs", jobs, tool.path(name)])
                #expect(scan.status == status, "\(name) --jobs \(jobs): \(scan.stderr)")
                let export = try tool.run(["export", "--db", db, "--format", "ndjson"])
                #expect(export.status == 0)
                let files = try tool.sql(
                    tool.path(db),
                    "select host, file_key, fingerprint, fp_length, path, scanned_offset, scanned_lines, last_ts, context, anchor_offset, anchor_hash from files order by path"
                )
                outputs.append(scan.stderr + "\n" + export.stdout + "\n" + files)
            }
            #expect(outputs[0] == outputs[1], "\(name): --jobs 1 and --jobs 2 differ")
            if status == 0 {
                #expect(outputs[0].split(separator: "\n").count > Store.failures(0..<36_000))
            }
        }
    }

    @Test(
        "an lz4 archive and a binary journal are named as skipped (exit 1); the readable logs beside them are scanned")
    func unreadFormats() throws {
        let tool = try Tool()
        try tool.write("logs/app.log", Store.log(0..<100))
        try tool.write("logs/app.log.5.lz4", bytes: try Self.compress("lz4", Store.log(100..<200)))
        try tool.write("logs/system.journal", bytes: Array("LPKSHHRH".utf8) + [UInt8](repeating: 0, count: 248))
        let result = try tool.run(["scan", "--json", tool.path("logs")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("app.log.5.lz4: skipped, lz4-compressed"))
        #expect(result.stderr.contains("system.journal: skipped, a journald binary journal"))
        #expect(try Tool.json(result.stdout)["new"] as? Int == Store.failures(0..<100))
    }

    @Test("truncated and corrupt zstd, xz and bzip2: named, scanned as far as they go, exit 1")
    func broken() throws {
        let tool = try Tool()
        let text = Store.log(0..<20_000)
        for (name, format) in Self.rotated.dropFirst() {
            let compressed = try Self.compress(format, text)
            let truncated = try tool.write(
                "truncated-" + name, bytes: Array(compressed.prefix(compressed.count * 3 / 4)))
            let result = try tool.run(["scan", "--json", "--host", format, truncated])
            #expect(result.status == 1)
            #expect(
                result.stderr.contains("truncated-\(name): truncated \(format) file; scanned as far as it goes"),
                "\(result.stderr)")
            #expect(try Tool.json(result.stdout)["new"] as? Int ?? 0 > 0)

            var damaged = compressed
            for i in (damaged.count * 3 / 4)..<(damaged.count * 3 / 4 + 64) { damaged[i] ^= 0x5A }
            let corrupt = try tool.write("corrupt-" + name, bytes: damaged)
            let second = try tool.run(["scan", "--json", "--host", "other-" + format, corrupt])
            #expect(second.status == 1)
            #expect(second.stderr.contains("corrupt-\(name): corrupt \(format) data ("), "\(second.stderr)")
        }
    }
}
