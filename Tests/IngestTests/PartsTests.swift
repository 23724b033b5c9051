import Foundation
import LogModel
import LogScanner
import LogStore
import Testing

@testable import LogIngest

/// The small parts of ingesting: host rules and anchors.
@Suite struct PartsTests {
    @Test(
        "--host-from-path N takes the Nth directory below the directory given; files it names none for take the fallback"
    )
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

    @Test(
        "an anchor taken from the trailing window equals the hash of the same bytes, however the stream was cut",
        arguments: [1, 7, 1000, 5000, 70000])
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

    /// The line ending just before `offset` as the window of the last `capacity` bytes of
    /// `stream[..<fed]` holds it: `TrailingBytes.line`'s contract, read off the stream itself.
    static func expectedLine(_ stream: [UInt8], fed: Int, offset: Int, limit: Int) -> (start: Int64, bytes: [UInt8])? {
        let low = fed - min(fed, TrailingBytes.capacity)
        guard offset <= fed, offset - 1 >= low, stream[offset - 1] == 0x0A else { return nil }
        var start = offset - 1
        while start > low, stream[start - 1] != 0x0A {
            start -= 1
            if offset - 1 - start > limit { return nil }
        }
        if start == low, low > 0 { return nil }
        var bytes = Array(stream[start..<(offset - 1)])
        if bytes.last == 0x0D { bytes.removeLast() }
        return (Int64(start), bytes)
    }

    @Test(
        "a window fed borrowed chunks from two buffers in turn (each overwritten once the next is fed) answers as the stream: anchors and lines, whatever the chunk sizes"
    )
    func trailingBorrowed() {
        // Lines of 0 to 300 bytes, some CRLF, and one of 100,000 bytes (longer than the window).
        var stream: [UInt8] = []
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33)
        }
        while stream.count < 400_000 {
            let length = stream.count > 150_000 && stream.count < 151_000 ? 100_000 : next() % 300
            stream += (0..<length).map { _ in UInt8(0x20 + next() % 90) }
            stream += next() % 5 == 0 ? [0x0D, 0x0A] : [0x0A]
        }
        let sizes = [1, 100, 1023, 4096, 65_535, 65_536, 70_000, 262_144]
        var buffers = [[UInt8]](repeating: [UInt8](repeating: 0, count: 262_144), count: 2)
        for pattern in 0..<6 {
            var trailing = TrailingBytes(start: 0)
            var fed = 0
            var turn = 0
            var step = 0
            while fed < stream.count {
                // Sizes in turn, mixed with copied appends (the head the sweep already holds).
                let size = min(stream.count - fed, sizes[(step * (pattern + 1) + pattern) % sizes.count])
                step += 1
                if (step + pattern) % 7 == 0 {
                    stream[fed..<fed + size].withUnsafeBytes { trailing.append($0) }
                } else {
                    buffers[turn].withUnsafeMutableBytes { buffer in
                        buffer.copyMemory(
                            from: UnsafeRawBufferPointer(rebasing: stream.withUnsafeBytes { $0 }[fed..<fed + size]))
                    }
                    buffers[turn].withUnsafeBytes { trailing.borrow(UnsafeRawBufferPointer(rebasing: $0[0..<size])) }
                    turn ^= 1
                    // The other buffer is free again: the next read overwrites it.
                    buffers[turn].withUnsafeMutableBytes { _ = memset($0.baseAddress!, 0xEE, $0.count) }
                }
                fed += size
                for back in [0, 1, 2, 37, 1000, 5000, 40_000, 63_000, 64_511, 70_000] where back <= fed {
                    let offset = fed - back
                    let window = min(offset, 1024)
                    let expected = stream[offset - window..<offset].withUnsafeBytes { Fingerprint.fnv($0) }
                    if let anchor = trailing.anchor(at: Int64(offset)) {
                        #expect(anchor.hash == expected, "pattern \(pattern) fed \(fed) offset \(offset)")
                    } else {
                        #expect(
                            fed - offset > TrailingBytes.capacity - 1024,
                            "pattern \(pattern) fed \(fed) offset \(offset)")
                    }
                }
                // Every line end in the last 2,000 bytes.
                for offset in max(1, fed - 2000)...fed where stream[offset - 1] == 0x0A {
                    let line = trailing.line(endingAt: Int64(offset), limit: 64 * 1024)
                    let expected = Self.expectedLine(stream, fed: fed, offset: offset, limit: 64 * 1024)
                    #expect(
                        line?.start == expected?.start && line?.bytes == expected?.bytes,
                        "pattern \(pattern) offset \(offset)")
                }
            }
        }
    }
}
