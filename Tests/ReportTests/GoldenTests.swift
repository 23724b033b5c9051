import LogReport
import LogScanner
import Testing

/// Every format of `Sample` against its golden output.
struct GoldenTests {
    /// `golden` as the renderer should print it: the catalog's text for `{title:TYPE}` and
    /// `{reference:TYPE}`, spaces for trailing `·`, and the final newline.
    private func expand(_ golden: String) -> String {
        var text = golden
        for type in ErrorType.allCases {
            let entry = Remediation.entry(for: type)
            text = text.replacingOccurrences(of: "{title:\(type.rawValue)}", with: entry.title)
                .replacingOccurrences(of: "{reference:\(type.rawValue)}", with: entry.reference)
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let dots = line.reversed().prefix { $0 == "·" }.count
            return line.dropLast(dots) + String(repeating: " ", count: dots)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The first line where `actual` and `expected` differ, or nil when they are equal.
    private func firstDifference(_ actual: String, _ expected: String) -> String? {
        guard actual != expected else { return nil }
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(a.count, e.count) {
            let got = index < a.count ? String(a[index]) : "<end>"
            let want = index < e.count ? String(e[index]) : "<end>"
            if got != want { return "line \(index + 1):\n  got  \(got)\n  want \(want)" }
        }
        return "differ in line ends"
    }

    /// `text` up to (not including) `marker`, with a final newline.
    private func prefix(_ text: String, before marker: String) -> String {
        text.range(of: marker).map { String(text[..<$0.lowerBound]) + "\n" } ?? text
    }

    @Test func reportTable() {
        #expect(firstDifference(Sample.report.renderTable(), expand(Golden.reportTable)) == nil)
    }

    @Test func reportTableASCII() {
        #expect(firstDifference(Sample.report.renderTable(TableOptions(ascii: true)), expand(Golden.reportTableASCII)) == nil)
    }

    @Test func reportTableColourIsThePlainTablePainted() {
        let colored = Sample.report.renderTable(TableOptions(color: true))
        #expect(colored.contains("\u{1B}[1mREGISTRY\u{1B}[0m"))
        #expect(colored.contains("\u{1B}[2m(unknown)\u{1B}[0m"))
        #expect(colored.contains("\u{1B}[36macrscan explain unauthorized\u{1B}[0m"))
        #expect(firstDifference(Support.strippingSGR(colored), expand(Golden.reportTable)) == nil)
    }

    @Test func reportJSON() {
        #expect(firstDifference(Sample.report.renderJSON(), expand(Golden.reportJSON)) == nil)
    }

    @Test func reportCSV() {
        let expected = expand(Golden.reportCSV).replacingOccurrences(of: "\n", with: "\r\n")
        #expect(firstDifference(Sample.report.renderCSV(), expected) == nil)
    }

    @Test func reportMarkdown() {
        let markdown = Sample.report.renderMarkdown()
        #expect(firstDifference(prefix(markdown, before: "\n## Remediation\n"), expand(Golden.reportMarkdown)) == nil)
    }

    @Test func reportMarkdownRemediationFollowsTheCatalog() throws {
        let markdown = Sample.report.renderMarkdown()
        let section = try #require(markdown.range(of: "\n## Remediation\n")).upperBound
        let remediation = markdown[section...]
        for type in Sample.report.types {
            let entry = Remediation.entry(for: type)
            let command = try #require(entry.fix.compactMap(\.command).first)
            let fix = try #require(entry.fix.first)
            let block = [
                "", "### \(type.rawValue): \(Escape.markdown(entry.title))", "", "Fix: \(Escape.markdown(fix.text))", "",
                "`\(command)`", "",
                "More: [Microsoft documentation](\(entry.reference)), `acrscan explain \(type.rawValue)`.",
            ].joined(separator: "\n")
            #expect(remediation.contains(block), "\(type)")
        }
        #expect(remediation.components(separatedBy: "\n### ").count == Sample.report.types.count + 1)
    }

    @Test func reportHTML() {
        let html = Sample.report.renderHTML()
        #expect(firstDifference(prefix(html, before: "<h2>Remediation</h2>\n"), expand(Golden.reportHTML)) == nil)
        #expect(html.hasSuffix("</p>\n</body>\n</html>\n"))
    }

    @Test func reportHTMLRemediationFollowsTheCatalog() throws {
        let html = Sample.report.renderHTML()
        let remediation = html[try #require(html.range(of: "<h2>Remediation</h2>\n")).upperBound...]
        for type in Sample.report.types {
            let entry = Remediation.entry(for: type)
            #expect(remediation.contains("\(type.rawValue): \(Escape.html(entry.title))</h3>\n<p>\(Escape.html(entry.summary))</p>\n"))
            for step in entry.confirm + entry.fix {
                let command = step.command.map { "<br/><code>\(Escape.html($0))</code>" } ?? ""
                #expect(remediation.contains("<li>\(Escape.html(step.text))\(command)</li>\n"), "\(type): \(step.text)")
            }
            #expect(remediation.contains("<a href=\"\(Escape.html(entry.reference))\">Microsoft documentation</a>"))
        }
    }

    @Test func timelineTable() {
        #expect(firstDifference(Sample.timeline.renderTable(), expand(Golden.timelineTable)) == nil)
    }

    @Test func timelineJSON() {
        #expect(firstDifference(Sample.timeline.renderJSON(), expand(Golden.timelineJSON)) == nil)
    }

    @Test func timelineMarkdown() {
        #expect(firstDifference(Sample.timeline.renderMarkdown(), expand(Golden.timelineMarkdown)) == nil)
    }

    @Test func timelineCSV() {
        let expected = expand(Golden.timelineCSV).replacingOccurrences(of: "\n", with: "\r\n")
        #expect(firstDifference(Sample.timeline.renderCSV(), expected) == nil)
    }

    @Test func renderingIsDeterministic() {
        let again = Report(filter: Sample.filter, keys: [.registry, .type], bucket: .day,
                           groups: Sample.groups.reversed(), trend: Sample.trend.reversed(), history: Sample.history.reversed(),
                           observedSince: Sample.time(6, 7), previous: Sample.previous.reversed())
        #expect(again.renderJSON() == Sample.report.renderJSON())
        #expect(again.renderHTML() == Sample.report.renderHTML())
        #expect(again.renderTable() == Sample.report.renderTable())
    }
}
