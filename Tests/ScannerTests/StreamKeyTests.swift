import CByteScan
import Testing

@testable import LogScanner

/// `SplitRecord.streamKey` (one C call, `acr_json_stream_key`) against the two searches it replaced
/// (`streamKeyReference`), at both levels: random json-file records and near misses, short and long
/// (the key in the last 96 bytes, before them, in both, nowhere), keys cut by the line's end.
@Suite("json-file stream key")
struct StreamKeyTests {
    @Test("the C search finds the key the two searches find, at both levels")
    func againstReference() {
        var random = SplitMix(seed: 1202)
        let key = Array(#"","stream":"std"#.utf8)
        let alphabet = Array(#"",:stream dx\n{}"#.utf8)
        for round in 0..<20000 {
            var line = Array(#"{"log":""#.utf8)
            let body = Int(random.next() % (round % 5 == 0 ? 400 : 140))
            line += (0..<body).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            // Up to three keys, whole or cut, anywhere after the head.
            for _ in 0..<Int(random.next() % 4) {
                let cut = random.next() % 4 == 0 ? Int(random.next() % UInt64(key.count)) : key.count
                let at = 8 + Int(random.next() % UInt64(line.count - 7))
                line.insert(contentsOf: key[..<cut], at: at)
            }
            if random.next() % 2 == 0 {
                line += Array(#"out","time":"2026-11-20T03:14:15.123456789Z"}"#.utf8.prefix(Int(random.next() % 50)))
            }
            let expected = line.withUnsafeBytes { SplitRecord.streamKeyReference(in: $0) }
            let fast = line.withUnsafeBytes { SplitRecord.streamKey(in: $0) }
            #expect(fast == expected, "\(String(decoding: line, as: UTF8.self))")
            for simd in [Int32(0), 1] {
                let at = line.withUnsafeBufferPointer { acr_json_stream_key_at(simd, $0.baseAddress, $0.count) }
                #expect((at < 0 ? nil : at) == expected, "level \(simd): \(String(decoding: line, as: UTF8.self))")
            }
        }
    }

    @Test("a record exactly at the window's edges")
    func edges() {
        let key = Array(#"","stream":"std"#.utf8)
        for body in 0..<140 {
            for tail in [0, 1, 30, 81, 82, 83, 90] {
                let head = Array(#"{"log":""#.utf8) + [UInt8](repeating: 0x78, count: body)
                let line = head + key + [UInt8](repeating: 0x22, count: tail)
                let expected = line.withUnsafeBytes { SplitRecord.streamKeyReference(in: $0) }
                #expect(expected == 8 + body)
                for simd in [Int32(0), 1] {
                    let at = line.withUnsafeBufferPointer { acr_json_stream_key_at(simd, $0.baseAddress, $0.count) }
                    #expect(at == 8 + body, "level \(simd), body \(body), tail \(tail)")
                }
            }
        }
    }
}

/// `SplitRecord.read` and `joinSplitRecord`'s first test as C calls (`acr_split_record`,
/// `acr_split_join_possible`) against the Swift reading they replace (`SplitRecord.readReference`).
@Suite struct SplitRecordReadTests {
    /// A random line: json-file and CRI records, whole, partial or broken at any byte, and others.
    static func line(_ random: inout SplitMix) -> [UInt8] {
        func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
        let text = (0..<Int(random.next() % 160)).map { _ in pick(Array(#"ab \n",:stream d{}"#.utf8)) }
        var line: [UInt8]
        switch random.next() % 3 {
        case 0:
            line =
                Array(#"{"log":""#.utf8) + text
                + pick([[], Array(#"\n"#.utf8), Array(#"\\n"#.utf8), Array(#"\\\n"#.utf8)])
                + Array(#"","stream":"std"#.utf8) + pick([Array("out".utf8), Array("err".utf8), Array("e".utf8), []])
                + Array(#"","time":"2026-11-20T03:14:15.123456789Z"}"#.utf8.prefix(Int(random.next() % 50)))
        case 1:
            line =
                Array(pick(["2026-11-20T03:14:15.123456789Z", "2026-11-20T03:14:15Z", "2026-11-20 03:14:15"]).utf8)
                + Array(pick([" stdout ", " stderr ", " stdin ", "  stdout "]).utf8)
                + Array(pick(["P ", "F ", "X ", "P"]).utf8)
                + text
        default:
            line = text
        }
        // Broken anywhere: a byte changed or the line cut short.
        if random.next() % 4 == 0, !line.isEmpty {
            line[Int(random.next() % UInt64(line.count))] = pick(Array(" -T\"{x".utf8))
        }
        if random.next() % 4 == 0, !line.isEmpty { line.removeLast(Int(random.next() % UInt64(line.count))) }
        if random.next() % 5 == 0 { line.append(0x0D) }
        return line
    }

    static func same(_ a: SplitRecord?, _ b: SplitRecord?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.kind == b.kind && a.partial == b.partial && a.stderr == b.stderr && a.textStart == b.textStart
            && a.textEnd == b.textEnd
    }

    @Test("acr_split_record reads each line as SplitRecord.readReference does, at both levels")
    func readAgainstReference() {
        var random = SplitMix(seed: 1204)
        var records = 0
        var parts = 0
        for round in 0..<30000 {
            let line = Self.line(&random)
            line.withUnsafeBytes { bytes in
                let expected = SplitRecord.readReference(bytes)
                if let expected {
                    records += 1
                    if expected.partial { parts += 1 }
                }
                #expect(
                    Self.same(SplitRecord.read(bytes), expected),
                    "round \(round): \(String(decoding: line, as: UTF8.self))")
                var textStart = 0
                var textEnd = 0
                let scalar = line.withUnsafeBufferPointer {
                    acr_split_record_at(0, $0.baseAddress, $0.count, &textStart, &textEnd)
                }
                #expect((scalar != 0) == (expected != nil), "round \(round), scalar")
                if let expected, scalar != 0 {
                    #expect(
                        (scalar & Int32(ACR_RECORD_PARTIAL) != 0) == expected.partial && textEnd == expected.textEnd
                            && textStart == expected.textStart, "round \(round), scalar")
                }
            }
        }
        #expect(records > 8000 && parts > 3000, "records \(records), parts \(parts)")
    }

    @Test("acr_split_join_possible says 0 only where joinSplitRecord's reading ends without a join, at both levels")
    func joinPossibleAgainstReference() {
        var random = SplitMix(seed: 1205)
        func trimmed(_ line: ArraySlice<UInt8>) -> [UInt8] { line.last == 0x0D ? Array(line.dropLast()) : Array(line) }
        var possible = 0
        var continued = 0
        for round in 0..<30000 {
            // One to three lines; the last is the candidate, followed by its newline and a few bytes.
            var region: [UInt8] = []
            for _ in 0..<Int(random.next() % 3) { region += Self.line(&random) + [0x0A] }
            // Often a part just before the candidate, of either format and stream.
            if random.next() % 2 == 0 {
                let stream = random.next() % 2 == 0 ? "out" : "err"
                region +=
                    Array(
                        (random.next() % 2 == 0
                            ? #"{"log":"401 Unauth","stream":"std\#(stream)","time":"2026-11-20T03:14:15Z"}"#
                            : "2026-11-20T03:14:15.123Z std\(stream) P 401 Unauth").utf8) + [0x0A]
            }
            let start = region.count
            let candidate = Self.line(&random)
            region += candidate + [0x0A] + Array("{\"log\":\"x".utf8.prefix(Int(random.next() % 10)))
            let end = start + candidate.count
            let line = trimmed(region[start..<end])
            var expected = 0
            if let record = line.withUnsafeBytes({ SplitRecord.readReference($0) }) {
                if record.partial {
                    expected = 1
                } else if start > 0 {
                    let before = region[..<(start - 1)].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
                    let previous = trimmed(region[before..<(start - 1)])
                    if let part = previous.withUnsafeBytes({ SplitRecord.readReference($0) }),
                        part.continues(with: record)
                    {
                        expected = 1
                        continued += 1
                    }
                }
            }
            if expected == 1 { possible += 1 }
            for simd in [Int32(0), 1] {
                let answer = region.withUnsafeBufferPointer {
                    acr_split_join_possible_at(simd, $0.baseAddress, start, end)
                }
                #expect(
                    Int(answer) == expected, "round \(round), level \(simd): \(String(decoding: region, as: UTF8.self))"
                )
            }
        }
        #expect(possible > 3000 && continued > 300, "possible \(possible), continued \(continued)")
    }
}
