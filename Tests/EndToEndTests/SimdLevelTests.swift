import Foundation
import Testing

/// `ACRSCAN_SIMD` lowers the SIMD level the scanner runs at (docs/performance.md): a machine with
/// AVX-512 VBMI measures and checks what one with AVX2 only (or SSSE3, or none) runs. Every level
/// finds the same occurrences and unknown shapes, and `literals --candidates` names the level.
@Suite struct SimdLevelTests {
    /// The inputs: the samples and the fixtures (every producer), scanned as one host.
    static let inputs = ["samples", "Tests/ScannerTests/Fixtures"].map { Tool.root.appendingPathComponent($0).path }

    /// The NDJSON export and the unknown shapes of a scan of `inputs` at `level` (nil: the best).
    func scan(at level: String?) throws -> (export: String, unknowns: String, candidates: String) {
        let tool = try Tool()
        let environment = level.map { ["ACRSCAN_SIMD": $0] } ?? [:]
        let scan = try tool.run(["scan", "-q", "--host", "ci"] + Self.inputs, environment: environment)
        #expect(scan.status == 0, "\(scan.stderr)")
        let export = try tool.run(["export", "--format", "ndjson"], environment: environment)
        #expect(export.status == 0, "\(export.stderr)")
        let unknowns = try tool.run(["unknowns", "--format", "json"], environment: environment)
        #expect(unknowns.status == 0, "\(unknowns.stderr)")
        let files = Self.inputs.flatMap { root in
            (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".log") }.sorted().map { "\(root)/\($0)" }
        }
        let candidates = try tool.run(["literals", "--candidates"] + files, environment: environment)
        #expect(candidates.status == 0, "\(candidates.stderr)")
        return (
            export.stdout.split(separator: "\n").sorted().joined(separator: "\n"), unknowns.stdout,
            candidates.stdout
        )
    }

    @Test("scalar, SSSE3 and AVX2 find what the best level finds; literals --candidates names the level")
    func levelsAgree() throws {
        let best = try scan(at: nil)
        #expect(best.export.split(separator: "\n").count > 50, "the inputs hold failures")
        let names = ["scalar": "scalar", "ssse3": "SSSE3", "avx2": "AVX2"]
        for (level, name) in names {
            let lower = try scan(at: level)
            #expect(lower.export == best.export, "ACRSCAN_SIMD=\(level): other occurrences")
            #expect(lower.unknowns == best.unknowns, "ACRSCAN_SIMD=\(level): other unknown shapes")
            // The level shown is the one asked for, or a lower one on a CPU that lacks it.
            let shown = lower.candidates.split(separator: "\n").last.map(String.init) ?? ""
            #expect(shown.hasPrefix("SIMD level: "), "\(lower.candidates)")
            if level == "scalar" { #expect(shown.hasPrefix("SIMD level: \(name)")) }
            // The candidate counts do not depend on the level.
            #expect(
                lower.candidates.split(separator: "\n").dropLast() == best.candidates.split(separator: "\n").dropLast())
        }
    }
}
