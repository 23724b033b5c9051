import Testing

@testable import LogScanner

/// The redactor's shortcut (`Redactor.mayHoldStructuredSecret`): a line it passes over is one
/// where the full reading by structure (`Redactor.structure`) masks nothing and carries nothing,
/// so the excerpt is the same with or without it. Checked on random lines made of secret names
/// (in any case, split by `_`, `-`, `.`, glued to other words), flags, separators, quotes, JSON
/// and values, and on lines of real shapes with and without secrets.
@Suite struct RedactorShortcutTests {
    /// The suite's deterministic generator (`SplitMix`, FixtureTests.swift).
    typealias Random = SplitMix

    /// Words that are, hold, or look like secret names, and ordinary ones.
    static let secretish = [
        "password", "passwd", "pwd", "pass", "passphrase", "secret", "clientSecret", "apikey", "api", "key",
        "accountkey", "privatekey", "sharedaccesskey", "sharedaccesssignature", "connectionstring", "connection",
        "string", "credential", "credentials", "accesstoken", "access", "refresh", "token", "tokens", "pat", "sig",
        "sas", "auth", "oauth", "signature", "identity", "registry", "name", "value", "valuez", "passwordz",
        "password-stdin", "expose-token", "p", "pa", "ss", "w", "d", "to", "ken", "se", "cret",
    ]
    static let plain = [
        "time", "level", "msg", "err", "error", "image", "desc", "code", "status", "registry", "myacr", "azurecr",
        "io", "unauthorized", "denied", "401", "2026", "11", "09T13", "path", "pattern", "signal", "keys", "u",
        "n", "v2", "x", "",
    ]
    static let joiners = ["", "_", "-", ".", "__", "-."]
    static let separators = [
        "=", ":", " = ", ": ", " :", "\t=", "=\"", ":\"", "\":", "\": ", "\"=", "':", "\\\":", "\\\\\":", "://", ":/",
    ]
    static let glue = [" ", " ", " ", "", "\"", "'", "\\\"", "{", "}", "[", ",", ";", "|", "(", "$", "*", "/", "@"]

    /// A name: one to three words joined, each in random case.
    static func name(_ r: inout Random) -> String {
        var s = ""
        for k in 0..<(1 + r.below(3)) {
            if k > 0 { s += r.pick(joiners) }
            var word = r.below(3) == 0 ? r.pick(plain) : r.pick(secretish)
            switch r.below(4) {
            case 0: word = word.uppercased()
            case 1: word = word.prefix(1).uppercased() + word.dropFirst()
            default: break
            }
            s += word
        }
        return s
    }

    static func line(_ r: inout Random) -> String {
        var s = ""
        for _ in 0..<(1 + r.below(12)) {
            switch r.below(6) {
            case 0: s += r.pick(["-", "--", " -", " --", "-p", " -p", "-P"]) + name(&r)
            case 1, 2: s += name(&r) + r.pick(separators)
            case 3:
                s += r.pick(["\"", "'", "\\\"", ""]) + name(&r) + r.pick(["\"", "'", "\\\"", ""]) + r.pick(separators)
            default: s += name(&r)
            }
            s += r.pick(glue)
        }
        return s
    }

    /// Real shapes of failure lines (the corpus generator's and the field notes'), with and without secrets.
    static let shapes = [
        #"E1111 22:14:59.909185    2213 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \"fabrikamci.azurecr.io/web:1\": failed to resolve reference: failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized" image="fabrikamci.azurecr.io/web:1""#,
        #"time="2026-11-09T13:57:16.496089618Z" level=error msg="Handler for POST /v1.43/images/create returned error: Get \"https://contosoprod.azurecr.io/v2/\": denied: client with IP '203.0.113.28' is not allowed access.""#,
        #"  Warning  Failed     3m (x96 over 60m)  kubelet  Failed to pull image "contosoprod.azurecr.io/web:1": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"#,
        #"2026-11-06T06:12:57.0033241Z ##[error]denied: requested access to the resource is denied, push to fabrikamci.azurecr.io/api"#,
        #"+ docker login myacr.azurecr.io -u ci -p s3cr3t-Value unauthorized: authentication required"#,
        #"{"name": "password", "value": "abc"} myacr.azurecr.io unauthorized"#,
        #"REGISTRY_PASSWORD=hunter2 docker push myacr.azurecr.io/web:1 denied"#,
        #"az acr login -n myacr --password=abc --username x"#,
        #"refresh_token: abc, oauth token: unexpected status: 401"#,
        #"{"log":"{\"accessToken\":\"abc\",\"x\":1}\n"} unauthorized"#,
        #"--docker-password VALUE, -pVALUE, x-api-key: abc, AZURE_DEVOPS_EXT_PAT=abc, p_w_d=abc, Pa.Ss_Word=abc"#,
    ]

    @Test(
        "a line the shortcut passes over is one where structure masks nothing and carries nothing; 60,000 random lines")
    func shortcutIsExact() {
        var r = Random(seed: 1201)
        var skipped = 0
        var secretLines = 0
        let lines = Self.shapes + (0..<60_000).map { _ in Self.line(&r) }
        for text in lines {
            let bytes = Array(text.utf8)
            let full = Redactor.structure(bytes, carry: .none)
            let masks = full.masked.contains(true)
            let carries = Redactor.lineCarry(full.carry) != .none
            if masks || carries { secretLines += 1 }
            if !Redactor.mayHoldStructuredSecret(bytes) {
                skipped += 1
                #expect(!masks && !carries, "passed over a line structure redacts: \(text)")
            }
            // The excerpt and the carry after the line are the reference's.
            let reference = String(decoding: Redactor.apply(Redactor.mask(bytes), to: bytes), as: UTF8.self)
            let cleaned = Redactor.stripControls(bytes)
            if cleaned == bytes, bytes.count <= Redactor.maxExcerptBytes, !reference.hasSuffix(" ") {
                let excerpt = bytes.withUnsafeBytes { Redactor.excerpt($0) }
                #expect(excerpt == reference, "\(text)")
            }
            let carry = bytes.withUnsafeBytes { Redactor.carry(afterLine: $0) }
            #expect(carry == Redactor.lineCarry(full.carry), "\(text)")
        }
        // Both kinds are well represented: the check is not vacuous.
        #expect(skipped > lines.count / 10, "\(skipped) of \(lines.count) passed over")
        #expect(secretLines > lines.count / 4, "\(secretLines) of \(lines.count) with a secret")
    }

    @Test(
        "mayBeSecretName (letters in registers) equals a search for the needles in the folded name without separators")
    func needlesAgainstNaive() {
        var r = Random(seed: 77)
        let alphabet = Array("pPaAsSwWdDkKeEyYiIgGtTuUhHoOnNcCrRlL_-.x9".utf8)
        for round in 0..<50_000 {
            var name: [UInt8]
            if round % 3 == 0 {
                name = Array(Self.name(&r).utf8)
            } else {
                name = (0..<(1 + r.below(14))).map { _ in alphabet[r.below(alphabet.count)] }
            }
            if round % 1000 == 0 { name = Array(repeating: 0x61, count: 257) }  // past 256 bytes: may be
            let letters = name.filter { $0 != 0x5F && $0 != 0x2D && $0 != 0x2E }.map(foldASCII)
            let naive =
                name.count > 256
                || Redactor.secretNeedles.contains { needle in
                    letters.count >= needle.count
                        && (0...(letters.count - needle.count)).contains {
                            Array(letters[$0..<($0 + needle.count)]) == needle
                        }
                }
            #expect(Redactor.mayBeSecretName(name[...]) == naive, "\(String(decoding: name, as: UTF8.self))")
        }
    }

    @Test("isSecretNameByWords (one component compared as bytes) equals the reading by components, strict or not")
    func wordsAgainstComponents() {
        var r = Random(seed: 91)
        let alphabet = Array("pPaAsSwWdDkKeEyYtToOnN_-.9".utf8)
        for round in 0..<30_000 {
            let name =
                round % 2 == 0
                ? Array(Self.name(&r).utf8) : (0..<(1 + r.below(10))).map { _ in alphabet[r.below(alphabet.count)] }
            for strict in [false, true] {
                #expect(
                    Redactor.isSecretNameByWords(name[...], strict: strict)
                        == Redactor.isSecretNameByComponents(name[...], strict: strict),
                    "\(String(decoding: name, as: UTF8.self)) strict \(strict)")
            }
        }
    }

    /// `mayHoldStructuredSecret` written plainly: every byte visited, each name judged by its
    /// components as `String`s (`isSecretNameByComponents`), no needle registers, no SIMD blocks.
    static func referenceMayHold(_ b: [UInt8]) -> Bool {
        let n = b.count
        for i in 0..<n {
            let c = b[i]
            if c == 0x2D {
                guard i == 0 || !Redactor.isNameByte(b[i - 1]), i + 1 < n else { continue }
                var start = i + 1
                if b[start] == 0x2D { start += 1 }
                var end = start
                while end < n, Redactor.isNameByte(b[end]) { end += 1 }
                guard end > start else { continue }
                if start == i + 1, b[start] == 0x70 { return true }
                if Redactor.isSecretNameByComponents(b[start..<end], strict: false) { return true }
            } else if c == 0x3D || c == 0x3A {
                var q = i
                while q > 0, Redactor.isBlank(b[q - 1]) { q -= 1 }
                var end = q
                var quote: UInt8 = 0
                if q > 0, b[q - 1] == 0x22 || b[q - 1] == 0x27 {
                    quote = b[q - 1]
                    end = q - 1
                    if quote == 0x22 { while end > 0, b[end - 1] == 0x5C { end -= 1 } }
                }
                var start = end
                while start > 0, Redactor.isNameByte(b[start - 1]) { start -= 1 }
                let quoted = quote != 0 && start > 0 && b[start - 1] == quote
                guard start < end, quote == 0 || quoted else { continue }
                if quoted, Array(b[start..<end]) == Array("name".utf8) { return true }
                if Redactor.isSecretNameByComponents(b[start..<end], strict: c == 0x3A && !quoted) { return true }
            }
        }
        return false
    }

    @Test(
        "mayHoldStructuredSecret (64-byte blocks of separators, needles in registers) equals a plain byte loop; random and hostile lines to 400 bytes"
    )
    func shortcutAgainstPlainReference() {
        var r = Random(seed: 2026)
        // Hostile: separators and quotes packed, names that straddle a 64-byte block, needle
        // letters in every case with joiners between them.
        let alphabet = Array("-=:\"'\\ \tpPaAsSwWdDkKeEyYtToOnNgGiIhHuUcCrRlL_.9x".utf8)
        var holds = 0
        for round in 0..<40_000 {
            var line: [UInt8]
            switch round % 4 {
            case 0:
                line = (0..<r.below(400)).map { _ in alphabet[r.below(alphabet.count)] }
            case 1:
                // Random real-ish parts after padding that puts them across block boundaries.
                line = Array(repeating: r.pick([0x61, 0x20, 0x2D, 0x3A]), count: 40 + r.below(100))
                line += Array(Self.line(&r).utf8)
            case 2:
                line = Array((Self.line(&r) + Self.line(&r) + Self.line(&r)).utf8)
            default:
                line = Array(r.pick(Self.shapes).utf8)
                line.insert(
                    contentsOf: Array(Self.name(&r).utf8) + [r.pick([0x3D, 0x3A, 0x20])], at: r.below(line.count))
            }
            let expected = Self.referenceMayHold(line)
            if expected { holds += 1 }
            #expect(Redactor.mayHoldStructuredSecret(line) == expected, "\(String(decoding: line, as: UTF8.self))")
        }
        #expect(holds > 4000 && holds < 36_000, "\(holds) of 40,000 hold a secret name: both kinds well represented")
    }

    @Test("the real failure shapes without a secret are passed over; those with one are read")
    func realShapes() {
        let expected = [false, false, false, false, true, true, true, true, true, true, true]
        for (text, holds) in zip(Self.shapes, expected) {
            #expect(Redactor.mayHoldStructuredSecret(Array(text.utf8)) == holds, "\(text)")
        }
    }
}
