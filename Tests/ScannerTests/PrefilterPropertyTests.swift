import CByteScan
import LogModel
import Testing

@testable import LogScanner

/// The SIMD prefilter (`LiteralSet`), the newline count and the line-start search against naive
/// byte loops, at every implementation level this CPU runs (AVX2, SSSE3, scalar), on random text
/// with literals planted in random case.
@Suite struct PrefilterPropertyTests {
    /// Every level this machine can run; the scalar one always.
    static let levels = Array(0...LiteralSet.bestLevel)

    /// Bytes that make partial matches likely: a few letters of both cases, digits, punctuation.
    static let alphabet = Array("abcdeRSTUV xyz_-./:019\"".utf8)

    /// `count` random literals of 2...40 bytes, a quarter of them cut from others (shared
    /// prefixes, suffixes and inner parts: overlapping occurrences).
    static func literals(_ count: Int, _ random: inout SplitMix) -> [String] {
        var result: [[UInt8]] = []
        while result.count < count {
            if result.count > 4, random.next() % 4 == 0 {
                let source = result[Int(random.next() % UInt64(result.count))]
                guard source.count > 2 else { continue }
                let length = 2 + Int(random.next() % UInt64(source.count - 1))
                let start = Int(random.next() % UInt64(source.count - length + 1))
                result.append(Array(source[start..<(start + length)]))
            } else {
                let length = 2 + Int(random.next() % 39)
                result.append((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            }
        }
        return result.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Random text of `length` bytes holding `planted` literals in random case, two of them at its
    /// very start and end (the edges of SIMD blocks and of the buffer).
    static func text(_ length: Int, literals: [String], planted: Int, _ random: inout SplitMix) -> [UInt8] {
        var text = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
        func randomCase(_ literal: String) -> [UInt8] {
            literal.utf8.map { c in
                random.next() % 2 == 0 ? c : (c &- 0x61 < 26 ? c & ~0x20 : c &- 0x41 < 26 ? c | 0x20 : c)
            }
        }
        for k in 0..<planted {
            let literal = randomCase(literals[Int(random.next() % UInt64(literals.count))])
            guard literal.count <= text.count else { continue }
            let at =
                k == 0
                ? 0 : k == 1 ? text.count - literal.count : Int(random.next() % UInt64(text.count - literal.count + 1))
            text.replaceSubrange(at..<(at + literal.count), with: literal)
        }
        return text
    }

    /// Positions where some literal begins, and which literals occur, by brute force.
    static func naive(_ text: [UInt8], _ literals: [String]) -> (
        starts: [Int], present: Set<Int>, firstLiteral: [Int: Int]
    ) {
        let folded = text.map(foldASCII)
        let lits = literals.map { $0.utf8.map(foldASCII) }
        var starts: [Int] = []
        var present = Set<Int>()
        var firstLiteral: [Int: Int] = [:]
        for i in folded.indices {
            for (index, literal) in lits.enumerated() where literal[0] == folded[i] && i + literal.count <= folded.count
            {
                var j = 1
                while j < literal.count, folded[i + j] == literal[j] { j += 1 }
                guard j == literal.count else { continue }
                if firstLiteral[i] == nil {
                    starts.append(i)
                    firstLiteral[i] = index
                }
                present.insert(index)
            }
        }
        return (starts, present, firstLiteral)
    }

    @Test("200 literals of 2 to 40 bytes, planted in random case: every start is found, in order, at every level")
    func everyStartIsFound() {
        var random = SplitMix(seed: 2026)
        for round in 0..<6 {
            let literals = Self.literals(200, &random)
            let sets = Self.levels.map { LiteralSet(literals, level: $0) }
            for length in [1, 3, 31, 35, 64, 97, 700] {
                let text = Self.text(length, literals: literals, planted: 2 + length / 60, &random)
                let expected = Self.naive(text, literals)
                for set in sets {
                    var starts: [Int] = []
                    var from = 0
                    text.withUnsafeBytes { buffer in
                        while let hit = set.firstMatch(in: buffer, from: from) {
                            starts.append(hit.position)
                            #expect(
                                hit.literal == expected.firstLiteral[hit.position],
                                "round \(round) length \(length) level \(set.level)")
                            from = hit.position + 1
                        }
                    }
                    #expect(starts == expected.starts, "round \(round) length \(length) level \(set.level)")
                }
            }
        }
    }

    @Test("presence sets exactly the literals that occur, at every level")
    func presenceIsExact() {
        var random = SplitMix(seed: 99)
        let literals = Self.literals(200, &random)
        let sets = Self.levels.map { LiteralSet(literals, level: $0) }
        var mask = LiteralMask(count: literals.count)
        for length in [2, 17, 40, 150, 400] {
            for _ in 0..<4 {
                let text = Self.text(length, literals: literals, planted: 3, &random)
                let expected = Self.naive(text, literals).present
                for set in sets {
                    text.withUnsafeBytes { set.presence(in: $0, into: &mask) }
                    #expect(
                        Set((0..<literals.count).filter(mask.contains)) == expected,
                        "length \(length) level \(set.level)")
                }
            }
        }
    }

    /// Every (start, literal) occurrence, by brute force.
    static func occurrences(_ text: [UInt8], _ literals: [String]) -> [Pair] {
        let folded = text.map(foldASCII)
        var result: [Pair] = []
        for (index, literal) in literals.map({ $0.utf8.map(foldASCII) }).enumerated()
        where literal.count <= folded.count {
            for i in 0...(folded.count - literal.count) where folded[i..<(i + literal.count)].elementsEqual(literal) {
                result.append(Pair(start: i, literal: index))
            }
        }
        return result.sorted()
    }

    struct Pair: Hashable, Comparable, CustomStringConvertible {
        let start: Int, literal: Int
        static func < (a: Pair, b: Pair) -> Bool { (a.start, a.literal) < (b.start, b.literal) }
        var description: String { "\(literal)@\(start)" }
    }

    @Test(
        "the region search reports every occurrence of every literal exactly once, resuming when its buffer fills, at every level"
    )
    func hitsAreExact() {
        var random = SplitMix(seed: 414)
        for round in 0..<4 {
            let literals = Self.literals(120, &random)
            for set in Self.levels.map({ LiteralSet(literals, level: $0) }) {
                // The smallest buffer a set allows: resumed often, mid-block.
                let small = LiteralSet.HitBuffer(for: set, batch: 0)
                let large = LiteralSet.HitBuffer(for: set, batch: 4096)
                for length in [1, 5, 33, 64, 65, 130, 700, 3000] {
                    let text = Self.text(length, literals: literals, planted: 3 + length / 30, &random)
                    let from = length > 10 ? Int(random.next() % 10) : 0
                    let expected = Self.occurrences(text, literals).filter { $0.start >= from }
                    for buffer in [small, large] {
                        var found: [Pair] = []
                        var lastStart = -1
                        var ordered = true
                        text.withUnsafeBytes { bytes in
                            set.forEachHitBatch(in: bytes, from: from, into: buffer) { batch in
                                for hit in batch {
                                    found.append(Pair(start: Int(hit.start), literal: Int(hit.literal)))
                                    // In the order of their fingerprints: never before an earlier hit's
                                    // start by more than the longest fingerprint offset.
                                    if Int(hit.start) + 41 < lastStart { ordered = false }
                                    lastStart = max(lastStart, Int(hit.start))
                                }
                            }
                        }
                        #expect(
                            found.sorted() == expected,
                            "round \(round) length \(length) level \(set.level) capacity \(buffer.capacity)")
                        #expect(ordered, "round \(round) length \(length) level \(set.level)")
                    }
                }
            }
        }
    }

    @Test(
        "each hit comes with its line (its start, the newlines before it, its end when known) and the pass ends with the buffer's, resuming when the hits fill up, at every level"
    )
    func hitsComeWithTheirLines() {
        var random = SplitMix(seed: 1101)
        for round in 0..<4 {
            var literals = Self.literals(100, &random)
            // The last round has a literal that holds a newline: its lines are found after the search.
            if round == 3 { literals.append("b\nR") }
            for set in Self.levels.map({ LiteralSet(literals, level: $0) }) {
                let small = LiteralSet.HitBuffer(for: set, batch: 0)
                let large = LiteralSet.HitBuffer(for: set, batch: 4096)
                // Past 2 KiB the AVX2 and AVX-512 searches verify in steps of 32 blocks
                // (`scan_avx2_deferred`, `scan_vbmi_deferred`): lines and hits across those steps,
                // and lines longer than one.
                for length in [1, 5, 63, 64, 65, 129, 700, 2047, 2048, 2113, 3000, 9000] {
                    var text = Self.text(length, literals: literals, planted: 3 + length / 30, &random)
                    // Newlines about every 40 bytes, some in runs, some at the ends of blocks; in
                    // the second round about every 3,000 bytes (lines longer than a step).
                    let spacing: UInt64 = round == 1 ? 3000 : 40
                    for i in text.indices
                    where random.next() % spacing == 0 || spacing == 40 && i % 64 == 63 && random.next() % 3 == 0 {
                        text[i] = 0x0A
                    }
                    let from = length > 10 ? Int(random.next() % 10) : 0
                    let initial = acr_lines(newlines: 1000, start: 77_777)
                    /// What a hit at `start` (or the end) must carry: counted byte by byte.
                    func expected(at start: Int) -> (newlines: UInt64, start: UInt64) {
                        let before = text[from..<start]
                        let last = before.lastIndex(of: 0x0A)
                        return (
                            initial.newlines + UInt64(before.filter { $0 == 0x0A }.count),
                            last.map { UInt64($0 + 1) } ?? initial.start
                        )
                    }
                    for buffer in [small, large] {
                        var lines = initial
                        var found: [Pair] = []
                        var wrong: [String] = []
                        var known = 0
                        text.withUnsafeBytes { bytes in
                            set.forEachHitBatch(in: bytes, from: from, into: buffer, lines: &lines) { batch in
                                for hit in batch {
                                    found.append(Pair(start: Int(hit.start), literal: Int(hit.literal)))
                                    let want = expected(at: Int(hit.start))
                                    let end = text[Int(hit.start)...].firstIndex(of: 0x0A).map { UInt64($0) }
                                    if hit.line_end != ACR_UNKNOWN_END { known += 1 }
                                    if hit.newlines != want.newlines || hit.line_start != want.start
                                        || hit.line_end != ACR_UNKNOWN_END && hit.line_end != end
                                    {
                                        wrong.append(
                                            "\(hit.literal)@\(hit.start): \(hit.newlines) \(hit.line_start) \(hit.line_end), not \(want) \(String(describing: end))"
                                        )
                                    }
                                }
                            }
                        }
                        let context = "round \(round) length \(length) level \(set.level) capacity \(buffer.capacity)"
                        #expect(
                            found.sorted() == Self.occurrences(text, literals).filter { $0.start >= from }, "\(context)"
                        )
                        #expect(wrong.isEmpty, "\(context): \(wrong.prefix(3))")
                        // With AVX2 and AVX-512 (the deferred loops) most lines' ends come with
                        // their hits (where a newline follows one).
                        let endable = found.contains { text[$0.start...].contains(0x0A) }
                        if set.level >= 2, round < 3, buffer === large, found.count > 4, endable {
                            #expect(known > 0, "\(context)")
                        }
                        if from < text.count {
                            let end = expected(at: text.count)
                            #expect(
                                lines.newlines == end.newlines && lines.start == end.start, "\(context): at the end")
                        }
                    }
                }
            }
        }
    }

    @Test("the exact one-needle search (rules' strings) finds what a naive search finds, at the ends of the text too")
    func containsIsExact() {
        var random = SplitMix(seed: 77)
        for _ in 0..<3000 {
            let length = Int(random.next() % 200)
            var text = (0..<length).map { _ in Self.alphabet[Int(random.next() % 8)] }
            let needleLength = 1 + Int(random.next() % 20)
            var needle = (0..<needleLength).map { _ in Self.alphabet[Int(random.next() % 8)] }
            if random.next() % 2 == 0, length >= needleLength {
                // Planted at a random place, often at the very end.
                let at =
                    random.next() % 3 == 0
                    ? length - needleLength : Int(random.next() % UInt64(length - needleLength + 1))
                needle = Array(text[at..<(at + needleLength)])
            }
            let expected =
                length >= needleLength
                && (0...(length - needleLength)).contains { text[$0..<($0 + needleLength)].elementsEqual(needle) }
            for level in Self.levels {
                let found = text.withUnsafeBufferPointer { t in
                    needle.withUnsafeBufferPointer {
                        acr_contains_at(level, t.baseAddress, t.count, $0.baseAddress, $0.count) != 0
                    }
                }
                #expect(
                    found == expected,
                    "level \(level): \(String(decoding: needle, as: UTF8.self)) in \(String(decoding: text, as: UTF8.self))"
                )
            }
            text.removeAll()
        }
    }

    @Test("a literal that straddles the end of a SIMD block is found wherever it lies")
    func blockBoundaries() {
        let literals = ["DOCKER_COMMAND_ERROR", "aadsts7", "denied", "xy"]
        for level in Self.levels {
            let set = LiteralSet(literals, level: level)
            for literal in literals {
                for at in 0...80 {
                    var text = [UInt8](repeating: 0x2E, count: 100)
                    let bytes = Array(literal.uppercased().utf8)
                    guard at + bytes.count <= text.count else { continue }
                    text.replaceSubrange(at..<(at + bytes.count), with: bytes)
                    let hit = text.withUnsafeBytes { set.firstMatch(in: $0, from: 0) }
                    #expect(hit?.position == at, "\(literal) at \(at), level \(level)")
                    // Starting after the literal's first byte skips it.
                    let later = text.withUnsafeBytes { set.firstMatch(in: $0, from: at + 1) }
                    #expect(later == nil, "\(literal) at \(at), level \(level)")
                }
            }
        }
    }

    @Test("newlines are counted exactly at every offset and length up to 600 bytes")
    func newlineCount() {
        var random = SplitMix(seed: 5)
        let bytes = (0..<1200).map { _ in
            random.next() % 5 == 0 ? UInt8(0x0A) : UInt8(truncatingIfNeeded: random.next())
        }
        bytes.withUnsafeBytes { all in
            for offset in 0..<40 {
                for length in stride(from: 0, through: 600, by: 7) {
                    let slice = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                    #expect(
                        countNewlines(in: slice) == slice.filter { $0 == 0x0A }.count,
                        "offset \(offset) length \(length)")
                }
            }
        }
    }

    @Test("the last newline of a range is found, or none")
    func lastNewlineInRange() {
        var random = SplitMix(seed: 8)
        let bytes = (0..<300).map { _ in random.next() % 40 == 0 ? UInt8(0x0A) : UInt8(0x61) }
        bytes.withUnsafeBytes { buffer in
            let base = buffer.baseAddress!
            for from in stride(from: 0, to: 300, by: 13) {
                for to in stride(from: from, through: 300, by: 11) {
                    let expected = (from..<to).last { bytes[$0] == 0x0A }
                    #expect(lastNewline(base, from: from, to: to) == expected, "\(from)..<\(to)")
                }
            }
        }
    }
}
