import Testing

@testable import LogScanner

/// `Fields.status`, `code`, `isAnnotation` and `isACRText` given the line's `Fields.presence` (one pass for all
/// their strings) find what they find searching for every string.
@Suite struct FieldsPresenceTests {
    @Test(
        "with the one-pass presence, status, code, annotation and ACR text are those of a search per string; 20,000 lines"
    )
    func presenceIsExact() {
        var r = SplitMix(seed: 2024)
        let pieces =
            Fields.needles.map { String(decoding: $0, as: UTF8.self) } + [
                "401", "403", "200", "999", "7000215", "x", " ", "Response Code: ", "STATUS: ", "aadsts", "##[ERROR]",
                "unexpected status: 401 Unauthorized", "HTTP/1.1 403 Forbidden", "AADSTS700016", "::error::",
                "myacr.azurecr.io", "denied", "error from registry: ", "AKA.MS/ACR", "containerregistry",
            ]
        for _ in 0..<20_000 {
            var line = ""
            for _ in 0..<(1 + Int(r.next() % 8)) {
                var piece = pieces[Int(r.next() % UInt64(pieces.count))]
                if r.next() % 5 == 0 { piece = piece.uppercased() }
                line += piece
                if r.next() % 2 == 0 { line += String(Int(r.next() % 1000)) }
            }
            Array(line.utf8).withUnsafeBytes { b in
                let present = Fields.presence(in: b)
                #expect(Fields.status(in: b, present: present) == Fields.status(in: b), "\(line)")
                #expect(Fields.code(in: b, present: present) == Fields.code(in: b), "\(line)")
                #expect(Fields.isAnnotation(b, present: present) == Fields.isAnnotation(b), "\(line)")
                #expect(Fields.isACRText(b, present: present) == Fields.isACRText(b), "\(line)")
            }
        }
    }
}
