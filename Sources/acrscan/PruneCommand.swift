import ArgumentParser
import LogIngest
import LogModel
import LogReport
import LogStore

/// `acrscan prune`: retention for databases that sweep every night.
struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract:
            "Remove old occurrences, hosts or sources, and the records of files that are gone; give the space back.",
        discussion: """
            Criteria combine: --older-than 90d --host web-1 removes web-1's occurrences older than 90 days. \
            A prune by age keeps the file records, so the old logs are not read again; a prune by host or \
            source alone also forgets their file records, so scanning them again reads them anew. \
            --missing removes the records of files gone from this machine that no stored occurrence refers \
            to. The file shrinks afterwards (VACUUM). One writer at a time: a running scan is waited for.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(
        help: ArgumentHelp(
            "Remove occurrences older than T: a duration (90d, 12w, 24h) or an ISO-8601 time.", valueName: "T"))
    var olderThan: String?

    @Option(
        name: .customLong("host"), parsing: .singleValue,
        help: ArgumentHelp(
            "Only these hosts, comma-separated or repeated (for --missing: the hosts whose files are on this machine; default its name).",
            valueName: "H"),
        transform: { text in
            try FilterOptions.parse(text) { () throws(FilterArgumentError) in try FilterArgument.hosts(text) }
        })
    var hosts: [[String]] = []

    @Option(
        name: .customLong("source"), parsing: .singleValue,
        help: ArgumentHelp(
            "Only logs whose path as scanned matches GLOB (*, ?, [...]; quote it), repeatable.", valueName: "GLOB"))
    var sources: [String] = []

    @Flag(help: "Remove the records of files that no longer exist here (and that no stored occurrence refers to).")
    var missing = false

    @Flag(help: "Count what would be removed; change nothing.")
    var dryRun = false

    @Flag(help: "Leave the freed pages for later inserts instead of giving the space back (VACUUM).")
    var noVacuum = false

    func validate() throws {
        if olderThan == nil, hosts.isEmpty, sources.isEmpty, !missing {
            throw ValidationError("say what to remove: --older-than, --host, --source or --missing")
        }
        if sources.contains(where: \.isEmpty) { throw ValidationError("--source must not be empty") }
    }

    func run() throws {
        let now = Timestamp.now()
        let hosts = hosts.flatMap { $0 }
        let selects = olderThan != nil || !sources.isEmpty || (!hosts.isEmpty && !missing)
        let request = PruneRequest(
            before: try olderThan.map { try TimeArgument.resolve($0, now: now, option: "--older-than") },
            hosts: selects ? hosts : [], sources: sources, missing: missing,
            missingHosts: hosts.isEmpty ? [Terminal.hostname()] : hosts, dryRun: dryRun, vacuum: !noVacuum)
        let store = try database.openForWriting()
        defer { store.close() }
        let summary: PruneSummary
        do throws(StoreError) {
            summary = try store.prune(request)
        } catch {
            throw Failure.database(error)
        }
        Terminal.writeStdout(PruneText.line(summary, dryRun: dryRun) + "\n")
    }
}

/// The line that ends a prune.
enum PruneText {
    static func line(_ s: PruneSummary, dryRun: Bool) -> String {
        func plural(_ n: Int, _ word: String, _ words: String? = nil) -> String {
            "\(n) \(n == 1 ? word : words ?? word + "s")"
        }
        var text = dryRun ? "would remove " : "removed "
        text +=
            "\(plural(s.occurrences, "occurrence")), \(plural(s.files, "file record")), \(plural(s.compressed, "compressed-file identity", "compressed-file identities"))"
        if s.keptMissing > 0 {
            text += "; kept \(plural(s.keptMissing, "record")) of gone files that stored occurrences refer to"
        }
        if !dryRun {
            text +=
                "; database \(ScanSummaryText.format(Double(s.bytesBefore) / 1_000_000, 1)) MB → \(ScanSummaryText.format(Double(s.bytesAfter) / 1_000_000, 1)) MB"
        }
        return text
    }
}
