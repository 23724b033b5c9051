import Foundation
import Testing

/// `scan`'s common argument forms are parsed without ArgumentParser (`ScanCommand.quickParse`); the
/// same options written as `--name=value`, which only ArgumentParser takes, must scan the same.
@Suite struct QuickParseTests {
    /// Standard error without the summary's times (`in 0.01 s (… MB/s)`).
    static func timeless(_ text: String) -> String {
        text.split(separator: "\n").map { line in
            guard let at = line.range(of: " lines in ") else { return String(line) }
            return String(line[..<at.lowerBound]) + String(line[(line.range(of: "):")?.upperBound ?? line.endIndex)...])
        }.joined(separator: "\n")
    }

    @Test("every scan option, parsed quickly and by ArgumentParser, gives the same output and status")
    func sameScan() throws {
        let tool = try Tool()
        let failure =
            "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required\n"
        try tool.write("logs/h1/a.log", failure)
        try tool.write("logs/h1/skip.log", failure)
        try tool.write("logs/h2/deep/deeper/b.log", failure)
        try tool.write("logs/h2/c.log", "az acr login -n other\n" + failure)
        let options = [
            ("--host", "fallback"), ("--host-from-path", "1"), ("--jobs", "1"), ("--exclude", "skip*"),
            ("--exclude", "nothing*"), ("--include", "*"), ("--max-depth", "2"), ("--emit", "ndjson"),
            ("--progress", "never"), ("--assume-tz", "+02:00"), ("--batch-size", "1"), ("--fail-on", "any"),
        ]
        let flags = ["--full", "--reclassify", "--verify"]
        let quick = try tool.run(
            ["scan", "--db", tool.path("quick.db")] + flags + options.flatMap { [$0.0, $0.1] } + [tool.path("logs")])
        let parsed = try tool.run(
            ["scan", "--db=\(tool.path("parsed.db"))"] + flags + options.map { "\($0.0)=\($0.1)" } + [tool.path("logs")]
        )
        #expect(quick.status == 4)
        #expect(quick.status == parsed.status)
        #expect(quick.stdout.split(separator: "\n").count == 2)
        #expect(quick.stdout == parsed.stdout)
        #expect(Self.timeless(quick.stderr) == Self.timeless(parsed.stderr))
    }

    @Test("-q, --json and --report, parsed quickly and by ArgumentParser, print the same")
    func sameSummary() throws {
        let tool = try Tool()
        let log = try tool.write(
            "a.log",
            "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required\n")
        for (quickFlags, parsedFlags) in [
            (["-q"], ["--quiet"]), (["--json"], ["--json"]), (["--report"], ["--report"]),
        ] {
            let quick = try tool.run(["scan", "--db", tool.path("q\(quickFlags[0]).db")] + quickFlags + [log])
            let parsed = try tool.run(["scan", "--db=\(tool.path("p\(quickFlags[0]).db"))"] + parsedFlags + [log])
            #expect(quick.status == 0)
            #expect(quick.status == parsed.status)
            #expect(Self.timeless(quick.stderr) == Self.timeless(parsed.stderr))
            if quickFlags == ["--json"] {
                let a = try Tool.json(quick.stdout)
                let b = try Tool.json(parsed.stdout)
                #expect(a["new"] as? Int == 1)
                #expect(a["new"] as? Int == b["new"] as? Int)
                #expect(a["files"] as? Int == b["files"] as? Int)
            } else {
                #expect(Self.timeless(quick.stdout) == Self.timeless(parsed.stdout))
            }
        }
    }

    @Test("forms the quick parse leaves to ArgumentParser still fail as before")
    func usageErrors() throws {
        let tool = try Tool()
        for arguments in [
            ["scan", "--jobs", "0", "x"], ["scan", "--jobs", "abc", "x"], ["scan", "-q", "--json", "x"],
            ["scan", "--emit", "bogus", "x"], ["scan", "--fail-on", "bogus", "x"],
            ["scan", "--jobs", "1", "--jobs", "2"],
            ["scan", "--host", "", "x"], ["scan", "--bogus", "x"], ["scan", "--db"],
        ] {
            let result = try tool.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("Usage: acrscan scan"), "\(arguments)")
        }
    }
}
