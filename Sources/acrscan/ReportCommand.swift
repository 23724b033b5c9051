import ArgumentParser
import LogIngest
import LogModel
import LogReport
import LogScanner
import LogStore

/// `acrscan report`: counts per registry and type (or any grouping), trends, spikes, remediation.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report failures per registry and error type, with trends and spikes.",
        discussion: "Without --since or --until, the report covers everything stored.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv, markdown, html
    }

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var filters: FilterOptions

    @Option(
        help: ArgumentHelp(
            "Group by these (comma-separated or repeated): registry, type, host, repository, identity, client_ip, day, hour (default: registry,type).",
            valueName: "KEYS"))
    var by: [String] = []

    @Option(
        help: ArgumentHelp(
            "Order of the groups: count, time, registry or type (default: time when grouping by day or hour, else count).",
            valueName: "ORDER"))
    var sort: GroupOrder?

    @Option(help: ArgumentHelp("Show only the N largest groups (totals still count all).", valueName: "N"))
    var top: Int?

    @Option(
        help: ArgumentHelp(
            "Trend bucket: day or hour (default: hour when grouping by hour, else day).", valueName: "SIZE"))
    var bucket: BucketSize?

    @Option(help: ArgumentHelp("Output format.", valueName: "FORMAT"))
    var format: Format = .table

    @OptionGroup var destination: OutputOptions

    @Option(
        help: ArgumentHelp(
            "Exit with status 4 (after the report) when its selection holds failures of these types (comma-separated, or 'any') whose group is not acknowledged, or grew or changed since ('acrscan ack').",
            valueName: "TYPES"),
        transform: { try GateOption.parse($0) })
    var failOn: [ErrorType]?

    func validate() throws {
        _ = try keys()
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
    }

    func keys() throws -> [GroupKey] {
        var keys: [GroupKey] = []
        let names = by.isEmpty ? ["registry,type"] : by
        for name in names.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingSpaces() }) where !name.isEmpty {
            guard let key = GroupKey(rawValue: name) else {
                throw ValidationError(
                    "--by \(name): not one of \(GroupKey.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !keys.contains(key) { keys.append(key) }
        }
        guard !keys.isEmpty else { throw ValidationError("--by needs at least one key") }
        return keys
    }

    func run() throws {
        let now = Timestamp.now()
        let filter = try filters.filter(now: now)
        let keys = try keys()
        let zone = try destination.zone()
        let store = try database.open(readOnly: true)
        var report: Report
        var trips: [GateTrip] = []
        do throws(StoreError) {
            let selection = try filter.selection.map { selection throws(StoreError) in try store.resolve(selection) }
            var previous: [GroupCount]?
            if let since = filter.since {
                // The window of equal length just before this one, for the change and new pairs.
                let until = filter.until ?? now
                var before = filter
                before.since = since - (until - since)
                before.until = since
                previous = try store.groups(before, by: keys)
            }
            let size = bucket ?? (keys.contains(.hour) ? .hour : .day)
            let trend = try store.trend(filter, bucket: size)
            // Spikes are measured against whole buckets reaching back before the window, so that
            // they do not depend on where the window starts (docs/report.md, "Spike rule").
            let rule = SpikeRule.standard(for: size)
            var history = trend
            if let since = filter.since {
                var reach = filter
                reach.since = size.floor(since) - Int64(rule.history) * size.milliseconds
                history = try store.trend(reach, bucket: size)
            }
            let observed = try store.span(OccurrenceFilter())?.first
            // What each group's logs named, for the fix commands (docs/report.md, "Remediation").
            let evidence = keys.contains(.type) ? try store.evidence(filter, by: keys, limit: GroupFix.valueLimit) : []
            report = Report(
                filter: filter, keys: keys, bucket: size, groups: try store.groups(filter, by: keys),
                trend: trend, history: history, observedSince: observed, previous: previous, top: top,
                order: sort, zone: zone, spikeRule: rule, evidence: evidence)
            report.selection = selection
            (report.unknownCandidates, report.unknownTemplates) = try store.unknownTotals(filter)
            if let failOn { trips = try store.gate(filter, types: failOn) }
        } catch {
            throw Failure.database(error)
        }
        let text: String =
            switch format {
            case .table: report.renderTable(destination.tableOptions)
            case .json: report.renderJSON()
            case .csv: report.renderCSV()
            case .markdown: report.renderMarkdown()
            case .html: report.renderHTML(try ToolVersion.provenance(store))
            }
        try Output.emit(text, to: destination.output)
        // CSV has room for groups only: the unknown shapes are mentioned on standard error.
        if format == .csv, let unknowns = report.unknownSentence { Terminal.warning("unknown shapes: \(unknowns)") }
        if !trips.isEmpty {
            GateOption.warn(trips, what: "the report's selection holds")
            throw ExitCode(Status.gate.rawValue)
        }
    }
}

extension BucketSize: ExpressibleByArgument {}

extension GroupOrder: ExpressibleByArgument {}

extension Substring {
    /// Without leading and trailing spaces.
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
