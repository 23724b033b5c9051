import ArgumentParser
import LogIngest
import LogModel
import LogReport
import LogStore

/// `acrscan timeline`: occurrences in time order, bursts collapsed, for postmortems.
struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "List failures in time order, bursts of the same failure collapsed into one row.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv, markdown, html
    }

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var filters: FilterOptions

    @Option(
        help: ArgumentHelp(
            "Occurrences of one failure at most this many minutes apart form one burst.", valueName: "MINUTES"))
    var gap: Int = 10

    @Option(
        help: ArgumentHelp(
            "Read at most N occurrences (the earliest); the output says how many more there are.", valueName: "N"))
    var limit: Int?

    @Option(help: ArgumentHelp("Output format.", valueName: "FORMAT"))
    var format: Format = .table

    @OptionGroup var destination: OutputOptions

    func validate() throws {
        if gap < 0 { throw ValidationError("--gap must not be negative") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let filter = try filters.filter(now: Timestamp.now())
        let zone = try destination.zone()
        let store = try database.open(readOnly: true)
        let occurrences: [StoredOccurrence]
        var omitted = 0
        do throws(StoreError) {
            occurrences = try store.occurrences(filter, limit: limit)
            if let limit, occurrences.count >= limit { omitted = try store.count(filter) - occurrences.count }
        } catch {
            throw Failure.database(error)
        }
        let timeline = Timeline(occurrences, gap: Int64(gap) * 60_000, omitted: omitted, zone: zone)
        let text: String =
            switch format {
            case .table: timeline.renderTable(destination.tableOptions)
            case .json: timeline.renderJSON()
            case .csv: timeline.renderCSV()
            case .markdown: timeline.renderMarkdown()
            case .html: timeline.renderHTML(try ToolVersion.provenance(store))
            }
        try Output.emit(text, to: destination.output)
    }
}
