import LogModel

// Log lines are hostile input (docs/hardening.md). Every string that came from a log or from the
// command line (registry, host, repository, source path, excerpt, filter values) passes through
// `Escape.sanitize` before a renderer writes it, and then through the one escape function of the
// output format. JSON is the exception: it keeps the text as stored and escapes every control
// character as `\u00XX`, which is just as inert.

/// The sanitiser and the per-format escape functions that every renderer uses.
public enum Escape {
    /// Removes everything that a terminal, a spreadsheet or an XML parser could act on: whole
    /// escape sequences (ESC `[` CSI, ESC `]` OSC, DCS, SOS, PM and APC strings, two- and
    /// three-character ESC sequences, and their 8-bit C1 forms), the other C0 controls, DEL, the C1
    /// controls, the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the
    /// noncharacters U+FFFE and U+FFFF. Tab, line feed and carriage return become a space so that
    /// words do not run together, or stay as they are when `keepingBreaks` (a CSV cell quotes
    /// them). O(n) in the length of `text`; printable ASCII is returned as is.
    public static func sanitize(_ text: String) -> String {
        sanitize(text, keepingBreaks: false)
    }

    /// `sanitize`, with tab, line feed and carriage return kept when `keepingBreaks`.
    public static func sanitize(_ text: String, keepingBreaks: Bool) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let value = scalars[index].value
            switch value {
            case 0x1B:
                index = endOfEscape(scalars, from: index + 1)
                continue
            case 0x9B:
                index = endOfControlSequence(scalars, from: index + 1)
                continue
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F:
                index = endOfControlString(scalars, from: index + 1)
                continue
            case 0x09, 0x0A, 0x0D:
                out.append(keepingBreaks ? scalars[index] : " ")
            case 0x00..<0x20, 0x7F..<0xA0, 0x202A...0x202E, 0x2066...0x2069, 0xFFFE, 0xFFFF:
                break
            default:
                out.append(scalars[index])
            }
            index += 1
        }
        return String(out)
    }

    /// `text` as a JSON string literal, quotes included: `"` and `\` are escaped, as are all C0
    /// controls, DEL, the C1 controls, U+2028/U+2029 and the bidirectional overrides and isolates
    /// (`\n`, `\t`… or `\uXXXX`, lowercase hex), so the text stays as stored yet inert. `<`, `>`
    /// and `&` become `\u003c`, `\u003e`, `\u0026` (as Go's encoding/json does), so that the JSON
    /// can be pasted into HTML and no raw tag ever appears in it.
    public static func json(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        appendJSON(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal to UTF-8 bytes, escaped as `json` says; without
    /// `htmlSafe` (the NDJSON export), `<`, `>` and `&` stay as they are. Text without anything to
    /// escape is copied in one piece.
    public static func appendJSON(_ text: String, to out: inout [UInt8], htmlSafe: Bool = true) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var copied = 0
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                let scalar: UInt32
                let length: Int
                if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F
                    || (htmlSafe && (byte == 0x26 || byte == 0x3C || byte == 0x3E))
                {
                    (scalar, length) = (UInt32(byte), 1)
                } else if byte == 0xC2, i + 1 < bytes.count, (0x80...0x9F).contains(bytes[i + 1]) {
                    (scalar, length) = (UInt32(bytes[i + 1]), 2)  // U+0080...U+009F
                } else if byte == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, (0xA8...0xAE).contains(bytes[i + 2])
                {
                    // U+2028, U+2029, and the bidirectional overrides U+202A...U+202E
                    (scalar, length) = (0x2028 + UInt32(bytes[i + 2] - 0xA8), 3)
                } else if byte == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x81, (0xA6...0xA9).contains(bytes[i + 2])
                {
                    (scalar, length) = (0x2066 + UInt32(bytes[i + 2] - 0xA6), 3)  // isolates U+2066...U+2069
                } else {
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i]))
                switch scalar {
                case 0x22: out.append(contentsOf: "\\\"".utf8)
                case 0x5C: out.append(contentsOf: "\\\\".utf8)
                case 0x0A: out.append(contentsOf: "\\n".utf8)
                case 0x0D: out.append(contentsOf: "\\r".utf8)
                case 0x09: out.append(contentsOf: "\\t".utf8)
                case 0x08: out.append(contentsOf: "\\b".utf8)
                case 0x0C: out.append(contentsOf: "\\f".utf8)
                default:
                    let hex = String(scalar, radix: 16)
                    out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                }
                i += length
                copied = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `text` for HTML and XML element content and quoted attribute values: `&`, `<`, `>`, `"` and
    /// `'` become entities. Sanitise first: XML forbids most control characters even escaped.
    public static func html(_ text: String) -> String {
        var out = ""
        for char in text.unicodeScalars {
            switch char {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(char)
            }
        }
        return out
    }

    /// One RFC 4180 CSV field. A value whose first non-blank character is `=`, `+`, `-`, `@`, tab
    /// or carriage return, which a spreadsheet would run as a formula, gets a leading `'`; a value
    /// holding `,`, `"`, CR or LF is quoted, with inner quotes doubled.
    public static func csv(_ text: String) -> String {
        var out: [UInt8] = []
        appendCSV(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one CSV field as `csv` writes it; with `quotingEmpty` (the export), the empty string
    /// is quoted so that it is told from null, an empty cell.
    public static func appendCSV(_ text: String, to out: inout [UInt8], quotingEmpty: Bool = false) {
        var text = text
        text.withUTF8 { bytes in
            let lead = bytes.first { $0 != 0x20 }
            let formula = lead.map { [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains($0) } ?? false
            let quoted =
                (quotingEmpty && bytes.isEmpty)
                || bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
            if quoted { out.append(0x22) }
            if formula { out.append(UInt8(ascii: "'")) }
            if quoted {
                for byte in bytes {
                    if byte == 0x22 { out.append(0x22) }
                    out.append(byte)
                }
                out.append(0x22)
            } else {
                out.append(contentsOf: bytes)
            }
        }
    }

    /// `text` for Markdown prose and pipe-table cells: the characters that start code, emphasis,
    /// links, strikethrough or a cell break (`\` `` ` `` `*` `_` `~` `[` `]` `|`) get a backslash,
    /// and `&`, `<`, `>` become entities so that no HTML reaches the renderer. Sanitise first.
    public static func markdown(_ text: String) -> String {
        var out = ""
        for char in text.unicodeScalars {
            switch char {
            case "\\", "`", "*", "_", "~", "[", "]", "|":
                out += "\\"
                out.unicodeScalars.append(char)
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(char)
            }
        }
        return out
    }

    /// `text` for a terminal line (acrscan's own messages): control characters (C0, DEL, C1; ESC
    /// included) and bidirectional overrides become `?`, so that a path or a log's text can never
    /// drive the terminal or reorder what it shows. Tabs are kept, and newlines when
    /// `keepingNewlines`.
    public static func terminal(_ text: String, keepingNewlines: Bool = true) -> String {
        let kept: (Unicode.Scalar) -> Bool = { $0 == "\t" || ($0 == "\n" && keepingNewlines) }
        let control: (Unicode.Scalar) -> Bool = {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
                || (0x2066...0x2069).contains($0.value)
        }
        guard text.unicodeScalars.contains(where: { control($0) && !kept($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(control(scalar) && !kept(scalar) ? "?" : scalar)
        }
        return String(out)
    }

    // MARK: Escape sequences

    /// The index just past an escape sequence whose ESC was at `start - 1`.
    private static func endOfEscape(_ s: [Unicode.Scalar], from start: Int) -> Int {
        guard start < s.count else { return start }
        switch s[start].value {
        case 0x5B:  // [ : CSI
            return endOfControlSequence(s, from: start + 1)
        case 0x5D, 0x50, 0x58, 0x5E, 0x5F:  // ] P X ^ _ : OSC, DCS, SOS, PM, APC
            return endOfControlString(s, from: start + 1)
        case 0x20...0x2F:  // intermediate bytes, then one final byte (`ESC ( B`)
            var index = start
            while index < s.count, (0x20...0x2F).contains(s[index].value) { index += 1 }
            if index < s.count, (0x30...0x7E).contains(s[index].value) { index += 1 }
            return index
        case 0x30...0x7E:  // a two-character sequence (`ESC c`, `ESC 7`)
            return start + 1
        default:  // a lone ESC: drop it and keep what follows
            return start
        }
    }

    /// The index just past a control sequence: parameter bytes, intermediate bytes, one final
    /// byte. A malformed sequence ends before the first byte that does not fit.
    private static func endOfControlSequence(_ s: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < s.count, (0x30...0x3F).contains(s[index].value) { index += 1 }
        while index < s.count, (0x20...0x2F).contains(s[index].value) { index += 1 }
        if index < s.count, (0x40...0x7E).contains(s[index].value) { index += 1 }
        return index
    }

    /// The index just past a control string (OSC, DCS…): up to BEL, ST (`ESC \` or U+009C) or the
    /// end of the text.
    private static func endOfControlString(_ s: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < s.count {
            switch s[index].value {
            case 0x07, 0x9C: return index + 1
            case 0x1B where index + 1 < s.count && s[index + 1] == "\\": return index + 2
            default: index += 1
            }
        }
        return index
    }
}
