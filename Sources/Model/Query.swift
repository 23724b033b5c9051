/// Which stored occurrences a query covers; every field left nil or empty matches everything.
/// Several registries, types or hosts match any of them.
public struct OccurrenceFilter: Sendable, Equatable {
    /// Inclusive lower bound on the occurrence time, milliseconds since the epoch (UTC).
    public var since: Int64?
    /// Exclusive upper bound on the occurrence time.
    public var until: Int64?
    /// Registry names (any of them); the empty string selects occurrences whose registry is unknown.
    public var registries: [String]
    /// Error types (any of them).
    public var types: [ErrorType]
    /// Host names (any of them).
    public var hosts: [String]
    /// Only the occurrences first stored by these scans (`--scan`, `--stored-since`); nil: any.
    public var selection: ScanSelection?

    /// The registry when exactly one is selected, else nil; setting it selects that one only.
    public var registry: String? {
        get { registries.count == 1 ? registries[0] : nil }
        set { registries = newValue.map { [$0] } ?? [] }
    }

    /// The error type when exactly one is selected, else nil; setting it selects that one only.
    public var type: ErrorType? {
        get { types.count == 1 ? types[0] : nil }
        set { types = newValue.map { [$0] } ?? [] }
    }

    /// The host when exactly one is selected, else nil; setting it selects that one only.
    public var host: String? {
        get { hosts.count == 1 ? hosts[0] : nil }
        set { hosts = newValue.map { [$0] } ?? [] }
    }

    /// A filter; nothing given means everything.
    public init(
        since: Int64? = nil, until: Int64? = nil, registry: String? = nil, type: ErrorType? = nil, host: String? = nil
    ) {
        self.init(
            since: since, until: until, registries: registry.map { [$0] } ?? [], types: type.map { [$0] } ?? [],
            hosts: host.map { [$0] } ?? [])
    }

    /// A filter over lists (each empty list matches everything); duplicates are dropped, order kept.
    public init(
        since: Int64? = nil, until: Int64? = nil, registries: [String], types: [ErrorType] = [], hosts: [String] = []
    ) {
        self.since = since
        self.until = until
        self.registries = registries.uniqued()
        self.types = types.uniqued()
        self.hosts = hosts.uniqued()
    }
}

extension Array where Element: Hashable {
    /// The elements without repeats, in first-seen order.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

/// A dimension that report rows can be grouped by (`report --by`).
public enum GroupKey: String, Sendable, CaseIterable, Codable {
    case registry, type, host, repository, identity
    case clientIP = "client_ip"
    case day, hour

    /// The occurrence column the key groups by; nil for a day or an hour (a bucket of `ts`).
    public var column: OccurrenceColumn? {
        switch self {
        case .registry: .registry
        case .type: .type
        case .host: .host
        case .repository: .repository
        case .identity: .identity
        case .clientIP: .clientIP
        case .day, .hour: nil
        }
    }
}

/// The size of a trend bucket.
public enum BucketSize: String, Sendable, CaseIterable, Codable {
    case hour, day

    /// The bucket length in milliseconds.
    public var milliseconds: Int64 { self == .hour ? 3_600_000 : 86_400_000 }

    /// The start of the bucket holding `ms`.
    public func floor(_ ms: Int64) -> Int64 {
        let size = milliseconds
        return ms >= 0 ? ms / size * size : ((ms - size + 1) / size) * size
    }
}

/// The keys that identify a report group, one field per `GroupKey`; nil where the group is not
/// grouped by that key, or where the logs named no value. Hashable: reports look groups up by it.
public struct GroupKeyValues: Sendable, Hashable {
    /// Registry name; nil when unknown or not grouped by.
    public var registry: String?
    /// Error type; nil when not grouped by.
    public var type: ErrorType?
    /// Host; nil when not grouped by.
    public var host: String?
    /// Repository; nil when unknown or not grouped by.
    public var repository: String?
    /// Identity, object id or application id; nil when unknown or not grouped by.
    public var identity: String?
    /// Client IP address; nil when unknown or not grouped by.
    public var clientIP: String?
    /// Start of the day or hour, when grouped by one.
    public var period: Int64?

    /// Keys; those not given are nil.
    public init(
        registry: String? = nil, type: ErrorType? = nil, host: String? = nil, repository: String? = nil,
        identity: String? = nil, clientIP: String? = nil, period: Int64? = nil
    ) {
        (self.registry, self.type, self.host, self.repository) = (registry, type, host, repository)
        (self.identity, self.clientIP, self.period) = (identity, clientIP, period)
    }

    /// The value of a text key (`registry` … `clientIP`; the type by its id); nil for a period.
    public func text(of key: GroupKey) -> String? {
        switch key {
        case .registry: registry
        case .type: type?.rawValue
        case .host: host
        case .repository: repository
        case .identity: identity
        case .clientIP: clientIP
        case .day, .hour: nil
        }
    }

    /// The same keys without the day or hour (the same group in another window).
    public var withoutPeriod: GroupKeyValues {
        var key = self
        key.period = nil
        return key
    }
}

/// One row of a grouped count. Keys of dimensions not grouped by are nil (`row.registry` reads
/// `row.key.registry`).
@dynamicMemberLookup
public struct GroupCount: Sendable, Equatable {
    /// The group's keys.
    public var key: GroupKeyValues
    /// Occurrences.
    public var count: Int
    /// Sum of their attempts (at least `count`).
    public var attempts: Int
    /// Earliest and latest occurrence time, milliseconds since the epoch; nil when no time was known.
    public var firstSeen: Int64?
    public var lastSeen: Int64?

    /// A row.
    public init(
        registry: String? = nil, type: ErrorType? = nil, host: String? = nil, repository: String? = nil,
        identity: String? = nil, clientIP: String? = nil,
        period: Int64? = nil, count: Int, attempts: Int? = nil, firstSeen: Int64? = nil, lastSeen: Int64? = nil
    ) {
        self.init(
            key: GroupKeyValues(
                registry: registry, type: type, host: host, repository: repository, identity: identity,
                clientIP: clientIP, period: period),
            count: count, attempts: attempts, firstSeen: firstSeen, lastSeen: lastSeen)
    }

    /// A row of the group `key`.
    public init(key: GroupKeyValues, count: Int, attempts: Int? = nil, firstSeen: Int64? = nil, lastSeen: Int64? = nil)
    {
        self.key = key
        self.count = count
        self.attempts = attempts ?? count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }

    /// A key of the group, by name (`row.registry`, `row.period`).
    public subscript<Value>(dynamicMember path: WritableKeyPath<GroupKeyValues, Value>) -> Value {
        get { key[keyPath: path] }
        set { key[keyPath: path] = newValue }
    }
}

/// Occurrences of one registry and type in one time bucket.
public struct TrendCount: Sendable, Equatable {
    /// Bucket start, milliseconds since the epoch (UTC).
    public var bucket: Int64
    /// Registry name, nil when unknown.
    public var registry: String?
    /// Error type.
    public var type: ErrorType
    /// Occurrences in the bucket.
    public var count: Int

    /// A trend point.
    public init(bucket: Int64, registry: String?, type: ErrorType, count: Int) {
        self.bucket = bucket
        self.registry = registry
        self.type = type
        self.count = count
    }
}

/// An occurrence as stored: with its id, host and source file.
public struct StoredOccurrence: Sendable, Equatable {
    /// The row id in the store.
    public var id: Int64
    /// The host whose logs held it.
    public var host: String
    /// The path of the log file (`-` for standard input).
    public var source: String
    /// The occurrence and its evidence.
    public var occurrence: Occurrence

    /// A stored occurrence.
    public init(id: Int64, host: String, source: String, occurrence: Occurrence) {
        self.id = id
        self.host = host
        self.source = source
        self.occurrence = occurrence
    }
}
