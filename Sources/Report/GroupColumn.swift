import LogModel
import LogScanner

/// A column of the groups table in the table, Markdown and HTML renderers: the dimensions grouped
/// by (in the fixed order registry, type, host, repository, identity, client IP, period), the counts and times, the
/// change from the previous window when there is one, and the trend sparkline when the groups
/// have one.
enum GroupColumn: Equatable {
    case registry, type, host, repository, identity, clientIP
    /// The day or hour of the group.
    case period(hourly: Bool)
    case count, attempts, firstSeen, lastSeen
    /// The change from the previous window (`Display.change`).
    case change
    /// The sparkline of the group's trend.
    case trend

    /// The columns of `report`'s groups table.
    static func columns(of report: Report) -> [GroupColumn] {
        var columns: [GroupColumn] = []
        if report.keys.contains(.registry) { columns.append(.registry) }
        if report.keys.contains(.type) { columns.append(.type) }
        if report.keys.contains(.host) { columns.append(.host) }
        if report.keys.contains(.repository) { columns.append(.repository) }
        if report.keys.contains(.identity) { columns.append(.identity) }
        if report.keys.contains(.clientIP) { columns.append(.clientIP) }
        if report.keys.contains(.hour) {
            columns.append(.period(hourly: true))
        } else if report.keys.contains(.day) {
            columns.append(.period(hourly: false))
        }
        columns += [.count, .attempts, .firstSeen, .lastSeen]
        if report.comparesGroups { columns.append(.change) }
        if report.groupsHaveTrends && !report.buckets.isEmpty { columns.append(.trend) }
        return columns
    }

    /// The heading, e.g. `First seen`.
    var title: String {
        switch self {
        case .registry: "Registry"
        case .type: "Type"
        case .host: "Host"
        case .repository: "Repository"
        case .identity: "Identity"
        case .clientIP: "Client IP"
        case .period(let hourly): hourly ? "Hour" : "Day"
        case .count: "Count"
        case .attempts: "Attempts"
        case .firstSeen: "First seen"
        case .lastSeen: "Last seen"
        case .change: "Change"
        case .trend: "Trend"
        }
    }

    /// Whether the column holds numbers, which align right.
    var isNumeric: Bool {
        switch self {
        case .count, .attempts, .change: true
        default: false
        }
    }

    /// The cell of `group`, sanitised but not escaped.
    func text(of group: GroupCount, in report: Report, sparklineWidth: Int, ascii: Bool) -> String {
        switch self {
        case .registry: Display.registry(group.registry)
        case .type: group.type?.rawValue ?? Display.unknown
        case .host: group.host.map(Escape.sanitize) ?? Display.unknown
        case .repository: group.repository.map(Escape.sanitize) ?? Display.unknown
        case .identity: group.identity.map(Escape.sanitize) ?? Display.unknown
        case .clientIP: group.clientIP.map(Escape.sanitize) ?? Display.unknown
        case .period(let hourly): group.period.map { Display.period($0, hourly: hourly) } ?? "-"
        case .count: String(group.count)
        case .attempts: String(group.attempts)
        case .firstSeen: Display.time(group.firstSeen, in: report.zone)
        case .lastSeen: Display.time(group.lastSeen, in: report.zone)
        case .change: report.previousCount(for: group).map { Display.change(group.count, from: $0) } ?? ""
        case .trend:
            report.trendCounts(for: group).map { Sparkline.render($0, width: sparklineWidth, ascii: ascii) } ?? ""
        }
    }
}
