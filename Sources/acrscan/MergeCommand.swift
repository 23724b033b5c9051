import ArgumentParser
import LogIngest
import LogModel
import LogReport
import LogStore

/// `acrscan merge DB... --into FILE`: fleet roll-up of per-host databases.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge acrscan databases (one per host, say) into one.",
        discussion: """
            Occurrences are keyed by host, file and byte offset, so merging the same database twice adds \
            nothing. The inputs are only read. Every input is checked before anything is merged.
            """)

    @Argument(help: ArgumentHelp("The databases to merge.", valueName: "DB"))
    var inputs: [String]

    @Option(help: ArgumentHelp("The database to merge into (created if missing).", valueName: "FILE"))
    var into: String

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give at least one database to merge") }
    }

    func run() throws {
        for input in inputs {
            if let target = Terminal.realPath(into), Terminal.realPath(input) == target {
                throw Failure.usage("\(input): is the --into database itself")
            }
            do { try Store.checkMergeable(path: input) } catch { throw Failure.database(error) }
        }
        var target = DatabaseOptions()
        target.db = into
        let store = try target.openForWriting()
        defer { store.close() }
        for input in inputs {
            do throws(StoreError) {
                let s = try store.merge(from: input)
                Terminal.writeStdout(
                    "merged \(Escape.terminal(input)): \(s.added) new occurrence\(s.added == 1 ? "" : "s") of \(s.occurrences), \(s.files) file record\(s.files == 1 ? "" : "s")\n"
                )
            } catch {
                throw Failure.database(error)
            }
        }
    }
}
