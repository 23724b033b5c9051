import CSQLite
import LogModel
import LogScanner

extension Store {
    /// Excerpt rows inserted per statement by `batchExcerptIDs` (3 parameters each, plus the file).
    static let excerptsPerInsert = 32

    private static let excerptSingleSQL = makeExcerptInsertSQL(1)
    private static let excerptManySQL = makeExcerptInsertSQL(excerptsPerInsert)

    /// `INSERT INTO excerpts` of `rows` rows with their ids given: `?1` is the file, row `j`'s id,
    /// key and text are parameters `2 + 3j`, `3 + 3j`, `4 + 3j`. `OR IGNORE`: a statement that
    /// cannot abort needs no statement journal (a plain multi-row INSERT, which might fail after
    /// its first rows, wrote every page it changed to one: ten times the writes); none is ignored
    /// (`batchExcerptIDs` checks).
    private static func makeExcerptInsertSQL(_ rows: Int) -> String {
        let tuples = (0..<rows).map { j in "(?\(2 + 3 * j), ?1, ?\(3 + 3 * j), ?\(4 + 3 * j))" }
        return "INSERT OR IGNORE INTO excerpts (id, file_id, hash, text) VALUES \(tuples.joined(separator: ", "))"
    }

    /// The excerpt ids of a batch's records (`ids`, per value id of the batch, -1 for those not
    /// looked up yet), found as `excerptID` finds them, in the same order (the records' order),
    /// with the same writer's memory after; the excerpts not stored yet are then inserted
    /// `excerptsPerInsert` to a statement instead of one statement each.
    ///
    /// Their ids are the ones SQLite would give them one at a time: `excerpts.id` is an `INTEGER
    /// PRIMARY KEY` without `AUTOINCREMENT`, whose new rowid is the largest one in the table plus
    /// one (while that is below 2^63 - 1), so the batch's new excerpts take `max(id) + 1`,
    /// `max(id) + 2`, … in the order they are met, and are inserted with those ids. Nothing else
    /// inserts excerpts between the `max(id)` and the inserts. When the largest id leaves no room,
    /// nothing is done here and `excerptID` stores them one at a time (SQLite then picks ids at
    /// random). Equal texts have equal value ids in a batch, so no text is planned twice, and no
    /// lookup of the index can need an excerpt planned but not inserted yet.
    func batchExcerptIDs(
        _ records: [OccurrenceBatch.Record], values: [OccurrenceBatch.Value], arena base: UnsafeRawPointer,
        fileID: Int64, into ids: inout [Int64]
    ) throws {
        // The new excerpts, in id order: value id and key.
        var fresh: [(value: UInt32, hash: Int64)] = []
        var nextID: Int64?
        let select = try db.cached("SELECT id, text FROM excerpts WHERE file_id = ? AND hash = ?")
        defer { select.reset() }
        for r in records where ids[Int(r.excerpt)] < 0 {
            let v = values[Int(r.excerpt)]
            let text = UnsafeRawBufferPointer(start: base + Int(v.start), count: Int(v.count))
            let hash = fnv64(text)
            if let known = cache.excerpts[hash], known.text.elementsEqual(text) {
                ids[Int(r.excerpt)] = known.id
                continue
            }
            let id: Int64
            if let found = try storedExcerptID(text, hash: hash, fileID: fileID, select: select) {
                id = found
            } else {
                if nextID == nil {
                    let last = try db.cached("SELECT max(id) FROM excerpts")
                    let max = try last.step() ? last.optionalInt64(0) ?? 0 : 0
                    last.reset()
                    // No room for the ids of every record's excerpt: left to `excerptID`.
                    guard max < Int64.max - Int64(records.count) else { return }
                    nextID = max + 1
                }
                id = nextID!
                nextID! += 1
                fresh.append((r.excerpt, hash))
                cache.newFiles[fileID]?.insert(hash)
            }
            rememberExcerpt(id, text, hash: hash)
            ids[Int(r.excerpt)] = id
        }
        guard !fresh.isEmpty else { return }
        let many = Store.excerptsPerInsert
        let multi = fresh.count >= many ? try db.cached(Store.excerptManySQL) : nil
        let single = try db.cached(Store.excerptSingleSQL)
        // The texts are bound without a copy: the parameters are cleared before the arena goes.
        defer {
            multi?.reset()
            single.reset()
        }
        var start = 0
        while start < fresh.count {
            let rows = fresh.count - start >= many ? many : 1
            let insert = rows == many ? multi! : single
            try insert.bind(1, fileID)
            for j in 0..<rows {
                let (value, hash) = fresh[start + j]
                let v = values[Int(value)]
                let p = Int32(2 + 3 * j)
                try insert.bind(p, ids[Int(value)])
                try insert.bind(p + 1, hash)
                try insert.bindStatic(p + 2, base + Int(v.start), count: Int(v.count))
            }
            _ = try insert.step()
            insert.rewind()
            guard db.changes == Int64(rows) else {
                throw SQLiteError(
                    code: 1, extendedCode: 1, message: "an excerpt's id was taken", sql: insert.sql)
            }
            start += rows
        }
    }
}
