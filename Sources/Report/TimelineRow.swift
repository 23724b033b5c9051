import LogModel
import LogScanner

/// One row of a timeline: a burst of occurrences of one type, registry and host, or a single
/// occurrence. Evidence (source, line, excerpt, repository, client IP) is that of the burst's
/// first occurrence.
public struct TimelineRow: Sendable, Equatable {
    /// The error type.
    public var type: ErrorType
    /// The registry name, nil when unknown.
    public var registry: String?
    /// The host whose logs held the occurrences.
    public var host: String
    /// Time of the first occurrence, milliseconds since the epoch (UTC); nil when unknown.
    public var first: Int64?
    /// Time of the last occurrence; equal to `first` for a single occurrence.
    public var last: Int64?
    /// Occurrences in the burst.
    public var count: Int
    /// Sum of their attempts.
    public var attempts: Int
    /// Store id of the first occurrence.
    public var firstID: Int64
    /// Log file of the first occurrence.
    public var source: String
    /// Line of the first occurrence in that file, 1-based.
    public var line: Int
    /// Redacted excerpt of the first occurrence, as stored (renderers sanitise it).
    public var excerpt: String
    /// Repository of the first occurrence, nil when the log did not name one.
    public var repository: String?
    /// Client IP of the first occurrence (a firewall refusal), nil when the log did not name one.
    public var clientIP: String?

    /// A row holding the single occurrence `stored`.
    public init(_ stored: StoredOccurrence) {
        let occurrence = stored.occurrence
        type = occurrence.type
        registry = occurrence.registry
        host = stored.host
        first = occurrence.timestamp
        last = occurrence.timestamp
        count = 1
        attempts = occurrence.attempts
        firstID = stored.id
        source = stored.source
        line = occurrence.line
        excerpt = occurrence.excerpt
        repository = occurrence.repository
        clientIP = occurrence.clientIP
    }
}
