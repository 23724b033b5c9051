import LogModel
import LogScanner

/// The parameters of the spike rule (docs/report.md, "Spike rule").
///
/// A bucket of a registry and type is a spike when, against the `history` buckets just before it
/// (counted from where observation began, zeros included, at least `minimumHistory` of them):
///
/// 1. its count is at least `minimumRise` above the 90th percentile of those buckets (the busy
///    end of usual: a burst of a few failures or a day like the busiest recent ones is not a
///    spike, and one earlier spike in the history does not raise it);
/// 2. its rise above the baseline, the median of those buckets, is at least `threshold` robust
///    standard deviations: `score = (count - baseline) / spread`, where `spread` is the largest of
///    `sqrt(max(baseline, 1))` (the Poisson deviation, so that a flat history does not make every
///    wiggle significant), `1.4826 × MAD` (median absolute deviation) and `IQR / 1.349`
///    (interquartile range, for series that alternate between quiet and busy).
///
/// The history is the same buckets whatever the report's window, so a bucket is a spike or not
/// independently of `--since`.
public struct SpikeRule: Sendable, Equatable {
    /// How many buckets before a bucket form its history.
    public var history: Int
    /// The fewest observed buckets of history a bucket needs before it can be a spike: by default
    /// half of `history`, since medians and quartiles of fewer buckets say little.
    public var minimumHistory: Int
    /// The smallest rise above the 90th percentile of the history that can be a spike.
    public var minimumRise: Int
    /// The smallest robust z-score (rise over spread) of a spike.
    public var threshold: Double

    /// A rule.
    public init(history: Int, minimumHistory: Int? = nil, minimumRise: Int = 5, threshold: Double = 4) {
        self.history = history
        self.minimumHistory = minimumHistory ?? (history + 1) / 2
        self.minimumRise = minimumRise
        self.threshold = threshold
    }

    /// The rule the reports use: 14 days of history (at least 7) for day buckets, 24 hours (at
    /// least 12) for hour buckets.
    public static func standard(for bucket: BucketSize) -> SpikeRule {
        SpikeRule(history: bucket == .day ? 14 : 24)
    }

    /// The scale factor that makes a MAD estimate a standard deviation for normal data.
    static let madScale = 1.4826
    /// The divisor that makes an interquartile range estimate a standard deviation for normal data.
    static let iqrScale = 1.349
    /// The percentile of the history that a spike must rise `minimumRise` above.
    static let usualPercentile = 0.9
}

/// A bucket whose count rose far above the same series' recent history (see `SpikeRule`).
public struct Spike: Sendable, Equatable {
    /// Start of the bucket, milliseconds since the epoch (UTC).
    public var bucket: Int64
    /// Registry and type of the series.
    public var key: SeriesKey
    /// Occurrences in the whole bucket (a bucket cut by `--since` is still judged whole).
    public var count: Int
    /// Twice the baseline (the median of the history buckets), kept whole so that it is exact.
    public var doubleBaseline: Int
    /// How many buckets of history the baseline was measured on.
    public var history: Int
    /// The robust z-score: the rise above the baseline over the spread.
    public var score: Double

    /// A spike; `doubleBaseline` is twice the median of the history buckets.
    public init(bucket: Int64, key: SeriesKey, count: Int, doubleBaseline: Int, history: Int, score: Double) {
        self.bucket = bucket
        self.key = key
        self.count = count
        self.doubleBaseline = doubleBaseline
        self.history = history
        self.score = score
    }

    /// The registry name, nil when unknown.
    public var registry: String? { key.registry }
    /// The error type.
    public var type: ErrorType { key.type }
    /// The median of the history buckets (exact: a whole number or a half).
    public var baseline: Double { Double(doubleBaseline) / 2 }
    /// The baseline as text and as a JSON number: `2` or `1.5`.
    public var baselineText: String {
        doubleBaseline % 2 == 0 ? String(doubleBaseline / 2) : "\(doubleBaseline / 2).5"
    }
    /// The score with one decimal, as text and as a JSON number: `7.5`.
    public var scoreText: String {
        let tenths = Int((min(score, 1e9) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// The spikes of one series among `judged` (bucket starts, oldest first), with `counts` holding
    /// the series' non-zero counts by bucket start, including the buckets before `judged`. Buckets
    /// before `observedFrom` (the first bucket anything was observed in) are not history: nothing
    /// is known of them. `step` is the bucket length. O(b × h log h) for b non-zero judged buckets
    /// and h buckets of history.
    public static func find(
        key: SeriesKey, counts: [Int64: Int], judged: [Int64], step: Int64, observedFrom: Int64, rule: SpikeRule
    ) -> [Spike] {
        var spikes: [Spike] = []
        for bucket in judged {
            guard let count = counts[bucket], count >= rule.minimumRise else { continue }
            let first = max(observedFrom, bucket - Int64(rule.history) * step)
            guard first < bucket else { continue }
            let history = stride(from: first, to: bucket, by: Int(step)).map { counts[$0] ?? 0 }
            guard history.count >= rule.minimumHistory else { continue }
            let doubled = history.map { 2 * $0 }.sorted()
            // twice the median: exact, even values' middle pair sums to an even number
            let doubleMedian = median(doubled)
            let doubleMAD = median(doubled.map { abs($0 - doubleMedian) }.sorted())
            let sorted = doubled.map { Double($0) / 2 }
            let baseline = Double(doubleMedian) / 2
            let iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25)
            let spread = max(
                max(baseline, 1).squareRoot(), SpikeRule.madScale * Double(doubleMAD) / 2, iqr / SpikeRule.iqrScale)
            let rise = Double(count) - baseline
            guard Double(count) - quantile(sorted, SpikeRule.usualPercentile) >= Double(rule.minimumRise),
                rise >= rule.threshold * spread
            else { continue }
            spikes.append(
                Spike(
                    bucket: bucket, key: key, count: count, doubleBaseline: doubleMedian,
                    history: history.count, score: rise / spread))
        }
        return spikes
    }

    /// The `p` quantile of sorted values, interpolated linearly between the closest ranks.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard let last = sorted.indices.last else { return 0 }
        let h = Double(last) * p
        let below = Int(h)
        guard below < last else { return sorted[last] }
        return sorted[below] + (h - Double(below)) * (sorted[below + 1] - sorted[below])
    }

    /// The median of sorted even numbers (the mean of the middle two is then whole).
    private static func median(_ sorted: [Int]) -> Int {
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
