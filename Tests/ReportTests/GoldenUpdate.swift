import Foundation
import LogModel
import LogReport
import LogScanner
import Testing

/// Rewrites Golden.swift from the renderers when `ACRSCAN_UPDATE_GOLDEN=1`, the catalog's titles
/// and references put back as `{title:TYPE}` and `{reference:TYPE}` and trailing spaces as `·`.
/// Read the diff before committing it: the goldens are checked by hand.
struct GoldenUpdate {
    /// Each golden: its name, its doc comment, and the renderer's output it holds.
    static var entries: [(name: String, doc: String, text: () -> String)] {
        [
            ("reportTable", "The table renderer, Unicode, no colour.", { Sample.report.renderTable() }),
            (
                "reportTableASCII", "The table renderer with ASCII sparklines.",
                { Sample.report.renderTable(TableOptions(ascii: true)) }
            ),
            ("reportJSON", "The JSON renderer.", { Sample.report.renderJSON() }),
            (
                "reportCSV", "The CSV renderer, with LF for CRLF and `\\n` for a line feed inside a cell.",
                {
                    Sample.report.renderCSV().replacingOccurrences(of: "\r\n", with: "\u{0}")
                        .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\u{0}", with: "\n")
                }
            ),
            (
                "reportMarkdown", "The Markdown renderer, up to the remediation section.",
                {
                    let text = Sample.report.renderMarkdown()
                    return text.range(of: "\n## Remediation\n").map { String(text[..<$0.lowerBound]) + "\n" } ?? text
                }
            ),
            (
                "reportHTML", "The HTML renderer, up to the remediation section.",
                {
                    let text = Sample.report.renderHTML()
                    return text.range(of: "<h2>Remediation</h2>\n").map { String(text[..<$0.lowerBound]) + "\n" }
                        ?? text
                }
            ),
            ("timelineTable", "The timeline table.", { Sample.timeline.renderTable() }),
            ("timelineJSON", "The timeline JSON.", { Sample.timeline.renderJSON() }),
            ("timelineMarkdown", "The timeline Markdown.", { Sample.timeline.renderMarkdown() }),
            (
                "timelineCSV", "The timeline CSV, with LF for CRLF.",
                { Sample.timeline.renderCSV().replacingOccurrences(of: "\r\n", with: "\n") }
            ),
        ]
    }

    /// `text` with the catalog's titles and references replaced by their placeholders.
    static func abstract(_ text: String) -> String {
        var out = text
        for type in ErrorType.allCases {
            out = out.replacingOccurrences(of: Remediation.entry(for: type).title, with: "{title:\(type.rawValue)}")
        }
        // A reference belongs to the type named last before it (types share articles).
        for url in Set(ErrorType.allCases.map { Remediation.entry(for: $0).reference }) {
            var result = ""
            var rest = out[...]
            while let range = rest.range(of: url) {
                let before = result + rest[..<range.lowerBound]
                let owner = ErrorType.allCases
                    .compactMap { type in
                        before.range(of: type.rawValue, options: .backwards).map { (type, $0.lowerBound) }
                    }
                    .filter { Remediation.entry(for: $0.0).reference == url }
                    .max { $0.1 < $1.1 }?.0
                result = before + (owner.map { "{reference:\($0.rawValue)}" } ?? url)
                rest = rest[range.upperBound...]
            }
            out = result + rest
        }
        return out.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let spaces = line.reversed().prefix { $0 == " " }.count
            return line.dropLast(spaces) + String(repeating: "·", count: spaces)
        }.joined(separator: "\n")
    }

    @Test(
        "rewrite Golden.swift from the renderers (ACRSCAN_UPDATE_GOLDEN=1 only)",
        .enabled(
            if: ProcessInfo.processInfo.environment["ACRSCAN_UPDATE_GOLDEN"] == "1",
            "writes the goldens only when asked"))
    func updateGoldenSwift() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden.swift")
        let old = try String(contentsOf: path, encoding: .utf8)
        let marker = try #require(old.range(of: "/// The golden outputs."))
        let header = String(old[..<marker.lowerBound])
        var out = header + "/// The golden outputs.\nenum Golden {\n"
        for (index, entry) in Self.entries.enumerated() {
            var text = Self.abstract(entry.text())
            if text.hasSuffix("\n") { text.removeLast() }
            let quotes = String(repeating: "\"", count: 3)
            if index > 0 { out += "\n" }
            out += "    /// \(entry.doc)\n"
            out += "    static let \(entry.name) = #\(quotes)\n"
            out += text
            out += "\n\(quotes)#\n"
        }
        try (out + "}\n").write(to: path, atomically: true, encoding: .utf8)
    }
}
