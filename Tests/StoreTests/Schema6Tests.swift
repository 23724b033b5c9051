import Foundation
import LogModel
import LogScanner
import Testing

@testable import LogStore

/// Schema 6: the time index keyed by file first, `failures_by_file_time (file_id, ts)`, so that a
/// scan's inserts land in the part of the index of the file being read whatever the order of its
/// times; time windows read it one file at a time, with the answers of schema 5.
@Suite struct Schema6Tests {
    typealias S5 = Schema5Tests

    /// Every answer a reader gives for the windows of `Schema5Tests`: groups and evidence per key
    /// set, counts, trends by hour and day, occurrences and the export, in one list of lines.
    static func answers(_ store: Store) throws -> [String] {
        var out: [String] = []
        for filter in S5.windows {
            for keys in S5.keySets {
                out.append(
                    "\(EvidenceTests.canonical(try store.evidence(filter, by: keys))) \(try store.groups(filter, by: keys))"
                )
            }
            out.append("count \(try store.count(filter))")
            for bucket in [BucketSize.hour, .day] { out.append("trend \(try store.trend(filter, bucket: bucket))") }
            out.append("occurrences \(try store.occurrences(filter).map { "\($0.id) \($0.occurrence)" })")
            var rows: [String] = []
            try store.export(filter) { row in
                rows.append("\(row)")
                return true
            }
            out.append("export \(rows)")
        }
        return out
    }

    /// What turns a database of this build back into one of schema 5 (for the schema-5 and -4
    /// compatibility tests): the one-column time index, excerpts found by hash alone.
    static let backToSchema5 = """
        DROP INDEX failures_by_file_time; CREATE INDEX failures_by_time ON failures (ts);
        DROP INDEX excerpts_by_file_hash; ALTER TABLE excerpts DROP COLUMN file_id;
        CREATE INDEX excerpts_by_hash ON excerpts (hash);
        PRAGMA user_version = 5;
        """

    /// The names of the indexes on `failures`.
    static func indexes(_ path: String) throws -> Set<String> {
        let db = try Connection(path: path, flags: 0x01)
        let stmt = try db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'failures'")
        var names: Set<String> = []
        while try stmt.step() { names.insert(stmt.text(0) ?? "") }
        return names
    }

    @Test(
        "a schema-5 database is reported read-only as it is (time index on ts), then migrated by the next writer to the index by file with the same answers"
    )
    func schema5Compatibility() throws {
        let scratch = try Scratch()
        let path = scratch.path("v5.db")
        do {
            // What the previous release wrote: schema 5 has the one-column time index.
            let (store, _) = try S5.filled(scratch, name: "v5.db")
            #expect(store.version == 6)
            try store.db.execute(Self.backToSchema5)
            _ = store.close()
        }
        let reader = try Store(path: path, readOnly: true)
        #expect(reader.version == 5)
        let before = try Self.answers(reader)
        _ = reader.close()
        #expect(try Connection(path: path, flags: 0x01).integer("PRAGMA user_version") == 5)
        #expect(try Self.indexes(path) == ["failures_by_time"])

        let writer = try Store(path: path)
        #expect(writer.version == 6)
        #expect(try Connection(path: path, flags: 0x01).integer("PRAGMA user_version") == 6)
        #expect(try Self.indexes(path) == ["failures_by_file_time"])
        #expect(try Self.answers(writer) == before)
        try S5.expectSameEvidence(writer)
        // Every excerpt knows the file that first stored it; none is stored again by a writer
        // that re-reads the rows of both files with an empty memory.
        #expect(try writer.db.integer("SELECT count(*) FROM excerpts WHERE file_id IS NULL") == 0)
        let excerpts = try writer.db.integer("SELECT count(*) FROM excerpts")
        let (_, _) = try S5.filled(scratch, name: "v5.db", into: writer)
        #expect(try writer.db.integer("SELECT count(*) FROM excerpts") == excerpts)
    }

    @Test("excerpts are stored once per file, and once for all files while the writer remembers them")
    func excerptsByFile() throws {
        let scratch = try Scratch()
        let path = scratch.path("e.db")
        let line = (0..<50).map { occurrence(Int64($0) * 100, ts: S5.base + Int64($0)) }.map {
            var o = $0
            o.excerpt = "the same line"
            return o
        }
        do {
            let store = try Store(path: path)
            _ = try store.beginScan(host: "h", started: 1)
            let a = try insertedRecord(store, head: Array("a".utf8), path: "/a.log")
            let b = try insertedRecord(store, head: Array("b".utf8), path: "/b.log")
            try store.commit(line, file: a, now: 1)
            try store.commit(line, file: b, now: 1)
            // One writer: one row for both files.
            #expect(try store.db.integer("SELECT count(*) FROM excerpts") == 1)
            _ = store.close()
        }
        // A later writer (an empty memory) finds file a's through the index; the next one, with
        // an empty memory again, stores c's anew.
        do {
            let store = try Store(path: path)
            _ = try store.beginScan(host: "h", started: 2)
            let a = try #require(try store.files(host: "h", head: Array("a".utf8)).first)
            var more = line
            for i in more.indices { more[i].offset += 100_000 }
            try store.commit(more, file: a, now: 2)
            #expect(try store.db.integer("SELECT count(*) FROM excerpts") == 1)
            _ = store.close()
        }
        let store = try Store(path: path)
        _ = try store.beginScan(host: "h", started: 3)
        let c = try insertedRecord(store, head: Array("c".utf8), path: "/c.log")
        try store.commit(line, file: c, now: 3)
        #expect(try store.db.integer("SELECT count(*) FROM excerpts") == 2)
        #expect(try store.count(OccurrenceFilter()) == 200)
        let plan = try store.db.prepare(
            "EXPLAIN QUERY PLAN SELECT id, text FROM excerpts WHERE file_id = 1 AND hash = 2")
        #expect(try plan.step() && (plan.text(3) ?? "").contains("excerpts_by_file_hash"))
    }

    @Test("time windows, their partial hours and a prune by age read the rows through failures_by_file_time")
    func windowsUseTheIndex() throws {
        let scratch = try Scratch()
        let (store, _) = try S5.filled(scratch)
        func plan(_ sql: String, _ values: [ColumnValue]) throws -> String {
            let stmt = try store.db.prepare("EXPLAIN QUERY PLAN " + sql)
            try stmt.bind(values)
            var details: [String] = []
            while try stmt.step() { details.append(stmt.text(3) ?? "") }
            return details.joined(separator: "; ")
        }
        for filter in [
            OccurrenceFilter(since: S5.base + 1_234_567, until: S5.base + 150_000_000),
            // Off the hour (`base` + 10,000,000 is on it): a partial hour from the rows.
            OccurrenceFilter(since: S5.base + 10_000_001), OccurrenceFilter(until: S5.base + 10_000_001),
        ] {
            let (from, clause, values) = try store.rowQuery(filter)
            let rows = try plan("SELECT count(*) FROM \(from)\(clause)", values)
            #expect(rows.contains("failures_by_file_time"), "\(filter): \(rows)")
            let source = store.rollupSource(filter, values: true)
            let partial = try plan("SELECT count(*) FROM \(source.sql)", source.values)
            #expect(partial.contains("failures_by_file_time"), "\(filter): \(partial)")
        }
        // Without a window, nothing changes: the rows in key order.
        let (from, clause, values) = try store.rowQuery(OccurrenceFilter())
        #expect(try !plan("SELECT count(*) FROM \(from)\(clause)", values).contains("failures_by_file_time"))
    }

    @Test(
        "rows of a file with random times and a later file in time order: windows, rollup and prune agree with the rows"
    )
    func randomTimesAcrossFiles() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        _ = try store.beginScan(host: "h", started: 1)
        var state: UInt64 = 3
        func random() -> Int64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64(state >> 33)
        }
        let base = S5.base
        let shuffled = (0..<500).map { i in
            occurrence(Int64(i) * 100, registry: i % 3 == 0 ? "alphaacr" : "betaacr", ts: base + random() % 200_000_000)
        }
        let ordered = (0..<300).map { i in
            occurrence(Int64(i) * 100, registry: "gammaacr", ts: base + Int64(i) * 600_000)
        }
        let a = try insertedRecord(store, head: Array("a".utf8), path: "/a.log")
        let b = try insertedRecord(store, head: Array("b".utf8), path: "/b.log")
        try store.commit(shuffled, file: a, now: 1)
        try store.commit(ordered, file: b, now: 1)
        let all = shuffled + ordered
        for (since, until) in [
            (base + 1_000, base + 50_000_000), (base + 3_600_000, base + 7_200_000), (base, base + 1),
        ] {
            let filter = OccurrenceFilter(since: since, until: until)
            let expected = all.filter { $0.timestamp! >= since && $0.timestamp! < until }.count
            #expect(try store.count(filter) == expected)
            #expect(try store.groups(filter, by: [.registry]).map(\.count).reduce(0, +) == expected)
            var exported = 0
            try store.export(filter) { _ in
                exported += 1
                return true
            }
            #expect(exported == expected)
        }
        let cut = base + 100_000_000
        let pruned = try store.prune(PruneRequest(before: cut, vacuum: false))
        #expect(pruned.occurrences == all.filter { $0.timestamp! < cut }.count)
        #expect(
            try store.db.integer("SELECT sum(count) FROM rollup") == store.db.integer("SELECT count(*) FROM failures"))
        #expect(try store.count(OccurrenceFilter()) == all.count - pruned.occurrences)
    }

    @Test(
        "files new to a writer store their excerpts without looking them up, still once per file: past the writer's memory of excerpts, past its number of new files, and again in a later scan"
    )
    func newFilesSkipTheLookup() throws {
        let scratch = try Scratch()
        let path = scratch.path("n.db")
        func lines(_ base: Int64) -> [Occurrence] {
            (0..<120).map { i in
                var o = occurrence(base + Int64(i) * 100, ts: S5.base + Int64(i) * 1_000)
                o.excerpt = "line \(i % 20)"
                return o
            }
        }
        func duplicates(_ store: Store) throws -> Int64? {
            try store.db.integer(
                "SELECT count(*) FROM (SELECT file_id, text FROM excerpts GROUP BY 1, 2 HAVING count(*) > 1)")
        }
        do {
            let store = try Store(path: path)
            store.cache.excerptLimit = 7  // the writer forgets its excerpts every 7
            _ = try store.beginScan(host: "h", started: 1)
            var records: [FileRecord] = []
            for name in ["a", "b", "c", "d"] {
                let record = try insertedRecord(store, head: Array(name.utf8), path: "/\(name).log")
                records.append(record)
                try store.commit(lines(0), file: record, now: 1)
            }
            // Files interleaved past the two the writer keeps filters for.
            for record in records.reversed() { try store.commit(lines(20_000), file: record, now: 1) }
            #expect(try duplicates(store) == 0)
            #expect(try store.db.integer("SELECT count(DISTINCT text) FROM excerpts") == 20)
            #expect(try store.count(OccurrenceFilter()) == 4 * 240)
            _ = store.close()
        }
        // A later writer: every file holds excerpts already, so they are looked up.
        let store = try Store(path: path)
        let before = try store.db.integer("SELECT count(*) FROM excerpts")
        _ = try store.beginScan(host: "h", started: 2)
        let a = try #require(try store.files(host: "h", head: Array("a".utf8)).first)
        try store.commit(lines(40_000), file: a, now: 2)
        #expect(try store.db.integer("SELECT count(*) FROM excerpts") == before)
        #expect(try duplicates(store) == 0)
    }

    @Test(
        "the rollup tables hold the rows' sums when each commit adds more cells than one upsert statement takes, to cells stored by earlier commits"
    )
    func rollupUpsertsManyCells() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        let file = try insertedRecord(store, head: Array("r".utf8))
        let hour: Int64 = 3_600_000
        let cells = Store.rollupRowsPerUpsert * 3 + 5
        var offset: Int64 = 0
        for round in 0..<3 {
            // Every round touches the same cells (hours, types, IPs) and one more each time, so
            // the second and third commits add to rows of every multi-row statement.
            let batch = (0..<(cells + round)).map { i -> Occurrence in
                offset += 100
                return Occurrence(
                    type: i % 2 == 0 ? .unauthorized : .ipNotAllowed, registry: i % 7 == 0 ? nil : "acr\(i % 3)",
                    timestamp: i % 11 == 0 ? nil : 1_700_000_000_000 + Int64(i) * hour + Int64(round) * 1000,
                    line: Int(offset / 100), offset: offset, producer: .dockerd,
                    clientIP: i % 2 == 0 ? nil : "203.0.113.\(i % 4)", repository: i % 5 == 0 ? "web" : nil,
                    attempts: 1 + round, excerpt: "line \(i)")
            }
            try store.commit(batch, file: file, now: 1)
        }
        let rows = "FROM failures o JOIN registries r ON r.id = o.registry_id JOIN labels t ON t.id = o.type_id"
        let cell =
            "ifnull(r.registry, ''), t.name, 'h', ifnull(o.repository, ''), ifnull(o.ts / 3600000 * 3600000, -1)"
        let sums = "count(*), sum(o.attempts), min(o.ts), max(o.ts)"
        let recount = "SELECT \(cell), \(sums) \(rows) GROUP BY 1, 2, 3, 4, 5"
        let recountValues =
            "SELECT \(cell), ifnull(o.client_ip, ''), ifnull(o.identity, ''), ifnull(o.code, ''), \(sums) \(rows) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
        let rollup = "SELECT registry, type, host, repository, hour, count, attempts, first_ts, last_ts FROM rollup"
        let values = """
            SELECT registry, type, host, repository, hour, client_ip, identity, code, count, attempts, first_ts, last_ts
            FROM rollup_values
            """
        #expect(try store.db.integer("SELECT count(*) FROM failures") == Int64(3 * cells + 3))
        #expect(try store.db.integer("SELECT count(*) FROM rollup") ?? 0 > Int64(Store.rollupRowsPerUpsert * 2))
        for (stored, counted) in [(rollup, recount), (values, recountValues)] {
            #expect(try store.db.integer("SELECT count(*) FROM (\(stored) EXCEPT \(counted))") == 0)
            #expect(try store.db.integer("SELECT count(*) FROM (\(counted) EXCEPT \(stored))") == 0)
        }
    }
}
