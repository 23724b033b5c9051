import LogScanner

extension Timeline {
    /// The timeline as aligned plain text: a summary line stating the collapse rule, then one row
    /// per burst (TIME (UTC), COUNT, TYPE, REGISTRY, HOST, SOURCE, EXCERPT), e.g.
    /// `2026-11-20 03:14:15–03:20:02  37 ×  unauthorized  contosoprod  build1  ci.log:120  …`.
    /// Everything from logs is sanitised; excerpts are cut to `options.excerptWidth`. Ends with a
    /// newline.
    public func renderTable(_ options: TableOptions = TableOptions()) -> String {
        var out = ["acrscan timeline: \(summary)", ""]
        guard !rows.isEmpty else {
            out.append("No occurrences.")
            return out.joined(separator: "\n") + "\n"
        }
        let times = rows.map { span(of: $0, dash: options.ascii ? "-" : "–") }
        let tableRows = zip(rows, times).map { row, time -> [TextTable.Cell] in
            let registry = Display.registry(row.registry)
            return [
                TextTable.Cell(time),
                TextTable.Cell("\(row.count) \(options.ascii ? "x" : "×")", style: row.count > 1 ? "1" : nil),
                TextTable.Cell(row.type.rawValue),
                TextTable.Cell(registry, style: row.registry == nil ? "2" : nil),
                TextTable.Cell(Escape.sanitize(row.host)),
                TextTable.Cell(location(of: row)),
                TextTable.Cell(Self.cut(Escape.sanitize(row.excerpt), to: options.excerptWidth)),
            ]
        }
        out += TextTable(header: ["TIME (UTC)", "COUNT", "TYPE", "REGISTRY", "HOST", "SOURCE", "EXCERPT"],
                         rightAligned: [false, true, false, false, false, false, false],
                         rows: tableRows).lines(color: options.color)
        return out.joined(separator: "\n") + "\n"
    }

    /// The summary line: totals and the collapse rule.
    var summary: String {
        "\(Display.plural(total, "occurrence")) in \(Display.plural(rows.count, "row")); a row collapses "
            + "a burst of one type, registry and host, each within \(gapText) of the previous one"
    }

    /// The gap as `10 minutes`, or in seconds when not whole minutes.
    private var gapText: String {
        gap % 60_000 == 0 ? Display.plural(Int(gap / 60_000), "minute") : Display.plural(Int(gap / 1000), "second")
    }

    /// `2026-11-20 03:14:15`, `2026-11-20 03:14:15–03:20:02`, or `-` when the time is unknown.
    func span(of row: TimelineRow, dash: String) -> String {
        guard let first = row.first else { return "-" }
        let start = Self.dateTime(first)
        guard let last = row.last, last != first else { return start }
        let end = Self.dateTime(last)
        return start + dash + (end.prefix(10) == start.prefix(10) ? String(end.dropFirst(11)) : end)
    }

    /// `source:line`, sanitised.
    func location(of row: TimelineRow) -> String {
        "\(Escape.sanitize(row.source)):\(row.line)"
    }

    /// `2026-11-20 03:14:15`.
    private static func dateTime(_ ms: Int64) -> String {
        let iso = Timestamp.iso(ms)  // 2026-11-20T03:14:15Z
        return iso.prefix(10) + " " + iso.dropFirst(11).prefix(8)
    }

    /// `text` cut to `width` characters, ending in `...` when cut.
    private static func cut(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        return text.prefix(max(0, width - 3)) + "..."
    }
}
