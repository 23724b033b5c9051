import LogModel
import LogReport
import Testing

/// Hostile log text comes out inert in every format.
struct HostileTextTests {
    @Test func noEscapeOrControlCharacterInAnyOutput() {
        for (name, text) in Hostile.outputs {
            let bad = text.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n" && $0 != "\r") || (0x7F..<0xA0).contains($0.value)
                    || (0x202A...0x202E).contains($0.value)
            }
            #expect(bad.isEmpty, "\(name): \(bad.map { String($0.value, radix: 16) })")
        }
    }

    @Test func colourAddsOnlySGRSequences() {
        for report in [Hostile.pairReport, Hostile.dimensionReport, Hostile.evidenceReport] {
            let colored = report.renderTable(TableOptions(color: true))
            #expect(colored.contains("\u{1B}[1m"))
            let stripped = Support.strippingSGR(colored)
            #expect(!stripped.unicodeScalars.contains("\u{1B}"))
            #expect(stripped == report.renderTable())
        }
        let timeline = Hostile.timeline.renderTable(TableOptions(color: true))
        #expect(Support.strippingSGR(timeline) == Hostile.timeline.renderTable())
    }

    @Test func noRawMarkupInHTMLMarkdownOrJSON() {
        for (name, text) in Hostile.outputs
        where name.hasSuffix("html") || name.hasSuffix("markdown") || name.hasSuffix("json") {
            #expect(!text.lowercased().contains("<script"), "\(name)")
            #expect(!text.contains("alert(1)</"), "\(name)")
        }
    }

    @Test func htmlStaysWellFormedAndQuotesAreEscaped() {
        for report in [Hostile.pairReport, Hostile.dimensionReport, Hostile.evidenceReport] {
            let html = report.renderHTML()
            #expect(Support.xmlError(html) == nil)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;dq&quot; &#39;sq&#39;"))
        }
    }

    @Test func noCSVCellAFormulaCouldRunIn() throws {
        for report in [Hostile.pairReport, Hostile.dimensionReport] {
            let records = try #require(Support.csvRecords(report.renderCSV()))
            #expect(records.count == report.groups.count + 1)
            for cell in records.joined() {
                let lead = cell.unicodeScalars.first { $0 != " " }
                #expect(lead.map { !"=+-@\t\r".unicodeScalars.contains($0) } ?? true, "\(cell)")
            }
            #expect(records.joined().contains("'" + Hostile.formula))
        }
    }

    @Test func markdownTablesKeepTheirColumns() {
        for (name, text) in Hostile.outputs where name.hasSuffix("markdown") {
            let rows = text.split(separator: "\n").filter { $0.hasPrefix("|") }
            let widths = Set(
                rows.map { row in
                    var count = 0
                    var escaped = false
                    for char in row {
                        if char == "|" && !escaped { count += 1 }
                        escaped = char == "\\" && !escaped
                    }
                    return count
                })
            // Each table has its own width; the groups table and the spikes table differ.
            #expect(widths.count <= 2, "\(name): \(widths)")
        }
    }

    @Test func jsonKeepsTheTextExactly() throws {
        let object = try #require(Support.jsonObject(Hostile.pairReport.renderJSON()))
        let groups = try #require(object["groups"] as? [[String: Any]])
        #expect(groups.first?["registry"] as? String == Hostile.registry)
        let filter = try #require(object["filter"] as? [String: Any])
        #expect(filter["host"] as? String == Hostile.host)
        let timeline = try #require(Support.jsonObject(Hostile.timeline.renderJSON()))
        let rows = try #require(timeline["rows"] as? [[String: Any]])
        #expect(rows.first?["excerpt"] as? String == Hostile.excerpt)
        #expect(rows.first?["source"] as? String == Hostile.source)
    }
}
