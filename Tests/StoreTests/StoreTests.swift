import Foundation
import LogModel
import LogScanner
import Testing

@testable import LogStore

/// The store on a temporary database: schema, refusals, commits, lookups, queries, merges.
@Suite struct StoreTests {
    @Test("a new database gets the current schema, the application id and the documented view")
    func create() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        #expect(try store.db.integer("PRAGMA user_version") == Int64(Schema.current))
        #expect(try store.db.integer("PRAGMA application_id") == Int64(Schema.applicationID))
        #expect(try store.db.integer("SELECT count(*) FROM occurrences") == 0)
        #expect(store.version == Schema.current)
    }

    @Test(
        "SQLite's page cache and the decoders' windows share 24 MiB: 16 MiB of cache, 8 once a 16 MiB window was needed"
    )
    func pageCacheShare() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        // Negative: KiB. Nothing decoded in this test: the cache has its 16 MiB.
        try store.sizePageCache(decoders: 0)
        #expect(try store.db.integer("PRAGMA cache_size") == -16384)
        // zstd -19 (an 8 MiB window and its blocks): still 16 MiB.
        try store.sizePageCache(decoders: 8 << 20)
        #expect(try store.db.integer("PRAGMA cache_size") == -16384)
        // zstd --long=24: what ZstdDecoder reserves for a 16 MiB window leaves the cache 8 MiB.
        try store.sizePageCache(decoders: (16 << 20) + 3 * (128 << 10))
        #expect(try store.db.integer("PRAGMA cache_size") == -8192)
        #expect(Store.pageCacheKiB(decoders: 12 << 20) == 12288)
        #expect(Store.pageCacheKiB(decoders: 24 << 20) == 8192)
    }

    @Test("a schema-1 database migrates forward and keeps its rows")
    func migrate() throws {
        let scratch = try Scratch()
        let path = scratch.path("v1.db")
        do {
            let db = try Connection(path: path, flags: 0x06)  // READWRITE | CREATE
            try db.execute(Schema.migrations[0])
            try db.execute("PRAGMA application_id = \(Schema.applicationID); PRAGMA user_version = 1")
            try db.execute(
                """
                INSERT INTO files (host, file_key, fingerprint, fp_length, path, scanned_offset, matcher_version, first_scanned, last_scanned)
                VALUES ('h', 'k', 'k', 10, '/x', 10, 1, 1, 1);
                INSERT INTO failures (host, file_key, offset, source, type, line, line_end, producer, excerpt, matcher_version)
                VALUES ('h', 'k', 0, '/x', 'unauthorized', 1, 1, 'plain', 'e', 1);
                """)
        }
        let store = try Store(path: path)
        #expect(store.version == Schema.current)
        #expect(try store.db.integer("SELECT count(*) FROM occurrences") == 1)
        #expect(try store.db.integer("SELECT anchor_offset FROM files") == 0)
        #expect(try store.db.integer("SELECT count(*) FROM compressed_files") == 0)
    }

    @Test(
        "a text file, another program's SQLite file and a newer acrscan database are refused, byte for byte untouched")
    func refusals() throws {
        let scratch = try Scratch()
        let text = try scratch.write("notes.db", Array("my notes\n".utf8))
        #expect(throws: StoreError.self) { try Store(path: text) }

        let foreign = scratch.path("other.db")
        do {
            let db = try Connection(path: foreign, flags: 0x06)
            try db.execute("CREATE TABLE t (x); INSERT INTO t VALUES (1)")
        }
        let newer = scratch.path("newer.db")
        do {
            _ = try Store(path: newer)
            let db = try Connection(path: newer, flags: 0x02)
            try db.execute("PRAGMA journal_mode = DELETE; PRAGMA user_version = 99")
        }
        for (name, expected) in [
            ("notes.db", "not an acrscan database"), ("other.db", "not an acrscan one"), ("newer.db", "newer acrscan"),
        ] {
            let before = try scratch.bytes(name)
            for readOnly in [false, true] {
                do {
                    _ = try Store(path: scratch.path(name), readOnly: readOnly)
                    Issue.record("\(name) was opened")
                } catch {
                    #expect(error.description.contains(expected), "\(error)")
                    #expect(error.description.contains(scratch.path(name)))
                }
            }
            #expect(throws: StoreError.self) { try Store.writer(path: scratch.path(name)) {} }
            #expect(try scratch.bytes(name) == before)
            #expect(!FileManager.default.fileExists(atPath: scratch.path(name) + ".lock"))
        }
    }

    @Test("committing the same batch twice stores it once; nothing is left open")
    func commitIdempotent() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        var record = try insertedRecord(store, head: Array("hello".utf8))
        record.position = ScanPosition(offset: 300, lines: 3)
        let batch = [occurrence(0), occurrence(100), occurrence(200)]
        #expect(try store.commit(batch, file: record, now: 2) == 3)
        #expect(try store.commit(batch, file: record, now: 3) == 0)
        #expect(try store.db.integer("SELECT count(*) FROM failures") == 3)
        #expect(try store.db.integer("SELECT scanned_offset FROM files") == 300)
        #expect(store.db.busyStatements == 0)
    }

    @Test("a file that was short when first seen is found again once it has grown past 1 KiB")
    func grownShortFile() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        let short = Array(repeating: UInt8(ascii: "a"), count: 300)
        let record = try insertedRecord(store, head: short)
        let grown = short + Array(repeating: UInt8(ascii: "b"), count: 724)
        #expect(try store.files(host: "h", head: grown).map(\.id) == [record.id])
        #expect(try store.files(host: "other", head: grown).isEmpty)
        var different = grown
        different[10] = UInt8(ascii: "x")
        #expect(try store.files(host: "h", head: different).isEmpty)
        #expect(store.db.busyStatements == 0)
    }

    @Test("records with the same beginning get distinct keys, and come back largest anchor first")
    func generations() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        let head = Array(repeating: UInt8(ascii: "x"), count: 1024)
        var first = try insertedRecord(store, head: head)
        var second = try insertedRecord(store, head: head)
        #expect(first.fileKey != second.fileKey)
        #expect(second.fileKey.hasSuffix("-2"))
        first.anchor = ResumeCheck(offset: 5000, hash: "a")
        second.anchor = ResumeCheck(offset: 2000, hash: "b")
        try store.commit([], file: first, now: 2)
        try store.commit([], file: second, now: 2)
        #expect(try store.files(host: "h", head: head).map(\.anchor?.offset) == [5000, 2000])
    }

    @Test("a gzip file read to its end is found by its compressed identity")
    func compressedIdentity() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        let record = try insertedRecord(store, head: Array("log".utf8))
        let identity = CompressedIdentity(hash: "0123456789abcdef", size: 42)
        #expect(try store.file(host: "h", compressed: identity) == nil)
        try store.commit([], file: record, compressed: identity, now: 2)
        #expect(try store.file(host: "h", compressed: identity)?.fileKey == record.fileKey)
        #expect(try store.file(host: "h", compressed: CompressedIdentity(hash: identity.hash, size: 43)) == nil)
    }

    @Test("replacing a file's occurrences swaps them in one step and leaves other files alone")
    func replace() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        let a = try insertedRecord(store, head: Array("a".utf8))
        let b = try insertedRecord(store, head: Array("b".utf8))
        try store.commit([occurrence(0), occurrence(100), occurrence(900)], file: a, now: 2)
        try store.commit([occurrence(0)], file: b, now: 2)
        var replaced = a
        replaced.matcherVersion = Matcher.version + 1
        try store.stage([occurrence(0), occurrence(150)], file: replaced)
        #expect(try store.db.integer("SELECT count(*) FROM failures") == 4)  // staged rows are out of sight
        let (removed, added) = try store.replace(file: replaced, now: 3)
        #expect(removed == 3 && added == 2)
        #expect(try store.db.integer("SELECT count(*) FROM occurrences WHERE file_key = '\(a.fileKey)'") == 2)
        #expect(try store.db.integer("SELECT count(*) FROM occurrences WHERE file_key = '\(b.fileKey)'") == 1)
        #expect(
            try store.db.integer("SELECT matcher_version FROM files WHERE id = \(a.id!)") == Int64(Matcher.version + 1))
        #expect(try store.db.integer("SELECT count(*) FROM temp.staged_failures") == 0)
        #expect(store.db.busyStatements == 0)
    }

    @Test("queries bind their filters: registry, unknown registry, type, host, time window")
    func queries() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        let day: Int64 = 86_400_000
        let h1 = try insertedRecord(store, host: "h1", head: Array("1".utf8))
        let h2 = try insertedRecord(store, host: "h2", head: Array("2".utf8))
        try store.commit(
            [
                occurrence(0, registry: "alpha", ts: day), occurrence(1, registry: "alpha", ts: 2 * day),
                occurrence(2, type: .accessDenied, registry: "beta", ts: 3 * day),
                occurrence(3, registry: nil, ts: nil),
            ],
            file: h1, now: 1)
        try store.commit([occurrence(0, registry: "alpha' OR '1'='1", ts: day)], file: h2, now: 1)

        #expect(try store.groups(OccurrenceFilter(), by: []).first?.count == 5)
        #expect(try store.groups(OccurrenceFilter(registry: "alpha"), by: [.registry]).map(\.count) == [2])
        #expect(try store.groups(OccurrenceFilter(registry: ""), by: [.registry]).map(\.count) == [1])
        #expect(try store.groups(OccurrenceFilter(registry: "alpha' OR '1'='1"), by: [.host]).map(\.host) == ["h2"])
        #expect(try store.groups(OccurrenceFilter(type: .accessDenied), by: [.type]).map(\.type) == [.accessDenied])
        #expect(try store.groups(OccurrenceFilter(host: "h2"), by: []).first?.count == 1)
        #expect(try store.groups(OccurrenceFilter(since: 2 * day, until: 3 * day), by: []).first?.count == 1)
        let rows = try store.occurrences(OccurrenceFilter(host: "h1"))
        #expect(rows.map(\.occurrence.offset) == [0, 1, 2, 3])  // unknown time last
        #expect(try store.span(OccurrenceFilter(host: "h1"))?.first == day)
        #expect(try store.trend(OccurrenceFilter(), bucket: .day).count == 4)
        #expect(store.db.busyStatements == 0)
    }

    @Test("merging the same database twice adds nothing; file records merge to the furthest position")
    func mergeTwice() throws {
        let scratch = try Scratch()
        do {
            let a = try scratch.store("a.db")
            var record = try insertedRecord(a, host: "web-1", head: Array("a".utf8))
            record.position = ScanPosition(offset: 200, lines: 2)
            try a.commit(
                [occurrence(0), occurrence(100)], file: record, compressed: CompressedIdentity(hash: "c", size: 9),
                now: 2)
            let b = try scratch.store("b.db")
            var other = try insertedRecord(b, host: "web-1", head: Array("a".utf8))
            other.position = ScanPosition(offset: 500, lines: 5)
            try b.commit([occurrence(0), occurrence(100), occurrence(400)], file: other, now: 2)
        }
        let fleet = try scratch.store("fleet.db")
        for path in ["a.db", "b.db"] { try Store.checkMergeable(path: scratch.path(path)) }
        let first = try fleet.merge(from: scratch.path("a.db"))
        #expect(first.added == 2 && first.occurrences == 2 && first.files == 1)
        #expect(try fleet.merge(from: scratch.path("b.db")).added == 1)
        #expect(try fleet.merge(from: scratch.path("a.db")).added == 0)
        #expect(try fleet.merge(from: scratch.path("b.db")).added == 0)
        #expect(try fleet.db.integer("SELECT count(*) FROM failures") == 3)
        #expect(try fleet.db.integer("SELECT count(*) FROM files") == 1)
        #expect(try fleet.db.integer("SELECT scanned_offset FROM files") == 500)
        #expect(try fleet.db.integer("SELECT count(*) FROM compressed_files") == 1)
        #expect(fleet.db.busyStatements == 0)
    }

    @Test("a schema-1 database merges into a current one; its files get no anchor")
    func mergeOldSchema() throws {
        let scratch = try Scratch()
        do {
            let db = try Connection(path: scratch.path("v1.db"), flags: 0x06)
            try db.execute(Schema.migrations[0])
            try db.execute("PRAGMA application_id = \(Schema.applicationID); PRAGMA user_version = 1")
            try db.execute(
                """
                INSERT INTO files (host, file_key, fingerprint, fp_length, path, scanned_offset, matcher_version, first_scanned, last_scanned)
                VALUES ('old', 'k', 'k', 10, '/x', 10, 1, 1, 1);
                INSERT INTO failures (host, file_key, offset, source, type, line, line_end, producer, excerpt, matcher_version)
                VALUES ('old', 'k', 0, '/x', 'unauthorized', 1, 1, 'plain', 'e', 1);
                """)
        }
        try Store.checkMergeable(path: scratch.path("v1.db"))
        let fleet = try scratch.store("fleet.db")
        #expect(try fleet.merge(from: scratch.path("v1.db")).added == 1)
        #expect(try fleet.db.integer("SELECT count(*) FROM files WHERE anchor_hash IS NULL AND anchor_offset = 0") == 1)
        #expect(try fleet.merge(from: scratch.path("v1.db")).added == 0)
    }

    @Test("merge refuses missing, empty and foreign inputs, naming them")
    func mergeRefusals() throws {
        let scratch = try Scratch()
        let empty = try scratch.write("empty.db", [])
        let text = try scratch.write("text.db", Array("hello".utf8))
        for path in [scratch.path("missing.db"), empty, text] {
            do {
                try Store.checkMergeable(path: path)
                Issue.record("\(path) accepted")
            } catch {
                #expect(error.description.hasPrefix(path))
            }
        }
        #expect(try scratch.bytes("empty.db").isEmpty)
    }

    @Test("a second writer waits for the lock; the lock goes with the store")
    func writerLock() throws {
        let scratch = try Scratch()
        let path = scratch.path("locked.db")
        var store: Store? = try Store.writer(path: path) { Issue.record("waited on a free lock") }
        let waited = Flag()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? Store.writer(path: path) { waited.set() }
            done.signal()
        }
        // Wait (up to 10 s on a busy machine) until the second writer says it is waiting; it must
        // not get through while the first store is open.
        for _ in 0..<1000 where !waited.value { usleep(10_000) }
        #expect(waited.value)
        #expect(done.wait(timeout: .now() + 0.2) == .timedOut)
        _ = store
        store = nil
        #expect(done.wait(timeout: .now() + 10) == .success)
    }
}

/// A flag set from another thread.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var isSet = false
    func set() { lock.withLock { isSet = true } }
    var value: Bool { lock.withLock { isSet } }
}

/// The list filters of `report`, `timeline` and `export` (issue 12), parsed as users write them.
@Suite struct FilterArgumentTests {
    @Test(
        "registry names and login servers read as the stored name",
        arguments: [
            ("myacr1", "myacr1"), ("MyACR1", "myacr1"), ("myacr1.azurecr.io", "myacr1"),
            ("MYACR1.AzureCR.io", "myacr1"),
            ("https://myacr1.azurecr.io/v2/", "myacr1"), ("myacr1.azurecr.io:443", "myacr1"),
            ("myacr1.eastus.data.azurecr.io", "myacr1"),
            ("myacr1.azurecr.cn", "myacr1"), ("myacr1.azurecr.us", "myacr1"), ("unknown", ""), ("(unknown)", ""),
        ])
    func registry(text: String, name: String) throws {
        #expect(try FilterArgument.registries(text) == [name])
    }

    @Test(
        "lists, and values that could match nothing",
        arguments: ["docker.io", "ghcr.io/org", "ab", "a,,b", "", "my-acr1", "myacr1.example.com"])
    func rejected(text: String) {
        #expect(throws: FilterArgumentError.self) { try FilterArgument.registries(text) }
    }

    @Test("lists of registries, types and hosts select any of them")
    func lists() throws {
        #expect(try FilterArgument.registries("alpha1, beta2.azurecr.io,unknown") == ["alpha1", "beta2", ""])
        #expect(try FilterArgument.types("unauthorized,access-denied") == [.unauthorized, .accessDenied])
        #expect(throws: FilterArgumentError.self) { try FilterArgument.types("unauthorized,nope") }
        #expect(try FilterArgument.hosts("web-1,web-2") == ["web-1", "web-2"])
        let filter = OccurrenceFilter(registries: ["b", "a", "b"], types: [.unauthorized], hosts: ["h"])
        #expect(filter.registries == ["b", "a"])
        #expect(filter.registry == nil && filter.type == .unauthorized && filter.host == "h")
    }

    @Test("a filter of several values and the unknown registry is one bound SQL condition, and selects any of them")
    func sql() throws {
        let sql = OccurrenceFilter(
            registries: ["alpha", "", "beta"], types: [.unauthorized, .accessDenied], hosts: ["h1", "h2"]
        ).sql
        #expect(sql.clause == " WHERE (registry IN (?, ?) OR registry IS NULL) AND type IN (?, ?) AND host IN (?, ?)")
        #expect(sql.values.count == 6)

        let scratch = try Scratch()
        let store = try scratch.store()
        let h1 = try insertedRecord(store, host: "h1", head: Array("1".utf8))
        let h2 = try insertedRecord(store, host: "h2", head: Array("2".utf8))
        try store.commit(
            [
                occurrence(0, registry: "alpha"), occurrence(1, registry: "beta"),
                occurrence(2, type: .accessDenied, registry: "gamma"),
                occurrence(3, registry: nil),
            ], file: h1, now: 1)
        try store.commit([occurrence(0, registry: "alpha")], file: h2, now: 1)
        func count(_ filter: OccurrenceFilter) throws -> Int { try store.groups(filter, by: []).first?.count ?? 0 }
        #expect(try count(OccurrenceFilter(registries: ["alpha", "beta"])) == 3)
        #expect(try count(OccurrenceFilter(registries: ["alpha", ""])) == 3)
        #expect(try count(OccurrenceFilter(registries: ["alpha"], hosts: ["h1", "h2"])) == 2)
        #expect(try count(OccurrenceFilter(registries: [], types: [.unauthorized, .accessDenied], hosts: ["h1"])) == 4)
    }
}
