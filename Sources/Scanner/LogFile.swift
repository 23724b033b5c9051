import CZlib

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
    case corruptGzip(path: String, reason: String)
    case truncatedGzip(path: String)
    /// A regular file that became shorter while it was read (truncated by another process).
    case shrank(path: String, size: Int64, read: Int64)
    /// A path left out of the walk: a dangling link, a directory seen before, an unusable name.
    case skipped(path: String, reason: String)

    /// The file concerned.
    public var path: String {
        switch self {
        case .notFound(let p), .permissionDenied(let p), .notRegular(let p, _), .readFailed(let p, _),
             .corruptGzip(let p, _), .truncatedGzip(let p), .shrank(let p, _, _), .skipped(let p, _): p
        }
    }

    /// A one-line message: the file and the reason.
    public var description: String {
        switch self {
        case .notFound(let p): "\(p): no such file or directory"
        case .permissionDenied(let p): "\(p): permission denied"
        case .notRegular(let p, let kind): "\(p): skipped, not a regular file (\(kind))"
        case .readFailed(let p, let reason): "\(p): read failed: \(reason)"
        case .corruptGzip(let p, let reason): "\(p): corrupt gzip data (\(reason)); scanned as far as it goes"
        case .truncatedGzip(let p): "\(p): truncated gzip file; scanned as far as it goes"
        case .shrank(let p, let size, let read):
            "\(p): shrank while being read (\(size) bytes when opened, ended after \(read)); scanned as far as it goes"
        case .skipped(let p, let reason): "\(p): skipped, \(reason)"
        }
    }
}

/// A log opened for reading: a regular file or standard input, plain or gzip (recognised by its
/// magic bytes, multi-member files included). Reads go through fixed buffers; memory stays
/// bounded whatever the file size or compression ratio.
public final class LogFile {
    /// The path as given (`-` for standard input).
    public let path: String
    /// Whether the content is gzip-compressed.
    public private(set) var isGzip = false
    /// Size on disk in bytes, for regular files (compressed size for gzip).
    public let sizeOnDisk: Int64?
    /// Modification time, milliseconds since the epoch (now, for standard input).
    public let modified: Int64

    let fd: Int32
    let ownsDescriptor: Bool
    /// Raw bytes read ahead (the magic-byte sniff, then gzip input).
    var raw: UnsafeMutableRawBufferPointer
    var rawStart = 0, rawEnd = 0
    var rawEOF = false
    /// The zlib stream, at a fixed address (zlib keeps a pointer back to it).
    var stream: UnsafeMutablePointer<z_stream>?
    var streamEnded = false
    /// Decompressed bytes handed out so far.
    public private(set) var delivered: Int64 = 0

    /// Bytes read from the file per `read(2)`.
    public static let rawCapacity = 256 * 1024

    /// Opens `path` (`-` for standard input). Directories, FIFOs, devices and sockets are refused.
    public init(path: String) throws(InputError) {
        self.path = path
        if path == "-" {
            fd = 0
            ownsDescriptor = false
            sizeOnDisk = nil
            modified = LogFile.now()
        } else {
            let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            guard descriptor >= 0 else { throw LogFile.openError(path: path, errno: errno) }
            var info = stat()
            guard fstat(descriptor, &info) == 0 else {
                close(descriptor)
                throw .readFailed(path: path, reason: String(cString: strerror(errno)))
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
        raw = .allocate(byteCount: LogFile.rawCapacity, alignment: 16)
        try sniff()
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deallocate()
        }
        raw.deallocate()
        if ownsDescriptor { close(fd) }
    }

    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    static func openError(path: String, errno code: Int32) -> InputError {
        switch code {
        case ENOENT, ENOTDIR: .notFound(path: path)
        case EACCES, EPERM: .permissionDenied(path: path)
        default: .readFailed(path: path, reason: String(cString: strerror(code)))
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

    /// Fills the raw buffer's free tail; false at end of file.
    func fillRaw() throws(InputError) -> Bool {
        if rawStart == rawEnd { rawStart = 0; rawEnd = 0 }
        if rawEnd == raw.count, rawStart > 0 {
            let kept = rawEnd - rawStart
            raw.baseAddress!.copyMemory(from: raw.baseAddress! + rawStart, byteCount: kept)
            rawStart = 0
            rawEnd = kept
        }
        guard !rawEOF, rawEnd < raw.count else { return false }
        while true {
            let n = systemRead(fd, raw.baseAddress! + rawEnd, raw.count - rawEnd)
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { rawEOF = true; return false }
            rawEnd += n
            return true
        }
    }

    /// Reads the first bytes and decides plain or gzip (1F 8B).
    func sniff() throws(InputError) {
        while rawEnd < 2, try fillRaw() {}
        if rawEnd >= 2, raw[0] == 0x1F, raw[1] == 0x8B {
            isGzip = true
            try startMember()
        }
    }

    func startMember() throws(InputError) {
        if let stream {
            guard inflateReset(stream) == Z_OK else { throw .corruptGzip(path: path, reason: "reset failed") }
            return
        }
        let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        s.initialize(to: z_stream())
        let rc = inflateInit2_(s, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            s.deallocate()
            throw .corruptGzip(path: path, reason: "zlib init failed (\(rc))")
        }
        stream = s
    }

    /// Reads up to `buffer.count` bytes of content (decompressed); 0 at the end.
    /// Throws after the last good bytes were handed out when the file is truncated or corrupt.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard buffer.count > 0 else { return 0 }
        if !isGzip {
            if rawStart < rawEnd {  // bytes read while sniffing
                let n = min(buffer.count, rawEnd - rawStart)
                buffer.baseAddress!.copyMemory(from: raw.baseAddress! + rawStart, byteCount: n)
                rawStart += n
                delivered += Int64(n)
                return n
            }
            while true {
                let n = systemRead(fd, buffer.baseAddress!, buffer.count)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw .readFailed(path: path, reason: String(cString: strerror(errno)))
                }
                if n == 0, let size = sizeOnDisk, delivered < size {
                    // The end came before the size seen at open: another process truncated the file.
                    throw .shrank(path: path, size: size, read: delivered)
                }
                delivered += Int64(n)
                return n
            }
        }
        return try inflate(into: buffer)
    }

    func inflate(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        while true {
            if streamEnded {
                // Another gzip member may follow (logrotate, `cat a.gz b.gz`); anything else ends it.
                while rawEnd - rawStart < 2, try fillRaw() {}
                guard rawEnd - rawStart >= 2, raw[rawStart] == 0x1F, raw[rawStart + 1] == 0x8B else { return 0 }
                try startMember()
                streamEnded = false
            }
            if rawStart == rawEnd, !(try fillRaw()) {
                throw .truncatedGzip(path: path)
            }
            guard let s = stream else { return 0 }
            s.pointee.next_in = (raw.baseAddress! + rawStart).assumingMemoryBound(to: Bytef.self)
            s.pointee.avail_in = uInt(rawEnd - rawStart)
            s.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
            s.pointee.avail_out = uInt(buffer.count)
            let rc = CZlib.inflate(s, Z_NO_FLUSH)
            let consumed = (rawEnd - rawStart) - Int(s.pointee.avail_in)
            let produced = buffer.count - Int(s.pointee.avail_out)
            rawStart += consumed
            switch rc {
            case Z_STREAM_END:
                streamEnded = true
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                let reason = s.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                throw .corruptGzip(path: path, reason: reason)
            }
            if produced > 0 {
                delivered += Int64(produced)
                return produced
            }
        }
    }

    /// Skips `count` bytes of content: a seek for plain regular files, decompression into a
    /// scratch buffer for gzip and pipes. Returns the bytes actually skipped.
    public func skip(_ count: Int64, scratch: UnsafeMutableRawBufferPointer) throws(InputError) -> Int64 {
        guard count > 0 else { return 0 }
        if !isGzip, ownsDescriptor {
            // The raw buffer holds the bytes just after `delivered`; a seek replaces reading them.
            let end = Int64(lseek(fd, 0, SEEK_END))
            let landed = min(delivered + count, end)
            guard lseek(fd, off_t(landed), SEEK_SET) >= 0 else {
                throw .readFailed(path: path, reason: String(cString: strerror(errno)))
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
