import LogModel
import LogScanner
import LogStore

/// The last bytes of a stream fed to the scanner, so that an anchor can be taken at the scanner's
/// checkpoint, which lags a little behind the bytes read (a failure may still be open there).
///
/// Keeps the last `capacity` bytes in a ring; each chunk costs a copy of at most `capacity` bytes,
/// not of the whole chunk.
struct TrailingBytes {
    /// Bytes kept.
    static let capacity = 64 * 1024

    private var ring = [UInt8](repeating: 0, count: TrailingBytes.capacity)
    /// Stream offset just past the last byte kept.
    private(set) var end: Int64
    /// Bytes kept (at most `capacity`).
    private var count = 0
    /// The furthest checkpoint given to `append(_:askedFrom:lineLimit:)`: no later one may be before it.
    private(set) var askedFrom: Int64 = 0

    /// An empty window at stream offset `start`.
    init(start: Int64) {
        end = start
    }

    /// Appends the next bytes of the stream.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        let kept = min(bytes.count, TrailingBytes.capacity)
        let tail = UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - kept)...])
        end += Int64(bytes.count - kept)
        let at = Int(end % Int64(TrailingBytes.capacity))
        let first = min(kept, TrailingBytes.capacity - at)
        ring.withUnsafeMutableBytes { ring in
            // `at + first <= capacity` and `kept - first <= at`: both copies stay inside the ring.
            ring.baseAddress!.advanced(by: at).copyMemory(from: tail.baseAddress!, byteCount: first)
            if kept > first { ring.baseAddress!.copyMemory(from: tail.baseAddress! + first, byteCount: kept - first) }
        }
        end += Int64(kept)
        count = min(count + bytes.count, TrailingBytes.capacity)
    }

    /// Appends the next bytes of the stream when nothing before stream offset `checkpoint` will be
    /// asked for (`anchor` and `line` at offsets from `checkpoint` on, lines no longer than
    /// `lineLimit`, and the anchor at the end): copies only the part of `bytes` those can read,
    /// from the line before `checkpoint` on, instead of the last `capacity` bytes of every read.
    /// The answers are those `append(_:)` gives for such offsets (`TrailingBytesTests`).
    mutating func append(_ bytes: UnsafeRawBufferPointer, askedFrom checkpoint: Int64, lineLimit: Int) {
        askedFrom = max(askedFrom, checkpoint)
        let start = end
        let finish = end + Int64(bytes.count)
        guard checkpoint > start, checkpoint <= finish else { return append(bytes) }
        // The newline before the line that ends just before `checkpoint`: a line asked for later
        // starts after it, and the byte before its start is read (`line(endingAt:limit:)`).
        var newline = Int(checkpoint - start) - 2
        let lowest = max(0, Int(checkpoint - start) - 2 - lineLimit)
        // `newline` stays in `lowest..<bytes.count`: `checkpoint - start <= bytes.count`.
        while newline >= lowest, bytes[newline] != 0x0A { newline -= 1 }
        guard newline >= lowest else { return append(bytes) }
        // The anchor's window before that line's start, and the anchor at the end.
        let floor = min(
            start + Int64(newline + 1) - Int64(Fingerprint.maxLength), finish - Int64(Fingerprint.maxLength))
        guard floor > start else { return append(bytes) }
        // Nothing kept so far is asked for: the window restarts at `floor`.
        end = floor
        count = 0
        append(UnsafeRawBufferPointer(rebasing: bytes[Int(floor - start)...]))
    }

    /// The anchor ending at `offset`, if its whole window is kept.
    func anchor(at offset: Int64) -> ResumeCheck? {
        let window = Int(min(offset, Int64(Fingerprint.maxLength)))
        guard offset <= end, offset - Int64(window) >= end - Int64(count) else { return nil }
        var bytes = [UInt8](repeating: 0, count: window)
        for i in 0..<window {
            bytes[i] = ring[Int((offset - Int64(window) + Int64(i)) % Int64(TrailingBytes.capacity))]
        }
        return ResumeCheck(offset: offset, hash: bytes.withUnsafeBytes { Fingerprint.fnv($0) })
    }

    /// The line whose newline is the byte just before `offset`, without that newline (nor a CR
    /// before it), and the offset it starts at; nil if it is not wholly kept (the stream's start
    /// counts as a line start) or longer than `limit` bytes.
    func line(endingAt offset: Int64, limit: Int) -> (start: Int64, bytes: [UInt8])? {
        let low = end - Int64(count)
        guard offset <= end, offset - 1 >= low, byte(at: offset - 1) == 0x0A else { return nil }
        var start = offset - 1
        while start > low, byte(at: start - 1) != 0x0A {
            start -= 1
            if offset - 1 - start > Int64(limit) { return nil }
        }
        // At the window's first byte, the byte before is not kept: a line start only at the stream's.
        if start == low, low > 0 { return nil }
        var bytes = (start..<(offset - 1)).map { byte(at: $0) }
        if bytes.last == 0x0D { bytes.removeLast() }
        return (start, bytes)
    }

    private func byte(at offset: Int64) -> UInt8 {
        ring[Int(offset % Int64(TrailingBytes.capacity))]
    }
}
