import LogModel

/// The formats of `acrscan export`.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One JSON object per line.
    case ndjson
    /// RFC 4180 CSV with a header row.
    case csv
}

/// Writes export rows as NDJSON or CSV. Field names, order and types are the documented contract
/// (docs/export.md); NDJSON keeps every value exactly, CSV neutralises what a spreadsheet would run.
public enum Exporter {
    /// A cell: text (nil for null) or an integer.
    enum Value {
        case text(String?)
        case integer(Int64?)
    }

    /// The field names, in order: the NDJSON keys and the CSV header.
    public static let fields = [
        "host", "ts", "registry", "login_server", "type", "status", "attempts", "producer", "source", "line", "line_end",
        "offset", "file_key", "client_ip", "identity", "repository", "code", "excerpt", "matcher_version",
    ]

    static func values(_ row: ExportRow) -> [Value] {
        [.text(row.host), .text(row.ts.map(Timestamp.isoMilliseconds)), .text(row.registry), .text(row.loginServer), .text(row.type),
         .integer(row.status.map(Int64.init)), .integer(Int64(row.attempts)), .text(row.producer), .text(row.source),
         .integer(Int64(row.line)), .integer(Int64(row.lineEnd)), .integer(row.offset), .text(row.fileKey), .text(row.clientIP),
         .text(row.identity), .text(row.repository), .text(row.code), .text(row.excerpt), .integer(Int64(row.matcherVersion))]
    }

    /// What comes before the first row: the CSV header line, nothing for NDJSON.
    public static func header(_ format: ExportFormat) -> String {
        format == .csv ? fields.joined(separator: ",") + "\r\n" : ""
    }

    /// Appends one row, line ending included (`\n` for NDJSON, `\r\n` for CSV), as UTF-8.
    /// O(row length); text without anything to escape is copied in one piece.
    public static func write(_ row: ExportRow, format: ExportFormat, into out: inout [UInt8]) {
        switch format {
        case .ndjson:
            out.append(UInt8(ascii: "{"))
            for (i, (name, value)) in zip(fields, values(row)).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: name.utf8)
                out.append(contentsOf: "\":".utf8)
                switch value {
                case .text(let text?): Escape.appendJSON(text, to: &out, htmlSafe: false)
                case .integer(let number?): out.append(contentsOf: String(number).utf8)
                case .text(nil), .integer(nil): out.append(contentsOf: "null".utf8)
                }
            }
            out.append(contentsOf: "}\n".utf8)
        case .csv:
            for (i, value) in values(row).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                switch value {
                case .text(let text?):
                    // A spreadsheet or a terminal shows the cell: escape sequences, controls and
                    // bidirectional overrides are removed, as the report's CSV does; breaks are quoted.
                    Escape.appendCSV(Escape.sanitize(text, keepingBreaks: true), to: &out, quotingEmpty: true)
                case .integer(let number?): out.append(contentsOf: String(number).utf8)
                case .text(nil), .integer(nil): break
                }
            }
            out.append(contentsOf: "\r\n".utf8)
        }
    }
}
