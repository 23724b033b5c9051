import LogModel
import LogScanner

extension Timeline {
    /// The timeline as one JSON object on one line, ending with a newline:
    /// `{"schema":"acrscan.timeline/v2","gap_seconds":600,"total":N,"rows":[…]}`; the row fields
    /// are listed in docs/report.md. Strings are kept as stored with control characters escaped.
    public func renderJSON() -> String {
        let document = JSONValue.object([
            ("schema", .string(Timeline.jsonSchema)),
            ("gap_seconds", .int(Int(gap / 1000))),
            ("total", .int(total)),
            ("omitted", .int(omitted)),
            (
                "rows",
                .array(
                    rows.map { row in
                        .object([
                            ("first", .time(row.first)),
                            ("last", .time(row.last)),
                            ("count", .int(row.count)),
                            ("attempts", .int(row.attempts)),
                            ("type", .string(row.type.rawValue)),
                            ("registry", .text(row.registry)),
                            ("host", .string(row.host)),
                            ("source", .string(row.source)),
                            ("line", .int(row.line)),
                            ("first_id", .int(Int(row.firstID))),
                            ("repository", .text(row.repository)),
                            ("client_ip", .text(row.clientIP)),
                            ("excerpt", .string(row.excerpt)),
                            ("remediation", .string(Remediation.entry(for: row.type).reference)),
                        ])
                    })
            ),
        ])
        return document.rendered() + "\n"
    }
}
