/// The columns of a stored occurrence, named once: the columns of the `occurrences` view
/// (docs/schema.md) and the fields of the export, in the export's order (docs/export.md,
/// `acrscan.export/v1`). The insert, the row decoder, the export and the report use these names.
public enum OccurrenceColumn: String, CaseIterable, Sendable {
    case host, ts, registry
    case loginServer = "login_server"
    case type, status, attempts, producer, source, line
    case lineEnd = "line_end"
    case offset
    case fileKey = "file_key"
    case clientIP = "client_ip"
    case identity, repository, code, excerpt
    case matcherVersion = "matcher_version"

    /// The column's name in SQL, in the export and in JSON.
    public var name: String { rawValue }

    /// Whether the column holds text (else an integer).
    public var isText: Bool {
        switch self {
        case .ts, .status, .attempts, .line, .lineEnd, .offset, .matcherVersion: false
        default: true
        }
    }

    /// Every column in the export's order (`allCases`, built once).
    public static let ordered: [OccurrenceColumn] = allCases

    /// The names of `columns`, comma-separated, for a `SELECT` list.
    public static func selectList(_ columns: [OccurrenceColumn] = ordered) -> String {
        columns.map(\.name).joined(separator: ", ")
    }
}

/// The value of one column: text or an integer, nil for null.
public enum ColumnValue: Sendable, Equatable {
    case text(String?)
    case integer(Int64?)
}

/// One stored occurrence with every column of the `occurrences` view, as stored: the type and
/// producer as their raw text, so that a row written by a newer version is exported as it is.
public struct OccurrenceRow: Sendable, Equatable {
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
    public init(
        host: String, ts: Int64?, registry: String?, loginServer: String?, type: String, status: Int?, attempts: Int,
        producer: String, source: String, line: Int, lineEnd: Int, offset: Int64, fileKey: String, clientIP: String?,
        identity: String?, repository: String?, code: String?, excerpt: String, matcherVersion: Int
    ) {
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

    /// An empty row, to be filled column by column (`set`).
    public static let empty = OccurrenceRow(
        host: "", ts: nil, registry: nil, loginServer: nil, type: "", status: nil, attempts: 1, producer: "",
        source: "",
        line: 0, lineEnd: 0, offset: 0, fileKey: "", clientIP: nil, identity: nil, repository: nil, code: nil,
        excerpt: "",
        matcherVersion: 0)

    /// Sets one column from its stored value (a null leaves text empty and numbers at their default).
    public mutating func set(_ column: OccurrenceColumn, _ value: ColumnValue) {
        var text: String? = nil
        var number: Int64? = nil
        switch value {
        case .text(let t): text = t
        case .integer(let n): number = n
        }
        switch column {
        case .host: host = text ?? ""
        case .ts: ts = number
        case .registry: registry = text
        case .loginServer: loginServer = text
        case .type: type = text ?? ""
        case .status: status = number.map(Int.init)
        case .attempts: attempts = Int(number ?? 1)
        case .producer: producer = text ?? ""
        case .source: source = text ?? ""
        case .line: line = Int(number ?? 0)
        case .lineEnd: lineEnd = Int(number ?? 0)
        case .offset: offset = number ?? 0
        case .fileKey: fileKey = text ?? ""
        case .clientIP: clientIP = text
        case .identity: identity = text
        case .repository: repository = text
        case .code: code = text
        case .excerpt: excerpt = text ?? ""
        case .matcherVersion: matcherVersion = Int(number ?? 0)
        }
    }

    /// The value of one column.
    public func value(_ column: OccurrenceColumn) -> ColumnValue {
        switch column {
        case .host: .text(host)
        case .ts: .integer(ts)
        case .registry: .text(registry)
        case .loginServer: .text(loginServer)
        case .type: .text(type)
        case .status: .integer(status.map(Int64.init))
        case .attempts: .integer(Int64(attempts))
        case .producer: .text(producer)
        case .source: .text(source)
        case .line: .integer(Int64(line))
        case .lineEnd: .integer(Int64(lineEnd))
        case .offset: .integer(offset)
        case .fileKey: .text(fileKey)
        case .clientIP: .text(clientIP)
        case .identity: .text(identity)
        case .repository: .text(repository)
        case .code: .text(code)
        case .excerpt: .text(excerpt)
        case .matcherVersion: .integer(Int64(matcherVersion))
        }
    }

    /// The occurrence this row holds; nil when its type is not one this version knows.
    public var occurrence: Occurrence? {
        guard let type = ErrorType(rawValue: type) else { return nil }
        return Occurrence(
            type: type, registry: registry, loginServer: loginServer, timestamp: ts, line: line, lineEnd: lineEnd,
            offset: offset, producer: Producer(rawValue: producer) ?? .plain, status: status, clientIP: clientIP,
            identity: identity, repository: repository, code: code, attempts: attempts, excerpt: excerpt)
    }
}
