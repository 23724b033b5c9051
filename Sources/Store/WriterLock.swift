import LogModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one-writer-at-a-time rule (docs/schema.md, "Writers and readers"): an advisory `flock(2)` on `DB.lock` beside
/// the database file (symbolic links resolved), held by `scan` and `merge` for their whole run. A second writer waits its turn;
/// readers (`report`, `export`) never take it (WAL lets them read while a writer writes).
///
/// The kernel drops the lock when the holder exits, however it ends (SIGKILL included), so a stale
/// lock cannot outlive a crash. The lock file stays beside the database: deleting it while another
/// process waits on it would let two writers in.
public final class WriterLock {
    /// The lock file.
    public let path: String
    private let fd: Int32

    /// Locks `database`'s lock file, creating it if needed. If another process holds it, calls
    /// `onWait` once and blocks until it is released.
    public init(database: String, onWait: () -> Void) throws(StoreError) {
        path = WriterLock.resolved(database) + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .lock(path: database, reason: "\(path): \(Errno.current)") }
        if case .failure(let busy) = valueOrErrno({ flock(descriptor, LOCK_EX | LOCK_NB) }) {
            var result = Result<Int32, Errno>.failure(busy)
            if busy.rawValue == EWOULDBLOCK {
                onWait()
                result = valueOrErrno { flock(descriptor, LOCK_EX) }
            }
            if case .failure(let error) = result {
                close(descriptor)
                throw .lock(path: database, reason: error.description)
            }
        }
        fd = descriptor
    }

    /// The database's path with every symbolic link resolved (of the file if it exists, else of
    /// its directory), so that `--db link.db` and `--db real.db` take the same lock, beside the
    /// real file: the lock is keyed on the file, not on the name it was given by.
    static func resolved(_ database: String) -> String {
        if let real = realpath(database, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let slash = database.lastIndex(of: "/")
        let directory = slash.map { String(database[..<$0]) } ?? "."
        let name = slash.map { String(database[database.index(after: $0)...]) } ?? database
        guard let real = realpath(directory.isEmpty ? "/" : directory, nil) else { return database }
        defer { free(real) }
        let base = String(cString: real)
        return (base.hasSuffix("/") ? base : base + "/") + name
    }

    /// The stamp recorded in the lock file by the last writer that closed cleanly, if any.
    var recordedStamp: String? {
        var bytes = [UInt8](repeating: 0, count: 512)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: bytes[..<n], as: UTF8.self)
        return text.hasPrefix(DatabaseStamp.prefix) ? text : nil
    }

    /// Records `stamp` in the lock file, or empties it (`nil`). Best effort: a stamp that cannot be
    /// written only costs the next writer a `PRAGMA quick_check`.
    func record(_ stamp: String?) {
        _ = ftruncate(fd, 0)
        guard let stamp else { return }
        let bytes = Array(stamp.utf8)
        let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        if n != bytes.count { _ = ftruncate(fd, 0) }
    }

    /// Releases the lock (`close(2)` drops the `flock`).
    deinit { close(fd) }
}

/// What the file system says of a database file, recorded in its lock file when a writer closes it
/// cleanly: device, inode, size, and modification and status-change times in nanoseconds. A writer
/// that finds the file as acrscan left it (the same stamp, no `-wal` with content) skips the
/// `PRAGMA quick_check` it runs otherwise (docs/hardening.md, "Database").
enum DatabaseStamp {
    static let prefix = "acrscan-db-stamp 1 "

    /// The stamp of `path` now, or nil if it cannot be read.
    static func current(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let mtime = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        let ctime = Int64(info.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(info.st_ctimespec.tv_nsec)
        #else
        let mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        let ctime = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        #endif
        return "\(prefix)dev=\(info.st_dev) ino=\(info.st_ino) size=\(info.st_size) mtime=\(mtime) ctime=\(ctime)\n"
    }

    /// Whether `path` is as the last clean writer left it: its stamp is `recorded`, and its
    /// write-ahead log is absent or empty.
    static func unchanged(_ path: String, recorded: String?) -> Bool {
        guard let recorded, let now = current(path), now == recorded else { return false }
        var wal = stat()
        return stat(path + "-wal", &wal) != 0 || wal.st_size == 0
    }
}
