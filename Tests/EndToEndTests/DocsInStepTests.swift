import Foundation
import Testing

/// The docs against the binary (issue 12: page size, migration list, the README's synopsis, the
/// man page): every command and option the tool shows is documented where users look.
@Suite struct DocsInStepTests {
    /// Displayed commands and their displayed long options, from `acrscan --experimental-dump-help`.
    static func commands() throws -> [String: Set<String>] {
        let tool = try Tool()
        let dump = try tool.run(["--experimental-dump-help"])
        #expect(dump.status == 0)
        let root = try #require(try Tool.json(dump.stdout)["command"] as? [String: Any])
        var out: [String: Set<String>] = [:]
        for command in root["subcommands"] as? [[String: Any]] ?? [] {
            guard command["shouldDisplay"] as? Bool ?? true, let name = command["commandName"] as? String,
                name != "help"
            else { continue }
            var options = Set<String>()
            for argument in command["arguments"] as? [[String: Any]] ?? []
            where argument["shouldDisplay"] as? Bool ?? true {
                for n in argument["names"] as? [[String: Any]] ?? [] where n["kind"] as? String == "long" {
                    if let long = n["name"] as? String, !["help", "version"].contains(long) { options.insert(long) }
                }
            }
            out[name] = options
        }
        return out
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOf: Tool.root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("the README's command synopsis names every command and every option")
    func readmeSynopsis() throws {
        let readme = try Self.read("README.md")
        let start = try #require(readme.range(of: "## Commands\n\n```\n"))
        let block = readme[start.upperBound...].prefix { _ in true }.components(separatedBy: "```")[0]
        let filters: Set<String> = ["since", "until", "registry", "type", "host", "scan", "stored-since"]
        for (command, options) in try Self.commands() {
            // The synopsis lines of this command: from `acrscan COMMAND` to the next `acrscan`.
            let lines = block.components(separatedBy: "\nacrscan ").first {
                $0.hasPrefix("\(command) ") || $0.hasPrefix("acrscan \(command) ")
            }
            let text = try #require(lines, "README synopsis lacks `acrscan \(command)`")
            for option in options.sorted() where !text.contains("--\(option)") {
                #expect(
                    filters.contains(option) && text.contains("[filters]"),
                    "README synopsis of \(command) lacks --\(option)")
            }
        }
        #expect(block.contains("acrscan --version"))
    }

    @Test("the man page names every command and option (regenerate it with scripts/man.sh)")
    func manPage() throws {
        let page = try Self.read("docs/acrscan.1")
        for (command, options) in try Self.commands() {
            #expect(page.contains(".It Em \(command)\n"), "docs/acrscan.1 lacks \(command): run scripts/man.sh")
            for option in options.sorted() {
                // `.It Fl -db Ar FILE`, or `.It Fl q , -quiet` for an option with a short name too.
                #expect(
                    page.contains("Fl -\(option)") || page.contains(", -\(option)"),
                    "docs/acrscan.1 lacks \(command) --\(option): run scripts/man.sh")
            }
        }
    }

    @Test("docs/schema.md states the schema version, every migration and the page size of a new database")
    func schemaDoc() throws {
        let doc = try Self.read("docs/schema.md")
        let tool = try Tool()
        #expect(try tool.run(["scan", "-q", WorkflowDefectTests.samples, "--host", "ci"]).status == 0)
        let database = tool.path("acrscan.db")
        let version = try tool.sql(database, "pragma user_version")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(doc.contains("(currently **\(version)**)"))
        for n in 1...(Int(version) ?? 0) {
            #expect(doc.contains("\n| \(n) | "), "docs/schema.md's migration table lacks version \(n)")
        }
        let pageSize =
            Int(try tool.sql(database, "pragma page_size").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(doc.contains("New databases use \(pageSize / 1024) KiB pages"), "page size \(pageSize)")
        #expect(!doc.contains("16 KiB pages"))
    }
}
