import LogModel
import LogReport
import LogScanner
import Testing

/// Burst collapsing: same type, registry and host, each within 10 minutes of the previous one.
struct TimelineTests {
    private func occurrence(
        _ id: Int64, _ time: Int64?, type: ErrorType = .unauthorized, registry: String? = "r",
        host: String = "h", attempts: Int = 1
    ) -> StoredOccurrence {
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
            occurrence(4, t + 3000, registry: nil), occurrence(5, t + 4000, host: "h2"),
            occurrence(6, t + 5000, registry: nil),
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
        let timeline = Timeline([
            occurrence(1, nil), occurrence(2, nil), occurrence(3, t), occurrence(4, nil), occurrence(5, t + 1),
        ])
        #expect(timeline.rows.map(\.count) == [1, 1, 2, 1])
        #expect(timeline.rows.map(\.firstID) == [1, 2, 3, 4])
        #expect(timeline.renderTable().contains("\n-  "))
    }

    @Test func customGap() {
        let t = Sample.time(20, 3)
        let timeline = Timeline([occurrence(1, t), occurrence(2, t + 31_000)], gap: 30_000)
        #expect(timeline.rows.count == 2)
        #expect(timeline.renderTable().contains("within 30 seconds of the previous one"))
        #expect(timeline.renderMarkdown().contains("within 30 seconds of the previous one"))
    }

    @Test func emptyTimeline() {
        let timeline = Timeline([])
        #expect(timeline.rows.isEmpty)
        #expect(timeline.renderTable().hasSuffix("No occurrences.\n"))
        #expect(
            timeline.renderJSON()
                == "{\"schema\":\"acrscan.timeline/v2\",\"gap_seconds\":600,\"total\":0,\"omitted\":0,\"rows\":[]}\n")
    }

    @Test func oneDateGoesIntoTheHeading() {
        let text = Sample.timeline.renderTable()
        #expect(text.contains("\nall times on 2026-11-20 (UTC)\n"))
        #expect(text.contains("\n03:14:15–03:20:02    3 ×"))
    }

    @Test func spansAcrossMidnightShowTheDate() {
        let timeline = Timeline([occurrence(1, Sample.time(20, 23, 58)), occurrence(2, Sample.time(21, 0, 3))])
        #expect(
            timeline.renderTable(TableOptions(ascii: true)).contains("2026-11-20 23:58:00-2026-11-21 00:03:00    2 x"))
    }

    // MARK: Issue 13: rows that fit, the failure in view, repository and client IP, --limit

    /// A long dockerd line whose failure comes after 160 characters of the daemon's own prefix.
    private static let dockerd =
        "time=\"2026-11-20T03:14:15.123456789Z\" level=error msg=\"Handler for POST /v1.43/images/create "
        + "returned error: Head \\\"https://contosoprod.azurecr.io/v2/team/web/manifests/1.4.2\\\": unauthorized: authentication "
        + "required, visit https://aka.ms/acr/authorization for more information.\" spanID=7b2d1f0e4c3a5b69 traceID=9f8e7d6c5b4a3928"

    private var wide: Timeline {
        let long = "/var/lib/jenkins/workspace/platform-team/release-pipelines/nightly-build-and-publish/logs/console"
        return Timeline(
            [
                StoredOccurrence(
                    id: 1, host: "build-agent-0042.westeurope.internal.contoso.com", source: long + ".log",
                    occurrence: Occurrence(
                        type: .ipNotAllowed, registry: "contosoproductionregistry01", timestamp: Sample.time(20, 3),
                        line: 123_456, clientIP: "2001:db8:85a3::8a2e:370:7334",
                        repository: "platform/services/payments/api-gateway", excerpt: Self.dockerd)),
                StoredOccurrence(
                    id: 2, host: "h", source: long + "-2.log",
                    occurrence: Occurrence(
                        type: .unauthorized, registry: "r", timestamp: Sample.time(20, 4), line: 7,
                        repository: "web", excerpt: Self.dockerd)),
            ], omitted: 42)
    }

    @Test func tableFitsInOneHundredTwentyColumns() {
        // Regression: rows were about 270 columns wide with absolute paths.
        for ascii in [false, true] {
            let text = wide.renderTable(TableOptions(ascii: ascii))
            let widest = text.split(separator: "\n").map(\.count).max() ?? 0
            #expect(widest <= 120, "\(text)")
            #expect(
                text.contains(
                    "sources under /var/lib/jenkins/workspace/platform-team/release-pipelines/nightly-build-and-publish/logs/\n"
                ))
            #expect(text.contains("console.log:123456"))
        }
    }

    @Test func excerptShowsTheFailureNotTheLogPrefix() throws {
        // Regression: the cut kept `time=… msg="Handler for POST /v1.43/images/create retu…`.
        let text = wide.renderTable()
        let excerpt = try #require(text.split(separator: "\n").first { $0.hasPrefix("    ") })
        #expect(excerpt.contains("unauthorized: authentication required"))
        #expect(excerpt.contains("https://contosoprod.azurecr.io/v2/team/web/manifests/1.4.2"))
        #expect(excerpt.hasPrefix("    …"))
        #expect(!excerpt.contains("level=error"))
        // HTML marks the failure's words.
        #expect(wide.renderHTML().contains("<mark>unauthorized</mark>: authentication required"))
    }

    @Test func rowsShowRepositoryAndClientIP() throws {
        let text = wide.renderTable()
        #expect(text.contains("REPOSITORY") && text.contains("CLIENT IP"))
        #expect(text.contains("2001:db8:8") && text.contains("platform/se"))
        let csv = try #require(Support.csvRecords(wide.renderCSV()))
        #expect(
            csv[0] == [
                "first", "last", "count", "attempts", "type", "registry", "host", "repository", "client_ip",
                "source", "line", "excerpt", "remediation",
            ])
        #expect(csv[1][7] == "platform/services/payments/api-gateway")
        #expect(csv[1][8] == "2001:db8:85a3::8a2e:370:7334")
        #expect(csv[1][11] == Self.dockerd)
        let object = try #require(Support.jsonObject(wide.renderJSON()))
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows[0]["client_ip"] as? String == "2001:db8:85a3::8a2e:370:7334")
        #expect(rows[1]["repository"] as? String == "web")
        #expect(object["omitted"] as? Int == 42)
    }

    @Test func limitSaysHowManyMoreExist() {
        // Regression: --limit kept the earliest N with no hint that more existed.
        #expect(
            wide.renderTable().hasSuffix(
                "\n42 more occurrences after these not shown (--limit); raise --limit or start --since after the last row\n"
            ))
        #expect(wide.renderMarkdown().contains("42 more occurrences after these not shown"))
        #expect(wide.renderHTML().contains("42 more occurrences after these not shown"))
        #expect(!Sample.timeline.renderTable().contains("more occurrence"))
    }

    @Test func htmlTimelineIsWellFormed() {
        #expect(Support.xmlError(wide.renderHTML()) == nil)
        #expect(
            Support.xmlError(
                Sample.timeline.renderHTML(
                    Provenance(
                        generated: Sample.time(29), version: "0.1.0",
                        hosts: [.init(name: "build-07", files: 7)]))) == nil)
    }

    @Test func timesInAZone() throws {
        let zone = try #require(DisplayZone(identifier: "America/New_York"))
        let timeline = Timeline(Sample.occurrences, zone: zone)
        let text = timeline.renderTable()
        #expect(text.contains("TIME (America/New_York)"))
        #expect(text.contains("\nall times on 2026-11-19 (America/New_York)\n"))
        #expect(text.contains("\n22:14:15–22:20:02          3 ×"))
        #expect(timeline.renderJSON().contains("\"first\":\"2026-11-20T03:14:15Z\""))
    }
}
