import Foundation
import LogModel
import LogScanner
import Testing

@testable import LogStore

#if canImport(Glibc)
import Glibc
#endif

/// The database stamp of docs/hardening.md ("Database"): a writer runs `PRAGMA quick_check` only
/// when the file is not as the last acrscan writer left it.
@Suite struct StampTests {
    /// Opens a writer on `path`, commits one occurrence, closes it; returns whether it checked.
    @discardableResult
    static func write(_ path: String, offset: Int64 = 0, verify: Bool = false) throws -> Bool {
        let store = try Store.writer(path: path, verify: verify) {}
        let checked = store.verified
        var record = try insertedRecord(store, head: Array("head \(offset)".utf8), path: "/l/\(offset).log")
        record.position = ScanPosition(offset: offset + 100, lines: 1)
        try store.commit([occurrence(offset)], file: record, now: 1)
        store.close()
        return checked
    }

    @Test("a new file is not checked; a file as the last writer left it is not checked again; --verify checks")
    func unchangedSkipsTheCheck() throws {
        let scratch = try Scratch()
        let path = scratch.path("a.db")
        #expect(try Self.write(path, offset: 0) == false)  // nothing to check yet
        #expect(try Self.write(path, offset: 100) == false)  // the creating writer stamped it
        #expect(try Self.write(path, offset: 200) == false)
        #expect(try Self.write(path, offset: 300) == false)
        #expect(try Self.write(path, offset: 400, verify: true) == true)
        #expect(try Self.write(path, offset: 500) == false)
        // A reader between two writers changes nothing.
        _ = try Store(path: path, readOnly: true).count(OccurrenceFilter())
        #expect(try Self.write(path, offset: 600) == false)
    }

    @Test(
        "a changed mtime, a copy put in its place (cp -p keeps the mtime, not the inode), a -wal with content, a writer that failed: checked"
    )
    func changesAreChecked() throws {
        let scratch = try Scratch()
        let path = scratch.path("a.db")
        try Self.write(path, offset: 0)
        try Self.write(path, offset: 100)
        #expect(try Self.write(path, offset: 200) == false)

        // The same bytes, an mtime set back by `touch -d`: the ctime and mtime differ from the stamp.
        var times = [timespec(tv_sec: 1_700_000_000, tv_nsec: 0), timespec(tv_sec: 1_700_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        #expect(try Self.write(path, offset: 300) == true)
        #expect(try Self.write(path, offset: 400) == false)

        // A copy with the same size and mtime renamed over it (what `cp -p` or `rsync -t` to a
        // temporary name and a rename make): another inode.
        let copy = scratch.path("copy.db")
        #expect(FileManager.default.fileExists(atPath: path))
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        var info = stat()
        #expect(stat(path, &info) == 0)
        var same = [info.st_atim, info.st_mtim]
        #expect(utimensat(AT_FDCWD, copy, &same, 0) == 0)
        #expect(rename(copy, path) == 0)
        #expect(try Self.write(path, offset: 500) == true)
        #expect(try Self.write(path, offset: 600) == false)

        // A write-ahead log with content that no writer of acrscan left (a crash, another program).
        let other = try Store(path: path)
        try other.db.execute(
            "PRAGMA wal_autocheckpoint = 0; CREATE TABLE scratch_note (x); INSERT INTO scratch_note VALUES (1)")
        var wal = stat()
        #expect(stat(path + "-wal", &wal) == 0 && wal.st_size > 0)
        #expect(try Self.write(path, offset: 700) == true)
        other.db.close()

        // A writer whose SQLite call failed records no stamp: the next one checks.
        let failing = try Store.writer(path: path) {}
        #expect(throws: StoreError.self) {
            try failing.guarded { try failing.db.execute("SELECT * FROM no_such_table") }
        }
        failing.close()
        #expect(try Self.write(path, offset: 800) == true)
        #expect(try Self.write(path, offset: 900) == false)
    }

    @Test("damage is refused by the check, with SQLite's first message, and the file is left as it was")
    func damageIsRefused() throws {
        let scratch = try Scratch()
        let path = scratch.path("a.db")
        let store = try Store.writer(path: path) {}
        var record = try insertedRecord(store, head: Array("head".utf8))
        record.position = ScanPosition(offset: 4_000_000, lines: 40_000)
        try store.commit((0..<4_000).map { occurrence(Int64($0) * 100) }, file: record, now: 1)
        store.close()
        var info = stat()
        #expect(stat(path, &info) == 0)
        let pages = Int(info.st_size) / 32768
        #expect(pages >= 4, "\(pages) pages")
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: UInt64(pages / 2) * 32768)
        try handle.write(contentsOf: Data(repeating: 0xFF, count: 64))
        try handle.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            _ = try Store.writer(path: path) {}
            Issue.record("a damaged database was opened for writing")
        } catch {
            #expect("\(error)".hasPrefix("\(path): the database is damaged ("), "\(error)")
            #expect("\(error)".hasSuffix("); nothing was written"), "\(error)")
            #expect(!"\(error)".contains("\n"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}
