import LogModel
import LogScanner
import Testing

/// Regressions from fuzzing (docs/hardening.md): the occurrences of a stream must not depend on how
/// it is cut into chunks, also for lines longer than a piece (`maxLineBytes`), nor on where a scan
/// stopped and was resumed from its checkpoint.
@Suite struct ChunkingRegressionTests {
    static let chunks = [1, 2, 7, 60, 64, 4096]

    /// Asserts that every chunk size finds what the whole stream at once finds.
    static func expectInvariant(_ bytes: [UInt8], maxLineBytes: Int, sourceLocation: SourceLocation = #_sourceLocation)
    {
        let whole = Support.scan(bytes, maxLineBytes: maxLineBytes)
        for chunk in chunks {
            let pieces = Support.scan(bytes, chunk: chunk, maxLineBytes: maxLineBytes)
            #expect(pieces == whole, "chunk \(chunk), pieces of \(maxLineBytes)", sourceLocation: sourceLocation)
        }
    }

    @Test(
        "fuzz 596903b9: a long line's timestamp is read from the same bytes, whole or streamed",
        arguments: [64, 100, 600])
    func timestampWindow(maxLineBytes: Int) {
        // A docker json-file line whose time lies past the first piece, then a failure with no time of its own.
        let json =
            #"{"log":"time=\"2026-11-20T03:10:00Z\" level=info msg=\"Watchtower 1.7.1 starting up with a long banner\"\n","stream":"stderr","time":"2026-11-20T03:10:00.402118803Z"}"#
        let text =
            json + "\n"
            + "Error response from daemon: Get \"https://fabrikamci.azurecr.io/v2/\": RESPONSE 401 Unauthorized\n"
        let found = Support.scan(Array(text.utf8), maxLineBytes: maxLineBytes)
        #expect(found.count == 1)
        Self.expectInvariant(Array(text.utf8), maxLineBytes: maxLineBytes)
    }

    @Test("lines of about one piece, with and without CR and timestamps, chunked any way", arguments: [64, 100])
    func pieceBoundary(maxLineBytes: Int) {
        let failure =
            "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required "
        var lines: [String] = []
        for delta in -2...2 {
            for stamp in ["", "2026-11-20T03:14:15Z "] {
                let head = stamp + failure
                let length = max(head.utf8.count, maxLineBytes + delta)
                lines.append(head + String(repeating: "x", count: length - head.utf8.count))
                lines.append(stamp + String(repeating: "y", count: max(0, maxLineBytes + delta - stamp.utf8.count)))
            }
        }
        for ending in ["\n", "\r\n"] {
            let bytes = Array((lines.joined(separator: ending) + ending).utf8)
            // Every failure line is one occurrence (an empty scan would pass the invariant alone).
            #expect(Support.scan(bytes, maxLineBytes: maxLineBytes).count == 10, "ending \(ending.debugDescription)")
            Self.expectInvariant(bytes, maxLineBytes: maxLineBytes)
        }
    }

    /// The occurrences of a scan fed `bytes[..<cut]`, then resumed from its checkpoint by a new scanner
    /// (what a sweep does after a commit or a Ctrl-C): those handed out before, then those after.
    static func resumed(_ bytes: [UInt8], cut: Int, chunk: Int, maxLineBytes: Int) -> [Occurrence] {
        let options = ScanOptions(reference: Support.reference, maxLineBytes: maxLineBytes)
        func feed(_ part: ArraySlice<UInt8>, to scanner: OccurrenceScanner, into found: inout [Occurrence]) {
            var i = part.startIndex
            while i < part.endIndex {
                let end = min(i + chunk, part.endIndex)
                part[i..<end].withUnsafeBytes { scanner.scan($0, into: &found) }
                i = end
            }
        }
        var found: [Occurrence] = []
        let stopped = OccurrenceScanner(options: options)
        feed(bytes[..<cut], to: stopped, into: &found)
        let rest = OccurrenceScanner(options: options, start: stopped.checkpoint)
        feed(bytes[Int(stopped.checkpoint.offset)...], to: rest, into: &found)
        rest.finish(into: &found)
        return found
    }

    /// Whether `resumed` holds every occurrence of `whole`, in order, and nothing more but repeats
    /// of an earlier failure in the same second (a second logger's echo): the echo filter's memory
    /// is not part of `ScanPosition`, so a scan resumed between the two counts the echo again (a
    /// known limit, docs/hardening.md). Nothing is lost either way.
    static func sameButEchoes(_ resumed: [Occurrence], _ whole: [Occurrence]) -> Bool {
        func echoKey(_ o: Occurrence) -> String? {
            o.timestamp.map { "\(o.type) \(o.registry ?? "-") \(o.repository ?? "-") \($0 / 1000)" }
        }
        var i = 0
        var seen: Set<String> = []
        for o in resumed {
            if i < whole.count, o == whole[i] {
                i += 1
            } else if echoKey(o).map({ !seen.contains($0) }) ?? true {
                return false
            }
            if let key = echoKey(o) { seen.insert(key) }
        }
        return i == whole.count
    }

    @Test("fuzz 1c8a763e: a failure handed out while a long line streams in is not handed out again on resume")
    func resumeInsideLongLine() {
        let text =
            "az acr login -n contosoprod\n"
            + "docker-command-error contosopr.azurecr.io/v2/\": unauthorized: authentication required\n"
            + #"{"log":"unauthorized: authentication required myacr.azurecr.io\n","time":"2026-11-20T03:10:00Z"}"#
            + String(repeating: " padding", count: 40) + "\n"
            + "denied: requested access to the resource is denied\n"
        let bytes = Array(text.utf8)
        let whole = Support.scan(bytes, maxLineBytes: 100)
        #expect(whole.count == 3)
        for cut in 0...bytes.count {
            for chunk in [1, 39, 1000] {
                #expect(
                    Self.resumed(bytes, cut: cut, chunk: chunk, maxLineBytes: 100) == whole,
                    "cut \(cut), chunk \(chunk)")
            }
        }
    }

    @Test(
        "fuzz 67a011a8: a retry loop's identical lines count each time, and a resume anywhere neither loses nor adds one"
    )
    func resumeBetweenRetries() {
        let failure =
            "2026-11-20T03:14:15Z Error: failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized contosoprod.azurecr.io\n"
        let bytes = Array((failure + "quiet\n" + failure + "quiet\n" + failure).utf8)
        let whole = Support.scan(bytes)
        #expect(whole.count == 3)  // the identical line printed again is a retry, even within the second
        for cut in 0...bytes.count {
            #expect(Self.resumed(bytes, cut: cut, chunk: 7, maxLineBytes: 64 * 1024) == whole, "cut \(cut)")
        }
    }

    @Test("an echo in another form (a CI annotation) across a resume point counts again, and loses nothing")
    func resumeBetweenEchoes() {
        let text =
            "2026-11-20T03:14:15.1000000Z Error response from daemon: Get \"https://contosoprod.azurecr.io/v2/\": unauthorized: authentication required\n"
            + "2026-11-20T03:14:15.2000000Z ##[error]Error response from daemon: unauthorized: authentication required\n"
        let bytes = Array(text.utf8)
        let whole = Support.scan(bytes)
        #expect(whole.count == 1)
        for cut in 0...bytes.count {
            let found = Self.resumed(bytes, cut: cut, chunk: 7, maxLineBytes: 64 * 1024)
            #expect(Self.sameButEchoes(found, whole), "cut \(cut)")
            #expect(found.count <= 2)
        }
    }

    @Test("random mixes of failures, context and long lines are chunk-invariant")
    func randomMixes() {
        let parts = [
            "az acr login -n contosoprod\n",
            "2026-11-20T03:14:15Z Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required\n",
            "ERROR: Unable to get admin user credentials with message: Admin user is disabled.\n",
            "denied: requested access to the resource is denied\n",
            "E1120 03:14:15.123456 1 x.go:1] failed to fetch oauth token: unexpected status: 401 Unauthorized\n",
            #"{"log":"unauthorized: authentication required myacr.azurecr.io\n","time":"2026-11-20T03:10:00Z"}"# + "\n",
            "\r\n", "\u{0}\u{0}", "\n",
        ]
        var random = SplitMix(seed: 29)
        for round in 0..<40 {
            var text: [UInt8] = []
            for _ in 0..<12 {
                let part = Array(parts[Int(random.next() % UInt64(parts.count))].utf8)
                if random.next() % 4 == 0 {  // stretch the line past the piece size
                    text += part.dropLast() + [UInt8](repeating: 0x7A, count: Int(random.next() % 200)) + [0x0A]
                } else {
                    text += part
                }
            }
            let maxLineBytes = [64, 100, 4096][round % 3]
            Self.expectInvariant(text, maxLineBytes: maxLineBytes)
            let whole = Support.scan(text, maxLineBytes: maxLineBytes)
            for cut in stride(from: 0, through: text.count, by: 7) {
                let found = Self.resumed(text, cut: cut, chunk: 13, maxLineBytes: maxLineBytes)
                #expect(Self.sameButEchoes(found, whole), "round \(round), cut \(cut)")
            }
        }
    }
}
