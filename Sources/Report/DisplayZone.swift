import LogModel
import LogScanner

/// The time zone that the human-readable renderers (table, Markdown, HTML, and the timeline's)
/// print times in (`--tz`). Machine formats (JSON, CSV) always print UTC. Buckets stay UTC days
/// and hours whatever the zone.
public struct DisplayZone: Sendable, Equatable {
    /// The zone's name as given (`Europe/Paris`), or `UTC`.
    public let name: String
    /// The zone's offsets and changes (read from the system's zone files); nil for UTC.
    private let zone: LocalZone?

    /// Coordinated Universal Time, the default.
    public static let utc = DisplayZone(name: "UTC", zone: nil)

    private init(name: String, zone: LocalZone?) {
        self.name = name
        self.zone = zone
    }

    /// The zone of an IANA name (`Europe/Paris`, `America/New_York`) or `UTC`; nil when unknown.
    public init?(identifier: String) {
        if identifier == "UTC" || identifier == "Z" {
            self = .utc
            return
        }
        // Only names with a slash (or Etc/…) are IANA zones whose rules are unambiguous: not
        // abbreviations (`CET`) nor offsets (`GMT+1`).
        guard identifier.contains("/"), let zone = LocalZone.named(identifier) else { return nil }
        self.init(name: identifier, zone: zone)
    }

    /// Whether this is UTC.
    public var isUTC: Bool { zone == nil }

    /// The zone's offset from UTC at `ms`, in seconds.
    func offset(at ms: Int64) -> Int {
        zone.map { Int($0.offset(atUTC: ms - ms % 1000) / 1000) } ?? 0
    }

    /// ISO-8601 with the zone's offset: `2026-11-20T04:14:15+01:00`, or `…Z` in UTC.
    func iso(_ ms: Int64) -> String {
        let offset = offset(at: ms)
        let local = Timestamp.iso(ms + Int64(offset) * 1000)  // 2026-11-20T04:14:15Z
        guard !isUTC else { return local }
        return local.dropLast() + Self.offsetText(offset)
    }

    /// `2026-11-20 04:14:15` in the zone.
    func dateTime(_ ms: Int64) -> String {
        let iso = Timestamp.iso(ms + Int64(offset(at: ms)) * 1000)
        return iso.prefix(10) + " " + iso.dropFirst(11).prefix(8)
    }

    /// `+01:00`, `-05:30`.
    private static func offsetText(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        let hours = minutes / 60
        return sign + (hours < 10 ? "0" : "") + String(hours) + ":" + (minutes % 60 < 10 ? "0" : "")
            + String(minutes % 60)
    }
}
