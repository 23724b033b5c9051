import LogModel
import LogReport
import LogScanner
import Testing

/// `--by day|hour` lists periods oldest first; `--sort` orders the groups; `--top` keeps the
/// largest groups whatever the order; identity and client IP are dimensions; `--tz` prints times
/// in a zone (issue 13).
struct GroupOrderTests {
    private let byDay = [
        GroupCount(period: Sample.time(18), count: 2, firstSeen: Sample.time(18, 1), lastSeen: Sample.time(18, 2)),
        GroupCount(period: Sample.time(16), count: 9, firstSeen: Sample.time(16, 1), lastSeen: Sample.time(16, 2)),
        GroupCount(period: Sample.time(17), count: 5, firstSeen: Sample.time(17, 1), lastSeen: Sample.time(17, 2)),
    ]

    @Test func groupsByDayAreInTimeOrder() {
        // Regression: they were ordered by count (9, 5, 2).
        let report = Report(filter: Sample.filter, keys: [.day], bucket: .day, groups: byDay, trend: [])
        #expect(report.order == .time)
        #expect(report.groups.map(\.period) == [Sample.time(16), Sample.time(17), Sample.time(18)])
        #expect(
            report.renderCSV().split(separator: "\r\n").dropFirst().map { $0.prefix(14) }
                == [",,2026-11-16T0", ",,2026-11-17T0", ",,2026-11-18T0"])
    }

    @Test func sortByCountStillAvailableForDays() {
        let report = Report(filter: Sample.filter, keys: [.day], bucket: .day, groups: byDay, trend: [], order: .count)
        #expect(report.groups.map(\.count) == [9, 5, 2])
        #expect(
            report.renderTable().hasPrefix(
                "acrscan report: 2026-11-16T00:00:00Z to 2026-11-21T00:00:00Z; by day; sorted by count; day buckets\n"))
    }

    @Test func topKeepsTheLargestGroupsThenSorts() {
        let report = Report(filter: Sample.filter, keys: [.day], bucket: .day, groups: byDay, trend: [], top: 2)
        #expect(report.groups.map(\.count) == [9, 5])
        #expect(report.omittedCount == 2)
    }

    @Test func sortByRegistryTypeAndTime() {
        let groups = Sample.groups
        let registry = Report(keys: [.registry, .type], bucket: .day, groups: groups, trend: [], order: .registry)
        #expect(
            registry.groups.map { "\($0.registry ?? "-") \($0.type!.rawValue)" }
                == [
                    "contosoprod access-denied", "contosoprod unauthorized", "fabrikam ip-not-allowed",
                    "- anonymous-pull",
                ])
        let type = Report(keys: [.registry, .type], bucket: .day, groups: groups, trend: [], order: .type)
        #expect(
            type.groups.map { $0.type!.rawValue } == [
                "access-denied", "anonymous-pull", "ip-not-allowed", "unauthorized",
            ])
        let time = Report(keys: [.registry, .type], bucket: .day, groups: groups, trend: [], order: .time)
        #expect(
            time.groups.map { $0.type!.rawValue } == [
                "unauthorized", "access-denied", "anonymous-pull", "ip-not-allowed",
            ])
        let count = Report(keys: [.registry, .type], bucket: .day, groups: groups, trend: [])
        #expect(count.order == .count)
        #expect(count.groups.map(\.count) == [14, 4, 3, 2])
    }

    @Test func identityAndClientIPAreDimensions() throws {
        let groups = [
            GroupCount(registry: "fabrikam", identity: "3f0c9d2e-6a51-4b87-9e2d-0c7a1b5f6e00", count: 3),
            GroupCount(registry: "fabrikam", clientIP: "20.81.44.19", count: 2),
        ]
        let report = Report(keys: [.registry, .identity, .clientIP], bucket: .day, groups: groups, trend: [])
        #expect(report.renderCSV().hasPrefix("registry,type,identity,client_ip,count,"))
        #expect(report.renderCSV().contains("fabrikam,,,20.81.44.19,2,"))
        let table = report.renderTable()
        #expect(table.contains("REGISTRY  IDENTITY                              CLIENT IP    COUNT"))
        let object = try #require(Support.jsonObject(report.renderJSON()))
        let rows = try #require(object["groups"] as? [[String: Any]])
        #expect(rows.first?["identity"] as? String == "3f0c9d2e-6a51-4b87-9e2d-0c7a1b5f6e00")
        #expect(rows.last?["client_ip"] as? String == "20.81.44.19")
        #expect(object["sort"] as? String == "count")
    }

    @Test func timesInAZoneCarryItsOffsetAndJSONStaysUTC() throws {
        let paris = try #require(DisplayZone(identifier: "Europe/Paris"))
        #expect(DisplayZone(identifier: "Mars/Olympus") == nil)
        #expect(DisplayZone(identifier: "UTC") == .utc)
        let groups = [
            GroupCount(
                registry: "r", type: .unauthorized, count: 1, firstSeen: Sample.time(20, 3, 14, 15),
                lastSeen: Timestamp.milliseconds(year: 2026, month: 7, day: 1, hour: 12, minute: 0, second: 0))
        ]
        let report = Report(
            filter: Sample.filter, keys: [.registry, .type], bucket: .day, groups: groups, trend: [], zone: paris)
        let table = report.renderTable()
        #expect(
            table.hasPrefix(
                "acrscan report: 2026-11-16T01:00:00+01:00 to 2026-11-21T01:00:00+01:00; by registry, type; day buckets (UTC); times in Europe/Paris\n"
            ))
        #expect(table.contains("2026-11-20T04:14:15+01:00  2026-07-01T14:00:00+02:00"))  // winter and summer time
        #expect(report.renderJSON().contains("\"first_seen\":\"2026-11-20T03:14:15Z\""))
        #expect(report.renderCSV().contains("2026-11-20T03:14:15Z"))
    }
}
