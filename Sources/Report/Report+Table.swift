import LogModel
import LogScanner

extension Report {
    /// The report as aligned plain text for a terminal: a heading line, the groups table
    /// (REGISTRY TYPE … COUNT ATTEMPTS FIRST SEEN LAST SEEN [CHANGE] [TREND]), the total, the
    /// spikes, the pairs new in this window, then for each group shown with a type its fix: a
    /// `fix: TYPE on GROUP: title` line, what its logs named, notes, the fix commands filled in
    /// from that evidence (`$ …`), and where to read more; and one `fix:` line pointing to
    /// `acrscan explain TYPE` for each type present that no group shown covers. Everything from
    /// logs is sanitised; colour codes appear only when `options.color` is set. Ends with a newline.
    public func renderTable(_ options: TableOptions = TableOptions()) -> String {
        let color = options.color
        var out = ["acrscan report: \(Display.window(filter, in: zone)); \(Display.grouping(self))"]
        if let filters = Display.filters(filter) { out.append("filter: \(filters)") }
        if let selection = selectionSentence { out.append("selection: \(selection)") }
        if let unknowns = unknownSentence { out.append("unknown shapes: \(unknowns)") }
        out.append("")
        guard !groups.isEmpty || total > 0 else {
            out.append("No occurrences.")
            return out.joined(separator: "\n") + "\n"
        }

        let columns = GroupColumn.columns(of: self)
        let rows = groups.map { group in
            columns.map { column -> TextTable.Cell in
                let text = column.text(
                    of: group, in: self, sparklineWidth: options.sparklineWidth, ascii: options.ascii)
                return TextTable.Cell(text, style: text == Display.unknown ? "2" : nil)
            }
        }
        out += TextTable(
            header: columns.map { $0.title.uppercased() }, rightAligned: columns.map(\.isNumeric),
            rows: rows
        ).lines(color: color)
        out.append("")
        out.append("Total: " + Display.total(self))
        if let omitted = Display.omitted(self) { out.append(omitted) }

        if !spikes.isEmpty {
            out.append("")
            out.append(
                TextTable.paint("Spikes", "1", color: color)
                    + " (\(Display.spikeRuleShort(spikeRule, bucket: bucket))):")
            let spikeRows = spikes.map { spike in
                [
                    TextTable.Cell(Display.period(spike.bucket, hourly: bucket == .hour)),
                    TextTable.Cell(Display.registry(spike.registry), style: spike.registry == nil ? "2" : nil),
                    TextTable.Cell(spike.type.rawValue),
                    TextTable.Cell(String(spike.count), style: "31"),
                    TextTable.Cell("baseline \(spike.baselineText)"),
                    TextTable.Cell("score \(spike.scoreText)"),
                ]
            }
            out += TextTable(header: [], rightAligned: [false, false, false, true, false, false], rows: spikeRows)
                .lines(color: color, indent: "  ")
        }

        if let newPairs, !newPairs.isEmpty {
            out.append("")
            out.append(TextTable.paint("New in this window", "1", color: color) + " (none in the previous window):")
            let pairRows = newPairs.map {
                [TextTable.Cell(Display.registry($0.registry)), TextTable.Cell($0.type.rawValue)]
            }
            out += TextTable(header: [], rightAligned: [false, false], rows: pairRows).lines(color: color, indent: "  ")
        }

        for group in groups {
            guard let fix = fix(for: group) else { continue }
            out.append("")
            out.append(
                TextTable.paint(
                    "fix: \(fix.type.rawValue) on \(Display.groupLabel(group, in: self))", "1", color: color)
                    + ": \(fix.title)")
            if let seen = Display.evidence(fix, in: self) { out.append("  seen: \(seen)") }
            out += fix.notes.map { "  \(Escape.sanitize($0))" }
            out += fix.commands.map { "  $ " + TextTable.paint($0, "36", color: color) }
            out.append(
                "  more: " + TextTable.paint("acrscan explain \(fix.type.rawValue)", "36", color: color)
                    + ", \(fix.doc)")
        }

        let uncovered = typesWithoutGroupFix
        if !uncovered.isEmpty {
            out.append("")
            let fixRows = uncovered.map { type in
                [
                    TextTable.Cell("fix: " + type.rawValue),
                    // The last column is not padded, so colour codes inside it do not upset alignment.
                    TextTable.Cell(
                        Remediation.entry(for: type).title + "; run: "
                            + TextTable.paint("acrscan explain \(type.rawValue)", "36", color: color)),
                ]
            }
            out += TextTable(header: [], rightAligned: [false, false], rows: fixRows).lines(color: color)
        }
        return out.joined(separator: "\n") + "\n"
    }
}
