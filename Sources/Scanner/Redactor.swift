/// Makes a log line safe to store and print: secrets replaced by `***`, terminal control and
/// escape sequences removed, invalid UTF-8 replaced, length bounded (SPEC section 7).
///
/// Runs only on the lines that become excerpts, never on every line. The forms it recognises are
/// listed in docs/hardening.md.
public enum Redactor {
    /// The longest excerpt kept, in UTF-8 bytes, before the `…` that marks a cut.
    public static let maxExcerptBytes = 400
    /// Bytes of a line that are read: ten times what is kept, so a secret whose flag or key is in
    /// the kept part is seen whole. Bounds the cost of a line of many kilobytes.
    static let window = 10 * maxExcerptBytes

    /// Flags whose next word is a secret (` -p` also at the start of a line).
    static let secretFlags: [[UInt8]] = [
        "--password", "--client-secret", "--secret", "--token", "--access-token", "--refresh-token", "--sas-token",
        "--account-key", "--connection-string", "--federated-token", " -p",
    ].map { Array($0.utf8) }
    /// Keys (`key=value`, `"key":"value"`, `KEY_PREFIX_key=value`) whose value is a secret; compared
    /// ignoring case, and not inside a longer word (`oauth` is not `auth`).
    static let secretKeys: [[UInt8]] = [
        "password", "passwd", "pwd", "passphrase", "secret", "client_secret", "clientsecret", "token", "access_token",
        "accesstoken", "refresh_token", "refreshtoken", "id_token", "identitytoken", "registrytoken", "auth",
        "accountkey", "sharedaccesskey", "sharedaccesssignature", "sig", "apikey", "api_key", "api-key", "x-api-key",
        "private_key", "privatekey",
    ].map { Array($0.utf8) }
    /// Keys that are secrets also in the `key: value` form: never ordinary words in a message
    /// ("oauth token: unexpected status" is not a secret).
    static let colonKeys: [[UInt8]] = [
        "password", "passwd", "passphrase", "client_secret", "clientsecret", "accountkey", "access_token", "accesstoken",
        "refresh_token", "refreshtoken", "apikey", "api_key", "api-key", "x-api-key",
    ].map { Array($0.utf8) }
    /// Every marker above and below in one prefilter, in the order `redact` looks at them: a line's
    /// markers are found in one pass, and only the markers present are looked at again (most
    /// excerpts hold none).
    static let markers: LiteralSet = LiteralSet(
        (secretFlags + secretKeys + schemes + [jwtStart, urlScheme] + tokenPrefixes + [passwordStdin] + stdinFeeders + [hereString])
            .map { String(decoding: $0, as: UTF8.self) })
    static let jwtStart: [UInt8] = Array("eyj".utf8)
    static let urlScheme: [UInt8] = Array("://".utf8)
    /// Authorization schemes whose credentials follow.
    static let schemes: [[UInt8]] = ["bearer ", "basic "].map { Array($0.utf8) }
    /// A `WWW-Authenticate: Bearer realm="…"` challenge names no credential.
    static let realm: [UInt8] = Array("realm=".utf8)
    /// Prefixes of access tokens that carry their kind (GitHub, GitLab).
    static let tokenPrefixes: [[UInt8]] = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-"].map { Array($0.utf8) }
    /// `echo SECRET | docker login --password-stdin` and `… --password-stdin <<< SECRET`.
    static let passwordStdin: [UInt8] = Array("--password-stdin".utf8)
    static let stdinFeeders: [[UInt8]] = ["echo ", "printf "].map { Array($0.utf8) }
    static let hereString: [UInt8] = Array("<<<".utf8)

    /// The excerpt for a line: redacted, cleaned, at most `maxExcerptBytes` of UTF-8, cut between
    /// characters. Complexity: O(n · k) for the first `window` bytes (k markers present); later
    /// bytes are not read.
    public static func excerpt(_ line: UnsafeRawBufferPointer) -> String {
        let cleaned = stripControls(Array(line.prefix(window)))
        let redacted = redact(cleaned)
        // Removing bytes can join others into a control (`C2 00 88` → U+0088): the decoded text is
        // checked again (rarely needed, so only filtered when it holds one). Invalid bytes become
        // U+FFFD (three bytes each): the bound is on this text.
        var text = String(decoding: redacted, as: UTF8.self)
        if text.unicodeScalars.contains(where: isInvisibleControl) {
            text = String(String.UnicodeScalarView(text.unicodeScalars.filter { !isInvisibleControl($0) }))
        }
        let cut = text.utf8.count > maxExcerptBytes || line.count > window
        var end = text.unicodeScalars.endIndex
        if cut {
            // The longest prefix of whole scalars within the bound.
            var size = 0
            end = text.unicodeScalars.startIndex
            while end < text.unicodeScalars.endIndex {
                let width = UTF8.width(text.unicodeScalars[end])
                if size + width > maxExcerptBytes { break }
                size += width
                end = text.unicodeScalars.index(after: end)
            }
        }
        var kept = text.unicodeScalars[..<end]
        while kept.last == " " { kept = kept.dropLast() }
        return cut ? String(kept) + "…" : String(kept)
    }

    /// C0 and C1 controls, DEL, and bidirectional overrides and isolates.
    static func isInvisibleControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
    }

    /// Removes C0 controls, DEL, C1 controls (U+0080–U+009F, which some terminals obey as escape
    /// sequences), bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, which reorder
    /// what a reader sees), and whole ANSI escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL`);
    /// a tab becomes a space.
    static func stripControls(_ input: [UInt8]) -> [UInt8] {
        // Most lines hold none of these: then the line is its own result.
        guard input.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) else { return input }
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
               (input[i + 1] == 0x80 && (0xAA...0xAE).contains(input[i + 2])) || (input[i + 1] == 0x81 && (0xA6...0xA9).contains(input[i + 2])) {
                i += 3  // a bidirectional override or isolate, UTF-8 encoded
                continue
            }
            if c == 0x09 { out.append(0x20) } else if c >= 0x20 && c != 0x7F { out.append(c) }
            i += 1
        }
        return out
    }

    @inline(__always)
    static func isWordByte(_ c: UInt8) -> Bool { c > 0x20 && c != 0x22 && c != 0x27 && c != 0x2C && c != 0x3B && c != 0x26 && c != 0x5C && c != 0x7D }

    @inline(__always)
    static func isAlphanumeric(_ c: UInt8) -> Bool { foldASCII(c) &- 0x61 < 26 || c &- 0x30 <= 9 }

    /// Replaces every secret in `line` by `***`.
    public static func redact(_ line: [UInt8]) -> [UInt8] {
        let n = line.count
        var masked = [Bool](repeating: false, count: n)
        /// Masks the value that starts at `start`, after blanks and an opening quote (`"`, `'`, `\"`):
        /// up to the closing quote when quoted, else to the end of the word.
        func mask(from start: Int) {
            var i = start
            while i < n, line[i] == 0x20 { i += 1 }
            var quote: UInt8?
            if i + 1 < n, line[i] == 0x5C, line[i + 1] == 0x22 {  // JSON inside JSON: \"value\"
                quote = 0x5C
                i += 2
            } else if i < n, line[i] == 0x22 || line[i] == 0x27 {
                quote = line[i]
                i += 1
            }
            var end = i
            if let quote {
                while end < n, line[end] != quote { end += 1 }
            } else {
                while end < n, isWordByte(line[end]) { end += 1 }
            }
            for k in i..<end { masked[k] = true }
        }
        /// Masks the value of a flag that ends before `i`: `--flag=VALUE` or `--flag VALUE`, unless
        /// the flag goes on (`--password-stdin`) or another flag follows.
        func maskFlagValue(after i: Int) {
            var i = i
            if i < n, line[i] == 0x3D { i += 1 }  // --password=VALUE
            else if i < n, line[i] != 0x20 { return }  // --password-stdin, -port
            var next = i
            while next < n, line[next] == 0x20 { next += 1 }
            if next < n, line[next] == 0x2D { return }  // another flag: no value here
            mask(from: i)
        }
        if n >= 2, line[0] == 0x2D, foldASCII(line[1]) == 0x70 { maskFlagValue(after: 2) }  // -p at the start
        let present = line.withUnsafeBytes { markers.presence(in: $0) }
        guard present != 0 else { return apply(masked, to: line) }
        var marker = 0
        /// Calls `body` with each index where `needle` (lower case, the next marker in order)
        /// starts, ignoring ASCII case; nothing when the prefilter saw no such marker.
        func forEach(_ needle: [UInt8], _ body: (Int) -> Void) {
            defer { marker += 1 }
            guard present & (1 << UInt64(marker)) != 0, n >= needle.count else { return }
            var i = 0
            while i <= n - needle.count {
                var k = 0
                while k < needle.count, foldASCII(line[i + k]) == needle[k] { k += 1 }
                if k == needle.count { body(i) }
                i += 1
            }
        }
        for flag in secretFlags {
            forEach(flag) { maskFlagValue(after: $0 + flag.count) }
        }
        for key in secretKeys {
            forEach(key) { at in
                if at > 0, isAlphanumeric(line[at - 1]) { return }  // inside a longer word; ACR_PASSWORD= is not
                var i = at + key.count
                var quoted = false
                if i + 1 < n, line[i] == 0x5C, line[i + 1] == 0x22 { i += 2; quoted = true }  // \"key\":
                else if i < n, line[i] == 0x22 || line[i] == 0x27 { i += 1; quoted = true }
                while i < n, line[i] == 0x20 { i += 1 }
                guard i < n else { return }
                // `key=value` and JSON `"key":"value"` always; `key: value` only for `colonKeys`.
                guard line[i] == 0x3D || (line[i] == 0x3A && (quoted || colonKeys.contains(key))) else { return }
                mask(from: i + 1)
            }
        }
        for scheme in schemes {
            forEach(scheme) { at in
                var i = at + scheme.count
                while i < n, line[i] == 0x20 { i += 1 }
                if i + realm.count <= n, (0..<realm.count).allSatisfy({ foldASCII(line[i + $0]) == realm[$0] }) { return }
                mask(from: i)
            }
        }
        // JWTs (`eyJ…`), whatever surrounds them.
        forEach(jwtStart) { at in
            guard line[at] == 0x65, line[at + 2] == 0x4A else { return }
            var end = at
            while end < n, isAlphanumeric(line[end]) || line[end] == 0x2D || line[end] == 0x5F || line[end] == 0x2E { end += 1 }
            if end - at >= 16 { for k in at..<end { masked[k] = true } }
        }
        // Credentials in URLs: scheme://user:SECRET@host.
        forEach(urlScheme) { at in
            var i = at + 3
            var colon: Int?
            while i < n, isWordByte(line[i]), line[i] != 0x2F {
                if line[i] == 0x3A, colon == nil { colon = i }
                if line[i] == 0x40, let c = colon { for k in (c + 1)..<i { masked[k] = true }; break }
                i += 1
            }
        }
        // Tokens that say what they are (`ghp_…`, `glpat-…`).
        for prefix in tokenPrefixes {
            forEach(prefix) { at in
                guard at == 0 || !isAlphanumeric(line[at - 1]) else { return }
                var end = at + prefix.count
                while end < n, isAlphanumeric(line[end]) || line[end] == 0x5F || line[end] == 0x2D { end += 1 }
                if end - at >= prefix.count + 16 { for k in at..<end { masked[k] = true } }
            }
        }
        // A secret fed to `--password-stdin`: the words of `echo`/`printf` before the pipe, or a here-string.
        var feeds = false
        forEach(passwordStdin) { _ in feeds = true }
        for feeder in stdinFeeders {
            forEach(feeder) { at in
                guard feeds, at == 0 || line[at - 1] == 0x20 || line[at - 1] == 0x28 || line[at - 1] == 0x3B else { return }
                var end = at + feeder.count
                while end < n, line[end] != 0x7C { end += 1 }  // up to `|`
                guard end < n else { return }
                for k in (at + feeder.count)..<end where line[k] != 0x20 { masked[k] = true }
            }
        }
        forEach(hereString) { at in if feeds { mask(from: at + hereString.count) } }
        return apply(masked, to: line)
    }

    /// `line` with each run of masked bytes replaced by `***`.
    static func apply(_ masked: [Bool], to line: [UInt8]) -> [UInt8] {
        guard masked.contains(true) else { return line }
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
