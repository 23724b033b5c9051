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
