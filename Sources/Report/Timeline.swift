import LogModel
import LogScanner

/// Occurrences in time order with bursts collapsed, for postmortems (`acrscan timeline`).
///
/// The collapse rule: an occurrence joins the open burst of its type, registry and host when its
/// time is at most `gap` (10 minutes) after the last occurrence of that burst; otherwise it opens
/// a new burst. Occurrences of other keys may come in between without breaking a burst. An
/// occurrence without a time is a row of its own and joins nothing. Rows are ordered by their
/// first occurrence, in input order.
public struct Timeline: Sendable {
    /// The largest gap, in milliseconds, between consecutive occurrences of one burst.
    public static let defaultGap: Int64 = 10 * 60 * 1000

    /// The `schema` value of `renderJSON`.
    public static let jsonSchema = "acrscan.timeline/v2"

    /// The rows, ordered by their first occurrence.
    public let rows: [TimelineRow]
    /// The gap the rows were collapsed with.
    public let gap: Int64
    /// Occurrences that match but were not read (`timeline --limit`), all later than the rows.
    public let omitted: Int
    /// The zone that the table, Markdown and HTML print times in.
    public let zone: DisplayZone

    /// A timeline of `occurrences`, which must come in time order (the store's timeline query
    /// returns them so: by time, then id). `omitted` says how many more matching occurrences were
    /// left unread; `zone` is the zone for human-readable times. O(n) expected.
    public init(
        _ occurrences: [StoredOccurrence], gap: Int64 = Timeline.defaultGap, omitted: Int = 0,
        zone: DisplayZone = .utc
    ) {
        var rows: [TimelineRow] = []
        var open: [BurstKey: Int] = [:]  // the row index of each key's latest burst
        for stored in occurrences {
            let occurrence = stored.occurrence
            let key = BurstKey(type: occurrence.type, registry: occurrence.registry, host: stored.host)
            if let time = occurrence.timestamp, let index = open[key], let last = rows[index].last,
                time >= last, time - last <= gap
            {
                rows[index].last = time
                rows[index].count += 1
                rows[index].attempts += occurrence.attempts
                continue
            }
            rows.append(TimelineRow(stored))
            if occurrence.timestamp != nil { open[key] = rows.count - 1 }
        }
        self.rows = rows
        self.gap = gap
        self.omitted = max(0, omitted)
        self.zone = zone
    }

    /// Occurrences over all rows.
    public var total: Int { rows.reduce(0) { $0 + $1.count } }
}

/// What occurrences of one burst share.
private struct BurstKey: Hashable {
    let type: ErrorType
    let registry: String?
    let host: String
}
