#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ASCII case folding: maps `A`…`Z` to `a`…`z` and every other byte to itself.
@inlinable @inline(__always)
public func foldASCII(_ c: UInt8) -> UInt8 {
    c &- 0x41 < 26 ? c | 0x20 : c
}

/// A set of literals searched for together, ASCII-case-insensitively, in one pass over a buffer.
///
/// The prefilter of the scanner. It is a Wu–Manber search with two-byte blocks: a 64 Ki-entry shift
/// table, built once, says how far the window may jump for the last two bytes it ends on; only
/// where the shift is zero are the literals compared. With the shortest literal `m` bytes long, it
/// reads about one byte in `m - 1` of text that holds no literal.
///
/// Contract (as ripgrep's `grep-matcher`): it may report a position where no rule will match, but it
/// never skips an occurrence of one of its literals.
public struct LiteralSet: Sendable {
    /// The literals, case-folded, in the order given.
    public let literals: [[UInt8]]
    /// Length of the shortest literal: the window that the shift table looks at.
    @usableFromInline let window: Int
    /// For each two-byte block, read as a little-endian `UInt16` (first byte low), how far the window
    /// may move right without missing a literal. Both cases of every letter are entered, so the
    /// loop reads one 16-bit value and one table entry per step, and folds nothing.
    @usableFromInline let shift: [UInt8]
    /// For block `b` with shift zero, `candidates[candidateStart[b]..<candidateStart[b + 1]]` are the
    /// literals whose first `window` bytes end on it (a flat table: no hashing in the loop).
    @usableFromInline let candidateStart: [Int32]
    @usableFromInline let candidates: [Int32]

    /// Builds the tables: O(total literal length + 64 Ki), once, before any file is read.
    /// - Precondition: every literal is at least two bytes long.
    public init(_ literals: [String]) {
        let folded = literals.map { $0.utf8.map(foldASCII) }
        precondition(!folded.isEmpty && folded.allSatisfy { $0.count >= 2 }, "literals of 2+ bytes")
        let m = folded.map(\.count).min()!
        /// Every index of the block (x, y) under ASCII case variants.
        func blocks(_ x: UInt8, _ y: UInt8) -> [Int] {
            let xs = x &- 0x61 < 26 ? [x, x & ~0x20] : [x]
            let ys = y &- 0x61 < 26 ? [y, y & ~0x20] : [y]
            return xs.flatMap { a in ys.map { b in Int(b) << 8 | Int(a) } }
        }
        var shift = [UInt8](repeating: UInt8(min(m - 1, 255)), count: 65536)
        var byBlock = [[Int32]](repeating: [], count: 65536)
        for (index, literal) in folded.enumerated() {
            for end in 1..<m {
                for block in blocks(literal[end - 1], literal[end]) {
                    shift[block] = min(shift[block], UInt8(m - 1 - end))
                }
            }
            for block in blocks(literal[m - 2], literal[m - 1]) { byBlock[block].append(Int32(index)) }
        }
        var start = [Int32](repeating: 0, count: 65537)
        var flat: [Int32] = []
        for block in 0..<65536 {
            start[block] = Int32(flat.count)
            flat += byBlock[block]
        }
        start[65536] = Int32(flat.count)
        self.literals = folded
        self.window = m
        self.shift = shift
        self.candidateStart = start
        self.candidates = flat
    }

    /// The first position at or after `start` where one of the literals begins, or nil.
    /// Complexity: O(n / (m - 1)) on text without candidates, O(n · k) at worst.
    @inlinable
    public func firstMatch(in buffer: UnsafeRawBufferPointer, from start: Int) -> (position: Int, literal: Int)? {
        let n = buffer.count
        let m = window
        guard n - start >= m, let base = buffer.baseAddress else { return nil }
        return shift.withUnsafeBufferPointer { shiftTable in
            candidateStart.withUnsafeBufferPointer { starts in
                candidates.withUnsafeBufferPointer { list in
                    var end = start + m - 1  // index of the window's last byte; in bounds while end < n
                    while end < n {
                        // end - 1 >= start >= 0 and end < n: both bytes are inside the buffer.
                        let block = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: end - 1, as: UInt16.self)))
                        let s = Int(shiftTable[block])
                        if s != 0 { end += s; continue }
                        let windowStart = end - m + 1
                        // starts has 65537 entries: block + 1 <= 65536 is in bounds.
                        for k in Int(starts[block])..<Int(starts[block + 1]) {
                            let index = Int(list[k])
                            if matches(literals[index], at: windowStart, in: base, count: n) { return (windowStart, index) }
                        }
                        end += 1
                    }
                    return nil
                }
            }
        }
    }

    /// Which literals occur in `line`: `mask` is cleared, then holds literal `i` when it occurs.
    /// For the candidate lines only; O(n · k) at worst. Allocates nothing when `mask` was made for
    /// this set (`LiteralMask(count: literals.count)`).
    public func presence(in line: UnsafeRawBufferPointer, into mask: inout LiteralMask) {
        mask.removeAll()
        let n = line.count
        let m = window
        guard n >= m, let base = line.baseAddress else { return }
        var end = m - 1
        while end < n {
            // end - 1 >= 0 and end < n: both bytes of the block are inside the line.
            let block = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: end - 1, as: UInt16.self)))
            let s = Int(shift[block])
            if s != 0 { end += s; continue }
            for k in Int(candidateStart[block])..<Int(candidateStart[block + 1]) {
                let index = Int(candidates[k])
                if matches(literals[index], at: end - m + 1, in: base, count: n) { mask.insert(index) }
            }
            end += 1
        }
    }

    /// Which literals occur in `line`, as bits, for a set of at most 64 literals (the redactor's
    /// markers). The matcher, whose set has no such bound, uses `presence(in:into:)`.
    public func presence(in line: UnsafeRawBufferPointer) -> UInt64 {
        precondition(literals.count <= 64, "presence(in:) as bits is for at most 64 literals")
        var mask = LiteralMask(count: literals.count)
        presence(in: line, into: &mask)
        return mask.words.first ?? 0
    }

    /// Whether `literal` (folded) occurs at `position`, ignoring ASCII case.
    @inlinable
    func matches(_ literal: [UInt8], at position: Int, in base: UnsafeRawPointer, count: Int) -> Bool {
        guard position + literal.count <= count else { return false }
        for i in 0..<literal.count where foldASCII(base.load(fromByteOffset: position + i, as: UInt8.self)) != literal[i] {
            return false
        }
        return true
    }
}

/// A set of literal indices of a `LiteralSet`, one bit each, with no bound on their number.
public struct LiteralMask: Sendable, Equatable {
    /// Bit `i % 64` of word `i / 64` stands for literal `i`.
    @usableFromInline var storage: [UInt64]
    /// The bits, 64 literals a word.
    public var words: [UInt64] { storage }

    /// An empty mask for a set of `count` literals.
    public init(count: Int) {
        storage = [UInt64](repeating: 0, count: max(1, (count + 63) / 64))
    }

    /// A mask holding `indices`, for a set of `count` literals.
    public init(count: Int, indices: some Sequence<Int>) {
        self.init(count: count)
        for i in indices { insert(i) }
    }

    /// Adds literal `i`. - Precondition: `i` is below the count the mask was made for.
    @inlinable
    public mutating func insert(_ i: Int) { storage[i >> 6] |= 1 << UInt64(i & 63) }

    /// Whether literal `i` is in the mask.
    @inlinable
    public func contains(_ i: Int) -> Bool { storage[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    /// Whether the two masks (of the same set) share a literal. O(literals / 64).
    @inlinable
    public func intersects(_ other: LiteralMask) -> Bool {
        for i in 0..<min(storage.count, other.storage.count) where storage[i] & other.storage[i] != 0 { return true }
        return false
    }

    /// Empties the mask, keeping its storage.
    @inlinable
    public mutating func removeAll() {
        for i in storage.indices { storage[i] = 0 }
    }
}

/// Counts `\n` bytes in a buffer, eight bytes at a time. Complexity: O(n).
@inlinable
public func countNewlines(in buffer: UnsafeRawBufferPointer) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    let n = buffer.count
    var count = 0
    var i = 0
    let highs: UInt64 = 0x8080_8080_8080_8080
    let newlines: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    while i + 8 <= n {
        // i + 8 <= n: the eight bytes read are inside the buffer.
        let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ newlines
        // A zero byte in `word` is a newline; this sets its high bit exactly (no false positives).
        let zeroes = ~(((word & ~highs) &+ ~highs) | word) & highs
        count &+= zeroes.nonzeroBitCount
        i += 8
    }
    while i < n {
        if base.load(fromByteOffset: i, as: UInt8.self) == 0x0A { count += 1 }
        i += 1
    }
    return count
}

/// Byte-level helpers over one line, used only on candidate lines (never on every line).
extension UnsafeRawBufferPointer {
    /// The first index of `needle` at or after `from`, comparing bytes exactly. O(n · m) at worst.
    @inlinable
    public func firstIndex(of needle: [UInt8], from: Int = 0) -> Int? {
        guard let base = baseAddress, !needle.isEmpty, count - from >= needle.count else { return nil }
        let first = Int32(needle[0])
        var i = from
        let last = count - needle.count
        while i <= last {
            // memchr over [i, last]: every byte it may read is inside the buffer.
            guard let hit = memchr(base + i, first, last - i + 1) else { return nil }
            let at = base.distance(to: UnsafeRawPointer(hit))
            if needle.withUnsafeBytes({ memcmp(base + at, $0.baseAddress!, needle.count) }) == 0 { return at }
            i = at + 1
        }
        return nil
    }

    /// The first index of `needle` (given in lower case) at or after `from`, ignoring ASCII case.
    @inlinable
    public func firstIndex(ofFolded needle: [UInt8], from: Int = 0) -> Int? {
        guard !needle.isEmpty, count - from >= needle.count else { return nil }
        let last = count - needle.count
        var i = from
        while i <= last {
            var j = 0
            while j < needle.count, foldASCII(self[i + j]) == needle[j] { j += 1 }
            if j == needle.count { return i }
            i += 1
        }
        return nil
    }

    /// Whether the bytes contain `needle` exactly.
    @inlinable
    public func contains(_ needle: [UInt8]) -> Bool { firstIndex(of: needle) != nil }

    /// Whether the bytes contain `needle` (given in lower case), ignoring ASCII case.
    @inlinable
    public func containsFolded(_ needle: [UInt8]) -> Bool { firstIndex(ofFolded: needle) != nil }
}

extension [UInt8] {
    /// The UTF-8 bytes of a string literal, for matcher tables.
    @inlinable
    public init(_ string: StaticString) {
        self = string.withUTF8Buffer { Array($0) }
    }
}

/// The index of the last `\n` in `base[from..<to]`, or nil. Walks back byte by byte: callers use it
/// to find the start of one line, so it reads about one line. (glibc's `memrchr` needs `_GNU_SOURCE`.)
@inlinable
func lastNewline(_ base: UnsafeRawPointer, from: Int, to: Int) -> Int? {
    var i = to - 1
    while i >= from {
        // from <= i < to: inside the caller's buffer.
        if base.load(fromByteOffset: i, as: UInt8.self) == 0x0A { return i }
        i -= 1
    }
    return nil
}
