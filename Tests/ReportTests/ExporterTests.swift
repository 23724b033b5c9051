import Foundation
import LogModel
import Testing

@testable import LogReport

/// The export encoding: NDJSON and CSV rows (docs/export.md).
@Suite struct ExporterTests {
    static let hostile = OccurrenceRow(
        host: "web-1", ts: 1_795_000_000_123, registry: nil, loginServer: nil, type: "unauthorized", status: nil,
        attempts: 2,
        producer: "plain", source: "/var/log/a,b.log", line: 3, lineEnd: 4, offset: 77, fileKey: "k", clientIP: "",
        identity: "=HYPERLINK(\"http://x\")", repository: "-2+3", code: "@SUM(1)",
        excerpt: "say \"hi\"\u{1B}[31m\n\u{2028}\\ end",
        matcherVersion: 1)

    @Test("NDJSON keeps every value, escaped; nulls are null")
    func ndjson() throws {
        let line = line(Self.hostile, .ndjson)
        #expect(line.hasSuffix("}\n"))
        #expect(!line.dropLast().contains("\n"))
        #expect(!line.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x2028 })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(Array(object.keys).sorted() == Exporter.fields.sorted())
        #expect(object["excerpt"] as? String == Self.hostile.excerpt)
        #expect(object["identity"] as? String == "=HYPERLINK(\"http://x\")")
        #expect(object["registry"] is NSNull)
        #expect(object["status"] is NSNull)
        #expect(object["ts"] as? String == "2026-11-18T11:06:40.123Z")
        #expect(object["attempts"] as? Int == 2)
        #expect(line.hasPrefix("{\"host\":\"web-1\",\"ts\":"))  // documented order
    }

    @Test("CSV quotes what needs it, neutralises formulas, tells empty from null")
    func csv() {
        #expect(Exporter.header(.csv) == Exporter.fields.joined(separator: ",") + "\r\n")
        let line = line(Self.hostile, .csv)
        #expect(line.hasSuffix("\r\n"))
        #expect(line.contains(",\"/var/log/a,b.log\","))
        #expect(line.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","))
        #expect(line.contains(",'-2+3,'@SUM(1),"))
        #expect(line.contains("web-1,2026-11-18T11:06:40.123Z,,,unauthorized,,2,"))  // nulls are empty cells
        #expect(line.contains(",k,\"\","))  // the empty string is quoted
        #expect(cell(" =1") == "' =1")
        #expect(cell("\tx") == "'\tx")
        #expect(cell("plain") == "plain")
        #expect(cell("-a,b") == "\"'-a,b\"")
        #expect(cell("") == "\"\"")
    }

    func line(_ row: OccurrenceRow, _ format: ExportFormat) -> String {
        var out: [UInt8] = []
        Exporter.write(row, format: format, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func cell(_ text: String) -> String {
        var out: [UInt8] = []
        Escape.appendCSV(Escape.sanitize(text, keepingBreaks: true), to: &out, quotingEmpty: true)
        return String(decoding: out, as: UTF8.self)
    }

    @Test("NDJSON escapes C1 controls, U+2028 and U+2029, and keeps other non-ASCII text as is")
    func unicode() throws {
        var out: [UInt8] = []
        Escape.appendJSON("é\u{85}x\u{2029}ü\u{2028}日本", to: &out, htmlSafe: false)
        #expect(String(decoding: out, as: UTF8.self) == "\"é\\u0085x\\u2029ü\\u2028日本\"")
    }

    @Test("times before 1970 and at day boundaries format correctly")
    func isoMilliseconds() {
        #expect(Timestamp.isoMilliseconds(0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.isoMilliseconds(-1) == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp.isoMilliseconds(86_400_000 * 365 + 5) == "1971-01-01T00:00:00.005Z")
    }
}
