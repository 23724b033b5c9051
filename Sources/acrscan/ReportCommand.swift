import ArgumentParser
import LogStore

/// `acrscan report`: counts per registry and type, trends and spikes. (Wired to LogReport next.)
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Report failures per registry and error type.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.open(readOnly: true)
        do throws(StoreError) {
            for g in try store.groups(OccurrenceFilter(), by: [.registry, .type]) {
                Terminal.writeStdout("\(g.registry ?? "(unknown)")\t\(g.type?.rawValue ?? "")\t\(g.count)\n")
            }
        } catch { throw Failure.database(error) }
    }
}
