import Foundation
import Testing

/// The sweep workflow check (scripts/sweep-oracle.py, docs/counting-rules.md "Sweep workflow check"):
/// nightly sweeps of evolving log trees, written from SPEC and FIELD-NOTES, through the built binary;
/// and the sweep defects it found, each as a test of its own.
@Suite struct SweepWorkflowTests {
    static let script = Tool.root.appendingPathComponent("scripts/sweep-oracle.py").path

    /// Runs `python3 ARGS` (`Tool.python3`).
    static func python(_ arguments: [String]) throws -> Tool.Result { try Tool.python3(arguments) }

    static func stored(_ tool: Tool, db: String) throws -> [[String: Any]] {
        let export = try tool.run(["export", "--db", db, "--format", "ndjson"])
        #expect(export.status == 0, "export: \(export.stderr)")
        return try export.stdout.split(separator: "\n").map { try Tool.json(String($0)) }
    }

    @Test("four nights of a three-host fleet (seed 7) agree with the truth after every night, in every variant")
    func sweepOracle() throws {
        let tool = try Tool()
        defer { try? FileManager.default.removeItem(at: tool.directory) }
        let result = try Self.python([
            Self.script, "--seed", "7", "--bin", Tool.binary.path, "--work", tool.path("work"), "--json",
        ])
        #expect(result.status == 0, "sweep-oracle.py:\n\(result.stdout)\n\(result.stderr)")
        let last = try #require(result.stdout.split(separator: "\n").last, "no output: \(result.stderr)")
        let summary = try Tool.json(String(last))
        let nights = try #require(summary["nights"] as? [[String: Any]])
        // The truth after each night (pins the generator): failures grow, nothing is counted twice.
        #expect(nights.map { $0["truth_occurrences"] as? Int } == [46, 115, 184, 236])
        for night in nights {
            #expect(night["differences"] as? Int == 0, "night \(night["night"] ?? "?"): \(result.stdout)")
            #expect(night["acrscan_occurrences"] as? Int == night["truth_occurrences"] as? Int)
            #expect(night["groups_exact"] as? Int == night["groups"] as? Int)
        }
    }

    /// A second path to a directory walked elsewhere (`jobs-current -> jobs`) reads nothing new and
    /// is no input problem: status 0, no warning, each failure once. A link back to an ancestor is
    /// still named (HardeningTests.symlinkLoop).
    @Test("a symlink to a directory walked elsewhere: counted once, no warning, status 0")
    func directoryLinkIsNoProblem() throws {
        let tool = try Tool()
        defer { try? FileManager.default.removeItem(at: tool.directory) }
        try tool.write(
            "logs/jobs/job-1.log",
            "+ docker login contosoprod.azurecr.io\n"
                + "Error response from daemon: Get \"https://contosoprod.azurecr.io/v2/\": unauthorized: "
                + "authentication required\n")
        try FileManager.default.createSymbolicLink(atPath: tool.path("logs/current"), withDestinationPath: "jobs")
        for night in 1...2 {
            let scan = try tool.run(["scan", "-q", "--db", tool.path("a.db"), tool.path("logs")])
            #expect(scan.status == 0, "night \(night): \(scan.stderr)")
            #expect(scan.stderr.isEmpty, "night \(night): \(scan.stderr)")
        }
        #expect(try Self.stored(tool, db: tool.path("a.db")).count == 1)
    }

    /// Job logs that open with the same long preamble and end with the same failure line at the same
    /// offset, one per night: each is its own content (its time differs), not a copy of the other.
    /// A true copy (`cp`) of one still adds nothing.
    @Test("job logs behind one preamble, the failure last: each night's counts; a cp copy adds nothing")
    func sharedPreambleJobs() throws {
        let tool = try Tool()
        defer { try? FileManager.default.removeItem(at: tool.directory) }
        let preamble = (0..<60).map { "[Pipeline] stage (\($0)) checkout, lint and unit tests of the nightly image\n" }
            .joined()
        func job(_ day: Int, tag: String, fraction: String = ".123") -> String {
            "Started by timer\n" + preamble
                + "[2026-12-\(day)T03:14:15.123Z] + docker push contosoprod.azurecr.io/n:\(tag)\n"
                + "[2026-12-\(day)T03:14:16.123Z] The push refers to repository [contosoprod.azurecr.io/n]\n"
                + "[2026-12-\(day)T03:14:17\(fraction)Z] unauthorized: authentication required\n"
        }
        let db = tool.path("j.db")
        // Night 1: job 1. Night 2: job 2, a byte shorter before its failure. Night 3: job 3, its
        // failure at job 1's offset, its last line shorter (no fraction).
        let jobs = [job(28, tag: "10"), job(29, tag: "1"), job(30, tag: "10", fraction: "")]
        for (i, text) in jobs.enumerated() {
            try tool.write("logs/job-\(i + 1).log", text)
            let scan = try tool.run(["scan", "-q", "--db", db, tool.path("logs")])
            #expect(scan.status == 0, "\(scan.stderr)")
            #expect(try Self.stored(tool, db: db).count == i + 1, "night \(i + 1)")
        }
        let rows = try Self.stored(tool, db: db)
        #expect(
            Set(rows.compactMap { $0["ts"] as? String }) == [
                "2026-12-28T03:14:17.123Z", "2026-12-29T03:14:17.123Z", "2026-12-30T03:14:17.000Z",
            ])
        // A copy of scanned content, and a copy still being written (cut inside its last line), add nothing.
        try FileManager.default.copyItem(atPath: tool.path("logs/job-1.log"), toPath: tool.path("logs/job-1.bak"))
        try tool.write("logs/job-2.part", String(jobs[1].prefix(jobs[1].count - 10)))
        #expect(try tool.run(["scan", "-q", "--db", db, tool.path("logs")]).status == 0)
        #expect(try Self.stored(tool, db: db).count == 3)
    }
}
