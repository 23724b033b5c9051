import Testing

@testable import LogScanner

/// `Matcher.init` finds each needle's prefilter literal from a first-byte table (docs/performance.md,
/// "Branch `startup`"); these compare what it found with the plain search it replaced.
@Suite struct MatcherBuildTests {
    /// The longest prefilter literal that `needle` holds (folded), the first in index order among
    /// the longest, and its first offset: every literal searched at every offset.
    static func plainBest(_ needle: [UInt8], _ literals: [[UInt8]]) -> (literal: Int, offset: Int)? {
        var best: (literal: Int, offset: Int, length: Int)?
        for (l, literal) in literals.enumerated() where literal.count > (best?.length ?? 0) {
            guard literal.count <= needle.count else { continue }
            if let at = (0...(needle.count - literal.count)).first(where: {
                Array(needle[$0..<($0 + literal.count)]) == literal
            }) {
                best = (l, at, literal.count)
            }
        }
        return best.map { ($0.literal, $0.offset) }
    }

    @Test("every needle's spot (literal and offset) is the plain search's, in both standard matchers")
    func sameSpots() {
        for matcher in [Matcher.standard, Matcher.withoutUnknownShapes] {
            let literals = matcher.prefilter.literals
            #expect(matcher.needleSpot.count == matcher.needles.count)
            var loose = 0
            for (n, range) in matcher.needles.enumerated() {
                let folded = matcher.needleBytes[range].map(foldASCII)
                let spot = Int(matcher.needleSpot[n])
                if let best = Self.plainBest(folded, literals) {
                    #expect(spot >= 0)
                    guard spot >= 0 else { continue }
                    let quad = matcher.spotSpans[(4 * spot)..<(4 * spot + 4)].map(Int.init)
                    #expect(quad == [range.lowerBound, range.count, best.literal, best.offset], "needle \(n)")
                } else {
                    #expect(spot == -1, "needle \(n)")
                    loose += 1
                }
            }
            #expect(matcher.looseSpans.count == 2 * loose)
            #expect(matcher.needles.count - loose > 100)  // 135 of 961 hold one (102 without unknown shapes)
        }
    }
}

extension MatcherBuildTests {
    /// The prefilter literals whose every rule has a gate: a line holding one of them, but none of
    /// its rules' gate needles at the literal's hits, is left unread (`Matcher.cannotFire`). A rule
    /// added under one of these with needles that hold none of the prefilter's literals takes its
    /// gate away, and every line with that word is read and evaluated (round 13's first draft did so
    /// to `unauthorized`: 8.51% of the benchmark corpus's lines read instead of 1.47%, `acrscan
    /// literals --candidates`).
    static let gatedLiterals = [
        "unauthorized", "content:", "error code", "response 401: ", "response 403: ",
        "code: unauthorized", "code: denied", "forbidden",
    ]

    @Test("the literals whose rules all have gates keep them")
    func gatedAnchors() {
        let matcher = Matcher.standard
        let literals = matcher.prefilter.literals.map { String(decoding: $0, as: UTF8.self) }
        for literal in Self.gatedLiterals {
            let index = literals.firstIndex(of: literal)
            #expect(index != nil, "\(literal) is no prefilter literal")
            if let index { #expect(matcher.gateTable.count[index] >= 0, "\(literal) anchors a rule without a gate") }
        }
    }
}
