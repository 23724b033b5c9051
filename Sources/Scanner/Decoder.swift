import LogModel
import CBzip2
#if canImport(Glibc)
import Glibc
#endif
import CIsal
import CLzma
import CZlib
import CZstd

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
    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, atEnd: Bool) throws(DecodeFailure) -> DecodeStep
    /// Prepares for the next member, after one ended.
    func restart() throws(DecodeFailure)
}

enum Decoders {
    /// The most memory one decoder may take for its window or dictionary: 16 MiB covers zstd levels
    /// 1-19 (windows up to 8 MiB; `--long` and `--ultra` need 128 MiB), xz presets 0-6 (-6, the
    /// default, needs 9 MiB; -7 17 MiB) and any bzip2 (at most 3.6 MiB).
    static let memoryLimit = 16 << 20

    /// gzip through zlib instead of ISA-L: `ACRSCAN_INFLATE=zlib` (for comparison, or should ISA-L
    /// ever misbehave on some machine; docs/performance.md).
    static let useZlib = getenv("ACRSCAN_INFLATE").map { String(cString: $0) } == "zlib"

    static func make(_ format: Compression) throws(DecodeFailure) -> StreamDecoder {
        switch format {
        case .gzip: useZlib ? try ZlibGzipDecoder() : try IsalGzipDecoder()
        case .zstd: try ZstdDecoder()
        case .xz: try XzDecoder()
        case .bzip2: try Bzip2Decoder()
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

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, atEnd: Bool) throws(DecodeFailure) -> DecodeStep {
        state.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        state.pointee.avail_in = UInt32(input.count)
        state.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        state.pointee.avail_out = UInt32(output.count)
        let rc = isal_inflate(state)
        guard rc >= 0 else { throw .corrupt(IsalGzipDecoder.reason(rc)) }
        // At the end of a member, ISA-L gives back the input bytes it read ahead.
        return DecodeStep(consumed: input.count - Int(state.pointee.avail_in), produced: output.count - Int(state.pointee.avail_out),
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

/// zstd through libzstd's streaming decompression; windows up to `Decoders.memoryLimit`.
final class ZstdDecoder: StreamDecoder {
    private let context: OpaquePointer

    init() throws(DecodeFailure) {
        guard let context = ZSTD_createDCtx() else { throw .corrupt("libzstd could not allocate a decoder") }
        self.context = context
        var log = 10
        while (1 << (log + 1)) <= Decoders.memoryLimit { log += 1 }
        _ = ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, Int32(log))
    }

    deinit { ZSTD_freeDCtx(context) }

    func restart() throws(DecodeFailure) {
        _ = ZSTD_DCtx_reset(context, ZSTD_reset_session_only)
    }

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, atEnd: Bool) throws(DecodeFailure) -> DecodeStep {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var target = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let rc = ZSTD_decompressStream(context, &target, &source)
        if ZSTD_isError(rc) != 0 {
            let reason = String(cString: ZSTD_getErrorName(rc))
            if ZSTD_getErrorCode(rc) == ZSTD_error_frameParameter_windowTooLarge {
                throw .tooLarge("\(reason.lowercased()): over \(Decoders.mebibytes(UInt64(Decoders.memoryLimit))), as written by zstd --long or --ultra")
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

    init() throws(DecodeFailure) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: lzma_stream())  // LZMA_STREAM_INIT: all zero
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

    func restart() throws(DecodeFailure) {
        let rc = lzma_stream_decoder(stream, UInt64(Decoders.memoryLimit), 0)
        guard rc == LZMA_OK else { throw .corrupt("liblzma could not start a decoder (\(rc.rawValue))") }
    }

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, atEnd: Bool) throws(DecodeFailure) -> DecodeStep {
        stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_in = input.count
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = output.count
        let rc = lzma_code(stream, atEnd ? LZMA_FINISH : LZMA_RUN)
        let step = DecodeStep(consumed: input.count - stream.pointee.avail_in, produced: output.count - stream.pointee.avail_out,
                              ended: rc == LZMA_STREAM_END)
        switch rc {
        case LZMA_OK, LZMA_STREAM_END, LZMA_BUF_ERROR:  // BUF_ERROR: no progress possible (the caller sees a truncation)
            return step
        case LZMA_MEMLIMIT_ERROR:
            throw .tooLarge("needs \(Decoders.mebibytes(lzma_memusage(stream))) to decompress, over \(Decoders.mebibytes(UInt64(Decoders.memoryLimit))): written with xz -8 or -9")
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

    init() throws(DecodeFailure) {
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
        stream.initialize(to: bz_stream())
        let rc = BZ2_bzDecompressInit(stream, 0, 0)
        guard rc == BZ_OK else { throw rc == BZ_MEM_ERROR ? .tooLarge("libbz2 could not allocate memory") : .corrupt("libbz2 could not start a decoder (\(rc))") }
        started = true
    }

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, atEnd: Bool) throws(DecodeFailure) -> DecodeStep {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: CChar.self))
        stream.pointee.avail_in = UInt32(input.count)
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: CChar.self)
        stream.pointee.avail_out = UInt32(output.count)
        let rc = BZ2_bzDecompress(stream)
        switch rc {
        case BZ_OK, BZ_STREAM_END:
            return DecodeStep(consumed: input.count - Int(stream.pointee.avail_in), produced: output.count - Int(stream.pointee.avail_out),
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

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, atEnd: Bool) throws(DecodeFailure) -> DecodeStep {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(output.count)
        let rc = inflate(stream, Z_NO_FLUSH)
        switch rc {
        case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
            return DecodeStep(consumed: input.count - Int(stream.pointee.avail_in), produced: output.count - Int(stream.pointee.avail_out),
                              ended: rc == Z_STREAM_END)
        default:
            throw .corrupt(stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)")
        }
    }
}
