import LogModel
import Testing

@testable import LogScanner

/// The excerpts a scanner packs unfinished (`UnfinishedExcerpt`) and the store makes: the same as
/// the scanner makes itself, whatever the chunking, with the carry of the line before (a secret
/// flag at the end of one failure line whose value starts the next) taken on the store's side.
@Suite struct UnfinishedExcerptTests {
    /// Every line a failure, several ending in a secret flag whose value starts the next line.
    static var log: [UInt8] {
        let daemon =
            "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required"
        let denied = "denied: requested access to the resource is denied, push to myacr.azurecr.io/team/app"
        var text = ""
        for i in 0..<40 {
            let time = "2026-11-20T03:\(10 + i % 50):1\(i % 10)Z"
            switch i % 4 {
            case 0: text += "\(time) \(daemon) (retry with docker login myacr.azurecr.io -u ci -p\n"
            case 1: text += "Pw0rd-next\(i)) \(time) \(denied)\n"
            case 2: text += "\(time) \(daemon); try: az acr login -n myacr --password \"Pw0rd-open\(i)\n"
            default: text += "Pw0rd-quoted\(i)\" \(time) \(denied)\n"
            }
        }
        return Array(text.utf8)
    }

    @Test("every line a failure: packed and made on the store's side equals made by the scanner, any chunking")
    func madeAsTheScannerMakesThem() {
        let bytes = Self.log
        var contexts = 0
        for chunk in [1, 7, 64, 500, 4096, bytes.count] {
            let handed = OccurrenceScanner(matcher: .standard, options: ScanOptions(reference: Support.reference))
            let packing = OccurrenceScanner(matcher: .standard, options: ScanOptions(reference: Support.reference))
            var found: [Occurrence] = []
            var batch = OccurrenceBatch()
            bytes.withUnsafeBytes { all in
                var i = 0
                while i < all.count {
                    let piece = UnsafeRawBufferPointer(rebasing: all[i..<min(i + chunk, all.count)])
                    handed.scan(piece, into: &found)
                    packing.scan(piece, packingInto: &batch)
                    i += chunk
                }
            }
            handed.finish(into: &found)
            packing.finish(packingInto: &batch)
            #expect(found.count == 40, "chunk \(chunk)")
            contexts += batch.records.filter { $0.excerptContext != OccurrenceBatch.none }.count
            #expect(batch.hasUnfinishedExcerpts)
            batch.redactExcerpts()
            #expect(batch.occurrences == found, "chunk \(chunk)")
            #expect(!found.contains { $0.excerpt.contains("Pw0rd") }, "chunk \(chunk)")
        }
        // The lines before were read for their carry on the store's side, not by the scanner.
        #expect(contexts > 40)
    }

    @Test("an unfinished excerpt holds the bytes the redaction reads, and makes the excerpt of the whole line")
    func encodedAsRead() {
        let long = Array(("docker login -u ci -p Pw0rd-far " + String(repeating: "x ", count: 3000)).utf8)
        let longer = long + long
        var buffer: [UInt8] = []
        let cases: [([UInt8], Int?)] = [
            (Array("short line -p Pw0rd-short".utf8), nil), (long, nil), (long, 5000), (long, 9000), (longer, 1000),
            (longer, 6000),
        ]
        var kept = 0
        for (line, focus) in cases {
            line.withUnsafeBytes { bytes in
                let fits = Redactor.excerptReach(count: line.count, focus: focus) <= UnfinishedExcerpt.maxLineBytes
                #expect(UnfinishedExcerpt.encode(bytes, focus: focus, into: &buffer) == fits)
                guard fits else { return }
                kept += 1
                #expect(buffer.first == OccurrenceBatch.unfinishedMark)
                #expect(buffer.count == UnfinishedExcerpt.headerBytes + min(line.count, (focus ?? 0) + Redactor.window))
                let made = buffer.withUnsafeBytes {
                    UnfinishedExcerpt.redact(UnsafeRawBufferPointer(rebasing: $0.dropFirst()))
                }
                #expect(made == Redactor.excerpt(bytes, focus: focus))
                #expect(!made.contains("Pw0rd"))
            }
        }
        #expect(kept == cases.count - 1)  // the focus far into the longer line: redacted by the scanner
    }
}
