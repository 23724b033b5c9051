#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What merging one database into another did.
public struct MergeSummary: Sendable, Equatable {
    /// Occurrences in the merged database, and how many of them were new to the target.
    public var occurrences = 0
    public var added = 0
    /// File records in the merged database (added to the target, or advancing its records).
    public var files = 0

    /// An empty summary.
    public init() {}
}

extension Store {
    /// Checks that `path` is an existing acrscan database that this version can read, without
    /// changing it: missing, foreign, empty and newer files are refused with the reason.
    public static func checkMergeable(path: String) throws(StoreError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .missing(path: path) }
        let store = try Store(path: path, readOnly: true)
        guard store.version >= 1 else { throw .notADatabase(path: path) }
    }

    /// Adds the occurrences, file records and compressed-file identities of the acrscan database at
    /// `path` (checked with `checkMergeable` first) to this one, in one transaction. Occurrences
    /// are keyed by host, file key and offset, so merging the same database twice adds nothing;
    /// a file record known to both keeps the furthest position and the oldest matcher version.
    /// The input is read, never written. O(input rows × log target rows).
    public func merge(from path: String) throws(StoreError) -> MergeSummary {
        shortFingerprints.removeAll()
        return try guarded {
            // Read-only by URI: the input is never written, not even by a WAL recovery.
            let attach = try db.prepare("ATTACH DATABASE ? AS src")
            try attach.bind(1, Store.readOnlyURI(path))
            try attach.run()
            defer { try? db.execute("DETACH DATABASE src") }
            return try db.transaction {
                var summary = MergeSummary()
                summary.occurrences = Int(try db.integer("SELECT count(*) FROM src.failures") ?? 0)
                summary.files = Int(try db.integer("SELECT count(*) FROM src.files") ?? 0)

                let failures = Store.failureColumns.joined(separator: ", ")
                try db.execute("""
                    INSERT INTO main.failures (\(failures)) SELECT \(failures) FROM src.failures WHERE true
                    ON CONFLICT (host, file_key, offset) DO NOTHING
                    """)
                summary.added = Int(db.changes)

                let present = try columns(of: "files", in: "src")
                let fileColumns = Store.mergedFileColumns.filter(present.contains)
                let list = fileColumns.joined(separator: ", ")
                let further = "excluded.scanned_offset > files.scanned_offset"
                let position = ["fingerprint", "fp_length", "path", "scanned_offset", "scanned_lines", "last_ts", "context",
                                "pipelines", "anchor_offset", "anchor_hash", "last_scanned"].filter(fileColumns.contains)
                let updates = position.map { "\($0) = CASE WHEN \(further) THEN excluded.\($0) ELSE files.\($0) END" } + [
                    "matcher_version = min(files.matcher_version, excluded.matcher_version)",
                    "first_scanned = min(files.first_scanned, excluded.first_scanned)",
                ]
                try db.execute("""
                    INSERT INTO main.files (\(list)) SELECT \(list) FROM src.files WHERE true
                    ON CONFLICT (host, file_key) DO UPDATE SET \(updates.joined(separator: ", "))
                    """)

                if try db.integer("SELECT count(*) FROM src.sqlite_master WHERE type = 'table' AND name = 'compressed_files'") == 1 {
                    try db.execute("""
                        INSERT OR IGNORE INTO main.compressed_files (host, raw_hash, raw_size, file_key, path, content_length, first_scanned)
                        SELECT host, raw_hash, raw_size, file_key, path, content_length, first_scanned FROM src.compressed_files
                        """)
                }
                return summary
            }
        }
    }

    /// The columns of `files` that a merge copies (all but the row id), of which an input of an
    /// older schema may lack the later ones.
    static let mergedFileColumns = [
        "host", "file_key", "fingerprint", "fp_length", "path", "scanned_offset", "scanned_lines", "last_ts", "context",
        "pipelines", "matcher_version", "first_scanned", "last_scanned", "anchor_offset", "anchor_hash",
    ]

    /// A `file:` URI that opens `path` read-only; `%`, `?` and `#` are percent-encoded.
    static func readOnlyURI(_ path: String) -> String {
        var encoded = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "%": encoded += "%25"
            case "?": encoded += "%3f"
            case "#": encoded += "%23"
            default: encoded.unicodeScalars.append(scalar)
            }
        }
        return "file:\(encoded)?mode=ro"
    }

    /// The column names of `table` in the attached schema `schema` (`PRAGMA table_info`).
    private func columns(of table: String, in schema: String) throws -> Set<String> {
        let stmt = try db.prepare("SELECT name FROM pragma_table_info(?, ?)")
        try stmt.bind(1, table)
        try stmt.bind(2, schema)
        var names = Set<String>()
        while try stmt.step() { if let name = stmt.text(0) { names.insert(name) } }
        return names
    }
}
