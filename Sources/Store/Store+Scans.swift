import LogModel
import LogScanner

extension ScanSelection {
    /// The condition on the `scans` table and its values.
    var condition: (sql: String, values: [ColumnValue]) {
        switch self {
        case .last: ("id = (SELECT max(id) FROM main.scans)", [])
        case .scan(let n): ("id = ?", [.integer(n)])
        case .from(let n): ("id >= ?", [.integer(n)])
        case .storedSince(let ms): ("started >= ?", [.integer(ms)])
        }
    }
}

extension Store {
    /// Records the start of a scan run by `host` at `started` (milliseconds); the rows stored from
    /// now on belong to it. Returns its id, the N of `--scan N`.
    @discardableResult
    public func beginScan(host: String, started: Int64) throws(StoreError) -> Int64 {
        try guarded {
            try db.transaction {
                let insert = try db.cached(
                    """
                    INSERT INTO scans (key, host, started, matcher_version, origin)
                        VALUES (abs(random()), ?, ?, ?, 'scan')
                    """)
                try insert.bind(1, host)
                try insert.bind(2, started)
                try insert.bind(3, Matcher.version)
                try insert.run()
            }
            let id = db.lastInsertRowID
            cache.scan = id
            return id
        }
    }

    /// The scan being recorded: one begun with `beginScan`, else one begun now for `host`.
    func currentScan(host: String, now: Int64) throws -> Int64 {
        if let scan = cache.scan { return scan }
        let insert = try db.cached(
            """
            INSERT INTO scans (key, host, started, matcher_version, origin) VALUES (abs(random()), ?, ?, ?, 'scan')
            """)
        try insert.bind(1, host)
        try insert.bind(2, now)
        try insert.bind(3, Matcher.version)
        try insert.run()
        cache.scan = db.lastInsertRowID
        return db.lastInsertRowID
    }

    /// The id of the scan being recorded, if one was begun.
    public var scanID: Int64? { cache.scan }

    /// Records the end of the current scan and its summary.
    public func finishScan(_ totals: ScanTotals, finished: Int64) throws(StoreError) {
        guard let id = cache.scan else { return }
        try guarded {
            let update = try db.cached(
                """
                UPDATE scans
                    SET finished = ?, files = ?, unchanged = ?, bytes = ?, lines = ?, found = ?, added = ?,
                    reclassified = ?,
                    removed = ?, problems = ?, interrupted = ? WHERE id = ?
                """)
            let values: [Int64] = [
                finished, Int64(totals.files), Int64(totals.unchanged), totals.bytes, Int64(totals.lines),
                Int64(totals.found),
                Int64(totals.added), Int64(totals.reclassified), Int64(totals.removed), Int64(totals.problems),
                totals.interrupted ? 1 : 0, id,
            ]
            for (i, value) in values.enumerated() {
                try update.bind(Int32(i + 1), value)
            }
            try update.run()
        }
    }

    /// The scans recorded, latest first, at most `limit`.
    public func scans(limit: Int = 20) throws(StoreError) -> [ScanRecord] {
        guard version >= 4 else { return [] }
        return try guarded {
            let stmt = try db.prepare(
                """
                SELECT id, host, started, finished, files, bytes, found, added, origin FROM scans ORDER BY id DESC
                    LIMIT ?
                """)
            try stmt.bind(1, limit)
            var rows: [ScanRecord] = []
            while try stmt.step() {
                rows.append(
                    ScanRecord(
                        id: stmt.int64(0), host: stmt.text(1) ?? "", started: stmt.int64(2),
                        finished: stmt.optionalInt64(3),
                        files: Int(stmt.int64(4)), bytes: stmt.int64(5), found: Int(stmt.int64(6)),
                        added: Int(stmt.int64(7)), origin: stmt.text(8) ?? ""))
            }
            return rows
        }
    }

    /// The scans `selection` covers in this database. A database from before schema 4 has no
    /// record of scans: a selection there is refused with that reason.
    public func resolve(_ selection: ScanSelection) throws(StoreError) -> ResolvedSelection {
        guard version >= 4 else {
            throw .sqlite(
                path: path,
                SQLiteError(
                    code: 1, extendedCode: 1,
                    message: """
                        this database (schema \(version)) records no scans yet, so \(selection) selects nothing; \
                        the next 'acrscan scan' into it migrates it and records them
                        """, sql: nil))
        }
        return try guarded {
            let (condition, values) = selection.condition
            let stmt = try db.prepare("SELECT id, started FROM scans WHERE \(condition) ORDER BY id")
            try stmt.bind(values)
            var ids: [Int64] = []
            var from: Int64?
            while try stmt.step() {
                ids.append(stmt.int64(0))
                from = min(from ?? stmt.int64(1), stmt.int64(1))
            }
            return ResolvedSelection(given: selection, scans: ids, storedFrom: from)
        }
    }
}
