import Foundation
import LogModel
import LogScanner
import LogStore
import Testing

/// The store on a fresh temporary database: creation, commits, identity, queries.
@Suite struct StoreBasicsTests {
    let path: String

    init() {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("acrscan-store-\(UUID().uuidString).db").path
    }

    func occurrence(_ type: ErrorType, registry: String?, at second: Int64, offset: Int64) -> Occurrence {
        Occurrence(
            type: type, registry: registry, timestamp: 1_795_000_000_000 + second * 1000, line: Int(offset / 10) + 1,
            offset: offset, producer: .dockerd, excerpt: "excerpt \(offset)")
    }

    @Test("a new file becomes a database of the current schema with the documented view")
    func creates() throws {
        let store = try Store(path: path)
        #expect(try store.groups(OccurrenceFilter(), by: [.registry, .type]).isEmpty)
        let reopened = try Store(path: path, readOnly: true)
        #expect(reopened.path == path)
    }

    @Test("committing the same occurrences twice stores them once; the file position is kept")
    func idempotentCommit() throws {
        let store = try Store(path: path)
        let prefix = Array("first bytes of a log file\n".utf8)
        var record = prefix.withUnsafeBytes {
            FileRecord(host: "h", fingerprint: Fingerprint(prefix: $0), path: "/var/log/a.log")
        }
        try store.insert(&record, now: 1)
        record.position = ScanPosition(offset: 100, lines: 10)
        let batch = [
            occurrence(.unauthorized, registry: "myacr", at: 0, offset: 0),
            occurrence(.accessDenied, registry: nil, at: 5, offset: 50),
        ]
        #expect(try store.commit(batch, file: record, now: 1) == 2)
        #expect(try store.commit(batch, file: record, now: 2) == 0)
        let found = try store.files(host: "h", head: prefix).first
        #expect(found?.position.offset == 100)
        #expect(found?.fileKey == record.fileKey)
        #expect(try store.files(host: "other", head: prefix).isEmpty)
    }

    @Test("a file that was short and grew is still recognised")
    func grownFile() throws {
        let store = try Store(path: path)
        let short = Array("short\n".utf8)
        var record = short.withUnsafeBytes { FileRecord(host: "h", fingerprint: Fingerprint(prefix: $0), path: "a") }
        try store.insert(&record, now: 1)
        let grown = short + Array(repeating: UInt8(ascii: "x"), count: 2000)
        let found = try store.files(host: "h", head: grown).first
        #expect(found?.id == record.id)
    }

    @Test("groups, trend and occurrences honour the filters")
    func queries() throws {
        let store = try Store(path: path)
        var record = Array("log".utf8).withUnsafeBytes {
            FileRecord(host: "h", fingerprint: Fingerprint(prefix: $0), path: "a")
        }
        try store.insert(&record, now: 1)
        try store.commit(
            [
                occurrence(.unauthorized, registry: "one", at: 0, offset: 0),
                occurrence(.unauthorized, registry: "one", at: 90_000, offset: 10),
                occurrence(.accessDenied, registry: nil, at: 10, offset: 20),
            ], file: record, now: 1)
        let all = try store.groups(OccurrenceFilter(), by: [.registry, .type])
        #expect(all.map(\.count) == [2, 1])
        #expect(all.first?.registry == "one")
        let unknown = try store.groups(OccurrenceFilter(registry: ""), by: [.type])
        #expect(unknown.map(\.type) == [.accessDenied])
        let since = try store.groups(OccurrenceFilter(since: 1_795_000_000_000 + 60_000), by: [.registry])
        #expect(since.map(\.count) == [1])
        #expect(try store.trend(OccurrenceFilter(), bucket: .day).reduce(0) { $0 + $1.count } == 3)
        let timeline = try store.occurrences(OccurrenceFilter(type: .unauthorized))
        #expect(timeline.map(\.occurrence.offset) == [0, 10])
    }

    @Test("a file that is not an SQLite database is refused and left untouched")
    func refusesForeignFile() throws {
        let text = Data("not a database at all, just text that is long enough\n".utf8)
        try text.write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) { _ = try Store(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
    }
}
