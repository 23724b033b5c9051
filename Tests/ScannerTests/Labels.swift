import LogModel
import LogScanner

/// One hand-labelled occurrence from a `.expected.tsv` file.
struct Label: Hashable, CustomStringConvertible {
    let file: String
    let line: Int
    let lineEnd: Int
    let type: String
    let registry: String
    let attempts: Int
    let ts: String
    let producer: String

    var description: String { "\(file):\(line)-\(lineEnd) \(type) \(registry) x\(attempts) \(ts) \(producer)" }

    /// The label of an occurrence the scanner found, in the same form.
    init(_ o: Occurrence, file: String) {
        self.file = file
        self.line = o.line
        self.lineEnd = o.lineEnd
        self.type = o.type.rawValue
        self.registry = o.registry ?? "-"
        self.attempts = o.attempts
        self.ts = o.timestamp.map(Timestamp.iso) ?? "-"
        self.producer = o.producer.rawValue
    }

    init?(row: Substring) {
        let f = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard f.count >= 8, let line = Int(f[1]), let end = Int(f[2]), let attempts = Int(f[5]) else { return nil }
        (file, self.line, lineEnd, type, registry, self.attempts, ts) = (f[0], line, end, f[3], f[4], attempts, f[6])
        producer = f[7]
    }

    /// Reads a labels file: a header row, `#` comments, one row per occurrence.
    static func read(_ text: String) -> [Label] {
        text.split(separator: "\n").dropFirst().filter { !$0.hasPrefix("#") && !$0.isEmpty }.compactMap {
            Label(row: $0)
        }
    }
}
