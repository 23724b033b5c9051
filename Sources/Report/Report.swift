import LogModel
import LogScanner

/// Everything a report shows, computed once from the plain values the store returns; the
/// renderers (`renderTable`, `renderJSON`, `renderCSV`, `renderMarkdown`, `renderHTML`) only
/// format it. Building it is O(g log g + s × b) for g groups, s series and b buckets.
///
/// Pass every group: `top` keeps the first N groups for display, while `total`, the trend, the
/// spikes, the charts and the remediation still cover all of them, and `omittedGroups` /
/// `omittedCount` say what was left out.
public struct Report: Sendable {
    /// The most buckets a zero-filled series holds; a longer range is trimmed (see `init`).
    public static let maximumBuckets = 10_000

    /// The filter that selected the occurrences; `since` and `until` are the window.
    public let filter: OccurrenceFilter
    /// The dimensions the groups were grouped by, in the order asked for.
    public let keys: [GroupKey]
    /// The trend bucket size.
    public let bucket: BucketSize
    /// The groups to show: the `top` largest (by count), in `order`.
    public let groups: [GroupCount]
    /// The order of `groups`.
    public let order: GroupOrder
    /// The zone that human-readable renderers print times in.
    public let zone: DisplayZone
    /// How many groups `top` left out.
    public let omittedGroups: Int
    /// How many occurrences those groups held.
    public let omittedCount: Int
    /// Occurrences in the window, over all groups.
    public let total: Int
    /// Attempts in the window, over all groups (at least `total`).
    public let totalAttempts: Int
    /// The non-zero trend points, summed per bucket, registry and type, ordered by bucket, then
    /// registry, then type.
    public let trend: [TrendCount]
    /// The start of every bucket of the zero-filled range, oldest first; empty without trend data.
    public let buckets: [Int64]
    /// One zero-filled series per registry and type in the trend, ordered by registry, then type.
    public let series: [TrendSeries]
    /// The spikes of every series within the range of `buckets`, ordered by bucket, then registry,
    /// then type.
    public let spikes: [Spike]
    /// The rule the spikes were found with.
    public let spikeRule: SpikeRule
    /// The error types present in the groups or the trend, by id.
    public let types: [ErrorType]
    /// Occurrences in the previous window, when the caller gave it.
    public let previousTotal: Int?
    /// Registry and type pairs seen in this window but not in the previous one, ordered by
    /// registry, then type; nil unless a previous window was given and the groups are grouped by
    /// both registry and type.
    public let newPairs: [SeriesKey]?
    /// The scan selection the report covers (`--scan`, `--stored-since`), resolved; nil: any.
    public var selection: ResolvedSelection?
    /// Unknown-shape candidates, and their templates, in the report's window (`acrscan unknowns`).
    public var unknownCandidates = 0
    public var unknownTemplates = 0
    /// Counts of the previous window by group identity; nil when not comparable.
    private let previousCounts: [GroupKeyValues: Int]?
    /// What each group's occurrences named, by the group's keys.
    private let evidence: [GroupKeyValues: GroupEvidence]

    /// Builds a report.
    ///
    /// - Parameters:
    ///   - filter: the filter the occurrences were selected with; its `since` (inclusive) and
    ///     `until` (exclusive) bound the zero-filled trend range.
    ///   - keys: what `groups` (and `previous`) are grouped by.
    ///   - bucket: the size of the buckets of `trend`.
    ///   - groups: every group of the window, in any order.
    ///   - trend: counts per bucket, registry and type, in any order; repeated points are summed
    ///     and bucket starts are floored to `bucket`.
    ///   - history: counts per bucket, registry and type from at least `spikeRule.history` buckets
    ///     before the window's first bucket up to its end, with whole buckets (not cut at `since`):
    ///     what spikes are measured against. Nil uses `trend`, which makes the spikes depend on
    ///     where the window starts; the CLI always passes it.
    ///   - observedSince: the earliest time anything was observed (the store's first occurrence):
    ///     buckets before it are not history. Nil takes the first bucket of `history` (or of the
    ///     zero-filled range when `history` is nil).
    ///   - previous: the same grouping over the window of equal length just before this one, for
    ///     `previousTotal`, per-group change and `newPairs`; nil to leave them out.
    ///   - top: how many groups to keep for display, the largest; nil keeps all.
    ///   - order: the order of the groups shown; nil is `.time` when grouped by day or hour and
    ///     `.count` otherwise.
    ///   - zone: the zone the table, Markdown and HTML print times in; JSON and CSV stay UTC.
    ///   - spikeRule: the spike rule; nil uses `SpikeRule.standard(for: bucket)`.
    ///   - evidence: what the groups' occurrences named (`Store.evidence`, with the same filter
    ///     and keys), for the fix commands of `fix(for:)`; groups without evidence keep the
    ///     placeholders.
    ///
    /// The zero-filled range runs from the bucket of `since` (or the first trend bucket) to the
    /// bucket of `until - 1` (or the last trend bucket), and always covers every trend point. When
    /// it holds more than `maximumBuckets` buckets, the empty buckets after the last point go
    /// first, then those before the first point, then the oldest buckets.
    public init(
        filter: OccurrenceFilter = OccurrenceFilter(), keys: [GroupKey], bucket: BucketSize,
        groups: [GroupCount], trend: [TrendCount], history: [TrendCount]? = nil, observedSince: Int64? = nil,
        previous: [GroupCount]? = nil, top: Int? = nil, order: GroupOrder? = nil, zone: DisplayZone = .utc,
        spikeRule: SpikeRule? = nil, evidence: [GroupEvidence] = []
    ) {
        self.filter = filter
        self.keys = keys
        self.bucket = bucket
        self.zone = zone
        self.evidence = evidence.reduce(into: [:]) { $0[$1.key] = $1 }
        let order = order ?? (keys.contains(.day) || keys.contains(.hour) ? .time : .count)
        self.order = order

        let sorted = groups.sorted(by: Report.groupPrecedes)
        let shown = top.map { Array(sorted.prefix(max(0, $0))) } ?? sorted
        self.groups = shown.sorted { Report.precedes($0, $1, in: order) }
        total = sorted.reduce(0) { $0 + $1.count }
        totalAttempts = sorted.reduce(0) { $0 + $1.attempts }
        omittedGroups = sorted.count - shown.count
        omittedCount = total - shown.reduce(0) { $0 + $1.count }

        var points: [SeriesKey: [Int64: Int]] = [:]
        for point in trend where point.count > 0 {
            let start = bucket.floor(Report.clamp(point.bucket))
            points[SeriesKey(registry: point.registry, type: point.type), default: [:]][start, default: 0] +=
                point.count
        }
        self.trend =
            points
            .flatMap { key, counts in
                counts.map { TrendCount(bucket: $0.key, registry: key.registry, type: key.type, count: $0.value) }
            }
            .sorted { a, b in
                a.bucket != b.bucket
                    ? a.bucket < b.bucket
                    : SeriesKey(registry: a.registry, type: a.type) < SeriesKey(registry: b.registry, type: b.type)
            }

        let buckets = Report.range(of: self.trend.map(\.bucket), filter: filter, bucket: bucket)
        self.buckets = buckets
        let series = points.keys.sorted().map { key -> TrendSeries in
            let counts = points[key] ?? [:]
            return TrendSeries(key: key, counts: buckets.map { counts[$0] ?? 0 })
        }
        self.series = series

        let rule = spikeRule ?? SpikeRule.standard(for: bucket)
        self.spikeRule = rule
        var past = points
        if let history {
            past = [:]
            for point in history where point.count > 0 {
                let start = bucket.floor(Report.clamp(point.bucket))
                past[SeriesKey(registry: point.registry, type: point.type), default: [:]][start, default: 0] +=
                    point.count
            }
        }
        let firstPast = past.values.flatMap(\.keys).min()
        let observedFrom =
            observedSince.map { bucket.floor(Report.clamp($0)) }
            ?? (history == nil ? buckets.first : firstPast) ?? 0
        spikes =
            series
            .flatMap { series -> [Spike] in
                // Judge whole buckets: a bucket cut by `since` counts what the history holds for it.
                var counts = past[series.key] ?? [:]
                for (index, count) in series.counts.enumerated() where count > (counts[buckets[index]] ?? 0) {
                    counts[buckets[index]] = count
                }
                return Spike.find(
                    key: series.key, counts: counts, judged: buckets, step: bucket.milliseconds,
                    observedFrom: observedFrom, rule: rule)
            }
            .sorted { $0.bucket != $1.bucket ? $0.bucket < $1.bucket : $0.key < $1.key }
        types = Set(sorted.compactMap(\.type) + series.map(\.type)).sorted()

        previousTotal = previous.map { $0.reduce(0) { $0 + $1.count } }
        let byPeriod = keys.contains(.day) || keys.contains(.hour)
        if let previous, !byPeriod {
            previousCounts = previous.reduce(into: [:]) { $0[$1.key.withoutPeriod, default: 0] += $1.count }
        } else {
            previousCounts = nil
        }
        if let previous, keys.contains(.registry), keys.contains(.type) {
            let before = Set(previous.filter { $0.count > 0 }.compactMap(Report.pair))
            newPairs = Set(sorted.filter { $0.count > 0 }.compactMap(Report.pair)).subtracting(before).sorted()
        } else {
            newPairs = nil
        }
    }

    /// The occurrences of `group` in the previous window (0 when it had none), or nil when no
    /// previous window was given or the groups are grouped by day or hour.
    public func previousCount(for group: GroupCount) -> Int? {
        previousCounts.map { $0[group.key.withoutPeriod] ?? 0 }
    }

    /// The zero-filled trend of `group`, one count per bucket of `buckets`: the series of its
    /// registry and type summed (all registries or all types when not grouped by that key). Nil
    /// when the groups are grouped by host, repository, day or hour, which the trend does not split.
    public func trendCounts(for group: GroupCount) -> [Int]? {
        guard groupsHaveTrends else { return nil }
        let byRegistry = keys.contains(.registry)
        let byType = keys.contains(.type)
        var sums = [Int](repeating: 0, count: buckets.count)
        for series in series
        where (!byRegistry || series.registry == group.registry) && (!byType || series.type == group.type) {
            for (index, count) in series.counts.enumerated() { sums[index] += count }
        }
        return sums
    }

    /// The fix of `group`, its commands filled in from what its occurrences named; nil when the
    /// groups are not grouped by type.
    public func fix(for group: GroupCount) -> GroupFix? {
        guard let type = group.type else { return nil }
        let found = evidence[group.key]
        func values(_ key: GroupKey, _ own: String?, _ named: EvidenceValues?) -> EvidenceValues {
            keys.contains(key) ? EvidenceValues(own.map { [$0] } ?? []) : named ?? EvidenceValues()
        }
        return GroupFix(
            type: type, registries: values(.registry, group.registry, found?.registries),
            clientIPs: values(.clientIP, group.clientIP, found?.clientIPs),
            identities: values(.identity, group.identity, found?.identities),
            repositories: values(.repository, group.repository, found?.repositories),
            codes: found?.codes ?? EvidenceValues())
    }

    /// The types present that no group shown has a fix for (the groups are not grouped by type,
    /// or `top` left their groups out), by id.
    var typesWithoutGroupFix: [ErrorType] {
        let covered = Set(groups.compactMap(\.type))
        return types.filter { !covered.contains($0) }
    }

    // MARK: Helpers

    /// Whether `previousCount(for:)` answers: a previous window was given and the groups are
    /// not grouped by day or hour.
    var comparesGroups: Bool { previousCounts != nil }

    /// Whether `trendCounts(for:)` answers: the groups are grouped by registry and type only.
    var groupsHaveTrends: Bool { keys.allSatisfy { $0 == .registry || $0 == .type } }

    /// The order of groups by count: count descending, then registry, type, host, repository,
    /// identity, client IP and period.
    static func groupPrecedes(_ a: GroupCount, _ b: GroupCount) -> Bool {
        if a.count != b.count { return a.count > b.count }
        if a.registry != b.registry { return nilLastPrecedes(a.registry, b.registry) }
        if a.type != b.type { return nilLastPrecedes(a.type, b.type) }
        if a.host != b.host { return nilLastPrecedes(a.host, b.host) }
        if a.repository != b.repository { return nilLastPrecedes(a.repository, b.repository) }
        if a.identity != b.identity { return nilLastPrecedes(a.identity, b.identity) }
        if a.clientIP != b.clientIP { return nilLastPrecedes(a.clientIP, b.clientIP) }
        return nilLastPrecedes(a.period, b.period)
    }

    /// The order of groups in `order`; ties fall back to the order by count.
    static func precedes(_ a: GroupCount, _ b: GroupCount, in order: GroupOrder) -> Bool {
        switch order {
        case .count:
            break
        case .time:
            // The period when grouped by one, else the first time seen; unknown times last.
            let (x, y) = (a.period ?? a.firstSeen, b.period ?? b.firstSeen)
            if x != y { return nilLastPrecedes(x, y) }
        case .registry:
            if a.registry != b.registry { return nilLastPrecedes(a.registry, b.registry) }
            if a.type != b.type { return nilLastPrecedes(a.type, b.type) }
        case .type:
            if a.type != b.type { return nilLastPrecedes(a.type, b.type) }
            if a.registry != b.registry { return nilLastPrecedes(a.registry, b.registry) }
        }
        return groupPrecedes(a, b)
    }

    /// The registry and type of a group grouped by both.
    private static func pair(_ group: GroupCount) -> SeriesKey? {
        group.type.map { SeriesKey(registry: group.registry, type: $0) }
    }

    /// Times outside years 1…9999 are clamped, so that bucket arithmetic cannot overflow.
    static func clamp(_ ms: Int64) -> Int64 {
        min(max(ms, -62_135_596_800_000), 253_402_300_799_999)
    }

    /// The bucket starts of the zero-filled range (see `init`).
    private static func range(of starts: [Int64], filter: OccurrenceFilter, bucket: BucketSize) -> [Int64] {
        guard let first = starts.min(), let last = starts.max() else { return [] }
        let step = bucket.milliseconds
        let span = Int64(maximumBuckets - 1) * step
        var lower = min(first, filter.since.map { bucket.floor(clamp($0)) } ?? first)
        var upper = max(last, filter.until.map { bucket.floor(clamp($0) - 1) } ?? last)
        if upper - lower > span { upper = max(last, lower + span) }
        if upper - lower > span { lower = min(first, upper - span) }
        if upper - lower > span { lower = upper - span }
        return Array(stride(from: lower, through: upper, by: Int(step)))
    }
}

/// The order of the groups of a report (`report --sort`).
public enum GroupOrder: String, Sendable, CaseIterable {
    /// Count descending (the default unless grouped by day or hour).
    case count
    /// Oldest first: by day or hour when grouped by one (the default then), else by first seen.
    case time
    /// By registry name (unknown last), then type.
    case registry
    /// By error type, then registry.
    case type
}
