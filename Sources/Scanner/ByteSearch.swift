import CByteScan
import LogModel

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
/// The prefilter of the scanner: a Teddy-style SIMD search (`Sources/CByteScan/byte_scan.c`, after
/// Hyperscan's Teddy and ripgrep's `aho-corasick`). Each literal is represented by a fingerprint of up
/// to four of its bytes, chosen where its bytes are rarest in logs; the fingerprints are spread over
/// up to 32 buckets, and for every position of a 32-byte block (AVX2; 16 bytes with SSSE3) two byte
/// shuffles per fingerprint byte tell which buckets may start there. Only those positions are
/// verified. Any number of literals of any length (1 byte and up); docs/performance.md has figures.
///
/// Contract (as ripgrep's `grep-matcher`): it may report a position where no rule will match, but it
/// never skips an occurrence of one of its literals.
public struct LiteralSet: Sendable {
    /// The literals, case-folded, in the order given.
    public let literals: [[UInt8]]
    /// The compiled search, shared by every copy of the set.
    let engine: Engine
    /// Which implementation runs (`acr_simd_level`): the best this CPU has, lower in tests.
    let level: Int32

    /// The compiled search, freed with the last set that uses it.
    final class Engine: @unchecked Sendable {  // immutable after init
        let pointer: OpaquePointer
        init(_ literals: [[UInt8]]) {
            let bytes = literals.flatMap { $0 }
            let lengths = literals.map { UInt32($0.count) }
            guard let pointer = acr_teddy_build(bytes, lengths, literals.count) else {
                fatalError("out of memory building the prefilter")
            }
            self.pointer = pointer
        }
        deinit { acr_teddy_free(pointer) }
    }

    /// The implementations, by `level`.
    public static let scalarLevel: Int32 = Int32(ACR_SIMD_SCALAR.rawValue)
    /// The best level this CPU runs (3: AVX-512 VBMI, 2: AVX2, 1: SSSE3, 0: scalar), at most the
    /// one `ACRSCAN_SIMD=avx2|ssse3|scalar` asks for.
    public static var bestLevel: Int32 { acr_simd_best() }

    /// A level's name, as `acrscan literals --candidates` prints it.
    public static func name(ofLevel level: Int32) -> String {
        switch level {
        case Int32(ACR_SIMD_AVX512VBMI.rawValue): "AVX-512 VBMI"
        case Int32(ACR_SIMD_AVX2.rawValue): "AVX2"
        case Int32(ACR_SIMD_SSSE3.rawValue): "SSSE3"
        default: "scalar"
        }
    }

    /// Builds the search: O(literals × buckets), once, before any file is read.
    /// - Precondition: every literal is at least one byte long.
    public init(_ literals: [String]) {
        self.init(literals, level: LiteralSet.bestLevel)
    }

    /// Builds the search run at `level` (at most `bestLevel`): tests compare the implementations.
    public init(_ literals: [String], level: Int32) {
        let folded = literals.map { $0.utf8.map(foldASCII) }
        precondition(folded.allSatisfy { !$0.isEmpty }, "literals of 1+ bytes")
        self.literals = folded
        self.engine = Engine(folded)
        self.level = min(level, LiteralSet.bestLevel)
    }

    /// The first position at or after `start` where one of the literals begins, or nil; `literal` is
    /// the lowest index of the literals that begin there. Complexity: O(n) plus the verification of
    /// the positions that the filter lets through.
    public func firstMatch(in buffer: UnsafeRawBufferPointer, from start: Int) -> (position: Int, literal: Int)? {
        guard start < buffer.count, let base = buffer.baseAddress else { return nil }
        var literal: UInt32 = 0
        let position = acr_teddy_first(
            engine.pointer, level, base.assumingMemoryBound(to: UInt8.self), buffer.count, max(0, start), &literal)
        return position < 0 ? nil : (position, Int(literal))
    }

    /// Every occurrence of the literals in `buffer`, in one pass, in the order of the lines they lie
    /// on (several literals of one line in any order): calls `body` with each batch of hits (start,
    /// literal index), from a buffer reused between batches. The scanner's region search: the
    /// literals of each candidate line come with it, so the line is never searched again.
    /// `from` is a line start (nothing that begins before it is reported).
    @inline(__always)
    func forEachHitBatch(
        in buffer: UnsafeRawBufferPointer, from start: Int = 0, into hits: HitBuffer,
        _ body: (UnsafeBufferPointer<acr_hit>) -> Void
    ) {
        hitBatches(in: buffer, from: start, into: hits, lines: nil, body)
    }

    /// `forEachHitBatch`, each hit with its line: `hit.newlines` is `lines.newlines` plus the
    /// newlines in `buffer[from..<hit.start]`, `hit.line_start` the position after the last of
    /// them (`lines.start` if none). At the end `lines` holds the same at the buffer's end: the
    /// newlines of the whole buffer, and where its last line starts. With AVX2 and AVX-512 the newlines are
    /// counted in the filter's own pass over the buffer (docs/performance.md).
    @inline(__always)
    func forEachHitBatch(
        in buffer: UnsafeRawBufferPointer, from start: Int = 0, into hits: HitBuffer, lines: inout acr_lines,
        _ body: (UnsafeBufferPointer<acr_hit>) -> Void
    ) {
        withUnsafeMutablePointer(to: &lines) { hitBatches(in: buffer, from: start, into: hits, lines: $0, body) }
    }

    /// The loop of both `forEachHitBatch`: `lines` nil when the hits' lines are not wanted.
    @inline(__always)
    private func hitBatches(
        in buffer: UnsafeRawBufferPointer, from start: Int, into hits: HitBuffer,
        lines: UnsafeMutablePointer<acr_lines>?, _ body: (UnsafeBufferPointer<acr_hit>) -> Void
    ) {
        guard start < buffer.count, let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var from = start
        while from < buffer.count {
            var next = 0
            let count = acr_teddy_hits(
                engine.pointer, level, base, buffer.count, from, start, hits.pointer, hits.capacity, &next, lines)
            body(UnsafeBufferPointer(start: hits.pointer, count: count))
            from = next
        }
    }

    /// A buffer for `forEachHitBatch`, made once per scanner for one set.
    final class HitBuffer {
        let pointer: UnsafeMutablePointer<acr_hit>
        let capacity: Int
        /// Room for `batch` hits, and at least for every literal of `set` at one position.
        init(for set: LiteralSet, batch: Int = 1024) {
            capacity = max(batch, 2 * set.literals.count + 64)
            pointer = .allocate(capacity: capacity)
        }
        deinit { pointer.deallocate() }
    }

    /// Which literals occur in `line`: `mask` is cleared, then holds literal `i` when it occurs.
    /// For the candidate lines only. Allocates nothing when `mask` was made for this set
    /// (`LiteralMask(count: literals.count)`).
    public func presence(in line: UnsafeRawBufferPointer, into mask: inout LiteralMask) {
        mask.removeAll()
        guard !line.isEmpty, let base = line.baseAddress else { return }
        precondition(mask.storage.count * 64 >= literals.count, "a mask made for this set")
        mask.storage.withUnsafeMutableBufferPointer { words in
            acr_teddy_presence(
                engine.pointer, level, base.assumingMemoryBound(to: UInt8.self), line.count, words.baseAddress!)
        }
    }

    /// Which literals occur in `line`, as bits, for a set of at most 64 literals (the redactor's
    /// markers). The matcher, whose set has no such bound, uses `presence(in:into:)`.
    /// Allocates nothing (the bits are a local word, not a `LiteralMask`'s array).
    public func presence(in line: UnsafeRawBufferPointer) -> UInt64 {
        precondition(literals.count <= 64, "presence(in:) as bits is for at most 64 literals")
        guard !line.isEmpty, let base = line.baseAddress else { return 0 }
        var bits: UInt64 = 0
        withUnsafeMutablePointer(to: &bits) {
            acr_teddy_presence(engine.pointer, level, base.assumingMemoryBound(to: UInt8.self), line.count, $0)
        }
        return bits
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

    /// Whether every literal of the mask is also in `other` (of the same set).
    @inlinable
    public func isSubset(of other: LiteralMask) -> Bool {
        for i in 0..<min(storage.count, other.storage.count) where storage[i] & ~other.storage[i] != 0 { return false }
        return true
    }

    /// Whether no literal is in the mask.
    @inlinable
    public var isEmpty: Bool { !storage.contains { $0 != 0 } }

    /// Empties the mask, keeping its storage.
    @inlinable
    public mutating func removeAll() {
        for i in storage.indices { storage[i] = 0 }
    }
}

/// Counts `\n` bytes in a buffer, 128 bytes a step with AVX2 (16 with SSE2). Complexity: O(n).
public func countNewlines(in buffer: UnsafeRawBufferPointer) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    return acr_count_newlines(base.assumingMemoryBound(to: UInt8.self), buffer.count)
}

/// Needles searched one after the other, their bytes in one array. A loop over a `[[UInt8]]`
/// retains and releases each needle it visits; a search of these retains nothing per needle
/// (`pushPullTarget`, `isACRText` and `startsWithVeto` on every failure line: 3-4% of the
/// scanner's samples; docs/performance.md, "Branch `storescan`").
struct NeedleList: Sendable {
    /// Every needle's bytes, one after the other.
    let bytes: [UInt8]
    /// Needle `i` is `bytes[ends[i] - length ..< ends[i]]`, `ends[-1]` being 0.
    let ends: [Int]

    init(_ needles: [[UInt8]]) {
        precondition(needles.allSatisfy { !$0.isEmpty })
        bytes = needles.flatMap { $0 }
        var end = 0
        ends = needles.map {
            end += $0.count
            return end
        }
    }

    init(_ needles: [String]) { self.init(needles.map { Array($0.utf8) }) }

    var count: Int { ends.count }

    /// Calls `body` with each needle in order, until it returns a value; that value, or nil.
    @inline(__always)
    func first<R>(where body: (_ index: Int, _ needle: UnsafeBufferPointer<UInt8>) -> R?) -> R? {
        bytes.withUnsafeBufferPointer { all in
            ends.withUnsafeBufferPointer { ends in
                var start = 0
                for i in 0..<ends.count {
                    if let r = body(i, UnsafeBufferPointer(rebasing: all[start..<ends[i]])) { return r }
                    start = ends[i]
                }
                return nil
            }
        }
    }

    /// The first needle, in the list's order, that `b` contains: its index and where it is first found.
    /// `present`: bit `i` set when needle `i` may occur (a `LiteralSet` presence of the same
    /// needles); the others are not searched for.
    @inline(__always)
    func firstListed(in b: UnsafeRawBufferPointer, present: UInt64 = ~0) -> (needle: Int, at: Int, count: Int)? {
        first { i, needle in
            guard i >= 64 || present & (1 << UInt64(i)) != 0 else { return nil }
            return b.firstIndex(of: needle).map { (i, $0, needle.count) }
        }
    }

    /// Whether `b` contains one of the needles.
    @inline(__always)
    func anyOccurs(in b: UnsafeRawBufferPointer) -> Bool { firstListed(in: b) != nil }
}

/// Byte-level helpers over one line, used only on candidate lines (never on every line).
extension UnsafeRawBufferPointer {
    /// `firstIndex(of:from:)` of a needle given as a buffer (`NeedleList`).
    @inline(__always)
    func firstIndex(of needle: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        guard let base = baseAddress, let n = needle.baseAddress, !needle.isEmpty, from >= 0,
            count - from >= needle.count
        else { return nil }
        let at = acr_find_exact(base.assumingMemoryBound(to: UInt8.self), count, from, n, needle.count)
        return at < 0 ? nil : at
    }

    /// The first index of `needle` at or after `from`, comparing bytes exactly. SIMD on the
    /// needle's first and last bytes (`acr_find_exact`, AVX2), then `memcmp`: a `memchr` of the
    /// first byte and a `memcmp` at each of its hits (before) stopped at every `d` of a line for
    /// `docker push ` (docs/performance.md, "Store"). O(n · m) at worst.
    @inlinable
    public func firstIndex(of needle: [UInt8], from: Int = 0) -> Int? {
        guard let base = baseAddress, !needle.isEmpty, from >= 0, count - from >= needle.count else { return nil }
        let at = needle.withUnsafeBufferPointer {
            acr_find_exact(base.assumingMemoryBound(to: UInt8.self), count, from, $0.baseAddress!, $0.count)
        }
        return at < 0 ? nil : at
    }

    /// The first index of `needle` (given in lower case) at or after `from`, ignoring ASCII case.
    /// SIMD on the needle's first and last bytes (`acr_find_folded`): the needles start with
    /// common letters (`docker.io`, `azurecr`), which a `memchr` per case found on every word.
    @inlinable
    public func firstIndex(ofFolded needle: [UInt8], from: Int = 0) -> Int? {
        guard let base = baseAddress, !needle.isEmpty, from >= 0, count - from >= needle.count else { return nil }
        let at = needle.withUnsafeBufferPointer {
            acr_find_folded(base.assumingMemoryBound(to: UInt8.self), count, from, $0.baseAddress!, $0.count)
        }
        return at < 0 ? nil : at
    }

    /// Whether the bytes contain `needle` exactly.
    @inlinable
    public func contains(_ needle: [UInt8]) -> Bool { firstIndex(of: needle) != nil }
}

/// The index of the last `\n` in `base[from..<to]`, or nil: glibc's `memrchr` (SIMD), through the
/// C shim that defines `_GNU_SOURCE`.
@inline(__always)
func lastNewline(_ base: UnsafeRawPointer, from: Int, to: Int) -> Int? {
    guard to > from else { return nil }
    let hit = acr_last_newline(base.assumingMemoryBound(to: UInt8.self), from, to)
    return hit < 0 ? nil : hit
}
