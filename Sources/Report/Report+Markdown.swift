import LogScanner

extension Report {
    /// The report as GitHub-flavoured Markdown: a heading, a summary line, the groups as a pipe
    /// table, the spikes, the pairs new in this window, and for each type present its title, the
    /// first fix step with the first fix command, and a link to the Microsoft article (absolute,
    /// so that it works wherever the Markdown is pasted). Cell text is sanitised and escaped (`|`, backticks, emphasis, HTML).
    /// Ends with a newline.
    public func renderMarkdown() -> String {
        var out = ["# acrscan report", ""]
        var summary = "Window: \(Display.window(filter, in: zone)); \(Display.grouping(self))."
        if let filters = Display.filters(filter) { summary += " Filter: \(Escape.markdown(filters))." }
        out.append(summary)
        out.append("")
        guard !groups.isEmpty || total > 0 else {
            out.append("No occurrences.")
            return out.joined(separator: "\n") + "\n"
        }
        out.append("**\(Display.total(self))**")
        out.append("")

        let columns = GroupColumn.columns(of: self)
        out.append(Self.markdownRow(columns.map(\.title)))
        out.append("|" + columns.map { $0.isNumeric ? "--:|" : "---|" }.joined())
        for group in groups {
            out.append(Self.markdownRow(columns.map {
                Escape.markdown($0.text(of: group, in: self, sparklineWidth: TableOptions().sparklineWidth, ascii: false))
            }))
        }
        if let omitted = Display.omitted(self) {
            out.append("")
            out.append("_\(omitted)._")
        }

        if !spikes.isEmpty {
            out += ["", "## Spikes", "", "A spike is \(Display.spikeRule(spikeRule, bucket: bucket)).", ""]
            out.append(Self.markdownRow(["Bucket", "Registry", "Type", "Count", "Baseline", "Score"]))
            out.append("|---|---|---|--:|--:|--:|")
            for spike in spikes {
                out.append(Self.markdownRow([
                    Display.period(spike.bucket, hourly: bucket == .hour), Escape.markdown(Display.registry(spike.registry)),
                    spike.type.rawValue, String(spike.count), spike.baselineText, spike.scoreText,
                ]))
            }
        }

        if let newPairs, !newPairs.isEmpty {
            out += ["", "## New in this window", "", "Registry and type pairs with no occurrence in the previous window:", ""]
            out += newPairs.map { "- \(Escape.markdown(Display.registry($0.registry))) \($0.type.rawValue)" }
        }

        if !types.isEmpty {
            out += ["", "## Remediation"]
            for type in types {
                let entry = Remediation.entry(for: type)
                out += ["", "### \(type.rawValue): \(Escape.markdown(entry.title))", ""]
                if let step = entry.fix.first { out.append("Fix: \(Escape.markdown(step.text))") }
                if let command = entry.fix.lazy.compactMap(\.command).first {
                    out += ["", Self.codeSpan(command)]
                }
                out += ["", "More: [Microsoft documentation](\(entry.reference)), `acrscan explain \(type.rawValue)`."]
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A pipe-table row of already escaped cells.
    static func markdownRow(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |"
    }

    /// `text` as a Markdown code span, fenced with one more backtick than its longest run.
    static func codeSpan(_ text: String) -> String {
        var longest = 0
        var run = 0
        for char in text {
            run = char == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return fence + pad + text + pad + fence
    }
}
