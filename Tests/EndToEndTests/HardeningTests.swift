import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The fault matrix of docs/hardening.md: hostile or broken input and a failing database, each run
/// through the built tool. Every case checks the message (the file and the reason), the exit status
/// of docs/hardening.md, and that nothing already stored is lost.
@Suite struct HardeningTests {
    /// How many occurrences the database at `path` holds, counted by `report` (no sqlite3 needed).
    static func stored(_ tool: Tool, db: String = "acrscan.db") throws -> Int {
        let report = try tool.run(["report", "--db", db, "--format", "json"])
        if report.status == 0, let total = try? Tool.json(report.stdout)["total"] as? Int { return total }
        // The plain report of this branch: one "registry<TAB>type<TAB>count" row per group.
        let plain = try tool.run(["report", "--db", db])
        #expect(plain.status == 0, "\(plain.stderr)")
        return plain.stdout.split(separator: "\n").compactMap { $0.split(separator: "\t").last.flatMap { Int($0) } }
            .reduce(0, +)
    }

    /// A log of `count` failures, each of its own registry (`<prefix>00000`, …), between quiet lines.
    static func failures(_ count: Int, prefix: String = "acr", quiet: Int = 3) -> String {
        (0..<count).map { i in
            let name = prefix + String(repeating: "0", count: max(0, 5 - String(i).count)) + String(i)
            return String(repeating: "2026-11-20T03:14:15Z step ok\n", count: quiet)
                + "2026-11-20T03:14:15Z \(Tool.failure(name))\n"
        }.joined()
    }

    // MARK: - Paths

    @Test("a missing path: named, the rest scanned and stored, exit 1")
    func missingPath() throws {
        let tool = try Tool()
        let log = try tool.write("ok.log", Self.failures(2))
        let result = try tool.run(["scan", tool.path("gone.log"), log], timeout: 60)
        #expect(result.status == 1)
        #expect(result.stderr.contains("gone.log: no such file or directory"))
        #expect(try Self.stored(tool) == 2)
    }

    @Test(
        "an unreadable file: named, the rest scanned and stored, exit 1",
        .enabled(if: Tool.canRunUnprivileged, Tool.unprivilegedReason))
    func unreadableFile() throws {
        let launcher = try #require(Tool.unprivileged)  // root reads anything: run as nobody
        let tool = try Tool()
        let secret = try tool.write("root-only.log", Self.failures(1, prefix: "bcr"))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret)
        let log = try tool.write("ok.log", Self.failures(1))
        try FileManager.default.createDirectory(atPath: tool.path("db"), withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: tool.path("db"))
        let running = try tool.start(["scan", "--db", tool.path("db/x.db"), secret, log], launcher: launcher)
        try running.input.fileHandleForWriting.close()
        let result = running.finish()
        #expect(!result.stderr.hasPrefix("setpriv"), "setpriv refused: \(result.stderr)")
        #expect(result.status == 1)
        #expect(result.stderr.contains("root-only.log: permission denied"))
        #expect(try Self.stored(tool, db: tool.path("db/x.db")) == 1)
    }

    @Test("a directory symlink loop is walked once and named; exit 1")
    func symlinkLoop() throws {
        let tool = try Tool()
        try tool.write("logs/a.log", Self.failures(1))
        try tool.write("logs/sub/b.log", Self.failures(1, prefix: "bcr"))
        try FileManager.default.createSymbolicLink(
            atPath: tool.path("logs/sub/up"), withDestinationPath: tool.path("logs"))
        try FileManager.default.createSymbolicLink(
            atPath: tool.path("logs/x"), withDestinationPath: tool.path("logs/y"))
        try FileManager.default.createSymbolicLink(
            atPath: tool.path("logs/y"), withDestinationPath: tool.path("logs/x"))
        let result = try tool.run(["scan", tool.path("logs")], timeout: 60)
        #expect(result.status == 1)
        #expect(result.stderr.contains("logs/sub/up: skipped, a directory already walked"))
        #expect(result.stderr.contains("logs/x: skipped, a symbolic link loop"))
        #expect(try Self.stored(tool) == 2)
    }

    @Test("a dangling symlink is named as such; exit 1")
    func danglingSymlink() throws {
        let tool = try Tool()
        try tool.write("logs/a.log", Self.failures(1))
        try FileManager.default.createSymbolicLink(
            atPath: tool.path("logs/rotated.log"), withDestinationPath: tool.path("logs/nowhere.log"))
        let result = try tool.run(["scan", tool.path("logs")], timeout: 60)
        #expect(result.status == 1)
        #expect(result.stderr.contains("logs/rotated.log: skipped, a dangling symbolic link"))
        #expect(try Self.stored(tool) == 1)
    }

    @Test("a FIFO, /dev/null and /dev/zero are skipped with a warning, never read; exit 1")
    func specialFiles() throws {
        let tool = try Tool()
        let log = try tool.write("ok.log", Self.failures(1))
        let fifo = tool.path("pipe.log")
        #expect(mkfifo(fifo, 0o600) == 0)
        try tool.write("dir/inner.log", Self.failures(1, prefix: "bcr"))
        #expect(mkfifo(tool.path("dir/fifo"), 0o600) == 0)
        // Nobody ever writes to the FIFOs: a scan that opened one for reading would hang here.
        let result = try tool.run(["scan", fifo, "/dev/null", "/dev/zero", tool.path("dir"), log], timeout: 60)
        #expect(result.status == 1)
        #expect(result.stderr.contains("pipe.log: skipped, not a regular file (FIFO)"))
        #expect(result.stderr.contains("dir/fifo: skipped, not a regular file (FIFO)"))
        #expect(result.stderr.contains("/dev/null: skipped, not a regular file (character device)"))
        #expect(result.stderr.contains("/dev/zero: skipped, not a regular file (character device)"))
        #expect(try Self.stored(tool) == 2)
    }

    @Test("a file that shrinks while it is read: named, scanned as far as it goes, exit 1")
    func shrinksDuringScan() throws {
        let tool = try Tool()
        // Every line a prefilter candidate keeps the scan busy long enough to be caught midway.
        let busy = String(
            repeating: "2026-11-20T03:14:15Z docker.io unauthorized: authentication required\n", count: 120_000)
        let log = try tool.write("busy.log", "2026-11-20T03:14:15Z \(Tool.failure())\n" + busy)
        let size = try #require(FileManager.default.attributesOfItem(atPath: log)[.size] as? Int)
        let running = try tool.start(["scan", "--jobs", "1", log])
        try running.input.fileHandleForWriting.close()
        let midway = running.wait(upTo: 60) { (running.readOffset(of: log) ?? 0) >= 512 * 1024 }
        #expect(truncate(log, 256 * 1024) == 0)  // a logger's copytruncate, under the scanner's feet
        let result = running.finish()
        guard midway else {
            Issue.record("the scan ended before the file could be truncated (\(size) bytes)")
            return
        }
        #expect(result.status == 1)
        #expect(result.stderr.contains("busy.log: shrank while being read"))
        #expect(result.stderr.contains("scanned as far as it goes"))
        #expect(try Self.stored(tool) == 1)  // the failure at its start
    }

    @Test("a file that vanishes before it is opened: named; exit 1")
    func vanishesDuringScan() throws {
        let tool = try Tool()
        let first = try tool.write("first.log", Self.failures(1))
        let doomed = try tool.write("doomed.log", Self.failures(1, prefix: "bcr"))
        // One worker: the first file, then standard input (held open), then the doomed file.
        let running = try tool.start(["scan", "--jobs", "1", first, "-", doomed])
        let reading = running.wait(upTo: 60) { Self.blockedReadingStandardInput(running.pid) }
        #expect(reading)
        try FileManager.default.removeItem(atPath: doomed)
        try running.input.fileHandleForWriting.close()
        let result = running.finish()
        #expect(result.status == 1)
        #expect(result.stderr.contains("doomed.log: no such file or directory"))
        #expect(try Self.stored(tool) == 1)
    }

    /// Whether a thread of `pid` is blocked in `read(0, …)` (from /proc/PID/task/*/syscall).
    static func blockedReadingStandardInput(_ pid: Int32) -> Bool {
        let tasks = "/proc/\(pid)/task"
        for task in (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? [] {
            let text = (try? String(contentsOfFile: "\(tasks)/\(task)/syscall", encoding: .utf8)) ?? ""
            if text.hasPrefix("0 0x0 ") { return true }  // syscall 0 (read) on descriptor 0, x86_64
        }
        return false
    }

    // MARK: - Compressed input

    @Test("truncated and corrupt gzip: named, scanned as far as it goes, exit 1, nothing stored is lost")
    func brokenGzip() throws {
        let tool = try Tool()
        try tool.run(["scan", try tool.write("before.log", Self.failures(3, prefix: "old"))])
        let text = Array(Self.failures(400, quiet: 40).utf8)
        let compressed = try Tool.gzip(text)
        let truncated = try tool.write("truncated.log.gz", bytes: Array(compressed.prefix(compressed.count / 2)))
        var damaged = compressed
        for i in (damaged.count / 2)..<(damaged.count / 2 + 64) { damaged[i] ^= 0x5A }
        let corrupt = try tool.write("corrupt.log.1", bytes: damaged)  // gzip by its magic bytes, not its name

        let first = try tool.run(["scan", "--json", truncated], timeout: 60)
        #expect(first.status == 1)
        #expect(first.stderr.contains("truncated.log.gz: truncated gzip file; scanned as far as it goes"))
        let partial = try Self.stored(tool)
        #expect(partial > 3 && partial < 403)

        let second = try tool.run(["scan", "--json", "--host", "other", corrupt], timeout: 60)
        #expect(second.status == 1)
        #expect(second.stderr.contains("corrupt.log.1: corrupt gzip data"))
        #expect(try Tool.json(second.stdout)["new"] as? Int ?? 0 > 0)
        #expect(try Self.stored(tool) > partial)
    }

    @Test("a gzip bomb (1 GiB of zeros in 1 MB) is scanned to its end in bounded memory")
    func gzipBomb() throws {
        let tool = try Tool()
        // Sixteen members of 64 MiB of zeros each: gzip's multi-member form, made in a second.
        let member = try Tool.gzip([UInt8](repeating: 0, count: 64 << 20))
        var bomb: [UInt8] = []
        for _ in 0..<16 { bomb += member }
        #expect(bomb.count < 2 << 20)
        let path = try tool.write("bomb.gz", bytes: bomb)
        let arguments = ["scan", "--json", path]
        let result: Tool.Result
        if let (measured, kib) = try tool.measured(arguments) {
            result = measured
            #expect(kib < 64 * 1024, "peak RSS \(kib) KiB")  // docs/performance.md: under 64 MiB
        } else {
            result = try tool.run(arguments, timeout: 300)
        }
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try Tool.json(result.stdout)
        #expect(summary["bytes"] as? Int == 1 << 30)
        #expect(summary["new"] as? Int == 0)
    }

    @Test("copies of one log scanned in parallel: counted once, no database error")
    func parallelCopies() throws {
        let tool = try Tool()
        let text = Self.failures(20)
        let copies = try (0..<8).map { try tool.write("copy\($0).log", text) }
        let result = try tool.run(["scan", "--jobs", "4", "--json"] + copies, timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.stored(tool) == 20)
    }

    // MARK: - Odd bytes

    @Test("an empty file and a file of NUL bytes: scanned, nothing found, exit 0")
    func emptyAndNul() throws {
        let tool = try Tool()
        let empty = try tool.write("empty.log", "")
        let nul = try tool.write("nul.log", bytes: [UInt8](repeating: 0, count: 3 << 20))
        let tail = try tool.write(
            "nul-then-failure.log", bytes: [UInt8](repeating: 0, count: 1 << 20) + Array("\n\(Tool.failure())\n".utf8))
        let result = try tool.run(["scan", "--json", empty, nul, tail], timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try Tool.json(result.stdout)
        #expect(summary["files"] as? Int == 3)
        #expect(summary["new"] as? Int == 1)
        #expect(try tool.run(["scan", "--json", empty, nul]).status == 0)  // again: unchanged, still fine
    }

    @Test("a 100 MB single line: bounded memory, the failure at its start is found")
    func hugeLine() throws {
        let tool = try Tool()
        var bytes = Array("2026-11-20T03:14:15Z \(Tool.failure("first")) ".utf8)
        bytes += [UInt8](repeating: 0x78, count: 100 << 20)
        bytes += Array("\n2026-11-20T03:15:15Z \(Tool.failure("second"))\n".utf8)
        let path = try tool.write("huge.log", bytes: bytes)
        let arguments = ["scan", "--json", path]
        let result: Tool.Result
        if let (measured, kib) = try tool.measured(arguments) {
            result = measured
            #expect(kib < 64 * 1024, "peak RSS \(kib) KiB")
        } else {
            result = try tool.run(arguments, timeout: 300)
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Tool.json(result.stdout)["new"] as? Int == 2)
        let rows = try tool.sql(
            tool.path("acrscan.db"), "select registry, line, length(excerpt) <= 401 from occurrences order by line")
        #expect(rows == "first|1|1\nsecond|2|1\n")
    }

    @Test("invalid UTF-8 and CRLF: found, excerpts clean UTF-8 without CR; exit 0")
    func invalidUTF8AndCRLF() throws {
        let tool = try Tool()
        var bytes = Array("az acr login -n myacr\r\nunauthorized: authentication required\r\n".utf8)
        bytes += Array(String(repeating: "quiet\r\n", count: 3).utf8)
        bytes += [0xC3, 0x28, 0xFF, 0xFE, 0x20] + Array(Tool.failure("bytes").utf8) + [0x80, 0x0D, 0x0A]
        let path = try tool.write("odd.log", bytes: bytes)
        let result = try tool.run(["scan", "--json", path], timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Tool.json(result.stdout)["new"] as? Int == 2)
        let rows = try tool.sql(
            tool.path("acrscan.db"),
            "select line, instr(excerpt, char(13)), hex(excerpt) like '%EFBFBD%' from occurrences order by line")
        #expect(rows == "2|0|0\n6|0|1\n")
        let report = try tool.run(["report"])
        #expect(report.status == 0)
    }

    // MARK: - The database

    @Test("--db at a file that is not SQLite: refused, untouched; exit 3")
    func databaseNotSQLite() throws {
        let tool = try Tool()
        let path = try tool.write("notes.txt", "my notes\n")
        let log = try tool.write("ok.log", Self.failures(1))
        let result = try tool.run(["scan", "--db", path, log], timeout: 60)
        #expect(result.status == 3)
        #expect(result.stderr.contains("notes.txt: not an acrscan database"))
        #expect(tool.bytes(path) == Array("my notes\n".utf8))
    }

    @Test("--db at a directory: refused; exit 3")
    func databaseIsDirectory() throws {
        let tool = try Tool()
        try FileManager.default.createDirectory(atPath: tool.path("store.db"), withIntermediateDirectories: true)
        let result = try tool.run(
            ["scan", "--db", tool.path("store.db"), try tool.write("ok.log", Self.failures(1))], timeout: 60)
        #expect(result.status == 3)
        #expect(result.stderr.contains("store.db: is a directory"))
    }

    @Test(
        "--db in a read-only place or a read-only file: named, with the reason; exit 3; nothing lost",
        .enabled(if: Tool.canRunUnprivileged, Tool.unprivilegedReason))
    func databaseReadOnly() throws {
        // Root writes anywhere: the permissions are enforced by running as `nobody` instead.
        let launcher = try #require(Tool.unprivileged)
        let tool = try Tool()
        let log = try tool.write("ok.log", Self.failures(2))
        try FileManager.default.createDirectory(atPath: tool.path("locked"), withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: tool.path("locked"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.directory.path)

        let inLocked = try tool.start(["scan", "--db", tool.path("locked/new.db"), log], launcher: launcher)
        try inLocked.input.fileHandleForWriting.close()
        let created = inLocked.finish()
        #expect(!created.stderr.hasPrefix("setpriv"), "setpriv refused: \(created.stderr)")
        #expect(created.status == 3)
        #expect(created.stderr.contains("locked/new.db: cannot lock the database for writing: "))
        #expect(created.stderr.contains("locked/new.db.lock: Permission denied"))

        // A database of someone else's (root's, mode 644): readable, not writable; its lock file is
        // open to all, so that the database itself is what refuses.
        try tool.run([
            "scan", "--db", tool.path("theirs.db"), try tool.write("first.log", Self.failures(1, prefix: "old")),
        ])
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: tool.path("theirs.db.lock"))
        let before = try Self.stored(tool, db: tool.path("theirs.db"))
        let readOnly = try tool.start(["scan", "--db", tool.path("theirs.db"), log], launcher: launcher)
        try readOnly.input.fileHandleForWriting.close()
        let refused = readOnly.finish()
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("theirs.db: the database is read-only"))
        #expect(try Self.stored(tool, db: tool.path("theirs.db")) == before)

        // Not even readable (mode 600).
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tool.path("theirs.db"))
        let unreadable = try tool.start(["scan", "--db", tool.path("theirs.db"), log], launcher: launcher)
        try unreadable.input.fileHandleForWriting.close()
        let closed = unreadable.finish()
        #expect(closed.status == 3)
        #expect(closed.stderr.contains("theirs.db: cannot open or create the database file: Permission denied"))
        #expect(try Self.stored(tool, db: tool.path("theirs.db")) == before)
    }

    @Test("--db from a newer acrscan: refused, byte for byte untouched; exit 3")
    func databaseNewerSchema() throws {
        let tool = try Tool()
        let db = tool.path("future.db")
        try tool.run(["scan", "--db", db, try tool.write("a.log", Self.failures(1))])
        _ = try tool.sql(db, "PRAGMA user_version = 99; PRAGMA journal_mode = DELETE;")
        let before = tool.bytes(db)
        let result = try tool.run(
            ["scan", "--db", db, try tool.write("b.log", Self.failures(1, prefix: "bcr"))], timeout: 60)
        #expect(result.status == 3)
        #expect(result.stderr.contains("future.db: written by a newer acrscan (schema 99"))
        #expect(tool.bytes(db) == before)
    }

    @Test("a full disk: the message names the database and says it is full; exit 3; earlier commits kept")
    func diskFull() throws {
        let tool = try Tool()
        let small = try tool.write("a-small.log", Self.failures(3, prefix: "small"))
        let big = try tool.write("b-big.log", Self.failures(5000, prefix: "big"))
        try tool.run(["scan", try tool.write("earlier.log", Self.failures(2, prefix: "old"))])
        // Test hook (docs/hardening.md): SQLite's page limit stands in for a full disk (SQLITE_FULL).
        let full = try tool.run(
            ["scan", "--jobs", "1", small, big], timeout: 120,
            environment: ["ACRSCAN_TEST_MAX_PAGE_COUNT": "40"])
        #expect(full.status == 3)
        #expect(full.stderr.contains("acrscan.db: the disk or the database is full"))
        #expect(!full.stderr.contains("INSERT"))
        #expect(try Self.stored(tool) == 5)  // the earlier scan and this scan's first file
        #expect(try tool.sql(tool.path("acrscan.db"), "PRAGMA integrity_check") == "ok\n")
        // Space again: the same scan completes, counting nothing twice.
        let again = try tool.run(["scan", "--json", small, big], timeout: 120)
        #expect(again.status == 0)
        #expect(try Tool.json(again.stdout)["new"] as? Int == 5000)
        #expect(try Self.stored(tool) == 5005)
    }

    @Test("a database damaged where the scan would not look: checked first, named, nothing written; exit 3")
    func damagedDatabase() throws {
        let tool = try Tool()
        let db = tool.path("acrscan.db")
        let first = try tool.run(["scan", try tool.write("a.log", Self.failures(3000))], timeout: 120)
        #expect(first.status == 0, "\(first.stderr)")
        let quiet = try tool.write("quiet.log", "2026-11-20T03:14:15Z step ok\n")
        // A file system stamps times from a coarse clock (a few ms): let one tick pass.
        usleep(50_000)
        // Bytes overwritten in the middle of the file, its size kept: pages of stored occurrences
        // that a scan of a log with nothing new never reads (it exited 0 before the check).
        let size = try #require(FileManager.default.attributesOfItem(atPath: db)[.size] as? Int)
        #expect(size > 16 * 32768, "\(size) bytes")
        let handle = try #require(FileHandle(forUpdatingAtPath: db))
        try handle.seek(toOffset: UInt64(size / 32768 / 2) * 32768)
        try handle.write(contentsOf: Data(repeating: 0xFF, count: 64))
        try handle.close()
        let before = tool.bytes(db)
        let result = try tool.run(["scan", quiet], timeout: 60)
        #expect(result.status == 3)
        #expect(result.stderr.hasPrefix("acrscan: acrscan.db: the database is damaged ("), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("); nothing was written\n"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(tool.bytes(db) == before ? true : false, "the database file changed")
        #expect(try tool.sql(db, "SELECT count(*) FROM scans") == "1\n")
        // Every later writer checks again (the damage is still there), --verify or not.
        let again = try tool.run(["scan", "--verify", quiet], timeout: 60)
        #expect(again.status == 3)
        #expect(again.stderr.contains("acrscan.db: the database is damaged ("))
        #expect(tool.bytes(db) == before ? true : false, "the database file changed")
    }

    @Test("scan --verify on a sound database: checked, scanned as usual; exit 0")
    func verifySound() throws {
        let tool = try Tool()
        try tool.run(["scan", try tool.write("a.log", Self.failures(2))])
        let result = try tool.run(
            ["scan", "--verify", "--json", try tool.write("b.log", Self.failures(3, prefix: "bcr"))], timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Tool.json(result.stdout)["new"] as? Int == 3)
    }

    // MARK: - Signals and pipes

    @Test("SIGINT during a scan of a large input: what was read is committed, the rest is left; exit 130")
    func interrupted() throws {
        let tool = try Tool()
        let first = try tool.write("first.log", Self.failures(2, prefix: "first"))
        let last = try tool.write("last.log", Self.failures(2, prefix: "last"))
        // Standard input is an endless log: the scan is surely still running when the signal comes.
        let running = try tool.start(["scan", "--jobs", "1", "--json", first, "-", last])
        let sink = running.input.fileHandleForWriting.fileDescriptor
        let chunk = Array(Self.failures(50, prefix: "stdin", quiet: 200).utf8)
        var written = 0
        var signalled = false
        signal(SIGPIPE, SIG_IGN)  // the writes below end with EPIPE once acrscan exits
        while running.process.isRunning {
            let n = chunk.withUnsafeBytes { Glibc.write(sink, $0.baseAddress, $0.count) }
            if n < 0 { break }
            written += n
            if !signalled, written > 8 << 20 {
                kill(running.pid, SIGINT)
                signalled = true
            }
        }
        try? running.input.fileHandleForWriting.close()
        let result = running.finish()
        #expect(result.status == 130)
        #expect(result.stderr.contains("interrupted: what was scanned so far is stored"))
        let summary = try Tool.json(result.stdout)
        let interruptedNew = try #require(summary["new"] as? Int)
        #expect(interruptedNew > 2)  // the first file and part of the stream
        #expect(try Self.stored(tool) == interruptedNew)
        let rows = try tool.sql(tool.path("acrscan.db"), "select count(*) from occurrences where registry like 'last%'")
        #expect(rows == "0\n")  // never started
        let rest = try tool.run(["scan", "--json", first, last], timeout: 60)
        #expect(rest.status == 0)
        #expect(try Tool.json(rest.stdout)["new"] as? Int == 2)
        #expect(try Self.stored(tool) == interruptedNew + 2)
    }

    @Test("a second SIGINT ends a scan that is stuck waiting for input at once; exit 130")
    func secondInterrupt() throws {
        let tool = try Tool()
        let running = try tool.start(["scan", "-"])
        #expect(running.wait(upTo: 60) { Self.blockedReadingStandardInput(running.pid) })
        kill(running.pid, SIGINT)
        usleep(300_000)
        #expect(running.process.isRunning)  // still waiting for its input
        kill(running.pid, SIGINT)
        let ended = running.wait(upTo: 10) { !running.process.isRunning }
        #expect(ended)
        let result = running.finish()
        #expect(result.status == 130)
    }

    @Test(
        "output into a pipe that closes early: no error text, exit 0",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash"), "needs /bin/bash to build the pipe"))
    func closedPipe() throws {
        let tool = try Tool()
        try tool.run(["scan", try tool.write("many.log", Self.failures(5000, quiet: 0))])
        // `acrscan report | head -1`: head leaves after one line of a report far bigger than a pipe holds.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            "-c", "\"$0\" report | head -1 >/dev/null; echo \"${PIPESTATUS[0]}\" >&2", Tool.binary.path,
        ]
        process.currentDirectoryURL = tool.directory
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(stderr == "0\n")  // acrscan's status, and not a word on standard error

        // A reader gone before the first byte: every command that prints ends quietly.
        for arguments in [["report"], ["explain"], ["scan", "--json", tool.path("many.log")]] {
            let running = try tool.start(arguments, readerGone: true)
            try running.input.fileHandleForWriting.close()
            let result = running.finish(timeout: 60)
            #expect(result.status == 0, "\(arguments)")
            #expect(result.stderr.isEmpty, "\(arguments): \(result.stderr)")
        }
    }

    // MARK: - Output that cannot be turned against its reader

    @Test("a file name with escape sequences and newlines is shown inert, on one line")
    func hostileFileName() throws {
        let tool = try Tool()
        let name = "evil\u{1B}[2J\u{1B}]0;pwned\u{07}\nacrscan: all clear\u{202E}.log"
        let path = tool.path(name)
        #expect(mkfifo(path, 0o600) == 0)
        let result = try tool.run(["scan", path, tool.path("missing\nacrscan: forged")], timeout: 60)
        #expect(result.status == 1)
        #expect(!result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(!result.stderr.unicodeScalars.contains { $0.value == 0x202E })
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix("acrscan: warning: ") })
        #expect(result.stderr.contains("evil?[2J?]0;pwned??acrscan: all clear?.log: skipped"))
    }

    @Test("log text, paths and options are bound, never spliced into SQL")
    func sqlInjection() throws {
        let tool = try Tool()
        let evil = "'); DROP TABLE failures;--"
        let path = try tool.write("x\(evil).log", "\(Tool.failure()) \(evil)\n")
        let scan = try tool.run(["scan", "--host", "h\(evil)", path], timeout: 60)
        #expect(scan.status == 0, "\(scan.stderr)")
        let report = try tool.run(["report", "--host", "h\(evil)", "--format", "json"])
        #expect(report.status == 0)
        #expect(try Tool.json(report.stdout)["total"] as? Int == 1)
        // Not a registry name: refused as a usage error before any SQL runs.
        #expect(try tool.run(["report", "--registry", evil]).status == 2)
        #expect(try Self.stored(tool) == 1)
        let row = try tool.sql(
            tool.path("acrscan.db"), "select host, source like '%DROP TABLE%', excerpt from occurrences")
        #expect(row == "h\(evil)|1|\(Tool.failure()) \(evil)\n")
    }
}
