import Foundation
import LogModel
import Testing

@testable import LogScanner

/// The scanner's hand-over straight into a batch (`scan(_:packingInto:)`, `finish(packingInto:)`)
/// and the needle lists of its per-line searches (`NeedleList`) give what the array hand-over and
/// a loop over the needles give (docs/performance.md, "Branch `storescan`").
@Suite struct PackingTests {
    /// Every sample log and the generator's failure lines, one after the other.
    static func corpus() throws -> [UInt8] {
        let names = try FileManager.default.contentsOfDirectory(atPath: Support.samples.path).sorted()
        var bytes: [UInt8] = []
        for name in names {
            bytes += Array(try Data(contentsOf: Support.samples.appendingPathComponent(name)))
            if bytes.last != 0x0A { bytes.append(0x0A) }
        }
        return bytes
    }

    @Test("packing into a batch as the scanner finds equals packing the array it hands out, any chunking")
    func packedEqualsHanded() throws {
        let bytes = try Self.corpus()
        for chunk in [1, 7, 64, 4096, bytes.count] {
            for maxLineBytes in [100, 64 * 1024] {
                let options = ScanOptions(reference: Support.reference, maxLineBytes: maxLineBytes)
                let handed = OccurrenceScanner(matcher: .standard, options: options)
                let packing = OccurrenceScanner(matcher: .standard, options: options)
                var found: [Occurrence] = []
                var batch = OccurrenceBatch()
                var checkpoints = 0
                bytes.withUnsafeBytes { all in
                    var i = 0
                    while i < all.count {
                        let end = min(i + chunk, all.count)
                        let piece = UnsafeRawBufferPointer(rebasing: all[i..<end])
                        handed.scan(piece, into: &found)
                        packing.scan(piece, packingInto: &batch)
                        #expect(batch.count == found.count, "chunk \(chunk) at \(i)")
                        if packing.checkpoint == handed.checkpoint { checkpoints += 1 }
                        i = end
                    }
                }
                handed.finish(into: &found, keepingOpenFailure: true)
                packing.finish(packingInto: &batch, keepingOpenFailure: true)
                #expect(!found.isEmpty)
                // The packed excerpts are made on the store's side (`UnfinishedExcerpt`): most of
                // them are left unfinished, and once made they are the array's.
                #expect(batch.hasUnfinishedExcerpts)
                batch.redactExcerpts()
                #expect(!batch.hasUnfinishedExcerpts)
                #expect(batch.occurrences == found, "chunk \(chunk), pieces of \(maxLineBytes)")
                #expect(packing.checkpoint == handed.checkpoint)
                #expect(checkpoints == (bytes.count + chunk - 1) / chunk, "the checkpoints move alike")
            }
        }
    }

    @Test("a needle list finds the first needle in list order, as a loop over the needles does; 20,000 lines")
    func needleListEqualsLoop() {
        let words = ["docker push ", "docker pull ", "push refers to repository ", "HTTP/1.1 ", "< ", "a", "ab", "b"]
        let lists = [
            ["docker push ", "docker pull ", "push refers to repository "], ["HTTP/1.1 ", "< "], ["b", "ab", "a"],
        ]
        var r = SplitMix(seed: 11)
        for _ in 0..<20_000 {
            var line = ""
            for _ in 0..<Int(r.next() % 6) {
                line += words[Int(r.next() % UInt64(words.count))]
                if r.next() % 2 == 0 { line += "x" }
            }
            for strings in lists {
                let list = NeedleList(strings)
                let needles = strings.map { Array($0.utf8) }
                Array(line.utf8).withUnsafeBytes { b in
                    let loop = needles.indices.lazy.compactMap { i in b.firstIndex(of: needles[i]).map { (i, $0) } }
                        .first
                    let listed = list.firstListed(in: b)
                    #expect(listed?.needle == loop?.0 && listed?.at == loop?.1, "\(line)")
                    #expect(listed.map { $0.count == needles[$0.needle].count } ?? true)
                    #expect(list.anyOccurs(in: b) == (loop != nil))
                    let set = LiteralSet(strings)
                    let present = list.firstListed(in: b, present: set.presence(in: b))
                    #expect(present?.needle == loop?.0 && present?.at == loop?.1, "\(line), with the presence")
                }
            }
        }
    }
}
