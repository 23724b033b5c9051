import LogModel
import Testing

@testable import LogScanner

/// The redactor's carry after a failure line is taken from the redaction of its excerpt
/// (`Redactor.excerpt(_:carry:focus:after:)`) instead of reading the line again for the failure on
/// the line after it: the carry must be the one `Redactor.carry(afterLine:)` gives, and a secret
/// whose flag ends one failure line must stay redacted on the next, whatever the chunking.
@Suite struct CarryMemoTests {
    typealias R = RedactorStructureTests

    @Test("the carry an excerpt leaves is carry(afterLine:)'s, for generated lines with and without secrets")
    func excerptCarryIsLineCarry() {
        var r = R.Random(seed: 11)
        var lines: [String] = [
            "plain unauthorized: authentication required", "", "ends in a word", "ends in a blank ",
            "+ docker login -u ci -p", "REGISTRY_PASS=", "{\"password\":", "x --password \"open quote",
            "      \"name\": \"password\",", "\u{1B}[31mred -p\u{1B}[0m",
        ]
        for _ in 0..<400 {
            let form = R.form(&r).line
            lines.append(form)
            lines.append(R.shellWord(R.secret(&r, blanks: false), .bare) + " " + r.pick(R.flags))
            lines.append(String(form.prefix(r.below(form.count + 1))))
            // Long enough to be excerpted from its failure's words (`focus`).
            lines.append(String(repeating: "x ", count: 300) + form)
        }
        for line in lines {
            Array(line.utf8).withUnsafeBytes { bytes in
                let expected = Redactor.carry(afterLine: bytes)
                for focus in [nil, bytes.count / 2] as [Int?] {
                    var after: Redactor.Carry?
                    let excerpt = Redactor.excerpt(bytes, focus: focus, after: &after)
                    #expect(after == expected, "\(line) focus \(String(describing: focus))")
                    #expect(excerpt == Redactor.excerpt(bytes, focus: focus))
                }
            }
        }
    }

    @Test("no carry is given out for a line read from a carry or longer than the redactor reads")
    func noCarryWhenNotWhole() {
        var after: Redactor.Carry? = nil
        let opener = Array("+ docker login -u ci -p".utf8)
        let carry = opener.withUnsafeBytes { Redactor.carry(afterLine: $0) }
        #expect(carry != .none)
        _ = Array("Hunter2xx unauthorized".utf8).withUnsafeBytes { Redactor.excerpt($0, carry: carry, after: &after) }
        #expect(after == nil)
        after = nil
        let long = Array((String(repeating: "y", count: 5000) + " -p").utf8)
        _ = long.withUnsafeBytes { Redactor.excerpt($0, after: &after) }
        #expect(after == nil)
    }

    @Test(
        "failure lines, each ending in a secret flag whose value begins the next: every value redacted, LF and CRLF, every chunking"
    )
    func consecutiveFailureLines() {
        var r = R.Random(seed: 5)
        var lines: [String] = []
        var secrets: [String] = []
        for i in 0..<40 {
            let secret = R.secret(&r, blanks: false)
            secrets.append(secret)
            let flag = r.pick(["-p", "--password", "--docker-password", "--token"])
            let second = i < 10 ? "0\(i)" : "\(i)"
            // The value of the line before's flag, then this line's own failure and its own open flag.
            let value = i == 0 ? "" : R.shellWord(secrets[i - 1], .bare) + " "
            lines.append(
                "\(value)2026-11-20T03:14:\(second)Z Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required; retry: docker login myacr.azurecr.io -u ci \(flag)"
            )
        }
        for newline in ["\n", "\r\n"] {
            let bytes = Array((lines.joined(separator: newline) + newline).utf8)
            for chunk in [nil, 1, 7, 64, 333, 4096] as [Int?] {
                let found = Support.scan(bytes, chunk: chunk)
                #expect(found.count == lines.count, "chunk \(String(describing: chunk))")
                for (o, secret) in zip(found.dropFirst(), secrets) {
                    #expect(!R.leaked(o.excerpt, secret), "\(o.excerpt) holds \(secret)")
                    #expect(o.excerpt.hasPrefix("***"), "\(o.excerpt)")
                }
            }
        }
    }

    @Test("the quick test on names lets through every secret name: each word, in every case and joined form")
    func secretNamesPassTheQuickTest() {
        let words = Array(Redactor.strongWords) + Array(Redactor.weakWords)
        var names: [String] = []
        for word in words {
            let upper = word.uppercased()
            names += [word, upper, "x_\(word)", "\(upper)_X", "my-\(word)-value", "AZURE_\(upper)"]
            // Split anywhere by a separator or a case change: joined forms are secret too.
            for cut in 1..<word.count {
                let head = String(word.prefix(cut))
                let tail = String(word.dropFirst(cut))
                names += ["\(head)_\(tail)", "\(head)-\(tail)", "\(head).\(tail)", head + tail.capitalized]
            }
        }
        for name in names {
            let bytes = ArraySlice(Array(name.utf8))
            for strict in [false, true] where Redactor.isSecretNameByWords(bytes, strict: strict) {
                #expect(Redactor.mayBeSecretName(bytes), "\(name)")
            }
        }
        for name in ["time", "level", "msg", "module", "image", "err", "source", "pods", "probeType"] {
            #expect(!Redactor.mayBeSecretName(ArraySlice(Array(name.utf8))), "\(name)")
        }
    }
}
