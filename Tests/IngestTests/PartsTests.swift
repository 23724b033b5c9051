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
}
