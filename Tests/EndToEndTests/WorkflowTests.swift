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
        let count = try #require(try tool.sql(copies + "/web-1.db", "select count(*) from occurrences"),
                                 "the sqlite3 shell is needed (.ci/run installs it)")
        #expect(count.trimmingCharacters(in: .whitespacesAndNewlines) == "20")

        let merge = try tool.run(["merge", copies + "/web-1.db", "--into", "fleet.db"])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(merge.stdout.contains("20 new occurrences of 20"))
        try FileManager.default.copyItem(atPath: tool.path("fleet.db"), toPath: copies + "/fleet.db")
        #expect(try tool.sql(copies + "/fleet.db", "select count(*) from occurrences")?
            .trimmingCharacters(in: .whitespacesAndNewlines) == "20")
        // Nothing is left beside the databases once the commands have ended.
        for name in ["acrscan.db-wal", "fleet.db-wal"] {
            let size = FileManager.default.fileExists(atPath: tool.path(name)) ? try StoreEndToEndTests.size(tool.path(name)) : 0
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
        let input = Pipe(), output = Pipe()
        reader.standardInput = input
        reader.standardOutput = output
        try reader.run()
        input.fileHandleForWriting.write(Data("BEGIN; select count(*) from occurrences;\n".utf8))
        let scan = try tool.run(["scan", log, "--host", "ci"])
        #expect(scan.status == 0, "\(scan.stderr)")
        input.fileHandleForWriting.write(Data("COMMIT; select count(*) from occurrences;\n".utf8))
        try input.fileHandleForWriting.close()
        let lines = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        reader.waitUntilExit()
        #expect(lines == ["20", "\(20 + StoreEndToEndTests.failures(0..<50))"])
        #expect(try tool.sql(tool.path("acrscan.db"), "pragma integrity_check")?.hasPrefix("ok") == true)
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
        let timeline = try tool.run(["timeline", "--format", "json", "--registry", "contosoprod", "--registry", "fabrikamci"])
        #expect(timeline.status == 0, "\(timeline.stderr)")
    }

    @Test("a filter value that can match nothing is a usage error (exit 2)", arguments: [
        ["--registry", "docker.io"], ["--registry", "myacr,,other1"], ["--registry", "ab"], ["--type", "unauthorised"],
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
