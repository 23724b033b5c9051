import Foundation
import LogScanner
import Testing
@testable import LogStore

/// The small parts of the store: host rules, anchors, export encoding.
@Suite struct PartsTests {
    @Test("--host-from-path N takes the Nth directory below the directory given; files it names none for take the fallback")
    func hostRule() {
        let rule = HostRule(depth: 1, fallback: nil)
        #expect(rule.host(of: "logs/web-1/var/log/docker.log", under: "logs") == "web-1")
        #expect(rule.host(of: "logs/web-1/docker.log", under: "logs/") == "web-1")
        #expect(rule.host(of: "logs/README", under: "logs") == nil)  // the file itself is no host
        #expect(rule.host(of: "single.log", under: "single.log") == nil)
        #expect(HostRule(depth: 2, fallback: "x").host(of: "c/region/web-2/a.log", under: "c") == "web-2")
        #expect(HostRule(depth: 2, fallback: "x").host(of: "c/region/a.log", under: "c") == "x")
        #expect(HostRule(fallback: "me").host(of: "logs/web-1/a.log", under: "logs") == "me")
    }

    @Test("an anchor taken from the trailing window equals the hash of the same bytes, however the stream was cut", arguments: [1, 7, 1000, 5000, 70000])
    func trailingAnchor(chunk: Int) {
        let stream = (0..<120_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
        var trailing = TrailingBytes(start: 0)
        var fed = 0
        while fed < stream.count {
            let end = min(stream.count, fed + chunk)
            stream[fed..<end].withUnsafeBytes { trailing.append($0) }
            let crossed = fed / 997 != end / 997
            fed = end
            guard crossed || fed == stream.count else { continue }
            for offset in [Int64(fed), Int64(fed) - 3, Int64(fed) - 40000] where offset >= 0 {
                let window = Int(min(offset, 1024))
                let expected = stream[Int(offset) - window..<Int(offset)].withUnsafeBytes { Fingerprint.fnv($0) }
                if let anchor = trailing.anchor(at: offset) {
                    #expect(anchor.hash == expected)
                } else {
                    #expect(Int64(fed) - offset > Int64(TrailingBytes.capacity - 1024))
                }
            }
        }
    }

    static let hostile = ExportRow(
        host: "web-1", ts: 1_795_000_000_123, registry: nil, loginServer: nil, type: "unauthorized", status: nil, attempts: 2,
        producer: "plain", source: "/var/log/a,b.log", line: 3, lineEnd: 4, offset: 77, fileKey: "k", clientIP: "",
        identity: "=HYPERLINK(\"http://x\")", repository: "-2+3", code: "@SUM(1)", excerpt: "say \"hi\"\u{1B}[31m\n\u{2028}\\ end",
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

    func line(_ row: ExportRow, _ format: ExportFormat) -> String {
        var out: [UInt8] = []
        Exporter.write(row, format: format, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func cell(_ text: String) -> String {
        var out: [UInt8] = []
        Exporter.appendCSV(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test("NDJSON escapes C1 controls, U+2028 and U+2029, and keeps other non-ASCII text as is")
    func unicode() throws {
        var out: [UInt8] = []
        Exporter.appendJSON("é\u{85}x\u{2029}ü\u{2028}日本", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\"é\\u0085x\\u2029ü\\u2028日本\"")
    }

    @Test("times before 1970 and at day boundaries format correctly")
    func isoMilliseconds() {
        #expect(Exporter.isoMilliseconds(0) == "1970-01-01T00:00:00.000Z")
        #expect(Exporter.isoMilliseconds(-1) == "1969-12-31T23:59:59.999Z")
        #expect(Exporter.isoMilliseconds(86_400_000 * 365 + 5) == "1971-01-01T00:00:00.005Z")
    }
}
