import Foundation
import LogModel
import LogScanner
import Testing

@testable import LogStore

/// Schema 4: compatibility with schema 3, the rollup against the rows, values stored once,
/// first-stored scans through merges, unknown shapes stored idempotently and bounded.
@Suite struct Schema4Tests {
    /// A database of schema 3, as the previous release wrote it: the first three migrations only,
    /// with `rows` occurrences in two files of host `h`, times one per 20 minutes from 2023-11-14.
    static func schema3(_ path: String, rows: Int = 30) throws {
        let db = try Connection(path: path, flags: 0x06)  // READWRITE | CREATE
        try db.execute("PRAGMA journal_mode = WAL")
        for migration in Schema.migrations.prefix(3) { try db.execute(migration) }
        try db.execute("PRAGMA application_id = \(Schema.applicationID); PRAGMA user_version = 3")
        try db.execute(
            """
            INSERT INTO files (host, file_key, fingerprint, fp_length, path, scanned_offset, matcher_version, first_scanned, last_scanned, anchor_offset)
            VALUES ('h', 'ka', 'ka', 1024, '/var/log/a.log', 100000, 1, 5, 6, 0), ('h', 'kb', 'kb', 1024, '/var/log/b.log', 100000, 1, 5, 6, 0);
            """)
        let insert = try db.prepare(
            """
            INSERT INTO failures (host, file_key, offset, source, ts, registry, login_server, type, status, line, line_end, producer,
                                  attempts, repository, excerpt, matcher_version)
            VALUES ('h', ?, ?, ?, ?, ?, ?, ?, 401, ?, ?, 'dockerd', ?, ?, ?, 1)
            """)
        for i in 0..<rows {
            let file = i % 2 == 0 ? "ka" : "kb"
            let registry = i % 3 == 0 ? "alphaacr" : "betaacr"
            try insert.bind([
                .text(file), .integer(Int64(i * 100)), .text(file == "ka" ? "/var/log/a.log" : "/var/log/b.log"),
                .integer(1_699_920_000_000 + Int64(i) * 1_200_000), .text(registry), .text("\(registry).azurecr.io"),
                .text(i % 4 == 0 ? "access-denied" : "unauthorized"), .integer(Int64(i + 1)),
                .integer(Int64(i + 1 + i % 2)),
                .integer(Int64(1 + i % 3)), .text(i % 5 == 0 ? "web" : nil), .text("excerpt \(i % 7)"),
            ])
            try insert.run()
        }
    }

    /// Everything a report shows, for comparing two stores.
    static func digest(_ store: Store, _ filter: OccurrenceFilter = OccurrenceFilter()) throws -> String {
        let groups = try store.groups(filter, by: [.registry, .type, .host, .repository, .day])
        let trend = try store.trend(filter, bucket: .hour)
        let rows = try store.occurrences(filter).map { "\($0.host) \($0.source) \($0.occurrence)" }
        return "\(groups)\n\(trend)\n\(rows)\n\(try store.count(filter)) \(String(describing: try store.span(filter)))"
    }

    @Test(
        "a schema-3 database is reported on read-only as it is, then migrated by the next writer with the same answers")
    func schema3Compatibility() throws {
        let scratch = try Scratch()
        let path = scratch.path("v3.db")
        try Self.schema3(path)
        let reader = try Store(path: path, readOnly: true)
        #expect(reader.version == 3)
        #expect(try reader.count(OccurrenceFilter()) == 30)
        let window = OccurrenceFilter(since: 1_699_920_000_000 + 1_000_000, until: 1_699_920_000_000 + 25_000_000)
        let before = try Self.digest(reader)
        let beforeWindow = try Self.digest(reader, window)
        #expect(try reader.unknownTotals(OccurrenceFilter()) == (0, 0))
        // A selection by scan needs the record of scans: refused with the reason, not an empty answer.
        var last = OccurrenceFilter()
        last.selection = .last
        #expect(throws: StoreError.self) { try reader.count(last) }
        // Reading changed nothing: still schema 3.
        #expect(try Connection(path: path, flags: 0x01).integer("PRAGMA user_version") == 3)

        let writer = try Store(path: path)
        #expect(writer.version == Schema.current)
        #expect(try Self.digest(writer) == before)
        #expect(try Self.digest(writer, window) == beforeWindow)
        // What schema 3 stored is the work of one scan, "schema 3".
        #expect(try writer.count(last) == 30)
        #expect(try writer.scans().first?.origin == "schema 3")
        // Identical excerpts once.
        #expect(try writer.db.integer("SELECT count(*) FROM excerpts") == 7)
        #expect(try writer.db.integer("SELECT count(*) FROM sources") == 2)
    }

    @Test("a schema-3 database merges into a schema-4 one; merging it twice adds nothing")
    func mergeSchema3() throws {
        let scratch = try Scratch()
        let old = scratch.path("v3.db")
        try Self.schema3(old)
        let target = try scratch.store("fleet.db")
        let first = try target.merge(from: old)
        #expect(first.occurrences == 30)
        #expect(first.added == 30)
        let second = try target.merge(from: old)
        #expect(second.added == 0)
        #expect(try target.count(OccurrenceFilter()) == 30)
        #expect(try target.db.integer("SELECT count(*) FROM scans") == 1)
        #expect(try Self.digest(target) == Self.digest(try Store(path: old, readOnly: true)))
    }

    @Test("merged occurrences keep the scan that first stored them; a second merge adds no scan and no row")
    func mergeKeepsScans() throws {
        let scratch = try Scratch()
        let host = try scratch.store("host.db")
        let record = try insertedRecord(host, head: Array("a".utf8))
        try host.beginScan(host: "h", started: 1_000)
        try host.commit((0..<5).map { occurrence(Int64($0) * 100) }, file: record, now: 1_000)
        try host.beginScan(host: "h", started: 2_000)
        try host.commit((5..<8).map { occurrence(Int64($0) * 100) }, file: record, now: 2_000)
        host.close()

        let fleet = try scratch.store("fleet.db")
        try fleet.beginScan(host: "collector", started: 500)
        #expect(try fleet.merge(from: scratch.path("host.db")).added == 8)
        #expect(try fleet.merge(from: scratch.path("host.db")).added == 0)
        var since = OccurrenceFilter()
        since.selection = .storedSince(1_500)
        #expect(try fleet.count(since) == 3)
        since.selection = .storedSince(900)
        #expect(try fleet.count(since) == 8)
        #expect(try fleet.db.integer("SELECT count(*) FROM scans") == 3)
        #expect(try fleet.db.integer("SELECT count(*) FROM occurrences WHERE stored_ms = 1000") == 5)
    }

    @Test(
        "the rollup answers as the rows do: whole store, windows on and off the hour, filters, after replace and prune")
    func rollupMatchesRows() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        let a = try insertedRecord(store, head: Array("a".utf8), path: "/a.log")
        let b = try insertedRecord(store, host: "h2", head: Array("b".utf8), path: "/b.log")
        let base: Int64 = 1_700_000_000_000
        let batch = (0..<400).map { i in
            Occurrence(
                type: i % 3 == 0 ? .accessDenied : .unauthorized,
                registry: i % 5 == 0 ? nil : (i % 2 == 0 ? "alphaacr" : "betaacr"),
                timestamp: i % 17 == 0 ? nil : base + Int64(i) * 613_000, line: i + 1, offset: Int64(i) * 80,
                producer: .dockerd,
                repository: i % 4 == 0 ? "web" : nil, attempts: 1 + i % 3, excerpt: "line \(i % 9)")
        }
        try store.commit(Array(batch.prefix(250)), file: a, now: 1)
        try store.commit(Array(batch.suffix(150)), file: b, now: 1)
        let windows = [
            OccurrenceFilter(),
            OccurrenceFilter(since: base + 1_234_567, until: base + 150_000_000),
            OccurrenceFilter(since: base + 3_600_000 * 2, until: base + 3_600_000 * 20),
            OccurrenceFilter(since: base + 100, until: base + 200_000),
            OccurrenceFilter(since: base + 10_000_000),
            OccurrenceFilter(until: base + 10_000_000),
            OccurrenceFilter(registries: ["alphaacr", ""], types: [.unauthorized], hosts: ["h"]),
        ]
        func check() throws {
            for filter in windows {
                // The row path: a scan selection covering everything forces it.
                var rows = filter
                rows.selection = .from(1)
                #expect(store.usesRollup(filter))
                for keys: [GroupKey] in [
                    [.registry, .type], [.registry, .type, .host, .repository, .hour], [.day], [.type, .host],
                ] {
                    #expect(try store.groups(filter, by: keys) == store.groups(rows, by: keys), "\(filter) \(keys)")
                }
                #expect(try store.trend(filter, bucket: .hour) == store.trend(rows, bucket: .hour))
                #expect(try store.trend(filter, bucket: .day) == store.trend(rows, bucket: .day))
                #expect(try store.count(filter) == store.count(rows))
                #expect(
                    try store.span(filter).map { [$0.first, $0.last] } == store.span(rows).map { [$0.first, $0.last] })
            }
        }
        try check()
        // A replacement (reclassify) and a prune count their hours again.
        try store.stage(Array(batch.prefix(100)), file: a)
        var final = a
        final.matcherVersion = Matcher.version
        _ = try store.replace(file: final, now: 2)
        try check()
        _ = try store.prune(PruneRequest(before: base + 50_000_000, vacuum: false))
        try check()
        #expect(
            try store.db.integer("SELECT sum(count) FROM rollup") == store.db.integer("SELECT count(*) FROM failures"))
    }

    @Test("a repeated line is stored once: bytes per occurrence at most a quarter of schema 3's 307")
    func repeatedLineBytes() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        let record = try insertedRecord(store, head: Array("x".utf8))
        // The bytes of an empty database (a page per table and index) are not per occurrence.
        let empty = try store.db.integer("PRAGMA page_count").map { Int($0) * 32768 } ?? 0
        let excerpt =
            "time=\"2026-11-20T03:14:15.123456789Z\" level=error msg=\"Handler for POST /v1.47/images/create returned error: Head \\\"https://contosoprod.azurecr.io/v2/web/manifests/1.4.2\\\": unauthorized: authentication required\""
        let n = 60_000
        for start in stride(from: 0, to: n, by: 15_000) {
            let batch = (start..<(start + 15_000)).map { i in
                Occurrence(
                    type: .unauthorized, registry: "contosoprod", loginServer: "contosoprod.azurecr.io",
                    timestamp: 1_795_000_000_000,
                    line: i + 1, offset: Int64(i) * 330, producer: .dockerd, status: 401, repository: "web",
                    excerpt: excerpt)
            }
            try store.commit(batch, file: record, now: 1)
        }
        store.close()
        let path = scratch.path("test.db")
        let bytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        let perOccurrence = Double(bytes - empty) / Double(n)
        #expect(perOccurrence <= 307.0 / 4, "\(perOccurrence) bytes per occurrence")
        let reader = try Store(path: path, readOnly: true)
        #expect(try reader.db.integer("SELECT count(*) FROM excerpts") == 1)
        #expect(try reader.count(OccurrenceFilter()) == n)
    }

    /// A candidate of template `t` at `offset`.
    static func candidate(_ t: Int, at offset: Int64, ts: Int64? = 1_795_000_000_000) -> UnknownCandidate {
        let excerpt = "Error: registry shape \(t) refused token for contoso\(offset).azurecr.io"
        return UnknownCandidate(
            template: "Error: registry shape \(t) refused token for <*>", registry: "contoso", timestamp: ts,
            line: Int(offset / 10) + 1, offset: offset, producer: .plain, excerpt: excerpt)
    }

    @Test(
        "unknown candidates count once per file and offset: re-reading, --full and merging twice add nothing; examples stay at three"
    )
    func unknownsIdempotent() throws {
        let scratch = try Scratch()
        let store = try scratch.store("host.db")
        let record = try insertedRecord(store, head: Array("u".utf8))
        let candidates = (0..<10).map { Self.candidate($0 % 2, at: Int64($0) * 100) }
        try store.commit([], unknowns: candidates, file: record, now: 1)
        try store.commit([], unknowns: candidates, file: record, now: 2)  // read again: nothing more
        try store.commit([], unknowns: Array(candidates.prefix(4)), file: record, now: 3)
        #expect(try store.unknownTotals(OccurrenceFilter()) == (10, 2))
        let listed = try store.unknowns(OccurrenceFilter())
        #expect(listed.map(\.count) == [5, 5])
        #expect(listed.allSatisfy { $0.examples.count == Store.examplesPerTemplate })
        #expect(listed.allSatisfy { $0.hosts == ["h"] })
        store.close()

        let fleet = try scratch.store("fleet.db")
        _ = try fleet.merge(from: scratch.path("host.db"))
        _ = try fleet.merge(from: scratch.path("host.db"))
        #expect(try fleet.unknownTotals(OccurrenceFilter()) == (10, 2))
        #expect(try fleet.unknowns(OccurrenceFilter()).allSatisfy { $0.examples.count == Store.examplesPerTemplate })
        #expect(try fleet.unknownTotals(OccurrenceFilter(host: "other")) == (0, 0))
    }

    /// Every stored example, without row ids: template, host, source, line, offset, time, excerpt.
    static func examples(_ store: Store) throws -> [String] {
        let stmt = try store.db.prepare(
            """
            SELECT e.template_key, f.host, e.source, e.line, e.offset, ifnull(e.ts, ''), e.excerpt
                FROM unknown_examples e JOIN files f ON f.id = e.file_id ORDER BY 1, 2, 3, 4, 5
            """)
        var rows: [String] = []
        while try stmt.step() { rows.append((0..<7).map { stmt.text(Int32($0)) ?? "" }.joined(separator: " ")) }
        return rows
    }

    @Test(
        "the examples kept are each template's smallest by (source, line): the same whatever order files, batches and merges come in, and again after a re-read"
    )
    func unknownExamplesDeterministic() throws {
        let scratch = try Scratch()
        // Two files of two templates, each read in two batches; the file read at lower offsets
        // has the later path, so the order of commits, not the rule, decided before.
        func batch(_ range: Range<Int>) -> [UnknownCandidate] {
            range.map { Self.candidate($0 % 2, at: Int64($0) * 100) }
        }
        let late = (path: "/var/log/z.log", head: "late", batches: [batch(0..<6), batch(6..<12)])
        let early = (path: "/var/log/a.log", head: "early", batches: [batch(20..<26), batch(26..<32)])
        let orders: [[(file: Int, batch: Int)]] = [
            [(0, 0), (0, 1), (1, 0), (1, 1)], [(1, 0), (1, 1), (0, 0), (0, 1)],
            [(0, 0), (1, 0), (0, 1), (1, 1)], [(1, 0), (0, 0), (1, 1), (0, 1)],
        ]
        var listings: [[UnknownTemplate]] = []
        var tables: [[String]] = []
        for (n, order) in orders.enumerated() {
            let store = try scratch.store("order\(n).db")
            let records = try [late, early].map {
                try insertedRecord(store, head: Array($0.head.utf8), path: $0.path)
            }
            for step in order {
                let file = [late, early][step.file]
                try store.commit([], unknowns: file.batches[step.batch], file: records[step.file], now: 1)
            }
            listings.append(try store.unknowns(OccurrenceFilter()))
            tables.append(try Self.examples(store))
            // Read again (`--full`): nothing changes.
            for step in order {
                try store.commit(
                    [], unknowns: [late, early][step.file].batches[step.batch], file: records[step.file], now: 2)
            }
            #expect(try store.unknowns(OccurrenceFilter()) == listings[n])
            #expect(try Self.examples(store) == tables[n])
        }
        #expect(listings.allSatisfy { $0 == listings[0] })
        #expect(tables.allSatisfy { $0 == tables[0] })
        #expect(listings[0].map(\.count) == [12, 12])
        for template in listings[0] {
            #expect(template.examples.map(\.source) == Array(repeating: "/var/log/a.log", count: 3))
        }
        // Template 0 at offsets 2000, 2200, 2400 (lines 201, 221, 241), template 1 100 bytes on.
        #expect(Set(listings[0].map { $0.examples.map(\.line) }) == [[201, 221, 241], [211, 231, 251]])

        // Per-host databases merged in either order, or twice, keep the same examples as one
        // database that read both files.
        var hostStores: [String] = []
        let both = try scratch.store("both.db")
        for (i, file) in [late, early].enumerated() {
            let name = "host\(i).db"
            let store = try scratch.store(name)
            let record = try insertedRecord(store, host: "h\(i)", head: Array(file.head.utf8), path: file.path)
            let shared = try insertedRecord(both, host: "h\(i)", head: Array(file.head.utf8), path: file.path)
            for batch in file.batches {
                try store.commit([], unknowns: batch, file: record, now: 1)
                try both.commit([], unknowns: batch, file: shared, now: 1)
            }
            store.close()
            hostStores.append(scratch.path(name))
        }
        let expected = try both.unknowns(OccurrenceFilter())
        #expect(expected.allSatisfy { $0.examples.allSatisfy { $0.source == "/var/log/a.log" && $0.host == "h1" } })
        for (n, inputs) in [[0, 1], [1, 0], [0, 1, 0, 1]].enumerated() {
            let fleet = try scratch.store("fleet\(n).db")
            for i in inputs { _ = try fleet.merge(from: hostStores[i]) }
            #expect(try fleet.unknowns(OccurrenceFilter()) == expected, "merge order \(inputs)")
        }
    }

    @Test("a replacement (--reclassify) drops the file's candidates and collects them again")
    func unknownsReclassified() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        let record = try insertedRecord(store, head: Array("r".utf8))
        try store.commit(
            [], unknowns: (0..<6).map { Self.candidate($0 % 3, at: Int64($0) * 100) }, file: record, now: 1)
        #expect(try store.unknownTotals(OccurrenceFilter()) == (6, 3))
        // The new rules count template 0 and 1: only template 2's candidates are collected again.
        try store.stage([], unknowns: [Self.candidate(2, at: 200), Self.candidate(2, at: 500)], file: record)
        _ = try store.replace(file: record, now: 2)
        #expect(try store.unknownTotals(OccurrenceFilter()) == (2, 1))
        #expect(
            try store.unknowns(OccurrenceFilter()).first?.template == "Error: registry shape 2 refused token for <*>")
    }

    @Test("templates are capped per database: candidates of templates past the cap are not stored")
    func templateCap() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        let record = try insertedRecord(store, head: Array("c".utf8))
        let many = (0..<(Store.maxTemplates + 50)).map { Self.candidate($0, at: Int64($0) * 10) }
        try store.commit([], unknowns: many, file: record, now: 1)
        #expect(try store.db.integer("SELECT count(*) FROM unknown_templates") == Int64(Store.maxTemplates))
        #expect(try store.db.integer("SELECT count(*) FROM unknown_examples") == Int64(Store.maxTemplates))
    }
}
