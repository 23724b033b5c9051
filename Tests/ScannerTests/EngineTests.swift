import CByteScan
import LogModel
import LogScanner
import Testing

/// The byte-level building blocks: prefilter, newline count, timestamps, redaction.
@Suite struct EngineTests {
    @Test("the prefilter finds every literal a naive search finds, ignoring case")
    func prefilter() {
        let literals = ["unauthorized", "denied", "aadsts", "azurecr", "forbidden"]
        let set = LiteralSet(literals)
        var random = SplitMix(seed: 7)
        for _ in 0..<200 {
            var text = (0..<400).map { _ in UInt8(0x61 + random.next() % 26) }
            for _ in 0..<3 {
                let literal = Array(literals[Int(random.next() % 5)].uppercased().utf8)
                let at = Int(random.next() % UInt64(text.count - literal.count))
                text.replaceSubrange(at..<(at + literal.count), with: literal)
            }
            let lower = text.map { $0 | 0x20 }
            let naive = (0..<text.count).first { i in
                literals.contains { l in
                    i + l.utf8.count <= lower.count && Array(lower[i..<(i + l.utf8.count)]) == Array(l.utf8)
                }
            }
            let fast = text.withUnsafeBytes { set.firstMatch(in: $0, from: 0)?.position }
            #expect(fast == naive)
        }
    }

    @Test("look-alike vetoes dismiss a line only in their exact case, wherever they lie on it")
    func vetoesInExactCase() {
        let failure =
            "Error response from daemon: Get \"https://contoso.azurecr.io/v2/\": unauthorized: authentication required"
        let lines = [
            failure, failure + " (Login Succeeded)", failure + " (LOGIN SUCCEEDED)", "TOOMANYREQUESTS " + failure,
            "TooManyRequests " + failure, failure + " x509:",
        ]
        // Far apart, so that each line is a failure of its own.
        let filler = Array(repeating: "step", count: 40)
        let text = lines.flatMap { [$0] + filler }.joined(separator: "\n") + "\n"
        let found = Support.scan(Array(text.utf8))
        #expect(found.map(\.line) == [1, 83, 165])
    }

    @Test("the candidate rate's split: lines read, lines left at once, lines the prefilter passes over")
    func candidacy() {
        let matcher = Matcher.standard
        func of(_ line: String) -> Matcher.Candidacy? { Array(line.utf8).withUnsafeBytes { matcher.candidacy(of: $0) } }
        #expect(of("##[section]Starting: Build") == .leftAtOnce)
        #expect(of("Status: Downloaded newer image for contoso.azurecr.io/web:1.2.3") == .leftAtOnce)
        #expect(of("contoso.azurecr.io/web:1.2.3: something failed") == .read)
        #expect(
            of(
                "Error response from daemon: Get \"https://contoso.azurecr.io/v2/\": unauthorized: authentication required"
            ) == .read)
        #expect(of("2026-11-30T10:00:00.808401Z compiling module") == nil)
        // A look-alike no rule can fire on (told from its hits), coloured or not.
        #expect(of("{\"log\":\"user unauthorized to view invoice 4411\\n\",\"stream\":\"stdout\"}") == .leftAtOnce)
        #expect(of("\u{1B}[31muser unauthorized to view invoice 4411\u{1B}[0m") == .read)
    }

    @Test("a matcher takes any number of anchors: 300 rules, each found on its own line")
    func manyAnchors() {
        let rules = (0..<300).map {
            Rule("rule-\($0)", anchor: "failure-word-\($0)-x", .type(.unauthorized), evidence: .acrByNature)
        }
        let matcher = Matcher(rules: rules)
        #expect(matcher.prefilter.literals.count > 64)
        let text = (0..<300).map { "ERROR: FAILURE-WORD-\($0)-X at step \($0)" }.joined(separator: "\n") + "\n"
        let found = Support.scan(Array(text.utf8), matcher: matcher)
        #expect(found.map(\.line) == Array(1...300))
    }

    @Test("presence over more than 64 literals sets exactly the literals on the line")
    func presenceBeyondOneWord() {
        let literals = (0..<130).map { "lit\($0)z" }
        let set = LiteralSet(literals)
        var mask = LiteralMask(count: literals.count)
        let line = Array("xx LIT129Z yy lit64z lit3z".utf8)
        line.withUnsafeBytes { set.presence(in: $0, into: &mask) }
        #expect((0..<130).filter(mask.contains) == [3, 64, 129])
    }

    @Test("newlines are counted exactly at every alignment")
    func newlines() {
        var random = SplitMix(seed: 11)
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 1000] {
            let bytes = (0..<length).map { _ in random.next() % 3 == 0 ? UInt8(0x0A) : UInt8(random.next() % 256) }
            let expected = bytes.filter { $0 == 0x0A }.count
            #expect(bytes.withUnsafeBytes { countNewlines(in: $0) } == expected)
        }
    }

    @Test(
        "ISO-8601 forms and offsets normalise to UTC",
        arguments: [
            ("2026-11-20T03:14:15Z", "2026-11-20T03:14:15Z"),
            ("2026-11-20T03:14:15.1234567Z", "2026-11-20T03:14:15Z"),
            ("2026-11-20T05:14:15+02:00", "2026-11-20T03:14:15Z"),
            ("2026-11-19T22:14:15-0500", "2026-11-20T03:14:15Z"),
            ("2026-11-20 03:14", "2026-11-20T03:14:00Z"),
            ("2026-11-20T03:14Z", "2026-11-20T03:14:00Z"),
            ("2026-11-20T05:14+02:00", "2026-11-20T03:14:00Z"),
            ("2026-11-20", "2026-11-20T00:00:00Z"),
        ])
    func iso(_ text: String, _ expected: String) {
        #expect(Timestamp.parse(text).map(Timestamp.iso) == expected)
    }

    @Test("a klog line from December read in January belongs to the year before")
    func yearRollover() {
        let january = ReferenceTime(
            milliseconds: Timestamp.milliseconds(year: 2027, month: 1, day: 2, hour: 0, minute: 0, second: 0))
        let scanner = OccurrenceScanner(options: ScanOptions(reference: january))
        var found: [Occurrence] = []
        let line =
            "E1231 23:59:59.000000 1 x.go:1] failed to fetch oauth token: unexpected status: 401 Unauthorized myacr.azurecr.io\n"
        Array(line.utf8).withUnsafeBytes { scanner.scan($0, into: &found) }
        scanner.finish(into: &found)
        #expect(found.first?.timestamp.map(Timestamp.iso) == "2026-12-31T23:59:59Z")
    }

    @Test(
        "secrets are redacted",
        arguments: [
            ("docker login -u bot -p S3cr3tPass myacr.azurecr.io", "S3cr3tPass"),
            ("az login --service-principal -u app -p 'Xy9~secretvalue' --tenant t", "Xy9~secretvalue"),
            ("az acr login --password=hunter22", "hunter22"),
            ("curl -H 'Authorization: Bearer abc.def.ghi' https://myacr.azurecr.io", "abc.def.ghi"),
            ("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
            ("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl rejected", "eyJhbGciOiJSUzI1NiJ9"),
            ("--client-secret s3cret-client-value", "s3cret-client-value"),
            ("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=QUJDREVGRw==;", "QUJDREVGRw=="),
            ("https://a.blob.core.windows.net/c?sv=2022&sig=AbCdEf123%3D&se=2026", "AbCdEf123"),
            ("password=p4ss&user=x", "p4ss"),
            ("https://user:pa55w0rd@myacr.azurecr.io/v2/", "pa55w0rd"),
            ("{\"refresh_token\":\"r3fr3sh\"}", "r3fr3sh"),
        ])
    func redaction(_ line: String, _ secret: String) {
        let excerpt = Array(line.utf8).withUnsafeBytes { Redactor.excerpt($0) }
        #expect(!excerpt.contains(secret), "\(excerpt)")
        #expect(excerpt.contains("***"))
    }

    @Test("ordinary words next to key names are not redacted")
    func noOverRedaction() {
        let line = "failed to fetch oauth token: unexpected status: 401 Unauthorized"
        #expect(Array(line.utf8).withUnsafeBytes { Redactor.excerpt($0) } == line)
    }

    @Test("terminal escape sequences and controls are removed from excerpts")
    func controls() {
        let line = "\u{1B}[31mred\u{1B}[0m \u{1B}]0;title\u{07}text\u{7F}\u{8}\u{9B}end"
        let excerpt = Array(line.utf8).withUnsafeBytes { Redactor.excerpt($0) }
        #expect(excerpt == "red textend")
    }
}

/// The Foundation-free zone of zone-less times (`scan --assume-tz`).
@Suite struct LocalZoneTests {
    /// A zone at +01:00 that moves to +02:00 at 2026-03-29T01:00Z and back at 2026-10-25T01:00Z.
    static let berlin = LocalZone(
        changes: [Int64.min, 1_774_746_000_000, 1_792_890_000_000], offsets: [3600, 7200, 3600])

    @Test("local wall-clock times map to UTC with the offset in force, on both sides of each change")
    func localToUTC() {
        let winter = Timestamp.milliseconds(year: 2026, month: 1, day: 10, hour: 12, minute: 0, second: 0)
        #expect(Self.berlin.utc(fromLocal: winter) == winter - 3_600_000)
        let summer = Timestamp.milliseconds(year: 2026, month: 7, day: 10, hour: 12, minute: 0, second: 0)
        #expect(Self.berlin.utc(fromLocal: summer) == summer - 7_200_000)
        let afterAutumn = Timestamp.milliseconds(year: 2026, month: 10, day: 25, hour: 4, minute: 0, second: 0)
        #expect(Self.berlin.utc(fromLocal: afterAutumn) == afterAutumn - 3_600_000)
        #expect(LocalZone.utc.utc(fromLocal: summer) == summer)
    }

    @Test("klog lines take the reference's zone; lines with their own zone keep it")
    func klogInZone() {
        let reference = ReferenceTime(
            milliseconds: Timestamp.milliseconds(year: 2026, month: 11, day: 29, hour: 0, minute: 0, second: 0),
            zone: Self.berlin)
        let found = Support.scan(
            lines: [
                "E0710 12:00:00.000000 1 x.go:1] failed to fetch oauth token: unexpected status: 401 Unauthorized myacr.azurecr.io/web",
                "2026-07-10T12:00:01Z Error response from daemon: Get https://myacr.azurecr.io/v2/: unauthorized: authentication required",
            ], reference: reference)
        #expect(found.map { $0.timestamp.map(Timestamp.iso) } == ["2026-07-10T10:00:00Z", "2026-07-10T12:00:01Z"])
    }
}

/// The case-insensitive single-needle search used on candidate lines.
@Suite struct FoldedSearchTests {
    @Test(
        "firstIndex(of:) (SIMD first and last bytes, then memcmp) finds what a naive exact search finds, needles of 1 to 40 bytes, from any start"
    )
    func exactAgainstNaive() {
        var random = SplitMix(seed: 1130)
        let alphabet = Array("dDo ck-/:\0".utf8)
        for round in 0..<4000 {
            let length = Int(random.next() % 200)
            var text = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let size = round % 10 == 0 ? 8 + Int(random.next() % 33) : 1 + Int(random.next() % 5)
            let needle = (0..<size).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            if length >= size, random.next() % 2 == 0 {
                let at = random.next() % 3 == 0 ? length - size : Int(random.next() % UInt64(length - size + 1))
                text.replaceSubrange(at..<(at + size), with: needle)
            }
            let from = length == 0 ? 0 : Int(random.next() % UInt64(length + 1))
            let naive =
                from > length - size
                ? nil
                : (from...(length - size)).first { Array(text[$0..<($0 + size)]) == needle }
            let fast = text.withUnsafeBytes { $0.firstIndex(of: needle, from: from) }
            #expect(fast == naive, "\(text) \(needle) from \(from)")
            // Both implementations: AVX2 (where the CPU has it) and memchr with memcmp.
            for simd in [Int32(0), 1] {
                let at = text.withUnsafeBufferPointer { b in
                    needle.withUnsafeBufferPointer {
                        acr_find_exact_at(simd, b.baseAddress, b.count, from, $0.baseAddress, $0.count)
                    }
                }
                #expect((at < 0 ? nil : at) == naive, "level \(simd): \(text) \(needle) from \(from)")
            }
        }
    }

    @Test("firstIndex(ofFolded:) finds what a naive folded search finds, from any start")
    func againstNaive() {
        var random = SplitMix(seed: 42)
        let alphabet = Array("aAzZ.-/0:".utf8)
        for _ in 0..<400 {
            let text = (0..<Int(random.next() % 60)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let needle = (0..<(1 + Int(random.next() % 3))).map { _ in
                foldASCII(alphabet[Int(random.next() % UInt64(alphabet.count))])
            }
            let from = text.isEmpty ? 0 : Int(random.next() % UInt64(text.count))
            let folded = text.map(foldASCII)
            let naive =
                from > folded.count - needle.count
                ? nil
                : (from...(folded.count - needle.count)).first { Array(folded[$0..<($0 + needle.count)]) == needle }
            let fast = text.withUnsafeBytes { $0.firstIndex(ofFolded: needle, from: from) }
            #expect(
                fast == naive,
                "\(String(decoding: text, as: UTF8.self)) \(String(decoding: needle, as: UTF8.self)) from \(from)")
        }
    }
    @Test("acr_has_control_lead (the redactor's test for controls) equals a byte loop at both levels")
    func controlLead() {
        var random = SplitMix(seed: 4)
        let alphabet: [UInt8] = [0x61, 0x20, 0x1F, 0x00, 0x09, 0x7F, 0x80, 0xC2, 0xC3, 0xE2, 0xE1, 0x7E, 0x21]
        for round in 0..<3000 {
            // Mostly plain bytes, with one byte from the whole alphabet at a random place.
            var text = (0..<Int(random.next() % 130)).map { _ in random.next() % 2 == 0 ? UInt8(0x61) : 0x20 }
            if !text.isEmpty, round % 4 != 0 {
                text[Int(random.next() % UInt64(text.count))] = alphabet[Int(random.next() % UInt64(alphabet.count))]
            }
            let naive = text.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }
            for simd in [Int32(0), 1] {
                let found = text.withUnsafeBufferPointer { acr_has_control_lead_at(simd, $0.baseAddress, $0.count) }
                #expect((found != 0) == naive, "level \(simd): \(text)")
            }
        }
    }
    @Test(
        "acr_mask64_of3 (the redactor's block of -, = and : places) equals a byte loop at both levels, from any start")
    func maskOfThree() {
        var random = SplitMix(seed: 5)
        let alphabet = Array("ab-=:x \0".utf8)
        for _ in 0..<3000 {
            let text = (0..<Int(random.next() % 200)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let from = Int(random.next() % UInt64(text.count + 2))
            var naive: UInt64 = 0
            for k in 0..<64 where from + k < text.count && [0x2D, 0x3D, 0x3A].contains(text[from + k]) {
                naive |= 1 << UInt64(k)
            }
            for simd in [Int32(0), 1] {
                let places = text.withUnsafeBufferPointer {
                    acr_mask64_of3_at(simd, $0.baseAddress, $0.count, from, 0x2D, 0x3D, 0x3A)
                }
                #expect(places == naive, "level \(simd): \(text) from \(from)")
            }
        }
    }
    @Test(
        "the SIMD folded search (first and last bytes, a padded tail) equals byte-by-byte, needles of 1 to 70 bytes, buffers to 300"
    )
    func simdAgainstBytewise() {
        var random = SplitMix(seed: 1201)
        // Bytes that differ from a needle's only in bit 0x20 (`.` and 0x0E, `@` and `` ` ``, space
        // and NUL) pass the first-and-last filter and must fail the full comparison.
        let alphabet = Array("aAzZ.\u{0E}@`/ \0:".utf8)
        for round in 0..<3000 {
            let length = 1 + Int(random.next() % 300)
            var text = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let size = round % 10 == 0 ? 30 + Int(random.next() % 41) : 1 + Int(random.next() % 6)
            let needle = (0..<size).map { _ in foldASCII(alphabet[Int(random.next() % UInt64(alphabet.count))]) }
            // Plant the needle (in random case) somewhere, often near the end (the padded tail).
            if length >= size, random.next() % 2 == 0 {
                let at = random.next() % 3 == 0 ? length - size : Int(random.next() % UInt64(length - size + 1))
                for j in 0..<size { text[at + j] = random.next() % 2 == 0 ? needle[j] : needle[j] & ~0x20 }
            }
            let from = Int(random.next() % UInt64(length))
            let results = [Int32(0), 1].map { simd in
                text.withUnsafeBufferPointer { t in
                    needle.withUnsafeBufferPointer { n in
                        acr_find_folded_at(simd, t.baseAddress!, t.count, from, n.baseAddress!, n.count)
                    }
                }
            }
            #expect(results[0] == results[1], "round \(round): length \(length), needle \(size), from \(from)")
        }
    }

    @Test("acr_contains_any without SIMD (a search per needle) equals a naive search, 1 to 25 needles, buffers to 300")
    func containsAnyAgainstNaive() {
        containsAnyAgainstNaive(simd: 0)
    }

    /// `acr_contains_any_at`'s AVX-512 pass runs only on a CPU with AVX-512 F and BW: elsewhere it
    /// would execute instructions the CPU does not have (an AMD Zen 3 has AVX2 only), and the test is
    /// reported as skipped.
    @Test(
        "acr_contains_any's AVX-512 pass (one pass for a rule's strings) equals a naive search",
        .enabled(if: acr_contains_any_has_simd() != 0, "this CPU has no AVX-512 BW (or ACRSCAN_SIMD lowers it)"))
    func containsAnyAVX512AgainstNaive() {
        containsAnyAgainstNaive(simd: 1)
    }

    func containsAnyAgainstNaive(simd: Int32) {
        var random = SplitMix(seed: 1202)
        let alphabet = Array("ab4:U u".utf8)
        for round in 0..<3000 {
            let text = (0..<(1 + Int(random.next() % 300))).map { _ in
                alphabet[Int(random.next() % UInt64(alphabet.count))]
            }
            let needles = (0..<(1 + Int(random.next() % 25))).map { _ in
                (0..<(1 + Int(random.next() % (round % 7 == 0 ? 70 : 5)))).map { _ in
                    alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
            }
            let bytes = needles.flatMap { $0 }
            var spans: [UInt32] = []
            var offset = 0
            for needle in needles {
                spans += [UInt32(offset), UInt32(needle.count)]
                offset += needle.count
            }
            let naive = needles.contains { needle in
                needle.count <= text.count
                    && (0...(text.count - needle.count)).contains { Array(text[$0..<($0 + needle.count)]) == needle }
            }
            let found = text.withUnsafeBufferPointer { t in
                bytes.withUnsafeBufferPointer { b in
                    spans.withUnsafeBufferPointer { s in
                        acr_contains_any_at(
                            simd, t.baseAddress!, t.count, b.baseAddress!, s.baseAddress!, needles.count)
                    }
                }
            }
            #expect((found != 0) == naive, "round \(round), simd \(simd)")
        }
    }
}
