import Foundation
import LogModel
import LogReport
import LogScanner
import Testing

/// The JSON parses, the HTML is well-formed XML and self-contained, the CSV is RFC 4180.
struct FormatValidityTests {
    @Test func reportJSONIsOneObjectWithTheSchema() throws {
        let object = try #require(Support.jsonObject(Sample.report.renderJSON()))
        #expect(object["schema"] as? String == "acrscan.report/v3")
        let window = try #require(object["window"] as? [String: Any])
        #expect(window["since"] as? String == "2026-11-16T00:00:00Z")
        #expect(window["until"] as? String == "2026-11-21T00:00:00Z")
        #expect(window["bucket"] as? String == "day")
        #expect(object["total"] as? Int == 23)
        let groups = try #require(object["groups"] as? [[String: Any]])
        #expect(groups.map { $0["count"] as? Int } == [14, 4, 3, 2])
        #expect(groups[1]["registry"] is NSNull)
        #expect(groups[0]["first_seen"] as? String == "2026-11-16T08:00:00Z")
        let remediation = try #require(groups[0]["remediation"] as? [String: Any])
        #expect(remediation["doc"] as? String == Remediation.entry(for: .unauthorized).reference)
        #expect((remediation["commands"] as? [String])?.first == "az acr login --name 'contosoprod'")
        let firewall = try #require(groups[3]["remediation"] as? [String: Any])
        #expect(
            (firewall["evidence"] as? [String: [String: Any]])?["client_ip"]?["values"] as? [String] == [
                "203.0.113.7", "2001:db8::5",
            ])
        let trend = try #require(object["trend"] as? [[String: Any]])
        #expect(trend.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == 23)
        let spikes = try #require(object["spikes"] as? [[String: Any]])
        #expect(spikes.map { $0["baseline"] as? Int } == [0])
        #expect(spikes.map { $0["history"] as? Int } == [14])
        #expect(spikes.map { $0["score"] as? Double } == [10])
        #expect(spikes.map { $0["bucket"] as? String } == ["2026-11-20T00:00:00Z"])
        let rule = try #require(object["spike_rule"] as? [String: Any])
        #expect(rule["history"] as? Int == 14)
        #expect(rule["minimum_rise"] as? Int == 5)
        #expect(rule["threshold"] as? Int == 4)
        #expect((object["new_pairs"] as? [Any])?.count == 2)
    }

    @Test func reportJSONKeysComeInAFixedOrder() {
        let json = Sample.report.renderJSON()
        let keys = [
            "\"schema\"", "\"window\"", "\"filter\"", "\"by\"", "\"total\"", "\"attempts\"", "\"previous_total\"",
            "\"groups\"", "\"omitted_groups\"", "\"omitted_count\"", "\"trend\"", "\"spike_rule\"", "\"spikes\"",
            "\"new_pairs\"",
            "\"remediation\":[",
        ]
        let positions = keys.compactMap { json.range(of: $0)?.lowerBound }
        #expect(positions.count == keys.count)
        #expect(positions == positions.sorted())
        #expect(json.hasSuffix("}\n"))
        #expect(json.filter { $0 == "\n" }.count == 1)
    }

    @Test func halfBaselinesAreJSONNumbers() throws {
        let counts = [1, 2, 0, 2, 1, 2, 0, 3, 9]
        let trend = counts.enumerated().map {
            TrendCount(bucket: Sample.time(16 + $0.offset), registry: "r", type: .unauthorized, count: $0.element)
        }
        let report = Report(
            keys: [.registry, .type], bucket: .day, groups: [GroupCount(registry: "r", type: .unauthorized, count: 10)],
            trend: trend)
        let object = try #require(Support.jsonObject(report.renderJSON()))
        let spikes = try #require(object["spikes"] as? [[String: Any]])
        #expect(spikes.first?["baseline"] as? Double == 1.5)
    }

    @Test func timelineJSONIsOneObjectWithTheSchema() throws {
        let object = try #require(Support.jsonObject(Sample.timeline.renderJSON()))
        #expect(object["schema"] as? String == "acrscan.timeline/v2")
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.map { $0["count"] as? Int } == [3, 1, 1, 1])
        #expect(rows.first?["first"] as? String == "2026-11-20T03:14:15Z")
        #expect(rows.first?["last"] as? String == "2026-11-20T03:20:02Z")
    }

    @Test func htmlIsWellFormedAndSelfContained() {
        let reports = [
            Sample.report, Report(keys: [], bucket: .day, groups: [], trend: []),
            Report(
                keys: [.type, .hour], bucket: .hour,
                groups: [GroupCount(type: .unauthorized, period: Sample.time(20, 3), count: 1)],
                trend: [TrendCount(bucket: Sample.time(20, 3), registry: nil, type: .unauthorized, count: 1)]),
        ]
        for report in reports {
            let html = report.renderHTML()
            #expect(Support.xmlError(html) == nil)
            #expect(html.hasPrefix("<!DOCTYPE html>\n"))
            for forbidden in ["<script", "src=", "<link", "@import", "url(", "<iframe", "<object", "javascript:"] {
                #expect(!html.lowercased().contains(forbidden), "\(forbidden)")
            }
            #expect(!html.lowercased().contains(/<[^>]*\son[a-z]+\s*=/), "event handler attribute")
        }
    }

    @Test func htmlHasTheChartsTableSpikesAndRemediation() {
        let html = Sample.report.renderHTML()
        #expect(html.components(separatedBy: "<svg ").count == 4)
        #expect(html.contains("<h2>Failures per day by type</h2>"))
        #expect(html.contains("<h2>Failures per registry</h2>"))
        #expect(html.contains("<h2>Registry by day</h2>"))
        #expect(html.contains("<h2>Groups</h2>"))
        #expect(html.contains("<h2>Spikes</h2>"))
        for type in Sample.report.types {
            #expect(html.contains("<h3 id=\"\(type.rawValue)\">"))
        }
        #expect(html.contains("<code>az acr credential renew -n NAME --password-name password</code>"))
    }

    @Test func csvIsRFC4180() throws {
        let csv = Sample.report.renderCSV()
        let records = try #require(Support.csvRecords(csv))
        #expect(records.count == 5)
        #expect(Set(records.map(\.count)).count == 1)
        // Records end with CRLF; a line feed appears only inside a quoted field (the fix commands, one per line).
        var quoted = false
        var outside = ""
        for char in csv.unicodeScalars {
            if char == "\"" { quoted.toggle() } else if !quoted { outside.unicodeScalars.append(char) }
        }
        #expect(!outside.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(
            records[4].last == "az acr network-rule add --name 'fabrikam' --ip-address '203.0.113.7'\n"
                + "az acr network-rule add --name 'fabrikam' --ip-address '2001:db8::5'\n"
                + "az acr show --name 'fabrikam' --query networkRuleSet")
    }

    @Test func theCheckersRejectMalformedInput() {
        #expect(Support.xmlError("<p><b>x</p>") != nil)
        #expect(Support.xmlError("<p>a & b</p>") != nil)
        #expect(Support.xmlError("<p>\u{1B}[31m</p>") != nil)
        #expect(Support.xmlError("<p class=\"a\">x<br/></p>") == nil)
        #expect(Support.csvRecords("a,b\n") == nil)
        #expect(Support.csvRecords("a\"b,c\r\n") == nil)
        #expect(Support.csvRecords("\"a\"\"b\",c\r\n") == [["a\"b", "c"]])
        #expect(Support.jsonObject("{\"a\":1}{}") == nil)
    }
}

/// Issue 13: the HTML pages are self-describing, their links work from a standalone file, and
/// their charts read well.
struct HTMLPageTests {
    private let provenance = Provenance(
        generated: Sample.time(29), version: "0.1.0",
        hosts: [.init(name: "build-07", files: 7), .init(name: "node-<1>", files: 2)])

    @Test func saysWhenByWhichVersionAndOverWhat() {
        let html = Sample.report.renderHTML(provenance)
        #expect(
            html.contains(
                "<p class=\"muted\">Generated 2026-11-29T00:00:00Z by acrscan 0.1.0 from 9 log files on 2 hosts: build-07, node-&lt;1&gt;.</p>"
            ))
        #expect(Sample.timeline.renderHTML(provenance).contains("Generated 2026-11-29T00:00:00Z by acrscan 0.1.0"))
        #expect(Support.xmlError(html) == nil)
    }

    @Test func noFormatLinksToARelativePath() {
        // Regression: the CSV and JSON reports and the JSON timeline named docs/error-types.md#…,
        // which means nothing outside this repository.
        let outputs = [
            Sample.report.renderTable(), Sample.report.renderJSON(), Sample.report.renderCSV(),
            Sample.report.renderMarkdown(), Sample.report.renderHTML(), Sample.timeline.renderTable(),
            Sample.timeline.renderJSON(), Sample.timeline.renderCSV(), Sample.timeline.renderMarkdown(),
            Sample.timeline.renderHTML(),
        ]
        for output in outputs {
            #expect(!output.contains("error-types.md"), "\(output.prefix(80))")
        }
    }

    @Test func everyLinkIsAbsolute() {
        // Regression: remediation linked to docs/error-types.md#…, dead in a standalone file.
        for html in [Sample.report.renderHTML(provenance), Sample.timeline.renderHTML(provenance)] {
            let hrefs = html.components(separatedBy: "href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
            #expect(hrefs.allSatisfy { $0.hasPrefix("https://learn.microsoft.com/") }, "\(hrefs)")
            #expect(!html.contains("docs/error-types.md"))
        }
        #expect(!Sample.report.renderHTML().components(separatedBy: "href=\"").dropFirst().isEmpty)
    }

    @Test func stackedChartHasRoundTicksAndGridlines() {
        #expect(
            [1, 4, 5, 6, 9, 10, 11, 23, 99, 100, 101, 740].map { SVGTicks.step($0) } == [
                1, 1, 1, 2, 2, 2, 5, 5, 20, 20, 50, 200,
            ])
        let html = Sample.report.renderHTML()
        // The busiest day holds 12 failures: ticks 0, 5, 10, 15, each with a gridline.
        for tick in ["0", "5", "10", "15"] { #expect(html.contains("text-anchor=\"end\">\(tick)</text>")) }
        #expect(html.components(separatedBy: "stroke=\"#e3e3e3\"").count - 1 == 3)
    }

    @Test func heatMapHasAColourScale() {
        let html = Sample.report.renderHTML()
        #expect(html.contains(">failures</text>"))
        #expect(html.contains("<title>0</title>"))
    }

    @Test func printStyleSheet() {
        let html = Sample.report.renderHTML()
        #expect(html.contains("@page { size: A4; margin: 12mm; }"))
        #expect(html.contains("@media print"))
        #expect(html.contains("2026-11-16<wbr/>T08:00:00Z"))  // times may break after the date
    }
}
