import LogModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `acrscan prune` removes (docs/schema.md#retention). Occurrence criteria combine with AND.
public struct PruneRequest: Sendable, Equatable {
    /// Occurrences whose time is before this (milliseconds since the epoch, UTC); occurrences
    /// without a time are never removed by age.
    public var before: Int64?
    /// Only these hosts (any of them); empty for every host.
    public var hosts: [String]
    /// Only sources (file paths as scanned) matching one of these SQLite `GLOB` patterns.
    public var sources: [String]
    /// Also remove the records of files that are gone from this machine, on `missingHosts`.
    public var missing: Bool
    /// The hosts whose file paths are this machine's (for `missing`).
    public var missingHosts: [String]
    /// Count what would go, change nothing.
    public var dryRun: Bool
    /// Give the space back afterwards (`VACUUM`) when anything was removed.
    public var vacuum: Bool

    /// A request.
    public init(
        before: Int64? = nil, hosts: [String] = [], sources: [String] = [], missing: Bool = false,
        missingHosts: [String] = [], dryRun: Bool = false, vacuum: Bool = true
    ) {
        self.before = before
        self.hosts = hosts
        self.sources = sources
        self.missing = missing
        self.missingHosts = missingHosts
        self.dryRun = dryRun
        self.vacuum = vacuum
    }

    /// Whether the request removes occurrences (it names an age, a host or a source).
    public var selectsOccurrences: Bool { before != nil || !hosts.isEmpty || !sources.isEmpty }
}

/// What a prune removed.
public struct PruneSummary: Sendable, Equatable {
    /// Occurrences removed.
    public var occurrences = 0
    /// File records removed (of forgotten hosts or sources, or of files that are gone).
    public var files = 0
    /// Compressed-file identities removed.
    public var compressed = 0
    /// Records of files that are gone but kept, because stored occurrences still refer to them.
    public var keptMissing = 0
    /// The database's size (page count × page size, free pages included) before and after.
    public var bytesBefore: Int64 = 0
    public var bytesAfter: Int64 = 0

    /// An empty summary.
    public init() {}
}

extension Store {
    /// Removes what `request` selects, in one transaction, then gives the space back.
    ///
    /// - Occurrences matching every criterion given (age, hosts, sources) are removed.
    /// - A prune by host or source **without** an age also forgets the file records and compressed
    ///   identities of those hosts and paths: scanning those logs again reads them anew. A prune
    ///   by age keeps them, so the logs the old occurrences came from are not read again.
    /// - `missing` removes the records of files whose path no longer exists here (not standard
    ///   input's), of `missingHosts`, that no stored occurrence refers to: their key can then be
    ///   given to new content without it colliding with what is stored. Compressed identities whose
    ///   file is gone are removed too; a file seen again is then decompressed once more and
    ///   recognised by its content, so nothing is counted twice.
    ///
    /// The space of what was removed is given back by `VACUUM` (the file shrinks) unless
    /// `request.vacuum` is false or nothing was removed. O(rows examined).
    public func prune(_ request: PruneRequest) throws(StoreError) -> PruneSummary {
        try guarded {
            var summary = PruneSummary()
            summary.bytesBefore = try size()
            try db.execute("BEGIN IMMEDIATE")
            do {
                if request.selectsOccurrences {
                    var terms: [String] = []
                    var values: [ColumnValue] = []
                    if let before = request.before {
                        if timeIndexByFile { terms.append(Store.everyFile) }
                        terms.append("ts < ?")
                        values.append(.integer(before))
                    }
                    if !request.hosts.isEmpty {
                        terms.append("host IN (\(placeholders(request.hosts.count)))")
                        values += request.hosts.map { .text($0) }
                    }
                    let whereClause = { (column: String) -> String in
                        var all = terms
                        if !request.sources.isEmpty {
                            all.append(
                                "(" + request.sources.map { _ in "\(column) GLOB ?" }.joined(separator: " OR ") + ")")
                        }
                        return " WHERE " + all.joined(separator: " AND ")
                    }
                    let globs = request.sources.map { ColumnValue.text($0) }
                    let failures = try db.prepare(
                        """
                        DELETE FROM failures WHERE (file_id, offset) IN
                            (SELECT file_id, offset FROM \(Store.rowSource(version: version)) AS r\(whereClause("source")))
                        """)
                    try failures.bind(values + globs)
                    try failures.run()
                    summary.occurrences = Int(db.changes)
                    if request.before == nil {
                        for table in ["files", "compressed_files"] {
                            // A file record that occurrences still refer to (seen under another path) stays.
                            let kept =
                                table == "files"
                                ? " AND NOT EXISTS (SELECT 1 FROM failures o WHERE o.file_id = files.id)" : ""
                            let stmt = try db.prepare("DELETE FROM \(table)" + whereClause("path") + kept)
                            try stmt.bind(values + globs)
                            try stmt.run()
                            if table == "files" {
                                summary.files += Int(db.changes)
                            } else {
                                summary.compressed += Int(db.changes)
                            }
                        }
                    }
                    try cleanUp()
                }
                if request.missing {
                    let (files, kept, compressed) = try pruneMissing(hosts: request.missingHosts)
                    summary.files += files
                    summary.keptMissing = kept
                    summary.compressed += compressed
                }
                try db.execute(request.dryRun ? "ROLLBACK" : "COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
            let removed = summary.occurrences + summary.files + summary.compressed
            if !request.dryRun, request.vacuum, removed > 0 { try db.execute("VACUUM") }
            summary.bytesAfter = try size()
            return summary
        }
    }

    /// Removes the records of gone files of `hosts` that no occurrence refers to, and the compressed
    /// identities of gone files; returns (records removed, gone records kept, identities removed).
    private func pruneMissing(hosts: [String]) throws -> (Int, Int, Int) {
        guard !hosts.isEmpty else { return (0, 0, 0) }
        let list = placeholders(hosts.count)
        let names = hosts.map { ColumnValue.text($0) }
        var gone: [(id: Int64, used: Bool)] = []
        let files = try db.prepare(
            """
            SELECT id, path, EXISTS (SELECT 1 FROM failures f WHERE f.file_id = files.id)
            FROM files WHERE host IN (\(list)) AND path <> '-'
            """)
        try files.bind(names)
        while try files.step() {
            if let path = files.text(1), Store.isGone(path) { gone.append((files.int64(0), files.int64(2) != 0)) }
        }
        let delete = try db.prepare("DELETE FROM files WHERE id = ?")
        for file in gone where !file.used {
            try delete.bind(1, file.id)
            try delete.run()
        }
        if gone.contains(where: { !$0.used }) { try cleanUp() }
        var compressedGone: [Int64] = []
        let compressed = try db.prepare("SELECT id, path FROM compressed_files WHERE host IN (\(list))")
        try compressed.bind(names)
        while try compressed.step() {
            if let path = compressed.text(1), Store.isGone(path) { compressedGone.append(compressed.int64(0)) }
        }
        let deleteCompressed = try db.prepare("DELETE FROM compressed_files WHERE id = ?")
        for id in compressedGone {
            try deleteCompressed.bind(1, id)
            try deleteCompressed.run()
        }
        let kept = gone.filter(\.used).count
        return (gone.count - kept, kept, compressedGone.count)
    }

    /// After a prune: the rollup counted again, and what no occurrence or file record refers to
    /// any more removed (excerpts, source paths, scan ranges, unknown candidates of forgotten files).
    private func cleanUp() throws {
        try rebuildRollup(all: true)
        try db.execute(
            """
            DELETE FROM excerpts WHERE id NOT IN (SELECT excerpt_id FROM failures);
            DELETE FROM sources WHERE id NOT IN (SELECT source_id FROM failures);
            DELETE FROM scan_files WHERE file_id NOT IN (SELECT id FROM files);
            DELETE FROM unknown_counts WHERE file_id NOT IN (SELECT id FROM files);
            DELETE FROM unknown_examples WHERE file_id NOT IN (SELECT id FROM files);
            DELETE FROM unknown_templates WHERE key NOT IN (SELECT template_key FROM unknown_counts);
            """)
        cache.clear()
    }

    /// Whether nothing exists at `path` any more (`stat(2)` fails with ENOENT or ENOTDIR); a
    /// path that cannot be checked (no permission) counts as present.
    static func isGone(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) != 0 && (errno == ENOENT || errno == ENOTDIR)
    }

    /// The database's size in bytes: page count × page size.
    func size() throws -> Int64 {
        (try db.integer("PRAGMA page_count") ?? 0) * (try db.integer("PRAGMA page_size") ?? 0)
    }
}
