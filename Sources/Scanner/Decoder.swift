import CBzip2
import CIsal
import CLzma
import CZlib
import CZstd
import LogModel

#if canImport(Glibc)
import Glibc
#endif

/// What one call of a streaming decoder did.
struct DecodeStep {
    /// Input bytes used; the rest are given again (after more) on the next call.
    var consumed: Int
    /// Output bytes written.
    var produced: Int
    /// Whether the current member (gzip member, zstd frame, xz or bzip2 stream) ended, complete and
    /// checked. The input after it is not consumed.
    var ended: Bool
}

/// Why a decoder stopped.
enum DecodeFailure: Error {
    /// The data is not valid: the library's reason.
    case corrupt(String)
    /// Decoding would need more memory than `Decoders.memoryLimit`.
    case tooLarge(String)
}

/// A streaming decoder of one compressed format: fixed memory, fed and drained through the caller's
/// buffers, one member at a time.
protocol StreamDecoder: AnyObject {
    /// Decodes from `input` into `output`. `atEnd`: no input follows what is given.
    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, atEnd: Bool)
        throws(DecodeFailure) -> DecodeStep
    /// Prepares for the next member, after one ended.
    func restart() throws(DecodeFailure)
}

enum Decoders {
    /// The most memory one decoder may take for its window or dictionary: 16 MiB covers zstd levels
    /// 1-19 (windows up to 8 MiB; `--long` and `--ultra` need 128 MiB), xz presets 0-6 (-6, the
    /// default, needs 9 MiB; -7 17 MiB) and any bzip2 (at most 3.6 MiB).
    static let memoryLimit = 16 << 20

    /// The most memory all the decoders of the process take together for their windows and
    /// dictionaries, whatever `--jobs` (`DecoderBudget`).
    static let sharedLimit = 24 << 20

    /// gzip through zlib instead of ISA-L: `ACRSCAN_INFLATE=zlib` (for comparison, or should ISA-L
    /// ever misbehave on some machine; docs/performance.md).
    static let useZlib = getenv("ACRSCAN_INFLATE").map { String(cString: $0) } == "zlib"

    static func make(_ format: Compression, budget: DecoderBudget = .shared) throws(DecodeFailure) -> StreamDecoder {
        switch format {
        case .gzip: useZlib ? try ZlibGzipDecoder() : try IsalGzipDecoder()
        case .zstd: try ZstdDecoder(budget: budget)
        case .xz: try XzDecoder(budget: budget)
        case .bzip2: try Bzip2Decoder(budget: budget)
        }
    }

    static func mebibytes(_ bytes: UInt64) -> String {
        "\((bytes + (1 << 20) - 1) >> 20) MiB"
    }
}

/// gzip through ISA-L's inflate (`isal_inflate`, header and CRC-32 checked by the library).
final class IsalGzipDecoder: StreamDecoder {
    /// The state (about 80 KiB, tables and a 64 KiB history included), at a fixed address.
    private let state: UnsafeMutablePointer<inflate_state>

    init() throws(DecodeFailure) {
        state = .allocate(capacity: 1)
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
    }

    deinit { state.deallocate() }

    func restart() throws(DecodeFailure) {
        isal_inflate_reset(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
    }

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, atEnd: Bool)
        throws(DecodeFailure) -> DecodeStep
    {
        state.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        state.pointee.avail_in = UInt32(input.count)
        state.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        state.pointee.avail_out = UInt32(output.count)
        let rc = isal_inflate(state)
        guard rc >= 0 else { throw .corrupt(IsalGzipDecoder.reason(rc)) }
        // At the end of a member, ISA-L gives back the input bytes it read ahead.
        return DecodeStep(
            consumed: input.count - Int(state.pointee.avail_in), produced: output.count - Int(state.pointee.avail_out),
            ended: state.pointee.block_state == ISAL_BLOCK_FINISH)
    }

    static func reason(_ rc: Int32) -> String {
        switch rc {
        case ISAL_INVALID_BLOCK: "invalid deflate block"
        case ISAL_INVALID_SYMBOL: "invalid deflate code"
        case ISAL_INVALID_LOOKBACK: "invalid distance too far back"
        case ISAL_INVALID_WRAPPER: "invalid gzip header"
        case ISAL_UNSUPPORTED_METHOD: "unknown compression method"
        case ISAL_INCORRECT_CHECKSUM: "incorrect data check"
        default: "ISA-L error \(rc)"
        }
    }
}

/// zstd through libzstd's streaming decompression; windows up to `Decoders.memoryLimit`, reserved
/// from the shared budget when a frame's header says how large (libzstd keeps its buffers for the
/// next frames, so the reservation is held, and grown, until the decoder goes).
final class ZstdDecoder: StreamDecoder {
    private let context: OpaquePointer
    private let memory: DecoderReservation
    /// Whether the current frame's header was read and its window reserved.
    private var reserved = false

    init(budget: DecoderBudget = .shared) throws(DecodeFailure) {
        guard let context = ZSTD_createDCtx_advanced(WindowMemory.zstd) else {
            throw .corrupt("libzstd could not allocate a decoder")
        }
        self.context = context
        memory = DecoderReservation(budget)
        var log = 10
        while (1 << (log + 1)) <= Decoders.memoryLimit { log += 1 }
        _ = ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, Int32(log))
    }

    deinit { ZSTD_freeDCtx(context) }

    func restart() throws(DecodeFailure) {
        _ = ZSTD_DCtx_reset(context, ZSTD_reset_session_only)
        reserved = false
    }

    /// What libzstd allocates to decode the frame whose header `input` begins with: its window (no
    /// more than the content, when the header gives its size) and its blocks; nil while the
    /// header is not whole, 0 for what it will refuse itself (a window over the limit, a bad header).
    static func need(_ input: UnsafeRawBufferPointer) -> Int? {
        var header = ZSTD_frameHeader()
        let rc = ZSTD_getFrameHeader(&header, input.baseAddress, input.count)
        if ZSTD_isError(rc) != 0 { return 0 }
        if rc > 0 { return nil }
        guard header.frameType == ZSTD_frame, header.windowSize <= UInt64(Decoders.memoryLimit) else { return 0 }
        // The output buffer (window and blocks, libzstd's own sum) and the input buffer (a block).
        return Int(ZSTD_decodingBufferSize_min(header.windowSize, header.frameContentSize)) + Int(ZSTD_BLOCKSIZE_MAX)
    }

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, atEnd: Bool)
        throws(DecodeFailure) -> DecodeStep
    {
        if !reserved {
            guard let need = ZstdDecoder.need(input) ?? (atEnd ? 0 : nil) else {
                return DecodeStep(consumed: 0, produced: 0, ended: false)
            }
            try memory.grow(to: need)
            reserved = true
        }
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var target = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let rc = ZSTD_decompressStream(context, &target, &source)
        if ZSTD_isError(rc) != 0 {
            let reason = String(cString: ZSTD_getErrorName(rc))
            if ZSTD_getErrorCode(rc) == ZSTD_error_frameParameter_windowTooLarge {
                throw .tooLarge(
                    "\(reason.lowercased()): over \(Decoders.mebibytes(UInt64(Decoders.memoryLimit))), as written by zstd --long or --ultra"
                )
            }
            throw .corrupt(reason.lowercased())
        }
        // 0: a frame was decoded, checked and flushed; decoding stops there.
        return DecodeStep(consumed: source.pos, produced: target.pos, ended: rc == 0)
    }
}

/// xz through liblzma, one stream at a time (stream padding is skipped by the caller); memory up to
/// `Decoders.memoryLimit`.
final class XzDecoder: StreamDecoder {
    /// The stream, at a fixed address (liblzma keeps internal pointers).
    private let stream: UnsafeMutablePointer<lzma_stream>
    private let memory: DecoderReservation

    init(budget: DecoderBudget = .shared) throws(DecodeFailure) {
        memory = DecoderReservation(budget)
        stream = .allocate(capacity: 1)
        stream.initialize(to: lzma_stream())  // LZMA_STREAM_INIT: all zero
        stream.pointee.allocator = UnsafePointer(WindowMemory.lzma)
        do {
            try restart()
        } catch {
            stream.deallocate()
            throw error
        }
    }

    deinit {
        lzma_end(stream)
        stream.deallocate()
    }

    /// Starts a stream with the memory reserved so far as liblzma's limit: a stream that needs
    /// more stops with `LZMA_MEMLIMIT_ERROR`, and `decode` reserves what it needs and goes on.
    func restart() throws(DecodeFailure) {
        let rc = lzma_stream_decoder(stream, UInt64(max(1, memory.bytes)), 0)
        guard rc == LZMA_OK else { throw .corrupt("liblzma could not start a decoder (\(rc.rawValue))") }
    }

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, atEnd: Bool)
        throws(DecodeFailure) -> DecodeStep
    {
        stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_in = input.count
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = output.count
        var rc = lzma_code(stream, atEnd ? LZMA_FINISH : LZMA_RUN)
        while rc == LZMA_MEMLIMIT_ERROR, lzma_memusage(stream) <= UInt64(Decoders.memoryLimit) {
            // liblzma stopped before allocating: reserve what it asks for, raise its limit, go on.
            let need = Int(lzma_memusage(stream))
            try memory.grow(to: need)
            guard lzma_memlimit_set(stream, UInt64(need)) == LZMA_OK else { break }
            rc = lzma_code(stream, atEnd ? LZMA_FINISH : LZMA_RUN)
        }
        let step = DecodeStep(
            consumed: input.count - stream.pointee.avail_in, produced: output.count - stream.pointee.avail_out,
            ended: rc == LZMA_STREAM_END)
        switch rc {
        // BUF_ERROR: no progress possible (the caller sees a truncation)
        case LZMA_OK, LZMA_STREAM_END, LZMA_BUF_ERROR:
            return step
        case LZMA_MEMLIMIT_ERROR:
            throw .tooLarge(
                "needs \(Decoders.mebibytes(lzma_memusage(stream))) to decompress, over \(Decoders.mebibytes(UInt64(Decoders.memoryLimit))): written with xz -8 or -9"
            )
        case LZMA_FORMAT_ERROR: throw .corrupt("not in the xz format")
        case LZMA_OPTIONS_ERROR: throw .corrupt("unsupported compression options")
        case LZMA_DATA_ERROR: throw .corrupt("compressed data is corrupt")
        case LZMA_MEM_ERROR: throw .tooLarge("liblzma could not allocate memory")
        default: throw .corrupt("liblzma error \(rc.rawValue)")
        }
    }
}

/// bzip2 through libbz2, one stream at a time (pbzip2 and `cat` make several); at most about
/// 3.6 MiB for a 900k block.
final class Bzip2Decoder: StreamDecoder {
    private let stream: UnsafeMutablePointer<bz_stream>
    private var started = false
    private let memory: DecoderReservation
    /// Whether the current stream's block size was read and its memory reserved.
    private var reserved = false

    init(budget: DecoderBudget = .shared) throws(DecodeFailure) {
        memory = DecoderReservation(budget)
        stream = .allocate(capacity: 1)
        stream.initialize(to: bz_stream())
        do {
            try restart()
        } catch {
            stream.deallocate()
            throw error
        }
    }

    deinit {
        if started { BZ2_bzDecompressEnd(stream) }
        stream.deallocate()
    }

    func restart() throws(DecodeFailure) {
        if started { BZ2_bzDecompressEnd(stream) }
        started = false
        reserved = false
        stream.initialize(to: bz_stream())
        stream.pointee.bzalloc = { _, items, size in WindowMemory.allocate(Int(items) * Int(size)) }
        stream.pointee.bzfree = { _, pointer in WindowMemory.release(pointer) }
        let rc = BZ2_bzDecompressInit(stream, 0, 0)
        guard rc == BZ_OK else {
            throw rc == BZ_MEM_ERROR
                ? .tooLarge("libbz2 could not allocate memory") : .corrupt("libbz2 could not start a decoder (\(rc))")
        }
        started = true
    }

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, atEnd: Bool)
        throws(DecodeFailure) -> DecodeStep
    {
        if !reserved {
            // "BZh1" to "BZh9": blocks of 100k to 900k, 4 bytes each to decode (libbz2's fast mode).
            guard input.count >= 4 || atEnd else { return DecodeStep(consumed: 0, produced: 0, ended: false) }
            if input.count >= 4, (0x31...0x39).contains(input[3]) {
                try memory.grow(to: Int(input[3] - 0x30) * 400_000 + 64 * 1024)
            }
            reserved = true
        }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: CChar.self))
        stream.pointee.avail_in = UInt32(input.count)
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: CChar.self)
        stream.pointee.avail_out = UInt32(output.count)
        let rc = BZ2_bzDecompress(stream)
        switch rc {
        case BZ_OK, BZ_STREAM_END:
            return DecodeStep(
                consumed: input.count - Int(stream.pointee.avail_in),
                produced: output.count - Int(stream.pointee.avail_out),
                ended: rc == BZ_STREAM_END)
        case BZ_DATA_ERROR: throw .corrupt("data integrity error")
        case BZ_DATA_ERROR_MAGIC: throw .corrupt("bad stream header")
        case BZ_MEM_ERROR: throw .tooLarge("libbz2 could not allocate memory")
        default: throw .corrupt("libbz2 error \(rc)")
        }
    }
}

/// gzip through zlib's inflate (header and CRC-32 checked by the library).
final class ZlibGzipDecoder: StreamDecoder {
    /// The stream, at a fixed address (zlib keeps a pointer back to it).
    private let stream: UnsafeMutablePointer<z_stream>

    init() throws(DecodeFailure) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stream.deallocate()
            throw .corrupt("zlib init failed (\(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    func restart() throws(DecodeFailure) {
        guard inflateReset(stream) == Z_OK else { throw .corrupt("reset failed") }
    }

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, atEnd: Bool)
        throws(DecodeFailure) -> DecodeStep
    {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(output.count)
        let rc = inflate(stream, Z_NO_FLUSH)
        switch rc {
        case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
            return DecodeStep(
                consumed: input.count - Int(stream.pointee.avail_in),
                produced: output.count - Int(stream.pointee.avail_out),
                ended: rc == Z_STREAM_END)
        default:
            throw .corrupt(stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)")
        }
    }
}

/// The memory all decoders of the process may take together for their windows and dictionaries
/// (`Decoders.sharedLimit`): a zstd window, an xz dictionary, a bzip2 block are reserved here before
/// the library allocates them, and given back when the decoder goes (issue 14: sixteen MiB per
/// decoder and eight jobs made 128 MiB). A decoder that does not fit waits until others give
/// back enough; one whose own thread already holds a reservation (a second decoder of the same
/// worker, which could wait for itself forever) is refused instead, named. gzip's fixed 80 KiB of
/// state is not counted.
public final class DecoderBudget: @unchecked Sendable {
    /// The process's budget.
    public static let shared = DecoderBudget(total: Decoders.sharedLimit)

    /// Bytes the decoders may reserve together.
    public let total: Int
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    private var used = 0
    private var byThread: [pthread_t: Int] = [:]
    /// The most ever reserved at once (for tests and figures).
    public private(set) var peak = 0
    private var waited = 0

    public init(total: Int) {
        self.total = total
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
    }

    deinit {
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    /// Bytes reserved now.
    public var reserved: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return used
    }

    /// The most reserved at once so far (`peak`, read under the lock): the store gives its page
    /// cache what the decoders have not needed (`Store.pageCacheKiB`).
    public var mostReserved: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return peak
    }

    /// How many reservations had to wait so far (read under the lock: a test polls it while
    /// decoders run).
    public var waits: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return waited
    }

    /// Reserves `bytes` more for the calling thread, waiting while other threads hold too much.
    func reserve(_ bytes: Int) throws(DecodeFailure) {
        guard bytes > 0 else { return }
        let me = pthread_self()
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        guard bytes <= total else {
            throw .tooLarge(
                "needs \(Decoders.mebibytes(UInt64(bytes))), over the \(Decoders.mebibytes(UInt64(total))) all decoders share"
            )
        }
        var counted = false
        while used + bytes > total {
            if byThread[me, default: 0] > 0 {
                throw .tooLarge(
                    "needs \(Decoders.mebibytes(UInt64(bytes))) more, and the \(Decoders.mebibytes(UInt64(total))) all decoders share are taken"
                )
            }
            if !counted {
                waited += 1
                counted = true
            }
            pthread_cond_wait(&condition, &mutex)
        }
        used += bytes
        byThread[me, default: 0] += bytes
        peak = max(peak, used)
    }

    /// Gives back `bytes` reserved by `owner`.
    func release(_ bytes: Int, of owner: pthread_t) {
        guard bytes > 0 else { return }
        pthread_mutex_lock(&mutex)
        used -= bytes
        let left = byThread[owner, default: 0] - bytes
        byThread[owner] = left > 0 ? left : nil
        pthread_cond_broadcast(&condition)
        pthread_mutex_unlock(&mutex)
    }
}

/// One decoder's share of a `DecoderBudget`: grown as its frames or streams need more, given back
/// whole when the decoder goes.
final class DecoderReservation {
    private let budget: DecoderBudget
    /// Bytes held.
    private(set) var bytes = 0
    /// The thread that reserved them (a decoder is used by one worker at a time).
    private var owner: pthread_t?

    init(_ budget: DecoderBudget) {
        self.budget = budget
    }

    deinit { if let owner { budget.release(bytes, of: owner) } }

    /// Holds at least `need` bytes from now on.
    func grow(to need: Int) throws(DecodeFailure) {
        guard need > bytes else { return }
        if let owner, owner != pthread_self() {
            // Another thread took the decoder over: move what it holds to this one.
            budget.release(bytes, of: owner)
            bytes = 0
            self.owner = nil
        }
        try budget.reserve(need - bytes)
        bytes = need
        owner = pthread_self()
    }
}

/// Where zstd, liblzma and libbz2 get their memory: large blocks (windows, dictionaries, bzip2
/// blocks) straight from `mmap`, so that they go back to the system when freed. Through `malloc`,
/// a freed 16 MiB window raises glibc's mmap threshold and the next windows stay in each thread's
/// arena: with the budget held, peak RSS still grew by a window per worker.
enum WindowMemory {
    /// Blocks from this size on are mapped.
    static let threshold = 128 * 1024
    /// The header before each block: its size (mapped) or 0 (from malloc); 16 bytes keep alignment.
    private static let header = 16

    static func allocate(_ size: Int) -> UnsafeMutableRawPointer? {
        guard size >= 0 else { return nil }
        if size < threshold {
            guard let base = malloc(size + header) else { return nil }
            base.storeBytes(of: 0, as: Int.self)
            return base + header
        }
        let base = mmap(nil, size + header, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let base, base != MAP_FAILED else { return nil }
        base.storeBytes(of: size, as: Int.self)
        return base + header
    }

    static func release(_ pointer: UnsafeMutableRawPointer?) {
        guard let pointer else { return }
        let base = pointer - header
        let size = base.load(as: Int.self)
        if size == 0 {
            free(base)
        } else {
            munmap(base, size + header)
        }
    }

    static var zstd: ZSTD_customMem {
        ZSTD_customMem(
            customAlloc: { _, size in WindowMemory.allocate(size) },
            customFree: { _, pointer in WindowMemory.release(pointer) }, opaque: nil)
    }

    /// liblzma keeps a pointer to its allocator: one, for the process, at a fixed address.
    nonisolated(unsafe) static let lzma: UnsafeMutablePointer<lzma_allocator> = {
        let allocator = UnsafeMutablePointer<lzma_allocator>.allocate(capacity: 1)
        allocator.initialize(
            to: lzma_allocator(
                alloc: { _, count, size in
                    let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
                    return overflow ? nil : WindowMemory.allocate(bytes)
                },
                free: { _, pointer in WindowMemory.release(pointer) }, opaque: nil))
        return allocator
    }()
}
