import Foundation
import LogModel
import LogScanner

/// Paths and helpers shared by the scanner tests.
enum Support {
    /// The package root, found from this file's path.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/ScannerTests/Fixtures")
    static let samples = root.appendingPathComponent("samples")

    /// klog and syslog lines in the fixtures are from November 2026.
    static let reference = ReferenceTime(
        milliseconds: Timestamp.milliseconds(year: 2026, month: 11, day: 29, hour: 0, minute: 0, second: 0))

    /// Scans `bytes` fed in chunks of `chunk` bytes (the whole at once when nil).
    static func scan(
        _ bytes: [UInt8], chunk: Int? = nil, maxLineBytes: Int = 64 * 1024, matcher: Matcher = .standard,
        reference: ReferenceTime = Support.reference
    ) -> [Occurrence] {
        scanWithUnknowns(bytes, chunk: chunk, maxLineBytes: maxLineBytes, matcher: matcher, reference: reference).found
    }

    /// Scans as `scan` does, and also takes the unknown-shape candidates after every chunk, as the sweep does.
    static func scanWithUnknowns(
        _ bytes: [UInt8], chunk: Int? = nil, maxLineBytes: Int = 64 * 1024, matcher: Matcher = .standard,
        reference: ReferenceTime = Support.reference, collectsUnknowns: Bool = true
    ) -> (found: [Occurrence], unknowns: [UnknownCandidate]) {
        let scanner = OccurrenceScanner(
            matcher: matcher,
            options: ScanOptions(reference: reference, maxLineBytes: maxLineBytes, collectsUnknowns: collectsUnknowns))
        var found: [Occurrence] = []
        var unknowns: [UnknownCandidate] = []
        bytes.withUnsafeBytes { all in
            let step = max(1, chunk ?? all.count)
            var i = 0
            while i < all.count {
                let end = min(i + step, all.count)
                scanner.scan(UnsafeRawBufferPointer(rebasing: all[i..<end]), into: &found)
                unknowns += scanner.takeUnknowns()
                i = end
            }
        }
        scanner.finish(into: &found)
        return (found, unknowns + scanner.takeUnknowns())
    }

    /// Scans a text given as lines joined by `\n` (with a final newline).
    static func scan(lines: [String], chunk: Int? = nil, reference: ReferenceTime = Support.reference) -> [Occurrence] {
        scan(Array((lines.joined(separator: "\n") + "\n").utf8), chunk: chunk, reference: reference)
    }

    /// The labelled logs in a directory: each `NAME.log`/`.txt` with its `NAME.expected.tsv`, or, for
    /// samples, every log with `expected.tsv` rows for it.
    static func labelledLogs(in directory: URL, labels: URL? = nil) throws -> [(
        name: String, bytes: [UInt8], labels: [Label]
    )] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { ($0.hasSuffix(".log") || $0.hasSuffix(".txt")) }.sorted()
        var shared: [Label]?
        if let labels { shared = Label.read(try String(contentsOf: labels, encoding: .utf8)) }
        return try names.map { name in
            let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
            let own: [Label]
            if let shared {
                own = shared.filter { $0.file == name }
            } else {
                let tsv = directory.appendingPathComponent((name as NSString).deletingPathExtension + ".expected.tsv")
                own = Label.read(try String(contentsOf: tsv, encoding: .utf8))
            }
            return (name, bytes, own)
        }
    }
}
