import LogModel

/// Timestamp forms of the producers acrscan reads (docs/counting-rules.md, "Time"), parsed from bytes to milliseconds since the
/// Unix epoch, UTC. Used only on candidate lines and on the few lines walked back from them.
extension Timestamp {
    /// Parses ISO-8601 text (`2026-11-20`, `2026-11-20T03:14`, `2026-11-20T03:14Z`,
    /// `2026-11-20T03:14:15.123Z`, `2026-11-20 03:14:15+02:00`) to milliseconds, for command-line
    /// arguments; without a zone the time is UTC. Nil if malformed.
    public static func parse(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)
        if bytes.count == 10 { bytes += Array("T00:00:00Z".utf8) }  // a date: its midnight, UTC
        if bytes.count >= 16, bytes.count == 16 || bytes[16] != UInt8(ascii: ":") {
            bytes.insert(contentsOf: Array(":00".utf8), at: 16)  // minutes without seconds
        }
        return bytes.withUnsafeBytes { buffer in
            guard let (ms, end) = iso(in: buffer, at: 0), end == buffer.count || buffer[end] == 0x20 else { return nil }
            return ms
        }
    }

    // MARK: - Byte parsers

    /// The value of `count` ASCII digits at `at`, or nil.
    @inlinable
    static func digits(_ b: UnsafeRawBufferPointer, _ at: Int, _ count: Int) -> Int? {
        guard at >= 0, at + count <= b.count else { return nil }
        var value = 0
        for i in at..<(at + count) {
            let c = b[i] &- 0x30
            guard c <= 9 else { return nil }
            value = value * 10 + Int(c)
        }
        return value
    }

    /// `YYYY-MM-DD[T ]hh:mm:ss[.f…][Z|±hh[:]mm]` at `at` (also `YYYY/MM/DD hh:mm:ss` when `slashes`).
    /// Returns the time and the index just past it. Without a zone the time is local time in `zone`
    /// (UTC unless `scan --assume-tz` says otherwise).
    static func iso(in b: UnsafeRawBufferPointer, at i: Int, slashes: Bool = false, zone: LocalZone = .utc) -> (
        Int64, Int
    )? {
        let dateSep = slashes ? UInt8(ascii: "/") : UInt8(ascii: "-")
        guard let year = digits(b, i, 4), i + 19 <= b.count, b[i + 4] == dateSep, let month = digits(b, i + 5, 2),
            b[i + 7] == dateSep, let day = digits(b, i + 8, 2), b[i + 10] == 0x54 || b[i + 10] == 0x20,
            let hour = digits(b, i + 11, 2), b[i + 13] == 0x3A, let minute = digits(b, i + 14, 2),
            b[i + 16] == 0x3A, let second = digits(b, i + 17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var end = i + 19
        let millis = fraction(b, &end)
        var ms = milliseconds(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millis)
        // Go's `time.Time.String` puts a space before the offset: `2026-11-20 03:14:15.25 +0200 EET`
        // (a real offset: at most 14 hours, then a space, a quote or the end).
        if end + 6 <= b.count, b[end] == 0x20, b[end + 1] == 0x2B || b[end + 1] == 0x2D,
            let oh = digits(b, end + 2, 2), let om = digits(b, end + 4, 2), oh <= 14, om < 60,
            end + 6 == b.count || b[end + 6] == 0x20 || b[end + 6] == 0x22
        {
            end += 1
        }
        if end < b.count, b[end] == 0x5A {  // Z
            end += 1
        } else if end < b.count, b[end] == 0x2B || b[end] == 0x2D, let oh = digits(b, end + 1, 2) {
            let sign: Int64 = b[end] == 0x2B ? 1 : -1
            var next = end + 3
            if next < b.count, b[next] == 0x3A { next += 1 }
            if let om = digits(b, next, 2) {
                ms -= sign * Int64(oh * 60 + om) * 60_000
                end = next + 2
            } else {
                ms = zone.utc(fromLocal: ms)
            }
        } else {
            ms = zone.utc(fromLocal: ms)
        }
        return (ms, end)
    }

    /// The milliseconds of a `.fff…` or `,fff…` fraction at `end` (digits past the third are read
    /// and dropped), moving `end` past it; 0 and `end` unmoved when there is none.
    @inline(__always)
    static func fraction(_ b: UnsafeRawBufferPointer, _ end: inout Int) -> Int {
        guard end < b.count, b[end] == 0x2E || b[end] == 0x2C else { return 0 }
        end += 1
        var millis = 0
        var scale = 100
        while end < b.count, b[end] &- 0x30 <= 9 {
            millis += Int(b[end] &- 0x30) * scale
            scale /= 10
            end += 1
        }
        return millis
    }

    /// App Service's older day-first `DD/MM/YYYY hh:mm:ss[.fff]` (`17/09/2018 18:41:42.500 ERROR -`) at `at`:
    /// local time in `zone`. Nil if malformed (matcher version 8).
    static func dayFirst(in b: UnsafeRawBufferPointer, at i: Int, zone: LocalZone = .utc) -> Int64? {
        guard i + 19 <= b.count, let day = digits(b, i, 2), b[i + 2] == 0x2F, let month = digits(b, i + 3, 2),
            b[i + 5] == 0x2F, let year = digits(b, i + 6, 4), b[i + 10] == 0x20, let hour = digits(b, i + 11, 2),
            b[i + 13] == 0x3A, let minute = digits(b, i + 14, 2), b[i + 16] == 0x3A, let second = digits(b, i + 17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var end = i + 19
        let millis = fraction(b, &end)
        return zone.utc(
            fromLocal: milliseconds(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millis))
    }

    static let months: [[UInt8]] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .map { Array($0.utf8) }

    /// `Mon DD hh:mm:ss` (syslog; `Nov  1` pads with a space) at `at`; the year comes from `reference`.
    static func syslog(in b: UnsafeRawBufferPointer, at i: Int, reference: ReferenceTime) -> Int64? {
        guard i + 15 <= b.count, b[i + 3] == 0x20 else { return nil }
        guard let month = months.firstIndex(where: { m in (0..<3).allSatisfy { foldASCII(b[i + $0]) == m[$0] } }) else {
            return nil
        }
        let day = b[i + 4] == 0x20 ? digits(b, i + 5, 1) : digits(b, i + 4, 2)
        guard let day, b[i + 6] == 0x20, let hour = digits(b, i + 7, 2), b[i + 9] == 0x3A,
            let minute = digits(b, i + 10, 2), b[i + 12] == 0x3A, let second = digits(b, i + 13, 2)
        else { return nil }
        return reference.resolve(month: month + 1, day: day, hour: hour, minute: minute, second: second, millisecond: 0)
    }

    /// klog's `Lmmdd hh:mm:ss.uuuuuu` at `at`, where L is I, W, E or F; the year comes from `reference`.
    static func klog(in b: UnsafeRawBufferPointer, at i: Int, reference: ReferenceTime) -> Int64? {
        guard i + 21 <= b.count, b[i] == 0x49 || b[i] == 0x57 || b[i] == 0x45 || b[i] == 0x46,
            let month = digits(b, i + 1, 2), let day = digits(b, i + 3, 2), b[i + 5] == 0x20,
            let hour = digits(b, i + 6, 2), b[i + 8] == 0x3A, let minute = digits(b, i + 9, 2),
            b[i + 11] == 0x3A, let second = digits(b, i + 12, 2), b[i + 14] == 0x2E,
            let micros = digits(b, i + 15, 6), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return reference.resolve(
            month: month, day: day, hour: hour, minute: minute, second: second, millisecond: micros / 1000)
    }
}

/// Supplies the year that klog and syslog lines leave out: the year of the file's modification
/// time, or the year before when the line's month lies after that time's month (a log written in
/// December and last modified in January).
///
/// It also carries the zone of times written without one (klog, syslog, ACR Tasks, the Azure CLI's
/// embedded times): UTC unless `scan --assume-tz` names another.
public struct ReferenceTime: Sendable, Equatable {
    /// The reference year and month (1-12).
    public let year: Int, month: Int
    /// The zone of times that carry none.
    public var zone: LocalZone

    /// A reference taken from milliseconds since the epoch (a file's mtime, or now).
    public init(milliseconds: Int64, zone: LocalZone = .utc) {
        let (y, m, _) = Timestamp.civil(days: Int(milliseconds / 86_400_000))
        self.year = y
        self.month = m
        self.zone = zone
    }

    func resolve(month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) -> Int64 {
        let y = month > self.month ? year - 1 : year
        return zone.utc(
            fromLocal: Timestamp.milliseconds(
                year: y, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond))
    }
}

/// A time zone as the scanner needs it, without Foundation: its UTC offsets and the instants they
/// change at (daylight saving time), prepared once before any file is read (`scan --assume-tz`).
public struct LocalZone: Sendable, Equatable {
    /// Instants (milliseconds since the epoch, UTC) from which `offsets[i]` applies; ascending,
    /// the first one at `Int64.min`.
    public let changes: [Int64]
    /// Offsets from UTC in seconds (east positive), one per change.
    public let offsets: [Int32]

    /// UTC itself.
    public static let utc = LocalZone(changes: [Int64.min], offsets: [0])

    /// A zone from its changes and offsets. - Precondition: equal, non-zero counts; `changes` ascending.
    public init(changes: [Int64], offsets: [Int32]) {
        precondition(!changes.isEmpty && changes.count == offsets.count, "one offset per change")
        self.changes = changes
        self.offsets = offsets
    }

    /// The offset in force at a UTC instant. O(log changes).
    public func offset(atUTC ms: Int64) -> Int64 {
        var low = 0
        var high = changes.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if changes[mid] <= ms { low = mid } else { high = mid - 1 }
        }
        return Int64(offsets[low]) * 1000
    }

    /// The UTC instant of a local wall-clock time. In the hour a change skips, or the hour it
    /// repeats, the offset in force before the change is taken.
    public func utc(fromLocal ms: Int64) -> Int64 {
        guard changes.count > 1 else { return ms - Int64(offsets[0]) * 1000 }
        let guess = ms - offset(atUTC: ms)
        return ms - offset(atUTC: guess)
    }
}
