import LogModel
import LogScanner

extension Timeline {
    /// The timeline as aligned plain text that fits `options.width` columns (120): a summary line
    /// stating the collapse rule, the directory the sources lie under when they share one, then
    /// per burst one line (TIME, COUNT, TYPE, REGISTRY, HOST, REPOSITORY, CLIENT IP, SOURCE) and
    /// one indented line with the part of the excerpt that holds the failure, e.g.
    ///
    ///     2026-11-20 03:14:15–03:20:02    3 ×  unauthorized  contosoprod  build1  web  -  ci/build.log:120
    ///         …Head "https://contosoprod.azurecr.io/v2/web/manifests/1.4.2": unauthorized: authentication required…
    ///
    /// Columns too wide for the line are cut with `…` (paths keep their end: file and line). When
    /// `--limit` left occurrences unread, a last line says how many. Everything from logs is
    /// sanitised. Ends with a newline.
    public func renderTable(_ options: TableOptions = TableOptions()) -> String {
        var out = [
            "acrscan timeline: \(Display.plural(total, "occurrence")) in \(Display.plural(rows.count, "row"))", rule,
        ]
        let prefix = sourcePrefix
        if !prefix.isEmpty { out.append("sources under \(Escape.sanitize(prefix))") }
        out.append("")
        guard !rows.isEmpty else {
            out.append("No occurrences.")
            if let more = omittedLine { out += ["", more] }
            return out.joined(separator: "\n") + "\n"
        }
        let ascii = options.ascii
        // When every timed row starts and ends on one date, the date goes into the heading.
        let dates = Set(
            rows.flatMap { [$0.first, $0.last].compactMap { $0 }.map { String(zone.dateTime($0).prefix(10)) } })
        let oneDate = dates.count == 1 ? dates.first : nil
        if let oneDate { out.insert("all times on \(oneDate) (\(zone.name))", at: out.count - 1) }
        let header = [
            "TIME (\(zone.name))", "COUNT", "TYPE", "REGISTRY", "HOST", "REPOSITORY",
            "CLIENT IP", "SOURCE",
        ]
        var cells = rows.map { row -> [String] in
            let time = span(of: row, dash: ascii ? "-" : "–")
            return [
                oneDate != nil && time != "-" ? String(time.dropFirst(11)) : time, "\(row.count) \(ascii ? "x" : "×")",
                row.type.rawValue,
                Display.registry(row.registry), Escape.sanitize(row.host), row.repository.map(Escape.sanitize) ?? "-",
                row.clientIP.map(Escape.sanitize) ?? "-", location(of: row, under: prefix),
            ]
        }
        // Until the line fits, shrink the widest of registry, host, repository and client IP to 12
        // characters, then the source to its longest `file:line` (30 at most), then those four to
        // 8, then the source to 12 (it keeps its end).
        var widths = header.indices.map { column in cells.reduce(header[column].count) { max($0, $1[column].count) } }
        let cuttable = [3, 4, 5, 6, 7]  // registry, host, repository, client IP, source
        let fileWidth = min(
            30, rows.map { "\($0.source.split(separator: "/").last ?? ""):\($0.line)".count }.max() ?? 0)
        func tooWide() -> Bool { widths.reduce(0, +) + 2 * (widths.count - 1) > options.width }
        for (group, minimum) in [([3, 4, 5, 6], 12), ([7], max(12, fileWidth)), ([3, 4, 5, 6], 8), ([7], 12)] {
            while tooWide(), let widest = group.filter({ widths[$0] > minimum }).max(by: { widths[$0] < widths[$1] }) {
                widths[widest] -= 1
            }
        }
        for column in cuttable {
            for index in cells.indices {
                cells[index][column] = Excerpt.elide(
                    cells[index][column], to: widths[column], keepEnd: column == 7, ascii: ascii)
            }
        }
        let tableRows = zip(rows, cells).map { row, cells -> [TextTable.Cell] in
            cells.enumerated().map { column, text in
                let style: String? =
                    switch column {
                    case 1: row.count > 1 ? "1" : nil
                    case 3: row.registry == nil ? "2" : nil
                    default: nil
                    }
                return TextTable.Cell(text, style: style)
            }
        }
        let lines = TextTable(
            header: header, rightAligned: [false, true, false, false, false, false, false, false],
            rows: tableRows
        ).lines(color: options.color)
        out.append(lines[0])
        let indent = "    "
        for (row, line) in zip(rows, lines.dropFirst()) {
            out.append(line)
            let excerpt = Escape.sanitize(row.excerpt)
            if !excerpt.isEmpty {
                out.append(
                    indent + Excerpt.focus(excerpt, type: row.type, width: options.width - indent.count, ascii: ascii))
            }
        }
        if let more = omittedLine { out += ["", more] }
        return out.joined(separator: "\n") + "\n"
    }

    /// The summary line: totals and the collapse rule.
    var summary: String {
        "\(Display.plural(total, "occurrence")) in \(Display.plural(rows.count, "row")); \(rule)"
    }

    /// The collapse rule.
    var rule: String {
        "a row collapses a burst of one type, registry and host, each within \(gapText) of the previous one"
    }

    /// The line about occurrences `--limit` left unread, or nil when none were.
    var omittedLine: String? {
        guard omitted > 0 else { return nil }
        return "\(Display.plural(omitted, "more occurrence")) after these not shown (--limit); "
            + "raise --limit or start --since after the last row"
    }

    /// The gap as `10 minutes`, or in seconds when not whole minutes.
    private var gapText: String {
        gap % 60_000 == 0 ? Display.plural(Int(gap / 60_000), "minute") : Display.plural(Int(gap / 1000), "second")
    }

    /// The directory every row's source lies under (ending in `/`), or "" when they share none.
    var sourcePrefix: String {
        Excerpt.commonDirectory(rows.map(\.source))
    }

    /// `2026-11-20 03:14:15`, `2026-11-20 03:14:15–03:20:02`, or `-` when the time is unknown;
    /// in the timeline's zone.
    func span(of row: TimelineRow, dash: String) -> String {
        guard let first = row.first else { return "-" }
        let start = zone.dateTime(first)
        guard let last = row.last, last != first else { return start }
        let end = zone.dateTime(last)
        return start + dash + (end.prefix(10) == start.prefix(10) ? String(end.dropFirst(11)) : end)
    }

    /// `source:line`, sanitised, relative to `prefix` when given.
    func location(of row: TimelineRow, under prefix: String = "") -> String {
        let source =
            !prefix.isEmpty && row.source.hasPrefix(prefix) ? String(row.source.dropFirst(prefix.count)) : row.source
        return "\(Escape.sanitize(source)):\(row.line)"
    }
}
