import Foundation
import LogModel
import LogScanner

/// `scan --assume-tz ZONE`: the zone of log times written without one, as the scanner's
/// Foundation-free `LocalZone` (its offsets and the instants they change at).
enum AssumedZone {
    /// The first instant whose daylight saving changes are taken (1990-01-01): logs older than
    /// that take the zone's standard offset of 1990.
    static let since = Date(timeIntervalSince1970: 631_152_000)

    /// Parses `UTC`, `Z`, an offset (`+02:00`, `-0530`) or an IANA zone name (`Europe/Berlin`).
    /// Throws a usage error (exit 2) naming the value otherwise.
    static func parse(_ text: String) throws -> LocalZone {
        if text == "UTC" || text == "Z" { return .utc }
        if let seconds = offsetSeconds(text) { return LocalZone(changes: [Int64.min], offsets: [Int32(seconds)]) }
        guard text.contains("/"), let zone = TimeZone(identifier: text) else {
            throw Failure.usage(
                "--assume-tz: '\(text)' is not UTC, an offset like +02:00, or an IANA zone name like Europe/Berlin")
        }
        var changes: [Int64] = [Int64.min]
        var offsets: [Int32] = [Int32(zone.secondsFromGMT(for: since))]
        let end = Date(timeIntervalSinceNow: 2 * 365 * 86_400)
        var instant = since
        while let next = zone.nextDaylightSavingTimeTransition(after: instant), next < end {
            changes.append(Int64(next.timeIntervalSince1970 * 1000))
            offsets.append(Int32(zone.secondsFromGMT(for: next)))
            instant = next
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
