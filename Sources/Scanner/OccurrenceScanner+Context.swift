import LogModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The registry context, resolved lazily (issue 11).
///
/// What a line says about the registry context (`contextUpdate`) depends on that line alone, and the
/// context at a line is the update of the last earlier line that has one. So the context anchors
/// are not in the prefilter: a region's lines are read for their context only where it is needed —
/// before a failure that opens (its `PendingFailure.context` and resume point) and at the end of the region
/// (the checkpoint, and the context carried into the next region) — by searching the context anchors
/// backwards from there, in growing windows of whole lines, down to the last resolved point, and
/// stopping at the first line (from the end) whose update is not nil. The `az acr login` command
/// that a Docker client failure may follow is looked for on the two lines before that failure only.
/// `LazyContextTests` compare this with reading every line eagerly.
extension OccurrenceScanner {
    /// Brings `context` up to the line that starts at `target` in `region` (or its end).
    func resolveContext(in region: UnsafeRawBufferPointer, upTo target: Int) {
        guard target > resolvedThrough else { return }
        let base = region.baseAddress!
        var end = target
        var window = contextWindow
        while end > resolvedThrough {
            var begin = resolvedThrough
            if end - resolvedThrough > window, let newline = lastNewline(base, from: resolvedThrough, to: end - window)
            {
                begin = newline + 1
            }
            if let update = lastUpdate(in: region, from: begin, to: end) {
                context = update
                break
            }
            end = begin
            window *= 2
        }
        resolvedThrough = target
    }

    /// The update of the last line in `region[from..<to]` (whole lines) that has one. When the
    /// first of those lines is the failure line read last (`ownUpdateMemo`), its update is taken
    /// from there and only the lines after it are searched.
    func lastUpdate(in region: UnsafeRawBufferPointer, from: Int, to: Int) -> RegistryContext? {
        let base = region.baseAddress!
        if let memo = ownUpdateMemo, memo.start == from, from < to {
            let newline = base.distance(to: UnsafeRawPointer(memchr(base + from, 0x0A, to - from)!))
            if newline + 1 < to, let later = searchUpdate(in: region, from: newline + 1, to: to) { return later }
            return memo.update
        }
        return searchUpdate(in: region, from: from, to: to)
    }

    /// `lastUpdate` by reading the lines: the context anchors searched in one pass, then the lines
    /// that hold one read from the last.
    func searchUpdate(in region: UnsafeRawBufferPointer, from: Int, to: Int) -> RegistryContext? {
        let base = region.baseAddress!
        let loginServer = UInt32(matcher.contextLoginServer)
        contextLines.removeAll(keepingCapacity: true)
        var lineEnd = -1
        matcher.contextSet.forEachHitBatch(
            in: UnsafeRawBufferPointer(rebasing: region[..<to]), from: from, into: contextHits
        ) { batch in
            for hit in batch {
                let at = Int(hit.start)
                if at < lineEnd {
                    if hit.literal == loginServer { contextLines[contextLines.count - 1] = 1 }
                    continue
                }
                let lower = max(from, lineEnd + 1)
                let start = lastNewline(base, from: lower, to: at).map { $0 + 1 } ?? lower
                lineEnd = base.distance(to: UnsafeRawPointer(memchr(base + at, 0x0A, to - at)!))
                contextLines.append(start)
                contextLines.append(lineEnd)
                contextLines.append(hit.literal == loginServer ? 1 : 0)
            }
        }
        var i = contextLines.count
        while i > 0 {
            i -= 3
            // A line of a command continued over lines: the joined command's update (matcher 12).
            switch continuedCommandUpdate(in: region, lineStart: contextLines[i], lineEnd: contextLines[i + 1]) {
            case .some(.some(let update)): return update
            case .some(nil): continue
            case nil: break
            }
            let start = contextLines[i]
            let line = UnsafeRawBufferPointer(rebasing: region[start..<contextLines[i + 1]])
            // A login server at the line's start may be the rest of a host a hard wrap cut on the
            // line before (`RegistryParser.rejoinCutHost`), read only then; a line that starts the
            // region is taken as written.
            let update = lineUpdate(of: line, loginServer: contextLines[i + 2] == 1) {
                start > 0 ? lineBefore(.region(region, start: start))?.bytes : nil
            }
            if let update { return update }
        }
        return nil
    }

    /// The update of a whole line (without its newline) that holds a context anchor: a line longer
    /// than a piece is read piece by piece, as `matchPiece` reads it, and its last update counts.
    func lineUpdate(
        of line: UnsafeRawBufferPointer, loginServer: Bool, rowBefore: () -> UnsafeRawBufferPointer? = { nil }
    ) -> RegistryContext? {
        let size = options.maxLineBytes
        if line.count <= size {
            return contextUpdate(of: trimmingCR(line), loginServer: loginServer, rowBefore: rowBefore)
        }
        var index = (line.count - 1) / size
        while index >= 0 {
            let piece = UnsafeRawBufferPointer(rebasing: line[(index * size)..<min(line.count, (index + 1) * size)])
            matcher.contextSet.presence(in: piece, into: &contextPresent)
            if !contextPresent.isEmpty,
                let update = contextUpdate(of: piece, loginServer: contextPresent.contains(matcher.contextLoginServer))
            {
                return update
            }
            index -= 1
        }
        return nil
    }

    /// What a line that holds a context anchor says about the registry context, or nil: the
    /// target of a push or pull, else its ACR login server, else an `az acr` command, an ARM id,
    /// a login to another registry (`RegistryParser.context(withoutLoginServer:)`).
    /// `mention`, when given, is `RegistryParser.firstMention(in: line)` (nil inside when the line
    /// has none), found already: its name is the one looked for here.
    /// `rowBefore` reads the line before (none by default), for a login server that starts the line
    /// (`RegistryParser.rejoinCutHost`).
    @inline(__always)
    func contextUpdate(
        of line: UnsafeRawBufferPointer, loginServer: Bool, mention known: RegistryMention?? = nil,
        rowBefore: () -> UnsafeRawBufferPointer? = { nil }
    ) -> RegistryContext? {
        if let target = RegistryParser.pushPullTarget(in: line) { return target }
        // `az acr import … --source SRC.azurecr.io/app:1`: the source's login server names the registry
        // that a refusal relayed by the import is from, even after a target written as a login server
        // (`--name TARGET.azurecr.io`; round 13).
        if loginServer, let source = RegistryParser.importSource(in: line) { return .acr(source.name) }
        if loginServer, let found = known ?? RegistryParser.firstMention(in: line, details: false) {
            let mention =
                known == nil
                ? RegistryParser.rejoinCutHost(found, row: line, narrowest: Self.narrowestWrap, rowBefore: rowBefore)
                : found
            return .acr(mention?.name)
        }
        return RegistryParser.context(withoutLoginServer: line)
    }

    /// The update of a failure line itself (it names its own registry that way); `mention` as in
    /// `contextUpdate`.
    func ownContextUpdate(of line: UnsafeRawBufferPointer, mention: RegistryMention?? = nil) -> RegistryContext? {
        matcher.contextSet.presence(in: line, into: &contextPresent)
        guard !contextPresent.isEmpty else { return nil }
        return contextUpdate(
            of: line, loginServer: contextPresent.contains(matcher.contextLoginServer), mention: mention)
    }

    // MARK: - The `az acr login` command

    /// Whether one of the two lines before line `number` (which starts at `start` in `region`) is an
    /// `az acr login` command, as `acrLoginLine` would say had every line been read. A CI runner's
    /// details of the step between them (GitHub Actions' echo of the script, `shell:`, `env:` and its
    /// entries, `##[endgroup]`: `isStepDetail`) are not counted, within `maxLoginLookBack` lines
    /// (matcher 12: the Docker client's failure under `##[group]Run az acr login --name X`).
    func recentACRLogin(in region: UnsafeRawBufferPointer, before start: Int, number: Int) -> Bool {
        if let line = acrLoginLine, number - line <= 2 { return true }
        let base = region.baseAddress!
        var end = start
        var significant = 0
        var skipped = 0
        for _ in 1...Self.maxLoginLookBack {
            // Lines before `eagerEnd` were read whole, or lie in earlier regions: `acrLoginLine` has them.
            guard end > eagerEnd else { break }
            let newline = end - 1
            let lineStart = lastNewline(base, from: eagerEnd, to: newline).map { $0 + 1 } ?? eagerEnd
            let line = UnsafeRawBufferPointer(rebasing: region[lineStart..<newline])
            if isACRLogin(line) { return true }
            if isStepDetail(line) {
                skipped += 1
            } else {
                significant += 1
                if significant >= 2 { return false }
            }
            end = lineStart
        }
        if end <= eagerEnd, let line = acrLoginLine, number - skipped - line <= 2 { return true }
        return false
    }

    /// How many lines back `recentACRLogin` reads at most.
    static let maxLoginLookBack = 12

    /// Before `end` (a line start, or the region's end), where `lines` lines have been counted:
    /// `acrLoginLine` takes the last `az acr login` command of the two lines before (an earlier one
    /// can no longer be within two lines of a failure), moved on by the step details after it
    /// (`recentACRLogin`). At the end of each region, and before a long line that is read eagerly.
    func carryACRLogin(in region: UnsafeRawBufferPointer, before end: Int) {
        let base = region.baseAddress!
        var end = end
        var number = lines
        var significant = 0
        var skipped = 0
        for _ in 1...Self.maxLoginLookBack {
            guard end > eagerEnd else {
                // The whole region read back: a command before it stays as near as the step details
                // after it leave it.
                if let line = acrLoginLine { acrLoginLine = line + skipped }
                return
            }
            let newline = end - 1
            let lineStart = lastNewline(base, from: eagerEnd, to: newline).map { $0 + 1 } ?? eagerEnd
            let line = UnsafeRawBufferPointer(rebasing: region[lineStart..<newline])
            if isACRLogin(line) {
                acrLoginLine = number + skipped
                return
            }
            if isStepDetail(line) {
                skipped += 1
            } else {
                significant += 1
                if significant >= 2 { return }
            }
            end = lineStart
            number -= 1
        }
    }

    static let stepDetails: [[UInt8]] = ["##[endgroup]", "shell: ", "env:"].map { Array($0.utf8) }

    /// Whether the line is a CI runner's detail of the step it runs, not the step's output: GitHub
    /// Actions' `##[endgroup]`, `shell: …`, `env:` and its `  NAME: value` entries, and the script it
    /// echoes in cyan (`ESC[36;1m`), after the runner's timestamp (and a second producer's wrapper
    /// around it, colours left out).
    func isStepDetail(_ line: UnsafeRawBufferPointer) -> Bool {
        if line.firstIndex(of: Self.cyanEcho) != nil { return true }
        Self.stripANSI(trimmingCR(line), into: &detailScratch)
        return detailScratch.withUnsafeBytes { text in
            let (outer, _) = Self.indentation(of: text)
            let (inner, _) = Self.indentation(of: UnsafeRawBufferPointer(rebasing: text[outer...]))
            return Self.isStepDetail(text, at: outer) || (inner > 0 && Self.isStepDetail(text, at: outer + inner))
        }
    }

    static let cyanEcho: [UInt8] = Array("\u{1B}[36;1m".utf8)

    /// `isStepDetail` of the text from `prefix` on (the producer's wrapper before it).
    static func isStepDetail(_ line: UnsafeRawBufferPointer, at prefix: Int) -> Bool {
        if stepDetails.contains(where: { starts(line, with: $0, at: prefix) }) { return true }
        // An `env:` entry: two spaces, an upper-case name, `: `.
        let body = prefix + 2
        guard body < line.count, line[prefix] == 0x20, line[prefix + 1] == 0x20, line[body] &- 0x41 < 26 else {
            return false
        }
        var i = body
        while i < line.count, line[i] &- 0x41 < 26 || line[i] == 0x5F || line[i] &- 0x30 <= 9 { i += 1 }
        return i + 1 < line.count && line[i] == 0x3A && line[i + 1] == 0x20
    }

    /// Whether a whole line (without its newline) would set `acrLoginLine` had it been read: a line,
    /// or a piece of a long one, with a context anchor, `acr login`, and no rule firing.
    func isACRLogin(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.firstIndex(of: Self.acrLoginCommand) != nil else { return false }
        let size = options.maxLineBytes
        if line.count <= size { return isACRLoginPiece(trimmingCR(line)) }
        var pieceStart = 0
        while pieceStart < line.count {
            let pieceEnd = min(pieceStart + size, line.count)
            if isACRLoginPiece(UnsafeRawBufferPointer(rebasing: line[pieceStart..<pieceEnd])) { return true }
            pieceStart = pieceEnd
        }
        return false
    }

    private func isACRLoginPiece(_ piece: UnsafeRawBufferPointer) -> Bool {
        guard piece.firstIndex(of: Self.acrLoginCommand) != nil else { return false }
        matcher.contextSet.presence(in: piece, into: &contextPresent)
        guard !contextPresent.isEmpty else { return false }
        matcher.prefilter.presence(in: piece, into: &lazyPresent)
        return matcher.evaluate(piece, present: lazyPresent) == nil
    }

    // MARK: - The eager reference

    /// Scans `region` reading every line that holds a prefilter literal or a context anchor, and the
    /// registry context of each as it comes: the scanner as it was before the context became lazy,
    /// kept as the reference that `LazyContextTests` compare the lazy one with
    /// (`eagerReference`). Not used otherwise.
    func scanLinesEagerly(_ region: UnsafeRawBufferPointer, into found: inout [Occurrence]) {
        let n = region.count
        let base = region.baseAddress!
        let regionOffset = lineStart
        var cursor = 0
        // A command continued from the region before is finished first (its lines set the context).
        _ = finishOpenCommand(in: region)
        let commandStillOpen = openCommand
        var start = 0
        while start < n {
            let end = base.distance(to: UnsafeRawPointer(memchr(base + start, 0x0A, n - start)!))
            lineStart = regionOffset + Int64(start)
            let line = UnsafeRawBufferPointer(rebasing: region[start..<end])
            let resolveTime = {
                if start > cursor, let ts = self.latestTimestamp(in: region, from: cursor, to: start) {
                    self.lastTimestamp = ts
                }
                cursor = end + 1
            }
            if line.count <= options.maxLineBytes {
                /// Matches `line` (without its ANSI escape sequences, when it has them).
                func match(_ line: UnsafeRawBufferPointer) {
                    matcher.prefilter.presence(in: line, into: &present)
                    matcher.contextSet.presence(in: line, into: &contextPresent)
                    if !present.isEmpty || !contextPresent.isEmpty {
                        carrySource = carrySource(in: region, at: start)
                        matchLine(line, found: &found, resolveTime: resolveTime)
                        carrySource = .none
                    }
                    if !present.isEmpty {
                        // A line with a rule's literal, as `scanLines` notes it (`lastRuleLine`).
                        if !present.isSubset(of: matcher.unknownMask), !present.isSubset(of: matcher.pipelineMask) {
                            lastRuleLine = lines + 1
                        }
                    } else if pending?.lineEnd == lines || lastRuleLine == lines, line.count <= Self.widestWrap {
                        // The rest of a message a hard wrap cut (`readWrappedLine`), with no literal.
                        carrySource = carrySource(in: region, at: start)
                        _ = readWrappedLine(
                            line, number: lines + 1, candidateBefore: lastRuleLine == lines, found: &found,
                            resolveTime: resolveTime, lazy: nil)
                        carrySource = .none
                    }
                }
                let line = trimmingCR(line)
                if let base = line.baseAddress,
                    memchr(base, 0x1B, line.count) != nil
                        || line.firstIndex(ofFolded: Self.jsonEscape) != nil
                {
                    Self.stripANSI(line, into: &ansiLine)
                    ansiLine.withUnsafeBytes { match($0) }
                } else {
                    match(line)
                }
            } else if matcher.prefilter.firstMatch(in: line, from: 0) != nil
                || matcher.contextSet.firstMatch(in: line, from: 0) != nil
            {
                resolveTime()
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
            }
            // A frame of an ACR client's code after a traceback's first line (`followsACRTraceback`).
            if let head = tracebackHead, !head.acr, Self.holdsACRFrame(line) { tracebackHead?.acr = true }
            // The last line of a command continued over lines: the joined command's update.
            if start >= commandFloor, start > 0, end - start <= maxCommandBytes,
                !Self.endsWithContinuation(UnsafeRawBufferPointer(rebasing: region[start..<end])),
                case .some(.some(let update)) = continuedCommandUpdate(in: region, lineStart: start, lineEnd: end)
            {
                context = update
            }
            lines += 1
            start = end + 1
        }
        if n > cursor, let ts = latestTimestamp(in: region, from: cursor, to: n) { lastTimestamp = ts }
        carryOpenCommand(in: region, stillOpen: commandStillOpen)
        keepRecentLines(region, last: lines)
        rememberLastLineCarry(region)
        lineStart = regionOffset + Int64(n)
        if let lineEnd = pending?.lineEnd, lines > lineEnd + PendingFailure.joinDistance,
            let event = pending.take()
        {
            emit(event, into: &found)
        }
        settle()
    }
}

// MARK: - Folded messages

/// The first line of a message that goes on over more deeply indented lines (YAML's folded
/// scalars in `kubectl get -o yaml`, a Knative revision's status, klog's `err=<`): it names an ACR
/// login server and leaves the message open (`opensFold`), and a status on a continuation line is
/// that login server's.
struct FoldHead: Equatable {
    /// The line's indentation (after a CI timestamp prefix).
    var indent: Int
    /// The login server the line names.
    var mention: RegistryMention
}

extension OccurrenceScanner {
    /// The line before the one being matched as the head of a folded message: read from the region
    /// (`carrySource`), or kept from the region before (`lastLineFoldHead`); none for the pieces of
    /// a long line, whatever the chunking.
    func foldedHead() -> FoldHead? {
        switch carrySource {
        case .lineBefore(let region, let start):
            return Self.foldHead(afterLineEndingAt: start - 1, in: region, maxLineBytes: options.maxLineBytes)
        case .regionStart: return lastLineFoldHead
        case .none, .carried: return nil
        }
    }

    /// Whether `line` continues the message that `head` opened on the line before: more deeply
    /// indented, not a list item, and the line before showed no failure of its own (its failure
    /// would already hold this line's words).
    func continues(_ line: UnsafeRawBufferPointer, _ head: FoldHead, number: Int) -> Bool {
        continues(line, deeperThan: head.indent, number: number)
    }

    /// `continues` for a head indented by `indent`. With 0 (a head's least indentation), whether
    /// the line may continue any head: `matchLine` asks it before reading the line before.
    func continues(_ line: UnsafeRawBufferPointer, deeperThan indent: Int, number: Int) -> Bool {
        if pending?.lineEnd == number - 1 { return false }
        let (prefix, body) = Self.indentation(of: line)
        return body - prefix > indent && body < line.count && line[body] != 0x2D
    }

    /// The head of a folded message on the line that ends at `newline` in `region`: nil unless it
    /// names an ACR login server; none after a line longer than a piece. O(one line), once per
    /// region and on continuation candidates only.
    static func foldHead(afterLineEndingAt newline: Int, in region: UnsafeRawBufferPointer, maxLineBytes: Int)
        -> FoldHead?
    {
        guard newline >= 0 else { return nil }
        let start = lastNewline(region.baseAddress!, from: 0, to: newline).map { $0 + 1 } ?? 0
        guard newline - start <= maxLineBytes else { return nil }
        var line = UnsafeRawBufferPointer(rebasing: region[start..<newline])
        if line.last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        guard line.firstIndex(ofFolded: RegistryParser.azurecr) != nil, opensFold(line),
            let mention = RegistryParser.firstMention(in: line), !mention.objectName
        else { return nil }
        let (prefix, body) = indentation(of: line)
        return FoldHead(indent: body - prefix, mention: mention)
    }

    /// Whether the line leaves a message open for the next: a quote left unclosed (a YAML emitter
    /// quotes a message that holds `: ` and folds it over deeper lines), or a last byte that
    /// announces more (`:`, klog's `err=<`, a shell's `\`). A line that ends a value (`Image:
    /// myacr.azurecr.io/api:2`) opens nothing.
    static func opensFold(_ line: UnsafeRawBufferPointer) -> Bool {
        var single = 0
        var double = 0
        var last: UInt8 = 0
        for byte in line {
            if byte == 0x27 { single += 1 } else if byte == 0x22 { double += 1 }
            if byte != 0x20, byte != 0x09 { last = byte }
        }
        return single % 2 == 1 || double % 2 == 1 || last == 0x3A || last == 0x3C || last == 0x5C
    }

    /// Where the indentation of the line starts and ends: after the wrapper a producer put before every
    /// line — ANSI colour codes, a CI runner's timestamp (`2026-11-20T03:14:15.1234567Z `, GitHub Actions
    /// and Azure Pipelines, with `##[error]`; GitLab's with its stream marker, `…Z 01E `), Jenkins' `[…] `, or a syslog or
    /// journald tag (`Nov 20 03:14:15 host kubelet[2211]: `, `journalctl -o short-iso`) — the spaces and
    /// tabs up to the first other byte (wrappers check, matcher 10: before, only GitHub's prefix).
    static func indentation(of line: UnsafeRawBufferPointer) -> (prefix: Int, body: Int) {
        var i = 0
        let n = line.count
        // ANSI colour codes before the line (`ESC[31m`).
        while i + 1 < n, line[i] == 0x1B, line[i + 1] == 0x5B {
            i += 2
            while i < n, line[i] &- 0x40 > 0x3E { i += 1 }
            i += 1
        }
        let start = i
        let limit = min(n, start + 128)
        /// The end of a `]: ` tag within the first bytes, after a time.
        func tagEnd(from j: Int) -> Int? {
            var k = j
            while k + 2 < limit {
                if line[k] == 0x5D, line[k + 1] == 0x3A, line[k + 2] == 0x20 { return k + 3 }
                k += 1
            }
            return nil
        }
        if n > start + 21, line[start + 4] == 0x2D, line[start + 10] == 0x54, line[start] &- 0x30 <= 9 {
            var end = start + 11
            while end < min(n, start + 40), line[end] != 0x20 { end += 1 }
            if end < n, line[end] == 0x20, line[end - 1] == 0x5A {
                i = end + 1
                // GitLab Runner: two hex digits of the stream, `O` or `E`, `+` on a continued line.
                if i + 3 < n, isHexDigit(line[i]), isHexDigit(line[i + 1]), line[i + 2] == 0x4F || line[i + 2] == 0x45 {
                    let after = line[i + 3] == 0x2B ? i + 4 : i + 3
                    if after < n, line[after] == 0x20 { i = after + 1 }
                }
                // Azure Pipelines' `##[error]` (`##[warning]`, `##[debug]`) after its timestamp.
                if i + 3 < n, line[i] == 0x23, line[i + 1] == 0x23, line[i + 2] == 0x5B {
                    var close = i + 3
                    while close < min(n, i + 16), line[close] != 0x5D { close += 1 }
                    if close < n, line[close] == 0x5D { i = close + 1 }
                }
            } else if end < n, line[end] == 0x20, let tag = tagEnd(from: end) {
                i = tag  // journalctl -o short-iso: `…+0000 host unit[pid]: `
            }
        } else if n > start + 21, line[start] == 0x5B, line[start + 5] == 0x2D, line[start + 1] &- 0x30 <= 9 {
            var end = start + 1
            while end < min(n, start + 40), line[end] != 0x5D { end += 1 }
            if end + 1 < n, line[end] == 0x5D, line[end + 1] == 0x20 { i = end + 2 }  // Jenkins' `[…] `
        } else if n > start + 16, line[start] &- 0x41 < 26, line[start + 3] == 0x20, line[start + 9] == 0x3A,
            let tag = tagEnd(from: start + 15)
        {
            i = tag  // syslog: `Nov 20 03:14:15 host unit[pid]: `
        }
        let prefix = i
        while i < n, line[i] == 0x20 || line[i] == 0x09 { i += 1 }
        return (prefix, i)
    }

    @inline(__always)
    static func isHexDigit(_ c: UInt8) -> Bool { c &- 0x30 <= 9 || c &- 0x61 < 6 || c &- 0x41 < 6 }
}

// MARK: - Anonymous-token clauses broken off

extension OccurrenceScanner {
    /// `failed to fetch anonymous token:`, the clause containerd, BuildKit and Docker put before the
    /// token service's answer.
    static let anonymousTokenClause: [UInt8] = Array("anonymous token:".utf8)

    /// Whether the line before the one being matched breaks off right after the anonymous-token
    /// clause (it ends with `anonymous token:`, then spaces at most): a pull error broken at its
    /// colons (a fix note quoting the kubelet's message over three lines), its 401 on the next
    /// line. Read from the region (`carrySource`), or kept from the region before
    /// (`lastLineAnonymousClause`). Asked only of a line typed unauthorized.
    func followsAnonymousTokenClause() -> Bool {
        lineBefore(Self.breaksAfterAnonymousTokenClause, kept: lastLineAnonymousClause)
    }

    /// What `test` says of the line before the one being matched (`carrySource`): read from the
    /// region, or `kept` from the region before (its last line, tested at its end).
    func lineBefore(
        _ test: (_ lineEndingAt: Int, _ in: UnsafeRawBufferPointer, _ maxLineBytes: Int) -> Bool, kept: Bool
    ) -> Bool {
        switch carrySource {
        case .lineBefore(let region, let start): return test(start - 1, region, options.maxLineBytes)
        case .regionStart: return kept
        case .none, .carried: return false
        }
    }

    /// Whether the line that ends at `newline` in `region` ends with the anonymous-token clause
    /// (trailing spaces, tabs, a carriage return and colour codes such as a line's closing
    /// `ESC[0m` aside) and is no longer than a piece. Reads the clause's bytes back from the
    /// newline; the line's start only when they match.
    static func breaksAfterAnonymousTokenClause(
        lineEndingAt newline: Int, in region: UnsafeRawBufferPointer, maxLineBytes: Int
    ) -> Bool {
        var end = newline
        while end > 0 {
            let last = region[end - 1]
            if last == 0x20 || last == 0x09 || last == 0x0D {
                end -= 1
            } else if last == 0x6D {
                // `ESC[…m`: digits and semicolons back to the bracket after an escape.
                var k = end - 2
                while k >= 0, region[k] &- 0x30 <= 9 || region[k] == 0x3B { k -= 1 }
                guard k >= 1, region[k] == 0x5B, region[k - 1] == 0x1B else { break }
                end = k - 1
            } else {
                break
            }
        }
        let clause = anonymousTokenClause
        guard end >= clause.count else { return false }
        for i in 0..<clause.count where region[end - clause.count + i] != clause[i] { return false }
        let start = lastNewline(region.baseAddress!, from: 0, to: newline).map { $0 + 1 } ?? 0
        return newline - start <= maxLineBytes && start <= end - clause.count
    }
}

// MARK: - Traced responses

extension OccurrenceScanner {
    /// Whether the line before the one being matched is a response header of a `curl -v` trace
    /// (`< HTTP/1.1 401 Unauthorized`, `< Www-Authenticate: …`, the `<` that ends them): read from
    /// the region (`carrySource`), or kept from the region before (`lastLineTraced`). Asked only
    /// of a line that opens a failure with a JSON error body.
    func followsTracedResponse() -> Bool {
        lineBefore(Self.isTracedResponseHeader, kept: lastLineTraced)
    }

    /// Whether the line that ends at `newline` in `region` is a traced response's header: after
    /// the producer's wrapper (`indentation(of:)`), `<` alone or followed by a space. O(one line).
    static func isTracedResponseHeader(lineEndingAt newline: Int, in region: UnsafeRawBufferPointer, maxLineBytes: Int)
        -> Bool
    {
        guard newline >= 0 else { return false }
        let start = lastNewline(region.baseAddress!, from: 0, to: newline).map { $0 + 1 } ?? 0
        guard newline - start <= maxLineBytes else { return false }
        var line = UnsafeRawBufferPointer(rebasing: region[start..<newline])
        if line.last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        let (prefix, indented) = indentation(of: line)
        let record = starts(line, with: jsonLogRecord, at: indented)
        var body = record ? indented + jsonLogRecord.count : indented
        guard record || body == prefix, body < line.count else { return false }
        if line[body] == 0x3C {
            body += 1
        } else if record, starts(line, with: RegistryParser.escapedLess, at: body) {
            body += RegistryParser.escapedLess.count  // Docker's encoder writes `<` as `\u003c`
        } else {
            return false
        }
        // `<` alone, or before a space; in Docker's json-file record, before the escaped newline.
        return body == line.count || line[body] == 0x20 || (record && line[body] == 0x5C)
    }

    static let errorBody: [UInt8] = Array(#"{"errors":"#.utf8)
    static let escapedErrorBody: [UInt8] = Array(#"{\"errors\":"#.utf8)
    /// The start of a record of Docker's json-file driver: the line's text follows, JSON-escaped.
    static let jsonLogRecord: [UInt8] = Array(#"{"log":""#.utf8)

    /// Whether the line (after the producer's wrapper, or in a json-file record) starts with a
    /// registry's JSON error body.
    static func opensErrorBody(_ line: UnsafeRawBufferPointer) -> Bool {
        let (_, body) = indentation(of: line)
        if starts(line, with: jsonLogRecord, at: body) {
            return starts(line, with: escapedErrorBody, at: body + jsonLogRecord.count)
        }
        return starts(line, with: errorBody, at: body)
    }

    @inline(__always)
    static func starts(_ line: UnsafeRawBufferPointer, with literal: [UInt8], at i: Int) -> Bool {
        guard i + literal.count <= line.count else { return false }
        for (k, byte) in literal.enumerated() where line[i + k] != byte { return false }
        return true
    }
}
