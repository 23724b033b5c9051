import Foundation
import Testing

/// Golden outputs of every report and timeline format over the bundled samples, produced by the
/// built binary. Regenerate after a deliberate change with
/// `ACRSCAN_UPDATE_GOLDEN=1 swift test --filter GoldenTests` and review the diff.
@Suite struct GoldenTests {
    static let directory = Tool.root.appendingPathComponent("Tests/EndToEndTests/Golden")

    static let cases: [(name: String, arguments: [String])] = [
        ("report.txt", ["report", "--ascii"]),
        ("report.json", ["report", "--format", "json"]),
        ("report.csv", ["report", "--format", "csv"]),
        ("report.md", ["report", "--format", "markdown"]),
        ("report.html", ["report", "--format", "html"]),
        ("report-by-host-day.csv", ["report", "--by", "host,type,day", "--format", "csv"]),
        ("timeline.txt", ["timeline", "--ascii"]),
        ("timeline.json", ["timeline", "--format", "json"]),
        ("timeline.md", ["timeline", "--format", "markdown"]),
        ("timeline.csv", ["timeline", "--format", "csv"]),
        ("timeline.html", ["timeline", "--format", "html"]),
        ("timeline-limit-paris.txt", ["timeline", "--ascii", "--limit", "5", "--tz", "Europe/Paris"]),
        ("report-by-day-registry.txt", ["report", "--ascii", "--by", "day", "--by", "registry,type"]),
        (
            "report-by-identity-client-ip.csv",
            ["report", "--by", "registry,identity,client_ip", "--sort", "registry", "--format", "csv"]
        ),
    ]

    /// The environment of every run: a fixed "generated at" time (2026-11-29T00:00:00Z).
    static let environment = ["SOURCE_DATE_EPOCH": "1795910400"]

    /// A scratch copy of samples/ with a fixed modification time (klog's year comes from it),
    /// scanned under a relative path so that sources print the same everywhere.
    static func scannedSamples() throws -> Tool {
        let tool = try Tool()
        let copy = tool.directory.appendingPathComponent("samples")
        try FileManager.default.copyItem(at: Tool.root.appendingPathComponent("samples"), to: copy)
        let fixed = Date(timeIntervalSince1970: 1_795_910_400)  // 2026-11-29T00:00:00Z
        for name in try FileManager.default.contentsOfDirectory(atPath: copy.path) {
            try FileManager.default.setAttributes(
                [.modificationDate: fixed], ofItemAtPath: copy.appendingPathComponent(name).path)
        }
        let scan = try tool.run(["scan", "--host", "build-07", "--jobs", "1", "samples"])  // ids in file order
        #expect(scan.status == 0, "\(scan.stderr)")
        return tool
    }

    @Test("every format over the samples matches its golden file")
    func goldens() throws {
        let tool = try Self.scannedSamples()
        let update = ProcessInfo.processInfo.environment["ACRSCAN_UPDATE_GOLDEN"] == "1"
        if update { try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true) }
        for (name, arguments) in Self.cases {
            let result = try tool.run(arguments, environment: Self.environment)
            #expect(result.status == 0, "\(name): \(result.stderr)")
            let golden = Self.directory.appendingPathComponent(name)
            if update {
                try Data(result.stdout.utf8).write(to: golden)
                continue
            }
            let expected = try String(contentsOf: golden, encoding: .utf8)
            #expect(result.stdout == expected, "\(name) differs from its golden file")
        }
    }
}
