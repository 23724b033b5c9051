import LogModel
import LogScanner

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
                case .text(let text?): appendJSON(text, to: &out)
                case .integer(let number?): out.append(contentsOf: String(number).utf8)
                case .text(nil), .integer(nil): out.append(contentsOf: "null".utf8)
                }
            }
            out.append(contentsOf: "}\n".utf8)
        case .csv:
            for (i, value) in values(row).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                switch value {
                case .text(let text?): appendCSV(text, to: &out)
                case .integer(let number?): out.append(contentsOf: String(number).utf8)
                case .text(nil), .integer(nil): break
                }
            }
            out.append(contentsOf: "\r\n".utf8)
        }
    }

    /// Appends `text` as a JSON string literal: `"` and `\\` escaped, and every C0 control, DEL,
    /// C1 control, U+2028 and U+2029 and bidirectional override or isolate (U+202A-U+202E,
    /// U+2066-U+2069) as `\n`, `\r`, `\t` or `\uXXXX`: the value is kept exactly, but inert.
    static func appendJSON(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var copied = 0
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                let scalar: UInt32, length: Int
                if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F {
                    (scalar, length) = (UInt32(byte), 1)
                } else if byte == 0xC2, i + 1 < bytes.count, (0x80...0x9F).contains(bytes[i + 1]) {
                    (scalar, length) = (UInt32(bytes[i + 1]), 2)  // U+0080...U+009F
                } else if byte == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, (0xA8...0xAE).contains(bytes[i + 2]) {
                    // U+2028, U+2029, and the bidirectional overrides U+202A...U+202E
                    (scalar, length) = (0x2028 + UInt32(bytes[i + 2] - 0xA8), 3)
                } else if byte == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x81, (0xA6...0xA9).contains(bytes[i + 2]) {
                    (scalar, length) = (0x2066 + UInt32(bytes[i + 2] - 0xA6), 3)  // isolates U+2066...U+2069
                } else {
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i]))
                switch scalar {
                case 0x22: out.append(contentsOf: "\\\"".utf8)
                case 0x5C: out.append(contentsOf: "\\\\".utf8)
                case 0x0A: out.append(contentsOf: "\\n".utf8)
                case 0x0D: out.append(contentsOf: "\\r".utf8)
                case 0x09: out.append(contentsOf: "\\t".utf8)
                default:
                    let hex = String(scalar, radix: 16)
                    out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                }
                i += length
                copied = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends one RFC 4180 field, made inert (`Redactor.inert`). A value whose first non-blank character is `=`, `+`, `-`, `@`,
    /// tab or carriage return (a spreadsheet formula) gets a leading `'`; a value holding `,`, `"`,
    /// CR or LF, or the empty string (told from null, which is an empty cell), is quoted with inner
    /// quotes doubled.
    static func appendCSV(_ text: String, to out: inout [UInt8]) {
        // A spreadsheet or a terminal shows the cell: escape sequences, controls and
        // bidirectional overrides are removed, as the report's CSV does.
        var text = Redactor.inert(text, keepingBreaks: true)
        text.withUTF8 { bytes in
            let lead = bytes.first { $0 != 0x20 }
            let formula = lead.map { [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains($0) } ?? false
            let quoted = bytes.isEmpty || bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
            if quoted { out.append(0x22) }
            if formula { out.append(UInt8(ascii: "'")) }
            if quoted {
                for byte in bytes {
                    if byte == 0x22 { out.append(0x22) }
                    out.append(byte)
                }
                out.append(0x22)
            } else {
                out.append(contentsOf: bytes)
            }
        }
    }
}
