import Foundation
import LogModel
import Testing

@testable import LogScanner

/// IANA zones read from the system's zone files (`LocalZone.named`), which replaced Foundation's
/// `TimeZone` (and the ICU it links) for `--tz` and `--assume-tz`.
@Suite struct ZoneFileTests {
    /// Zones with half-hour and 45-minute offsets, southern-hemisphere and half-hour daylight time,
    /// and a zone that dropped daylight time (Sao Paulo, 2019).
    static let zones = [
        "Europe/Paris", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Australia/Lord_Howe",
        "America/St_Johns", "Pacific/Chatham", "Asia/Tokyo", "Europe/London", "America/Sao_Paulo",
        "Asia/Kathmandu", "Pacific/Auckland", "America/Los_Angeles", "Etc/GMT-2",
    ]

    @Test("offsets equal Foundation's (ICU's) for every 5 days of 1990-2036 and every 40 of 2037-2099")
    func againstFoundation() throws {
        for name in Self.zones {
            let zone = try #require(LocalZone.named(name), "no zone file for \(name) (apt-get install tzdata)")
            let reference = try #require(TimeZone(identifier: name))
            var seconds: Int64 = 631_152_000  // 1990-01-01
            var mismatches = 0
            while seconds < 4_102_444_800 {  // 2100-01-01
                let expected = reference.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
                if zone.offset(atUTC: seconds * 1000) != Int64(expected) * 1000 { mismatches += 1 }
                seconds += seconds < 2_114_380_800 ? 5 * 86_400 + 3_607 : 40 * 86_400 + 3_607
            }
            #expect(mismatches == 0, "\(name): \(mismatches) instants with another offset than Foundation's")
        }
    }

    @Test("each change falls on the second Foundation (ICU) gives for it, 2020-2060")
    func changeInstants() throws {
        for name in ["Europe/Paris", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe"] {
            let zone = try #require(LocalZone.named(name))
            let reference = try #require(TimeZone(identifier: name))
            var instant = Date(timeIntervalSince1970: 1_577_836_800)  // 2020-01-01
            var expected: [Int64] = []
            while let next = reference.nextDaylightSavingTimeTransition(after: instant),
                next.timeIntervalSince1970 < 2_840_140_800  // 2060-01-01
            {
                expected.append(Int64(next.timeIntervalSince1970 * 1000))
                instant = next
            }
            let found = zone.changes.filter { $0 > 1_577_836_800_000 && $0 < 2_840_140_800_000 }
            #expect(found == expected, "\(name)")
        }
    }

    @Test("a slim zone file (few changes, the rest from its rule) gives the fat file's offsets")
    func slimAgainstFat() throws {
        let source = """
            Rule EU 1981 max - Mar lastSun 1:00u 1:00 S
            Rule EU 1996 max - Oct lastSun 1:00u 0 -
            Rule AN 2008 max - Apr Sun>=1 2:00s 0 S
            Rule AN 2008 max - Oct Sun>=1 2:00s 1:00 D
            Rule LH 2008 max - Apr Sun>=1 2:00 0 -
            Rule LH 2008 max - Oct Sun>=1 2:00 0:30 -
            Zone Test/North 1:00 EU CE%sT
            Zone Test/South 10:00 AN AE%sT
            Zone Test/Half 10:30 LH +1030/+11

            """
        let slim = try ZoneCompiler.compile(source, bloat: "slim")
        let fat = try ZoneCompiler.compile(source, bloat: "fat")
        defer { for d in [slim, fat] { try? FileManager.default.removeItem(atPath: d) } }
        for name in ["Test/North", "Test/South", "Test/Half"] {
            let small = try #require(LocalZone.named(name, directory: slim), "\(name), slim")
            let large = try #require(LocalZone.named(name, directory: fat), "\(name), fat")
            let sizes = try [slim, fat].map {
                try #require(FileManager.default.attributesOfItem(atPath: "\($0)/\(name)")[.size] as? Int)
            }
            #expect(sizes[0] < sizes[1] / 2, "\(name): the slim file lists few changes")
            var seconds: Int64 = 1_262_304_000  // 2010-01-01 (zic leaves 2008 out of slim files)
            while seconds < 4_102_444_800 {
                #expect(
                    small.offset(atUTC: seconds * 1000) == large.offset(atUTC: seconds * 1000), "\(name) at \(seconds)")
                seconds += 86_400 + 1_801
            }
            // Both files and their rule give the same change instants.
            #expect(small.changes.filter { $0 > 1_262_304_000_000 } == large.changes.filter { $0 > 1_262_304_000_000 })
        }
    }

    @Test("names that are not plain relative paths, and files that are not zone files, give no zone")
    func rejected() {
        #expect(LocalZone.named("Mars/Olympus") == nil)
        #expect(LocalZone.named("../zoneinfo/Europe/Paris") == nil)
        #expect(LocalZone.named("/usr/share/zoneinfo/Europe/Paris") == nil)
        #expect(LocalZone.named("Europe//Paris") == nil)
        #expect(LocalZone.named("") == nil)
        #expect(LocalZone.named("passwd", directory: "/etc") == nil)
    }

    @Test("a zone file with changes past what milliseconds hold gives a zone, not a trap")
    func extremeInstants() throws {
        func be(_ value: UInt64, _ size: Int) -> [UInt8] {
            (0..<size).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
        func header(times: Int, types: Int, chars: Int) -> [UInt8] {
            Array("TZif2".utf8) + [UInt8](repeating: 0, count: 15)
                + [0, 0, 0, times, types, chars].flatMap { be(UInt64($0), 4) }
        }
        let ttinfo: (Int32) -> [UInt8] = { be(UInt64(UInt32(bitPattern: $0)), 4) + [0, 0] }
        var file = header(times: 0, types: 1, chars: 4) + ttinfo(0) + Array("UTC\0".utf8)
        // 64-bit block: changes at -2^62, 1 hour, and 2^62 seconds (far past Int64 milliseconds).
        let instants: [Int64] = [-(1 << 62), 3600, 1 << 62]
        file += header(times: 3, types: 2, chars: 4)
        file += instants.flatMap { be(UInt64(bitPattern: $0), 8) } + [0, 1, 0]
        file += ttinfo(0) + ttinfo(7200) + Array("UTC\0".utf8) + Array("\n\n".utf8)
        let zone = try #require(file.withUnsafeBytes { LocalZone.zoneFile($0) })
        // The change at one hour holds; the two that no millisecond count can hold are left out.
        #expect(zone.changes == [Int64.min, 3_600_000])
        #expect(zone.offset(atUTC: 0) == 0 && zone.offset(atUTC: 3_600_000) == 7_200_000)
    }

    @Test("POSIX rules: offsets west positive, default daylight offset, explicit times, quoted names")
    func posixRules() throws {
        let paris = try #require(PosixZoneRule(Array("CET-1CEST,M3.5.0,M10.5.0/3".utf8)))
        #expect(paris.standard == 3600 && paris.daylight == 7200)
        // 2050: last Sunday of March (27th) 01:00Z, last Sunday of October (30th) 01:00Z.
        #expect(
            paris.changes(from: 2050, through: 2050).map(\.0) == [
                Timestamp.milliseconds(year: 2050, month: 3, day: 27, hour: 1, minute: 0, second: 0),
                Timestamp.milliseconds(year: 2050, month: 10, day: 30, hour: 1, minute: 0, second: 0),
            ])
        let india = try #require(PosixZoneRule(Array("IST-5:30".utf8)))
        #expect(india.standard == 19_800 && india.daylight == nil)
        let quoted = try #require(PosixZoneRule(Array("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0".utf8)))
        #expect(quoted.standard == 37_800 && quoted.daylight == 39_600)
        #expect(PosixZoneRule(Array("EST5EDT,J60,J300".utf8)) == nil)
    }
}

/// `zic`, the zone compiler of the C library (Debian's libc-bin), for zone files of a given
/// format. A missing `zic` fails the test with a message; it never passes silently.
enum ZoneCompiler {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "zic is not installed: apt-get install libc-bin" }
    }

    /// A directory holding the zones of `source`, compiled with `zic -b BLOAT`.
    static func compile(_ source: String, bloat: String) throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/usr/bin:/sbin"
        guard
            let zic = path.split(separator: ":").map({ "\($0)/zic" }).first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else { throw Missing() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "acrscan-zic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let input = directory.appendingPathComponent("source.zi")
        try Data(source.utf8).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: zic)
        process.arguments = ["-b", bloat, "-d", directory.path, input.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "zic -b \(bloat) failed")
        return directory.path
    }
}
