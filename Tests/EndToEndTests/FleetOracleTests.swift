import Foundation
import Testing

/// The independent synthetic-fleet check (scripts/fleet-oracle.py, docs/accuracy.md "Synthetic
/// fleet check") through the built binary: the oracle's generator writes a fleet of six hosts with
/// a fixed seed (every producer of SPEC §2, all eight types, echoes, retries, blocks, masked names
/// and look-alikes) and its ground truth, written from SPEC §3 and FIELD-NOTES, not from the rules;
/// `acrscan scan` then `export --format ndjson` must find exactly the failures of the truth, per
/// registry and type, with their attempts, on every host.
@Suite struct FleetOracleTests {
    static let script = Tool.root.appendingPathComponent("scripts/fleet-oracle.py").path

    /// Runs `python3 ARGS` (`Tool.python3`).
    static func python(_ arguments: [String]) throws -> Tool.Result { try Tool.python3(arguments) }

    struct Group: Hashable, CustomStringConvertible {
        let host: String, registry: String?, type: String
        var description: String { "\(host) \(registry ?? "NULL") \(type)" }
    }

    @Test("a synthetic fleet (seed 11) scans to exactly its ground truth per host, registry and type")
    func fleetMatchesTruth() throws {
        let tool = try Tool()
        defer { try? FileManager.default.removeItem(at: tool.directory) }
        let gen = try Self.python([Self.script, "gen", "--seed", "11", "--out", tool.path("out")])
        try #require(gen.status == 0, "fleet-oracle.py gen: \(gen.stderr)")
        let truthData = try Data(contentsOf: URL(fileURLWithPath: tool.path("out/truth.json")))
        let truth = try #require(try JSONSerialization.jsonObject(with: truthData) as? [String: Any])
        let groups = try #require(truth["groups"] as? [[String: Any]])
        var expected: [Group: (count: Int, attempts: Int)] = [:]
        for g in groups {
            let key = Group(
                host: try #require(g["host"] as? String), registry: g["registry"] as? String,
                type: try #require(g["type"] as? String))
            expected[key] = (try #require(g["count"] as? Int), try #require(g["attempts"] as? Int))
        }
        // The fleet holds every type, named and masked registries, and aggregated attempts.
        #expect(Set(expected.keys.map(\.type)).count == 8)
        #expect(expected.keys.contains { $0.registry == nil })
        #expect(expected.values.contains { $0.attempts > $0.count })

        let scan = try tool.run([
            "scan", "--db", tool.path("fleet.db"), "--host-from-path", "1", "--progress", "never", "-q",
            tool.path("out/fleet"),
        ])
        #expect(scan.status == 0, "scan: \(scan.stderr)")
        let export = try tool.run(["export", "--db", tool.path("fleet.db"), "--format", "ndjson"])
        #expect(export.status == 0, "export: \(export.stderr)")
        var found: [Group: (count: Int, attempts: Int)] = [:]
        for line in export.stdout.split(separator: "\n") {
            let row = try Tool.json(String(line))
            let key = Group(
                host: try #require(row["host"] as? String), registry: row["registry"] as? String,
                type: try #require(row["type"] as? String))
            let attempts = try #require(row["attempts"] as? Int)
            found[key, default: (0, 0)].count += 1
            found[key, default: (0, 0)].attempts += attempts
        }
        for key in Set(expected.keys).union(found.keys).sorted(by: { $0.description < $1.description }) {
            let e = expected[key] ?? (0, 0)
            let f = found[key] ?? (0, 0)
            #expect(f.count == e.count, "\(key): count")
            #expect(f.attempts == e.attempts, "\(key): attempts")
        }
        let total = expected.values.reduce(0) { $0 + $1.count }
        #expect(found.values.reduce(0) { $0 + $1.count } == total)
        #expect(total > 300)
    }
}
