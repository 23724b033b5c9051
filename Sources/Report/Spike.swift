import LogScanner

/// A bucket whose count jumped well above what the same series showed before it.
///
/// The rule: bucket `i` of a zero-filled series is a spike when `i >= 3` (at least three earlier
/// buckets), its count is at least 3, and its count is at least 3 × the median of buckets
/// `0..<i` of the same series. The median of an even number of buckets is the mean of the two
/// middle ones, so the baseline is a whole number or ends in .5.
public struct Spike: Sendable, Equatable {
    /// The smallest count that can be a spike.
    public static let minimumCount = 3
    /// How many times the baseline a spike's count must at least be.
    public static let factor = 3
    /// How many earlier buckets a series needs before any of its buckets can be a spike.
    public static let minimumHistory = 3

    /// Start of the bucket, milliseconds since the epoch (UTC).
    public var bucket: Int64
    /// Registry and type of the series.
    public var key: SeriesKey
    /// Occurrences in the bucket.
    public var count: Int
    /// Twice the baseline (the median of the earlier buckets), kept whole so that it is exact.
    public var doubleBaseline: Int

    /// A spike; `doubleBaseline` is twice the median of the earlier buckets.
    public init(bucket: Int64, key: SeriesKey, count: Int, doubleBaseline: Int) {
        self.bucket = bucket
        self.key = key
        self.count = count
        self.doubleBaseline = doubleBaseline
    }

    /// The registry name, nil when unknown.
    public var registry: String? { key.registry }
    /// The error type.
    public var type: ErrorType { key.type }
    /// The median of the earlier buckets (exact: a whole number or a half).
    public var baseline: Double { Double(doubleBaseline) / 2 }
    /// The baseline as text and as a JSON number: `2` or `1.5`.
    public var baselineText: String {
        doubleBaseline % 2 == 0 ? String(doubleBaseline / 2) : "\(doubleBaseline / 2).5"
    }

    /// The spikes of one series whose bucket `i` starts at `buckets[i]`, oldest first.
    /// O(n log n) for n buckets.
    public static func find(in series: TrendSeries, buckets: [Int64]) -> [Spike] {
        var spikes: [Spike] = []
        var earlier = RunningMedian()  // the counts of the buckets before `index`
        for (index, count) in series.counts.enumerated() where index < buckets.count {
            if earlier.count >= minimumHistory && count >= minimumCount {
                let doubleMedian = earlier.doubleMedian
                // count >= factor × median  ⇔  2 × count >= factor × (2 × median)
                if 2 * count >= factor * doubleMedian {
                    spikes.append(Spike(bucket: buckets[index], key: series.key, count: count,
                                        doubleBaseline: doubleMedian))
                }
            }
            earlier.insert(count)
        }
        return spikes
    }
}
