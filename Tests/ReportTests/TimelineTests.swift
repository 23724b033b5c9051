import LogReport
import LogScanner
import LogStore
import Testing

/// Burst collapsing: same type, registry and host, each within 10 minutes of the previous one.
struct TimelineTests {
    private func occurrence(_ id: Int64, _ time: Int64?, type: ErrorType = .unauthorized, registry: String? = "r",
                            host: String = "h", attempts: Int = 1) -> StoredOccurrence {
        Sample.stored(id, type, registry, host, time, line: Int(id) * 10, "excerpt \(id)", attempts: attempts)
    }

    @Test func sampleCollapsesTheBurst() {
        let rows = Sample.timeline.rows
        #expect(rows.map(\.count) == [3, 1, 1, 1])
        #expect(rows[0].first == Sample.time(20, 3, 14, 15))
        #expect(rows[0].last == Sample.time(20, 3, 20, 2))
        #expect(rows[0].line == 120)
        #expect(rows[0].firstID == 1)
        #expect(rows[0].excerpt.hasPrefix("Error response from daemon"))
        #expect(Sample.timeline.total == 6)
    }

    @Test func exactlyTenMinutesJoinsAndOneMillisecondMoreSplits() {
        let start = Sample.time(20, 3)
        let joined = Timeline([occurrence(1, start), occurrence(2, start + 600_000), occurrence(3, start + 1_200_000)])
        #expect(joined.rows.map(\.count) == [3])
        let split = Timeline([occurrence(1, start), occurrence(2, start + 600_001)])
        #expect(split.rows.map(\.count) == [1, 1])
    }

    @Test func eachGapIsMeasuredFromThePreviousOccurrenceNotTheFirst() {
        let start = Sample.time(20, 3)
        let chain = (0..<7).map { occurrence(Int64($0 + 1), start + Int64($0) * 540_000) }  // every 9 minutes
        let timeline = Timeline(chain)
        #expect(timeline.rows.count == 1)
        #expect(timeline.rows[0].count == 7)
        #expect(timeline.rows[0].last == start + 6 * 540_000)
    }

    @Test func typeRegistryAndHostSplitBursts() {
        let t = Sample.time(20, 3)
        let timeline = Timeline([
            occurrence(1, t), occurrence(2, t + 1000, type: .accessDenied), occurrence(3, t + 2000, registry: "other"),
            occurrence(4, t + 3000, registry: nil), occurrence(5, t + 4000, host: "h2"), occurrence(6, t + 5000, registry: nil),
        ])
        // Only the two occurrences of the unknown registry (4 and 6) share a key.
        #expect(timeline.rows.map(\.count) == [1, 1, 1, 2, 1])
        #expect(timeline.rows.map(\.firstID) == [1, 2, 3, 4, 5])
    }

    @Test func otherKeysInBetweenDoNotBreakABurst() {
        let t = Sample.time(20, 3)
        let timeline = Timeline([
            occurrence(1, t), occurrence(2, t + 60_000, host: "h2"), occurrence(3, t + 120_000),
            occurrence(4, t + 180_000, host: "h2"),
        ])
        #expect(timeline.rows.map(\.count) == [2, 2])
        #expect(timeline.rows.map(\.host) == ["h", "h2"])
    }

    @Test func attemptsAreSummed() {
        let t = Sample.time(20, 3)
        let timeline = Timeline([occurrence(1, t, attempts: 261), occurrence(2, t + 1, attempts: 3)])
        #expect(timeline.rows.map(\.attempts) == [264])
    }

    @Test func occurrencesWithoutATimeStandAlone() {
        let t = Sample.time(20, 3)
        let timeline = Timeline([occurrence(1, nil), occurrence(2, nil), occurrence(3, t), occurrence(4, nil), occurrence(5, t + 1)])
        #expect(timeline.rows.map(\.count) == [1, 1, 2, 1])
        #expect(timeline.rows.map(\.firstID) == [1, 2, 3, 4])
        #expect(timeline.renderTable().contains("\n-  "))
    }

    @Test func customGap() {
        let t = Sample.time(20, 3)
        let timeline = Timeline([occurrence(1, t), occurrence(2, t + 31_000)], gap: 30_000)
        #expect(timeline.rows.count == 2)
        #expect(timeline.renderTable().contains("within 30 seconds of the previous one"))
    }

    @Test func emptyTimeline() {
        let timeline = Timeline([])
        #expect(timeline.rows.isEmpty)
        #expect(timeline.renderTable().hasSuffix("No occurrences.\n"))
        #expect(timeline.renderJSON() == "{\"schema\":\"acrscan.timeline/v1\",\"gap_seconds\":600,\"total\":0,\"rows\":[]}\n")
    }

    @Test func spansAcrossMidnightShowTheDate() {
        let timeline = Timeline([occurrence(1, Sample.time(20, 23, 58)), occurrence(2, Sample.time(21, 0, 3))])
        #expect(timeline.renderTable(TableOptions(ascii: true)).contains("2026-11-20 23:58:00-2026-11-21 00:03:00    2 x"))
    }
}
