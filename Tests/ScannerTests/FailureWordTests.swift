import LogModel
import Testing

@testable import LogScanner

/// The failure-word search of unknown shapes (`LiteralSet.containsWord`, `acr_teddy_any_word`)
/// against a naive byte loop, at every implementation level this CPU runs, on lines that lie inside
/// a larger buffer (the search may read past the line's end, never report it) and at its very end.
@Suite struct FailureWordTests {
    static let words = UnknownShape.failureWords.literals

    /// Fragments that make partial matches, numbers around the statuses and case changes likely.
    static let fragments: [String] = [
        "error", "ERROR", "Erro", "rror", "fail", "FAI", "denied", "Forbidden", "unauthorized", "Unauthoriz", "401",
        "403", "4013", "1401", "40", "402", "x401", "401x", "token", "TOKE", "credential", "not allowed",
        "not  allowed", "refused", "invalid", "Expired", "cannot", "unable", "azurecr", ".io/web:1.4.", " ", " ",
        "status", "0", "7", ":", "/", "Downloaded newer image for ",
    ]

    /// The naive answer: a word anywhere in the line, ignoring ASCII case; a word that begins with a
    /// digit only with no digit just before or after it inside the line.
    static func naive(_ line: ArraySlice<UInt8>) -> Bool {
        let bytes = Array(line)
        let isDigit = { (c: UInt8) in c &- 0x30 <= 9 }
        for word in words where word.count <= bytes.count {
            for s in 0...(bytes.count - word.count) {
                guard (0..<word.count).allSatisfy({ foldASCII(bytes[s + $0]) == word[$0] }) else { continue }
                if !isDigit(word[0]) { return true }
                let before = s > 0 && isDigit(bytes[s - 1])
                let after = s + word.count < bytes.count && isDigit(bytes[s + word.count])
                if !before && !after { return true }
            }
        }
        return false
    }

    @Test("finds a failure word exactly where a naive loop does, at every level, reading past the line's end")
    func againstNaive() {
        var random = SplitMix(seed: 0x15_0C05)
        let strings = Self.words.map { String(decoding: $0, as: UTF8.self) }
        let sets = Array(0...LiteralSet.bestLevel).map { LiteralSet(strings, level: $0) }
        var found = 0
        for round in 0..<3000 {
            func piece() -> [UInt8] {
                var out: [UInt8] = []
                for _ in 0..<Int(random.next() % 12) {
                    out += Self.fragments[Int(random.next() % UInt64(Self.fragments.count))].utf8
                }
                return out
            }
            // Bytes before the line, the line, and bytes after it that may finish a word or a number
            // begun in the line (they must not count); the last rounds end the buffer with the line.
            let before = piece()
            var line = piece()
            if round % 5 == 0 { line += Array("Status: Downloaded newer image for x.azurecr.io/web:1.4.1".utf8) }
            let after = round % 3 == 0 ? [] : piece() + Array("r 1 d".utf8)
            let buffer = before + line + after
            let start = before.count
            let end = start + line.count
            let expected = Self.naive(buffer[start..<end])
            if expected { found += 1 }
            buffer.withUnsafeBytes { all in
                for (level, set) in sets.enumerated() {
                    #expect(
                        set.containsWord(in: all, start: start, end: end) == expected,
                        "level \(level): \(String(decoding: line, as: UTF8.self))")
                }
                let alone = UnsafeRawBufferPointer(rebasing: all[start..<end])
                #expect(UnknownShape.hasFailureWords(alone) == expected)
            }
        }
        #expect(found > 500 && found < 2900, "both answers are exercised: \(found)")
    }

    @Test(
        "a status counts only as a number of its own",
        arguments: [
            ("web:1.4.401", true), ("web:1.4.4013", false), ("code 403.", true), ("808401 ", false), ("x401", true),
            ("HTTP/1.1 401", true), ("4031", false),
        ])
    func statuses(_ text: String, _ expected: Bool) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { #expect(UnknownShape.hasFailureWords($0) == expected, "\(text)") }
    }

    @Test("a line's shape key ignores digits and only digits, as Fields.form does")
    func formKeys() {
        var random = SplitMix(seed: 0x15_F0E1)
        let alphabet = Array("ab Z.:/-_\"'=[]0123456789".utf8)
        func key(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { UnknownShape.formKey($0) } }
        func form(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { Fields.form(of: $0) } }
        for round in 0..<2000 {
            // Up to 700 bytes: past the C side's 256-byte gathering buffer.
            let length = round < 1000 ? Int(random.next() % 80) : Int(random.next() % 700)
            let line = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            // The same line with digits inserted, removed or changed: the same key.
            var digits = line.filter { $0 &- 0x30 > 9 }
            for _ in 0..<Int(random.next() % 6) {
                let at = Int(random.next() % UInt64(digits.count + 1))
                digits.insert(0x30 + UInt8(random.next() % 10), at: at)
            }
            #expect(key(line) == key(digits), "\(String(decoding: line, as: UTF8.self))")
            #expect(form(line) == form(digits))
            // Another byte that is no digit changed, added or removed: another key.
            var other = line
            if other.isEmpty || random.next() % 3 == 0 {
                other.insert(UInt8(ascii: "q"), at: Int(random.next() % UInt64(other.count + 1)))
            } else if let at = other.indices.first(where: { other[$0] &- 0x30 > 9 }), random.next() % 2 == 0 {
                other.remove(at: at)
            } else {
                other.append(UInt8(ascii: "~"))
            }
            #expect(key(line) != key(other), "\(String(decoding: line, as: UTF8.self))")
            #expect(form(line) != form(other))
        }
        #expect(key([]) == key(Array("2026".utf8)))
    }
}
