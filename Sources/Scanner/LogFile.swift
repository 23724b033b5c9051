import LogModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a log could not be read (fully). Every case names the file.
public enum InputError: Error, CustomStringConvertible, Sendable, Equatable {
    case notFound(path: String)
    case permissionDenied(path: String)
    case notRegular(path: String, kind: String)
    case readFailed(path: String, reason: String)
    /// Compressed data that is not valid: the library's reason.
    case corrupt(path: String, format: Compression, reason: String)
    /// Compressed data that ends before its last member does.
    case truncated(path: String, format: Compression)
    /// Compressed data that would take more memory to decompress than acrscan allows.
    case tooLarge(path: String, format: Compression, reason: String)
    /// A regular file that became shorter while it was read (truncated by another process).
    case shrank(path: String, size: Int64, read: Int64)
    /// A path left out of the walk (a dangling link, a directory seen before, an unusable name), or
    /// a file in a format that is recognised but not read (lz4, journald's binary journal).
    case skipped(path: String, reason: String)

    /// Corrupt gzip data.
    public static func corruptGzip(path: String, reason: String) -> InputError {
        .corrupt(path: path, format: .gzip, reason: reason)
    }
    /// A truncated gzip file.
    public static func truncatedGzip(path: String) -> InputError { .truncated(path: path, format: .gzip) }

    /// The file concerned.
    public var path: String {
        switch self {
        case .notFound(let p), .permissionDenied(let p), .notRegular(let p, _), .readFailed(let p, _),
            .corrupt(let p, _, _), .truncated(let p, _), .tooLarge(let p, _, _), .shrank(let p, _, _),
            .skipped(let p, _):
            p
        }
    }

    /// A one-line message: the file and the reason.
    public var description: String {
        switch self {
        case .notFound(let p): "\(p): no such file or directory"
        case .permissionDenied(let p): "\(p): permission denied"
        case .notRegular(let p, let kind): "\(p): skipped, not a regular file (\(kind))"
        case .readFailed(let p, let reason): "\(p): read failed: \(reason)"
        case .corrupt(let p, let format, let reason):
            "\(p): corrupt \(format) data (\(reason)); scanned as far as it goes"
        case .truncated(let p, let format): "\(p): truncated \(format) file; scanned as far as it goes"
        case .tooLarge(let p, let format, let reason):
            "\(p): \(format) data too large to decompress (\(reason)); scanned as far as it goes"
        case .shrank(let p, let size, let read):
            "\(p): shrank while being read (\(size) bytes when opened, ended after \(read)); scanned as far as it goes"
        case .skipped(let p, let reason): "\(p): skipped, \(reason)"
        }
    }
}

/// A log opened for reading: a regular file or standard input, plain or compressed (gzip, zstd, xz,
/// bzip2: recognised by their magic bytes, multi-member files included). Reads go through fixed
/// buffers; memory stays bounded whatever the file size or compression ratio.
public final class LogFile {
    /// The path as given (`-` for standard input).
    public let path: String
    /// The compressed format of the content; nil for plain content.
    public private(set) var compression: Compression?
    /// Whether the content is compressed (and so must be decompressed to be read or skipped).
    public var isCompressed: Bool { compression != nil }
    /// Whether the content is gzip-compressed.
    public var isGzip: Bool { compression == .gzip }
    /// Size on disk in bytes, for regular files (compressed size for compressed content).
    public let sizeOnDisk: Int64?
    /// Modification time, milliseconds since the epoch (now, for standard input).
    public let modified: Int64

    let fd: Int32
    let ownsDescriptor: Bool
    /// Raw bytes read ahead (the magic-byte sniff, then compressed input).
    var raw: UnsafeMutableRawBufferPointer
    var rawStart = 0, rawEnd = 0
    var rawEOF = false
    /// The decoder of compressed content, and whether its current member ended.
    var decoder: StreamDecoder?
    var memberEnded = false
    /// Decompressed bytes handed out so far.
    public private(set) var delivered: Int64 = 0

    /// Bytes read from the file per `read(2)`.
    public static let rawCapacity = 256 * 1024
    /// Bytes the sniff reads (`sniff`): a page, not the whole raw buffer. A plain file's content is
    /// read straight into the caller's buffer afterwards, so the rest of `raw` is never touched:
    /// each file's sniff used to fill all 256 KiB of a buffer allocated for it, 64 pages faulted in
    /// and then copied out again (docs/performance.md, branch `scancpu`).
    static let sniffRead = 4096
    /// The alignment of every buffer a file is read into (`raw`, the scan's chunks, `ReadAhead`'s
    /// slots): a page. The kernel's copy out of the page cache runs at a fraction of its speed into a
    /// destination that is not 32-byte aligned on some processors: on AMD Zen 3, `read(2)` of
    /// 256 KiB into a buffer 16 bytes past a page moved 1.6 GB/s, into an aligned one 7.5 GB/s
    /// (`scripts/read-alignment.c`; docs/performance.md, "Sixth session of 2026-12-02"). Reads start
    /// at aligned file offsets too: the sniff reads a page, then chunks of whole pages.
    public static let bufferAlignment = 4096

    /// Opens `path` (`-` for standard input). Directories, FIFOs, devices and sockets are refused.
    public init(path: String) throws(InputError) {
        self.path = path
        if path == "-" {
            fd = 0
            ownsDescriptor = false
            sizeOnDisk = nil
            modified = Timestamp.now()
        } else {
            let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            guard descriptor >= 0 else { throw LogFile.openError(path: path, errno: errno) }
            var info = stat()
            guard fstat(descriptor, &info) == 0 else {
                close(descriptor)
                throw .readFailed(path: path, reason: Errno.current.description)
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                close(descriptor)
                throw .notRegular(path: path, kind: LogFile.kind(info.st_mode))
            }
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
            fd = descriptor
            ownsDescriptor = true
            sizeOnDisk = Int64(info.st_size)
            #if canImport(Darwin)
            modified = Int64(info.st_mtimespec.tv_sec) * 1000
            #else
            modified = Int64(info.st_mtim.tv_sec) * 1000
            #endif
        }
        raw = .allocate(byteCount: LogFile.rawCapacity, alignment: LogFile.bufferAlignment)
        try sniff()
    }

    deinit {
        decoder = nil
        raw.deallocate()
        if ownsDescriptor { close(fd) }
    }

    /// The error of a read of this file that failed with `error`.
    func readFailure(_ error: Errno) -> InputError {
        .readFailed(path: path, reason: error.description)
    }

    public static func openError(path: String, errno code: Int32) -> InputError {
        switch code {
        case ENOENT, ENOTDIR: .notFound(path: path)
        case EACCES, EPERM: .permissionDenied(path: path)
        default: .readFailed(path: path, reason: Errno(rawValue: code).description)
        }
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "directory"
        case S_IFIFO: "FIFO"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        case S_IFSOCK: "socket"
        default: "special file"
        }
    }

    /// Fills the raw buffer's free tail (up to `limit` bytes of it in use); false at end of file.
    func fillRaw(limit: Int = .max) throws(InputError) -> Bool {
        if rawStart == rawEnd {
            rawStart = 0
            rawEnd = 0
        }
        if rawEnd == raw.count, rawStart > 0 {
            let kept = rawEnd - rawStart
            // The kept bytes end on a cache line, so that the read after them lands aligned
            // (`bufferAlignment`), when the buffer has the room.
            let pad = (64 - kept % 64) % 64
            let at = pad < rawStart ? pad : 0
            (raw.baseAddress! + at).copyMemory(from: raw.baseAddress! + rawStart, byteCount: kept)
            rawStart = at
            rawEnd = at + kept
        }
        let end = min(raw.count, limit)
        guard !rawEOF, rawEnd < end else { return false }
        let n = try valueOrErrno({ systemRead(fd, raw.baseAddress! + rawEnd, end - rawEnd) }).mapError(
            readFailure
        ).get()
        if n == 0 {
            rawEOF = true
            return false
        }
        rawEnd += n
        return true
    }

    /// Reads the first bytes and decides plain or compressed (`Compression.detect`); a format that
    /// is recognised but not read is refused here, named.
    func sniff() throws(InputError) {
        while rawEnd < Compression.sniffLength, try fillRaw(limit: LogFile.sniffRead) {}
        switch Compression.detect(UnsafeRawBufferPointer(rebasing: raw[0..<rawEnd])) {
        case .plain:
            break
        case .compressed(let format):
            compression = format
            do {
                decoder = try Decoders.make(format)
            } catch {
                throw inputError(error, format)
            }
        case .unreadable(let reason):
            throw .skipped(path: path, reason: reason)
        }
    }

    func inputError(_ failure: DecodeFailure, _ format: Compression) -> InputError {
        switch failure {
        case .corrupt(let reason): .corrupt(path: path, format: format, reason: reason)
        case .tooLarge(let reason): .tooLarge(path: path, format: format, reason: reason)
        }
    }

    /// Reads up to `buffer.count` bytes of content (decompressed); 0 at the end.
    /// Throws after the last good bytes were handed out when the file is truncated or corrupt.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard buffer.count > 0 else { return 0 }
        if compression == nil {
            if rawStart < rawEnd {  // bytes read while sniffing
                let n = min(buffer.count, rawEnd - rawStart)
                buffer.baseAddress!.copyMemory(from: raw.baseAddress! + rawStart, byteCount: n)
                rawStart += n
                delivered += Int64(n)
                return n
            }
            let n = try valueOrErrno({ systemRead(fd, buffer.baseAddress!, buffer.count) }).mapError(readFailure).get()
            if n == 0, let size = sizeOnDisk, delivered < size {
                // The end came before the size seen at open: another process truncated the file.
                throw .shrank(path: path, size: size, read: delivered)
            }
            delivered += Int64(n)
            return n
        }
        return try decompress(into: buffer)
    }

    /// Decompresses into `buffer`, member after member, until it holds something or the content ends.
    func decompress(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard let decoder, let format = compression else { return 0 }
        while true {
            if memberEnded {
                // Another member may follow (logrotate, `cat a.gz b.gz`, pzstd, pbzip2); anything else ends it.
                guard try nextMember(format) else { return 0 }
                do { try decoder.restart() } catch { throw inputError(error, format) }
                memberEnded = false
            }
            if rawStart == rawEnd, !rawEOF { _ = try fillRaw() }
            let step: DecodeStep
            do {
                step = try decoder.decode(
                    UnsafeRawBufferPointer(rebasing: raw[rawStart..<rawEnd]), into: buffer, atEnd: rawEOF)
            } catch {
                throw inputError(error, format)
            }
            rawStart += step.consumed
            if step.ended { memberEnded = true }
            if step.produced > 0 {
                delivered += Int64(step.produced)
                return step.produced
            }
            if step.ended || step.consumed > 0 { continue }
            // No progress: the decoder needs input that the file does not have.
            if rawEOF { throw .truncated(path: path, format: format) }
            if !(try fillRaw()), !rawEOF {
                throw .corrupt(path: path, format: format, reason: "the decoder made no progress")
            }
        }
    }

    /// Whether another member of `format` follows the one that ended (after xz's stream padding).
    func nextMember(_ format: Compression) throws(InputError) -> Bool {
        if format == .xz {
            while true {
                while rawStart < rawEnd, raw[rawStart] == 0 { rawStart += 1 }
                if rawStart < rawEnd { break }
                guard try fillRaw() else { return false }
            }
        }
        while rawEnd - rawStart < format.magicLength, try fillRaw() {}
        return format.startsMember(UnsafeRawBufferPointer(rebasing: raw[rawStart..<rawEnd]))
    }

    /// Skips `count` bytes of content: a seek for plain regular files, decompression into a
    /// scratch buffer for compressed content and pipes. Returns the bytes actually skipped.
    public func skip(_ count: Int64, scratch: UnsafeMutableRawBufferPointer) throws(InputError) -> Int64 {
        guard count > 0 else { return 0 }
        if compression == nil, ownsDescriptor {
            // The raw buffer holds the bytes just after `delivered`; a seek replaces reading them.
            let end = Int64(lseek(fd, 0, SEEK_END))
            let landed = min(delivered + count, end)
            guard lseek(fd, off_t(landed), SEEK_SET) >= 0 else {
                throw .readFailed(path: path, reason: Errno.current.description)
            }
            rawStart = 0
            rawEnd = 0
            let skipped = landed - delivered
            delivered = landed
            return skipped
        }
        var skipped: Int64 = 0
        while skipped < count {
            let want = Int(min(Int64(scratch.count), count - skipped))
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<want]))
            if n == 0 { break }
            skipped += Int64(n)
        }
        return skipped
    }
}

/// `read(2)`, named apart from `LogFile.read(into:)`.
@inline(__always)
func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
