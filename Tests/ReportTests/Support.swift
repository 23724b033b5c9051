import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parsers the tests check the output with.
enum Support {
    /// Whether `text` is well-formed XML, and the parser's complaint when not.
    static func xmlError(_ text: String) -> String? {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse() ? nil : "\(parser.parserError.map(String.init(describing:)) ?? "unknown error") at line \(parser.lineNumber)"
    }

    /// The JSON object in `text`, or nil when it is not exactly one valid JSON object.
    static func jsonObject(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// The records of RFC 4180 CSV with CRLF line ends; nil when the text is malformed (a bare
    /// CR or LF outside quotes, a quote inside an unquoted field, text after a closing quote).
    static func csvRecords(_ text: String) -> [[String]]? {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "\"" where field.isEmpty:
                while true {
                    guard let next = scalars.popFirst() else { return nil }
                    if next == "\"" {
                        if scalars.first == "\"" { scalars.removeFirst(); field += "\"" } else { break }
                    } else {
                        field.unicodeScalars.append(next)
                    }
                }
                guard let after = scalars.first, after == "," || after == "\r" else { return nil }
            case ",":
                record.append(field)
                field = ""
            case "\r":
                guard scalars.popFirst() == "\n" else { return nil }
                record.append(field)
                records.append(record)
                record = []
                field = ""
            case "\n", "\"":
                return nil
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        return record.isEmpty && field.isEmpty ? records : nil
    }

    /// `text` without the SGR sequences (`ESC [ digits ; … m`) that colour output uses.
    static func strippingSGR(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if scalar == "\u{1B}", scalars.first == "[" {
                let body = scalars.dropFirst().prefix { $0 == ";" || ("0"..."9").contains($0) }
                let end = scalars.startIndex + 1 + body.count
                if end < scalars.endIndex, scalars[end] == "m" {
                    scalars = scalars[(end + 1)...]
                    continue
                }
            }
            out.append(scalar)
        }
        return String(out)
    }
}
