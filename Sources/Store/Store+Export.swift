import LogModel

extension Store {
    /// Calls `body` with every occurrence that matches `filter` (its scan selection included), in
    /// time order (unknown times last), then host, file key and offset; stops early when `body`
    /// returns false. Streams: one row in memory at a time.
    public func export(_ filter: OccurrenceFilter, _ body: (OccurrenceRow) -> Bool) throws(StoreError) {
        try guarded {
            let (from, clause, values) = try rowQuery(filter)
            let stmt = try db.prepare(
                """
                SELECT \(OccurrenceColumn.selectList())
                FROM \(from)\(clause) ORDER BY ts IS NULL, ts, host, file_key, offset
                """)
            try stmt.bind(values)
            while try stmt.step() {
                guard body(stmt.occurrenceRow()) else { break }
            }
        }
    }
}
