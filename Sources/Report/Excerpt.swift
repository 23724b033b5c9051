import LogModel
import LogScanner

/// How the timeline shows an excerpt and a source path within a width: the part of the excerpt
/// that holds the failure, and paths relative to the sources' common directory.
enum Excerpt {
    /// Where the failure's own words start in `text`, in Characters: the earliest anchor (ASCII
    /// case ignored) of a scanner rule that types a line as `type`, else of any rule that types a
    /// line; nil when none occurs.
    static func failureRange(in text: String, type: ErrorType) -> Range<Int>? {
        let chars = Array(text).map(lowerASCII)
        // The earliest anchor, joined with the anchors that overlap or touch it (`denied: ` and
        // `requested access to the resource is denied` make one phrase).
        func earliest(_ rules: [Rule]) -> Range<Int>? {
            var found: [Range<Int>] = []
            for rule in rules {
                let anchor = Array(rule.anchor).map(lowerASCII)
                if let at = find(anchor, in: chars) { found.append(at..<(at + anchor.count)) }
            }
            guard var best = found.min(by: { $0.lowerBound < $1.lowerBound }) else { return nil }
            for range in found.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.lowerBound <= best.upperBound {
                best = best.lowerBound..<max(best.upperBound, range.upperBound)
            }
            return best
        }
        let own = Rule.standard.filter { rule in
            switch rule.verdict {
            case .type(let t): t == type
            case .tokenStep: type == .identityPermission
            case .neutral: false
            }
        }
        let typing = Rule.standard.filter { $0.verdict != .neutral }
        return earliest(own) ?? earliest(typing)
    }

    /// `text` in at most `width` Characters, showing the failure of `type`: when the text is too
    /// long, the cut starts a little before the failure's words (at a word boundary when one is
    /// near) so that the phrase and the cause around it stay in view, with the elided start and
    /// end marked `…` (`...` with ASCII). A text without a known phrase is cut at its end.
    static func focus(_ text: String, type: ErrorType, width: Int, ascii: Bool) -> String {
        let chars = Array(text)
        guard chars.count > width, width > 0 else { return text }
        let mark = ascii ? "..." : "…"
        let room = max(1, width - 2 * mark.count)
        guard let failure = failureRange(in: text, type: type) else {
            return String(chars.prefix(max(1, width - mark.count))) + mark
        }
        // A lead of about half the width shows the cause that precedes the phrase; the cut moves
        // back (at most 16 characters) or forward (12) to the start of a word or quoted string.
        var start = max(0, failure.lowerBound - width / 2)
        if start > 0 {
            let isBoundary: (Character) -> Bool = { $0 == " " || $0 == "\"" || $0 == "'" }
            if let back = chars[max(0, start - 16)..<start].lastIndex(where: isBoundary) {
                start = back + 1
            } else if let ahead = chars[start..<min(failure.lowerBound, start + 12)].firstIndex(where: isBoundary) {
                start = ahead + 1
            }
            if failure.upperBound > start + room { start = failure.upperBound - room }
        }
        if chars.count - start <= width - mark.count { start = chars.count - (width - mark.count) }
        if start <= 0 { return String(chars.prefix(width - mark.count)) + mark }
        let end = min(chars.count, start + room)
        return mark + String(chars[start..<end]) + (end < chars.count ? mark : "")
    }

    /// The directory (ending in `/`) that every path lies under, or "" when they share none.
    static func commonDirectory(_ paths: [String]) -> String {
        guard let first = paths.first else { return "" }
        var common = Array(first.split(separator: "/", omittingEmptySubsequences: false).dropLast())
        for path in paths.dropFirst() {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            common = Array(zip(common, parts).prefix { $0 == $1 }.map(\.0))
        }
        let joined = common.joined(separator: "/")
        return joined.isEmpty ? (first.hasPrefix("/") && common.count == 1 ? "/" : "") : joined + "/"
    }

    /// `text` cut to `width` Characters: the end kept (`…/ci/build.log:120`) for paths, the start
    /// kept (`contosopro…`) otherwise.
    static func elide(_ text: String, to width: Int, keepEnd: Bool, ascii: Bool) -> String {
        guard text.count > width else { return text }
        let mark = ascii ? "..." : "…"
        let keep = max(0, width - mark.count)
        return keepEnd ? mark + String(text.suffix(keep)) : String(text.prefix(keep)) + mark
    }

    private static func lowerASCII(_ c: Character) -> Character {
        guard let ascii = c.asciiValue, ascii >= 65, ascii <= 90 else { return c }
        return Character(Unicode.Scalar(ascii + 32))
    }

    /// The first index of `needle` in `haystack`, or nil.
    private static func find(_ needle: [Character], in haystack: [Character]) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }
}
