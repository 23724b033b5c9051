import CByteScan
import LogModel

/// A line that looks like an ACR auth failure that no rule knows: it carries ACR evidence and
/// failure words, no rule counts it and no look-alike rule dismisses it (docs/unknowns.md).
///
/// The scanner hands these out beside the occurrences, so that a nightly sweep shows the shapes a
/// new client release prints the night they appear. Only lines the prefilter surfaces are looked
/// at (ACR login servers, `aka.ms/acr` links, the CLI's acr module): no second pass.
public struct UnknownCandidate: Sendable, Equatable, Hashable {
    /// The line with its variable parts masked (`<*>`): what candidates of one shape share.
    public var template: String
    /// A stable 64-bit key of `template` (FNV-1a), for grouping and storing.
    public var templateKey: UInt64
    /// The registry the line names, lowercased, or nil.
    public var registry: String?
    /// Milliseconds since the epoch, UTC: the line's own time or the last earlier one.
    public var timestamp: Int64?
    /// The line number, 1-based.
    public var line: Int
    /// Byte offset of the line in the (decompressed) stream.
    public var offset: Int64
    /// The log format that printed it.
    public var producer: Producer
    /// The line as an excerpt: redacted and cleaned exactly as occurrences' excerpts are; empty for
    /// the candidates of a shape past its first `UnknownShape.examplesPerShape` in a stream.
    public var excerpt: String

    /// Creates a candidate; `templateKey` is `UnknownShape.key(template)`, computed here unless given
    /// (the scanner keeps it with the template, so a pull loop's candidates do not hash it again).
    public init(
        template: String, templateKey: UInt64? = nil, registry: String?, timestamp: Int64?, line: Int,
        offset: Int64, producer: Producer, excerpt: String
    ) {
        self.template = template
        self.templateKey = templateKey ?? UnknownShape.key(template)
        self.registry = registry
        self.timestamp = timestamp
        self.line = line
        self.offset = offset
        self.producer = producer
        self.excerpt = excerpt
    }
}

/// The candidate rule and the template scheme of unknown shapes.
public enum UnknownShape {
    /// Words that say something failed; compared ignoring ASCII case.
    static let failureWords = LiteralSet([
        "error", "fail", "denied", "forbidden", "unauthorized", "401", "403", "token", "credential", "not allowed",
        "refused", "invalid", "expired", "cannot", "unable",
    ])

    /// Whether the line holds failure words; a status (`401`, `403`) counts only as a number of its
    /// own, not inside a longer one (a timestamp's `…808401`). O(n) over the line. `words` is
    /// `failureWords`: the scanner passes its own copy (a static is reached through `swift_once`).
    static func hasFailureWords(_ line: UnsafeRawBufferPointer, words: LiteralSet = failureWords) -> Bool {
        words.containsWord(in: line, start: 0, end: line.count)
    }

    /// The key of a line's shape in the scanner's cache of templates: a hash of its bytes but for
    /// ASCII digits (`acr_form_key`), so lines that differ only by digits share it — the classes of
    /// `Fields.form`, hashed in four multiply lanes over 8-byte words instead of one chain per byte
    /// (that chain was most of the time a pull loop's candidates took in the scanner).
    static func formKey(_ line: UnsafeRawBufferPointer) -> UInt64 {
        acr_form_key(line.baseAddress?.assumingMemoryBound(to: UInt8.self), line.count)
    }

    /// Candidates of one shape in one stream that get a redacted excerpt; later ones carry none
    /// (`excerpt` is empty), as the store keeps only a few examples per template.
    public static let examplesPerShape = 3

    /// The most tokens a template keeps: enough to tell shapes apart, bounded in size.
    public static let maxTokens = 32

    /// The template of an excerpt: whitespace-separated tokens, each kept when it is a plain word
    /// and masked as `<*>` when it is variable — it holds a digit (times, counts, ids, GUIDs, IPs,
    /// ports), a dot between letters (hosts, files), a slash (paths, URLs, image references), `@`,
    /// or is quoted; runs of masks collapse into one. `key=value` keeps its key. The excerpt is
    /// already redacted, so no secret reaches a template.
    public static func template(of excerpt: String) -> String {
        var out: [String] = []
        for token in excerpt.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            guard out.count < maxTokens else { break }
            var kept = String(token)
            if let eq = token.firstIndex(of: "="), eq != token.startIndex {
                let value = token[token.index(after: eq)...]
                if isVariable(value) { kept = token[...eq] + "<*>" }
            } else if isVariable(token) {
                kept = "<*>"
            }
            if kept == "<*>", out.last == "<*>" { continue }
            out.append(kept)
        }
        return out.joined(separator: " ")
    }

    /// Whether a token is a variable part of a message rather than one of its words.
    static func isVariable(_ token: Substring) -> Bool {
        guard let first = token.first, let last = token.last else { return false }
        // A whole quoted or bracketed token is a value (a name, a reference, a list); a quote that
        // only opens or closes a message leaves its word a word.
        if token.count >= 2, let close = closers[first],
            last == close || token.hasSuffix(String(close) + ":")
                || token.hasSuffix(String(close) + ",") || token.hasSuffix(String(close) + ".")
        {
            return true
        }
        var previousIsLetter = false
        for c in token.unicodeScalars {
            if c.properties.numericType != nil || c == "/" || c == "@" || c == "*" { return true }
            if c == ".", previousIsLetter, token.last != "." { return true }
            previousIsLetter = c.properties.isAlphabetic
        }
        return false
    }

    static let closers: [Character: Character] = [
        "\"": "\"", "'": "'", "`": "`", "[": "]", "<": ">", "(": ")", "{": "}",
    ]

    /// A stable 64-bit FNV-1a hash of a template's UTF-8 bytes.
    public static func key(_ template: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in template.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3 }
        return hash
    }
}

extension LiteralSet {
    /// Whether one of the literals occurs in the line `buffer[start..<end]`, a literal that begins
    /// with a digit only as a number of its own (`UnknownShape.hasFailureWords`). One SIMD search
    /// that may read the bytes of `buffer` after the line (never reports them): a line that lies in
    /// a region needs no masked last block. O(n) over the line.
    /// - Precondition: `0 <= start <= end <= buffer.count`.
    @inline(__always)
    func containsWord(in buffer: UnsafeRawBufferPointer, start: Int, end: Int) -> Bool {
        guard start < end, let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        return acr_teddy_any_word(engine.pointer, level, base, start, end, buffer.count) != 0
    }
}
