import LogModel
import LogScanner

/// `scan --assume-tz ZONE`: the zone of log times written without one, as the scanner's
/// `LocalZone` (its offsets and the instants they change at), read from the system's zone files.
enum AssumedZone {
    /// The first instant whose changes are taken (1990-01-01): logs older than that take the
    /// zone's offset at that instant.
    static let since: Int64 = 631_152_000_000
    /// How far past now changes are taken: two years.
    static let ahead: Int64 = 2 * 365 * 86_400_000

    /// Parses `UTC`, `Z`, an offset (`+02:00`, `-0530`) or an IANA zone name (`Europe/Berlin`).
    /// Throws a usage error (exit 2) naming the value otherwise.
    static func parse(_ text: String) throws -> LocalZone {
        if text == "UTC" || text == "Z" { return .utc }
        if let seconds = offsetSeconds(text) { return LocalZone(changes: [Int64.min], offsets: [Int32(seconds)]) }
        guard text.contains("/"), let zone = LocalZone.named(text) else {
            throw Failure.usage(
                "--assume-tz: '\(text)' is not UTC, an offset like +02:00, or an IANA zone name like Europe/Berlin")
        }
        return window(zone, from: since, to: Timestamp.now() + ahead)
    }

    /// The zone's changes after `start` and before `end`, its offset at `start` before them.
    static func window(_ zone: LocalZone, from start: Int64, to end: Int64) -> LocalZone {
        var changes: [Int64] = [Int64.min]
        var offsets: [Int32] = [Int32(zone.offset(atUTC: start) / 1000)]
        for (instant, offset) in zip(zone.changes, zone.offsets) where instant > start && instant < end {
            changes.append(instant)
            offsets.append(offset)
        }
        return LocalZone(changes: changes, offsets: offsets)
    }

    /// `±hh:mm` or `±hhmm` (or `±hh`) in seconds east of UTC; nil for anything else.
    static func offsetSeconds(_ text: String) -> Int? {
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let digits = text.dropFirst().filter { $0 != ":" }
        guard [2, 4].contains(digits.count), digits.allSatisfy(\.isASCII), let value = Int(digits) else { return nil }
        let (hours, minutes) = digits.count == 2 ? (value, 0) : (value / 100, value % 100)
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }
}
