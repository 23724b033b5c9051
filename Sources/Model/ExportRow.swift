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
