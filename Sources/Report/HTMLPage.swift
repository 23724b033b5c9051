import LogModel
import LogScanner

/// Where a report came from, printed at the top of the HTML pages: when and by which version it
/// was generated, and which hosts and how many log files the store had scanned.
public struct Provenance: Sendable, Equatable {
    /// Log files scanned on one host.
    public struct Host: Sendable, Equatable {
        public var name: String
        public var files: Int

        /// A host and its file count.
        public init(name: String, files: Int) {
            self.name = name
            self.files = files
        }
    }

    /// When the report was generated, milliseconds since the epoch.
    public var generated: Int64?
    /// The acrscan version, e.g. `0.1.0`.
    public var version: String?
    /// The hosts scanned, by name.
    public var hosts: [Host]

    /// Provenance; everything unknown by default.
    public init(generated: Int64? = nil, version: String? = nil, hosts: [Host] = []) {
        self.generated = generated
        self.version = version
        self.hosts = hosts
    }

    /// `Generated 2026-11-29T00:00:00Z by acrscan 0.1.0 from 7 log files on 1 host: build-07.`,
    /// or nil when nothing is known. At most eight hosts are named.
    func sentence(in zone: DisplayZone) -> String? {
        var parts: [String] = []
        if let generated { parts.append("Generated \(zone.iso(generated))") }
        if let version { parts.append((parts.isEmpty ? "Generated" : "") + " by acrscan \(version)") }
        if !hosts.isEmpty {
            let files = hosts.reduce(0) { $0 + $1.files }
            var named = hosts.prefix(8).map { Escape.sanitize($0.name) }.joined(separator: ", ")
            if hosts.count > 8 { named += " and \(hosts.count - 8) more" }
            parts.append(
                " from \(Display.plural(files, "log file")) on \(Display.plural(hosts.count, "host")): \(named)")
        }
        guard !parts.isEmpty else { return nil }
        return parts.joined().trimmingLeadingSpace() + "."
    }
}

extension String {
    fileprivate func trimmingLeadingSpace() -> String { String(drop { $0 == " " }) }
}

/// The frame shared by the HTML report and the HTML timeline: one style sheet that fits the
/// content in 1,100 pixels and on an A4 page (tables wrap their text, times break after the
/// date, charts scale down), no script, no external resource.
enum HTMLPage {
    /// The document start: doctype, head with the inline style sheet, body start.
    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(Escape.html(title))</title>
        <style>
        html { -webkit-text-size-adjust: 100%; }
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; box-sizing: border-box; }
        h1, h2, h3 { font-weight: 600; }
        table { border-collapse: collapse; margin: 1em 0; width: 100%; }
        th, td { padding: 0.25em 0.5em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
        th.n, td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.t { font-variant-numeric: tabular-nums; min-width: 6em; }
        td.spark { white-space: nowrap; font-size: 75%; letter-spacing: -0.05em; }
        td.x { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 85%; }
        mark { background: #ffe08a; }
        code { background: #f3f3f3; padding: 0.1em 0.3em; border-radius: 3px; font-size: 90%; overflow-wrap: anywhere; word-break: break-all; }
        svg { display: block; max-width: 100%; height: auto; margin: 0.5em 0; font-size: 11px; }
        .legend span { display: inline-block; margin-right: 1.2em; }
        .swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em; vertical-align: middle; border: 1px solid #fff; }
        .muted { color: #666; }
        @page { size: A4; margin: 12mm; }
        @media print {
          body { max-width: none; margin: 0; padding: 0; font-size: 9pt; }
          h2, h3, h4 { break-after: avoid; }
          tr, svg, li { break-inside: avoid; }
          a { color: inherit; }
        }
        </style>
        </head>
        <body>

        """
    }

    /// The document end.
    static let end = "</body>\n</html>\n"

    /// A time for a table cell: the date, a break opportunity, the rest (`2026-11-20<wbr/>T03:14:15Z`).
    static func time(_ text: String) -> String {
        guard text.count > 10 else { return Escape.html(text) }
        return Escape.html(String(text.prefix(10))) + "<wbr/>" + Escape.html(String(text.dropFirst(10)))
    }
}
