import LogModel
import LogScanner

/// Text shared by the human-readable renderers (table, Markdown, HTML). Values are sanitised but
/// not escaped: each renderer escapes them for its format.
enum Display {
    /// What an unknown registry or repository prints as.
    static let unknown = "(unknown)"

    /// A registry name, sanitised, or `(unknown)`.
    static func registry(_ name: String?) -> String {
        name.map(Escape.sanitize) ?? unknown
    }

    /// A time as ISO-8601 in `zone` (UTC: `…Z`, else with its offset), or `-` when unknown.
    static func time(_ ms: Int64?, in zone: DisplayZone = .utc) -> String {
        ms.map(zone.iso) ?? "-"
    }

    /// A bucket or period start: `2026-11-20` for days, `2026-11-20 03:00` for hours.
    static func period(_ ms: Int64, hourly: Bool) -> String {
        let iso = Timestamp.iso(ms)
        return hourly ? iso.prefix(10) + " " + iso.dropFirst(11).prefix(5) : String(iso.prefix(10))
    }

    /// The window, e.g. `2026-11-18T00:00:00Z to 2026-11-21T00:00:00Z` or `everything stored`.
    static func window(_ filter: OccurrenceFilter, in zone: DisplayZone = .utc) -> String {
        switch (filter.since, filter.until) {
        case (let since?, let until?): "\(zone.iso(since)) to \(zone.iso(until))"
        case (let since?, nil): "since \(zone.iso(since))"
        case (nil, let until?): "until \(zone.iso(until))"
        case (nil, nil): "everything stored"
        }
    }

    /// The filters other than the window, e.g. `registry=contosoprod, host=build1`; nil when none.
    static func filters(_ filter: OccurrenceFilter) -> String? {
        var parts: [String] = []
        if !filter.registries.isEmpty {
            parts.append(
                "registry="
                    + filter.registries.map { $0.isEmpty ? unknown : Escape.sanitize($0) }.joined(separator: "|"))
        }
        if !filter.types.isEmpty { parts.append("type=" + filter.types.map(\.rawValue).joined(separator: "|")) }
        if !filter.hosts.isEmpty { parts.append("host=" + filter.hosts.map(Escape.sanitize).joined(separator: "|")) }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// The grouping, order and bucket, e.g. `by registry, type; day buckets`, with the order
    /// when it is not the default and the zone when it is not UTC
    /// (`by day; sorted by count; day buckets (UTC); times in Europe/Paris`).
    static func grouping(_ report: Report) -> String {
        let by = report.keys.isEmpty ? "not grouped" : "by " + report.keys.map(\.rawValue).joined(separator: ", ")
        let byPeriod = report.keys.contains(.day) || report.keys.contains(.hour)
        var text = by
        if report.order != (byPeriod ? .time : .count) { text += "; sorted by \(report.order.rawValue)" }
        if report.zone.isUTC { return text + "; \(report.bucket.rawValue) buckets" }
        return text + "; \(report.bucket.rawValue) buckets (UTC); times in \(report.zone.name)"
    }

    /// The change from the previous window: `new`, `+3`, `-2` or `0`.
    static func change(_ count: Int, from previous: Int) -> String {
        if previous == 0 && count > 0 { return "new" }
        return count > previous ? "+\(count - previous)" : String(count - previous)
    }

    /// The total line, e.g. `45 occurrences (48 attempts) in 4 groups; previous window: 20 (+25)`.
    static func total(_ report: Report) -> String {
        let groups = report.groups.count + report.omittedGroups
        var text =
            "\(plural(report.total, "occurrence")) (\(plural(report.totalAttempts, "attempt"))) "
            + "in \(plural(groups, "group"))"
        if let previous = report.previousTotal {
            text += "; previous window: \(previous) (\(change(report.total, from: previous)))"
        }
        return text
    }

    /// The line about groups that `top` left out, or nil when none were.
    static func omitted(_ report: Report) -> String? {
        guard report.omittedGroups > 0 else { return nil }
        return "\(plural(report.omittedGroups, "more group")) not shown (\(plural(report.omittedCount, "occurrence")))"
    }

    /// The spike rule as a sentence, after "A spike is".
    static func spikeRule(_ rule: SpikeRule, bucket: BucketSize) -> String {
        "a \(bucket.rawValue) whose count is at least \(rule.minimumRise) above the 90th percentile of the "
            + "\(rule.history) \(bucket.rawValue)s before it (from \(rule.minimumHistory) observed ones on), and at least "
            + "\(threshold(rule)) robust standard deviations above their median, the baseline "
            + "(score = (count - baseline) / max(sqrt(baseline), 1.4826 x MAD, IQR / 1.349))"
    }

    /// The spike rule in short, for the table's heading.
    static func spikeRuleShort(_ rule: SpikeRule, bucket: BucketSize) -> String {
        "count >= 90th percentile + \(rule.minimumRise) and score >= \(threshold(rule)), over the "
            + "\(rule.history) \(bucket.rawValue)s before"
    }

    /// The threshold as text.
    private static func threshold(_ rule: SpikeRule) -> String { number(rule.threshold) }

    /// A parameter without a needless `.0`: `4`, `4.5`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// A spike's registry and type, e.g. `contosoprod unauthorized`.
    static func pair(_ key: SeriesKey) -> String {
        "\(registry(key.registry)) \(key.type.rawValue)"
    }

    /// `1 occurrence`, `2 occurrences`.
    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// A group's keys other than its type, sanitised, e.g. `contosoprod`, `contosoprod, build-07`
    /// or `(unknown), 2026-11-20`; `all` when grouped by type only.
    static func groupLabel(_ group: GroupCount, in report: Report) -> String {
        var parts: [String] = []
        for key in report.keys {
            switch key {
            case .registry: parts.append(registry(group.registry))
            case .type: break
            case .host: parts.append(group.host.map(Escape.sanitize) ?? unknown)
            case .repository: parts.append(group.repository.map(Escape.sanitize) ?? unknown)
            case .identity: parts.append(group.identity.map(Escape.sanitize) ?? unknown)
            case .clientIP: parts.append(group.clientIP.map(Escape.sanitize) ?? unknown)
            case .day, .hour: parts.append(group.period.map { period($0, hourly: key == .hour) } ?? "-")
            }
        }
        return parts.isEmpty ? "all" : parts.joined(separator: ", ")
    }

    /// What a fix's logs named beyond the group's own keys, sanitised, e.g.
    /// `client IPs 203.0.113.7, 203.0.113.9 and 3 more; codes CONNECTIVITY_FORBIDDEN_ERROR`; nil
    /// when nothing. Each value is passed through `escape` after sanitising.
    static func evidence(_ fix: GroupFix, in report: Report, escape: (String) -> String = { $0 }) -> String? {
        let parts = fix.evidence
            .filter { item in !item.values.isEmpty && !report.keys.contains { $0.rawValue == item.kind } }
            .map { item in
                let values = item.values.map { escape(Escape.sanitize($0)) }.joined(separator: ", ")
                return "\(item.label) \(values)" + (item.more > 0 ? " and \(item.more) more" : "")
            }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
