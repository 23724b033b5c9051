import LogModel
import LogScanner

extension Report {
    /// The fill colour of each error type in the HTML charts, in `ErrorType.allCases` order: the
    /// eight colours of the Okabe–Ito palette (Okabe and Ito, "Color Universal Design", 2008),
    /// black included. Grey (`#999999`), which the palette is often padded with, is left out: with
    /// deuteranopia it is hard to tell from reddish purple (`#cc79a7`). ReportTests checks that
    /// every pair stays apart under simulated protanopia, deuteranopia and tritanopia.
    public static let typeColors = [
        "#e69f00", "#56b4e9", "#d55e00", "#009e73", "#f0e442", "#0072b2", "#cc79a7", "#000000",
    ]

    /// The report as one self-contained, well-formed (XHTML-parsable) HTML file: inline CSS, no
    /// script and no external resource. It holds three inline SVG charts drawn from the trend
    /// (counts per bucket stacked by type with a legend, occurrences per registry, and a registry
    /// × bucket heat map), the groups table, the spikes, the pairs new in this window, and the
    /// remediation of every type present: summary, the fix of each group shown of that type with
    /// its commands filled in from the group's evidence, then the generic confirm and fix steps.
    /// Everything from logs is sanitised and passed through `Escape.html`. Ends with a newline.
    public func renderHTML(_ provenance: Provenance = Provenance()) -> String {
        var out = HTMLPage.head(title: "acrscan report")
        out += "<h1>acrscan report</h1>\n"
        out += "<p>Window: \(h(Display.window(filter, in: zone))); \(h(Display.grouping(self))).</p>\n"
        if let filters = Display.filters(filter) { out += "<p>Filter: \(h(filters)).</p>\n" }
        if let selection = selectionSentence { out += "<p>Selection: \(h(selection)).</p>\n" }
        if let unknowns = unknownSentence { out += "<p>Unknown shapes: \(h(unknowns)).</p>\n" }
        if let about = provenance.sentence(in: zone) { out += "<p class=\"muted\">\(h(about))</p>\n" }
        guard !groups.isEmpty || total > 0 else {
            return out + "<p>No occurrences.</p>\n" + HTMLPage.end
        }
        out += "<p><strong>\(h(Display.total(self)))</strong></p>\n"
        if !buckets.isEmpty { out += htmlCharts() }
        out += htmlGroups()
        if !spikes.isEmpty { out += htmlSpikes() }
        if let newPairs, !newPairs.isEmpty {
            out +=
                "<h2>New in this window</h2>\n<p>Registry and type pairs with no occurrence in the previous window:</p>\n<ul>\n"
            out += newPairs.map { "<li>\(h(Display.pair($0)))</li>\n" }.joined()
            out += "</ul>\n"
        }
        if !types.isEmpty { out += htmlRemediation() }
        return out + HTMLPage.end
    }

    /// The three charts.
    private func htmlCharts() -> String {
        let hourly = bucket == .hour
        let columns = buckets.map { Display.period($0, hourly: hourly) }
        let unit = hourly ? "hour" : "day"
        var out = "<h2>Failures per \(unit) by type</h2>\n"
        let layers = types.compactMap { type -> SVGChart.Layer? in
            let matching = series.filter { $0.type == type }
            guard !matching.isEmpty else { return nil }
            let values = buckets.indices.map { index in matching.reduce(0) { $0 + $1.counts[index] } }
            return SVGChart.Layer(label: type.rawValue, color: Self.color(of: type), values: values)
        }
        out += SVGChart.stackedBars(columns: columns, layers: layers, label: "Failures per \(unit) by type")
        out += "<p class=\"legend\">"
        out += layers.map {
            "<span><span class=\"swatch\" style=\"background: \($0.color)\"></span>\(h($0.label))</span>"
        }.joined(separator: " ")
        out += "</p>\n"

        let registryRows = registryTrends()
        out += "<h2>Failures per registry</h2>\n"
        out += SVGChart.horizontalBars(
            rows: registryRows.map { SVGChart.Row(label: $0.label, values: [$0.values.reduce(0, +)]) },
            color: "#0072b2", label: "Failures per registry")
        out += "<h2>Registry by \(unit)</h2>\n"
        out += SVGChart.heatMap(rows: registryRows, columns: columns, label: "Failures per registry and \(unit)")
        return out
    }

    /// The trend summed per registry, ordered by total descending, then registry (unknown last).
    private func registryTrends() -> [SVGChart.Row] {
        var sums: [String?: [Int]] = [:]
        for series in series {
            var values = sums[series.registry] ?? [Int](repeating: 0, count: buckets.count)
            for (index, count) in series.counts.enumerated() { values[index] += count }
            sums[series.registry] = values
        }
        return
            sums
            .map { (registry: $0.key, values: $0.value, total: $0.value.reduce(0, +)) }
            .sorted { $0.total != $1.total ? $0.total > $1.total : nilLastPrecedes($0.registry, $1.registry) }
            .map { SVGChart.Row(label: Display.registry($0.registry), values: $0.values) }
    }

    /// The groups table.
    private func htmlGroups() -> String {
        let columns = GroupColumn.columns(of: self)
        var out = "<h2>Groups</h2>\n<table>\n<thead><tr>"
        out += columns.map { "<th\($0.isNumeric ? " class=\"n\"" : "")>\(h($0.title))</th>" }.joined()
        out += "</tr></thead>\n<tbody>\n"
        for group in groups {
            out += "<tr>"
            for column in columns {
                let text = column.text(of: group, in: self, sparklineWidth: TableOptions().sparklineWidth, ascii: false)
                switch column {
                case .firstSeen, .lastSeen: out += "<td class=\"t\">\(HTMLPage.time(Escape.sanitize(text)))</td>"
                case .trend: out += "<td class=\"spark\">\(h(text))</td>"
                default:
                    let css = column.isNumeric ? " class=\"n\"" : text == Display.unknown ? " class=\"muted\"" : ""
                    out += "<td\(css)>\(h(text))</td>"
                }
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if let omitted = Display.omitted(self) { out += "<p class=\"muted\">\(h(omitted)).</p>\n" }
        return out
    }

    /// The spikes table.
    private func htmlSpikes() -> String {
        var out =
            "<h2>Spikes</h2>\n<p>A spike is \(h(Display.spikeRule(spikeRule, bucket: bucket))).</p>\n<table>\n<thead><tr>"
        out +=
            "<th>Bucket</th><th>Registry</th><th>Type</th><th class=\"n\">Count</th><th class=\"n\">Baseline</th><th class=\"n\">Score</th>"
        out += "</tr></thead>\n<tbody>\n"
        for spike in spikes {
            out +=
                "<tr><td>\(h(Display.period(spike.bucket, hourly: bucket == .hour)))</td>"
                + "<td\(spike.registry == nil ? " class=\"muted\"" : "")>\(h(Display.registry(spike.registry)))</td>"
                + "<td>\(h(spike.type.rawValue))</td>"
                + "<td class=\"n\">\(spike.count)</td><td class=\"n\">\(spike.baselineText)</td>"
                + "<td class=\"n\">\(spike.scoreText)</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// The remediation of every type present.
    private func htmlRemediation() -> String {
        var out = "<h2>Remediation</h2>\n"
        for type in types {
            let entry = Remediation.entry(for: type)
            out +=
                "<h3 id=\"\(h(type.rawValue))\"><span class=\"swatch\" style=\"background: \(Self.color(of: type))\"></span>"
                + "\(h(type.rawValue)): \(h(entry.title))</h3>\n"
            out += "<p>\(h(entry.summary))</p>\n"
            for group in groups {
                guard let fix = fix(for: group), fix.type == type else { continue }
                out += htmlFix(fix, for: group)
            }
            out += Self.htmlSteps("How to confirm", entry.confirm)
            out += Self.htmlSteps("How to fix", entry.fix)
            out += "<p>More: <a href=\"\(h(entry.reference))\">Microsoft documentation</a> (\(h(entry.reference)))"
            if type == .ipNotAllowed {
                out +=
                    ", <a href=\"\(h(GroupFix.firewallArticle))\">firewall rules</a> (\(h(GroupFix.firewallArticle)))"
            }
            out += ", and <code>acrscan explain \(h(type.rawValue))</code>.</p>\n"
        }
        return out
    }

    /// One group's fix: a heading with the group and its count, what its logs named, the notes,
    /// and the steps with their filled-in commands, one `<code>` per command.
    private func htmlFix(_ fix: GroupFix, for group: GroupCount) -> String {
        var out =
            "<h4>Fix for \(h(Display.groupLabel(group, in: self))) (\(h(Display.plural(group.count, "occurrence"))))</h4>\n"
        if let seen = Display.evidence(fix, in: self, escape: Escape.html) { out += "<p>Seen: \(seen).</p>\n" }
        if !fix.notes.isEmpty { out += "<ul>\n" + fix.notes.map { "<li>\(h($0))</li>\n" }.joined() + "</ul>\n" }
        out += "<ol>\n"
        for step in fix.steps {
            out += "<li>\(h(step.text))" + step.commands.map { "<br/><code>\(h($0))</code>" }.joined() + "</li>\n"
        }
        return out + "</ol>\n"
    }

    /// A titled, numbered list of steps with their commands.
    private static func htmlSteps(_ title: String, _ steps: [RemediationStep]) -> String {
        guard !steps.isEmpty else { return "" }
        var out = "<h4>\(Escape.html(title))</h4>\n<ol>\n"
        for step in steps {
            out += "<li>\(Escape.html(step.text))"
            if let command = step.command { out += "<br/><code>\(Escape.html(command))</code>" }
            out += "</li>\n"
        }
        return out + "</ol>\n"
    }

    /// The chart colour of a type.
    private static func color(of type: ErrorType) -> String {
        let index = ErrorType.allCases.firstIndex(of: type) ?? 0
        return typeColors[index % typeColors.count]
    }

    /// Sanitised, HTML-escaped text: the one path by which strings reach the HTML report.
    private func h(_ text: String) -> String {
        Escape.html(Escape.sanitize(text))
    }
}
