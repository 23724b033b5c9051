import CByteScan
import LogModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a scan of one stream stands: enough to resume it later as if it had never stopped.
public struct ScanPosition: Sendable, Equatable, Hashable {
    /// Bytes of the (decompressed) stream before the resume point; always a line boundary.
    public var offset: Int64
    /// Newline-terminated lines before `offset`.
    public var lines: Int
    /// The last timestamp seen before `offset`, for lines that carry none.
    public var lastTimestamp: Int64?
    /// The registry context before `offset`.
    public var context: RegistryContext
    /// Whether Azure Pipelines markers were seen before `offset` (tells its prefix from GitHub's).
    public var pipelines: Bool

    /// A position; the default is the start of a stream.
    public init(
        offset: Int64 = 0, lines: Int = 0, lastTimestamp: Int64? = nil, context: RegistryContext = .none,
        pipelines: Bool = false
    ) {
        self.offset = offset
        self.lines = lines
        self.lastTimestamp = lastTimestamp
        self.context = context
        self.pipelines = pipelines
    }
}

/// Settings of one scan.
public struct ScanOptions: Sendable {
    /// Gives klog and syslog lines their year (the file's modification time).
    public var reference: ReferenceTime
    /// Lines longer than this are matched in pieces of this size, so memory stays bounded; a
    /// failure phrase cut by a piece boundary is missed (see docs/counting-rules.md).
    public var maxLineBytes: Int
    /// Whether unknown-shape candidates are collected (docs/unknowns.md); off only to measure
    /// what they cost (`ACRSCAN_UNKNOWNS=off`, read by the sweep).
    public var collectsUnknowns: Bool

    /// Options with a reference time and the default 64 KiB line piece.
    public init(reference: ReferenceTime, maxLineBytes: Int = 64 * 1024, collectsUnknowns: Bool = true) {
        self.reference = reference
        self.maxLineBytes = max(64, maxLineBytes)
        self.collectsUnknowns = collectsUnknowns
    }
}

/// Finds the occurrences in one stream of log bytes, fed in chunks of any size.
///
/// Splitting the same stream into different chunks gives the same occurrences (a tested
/// invariant). Complete lines are searched where they lie in the caller's chunk, without a copy;
/// only the unfinished last line of a chunk is kept, up to `maxLineBytes`. The prefilter runs over
/// whole chunks; rules, timestamps and registries are read only on the lines it stops at, and line
/// numbers are counted with SIMD (`countNewlines`). Nothing is allocated per line.
///
/// The state read and written per candidate line is marked `@exclusivity(unchecked)`: a scanner is
/// used by one thread, and its accesses never overlap, so the run-time exclusivity checks (5% of a
/// scan's time in `perf`) are left out for these properties.
public final class OccurrenceScanner {
    let matcher: Matcher
    let options: ScanOptions

    /// Stream offset of the first byte of the current (unfinished) line.
    @exclusivity(unchecked) var lineStart: Int64
    /// Newline-terminated lines before `lineStart`.
    @exclusivity(unchecked) var lines: Int
    /// The latest timestamp of the lines before the region cursor.
    @exclusivity(unchecked) var lastTimestamp: Int64?
    @exclusivity(unchecked) var context: RegistryContext
    @exclusivity(unchecked) var pipelines: Bool
    /// Bytes of the current line not yet matched (fewer than `maxLineBytes`).
    var partial: [UInt8] = []
    /// Pieces of the current line already matched: nonzero for a line longer than `maxLineBytes`.
    var piecesDone = 0
    /// Whether the current long line produced its failure already (one per line).
    @exclusivity(unchecked) var lineSettled = false
    /// What the bytes before the line being matched leave open for the redactor (a secret flag
    /// at the end of the line before, or of the piece before): set around each `matchLine` call.
    @exclusivity(unchecked) var carrySource: CarrySource = .none
    /// The redactor's carry over the pieces of the current long line read so far.
    var pieceCarry = Redactor.Carry.none
    /// The redactor's carry after the last complete line of the region before: read from
    /// `lastLine` when a line at the start of a region needs it (few do), not at every region's end.
    var lastLineCarry: Redactor.Carry {
        get {
            if let known = lastLineCarryKnown { return known }
            let carry = lastLine.withUnsafeBytes {
                Self.carry(afterLineEndingAt: $0.count - 1, in: $0, maxLineBytes: options.maxLineBytes)
            }
            lastLineCarryKnown = carry
            return carry
        }
        set { lastLineCarryKnown = newValue }
    }
    /// The last complete line of the region before, with its newline, when no longer than a piece
    /// (`rememberLastLineCarry`); `lastLineCarry` and `lastLineFoldHead` are read from it once asked.
    var lastLine: [UInt8] = []
    var lastLineCarryKnown: Redactor.Carry? = Redactor.Carry.none
    var lastLineFoldHeadKnown: FoldHead?? = .some(nil)
    /// The redactor's carry after the last failure line excerpted whole from no carry, with that
    /// line's offset in the stream and length: the carry for a failure on the line after it comes
    /// from here instead of reading the line again (every line a failure: a tenth of a scan).
    var carryMemo: (start: Int64, count: Int, carry: Redactor.Carry)?
    /// Whether packing leaves excerpts unfinished for the store's thread (`UnfinishedExcerpt`);
    /// a sweep turns it off while its writer is the busier thread, and on again once it waits.
    public var defersExcerpts = true
    /// The open failure's unfinished excerpt (`PendingExcerpt.unfinished`), kept for its memory.
    var unfinishedExcerpt: [UInt8] = []
    /// Where the line of `unfinishedExcerpt` starts in the stream, its length, and whether it is
    /// kept whole from the region's own bytes (it may then stand for the line before the next
    /// failure line: `lastUnfinished`).
    var unfinishedLine: (start: Int64, count: Int, whole: Bool) = (0, 0, false)
    /// The last unfinished excerpt packed whose line was kept whole: that line's start and length,
    /// and its value id in the batch being packed (forgotten when the packing call ends).
    var lastUnfinished: (start: Int64, count: Int, id: UInt32)?
    /// The last complete line of the region before as the head of a folded message (`foldedHead`).
    var lastLineFoldHead: FoldHead? {
        get {
            if let known = lastLineFoldHeadKnown { return known }
            let head = lastLine.withUnsafeBytes {
                Self.foldHead(afterLineEndingAt: $0.count - 1, in: $0, maxLineBytes: options.maxLineBytes)
            }
            lastLineFoldHeadKnown = .some(head)
            return head
        }
        set { lastLineFoldHeadKnown = .some(newValue) }
    }
    /// Whether the last complete line of the region before is a traced response's header (`tracedResponse`).
    var lastLineTraced = false
    /// Whether the last complete line of the region before breaks off after an anonymous-token clause
    /// (`followsAnonymousTokenClause`).
    var lastLineAnonymousClause = false
    /// Where the current long line began, before anything in it was read.
    var pieceLineStart = ScanPosition()
    /// A failure whose later lines may still follow (Azure CLI cascades, JSON bodies).
    @exclusivity(unchecked) var pending: PendingFailure?
    /// Whether `emit` packs into `packed` (`scan(_:packingInto:)`) instead of the caller's array.
    @exclusivity(unchecked) var packing = false
    /// The caller's batch while `packing` (swapped in and out, never copied).
    @exclusivity(unchecked) var packed = OccurrenceBatch()
    /// Failures handed out so far, into an array or a batch.
    @exclusivity(unchecked) var handedOut = 0
    /// The line number of the last `az acr login` command: the Docker client's words right after
    /// it are its failure. Not kept across a resume (docs/counting-rules.md).
    @exclusivity(unchecked) var acrLoginLine: Int?
    static let acrLoginCommand: [UInt8] = Array("acr login".utf8)
    /// JSON's escape of an ANSI sequence's start, as JSON log drivers write a colour (lower case: searched folded).
    static let jsonEscape: [UInt8] = Array("\\u001b[".utf8)
    /// Unknown candidates found since the caller last took them (`takeUnknowns()`).
    @exclusivity(unchecked) public private(set) var unknowns: [UnknownCandidate] = []
    /// Past this many untaken candidates, more are dropped (memory stays bounded when a caller
    /// never takes them).
    static let maxPendingUnknowns = 4096

    /// The templates of unknown shapes met in this stream, by `UnknownShape.formKey` of their line,
    /// with how many excerpts were made for each; bounded by `maxShapeCache`.
    @exclusivity(unchecked) var shapeCache: [UInt64: (template: String, key: UInt64, examples: Int)] = [:]
    static let maxShapeCache = 1024
    /// `UnknownShape.failureWords`, kept here: a static is reached through `swift_once` per call.
    let failureWords = UnknownShape.failureWords

    /// Hands out the unknown candidates found so far and forgets them.
    /// The array itself is handed over (emptying a copy's shared storage "keeping its capacity"
    /// allocated a new buffer of that capacity each time).
    public func takeUnknowns() -> [UnknownCandidate] {
        var taken: [UnknownCandidate] = []
        swap(&taken, &unknowns)
        return taken
    }

    /// The prefilter literals on the current candidate line (storage reused from line to line).
    @exclusivity(unchecked) var present: LiteralMask
    /// The same bits as the region's hits are walked (`present`'s words, `lineWordCount` of them):
    /// written through a pointer, with no uniqueness check of an array per hit and per line, and
    /// copied into `present` only for a line that is read (`syncPresent`).
    let lineWords: UnsafeMutablePointer<UInt64>
    let lineWordCount: Int
    /// `matcher.gateTable`, kept here: the look-alike test reaches it without the matcher.
    let gates: GateTable
    /// Per prefilter literal, the classes the candidate loop tells a line by (`LiteralClass`): as
    /// the region's hits are walked, their classes are combined per line (all of them, any of
    /// them), so that whether a line holds only unknown-shape literals, only pipeline markers, an
    /// ANSI escape's start, … is read from two bytes, not from `present` against the matcher's
    /// masks (a call, and a retain of each array, per question and line).
    let literalClass: UnsafeMutablePointer<UInt8>
    /// The context anchors on a line whose registry context is being read.
    @exclusivity(unchecked) var contextPresent: LiteralMask
    /// Prefilter literals of a line read for the lazy context (`present` is the candidate's).
    @exclusivity(unchecked) var lazyPresent: LiteralMask
    /// Hits of the prefilter and of the context search, reused from region to region.
    let hits: LiteralSet.HitBuffer
    /// The prefilter's hits on the current candidate line (`HitSpots`), for `Matcher.evaluate`:
    /// `spotCount` of `HitSpots.capacity`, more than that when the line had more (then unused).
    let spots = UnsafeMutablePointer<UInt64>.allocate(capacity: HitSpots.capacity)
    @exclusivity(unchecked) var spotCount = 0
    let contextHits: LiteralSet.HitBuffer
    /// Lines holding context anchors in the span being resolved: start, end, `azurecr` (0 or 1).
    @exclusivity(unchecked) var contextLines: [Int] = []
    /// In the current region: `context` holds the registry context of the lines before this offset
    /// (a line start); the lines after it are read only when a failure or the region's end needs
    /// them (`resolveContext`). See docs/performance.md, "Lazy context".
    @exclusivity(unchecked) var resolvedThrough = 0
    /// In the current region: the lines before this offset were read whole (the long lines matched
    /// piece by piece) or lie before the region; `acrLoginLine` accounts for them.
    @exclusivity(unchecked) var eagerEnd = 0
    /// The registry context update of the last failure line read in the current region (its start
    /// in the region and `ownContextUpdate` of it, nil when it has none), when it was read as it lies
    /// there: the context search before the next failure, which starts at that line, takes its
    /// update from here instead of reading the line again (every line a failure: 8% of a scan).
    @exclusivity(unchecked) var ownUpdateMemo: (start: Int, update: RegistryContext?)?
    /// The first window of the backward context search; each next one is twice as large.
    var contextWindow = 2 * 1024
    /// Reads every line's context as it comes (`scanLinesEagerly`): the reference of the tests.
    var eagerReference = false
    /// A command continued over lines (`OccurrenceScanner+Sequences.swift`): whether the region before
    /// left one open, its lines joined so far (`commandText`, `commandLines`), scratch storage, the
    /// context anchors of the joined text, and the offset in the current region before which the
    /// carried command's lines lie (no command there is joined again).
    var openCommand = false
    var commandText: [UInt8] = []
    var commandScratch: [UInt8] = []
    var commandLines = 0
    var commandFloor = 0
    var commandPresent: LiteralMask
    /// A line read back for a runner's step details, its colours left out (`isStepDetail`).
    var detailScratch: [UInt8] = []
    /// Records split in parts (`SplitRecord`): the part at the end of the region before, the stream
    /// offset before which a record was joined already, and the joined line.
    var carriedRecord: CarriedRecord?
    var joinedRecordEnd: Int64?
    var recordText: [UInt8] = []
    /// The last Python traceback's first line (`Traceback (most recent call last):`): its number, its
    /// offset in the stream, and whether a frame of an ACR client was seen after it in the regions
    /// before the current one (`OccurrenceScanner+Sequences.swift`).
    var tracebackHead: (line: Int, offset: Int64, acr: Bool)?
    /// The last failure emitted, to drop the same failure re-reported in another form.
    var lastEmitted: EchoMemory?
    /// The last bytes of the pending failure's first line, and of the last failure emitted's
    /// (`LineEdges`, `LineTail`): two buffers of `LineEdges.tailLimit` bytes, swapped, never reallocated.
    var pendingTail = LineTail()
    var emittedTail = LineTail()
    /// A hard-wrapped paste (`OccurrenceScanner+Wrap.swift`): the number of the open failure's last
    /// line as the join of wrapped lines knows it, the widest line of its wrap so far, the joined text
    /// of two lines, and its prefilter literals.
    var wrapLine = -1
    var wrapWidth = 0
    var wrapText: [UInt8] = []
    /// The lines of a wrap's chain read back (`wrapChain`), first one first, and the place of the
    /// first (the line before it may hold the start of a host it begins with: `rejoinCutHost`).
    var wrapParts: [UnsafeRawBufferPointer] = []
    var wrapHead: WrapPlace?
    /// The last lines of the regions before, for a wrap's read-back (`keepRecentLines`): their bytes,
    /// each line's range in them, and the number of the last one.
    var recentBytes: [UInt8] = []
    var recentLines: [Range<Int>] = []
    var recentLast = -1
    /// `keepRecentLines`' arrays, kept between regions with their memory (the last lines found, and
    /// the bytes and ranges kept before, swapped out).
    var keptScratch: (found: [Range<Int>], bytes: [UInt8], ranges: [Range<Int>]) = ([], [], [])
    var wrapPresent: LiteralMask
    /// Whether two lines read as one are being matched (no wrap is looked for inside them).
    var readingJoined = false
    /// The number of the last line that holds a rule's literal (a prefilter literal other than those
    /// of unknown shapes and pipeline markers) or that a rule fired on: the line after it, without a
    /// literal of its own, may continue it (`readWrapped`). Lines with only the literals of unknown
    /// shapes (`azurecr` in image references: most candidate lines) are not read on for a wrap: a
    /// row that a terminal cut in a word after a host (`…azurecr.io: 401 Unauthori` / `zed`) is lost
    /// (docs/accuracy.md, "Hard-wrapped pastes").
    var lastRuleLine = -1

    /// The point up to which every occurrence has been handed out: resuming a new scanner there
    /// (with `ScanPosition`) finds exactly the occurrences that follow. Store it with them.
    public private(set) var checkpoint: ScanPosition
    /// Bytes and lines seen so far, for progress and summaries.
    public var bytesScanned: Int64 { lineStart + Int64(partial.count + piecesDone * options.maxLineBytes) }
    /// Newline-terminated lines seen so far.
    public var linesScanned: Int { lines }

    /// A scanner for one stream, starting at `start` (the stream's beginning by default).
    public init(matcher: Matcher = .standard, options: ScanOptions, start: ScanPosition = ScanPosition()) {
        self.matcher = matcher
        self.options = options
        self.lineStart = start.offset
        self.lines = start.lines
        self.lastTimestamp = start.lastTimestamp
        self.context = start.context
        self.pipelines = start.pipelines
        self.checkpoint = start
        self.present = LiteralMask(count: matcher.prefilter.literals.count)
        self.lineWordCount = present.storage.count
        self.gates = matcher.gateTable
        self.lineWords = .allocate(capacity: present.storage.count)
        lineWords.initialize(repeating: 0, count: lineWordCount)
        let literals = matcher.prefilter.literals.count
        self.literalClass = .allocate(capacity: literals)
        for i in 0..<literals {
            var c: UInt8 = 0
            if matcher.unknownMask.contains(i) { c |= LiteralClass.unknown }
            if matcher.pipelineMask.contains(i) { c |= LiteralClass.pipeline }
            if matcher.ansiMask.contains(i) { c |= LiteralClass.ansi }
            literalClass[i] = c
        }
        self.lazyPresent = LiteralMask(count: matcher.prefilter.literals.count)
        self.wrapPresent = LiteralMask(count: matcher.prefilter.literals.count)
        self.contextPresent = LiteralMask(count: matcher.contextSet.literals.count)
        self.commandPresent = LiteralMask(count: matcher.contextSet.literals.count)
        self.hits = LiteralSet.HitBuffer(for: matcher.prefilter)
        self.contextHits = LiteralSet.HitBuffer(for: matcher.contextSet)
        partial.reserveCapacity(options.maxLineBytes)
    }

    deinit {
        spots.deallocate()
        literalClass.deallocate()
        lineWords.deallocate()
    }

    /// Empties `lineWords` at a new candidate line: stores for the usual few words (a loop of
    /// them became a `memset` call per line, 4% of a look-alike line's cost).
    @inline(__always)
    func clearLineWords() {
        let words = lineWords
        switch lineWordCount {
        case 1: words[0] = 0
        case 2:
            words[0] = 0
            words[1] = 0
        case 3:
            words[0] = 0
            words[1] = 0
            words[2] = 0
        case 4:
            words[0] = 0
            words[1] = 0
            words[2] = 0
            words[3] = 0
        default: words.update(repeating: 0, count: lineWordCount)
        }
    }

    /// Copies the candidate line's literals (`lineWords`) into `present`, for a line that is read.
    @inline(__always)
    func syncPresent() {
        let words = lineWords
        let count = lineWordCount
        present.storage.withUnsafeMutableBufferPointer { storage in
            for w in 0..<count { storage[w] = words[w] }
        }
    }

    /// The coloured line being matched, its ANSI escape sequences taken out (reused from line to line).
    var ansiLine: [UInt8] = []

    /// Copies `line` into `out` without its ANSI escape sequences: CSI (`ESC [`, or JSON's `\u001b[`,
    /// parameters, a final byte 0x40–0x7E: colours, `ESC[0K`), OSC (`ESC ]` up to BEL or `ESC \\`), and any other `ESC X`.
    static func stripANSI(_ line: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        guard let base = line.baseAddress else { return }
        let n = line.count
        /// The next `byte` at or after `from`, or `n`: the text between escapes is copied in one piece.
        func next(_ byte: Int32, from: Int) -> Int {
            guard let p = memchr(base + from, byte, n - from) else { return n }
            return UnsafeRawPointer(p) - base
        }
        var i = 0
        var nextEscape = next(0x1B, from: 0)
        var nextBackslash = next(0x5C, from: 0)
        while i < n {
            let at = min(nextEscape, nextBackslash)
            if at > i { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[i..<at])) }
            guard at < n else { break }
            i = at
            if line[i] == 0x5C {
                // JSON's escape of the byte, `\u001b[` (`\u001B[`), as a JSON log driver writes a colour.
                if i + 6 < n, line[i + 1] == 0x75, line[i + 2] == 0x30, line[i + 3] == 0x30,
                    line[i + 4] == 0x31, line[i + 5] | 0x20 == 0x62, line[i + 6] == 0x5B
                {
                    i += 7
                    while i < n, line[i] &- 0x40 > 0x3E { i += 1 }
                    i += 1
                } else {
                    out.append(0x5C)
                    i += 1
                }
            } else {
                i += 1
                if i < n, line[i] == 0x5B {
                    i += 1
                    while i < n, line[i] &- 0x40 > 0x3E { i += 1 }
                    i += 1
                } else if i < n, line[i] == 0x5D {
                    while i < n, line[i] != 0x07, line[i] != 0x1B { i += 1 }
                    i += i < n && line[i] == 0x1B ? 2 : 1
                } else {
                    i += 1
                }
            }
            i = min(i, n)
            if nextEscape < i { nextEscape = next(0x1B, from: i) }
            if nextBackslash < i { nextBackslash = next(0x5C, from: i) }
        }
    }

    var position: ScanPosition {
        ScanPosition(
            offset: lineStart, lines: lines, lastTimestamp: lastTimestamp, context: context, pipelines: pipelines)
    }

    // MARK: - Feeding

    /// Scans the next chunk of the stream, packing the failures that it completes into `batch`
    /// (`OccurrenceBatch.append`) as they are found: no array of `Occurrence` in between, whose
    /// copies in and out retained and released every value (docs/performance.md, "Branch `storescan`").
    public func scan(_ chunk: UnsafeRawBufferPointer, packingInto batch: inout OccurrenceBatch) {
        packingFailures(into: &batch) { scan(chunk, into: &$0) }
    }

    /// `finish(into:keepingOpenFailure:)`, packing into `batch` (`scan(_:packingInto:)`).
    public func finish(packingInto batch: inout OccurrenceBatch, keepingOpenFailure: Bool = false) {
        packingFailures(into: &batch) { finish(into: &$0, keepingOpenFailure: keepingOpenFailure) }
    }

    /// Runs `body` with the failures it hands out packed into `batch` instead of its array.
    private func packingFailures(into batch: inout OccurrenceBatch, _ body: (inout [Occurrence]) -> Void) {
        swap(&packed, &batch)
        packing = true
        defer {
            settleExcerptContext()
            packing = false
            swap(&packed, &batch)
        }
        var none: [Occurrence] = []
        body(&none)
    }

    /// Scans the next chunk of the stream, appending the failures that it completes to `found`.
    public func scan(_ chunk: UnsafeRawBufferPointer, into found: inout [Occurrence]) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var i = 0
        if !partial.isEmpty || piecesDone > 0 {
            // Finish the line begun in an earlier chunk.
            guard let hit = memchr(base, 0x0A, chunk.count) else {
                appendToLine(UnsafeRawBufferPointer(rebasing: chunk[0...]), into: &found)
                return
            }
            let newline = base.distance(to: UnsafeRawPointer(hit))
            appendToLine(UnsafeRawBufferPointer(rebasing: chunk[0..<newline]), into: &found)
            endLine(into: &found)
            i = newline + 1
        }
        // Complete lines, searched where they lie.
        if i < chunk.count, let newline = lastNewline(base, from: i, to: chunk.count) {
            let end = newline + 1
            scanLines(UnsafeRawBufferPointer(rebasing: chunk[i..<end]), into: &found)
            i = end
        }
        if i < chunk.count { appendToLine(UnsafeRawBufferPointer(rebasing: chunk[i...]), into: &found) }
    }

    /// Ends the stream: matches an unterminated last line and hands out any failure still open.
    /// The checkpoint stays before an unterminated line, so a later scan re-reads it whole.
    ///
    /// With `keepingOpenFailure` (a file that may still grow), the failure still open is handed out
    /// but the checkpoint stays before its first line: a scan resumed there reads it again whole,
    /// with any line appended since that joins it, and hands it out again at the same offset (the
    /// store keeps one, the more complete).
    ///
    /// An open failure that turns out to be an echo of the one before it is not kept open: a resumed
    /// scan has no memory of that one and would count the echo (sweep workflow check: kubelet's
    /// second logger as the last line of a night's kubelet.log, counted again the next night).
    public func finish(into found: inout [Occurrence], keepingOpenFailure: Bool = false) {
        if let carried = carriedRecord {
            carriedRecord = nil
            if carried.candidate { matchCarriedAlone(carried, into: &found) }
        }
        if !partial.isEmpty || piecesDone > 0 {
            let saved = position
            if !lineSettled, !partial.isEmpty {
                partial.withUnsafeBytes { matchPiece($0, index: piecesDone, into: &found) }
            }
            let open = keepingOpenFailure ? pending?.resume : nil
            let echoed = flush(into: &found)
            checkpoint = (echoed ? nil : open) ?? saved
        } else {
            let open = keepingOpenFailure ? pending?.resume : nil
            let echoed = flush(into: &found)
            checkpoint = (echoed ? nil : open) ?? position
        }
    }

    /// Adds bytes of the current line, matching each full piece of `maxLineBytes` as it fills.
    func appendToLine(_ bytes: UnsafeRawBufferPointer, into found: inout [Occurrence]) {
        var rest = bytes
        while !rest.isEmpty {
            let room = options.maxLineBytes - partial.count
            let take = min(room, rest.count)
            partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            if partial.count == options.maxLineBytes {
                if !lineSettled { partial.withUnsafeBytes { matchPiece($0, index: piecesDone, into: &found) } }
                piecesDone += 1
                partial.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Ends the current line at a newline.
    func endLine(into found: inout [Occurrence]) {
        if piecesDone == 0 {
            partial.append(0x0A)
            partial.withUnsafeBytes { scanLines($0, into: &found) }
        } else {
            if !lineSettled, !partial.isEmpty {
                partial.withUnsafeBytes { matchPiece($0, index: piecesDone, into: &found) }
            }
            lineStart += Int64(piecesDone * options.maxLineBytes + partial.count + 1)
            lines += 1
            lastLineCarry = .none  // nothing is carried over a line read in pieces
            lastLineFoldHead = nil
            lastLineTraced = false
            lastLineAnonymousClause = false
            settle()
        }
        partial.removeAll(keepingCapacity: true)
        piecesDone = 0
        lineSettled = false
    }

    /// After a whole line or region: a failure that no later line can join any more is handed out;
    /// the checkpoint moves to here, or stays before a failure still open.
    func settle() {
        if let resume = pending?.resume {
            checkpoint = resume
        } else {
            checkpoint = position
        }
    }

    // MARK: - Regions of complete lines

    /// Scans `region`, which starts at `lineStart` and ends with a newline.
    func scanLines(_ region: UnsafeRawBufferPointer, into found: inout [Occurrence]) {
        if eagerReference { return scanLinesEagerly(region, into: &found) }
        let n = region.count
        let base = region.baseAddress!
        let regionOffset = lineStart
        let regionLines = lines
        var cursor = 0  // `lastTimestamp` is the latest timestamp of the lines before `cursor`
        eagerEnd = 0
        ownUpdateMemo = nil
        defer { ownUpdateMemo = nil }
        // A command continued from the region before is finished first (its lines set the context).
        let carriedCommandEnd = finishOpenCommand(in: region)
        if carriedRecord != nil {
            lines = regionLines
            finishCarriedRecord(in: region, into: &found)
        }
        let commandStillOpen = openCommand
        resolvedThrough = carriedCommandEnd
        // The line after the open failure's last line or after a line with a rule's literal
        // (`lastRuleLine`), not yet read (`wrapNumber`): it may be the rest of a message a hard wrap
        // cut (`readWrappedLine`), with no literal of its own (-1: none).
        var wrapAt = pending?.lineEnd == regionLines || lastRuleLine == regionLines ? 0 : -1
        var wrapNumber = regionLines + 1
        /// Reads the line at `wrapAt`, and the lines after it while they join, when before `limit`;
        /// `candidate`: the line is a candidate that no rule is read on.
        func readWrapped(before limit: Int, candidate: Bool = false) {
            while wrapAt >= 0, wrapAt < limit {
                let from = wrapAt
                let end = base.distance(to: UnsafeRawPointer(memchr(base + from, 0x0A, n - from)!))
                wrapAt = -1
                // A line that cannot be a wrap's row by its own bytes (`wrapRow`: a record's stamp, a
                // tool's field, a message head) is left before anything else is read.
                let line = trimmingCR(UnsafeRawBufferPointer(rebasing: region[from..<end]))
                guard end - from <= Self.widestWrap, wrapRow(line) != nil else { return }
                lines = wrapNumber - 1
                lineStart = regionOffset + Int64(from)
                carrySource = carrySource(in: region, at: from)
                let joined = readWrappedLine(
                    line, number: wrapNumber,
                    candidateBefore: candidate || lastRuleLine == wrapNumber - 1, found: &found,
                    resolveTime: {
                        if from > cursor, let ts = latestTimestamp(in: region, from: cursor, to: from) {
                            lastTimestamp = ts
                        }
                        cursor = end + 1
                    }, lazy: (region, from))
                carrySource = .none
                if joined, pending?.lineEnd == wrapNumber, end + 1 < n {
                    wrapAt = end + 1
                    wrapNumber += 1
                }
            }
        }

        /// One candidate line: [start, end), end at its newline (the region ends with one), with
        /// `newlines` newlines before it in the region; `all` and `some` are the classes
        /// (`LiteralClass`) that all of its literals, and some of them, have.
        func candidate(_ start: Int, _ end: Int, _ newlines: Int, all: UInt8, some: UInt8) {
            readWrapped(before: start)
            // A candidate line that no rule is read on (a look-alike, a line of unknown-shape or
            // pipeline literals only) is read for a wrap as a line without literals is, after a line
            // with a rule's literal (not only those of unknown shapes or pipeline markers).
            let number = regionLines + newlines + 1
            let ruleLiteral = all & (LiteralClass.unknown | LiteralClass.pipeline) == 0
            if ruleLiteral { lastRuleLine = number }
            var readByRules = false  // set where `matchLine` reads the line
            defer {
                if wrapAt == start {
                    readWrapped(before: start + 1, candidate: true)
                } else if ruleLiteral, !readByRules, end - start <= Self.widestWrap,
                    wrapRow(trimmingCR(UnsafeRawBufferPointer(rebasing: region[start..<end]))) != nil
                {
                    // A rule's literal on a line no rule can fire on alone (`unexpected status: 401` /
                    // `Unauthorized` after a line of image references): it may be the rest of a
                    // message a wrap cut, read with the lines before it as `matchLine` reads a line
                    // it evaluates (`matchJoined`).
                    wrapAt = start
                    wrapNumber = number
                    readWrapped(before: start + 1, candidate: true)
                }
                // The line after such a line, or after the open failure's last line.
                if end + 1 < n, lastRuleLine == number || pending?.lineEnd == number {
                    wrapAt = end + 1
                    wrapNumber = number + 1
                }
            }
            // A line with only the literals unknown shapes need (`azurecr`, `aka.ms/acr`) and no
            // failure words — most of them: image references in pull logs — is left at once: no
            // rule can fire on it and it is no unknown shape.
            let unknownOnly = all & LiteralClass.unknown != 0 && end - start <= options.maxLineBytes
            if unknownOnly, !mayBeUnknownShape(in: region, start: start, end: end) { return }
            lines = regionLines + newlines
            lineStart = regionOffset + Int64(start)
            // A record of a line split in parts is matched joined with the other part.
            if end - start <= options.maxLineBytes, joinSplitRecord(in: region, start: start, end: end, into: &found) {
                return
            }
            let line = UnsafeRawBufferPointer(rebasing: region[start..<end])
            // Times are resolved only for lines that show a failure: walk back to the last timestamp.
            // A local function, not a closure value: its context stays on the stack (a closure
            // stored in a `let` was allocated on the heap for every candidate line: 3% of a scan).
            func resolveTime() {
                if start > cursor, let ts = latestTimestamp(in: region, from: cursor, to: start) { lastTimestamp = ts }
                cursor = end + 1
            }
            // A coloured line is matched without its escape sequences, its literals found again.
            if some & LiteralClass.ansi != 0, line.count <= options.maxLineBytes {
                Self.stripANSI(trimmingCR(line), into: &ansiLine)
                ansiLine.withUnsafeBytes { plain in
                    matcher.prefilter.presence(in: plain, into: &present)
                    guard !present.isEmpty else { return }
                    if present.isSubset(of: matcher.pipelineMask) {
                        pipelines = true
                    } else if present.isSubset(of: matcher.unknownMask) {
                        if options.collectsUnknowns, UnknownShape.hasFailureWords(plain) {
                            noteUnknownShape(plain, resolveTime: resolveTime, wordsFound: true)
                        }
                    } else {
                        wrapAt = -1
                        readByRules = true
                        carrySource = carrySource(in: region, at: start)
                        matchLine(plain, found: &found, resolveTime: resolveTime, lazy: (region, start))
                        carrySource = .none
                    }
                }
                return
            }
            if line.count <= options.maxLineBytes {
                // A line with only Azure Pipelines markers: no rule can fire and it is no unknown
                // shape; it only tells the producer. (A failure still pending is handed out at the
                // next candidate line or the region's end, in the same order.)
                if all & LiteralClass.pipeline != 0 {
                    pipelines = true
                    return
                }
                // A line with only the literals unknown shapes need (`azurecr`, `aka.ms/acr`): no rule
                // can fire, so it is only checked for an unknown shape (most hold no failure words).
                if unknownOnly {
                    syncPresent()
                    noteUnknownShape(trimmingCR(line), resolveTime: resolveTime, wordsFound: true)
                } else {
                    // Every hit of the line is known: the rules' strings are compared at them.
                    let lineSpots =
                        spotCount <= HitSpots.capacity ? UnsafeBufferPointer(start: spots, count: spotCount) : nil
                    // A look-alike (`user unauthorized to view invoice`): no rule can fire, told from
                    // the hits alone, and it holds nothing unknown shapes need. What `matchLine` does
                    // with such a line is only the pipeline flag (a failure still pending is handed
                    // out at the next line read or the region's end, in the same order).
                    if let lineSpots, some & LiteralClass.unknown == 0,
                        gates.cannotFire(trimmingCR(line), words: lineWords, spots: lineSpots)
                    {
                        if some & LiteralClass.pipeline != 0 { pipelines = true }
                        return
                    }
                    syncPresent()
                    wrapAt = -1
                    readByRules = true
                    carrySource = carrySource(in: region, at: start)
                    matchLine(
                        trimmingCR(line), found: &found, resolveTime: resolveTime, lazy: (region, start),
                        spots: lineSpots)
                    carrySource = .none
                }
            } else {
                wrapAt = -1
                readByRules = true
                resolveTime()
                resolveContext(in: region, upTo: start)
                carryACRLogin(in: region, before: start)
                // A line longer than a piece is matched piece by piece, as if it had come in a stream,
                // its registry context read as it goes.
                var pieceStart = 0
                var index = 0
                while pieceStart < line.count, !lineSettled {
                    let pieceEnd = min(pieceStart + options.maxLineBytes, line.count)
                    matchPiece(
                        UnsafeRawBufferPointer(rebasing: line[pieceStart..<pieceEnd]), index: index, into: &found)
                    pieceStart = pieceEnd
                    index += 1
                }
                lineSettled = false
                resolvedThrough = end + 1
                eagerEnd = end + 1
            }
        }

        // Every prefilter hit of the region in one pass; the hits of one line make its `present`.
        // Each hit comes with its line's start and the newlines before it (counted by the filter
        // as it passes, with AVX2 and AVX-512, which also find most lines' ends), and the pass ends with
        // the region's newlines.
        var lineBegin = 0
        var lineNewlines = 0
        var lineEnd = -1  // the newline of the candidate line being gathered, -1 before the first
        var lineAll: UInt8 = 0  // the classes of all its literals
        var lineSome: UInt8 = 0  // and of some
        let literalClass = self.literalClass
        var regionNewlines = acr_lines(newlines: 0, start: 0)
        matcher.prefilter.forEachHitBatch(in: region, into: hits, lines: &regionNewlines) { batch in
            for hit in batch {
                let at = Int(hit.start)
                let classes = literalClass[Int(hit.literal)]
                if at < lineEnd {
                    lineAll &= classes
                    lineSome |= classes
                    lineWords[Int(hit.literal) >> 6] |= 1 << UInt64(hit.literal & 63)
                    if spotCount < HitSpots.capacity {
                        spots[spotCount] = HitSpots.pack(literal: Int(hit.literal), position: at - lineBegin)
                    }
                    spotCount += 1
                    continue
                }
                if lineEnd >= 0 { candidate(lineBegin, lineEnd, lineNewlines, all: lineAll, some: lineSome) }
                lineAll = classes
                lineSome = classes
                lineBegin = Int(hit.line_start)
                lineNewlines = Int(hit.newlines)
                lineEnd =
                    hit.line_end != ACR_UNKNOWN_END
                    ? Int(hit.line_end) : base.distance(to: UnsafeRawPointer(memchr(base + at, 0x0A, n - at)!))
                clearLineWords()
                lineWords[Int(hit.literal) >> 6] |= 1 << UInt64(hit.literal & 63)
                spots[0] = HitSpots.pack(literal: Int(hit.literal), position: at - lineBegin)
                spotCount = 1
            }
        }
        if lineEnd >= 0 { candidate(lineBegin, lineEnd, lineNewlines, all: lineAll, some: lineSome) }
        readWrapped(before: n)
        lines = regionLines + Int(regionNewlines.newlines)
        keepRecentLines(region, last: lines)
        if n > cursor, let ts = latestTimestamp(in: region, from: cursor, to: n) { lastTimestamp = ts }
        resolveContext(in: region, upTo: n)
        carryOpenCommand(in: region, stillOpen: commandStillOpen)
        carryTraceback(in: region, regionOffset: regionOffset)
        carryPartialRecord(in: region, regionOffset: regionOffset)
        carryACRLogin(in: region, before: n)
        rememberLastLineCarry(region)
        lineStart = regionOffset + Int64(n)
        if let lineEnd = pending?.lineEnd, lines > lineEnd + PendingFailure.joinDistance,
            let event = pending.take()
        {
            emit(event, into: &found)
        }
        settle()
    }

    /// The bytes at the start of a line that its own timestamp is read from, on lines that are not
    /// candidates: the same for a line found whole in a chunk and for one streamed in pieces.
    var shapeWindow: Int { min(512, options.maxLineBytes) }

    /// The timestamp of the last line in `region[from..<to]` that has one; walks back line by line
    /// and usually stops at the first. `from` and `to` are line starts.
    func latestTimestamp(in region: UnsafeRawBufferPointer, from: Int, to: Int) -> Int64? {
        var end = to - 1  // the newline that ends the last line
        while end > from {
            let base = region.baseAddress!
            let start = lastNewline(base, from: from, to: end).map { $0 + 1 } ?? from
            let line = UnsafeRawBufferPointer(rebasing: region[start..<min(end, start + shapeWindow)])
            if let ts = LineShape.read(line, reference: options.reference).timestamp { return ts }
            end = start - 1
        }
        return nil
    }

    /// Matches one piece of a line longer than `maxLineBytes`; piece 0 starts the line.
    func matchPiece(_ piece: UnsafeRawBufferPointer, index: Int, into found: inout [Occurrence]) {
        if index == 0 {
            // A line read in pieces continues no command and ends no split record carried to it.
            closeOpenCommand()
            if let carried = carriedRecord {
                carriedRecord = nil
                if carried.candidate { matchCarriedAlone(carried, into: &found) }
            }
            pieceLineStart = position
        }
        if index == 0,
            let ts = LineShape.read(
                UnsafeRawBufferPointer(rebasing: piece.prefix(shapeWindow)), reference: options.reference
            ).timestamp
        {
            lastTimestamp = ts
        }
        // A secret flag at the end of this piece whose value starts the next is redacted there.
        defer { pieceCarry = Redactor.carry(afterPiece: piece, given: index == 0 ? .none : pieceCarry) }
        matcher.prefilter.presence(in: piece, into: &present)
        matcher.contextSet.presence(in: piece, into: &contextPresent)
        guard !present.isEmpty || !contextPresent.isEmpty else { return }
        let handedBefore = handedOut
        if index == 0 { pieceCarry = .none }
        carrySource = .carried(pieceCarry)
        let produced = matchLine(piece, atLineStart: index == 0, found: &found)
        carrySource = .none
        if produced { lineSettled = true }
        // An earlier failure handed out in the middle of a line that is still streaming in: the
        // checkpoint moves past it now (to this line, or the failure it opened), or a scan resumed
        // there would hand it out again.
        if handedOut > handedBefore { checkpoint = pending?.resume ?? pieceLineStart }
    }

    /// Where the redactor's carry for the line being matched comes from.
    enum CarrySource {
        case none
        /// The line before, in a region: the region and the start of the line being matched.
        case lineBefore(UnsafeRawBufferPointer, Int)
        /// Carried over the pieces of a long line.
        case carried(Redactor.Carry)
        /// The first line of a region: the carry of the region before's last line (`lastLineCarry`).
        case regionStart(Redactor.Carry)
    }

    /// The redactor's carry for the line being matched; computed only for failure lines.
    func excerptCarry() -> Redactor.Carry {
        switch carrySource {
        case .none: return .none
        case .carried(let carry), .regionStart(let carry): return carry
        case .lineBefore(let region, let start):
            if let memo = carryMemo, start > 0 {
                // The line before: [from, start - 1), without its CR; at `lineStart - start` in the stream.
                let base = region.baseAddress!
                let from = lastNewline(base, from: 0, to: start - 1).map { $0 + 1 } ?? 0
                var end = start - 1
                if end > from, region[end - 1] == 0x0D { end -= 1 }
                if memo.start == lineStart - Int64(start) + Int64(from), memo.count == end - from { return memo.carry }
            }
            return Self.carry(afterLineEndingAt: start - 1, in: region, maxLineBytes: options.maxLineBytes)
        }
    }

    /// The excerpt of the failure line `line` (at `lineStart`) for a failure of `type`, redacted
    /// with the carry of the line before; remembers the carry after it (`carryMemo`) when the
    /// redaction read the whole line. When packing into a batch, a line that the line before
    /// leaves no carry for is not redacted here: what makes its excerpt goes to the batch, for
    /// the store's thread (`UnfinishedExcerpt`), into `unfinishedExcerpt` until it is packed.
    func failureExcerpt(_ line: UnsafeRawBufferPointer, type: ErrorType?) -> PendingExcerpt {
        let focus = ExcerptFocus.position(of: type, in: line)
        let carry: Redactor.Carry
        if packing, defersExcerpts {
            // The line before is the last unfinished excerpt's (every line a failure): the store
            // reads its carry there, the scanner does not read the line again.
            if let context = unfinishedLineBefore(),
                UnfinishedExcerpt.encode(line, focus: focus, into: &unfinishedExcerpt)
            {
                noteUnfinished(line)
                return .unfinished(context: context)
            }
            carry = excerptCarry()
            if carry == .none, UnfinishedExcerpt.encode(line, focus: focus, into: &unfinishedExcerpt) {
                noteUnfinished(line)
                return .unfinished(context: OccurrenceBatch.none)
            }
        } else {
            carry = excerptCarry()
        }
        var after: Redactor.Carry?
        let text = Redactor.excerpt(line, carry: carry, focus: focus, after: &after)
        switch carrySource {
        case .lineBefore, .carried, .regionStart:
            if let after { carryMemo = (lineStart, line.count, after) }
        case .none: break
        }
        return .text(text)
    }

    /// The value id of the unfinished excerpt packed last, when its line is the one right before
    /// the line being matched in its region (the same start and length, as `excerptCarry` tells
    /// its memo): the carry of the line being matched is what that line leaves.
    func unfinishedLineBefore() -> UInt32? {
        guard let last = lastUnfinished, case .lineBefore(let region, let start) = carrySource, start > 0 else {
            return nil
        }
        let from = lastNewline(region.baseAddress!, from: 0, to: start - 1).map { $0 + 1 } ?? 0
        var end = start - 1
        if end > from, region[end - 1] == 0x0D { end -= 1 }
        guard last.start == lineStart - Int64(start) + Int64(from), last.count == end - from else { return nil }
        return last.id
    }

    /// Notes the line whose unfinished excerpt `unfinishedExcerpt` now holds: kept whole, and the
    /// region's own bytes at the line's start (not a line without its colours, nor a joined record)?
    func noteUnfinished(_ line: UnsafeRawBufferPointer) {
        var whole = false
        if case .lineBefore(let region, let start) = carrySource, line.count <= Redactor.window,
            line.baseAddress == region.baseAddress.map({ $0 + start })
        {
            whole = true
        }
        unfinishedLine = (lineStart, line.count, whole)
    }

    /// At the end of a packing call, before the batch is given back (its value ids mean nothing
    /// in the next one): the open failure's unfinished excerpt takes the carry of its context
    /// now, redacted here if there is one.
    func settleExcerptContext() {
        lastUnfinished = nil
        guard case .unfinished(let context)? = pending?.excerpt, context != OccurrenceBatch.none else { return }
        let carry = packed.withBody(of: context) { UnfinishedExcerpt.carry(after: $0) }
        if carry == .none {
            pending?.excerpt = .unfinished(context: OccurrenceBatch.none)
        } else {
            let text = unfinishedExcerpt.withUnsafeBytes {
                UnfinishedExcerpt.redact(UnsafeRawBufferPointer(rebasing: $0.dropFirst()), carry: carry)
            }
            pending?.excerpt = .text(text)
        }
    }

    /// Where the carry of the line starting at `start` of `region` comes from: the line before it
    /// in the region, or the last line of the region before (`lastLineCarry`).
    func carrySource(in region: UnsafeRawBufferPointer, at start: Int) -> CarrySource {
        start > 0 ? .lineBefore(region, start) : .regionStart(lastLineCarry)
    }

    /// Keeps the carry of the region's last line for a failure at the start of the next region,
    /// whatever the chunking. O(one line), once per region.
    func rememberLastLineCarry(_ region: UnsafeRawBufferPointer) {
        lastLineTraced = Self.isTracedResponseHeader(
            lineEndingAt: region.count - 1, in: region, maxLineBytes: options.maxLineBytes)
        lastLineAnonymousClause = Self.breaksAfterAnonymousTokenClause(
            lineEndingAt: region.count - 1, in: region, maxLineBytes: options.maxLineBytes)
        // The line is kept (a copy of about a hundred bytes), its carry and fold head read only if
        // asked: the redactor's structure of every region's last line was 0.5-0.7% of a scan.
        let newline = region.count - 1
        let start = newline > 0 ? lastNewline(region.baseAddress!, from: 0, to: newline).map { $0 + 1 } ?? 0 : 0
        guard newline >= 0, newline - start <= options.maxLineBytes else {
            // What both reads give for a line longer than a piece (or no line).
            lastLineCarryKnown = Redactor.Carry.none
            lastLineFoldHeadKnown = .some(nil)
            return
        }
        lastLine.removeAll(keepingCapacity: true)
        lastLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: region[start...]))
        lastLineCarryKnown = nil
        lastLineFoldHeadKnown = nil
    }

    /// The redactor's carry after the line whose newline is at `newline` in `region`; none after a
    /// line longer than a piece (its pieces carry their own).
    static func carry(afterLineEndingAt newline: Int, in region: UnsafeRawBufferPointer, maxLineBytes: Int)
        -> Redactor.Carry
    {
        // 0 <= newline < region.count: region[newline] is the newline that ends the line.
        let start = lastNewline(region.baseAddress!, from: 0, to: newline).map { $0 + 1 } ?? 0
        guard newline - start <= maxLineBytes else { return .none }
        let line = UnsafeRawBufferPointer(rebasing: region[start..<newline])
        return Redactor.carry(afterLine: line.last == 0x0D ? UnsafeRawBufferPointer(rebasing: line.dropLast()) : line)
    }

    @inline(__always)
    func trimmingCR(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        line.last == 0x0D ? UnsafeRawBufferPointer(start: line.baseAddress, count: line.count - 1) : line
    }

    // MARK: - One candidate line

    /// Reads one candidate line at `lineStart` (line number `lines + 1`), whose prefilter literals
    /// are `present`: the failure it shows, if any. `resolveTime` brings `lastTimestamp` up to the
    /// line's start; it is called only when a rule fires. With `lazy` (the line at `start` in
    /// `region`), the registry context is resolved only if the line opens a failure; without it (a
    /// piece of a long line, `contextPresent` set), the line's context is read here as it comes.
    /// Returns whether the line started or joined a failure.
    @discardableResult
    func matchLine(
        _ line: UnsafeRawBufferPointer, atLineStart: Bool = true, found: inout [Occurrence],
        resolveTime: () -> Void = {},
        lazy: (region: UnsafeRawBufferPointer, start: Int)? = nil, spots: UnsafeBufferPointer<UInt64>? = nil
    ) -> Bool {
        let number = lines + 1
        if let lineEnd = pending?.lineEnd, number > lineEnd + PendingFailure.joinDistance,
            let event = pending.take()
        {
            emit(event, into: &found)
        }
        if present.intersects(matcher.pipelineMask) { pipelines = true }
        var verdict = matcher.evaluate(line, present: present, spots: spots)
        // A status on a continuation line of a folded message (YAML's folded scalars, a message
        // broken over indented lines) takes the topic and the registry from the message's first line.
        var carriedMention: RegistryMention?
        // (An unindented line continues nothing: the line before is read only for indented ones.)
        if verdict == nil, atLineStart, present.intersects(matcher.topicRuleMask),
            continues(line, deeperThan: 0, number: number), let head = foldedHead(),
            continues(line, head, number: number)
        {
            verdict = matcher.evaluate(line, present: present, topicCarried: true, spots: spots)
            if verdict != nil { carriedMention = head.mention }
        }
        // A message broken by hand or by a viewer after its anonymous-token clause (`failed to fetch
        // anonymous token: ` ending the line before, the 401 on this one): the clause types the
        // status as an unbroken line's words would (round 17).
        if verdict?.type == .unauthorized, atLineStart, followsAnonymousTokenClause() { verdict?.type = .anonymousPull }
        // Read eagerly: what the line says about the registry context, and the `az acr login` command.
        let eagerUpdate =
            lazy == nil && !contextPresent.isEmpty
            ? contextUpdate(of: line, loginServer: contextPresent.contains(matcher.contextLoginServer)) : nil
        defer { if let eagerUpdate { context = eagerUpdate } }
        if lazy == nil, verdict == nil, !contextPresent.isEmpty, line.firstIndex(of: Self.acrLoginCommand) != nil {
            acrLoginLine = number
        }

        // The rest of the failure open on the line before, cut there by a hard wrap
        // (`OccurrenceScanner+Wrap.swift`); a line that continues the line before read with it.
        if atLineStart, !readingJoined, !present.isEmpty {
            // (A line on which no rule fires is looked at for an unknown shape all the same.)
            if pending?.lineEnd == number - 1 {
                if verdict == nil, joinWrapped(line, number: number, own: nil) {
                    noteUnknownShape(line, resolveTime: resolveTime)
                    return true
                }
            } else if matchJoined(
                line, number: number, own: verdict, found: &found, resolveTime: resolveTime, lazy: lazy)
                == true
            {
                if verdict == nil { noteUnknownShape(line, resolveTime: resolveTime) }
                return true
            }
        }
        guard let verdict else {
            if atLineStart { noteUnknownShape(line, resolveTime: resolveTime) }
            return false
        }
        // A line a rule fired on: the line after it, if it has no literal, may be its message's rest
        // (`readWrappedLine`).
        if atLineStart, !readingJoined { lastRuleLine = number }
        if verdict.tracebackHead { tracebackHead = (number, lineStart, false) }
        resolveTime()
        var before = position
        let shape = atLineStart ? LineShape.read(line, reference: options.reference, embedded: true) : LineShape()
        if let ts = shape.timestamp { lastTimestamp = ts }
        // A login server is looked for once, and only on lines that hold "azurecr" (any fired line
        // when the prefilter does not carry it: `Matcher.withoutUnknownShapes`); a folded message's
        // continuation line takes its first line's (`carriedMention`).
        let searched = !matcher.loginServerInPrefilter || present.intersects(matcher.loginServerMask)
        var ownMention = searched ? RegistryParser.firstMention(in: line) : nil
        // A host that a hard wrap cut at the line's start: its first piece ends the line before (for
        // lines read as one, `matchJoined`, the line before the first of them).
        if atLineStart {
            ownMention = RegistryParser.rejoinCutHost(ownMention, row: line, narrowest: Self.narrowestWrap) {
                readingJoined ? wrapHead.flatMap { lineBefore($0)?.bytes } : previousLine(number: number)?.bytes
            }
        }
        // An object named after a login server names the registry of words that are ACR's own, and
        // is no evidence for any others (`RegistryMention.objectName`, round 13).
        if ownMention?.objectName == true, !verdict.acrByNature { ownMention = nil }
        let mention = ownMention ?? carriedMention
        // Another registry's failure — unless the words are ACR's own (a firewall refusal through a
        // custom domain in front of ACR names that domain, and still links aka.ms/acr).
        // One pass for the strings of the fields and of `isACRText` (`Fields.presence`).
        let fieldsPresent = Fields.presence(in: line)
        let acrText = Fields.isACRText(line, present: fieldsPresent)
        if let mention {
            if let name = mention.name, RegistryParser.publicRegistries.contains(name) { return false }
        } else if !acrText, !verdict.acrByNature, Fields.isForeign(line) {
            return false
        } else if case .other? = RegistryParser.sentenceRegistry(in: line) {
            // A platform's `… for container registry HOST` naming another registry (matcher 12).
            return false
        }
        var evidence = LineEvidence(verdict: verdict, mention: mention, aka: acrText)
        if mention == nil, !Fields.hasDistributionDetail(line) {
            let placeholder = Fields.placeholderRegistry(in: line)
            evidence.masked = placeholder == .bicep || Fields.hasMaskedRegistry(line)
            evidence.placeholder = !evidence.masked && placeholder == .person
        }
        // The line's own login server, found above, is the one the context update would look for.
        let update = lazy == nil ? eagerUpdate : ownContextUpdate(of: line, mention: searched ? .some(ownMention) : nil)
        // Kept for the context search before the next failure, once this line's own is done.
        let memo = lazy.flatMap { lazy in
            line.baseAddress == lazy.region.baseAddress.map({ $0 + lazy.start }) ? (lazy.start, update) : nil
        }
        defer { if let memo { ownUpdateMemo = memo } }
        // An import's relayed refusal names its target in its resource id; the refusal is the source's
        // (`Rule.vetoesUnlessFollowed`, round 13): the registry comes from the import command.
        if case .acr = update, line.firstIndex(of: RegistryParser.importRelay) == nil { evidence.named = update }
        evidence.status = Fields.status(in: line, present: fieldsPresent)
        evidence.code = Fields.code(in: line, present: fieldsPresent)
        evidence.attempts = Fields.attempts(in: line)
        if verdict.type == .aadCredential || verdict.type == .identityPermission {
            evidence.identity = Fields.identity(in: line)
        }
        if verdict.type == .ipNotAllowed { evidence.clientIP = Fields.clientIP(in: line) }

        // A later line of the open failure (`PendingFailure.joins`), read and joined where it lies
        // (`pending?.…`): a copy of the open failure retains and releases each of its values.
        if pending?.joins(
            line, number: number, mention: mention, verdict: verdict,
            excerpt: { failureExcerpt(line, type: verdict.type) }, evidence: evidence) == true
        {
            keepWrap(line, number: number, wrapped: false)
            return true
        }
        // (A line with its own stamp or producer's prefix continues no wrap: `continuesWrap`.)
        if atLineStart, !readingJoined, shape.timestamp == nil, shape.producer == nil,
            joinWrapped(line, number: number, own: evidence)
        {
            return true
        }
        if let event = pending.take() { emit(event, into: &found) }
        // A line that only continues a failure opens one of its own only right after the
        // `az acr login` command whose tool it quotes (older CLIs print no code of their own).
        let afterLogin =
            verdict.evidence == .afterACRLogin
            && {
                if let lazy { return recentACRLogin(in: lazy.region, before: lazy.start, number: number) }
                return acrLoginLine.map { number - $0 <= 2 } == true
            }()
        guard verdict.opens || afterLogin else { return false }
        // The body of a response that curl -v traced (`< HTTP/1.1 401 …`, its headers, `<`): the
        // login challenge printed in full, not a failure (FIELD-NOTES; fleet check, matcher 11).
        if atLineStart, Self.opensErrorBody(line), followsTracedResponse() { return false }
        if let lazy {
            resolveContext(in: lazy.region, upTo: lazy.start)
            before.context = context
        }
        var producer = shape.producer ?? evidence.impliedProducer
        if producer == .githubActions, pipelines { producer = .azurePipelines }
        pending = PendingFailure(
            first: evidence, line: number, offset: lineStart, timestamp: lastTimestamp,
            ownTimestamp: shape.timestamp != nil, producer: producer,
            context: before.context, excerpt: failureExcerpt(line, type: verdict.type),
            resume: before)
        keepWrap(line, number: number, wrapped: false)
        pending?.afterLogin = afterLogin
        if verdict.pythonException { pending?.afterTraceback = followsACRTraceback(number: number, lazy: lazy) }
        pending?.form = Fields.form(of: line)
        if shape.timestamp == nil, atLineStart { pending?.uptime = Fields.logrusUptime(line) }
        pending?.edges = LineEdges(line)
        pendingTail.keep(line)
        pending?.annotation = Fields.isAnnotation(line, present: fieldsPresent)
        if shape.timestamp == nil, atLineStart {
            // An indented line without its own time continues the stamped line above it (klog's
            // `err=<` block): that time is its own message's (`EchoMemory.stamped`).
            let (prefix, body) = Self.indentation(of: line)
            pending?.indented = body > prefix
        }
        return true
    }

    /// Looks at a line on which no rule fired (its prefilter literals are `present`) for an unknown
    /// shape: a login server or ACR's own words, and failure words.
    /// `wordsFound`: `mayBeUnknownShape(line)` was true already.
    func noteUnknownShape(_ line: UnsafeRawBufferPointer, resolveTime: () -> Void, wordsFound: Bool = false) {
        guard options.collectsUnknowns else { return }
        guard present.intersects(matcher.unknownMask), unknowns.count < Self.maxPendingUnknowns,
            wordsFound || UnknownShape.hasFailureWords(line, words: failureWords), !matcher.dismisses(line),
            !matcher.isOtherFailure(line)
        else { return }
        let mention =
            present.intersects(matcher.loginServerMask) ? RegistryParser.firstMention(in: line, details: false) : nil
        if mention != nil || Fields.isACRText(line) { noteUnknown(line, mention: mention, resolveTime: resolveTime) }
    }

    /// Whether a line with only the literals unknown shapes need is worth reading: unknown shapes
    /// are collected and it holds failure words (a carriage return before its newline changes
    /// nothing: it is no digit and no word). The line `region[start..<end]` is searched where it
    /// lies, reading on into the region (`LiteralSet.containsWord`).
    @inline(__always)
    func mayBeUnknownShape(in region: UnsafeRawBufferPointer, start: Int, end: Int) -> Bool {
        options.collectsUnknowns && failureWords.containsWord(in: region, start: start, end: end)
    }

    /// Keeps `line` as an unknown candidate (it holds failure words, carries ACR evidence, no rule
    /// fired and no look-alike rule dismisses it), unless it names one of Microsoft's public
    /// registries. Rare: only lines with a login server or ACR's own words get here, and few of
    /// those hold failure words.
    func noteUnknown(_ line: UnsafeRawBufferPointer, mention: RegistryMention?, resolveTime: () -> Void) {
        guard options.collectsUnknowns else { return }
        if let name = mention?.name, RegistryParser.publicRegistries.contains(name) { return }
        let shape = LineShape.read(line, reference: options.reference, embedded: true)
        // The time of the lines before is read only for a line without its own.
        if shape.timestamp == nil { resolveTime() }
        // A shape printed thousands of times (a pod's pull loop) is redacted and templated only for
        // its first few examples: later lines with the same bytes but for digits take its template
        // and carry no excerpt (the store keeps a few examples per template, never an empty one).
        let form = UnknownShape.formKey(line)
        var excerpt = ""
        let template: String
        let key: UInt64
        let known = shapeCache[form]
        if let known, known.examples >= UnknownShape.examplesPerShape {
            template = known.template
            key = known.key
        } else {
            excerpt = Redactor.excerpt(line)
            template = known?.template ?? UnknownShape.template(of: excerpt)
            key = known?.key ?? UnknownShape.key(template)
            if known != nil || shapeCache.count < Self.maxShapeCache {
                shapeCache[form] = (template, key, (known?.examples ?? 0) + 1)
            }
        }
        unknowns.append(
            UnknownCandidate(
                template: template, templateKey: key, registry: mention?.name,
                timestamp: shape.timestamp ?? lastTimestamp, line: lines + 1, offset: lineStart,
                producer: shape.producer ?? .plain, excerpt: excerpt))
    }

    /// Hands out a finished failure, unless it turns out not to be one (a 5xx token step, no ACR
    /// evidence) or it is an echo of the failure just before it: the same failure re-reported in
    /// another form within `PendingFailure.echoDistance` lines — a CI annotation of the tool's line (not
    /// of another annotation: a task that annotates every line of the tool's stderr, `##[error]` on
    /// each, re-reports nothing; wrappers check, matcher 10; printed with it, not seconds later: fleet
    /// check, matcher 11), a second logger within a second (both lines stamped with their own time,
    /// or the first an indented continuation of a stamped line: klog's `err=<` block, matcher 11), or
    /// a summary that ends with the same error under another lead (`LineEdges`, matcher version 10).
    /// A plain line after an annotation is no echo of it (the annotation is the echo of the line
    /// before: a retry loop under a problem matcher prints tool line, annotation, tool line; matcher
    /// 11); a task that annotates every line (`##[error]` on each) is read as before. The
    /// identical text printed again is a retry and counts, even within the same second.
    /// Returns whether the failure was left out as an echo.
    @discardableResult
    func emit(_ event: consuming PendingFailure, into found: inout [Occurrence]) -> Bool {
        let form = event.form
        let ownTimestamp = event.ownTimestamp
        let indented = event.indented
        let edges = event.edges
        let annotation = event.annotation
        let uptime = event.uptime
        guard let (type, registry) = event.outcome() else { return false }
        let key = EchoKey(
            type: type, registry: registry, repository: event.mention?.repository, timestamp: event.timestamp)
        let echo = EchoMemory(
            key: key, line: event.lineEnd, form: form, stamped: ownTimestamp || indented,
            edges: edges, annotation: annotation, uptime: uptime)
        defer {
            lastEmitted = echo
            swap(&pendingTail, &emittedTail)
        }
        // A plain line after an annotation: the annotation echoed the line before it, not this one.
        let afterAnnotation = lastEmitted?.annotation == true && !annotation
        if let last = lastEmitted, last.key.sameFailure(as: key),
            event.line - last.line <= PendingFailure.echoDistance,
            last.form != form,
            (annotation && !last.annotation && !(ownTimestamp && last.stamped && last.key.apart(from: key)))
                || (!afterAnnotation && ownTimestamp && last.stamped && last.key.close(to: key))
                || (!afterAnnotation && Self.close(uptime, last.uptime))
                || (!afterAnnotation && !(ownTimestamp && last.stamped && !last.key.close(to: key))
                    && last.edges.reports(again: edges, tail: emittedTail, laterTail: pendingTail))
        {
            return true
        }
        handedOut += 1
        if packing {
            event.pack(into: &packed, type: type, registry: registry, unfinished: unfinishedExcerpt)
            if case .unfinished = event.excerpt, unfinishedLine.whole, let record = packed.records.last {
                lastUnfinished = (unfinishedLine.start, unfinishedLine.count, record.excerpt)
            }
        } else {
            found.append(event.occurrence(type: type, registry: registry, unfinished: unfinishedExcerpt))
        }
        return false
    }

    /// Whether two logrus short-form lines (`INFO[0124]`, `ERRO[0124]`: seconds since the daemon
    /// started) were written less than two seconds apart: a second logger's line, as two stamped
    /// lines less than a second apart are (dockerd's `Error logging in to endpoint` before its
    /// `Handler for POST /auth returned error`: second fleet check, matcher 14).
    static func close(_ a: Int?, _ b: Int?) -> Bool {
        guard let a, let b else { return false }
        return abs(a - b) <= 1
    }

    /// Hands out the failure still open; returns whether it was left out as an echo.
    @discardableResult
    func flush(into found: inout [Occurrence]) -> Bool {
        if let event = pending.take() { return emit(event, into: &found) }
        return false
    }
}

/// What identifies the same failure reported twice.
struct EchoKey: Equatable {
    let type: ErrorType, registry: String?, repository: String?, second: Int64?, millisecond: Int64?
    init(type: ErrorType, registry: String?, repository: String?, timestamp: Int64?) {
        self.type = type
        self.registry = registry
        self.repository = repository
        second = timestamp.map { $0 / 1000 }
        millisecond = timestamp
    }

    /// Whether a second logger's line is close enough to be the same report: less than a second apart,
    /// so that one written right after the first across a second boundary (`…28.999`, `…29.000`) is
    /// still an echo (sweep workflow check); without times, the same (unknown) second.
    func close(to other: EchoKey) -> Bool {
        guard let a = millisecond, let b = other.millisecond else { return second == other.second }
        return abs(a - b) < 1000
    }

    /// Whether the two were printed more than a second apart: an annotation printed with the tool's
    /// line is stamped in the same second (or the next); one printed later is a step's own report.
    func apart(from other: EchoKey) -> Bool {
        guard let a = second, let b = other.second else { return false }
        return abs(a - b) > 1
    }

    /// The same type, and no registry or repository that tells them apart (an annotation often
    /// leaves out what the tool's line named).
    func sameFailure(as other: EchoKey) -> Bool {
        type == other.type && (registry == other.registry || registry == nil || other.registry == nil)
            && (repository == other.repository || repository == nil || other.repository == nil)
    }
}

/// The last failure handed out, as the echo rule needs it.
struct EchoMemory {
    let key: EchoKey
    /// Its last line.
    let line: Int
    /// Its first line's text without digits.
    let form: UInt64
    /// Whether its first line carried its own time.
    let stamped: Bool
    /// Its first line's edges (`LineEdges`).
    let edges: LineEdges
    /// Whether its first line was a CI annotation (`##[error]…`).
    let annotation: Bool
    /// Its first line's logrus short-form seconds since start (`PendingFailure.uptime`).
    let uptime: Int?
}

/// The classes of prefilter literals that the candidate loop tells a line by
/// (`OccurrenceScanner.literalClass`), as bits.
enum LiteralClass {
    /// A literal that unknown shapes need (`Matcher.unknownMask`).
    static let unknown: UInt8 = 1
    /// An Azure Pipelines marker (`Matcher.pipelineMask`).
    static let pipeline: UInt8 = 2
    /// An ANSI escape sequence's start (`Matcher.ansiMask`).
    static let ansi: UInt8 = 4
}
