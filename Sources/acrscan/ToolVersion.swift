import LogIngest
import LogModel
import LogReport
import LogScanner
import LogStore

/// What `acrscan --version` prints: the release, the matcher version (which rules counted what:
/// `scan --reclassify` re-reads what an older one read) and the database schema version it writes.
enum ToolVersion {
    /// The release of this tool.
    static let release = "0.1.0"

    /// `acrscan 0.1.0 (matcher 9, schema 6)`.
    static var text: String { "acrscan \(release) (matcher \(Matcher.version), schema \(Store.schemaVersion))" }

    /// The time a report says it was generated: `SOURCE_DATE_EPOCH` (seconds) when set, for
    /// reproducible output, else now.
    static func generatedAt() -> Int64 {
        if let text = Terminal.environment("SOURCE_DATE_EPOCH"), let seconds = Int64(text) { return seconds * 1000 }
        return Timestamp.now()
    }

    /// What the HTML pages say about themselves: generated when, by this version, over which hosts.
    static func provenance(_ store: Store) throws -> Provenance {
        do throws(StoreError) {
            let hosts = try store.coverage().map { Provenance.Host(name: $0.host, files: $0.files) }
            return Provenance(generated: generatedAt(), version: release, hosts: hosts)
        } catch {
            throw Failure.database(error)
        }
    }
}
