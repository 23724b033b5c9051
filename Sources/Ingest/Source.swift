import Dispatch
import LogModel
import LogScanner
import LogStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A log read from its start: its first bytes (`head`), how far it has been consumed, and how many
/// content bytes had to be read (not seeked over) to get there. A file can be reopened when a check
/// has to go back; standard input cannot.
///
/// A plain regular file is read only up to the size it had when it was opened (`limit`): a file
/// appended faster than it is read cannot keep a scan (and the writer lock) forever; the rest is for
/// the next sweep. A second descriptor of the same file (`check`) lets a sweep prove, before it
/// commits, that the bytes it read are still the file's: a file truncated and refilled under a
/// slow reader (copytruncate) is caught (`stillHolds`).
final class Source {
    /// The path as given (`-` for standard input).
    let path: String
    /// The open file.
    private(set) var file: LogFile
    /// The first (at most) `Fingerprint.maxLength` content bytes.
    private(set) var head: [UInt8] = []
    /// Content bytes consumed, read or skipped: the stream offset of the next byte.
    private(set) var position: Int64 = 0
    /// Content bytes read or decompressed, including those skipped by reading through them.
    private(set) var bytesRead: Int64 = 0
    /// The most content bytes handed out: the size of a plain file when it was opened; nil for
    /// compressed files and standard input.
    private(set) var limit: Int64?
    /// A descriptor of the same plain file as `file` (-1 otherwise), for `pread` checks.
    private var check: Int32 = -1

    /// Opens `path` and reads its head.
    init(path: String) throws(InputError) {
        self.path = path
        (file, check) = try Source.openFile(path)
        limit = check >= 0 ? file.sizeOnDisk : nil
        try readHead()
    }

    deinit { if check >= 0 { close(check) } }

    /// Opens `path` as a `LogFile` and, for a plain regular file, a second descriptor proven to be
    /// of the same file: opened before it, and the path still names that file (device and inode)
    /// after it, so no rename came between (short of one renamed back).
    private static func openFile(_ path: String) throws(InputError) -> (LogFile, Int32) {
        var attempt = 0
        while true {
            let fd = path == "-" ? -1 : systemOpen(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            let file: LogFile
            do {
                file = try LogFile(path: path)
            } catch {
                if fd >= 0 { close(fd) }
                throw error
            }
            guard fd >= 0 else { return (file, -1) }
            var mine = stat()
            var now = stat()
            if file.isCompressed || fstat(fd, &mine) != 0 {
                close(fd)
                return (file, -1)
            }
            if stat(path, &now) == 0, now.st_dev == mine.st_dev, now.st_ino == mine.st_ino { return (file, fd) }
            close(fd)
            attempt += 1
            // Renamed under us again and again: read it without the checks rather than not at all.
            if attempt == 3 { return (file, -1) }
        }
    }

    /// Whether the content must be read to be skipped (compressed, standard input) rather than seeked over.
    var readsToSkip: Bool { file.isCompressed || path == "-" }

    /// Whether this is a plain regular file, which may still grow or be rewritten.
    var isPlainFile: Bool { check >= 0 }

    /// Opens the file again at its start; false for standard input.
    func reopen() throws(InputError) -> Bool {
        guard path != "-" else { return false }
        if check >= 0 { close(check) }
        (file, check) = try Source.openFile(path)
        limit = check >= 0 ? file.sizeOnDisk : nil
        position = 0
        try readHead()
        return true
    }

    private func readHead() throws(InputError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Fingerprint.maxLength, alignment: 1)
        defer { buffer.deallocate() }
        let n = try readFully(into: buffer)
        head = Array(buffer[0..<n])
    }

    /// Reads up to `buffer.count` content bytes; 0 at the end (or at `limit`).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        var target = buffer
        if let limit {
            let room = limit - position
            guard room > 0 else { return 0 }
            if Int64(buffer.count) > room { target = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(room)]) }
        }
        let n = try file.read(into: target)
        position += Int64(n)
        bytesRead += Int64(n)
        return n
    }

    /// Reads until `buffer` is full or the content ends; the bytes read.
    func readFully(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    /// Moves forward to `offset` (a seek for plain files, reading for the others); false if the
    /// content ends before it.
    func skip(to offset: Int64, scratch: UnsafeMutableRawBufferPointer) throws(InputError) -> Bool {
        guard offset > position else { return offset == position }
        if let limit, offset > limit { return false }
        let skipped = try file.skip(offset - position, scratch: scratch)
        position += skipped
        if readsToSkip { bytesRead += skipped }
        return position == offset
    }

    /// Whether the content before `anchor.offset` is what the anchor was taken of. Reads forward to
    /// the anchor; the caller reopens first if the source is already past the window's start and
    /// not just at the end of its head.
    func matches(_ anchor: ResumeCheck, scratch: UnsafeMutableRawBufferPointer) throws(InputError) -> Bool {
        let from = anchor.offset - Int64(anchor.window)
        var window: [UInt8] = []
        window.reserveCapacity(anchor.window)
        if from < position {
            // Only the head has been read: the window's first bytes are in it.
            guard position == Int64(head.count) else { return false }
            window.append(contentsOf: head[Int(from)..<Int(min(position, anchor.offset))])
        } else {
            guard try skip(to: from, scratch: scratch) else { return false }
        }
        while Int64(window.count) < Int64(anchor.window) {
            let want = min(scratch.count, anchor.window - window.count)
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<want]))
            if n == 0 { return false }
            window.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
        }
        return window.withUnsafeBytes { Fingerprint.fnv($0) } == anchor.hash
    }

    /// The plain file's bytes `[offset - count, offset)` now (`pread` through the second
    /// descriptor); nil for other sources or when they cannot all be read.
    func bytes(count: Int, before offset: Int64) -> [UInt8]? {
        guard check >= 0, count > 0, offset >= Int64(count) else { return nil }
        var window = [UInt8](repeating: 0, count: count)
        let n = window.withUnsafeMutableBytes { Probe.readFully(check, into: $0, at: offset - Int64(count)) }
        return n == count ? window : nil
    }

    /// Whether the plain file still holds, now, the bytes `anchor` was taken of (a `pread` of its
    /// window through the second descriptor). A file truncated since, or truncated and refilled with
    /// other bytes, does not. Always true for what cannot change under a reader (compressed files,
    /// standard input) or cannot be checked.
    func stillHolds(_ anchor: ResumeCheck) -> Bool {
        guard check >= 0, anchor.window > 0 else { return true }
        var window = [UInt8](repeating: 0, count: anchor.window)
        let n = window.withUnsafeMutableBytes {
            Probe.readFully(check, into: $0, at: anchor.offset - Int64(anchor.window))
        }
        return n == anchor.window && window.withUnsafeBytes { Fingerprint.fnv($0) } == anchor.hash
    }
}

/// `open(2)`, named apart from `Source`'s own.
@inline(__always)
func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
    open(path, flags, mode)
}

/// Test hook (docs/hardening.md): `ACRSCAN_TEST_PAUSE_AFTER_READ=DIR` makes the first sweep read of
/// a file's content (after its head and anchor checks) create `DIR/paused` and wait until a test
/// removes it, once per process, so a test can rotate, truncate or append to the file between two
/// reads, deterministically. For tests only; nothing else reads it.
enum PauseHook {
    /// Whether the hook is set at all (read once; when not, `pause` is never called).
    static let enabled = getenv("ACRSCAN_TEST_PAUSE_AFTER_READ") != nil
    private nonisolated(unsafe) static var armed: String? = getenv("ACRSCAN_TEST_PAUSE_AFTER_READ").map {
        String(cString: $0) + "/paused"
    }
    private static let queue = DispatchQueue(label: "acrscan.pause-hook")

    /// Waits as described above the first time it is called with the hook set; else returns at once.
    static func pause() {
        guard
            let flag = queue.sync(execute: { () -> String? in
                defer { armed = nil }
                return armed
            })
        else { return }
        let fd = systemOpen(flag, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        if fd >= 0 { close(fd) }
        var info = stat()
        while stat(flag, &info) == 0 { usleep(2_000) }
    }
}
