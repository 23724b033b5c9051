import LogIngest
import LogModel
import LogReport
import LogStore

/// The exit statuses (docs/hardening.md, "Exit status").
enum Status: Int32 {
    case success = 0
    case inputProblems = 1
    case usage = 2
    case database = 3
    /// A requested gate tripped (`--fail-on`): new failures of the chosen types.
    case gate = 4
    /// Stopped by SIGINT (Ctrl-C) after committing what was scanned: 128 + SIGINT, as shells report it.
    case interrupted = 130
}

/// An error that ends the command with a message and a status; never a stack trace.
struct Failure: Error {
    let message: String
    let status: Status

    /// A database error (exit 3).
    static func database(_ error: StoreError) -> Failure { Failure(message: error.description, status: .database) }
    /// A usage error (exit 2).
    static func usage(_ message: String) -> Failure { Failure(message: message, status: .usage) }
}
