import LogModel
import LogScanner
import LogStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A cheap first look at a regular file before it is scanned: its size, its first bytes as stored,
/// and random access to them (`pread(2)`), so that an unchanged file is recognised without reading
/// it and a compressed file read before is recognised without decompressing it.
final class Probe {
    /// The file's size on disk.
    let size: Int64
    /// Its first (at most) `Fingerprint.maxLength` bytes as stored.
    let head: [UInt8]
    private let fd: Int32

    /// Opens `path`; nil when it cannot be opened or is not a regular file (then `LogFile` names
    /// the reason).
    init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            return nil
        }
        fd = descriptor
        size = Int64(info.st_size)
        var head = [UInt8](repeating: 0, count: Fingerprint.maxLength)
        let n = head.withUnsafeMutableBytes { Probe.readFully(descriptor, into: $0, at: 0) }
        head.removeLast(head.count - max(0, n))
        self.head = head
    }

    deinit { close(fd) }

    /// What the file's magic bytes say it is (`Compression.detect`).
    var detection: Compression.Detection { head.withUnsafeBytes { Compression.detect($0) } }

    /// Whether the file is compressed in a format that is read (gzip, zstd, xz, bzip2).
    var isCompressed: Bool {
        if case .compressed = detection { return true }
        return false
    }

    /// The identity of the file as stored, for a compressed file.
    var compressedIdentity: CompressedIdentity {
        CompressedIdentity(hash: head.withUnsafeBytes { Fingerprint.fnv($0) }, size: size)
    }

    /// Whether the (plain) file's bytes before `anchor.offset` are those the anchor was taken of.
    func matches(_ anchor: ResumeCheck, scratch: UnsafeMutableRawBufferPointer) -> Bool {
        let window = anchor.window
        guard anchor.offset <= size, scratch.count >= window else { return false }
        let target = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<window])
        guard Probe.readFully(fd, into: target, at: anchor.offset - Int64(window)) == window else { return false }
        return Fingerprint.fnv(UnsafeRawBufferPointer(target)) == anchor.hash
    }

    /// `pread(2)` until `buffer` is full or the file ends; the bytes read, or -1 on an error.
    static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int {
        var done = 0
        while done < buffer.count {
            guard
                case .success(let n) = valueOrErrno({
                    pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
                })
            else { return -1 }
            if n == 0 { break }
            done += n
        }
        return done
    }
}
