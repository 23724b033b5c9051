import CByteScan
import LogModel
import Testing

@testable import LogScanner

/// The rules' strings compared at the prefilter's hits on a line (`HitSpots`, `acr_spots_any`) and
/// the lines left before they are evaluated (`Matcher.cannotFire`), against the search of the whole
/// line that they replace (docs/performance.md, branch `scanspeed3`).
@Suite struct HitSpotTests {
    /// The rules' own strings, the prefilter's literals and look-alike words, in random case or
    /// cut short, joined by random separators: lines on which rules fire, and lines that hold a
    /// rule's anchor without what the rule needs.
    static func line(_ matcher: Matcher, _ random: inout SplitMix) -> [UInt8] {
        func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
        let needles = matcher.needles.map { Array(matcher.needleBytes[$0]) }
        let literals = matcher.prefilter.literals
        let words = [
            "user unauthorized to view invoice 4411", "Unauthorized", "UNAUTHORIZED", "denied", "401", "(401)",
            "contosoprod.azurecr.io", "pull", "push", "registry", "manifest", "token", ":", "\"", "for ", "access",
        ].map { Array($0.utf8) }
        var line: [UInt8] = []
        for _ in 0..<(1 + random.next() % 5) {
            var piece: [UInt8]
            switch random.next() % 4 {
            case 0: piece = pick(needles)
            case 1:
                piece = pick(literals).map { c in
                    random.next() % 2 == 0 ? c : (c &- 0x61 < 26 ? c & ~0x20 : c)
                }
            case 2: piece = pick(words)
            default:
                piece = pick(needles)
                if piece.count > 2 { piece.removeLast(1 + Int(random.next() % UInt64(piece.count - 1))) }
            }
            line += pick([[], Array(" ".utf8), Array(": ".utf8), Array("\"".utf8), Array(" 401 ".utf8)]) + piece
        }
        return line
    }

    /// Every prefilter hit on `line`, as the region search reports them: the literals present and
    /// the spots; nil past `HitSpots.capacity` hits.
    static func hits(_ matcher: Matcher, _ line: UnsafeRawBufferPointer) -> (LiteralMask, [UInt64])? {
        var present = LiteralMask(count: matcher.prefilter.literals.count)
        var spots: [UInt64] = []
        let buffer = LiteralSet.HitBuffer(for: matcher.prefilter)
        matcher.prefilter.forEachHitBatch(in: line, into: buffer) { batch in
            for hit in batch {
                present.insert(Int(hit.literal))
                spots.append(HitSpots.pack(literal: Int(hit.literal), position: Int(hit.start)))
            }
        }
        return spots.count <= HitSpots.capacity ? (present, spots) : nil
    }

    @Test(
        "the rules decide the same with their strings compared at the line's hits as with the whole line searched; a line left by cannotFire fires no rule"
    )
    func spotsEqualSearch() {
        let matcher = Matcher.standard
        var random = SplitMix(seed: 3003)
        var fired = 0
        var left = 0
        var compared = 0
        for round in 0..<20000 {
            let text = Self.line(matcher, &random)
            text.withUnsafeBytes { line in
                guard let (present, spots) = Self.hits(matcher, line), !present.isEmpty else { return }
                compared += 1
                spots.withUnsafeBufferPointer { spots in
                    for carried in [false, true] {
                        let searched = matcher.evaluate(line, present: present, topicCarried: carried)
                        let spotted = matcher.evaluate(line, present: present, topicCarried: carried, spots: spots)
                        #expect(
                            String(describing: searched) == String(describing: spotted),
                            "round \(round), topic carried \(carried): \(String(decoding: text, as: UTF8.self))")
                        if !carried, searched != nil { fired += 1 }
                    }
                    if matcher.cannotFire(line, present: present, spots: spots) {
                        left += 1
                        #expect(
                            matcher.evaluate(line, present: present) == nil
                                && matcher.evaluate(line, present: present, topicCarried: true) == nil,
                            "round \(round): left, but a rule fires: \(String(decoding: text, as: UTF8.self))")
                    }
                }
            }
        }
        // Both kinds of line are met, often: the comparison means something.
        #expect(compared > 10000 && fired > 2000 && left > 1000, "compared \(compared), fired \(fired), left \(left)")
    }

    @Test("a look-alike is left by cannotFire; the failure with the same word is not")
    func lookAlike() {
        let matcher = Matcher.standard
        for (text, leaves) in [
            ("{\"log\":\"user unauthorized to view invoice 4411\\n\",\"stream\":\"stdout\"}", true),
            (
                "Error response from daemon: Get \"https://contosoprod.azurecr.io/v2/\": unauthorized: authentication required",
                false
            ),
            ("Response status code does not indicate success: 401 (Unauthorized) pulling the manifest", false),
        ] {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBytes { line in
                guard let (present, spots) = Self.hits(matcher, line) else {
                    Issue.record("too many hits: \(text)")
                    return
                }
                let left = spots.withUnsafeBufferPointer { matcher.cannotFire(line, present: present, spots: $0) }
                #expect(left == leaves, "\(text)")
            }
        }
    }

    @Test("acr_cannot_fire (each gate's needles in runs by the literal they hold) equals the flat list of needles")
    func runsEqualFlat() {
        let matcher = Matcher.standard
        let gates = matcher.gateTable
        var random = SplitMix(seed: 3005)
        var left = 0
        var kept = 0
        // The runs hold every needle of each gate once, grouped by the literal each holds.
        for literal in 0..<matcher.prefilter.literals.count where gates.count[literal] >= 0 {
            var needles = 0
            for r in 0..<Int(gates.runCount[literal]) {
                let run = gates.runs + 3 * (Int(gates.runStart[literal]) + r)
                for q in 0..<Int(run[2]) {
                    #expect(gates.quads[4 * (Int(run[1]) + q) + 2] == run[0], "literal \(literal), run \(r)")
                }
                needles += Int(run[2])
            }
            #expect(needles == Int(gates.count[literal]), "literal \(literal)")
        }
        for round in 0..<20000 {
            var text = Self.line(matcher, &random)
            // Some lines cut short, so that needles run past the line's end or start before it.
            if round % 3 == 0, text.count > 4 { text.removeFirst(Int(random.next() % UInt64(text.count / 2))) }
            text.withUnsafeBytes { line in
                guard let (present, spots) = Self.hits(matcher, line), !present.isEmpty else { return }
                present.storage.withUnsafeBufferPointer { words in
                    spots.withUnsafeBufferPointer { spots in
                        let runs = gates.cannotFire(line, words: words.baseAddress!, spots: spots)
                        let flat = gates.cannotFireFlat(line, words: words.baseAddress!, spots: spots)
                        if runs { left += 1 } else { kept += 1 }
                        #expect(runs == flat, "round \(round): \(String(decoding: text, as: UTF8.self))")
                    }
                }
            }
        }
        #expect(left > 1000 && kept > 1000, "left \(left), kept \(kept)")
    }

    @Test("acr_spots_any equals a search of the whole buffer when the spots are every hit of the literals")
    func spotsAnyAgainstNaive() {
        var random = SplitMix(seed: 3004)
        let alphabet = Array("abU:u 4".utf8)
        for round in 0..<3000 {
            let text = (0..<Int(random.next() % 120)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            // Literals of 1 to 3 bytes (folded); needles that hold one, with bytes around it.
            let literals = (0..<3).map { _ in
                (0..<(1 + Int(random.next() % 3))).map { _ in
                    foldASCII(alphabet[Int(random.next() % UInt64(alphabet.count))])
                }
            }
            var bytes: [UInt8] = []
            var quads: [UInt32] = []
            var needles: [[UInt8]] = []
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let l = Int(random.next() % 3)
                let before = (0..<Int(random.next() % 3)).map { _ in
                    alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
                let after = (0..<Int(random.next() % 3)).map { _ in
                    alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
                // The literal in random case within the needle: the needle is exact, the literal folded.
                let literal = literals[l].map { c in random.next() % 2 == 0 ? c : (c &- 0x61 < 26 ? c & ~0x20 : c) }
                let needle = before + literal + after
                quads += [UInt32(bytes.count), UInt32(needle.count), UInt32(l), UInt32(before.count)]
                bytes += needle
                needles.append(needle)
            }
            let folded = text.map(foldASCII)
            var spots: [UInt64] = []
            for i in folded.indices {
                for (l, literal) in literals.enumerated()
                where i + literal.count <= folded.count && Array(folded[i..<(i + literal.count)]) == literal {
                    spots.append(HitSpots.pack(literal: l, position: i))
                }
            }
            let naive = needles.contains { needle in
                needle.count <= text.count
                    && (0...(text.count - needle.count)).contains { Array(text[$0..<($0 + needle.count)]) == needle }
            }
            // An empty text still passes a valid pointer (the needles' bytes, which outlive the call).
            let fast = bytes.withUnsafeBufferPointer { b in
                text.withUnsafeBufferPointer { t in
                    acr_spots_any(
                        t.baseAddress ?? b.baseAddress!, t.count, b.baseAddress!, quads, quads.count / 4, spots,
                        spots.count)
                }
            }
            #expect((fast != 0) == naive, "round \(round): \(String(decoding: text, as: UTF8.self))")
        }
    }
}

/// Per-line checks of lines a rule fired on that never become occurrences, made cheaper.
@Suite struct ForeignHostTests {
    @Test("the foreign registry hosts in one pass (namesForeignRegistry) equal a folded search per host")
    func foreignHostsInOnePass() {
        var random = SplitMix(seed: 1203)
        let hosts = RegistryParser.foreignHosts
        let filler = Array("pull access denied for fabrikam/tools: gcr.i quay ghcr.io.x DOCKER.IO/library ".utf8)
        var named = 0
        for round in 0..<3000 {
            var line = (0..<Int(random.next() % 90)).map { _ in filler[Int(random.next() % UInt64(filler.count))] }
            if random.next() % 2 == 0 {
                // A host in random case, often cut short by a byte, at a random place.
                var host = hosts[Int(random.next() % UInt64(hosts.count))].map { c in
                    random.next() % 2 == 0 ? c : (c &- 0x61 < 26 ? c & ~0x20 : c)
                }
                if random.next() % 3 == 0 { host.removeLast() }
                line.insert(contentsOf: host, at: line.isEmpty ? 0 : Int(random.next() % UInt64(line.count)))
            }
            let naive = line.withUnsafeBytes { b in hosts.contains { b.firstIndex(ofFolded: $0) != nil } }
            let fast = line.withUnsafeBytes { RegistryParser.namesForeignRegistry($0) }
            if naive { named += 1 }
            #expect(fast == naive, "round \(round): \(String(decoding: line, as: UTF8.self))")
        }
        #expect(named > 1000, "\(named) lines name a host")
    }
}
