import Foundation
import LogModel
import Testing

@testable import LogStore

/// A new database is created by one script of the current schema (`Schema.fresh`), an existing
/// one is taken through its migrations: both must end the same, whatever version a file had.
@Suite struct FreshSchemaTests {
    /// Every object of `sqlite_master` (type, name, table and its SQL), by name; and the pragmas
    /// a file keeps.
    static func shape(_ path: String) throws -> [String] {
        let db = try Connection(path: path, flags: 0x01)
        let stmt = try db.prepare("SELECT type, name, tbl_name, ifnull(sql, '-') FROM sqlite_master ORDER BY name")
        var out: [String] = []
        while try stmt.step() {
            out.append([0, 1, 2, 3].map { stmt.text(Int32($0)) ?? "" }.joined(separator: " | "))
        }
        for pragma in ["page_size", "application_id", "user_version", "auto_vacuum"] {
            out.append("\(pragma) \(try db.integer("PRAGMA \(pragma)") ?? -1)")
        }
        let mode = try db.prepare("PRAGMA journal_mode")
        _ = try mode.step()
        out.append("journal_mode \(mode.text(0) ?? "")")
        let encoding = try db.prepare("PRAGMA encoding")
        _ = try encoding.step()
        out.append("encoding \(encoding.text(0) ?? "")")
        return out
    }

    /// A file as a previous release left it at schema `version`: 32 KiB pages, WAL, migrations
    /// 1 to `version` in turn, each committed with its version.
    static func old(_ path: String, version: Int) throws {
        let db = try Connection(path: path, flags: 0x02 | 0x04)
        try db.execute("PRAGMA page_size = 32768; PRAGMA journal_mode = WAL")
        for index in 0..<version {
            try db.execute(
                "BEGIN; \(Schema.migrations[index]); PRAGMA application_id = \(Schema.applicationID); "
                    + "PRAGMA user_version = \(index + 1); COMMIT")
        }
    }

    @Test(
        "a new database's file is an empty WAL database of 32 KiB pages before anything is checkpointed; its schema is in the WAL, and in the file after the close"
    )
    func createdInWAL() throws {
        let scratch = try Scratch()
        let store = try scratch.store("new.db")
        // The file as it is on disk while the store is open: its first page only (the switch to
        // WAL, synced at creation), header bytes 16-17 the page size, 18-19 the WAL format.
        let open = try scratch.bytes("new.db")
        #expect(open.count == 32768)
        #expect(Array(open.prefix(16)) == Array("SQLite format 3\0".utf8))
        #expect(open[16] == 0x80 && open[17] == 0x00)
        #expect(open[18] == 2 && open[19] == 2)
        #expect(try scratch.bytes("new.db-wal").count > 32768)
        #expect(store.version == Schema.current)
        _ = store.close()
        #expect(!FileManager.default.fileExists(atPath: scratch.path("new.db-wal")))
        #expect(try Self.shape(scratch.path("new.db")).contains("user_version \(Schema.current)"))
    }

    @Test("a new database has the sqlite_master and pragmas of one migrated from each earlier schema")
    func freshEqualsMigrated() throws {
        let scratch = try Scratch()
        let fresh = try scratch.store("fresh.db")
        #expect(fresh.version == Schema.current)
        // The creation's in-memory statement journals are not left on for the scan.
        #expect(try fresh.db.integer("PRAGMA temp_store") == 0)
        _ = fresh.close()
        let expected = try Self.shape(scratch.path("fresh.db"))
        #expect(expected.contains("user_version \(Schema.current)"))
        #expect(expected.contains("page_size 32768"))
        #expect(expected.contains { $0.hasPrefix("view | occurrences | occurrences | CREATE VIEW") })

        for version in 1..<Schema.current {
            let path = scratch.path("v\(version).db")
            try Self.old(path, version: version)
            #expect(try Self.shape(path).contains("user_version \(version)"))
            let store = try Store(path: path)
            #expect(store.version == Schema.current)
            _ = store.close()
            #expect(try Self.shape(path) == expected, "migrated from schema \(version)")
        }
    }
}
