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
        guard descriptor >= 0 else { throw .lock(path: database, reason: "\(path): \(String(cString: strerror(errno)))") }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw .lock(path: database, reason: reason)
            }
            onWait()
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let reason = String(cString: strerror(errno))
                    close(descriptor)
                    throw .lock(path: database, reason: reason)
                }
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

    /// Releases the lock (`close(2)` drops the `flock`).
    deinit { close(fd) }
}
