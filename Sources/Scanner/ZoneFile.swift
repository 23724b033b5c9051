import LogModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// IANA time zones read from the system's compiled zone files (TZif, RFC 8536: `/usr/share/zoneinfo`,
/// or `$TZDIR`), so that `--tz` and `--assume-tz` need no Foundation: `import Foundation` links
/// ICU and costs every run about 5 ms of start-up (docs/performance.md, "Start-up").
extension LocalZone {
    /// The last year whose changes are listed: those after a file's last transition are made from
    /// its rule (the POSIX TZ string at its end), up to this year; the last offset holds after it.
    static let lastRuleYear = 2100

    /// The zone of an IANA name (`Europe/Paris`, `America/New_York`, `Etc/GMT-2`), read from the
    /// zone file of that name; nil when there is none, it is not a zone file, or the name is not a
    /// relative path of plain parts.
    public static func named(_ identifier: String, directory: String? = nil) -> LocalZone? {
        let parts = identifier.split(separator: "/", omittingEmptySubsequences: false)
        guard !identifier.isEmpty, identifier.utf8.count < 256,
            parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }),
            identifier.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { return nil }
        let root = directory ?? getenv("TZDIR").map { String(cString: $0) } ?? "/usr/share/zoneinfo"
        guard let bytes = readSmallFile(root + "/" + identifier) else { return nil }
        return bytes.withUnsafeBytes { zoneFile($0) }
    }

    /// The zone a TZif file describes; nil if it is not one.
    static func zoneFile(_ b: UnsafeRawBufferPointer) -> LocalZone? {
        guard var header = TZifHeader(b, at: 0) else { return nil }
        var at = 44
        var wide = false
        if header.version >= 2 {
            // Skip the 32-bit block: the 64-bit one after it holds the same data, and a footer.
            at += header.blockSize(timeSize: 4)
            guard let second = TZifHeader(b, at: at) else { return nil }
            header = second
            at += 44
            wide = true
        }
        let timeSize = wide ? 8 : 4
        guard at + header.blockSize(timeSize: timeSize) <= b.count, header.typeCount > 0 else { return nil }
        let types = at + header.timeCount * (timeSize + 1)
        func typeOffset(_ index: Int) -> Int32? {
            guard index < header.typeCount else { return nil }
            return Int32(bitPattern: bigEndian(b, types + index * 6, 4).map(UInt32.init) ?? 0)
        }
        guard let first = typeOffset(0) else { return nil }
        var changes: [Int64] = [Int64.min]
        var offsets: [Int32] = [first]
        for i in 0..<header.timeCount {
            guard let raw = bigEndian(b, at + i * timeSize, timeSize),
                let offset = typeOffset(Int(b[at + header.timeCount * timeSize + i]))
            else { return nil }
            let seconds = timeSize == 8 ? Int64(bitPattern: raw) : Int64(Int32(truncatingIfNeeded: raw))
            // Ascending, and only where the offset changes (not a name or a daylight flag alone,
            // nor the marker fat files put at 2038-01-19); instants past what milliseconds hold are left out.
            guard seconds > changes.last! / 1000, seconds < Int64.max / 1000, offset != offsets.last! else { continue }
            changes.append(seconds * 1000)
            offsets.append(offset)
        }
        if wide {
            let footer = at + header.blockSize(timeSize: 8)
            if footer < b.count, b[footer] == 0x0A,
                let end = b[(footer + 1)...].firstIndex(of: 0x0A),
                let rule = PosixZoneRule(Array(b[(footer + 1)..<end]))
            {
                let fromYear = changes.count > 1 ? Timestamp.civil(days: Int(changes.last! / 86_400_000)).year : 1970
                for (instant, offset) in rule.changes(from: fromYear, through: lastRuleYear)
                where instant > changes.last! && offset != offsets.last! {
                    changes.append(instant)
                    offsets.append(offset)
                }
                if changes.count == 1 { offsets[0] = rule.standard }
            }
        }
        return LocalZone(changes: changes, offsets: offsets)
    }

    /// The bytes of a file of at most 1 MiB; nil if it cannot be read or is larger.
    private static func readSmallFile(_ path: String) -> [UInt8]? {
        guard case .success(let fd) = valueOrErrno({ open(path, O_RDONLY | O_CLOEXEC) }) else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while bytes.count <= 1 << 20 {
            let n = chunk.withUnsafeMutableBytes { buffer in
                valueOrErrno({ read(fd, buffer.baseAddress!, buffer.count) })
            }
            guard case .success(let count) = n else { return nil }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
        return nil
    }

    fileprivate static func bigEndian(_ b: UnsafeRawBufferPointer, _ at: Int, _ size: Int) -> UInt64? {
        guard at >= 0, at + size <= b.count else { return nil }
        var value: UInt64 = 0
        for i in at..<(at + size) { value = value << 8 | UInt64(b[i]) }
        return value
    }
}

/// The header of a TZif data block: the format's version and its six counts.
private struct TZifHeader {
    let version: Int
    let utLocalCount: Int, standardWallCount: Int, leapCount: Int, timeCount: Int, typeCount: Int, charCount: Int

    init?(_ b: UnsafeRawBufferPointer, at: Int) {
        guard at + 44 <= b.count, b[at] == 0x54, b[at + 1] == 0x5A, b[at + 2] == 0x69, b[at + 3] == 0x66 else {
            return nil
        }  // "TZif"
        version = b[at + 4] == 0 ? 1 : Int(b[at + 4] &- 0x30)
        var counts: [Int] = []
        for i in 0..<6 {
            guard let count = LocalZone.bigEndian(b, at + 20 + 4 * i, 4), count < 1 << 20 else { return nil }
            counts.append(Int(count))
        }
        (utLocalCount, standardWallCount, leapCount) = (counts[0], counts[1], counts[2])
        (timeCount, typeCount, charCount) = (counts[3], counts[4], counts[5])
    }

    /// The size of the data block after this header, for 4- or 8-byte times.
    func blockSize(timeSize: Int) -> Int {
        timeCount * (timeSize + 1) + typeCount * 6 + charCount + leapCount * (timeSize + 4) + standardWallCount
            + utLocalCount
    }
}

/// The rule at the end of a TZif file (a POSIX TZ string, `CET-1CEST,M3.5.0,M10.5.0/3`) for the
/// times after its last listed change. Only the `Mm.w.d` form of dates, which every zone of the
/// IANA database uses, is read.
struct PosixZoneRule {
    /// Offsets east of UTC, in seconds.
    let standard: Int32
    let daylight: Int32?
    /// Month, week (5: the last) and weekday (0: Sunday) of each change, and its local time in seconds.
    let start: (month: Int, week: Int, weekday: Int, time: Int)?
    let end: (month: Int, week: Int, weekday: Int, time: Int)?

    init?(_ text: [UInt8]) {
        var i = 0
        func name() -> Bool {
            if i < text.count, text[i] == 0x3C {  // <+0330>
                guard let close = text[i...].firstIndex(of: 0x3E) else { return false }
                i = close + 1
                return true
            }
            let start = i
            while i < text.count, (text[i] | 0x20) >= 0x61, (text[i] | 0x20) <= 0x7A { i += 1 }
            return i - start >= 3
        }
        /// `[+-]hh[:mm[:ss]]` in seconds.
        func clock() -> Int? {
            var sign = 1
            if i < text.count, text[i] == 0x2B || text[i] == 0x2D {
                sign = text[i] == 0x2D ? -1 : 1
                i += 1
            }
            var total = 0
            for part in 0..<3 {
                if part > 0 {
                    guard i < text.count, text[i] == 0x3A else { break }
                    i += 1
                }
                let start = i
                var value = 0
                while i < text.count, text[i] &- 0x30 <= 9, i - start < 3 {
                    value = value * 10 + Int(text[i] &- 0x30)
                    i += 1
                }
                guard i > start else { return nil }
                total += value * [3600, 60, 1][part]
            }
            return sign * total
        }
        func number() -> Int? {
            let start = i
            var value = 0
            while i < text.count, text[i] &- 0x30 <= 9, i - start < 2 {
                value = value * 10 + Int(text[i] &- 0x30)
                i += 1
            }
            return i > start ? value : nil
        }
        func date() -> (Int, Int, Int, Int)? {
            guard i < text.count, text[i] == 0x4D else { return nil }  // Mm.w.d only
            i += 1
            guard let m = number(), i < text.count, text[i] == 0x2E else { return nil }
            i += 1
            guard let w = number(), i < text.count, text[i] == 0x2E else { return nil }
            i += 1
            guard let d = number(), (1...12).contains(m), (1...5).contains(w), d <= 6 else { return nil }
            var time = 7200
            if i < text.count, text[i] == 0x2F {
                i += 1
                guard let t = clock() else { return nil }
                time = t
            }
            return (m, w, d, time)
        }
        guard name(), let std = clock() else { return nil }
        standard = Int32(-std)  // POSIX counts west of UTC as positive
        guard i < text.count else {
            (daylight, start, end) = (nil, nil, nil)
            return
        }
        guard name() else { return nil }
        var dst = -std + 3600
        if i < text.count, text[i] != 0x2C {
            guard let value = clock() else { return nil }
            dst = -value
        }
        guard i < text.count, text[i] == 0x2C else { return nil }
        i += 1
        guard let s = date(), i < text.count, text[i] == 0x2C else { return nil }
        i += 1
        guard let e = date(), i == text.count else { return nil }
        daylight = Int32(dst)
        start = s
        end = e
    }

    /// The changes of `years`, in order: each instant (milliseconds, UTC) and the offset from it.
    func changes(from firstYear: Int, through lastYear: Int) -> [(Int64, Int32)] {
        guard let daylight, let start, let end, firstYear <= lastYear else { return [] }
        var result: [(Int64, Int32)] = []
        for year in firstYear...lastYear {
            // Each change is given in the local time in force before it.
            let on = Self.instant(year, start, before: standard)
            let off = Self.instant(year, end, before: daylight)
            result += on < off ? [(on, daylight), (off, standard)] : [(off, standard), (on, daylight)]
        }
        return result
    }

    private static func instant(
        _ year: Int, _ rule: (month: Int, week: Int, weekday: Int, time: Int), before offset: Int32
    )
        -> Int64
    {
        let first = Timestamp.days(year: year, month: rule.month, day: 1)
        let firstWeekday = ((first % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
        var day = 1 + (rule.weekday - firstWeekday + 7) % 7 + (rule.week - 1) * 7
        let nextMonth =
            rule.month == 12
            ? Timestamp.days(year: year + 1, month: 1, day: 1)
            : Timestamp.days(year: year, month: rule.month + 1, day: 1)
        while first + day - 1 >= nextMonth { day -= 7 }
        return (Int64(first + day - 1) * 86_400 + Int64(rule.time) - Int64(offset)) * 1000
    }
}
