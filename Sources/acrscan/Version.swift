/// The version that reports name (`acrscan 0.1.0`).
enum AcrScanVersion {
    static let text = "0.1.0"
}

extension AcrScanVersion {
    /// The time a report says it was generated: `SOURCE_DATE_EPOCH` (seconds) when set, for
    /// reproducible output, else now.
    static func generatedAt() -> Int64 {
        if let text = Terminal.environment("SOURCE_DATE_EPOCH"), let seconds = Int64(text) { return seconds * 1000 }
        return Terminal.now()
    }
}

import LogReport
import LogStore

extension AcrScanVersion {
    /// What the HTML pages say about themselves: generated when, by this version, over which hosts.
    static func provenance(_ store: Store) throws -> Provenance {
        do throws(StoreError) {
            let hosts = try store.coverage().map { Provenance.Host(name: $0.host, files: $0.files) }
            return Provenance(generated: generatedAt(), version: text, hosts: hosts)
        } catch {
            throw Failure.database(error)
        }
    }
}
