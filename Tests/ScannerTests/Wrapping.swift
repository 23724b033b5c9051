import Foundation
import LogModel
import LogScanner

/// How a paste's long lines are hard-wrapped before they reach a log or a ticket.
enum Wrapping: String, CaseIterable, CustomStringConvertible {
    /// A terminal's wrap: every line cut at exactly `width` columns, wherever that falls.
    case terminal
    /// A ticket system's (and `fold -s`'s, Python's `textwrap`'s) wrap: at the last blank at or before
    /// `width`, the blank dropped; a word longer than the width is cut at the width.
    case ticket

    var description: String { rawValue }

    /// `line` wrapped at `width` columns (one column per character); a line that fits stays whole.
    func wrap(_ line: String, width: Int) -> [String] {
        var rest = Array(line)
        var out: [String] = []
        while rest.count > width {
            var cut = width
            var skip = 0
            if self == .ticket, let blank = rest[1...width].lastIndex(of: " ") {
                cut = blank
                skip = 1
            }
            out.append(String(rest[..<cut]))
            rest.removeFirst(cut + skip)
        }
        out.append(String(rest))
        return out
    }

    /// Every line of `lines` wrapped at `width`.
    func wrap(lines: [String], width: Int) -> [String] { lines.flatMap { wrap($0, width: width) } }
}

/// The real-world events hard-wrapped (`Wrapping`), each scored against its labels: a failure must be
/// found with an accepted type and its labelled registry, as many times as it is found unwrapped (a
/// whole paste: its judgement's count); a negative must give no finding it does not give unwrapped.
struct WrappedEventScore {
    /// What went wrong with a wrapped event, in the order it is checked.
    enum Break: String, CaseIterable {
        /// A failure with no finding at all.
        case missed
        /// A failure found, but with no accepted type.
        case mistyped
        /// A failure found more often than unwrapped (a continuation counted as a failure of its own).
        case twice = "counted twice"
        /// A failure found less often than unwrapped (two failures joined into one).
        case merged
        /// A failure found with its type but another registry than its label's.
        case registry = "registry lost"
        /// A negative with a finding it does not give unwrapped.
        case newFinding = "new finding"
    }

    var failures = 0
    var negatives = 0
    var breaks: [Break: Int] = [:]
    /// One line per broken event: the class, the set and event, what was found.
    var problems: [String] = []

    var right: Int { failures - Break.allCases.filter { $0 != .newFinding }.reduce(0) { $0 + breaks[$1, default: 0] } }
    var clean: Int { negatives - breaks[.newFinding, default: 0] }

    /// Scores every failure and negative of `corpora`, its lines wrapped by `wrapping` at `width`
    /// (nil: unwrapped, the reference).
    init(_ corpora: [RealWorldCorpus], wrapping: Wrapping?, width: Int) {
        for corpus in corpora {
            for event in corpus.events where event.kind == .failure || event.kind == .negative {
                let plain = Support.scan(event.bytes)
                let lines = wrapping.map { $0.wrap(lines: event.lines, width: width) } ?? event.lines
                let found = Support.scan(lines: lines)
                if let broken = Self.judge(event, found: found, plain: plain) {
                    breaks[broken, default: 0] += 1
                    let text = found.map { "\($0.type.rawValue)@\($0.registry ?? "?")" }.joined(separator: ",")
                    problems.append("\(broken.rawValue): \(corpus.name) \(event.id) found [\(text)]")
                }
                if event.kind == .failure { failures += 1 } else { negatives += 1 }
            }
        }
    }

    /// What broke in `event` found as `found` (`plain`: its findings unwrapped); nil when it is right.
    static func judge(_ event: RealWorldCorpus.Event, found: [Occurrence], plain: [Occurrence]) -> Break? {
        if event.kind == .negative { return found.count > plain.count ? .newFinding : nil }
        let accepted = event.acceptedTypes
        guard !found.isEmpty else { return .missed }
        guard let right = found.first(where: { accepted.contains($0.type.rawValue) }) else { return .mistyped }
        let expected = event.expectedCount ?? max(1, plain.count)
        if found.count > expected { return .twice }
        if found.count < expected { return .merged }
        return event.expectedRegistries.contains(right.registry) ? nil : .registry
    }

    /// One line of figures: failures right, each class of break, negatives clean.
    var summary: String {
        let classes = Break.allCases.filter { $0 != .newFinding }.map { "\($0.rawValue) \(breaks[$0, default: 0])" }
        return "failures right \(right)/\(failures) (" + classes.joined(separator: ", ")
            + String(
                format: ")  %.3f  negatives clean %d/%d", Double(right) / Double(max(1, failures)), clean, negatives)
    }
}
