import LogModel
import LogScanner
import LogStore

/// The last bytes of a stream fed to the scanner, so that an anchor can be taken at the scanner's
/// checkpoint, which lags a little behind the bytes read (a failure may still be open there).
///
/// Keeps the last `capacity` bytes: the latest chunk where the reader left it (`borrow`), the
/// bytes before it in a ring. A borrowed chunk is copied only when the next one arrives, and then
/// only the part of it that the window still holds: nothing when the next chunk is `capacity`
/// bytes or more (the sweep reads 256 KiB at a time), so a full read costs no copy.
struct TrailingBytes {
    /// Bytes kept.
    static let capacity = 64 * 1024

    private var ring = [UInt8](repeating: 0, count: TrailingBytes.capacity)
    /// Stream offset just past the last byte kept.
    private(set) var end: Int64
    /// Bytes kept (at most `capacity`), in the ring and the borrowed chunk.
    private var count = 0
    /// The latest bytes, `[end - chunk.count, end)`, not copied: the caller's memory, unchanged
    /// until the next `append` or `borrow` and while the window is read.
    private var chunk: UnsafeRawBufferPointer?

    /// An empty window at stream offset `start`.
    init(start: Int64) {
        end = start
    }

    /// Appends the next bytes of the stream, copied.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        settle(before: bytes.count)
        let kept = min(bytes.count, TrailingBytes.capacity)
        end += Int64(bytes.count)
        store(UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - kept)...]), endingAt: end)
        count = min(count + bytes.count, TrailingBytes.capacity)
    }

    /// Appends the next bytes of the stream without copying them: the caller keeps `bytes`
    /// unchanged until the next `append` or `borrow`, and while it reads the window after the last
    /// one (the sweep reads into two buffers in turn).
    mutating func borrow(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        settle(before: bytes.count)
        chunk = bytes
        end += Int64(bytes.count)
        count = min(count + bytes.count, TrailingBytes.capacity)
    }

    /// Copies into the ring what the window still holds of the borrowed chunk once `next` more
    /// bytes arrive: its last `capacity - next` bytes, nothing when `next` fills the window.
    private mutating func settle(before next: Int) {
        guard let borrowed = chunk else { return }
        chunk = nil
        let kept = min(borrowed.count, max(0, TrailingBytes.capacity - next))
        guard kept > 0 else { return }
        store(UnsafeRawBufferPointer(rebasing: borrowed[(borrowed.count - kept)...]), endingAt: end)
    }

    /// Writes `tail` (at most `capacity` bytes) at the ring positions of stream offsets
    /// `[offset - tail.count, offset)`.
    private mutating func store(_ tail: UnsafeRawBufferPointer, endingAt offset: Int64) {
        let at = Int((offset - Int64(tail.count)) % Int64(TrailingBytes.capacity))
        let first = min(tail.count, TrailingBytes.capacity - at)
        ring.withUnsafeMutableBytes { ring in
            // `at + first <= capacity` and `tail.count - first <= at`: both copies stay inside the ring.
            ring.baseAddress!.advanced(by: at).copyMemory(from: tail.baseAddress!, byteCount: first)
            if tail.count > first {
                ring.baseAddress!.copyMemory(from: tail.baseAddress! + first, byteCount: tail.count - first)
            }
        }
    }

    /// The anchor ending at `offset`, if its whole window is kept.
    func anchor(at offset: Int64) -> ResumeCheck? {
        let window = Int(min(offset, Int64(Fingerprint.maxLength)))
        guard offset <= end, offset - Int64(window) >= end - Int64(count) else { return nil }
        let bytes = (offset - Int64(window)..<offset).map { byte(at: $0) }
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
        if let chunk, offset >= end - Int64(chunk.count) { return chunk[Int(offset - (end - Int64(chunk.count)))] }
        return ring[Int(offset % Int64(TrailingBytes.capacity))]
    }
}
