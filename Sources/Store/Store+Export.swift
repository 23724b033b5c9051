import LogModel

extension Store {
    /// Calls `body` with every occurrence that matches `filter` (its scan selection included), in
    /// time order (unknown times last), then host, file key and offset; stops early when `body`
    /// returns false. Streams: one row in memory at a time.
    public func export(_ filter: OccurrenceFilter, _ body: (ExportRow) -> Bool) throws(StoreError) {
        try guarded {
            let (from, clause, values) = try rowQuery(filter)
            let stmt = try db.prepare("""
                SELECT host, ts, registry, login_server, type, status, attempts, producer, source, line, line_end, offset, file_key,
                       client_ip, identity, repository, code, excerpt, matcher_version
                FROM \(from)\(clause) ORDER BY ts IS NULL, ts, host, file_key, offset
                """)
            try stmt.bind(values)
            while try stmt.step() {
                let row = ExportRow(
                    host: stmt.text(0) ?? "", ts: stmt.optionalInt64(1), registry: stmt.text(2), loginServer: stmt.text(3),
                    type: stmt.text(4) ?? "", status: stmt.optionalInt64(5).map(Int.init), attempts: Int(stmt.int64(6)),
                    producer: stmt.text(7) ?? "", source: stmt.text(8) ?? "", line: Int(stmt.int64(9)), lineEnd: Int(stmt.int64(10)),
                    offset: stmt.int64(11), fileKey: stmt.text(12) ?? "", clientIP: stmt.text(13), identity: stmt.text(14),
                    repository: stmt.text(15), code: stmt.text(16), excerpt: stmt.text(17) ?? "", matcherVersion: Int(stmt.int64(18)))
                guard body(row) else { break }
            }
        }
    }
}
