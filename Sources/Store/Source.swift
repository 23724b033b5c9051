import LogScanner

/// A log read from its start: its first bytes (`head`), how far it has been consumed, and how many
/// content bytes had to be read (not seeked over) to get there. A file can be reopened when a check
/// has to go back; standard input cannot.
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

    /// Opens `path` and reads its head.
    init(path: String) throws(InputError) {
        self.path = path
        file = try LogFile(path: path)
        try readHead()
    }

    /// Whether the content must be read to be skipped (gzip, standard input) rather than seeked over.
    var readsToSkip: Bool { file.isGzip || path == "-" }

    /// Opens the file again at its start; false for standard input.
    func reopen() throws(InputError) -> Bool {
        guard path != "-" else { return false }
        file = try LogFile(path: path)
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

    /// Reads up to `buffer.count` content bytes; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n = try file.read(into: buffer)
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
        let skipped = try file.skip(offset - position, scratch: scratch)
        position += skipped
        if readsToSkip { bytesRead += skipped }
        return position == offset
    }

    /// Whether the content before `anchor.offset` is what the anchor was taken of. Reads forward to
    /// the anchor; the caller reopens first if the source is already past the window's start and
    /// not just at the end of its head.
    func matches(_ anchor: Anchor, scratch: UnsafeMutableRawBufferPointer) throws(InputError) -> Bool {
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
}
