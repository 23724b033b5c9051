import Foundation
import Testing

/// Issue 12, "Defects found": the seams of the nightly sweep and the fleet roll-up, over the built
/// binary as a user runs it.
@Suite struct WorkflowDefectTests {
    static let samples = Tool.root.appendingPathComponent("samples").path

    /// A tool with the samples scanned as host `ci` (20 occurrences).
    static func scanned() throws -> Tool {
        let tool = try Tool()
        let scan = try tool.run(["scan", samples, "--host", "ci"])
        #expect(scan.status == 0, "\(scan.stderr)")
        return tool
    }

    /// The `total` of `report --format json ARGS`, after checking it succeeded.
    static func total(_ tool: Tool, _ arguments: [String]) throws -> Int? {
        let report = try tool.run(["report", "--format", "json"] + arguments)
        #expect(report.status == 0, "\(arguments): \(report.stderr)")
        return try Tool.json(report.stdout)["total"] as? Int
    }

    @Test("after scan and merge the database file alone is whole: copied without -wal, it merges and answers sqlite3")
    func wholeMainFile() throws {
        let tool = try Self.scanned()
        let copies = tool.path("copied")
        try FileManager.default.createDirectory(atPath: copies, withIntermediateDirectories: true)
        // What `scp host:acrscan.db .` brings: the main file only.
        try FileManager.default.copyItem(atPath: tool.path("acrscan.db"), toPath: copies + "/web-1.db")
        let count = try tool.sql(copies + "/web-1.db", "select count(*) from occurrences")
        #expect(count.trimmingCharacters(in: .whitespacesAndNewlines) == "20")

        let merge = try tool.run(["merge", copies + "/web-1.db", "--into", "fleet.db"])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stdout.contains("20 new occurrences of 20"))
        try FileManager.default.copyItem(atPath: tool.path("fleet.db"), toPath: copies + "/fleet.db")
        #expect(
            try tool.sql(copies + "/fleet.db", "select count(*) from occurrences")
                .trimmingCharacters(in: .whitespacesAndNewlines) == "20")
        // Nothing is left beside the databases once the commands have ended.
        for name in ["acrscan.db-wal", "fleet.db-wal"] {
            let size =
                FileManager.default.fileExists(atPath: tool.path(name))
                ? try StoreEndToEndTests.size(tool.path(name)) : 0
            #expect(size == 0, "\(name) holds \(size) bytes")
        }
    }

    @Test("while another process reads the database, scan still ends cleanly and the reader sees everything")
    func wholeWhileRead() throws {
        let tool = try Self.scanned()
        let log = try tool.write("more.log", StoreEndToEndTests.log(0..<50))
        // A reader holding the database open (and a read transaction) across the whole scan.
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else {
            Issue.record("the sqlite3 shell is needed (.ci/run installs it)")
            return
        }
        reader.arguments = [tool.path("acrscan.db")]
        let input = Pipe()
        let output = Pipe()
        reader.standardInput = input
        reader.standardOutput = output
        try reader.run()
        input.fileHandleForWriting.write(Data("BEGIN; select count(*) from occurrences;\n".utf8))
        let scan = try tool.run(["scan", log, "--host", "ci"])
        #expect(scan.status == 0, "\(scan.stderr)")
        input.fileHandleForWriting.write(Data("COMMIT; select count(*) from occurrences;\n".utf8))
        try input.fileHandleForWriting.close()
        let lines = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(
            separator: "\n")
        reader.waitUntilExit()
        #expect(lines == ["20", "\(20 + StoreEndToEndTests.failures(0..<50))"])
        #expect(try tool.sql(tool.path("acrscan.db"), "pragma integrity_check").hasPrefix("ok") == true)
    }

    @Test("report --format csv ends with one CRLF, no empty last record", arguments: [false, true])
    func csvEnding(toFile: Bool) throws {
        let tool = try Self.scanned()
        let result = try tool.run(["report", "--format", "csv"] + (toFile ? ["--output", "r.csv"] : []))
        #expect(result.status == 0, "\(result.stderr)")
        let bytes = toFile ? try Data(contentsOf: URL(fileURLWithPath: tool.path("r.csv"))) : Data(result.stdout.utf8)
        #expect(bytes.suffix(2) == Data("\r\n".utf8))
        #expect(bytes.suffix(3) != Data("\r\n\n".utf8))
        #expect(!String(decoding: bytes, as: UTF8.self).contains("\n\n"))
    }

    @Test("--registry takes comma lists, repetition and login servers; --type and --host the same lists")
    func filterLists() throws {
        let tool = try Self.scanned()
        let prod = try #require(try Self.total(tool, ["--registry", "contosoprod"]))
        let ci = try #require(try Self.total(tool, ["--registry", "fabrikamci"]))
        #expect(prod == 10 && ci == 8)
        let both = prod + ci
        #expect(try Self.total(tool, ["--registry", "contosoprod,fabrikamci"]) == both)
        #expect(try Self.total(tool, ["--registry", "contosoprod", "--registry", "fabrikamci"]) == both)
        #expect(try Self.total(tool, ["--registry", "ContosoProd.azurecr.io"]) == prod)
        #expect(try Self.total(tool, ["--registry", "https://contosoprod.azurecr.io/v2/"]) == prod)
        let withUnknown = ci + 1
        #expect(try Self.total(tool, ["--registry", "unknown, fabrikamci"]) == withUnknown)

        let unauthorized = try #require(try Self.total(tool, ["--type", "unauthorized"]))
        let denied = try #require(try Self.total(tool, ["--type", "access-denied"]))
        let sum = unauthorized + denied
        #expect(try Self.total(tool, ["--type", "unauthorized,access-denied"]) == sum)
        #expect(try Self.total(tool, ["--type", "unauthorized", "--type", "access-denied"]) == sum)

        let other = try tool.write("other.log", StoreEndToEndTests.log(0..<30))
        #expect(try tool.run(["scan", other, "--host", "web-2"]).status == 0)
        let hosts = 20 + StoreEndToEndTests.failures(0..<30)
        #expect(try Self.total(tool, ["--host", "ci,web-2"]) == hosts)
        #expect(try Self.total(tool, ["--host", "ci", "--host", "web-2"]) == hosts)

        // The same filters select the same rows in export and timeline.
        let export = try tool.run(["export", "--registry", "contosoprod,fabrikamci"])
        #expect(export.stdout.split(separator: "\n").count == both)
        let timeline = try tool.run([
            "timeline", "--format", "json", "--registry", "contosoprod", "--registry", "fabrikamci",
        ])
        #expect(timeline.status == 0, "\(timeline.stderr)")
    }

    @Test(
        "a filter value that can match nothing is a usage error (exit 2)",
        arguments: [
            ["--registry", "docker.io"], ["--registry", "myacr,,other1"], ["--registry", "ab"],
            ["--type", "unauthorised"],
            ["--type", "unauthorized,bogus"], ["--host", ""], ["--since", "2026-12-01", "--until", "2026-11-01"],
            ["--since", "1d", "--until", "2d"],
        ])
    func filterUsage(arguments: [String]) throws {
        let tool = try Self.scanned()
        for command in ["report", "export", "timeline"] {
            let result = try tool.run([command] + arguments)
            #expect(result.status == 2, "\(command) \(arguments): \(result.status) \(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(!result.stderr.isEmpty)
        }
    }
}

/// Issue 12, "What a nightly sweep needs": quiet runs, the stream of new occurrences, the version,
/// retention.
@Suite struct NightlySweepTests {
    static let samples = WorkflowDefectTests.samples

    @Test("acrscan --version names the release, the matcher version and the schema version")
    func version() throws {
        let tool = try Tool()
        let result = try tool.run(["--version"])
        #expect(result.status == 0)
        let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(
            text.range(of: #"^acrscan \d+\.\d+\.\d+ \(matcher \d+, schema \d+\)$"#, options: .regularExpression) != nil,
            "\(text)")
        // The matcher version is the one the store records for what it reads.
        try tool.run(["scan", Self.samples, "--host", "ci"])
        let stored = try tool.sql(tool.path("acrscan.db"), "select max(matcher_version) from occurrences")
        #expect(text.contains("(matcher \(stored.trimmingCharacters(in: .whitespacesAndNewlines)),"))
    }

    @Test("scan -q prints nothing on success and still names an unreadable input on standard error")
    func quiet() throws {
        let tool = try Tool()
        let ok = try tool.run(["scan", "-q", Self.samples, "--host", "ci"])
        #expect(ok.status == 0)
        #expect(ok.stdout.isEmpty && ok.stderr.isEmpty)
        let missing = try tool.run(["scan", "--quiet", tool.path("nope.log"), "--host", "ci"])
        #expect(missing.status == 1)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.contains("nope.log"))
        #expect(try tool.run(["scan", "-q", "--json", Self.samples]).status == 2)
    }

    @Test("scan --emit ndjson streams exactly the occurrences this scan stored, with the export's fields")
    func emit() throws {
        let tool = try Tool()
        let log = try tool.write("docker.log", StoreEndToEndTests.log(0..<100))
        let first = try tool.run(["scan", "--emit", "ndjson", log, "--host", "web-1"])
        #expect(first.status == 0, "\(first.stderr)")
        let rows = try first.stdout.split(separator: "\n").map { try Tool.json(String($0)) }
        #expect(rows.count == StoreEndToEndTests.failures(0..<100))
        #expect(first.stderr.contains("\(rows.count) new occurrences"))  // the summary, on standard error
        // The same objects as the export: same keys, same values.
        let export = try tool.run(["export"])
        #expect(first.stdout == export.stdout)

        // Only what is new: an appended tail streams its own failures, a re-run streams nothing.
        try StoreEndToEndTests.append(StoreEndToEndTests.log(100..<130), to: log)
        let second = try tool.run(["scan", "--emit", "ndjson", "-q", log, "--host", "web-1"])
        #expect(second.status == 0)
        #expect(second.stderr.isEmpty)
        let offsets = try second.stdout.split(separator: "\n").map { try Tool.json(String($0))["line"] as? Int ?? 0 }
        #expect(offsets.count == StoreEndToEndTests.failures(100..<130))
        #expect(offsets.allSatisfy { $0 > 100 })
        let third = try tool.run(["scan", "--emit", "ndjson", log, "--host", "web-1"])
        #expect(third.stdout.isEmpty)
        #expect(third.stderr.contains("0 new occurrences"))

        // The nightly rotation: docker.log → docker.log.1, compressed; a new docker.log. The sweep of
        // the directory streams only the new file's failures.
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        gzip.arguments = [log + ".1"]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0, "gzip is needed (.ci/run installs it)")
        try tool.write("docker.log", StoreEndToEndTests.log(0..<40, every: 4, seconds: 86_400))
        let rotated = try tool.run(["scan", "--emit", "ndjson", "-q", tool.directory.path, "--host", "web-1"])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let fresh = try rotated.stdout.split(separator: "\n").map { try Tool.json(String($0)) }
        #expect(fresh.count == StoreEndToEndTests.failures(0..<40, every: 4))
        #expect(fresh.allSatisfy { ($0["source"] as? String)?.hasSuffix("/docker.log") == true })
    }

    @Test("prune --older-than removes old occurrences and gives the space back; later sweeps do not re-add them")
    func pruneByAge() throws {
        let tool = try Tool()
        // Every line a failure, one per minute from 2026-11-01: the first days are "old" by a fixed date.
        let log = try tool.write("docker.log", StoreEndToEndTests.log(0..<6000, every: 1, seconds: 0))
        #expect(try tool.run(["scan", log, "--host", "web-1", "-q"]).status == 0)
        let before = try StoreEndToEndTests.size(tool.path("acrscan.db"))
        let all = try #require(try WorkflowDefectTests.total(tool, []))
        #expect(all == 6000)
        let cut = "2026-11-01T01:00:00Z"  // the first 3600 lines are older
        let dry = try tool.run(["prune", "--older-than", cut, "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("would remove 3600 occurrences"))
        #expect(try WorkflowDefectTests.total(tool, []) == 6000)
        let prune = try tool.run(["prune", "--older-than", cut])
        #expect(prune.status == 0, "\(prune.stderr)")
        #expect(prune.stdout.contains("removed 3600 occurrences, 0 file records"))
        #expect(try WorkflowDefectTests.total(tool, []) == 2400)
        #expect(try WorkflowDefectTests.total(tool, ["--until", cut]) == 0)
        let after = try StoreEndToEndTests.size(tool.path("acrscan.db"))
        #expect(after < before * 2 / 3, "\(before) → \(after) bytes")
        // The file record is kept: the next sweep does not read the old lines again.
        let again = try tool.run(["scan", log, "--host", "web-1", "--json"])
        #expect(try Tool.json(again.stdout)["new"] as? Int == 0)
        #expect(try WorkflowDefectTests.total(tool, []) == 2400)
    }

    @Test("prune --host and --source forget those logs; --missing drops the records of gone files no occurrence needs")
    func pruneHostSourceMissing() throws {
        let tool = try Tool()
        let failing = try tool.write("logs/docker.log", StoreEndToEndTests.log(0..<50))
        let quiet = try tool.write("logs/app.log", StoreEndToEndTests.log(1..<10, every: 1000))
        let other = try tool.write("other/docker.log", StoreEndToEndTests.log(0..<50, registry: "fabri"))
        #expect(try tool.run(["scan", "-q", failing, quiet, other, "--host", "web-1"]).status == 0)
        #expect(try tool.run(["scan", "-q", Self.samples, "--host", "web-2"]).status == 0)
        let perFile = StoreEndToEndTests.failures(0..<50)
        #expect(try WorkflowDefectTests.total(tool, []) == 2 * perFile + 20)

        // A whole host goes: its occurrences and its file records.
        let host = try tool.run(["prune", "--host", "web-2"])
        #expect(host.stdout.contains("removed 20 occurrences, 7 file records"), "\(host.stdout)")
        #expect(try WorkflowDefectTests.total(tool, ["--host", "web-2"]) == 0)

        // One source by glob.
        let source = try tool.run(["prune", "--source", tool.path("other") + "/*"])
        #expect(source.stdout.contains("removed \(perFile) occurrences, 1 file record"), "\(source.stdout)")
        #expect(try WorkflowDefectTests.total(tool, []) == perFile)

        // Gone files: the one without occurrences loses its record, the one with occurrences keeps it.
        try FileManager.default.removeItem(atPath: quiet)
        try FileManager.default.removeItem(atPath: failing)
        let missing = try tool.run(["prune", "--missing", "--host", "web-1"])
        #expect(missing.status == 0)
        #expect(missing.stdout.contains("removed 0 occurrences, 1 file record"), "\(missing.stdout)")
        #expect(missing.stdout.contains("kept 1 record"))
        #expect(try tool.sql(tool.path("acrscan.db"), "select count(*) from files").hasPrefix("1") == true)
        #expect(try WorkflowDefectTests.total(tool, []) == perFile)
        #expect(try tool.run(["prune"]).status == 2)
    }
}
