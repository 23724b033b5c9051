import Foundation
import LogModel
import LogStore
import Testing

@testable import LogIngest

/// The trailing window copies only what the checkpoints to come can ask for: every anchor and
/// carry line a sweep asks for is the same as with the whole last 64 KiB of every read copied.
@Suite struct TrailingBytesTests {
    /// A stream of lines of random lengths (some longer than the line limit, some empty, CRLF
    /// now and then), read in chunks of random sizes, with checkpoints that move forward to a
    /// line start of what was read, as the scanner's do.
    @Test("partial copies answer every anchor and line from the checkpoint on as full copies do")
    func sameAnswers() {
        var rng = SystemRandomNumberGenerator()
        let lineLimit = 300
        for round in 0..<24 {
            var stream: [UInt8] = []
            var lineStarts: [Int] = [0]
            while stream.count < 120_000 {
                let length =
                    Int.random(in: 0..<20, using: &rng) == 0
                    ? Int.random(in: 0..<2_000, using: &rng) : Int.random(in: 0..<160, using: &rng)
                for _ in 0..<length { stream.append(UInt8.random(in: 0x20...0x7E, using: &rng)) }
                if Bool.random(using: &rng), length > 0, Int.random(in: 0..<8, using: &rng) == 0 { stream.append(0x0D) }
                stream.append(0x0A)
                lineStarts.append(stream.count)
            }
            let start = round % 3 == 0 ? 0 : Int.random(in: 1..<3_000, using: &rng)
            var full = TrailingBytes(start: Int64(start))
            var partial = TrailingBytes(start: Int64(start))
            var checkpoint = start
            var at = start
            let small = round % 2 == 0
            while at < stream.count {
                let n = min(
                    stream.count - at,
                    small ? Int.random(in: 1..<3_000, using: &rng) : Int.random(in: 1..<140_000, using: &rng))
                // The scanner's checkpoint after this chunk: a line start read so far, never behind.
                let reachable = lineStarts.filter { $0 >= checkpoint && $0 <= at + n }
                if let next = reachable.randomElement(using: &rng), Int.random(in: 0..<4, using: &rng) > 0 {
                    checkpoint = next
                }
                stream[at..<(at + n)].withUnsafeBytes {
                    full.append($0)
                    partial.append($0, askedFrom: Int64(checkpoint), lineLimit: lineLimit)
                }
                at += n
                #expect(partial.end == full.end)
                // What a sweep asks at this checkpoint and later ones: the line ending there, the
                // anchor there and at that line's start, and the anchor at the end.
                for offset in [checkpoint, checkpoint + 1, (checkpoint + at) / 2, at - 1, at] where offset >= checkpoint
                {
                    let o = Int64(offset)
                    let line = full.line(endingAt: o, limit: lineLimit)
                    let other = partial.line(endingAt: o, limit: lineLimit)
                    #expect(
                        line?.start == other?.start && line?.bytes == other?.bytes, "round \(round) line at \(offset)")
                    #expect(full.anchor(at: o) == partial.anchor(at: o), "round \(round) anchor at \(offset)")
                    if let line {
                        #expect(full.anchor(at: line.start) == partial.anchor(at: line.start), "round \(round)")
                    }
                }
                #expect(full.anchor(at: full.end) == partial.anchor(at: partial.end))
            }
        }
    }
}
