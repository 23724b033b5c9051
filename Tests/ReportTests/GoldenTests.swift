import LogModel
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
        #expect(
            firstDifference(Sample.report.renderTable(TableOptions(ascii: true)), expand(Golden.reportTableASCII))
                == nil)
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
            .replacingOccurrences(of: "\\n", with: "\n")
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
            let heading = "\n### \(type.rawValue): \(Escape.markdown(entry.title))\n"
            #expect(remediation.contains(heading), "\(type)")
            let more = "More: [Microsoft documentation](\(entry.reference))"
            #expect(remediation.contains(more), "\(type)")
            // Each group of the type: its label and count, then its commands in a sh block.
            for group in Sample.report.groups where group.type == type {
                let fix = try #require(Sample.report.fix(for: group))
                let lines = fix.steps.flatMap { ["# " + $0.text] + $0.commands }
                #expect(remediation.contains("```sh\n" + lines.joined(separator: "\n") + "\n```"), "\(type)")
            }
        }
        #expect(remediation.components(separatedBy: "\n### ").count == Sample.report.types.count + 1)
        let firewall: String = """

            **fabrikam** (2 occurrences); seen: client IPs 203.0.113.7, 2001:db8::5; codes CONNECTIVITY\\_FORBIDDEN\\_ERROR.

            - CONNECTIVITY\\_FORBIDDEN\\_ERROR: the registry's firewall refused the client.

            ```sh
            # Allow the refused client addresses in the registry's firewall (IP rules need the Premium tier).
            az acr network-rule add --name 'fabrikam' --ip-address '203.0.113.7'
            az acr network-rule add --name 'fabrikam' --ip-address '2001:db8::5'
            # Check the rules and the default action.
            az acr show --name 'fabrikam' --query networkRuleSet
            ```

            More: [Microsoft documentation](https://learn.microsoft.com/troubleshoot/azure/azure-container-registry/acr-authentication-errors), \
            [firewall rules](https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks), \
            `acrscan explain ip-not-allowed`.
            """
        #expect(remediation.contains(firewall))
    }

    @Test func reportMarkdownWithoutGroupsOfATypeShowsTheGenericFix() throws {
        let report = Report(
            keys: [.registry], bucket: .day, groups: [GroupCount(registry: "contosoprod", count: 1)],
            trend: [TrendCount(bucket: 0, registry: "contosoprod", type: .unauthorized, count: 1)])
        let entry = Remediation.entry(for: .unauthorized)
        let command = try #require(entry.fix.compactMap(\.command).first)
        #expect(
            report.renderMarkdown().hasSuffix(
                """
                ### unauthorized: \(entry.title)

                Fix: \(Escape.markdown(try #require(entry.fix.first).text))

                `\(command)`

                More: [Microsoft documentation](\(entry.reference)), `acrscan explain unauthorized`.

                """))
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
            #expect(
                remediation.contains(
                    "\(type.rawValue): \(Escape.html(entry.title))</h3>\n<p>\(Escape.html(entry.summary))</p>\n"))
            for step in entry.confirm + entry.fix {
                let command = step.command.map { "<br/><code>\(Escape.html($0))</code>" } ?? ""
                #expect(remediation.contains("<li>\(Escape.html(step.text))\(command)</li>\n"), "\(type): \(step.text)")
            }
            #expect(remediation.contains("<a href=\"\(Escape.html(entry.reference))\">Microsoft documentation</a>"))
            for group in Sample.report.groups where group.type == type {
                let fix = try #require(Sample.report.fix(for: group))
                for step in fix.steps {
                    let commands = step.commands.map { "<br/><code>\(Escape.html($0))</code>" }.joined()
                    #expect(
                        remediation.contains("<li>\(Escape.html(step.text))\(commands)</li>\n"), "\(type): \(step.text)"
                    )
                }
            }
        }
        let firewall: String =
            "<h4>Fix for fabrikam (2 occurrences)</h4>\n"
            + "<p>Seen: client IPs 203.0.113.7, 2001:db8::5; codes CONNECTIVITY_FORBIDDEN_ERROR.</p>\n"
            + "<ul>\n<li>CONNECTIVITY_FORBIDDEN_ERROR: the registry&#39;s firewall refused the client.</li>\n</ul>\n<ol>\n"
        let allow: String =
            "<li>Allow the refused client addresses in the registry&#39;s firewall (IP rules need the Premium tier)."
            + "<br/><code>az acr network-rule add --name &#39;fabrikam&#39; --ip-address &#39;203.0.113.7&#39;</code>"
            + "<br/><code>az acr network-rule add --name &#39;fabrikam&#39; --ip-address &#39;2001:db8::5&#39;</code></li>\n"
        #expect(remediation.contains(firewall + allow))
        #expect(
            remediation.contains(
                "<code>az aks update --name &lt;cluster&gt; --resource-group &lt;resource-group&gt; "
                    + "--attach-acr &lt;registry&gt;</code>"))
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
        let again = Report(
            filter: Sample.filter, keys: [.registry, .type], bucket: .day,
            groups: Sample.groups.reversed(), trend: Sample.trend.reversed(), history: Sample.history.reversed(),
            observedSince: Sample.time(6, 7), previous: Sample.previous.reversed(),
            evidence: Sample.evidence.reversed())
        #expect(again.renderJSON() == Sample.report.renderJSON())
        #expect(again.renderHTML() == Sample.report.renderHTML())
        #expect(again.renderTable() == Sample.report.renderTable())
    }
}
