import LogModel

// Log lines are hostile input (SPEC section 7). Every string that came from a log or from the
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
    /// words do not run together. O(n) in the length of `text`; printable ASCII is returned as is.
    public static func sanitize(_ text: String) -> String {
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
                out.append(" ")
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
        let plain = text.utf8.allSatisfy {
            $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C && $0 != 0x26 && $0 != 0x3C && $0 != 0x3E
        }
        if plain { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x00..<0x20, 0x26, 0x3C, 0x3E, 0x7F..<0xA0, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
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
        var cell = text
        let lead = cell.unicodeScalars.first { $0 != " " }
        if let lead, "=+-@\t\r".unicodeScalars.contains(lead) { cell = "'" + cell }
        guard cell.unicodeScalars.contains(where: { "\",\r\n".unicodeScalars.contains($0) }) else { return cell }
        var quoted = "\""
        for scalar in cell.unicodeScalars {
            if scalar == "\"" { quoted += "\"" }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
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
