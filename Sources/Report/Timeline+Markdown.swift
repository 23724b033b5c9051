extension Timeline {
    /// The timeline as Markdown: a heading, the summary with the collapse rule, and a pipe table
    /// (Time (UTC), Count, Type, Registry, Host, Source, Excerpt) with every cell sanitised and
    /// escaped. Excerpts are not cut. Ends with a newline.
    public func renderMarkdown() -> String {
        var out = ["# acrscan timeline", "", Escape.markdown(summary) + ".", ""]
        guard !rows.isEmpty else {
            out.append("No occurrences.")
            return out.joined(separator: "\n") + "\n"
        }
        out.append(Report.markdownRow(["Time (UTC)", "Count", "Type", "Registry", "Host", "Source", "Excerpt"]))
        out.append("|---|--:|---|---|---|---|---|")
        for row in rows {
            out.append(Report.markdownRow([
                span(of: row, dash: "–"), String(row.count), row.type.rawValue,
                Escape.markdown(Display.registry(row.registry)), Escape.markdown(Escape.sanitize(row.host)),
                Escape.markdown(location(of: row)), Escape.markdown(Escape.sanitize(row.excerpt)),
            ]))
        }
        return out.joined(separator: "\n") + "\n"
    }
}
