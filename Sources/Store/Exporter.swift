import LogScanner

/// The formats of `acrscan export`.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One JSON object per line.
    case ndjson
    /// RFC 4180 CSV with a header row.
    case csv
}

/// One occurrence as exported: the stable field list of docs/export.md ("acrscan.export/v1").
public struct ExportRow: Sendable, Equatable {
    /// Host, time (milliseconds since the epoch, UTC) and what failed.
    public var host: String
    public var ts: Int64?
    public var registry: String?
    public var loginServer: String?
    public var type: String
    public var status: Int?
    public var attempts: Int
    public var producer: String
    /// Where it was found: file, first and last line, byte offset, and the file's stable key.
    public var source: String
    public var line: Int
    public var lineEnd: Int
    public var offset: Int64
    public var fileKey: String
    /// Evidence, where the log gave it.
    public var clientIP: String?
    public var identity: String?
    public var repository: String?
    public var code: String?
    /// The redacted one-line excerpt.
    public var excerpt: String
    /// The matcher version that found it.
    public var matcherVersion: Int

    /// A row; every field is given.
    public init(host: String, ts: Int64?, registry: String?, loginServer: String?, type: String, status: Int?, attempts: Int,
                producer: String, source: String, line: Int, lineEnd: Int, offset: Int64, fileKey: String, clientIP: String?,
                identity: String?, repository: String?, code: String?, excerpt: String, matcherVersion: Int) {
        self.host = host
        self.ts = ts
        self.registry = registry
        self.loginServer = loginServer
        self.type = type
        self.status = status
        self.attempts = attempts
        self.producer = producer
        self.source = source
        self.line = line
        self.lineEnd = lineEnd
        self.offset = offset
        self.fileKey = fileKey
        self.clientIP = clientIP
        self.identity = identity
        self.repository = repository
        self.code = code
        self.excerpt = excerpt
        self.matcherVersion = matcherVersion
    }
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
        [.text(row.host), .text(row.ts.map(isoMilliseconds)), .text(row.registry), .text(row.loginServer), .text(row.type),
         .integer(row.status.map(Int64.init)), .integer(Int64(row.attempts)), .text(row.producer), .text(row.source),
         .integer(Int64(row.line)), .integer(Int64(row.lineEnd)), .integer(row.offset), .text(row.fileKey), .text(row.clientIP),
         .text(row.identity), .text(row.repository), .text(row.code), .text(row.excerpt), .integer(Int64(row.matcherVersion))]
    }

    /// What comes before the first row: the CSV header line, nothing for NDJSON.
    public static func header(_ format: ExportFormat) -> String {
        format == .csv ? fields.joined(separator: ",") + "\r\n" : ""
    }

    /// One row, line ending included (`\n` for NDJSON, `\r\n` for CSV).
    public static func line(_ row: ExportRow, format: ExportFormat) -> String {
        let cells = values(row)
        switch format {
        case .ndjson:
            var out = "{"
            for (i, (name, value)) in zip(fields, cells).enumerated() {
                if i > 0 { out += "," }
                out += "\"\(name)\":"
                switch value {
                case .text(let text): out += text.map(json) ?? "null"
                case .integer(let number): out += number.map { String($0) } ?? "null"
                }
            }
            return out + "}\n"
        case .csv:
            return cells.map { value -> String in
                switch value {
                case .text(let text): text.map(csv) ?? ""
                case .integer(let number): number.map { String($0) } ?? ""
                }
            }.joined(separator: ",") + "\r\n"
        }
    }

    /// `text` as a JSON string literal: `"` and `\` escaped, and every C0 control, DEL, C1 control,
    /// U+2028 and U+2029 as `\n`, `\r`, `\t` or `\uXXXX`.
    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// One RFC 4180 field. A value whose first non-blank character is `=`, `+`, `-`, `@`, tab or
    /// carriage return (a spreadsheet formula) gets a leading `'`; a value holding `,`, `"`, CR or
    /// LF, or the empty string (told from null, which is an empty cell), is quoted with inner
    /// quotes doubled.
    static func csv(_ text: String) -> String {
        var cell = text
        if let lead = cell.unicodeScalars.first(where: { $0 != " " }), "=+-@\t\r".unicodeScalars.contains(lead) {
            cell = "'" + cell
        }
        guard cell.isEmpty || cell.unicodeScalars.contains(where: { "\",\r\n".unicodeScalars.contains($0) }) else { return cell }
        var quoted = "\""
        for scalar in cell.unicodeScalars {
            if scalar == "\"" { quoted += "\"" }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }

    /// ISO-8601 UTC with milliseconds: `2026-11-20T03:14:15.123Z`.
    public static func isoMilliseconds(_ ms: Int64) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let milli = Int(ms - seconds * 1000)
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = Int(seconds - days * 86400)
        let (y, m, d) = Timestamp.civil(days: Int(days))
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rest / 3600, 2)):\(pad(rest / 60 % 60, 2)):\(pad(rest % 60, 2)).\(pad(milli, 3))Z"
    }
}

extension Store {
    /// Calls `body` with every occurrence that matches `filter`, in time order (unknown times
    /// last), then host, file key and offset; stops early when `body` returns false. Streams: one
    /// row in memory at a time.
    public func export(_ filter: OccurrenceFilter, _ body: (ExportRow) -> Bool) throws(StoreError) {
        try guarded {
            let (clause, values) = filter.sql
            let stmt = try db.prepare("""
                SELECT host, ts, registry, login_server, type, status, attempts, producer, source, line, line_end, offset, file_key,
                       client_ip, identity, repository, code, excerpt, matcher_version
                FROM failures\(clause) ORDER BY ts IS NULL, ts, host, file_key, offset
                """)
            try stmt.bind(values)
            while try stmt.step() {
                let row = ExportRow(
                    host: stmt.text(0) ?? "", ts: stmt.optionalInt64(1), registry: stmt.text(2), loginServer: stmt.text(3),
                    type: stmt.text(4) ?? "", status: stmt.optionalInt64(5).map(Int.init), attempts: Int(stmt.int64(6)),
                    producer: stmt.text(7) ?? "", source: stmt.text(8) ?? "", line: Int(stmt.int64(9)), lineEnd: Int(stmt.int64(10)),
                    offset: stmt.int64(11), fileKey: stmt.text(12) ?? "", clientIP: stmt.text(13), identity: stmt.text(14),
                    repository: stmt.text(15), code: stmt.text(16), excerpt: stmt.text(17) ?? "", matcherVersion: Int(stmt.int64(18)))
                guard body(row) else { break }
            }
        }
    }
}
