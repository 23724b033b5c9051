import LogModel
import LogReport
import Testing

/// The sanitiser and the per-format escapes.
struct EscapeTests {
    @Test(arguments: [
        ("plain text", "plain text"),
        ("\u{1B}[31mred\u{1B}[0m", "red"),
        ("a\u{1B}[1;2;38;5;196mb", "ab"),
        ("\u{1B}]0;pwned title\u{07}after", "after"),
        ("\u{1B}]8;;http://evil\u{1B}\\link\u{1B}]8;;\u{1B}\\", "link"),
        ("\u{1B}Pdevice control\u{1B}\\x", "x"),
        ("\u{9B}2Jcleared", "cleared"),
        ("\u{9D}osc\u{9C}kept", "kept"),
        ("\u{1B}(Bcharset", "charset"),
        ("\u{1B}cReset", "Reset"),
        ("lone\u{1B}", "lone"),
        ("tab\tnew\nline\r\n", "tab new line  "),
        ("nul\u{0}bell\u{7}del\u{7F}c1\u{85}", "nulbelldelc1"),
        ("bidi\u{202E}txt.exe\u{2066}", "biditxt.exe"),
        ("non\u{FFFE}char", "nonchar"),
        ("münchen 東京 ✓", "münchen 東京 ✓"),
    ])
    func sanitize(input: String, expected: String) {
        #expect(Escape.sanitize(input) == expected)
    }

    @Test func sanitizedTextHasNoControlCharacters() {
        let hostile = (0..<0xA0).map { String(UnicodeScalar(UInt8($0))) }.joined() + "\u{1B}[" + "\u{1B}]"
        let clean = Escape.sanitize(hostile)
        #expect(!clean.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
    }

    @Test func json() {
        #expect(Escape.json("a\"b\\c") == #""a\"b\\c""#)
        #expect(Escape.json("\u{1B}[31m\n\t\u{0}") == #""\u001b[31m\n\t\u0000""#)
        #expect(Escape.json("\u{2028}\u{85}\u{202E}") == #""\u2028\u0085\u202e""#)
        #expect(Escape.json("<script>&") == #""\u003cscript\u003e\u0026""#)
        #expect(Escape.json("münchen") == "\"münchen\"")
    }

    @Test func html() {
        #expect(Escape.html(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("line\r\nbreak", "\"line\r\nbreak\""),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "\"'\r=1\""),
        ("  =1", "'  =1"),
        ("=1,2", "\"'=1,2\""),
        ("a=b", "a=b"),
        ("", ""),
    ])
    func csv(input: String, expected: String) {
        #expect(Escape.csv(input) == expected)
    }

    @Test func markdown() {
        #expect(Escape.markdown("a|b`c*d_e~f[g](h)\\") == "a\\|b\\`c\\*d\\_e\\~f\\[g\\](h)\\\\")
        #expect(Escape.markdown("<script>alert(1)</script> & co") == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co")
    }
}
