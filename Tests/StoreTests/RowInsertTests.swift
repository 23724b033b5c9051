import Foundation
import LogModel
import LogScanner
import Testing

@testable import LogStore

/// Rows inserted `Store.rowsPerInsert` to a statement (those past the file's last stored offset,
/// in increasing offsets) are stored as rows inserted one at a time are: the same rows, excerpts,
/// rollup and scan ranges, a row already stored left alone or extended.
@Suite struct RowInsertTests {
    /// Every table a commit writes, row for row, in one list of lines.
    static func tables(_ path: String) throws -> [String] {
        let db = try Connection(path: path, flags: 0x01)
        let queries = [
            "SELECT \(Store.rowColumns.map { "quote(\($0))" }.joined(separator: " || ',' || ")) FROM failures ORDER BY file_id, offset",
            "SELECT id || ',' || hash || ',' || text || ',' || file_id FROM excerpts ORDER BY id",
            "SELECT id || ',' || quote(registry) || ',' || quote(login_server) FROM registries ORDER BY id",
            "SELECT registry || ',' || type || ',' || host || ',' || repository || ',' || hour || ',' || count || ',' || attempts || ',' || quote(first_ts) || ',' || quote(last_ts) FROM rollup ORDER BY 1",
            "SELECT registry || ',' || type || ',' || host || ',' || repository || ',' || hour || ',' || client_ip || ',' || identity || ',' || code || ',' || count || ',' || attempts || ',' || quote(first_ts) || ',' || quote(last_ts) FROM rollup_values ORDER BY 1",
            "SELECT scan_id || ',' || file_id || ',' || first_offset || ',' || last_offset FROM scan_files ORDER BY 1",
        ]
        var out: [String] = []
        for sql in queries {
            let stmt = try db.prepare(sql)
            while try stmt.step() { out.append(stmt.text(0) ?? "NULL") }
            out.append("--")
        }
        return out
    }

    /// An occurrence at `offset` with values drawn from `n`: several registries, types, hours,
    /// repositories, client IPs and excerpts, some without a time.
    static func occurrence(_ offset: Int64, _ n: Int, lines: Int = 1) -> Occurrence {
        let registry: String? = n % 5 == 0 ? nil : "acr\(n % 3)"
        return Occurrence(
            type: ErrorType.allCases[n % ErrorType.allCases.count], registry: registry,
            loginServer: registry.map { "\($0).azurecr.io" },
            timestamp: n % 7 == 0 ? nil : 1_795_000_000_000 + Int64((n * 7919) % 200) * 600_000,
            line: Int(offset / 10) + 1, lineEnd: Int(offset / 10) + lines, offset: offset, producer: .dockerd,
            status: n % 4 == 0 ? nil : 401, clientIP: n % 6 == 0 ? "10.0.0.\(n % 4)" : nil,
            repository: n % 2 == 0 ? "app\(n % 3)" : nil, attempts: 1 + n % 3, excerpt: "excerpt \(n % 40)")
    }

    @Test(
        "batches whose rows go many to a statement store what rows inserted one at a time store, with rows already stored left alone or extended"
    )
    func manyRowsAsOne() throws {
        let scratch = try Scratch()
        // First batch: 100 new rows. Second: rows before, among and after the stored ones, some of
        // them the same offset as a stored row (the same failure, or one that spans more lines),
        // offsets repeated within the batch and out of order. Third: 70 rows past the end.
        let first = (0..<100).map { Self.occurrence(Int64($0) * 10, $0) }
        var second = (0..<40).map { Self.occurrence(Int64(995 + $0 * 10), 100 + $0) }
        second += (0..<10).map { Self.occurrence(Int64($0) * 30, $0, lines: 1 + $0 % 2) }
        second += (0..<50).map { Self.occurrence(Int64(1_400 + $0 * 10), 200 + $0) }
        second.insert(Self.occurrence(1_400, 7), at: 60)
        second.insert(Self.occurrence(1_405, 8), at: 90)
        let third = (0..<70).map { Self.occurrence(Int64(3_000 + $0 * 5), 300 + $0) }
        #expect(first.count >= Store.rowsPerInsert && third.count >= 2 * Store.rowsPerInsert)

        func run(_ name: String, oneAtATime: Bool) throws -> (added: [Int], tables: [String]) {
            let store = try scratch.store(name)
            var record = try insertedRecord(store, head: Array("head\n".utf8))
            var added: [Int] = []
            for (n, batch) in [first, second, third].enumerated() {
                record.position = ScanPosition(offset: 4_000 + Int64(n), lines: 400)
                if oneAtATime {
                    added.append(try batch.reduce(0) { $0 + (try store.commit([$1], file: record, now: 7)) })
                } else {
                    added.append(try store.commit(batch, file: record, now: 7))
                }
            }
            _ = store.close()
            return (added, try Self.tables(scratch.path(name)))
        }
        let many = try run("many.db", oneAtATime: false)
        let single = try run("single.db", oneAtATime: true)
        #expect(many.added == single.added)
        #expect(many.added == [100, 91, 70])
        #expect(many.tables == single.tables)
    }

    /// An occurrence at `offset` whose excerpt is `excerpt` (distinct texts: distinct excerpts).
    static func occurrence(_ offset: Int64, excerpt: String) -> Occurrence {
        var o = occurrence(offset, Int(offset / 10))
        o.excerpt = excerpt
        return o
    }

    @Test(
        "a batch's new excerpts inserted many to a statement get the ids and rows that excerpts stored one at a time get, in new and existing databases"
    )
    func manyExcerptsAsOne() throws {
        let scratch = try Scratch()
        // Two files, batches of each in turn; then the database opened again (a new writer: both
        // files' excerpts are looked up in the index) and more batches: excerpts new, stored in the
        // same file, stored in the other file only, repeated within a batch; a writer that forgets
        // its excerpts every 5 (the memory cleared in the middle of a batch) or never.
        func batch(_ file: Int, _ n: Int, _ texts: [String]) -> [Occurrence] {
            texts.enumerated().map {
                Self.occurrence(Int64(n * 10_000 + $0.offset * 10), excerpt: $0.element)
            }
        }
        let distinct = (0..<75).map { "line \($0) at t\($0 * 7)" }
        let plan: [[(file: Int, batch: [Occurrence])]] = [
            [
                (0, batch(0, 0, distinct)), (1, batch(1, 0, Array(distinct.prefix(40)))),
                (0, batch(0, 1, distinct.suffix(30) + (100..<140).map { "new \($0)" })),
            ],
            [
                (1, batch(1, 1, (0..<70).map { $0 % 3 == 0 ? distinct[$0] : "later \($0)" })),
                (0, batch(0, 2, (0..<100).map { $0 % 2 == 0 ? "new \(100 + $0)" : "again \($0 % 10)" })),
                (0, batch(0, 3, [])), (1, batch(1, 2, (0..<33).map { "last \($0)" })),
            ],
        ]
        for limit in [5, 1 << 16] {
            func run(_ name: String, oneAtATime: Bool) throws -> [String] {
                var records: [FileRecord] = []
                var offsets = [Int64](repeating: 0, count: 2)
                for (round, batches) in plan.enumerated() {
                    let store = try scratch.store(name)
                    store.cache.excerptLimit = limit
                    if round == 0 {
                        records = try (0..<2).map {
                            try insertedRecord(store, head: Array("head \($0)\n".utf8), path: "/var/log/\($0).log")
                        }
                    }
                    for (file, occurrences) in batches {
                        offsets[file] += 1
                        records[file].position = ScanPosition(offset: 1_000_000 + offsets[file], lines: 100_000)
                        if oneAtATime {
                            for o in occurrences { _ = try store.commit([o], file: records[file], now: 7) }
                        } else {
                            _ = try store.commit(occurrences, file: records[file], now: 7)
                        }
                    }
                    _ = store.close()
                }
                return try Self.tables(scratch.path(name))
            }
            let many = try run("many-\(limit).db", oneAtATime: false)
            let single = try run("single-\(limit).db", oneAtATime: true)
            #expect(many.count > 400)
            #expect(many == single)
        }
    }

    @Test("excerpts whose ids would pass the largest rowid are stored one at a time, each row naming its own text")
    func excerptIDsAtTheEnd() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        let record = try insertedRecord(store, head: Array("head\n".utf8))
        try store.db.execute("INSERT INTO excerpts (id, hash, text, file_id) VALUES (\(Int64.max - 10), 0, 'x', NULL)")
        let occurrences = (0..<40).map { Self.occurrence(Int64($0) * 10, excerpt: "text \($0)") }
        #expect(try store.commit(occurrences, file: record, now: 7) == 40)
        let check = try store.db.prepare(
            "SELECT count(*) FROM failures f JOIN excerpts e ON e.id = f.excerpt_id WHERE e.text = 'text ' || (f.offset / 10)"
        )
        #expect(try check.step() && check.int64(0) == 40)
        check.reset()
        _ = store.close()
    }
}
