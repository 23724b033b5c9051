import LogModel
import LogScanner

extension Timeline {
    /// The timeline as one self-contained, well-formed HTML file (the report's style sheet, no
    /// script): the summary, where it came from, and a table of the bursts with the failure's
    /// words marked in each excerpt. Everything from logs is sanitised and escaped. Ends with a
    /// newline.
    public func renderHTML(_ provenance: Provenance = Provenance()) -> String {
        var out = HTMLPage.head(title: "acrscan timeline")
        out += "<h1>acrscan timeline</h1>\n<p>\(h(summary)).</p>\n"
        if let about = provenance.sentence(in: zone) { out += "<p class=\"muted\">\(h(about))</p>\n" }
        guard !rows.isEmpty else {
            out += "<p>No occurrences.</p>\n"
            if let more = omittedLine { out += "<p class=\"muted\">\(h(more)).</p>\n" }
            return out + HTMLPage.end
        }
        out +=
            "<table>\n<thead><tr><th>Time (\(h(zone.name)))</th><th class=\"n\">Count</th><th>Type</th><th>Registry</th>"
            + "<th>Host</th><th>Repository</th><th>Client IP</th><th>Source</th></tr></thead>\n<tbody>\n"
        for row in rows {
            out +=
                "<tr><td class=\"t\">\(HTMLPage.time(span(of: row, dash: "–")))</td><td class=\"n\">\(row.count)</td>"
                + "<td>\(h(row.type.rawValue))</td>"
                + "<td\(row.registry == nil ? " class=\"muted\"" : "")>\(h(Display.registry(row.registry)))</td>"
                + "<td>\(h(row.host))</td><td>\(h(row.repository ?? "-"))</td><td>\(h(row.clientIP ?? "-"))</td>"
                + "<td>\(h(location(of: row)))</td></tr>\n"
            let excerpt = Escape.sanitize(row.excerpt)
            if !excerpt.isEmpty {
                out += "<tr><td></td><td colspan=\"7\" class=\"x\">\(Self.marked(excerpt, type: row.type))</td></tr>\n"
            }
        }
        out += "</tbody>\n</table>\n"
        if let more = omittedLine { out += "<p class=\"muted\">\(h(more)).</p>\n" }
        return out + HTMLPage.end
    }

    /// The sanitised excerpt, escaped, with the failure's words in `<mark>`.
    static func marked(_ excerpt: String, type: ErrorType) -> String {
        guard let range = Excerpt.failureRange(in: excerpt, type: type) else { return Escape.html(excerpt) }
        let chars = Array(excerpt)
        return Escape.html(String(chars[..<range.lowerBound])) + "<mark>" + Escape.html(String(chars[range]))
            + "</mark>" + Escape.html(String(chars[range.upperBound...]))
    }

    /// Sanitised, HTML-escaped text.
    private func h(_ text: String) -> String {
        Escape.html(Escape.sanitize(text))
    }
}
