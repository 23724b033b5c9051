import LogModel
import LogScanner

extension Store {
    /// Templates stored per database, at most: candidates of further templates are not stored.
    public static let maxTemplates = 10_000
    /// Examples kept per template, at most.
    public static let examplesPerTemplate = 3

    /// The order in which a template's examples are kept, as SQL over `unknown_examples e` joined
    /// with `files f`: the smallest `examplesPerTemplate` by (source, line, offset, host, file key),
    /// a total order on the rows, so the examples kept depend only on what was read, not on the
    /// order in which files, jobs or merges delivered it. `ExampleKey` is the same order in Swift.
    static let exampleOrder = "e.source, e.line, e.offset, f.host, f.file_key"

    /// Counts unknown candidates of one file (row `fileID`), in the open transaction. A candidate
    /// counts once per template and file: only one past the furthest offset counted there, so
    /// re-reading a file (`--full`, a resumed failure) adds nothing. A counted candidate becomes
    /// one of its template's examples when it is among the smallest by `exampleOrder`; the example
    /// it displaces is deleted.
    func storeUnknowns(_ candidates: [UnknownCandidate], fileID: Int64, file: FileRecord) throws {
        guard !candidates.isEmpty, version >= 4 else { return }
        if cache.templates == nil {
            var known: [Int64: [ExampleKey]] = [:]
            let stmt = try db.prepare(
                """
                SELECT t.key, e.file_id, e.source, e.line, e.offset, f.host, f.file_key
                    FROM unknown_templates t LEFT JOIN unknown_examples e ON e.template_key = t.key
                    LEFT JOIN files f ON f.id = e.file_id
                """)
            while try stmt.step() {
                let key = stmt.int64(0)
                guard let id = stmt.optionalInt64(1) else {
                    known[key] = known[key] ?? []
                    continue
                }
                known[key, default: []].append(
                    ExampleKey(
                        source: stmt.text(2) ?? "", line: stmt.int64(3), offset: stmt.int64(4),
                        host: stmt.text(5) ?? "",
                        fileKey: stmt.text(6) ?? "", fileID: id))
            }
            cache.templates = known.mapValues { $0.sorted() }
        }
        let newTemplate = try db.cached(
            """
            INSERT INTO unknown_templates (key, template, first_seen, last_seen) VALUES (?, ?, ?, ?)
                ON CONFLICT (key) DO NOTHING
            """)
        // One row per template and file: a batch's candidates of one template are counted together
        // (a pull loop prints one shape thousands of times), only those past the furthest offset
        // counted before (re-scans, `--full` and merges add nothing).
        let stored = try db.cached("SELECT last_offset FROM unknown_counts WHERE template_key = ? AND file_id = ?")
        let count = try db.cached(
            """
            INSERT INTO unknown_counts (template_key, file_id, count, last_offset, first_seen, last_seen)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (template_key, file_id) DO UPDATE
                SET count = count + excluded.count, last_offset = excluded.last_offset,
                first_seen = min(ifnull(first_seen, excluded.first_seen), ifnull(excluded.first_seen, first_seen)),
                last_seen = max(ifnull(last_seen, excluded.last_seen), ifnull(excluded.last_seen, last_seen))
            WHERE excluded.last_offset > unknown_counts.last_offset
            """)
        let seen = try db.cached(
            """
            UPDATE unknown_templates
                SET first_seen = min(ifnull(first_seen, ?1), ?1), last_seen = max(ifnull(last_seen, ?2), ?2)
                WHERE key = ?3
            """)
        let example = try db.cached(
            """
            INSERT OR IGNORE INTO unknown_examples (template_key, file_id, offset, source, line, ts, excerpt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        let displaced = try db.cached(
            "DELETE FROM unknown_examples WHERE template_key = ? AND file_id = ? AND offset = ?")
        defer {
            newTemplate.reset()
            stored.reset()
            count.reset()
            seen.reset()
            example.reset()
            displaced.reset()
        }
        // The candidates of each template by their indices (not copies of the candidates: a batch
        // of one pull loop's shape grew an array of them, and another for the filter below, in
        // fresh pages at every commit; docs/performance.md, branch `scancpu`).
        var order: [Int64] = []
        var byTemplate: [Int64: [Int]] = [:]
        for index in candidates.indices {
            let key = Int64(bitPattern: candidates[index].templateKey)
            if byTemplate[key] == nil { order.append(key) }
            byTemplate[key, default: []].append(index)
        }
        for key in order {
            guard let group = byTemplate[key], let firstIndex = group.first else { continue }
            let first = candidates[firstIndex]
            if cache.templates?[key] == nil {
                guard (cache.templates?.count ?? 0) < Store.maxTemplates else { continue }
                try newTemplate.bind(1, key)
                try newTemplate.bind(2, first.template)
                try newTemplate.bind(3, first.timestamp)
                try newTemplate.bind(4, first.timestamp)
                _ = try newTemplate.step()
                newTemplate.rewind()
                cache.templates?[key] = []
            }
            try stored.bind(1, key)
            try stored.bind(2, fileID)
            let counted: Int64? = try stored.step() ? stored.int64(0) : nil
            stored.rewind()
            // The candidates past the furthest offset counted before: their number, furthest offset
            // and times, in one pass.
            func isFresh(_ candidate: UnknownCandidate) -> Bool { counted.map { candidate.offset > $0 } ?? true }
            var freshCount: Int64 = 0
            var furthest: Int64?
            var earliest: Int64?
            var latest: Int64?
            for index in group where isFresh(candidates[index]) {
                let candidate = candidates[index]
                freshCount += 1
                furthest = max(furthest ?? candidate.offset, candidate.offset)
                if let time = candidate.timestamp {
                    earliest = min(earliest ?? time, time)
                    latest = max(latest ?? time, time)
                }
            }
            guard let furthest else { continue }
            try count.bind(1, key)
            try count.bind(2, fileID)
            try count.bind(3, freshCount)
            try count.bind(4, furthest)
            try count.bind(5, earliest)
            try count.bind(6, latest)
            _ = try count.step()
            count.rewind()
            guard db.changes > 0 else { continue }
            if let earliest, let latest {
                try seen.bind(1, earliest)
                try seen.bind(2, latest)
                try seen.bind(3, key)
                _ = try seen.step()
                seen.rewind()
            }
            for index in group where isFresh(candidates[index]) && !candidates[index].excerpt.isEmpty {
                let candidate = candidates[index]
                guard var kept = cache.templates?[key] else { break }
                let place = ExampleKey(
                    source: file.path, line: Int64(candidate.line), offset: candidate.offset, host: file.host,
                    fileKey: file.fileKey, fileID: fileID)
                if kept.count >= Store.examplesPerTemplate, let largest = kept.last, !(place < largest) { continue }
                try example.bind(1, key)
                try example.bind(2, fileID)
                try example.bind(3, candidate.offset)
                try example.bind(4, file.path)
                try example.bind(5, candidate.line)
                try example.bind(6, candidate.timestamp)
                try example.bind(7, candidate.excerpt)
                _ = try example.step()
                example.rewind()
                guard db.changes > 0 else { continue }
                kept.insert(place, at: kept.firstIndex { place < $0 } ?? kept.endIndex)
                while kept.count > Store.examplesPerTemplate {
                    let gone = kept.removeLast()
                    try displaced.bind(1, key)
                    try displaced.bind(2, gone.fileID)
                    try displaced.bind(3, gone.offset)
                    _ = try displaced.step()
                    displaced.rewind()
                }
                cache.templates?[key] = kept
            }
        }
    }

    /// Forgets the unknown candidates counted in a file (before `--reclassify` collects them
    /// again): its counts and examples, and templates no file holds any more.
    func dropUnknowns(fileID: Int64) throws {
        guard version >= 4 else { return }
        for sql in ["DELETE FROM unknown_counts WHERE file_id = ?", "DELETE FROM unknown_examples WHERE file_id = ?"] {
            let stmt = try db.prepare(sql)
            try stmt.bind(1, fileID)
            try stmt.run()
        }
        try db.execute(
            """
            DELETE FROM unknown_templates WHERE key NOT IN (SELECT template_key FROM unknown_counts);
            DELETE FROM unknown_examples WHERE template_key NOT IN (SELECT key FROM unknown_templates);
            UPDATE unknown_templates SET
                first_seen = (SELECT min(first_seen) FROM unknown_counts c WHERE c.template_key = unknown_templates.key),
                last_seen = (SELECT max(last_seen) FROM unknown_counts c WHERE c.template_key = unknown_templates.key);
            """)
        cache.templates = nil
    }

    /// The counts of unknown candidates that `filter` keeps: by host, and by time as far as the
    /// counts tell it (a file's candidates are kept when the span of their times meets the window).
    func unknownCountSource(_ filter: OccurrenceFilter) -> (sql: String, values: [ColumnValue]) {
        var terms: [String] = []
        var values: [ColumnValue] = []
        if !filter.hosts.isEmpty {
            terms.append("f.host IN (\(placeholders(filter.hosts.count)))")
            values += filter.hosts.map { .text($0) }
        }
        if let since = filter.since {
            terms.append("c.last_seen >= ?")
            values.append(.integer(since))
        }
        if let until = filter.until {
            terms.append("c.first_seen < ?")
            values.append(.integer(until))
        }
        let clause = terms.isEmpty ? "" : " WHERE " + terms.joined(separator: " AND ")
        return ("(SELECT c.*, f.host AS host FROM unknown_counts c JOIN files f ON f.id = c.file_id\(clause))", values)
    }

    /// How many unknown candidates, and of how many templates, the filter's window holds (hosts
    /// and time; `--registry` and `--type` do not apply to them). Zero before schema 4.
    public func unknownTotals(_ filter: OccurrenceFilter) throws(StoreError) -> (candidates: Int, templates: Int) {
        guard version >= 4 else { return (0, 0) }
        return try guarded {
            let source = unknownCountSource(filter)
            let stmt = try db.prepare("SELECT ifnull(sum(count), 0), count(DISTINCT template_key) FROM \(source.sql)")
            try stmt.bind(source.values)
            _ = try stmt.step()
            return (Int(stmt.int64(0)), Int(stmt.int64(1)))
        }
    }

    /// The templates the filter keeps, by count (highest first), at most `limit`, each with its
    /// examples.
    public func unknowns(_ filter: OccurrenceFilter, limit: Int? = nil) throws(StoreError) -> [UnknownTemplate] {
        guard version >= 4 else { return [] }
        return try guarded {
            let source = unknownCountSource(filter)
            var sql = """
                SELECT t.key, t.template, sum(c.count), min(c.first_seen), max(c.last_seen),
                    group_concat(DISTINCT c.host),
                       count(DISTINCT c.file_id)
                FROM \(source.sql) c JOIN unknown_templates t ON t.key = c.template_key
                GROUP BY t.key ORDER BY 3 DESC, 2
                """
            if let limit { sql += " LIMIT \(max(0, limit))" }
            let stmt = try db.prepare(sql)
            try stmt.bind(source.values)
            var templates: [UnknownTemplate] = []
            while try stmt.step() {
                let hosts = (stmt.text(5) ?? "").split(separator: ",").map(String.init).sorted()
                templates.append(
                    UnknownTemplate(
                        key: UInt64(bitPattern: stmt.int64(0)), template: stmt.text(1) ?? "", count: Int(stmt.int64(2)),
                        firstSeen: stmt.optionalInt64(3), lastSeen: stmt.optionalInt64(4), hosts: hosts,
                        files: Int(stmt.int64(6)),
                        examples: []))
            }
            let examples = try db.prepare(
                """
                SELECT f.host, e.source, e.line, e.ts, e.excerpt FROM unknown_examples e
                    JOIN files f ON f.id = e.file_id
                WHERE e.template_key = ? ORDER BY e.ts IS NULL, e.ts, f.host, e.source, e.line, e.offset, f.file_key
                """)
            for i in templates.indices {
                try examples.bind(1, Int64(bitPattern: templates[i].key))
                while try examples.step() {
                    templates[i].examples.append(
                        UnknownExample(
                            host: examples.text(0) ?? "", source: examples.text(1) ?? "", line: Int(examples.int64(2)),
                            timestamp: examples.optionalInt64(3), excerpt: examples.text(4) ?? ""))
                }
                examples.reset()
            }
            return templates
        }
    }
}

extension Store {
    /// The connection's staging tables of a replacement (`--reclassify`, `--full` over an older
    /// matcher's reading): rows and unknown candidates, out of sight of every query until the swap.
    func createStaging() throws {
        try db.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS staged_failures AS SELECT * FROM main.failures WHERE 0;
            CREATE TEMP TABLE IF NOT EXISTS staged_unknowns (
                file_id INTEGER, template TEXT, registry TEXT, ts INTEGER, line INTEGER, offset INTEGER, producer TEXT,
                    excerpt TEXT);
            """)
    }

    func stageUnknowns(_ candidates: [UnknownCandidate], file: FileRecord) throws {
        guard !candidates.isEmpty else { return }
        let insert = try db.cached(
            """
            INSERT INTO temp.staged_unknowns (file_id, template, registry, ts, line, offset, producer, excerpt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        defer { insert.reset() }
        try insert.bind(1, try fileID(file))
        for c in candidates {
            try insert.bind(2, c.template)
            try insert.bind(3, c.registry)
            try insert.bind(4, c.timestamp)
            try insert.bind(5, c.line)
            try insert.bind(6, c.offset)
            try insert.bind(7, c.producer.rawValue)
            try insert.bind(8, c.excerpt)
            _ = try insert.step()
            insert.rewind()
        }
    }

    /// The candidates staged for `file`, in file order, removed from the staging table.
    func takeStagedUnknowns(file: FileRecord) throws -> [UnknownCandidate] {
        let id = try fileID(file)
        let select = try db.cached(
            """
            SELECT template, registry, ts, line, offset, producer, excerpt FROM temp.staged_unknowns WHERE file_id = ?
                ORDER BY offset
            """)
        try select.bind(1, id)
        var candidates: [UnknownCandidate] = []
        while try select.step() {
            candidates.append(
                UnknownCandidate(
                    template: select.text(0) ?? "", registry: select.text(1), timestamp: select.optionalInt64(2),
                    line: Int(select.int64(3)),
                    offset: select.int64(4), producer: select.text(5).flatMap(Producer.init(rawValue:)) ?? .plain,
                    excerpt: select.text(6) ?? ""))
        }
        select.reset()
        let clear = try db.cached("DELETE FROM temp.staged_unknowns WHERE file_id = ?")
        try clear.bind(1, id)
        try clear.run()
        return candidates
    }
}

/// Where an example stands in `Store.exampleOrder`: (source, line, offset, host, file key), text
/// compared by its UTF-8 bytes as SQLite's BINARY collation does. `fileID` names the row (with the
/// offset) and takes no part in the order: a file's id stands for its host and key.
struct ExampleKey: Comparable {
    var source: String
    var line: Int64
    var offset: Int64
    var host: String
    var fileKey: String
    var fileID: Int64

    /// -1, 0 or 1 as `a` is before, equal to or after `b`, byte by byte.
    private static func compare(_ a: String, _ b: String) -> Int {
        var x = a.utf8.makeIterator()
        var y = b.utf8.makeIterator()
        while true {
            switch (x.next(), y.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let p?, let q?) where p != q: return p < q ? -1 : 1
            default: continue
            }
        }
    }

    static func < (a: ExampleKey, b: ExampleKey) -> Bool {
        let source = compare(a.source, b.source)
        if source != 0 { return source < 0 }
        if a.line != b.line { return a.line < b.line }
        if a.offset != b.offset { return a.offset < b.offset }
        let host = compare(a.host, b.host)
        if host != 0 { return host < 0 }
        return compare(a.fileKey, b.fileKey) < 0
    }

    static func == (a: ExampleKey, b: ExampleKey) -> Bool { !(a < b) && !(b < a) }
}
