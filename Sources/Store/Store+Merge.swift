import LogModel
import LogScanner

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
        guard store.version >= 1, !store.schemaless else { throw .notADatabase(path: path) }
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
            let sourceVersion = Int(try db.integer("PRAGMA src.user_version") ?? 0)
            return try writeTransaction {
                var summary = MergeSummary()
                let rows = Store.rowSource(schema: "src", version: sourceVersion)
                summary.occurrences = Int(try db.integer("SELECT count(*) FROM \(rows)") ?? 0)
                summary.files = Int(try db.integer("SELECT count(*) FROM src.files") ?? 0)

                let present = try columns(of: "files", in: "src")
                let fileColumns = Store.mergedFileColumns.filter(present.contains)
                let list = fileColumns.joined(separator: ", ")
                let further = "excluded.scanned_offset > files.scanned_offset"
                let position = [
                    "fingerprint", "fp_length", "path", "scanned_offset", "scanned_lines", "last_ts", "context",
                    "pipelines", "anchor_offset", "anchor_hash", "last_scanned",
                ].filter(fileColumns.contains)
                let updates =
                    position.map { "\($0) = CASE WHEN \(further) THEN excluded.\($0) ELSE files.\($0) END" } + [
                        "matcher_version = min(files.matcher_version, excluded.matcher_version)",
                        "first_scanned = min(files.first_scanned, excluded.first_scanned)",
                    ]
                try db.execute(
                    """
                    INSERT INTO main.files (\(list)) SELECT \(list) FROM src.files WHERE true
                    ON CONFLICT (host, file_key) DO UPDATE SET \(updates.joined(separator: ", "))
                    """)

                if try db.integer(
                    "SELECT count(*) FROM src.sqlite_master WHERE type = 'table' AND name = 'compressed_files'") == 1
                {
                    try db.execute(
                        """
                        INSERT OR IGNORE INTO main.compressed_files (host, raw_hash, raw_size, file_key, path,
                            content_length, first_scanned)
                        SELECT host, raw_hash, raw_size, file_key, path, content_length, first_scanned
                            FROM src.compressed_files
                        """)
                }
                let scans = try mergeScans(sourceVersion: sourceVersion)
                summary.added = try mergeRows(rows, sourceVersion: sourceVersion, scans: scans)
                if sourceVersion >= 4 { try mergeUnknowns() }
                return summary
            }
        }
    }

    /// Records the input's scans in this database (a scan is known by its random `key`, so a
    /// second merge of the same input adds none) and returns the map from the input's scan ids to
    /// this database's. An input from before schema 4 becomes one scan (origin `merge`), keyed by
    /// its first file records so that merging it again finds it.
    private func mergeScans(sourceVersion: Int) throws -> [Int64: Int64] {
        var map: [Int64: Int64] = [:]
        if sourceVersion >= 4 {
            try db.execute(
                """
                INSERT OR IGNORE INTO main.scans (key, host, started, finished, files, unchanged, bytes, lines, found,
                    added, reclassified,
                    removed, problems, interrupted, matcher_version, origin)
                SELECT key, host, started, finished, files, unchanged, bytes, lines, found, added, reclassified,
                    removed, problems,
                    interrupted, matcher_version, origin FROM src.scans ORDER BY id
                """)
            let stmt = try db.prepare("SELECT s.id, m.id FROM src.scans s JOIN main.scans m ON m.key = s.key")
            while try stmt.step() { map[stmt.int64(0)] = stmt.int64(1) }
        } else {
            try db.execute(
                """
                INSERT OR IGNORE INTO main.scans (key, host, started, finished, matcher_version, origin)
                SELECT fnv64('schema 3 ' || ifnull((SELECT group_concat(host || ' ' || file_key || ' ' || first_scanned, ',')
                                                    FROM (SELECT * FROM src.files ORDER BY id LIMIT 16)), '')),
                       '', ifnull((SELECT min(first_scanned) FROM src.files), 0),
                           ifnull((SELECT max(last_scanned) FROM src.files), 0),
                       0, 'merge'
                """)
            let id =
                try db.integer(
                    """
                    SELECT id FROM main.scans
                        WHERE key = fnv64('schema 3 ' || ifnull((SELECT group_concat(host || ' ' || file_key || ' ' || first_scanned, ',')
                                                        FROM (SELECT * FROM src.files ORDER BY id LIMIT 16)), ''))
                    """) ?? 0
            map[0] = id
        }
        return map
    }

    /// Adds the input's occurrences through the writer's own insert (values stored once, the
    /// rollup and the scans' ranges kept), each under the scan that first stored it. Returns how
    /// many were new.
    private func mergeRows(_ rows: String, sourceVersion: Int, scans: [Int64: Int64]) throws -> Int {
        let order = sourceVersion >= 4 ? "file_id, offset" : "host, file_key, offset"
        let stmt = try db.prepare(
            """
            SELECT ifnull(scan_id, 0), \(OccurrenceColumn.selectList())
            FROM \(rows) ORDER BY \(order)
            """)
        let lookup = try db.prepare("SELECT id FROM main.files WHERE host = ? AND file_key = ?")
        var added = 0
        var batch: [Occurrence] = []
        var current: (host: String, key: String, source: String, scan: Int64, version: Int)?
        var fileIDs: [String: Int64] = [:]
        func flush() throws {
            guard let group = current, !batch.isEmpty else { return }
            let name = group.host + "\u{0}" + group.key
            var id = fileIDs[name]
            if id == nil {
                try lookup.bind(1, group.host)
                try lookup.bind(2, group.key)
                if try lookup.step() {
                    id = lookup.int64(0)
                } else {
                    // Rows without a file record (possible in schema 1 to 3 inputs): a record that no content matches.
                    let insert = try db.prepare(
                        """
                        INSERT INTO main.files (host, file_key, fingerprint, fp_length, path, matcher_version,
                            first_scanned, last_scanned)
                        VALUES (?, ?, '', 0, ?, ?, 0, 0)
                        """)
                    try insert.bind(1, group.host)
                    try insert.bind(2, group.key)
                    try insert.bind(3, group.source)
                    try insert.bind(4, group.version)
                    try insert.run()
                    id = db.lastInsertRowID
                }
                lookup.reset()
                fileIDs[name] = id
            }
            added += try insertRows(
                batch, fileID: id ?? 0, host: group.host, source: group.source, scan: group.scan,
                matcherVersion: group.version)
            batch.removeAll(keepingCapacity: true)
        }
        while try stmt.step() {
            let row = stmt.occurrenceRow(at: 1)
            let (host, key, source, version) = (row.host, row.fileKey, row.source, row.matcherVersion)
            let scan = scans[stmt.int64(0)] ?? scans[0] ?? 0
            if current.map({
                $0.host != host || $0.key != key || $0.source != source || $0.scan != scan || $0.version != version
            })
                ?? true || batch.count >= 4096
            {
                try flush()
                current = (host, key, source, scan, version)
            }
            guard let occurrence = row.occurrence else { continue }
            batch.append(occurrence)
        }
        try flush()
        return added
    }

    /// Adds the input's unknown-shape templates (within the cap), counts (per template and file,
    /// the furthest offset counted wins, as for file records) and examples (each template keeps
    /// its smallest `examplesPerTemplate` of both, by `Store.exampleOrder`).
    private func mergeUnknowns() throws {
        let stored = Int(try db.integer("SELECT count(*) FROM main.unknown_templates") ?? 0)
        let room = max(0, Store.maxTemplates - stored)
        let templates = try db.prepare(
            """
            INSERT INTO main.unknown_templates (key, template, first_seen, last_seen)
            SELECT key, template, first_seen, last_seen FROM src.unknown_templates t
            WHERE key IN (SELECT key FROM main.unknown_templates)
               OR key IN (SELECT key FROM src.unknown_templates WHERE key NOT IN (SELECT key FROM main.unknown_templates) ORDER BY key LIMIT ?)
            ON CONFLICT (key) DO UPDATE SET
                first_seen = min(ifnull(first_seen, excluded.first_seen), ifnull(excluded.first_seen, first_seen)),
                last_seen = max(ifnull(last_seen, excluded.last_seen), ifnull(excluded.last_seen, last_seen))
            """)
        try templates.bind(1, room)
        try templates.run()
        try db.execute(
            """
            INSERT INTO main.unknown_counts (template_key, file_id, count, last_offset, first_seen, last_seen)
            SELECT c.template_key, m.id, c.count, c.last_offset, c.first_seen, c.last_seen
            FROM src.unknown_counts c JOIN src.files sf ON sf.id = c.file_id JOIN main.files m ON m.host = sf.host
                AND m.file_key = sf.file_key
            WHERE c.template_key IN (SELECT key FROM main.unknown_templates)
            ON CONFLICT (template_key, file_id) DO UPDATE
                SET count = excluded.count, last_offset = excluded.last_offset,
                first_seen = excluded.first_seen, last_seen = excluded.last_seen
            WHERE excluded.last_offset > unknown_counts.last_offset
            """)
        let examples = try db.prepare(
            """
            SELECT e.template_key, m.id, e.offset, e.source, e.line, e.ts, e.excerpt
            FROM src.unknown_examples e JOIN src.files sf ON sf.id = e.file_id JOIN main.files m ON m.host = sf.host
                AND m.file_key = sf.file_key
            WHERE e.template_key IN (SELECT key FROM main.unknown_templates) ORDER BY e.template_key, e.ts
            """)
        var rows: [(key: Int64, file: Int64, offset: Int64, source: String, line: Int64, ts: Int64?, excerpt: String)] =
            []
        while try examples.step() {
            rows.append(
                (
                    examples.int64(0), examples.int64(1), examples.int64(2), examples.text(3) ?? "", examples.int64(4),
                    examples.optionalInt64(5), examples.text(6) ?? ""
                ))
        }
        let insert = try db.prepare(
            """
            INSERT OR IGNORE INTO main.unknown_examples (template_key, file_id, offset, source, line, ts, excerpt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for row in rows {
            try insert.bind([
                .integer(row.key), .integer(row.file), .integer(row.offset), .text(row.source), .integer(row.line),
                .integer(row.ts), .text(row.excerpt),
            ])
            try insert.run()
        }
        // Each template keeps its smallest examples of both databases, as a scan of all their files
        // would have: merging in any order, or twice, gives the same examples.
        let trim = try db.prepare(
            """
            DELETE FROM main.unknown_examples WHERE (template_key, file_id, offset) IN (
                SELECT template_key, file_id, offset FROM (
                    SELECT e.template_key, e.file_id, e.offset,
                        row_number() OVER (PARTITION BY e.template_key ORDER BY \(Store.exampleOrder)) AS place
                    FROM main.unknown_examples e LEFT JOIN main.files f ON f.id = e.file_id)
                WHERE place > ?)
            """)
        try trim.bind(1, Store.examplesPerTemplate)
        try trim.run()
        cache.templates = nil
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
