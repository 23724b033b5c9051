/// Makes a log line safe to store and print: secrets replaced by `***`, terminal control and
/// escape sequences removed, invalid UTF-8 replaced, length bounded (SPEC section 7).
///
/// Runs only on the lines that become excerpts, never on every line.
public enum Redactor {
    /// The longest excerpt kept, in bytes of the redacted line.
    public static let maxExcerptBytes = 400

    /// Flags whose next word is a secret.
    static let secretFlags: [[UInt8]] = [
        "--password", "--client-secret", "--secret", "--token", "--access-token", "--refresh-token", "--sas-token",
        "--account-key", "--connection-string", " -p",
    ].map { Array($0.utf8) }
    /// Keys (`key=value`, `key: value`, `"key":"value"`) whose value is a secret; compared ignoring case.
    static let secretKeys: [[UInt8]] = [
        "password", "passwd", "pwd", "secret", "client_secret", "clientsecret", "token", "access_token", "refresh_token",
        "accountkey", "sharedaccesskey", "sharedaccesssignature", "sig", "apikey", "api_key", "x-api-key",
    ].map { Array($0.utf8) }
    /// Keys that are secrets also in the `key: value` form.
    static let colonKeys: [[UInt8]] = ["password", "passwd", "client_secret", "clientsecret", "accountkey"].map { Array($0.utf8) }
    /// Every marker above in one prefilter: a line's markers are found in one pass, and only the
    /// markers present are looked at again (most excerpts hold none).
    static let markers: LiteralSet = LiteralSet((secretFlags + secretKeys + schemes + [jwtStart, urlScheme]).map { String(decoding: $0, as: UTF8.self) })
    static let jwtStart: [UInt8] = Array("eyj".utf8)
    static let urlScheme: [UInt8] = Array("://".utf8)
    /// Authorization schemes whose credentials follow.
    static let schemes: [[UInt8]] = ["bearer ", "basic "].map { Array($0.utf8) }

    /// The excerpt for a line: redacted, cleaned, at most `maxExcerptBytes` long.
    public static func excerpt(_ line: UnsafeRawBufferPointer) -> String {
        let cleaned = stripControls(Array(line))
        let redacted = redact(cleaned)
        var end = min(redacted.count, maxExcerptBytes)
        while end > 0, redacted[end - 1] == 0x20 { end -= 1 }
        let text = String(decoding: redacted[..<end], as: UTF8.self)
        return redacted.count > maxExcerptBytes ? text + "…" : text
    }

    /// Removes C0 controls, DEL, C1 controls (U+0080–U+009F, which some terminals obey as escape
    /// sequences), and whole ANSI escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL`); a tab
    /// becomes a space.
    static func stripControls(_ input: [UInt8]) -> [UInt8] {
        // Most lines hold none of these: then the line is its own result.
        guard input.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return input }
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
            if c == 0x09 { out.append(0x20) } else if c >= 0x20 && c != 0x7F { out.append(c) }
            i += 1
        }
        return out
    }

    @inline(__always)
    static func isWordByte(_ c: UInt8) -> Bool { c > 0x20 && c != 0x22 && c != 0x27 && c != 0x2C && c != 0x3B && c != 0x26 && c != 0x5C && c != 0x7D }

    /// Replaces every secret in `line` by `***`.
    public static func redact(_ line: [UInt8]) -> [UInt8] {
        var masked = [Bool](repeating: false, count: line.count)
        func mask(from start: Int) {
            var i = start
            while i < line.count, line[i] == 0x20 || line[i] == 0x22 || line[i] == 0x27 { i += 1 }
            var end = i
            while end < line.count, isWordByte(line[end]) { end += 1 }
            for k in i..<end { masked[k] = true }
        }
        let present = line.withUnsafeBytes { markers.presence(in: $0) }
        guard present != 0 else { return line }
        var marker = 0
        /// Calls `body` with each index where `needle` (lower case, the next marker in order)
        /// starts, ignoring ASCII case; nothing when the prefilter saw no such marker.
        func forEach(_ needle: [UInt8], _ body: (Int) -> Void) {
            defer { marker += 1 }
            guard present & (1 << UInt64(marker)) != 0, line.count >= needle.count else { return }
            var i = 0
            while i <= line.count - needle.count {
                var k = 0
                while k < needle.count, foldASCII(line[i + k]) == needle[k] { k += 1 }
                if k == needle.count { body(i) }
                i += 1
            }
        }
        for flag in secretFlags {
            forEach(flag) { at in
                var i = at + flag.count
                if i < line.count, line[i] == 0x3D { i += 1 }  // --password=VALUE
                else if i < line.count, line[i] != 0x20 { return }  // --password-stdin, -port
                if flag == secretFlags.last!, i < line.count, line[i] == 0x20, i + 1 < line.count, line[i + 1] == 0x2D { return }
                mask(from: i)
            }
        }
        for key in secretKeys {
            forEach(key) { at in
                if at > 0, (foldASCII(line[at - 1]) &- 0x61 < 26 || line[at - 1] == 0x5F) { return }  // inside a longer word
                var i = at + key.count
                var quoted = false
                if i < line.count, line[i] == 0x22 || line[i] == 0x27 { i += 1; quoted = true }
                while i < line.count, line[i] == 0x20 { i += 1 }
                guard i < line.count else { return }
                // `key=value` and JSON `"key":"value"` always; `key: value` only for keys that are
                // never ordinary words ("oauth token: unexpected status" is not a secret).
                let colonOK = quoted || colonKeys.contains(key)
                guard line[i] == 0x3D || (line[i] == 0x3A && colonOK) else { return }
                mask(from: i + 1)
            }
        }
        for scheme in schemes {
            forEach(scheme) { mask(from: $0 + scheme.count) }
        }
        // JWTs (`eyJ…`), whatever surrounds them.
        forEach(jwtStart) { at in
            guard line[at] == 0x65, line[at + 2] == 0x4A else { return }
            var end = at
            while end < line.count, (line[end] | 0x20) &- 0x61 < 26 || line[end] &- 0x30 <= 9 || line[end] == 0x2D || line[end] == 0x5F || line[end] == 0x2E { end += 1 }
            if end - at >= 16 { for k in at..<end { masked[k] = true } }
        }
        // Credentials in URLs: scheme://user:SECRET@host.
        forEach(urlScheme) { at in
            var i = at + 3
            var colon: Int?
            while i < line.count, isWordByte(line[i]), line[i] != 0x2F {
                if line[i] == 0x3A, colon == nil { colon = i }
                if line[i] == 0x40, let c = colon { for k in (c + 1)..<i { masked[k] = true }; break }
                i += 1
            }
        }
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
