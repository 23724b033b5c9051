import LogScanner
import LogStore

/// What `acrscan --version` prints: the release, the matcher version (which rules counted what:
/// `scan --reclassify` re-reads what an older one read) and the database schema version it writes.
enum ToolVersion {
    /// The release of this tool.
    static let release = "0.1.0"

    /// `acrscan 0.1.0 (matcher 1, schema 3)`.
    static var text: String { "acrscan \(release) (matcher \(Matcher.version), schema \(Store.schemaVersion))" }
}
