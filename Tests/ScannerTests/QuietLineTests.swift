import CByteScan
import LogModel
import Testing

@testable import LogScanner

/// The region search leaving out quiet lines in its own pass (`acr_teddy_hits_quiet`,
/// `forEachHitBatch(…quiet:)`): the hits of gated literals (unknown shapes' `azurecr`, `aka.ms/acr`,
/// `command_modules.acr`) on a line with no other literal and no failure word may be left out, and
/// nothing else. Against a naive line-by-line answer, at every implementation level this CPU runs,
/// with hit arrays from the smallest (resumed mid-line, mid-block) to a large one, from a line start
/// or from the middle of a line.
@Suite struct QuietLineTests {
    /// The prefilter of the test: the gated literals (the first three) and a few that stand for
    /// rules' anchors.
    static let literals = ["azurecr", "aka.ms/acr", "command_modules.acr", "unauthorized", "denied:", "pull access"]
    static let gated = 0..<3

    /// Fragments of lines: the literals, failure words and their near misses, numbers around the
    /// statuses, filler of every length (lines across 64-byte blocks).
    static let fragments: [String] = [
        "azurecr", "AZURECR", "azurec", "aka.ms/acr", "aka.ms/ac", "command_modules.acr", "unauthorized", "Denied:",
        "pull access", "error", "Erro", "fail", "forbidden", "401", "4013", "x403", "token", "TOKE", "credential",
        "not allowed", "not  allowed", "invalid", "unable", "cannot", "Status: Downloaded newer image for ",
        ".io/web:1.4.", " ", "  ", "0", "7", ":", "/", "abcdefghijklmnopqrstuvwxyz0123456789",
        "2026-11-26T04:01:02.123Z ", "\r",
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

    @Test(
        "only the gated hits of quiet lines are left out (none at other levels than AVX-512), every other hit reported once with its line, at every level and hit-array size, from a line start or mid-line"
    )
    func onlyQuietLinesAreLeftOut() {
        let (quietLines, keptLines, _) = Self.run(levels: Array(0...LiteralSet.bestLevel))
        #expect(quietLines > 300 && keptLines > 300, "both kinds of lines: \(quietLines) quiet, \(keptLines) not")
    }

    @Test(
        "with AVX-512, most quiet lines' hits are left out",
        .enabled(
            if: LiteralSet.bestLevel >= 3,
            "this CPU has no AVX-512 VBMI: the loop that leaves quiet lines out cannot run")
    )
    func mostQuietLinesAreLeftOut() {
        let (quietLines, _, leftOut) = Self.run(levels: [3])
        // A false pass of a word's fingerprint keeps some; every quiet line has a hit at least.
        #expect(leftOut > quietLines / 2, "AVX-512 left out \(leftOut) hits of \(quietLines) quiet lines")
    }

    /// Searches random lines at `levels`, checking every answer; returns how many quiet lines and
    /// lines with hits that are not quiet the text held, and how many hits the AVX-512 loop left out
    /// with the scanner's array.
    static func run(levels: [Int32]) -> (quietLines: Int, keptLines: Int, leftOut: Int) {
        var random = SplitMix(seed: 0x15_0D08)
        let words = UnknownShape.failureWords.literals.map { String(decoding: $0, as: UTF8.self) }
        var quietLines = 0
        var leftOut = 0
        var keptLines = 0
        for level in levels {
            let set = LiteralSet(Self.literals, level: level, gated: Self.gated)
            let plain = LiteralSet(Self.literals, level: level)
            let wordSet = LiteralSet(words, level: level)
            let maxLine = 150
            // The smallest array (one position's literals: every call resumed), one with room for a
            // few waiting positions, the scanner's size.
            let buffers = [
                LiteralSet.HitBuffer(exactly: Self.literals.count),
                LiteralSet.HitBuffer(exactly: Self.literals.count + 7),
                LiteralSet.HitBuffer(exactly: 40), LiteralSet.HitBuffer(for: set),
            ]
            for round in 0..<150 {
                // Lines of random fragments, some longer than `maxLine` or than several blocks; the
                // last one without a newline in a third of the rounds.
                var text: [UInt8] = []
                for _ in 0..<(1 + Int(random.next() % 120)) {
                    let pieces = Int(random.next() % (random.next() % 8 == 0 ? 30 : 9))
                    for _ in 0..<pieces {
                        text += Self.fragments[Int(random.next() % UInt64(Self.fragments.count))].utf8
                    }
                    text.append(0x0A)
                }
                if round % 3 == 0 { text += Array("no newline azurecr".utf8) }
                // From 0, a line start, or the middle of a line (whose start the search does not see).
                let firstEnd = text.firstIndex(of: 0x0A) ?? 0
                let from = [0, firstEnd + 1, firstEnd / 2][round % 3]
                let all = PrefilterPropertyTests.occurrences(text, Self.literals).filter { $0.start >= from }
                // The naive answer: the hits of quiet lines (begun at or after `from`).
                var quiet = Set<PrefilterPropertyTests.Pair>()
                for line in Self.lines(text)
                where line.start >= from && line.end >= 0 && line.end - line.start <= maxLine {
                    let found = all.filter { $0.start >= line.start && $0.start < line.end }
                    guard !found.isEmpty, found.allSatisfy({ Self.gated.contains($0.literal) }),
                        !FailureWordTests.naive(text[line.start..<line.end])
                    else {
                        if !found.isEmpty, level == levels[0] { keptLines += 1 }
                        continue
                    }
                    quiet.formUnion(found)
                    if level == levels[0] { quietLines += 1 }
                }
                for buffer in buffers {
                    for (search, quietly, gates) in [(set, true, true), (set, false, true), (plain, true, false)] {
                        var got: [PrefilterPropertyTests.Pair] = []
                        var wrong: [String] = []
                        var lines = acr_lines(newlines: 5, start: UInt64(from))
                        text.withUnsafeBytes { bytes in
                            search.forEachHitBatch(
                                in: bytes, from: from, into: buffer, lines: &lines,
                                quiet: quietly ? (wordSet, maxLine) : nil
                            ) { batch in
                                for hit in batch {
                                    let start = Int(hit.start)
                                    got.append(PrefilterPropertyTests.Pair(start: start, literal: Int(hit.literal)))
                                    let before = text[from..<start]
                                    let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? from
                                    let end = text[start...].firstIndex(of: 0x0A)
                                    if hit.newlines != 5 + UInt64(before.filter { $0 == 0x0A }.count)
                                        || hit.line_start != UInt64(lineStart)
                                        || hit.line_end != ACR_UNKNOWN_END && hit.line_end != end.map(UInt64.init)
                                    {
                                        wrong.append(
                                            "\(hit.literal)@\(start): \(hit.newlines) \(hit.line_start) \(hit.line_end)"
                                        )
                                    }
                                }
                            }
                        }
                        let context = "level \(level) round \(round) capacity \(buffer.capacity) quiet \(quietly)"
                        let missing = Set(all).subtracting(got).subtracting(quiet)
                        #expect(missing.isEmpty, "\(context): \(missing.sorted().prefix(3)) left out")
                        #expect(Set(got).isSubset(of: Set(all)), "\(context): a hit that is no occurrence")
                        #expect(got.count == Set(got).count, "\(context): a hit reported twice")
                        #expect(wrong.isEmpty, "\(context): \(wrong.prefix(3))")
                        #expect(lines.newlines == 5 + UInt64(text[from...].filter { $0 == 0x0A }.count), "\(context)")
                        // Only the AVX-512 loop leaves hits out, only with `quiet` and gates.
                        if level < 3 || !quietly || !gates {
                            #expect(got.count == all.count, "\(context): nothing left out")
                        }
                        if level >= 3, quietly, gates, buffer === buffers.last { leftOut += all.count - got.count }
                    }
                }
            }
        }
        return (quietLines, keptLines, leftOut)
    }
}
