import LogReport
import LogScanner
import LogStore
import Testing

/// The spike rule: count >= 3, count >= 3 × the median of the earlier buckets, >= 3 earlier buckets.
struct SpikeTests {
    /// The spikes of one series over consecutive days.
    private func spikes(_ counts: [Int]) -> [Spike] {
        let buckets = counts.indices.map { Sample.time(1 + $0) }
        return Spike.find(in: TrendSeries(key: SeriesKey(registry: "r", type: .unauthorized), counts: counts), buckets: buckets)
    }

    @Test func notASpikeBelowThree() {
        #expect(spikes([0, 0, 0, 2]).isEmpty)
        #expect(spikes([0, 0, 0, 0, 0, 2, 0]).isEmpty)
    }

    @Test func notASpikeWithFewerThanThreeEarlierBuckets() {
        #expect(spikes([9]).isEmpty)
        #expect(spikes([0, 9]).isEmpty)
        #expect(spikes([0, 0, 9]).isEmpty)
        #expect(spikes([0, 0, 0, 9]).map(\.count) == [9])
    }

    @Test func spikeAtExactlyThreeTimesTheMedian() {
        let found = spikes([2, 2, 2, 6])
        #expect(found.count == 1)
        #expect(found.first?.bucket == Sample.time(4))
        #expect(found.first?.baseline == 2)
        #expect(found.first?.baselineText == "2")
        #expect(spikes([2, 2, 2, 5]).isEmpty)
    }

    @Test func evenMedianIsTheMeanOfTheMiddleTwo() {
        // Before the last bucket: 0 1 2 2, median 1.5, so 4.5 is needed.
        let found = spikes([1, 2, 0, 2, 5])
        #expect(found.map(\.count) == [5])
        #expect(found.first?.baseline == 1.5)
        #expect(found.first?.baselineText == "1.5")
        #expect(spikes([1, 2, 0, 2, 4]).isEmpty)
    }

    @Test func baselineIsTheMedianOfAllEarlierBucketsOfTheSeries() {
        // The spike at 9 raises later medians only a little: 30 is still 3 × median(0,0,0,9,10) = 0.
        let found = spikes([0, 0, 0, 9, 10, 30])
        #expect(found.map(\.count) == [9, 10, 30])
        #expect(found.map(\.baselineText) == ["0", "0", "0"])
        // A steady series has no spikes.
        #expect(spikes([4, 5, 4, 6, 5, 4, 5]).isEmpty)
    }

    @Test func zeroFilledBucketsOfTheWindowCountAsHistory() {
        let point = TrendCount(bucket: Sample.time(20), registry: "r", type: .unauthorized, count: 3)
        let withWindow = Report(filter: Sample.filter, keys: [.registry, .type], bucket: .day,
                                groups: [GroupCount(registry: "r", type: .unauthorized, count: 3)], trend: [point])
        #expect(withWindow.spikes.map(\.count) == [3])
        #expect(withWindow.spikes.first?.baselineText == "0")
        let withoutWindow = Report(keys: [.registry, .type], bucket: .day,
                                   groups: [GroupCount(registry: "r", type: .unauthorized, count: 3)], trend: [point])
        #expect(withoutWindow.spikes.isEmpty)
    }

    @Test func spikesAreOrderedByBucketThenRegistryThenType() {
        let trend = [
            TrendCount(bucket: Sample.time(20), registry: "b", type: .unauthorized, count: 5),
            TrendCount(bucket: Sample.time(20), registry: nil, type: .accessDenied, count: 5),
            TrendCount(bucket: Sample.time(20), registry: "a", type: .unauthorized, count: 5),
            TrendCount(bucket: Sample.time(20), registry: "a", type: .accessDenied, count: 5),
            TrendCount(bucket: Sample.time(19), registry: "z", type: .unauthorized, count: 5),
        ]
        let report = Report(filter: Sample.filter, keys: [.registry, .type], bucket: .day, groups: [], trend: trend)
        let order = report.spikes.map { "\($0.bucket == Sample.time(19) ? 19 : 20) \($0.registry ?? "-") \($0.type.rawValue)" }
        #expect(order == ["19 z unauthorized", "20 a access-denied", "20 a unauthorized", "20 b unauthorized",
                          "20 - access-denied"])
    }
}
