import LogModel
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
        if let selection = selectionSentence { summary += " Selection: \(Escape.markdown(selection))." }
        if let unknowns = unknownSentence { summary += " Unknown shapes: \(Escape.markdown(unknowns))." }
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
            out.append(
                Self.markdownRow(
                    columns.map {
                        Escape.markdown(
                            $0.text(of: group, in: self, sparklineWidth: TableOptions().sparklineWidth, ascii: false))
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
                out.append(
                    Self.markdownRow([
                        Display.period(spike.bucket, hourly: bucket == .hour),
                        Escape.markdown(Display.registry(spike.registry)),
                        spike.type.rawValue, String(spike.count), spike.baselineText, spike.scoreText,
                    ]))
            }
        }

        if let newPairs, !newPairs.isEmpty {
            out += [
                "", "## New in this window", "", "Registry and type pairs with no occurrence in the previous window:",
                "",
            ]
            out += newPairs.map { "- \(Escape.markdown(Display.registry($0.registry))) \($0.type.rawValue)" }
        }

        if !types.isEmpty {
            out += ["", "## Remediation"]
            for type in types {
                let entry = Remediation.entry(for: type)
                out += ["", "### \(type.rawValue): \(Escape.markdown(entry.title))"]
                let fixes = groups.compactMap { group in fix(for: group).flatMap { $0.type == type ? (group, $0) : nil }
                }
                if fixes.isEmpty {
                    out.append("")
                    if let step = entry.fix.first { out.append("Fix: \(Escape.markdown(step.text))") }
                    if let command = entry.fix.lazy.compactMap(\.command).first {
                        out += ["", Self.codeSpan(command)]
                    }
                }
                for (group, fix) in fixes {
                    out += markdownFix(fix, for: group)
                }
                var more = "More: [Microsoft documentation](\(entry.reference))"
                if type == .ipNotAllowed { more += ", [firewall rules](\(GroupFix.firewallArticle))" }
                out += ["", more + ", `acrscan explain \(type.rawValue)`."]
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// One group's fix: a bold label with its count, what its logs named, the notes, and the
    /// commands in a `sh` block, each after its step's text as a comment, so that the block can
    /// be pasted as is.
    private func markdownFix(_ fix: GroupFix, for group: GroupCount) -> [String] {
        var out = [""]
        var line =
            "**\(Escape.markdown(Display.groupLabel(group, in: self)))** (\(Display.plural(group.count, "occurrence")))"
        if let seen = Display.evidence(fix, in: self, escape: Escape.markdown) { line += "; seen: \(seen)" }
        out.append(line + ".")
        if !fix.notes.isEmpty {
            out.append("")
            out += fix.notes.map { "- \(Escape.markdown(Escape.sanitize($0)))" }
        }
        let lines = fix.steps.flatMap { step in ["# " + Escape.sanitize(step.text)] + step.commands.map(Escape.sanitize)
        }
        let fence = Self.fence(for: lines)
        out += ["", fence + "sh"] + lines + [fence]
        return out
    }

    /// A code fence longer than any run of backticks in `lines` (at least three).
    static func fence(for lines: [String]) -> String {
        var longest = 0
        for line in lines {
            var run = 0
            for char in line {
                run = char == "`" ? run + 1 : 0
                longest = max(longest, run)
            }
        }
        return String(repeating: "`", count: max(3, longest + 1))
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
