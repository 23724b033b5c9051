import CByteScan
import LogModel
import Testing

@testable import LogScanner

/// The region search leaving out quiet lines in C (`acr_drop_quiet_lines`, `LiteralSet.QuietLines`):
/// lines whose only literals are unknown shapes' and that hold no failure words, against a naive
/// line-by-line answer, at every implementation level this CPU runs, resuming when the hits fill up.
@Suite struct QuietLineTests {
    /// The prefilter of the test: unknown shapes' literals (the first three: `only`) and a few that
    /// stand for rules' anchors.
    static let literals = ["azurecr", "aka.ms/acr", "command_modules.acr", "unauthorized", "denied:", "pull access"]
    static let only = 0..<3

    /// Fragments of lines: the literals, failure words and their near misses, numbers around the
    /// statuses, filler.
    static let fragments: [String] = [
        "azurecr", "AZURECR", "azurec", "aka.ms/acr", "aka.ms/ac", "command_modules.acr", "unauthorized", "Denied:",
        "pull access", "error", "Erro", "fail", "forbidden", "401", "4013", "x403", "token", "TOKE", "credential",
        "not allowed", "not  allowed", "invalid", "unable", "cannot", "Status: Downloaded newer image for ",
        ".io/web:1.4.", " ", "  ", "0", "7", ":", "/", "abcdefghijklmnopqrstuvwxyz0123456789",
    ]

    /// The lines of `text` (start, end at its newline); the last one without a newline has end -1.
    static func lines(_ text: [UInt8]) -> [(start: Int, end: Int)] {
        var result: [(Int, Int)] = []
        var start = 0
        for (i, c) in text.enumerated() where c == 0x0A {
            result.append((start, i))
            start = i + 1
        }
        if start < text.count { result.append((start, -1)) }
        return result
    }

    /// Whether the naive search finds `literal` at `s` (ignoring ASCII case).
    static func occurs(_ literal: [UInt8], in text: [UInt8], at s: Int) -> Bool {
        s + literal.count <= text.count && (0..<literal.count).allSatisfy { foldASCII(text[s + $0]) == literal[$0] }
    }

    @Test(
        "the hits of a line with only unknown shapes' literals and no failure words are left out, and only those, at every level, resumed or not"
    )
    func quietLinesAreLeftOut() {
        var random = SplitMix(seed: 0x15_0D07)
        let folded = Self.literals.map { Array($0.utf8).map(foldASCII) }
        let words = UnknownShape.failureWords.literals.map { String(decoding: $0, as: UTF8.self) }
        var dropped = 0
        var kept = 0
        for level in Array(0...LiteralSet.bestLevel) {
            let set = LiteralSet(Self.literals, level: level)
            let maxLine = 120
            let quiet = LiteralSet.QuietLines(
                words: LiteralSet(words, level: level),
                only: LiteralMask(count: Self.literals.count, indices: Self.only),
                maxLine: maxLine)
            let small = LiteralSet.HitBuffer(for: set, batch: 0)
            let large = LiteralSet.HitBuffer(for: set, batch: 4096)
            for round in 0..<200 {
                // Lines of random fragments; some long (past `maxLine`), the last one without a newline
                // in a third of the rounds.
                var text: [UInt8] = []
                for _ in 0..<(1 + Int(random.next() % 160)) {
                    let pieces = Int(random.next() % (random.next() % 8 == 0 ? 30 : 8))
                    for _ in 0..<pieces {
                        text += Self.fragments[Int(random.next() % UInt64(Self.fragments.count))].utf8
                    }
                    text.append(0x0A)
                }
                if round % 3 == 0 { text += Array("no newline azurecr".utf8) }
                // From a line start after the first line, or from 0.
                let from = round % 2 == 0 ? 0 : (text.firstIndex(of: 0x0A).map { $0 + 1 } ?? 0)
                // The naive answer: each line's literals (begun at or after `from`), and whether it
                // is quiet.
                var expected: [Pair] = []
                var quietStarts = Set<Int>()
                for line in Self.lines(text) where line.start >= from {
                    let end = line.end < 0 ? text.count : line.end
                    var found: [Pair] = []
                    for s in line.start..<end {
                        for (index, literal) in folded.enumerated() where Self.occurs(literal, in: text, at: s) {
                            found.append(Pair(start: s, literal: index))
                        }
                    }
                    let isQuiet =
                        line.end >= 0 && end - line.start <= maxLine && !found.isEmpty
                        && found.allSatisfy { Self.only.contains($0.literal) }
                        && !FailureWordTests.naive(text[line.start..<end])
                    if isQuiet {
                        quietStarts.insert(line.start)
                        dropped += 1
                    } else {
                        expected += found
                        if !found.isEmpty { kept += 1 }
                    }
                }
                for buffer in [small, large] {
                    var got: [Pair] = []
                    var lines = acr_lines(newlines: 0, start: UInt64(from))
                    text.withUnsafeBytes { bytes in
                        set.forEachHitBatch(in: bytes, from: from, into: buffer, lines: &lines, quiet: quiet) { batch in
                            for hit in batch {
                                got.append(Pair(start: Int(hit.start), literal: Int(hit.literal)))
                            }
                        }
                    }
                    let context = "level \(level) round \(round) capacity \(buffer.capacity)"
                    if buffer === large {
                        let missing = Set(expected).subtracting(got)
                        let extra = Set(got).subtracting(expected)
                        #expect(
                            got.sorted() == expected.sorted(),
                            "\(context): \(missing.sorted().prefix(3)) left out, \(extra.sorted().prefix(3)) kept")
                    } else {
                        // Resumed mid-line, a quiet line may be kept (its hits are split between two
                        // calls), never a line that is not quiet left out: the kept hits are the
                        // expected ones and whole quiet lines.
                        let extra = Set(got).subtracting(expected)
                        let missing = Set(expected).subtracting(got)
                        #expect(missing.isEmpty, "\(context): \(missing.sorted().prefix(3)) left out")
                        let lineStart = { (at: Int) in text[..<at].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0 }
                        #expect(extra.allSatisfy { quietStarts.contains(lineStart($0.start)) }, "\(context)")
                        #expect(got.count == Set(got).count, "\(context): no hit twice")
                    }
                    #expect(lines.newlines == UInt64(text[from...].filter { $0 == 0x0A }.count), "\(context)")
                }
            }
        }
        #expect(dropped > 500 && kept > 500, "both answers are exercised: \(dropped) left out, \(kept) kept")
    }

    struct Pair: Hashable, Comparable {
        let start: Int
        let literal: Int
        static func < (a: Pair, b: Pair) -> Bool { (a.start, a.literal) < (b.start, b.literal) }
    }
}
