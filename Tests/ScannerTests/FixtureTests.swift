import Foundation
import LogModel
import LogScanner
import Testing

/// The hand-labelled fixtures and samples: exactly the labelled occurrences, at every chunk size.
@Suite struct FixtureTests {
    static let chunkSizes: [Int?] = [nil, 1, 2, 7, 64, 4096]

    static var fixtureNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: Support.fixtures.path)) ?? [])
            .filter { $0.hasSuffix(".log") }.sorted()
    }

    @Test("fixture occurrences match their labels", arguments: fixtureNames)
    func fixture(_ name: String) throws {
        let logs = try Support.labelledLogs(in: Support.fixtures).filter { $0.name == name }
        let log = try #require(logs.first)
        for chunk in Self.chunkSizes {
            let found = Support.scan(log.bytes, chunk: chunk).map { Label($0, file: name) }
            #expect(
                found == log.labels,
                "chunk size \(chunk.map(String.init) ?? "whole"): \(Self.difference(found, log.labels))")
            if found != log.labels { break }  // one report per file is enough
        }
    }

    /// What differs, in a form that is quick to read: missing labels and unexpected finds.
    static func difference(_ found: [Label], _ expected: [Label]) -> String {
        let missing = expected.filter { !found.contains($0) }.map { "missing \($0)" }
        let extra = found.filter { !expected.contains($0) }.map { "unexpected \($0)" }
        return (missing + extra).joined(separator: "; ")
    }

    @Test("samples match Tests/EndToEndTests/samples.expected.tsv at every chunk size")
    func samples() throws {
        let labels = Support.root.appendingPathComponent("Tests/EndToEndTests/samples.expected.tsv")
        for log in try Support.labelledLogs(in: Support.samples, labels: labels) {
            for chunk in Self.chunkSizes {
                let found = Support.scan(log.bytes, chunk: chunk).map { Label($0, file: log.name) }
                #expect(
                    found == log.labels,
                    "\(log.name), chunk size \(chunk.map(String.init) ?? "whole"): \(Self.difference(found, log.labels))"
                )
                if found != log.labels { break }
            }
        }
    }

    @Test("every chunk size from 1 to 600 bytes gives the same occurrences (azure-cli cascades, CRLF jenkins)")
    func everyChunkSize() throws {
        for name in ["azure-cli.log", "jenkins.log"] {
            let log = try #require(try Support.labelledLogs(in: Support.fixtures).first { $0.name == name })
            let whole = Support.scan(log.bytes)
            for chunk in 1...600 where Support.scan(log.bytes, chunk: chunk) != whole {
                Issue.record("\(name): chunk size \(chunk) differs")
                break
            }
        }
    }

    @Test("random splits of every fixture give the same occurrences as one chunk")
    func randomSplits() throws {
        var generator = SplitMix(seed: 0xACB5)
        for log in try Support.labelledLogs(in: Support.fixtures) {
            let whole = Support.scan(log.bytes)
            for _ in 0..<20 {
                let scanner = OccurrenceScanner(options: ScanOptions(reference: Support.reference))
                var found: [Occurrence] = []
                log.bytes.withUnsafeBytes { all in
                    var i = 0
                    while i < all.count {
                        let end = min(all.count, i + 1 + Int(generator.next() % 300))
                        scanner.scan(UnsafeRawBufferPointer(rebasing: all[i..<end]), into: &found)
                        i = end
                    }
                }
                scanner.finish(into: &found)
                #expect(found == whole, "\(log.name)")
            }
        }
    }
}

/// A small deterministic random generator for reproducible splits.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A number in `0..<n`.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    /// One of `items`.
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
