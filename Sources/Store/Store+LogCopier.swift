import CSQLite
import Dispatch

/// Copies the write-ahead log into the database file on a thread of its own while a sweep commits
/// (a passive checkpoint from a second connection), instead of all of it when the command ends.
///
/// The log's pages stay in it until a checkpoint copies them. SQLite's own checkpoint runs in the
/// committing thread once the log holds `Store.autocheckpointPages` (64 MiB): a file of up to about
/// 60 MB of failures left its whole log to the checkpoint of `Store.close()`, run after the last
/// commit on the main thread, the database file's pages written and synced while nothing else ran
/// (docs/performance.md, "Branch `storerate5`"). Here, after each commit that leaves at least
/// `pages` pages in the log, one checkpoint at a time runs on the copier's own connection while the
/// writer goes on committing (SQLite's passive checkpoint: it copies what is committed and never
/// waits for the writer or blocks it). What `close()` copies is then what the last commits added.
/// The database's contents are the same either way: only when pages reach the file changes.
public final class LogCopier: @unchecked Sendable {
    /// Pages in the log after a commit at which a copy starts (8 MiB at 32 KiB pages).
    static let pages: Int32 = 256

    private let connection: Connection
    /// The writer's connection, whose commits call `committed(pages:)` (its WAL hook).
    private let writer: Connection
    private let queue = DispatchQueue(label: "acrscan.logcopy")
    /// Taken while a copy is queued or running: one at a time, none queued behind it.
    private let idle = DispatchSemaphore(value: 1)
    private var stopped = false

    fileprivate init(connection: Connection, writer: Connection) {
        self.connection = connection
        self.writer = writer
        // Replaces SQLite's own checkpoint in the writer's commits until `stop()`.
        sqlite3_wal_hook(
            writer.handle,
            { context, _, _, pages in
                Unmanaged<LogCopier>.fromOpaque(context!).takeUnretainedValue().committed(pages: pages)
                return SQLITE_OK
            }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Called in the writer's thread after each commit, with the pages the log holds.
    private func committed(pages: Int32) {
        guard pages >= LogCopier.pages, idle.wait(timeout: .now()) == .success else { return }
        queue.async { [self] in
            defer { idle.signal() }
            var logged: Int32 = 0
            var copied: Int32 = 0
            // Best effort: what is not copied here (busy, a full disk) is copied by the next one or by `close()`.
            _ = sqlite3_wal_checkpoint_v2(connection.handle, "main", SQLITE_CHECKPOINT_PASSIVE, &logged, &copied)
        }
    }

    /// Gives the writer's commits SQLite's own checkpoint back, waits for a copy under way and
    /// closes the copier's connection. Call before the store goes on to other work or closes.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        sqlite3_wal_autocheckpoint(writer.handle, Store.autocheckpointPages)
        queue.sync {}
        connection.close()
    }

    deinit { stop() }
}

extension Store {
    /// The log's pages at which SQLite's own checkpoint copies it into the database file, in the
    /// committing thread (`PRAGMA wal_autocheckpoint`).
    static let autocheckpointPages: Int32 = 2048

    /// A `LogCopier` for this store's writes until its `stop()`, or nil when the database is not in
    /// WAL mode or a second connection cannot be opened (SQLite's own checkpoints then go on).
    /// Only for a store open for writing, from the thread that uses it, while no transaction is open.
    public func copyingLogAside() -> LogCopier? {
        do throws(SQLiteError) {
            let mode = try db.prepare("PRAGMA journal_mode")
            guard try mode.step(), mode.text(0) == "wal" else { return nil }
            let connection = try Connection(path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX)
            try connection.execute("PRAGMA synchronous = NORMAL")
            return LogCopier(connection: connection, writer: db)
        } catch {
            return nil
        }
    }
}
