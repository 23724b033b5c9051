import CByteScan
import LogModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rules compiled once, before any file is read: a prefilter over the whole buffer, then the
/// rules verified on candidate lines only.
public struct Matcher: Sendable {
    /// Bumped whenever rules change what they count; the store records which version read each range
    /// so that `scan --reclassify` can re-read what an older version scanned.
    public static let version = 27

    /// The standard rules of `Rule.standard`.
    public static let standard = Matcher(rules: Rule.standard)

    /// The standard rules with no unknown-shape literals in the prefilter: the scan as it would be
    /// without unknown shapes (`ACRSCAN_UNKNOWNS=off`), which issue 15's cost bound compares with.
    /// It counts the same occurrences as `standard`.
    public static let withoutUnknownShapes = Matcher(rules: Rule.standard, unknownShapes: false)

    /// A rule as `evaluate` reads it: plain values only (no reference counting on the hot path);
    /// its strings are ranges of `needles`.
    struct Compiled: Sendable {
        let verdict: Rule.Verdict
        let evidence: Rule.Evidence
        let joinReach: Int
        let opens: Bool
        let exchange: Bool
        let networkCause: Bool
        let ownLine: Bool
        let producer: Producer?
        let all: Range<Int>, any: Range<Int>, topic: Range<Int>, none: Range<Int>
        /// The needles of `any`, `topic` and `none` that hold a prefilter literal, as ranges of
        /// `spotSpans`, and those that hold none, as ranges of `looseSpans`: with the line's hits
        /// (`HitSpots`) the first are compared at the hits, only the others searched.
        let spotAny: Range<Int>, spotTopic: Range<Int>, spotNone: Range<Int>
        let looseAny: Range<Int>, looseTopic: Range<Int>, looseNone: Range<Int>
    }

    /// Every string of every rule's `all`, `any`, `topic` and `none`: `needleBytes[start ..< end]`.
    let needles: [Range<Int>]
    let needleBytes: [UInt8]
    /// `needles` as (start, length) pairs, for `acr_contains_any`.
    let needleSpans: [UInt32]
    /// The needles that hold a prefilter literal (folded; the longest such literal), list by list,
    /// as (start, length, literal, offset of the literal in the needle) quadruples, for
    /// `acr_spots_any`. Where such a needle occurs exactly, its literal occurs folded at that
    /// offset, and the region search reports every occurrence of every literal: so with the line's
    /// hits the needle is compared only at its literal's hits (none: it is not on the line).
    let spotSpans: [UInt32]
    /// For each needle, its quadruple in `spotSpans`, or -1 (for the `all` lists, needle by needle).
    let needleSpot: [Int32]
    /// (start, length) pairs, like `needleSpans`, of the needles that hold no prefilter literal,
    /// list by list (`Compiled.looseAny`, …).
    let looseSpans: [UInt32]
    /// Per prefilter literal, the needles of which one must occur for a rule it anchors to fire
    /// (each rule's `any` list when every needle of it holds a prefilter literal, else one `all`
    /// needle that holds one), as quadruples of the table's `quads` from its `start`; its `count`
    /// is -1 when a rule it anchors has no such needle (it may fire on the literal alone, or on
    /// words the hits do not tell). Kept with `needleBytes` in memory of its own (`GateTable`) for
    /// `cannotFire`'s one C call: the scanner reads its pointers once, so a look-alike line
    /// retains no array.
    let gateTable: GateTable

    /// The prefilter: every rule anchor, the literals that unknown shapes need (`unknownAnchors`)
    /// and the Azure Pipelines markers. The registry context is not in it: it is resolved lazily,
    /// with `contextSet`, only where a failure or a checkpoint needs it.
    public let prefilter: LiteralSet
    /// The context anchors (`Rule.contextAnchors`): searched only over the lines before a failure
    /// that opens, and before the end of a region, from the last one back.
    public let contextSet: LiteralSet
    let rules: [Compiled]
    /// For each prefilter literal, the rules it anchors, as a bit set of rule indices (one word per
    /// 64 rules): `evaluate` visits only those rules, in rule order.
    let rulesByLiteral: [[UInt64]]
    let ruleWords: Int
    let vetoes: [[UInt8]]
    let lineStartVetoes: NeedleList
    /// `Rule.vetoExceptions`: a veto hit where one of these starts is not a veto.
    let vetoExceptions: [[UInt8]]
    /// `Rule.vetoesUnlessPreceded`: a hit of `veto` is not a veto where `before` occurs earlier on the line.
    let vetoesUnlessPreceded: [(veto: [UInt8], before: [UInt8])]
    /// `Rule.vetoesUnlessFollowed`: a hit of `veto` is not a veto where `after` occurs later on the line.
    let vetoesUnlessFollowed: [(veto: [UInt8], after: [UInt8])]
    /// `Rule.vetoes` case-folded, searched in one pass; a hit is then compared exactly.
    let vetoSet: LiteralSet
    /// `Rule.otherFailures`, ignoring case: unknown shapes only (`isOtherFailure`).
    let otherFailureSet: LiteralSet

    /// Whether the line reports a failure that is not an authentication failure in words no veto
    /// covers (`Rule.otherFailures`): it is no unknown shape. O(n), one SIMD pass.
    func isOtherFailure(_ line: UnsafeRawBufferPointer) -> Bool {
        otherFailureSet.containsWord(in: line, start: 0, end: line.count)
    }

    /// Whether a look-alike rule dismisses the line (`Rule.vetoes`, exact case, anywhere;
    /// `Rule.lineStartVetoes`). One SIMD pass over the line for all vetoes (`vetoSet`), each
    /// position it stops at compared exactly: O(n) plus the rare hits.
    func dismisses(_ line: UnsafeRawBufferPointer) -> Bool {
        var from = 0
        while let hit = vetoSet.firstMatch(in: line, from: from) {
            if vetoes.contains(where: { veto in
                // hit.position < line.count; the comparison stays inside the line.
                veto.count <= line.count - hit.position
                    && veto.withUnsafeBytes {
                        memcmp(line.baseAddress! + hit.position, $0.baseAddress!, veto.count) == 0
                    }
            }),
                !vetoExceptions.contains(where: { text in
                    text.count <= line.count - hit.position
                        && text.withUnsafeBytes {
                            memcmp(line.baseAddress! + hit.position, $0.baseAddress!, text.count) == 0
                        }
                }),
                !vetoesUnlessPreceded.contains(where: { pair in
                    pair.veto.count <= line.count - hit.position
                        && pair.veto.withUnsafeBytes {
                            memcmp(line.baseAddress! + hit.position, $0.baseAddress!, pair.veto.count) == 0
                        }
                        && UnsafeRawBufferPointer(rebasing: line[..<hit.position]).firstIndex(of: pair.before) != nil
                }),
                !vetoesUnlessFollowed.contains(where: { pair in
                    pair.veto.count <= line.count - hit.position
                        && pair.veto.withUnsafeBytes {
                            memcmp(line.baseAddress! + hit.position, $0.baseAddress!, pair.veto.count) == 0
                        }
                        && line.firstIndex(of: pair.after, from: hit.position + pair.veto.count) != nil
                })
            {
                return true
            }
            from = hit.position + 1
        }
        return startsWithVeto(line)
    }

    /// Whether the line's message begins with one of `Rule.lineStartVetoes`: at the line's start, or
    /// where a producer's wrapper ends (`Matcher.startsMessage`), so that a trace dump is recognised in
    /// the same wrappers as the failures. Read on fired lines only.
    func startsWithVeto(_ line: UnsafeRawBufferPointer) -> Bool {
        lineStartVetoes.first { _, veto in
            var from = 0
            while let at = line.firstIndex(of: veto, from: from) {
                if Self.startsMessage(line, at: at) { return true }
                from = at + 1
            }
            return nil
        } ?? false
    }

    /// Whether a logger's message starts at `at`: after nothing but blanks, a column gap (two blanks
    /// or more: `kubectl describe`'s events), a UTC timestamp's `Z` (GitHub Actions,
    /// GitLab's `…Z 01E ` stream marker), `]` (`##[error]`, klog's `] `,
    /// Jenkins' `[…] `), `: ` (a syslog tag, `dockerd[1234]: `), a quoted value's opening quote
    /// (`msg="`, `err="`, JSON's `"log":"`, `"MESSAGE":"`), or an ANSI colour (`ESC[31m`).
    static func startsMessage(_ b: UnsafeRawBufferPointer, at: Int) -> Bool {
        var i = at
        while i > 0, b[i - 1] == 0x20 || b[i - 1] == 0x09 { i -= 1 }
        if i == 0 || at - i >= 2 { return true }
        let c = b[i - 1]
        if c == 0x5D || c == 0x5A { return true }
        if c == 0x3A { return at > i && i >= 2 && b[i - 2] == 0x5D }  // `]: ` after a syslog tag
        if c == 0x22 { return i >= 2 && (b[i - 2] == 0x3A || b[i - 2] == 0x3D) }
        // GitLab Runner's stream marker: `…Z 01E ` (`O` for stdout, `+` for a continued line).
        if at > i, c == 0x45 || c == 0x4F || c == 0x2B, i >= 5 {
            var j = i - 1
            if c == 0x2B { j -= 1 }
            if j >= 3, b[j] == 0x45 || b[j] == 0x4F, b[j - 3] == 0x20, isHex(b[j - 1]), isHex(b[j - 2]) { return true }
        }
        // The end of an ANSI SGR sequence: `ESC[` digits and `;`, then `m`.
        if c == 0x6D {
            var j = i - 2
            while j >= 0, b[j] &- 0x30 <= 9 || b[j] == 0x3B { j -= 1 }
            return j >= 1 && b[j] == 0x5B && b[j - 1] == 0x1B
        }
        return false
    }

    @inline(__always)
    static func isHex(_ c: UInt8) -> Bool { c &- 0x30 <= 9 || c &- 0x61 < 6 || c &- 0x41 < 6 }

    /// The index of the first byte at or after `from` that is not a space or a tab.
    @inline(__always)
    static func blanks(_ line: UnsafeRawBufferPointer, from: Int) -> Int {
        var i = from
        while i < line.count, line[i] == 0x20 || line[i] == 0x09 { i += 1 }
        return i
    }

    /// What the scanner does with a line read whole (no longer than a piece) at which the
    /// prefilter stops, for the candidate rate of `acrscan literals --candidates`: `.read` when
    /// the rules are evaluated on it or it is checked for an unknown shape past its failure words;
    /// `.leftAtOnce` when it holds only Azure Pipelines markers (a flag is set), or only the
    /// literals unknown shapes need and no failure words (one short search), or is a look-alike
    /// that no rule can fire on, told from its hits (`cannotFire`); nil when the
    /// prefilter does not stop at it. Mirrors `OccurrenceScanner.scanLines`.
    public func candidacy(of line: UnsafeRawBufferPointer) -> Candidacy? {
        var present = LiteralMask(count: prefilter.literals.count)
        prefilter.presence(in: line, into: &present)
        if present.isEmpty { return nil }
        if present.isSubset(of: pipelineMask) { return .leftAtOnce }
        if present.isSubset(of: unknownMask) { return UnknownShape.hasFailureWords(line) ? .read : .leftAtOnce }
        // A look-alike that no rule can fire on, told from its hits (`cannotFire`), with nothing
        // unknown shapes need; a coloured line is read without its escapes first.
        if !present.intersects(unknownMask), !present.intersects(ansiMask) {
            var spots: [UInt64] = []
            prefilter.forEachHitBatch(in: line, into: LiteralSet.HitBuffer(for: prefilter)) { batch in
                for hit in batch { spots.append(HitSpots.pack(literal: Int(hit.literal), position: Int(hit.start))) }
            }
            if spots.count <= HitSpots.capacity,
                spots.withUnsafeBufferPointer({ cannotFire(line, present: present, spots: $0) })
            {
                return .leftAtOnce
            }
        }
        return .read
    }

    /// See `candidacy(of:)`.
    public enum Candidacy: Sendable {
        case read, leftAtOnce
    }

    /// The Azure Pipelines markers (in the prefilter).
    let pipelineMask: LiteralMask
    /// An ANSI escape sequence's start (`ansiLiterals`: the byte, or JSON's `\u001b` escape of it,
    /// as Docker's json-file driver and journald's JSON write it): the line is matched with its
    /// escape sequences taken out (`OccurrenceScanner.stripANSI`), since a CI tool's colour inside
    /// the words (`ESC[1;31merrorESC[0m:`) splits the rules' anchors (wrappers check, matcher 10).
    let ansiMask: LiteralMask
    static let ansiLiterals = ["\u{1B}[", "\\u001b["]
    /// `azurecr` in the prefilter: only lines that hold it can name an ACR login server.
    let loginServerMask: LiteralMask
    /// Whether `azurecr` is in the prefilter (`loginServerMask` tells a line that holds it); without
    /// unknown shapes it is not, and a fired line is searched for a login server whatever it holds.
    let loginServerInPrefilter: Bool
    /// The prefilter literals that an unknown shape needs (`unknownAnchors`).
    let unknownMask: LiteralMask
    /// The anchors of the rules with a `topic` condition: a line without one has no status that a
    /// folded message's first line could give the topic to (`OccurrenceScanner.foldedHead`).
    let topicRuleMask: LiteralMask
    /// `azurecr` in `contextSet`.
    let contextLoginServer: Int

    /// What a line must hold to be an unknown shape: a login server, or ACR's own words
    /// (`Fields.isACRText`). In the prefilter, so that unknown shapes need no second pass.
    static let unknownAnchors = ["azurecr", "aka.ms/acr", "command_modules.acr"]

    /// Compiles `rules`; O(total literal length). Any number of anchors. Without `unknownShapes`, the
    /// literals that only unknown shapes need stay out of the prefilter.
    public init(rules: [Rule], unknownShapes: Bool = true) {
        let bytes: (String) -> [UInt8] = { Array($0.utf8) }
        var needles: [Range<Int>] = []
        var needleBytes: [UInt8] = []
        func ranges(_ strings: [String]) -> Range<Int> {
            let first = needles.count
            for string in strings {
                needles.append(needleBytes.count..<(needleBytes.count + string.utf8.count))
                needleBytes += string.utf8
            }
            return first..<needles.count
        }
        var literals: [String] = []
        var literalIndex: [String: Int] = [:]  // literals' indices, instead of comparing every one
        func index(_ anchor: String) -> Int {
            let folded = anchor.lowercased()
            if let index = literalIndex[folded] { return index }
            literals.append(folded)
            literalIndex[folded] = literals.count - 1
            return literals.count - 1
        }
        func indices(_ anchor: String) -> [Int] { (Rule.prefilterExpansions[anchor] ?? [anchor]).map(index) }
        let anchorLiterals = rules.map { indices($0.anchor) }
        let unknown = unknownShapes ? Self.unknownAnchors.flatMap(indices) : []
        let pipeline = Rule.pipelineMarkers.flatMap(indices)
        let ansi = Self.ansiLiterals.map(index)
        // Every prefilter literal is known now: each needle's longest one, and the needles without.
        let foldedLiterals = literals.map { $0.utf8.map(foldASCII) }  // as `LiteralSet` folds them
        // Per folded first byte, the literals that start with it, longest first and ties in index
        // order: at each position of a needle the first of them that is there is the best one
        // there, and none after it can beat what was found before (the longest, the first in
        // index order among the longest, at its first position).
        let startingWith: [[Int]] = {
            var lists = [[Int]](repeating: [], count: 256)
            for l in foldedLiterals.indices.sorted(by: {
                foldedLiterals[$0].count != foldedLiterals[$1].count
                    ? foldedLiterals[$0].count > foldedLiterals[$1].count : $0 < $1
            }) where !foldedLiterals[l].isEmpty {
                lists[Int(foldedLiterals[l][0])].append(l)
            }
            return lists
        }()
        var spotSpans: [UInt32] = []
        var needleSpot: [Int32] = []
        var looseSpans: [UInt32] = []
        /// Files the needles `list` (ranges of `needles`): their spot and loose ranges.
        func split(_ list: Range<Int>) -> (spot: Range<Int>, loose: Range<Int>) {
            let firstSpot = spotSpans.count / 4
            let firstLoose = looseSpans.count / 2
            for n in list {
                let range = needles[n]
                let folded = needleBytes[range].map(foldASCII)
                var best = (literal: -1, offset: 0, length: 0)
                folded.withUnsafeBytes { text in
                    for at in 0..<text.count {
                        for l in startingWith[Int(text[at])] {
                            let literal = foldedLiterals[l]
                            guard literal.count > best.length || (literal.count == best.length && l < best.literal)
                            else { break }
                            if literal.count <= text.count - at,
                                literal.withUnsafeBytes({ memcmp(text.baseAddress! + at, $0.baseAddress!, $0.count) })
                                    == 0
                            {
                                best = (l, at, literal.count)
                                break
                            }
                        }
                    }
                }
                if best.literal < 0 {
                    needleSpot.append(-1)
                    looseSpans += [UInt32(range.lowerBound), UInt32(range.count)]
                } else {
                    needleSpot.append(Int32(spotSpans.count / 4))
                    spotSpans += [
                        UInt32(range.lowerBound), UInt32(range.count), UInt32(best.literal), UInt32(best.offset),
                    ]
                }
            }
            return (firstSpot..<(spotSpans.count / 4), firstLoose..<(looseSpans.count / 2))
        }
        let compiled = rules.map {
            let all = ranges($0.all)
            let any = ranges($0.any)
            let topic = ranges($0.topic)
            let none = ranges($0.none)
            _ = split(all)
            let anySplit = split(any)
            let topicSplit = split(topic)
            let noneSplit = split(none)
            return Compiled(
                verdict: $0.verdict, evidence: $0.evidence, joinReach: $0.joinReach, opens: $0.opens,
                exchange: $0.exchange, networkCause: $0.networkCause, ownLine: $0.ownLine, producer: $0.producer,
                all: all, any: any,
                topic: topic, none: none,
                spotAny: anySplit.spot, spotTopic: topicSplit.spot, spotNone: noneSplit.spot,
                looseAny: anySplit.loose, looseTopic: topicSplit.loose, looseNone: noneSplit.loose)
        }
        self.needles = needles
        self.needleBytes = needleBytes
        self.needleSpans = needles.flatMap { [UInt32($0.lowerBound), UInt32($0.count)] }
        self.spotSpans = spotSpans
        self.needleSpot = needleSpot
        self.looseSpans = looseSpans
        let loginServer = unknownShapes || literals.contains("azurecr") ? indices("azurecr") : []
        self.loginServerInPrefilter = !loginServer.isEmpty
        self.rules = compiled
        self.pipelineMask = LiteralMask(count: literals.count, indices: pipeline)
        self.ansiMask = LiteralMask(count: literals.count, indices: ansi)
        self.loginServerMask = LiteralMask(count: literals.count, indices: loginServer)
        self.unknownMask = LiteralMask(count: literals.count, indices: unknown)
        self.topicRuleMask = LiteralMask(
            count: literals.count, indices: zip(rules, anchorLiterals).filter { !$0.0.topic.isEmpty }.flatMap(\.1))
        self.vetoes = Rule.vetoes.map(bytes)
        self.vetoSet = LiteralSet(Rule.vetoes)
        self.otherFailureSet = LiteralSet(Rule.otherFailures)
        self.lineStartVetoes = NeedleList(Rule.lineStartVetoes)
        self.vetoExceptions = Rule.vetoExceptions.map(bytes)
        self.vetoesUnlessPreceded = Rule.vetoesUnlessPreceded.map { (bytes($0.veto), bytes($0.unlessBefore)) }
        self.vetoesUnlessFollowed = Rule.vetoesUnlessFollowed.map { (bytes($0.veto), bytes($0.unlessAfter)) }
        self.prefilter = LiteralSet(literals)
        let words = (compiled.count + 63) / 64
        var byLiteral = [[UInt64]](repeating: [UInt64](repeating: 0, count: words), count: literals.count)
        for (r, anchors) in anchorLiterals.enumerated() {
            for literal in anchors { byLiteral[literal][r >> 6] |= 1 << UInt64(r & 63) }
        }
        self.rulesByLiteral = byLiteral
        self.ruleWords = words
        // Each rule's gate: the quadruples (of `spotSpans`) of which one must occur for it to fire.
        let gates: [[Int]?] = compiled.map { rule in
            if !rule.any.isEmpty, rule.looseAny.isEmpty { return Array(rule.spotAny) }
            if let n = rule.all.first(where: { needleSpot[$0] >= 0 }) { return [Int(needleSpot[n])] }
            return nil
        }
        var gateSpans: [UInt32] = []
        var gateStart: [Int32] = []
        var gateCount: [Int32] = []
        var runs: [UInt32] = []
        var runStart: [Int32] = []
        var runCount: [Int32] = []
        for literal in 0..<literals.count {
            gateStart.append(Int32(gateSpans.count / 4))
            runStart.append(Int32(runs.count / 3))
            var quads: [Int] = []
            var decidable = true
            for r in 0..<compiled.count where byLiteral[literal][r >> 6] & (1 << UInt64(r & 63)) != 0 {
                guard let gate = gates[r] else {
                    decidable = false
                    break
                }
                quads += gate.filter { !quads.contains($0) }
            }
            if !decidable {
                gateCount.append(-1)
                runCount.append(0)
                continue
            }
            // Grouped by the literal each needle holds (in order of first appearance, the needles'
            // order kept within a group): one run per literal (`acr_cannot_fire`).
            var held: [UInt32] = []
            for q in quads where !held.contains(spotSpans[4 * q + 2]) { held.append(spotSpans[4 * q + 2]) }
            for h in held {
                let group = quads.filter { spotSpans[4 * $0 + 2] == h }
                runs += [h, UInt32(gateSpans.count / 4), UInt32(group.count)]
                for q in group { gateSpans += spotSpans[(4 * q)..<(4 * q + 4)] }
            }
            gateCount.append(Int32(quads.count))
            runCount.append(Int32(held.count))
        }
        self.gateTable = GateTable(
            count: gateCount, start: gateStart, quads: gateSpans, bytes: needleBytes, runStart: runStart,
            runCount: runCount, runs: runs)
        var contextLiterals: [String] = []
        for anchor in Rule.contextAnchors.flatMap({ Rule.prefilterExpansions[$0] ?? [$0] }).map({ $0.lowercased() })
        where !contextLiterals.contains(anchor) { contextLiterals.append(anchor) }
        self.contextLoginServer = contextLiterals.firstIndex(of: "azurecr")!
        self.contextSet = LiteralSet(contextLiterals)
    }

    /// What the rules found on one line (each rule's own verdict is `Rule.Verdict`).
    struct Findings {
        /// The most specific type of the rules that fired.
        var type: ErrorType?
        /// How much evidence that type needs (the weakest requirement among the rules of that type).
        var evidence: Rule.Evidence = .acrOnLine
        /// Whether an `az acr` token-step rule fired.
        var tokenStep = false
        /// Whether the line is a request to ACR's token exchange (`Rule.exchange`).
        var exchange = false
        /// Whether the line states a network cause under the failure it continues (`Rule.networkCause`).
        var networkCause = false
        /// Whether any rule fired.
        var fired = false
        /// Whether a rule that fired may start a failure (`Rule.opens`).
        var opens = false
        /// Whether the line is ACR's own wording.
        var acrByNature = false
        /// How far back the failure this line may continue can end (the largest reach of the rules that fired).
        var joinReach = 0
        /// Whether the line starts a Python traceback (`Rule.pythonTracebacks`' neutral rule).
        var tracebackHead = false
        /// Whether a rule that needs an ACR traceback before the line fired (`Rule.Evidence.acrTraceback`).
        var pythonException = false
        /// The producer a rule that fired names (`Rule.producer`), if any.
        var producer: Producer?
    }

    /// Whether no rule can fire on `line`, told from its hits (`spots`: every prefilter hit on it)
    /// alone: every rule that a literal of `present` anchors needs one of its gate's needles
    /// (`gateTable`), and none of them occurs at a hit of the literal it holds. False when a
    /// literal anchors a rule without a gate. Then `evaluate` would return nil, with or without a
    /// carried topic; the line is neither read further nor evaluated.
    func cannotFire(_ line: UnsafeRawBufferPointer, present: LiteralMask, spots: UnsafeBufferPointer<UInt64>) -> Bool {
        present.storage.withUnsafeBufferPointer { gateTable.cannotFire(line, words: $0.baseAddress!, spots: spots) }
    }

    /// Evaluates the rules whose anchors are `present` (from `LiteralSet.presence(in:into:)`) on a
    /// candidate line. O(rules fired × line length); never called on lines the prefilter passed over.
    /// With `topicCarried`, the line continues a message whose first line held the registry topic
    /// (`OccurrenceScanner.foldedHead`): the rules' `topic` condition counts as met.
    /// With `spots`, every prefilter hit on the line (`HitSpots.pack`: literal and position; all of
    /// them, as the region search reports them): a needle that holds a prefilter literal is then
    /// compared only where that literal was hit, and only the needles without one are searched.
    func evaluate(
        _ line: UnsafeRawBufferPointer, present: LiteralMask, topicCarried: Bool = false,
        spots: UnsafeBufferPointer<UInt64>? = nil
    ) -> Findings? {
        var verdict = Findings()
        // The rules anchored by a present literal, in rule order (the order decides ties).
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: ruleWords) { selected in
            selected.initialize(repeating: 0)
            var any: UInt64 = 0
            rulesByLiteral.withUnsafeBufferPointer { byLiteral in
                for (w, word) in present.storage.enumerated() where word != 0 {
                    var bits = word
                    while bits != 0 {
                        let literal = w << 6 | bits.trailingZeroBitCount
                        bits &= bits - 1
                        byLiteral[literal].withUnsafeBufferPointer { rules in
                            for i in 0..<ruleWords {
                                selected[i] |= rules[i]
                                any |= rules[i]
                            }
                        }
                    }
                }
            }
            guard any != 0 else { return }
            rules.withUnsafeBufferPointer { rules in
                needles.withUnsafeBufferPointer { needles in
                    needleBytes.withUnsafeBytes { bytes in
                        needleSpans.withUnsafeBufferPointer { spans in
                            spotSpans.withUnsafeBufferPointer { spotSpans in
                                looseSpans.withUnsafeBufferPointer { loose in
                                    needleSpot.withUnsafeBufferPointer { needleSpot in
                                        let needleBase = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
                                        /// Whether the line holds the needle `n`, exactly.
                                        func holds(_ n: Int) -> Bool {
                                            guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self)
                                            else { return false }
                                            if let spots, needleSpot[n] >= 0 {
                                                return acr_spots_any(
                                                    base, line.count, needleBase,
                                                    spotSpans.baseAddress! + 4 * Int(needleSpot[n]), 1,
                                                    spots.baseAddress, spots.count) != 0
                                            }
                                            let range = needles[n]
                                            return acr_contains(
                                                base, line.count, needleBase + range.lowerBound, range.count)
                                                != 0
                                        }
                                        /// Whether the line holds one of the needles `list`, exactly: one pass
                                        /// for all (a rule's `any`, `topic` and `none` lists are 1 to 22
                                        /// strings); with `spots`, the needles that hold a prefilter literal
                                        /// compared at its hits, one pass for the others.
                                        func holdsAny(_ list: Range<Int>, _ spot: Range<Int>, _ looseList: Range<Int>)
                                            -> Bool
                                        {
                                            guard !list.isEmpty,
                                                let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self)
                                            else { return false }
                                            guard let spots else {
                                                return acr_contains_any(
                                                    base, line.count, needleBase,
                                                    spans.baseAddress! + 2 * list.lowerBound,
                                                    list.count) != 0
                                            }
                                            if !spot.isEmpty,
                                                acr_spots_any(
                                                    base, line.count, needleBase,
                                                    spotSpans.baseAddress! + 4 * spot.lowerBound,
                                                    spot.count, spots.baseAddress, spots.count) != 0
                                            {
                                                return true
                                            }
                                            return !looseList.isEmpty
                                                && acr_contains_any(
                                                    base, line.count, needleBase,
                                                    loose.baseAddress! + 2 * looseList.lowerBound,
                                                    looseList.count) != 0
                                        }
                                        for (w, word) in selected.enumerated() {
                                            var bits = word
                                            while bits != 0 {
                                                let r = w << 6 | bits.trailingZeroBitCount
                                                bits &= bits - 1
                                                let rule = rules[r]
                                                guard rule.all.allSatisfy(holds),
                                                    rule.any.isEmpty || holdsAny(rule.any, rule.spotAny, rule.looseAny),
                                                    rule.topic.isEmpty || topicCarried
                                                        || holdsAny(rule.topic, rule.spotTopic, rule.looseTopic),
                                                    !holdsAny(rule.none, rule.spotNone, rule.looseNone),
                                                    !rule.ownLine || !Fields.holdsInnerEscapedNewline(line)
                                                else { continue }
                                                apply(rule, &verdict)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard verdict.fired, !dismisses(line) else { return nil }
        return verdict
    }

    /// Adds what `rule` says (it fired) to `verdict`.
    @inline(__always)
    private func apply(_ rule: Compiled, _ verdict: inout Findings) {
        verdict.fired = true
        verdict.opens = verdict.opens || rule.opens
        verdict.joinReach = max(verdict.joinReach, rule.joinReach)
        if rule.exchange { verdict.exchange = true }
        if rule.networkCause { verdict.networkCause = true }
        if let producer = rule.producer { verdict.producer = producer }
        if rule.evidence == .acrByNature { verdict.acrByNature = true }
        if rule.evidence == .acrTraceback {
            if case .neutral = rule.verdict { verdict.tracebackHead = true } else { verdict.pythonException = true }
        }
        switch rule.verdict {
        case .type(let type):
            if let current = verdict.type, current.specificity > type.specificity { return }
            if verdict.type == type {
                verdict.evidence = min(verdict.evidence, rule.evidence)
            } else {
                verdict.type = type
                verdict.evidence = rule.evidence
            }
        case .tokenStep:
            verdict.tokenStep = true
        case .neutral:
            break
        }
    }
}

/// The prefilter's hits on one candidate line, each packed in a word: the literal's index in the
/// high 32 bits, its position in the line in the low 32 (`Matcher.evaluate(_:present:spots:)`).
enum HitSpots {
    /// Room for this many hits of one line; a line with more is evaluated without them.
    static let capacity = 32
    @inline(__always) static func pack(literal: Int, position: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: literal) << 32 | UInt64(truncatingIfNeeded: position)
    }
    @inline(__always) static func literal(_ spot: UInt64) -> Int { Int(truncatingIfNeeded: spot >> 32) }
    @inline(__always) static func position(_ spot: UInt64) -> Int { Int(truncatingIfNeeded: spot & 0xFFFF_FFFF) }
}

extension Rule.Evidence: Comparable {
    /// Orders from the weakest requirement (`acrByNature`) to the strongest (`acrOnLine`).
    public static func < (lhs: Rule.Evidence, rhs: Rule.Evidence) -> Bool {
        func rank(_ e: Rule.Evidence) -> Int {
            switch e {
            case .acrByNature: 0
            case .acrOrContext: 1
            case .acrOnLine: 2
            case .acrHost: 3
            case .afterACRLogin: 4
            case .acrTraceback: 5
            }
        }
        return rank(lhs) < rank(rhs)
    }
}

/// `Matcher`'s gates (per literal: the count and start of its needles' quadruples, and the runs
/// that group them by the literal each holds) and its needles' bytes, in memory that lives as long
/// as the table: `cannotFire` passes the pointers to one C call (`acr_cannot_fire`) with no array
/// to reach, retain or release per line. Immutable after init.
final class GateTable: @unchecked Sendable {
    let count: UnsafeMutablePointer<Int32>
    let start: UnsafeMutablePointer<Int32>
    let quads: UnsafeMutablePointer<UInt32>
    let bytes: UnsafeMutablePointer<UInt8>
    let runStart: UnsafeMutablePointer<Int32>
    let runCount: UnsafeMutablePointer<Int32>
    let runs: UnsafeMutablePointer<UInt32>
    /// Words of a literal mask of the prefilter (`LiteralMask.storage.count`).
    let wordCount: Int

    init(
        count: [Int32], start: [Int32], quads: [UInt32], bytes: [UInt8], runStart: [Int32], runCount: [Int32],
        runs: [UInt32]
    ) {
        func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(1, array.count))
            _ = UnsafeMutableBufferPointer(start: pointer, count: array.count).initialize(from: array)
            return pointer
        }
        self.count = copy(count)
        self.start = copy(start)
        self.quads = copy(quads)
        self.bytes = copy(bytes)
        self.runStart = copy(runStart)
        self.runCount = copy(runCount)
        self.runs = copy(runs)
        self.wordCount = max(1, (count.count + 63) / 64)
    }

    deinit {
        count.deallocate()
        start.deallocate()
        quads.deallocate()
        bytes.deallocate()
        runStart.deallocate()
        runCount.deallocate()
        runs.deallocate()
    }

    /// `Matcher.cannotFire` with the line's literals as words of a mask (`wordCount` of them).
    @inline(__always)
    func cannotFire(_ line: UnsafeRawBufferPointer, words: UnsafePointer<UInt64>, spots: UnsafeBufferPointer<UInt64>)
        -> Bool
    {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        return acr_cannot_fire(
            base, line.count, words, wordCount, count, runStart, runCount, runs, quads, bytes, spots.baseAddress,
            spots.count) != 0
    }

    /// The same through `acr_cannot_fire_flat` (each gate's needles as one list): the tests' reference.
    func cannotFireFlat(
        _ line: UnsafeRawBufferPointer, words: UnsafePointer<UInt64>, spots: UnsafeBufferPointer<UInt64>
    )
        -> Bool
    {
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        return acr_cannot_fire_flat(
            base, line.count, words, wordCount, count, start, quads, bytes, spots.baseAddress, spots.count) != 0
    }
}
