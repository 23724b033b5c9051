import CByteScan
import LogModel

/// Makes a log line safe to store and print: secrets replaced by `***`, terminal control and
/// escape sequences removed, invalid UTF-8 replaced, length bounded (docs/hardening.md, "Secrets").
///
/// Runs only on the lines that become excerpts, never on every line. The forms it recognises are
/// listed in docs/hardening.md.
public enum Redactor {
    /// The longest excerpt kept, in UTF-8 bytes, before the `…` that marks a cut.
    public static let maxExcerptBytes = 400
    /// Bytes of a line that are read: ten times what is kept, so a secret whose flag or key is in
    /// the kept part is seen whole. Bounds the cost of a line of many kilobytes.
    static let window = 10 * maxExcerptBytes

    /// Name components that make a flag, key or JSON name secret wherever they stand
    /// (`--docker-password`, `REGISTRY_PASSWORD=`, `"clientSecret":`, `password: …`).
    static let strongWords: Set<String> = [
        "password", "passwords", "passwd", "pwd", "passphrase", "secret", "secrets", "apikey", "accountkey",
        "privatekey",
        "sharedaccesskey", "sharedaccesssignature", "connectionstring", "credential", "credentials", "clientsecret",
        "accesstoken", "refreshtoken", "identitytoken", "registrytoken",
    ]
    /// Components that make a name secret in a flag, in `NAME=value` and in a quoted (JSON) name, and
    /// in an unquoted `name: value` only beside another component (`refresh_token:` is a key,
    /// `oauth token: unexpected status` is prose). `key` never alone (`"key": "myacr"`).
    static let weakWords: Set<String> = [
        "pass", "token", "tokens", "pat", "sig", "sas", "auth", "key", "signature", "connection",
    ]
    /// Flags with a secret word that take no value.
    static let valuelessFlags: Set<String> = ["password-stdin", "expose-token"]

    /// Markers of the shape rules below (whatever their context) in one prefilter.
    static let markers: LiteralSet = LiteralSet(
        (schemes + [jwtStart, urlScheme] + tokenPrefixes + [passwordStdin] + stdinFeeders + [hereString])
            .map { String(decoding: $0, as: UTF8.self) })
    static let jwtStart: [UInt8] = Array("eyj".utf8)
    static let urlScheme: [UInt8] = Array("://".utf8)
    /// Authorization schemes whose credentials follow.
    static let schemes: [[UInt8]] = ["bearer ", "basic "].map { Array($0.utf8) }
    /// A `WWW-Authenticate: Bearer realm="…"` challenge names no credential.
    static let realm: [UInt8] = Array("realm=".utf8)
    /// Prefixes of access tokens that carry their kind (GitHub, GitLab).
    static let tokenPrefixes: [[UInt8]] = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-"].map {
        Array($0.utf8)
    }
    /// `echo SECRET | docker login --password-stdin` and `… --password-stdin <<< SECRET`.
    static let passwordStdin: [UInt8] = Array("--password-stdin".utf8)
    static let stdinFeeders: [[UInt8]] = ["echo ", "printf "].map { Array($0.utf8) }
    static let hereString: [UInt8] = Array("<<<".utf8)

    /// Where a secret value stands at the end of a line or of a 64 KiB piece of a long line, for
    /// the next one: a flag or key whose value has not begun (`docker login -p` then the value on
    /// the next line or piece), a value cut in the middle, or an `az acr credential show` entry
    /// whose `"value"` is still to come. Pass it to `excerpt(_:carry:)` of what follows.
    public struct Carry: Sendable, Equatable {
        enum State: Sendable, Equatable {
            case none
            /// A value begins at the next word.
            case valueNext(json: Bool)
            /// Inside a value: a shell word, a single-quoted part, a string opened by a quote with
            /// this many backslashes before it.
            case inWord
            case inSingle
            case inDouble(backslashes: Int, shell: Bool)
        }
        var state: State = .none
        /// The next `"value"` name's value is a secret (`"name": "password", "value": …`).
        var valueKey = false
        /// The word a piece ended in, unfinished (a flag or name cut by the piece boundary): read
        /// again in front of the next piece.
        var word: [UInt8] = []
        /// Where the value left open began in the line it was found in (for `carry(afterPiece:)`).
        var valueStart = 0
        /// Whether the piece ended inside a JSON string (a command line logged as JSON).
        var inString = false

        /// Nothing carried.
        public static let none = Carry()
        /// Whether anything is carried.
        public var isEmpty: Bool { state == .none && !valueKey && word.isEmpty }
    }

    /// What a piece of a long line (`OccurrenceScanner` matches lines longer than 64 KiB in pieces)
    /// leaves for the next piece, given what the piece before it left: found in its last `window`
    /// bytes. Call it for every piece, and pass the result to `excerpt(_:carry:)` of the next.
    public static func carry(afterPiece piece: UnsafeRawBufferPointer, given carry: Carry = .none) -> Carry {
        let tail = piece.count > window ? UnsafeRawBufferPointer(rebasing: piece[(piece.count - window)...]) : piece
        let line = (piece.count > window ? [] : carry.word) + stripControls(Array(tail))
        var start = carry
        start.word = []
        if piece.count > window { start = .none }
        var next = structure(line, carry: start).carry
        let n = line.count
        guard n > 0, !isBlank(line[n - 1]) else { return next }
        var from = n
        while from > 0, n - from < 256, !isBlank(line[from - 1]) { from -= 1 }
        switch next.state {
        case .inWord where from > 0 || n < 256:
            // A word ends the piece: read again whole with the next piece, and, when the flag or
            // name whose value it is stands before it, as a value.
            if next.valueStart > from { next.state = .none }
            next.word = Array(line[from...])
        case .none, .valueNext:
            // A piece may end inside a flag or name: its last word is read again with the next piece.
            next.state = .none
            next.word = Array(line[from...])
        case .inWord, .inSingle, .inDouble:
            // Backslashes at the end escape what begins the next piece.
            var from = n
            while from > 0, line[from - 1] == 0x5C { from -= 1 }
            next.word = Array(line[from...])
        }
        // The word is read again from its start: whether that is inside a JSON string.
        var toggles = 0
        for k in (n - next.word.count)..<n where line[k] == 0x22 {
            var b = 0
            while k - b - 1 >= 0, line[k - b - 1] == 0x5C { b += 1 }
            if b % 2 == 0 { toggles += 1 }
        }
        if toggles % 2 == 1 { next.inString.toggle() }
        return next
    }

    /// What a whole line leaves for the next line: a flag or key at its very end whose value is on
    /// the next line, or a quoted value left open (a shell word ends with its line).
    public static func carry(afterLine line: UnsafeRawBufferPointer, given carry: Carry = .none) -> Carry {
        let bytes =
            carry.word
            + stripControls(
                Array(line.count > window ? UnsafeRawBufferPointer(rebasing: line[(line.count - window)...]) : line))
        var start = carry
        start.word = []
        return lineCarry(structureOrNothing(bytes, carry: line.count > window ? .none : start).carry)
    }

    /// Whether any byte of `range` in `line` (raw bytes, as the scanner sees them) is part of a
    /// secret: for fields taken from a log line besides the excerpt (an identity GUID that is in
    /// fact `-p <GUID>` must not be stored as an identity).
    public static func isSecret(_ line: UnsafeRawBufferPointer, _ range: Range<Int>, carry: Carry = .none) -> Bool {
        let end = min(line.count, max(range.upperBound, window))
        let masked = mask(Array(line[0..<end]), carry: carry)
        return range.clamped(to: 0..<end).contains { masked[$0] }
    }

    /// Bytes kept before the failure's own words when an excerpt is centred on them.
    static let lead = 80

    /// The excerpt for a line: redacted, cleaned, at most `maxExcerptBytes` of UTF-8, cut between
    /// characters. With `focus` (the byte where the failure's words begin) on a line longer than an
    /// excerpt, the excerpt starts a little before it, at a word, after a `…`: the log's own prefix
    /// (times, loggers, request paths) is elided and the failure stays in view. The redaction still
    /// reads the line from its start, so a secret flag before the kept part is honoured.
    /// Complexity: O(n · k) for the bytes up to `window` past the kept start (k markers present);
    /// later bytes are not read.
    public static func excerpt(_ line: UnsafeRawBufferPointer, carry: Carry = .none, focus: Int? = nil) -> String {
        var after: Carry?
        return excerpt(line, carry: carry, focus: focus, after: &after)
    }

    /// `excerpt(_:carry:focus:)`, and in `after` what `carry(afterLine:)` of the same line gives,
    /// when the redaction read all of it from no carry (the line at most `window` bytes, `carry`
    /// empty): the scanner then need not read the line again for the carry of the line after it.
    /// `after` is nil otherwise.
    public static func excerpt(
        _ line: UnsafeRawBufferPointer, carry: Carry = .none, focus: Int? = nil, after: inout Carry?
    ) -> String {
        excerpt(prefix: line, count: line.count, carry: carry, focus: focus, after: &after)
    }

    /// The bytes of a line that `excerpt(_:carry:focus:)` reads: its first `excerptReach(…)`.
    public static func excerptReach(count: Int, focus: Int?) -> Int { min(count, (focus ?? 0) + window) }

    /// `excerpt(_:carry:focus:after:)` of a line of `count` bytes of which `prefix` holds the first
    /// `excerptReach(count:focus:)` (or more): the same excerpt, from what an unfinished excerpt
    /// keeps of its line (`UnfinishedExcerpt`).
    static func excerpt(
        prefix line: UnsafeRawBufferPointer, count: Int, carry: Carry, focus: Int?, after: inout Carry?
    ) -> String {
        let whole = count <= window && carry == .none
        guard let focus, focus > lead, count > maxExcerptBytes, focus < count else {
            return excerpt(
                ofCleaned: stripControls(Array(line.prefix(window))), carry: carry, truncated: count > window,
                from: 0, after: &after, wantsAfter: whole)
        }
        let cleaned = stripControls(Array(line.prefix(min(count, focus + window))))
        // Where the failure's words are in the cleaned bytes, then back to the start of a word.
        var start = max(0, stripControls(Array(line.prefix(focus))).count - lead)
        while start > 0, isWordByte(cleaned[start - 1]), start > focus - 2 * lead { start -= 1 }
        while start < cleaned.count, cleaned[start] & 0xC0 == 0x80 { start += 1 }  // not inside a character
        return excerpt(
            ofCleaned: cleaned, carry: carry, truncated: count > focus + window, from: start,
            after: &after, wantsAfter: whole)
    }

    /// What `carry(afterLine:)` makes of the carry `structure` leaves after a whole line.
    static func lineCarry(_ structured: Carry) -> Carry {
        var next = structured
        if next.state == .inWord { next.state = .none }
        next.inString = false
        return next
    }

    /// A byte inside a word (letters, digits, and the bytes of non-ASCII characters).
    static func isWordByte(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 || c &- 0x30 <= 9 || c >= 0x80 }

    /// The bounded excerpt of `cleaned[from...]`, redacted with the whole of `cleaned` as context;
    /// `truncated` when the line goes on past the bytes read.
    static func excerpt(ofCleaned cleaned: [UInt8], carry: Carry, truncated: Bool, from start: Int) -> String {
        var after: Carry?
        return excerpt(
            ofCleaned: cleaned, carry: carry, truncated: truncated, from: start, after: &after, wantsAfter: false)
    }

    /// With `wantsAfter`, the carry `structure` leaves after `cleaned` (`lineCarry`) is put in `after`.
    static func excerpt(
        ofCleaned cleaned: [UInt8], carry: Carry, truncated: Bool, from start: Int, after: inout Carry?,
        wantsAfter: Bool
    ) -> String {
        let redacted: [UInt8]
        var structured = structureOrNothing(cleaned, carry: carry)
        if wantsAfter { after = lineCarry(structured.carry) }
        shapes(cleaned, &structured.masked)
        if start == 0 {
            redacted = apply(structured.masked, to: cleaned)
        } else if structured.masked.isEmpty {
            redacted = Array(cleaned[start...])
        } else {
            redacted = apply(Array(structured.masked[start...]), to: Array(cleaned[start...]))
        }
        // Removing bytes can join others into a control (`C2 00 88` → U+0088): the decoded text is
        // checked again (rarely needed, so only filtered when it holds one). Invalid bytes become
        // U+FFFD (three bytes each): the bound is on this text.
        // Every such control's UTF-8 holds a byte below 0x20, 0x7F, or starts with C2 or E2.
        var text = String(decoding: redacted, as: UTF8.self)
        if hasControlLead(redacted),
            text.unicodeScalars.contains(where: isInvisibleControl)
        {
            text = String(String.UnicodeScalarView(text.unicodeScalars.filter { !isInvisibleControl($0) }))
        }
        // An excerpt that starts after `…` gives the three bytes of that mark back from its bound.
        let bound = start > 0 ? maxExcerptBytes - 3 : maxExcerptBytes
        let cut = text.utf8.count > bound || truncated
        var end = text.unicodeScalars.endIndex
        if cut {
            // The longest prefix of whole scalars within the bound.
            var size = 0
            end = text.unicodeScalars.startIndex
            while end < text.unicodeScalars.endIndex {
                let width = UTF8.width(text.unicodeScalars[end])
                if size + width > bound { break }
                size += width
                end = text.unicodeScalars.index(after: end)
            }
        }
        // Most excerpts are kept whole: the text itself, without building another.
        if !cut, start == 0, text.utf8.last != 0x20 { return text }
        var kept = text.unicodeScalars[..<end]
        while kept.last == " " { kept = kept.dropLast() }
        let body = cut ? String(kept) + "…" : String(kept)
        return start > 0 ? "…" + body : body
    }

    /// C0 and C1 controls, DEL, and bidirectional overrides and isolates.
    static func isInvisibleControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value)
            || (0x2066...0x2069).contains(s.value)
    }

    /// Removes C0 controls, DEL, C1 controls (U+0080–U+009F, which some terminals obey as escape
    /// sequences), bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, which reorder
    /// what a reader sees), and whole ANSI escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL`);
    /// a tab becomes a space.
    static func stripControls(_ input: [UInt8]) -> [UInt8] {
        // Most lines hold none of these: then the line is its own result.
        guard hasControlLead(input) else { return input }
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            let c = input[i]
            if c == 0x1B {
                i += 1
                if i < input.count, input[i] == 0x5B {  // CSI: parameters, then a final byte 0x40–0x7E
                    i += 1
                    while i < input.count, !(0x40...0x7E).contains(input[i]) { i += 1 }
                    i += 1
                } else if i < input.count, input[i] == 0x5D {  // OSC: up to BEL or ESC \
                    while i < input.count, input[i] != 0x07, input[i] != 0x1B { i += 1 }
                    i += input.count > i && input[i] == 0x1B ? 2 : 1
                } else {
                    i += 1
                }
                continue
            }
            if c == 0xC2, i + 1 < input.count, (0x80...0x9F).contains(input[i + 1]) {
                i += 2  // a C1 control, UTF-8 encoded
                continue
            }
            if c == 0xE2, i + 2 < input.count,
                (input[i + 1] == 0x80 && (0xAA...0xAE).contains(input[i + 2]))
                    || (input[i + 1] == 0x81 && (0xA6...0xA9).contains(input[i + 2]))
            {
                i += 3  // a bidirectional override or isolate, UTF-8 encoded
                continue
            }
            if c == 0x09 { out.append(0x20) } else if c >= 0x20 && c != 0x7F { out.append(c) }
            i += 1
        }
        return out
    }

    /// Whether `bytes` hold a byte below 0x20, 0x7F, 0xC2 or 0xE2 (a lead of every control
    /// `stripControls` removes): 32 bytes a step (`acr_has_control_lead`, AVX2).
    @inline(__always)
    static func hasControlLead(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { acr_has_control_lead($0.baseAddress, $0.count) != 0 }
    }

    @inline(__always)
    static func isAlphanumeric(_ c: UInt8) -> Bool { foldASCII(c) &- 0x61 < 26 || c &- 0x30 <= 9 }

    /// Bytes of a name: letters, digits, `_`, `-`, `.`.
    @inline(__always)
    static func isNameByte(_ c: UInt8) -> Bool { isAlphanumeric(c) || c == 0x5F || c == 0x2D || c == 0x2E }

    @inline(__always)
    static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

    /// Replaces every secret in `line` by `***`.
    public static func redact(_ line: [UInt8], carry: Carry = .none) -> [UInt8] {
        apply(mask(line, carry: carry), to: line)
    }

    /// Which bytes of `line` are secret.
    static func mask(_ line: [UInt8], carry: Carry = .none) -> [Bool] {
        var masked = structure(line, carry: carry).masked
        shapes(line, &masked)
        return masked
    }

    /// The components of a name, lower case: split at `_`, `-`, `.` and where a lower-case letter
    /// or digit meets an upper-case one (`accessToken`, `AZURE_DEVOPS_EXT_PAT`, `x-api-key`).
    static func components(_ name: ArraySlice<UInt8>) -> [String] {
        var parts: [String] = []
        var current: [UInt8] = []
        var previous: UInt8 = 0
        for c in name {
            if c == 0x5F || c == 0x2D || c == 0x2E {
                if !current.isEmpty { parts.append(String(decoding: current, as: UTF8.self)) }
                current = []
            } else {
                let upper = c &- 0x41 < 26
                if upper, !current.isEmpty, previous &- 0x61 < 26 || previous &- 0x30 <= 9 {
                    parts.append(String(decoding: current, as: UTF8.self))
                    current = []
                }
                current.append(foldASCII(c))
            }
            previous = c
        }
        if !current.isEmpty { parts.append(String(decoding: current, as: UTF8.self)) }
        return parts
    }

    /// Whether a name is secret; `strict` for an unquoted `name: value`, where a weak word alone is prose.
    static func isSecretName(_ name: ArraySlice<UInt8>, strict: Bool) -> Bool {
        mayBeSecretName(name) && isSecretNameByWords(name, strict: strict)
    }

    /// `isSecretName` by the name's components alone. A name of one component (no `_`, `-`, `.`,
    /// no lower-case letter or digit before an upper-case one: `token`, `Password`, `STATUS`) is
    /// compared with the words as bytes, without building `String`s (`oauth token:` on every
    /// kubelet line); others by `isSecretNameByComponents`.
    static func isSecretNameByWords(_ name: ArraySlice<UInt8>, strict: Bool) -> Bool {
        var previous: UInt8 = 0
        for c in name {
            if c == 0x5F || c == 0x2D || c == 0x2E
                || (c &- 0x41 < 26 && (previous &- 0x61 < 26 || previous &- 0x30 <= 9))
            {
                return isSecretNameByComponents(name, strict: strict)
            }
            previous = c
        }
        // One component: the folded name itself.
        func equals(_ word: [UInt8]) -> Bool {
            word.count == name.count && zip(word, name).allSatisfy { $0 == foldASCII($1) }
        }
        if strongWordBytes.contains(where: equals) { return true }
        return !strict && weakWordBytes.contains { $0 != keyBytes && equals($0) }
    }
    static let strongWordBytes: [[UInt8]] = strongWords.map { Array($0.utf8) }
    static let weakWordBytes: [[UInt8]] = weakWords.map { Array($0.utf8) }
    static let keyBytes: [UInt8] = Array("key".utf8)

    /// `isSecretNameByWords` of any name, by its components as `String`s (the reference).
    static func isSecretNameByComponents(_ name: ArraySlice<UInt8>, strict: Bool) -> Bool {
        let parts = components(name)
        // Joined forms count too: `access_token` is `accesstoken`, `api-key` is `apikey`.
        if parts.count > 1, strongWords.contains(parts.joined()) { return true }
        for (i, part) in parts.enumerated() {
            if strongWords.contains(part) { return true }
            if weakWords.contains(part) {
                if part == "key" || strict {
                    if parts.count > 1 { return true }
                } else {
                    return true
                }
            }
            if i > 0, strongWords.contains(parts[i - 1] + part) { return true }
        }
        return false
    }

    /// Every strong and weak word holds one of these (folded): a name whose letters, separators
    /// left out, hold none is no secret name, whatever its components (most names on a line:
    /// `time=`, `level=`, `msg=`), found without building them.
    static let secretNeedles: [[UInt8]] = [
        "pass", "pwd", "secret", "key", "sig", "connection", "credential", "token", "pat", "sas", "auth",
    ].map { Array($0.utf8) }

    /// Whether `name` may be a secret name (`isSecretName`): its bytes folded, without `_`, `-`
    /// and `.`, hold a word of `secretNeedles`. One pass over the name: the last ten folded
    /// letters in two registers, compared with the needles as integers (no needle holds a zero
    /// byte, so the registers' empty bytes match none).
    @inline(__always)
    static func mayBeSecretName<Name: Collection<UInt8>>(_ name: Name) -> Bool {
        guard name.count <= 256 else { return true }
        var low: UInt64 = 0  // the last eight letters, the latest in the lowest byte
        var high: UInt64 = 0  // the two before them
        for c in name where c != 0x5F && c != 0x2D && c != 0x2E {
            high = (high << 8 | low >> 56) & 0xFFFF
            let folded = foldASCII(c)
            low = low << 8 | UInt64(folded)
            // Only a needle's last letter can complete one: the other letters skip the compares.
            guard folded &- 0x61 < 26, needleEnds & (1 << UInt32(folded &- 0x61)) != 0 else { continue }
            let three = low & 0xFF_FFFF
            if three == needlePwd || three == needleKey || three == needleSig || three == needlePat
                || three == needleSas
            {
                return true
            }
            let four = low & 0xFFFF_FFFF
            if four == needlePass || four == needleAuth { return true }
            if low & 0xFF_FFFF_FFFF == needleToken || low & 0xFFFF_FFFF_FFFF == needleSecret { return true }
            if high == needleCo && low == needleNnection || high == needleCr && low == needleEdential { return true }
        }
        return false
    }

    /// The last letters of the needles (`d`, `g`, `h`, `l`, `n`, `s`, `t`, `y`), bit `letter - a`:
    /// `mayBeSecretName` compares the registers only after one of them.
    static let needleEnds: UInt32 = 0x10C_28C8

    // The needles as integers, their last byte lowest (as `mayBeSecretName` shifts letters in):
    // literals, so no lazy initialisation is reached per letter. `connection` and `credential`
    // are split in two (`needleCo` + `needleNnection`, `needleCr` + `needleEdential`). RedactorShortcutTests compare
    // `mayBeSecretName` with a search for `secretNeedles`.
    static let needlePwd: UInt64 = 0x707764  // "pwd"
    static let needleKey: UInt64 = 0x6B6579  // "key"
    static let needleSig: UInt64 = 0x736967  // "sig"
    static let needlePat: UInt64 = 0x706174  // "pat"
    static let needleSas: UInt64 = 0x736173  // "sas"
    static let needlePass: UInt64 = 0x7061_7373  // "pass"
    static let needleAuth: UInt64 = 0x6175_7468  // "auth"
    static let needleToken: UInt64 = 0x74_6F6B_656E  // "token"
    static let needleSecret: UInt64 = 0x7365_6372_6574  // "secret"
    static let needleCo: UInt64 = 0x636F  // "co"
    static let needleNnection: UInt64 = 0x6E6E_6563_7469_6F6E  // "nnection"
    static let needleCr: UInt64 = 0x6372  // "cr"
    static let needleEdential: UInt64 = 0x6564_656E_7469_616C  // "edential"

    /// The extent of a value that starts at `start` (blanks skipped): a quoted string (`"…"` with
    /// its escapes, `\"…\"` inside a JSON string, `'…'`), a bracketed JSON value, or a word: up to
    /// a blank, with quoted parts and `\x` escapes understood (`a'b c'd` is one word), or, in JSON
    /// (`json`), up to `,`, `}` or `]`. `enclosing` is non-nil inside a JSON string, whose closing
    /// quote ends the value. Returns the secret bytes (`mask`), where reading goes on (`resume`),
    /// and, when the line ends inside the value, the state to carry.
    static func valueExtent(_ line: [UInt8], from start: Int, json: Bool, enclosing: Int?)
        -> (mask: Range<Int>, resume: Int, open: Carry.State?)
    {
        let n = line.count
        var i = start
        while i < n, isBlank(line[i]) { i += 1 }
        guard i < n else { return (n..<n, n, .valueNext(json: json)) }
        func backslashes(before q: Int) -> Int {
            var k = 0
            while q - k - 1 >= 0, line[q - k - 1] == 0x5C { k += 1 }
            return k
        }
        // A string opened by a quote with k0 backslashes (0, 1, 3, …: one level of JSON nesting
        // each) closes at the first quote with fewer, or with k0 of them modulo 2(k0 + 1).
        func close(from j: Int, opened k0: Int) -> Int? {
            var j = j
            while j < n {
                if line[j] == 0x22 {
                    let k = backslashes(before: j)
                    if k < k0 || k % (2 * (k0 + 1)) == k0 { return j - k }
                }
                j += 1
            }
            return nil
        }
        var q = i
        while q < n, line[q] == 0x5C { q += 1 }
        if q < n, line[q] == 0x22, enclosing != nil || json || (q - i) % 2 == 0 {
            let k0 = q - i
            if enclosing != nil, k0 % 2 == 0 { return (i..<i, i, nil) }  // the string it sits in ends here
            guard let end = close(from: q + 1, opened: k0) else {
                return ((q + 1)..<n, n, .inDouble(backslashes: k0, shell: !json && enclosing == nil))
            }
            if json || enclosing != nil { return ((q + 1)..<end, end + k0 + 1, nil) }
            return continueWord(line, secretFrom: q + 1, at: end + k0 + 1, enclosing: enclosing)
        }
        if line[i] == 0x27 {
            var j = i + 1
            while j < n, line[j] != 0x27 { j += 1 }
            guard j < n else { return ((i + 1)..<n, n, .inSingle) }
            if json { return ((i + 1)..<j, j + 1, nil) }
            return continueWord(line, secretFrom: i + 1, at: j + 1, enclosing: enclosing)
        }
        if json, line[i] == 0x7B || line[i] == 0x5B {
            var depth = 0
            var j = i
            while j < n {
                let c = line[j]
                if c == 0x22 {
                    guard let end = close(from: j + 1, opened: backslashes(before: j)) else { return (i..<n, n, nil) }
                    j = end + backslashes(before: j) + 1
                    continue
                }
                if c == 0x7B || c == 0x5B { depth += 1 }
                if c == 0x7D || c == 0x5D {
                    depth -= 1
                    if depth == 0 { return (i..<(j + 1), j + 1, nil) }
                }
                j += 1
            }
            return (i..<n, n, nil)
        }
        if json {
            var j = i
            while j < n, !isBlank(line[j]), line[j] != 0x2C, line[j] != 0x7D, line[j] != 0x5D, line[j] != 0x22 {
                j += 1
            }
            return (i..<j, j, j == n ? .inWord : nil)
        }
        return continueWord(line, secretFrom: i, at: i, enclosing: enclosing)
    }

    /// The rest of a shell word from `at` (its secret part began at `secretFrom`): up to a blank,
    /// or the quote that closes the JSON string it sits in; quoted parts and `\x` belong to it.
    static func continueWord(_ line: [UInt8], secretFrom: Int, at: Int, enclosing: Int?) -> (
        mask: Range<Int>, resume: Int, open: Carry.State?
    ) {
        let n = line.count
        var j = at
        var maskEnd = at
        while j < n {
            let c = line[j]
            if isBlank(c) { return (secretFrom..<max(secretFrom, maskEnd), j, nil) }
            if c == 0x22 || c == 0x5C {
                var e = j
                while e < n, line[e] == 0x5C { e += 1 }
                guard e < n, line[e] == 0x22 else {
                    j = min(n, e + 1)  // `\x`
                    maskEnd = j
                    continue
                }
                let k = e - j
                // closes the JSON string
                if enclosing != nil, k % 2 == 0 { return (secretFrom..<max(secretFrom, j), j, nil) }
                if enclosing == nil, k % 2 == 1 {  // `\"`: a quote escaped by the shell
                    j = e + 1
                    maskEnd = j
                    continue
                }
                // A quoted part: to its closing quote (in a JSON string, one with as many backslashes).
                let k0 = enclosing == nil ? 0 : k
                var f = e + 1
                var closed = false
                while f < n {
                    if line[f] == 0x22 {
                        var b = 0
                        while f - b - 1 >= 0, line[f - b - 1] == 0x5C { b += 1 }
                        if b < k0 || b % (2 * (k0 + 1)) == k0 {
                            closed = true
                            break
                        }
                    }
                    f += 1
                }
                guard closed else { return (secretFrom..<n, n, .inDouble(backslashes: k0, shell: true)) }
                j = f + 1
                maskEnd = f
                continue
            }
            if c == 0x27 {
                var e = j + 1
                while e < n, line[e] != 0x27 { e += 1 }
                guard e < n else { return (secretFrom..<n, n, .inSingle) }
                j = e + 1
                maskEnd = e
                continue
            }
            j += 1
            maskEnd = j
        }
        return (secretFrom..<max(secretFrom, n), n, .inWord)
    }

    /// `structure(line, carry:)`, without reading the line when it cannot find anything there
    /// (`mayHoldStructuredSecret`): nothing masked (an empty `masked`, not one the line's size:
    /// `shapes` and `apply` take it so), nothing carried.
    static func structureOrNothing(_ line: [UInt8], carry: Carry) -> (masked: [Bool], carry: Carry) {
        if carry == .none, !mayHoldStructuredSecret(line) { return ([], .none) }
        return structure(line, carry: carry)
    }

    /// Whether `structure` of `line` from no carry may mask a byte or leave a carry. False only
    /// when the line holds none of what `structure` acts on: a flag (`-` where a word starts)
    /// named `-p…` or by a secret name; a name (the run of name bytes before `=` or `:`, blanks and
    /// a closing quote between) that `isSecretName` takes, read as `structure` reads it (strict
    /// for an unquoted `name:`); a quoted `"name"` before its separator (`az acr credential show`).
    /// Most failure lines hold a few `name=`/`name:` and no secret name: this reads only the
    /// names before separators, not every byte as `structure` does (with its quotes and values).
    /// `RedactorShortcutTests` check it on random lines with secrets.
    static func mayHoldStructuredSecret(_ line: [UInt8]) -> Bool {
        let n = line.count
        return line.withUnsafeBufferPointer { b in
            // Each `-`, `=` and `:` in order: their places 64 bytes a call (AVX2), one bit each.
            var block = 0
            while block < n {
                var places = acr_mask64_of3(b.baseAddress, n, block, 0x2D, 0x3D, 0x3A)
                while places != 0 {
                    let i = block + places.trailingZeroBitCount
                    places &= places &- 1
                    if separatorMayHoldSecret(at: i, in: b, line) { return true }
                }
                block += 64
            }
            return false
        }
    }

    /// `mayHoldStructuredSecret` at one `-`, `=` or `:` of `line` (`b` its bytes).
    @inline(__always)
    private static func separatorMayHoldSecret(at i: Int, in b: UnsafeBufferPointer<UInt8>, _ line: [UInt8]) -> Bool {
        let n = b.count
        let c = b[i]
        if c == 0x2D {
            // A flag where a word starts (`structure`: `-p…`, `--name`, `-name`).
            guard i == 0 || !isNameByte(b[i - 1]), i + 1 < n else { return false }
            var start = i + 1
            if b[start] == 0x2D { start += 1 }
            var end = start
            while end < n, isNameByte(b[end]) { end += 1 }
            guard end > start else { return false }
            if start == i + 1, b[start] == 0x70 { return true }
            return mayBeSecretName(UnsafeBufferPointer(rebasing: b[start..<end]))
                && isSecretNameByWords(line[start..<end], strict: false)
        }
        // The name before `=` or `:`: blanks, then a closing quote (`"name"`, `'name'`, `\"name\"`) or
        // the name's last byte.
        var q = i
        while q > 0, isBlank(b[q - 1]) { q -= 1 }
        var end = q
        var quote: UInt8 = 0
        if q > 0, b[q - 1] == 0x22 || b[q - 1] == 0x27 {
            quote = b[q - 1]
            end = q - 1
            if quote == 0x22 { while end > 0, b[end - 1] == 0x5C { end -= 1 } }
        }
        var start = end
        while start > 0, isNameByte(b[start - 1]) { start -= 1 }
        let quoted = quote != 0 && start > 0 && b[start - 1] == quote
        // A closing quote without its opening one: `structure` sees no name there. The name is read
        // where it lies; an `ArraySlice` of it (a retain and a release) is made only for the few that
        // may be secret.
        guard start < end, quote == 0 || quoted else { return false }
        if quoted, UnsafeBufferPointer(rebasing: b[start..<end]).elementsEqual("name".utf8) { return true }
        return mayBeSecretName(UnsafeBufferPointer(rebasing: b[start..<end]))
            && isSecretNameByWords(line[start..<end], strict: c == 0x3A && !quoted)
    }

    /// Secrets found by the structure of the line: what follows a secret flag (`-p`, `-pVALUE`,
    /// `--docker-password VALUE`, `--client-secret=VALUE`), key (`REGISTRY_PASS=`, `*_TOKEN=`,
    /// `password: …`) or JSON name (`"password": …`, `"name": "password", "value": …`), up to the
    /// end of its shell word or JSON string; and what the line leaves open for the next.
    static func structure(_ line: [UInt8], carry: Carry) -> (masked: [Bool], carry: Carry) {
        if !carry.word.isEmpty {
            // The unfinished word of the piece before, read again in front of this one.
            var rest = carry
            rest.word = []
            let (masked, next) = structure(carry.word + line, carry: rest)
            return (Array(masked[carry.word.count...]), next)
        }
        let n = line.count
        var masked = [Bool](repeating: false, count: n)
        var next = Carry.none
        var valueKey = carry.valueKey
        var i = 0
        /// The number of backslashes before the quote of the JSON string at `i`, if inside one.
        var enclosing: Int? = carry.inString ? 0 : nil
        func maskValue(from start: Int, json: Bool) -> Int {
            let (range, resume, open) = valueExtent(line, from: start, json: json, enclosing: enclosing)
            if let open {
                next.state = open
                next.valueStart = range.lowerBound
            }
            for k in range { masked[k] = true }
            return max(resume, start)
        }
        // What the line before left open.
        switch carry.state {
        case .none: break
        case .valueNext(let json): i = maskValue(from: 0, json: json)
        case .inWord, .inSingle, .inDouble:
            var end = 0
            var shell = true
            switch carry.state {
            case .inSingle:
                while end < n, line[end] != 0x27 { end += 1 }
                if end == n { next.state = .inSingle } else { end += 1 }
            case .inDouble(let k0, let inShell):
                shell = inShell
                var found = false
                while end < n {
                    if line[end] == 0x22 {
                        var k = 0
                        while end - k - 1 >= 0, line[end - k - 1] == 0x5C { k += 1 }
                        if k < k0 || k % (2 * (k0 + 1)) == k0 {
                            found = true
                            break
                        }
                    }
                    end += 1
                }
                if !found { next.state = .inDouble(backslashes: k0, shell: inShell) } else if shell { end += 1 }
            default:
                break
            }
            if next.state == .none, shell {
                // The rest of the shell word.
                let (range, resume, open) = continueWord(
                    line, secretFrom: 0, at: end, enclosing: carry.inString ? 0 : nil)
                if let open { next.state = open }
                end = max(range.upperBound, end)
                for k in 0..<end { masked[k] = true }
                i = resume
            } else {
                for k in 0..<end { masked[k] = true }
                i = end
            }
        }
        while i < n {
            let c = line[i]
            // JSON strings: where one begins and ends (a quote after an even number of backslashes).
            if c == 0x22 {
                var k = 0
                while i - k - 1 >= 0, line[i - k - 1] == 0x5C { k += 1 }
                if k % 2 == 0 { enclosing = enclosing == nil ? 0 : nil }
            }
            let wordStart = i == 0 || !isNameByte(line[i - 1])
            guard wordStart else {
                i += 1
                continue
            }
            // A flag: `-p…`, `--name`, `-name`.
            if c == 0x2D, i + 1 < n, i == 0 || line[i - 1] != 0x2D {
                var start = i + 1
                if line[start] == 0x2D { start += 1 }
                var end = start
                while end < n, isNameByte(line[end]) || (end > start && line[end] == 0x2E) { end += 1 }
                guard end > start else {
                    i += 1
                    continue
                }
                let name = line[start..<end]
                let long = start == i + 2
                let secret =
                    isSecretName(name, strict: false)
                    && !valuelessFlags.contains(String(decoding: name, as: UTF8.self).lowercased())
                if secret {
                    if end < n, line[end] == 0x3D {
                        i = maskValue(from: end + 1, json: false)
                    } else if end == n {
                        next.state = .valueNext(json: false)
                        i = n
                    } else if isBlank(line[end]) {
                        i = maskValue(from: end, json: false)
                    } else {
                        i = end
                    }
                    continue
                }
                if !long, line[start] == 0x70 {  // -p, -pVALUE, -p"VALUE" (docker login, az login)
                    if end == start + 1, end == n {
                        next.state = .valueNext(json: false)
                        i = n
                        continue
                    }
                    i = maskValue(from: end == start + 1 && line[end] == 0x3D ? end + 1 : start + 1, json: false)
                    continue
                }
                i = end
                continue
            }
            // A name: `NAME=`, `"name":`, `\"name\":`, `'name':`, `name: ` (strict).
            if c &- 0x41 < 26 || c &- 0x61 < 26 || c == 0x5F {
                var end = i
                while end < n, isNameByte(line[end]) { end += 1 }
                let name = line[i..<end]
                var j = end
                var quoted = false
                if i > 0, line[i - 1] == 0x22 || line[i - 1] == 0x27 {
                    // `"name"`, `'name'`, `\"name\"` (JSON inside a JSON string)
                    var e = j
                    while e < n, line[e] == 0x5C, line[i - 1] == 0x22 { e += 1 }
                    if e < n, line[e] == line[i - 1] {
                        quoted = true
                        j = e + 1
                    }
                }
                while j < n, isBlank(line[j]) { j += 1 }
                guard j < n, line[j] == 0x3D || line[j] == 0x3A, !(line[j] == 0x3A && j + 1 < n && line[j + 1] == 0x2F)
                else {
                    i = end
                    continue
                }
                let separator = line[j]
                let json = quoted && separator == 0x3A
                // Reading goes on after the name's closing quote, which ends a JSON string.
                if quoted, line[j - 1] == 0x22, (j - 1 - end) % 2 == 0 { enclosing = enclosing == nil ? 0 : nil }
                if valueKey, quoted, String(decoding: name, as: UTF8.self) == "value" {
                    i = maskValue(from: j + 1, json: true)
                    // Found again if a piece boundary makes the name be read again.
                    valueKey = next.state != .none && i >= n
                    continue
                }
                if separator == 0x3D && !quoted
                    ? isSecretName(name, strict: false)
                    : isSecretName(name, strict: !quoted && separator == 0x3A)
                {
                    i = maskValue(from: j + 1, json: json)
                    continue
                }
                // `"name": "password"` (az acr credential show): the `"value"` that follows is secret.
                if quoted, String(decoding: name, as: UTF8.self) == "name" {
                    var v = j + 1
                    while v < n, isBlank(line[v]) || line[v] == 0x5C { v += 1 }
                    if v < n, line[v] == 0x22 {
                        var e = v + 1
                        while e < n, isNameByte(line[e]) { e += 1 }
                        if isSecretName(line[(v + 1)..<e], strict: false) { valueKey = true }
                    }
                }
                i = j + 1
                continue
            }
            i += 1
        }
        if valueKey { next.valueKey = true }
        next.inString = enclosing != nil
        return (masked, next)
    }

    /// Secrets found by their shape or by what stands before them, whatever the structure:
    /// authorization schemes, JWTs, URL credentials, tokens that name their kind, what is fed to
    /// `--password-stdin`.
    /// `masked` is the line's size, or empty when nothing of it is masked yet.
    static func shapes(_ line: [UInt8], _ masked: inout [Bool]) {
        let n = line.count
        let present = line.withUnsafeBytes { markers.presence(in: $0) }
        guard present != 0 else { return }
        /// Marks `k` secret; an empty `masked` (nothing masked yet) is made the line's size first.
        func mark(_ k: Int) {
            if masked.isEmpty { masked = [Bool](repeating: false, count: n) }
            masked[k] = true
        }
        var marker = 0
        /// Calls `body` with each index where `needle` (lower case, the next marker in order)
        /// starts, ignoring ASCII case; nothing when the prefilter saw no such marker.
        func forEach(_ needle: [UInt8], _ body: (Int) -> Void) {
            defer { marker += 1 }
            guard present & (1 << UInt64(marker)) != 0, n >= needle.count else { return }
            // Each place, in order (`firstIndex(ofFolded:)`: SIMD on the needle's first and last bytes).
            var from = 0
            while let at = line.withUnsafeBytes({ $0.firstIndex(ofFolded: needle, from: from) }) {
                body(at)
                from = at + 1
            }
        }
        func maskWord(from start: Int) {
            for k in valueExtent(line, from: start, json: false, enclosing: nil).mask { mark(k) }
        }
        for scheme in schemes {
            forEach(scheme) { at in
                guard at == 0 || !isAlphanumeric(line[at - 1]) else { return }
                var i = at + scheme.count
                while i < n, line[i] == 0x20 { i += 1 }
                if i + realm.count <= n, (0..<realm.count).allSatisfy({ foldASCII(line[i + $0]) == realm[$0] }) {
                    return
                }
                var end = i
                while end < n, !isBlank(line[end]), line[end] != 0x22, line[end] != 0x27, line[end] != 0x2C,
                    line[end] != 0x5C
                { end += 1 }
                for k in i..<end { mark(k) }
            }
        }
        // JWTs (`eyJ…`), whatever surrounds them.
        forEach(jwtStart) { at in
            guard line[at] == 0x65, line[at + 2] == 0x4A else { return }
            var end = at
            while end < n, isAlphanumeric(line[end]) || line[end] == 0x2D || line[end] == 0x5F || line[end] == 0x2E {
                end += 1
            }
            if end - at >= 16 { for k in at..<end { mark(k) } }
        }
        // Credentials in URLs: scheme://user:SECRET@host.
        forEach(urlScheme) { at in
            var i = at + 3
            var colon: Int?
            while i < n, !isBlank(line[i]), line[i] != 0x2F, line[i] != 0x22 {
                if line[i] == 0x3A, colon == nil { colon = i }
                if line[i] == 0x40, let c = colon {
                    for k in (c + 1)..<i { mark(k) }
                    break
                }
                i += 1
            }
        }
        // Tokens that say what they are (`ghp_…`, `glpat-…`).
        for prefix in tokenPrefixes {
            forEach(prefix) { at in
                guard at == 0 || !isAlphanumeric(line[at - 1]) else { return }
                var end = at + prefix.count
                while end < n, isAlphanumeric(line[end]) || line[end] == 0x5F || line[end] == 0x2D { end += 1 }
                if end - at >= prefix.count + 16 { for k in at..<end { mark(k) } }
            }
        }
        // A secret fed to `--password-stdin`: the words of `echo`/`printf` before the pipe, or a here-string.
        var feeds = false
        forEach(passwordStdin) { _ in feeds = true }
        for feeder in stdinFeeders {
            forEach(feeder) { at in
                guard feeds, at == 0 || line[at - 1] == 0x20 || line[at - 1] == 0x28 || line[at - 1] == 0x3B else {
                    return
                }
                var end = at + feeder.count
                while end < n, line[end] != 0x7C { end += 1 }  // up to `|`
                guard end < n else { return }
                for k in (at + feeder.count)..<end where line[k] != 0x20 { mark(k) }
            }
        }
        forEach(hereString) { at in if feeds { maskWord(from: at + hereString.count) } }
    }

    /// `line` with each run of masked bytes replaced by `***`.
    /// An empty `masked` masks nothing.
    static func apply(_ masked: [Bool], to line: [UInt8]) -> [UInt8] {
        guard !masked.isEmpty, masked.contains(true) else { return line }
        var out: [UInt8] = []
        out.reserveCapacity(line.count)
        var i = 0
        while i < line.count {
            if masked[i] {
                out.append(contentsOf: [0x2A, 0x2A, 0x2A])
                while i < line.count, masked[i] { i += 1 }
            } else {
                out.append(line[i])
                i += 1
            }
        }
        return out
    }
}
