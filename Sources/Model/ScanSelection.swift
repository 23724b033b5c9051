/// Which occurrences a command covers by when they were first stored (`--scan`, `--stored-since`).
public enum ScanSelection: Sendable, Equatable, CustomStringConvertible {
    /// The occurrences first stored by the last scan recorded in the database.
    case last
    /// Those first stored by scan N.
    case scan(Int64)
    /// Those first stored by scan N and every scan recorded after it (`N..`).
    case from(Int64)
    /// Those first stored by scans that started at or after this time (milliseconds).
    case storedSince(Int64)

    /// `last`, `N` or `N..`; nil for anything else.
    public init?(argument: String) {
        if argument == "last" {
            self = .last
        } else if argument.hasSuffix(".."), let n = Int64(argument.dropLast(2)), n >= 1 {
            self = .from(n)
        } else if let n = Int64(argument), n >= 1 {
            self = .scan(n)
        } else {
            return nil
        }
    }

    /// As given on the command line.
    public var description: String {
        switch self {
        case .last: "--scan last"
        case .scan(let n): "--scan \(n)"
        case .from(let n): "--scan \(n).."
        case .storedSince(let ms): "--stored-since \(ms)"
        }
    }

}

/// One scan run (a row of `scans`): who ran it, when, and its summary.
public struct ScanRecord: Sendable, Equatable {
    public var id: Int64
    public var host: String
    /// Milliseconds since the epoch; `finished` is nil while it runs, or if it was killed.
    public var started: Int64
    public var finished: Int64?
    public var files: Int
    public var bytes: Int64
    public var found: Int
    public var added: Int
    /// `scan`, `merge` (recorded by a merge of a database without scans) or `schema 3` (what
    /// was stored before first-stored times were recorded).
    public var origin: String

    /// A value with every field given.
    public init(
        id: Int64, host: String, started: Int64, finished: Int64?, files: Int, bytes: Int64, found: Int, added: Int,
        origin: String
    ) {
        self.id = id
        self.host = host
        self.started = started
        self.finished = finished
        self.files = files
        self.bytes = bytes
        self.found = found
        self.added = added
        self.origin = origin
    }
}

/// The scans a selection resolved to, for the report's JSON (`selection`).
public struct ResolvedSelection: Sendable, Equatable {
    /// As given (`--scan last`, `--scan 3..`, `--stored-since …`).
    public var given: ScanSelection
    /// The ids of the scans it covers, in order.
    public var scans: [Int64]
    /// The earliest start among them (milliseconds), if any.
    public var storedFrom: Int64?

    public init(given: ScanSelection, scans: [Int64], storedFrom: Int64?) {
        self.given = given
        self.scans = scans
        self.storedFrom = storedFrom
    }
}

/// What one scan did, as the `scans` table records it when the scan ends.
public struct ScanTotals: Sendable, Equatable {
    /// Files handled, and those of them found unchanged.
    public var files: Int
    public var unchanged: Int
    /// Content bytes read and lines scanned.
    public var bytes: Int64
    public var lines: Int
    /// Occurrences found, new to the store, re-read by a reclassification and removed by it.
    public var found: Int
    public var added: Int
    public var reclassified: Int
    public var removed: Int
    /// Inputs that could not be read, or not completely.
    public var problems: Int
    /// Whether the scan was stopped early.
    public var interrupted: Bool

    /// Totals with every field given.
    public init(
        files: Int, unchanged: Int, bytes: Int64, lines: Int, found: Int, added: Int, reclassified: Int,
        removed: Int, problems: Int, interrupted: Bool
    ) {
        self.files = files
        self.unchanged = unchanged
        self.bytes = bytes
        self.lines = lines
        self.found = found
        self.added = added
        self.reclassified = reclassified
        self.removed = removed
        self.problems = problems
        self.interrupted = interrupted
    }
}
