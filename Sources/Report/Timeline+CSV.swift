import LogModel
import LogScanner

extension Timeline {
    /// The timeline as RFC 4180 CSV, one row per burst, CRLF line ends: `first,last,count,attempts,
    /// type,registry,host,repository,client_ip,source,line,excerpt,remediation`. Times are
    /// ISO-8601 UTC; unknown values are empty cells; text from logs is sanitised and cells a
    /// spreadsheet would run as formulas start with `'`. Excerpts are whole.
    public func renderCSV() -> String {
        var rows = [
            [
                "first", "last", "count", "attempts", "type", "registry", "host", "repository", "client_ip",
                "source", "line", "excerpt", "remediation",
            ]
        ]
        for row in self.rows {
            rows.append([
                row.first.map(Timestamp.iso) ?? "", row.last.map(Timestamp.iso) ?? "", String(row.count),
                String(row.attempts),
                row.type.rawValue, row.registry.map(Escape.sanitize) ?? "", Escape.sanitize(row.host),
                row.repository.map(Escape.sanitize) ?? "", row.clientIP.map(Escape.sanitize) ?? "",
                Escape.sanitize(row.source), String(row.line), Escape.sanitize(row.excerpt),
                Remediation.entry(for: row.type).reference,
            ])
        }
        return rows.map { $0.map(Escape.csv).joined(separator: ",") + "\r\n" }.joined()
    }
}
