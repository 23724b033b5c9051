import LogModel
import LogScanner

/// The occurrences of one registry and type per bucket, zero-filled over `Report.buckets`.
public struct TrendSeries: Sendable, Equatable {
    /// Registry and type.
    public var key: SeriesKey
    /// One count per bucket of the report's range, oldest first.
    public var counts: [Int]

    /// A series.
    public init(key: SeriesKey, counts: [Int]) {
        self.key = key
        self.counts = counts
    }

    /// The registry name, nil when unknown.
    public var registry: String? { key.registry }
    /// The error type.
    public var type: ErrorType { key.type }
    /// The sum of the counts.
    public var total: Int { counts.reduce(0, +) }
}
