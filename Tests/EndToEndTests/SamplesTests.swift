import Foundation
import Testing

/// The README's promise: the bundled samples scan into the documented counts.
@Suite struct SamplesTests {
    /// Expected counts per (registry, type), from the hand-labelled samples file.
    static func expectedCounts() throws -> [String: Int] {
        let text = try String(
            contentsOf: Tool.root.appendingPathComponent("Tests/EndToEndTests/samples.expected.tsv"), encoding: .utf8)
        var counts: [String: Int] = [:]
        for row in text.split(separator: "\n").dropFirst() where !row.hasPrefix("#") {
            let f = row.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count >= 7 else { continue }
            counts["\(f[4] == "-" ? "null" : String(f[4]))/\(f[3])", default: 0] += 1
        }
        return counts
    }

    @Test("scan samples/ then report --format json: the groups are the expected counts")
    func samplesReport() throws {
        let tool = try Tool()
        let samples = Tool.root.appendingPathComponent("samples").path
        let scan = try tool.run(["scan", samples, "--host", "ci"])
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stdout.contains("new occurrences"))
        #expect(FileManager.default.fileExists(atPath: tool.path("acrscan.db")))

        let report = try tool.run(["report", "--format", "json"])
        #expect(report.status == 0, "\(report.stderr)")
        let object = try Tool.json(report.stdout)
        #expect(object["schema"] as? String == "acrscan.report/v3")
        let groups = try #require(object["groups"] as? [[String: Any]])
        var actual: [String: Int] = [:]
        for group in groups {
            let registry = (group["registry"] as? String) ?? "null"
            actual["\(registry)/\(group["type"] as? String ?? "?")"] = group["count"] as? Int
        }
        let expected = try Self.expectedCounts()
        #expect(actual == expected)
        #expect(object["total"] as? Int == expected.values.reduce(0, +))
    }

    @Test("a second scan of the same tree adds nothing")
    func idempotent() throws {
        let tool = try Tool()
        let samples = Tool.root.appendingPathComponent("samples").path
        let first = try tool.run(["scan", samples, "--host", "ci", "--json"])
        let second = try tool.run(["scan", samples, "--host", "ci", "--json"])
        let full = try tool.run(["scan", samples, "--host", "ci", "--json", "--full"])
        let a = try Tool.json(first.stdout)
        let b = try Tool.json(second.stdout)
        let c = try Tool.json(full.stdout)
        #expect((a["new"] as? Int ?? 0) > 0)
        #expect(b["new"] as? Int == 0)
        #expect(b["bytes"] as? Int == 0)
        #expect(c["new"] as? Int == 0)
        #expect(c["found"] as? Int == a["found"] as? Int)
    }

    @Test("the documented view answers the README's query")
    func view() throws {
        let tool = try Tool()
        try tool.run(["scan", Tool.root.appendingPathComponent("samples").path])
        let rows = try tool.sql(
            tool.path("acrscan.db"), "select registry, type, count(*) from occurrences group by 1, 2")
        let total = rows.split(separator: "\n").compactMap { $0.split(separator: "|").last.flatMap { Int($0) } }.reduce(
            0, +)
        #expect(total == (try Self.expectedCounts()).values.reduce(0, +))
        let columns = try tool.sql(
            tool.path("acrscan.db"),
            "select id, ts, registry, login_server, type, status, host, source, line, line_end, producer, attempts, excerpt from occurrences limit 1"
        )
        #expect(!columns.isEmpty)
    }
}
