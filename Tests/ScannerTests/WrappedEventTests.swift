import Foundation
import Testing

/// Every real-world event hard-wrapped the way terminals and ticket systems wrap a paste
/// (`Wrapping`), scored against its labels (`WrappedEventScore`). `scripts/wrapped-realworld.sh`
/// prints the figures and every broken event; docs/accuracy.md ("Hard-wrapped pastes") records them.
@Suite struct WrappedEventTests {
    static let widths = [60, 72, 80, 100, 120]

    /// The share of failures that must stay right, and the most negatives that may gain a finding, per
    /// wrapping and width: the level reached by the join of wrapped lines as the scan runs it (matcher
    /// 27 with round 21: 0.679 to 0.847, its ABAC refusals' long rows counted twice and its folded 403s
    /// missed when wrapped, and its probe summary, clean unwrapped since matcher 27, a new finding where
    /// a wrap cuts its challenge words off a `curl` row, as it was found before;
    /// matcher 25, a host cut in two rejoined, Notary's refusal: 0.684 to 0.847 with rounds 18 and 19; matcher 24, read on only after a
    /// line with a rule's literal or a failure: 0.670 to 0.842; the join
    /// read on after every candidate line, branch `wrapjoin2`, 0.683 to 0.845 at 3.3x the scan's
    /// CPU; without the join, matcher 18: 0.391 to 0.663; docs/accuracy.md "Hard-wrapped pastes").
    static let gates: [Wrapping: [Int: (right: Double, newFindings: Int)]] = [
        .terminal: [60: (0.675, 9), 72: (0.735, 9), 80: (0.74, 6), 100: (0.805, 8), 120: (0.805, 3)],
        .ticket: [60: (0.74, 8), 72: (0.76, 8), 80: (0.785, 8), 100: (0.815, 8), 120: (0.845, 6)],
    ]

    static var verbose: Bool { ProcessInfo.processInfo.environment["ACRSCAN_WRAP_VERBOSE"] == "1" }

    @Test("the real-world events hard-wrapped at 60 to 120 columns keep their findings")
    func wrappedEvents() throws {
        let corpora = try RealWorldCorpus.all()
        let plain = WrappedEventScore(corpora, wrapping: nil, width: 0)
        print("wrap unwrapped: \(plain.summary)")
        for wrapping in Wrapping.allCases {
            for width in Self.widths {
                let score = WrappedEventScore(corpora, wrapping: wrapping, width: width)
                print("wrap \(wrapping) \(width): \(score.summary)")
                if Self.verbose { for problem in score.problems { print("  \(problem)") } }
                let gate = try #require(Self.gates[wrapping]?[width])
                let share = Double(score.right) / Double(score.failures)
                #expect(share >= gate.right, "\(wrapping) \(width): \(score.summary)")
                #expect(
                    score.breaks[.newFinding, default: 0] <= gate.newFindings, "\(wrapping) \(width): \(score.summary)")
            }
        }
    }
}
