import ArgumentParser
import Dispatch
import LogIngest
import LogModel
import LogReport
import LogScanner
import LogStore

/// `acrscan scan PATH...`: scans logs into the store, incrementally.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan log files, directories or standard input (-) for ACR auth failures.",
        discussion: """
            Only bytes not scanned before are read: files are recognised by their content, so rotated \
            and compressed copies add nothing. gzip, zstd, xz and bzip2 are detected by their magic bytes. \
            One scan writes to a database at a time: a second one waits for the first to finish.
            """)

    enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

    @Argument(help: ArgumentHelp("Files, directories (walked recursively) or - for standard input.", valueName: "PATH"))
    var paths: [String]

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("The host these logs come from (default: this machine's name).", valueName: "NAME"))
    var host: String?

    @Option(
        help: ArgumentHelp(
            "Take the host from the Nth directory below each directory given (logs/<host>/... is 1); files it names none for take --host, or are skipped without one.",
            valueName: "N"))
    var hostFromPath: Int?

    @Option(help: ArgumentHelp("Files scanned in parallel (default: the number of cores).", valueName: "N"))
    var jobs: Int?

    @Flag(help: "Re-read every file from its start (stored occurrences are not duplicated).")
    var full = false

    @Flag(help: "Re-read the given files that an older matcher version read, replacing their occurrences.")
    var reclassify = false

    @Flag(
        help:
            "Check the whole database (PRAGMA quick_check) before writing, even when it is as the last acrscan writer left it."
    )
    var verify = false

    @Option(
        help: ArgumentHelp(
            "Occurrences per transaction, at most (tests and tuning).", valueName: "N", visibility: .hidden))
    var batchSize: Int?

    @Option(
        help: ArgumentHelp(
            "Leave out files and directories whose name (or, for a pattern with /, whose path below the directory given) matches GLOB; repeatable. An excluded directory is not walked.",
            valueName: "GLOB"))
    var exclude: [String] = []

    @Option(
        help: ArgumentHelp(
            "Only scan the files found in directories whose name (or path below the directory given) matches GLOB; repeatable. Files named on the command line are always scanned.",
            valueName: "GLOB"))
    var include: [String] = []

    @Option(
        help: ArgumentHelp(
            "Walk at most N levels below each directory given (1: only the files directly in it).", valueName: "N"))
    var maxDepth: Int?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Flag(name: .shortAndLong, help: "No summary and no progress bar; warnings and errors still go to standard error.")
    var quiet = false

    @Option(
        help: ArgumentHelp(
            "Write the occurrences this scan stored to standard output as ndjson (one JSON object per line) or csv, with the export's fields (docs/export.md); the summary then goes to standard error.",
            valueName: "FORMAT"))
    var emit: ExportFormat?

    @Option(
        help: ArgumentHelp(
            "The zone of log times written without one (klog, syslog, ACR Tasks, Azure CLI): an IANA name (Europe/Berlin), UTC, or an offset (+02:00; write --assume-tz=-05:00 for a negative one). Default: UTC.",
            valueName: "ZONE"))
    var assumeTz: String?

    @Flag(help: "After the summary, print the report of everything stored.")
    var report = false

    @Option(
        help: ArgumentHelp(
            "Progress bar on standard error: auto (only on a terminal), always, never.", valueName: "WHEN"))
    var progress: ProgressMode = .auto

    @Option(
        help: ArgumentHelp(
            "Exit with status 4 when this scan stored new failures of these types (comma-separated, or 'any'), unless their group is acknowledged ('acrscan ack') and neither grew nor changed.",
            valueName: "TYPES"),
        transform: { try GateOption.parse($0) })
    var failOn: [ErrorType]?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let host, host.isEmpty { throw ValidationError("--host must not be empty") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if let hostFromPath, hostFromPath < 1 { throw ValidationError("--host-from-path must be at least 1") }
        if quiet, json { throw ValidationError("--quiet prints no summary; --json asks for one: give one of them") }
        if emit != nil, report {
            throw ValidationError("--emit writes occurrences to standard output; --report would mix a report into them")
        }
        if let maxDepth, maxDepth < 1 { throw ValidationError("--max-depth must be at least 1") }
        if (exclude + include).contains(where: \.isEmpty) {
            throw ValidationError("--exclude and --include need a pattern")
        }
    }

    /// Whether unknown shapes are collected (`ACRSCAN_UNKNOWNS=off` turns them off).
    static var unknownShapes: Bool { Terminal.environment("ACRSCAN_UNKNOWNS") != "off" }

    /// Starts building the matcher a scan uses (its prefilter and unknown-shape sets) on another
    /// thread, once: at the start of the process, beside the parsing of the arguments and the
    /// opening (or creation) of the database.
    static func startMatcher() { _ = matcherStarted }
    private static let matcherStarted: Void = {
        let unknownShapes = ScanCommand.unknownShapes
        DispatchQueue.global().async { _ = unknownShapes ? Matcher.standard : Matcher.withoutUnknownShapes }
    }()

    func run() throws {
        // The matcher is built on another core (started by main.swift before the arguments were
        // parsed): the sweep's first use waits for it if need be.
        let unknownShapes = ScanCommand.unknownShapes
        ScanCommand.startMatcher()
        let store = try database.openForWriting(verify: verify)
        // The database file alone is whole when the command ends (copied with scp, merged, read by sqlite3).
        defer { store.close() }
        let rule = HostRule(depth: hostFromPath, fallback: host ?? (hostFromPath == nil ? Terminal.hostname() : nil))
        let filter = WalkFilter(
            exclude: exclude.compactMap(Glob.init), include: include.compactMap(Glob.init), maxDepth: maxDepth)
        // The walk feeds the sweep as it goes (called by one worker at a time): no list of every file.
        let found = WalkFindings()
        var walk = Walk(paths, filter: filter)
        let database = database
        let feed: () -> SweepInput? = {
            while let (file, root) = walk.next(warn: { found.problems.append($0) }) {
                if file != "-", database.isOwnFile(file) { continue }
                if let host = rule.host(of: file, under: root) { return SweepInput(path: file, host: host) }
                found.skipped.append(
                    "\(file): no host directory \(hostFromPath ?? 0) level(s) below \(root); skipped (give --host for such files)"
                )
            }
            return nil
        }
        var options = SweepOptions(full: full, reclassify: reclassify, jobs: jobs ?? Terminal.cores)
        if let assumeTz { options.zone = try AssumedZone.parse(assumeTz) }
        if !unknownShapes { options.collectsUnknowns = false }
        if let batchSize { options.batchSize = batchSize }
        let showProgress = !quiet && (progress == .always || (progress == .auto && Terminal.stderrIsTerminal))
        let bar = showProgress ? ProgressBar() : nil
        let started = Terminal.monotonic()
        var onProgress: (@Sendable (SweepProgress) -> Void)?
        if let bar { onProgress = { bar.update($0) } }
        let summary: SweepSummary
        let scan: Int64
        do throws(StoreError) {
            scan = try store.beginScan(host: host ?? Terminal.hostname(), started: Timestamp.now())
        } catch {
            throw Failure.database(error)
        }
        // Without unknown shapes, their literals leave the prefilter too: the scan they are measured against.
        let sweep = Sweep(
            store: store, options: options, matcher: options.collectsUnknowns ? .standard : .withoutUnknownShapes)
        let interrupt = Interrupt { sweep.stop() }
        do throws(StoreError) {
            summary = try sweep.run(feed: feed, now: Timestamp.now(), onProgress: onProgress)
        } catch {
            interrupt.release()
            bar?.clear()
            throw Failure.database(error)
        }
        interrupt.release()
        bar?.clear()
        let problems = found.problems + summary.problems
        let skipped = found.skipped
        for problem in problems { Terminal.warning(problem.description) }
        for message in skipped { Terminal.warning(message) }
        do throws(StoreError) {
            try store.finishScan(summary.totals(problems: problems.count + skipped.count), finished: Timestamp.now())
        } catch {
            throw Failure.database(error)
        }
        var thisScan = OccurrenceFilter()
        thisScan.selection = .scan(scan)
        if let emit {
            // What was committed, also after Ctrl-C; a reader that went away ends the stream quietly.
            _ = try ExportCommand.write(store, thisScan, format: emit, to: Sink(path: nil))
        }
        var trips: [GateTrip] = []
        if let failOn {
            do throws(StoreError) { trips = try store.gate(thisScan, types: failOn) } catch {
                throw Failure.database(error)
            }
        }
        let seconds = Terminal.monotonic() - started
        if !quiet {
            let text =
                (json
                    ? ScanSummaryText.json(
                        summary, problems: problems.count + skipped.count, seconds: seconds, scan: scan,
                        gate: failOn == nil ? nil : trips.count)
                    : ScanSummaryText.line(summary, problems: problems.count + skipped.count, seconds: seconds)) + "\n"
            if emit == nil { Terminal.writeStdout(text) } else { Terminal.writeStderr(text) }
        }
        if summary.interrupted {
            Terminal.warning("interrupted: what was scanned so far is stored; run the same scan again to go on")
            throw ExitCode(Status.interrupted.rawValue)
        }
        if report {
            try ReportCommand.parse(["--db", database.path]).run()
        }
        if !trips.isEmpty {
            GateOption.warn(trips, what: "scan \(scan) stored")
            throw ExitCode(Status.gate.rawValue)
        }
        if !problems.isEmpty || !skipped.isEmpty { throw ExitCode(Status.inputProblems.rawValue) }
    }
}

/// What a walk met besides files, collected while it feeds the sweep (one caller at a time).
final class WalkFindings: @unchecked Sendable {
    var problems: [InputError] = []
    var skipped: [String] = []
}

/// The summary that ends a scan.
enum ScanSummaryText {
    static func line(_ s: SweepSummary, problems: Int, seconds: Double) -> String {
        let mb = Double(s.bytes) / 1_000_000
        var text = "scanned \(s.files) file\(s.files == 1 ? "" : "s")"
        if s.unchanged > 0 { text += " (\(s.unchanged) unchanged)" }
        text +=
            ", \(format(mb, 1)) MB, \(s.lines) lines in \(format(seconds, 2)) s (\(format(mb / max(seconds, 1e-6), 1)) MB/s): "
        text += "\(s.added) new occurrence\(s.added == 1 ? "" : "s")"
        if s.found > s.added, s.reclassified == 0 { text += " (\(s.found - s.added) already stored)" }
        if s.reclassified > 0 {
            text +=
                "; reclassified \(s.reclassified) file\(s.reclassified == 1 ? "" : "s") (\(s.removed) occurrence\(s.removed == 1 ? "" : "s") fewer)"
        }
        if problems > 0 { text += ", \(problems) input problem\(problems == 1 ? "" : "s")" }
        return text
    }

    static func json(_ s: SweepSummary, problems: Int, seconds: Double, scan: Int64? = nil, gate: Int? = nil) -> String
    {
        """
        {"schema":"acrscan.scan/v1",\(scan.map { "\"scan\":\($0)," } ?? "")\(gate.map { "\"gate_tripped\":\($0 > 0),\"gate_groups\":\($0)," } ?? "")"files":\(s.files),"unchanged":\(s.unchanged),"bytes":\(s.bytes),"lines":\(s.lines),\
        "found":\(s.found),"new":\(s.added),"reclassified":\(s.reclassified),"removed":\(s.removed),"problems":\(problems),"seconds":\(format(seconds, 3)),\
        "mb_per_s":\(format(Double(s.bytes) / 1_000_000 / max(seconds, 1e-6), 1))}
        """
    }

    /// A fixed-point decimal without Foundation.
    static func format(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((value * scale).rounded())
        let whole = scaled / Int64(scale)
        let fraction = abs(scaled % Int64(scale))
        guard decimals > 0 else { return String(whole) }
        let digits = String(fraction)
        return
            "\(scaled < 0 && whole == 0 ? "-" : "")\(whole).\(String(repeating: "0", count: decimals - digits.count))\(digits)"
    }
}
