import LogModel

extension Timeline {
    /// The timeline as Markdown: a heading, the summary with the collapse rule, and a pipe table
    /// (Time, Count, Type, Registry, Host, Repository, Client IP, Source, Excerpt) with every cell
    /// sanitised and escaped. Excerpts are not cut. Ends with a newline.
    public func renderMarkdown() -> String {
        var out = ["# acrscan timeline", "", Escape.markdown(summary) + ".", ""]
        guard !rows.isEmpty else {
            out.append("No occurrences.")
            if let more = omittedLine { out += ["", "_\(Escape.markdown(more))._"] }
            return out.joined(separator: "\n") + "\n"
        }
        out.append(
            Report.markdownRow([
                "Time (\(Escape.markdown(zone.name)))", "Count", "Type", "Registry", "Host", "Repository",
                "Client IP", "Source", "Excerpt",
            ]))
        out.append("|---|--:|---|---|---|---|---|---|---|")
        for row in rows {
            out.append(
                Report.markdownRow([
                    span(of: row, dash: "–"), String(row.count), row.type.rawValue,
                    Escape.markdown(Display.registry(row.registry)), Escape.markdown(Escape.sanitize(row.host)),
                    Escape.markdown(row.repository.map(Escape.sanitize) ?? "-"),
                    Escape.markdown(row.clientIP.map(Escape.sanitize) ?? "-"),
                    Escape.markdown(location(of: row)), Escape.markdown(Escape.sanitize(row.excerpt)),
                ]))
        }
        if let more = omittedLine { out += ["", "_\(Escape.markdown(more))._"] }
        return out.joined(separator: "\n") + "\n"
    }
}
