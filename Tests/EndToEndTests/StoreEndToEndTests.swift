import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// docs/schema.md's identity rules over the built binary: incremental and idempotent sweeps through appends,
/// rotation, compression, copytruncate and a SIGKILL; concurrent scans; merge; export.
@Suite(.serialized) struct StoreEndToEndTests {
    // MARK: - Generated logs

    /// A dockerd line; every `every`-th one (i % every == 0) is an ACR auth failure of `registry`.
    static func line(_ i: Int, every: Int = 10, registry: String = "myacr", seconds base: Int = 0) -> String {
        let t = base + i
        let stamp =
            "2026-11-\(pad(1 + t / 86400 % 28))T\(pad(t / 3600 % 24)):\(pad(t / 60 % 60)):\(pad(t % 60)).000000000Z"
        if i % every == 0 {
            return
                "time=\"\(stamp)\" level=error msg=\"Handler for POST /v1.45/images/create returned error: Head \\\"https://\(registry)\(i % 7).azurecr.io/v2/app/manifests/latest\\\": unauthorized: authentication required\"\n"
        }
        return
            "time=\"\(stamp)\" level=info msg=\"Container \(i) health status changed from starting to healthy; probe took 12ms\"\n"
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Lines `range` as one log.
    static func log(_ range: Range<Int>, every: Int = 10, registry: String = "myacr", seconds: Int = 0) -> String {
        var text = ""
        for i in range { text += line(i, every: every, registry: registry, seconds: seconds) }
        return text
    }

    /// Failures among lines `range`.
    static func failures(_ range: Range<Int>, every: Int = 10) -> Int { range.filter { $0 % every == 0 }.count }

    static func size(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
    }

    static func append(_ text: String, to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// The summary of `scan ARGS --json`, after checking its exit status.
    static func scan(_ tool: Tool, _ arguments: [String], status: Int32 = 0) throws -> [String: Any] {
        let result = try tool.run(["scan"] + arguments + ["--json", "--host", "h"])
        #expect(result.status == status, "\(result.stderr)")
        return try Tool.json(result.stdout)
    }

    static func count(
        _ tool: Tool, _ database: String = "acrscan.db", _ query: String = "select count(*) from occurrences"
    ) throws -> Int? {
        Int(try tool.sql(tool.path(database), query).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    // MARK: - Incremental sweeps

    @Test("an appended log is read from where the last scan stopped: only the new bytes")
    func append() throws {
        let tool = try Tool()
        let path = try tool.write("docker.log", Self.log(0..<100))
        let first = try Self.scan(tool, [path])
        #expect(first["new"] as? Int == Self.failures(0..<100))
        #expect(first["bytes"] as? Int == (try Self.size(path)))

        let more = Self.log(100..<150)
        try Self.append(more, to: path)
        let second = try Self.scan(tool, [path])
        #expect(second["bytes"] as? Int == more.utf8.count)
        #expect(second["new"] as? Int == Self.failures(100..<150))

        // A failure line still being written counts once it is complete, and once only.
        var partial = Self.line(150)
        partial.removeLast()
        try Self.append(partial, to: path)
        #expect(try Self.scan(tool, [path])["new"] as? Int == 1)
        try Self.append("\n", to: path)
        let completed = try Self.scan(tool, [path])
        #expect(completed["new"] as? Int == 0)

        let again = try Self.scan(tool, [path])
        #expect(again["bytes"] as? Int == 0)
        #expect(again["unchanged"] as? Int == 1)
        #expect(try Self.count(tool) == Self.failures(0..<151))
    }

    @Test("rotation: rename, a new file, gzip of the rotated file; nothing counted twice, the .gz decompressed once")
    func rotation() throws {
        let tool = try Tool()
        let dir = tool.path("logs")
        let docker = try tool.write("logs/docker.log", Self.log(0..<200))
        #expect(try Self.scan(tool, [dir])["new"] as? Int == 20)

        try FileManager.default.moveItem(atPath: docker, toPath: docker + ".1")
        let fresh = Self.log(0..<100, seconds: 500_000)
        try tool.write("logs/docker.log", fresh)
        let renamed = try Self.scan(tool, [dir])
        #expect(renamed["new"] as? Int == 10)
        #expect(renamed["bytes"] as? Int == fresh.utf8.count)
        #expect(renamed["unchanged"] as? Int == 1)

        let rotatedSize = try Self.size(docker + ".1")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [docker + ".1"]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        let compressed = try Self.scan(tool, [dir])
        #expect(compressed["new"] as? Int == 0)
        #expect(compressed["bytes"] as? Int == rotatedSize)  // decompressed once, to reach its end

        let again = try Self.scan(tool, [dir])
        #expect(again["new"] as? Int == 0)
        #expect(again["bytes"] as? Int == 0)  // known by its compressed bytes: not decompressed again
        #expect(again["unchanged"] as? Int == 2)

        let full = try Self.scan(tool, [dir, "--full"])
        #expect(full["new"] as? Int == 0)
        #expect(full["found"] as? Int == 30)
        #expect(try Self.count(tool) == 30)
    }

    @Test("copytruncate: the copy adds nothing, the truncated file is read from its start")
    func copytruncate() throws {
        let tool = try Tool()
        let app = try tool.write("logs/app.log", Self.log(0..<100))
        #expect(try Self.scan(tool, [tool.path("logs")])["new"] as? Int == 10)
        try FileManager.default.copyItem(atPath: app, toPath: app + ".1")
        try tool.write("logs/app.log", Self.log(0..<30, seconds: 900_000))
        let after = try Self.scan(tool, [tool.path("logs")])
        #expect(after["new"] as? Int == 3)
        #expect(try Self.count(tool) == 13)
    }

    @Test("a log rewritten with the same first KiB is a new generation, even when it grew past the old offset")
    func rewrittenSameHeader() throws {
        let tool = try Tool()
        let header = String(
            repeating: "Step 1/9 : FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build (no timestamps here)\n", count: 30)
        let run1 = header + Self.log(0..<3, every: 1, registry: "first")
        let build = try tool.write("build.log", run1)
        #expect(try Self.scan(tool, [build])["new"] as? Int == 3)
        try tool.write("build.log", header + Self.log(0..<5, every: 1, registry: "second"))
        #expect(try Self.scan(tool, [build])["new"] as? Int == 5)
        #expect(
            try Self.count(tool, "acrscan.db", "select count(*) from occurrences where registry like 'second%'") == 5)
        #expect(try Self.scan(tool, [build])["new"] as? Int == 0)
    }

    @Test("in one parallel sweep: a log and its gzip copy count once; logs that only share their first KiB count apart")
    func sameContentInOneSweep() throws {
        let tool = try Tool()
        let header = String(
            repeating: "Step 1/9 : FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build (no timestamps here)\n", count: 30)
        let copy = try tool.write("logs/app.log.1", Self.log(0..<300))
        try tool.write("logs/app.log.1.copy", Self.log(0..<300))
        for n in 1...4 {
            try tool.write("logs/job-\(n).log", header + Self.log(0..<n * 10, every: 1, registry: "job\(n)x"))
        }
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", copy]
        try gzip.run()
        gzip.waitUntilExit()
        let result = try Self.scan(tool, [tool.path("logs"), "--jobs", "4"])
        #expect(result["new"] as? Int == 30 + 10 + 20 + 30 + 40)
        #expect(result["files"] as? Int == 7)
        #expect(try Self.scan(tool, [tool.path("logs"), "--jobs", "4"])["bytes"] as? Int == 0)
    }

    // MARK: - Crashes and concurrency

    /// Runs `acrscan ARGS` without waiting; output goes to files in the scratch directory.
    static func start(_ tool: Tool, _ arguments: [String], name: String) throws -> Process {
        let process = tool.process(arguments)
        _ = FileManager.default.createFile(atPath: tool.path(name + ".out"), contents: nil)
        _ = FileManager.default.createFile(atPath: tool.path(name + ".err"), contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: tool.path(name + ".out")))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: tool.path(name + ".err")))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test("SIGKILL part-way through a large input, then a re-run: exactly the occurrences of an uninterrupted scan")
    func killed() throws {
        let tool = try Tool()
        _ = try tool.sql(tool.path("probe.db"), "select 1")
        let lines = 150_000
        let big = try tool.write("big.log", Self.log(0..<lines))
        #expect(try Self.size(big) > 20_000_000)
        let expected = Self.failures(0..<lines)
        try tool.run(["scan", big, "--db", "ref.db", "--host", "h", "--batch-size", "500"])
        #expect(try Self.count(tool, "ref.db") == expected)

        let scan = try Self.start(
            tool, ["scan", big, "--db", "killed.db", "--host", "h", "--batch-size", "500"], name: "killed")
        var stored = 0
        let deadline = Date().addingTimeInterval(60)
        while scan.isRunning, Date() < deadline {
            stored = (try? Self.count(tool, "killed.db")) ?? 0
            if stored > 0 { break }
            usleep(20_000)
        }
        #expect(scan.isRunning, "the scan ended before it could be killed")
        kill(scan.processIdentifier, SIGKILL)
        scan.waitUntilExit()
        let atKill = try Self.count(tool, "killed.db") ?? 0
        #expect(atKill > 0 && atKill < expected)

        let rerun = try tool.run(["scan", big, "--db", "killed.db", "--host", "h", "--json"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try Tool.json(rerun.stdout)["new"] as? Int == expected - atKill)
        let digest =
            "select count(*) || ':' || sum(offset) || ':' || sum(line) || ':' || count(distinct registry) from occurrences"
        #expect(try tool.sql(tool.path("killed.db"), digest) == tool.sql(tool.path("ref.db"), digest))
        #expect(
            try tool.sql(tool.path("killed.db"), "pragma integrity_check").trimmingCharacters(
                in: .whitespacesAndNewlines) == "ok")
    }

    @Test(
        "two scans of different inputs into one database at once: the second waits, both land fully, nothing corrupted")
    func concurrent() throws {
        let tool = try Tool()
        _ = try tool.sql(tool.path("probe.db"), "select 1")
        let a = try tool.write("a.log", Self.log(0..<60_000, registry: "alpha"))
        let b = try tool.write("b.log", Self.log(0..<30_000, every: 5, registry: "beta", seconds: 2_000_000))
        let first = try Self.start(tool, ["scan", a, "--db", "shared.db", "--host", "h1", "--json"], name: "first")
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: tool.path("shared.db.lock")), first.isRunning, Date() < deadline {
            usleep(5_000)
        }
        let second = try Self.start(tool, ["scan", b, "--db", "shared.db", "--host", "h2", "--json"], name: "second")
        let overlapped = first.isRunning
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(second.terminationStatus == 0)
        if overlapped {
            let waiting = try String(contentsOfFile: tool.path("second.err"), encoding: .utf8)
            #expect(waiting.contains("waiting for another scan of shared.db"))
        }
        #expect(
            try Self.count(tool, "shared.db", "select count(*) from occurrences where host = 'h1'")
                == Self.failures(0..<60_000))
        #expect(
            try Self.count(tool, "shared.db", "select count(*) from occurrences where host = 'h2'")
                == Self.failures(0..<30_000, every: 5))
        #expect(
            try tool.sql(tool.path("shared.db"), "pragma integrity_check").trimmingCharacters(
                in: .whitespacesAndNewlines) == "ok")
    }

    // MARK: - Fleet roll-up

    @Test("merge: per-host databases roll up; merging the same databases again adds nothing; foreign input refused")
    func merge() throws {
        let tool = try Tool()
        let a = try tool.write("a.log", Self.log(0..<100))
        let b = try tool.write("b.log", Self.log(0..<50, registry: "other"))
        try tool.run(["scan", a, "--db", "web-1.db", "--host", "web-1"])
        try tool.run(["scan", b, "--db", "web-2.db", "--host", "web-2"])
        try tool.run(["scan", a, "--db", "web-2.db", "--host", "web-2"])  // same file seen by another host
        let first = try tool.run(["merge", "web-1.db", "web-2.db", "--into", "fleet.db"])
        #expect(first.status == 0, "\(first.stderr)")
        let total = 10 + 5 + 10
        #expect(try Self.count(tool, "fleet.db") == total)
        let again = try tool.run(["merge", "web-1.db", "web-2.db", "--into", "fleet.db"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("0 new occurrences"))
        #expect(try Self.count(tool, "fleet.db") == total)
        #expect(try Self.count(tool, "fleet.db", "select count(*) from files") == 3)

        try tool.write("notes.db", "not a database\n")
        let before = try Data(contentsOf: URL(fileURLWithPath: tool.path("fleet.db")))
        let refused = try tool.run(["merge", "web-1.db", "notes.db", "--into", "fleet.db"])
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("notes.db: not an acrscan database"))
        #expect(!refused.stderr.contains("merged"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: tool.path("fleet.db"))) == before)
        #expect(
            try tool.run(["merge", "missing.db", "--into", "fleet.db"]).stderr.contains(
                "missing.db: no such database file"))
    }

    /// 40 lines of one unknown shape (no rule counts them), told apart by `tag`.
    static func unknownShapes(_ tag: String) -> String {
        (10..<50).map {
            "2026-11-20T04:\($0):15Z warning: mirror of myacr.azurecr.io out of sync, error \(tag)\($0) while refreshing\n"
        }.joined()
    }

    @Test(
        "unknowns: the same examples whatever the file order, --jobs, or order of merges (each template's smallest by source and line)"
    )
    func unknownExamplesStable() throws {
        let tool = try Tool()
        let z = try tool.write("z.log", Self.unknownShapes("z"))
        let a = try tool.write("a.log", Self.unknownShapes("a"))
        func listing(_ db: String) throws -> String {
            let result = try tool.run(["unknowns", "--db", db, "--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout
        }
        var listings: [String] = []
        for (n, run) in [(["1"], [z, a]), (["1"], [a, z]), (["2"], [z, a]), (["2"], [a, z])].enumerated() {
            let scan = try tool.run(["scan", "-q", "--db", "\(n).db", "--host", "h", "--jobs"] + run.0 + run.1)
            #expect(scan.status == 0, "\(scan.stderr)")
            listings.append(try listing("\(n).db"))
        }
        #expect(listings.allSatisfy { $0 == listings[0] }, "\(listings)")
        #expect(listings[0].contains("\"candidates\":80"))
        #expect(listings[0].contains("error a10 ") && !listings[0].contains("error z"), "\(listings[0])")

        try tool.run(["scan", "-q", z, "--db", "web-1.db", "--host", "web-1"])
        try tool.run(["scan", "-q", a, "--db", "web-2.db", "--host", "web-2"])
        try tool.run(["merge", "web-1.db", "web-2.db", "--into", "fleet-a.db"])
        try tool.run(["merge", "web-2.db", "web-1.db", "--into", "fleet-b.db"])
        try tool.run(["merge", "web-1.db", "web-2.db", "--into", "fleet-b.db"])
        #expect(try listing("fleet-a.db") == listing("fleet-b.db"))
        #expect(try listing("fleet-a.db").contains("error a10 "))
    }

    @Test("a foreign or newer database is refused by scan, merge and export with exit 3, and left untouched")
    func refusedDatabases() throws {
        let tool = try Tool()
        _ = try tool.sql(tool.path("other.db"), "create table t(x); insert into t values (1);")
        let log = try tool.write("a.log", Self.log(0..<20))
        try tool.run(["scan", log, "--db", "newer.db"])
        try tool.run(["scan", log, "--db", "good.db"])
        _ = try tool.sql(tool.path("newer.db"), "pragma journal_mode = delete; pragma user_version = 99;")
        for (name, reason) in [("other.db", "not an acrscan one"), ("newer.db", "newer acrscan")] {
            let before = try Data(contentsOf: URL(fileURLWithPath: tool.path(name)))
            for arguments in [
                ["scan", log, "--db", name], ["merge", name, "--into", "fleet.db"],
                ["merge", "good.db", "--into", name],
                ["export", "--db", name], ["export", "--db", name, "--format", "csv"],
            ] {
                let result = try tool.run(arguments)
                #expect(result.status == 3, "\(arguments)")
                #expect(
                    result.stderr.contains("\(name): ") && result.stderr.contains(reason),
                    "\(arguments): \(result.stderr)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: tool.path(name))) == before)
        }
        #expect(!FileManager.default.fileExists(atPath: tool.path("other.db.lock")))
    }

    // MARK: - Export

    /// Parses RFC 4180 CSV (CRLF rows, quoted fields with doubled quotes).
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append(chars.removeFirst()) } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\r", chars.first == "\n" {
                chars.removeFirst()
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        return rows
    }

    @Test("export: NDJSON and CSV parse back to the stored occurrences; formulas neutralised in CSV only")
    func export() throws {
        let tool = try Tool()
        let hostile =
            "=cmd|' /C calc'!A0 Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required\n"
        let log = try tool.write("a.log", Self.log(0..<100) + hostile)
        try tool.run(["scan", log, "--host", "web-1"])

        let ndjson = try tool.run(["export", "--format", "ndjson", "--output", "out.ndjson"])
        #expect(ndjson.status == 0, "\(ndjson.stderr)")
        let text = try String(contentsOfFile: tool.path("out.ndjson"), encoding: .utf8)
        let objects = try text.split(separator: "\n").map { try Tool.json(String($0)) }
        #expect(objects.count == 11)
        let fields = [
            "host", "ts", "registry", "login_server", "type", "status", "attempts", "producer", "source", "line",
            "line_end",
            "offset", "file_key", "client_ip", "identity", "repository", "code", "excerpt", "matcher_version",
        ]
        #expect(objects.allSatisfy { Set($0.keys) == Set(fields) })
        #expect(objects.last?["excerpt"] as? String == String(hostile.dropLast()))
        #expect(objects.first?["ts"] as? String == "2026-11-01T00:00:00.000Z")
        #expect(objects.last?["ts"] as? String == "2026-11-01T00:01:39.000Z")  // the last timestamp seen before it

        let csv = try tool.run(["export", "--format", "csv", "--host", "web-1"])
        #expect(csv.status == 0)
        let rows = Self.parseCSV(csv.stdout)
        #expect(rows.first == fields)
        #expect(rows.count == 12)
        for (row, object) in zip(rows.dropFirst(), objects) {
            for (name, cell) in zip(fields, row) {
                switch object[name] {
                case let text as String:
                    let lead = text.unicodeScalars.first { $0 != " " }
                    let neutralised = lead.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false
                    #expect(cell == (neutralised ? "'" + text : text), "\(name)")
                case let number as NSNumber: #expect(cell == number.stringValue, "\(name)")
                default: #expect(cell == "", "\(name)")
                }
            }
        }
        #expect(rows.last?[17].hasPrefix("'=cmd") == true)
        #expect(try tool.run(["export", "--registry", "nobody"]).stdout.isEmpty)
    }

    // MARK: - Hosts and matcher versions

    @Test("--host-from-path 1 takes the host from logs/<host>/…; a file with no host directory is skipped and named")
    func hostFromPath() throws {
        let tool = try Tool()
        try tool.write("logs/web-1/var/log/docker.log", Self.log(0..<20))
        try tool.write("logs/web-2/docker.log", Self.log(0..<30, registry: "b"))
        try tool.write("logs/stray.log", Self.log(0..<10, registry: "c"))
        let skipped = try tool.run(["scan", "logs", "--host-from-path", "1"])
        #expect(skipped.status == 1)
        #expect(skipped.stderr.contains("logs/stray.log: no host directory"))
        let hosts = try tool.sql(
            tool.path("acrscan.db"), "select host, count(*) from occurrences group by host order by host")
        #expect(hosts == "web-1|2\nweb-2|3\n")
        let fallback = try tool.run(["scan", "logs", "--host-from-path", "1", "--host", "collector"])
        #expect(fallback.status == 0)
        #expect(try Self.count(tool, "acrscan.db", "select count(*) from occurrences where host = 'collector'") == 1)
        #expect(try tool.run(["scan", "logs", "--host-from-path", "0"]).status == 2)
    }

    @Test("--reclassify re-reads what an older matcher read and replaces it; files that are gone keep theirs")
    func reclassify() throws {
        let tool = try Tool()
        _ = try tool.sql(tool.path("probe.db"), "select 1")
        let a = try tool.write("a.log", Self.log(0..<100))
        let gone = try tool.write("gone.log", Self.log(0..<50, registry: "gone"))
        try tool.run(["scan", a, gone, "--host", "h"])
        // What an older matcher might have left: a false positive, a missed failure, an old version.
        _ = try tool.sql(
            tool.path("acrscan.db"),
            """
            update files set matcher_version = 0; update failures set matcher_version = 0;
            insert or ignore into labels (name) values ('access-denied'), ('plain');
            insert into excerpts (hash, text) values (0, 'old');
            insert into failures (file_id, offset, scan_id, source_id, registry_id, type_id, producer_id, line, excerpt_id, matcher_version)
              select f.id, 5, 1, (select o.source_id from failures o where o.file_id = f.id limit 1), (select id from registries limit 1),
                     (select id from labels where name = 'access-denied'), (select id from labels where name = 'plain'), 1,
                     (select id from excerpts where text = 'old'), 0
              from files f where path like '%a.log';
            delete from failures where (file_id, offset) = (select file_id, max(offset) from occurrences where source like '%a.log');
            """)
        #expect(
            try Self.count(tool, "acrscan.db", "select count(*) from occurrences where type = 'access-denied'") == 1)
        #expect(try Self.count(tool, "acrscan.db", "select count(*) from occurrences where source like '%a.log'") == 10)
        try FileManager.default.removeItem(atPath: gone)
        #expect(try Self.scan(tool, [a])["bytes"] as? Int == 0)  // a plain sweep only reads new bytes

        let result = try Self.scan(tool, [a, "--reclassify"])
        #expect(result["reclassified"] as? Int == 1)
        #expect(try Self.count(tool, "acrscan.db", "select count(*) from occurrences where source like '%a.log'") == 10)
        #expect(
            try Self.count(tool, "acrscan.db", "select count(*) from occurrences where type = 'access-denied'") == 0)
        #expect(
            try Self.count(tool, "acrscan.db", "select count(*) from occurrences where source like '%gone.log'") == 5)
        #expect(
            try Self.count(tool, "acrscan.db", "select min(matcher_version) from files where path like '%a.log'") ?? 0
                >= 1)
        let again = try Self.scan(tool, [a, "--reclassify"])
        #expect(again["reclassified"] as? Int == 0)
        #expect(again["new"] as? Int == 0)
    }
}
