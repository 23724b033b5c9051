import CSQLite
import LogModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An SQLite failure: the result code, the extended code, SQLite's message and the statement.
/// Never carries bound values: they come from logs and may hold secrets.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The primary result code (`SQLITE_BUSY`, `SQLITE_FULL`, …).
    public let code: Int32
    /// The extended result code.
    public let extendedCode: Int32
    /// SQLite's message.
    public let message: String
    /// The SQL that failed, if any.
    public let sql: String?

    /// A readable one-line description: the reason in plain words for the failures a user can fix
    /// (a full disk, a read-only file or directory), else SQLite's message and the statement.
    public var description: String {
        switch code {
        case SQLITE_FULL:
            return "the disk or the database is full (SQLite code \(extendedCode))"
        case SQLITE_READONLY where extendedCode == SQLITE_READONLY | (6 << 8):  // SQLITE_READONLY_DIRECTORY
            return
                "its directory is not writable, and SQLite must create the -wal and -shm files beside it (SQLite code \(extendedCode))"
        case SQLITE_READONLY:
            return
                "the database is read-only: no write permission on it or on its -wal and -shm files (SQLite code \(extendedCode))"
        default:
            var text = "\(message) (SQLite code \(extendedCode))"
            if let sql { text += " in: \(sql.split(separator: "\n").joined(separator: " ").prefix(120))" }
            return text
        }
    }
}

/// Tells SQLite to copy bound bytes at once (`SQLITE_TRANSIENT`).
let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Owns one `sqlite3*` connection and closes it (`sqlite3_close_v2`).
final class Connection {
    let handle: OpaquePointer
    /// Set by `close()`: the handle is gone and `deinit` has nothing left to do.
    private var closed = false

    /// Opens `path` (`sqlite3_open_v2`, extended result codes on). URI file names are on (for
    /// read-only `ATTACH`), so a path that itself begins with `file:` is opened as `./file:…`.
    /// Opens `path`; with `uri`, `path` is a `file:` URI (never for a path the user gave).
    init(path: String, flags: Int32, uri: Bool = false) throws(SQLiteError) {
        _ = Connection.configured
        var db: OpaquePointer?
        let name = path.hasPrefix("file:") && !uri ? "./" + path : path
        let rc = sqlite3_open_v2(name, &db, flags | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_URI, nil)
        guard rc == SQLITE_OK, let db else {
            var message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            // "unable to open database file" says nothing of why: the system's reason does.
            if rc & 0xFF == SQLITE_CANTOPEN, let db {
                message =
                    "cannot open or create the database file: "
                    + Connection.cantOpenReason(
                        path: path, create: flags & SQLITE_OPEN_CREATE != 0, errno: sqlite3_system_errno(db))
            }
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc & 0xFF, extendedCode: rc, message: message, sql: nil)
        }
        handle = db
        registerFunctions()
    }

    /// SQLite's process-wide settings, made once before the first connection opens: no allocation
    /// counts (each allocation took a global mutex: 3% of the writer's time storing failure-dense
    /// logs; docs/performance.md, "Branch `storerate4`").
    static let configured: Bool = acr_sqlite_memstatus_off() == SQLITE_OK

    /// Statements prepared once and reused (per row: bind, step, reset), by SQL text.
    private var cache: [String: Statement] = [:]

    deinit {
        if !closed {
            cache.removeAll()
            sqlite3_close_v2(handle)
        }
    }

    /// Finalizes the cached statements and closes the connection (`sqlite3_close_v2`). Nothing may
    /// use the connection afterwards.
    func close() {
        guard !closed else { return }
        closed = true
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Copies every committed page of the write-ahead log into the database file and empties the
    /// log (`sqlite3_wal_checkpoint_v2`, `SQLITE_CHECKPOINT_TRUNCATE`), without waiting: while
    /// another connection reads, it copies what it can and leaves the rest for a later checkpoint.
    /// Returns true when the database file alone is whole (every frame copied).
    @discardableResult
    func checkpoint() -> Bool {
        sqlite3_busy_timeout(handle, 0)
        var frames: Int32 = 0
        var copied: Int32 = 0
        let rc = sqlite3_wal_checkpoint_v2(handle, "main", SQLITE_CHECKPOINT_TRUNCATE, &frames, &copied)
        sqlite3_busy_timeout(handle, 30_000)
        // -1 and -1 when the database is not in WAL mode: then the file is whole anyway.
        return rc == SQLITE_OK && frames == copied
    }

    /// Why `path` could not be opened. For a file to create, SQLite's last `errno` comes from its
    /// read-only retry (no such file); the directory's permissions tell the real reason.
    static func cantOpenReason(path: String, create: Bool, errno code: Int32) -> String {
        if create, access(path, F_OK) != 0 {
            let directory = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
            if access(directory, W_OK | X_OK) != 0 {
                return "\(Errno.current) (cannot create files in \(directory))"
            }
        }
        return Errno(rawValue: code).description
    }

    /// Checks a result code; throws with SQLite's message unless it is OK, ROW or DONE.
    @discardableResult
    func check(_ rc: Int32, _ sql: String? = nil) throws(SQLiteError) -> Int32 {
        guard rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE else {
            throw SQLiteError(
                code: rc & 0xFF, extendedCode: sqlite3_extended_errcode(handle),
                message: String(cString: sqlite3_errmsg(handle)), sql: sql)
        }
        return rc
    }

    /// Runs SQL without results (`sqlite3_exec`); several statements are allowed.
    func execute(_ sql: String) throws(SQLiteError) {
        try check(sqlite3_exec(handle, sql, nil, nil, nil), sql)
    }

    /// Prepares a statement (`sqlite3_prepare_v3`).
    func prepare(_ sql: String, persistent: Bool = false) throws(SQLiteError) -> Statement {
        var stmt: OpaquePointer?
        try check(
            sqlite3_prepare_v3(handle, sql, -1, persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0, &stmt, nil), sql)
        return Statement(stmt!, connection: self, sql: sql)
    }

    /// The statement for `sql`, prepared on first use and kept for the connection's life
    /// (`SQLITE_PREPARE_PERSISTENT`); reset and cleared before it is handed out again.
    func cached(_ sql: String) throws(SQLiteError) -> Statement {
        if let stmt = cache[sql] {
            stmt.reset()
            return stmt
        }
        let stmt = try prepare(sql, persistent: true)
        cache[sql] = stmt
        return stmt
    }

    /// Statements stepped but not reset or finalized (`sqlite3_stmt_busy`): zero between operations.
    var busyStatements: Int {
        var count = 0
        var stmt = sqlite3_next_stmt(handle, nil)
        while let current = stmt {
            if sqlite3_stmt_busy(current) != 0 { count += 1 }
            stmt = sqlite3_next_stmt(handle, current)
        }
        return count
    }

    /// The first column of the first row of a query, as an integer.
    func integer(_ sql: String) throws(SQLiteError) -> Int64? {
        let stmt = try prepare(sql)
        return try stmt.step() ? stmt.optionalInt64(0) : nil
    }

    /// Rows changed by the last statement (`sqlite3_changes64`).
    var changes: Int64 { sqlite3_changes64(handle) }

    /// Runs `body` in a transaction (`BEGIN IMMEDIATE`, so writers queue up front), committing on
    /// success and rolling back on any error.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// Owns one prepared statement (`sqlite3_finalize` on deinit). Bind by 1-based index, then `step`.
final class Statement {
    let handle: OpaquePointer
    /// Unowned: the connection caches its statements, and a strong reference back would keep both alive.
    unowned let connection: Connection
    let sql: String

    init(_ handle: OpaquePointer, connection: Connection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Resets for the next row, keeping the values bound (`sqlite3_reset`): a bulk insert binds
    /// the values shared by a batch once.
    func rewind() {
        sqlite3_reset(handle)
    }

    /// Clears bindings and resets for the next row (`sqlite3_reset`, `sqlite3_clear_bindings`).
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds text (`sqlite3_bind_text`, copied by SQLite) or NULL.
    @inline(__always)
    func bind(_ index: Int32, _ value: String?) throws(SQLiteError) {
        let rc = value.map { sqlite3_bind_text(handle, index, $0, -1, transient) } ?? sqlite3_bind_null(handle, index)
        if rc != SQLITE_OK { try connection.check(rc, sql) }
    }

    /// Binds `count` bytes of UTF-8 text at `bytes` without a copy (`SQLITE_STATIC`): they must stay
    /// where they are until the statement has stepped and the parameter is bound again or cleared.
    /// The empty text is copied (a null pointer would bind NULL).
    @inline(__always)
    func bindStatic(_ index: Int32, _ bytes: UnsafeRawPointer?, count: Int) throws(SQLiteError) {
        let rc =
            if let bytes, count > 0 {
                sqlite3_bind_text(handle, index, bytes.assumingMemoryBound(to: CChar.self), Int32(count), nil)
            } else {
                sqlite3_bind_text(handle, index, "", 0, transient)
            }
        if rc != SQLITE_OK { try connection.check(rc, sql) }
    }

    /// Binds NULL.
    @inline(__always)
    func bindNull(_ index: Int32) throws(SQLiteError) {
        let rc = sqlite3_bind_null(handle, index)
        if rc != SQLITE_OK { try connection.check(rc, sql) }
    }

    /// Binds an integer (`sqlite3_bind_int64`) or NULL.
    @inline(__always)
    func bind(_ index: Int32, _ value: Int64?) throws(SQLiteError) {
        let rc = value.map { sqlite3_bind_int64(handle, index, $0) } ?? sqlite3_bind_null(handle, index)
        if rc != SQLITE_OK { try connection.check(rc, sql) }
    }

    /// Binds an integer or NULL.
    @inline(__always)
    func bind(_ index: Int32, _ value: Int?) throws(SQLiteError) {
        try bind(index, value.map(Int64.init))
    }

    /// Binds values in order from index 1.
    func bind(_ values: [ColumnValue]) throws(SQLiteError) {
        for (i, value) in values.enumerated() {
            switch value {
            case .text(let s): try bind(Int32(i + 1), s)
            case .integer(let n): try bind(Int32(i + 1), n)
            }
        }
    }

    /// Steps once (`sqlite3_step`): true while a row is available.
    func step() throws(SQLiteError) -> Bool {
        try connection.check(sqlite3_step(handle), sql) == SQLITE_ROW
    }

    /// Steps a statement that returns no rows, then resets it.
    func run() throws(SQLiteError) {
        defer { reset() }
        _ = try step()
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func optionalInt64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    /// Whether the text of `column` is `bytes`, compared where SQLite holds it (no `String` made).
    func textEquals(_ column: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let text = sqlite3_column_text(handle, column) else { return false }
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count == bytes.count else { return false }
        return count == 0 || memcmp(text, bytes.baseAddress!, count) == 0
    }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: bytes)
    }
}
