import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parsers the tests check the output with.
enum Support {
    /// Nil when `text` is well-formed XML, else the first complaint. swift-corelibs-foundation's
    /// `parse()` can return true after an error, so errors are also collected from the delegate
    /// and `parserError`, and element nesting is checked independently.
    static func xmlError(_ text: String) -> String? {
        let parser = XMLParser(data: Data(text.utf8))
        let checker = NestingChecker()
        parser.delegate = checker
        let parsed = parser.parse()
        if let error = parser.parserError ?? checker.errors.first { return "\(error) at line \(parser.lineNumber)" }
        if !parsed { return "parse failed at line \(parser.lineNumber)" }
        if !checker.open.isEmpty { return "unclosed elements \(checker.open)" }
        return nil
    }

    /// Records parse errors and checks that every end tag closes the element last opened.
    private final class NestingChecker: NSObject, XMLParserDelegate {
        var open: [String] = []
        var errors: [Error] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            open.append(elementName)
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            if open.popLast() != elementName { errors.append(MismatchedTag(name: elementName)) }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            errors.append(parseError)
        }
    }

    /// An end tag that does not close the element last opened.
    private struct MismatchedTag: Error {
        let name: String
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
                        if scalars.first == "\"" {
                            scalars.removeFirst()
                            field += "\""
                        } else {
                            break
                        }
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
