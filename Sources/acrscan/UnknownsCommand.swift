import ArgumentParser
import LogIngest
import LogModel
import LogReport
import LogScanner
import LogStore

/// `acrscan unknowns`: the templates of lines with ACR evidence and failure words that no rule
/// counted (docs/unknowns.md), by count, with redacted examples.
struct UnknownsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unknowns",
        abstract:
            "List the unknown shapes: lines with ACR evidence and failure words that no rule counts, grouped into templates.",
        discussion:
            "Each template is a line shape with its variable parts masked as <*>; docs/unknowns.md says how to turn one into a rule."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, markdown
    }

    @OptionGroup var database: DatabaseOptions

    @Option(
        help: ArgumentHelp(
            "Only candidates of files whose candidate times reach T or later (same forms as report --since).",
            valueName: "T"))
    var since: String?

    @Option(help: ArgumentHelp("Only candidates of files whose candidate times begin before T.", valueName: "T"))
    var until: String?

    @Option(
        name: .customLong("host"), parsing: .singleValue,
        help: ArgumentHelp("Only these hosts, comma-separated or repeated.", valueName: "H"),
        transform: { text in
            try FilterOptions.parse(text) { () throws(FilterArgumentError) in try FilterArgument.hosts(text) }
        })
    var hosts: [[String]] = []

    @Option(help: ArgumentHelp("Show only the N most frequent templates.", valueName: "N"))
    var top: Int?

    @Option(help: ArgumentHelp("Output format.", valueName: "FORMAT"))
    var format: Format = .table

    @Option(help: ArgumentHelp("Write to FILE instead of standard output.", valueName: "FILE"))
    var output: String?

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        let now = Timestamp.now()
        let since = try since.map { try TimeArgument.resolve($0, now: now, option: "--since") }
        let until = try until.map { try TimeArgument.resolve($0, now: now, option: "--until") }
        if let since, let until, since >= until {
            throw Failure.usage("--since is not before --until: the window would be empty")
        }
        let filter = OccurrenceFilter(since: since, until: until, registries: [], hosts: hosts.flatMap { $0 })
        let store = try database.open(readOnly: true)
        let templates: [UnknownTemplate]
        let totals: (candidates: Int, templates: Int)
        do throws(StoreError) {
            templates = try store.unknowns(filter, limit: top)
            totals = try store.unknownTotals(filter)
        } catch {
            throw Failure.database(error)
        }
        let text =
            switch format {
            case .table: Self.table(templates, totals: totals)
            case .json: Self.json(templates, totals: totals)
            case .markdown: Self.markdown(templates, totals: totals)
            }
        try Output.emit(text, to: output)
    }

    static func summary(_ totals: (candidates: Int, templates: Int)) -> String {
        "\(totals.candidates) unknown candidate\(totals.candidates == 1 ? "" : "s") in \(totals.templates) template\(totals.templates == 1 ? "" : "s")"
    }

    static func table(_ templates: [UnknownTemplate], totals: (candidates: Int, templates: Int)) -> String {
        var out =
            "unknown shapes: \(summary(totals)) (lines with ACR evidence and failure words that no rule counts; docs/unknowns.md)\n"
        for t in templates {
            out += "\n\(t.count)x  \(Escape.sanitize(t.template))\n"
            out +=
                "    key \(hex(t.key)); seen \(t.firstSeen.map(Timestamp.iso) ?? "-") .. \(t.lastSeen.map(Timestamp.iso) ?? "-"); "
            out +=
                "\(t.files) file\(t.files == 1 ? "" : "s") on \(t.hosts.map(Escape.sanitize).joined(separator: ", "))\n"
            for e in t.examples {
                out +=
                    "    \(Escape.sanitize(e.host)):\(Escape.sanitize(e.source)):\(e.line)  \(Escape.sanitize(e.excerpt))\n"
            }
        }
        return out
    }

    static func json(_ templates: [UnknownTemplate], totals: (candidates: Int, templates: Int)) -> String {
        func time(_ ms: Int64?) -> String { ms.map { Escape.json(Timestamp.iso($0)) } ?? "null" }
        var items: [String] = []
        for t in templates {
            let examples = t.examples.map { e in
                "{\"host\":\(Escape.json(e.host)),\"source\":\(Escape.json(e.source)),\"line\":\(e.line),\"ts\":\(time(e.timestamp)),\"excerpt\":\(Escape.json(e.excerpt))}"
            }
            items.append(
                """
                {"key":"\(hex(t.key))","template":\(Escape.json(t.template)),"count":\(t.count),"first_seen":\(time(t.firstSeen)),\
                "last_seen":\(time(t.lastSeen)),"hosts":[\(t.hosts.map(Escape.json).joined(separator: ","))],"files":\(t.files),\
                "examples":[\(examples.joined(separator: ","))]}
                """)
        }
        return """
            {"schema":"acrscan.unknowns/v1","candidates":\(totals.candidates),"template_count":\(totals.templates),\
            "templates":[\(items.joined(separator: ","))]}
            """ + "\n"
    }

    static func markdown(_ templates: [UnknownTemplate], totals: (candidates: Int, templates: Int)) -> String {
        func cell(_ text: String) -> String { Escape.markdown(Escape.sanitize(text)) }
        var out =
            "# Unknown shapes\n\n\(summary(totals)): lines with ACR evidence and failure words that no rule counts (docs/unknowns.md).\n"
        guard !templates.isEmpty else { return out }
        out += "\n| count | template | hosts | first seen | last seen |\n|---:|---|---|---|---|\n"
        for t in templates {
            out +=
                "| \(t.count) | \(cell(t.template)) | \(cell(t.hosts.joined(separator: ", "))) | \(t.firstSeen.map(Timestamp.iso) ?? "") | \(t.lastSeen.map(Timestamp.iso) ?? "") |\n"
        }
        for t in templates where !t.examples.isEmpty {
            out += "\n## \(cell(t.template))\n\n"
            for e in t.examples { out += "- \(cell(e.host)):\(cell(e.source)):\(e.line): \(cell(e.excerpt))\n" }
        }
        return out
    }

    static func hex(_ key: UInt64) -> String {
        let digits = String(key, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
