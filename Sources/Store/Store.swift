import CSQLite
import Dispatch
import LogModel
import LogScanner

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the store could not be used. Every case names the database file.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// The file exists but is not an SQLite database.
    case notADatabase(path: String)
    /// An SQLite database, but not one of acrscan's.
    case foreignDatabase(path: String)
    /// An acrscan database written by a newer version.
    case newerSchema(path: String, version: Int, supported: Int)
    /// The path is a directory.
    case isDirectory(path: String)
    /// The lock file beside the database could not be created or locked.
    case lock(path: String, reason: String)
    /// The database file does not exist (where it is only read).
    case missing(path: String)
    /// SQLite failed.
    case sqlite(path: String, SQLiteError)
    /// `PRAGMA quick_check` found damage (SQLite's first message) before anything was written.
    case damaged(path: String, reason: String)

    /// A one-line message for the user.
    public var description: String {
        switch self {
        case .notADatabase(let path):
            "\(path): not an acrscan database (not an SQLite file); left untouched"
        case .foreignDatabase(let path):
            "\(path): an SQLite database, but not an acrscan one; left untouched"
        case .newerSchema(let path, let version, let supported):
            "\(path): written by a newer acrscan (schema \(version), this one reads up to \(supported)); left untouched"
        case .isDirectory(let path):
            "\(path): is a directory, not a database file"
        case .lock(let path, let reason):
            "\(path): cannot lock the database for writing: \(reason)"
        case .missing(let path):
            "\(path): no such database file (create it with 'acrscan scan')"
        case .sqlite(let path, let error):
            "\(path): \(error)"
        case .damaged(let path, let reason):
            "\(path): the database is damaged (\(reason)); nothing was written"
        }
    }
}

/// The SQLite store of occurrences (docs/schema.md): opened or created, checked, migrated.
///
/// Not thread-safe: one owner at a time (the sweep serialises its writers).
public final class Store {
    /// The KiB of SQLite's page cache on a writer's connection when the decoders have reserved
    /// `decoders` bytes at most (`DecoderBudget.mostReserved`): the cache and the decoders' windows
    /// share 24 MiB, the cache taking 8 to 16 MiB. A zstd window of 16 MiB (`--long=24`) leaves the
    /// cache 8 MiB for the rest of the process, which keeps a failure-dense scan of such files under
    /// SPEC's 64 MiB; plain text and windows up to 8 MiB keep 16 MiB, at which storing into a large
    /// database costs about 20% less CPU (docs/hardening.md, "Bounded").
    static func pageCacheKiB(decoders: Int) -> Int {
        max(8192, min(16384, (24 << 10) - decoders / 1024))
    }
    /// The page cache set on `db` now, in KiB (0 before `checkAndMigrate`).
    var pageCacheKiB = 0

    /// The database file.
    public let path: String
    private(set) var db: Connection
    /// The schema version of the file as opened (after migration, unless opened read-only); 0 for
    /// a file that holds no acrscan schema yet.
    public private(set) var version = 0
    /// Whether the file held no schema yet and is read through an empty one in memory.
    public private(set) var schemaless = false
    /// The writer lock, held as long as this store is open (stores opened by `writer`).
    private var lock: WriterLock?
    /// Whether `writer` ran `PRAGMA quick_check` on the file before opening it for writing (it was
    /// not as a writer of acrscan left it, or `verify` was asked for).
    public private(set) var verified = false
    /// Set when an SQLite call failed: `close()` then records no stamp, so the next writer checks.
    private var failed = false
    /// Per host, the fingerprints of its records shorter than `Fingerprint.maxLength`, read once
    /// per host and kept up to date by this store's own inserts and updates (`files(host:head:)`);
    /// cleared by a merge.
    var shortFingerprints: [String: ShortFingerprints] = [:]
    /// A writer's ids of values stored once, its current scan and pending rollup increments.
    let cache = StoreCache()

    /// The schema version this build writes.
    public static var schemaVersion: Int { Schema.current }

    /// Opens the database at `path`, creating it if it does not exist. A file that is not an
    /// acrscan database, or comes from a newer version, is refused and left byte-for-byte untouched.
    public init(path: String, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists, (info.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory(path: path) }
        if exists, info.st_size > 0, !Store.hasSQLiteHeader(path) { throw .notADatabase(path: path) }
        if readOnly, !exists { throw .missing(path: path) }
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        do throws(SQLiteError) {
            db = try Store.connect(path: path, flags: flags, readOnly: readOnly)
            // SQLite opens a file it may not write read-only without a word; say so before scanning.
            if !readOnly, sqlite3_db_readonly(db.handle, "main") == 1 {
                throw SQLiteError(code: SQLITE_READONLY, extendedCode: SQLITE_READONLY, message: "read-only", sql: nil)
            }
        } catch {
            throw .sqlite(path: path, error)
        }
        try checkAndMigrate(readOnly: readOnly)
        if readOnly, version == 0 {
            // A database created a moment ago, whose schema is not committed yet (or an empty
            // file): read as an empty acrscan database, from an empty schema in memory.
            do throws(SQLiteError) {
                db = try Connection(path: ":memory:", flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX)
                try db.execute(Schema.fresh)
                version = Schema.current
                schemaless = true
            } catch {
                throw .sqlite(path: path, error)
            }
        }
        // Test hook (docs/hardening.md): a page limit makes "disk full" reproducible in tests.
        if !readOnly, let limit = getenv("ACRSCAN_TEST_MAX_PAGE_COUNT").flatMap({ Int(String(cString: $0)) }) {
            try guarded { try db.execute("PRAGMA max_page_count = \(limit)") }
        }
    }

    /// Opens `path` for a writer (`scan`, `merge`, `prune`, `ack`). A file that is not an acrscan
    /// database, or is from a newer version, is refused before anything is created beside it; then
    /// the writer lock is taken (`onWait` is called once if another writer holds it, and the call
    /// blocks until it is released). Unless the file is exactly as the last acrscan writer left it
    /// (the stamp in the lock file, `DatabaseStamp`), or with `verify`, `PRAGMA quick_check` runs
    /// first, read-only: damage is refused before anything is written. Then the database is
    /// opened, created or migrated, and the stamp is cleared until `close()` records a new one.
    public static func writer(path: String, verify: Bool = false, onWait: () -> Void) throws(StoreError) -> Store {
        var info = stat()
        let existing = stat(path, &info) == 0 && info.st_size > 0
        if existing { _ = try Store(path: path, readOnly: true) }
        let lock = try WriterLock(database: path, onWait: onWait)
        var checked = false
        if existing, verify || !DatabaseStamp.unchanged(path, recorded: lock.recordedStamp) {
            try quickCheck(path)
            checked = true
        }
        lock.record(nil)
        let store = try Store(path: path)
        store.lock = lock
        store.verified = checked
        return store
    }

    /// The bytes of write-ahead log after which a commit copies it into the database file
    /// (`wal_autocheckpoint`, in pages: 128 of the 32 KiB pages of a new database).
    static let autocheckpointBytes = 4 << 20

    /// Runs `PRAGMA quick_check` on `path` through a read-only connection; throws `.damaged` with
    /// SQLite's first message (the pragma's first row, or the error that stopped it).
    static func quickCheck(_ path: String) throws(StoreError) {
        let first: String
        do throws(SQLiteError) {
            let db = try Store.connect(path: path, flags: SQLITE_OPEN_READONLY, readOnly: true)
            defer { db.close() }
            let statement = try db.prepare("PRAGMA quick_check")
            first = try statement.step() ? statement.text(0) ?? "" : ""
        } catch {
            guard [SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_IOERR, SQLITE_FORMAT].contains(error.code) else {
                throw .sqlite(path: path, error)
            }
            throw .damaged(path: path, reason: "\(error.message) (SQLite code \(error.extendedCode))")
        }
        guard first == "ok" else {
            // "*** in database main ***\nTree 3 page 5 cell 0: …": one line, without the header.
            let lines = first.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("*** in database") }
            throw .damaged(path: path, reason: lines.joined(separator: " "))
        }
    }

    /// Ends a command that wrote: checkpoints the write-ahead log into the database file (without
    /// waiting for readers), closes the connection and releases the writer lock. Afterwards the
    /// database file alone holds everything committed, so it can be copied (`scp host:acrscan.db`)
    /// or opened by a tool that does not know the `-wal` file, unless another process still reads
    /// it; then SQLite's own rules keep it safe as before, and the last to close checkpoints.
    /// Returns whether the database file alone was whole. The store must not be used afterwards.
    @discardableResult
    public func close() -> Bool {
        let whole = db.checkpoint()
        db.close()
        // A writer that ended cleanly stamps the file (after the checkpoint and the close, which
        // removes the emptied -wal), still holding the lock: the next writer skips its check.
        if let lock, whole, !failed { lock.record(DatabaseStamp.current(path)) }
        lock = nil
        return whole
    }

    /// Opens the connection. A WAL database on read-only media (a directory this process may not
    /// write, so SQLite cannot create its `-shm` file) is opened read-only as immutable when it
    /// has no `-wal` file with content to miss; with one, the error says why.
    static func connect(path: String, flags: Int32, readOnly: Bool) throws(SQLiteError) -> Connection {
        guard readOnly else {
            let db = try Connection(path: path, flags: flags | SQLITE_OPEN_NOMUTEX)
            try db.execute("PRAGMA busy_timeout = 30000")
            return db
        }
        do throws(SQLiteError) {
            let db = try Connection(path: path, flags: flags | SQLITE_OPEN_NOMUTEX)
            try db.execute("PRAGMA busy_timeout = 30000")
            _ = try db.integer("SELECT count(*) FROM sqlite_master")
            return db
        } catch {
            guard error.code == SQLITE_CANTOPEN || error.code == SQLITE_READONLY else { throw error }
            let slash = path.lastIndex(of: "/")
            let directory = slash.map { String(path[..<$0]) } ?? "."
            guard access(directory.isEmpty ? "/" : directory, W_OK) != 0 else { throw error }
            var wal = stat()
            if stat(path + "-wal", &wal) == 0, wal.st_size > 0 {
                throw SQLiteError(
                    code: error.code, extendedCode: error.extendedCode,
                    message: """
                        cannot read it on read-only media: its last changes are in \(path)-wal, which SQLite can only read \
                        with a -shm file it cannot create here (copy the database, -wal included, somewhere writable)
                        """, sql: nil)
            }
            let immutable = try Connection(
                path: readOnlyURI(path) + "&immutable=1", flags: flags | SQLITE_OPEN_NOMUTEX, uri: true)
            try immutable.execute("PRAGMA busy_timeout = 30000")
            return immutable
        }
    }

    static func hasSQLiteHeader(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return true }  // let SQLite report the reason
        defer { closeDescriptor(fd) }
        var header = [UInt8](repeating: 0, count: 16)
        let n = header.withUnsafeMutableBytes { read(fd, $0.baseAddress, 16) }
        return n == 16 && header == Array("SQLite format 3\0".utf8)
    }

    private func checkAndMigrate(readOnly: Bool) throws(StoreError) {
        do {
            let appID = try db.integer("PRAGMA application_id") ?? 0
            let version = Int(try db.integer("PRAGMA user_version") ?? 0)
            let objects = try db.integer("SELECT count(*) FROM sqlite_master") ?? 0
            if appID != Int64(Schema.applicationID) {
                guard appID == 0, version == 0, objects == 0 else { throw StoreError.foreignDatabase(path: path) }
            }
            if version > Schema.current {
                throw StoreError.newerSchema(path: path, version: version, supported: Schema.current)
            }
            self.version = version
            guard !readOnly else { return }
            // A new file gets larger pages: fewer page writes per occurrence (docs/performance.md),
            // and the current schema in one script, its statement journals in memory (nothing to
            // roll back to but an empty file). It switches to WAL first, its first page written
            // without SQLite's rollback-journal commit and made durable by one sync of the file
            // and one of its directory (`syncCreated`), and the schema is one WAL commit, as
            // durable as every later commit (`synchronous = NORMAL`: synced at the checkpoint).
            // Two syncs instead of the ten of two rollback-journal commits and the new WAL's
            // first frames, which took 5-15 ms of wall time before a scan could begin on a busy
            // disk (docs/performance.md, "Branch `inflate5`"). An existing file: its migrations.
            if version == 0, objects == 0 {
                try db.execute("PRAGMA page_size = 32768; PRAGMA synchronous = OFF; PRAGMA journal_mode = WAL")
                // The two syncs run on another thread while the schema's statements are parsed and
                // run (nothing of them reaches the disk before their commit), and are waited for
                // before the commit: the same writes in the same order as one after the other
                // (docs/performance.md, "Branch `startup`").
                let synced = DispatchGroup()
                synced.enter()
                let file = Store.fileOf(db)
                let created = path
                DispatchQueue.global().async {
                    Store.syncCreated(file, path: created)
                    synced.leave()
                }
                defer { synced.wait() }
                try db.execute("PRAGMA temp_store = MEMORY")
                try db.transaction {
                    try db.execute(Schema.fresh)
                    try db.execute(
                        "PRAGMA application_id = \(Schema.applicationID); PRAGMA user_version = \(Schema.current)")
                    synced.wait()
                }
                try db.execute("PRAGMA temp_store = DEFAULT")
                self.version = Schema.current
            }
            // The log is copied into the database file every `autocheckpointBytes` by the committing
            // thread, the store's own: the copy at `close`, which the scan waits for, is a few MiB
            // instead of up to 64 (docs/performance.md, "Checkpoints on the writer").
            let pageSize = max(512, Int(try db.integer("PRAGMA page_size") ?? 4096))
            try db.execute(
                """
                PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
                PRAGMA wal_autocheckpoint = \(max(16, Store.autocheckpointBytes / pageSize))
                """)
            try sizePageCache()
            guard self.version < Schema.current else { return }
            self.version = Schema.current
            try db.transaction {
                for index in version..<Schema.current { try db.execute(Schema.migrations[index]) }
                try db.execute(
                    "PRAGMA application_id = \(Schema.applicationID); PRAGMA user_version = \(Schema.current)")
            }
        } catch let error as StoreError {
            throw error
        } catch let error as SQLiteError {
            if error.code == SQLITE_NOTADB { throw StoreError.notADatabase(path: path) }
            throw StoreError.sqlite(path: path, error)
        } catch {
            throw StoreError.sqlite(path: path, SQLiteError(code: 1, extendedCode: 1, message: "\(error)", sql: nil))
        }
    }

    /// Runs `body`, turning SQLite failures into `StoreError`s that name this database.
    func guarded<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            failed = true
            throw .sqlite(path: path, error)
        } catch let error as StoreError {
            failed = true
            throw error
        } catch {
            failed = true
            throw .sqlite(path: path, SQLiteError(code: 1, extendedCode: 1, message: "\(error)", sql: nil))
        }
    }
}

/// SQLite's open file of a connection's database (`SQLITE_FCNTL_FILE_POINTER`), handed to the
/// thread that syncs a new database (`syncCreated`): SQLite's unix `xSync` of a database file reads
/// only its descriptor, and the connection stays open until the sync has been waited for.
struct SQLiteFile: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<sqlite3_file>
}

extension Store {
    /// The database file of `db` as SQLite opened it, or nil.
    static func fileOf(_ db: Connection) -> SQLiteFile? {
        var file: UnsafeMutablePointer<sqlite3_file>?
        guard sqlite3_file_control(db.handle, "main", SQLITE_FCNTL_FILE_POINTER, &file) == SQLITE_OK, let file else {
            return nil
        }
        return SQLiteFile(pointer: file)
    }
}

/// `close(2)`, named apart from `Store.close()`.
extension Store {
    /// Makes a database file just created durable, with its name: its first page (written by the
    /// switch to WAL without a sync), through SQLite's own descriptor (closing another descriptor
    /// of the file would drop SQLite's POSIX locks on it), and its directory entry. Then a power
    /// loss leaves an empty WAL database at worst, never a torn first page; what follows has the
    /// WAL's guarantees.
    static func syncCreated(_ file: SQLiteFile?, path: String) {
        if let file = file?.pointer, let sync = file.pointee.pMethods?.pointee.xSync {
            _ = sync(file, SQLITE_SYNC_NORMAL)
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        let dir = open(directory, O_RDONLY | O_CLOEXEC)
        if dir >= 0 {
            _ = fsync(dir)
            closeDescriptor(dir)
        }
    }
}

private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}
