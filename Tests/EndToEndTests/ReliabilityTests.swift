import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 14, "counted twice" and "unbounded": rotation met half-way, a file rewritten under a slow
/// reader, a multi-line failure split by a sweep, a file appended faster than it is read. Each runs
/// the built tool; the slow reader is made deterministic by the test hook
/// `ACRSCAN_TEST_PAUSE_AFTER_READ` (docs/hardening.md).
@Suite struct ReliabilityTests {
    static func stored(_ tool: Tool, registryPrefix: String? = nil) throws -> Int {
        let export = try tool.run(["export", "--format", "ndjson"])
        #expect(export.status == 0, "\(export.stderr)")
        let rows = export.stdout.split(separator: "\n")
        guard let prefix = registryPrefix else { return rows.count }
        return rows.filter { $0.contains("\"registry\":\"\(prefix)") }.count
    }

    /// Starts a scan that stops after its first read of content and waits for the test; returns it
    /// once it is paused, with the flag file to remove to let it go on.
    static func paused(_ tool: Tool, _ arguments: [String]) throws -> (Tool.Running, String)? {
        let hook = tool.path("hook")
        try FileManager.default.createDirectory(atPath: hook, withIntermediateDirectories: true)
        let running = try tool.start(arguments, environment: ["ACRSCAN_TEST_PAUSE_AFTER_READ": hook])
        try running.input.fileHandleForWriting.close()
        let flag = hook + "/paused"
        guard running.wait(upTo: 60, for: { FileManager.default.fileExists(atPath: flag) }) else {
            let result = running.finish()
            Issue.record(
                "the scan never paused (test hook ACRSCAN_TEST_PAUSE_AFTER_READ not honoured); it ended with \(result.status): \(result.stderr)"
            )
            return nil
        }
        return (running, flag)
    }

    @Test("copytruncate met half-way: a copy still being written adds nothing; the new log counts once")
    func copyMetHalfWay() throws {
        let tool = try Tool()
        let old = HardeningTests.failures(2000, prefix: "old")
        let log = try tool.write("logs/app.log", old)
        #expect(try tool.run(["scan", tool.path("logs")], timeout: 120).status == 0)
        #expect(try Self.stored(tool) == 2000)

        // logrotate copies app.log to app.log.1 (a sweep meets the copy at 40 %, cut inside a line),
        // then truncates app.log, and the application writes on.
        let bytes = Array(old.utf8)
        for cut in [bytes.count * 2 / 5, bytes.count * 2 / 5 + 17, bytes.count - 1, bytes.count] {
            try tool.write("logs/app.log.1", bytes: Array(bytes[..<cut]))
            let result = try tool.run(["scan", "--json", tool.path("logs")], timeout: 120)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try Tool.json(result.stdout)["new"] as? Int == 0, "copy cut at \(cut): \(result.stdout)")
        }
        #expect(truncate(log, 0) == 0)
        try tool.write("logs/app.log", HardeningTests.failures(300, prefix: "new"))
        #expect(try tool.run(["scan", tool.path("logs")], timeout: 120).status == 0)
        #expect(try Self.stored(tool) == 2300)
        #expect(try Self.stored(tool, registryPrefix: "old") == 2000)
    }

    @Test("copytruncate under a slow reader: nothing of the new generation is stored under the old one")
    func rewrittenUnderSlowReader() throws {
        let tool = try Tool()
        let log = try tool.write("logs/app.log", HardeningTests.failures(3000, prefix: "old"))
        #expect(try tool.run(["scan", tool.path("logs")], timeout: 120).status == 0)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(HardeningTests.failures(3000, prefix: "mid").utf8))
        try handle.close()

        // The scan reads its first 256 KiB of the appended part, then stops; meanwhile logrotate
        // copies the log, truncates it and the application writes a longer new generation.
        guard let (running, flag) = try Self.paused(tool, ["scan", "--jobs", "1", tool.path("logs/app.log")]) else {
            return
        }
        try FileManager.default.copyItem(atPath: log, toPath: tool.path("logs/app.log.1"))
        #expect(truncate(log, 0) == 0)
        let fresh = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try fresh.write(contentsOf: Data(HardeningTests.failures(9000, prefix: "new").utf8))
        try fresh.close()
        try FileManager.default.removeItem(atPath: flag)
        let result = running.finish()
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("app.log: read failed: truncated and rewritten while being read"), "\(result.stderr)"
        )
        #expect(try Self.stored(tool, registryPrefix: "new") == 0)

        #expect(try tool.run(["scan", tool.path("logs")], timeout: 120).status == 0)
        #expect(try Self.stored(tool, registryPrefix: "old") == 3000)
        #expect(try Self.stored(tool, registryPrefix: "mid") == 3000)
        #expect(try Self.stored(tool, registryPrefix: "new") == 9000)
    }

    @Test("a file appended faster than it is read: the scan reads it up to its size when reached, the rest next time")
    func appendedFasterThanRead() throws {
        let tool = try Tool()
        let first = HardeningTests.failures(3000, prefix: "one")
        let log = try tool.write("app.log", first)
        guard let (running, flag) = try Self.paused(tool, ["scan", "--json", "--jobs", "1", log]) else { return }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(HardeningTests.failures(3000, prefix: "two").utf8))
        try handle.close()
        try FileManager.default.removeItem(atPath: flag)
        let result = running.finish()
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try Tool.json(result.stdout)
        #expect(summary["bytes"] as? Int == first.utf8.count)
        #expect(summary["new"] as? Int == 3000)
        let again = try tool.run(["scan", "--json", log], timeout: 120)
        #expect(try Tool.json(again.stdout)["new"] as? Int == 3000)
        #expect(try Self.stored(tool) == 6000)
    }

    static let cascade = [
        "Unable to get AAD authorization tokens with message: An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR",
        "Access to registry 'myacr.azurecr.io' was denied. Response code: 401. Please try running 'az login' again to refresh permissions.",
        "Unable to get admin user credentials with message: The resource with name 'myacr' and type 'Microsoft.ContainerRegistry/registries' could not be found in subscription 'x'.",
        "Unable to authenticate using AAD or admin login credentials. Please check your credentials.",
    ]

    @Test("a multi-line failure written one line at a time, a sweep after each line: one occurrence, its lines all")
    func failureSplitBySweeps() throws {
        let tool = try Tool()
        let log = tool.path("ci.log")
        try tool.write("ci.log", "step 1 ok\n")
        for (i, line) in Self.cascade.enumerated() {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((line + "\n").utf8))
            try handle.close()
            let result = try tool.run(["scan", log], timeout: 60)
            #expect(result.status == 0, "\(result.stderr)")
            // Each sweep already reports the failure as far as it goes (once it is one), never twice.
            #expect(
                try Self.stored(tool) == (i == 0 ? try Self.stored(tool) : 1) && Self.stored(tool) <= 1,
                "after line \(i + 1)")
        }
        let rows = try tool.run(["export", "--format", "ndjson"]).stdout.split(separator: "\n")
        #expect(rows.count == 1)
        #expect(rows.first?.contains("\"type\":\"identity-permission\"") == true, "\(rows)")
        #expect(rows.first?.contains("\"line\":2,\"line_end\":5") == true, "\(rows)")

        // Lines that do not join it leave it as it is.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("step 2 ok\nstep 3 ok\nstep 4 ok\n".utf8))
        try handle.close()
        #expect(try tool.run(["scan", log], timeout: 60).status == 0)
        #expect(try Self.stored(tool) == 1)
    }

    @Test("an open failure at the end of standard input or of a gzip file is handed out")
    func finishedInputsHandOut() throws {
        let tool = try Tool()
        let first = Self.cascade[0] + "\n" + Self.cascade[1] + "\n"
        let piped = try tool.run(["scan", "--db", "stdin.db", "--host", "h", "-"], stdin: first)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(try tool.run(["export", "--db", "stdin.db"]).stdout.split(separator: "\n").count == 1)
        let gz = try tool.write("ci.log.gz", bytes: try Tool.gzip(Array(first.utf8)))
        #expect(try tool.run(["scan", "--db", "gz.db", gz], timeout: 60).status == 0)
        #expect(try tool.run(["export", "--db", "gz.db"]).stdout.split(separator: "\n").count == 1)
    }
}

/// Issue 14, "smaller": exports, the writer lock, fresh and read-only databases; and the walk as a
/// stream.
@Suite struct ReliabilitySmallerTests {
    @Test("the walk feeds the scan as a stream: a file written in a directory not reached yet is scanned")
    func streamingWalk() throws {
        let tool = try Tool()
        try tool.write("logs/a/first.log", HardeningTests.failures(3000, prefix: "one"))
        try FileManager.default.createDirectory(atPath: tool.path("logs/z"), withIntermediateDirectories: true)
        guard let (running, flag) = try ReliabilityTests.paused(tool, ["scan", "--jobs", "1", tool.path("logs")]) else {
            return
        }
        try tool.write("logs/z/later.log", HardeningTests.failures(5, prefix: "two"))
        try FileManager.default.removeItem(atPath: flag)
        let result = running.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try ReliabilityTests.stored(tool, registryPrefix: "two") == 5)
    }

    @Test("--exclude keeps a nightly sweep from warning about the same unreadable files; --max-depth bounds the walk")
    func excludeAndDepth() throws {
        let tool = try Tool()
        try tool.write("var/log/syslog", HardeningTests.failures(1))
        try tool.write("var/log/nginx/error.log", HardeningTests.failures(1, prefix: "bcr"))
        try FileManager.default.createSymbolicLink(
            atPath: tool.path("var/log/btmp"), withDestinationPath: tool.path("nowhere"))
        let warned = try tool.run(["scan", "--db", "a.db", tool.path("var/log")], timeout: 60)
        #expect(warned.status == 1)
        let quiet = try tool.run(
            ["scan", "--db", "b.db", "--exclude", "btmp*", "--max-depth", "1", tool.path("var/log")], timeout: 60)
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(quiet.stderr.isEmpty)
        #expect(try tool.run(["export", "--db", "b.db"]).stdout.split(separator: "\n").count == 1)
        let bad = try tool.run(["scan", "--max-depth", "0", tool.path("var/log")])
        #expect(bad.status == 2)
    }

    @Test("export: CSV removes escape sequences and bidirectional overrides from names; NDJSON escapes them")
    func exportInert() throws {
        let tool = try Tool()
        let name = "evil\u{1B}[2J\u{202E}gol.log"
        try tool.write(name, HardeningTests.failures(1))
        #expect(try tool.run(["scan", "--host", "h\u{202E}x", tool.path(name)], timeout: 60).status == 0)
        let csv = try tool.run(["export", "--format", "csv"]).stdout
        #expect(!csv.contains("\u{1B}") && !csv.contains("\u{202E}"), "\(csv)")
        #expect(csv.contains("evilgol.log"))  // the whole escape sequence goes, as in reports
        let ndjson = try tool.run(["export", "--format", "ndjson"]).stdout
        #expect(!ndjson.contains("\u{1B}") && !ndjson.contains("\u{202E}"), "\(ndjson)")
        #expect(ndjson.contains("evil\\u001b[2J\\u202egol.log"))
        let row = try Tool.json(String(ndjson.split(separator: "\n")[0]))
        #expect((row["source"] as? String)?.hasSuffix(name) == true)  // the value itself is kept exactly
    }

    @Test("the writer lock is the file's: --db LINK beside --db REAL waits its turn instead of failing")
    func lockThroughSymlink() throws {
        let tool = try Tool()
        let first = try tool.write("one.log", HardeningTests.failures(3000, prefix: "one"))
        let second = try tool.write("two.log", HardeningTests.failures(10, prefix: "two"))
        try FileManager.default.createDirectory(atPath: tool.path("links"), withIntermediateDirectories: true)
        _ = try tool.run(["scan", "--db", tool.path("real.db"), second], timeout: 60)
        try FileManager.default.createSymbolicLink(
            atPath: tool.path("links/link.db"), withDestinationPath: tool.path("real.db"))
        guard
            let (running, flag) = try ReliabilityTests.paused(
                tool, ["scan", "--db", tool.path("real.db"), "--jobs", "1", first])
        else { return }
        let waiting = try tool.start(["scan", "--db", tool.path("links/link.db"), second])
        try waiting.input.fileHandleForWriting.close()
        usleep(500_000)
        #expect(waiting.process.isRunning, "the second writer did not wait")
        try FileManager.default.removeItem(atPath: flag)
        #expect(running.finish().status == 0)
        let result = waiting.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("waiting for another scan"))
        #expect(try tool.run(["export", "--db", tool.path("real.db")]).stdout.split(separator: "\n").count == 3010)
    }

    @Test("report on a database created a moment ago (no schema yet): an empty report, not 'no such table'")
    func freshDatabase() throws {
        let tool = try Tool()
        try tool.write("fresh.db", "")
        let report = try tool.run(["report", "--db", "fresh.db", "--format", "json"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(try Tool.json(report.stdout)["total"] as? Int == 0)
        let export = try tool.run(["export", "--db", "fresh.db"])
        #expect(export.status == 0 && export.stdout.isEmpty, "\(export.stderr)")
    }

    @Test("a WAL database in a directory that cannot be written (read-only media) is reported on")
    func readOnlyMedia() throws {
        guard let launcher = Tool.unprivileged, !launcher.isEmpty else {
            // Not root, or no setpriv: the directory below would still be writable to us.
            guard getuid() != 0 else {
                Issue.record("root without /usr/bin/setpriv: cannot make a directory read-only")
                return
            }
            return try readOnlyMedia(as: [])
        }
        try readOnlyMedia(as: launcher)
    }

    func readOnlyMedia(as launcher: [String]) throws {
        let tool = try Tool()
        let log = try tool.write("app.log", HardeningTests.failures(4))
        let db = tool.path("media/x.db")
        try FileManager.default.createDirectory(atPath: tool.path("media"), withIntermediateDirectories: true)
        #expect(try tool.run(["scan", "--db", db, log], timeout: 60).status == 0)
        _ = try tool.sql(db, "PRAGMA wal_checkpoint(TRUNCATE)")
        for suffix in ["-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        #expect(try tool.sql(db, "PRAGMA journal_mode").hasPrefix("wal") == true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: tool.path("media"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.directory.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path("media")) }
        let running = try tool.start(["report", "--db", db, "--format", "json"], launcher: launcher)
        try running.input.fileHandleForWriting.close()
        let result = running.finish()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Tool.json(result.stdout)["total"] as? Int == 4)
        #expect(!FileManager.default.fileExists(atPath: db + "-shm"))
    }
}
