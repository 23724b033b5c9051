/// A template of unknown shapes as stored (docs/unknowns.md): lines with ACR evidence and
/// failure words that no rule counted, grouped by their masked text.
public struct UnknownTemplate: Sendable, Equatable {
    /// The 64-bit template key (`UnknownCandidate.templateKey`).
    public var key: UInt64
    /// The masked text (`<*>` for variable parts).
    public var template: String
    /// Candidates counted (in the files the filter keeps).
    public var count: Int
    /// Earliest and latest candidate time, milliseconds; nil when no line had a time.
    public var firstSeen: Int64?
    public var lastSeen: Int64?
    /// Hosts whose logs held it, and how many files.
    public var hosts: [String]
    public var files: Int
    /// At most `Store.examplesPerTemplate` redacted examples.
    public var examples: [UnknownExample]

    /// A value with every field given.
    public init(
        key: UInt64, template: String, count: Int, firstSeen: Int64?, lastSeen: Int64?, hosts: [String], files: Int,
        examples: [UnknownExample]
    ) {
        self.key = key
        self.template = template
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.hosts = hosts
        self.files = files
        self.examples = examples
    }
}

/// A redacted line of an unknown shape, with where it was.
public struct UnknownExample: Sendable, Equatable {
    public var host: String
    public var source: String
    public var line: Int
    public var timestamp: Int64?
    public var excerpt: String

    /// A value with every field given.
    public init(host: String, source: String, line: Int, timestamp: Int64?, excerpt: String) {
        self.host = host
        self.source = source
        self.line = line
        self.timestamp = timestamp
        self.excerpt = excerpt
    }
}
