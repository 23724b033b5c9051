import LogModel
import LogReport
import LogScanner
import Testing

/// Zero-filled trend series over the window.
struct TrendTests {
    @Test func seriesAreZeroFilledAcrossTheWindow() {
        let report = Sample.report
        #expect(report.buckets == (16...20).map { Sample.time($0) })
        #expect(
            report.series.map(\.key) == [
                SeriesKey(registry: "contosoprod", type: .accessDenied),
                SeriesKey(registry: "contosoprod", type: .unauthorized),
                SeriesKey(registry: "fabrikam", type: .ipNotAllowed),
                SeriesKey(registry: nil, type: .anonymousPull),
            ])
        #expect(
            report.series.map(\.counts) == [[0, 0, 3, 0, 0], [1, 0, 1, 2, 10], [0, 0, 0, 0, 2], [0, 0, 0, 4, 0]])
    }

    @Test func untilIsExclusiveAndSinceIsFloored() {
        let filter = OccurrenceFilter(since: Sample.time(17, 13), until: Sample.time(19, 0, 0, 1))
        let point = TrendCount(bucket: Sample.time(18), registry: "r", type: .unauthorized, count: 1)
        let report = Report(filter: filter, keys: [.registry, .type], bucket: .day, groups: [], trend: [point])
        #expect(report.buckets == [Sample.time(17), Sample.time(18), Sample.time(19)])
        let exact = Report(
            filter: OccurrenceFilter(since: Sample.time(17), until: Sample.time(19)),
            keys: [], bucket: .day, groups: [], trend: [point])
        #expect(exact.buckets == [Sample.time(17), Sample.time(18)])
    }

    @Test func withoutAWindowTheRangeIsTheDataRange() {
        let trend = [
            TrendCount(bucket: Sample.time(18), registry: "r", type: .unauthorized, count: 1),
            TrendCount(bucket: Sample.time(15), registry: "r", type: .unauthorized, count: 2),
        ]
        let report = Report(keys: [.registry, .type], bucket: .day, groups: [], trend: trend)
        #expect(report.buckets == (15...18).map { Sample.time($0) })
        #expect(report.series.first?.counts == [2, 0, 0, 1])
    }

    @Test func theRangeAlwaysCoversTheData() {
        let point = TrendCount(bucket: Sample.time(10), registry: "r", type: .unauthorized, count: 1)
        let report = Report(filter: Sample.filter, keys: [], bucket: .day, groups: [], trend: [point])
        #expect(report.buckets.first == Sample.time(10))
        #expect(report.buckets.last == Sample.time(20))
    }

    @Test func repeatedAndUnalignedPointsAreSummedIntoTheirBucket() {
        let trend = [
            TrendCount(bucket: Sample.time(16, 3), registry: "r", type: .unauthorized, count: 2),
            TrendCount(bucket: Sample.time(16), registry: "r", type: .unauthorized, count: 1),
            TrendCount(bucket: Sample.time(16, 5), registry: "r", type: .unauthorized, count: 0),
        ]
        let report = Report(keys: [], bucket: .day, groups: [], trend: trend)
        #expect(report.trend == [TrendCount(bucket: Sample.time(16), registry: "r", type: .unauthorized, count: 3)])
        #expect(report.series.map(\.counts) == [[3]])
    }

    @Test func hourBuckets() {
        let filter = OccurrenceFilter(since: Sample.time(20, 1), until: Sample.time(20, 5))
        let trend = [TrendCount(bucket: Sample.time(20, 3), registry: nil, type: .anonymousPull, count: 7)]
        let report = Report(filter: filter, keys: [.type], bucket: .hour, groups: [], trend: trend)
        #expect(report.buckets == (1...4).map { Sample.time(20, $0) })
        #expect(report.series.first?.counts == [0, 0, 7, 0])
    }

    @Test func aHugeWindowIsTrimmedToTheMaximumKeepingTheData() {
        let filter = OccurrenceFilter(
            since: Timestamp.milliseconds(year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0),
            until: Timestamp.milliseconds(year: 2030, month: 1, day: 1, hour: 0, minute: 0, second: 0))
        let trend = [TrendCount(bucket: Sample.time(20, 3), registry: "r", type: .unauthorized, count: 1)]
        let report = Report(filter: filter, keys: [], bucket: .hour, groups: [], trend: trend)
        #expect(report.buckets.count == Report.maximumBuckets)
        #expect(report.buckets.last == Sample.time(20, 3))
        #expect(report.series.first?.counts.last == 1)
        #expect(report.series.first?.total == 1)
    }

    @Test func groupTrendsSumTheMatchingSeries() {
        let byType = Report(
            filter: Sample.filter, keys: [.type], bucket: .day,
            groups: [GroupCount(type: .unauthorized, count: 14)], trend: Sample.trend)
        #expect(byType.trendCounts(for: GroupCount(type: .unauthorized, count: 14)) == [1, 0, 1, 2, 10])
        let byRegistry = Report(
            filter: Sample.filter, keys: [.registry], bucket: .day,
            groups: [GroupCount(registry: "contosoprod", count: 17)], trend: Sample.trend)
        #expect(byRegistry.trendCounts(for: GroupCount(registry: "contosoprod", count: 17)) == [1, 0, 4, 2, 10])
        let byHost = Report(
            filter: Sample.filter, keys: [.registry, .host], bucket: .day, groups: [], trend: Sample.trend)
        #expect(byHost.trendCounts(for: GroupCount(registry: "contosoprod", host: "h", count: 1)) == nil)
    }

    @Test func noTrendMeansNoRange() {
        let report = Report(
            filter: Sample.filter, keys: [.registry, .type], bucket: .day,
            groups: [GroupCount(registry: "r", type: .unauthorized, count: 1)], trend: [])
        #expect(report.buckets.isEmpty)
        #expect(report.series.isEmpty)
        #expect(report.spikes.isEmpty)
    }
}
