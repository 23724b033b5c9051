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
    /// The field names, in order: the NDJSON keys and the CSV header (`OccurrenceColumn`).
    public static let fields = OccurrenceColumn.ordered.map(\.name)

    /// The cell of `column` in `row`; the time as ISO-8601 text with milliseconds.
    static func value(_ column: OccurrenceColumn, of row: OccurrenceRow) -> ColumnValue {
        column == .ts ? .text(row.ts.map(Timestamp.isoMilliseconds)) : row.value(column)
    }

    /// What comes before the first row: the CSV header line, nothing for NDJSON.
    public static func header(_ format: ExportFormat) -> String {
        format == .csv ? fields.joined(separator: ",") + "\r\n" : ""
    }

    /// Appends one row, line ending included (`\n` for NDJSON, `\r\n` for CSV), as UTF-8.
    /// O(row length); text without anything to escape is copied in one piece.
    public static func write(_ row: OccurrenceRow, format: ExportFormat, into out: inout [UInt8]) {
        switch format {
        case .ndjson:
            out.append(UInt8(ascii: "{"))
            for (i, column) in OccurrenceColumn.ordered.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: column.name.utf8)
                out.append(contentsOf: "\":".utf8)
                switch value(column, of: row) {
                case .text(let text?): Escape.appendJSON(text, to: &out, htmlSafe: false)
                case .integer(let number?): out.append(contentsOf: String(number).utf8)
                case .text(nil), .integer(nil): out.append(contentsOf: "null".utf8)
                }
            }
            out.append(contentsOf: "}\n".utf8)
        case .csv:
            for (i, column) in OccurrenceColumn.ordered.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                switch value(column, of: row) {
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
