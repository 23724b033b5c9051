import Foundation
import LogModel
import LogReport
import LogScanner
import Testing

/// The spike rule (docs/report.md): against the median of the 14 buckets before (from where
/// observation began, at least 3), a rise of at least 5 and a robust z-score of at least 4.
struct SpikeTests {
    private let key = SeriesKey(registry: "r", type: .unauthorized)
    private let day: Int64 = 86_400_000

    /// The spikes of one series over consecutive days starting on 2026-11-01, observed from its
    /// first day; each spike as `day index: count`.
    private func spikes(_ counts: [Int], rule: SpikeRule = .standard(for: .day)) -> [String] {
        let buckets = counts.indices.map { Sample.time(1) + Int64($0) * day }
        var byBucket: [Int64: Int] = [:]
        for (index, count) in counts.enumerated() where count > 0 { byBucket[buckets[index]] = count }
        return Spike.find(key: key, counts: byBucket, judged: buckets, step: day, observedFrom: buckets[0], rule: rule)
            .map { "\(($0.bucket - buckets[0]) / day): \($0.count)" }
    }

    /// A deterministic pseudo-random generator (SplitMix64), so noise is the same on every run.
    private struct Noise {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// A Poisson-distributed count with mean `mean` (Knuth's method; fine for small means).
        mutating func poisson(_ mean: Double) -> Int {
            let limit = exp(-mean)
            var product = 1.0
            var count = -1
            repeat {
                product *= Double(next() >> 11) / Double(1 << 53)
                count += 1
            } while product > limit
            return count
        }
    }

    // MARK: Planted spikes

    @Test func aQuietSeriesThatJumpsIsASpike() {
        #expect(spikes([0, 1, 0, 0, 2, 0, 1, 0, 0, 0, 12]) == ["10: 12"])
        // From a baseline of zero, a rise of exactly 5 is enough (score 5 over a spread of 1).
        #expect(spikes([0, 0, 0, 0, 0, 0, 0, 5]) == ["7: 5"])
    }

    @Test func aBusySeriesThatJumpsIsASpike() {
        // Median 10, MAD 0.5 (spread = sqrt(10) = 3.16): 23 is 4.1 spreads above, 22 only 3.8.
        #expect(spikes([9, 10, 11, 10, 9, 10, 11, 10, 23]) == ["8: 23"])
        #expect(spikes([9, 10, 11, 10, 9, 10, 11, 10, 22]).isEmpty)
    }

    @Test func aSpikeIsJudgedOnTheFourteenBucketsBeforeIt() {
        // A busy month long ago does not hide a jump after two quiet weeks.
        let found = spikes(Array(repeating: 20, count: 30) + Array(repeating: 0, count: 14) + [8])
        #expect(found == ["44: 8"])
    }

    // MARK: Planted non-spikes

    @Test func aSingleBurstOfThreeIsNotASpike() {
        #expect(spikes([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]).isEmpty)
        #expect(spikes([0, 0, 0, 0, 0, 0, 0, 4]).isEmpty)
    }

    @Test func aNewRegistryWithOneFailureIsNotASpike() {
        #expect(spikes(Array(repeating: 0, count: 14) + [1]).isEmpty)
    }

    @Test func steadyNoiseIsNotASpike() {
        #expect(spikes([4, 5, 4, 6, 5, 4, 5, 3, 6, 5, 4, 7, 5, 4, 6, 5, 8, 4]).isEmpty)
        #expect(spikes([0, 1, 0, 0, 2, 0, 1, 3, 0, 1, 0, 0, 2, 1, 0, 3, 1, 0]).isEmpty)
        // Four weeks of Poisson noise, 20 draws per mean (2,240 days in all): no false spike but
        // for one 9 after two weeks whose median was 1.5 (a 1-in-260 day at mean 3).
        var noise = Noise(state: 42)
        var alarms: [String] = []
        for mean in [0.3, 1, 3, 6, 20, 50] {
            for _ in 0..<20 {
                let counts = (0..<28).map { _ in noise.poisson(mean) }
                alarms += spikes(counts).map { "mean \(mean), day \($0)" }
            }
        }
        #expect(alarms == ["mean 3.0, day 22: 9"])
    }

    @Test func falseAlarmsOnNoiseAreRare() {
        // Ten years of Poisson noise per mean: at most one false spike per series and year
        // (docs/report.md states the rate).
        var noise = Noise(state: 7)
        var found: [String] = []
        for mean in [0.3, 1, 3, 6, 20, 50] {
            let counts = (0..<3650).map { _ in noise.poisson(mean) }
            let alarms = spikes(counts).count
            found.append("\(mean): \(alarms)")
            #expect(alarms <= 10, "ten years of Poisson noise with mean \(mean): \(alarms) spikes")
        }
        print("false spikes in ten years of noise, by mean:", found.joined(separator: ", "))
    }

    @Test func noisierThanPoissonIsNotASpike() {
        // Alternating quiet and busy days (MAD 5): a busy day of 17 is within the spread.
        #expect(spikes([2, 12, 3, 13, 2, 12, 3, 13, 2, 12, 3, 13, 2, 17]).isEmpty)
    }

    @Test func noSpikeWithoutSevenDaysOfHistory() {
        #expect(spikes([40]).isEmpty)
        #expect(spikes([0, 0, 0, 40]).isEmpty)
        #expect(spikes([0, 0, 0, 0, 0, 0, 40]).isEmpty)
        #expect(spikes([0, 0, 0, 0, 0, 0, 0, 40]) == ["7: 40"])
        // Hour buckets need 12 hours of history out of 24.
        #expect(SpikeRule.standard(for: .hour).minimumHistory == 12)
        #expect(spikes(Array(repeating: 0, count: 11) + [40], rule: .standard(for: .hour)).isEmpty)
        #expect(spikes(Array(repeating: 0, count: 12) + [40], rule: .standard(for: .hour)) == ["12: 40"])
    }

    // MARK: The window

    /// A report of the window starting `since` days after 2026-11-01, over 20 days of one series
    /// whose day 12 holds a spike, measured as the CLI does: history from the whole store.
    private func windowSpikes(since: Int, through count: Int = 20) -> [String] {
        let counts = (0..<count).map { $0 == 12 ? 25 : $0 % 3 == 0 ? 1 : 0 }
        let points = counts.enumerated().filter { $0.element > 0 }.map {
            TrendCount(
                bucket: Sample.time(1) + Int64($0.offset) * day, registry: "r", type: .unauthorized, count: $0.element)
        }
        let start = Sample.time(1) + Int64(since) * day
        let filter = OccurrenceFilter(since: start, until: Sample.time(1) + Int64(count) * day)
        let report = Report(
            filter: filter, keys: [.registry, .type], bucket: .day,
            groups: [GroupCount(registry: "r", type: .unauthorized, count: 1)],
            trend: points.filter { $0.bucket >= start }, history: points, observedSince: Sample.time(1))
        return report.spikes.map { "\(($0.bucket - Sample.time(1)) / day): \($0.count) baseline \($0.baselineText)" }
    }

    @Test func spikesDoNotDependOnWhereTheWindowStarts() {
        for since in 0...12 {
            #expect(windowSpikes(since: since) == ["12: 25 baseline 0"], "window from day \(since)")
        }
        #expect(windowSpikes(since: 13).isEmpty)
    }

    @Test func aWindowCutInsideABucketJudgesTheWholeBucket() {
        let points = [
            // 9 that day, 2 after noon
            TrendCount(bucket: Sample.time(15), registry: "r", type: .unauthorized, count: 9)
        ]
        let report = Report(
            filter: OccurrenceFilter(since: Sample.time(15, 12), until: Sample.time(16)), keys: [.registry, .type],
            bucket: .day, groups: [],
            trend: [TrendCount(bucket: Sample.time(15), registry: "r", type: .unauthorized, count: 2)],
            history: points, observedSince: Sample.time(1))
        #expect(report.spikes.map(\.count) == [9])
        #expect(report.trend.map(\.count) == [2])
    }

    @Test func withoutHistoryTheZeroFilledWindowIsTheHistory() {
        let point = TrendCount(bucket: Sample.time(20), registry: "r", type: .unauthorized, count: 6)
        let filter = OccurrenceFilter(since: Sample.time(10), until: Sample.time(21))
        let withWindow = Report(
            filter: filter, keys: [.registry, .type], bucket: .day,
            groups: [GroupCount(registry: "r", type: .unauthorized, count: 6)], trend: [point])
        #expect(withWindow.spikes.map(\.count) == [6])
        #expect(withWindow.spikes.first?.history == 10)
        let withoutWindow = Report(
            keys: [.registry, .type], bucket: .day,
            groups: [GroupCount(registry: "r", type: .unauthorized, count: 6)], trend: [point])
        #expect(withoutWindow.spikes.isEmpty)
    }

    @Test func baselineIsTheMedianAndScoreTheRiseOverTheSpread() throws {
        let series = [1, 2, 0, 2, 1, 2, 0, 3, 9]
        let buckets = series.indices.map { Sample.time(1) + Int64($0) * day }
        var counts: [Int64: Int] = [:]
        for (index, count) in series.enumerated() where count > 0 { counts[buckets[index]] = count }
        let spike = try #require(
            Spike.find(
                key: key, counts: counts, judged: buckets, step: day,
                observedFrom: buckets[0], rule: .standard(for: .day)
            ).first)
        // History 1 2 0 2 1 2 0 3: median 1.5, MAD 0.5, IQR 1.25, so the spread is sqrt(1.5) =
        // 1.22; the 90th percentile is 2.3; the rise 7.5.
        #expect(spike.baselineText == "1.5")
        #expect(spike.history == 8)
        #expect(spike.scoreText == "6.1")
        #expect(
            Spike.find(
                key: key, counts: counts.merging([buckets[8]: 7]) { $1 }, judged: buckets, step: day,
                observedFrom: buckets[0], rule: .standard(for: .day)
            ).isEmpty)  // 7 - 2.3 < 5
    }

    @Test func spikesAreOrderedByBucketThenRegistryThenType() {
        let trend = [
            TrendCount(bucket: Sample.time(20), registry: "b", type: .unauthorized, count: 5),
            TrendCount(bucket: Sample.time(20), registry: nil, type: .accessDenied, count: 5),
            TrendCount(bucket: Sample.time(20), registry: "a", type: .unauthorized, count: 5),
            TrendCount(bucket: Sample.time(20), registry: "a", type: .accessDenied, count: 5),
            TrendCount(bucket: Sample.time(19), registry: "z", type: .unauthorized, count: 5),
        ]
        let report = Report(
            filter: OccurrenceFilter(since: Sample.time(5), until: Sample.time(21)), keys: [.registry, .type],
            bucket: .day, groups: [], trend: trend)
        let order = report.spikes.map {
            "\($0.bucket == Sample.time(19) ? 19 : 20) \($0.registry ?? "-") \($0.type.rawValue)"
        }
        #expect(
            order == [
                "19 z unauthorized", "20 a access-denied", "20 a unauthorized", "20 b unauthorized",
                "20 - access-denied",
            ])
    }
}
