import ArgumentParser
import LogIngest
import LogModel
import LogReport
import LogScanner
import LogStore

/// `--db FILE`, shared by every command that reads or writes the store.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The database file (default: $ACRSCAN_DB, else ./acrscan.db).", valueName: "FILE"))
    var db: String?

    /// The database path in effect.
    var path: String { db ?? Terminal.environment("ACRSCAN_DB").flatMap { $0.isEmpty ? nil : $0 } ?? "acrscan.db" }

    /// Opens (or creates) the store; a database error ends the command with status 3.
    func open(readOnly: Bool = false) throws -> Store {
        do {
            return try Store(path: path, readOnly: readOnly)
        } catch {
            throw Failure.database(error)
        }
    }

    /// Whether `file` is the database itself or one of the files SQLite and the writer lock keep
    /// beside it (`-wal`, `-shm`, `-journal`, `.lock`): a scan of a directory holding the
    /// database must not read it as a log.
    func isOwnFile(_ file: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard file.split(separator: "/").last.map({ $0.hasPrefix(name) }) == true,
            let real = Terminal.realPath(file)
        else { return false }
        return ["", "-wal", "-shm", "-journal", ".lock"].contains { Terminal.realPath(path + $0) == real }
    }

    /// Opens (or creates) the store for writing, holding the writer lock: if another scan or merge
    /// holds it, says so on standard error and waits. A database not as acrscan left it (or any,
    /// with `verify`) is checked first (`PRAGMA quick_check`); a damaged one ends the command.
    func openForWriting(verify: Bool = false) throws -> Store {
        let path = path
        do {
            return try Store.writer(path: path, verify: verify) {
                Terminal.error("waiting for another scan of \(path)…")
            }
        } catch {
            throw Failure.database(error)
        }
    }
}

/// The filters of `report`, `timeline` and `export`.
struct FilterOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Only occurrences at or after T (ISO-8601 like 2026-11-20 or 2026-11-20T03:00Z, or relative: 24h, 7d, 30m).",
            valueName: "T"))
    var since: String?

    @Option(help: ArgumentHelp("Only occurrences before T (same forms as --since).", valueName: "T"))
    var until: String?

    @Option(
        name: .customLong("registry"), parsing: .singleValue,
        help: ArgumentHelp(
            "Only these registries: names or login servers (myacr, myacr.azurecr.io), comma-separated or repeated; 'unknown' for unknown.",
            valueName: "R"),
        transform: { text in
            try FilterOptions.parse(text) { () throws(FilterArgumentError) in try FilterArgument.registries(text) }
        })
    var registries: [[String]] = []

    @Option(
        name: .customLong("type"), parsing: .singleValue,
        help: ArgumentHelp(
            "Only these error types, comma-separated or repeated: \(ErrorType.allCases.map(\.rawValue).joined(separator: ", ")).",
            valueName: "T"),
        completion: .list(ErrorType.allCases.map(\.rawValue)),
        transform: { text in
            try FilterOptions.parse(text) { () throws(FilterArgumentError) in try FilterArgument.types(text) }
        })
    var types: [[ErrorType]] = []

    @Option(
        name: .customLong("host"), parsing: .singleValue,
        help: ArgumentHelp("Only these hosts, comma-separated or repeated.", valueName: "H"),
        transform: { text in
            try FilterOptions.parse(text) { () throws(FilterArgumentError) in try FilterArgument.hosts(text) }
        })
    var hosts: [[String]] = []

    @Option(
        name: .customLong("scan"),
        help: ArgumentHelp(
            "Only occurrences first stored by: 'last' (the last scan), N (scan N), or N.. (scan N and every later one); scan numbers are in 'scan --json' and 'acrscan ack --list'.",
            valueName: "SCAN"),
        transform: { text in
            guard let selection = ScanSelection(argument: text) else {
                throw ValidationError("--scan \(text): not a scan (give last, a scan number N, or N.. for N and later)")
            }
            return selection
        })
    var scan: ScanSelection?

    @Option(
        help: ArgumentHelp(
            "Only occurrences first stored by a scan that started at or after T (same forms as --since).",
            valueName: "T"))
    var storedSince: String?

    /// Runs a filter-value parser over the option value `text`, turning its error into a usage
    /// error (exit 2) that names the item of a list that failed.
    static func parse<T>(_ text: String, _ body: () throws(FilterArgumentError) -> T) throws -> T {
        do throws(FilterArgumentError) { return try body() } catch {
            throw ValidationError(error.value == text ? error.reason : "\(error.value): \(error.reason)")
        }
    }

    /// The store filter, with relative times resolved against `now`. A window that ends before it
    /// starts is a usage error: it would match nothing.
    func filter(now: Int64) throws -> OccurrenceFilter {
        let since = try since.map { try TimeArgument.resolve($0, now: now, option: "--since") }
        let until = try until.map { try TimeArgument.resolve($0, now: now, option: "--until") }
        if let since, let until, since >= until {
            throw Failure.usage(
                "--since \(self.since ?? "") is not before --until \(self.until ?? ""): the window would be empty")
        }
        var filter = OccurrenceFilter(
            since: since, until: until, registries: registries.flatMap { $0 }, types: types.flatMap { $0 },
            hosts: hosts.flatMap { $0 })
        if scan != nil, storedSince != nil {
            throw Failure.usage("--scan and --stored-since both select by scan: give one of them")
        }
        filter.selection = scan
        if let storedSince {
            filter.selection = .storedSince(try TimeArgument.resolve(storedSince, now: now, option: "--stored-since"))
        }
        return filter
    }
}

extension ErrorType: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// Times given on the command line: ISO-8601, or a duration before now (`90m`, `24h`, `7d`, `2w`).
enum TimeArgument {
    static func resolve(_ text: String, now: Int64, option: String) throws -> Int64 {
        if let ms = Timestamp.parse(text) { return ms }
        if let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0 {
            let scale: Int64? =
                switch unit {
                case "s": 1000
                case "m": 60_000
                case "h": 3_600_000
                case "d": 86_400_000
                case "w": 604_800_000
                default: nil
                }
            if let scale { return now - amount * scale }
        }
        throw Failure.usage("\(option) \(text): not a time (use ISO-8601 like 2026-11-20T03:00Z, or 30m, 24h, 7d)")
    }
}
