import Foundation
import Testing

/// The report and timeline options of issue 13, through the built tool.
@Suite struct ReportOptionsTests {
    @Test("--by repeated and as a comma list are the same; --sort and --tz are checked")
    func listOptionsAndValidation() throws {
        let tool = try GoldenTests.scannedSamples()
        let repeated = try tool.run(["report", "--by", "day", "--by", "registry", "--format", "csv"])
        let listed = try tool.run(["report", "--by", "day,registry", "--format", "csv"])
        #expect(repeated.status == 0 && repeated.stdout == listed.stdout)
        let sorted = try tool.run(["report", "--sort", "registry", "--format", "json"])
        #expect(try Tool.json(sorted.stdout)["sort"] as? String == "registry")
        let badSort = try tool.run(["report", "--sort", "size"])
        #expect(badSort.status == 2)
        let badZone = try tool.run(["timeline", "--tz", "Europe/Nowhere"])
        #expect(badZone.status == 2)
        #expect(badZone.stderr.contains("--tz Europe/Nowhere: not a time zone"))
        let badKey = try tool.run(["report", "--by", "day,colour"])
        #expect(badKey.status == 2)
        #expect(badKey.stderr.contains("client_ip"))
    }

    @Test("HTML pages name their version and hosts, and link only to absolute URLs")
    func htmlProvenance() throws {
        let tool = try GoldenTests.scannedSamples()
        for command in ["report", "timeline"] {
            let html = try tool.run([command, "--format", "html"], environment: GoldenTests.environment)
            #expect(
                html.stdout.contains(
                    "Generated 2026-11-29T00:00:00Z by acrscan 0.1.0 from 7 log files on 1 host: build-07."))
            #expect(!html.stdout.contains("href=\"docs/"))
        }
    }
}
