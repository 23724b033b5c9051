import LogModel
import LogReport
import LogScanner
import Testing

/// Totals, ordering, `top`, and the comparison with the previous window.
struct ReportModelTests {
    @Test func groupsAreOrderedByCountThenRegistryThenType() {
        let groups = [
            GroupCount(registry: nil, type: .unauthorized, count: 5),
            GroupCount(registry: "b", type: .unauthorized, count: 5),
            GroupCount(registry: "a", type: .unauthorized, count: 5),
            GroupCount(registry: "a", type: .accessDenied, count: 5),
            GroupCount(registry: "z", type: .anonymousPull, count: 9),
        ]
        let report = Report(keys: [.registry, .type], bucket: .day, groups: groups, trend: [])
        #expect(
            report.groups.map { "\($0.registry ?? "-") \($0.type?.rawValue ?? "-")" } == [
                "z anonymous-pull", "a access-denied", "a unauthorized", "b unauthorized", "- unauthorized",
            ])
        let shuffled = Report(keys: [.registry, .type], bucket: .day, groups: groups.reversed(), trend: [])
        #expect(shuffled.groups == report.groups)
    }

    @Test func totalsCoverEveryGroupEvenWithTop() {
        let report = Report(
            filter: Sample.filter, keys: [.registry, .type], bucket: .day,
            groups: Sample.groups, trend: Sample.trend, top: 2)
        #expect(report.total == 23)
        #expect(report.totalAttempts == 14 + 265 + 5 + 2)
        #expect(report.groups.map(\.count) == [14, 4])
        #expect(report.omittedGroups == 2)
        #expect(report.omittedCount == 5)
        #expect(report.types == [.accessDenied, .anonymousPull, .ipNotAllowed, .unauthorized])
        #expect(report.renderTable().contains("2 more groups not shown (5 occurrences)"))
    }

    @Test func previousWindowGivesChangeAndNewPairs() {
        let report = Sample.report
        #expect(report.previousTotal == 11)
        #expect(report.groups.map { report.previousCount(for: $0) } == [6, 0, 5, 0])
        #expect(
            report.newPairs == [
                SeriesKey(registry: "fabrikam", type: .ipNotAllowed),
                SeriesKey(registry: nil, type: .anonymousPull),
            ])
    }

    @Test func withoutPreviousWindowThereIsNoComparison() {
        let report = Report(
            filter: Sample.filter, keys: [.registry, .type], bucket: .day,
            groups: Sample.groups, trend: Sample.trend)
        #expect(report.previousTotal == nil)
        #expect(report.newPairs == nil)
        #expect(report.groups.allSatisfy { report.previousCount(for: $0) == nil })
        #expect(!report.renderTable().contains("CHANGE"))
        #expect(report.renderJSON().contains("\"previous_total\":null"))
    }

    @Test func newPairsNeedRegistryAndTypeKeys() {
        let report = Report(
            keys: [.type], bucket: .day, groups: [GroupCount(type: .unauthorized, count: 1)],
            trend: [], previous: [])
        #expect(report.newPairs == nil)
        #expect(report.previousCount(for: GroupCount(type: .unauthorized, count: 1)) == 0)
    }

    @Test func periodGroupsAreNotComparedWithThePreviousWindow() {
        let groups = [GroupCount(type: .unauthorized, period: Sample.time(20), count: 3)]
        let report = Report(keys: [.type, .day], bucket: .day, groups: groups, trend: [], previous: groups)
        #expect(report.previousTotal == 3)
        #expect(report.previousCount(for: groups[0]) == nil)
    }

    @Test func emptyReport() {
        let report = Report(filter: Sample.filter, keys: [.registry, .type], bucket: .day, groups: [], trend: [])
        #expect(report.total == 0)
        #expect(report.types.isEmpty)
        #expect(report.renderTable().hasSuffix("No occurrences.\n"))
        #expect(report.renderMarkdown().hasSuffix("No occurrences.\n"))
        #expect(report.renderCSV() == "registry,type,count,attempts,first_seen,last_seen,remediation,fix\r\n")
        #expect(report.renderJSON().contains("\"total\":0,"))
        #expect(report.renderHTML().contains("<p>No occurrences.</p>"))
    }

    @Test func otherDimensionsGetTheirOwnColumns() {
        let groups = [
            GroupCount(
                registry: "r", type: .unauthorized, host: "h1", repository: "team/app",
                period: Sample.time(20, 3), count: 2, firstSeen: Sample.time(20, 3), lastSeen: Sample.time(20, 3, 30))
        ]
        let report = Report(
            keys: [.registry, .type, .host, .repository, .hour], bucket: .hour, groups: groups, trend: [])
        let table = report.renderTable(TableOptions(ascii: true))
        #expect(table.contains("REGISTRY  TYPE          HOST  REPOSITORY  HOUR              COUNT"))
        #expect(table.contains("r         unauthorized  h1    team/app    2026-11-20 03:00      2"))
        #expect(report.renderCSV().hasPrefix("registry,type,host,repository,period,count,"))
        #expect(
            report.renderJSON().contains(
                "{\"registry\":\"r\",\"type\":\"unauthorized\",\"host\":\"h1\",\"repository\":\"team/app\",\"period\":\"2026-11-20T03:00:00Z\",\"count\":2,"
            ))
    }
}
