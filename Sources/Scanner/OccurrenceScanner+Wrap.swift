import LogModel

// MARK: - Hard-wrapped pastes

/// Terminals, ticket systems and some log shippers hard-wrap long lines: a terminal cuts at exactly
/// its width, a ticket at the last blank before it. A failure's message then goes on over lines of
/// its own: the cause after `unauthorized:` (`Application not registered with AAD.`), the status
/// after `failed to fetch anonymous token: unexpected status:`, a phrase cut in two (`Invalid` /
/// `clientid or client secret.`). A line continues the line before it when a wrap may have cut
/// there (`continuesWrap`): it carries no stamp, no logger or CI prefix and starts no message of its
/// own, and the line before could not have held its first word at any width the wrap may have
/// had. Then the two lines are read as one text (`joinedVerdict`): the failure open on the line
/// before takes the continuation (`joinWrapped`), and a continuation that fires alone takes the type
/// the two lines say together (`matchJoined`). Two stamped lines are two failures, always
/// (docs/counting-rules.md, "A hard-wrapped message"). Work done only around lines that fire.
extension OccurrenceScanner {
    /// The narrowest wrap the join reads: a line shorter than this with the next line's first word
    /// was no wrap's cut.
    static let narrowestWrap = 60
    /// The widest: a longer line is no terminal's or ticket's row.
    static let widestWrap = 512

    /// Lines that start a message of their own, not a wrapped message's rest: a prompt, an echoed
    /// command, a CI marker, a tool's or a logger's error head.
    static let messageHeads: [[UInt8]] = [
        "$ ", "+ ", "> ", "# ", "PS ", "##[", "::", "[command]", "Error", "error:", "ERROR", "Warning", "warning:",
        "WARNING", "WARN", "fatal", "Fatal", "FATAL", "Traceback",
    ].map { Array($0.utf8) }

    /// Lines that hold a command (a prompt, a shell's trace): the next line is its output or its
    /// rest, never a message's.
    static let prompts: [[UInt8]] = ["$", "+ ", "> ", "PS "].map { Array($0.utf8) }

    /// Whether `word` is a logger's source position (`helm.go:88:`, `main.py:12:`): `NAME.EXT:DIGITS`.
    static func isSourcePosition(_ word: UnsafeRawBufferPointer) -> Bool {
        guard let colon = word.firstIndex(of: UInt8(ascii: ":")), colon + 1 < word.count,
            word[colon + 1] &- 0x30 <= 9, let dot = word[..<colon].lastIndex(of: UInt8(ascii: ".")), dot > 0,
            dot + 1 < colon
        else { return false }
        return word[(dot + 1)..<colon].allSatisfy { $0 | 0x20 &- 0x61 < 26 }
    }

    /// The line before the one being matched (number `number`, at `lineStart`), when it is in the
    /// region or is the region before's last line: its bytes (CR and trailing blanks left out) and
    /// its offset in the stream.
    func previousLine(number: Int) -> (bytes: UnsafeRawBufferPointer, offset: Int64, start: Int)? {
        switch carrySource {
        case .lineBefore(let region, let start):
            guard start > 0 else { return nil }
            let base = region.baseAddress!
            let from = lastNewline(base, from: 0, to: start - 1).map { $0 + 1 } ?? 0
            let line = UnsafeRawBufferPointer(rebasing: region[from..<(start - 1)])
            return (
                UnsafeRawBufferPointer(rebasing: line.prefix(LineEdges.trimmedLength(line))),
                lineStart - Int64(start - from), from
            )
        case .regionStart:
            guard lastLineNumber == number - 1, !lastLine.isEmpty else { return nil }
            return lastLine.withUnsafeBytes { all in
                // `lastLine` lives as long as the scanner and is not changed while a line is matched.
                let line = UnsafeRawBufferPointer(start: all.baseAddress, count: all.count)
                return (
                    UnsafeRawBufferPointer(rebasing: line.prefix(LineEdges.trimmedLength(line))),
                    lineStart - Int64(all.count), 0
                )
            }
        case .none, .carried:
            return nil
        }
    }

    /// Whether `line` ends a sentence or a quoted or bracketed value: no wrap cut after it.
    static func endsSentence(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let last = line.last else { return true }
        return last == UInt8(ascii: ".") || last == UInt8(ascii: "!") || last == UInt8(ascii: ")")
            || last == UInt8(ascii: "]") || last == UInt8(ascii: "}") || last == UInt8(ascii: "\"")
    }

    /// Whether `line` is laid out in columns (two blanks in a row after its first word): a table's row.
    static func hasColumnGap(_ line: UnsafeRawBufferPointer) -> Bool {
        let n = min(line.count, 160)
        guard n > 2 else { return false }
        for i in 1..<(n - 1) where line[i] == 0x20 && line[i + 1] == 0x20 && line[i - 1] != 0x20 { return true }
        return false
    }

    /// The most lines before a line that a wrap's chain is read back over.
    static let wrapChainLimit = 6

    /// The lines before `line` (number `number`) that a hard wrap cut from one line with it, each
    /// continuing the one before (`continuesWrap`, the wrap at least as wide as every line): their
    /// bytes as they lie (line breaks in them), the first one's offset in the stream and start in
    /// the region, and how many. Read back within the region (the region before's last line when
    /// `line` starts the region), never into the open failure's lines; sets `wrapWidth` to the
    /// widest line of the chain.
    func wrapChain(before line: UnsafeRawBufferPointer, number: Int) -> (
        bytes: UnsafeRawBufferPointer, offset: Int64, start: Int, count: Int
    )? {
        guard let first = previousLine(number: number), continuesWrap(line, after: first.bytes, width: 0) else {
            return nil
        }
        var width = max(first.bytes.count, LineEdges.trimmedLength(line))
        var begin = first
        var count = 1
        if case .lineBefore(let region, _) = carrySource {
            let base = region.baseAddress!
            while count < Self.wrapChainLimit, begin.start > 0, number - count - 1 > (pending?.lineEnd ?? 0) {
                let from = lastNewline(base, from: 0, to: begin.start - 1).map { $0 + 1 } ?? 0
                let whole = UnsafeRawBufferPointer(rebasing: region[from..<(begin.start - 1)])
                let bytes = UnsafeRawBufferPointer(rebasing: whole.prefix(LineEdges.trimmedLength(whole)))
                guard continuesWrap(begin.bytes, after: bytes, width: width) else { break }
                begin = (bytes, begin.offset - Int64(begin.start - from), from)
                width = max(width, bytes.count)
                count += 1
            }
            wrapWidth = width
            let span = UnsafeRawBufferPointer(rebasing: region[begin.start..<(first.start + first.bytes.count)])
            return (span, begin.offset, begin.start, count)
        }
        wrapWidth = width
        return (first.bytes, first.offset, first.start, 1)
    }

    /// Whether `line` may be the rest of `before`, the line above it, cut by a hard wrap whose
    /// lines so far were at most `width` wide: no stamp, no logger or CI prefix, no message head, no
    /// indentation (one blank where a terminal cut before it), and `before` could not have held its
    /// first word.
    func continuesWrap(_ line: UnsafeRawBufferPointer, after before: UnsafeRawBufferPointer, width: Int) -> Bool {
        let length = before.count
        guard length <= Self.widestWrap, !before.isEmpty, !Self.prompts.contains(where: { before.starts(with: $0) })
        else { return false }
        let n = LineEdges.trimmedLength(line)
        var i = 0
        if n > 1, line[0] == 0x20 { i = 1 }
        guard i < n, line[i] != 0x20, line[i] != 0x09 else { return false }
        var word = i
        while word < n, line[word] != 0x20, line[word] != 0x09 { word += 1 }
        guard length + 1 + (word - i) > max(Self.narrowestWrap, width, length) else { return false }
        let rest = UnsafeRawBufferPointer(rebasing: line[i...])
        if Self.messageHeads.contains(where: { rest.starts(with: $0) }) { return false }
        if Self.isSourcePosition(UnsafeRawBufferPointer(rebasing: line[i..<word])) { return false }
        let shape = LineShape.read(
            UnsafeRawBufferPointer(rebasing: line.prefix(shapeWindow)), reference: options.reference)
        return shape.timestamp == nil && shape.producer == nil
    }

    /// What the rules find on `before` and `line` read as one text (`fillWrapText`), with the
    /// registry it names: read with a blank between them (a wrap at a blank dropped it) and without
    /// (a terminal cut a word), the more specific reading kept.
    typealias WrapReading = (verdict: Matcher.Findings, mention: RegistryMention?, aka: Bool, blank: Bool)

    func joinedVerdict(_ before: UnsafeRawBufferPointer, _ line: UnsafeRawBufferPointer) -> WrapReading? {
        var best: WrapReading?
        for blank in [true, false] {
            fillWrapText(before, line, blank: blank)
            let found: WrapReading? = wrapText.withUnsafeBytes { joined in
                matcher.prefilter.presence(in: joined, into: &wrapPresent)
                guard !wrapPresent.isEmpty, let verdict = matcher.evaluate(joined, present: wrapPresent),
                    verdict.type != nil
                else { return nil }
                var mention = RegistryParser.firstMention(in: joined)
                if mention?.objectName == true, !verdict.acrByNature { mention = nil }
                return (verdict, mention, Fields.isACRText(joined), blank)
            }
            if let found, (found.verdict.type?.specificity ?? 0) > (best?.verdict.type?.specificity ?? 0) {
                best = found
            }
        }
        return best
    }

    /// `before` and `line` (its CR and trailing blanks left out) in `wrapText`, a blank between them
    /// or none.
    /// `before` may span several lines (`wrapChain`): each line break becomes a blank, or nothing.
    func fillWrapText(_ before: UnsafeRawBufferPointer, _ line: UnsafeRawBufferPointer, blank: Bool) {
        wrapText.removeAll(keepingCapacity: true)
        for byte in before {
            if byte == 0x0A {
                if wrapText.last == 0x0D { wrapText.removeLast() }
                while wrapText.last == 0x20 || wrapText.last == 0x09 { wrapText.removeLast() }
                if blank { wrapText.append(0x20) }
            } else {
                wrapText.append(byte)
            }
        }
        if blank { wrapText.append(0x20) }
        wrapText.append(contentsOf: UnsafeRawBufferPointer(rebasing: line.prefix(LineEdges.trimmedLength(line))))
    }

    /// The excerpt of two lines read as one (`joinedVerdict`'s `reading`), redacted.
    func joinedExcerpt(
        _ before: UnsafeRawBufferPointer, _ line: UnsafeRawBufferPointer, reading: WrapReading
    ) -> String {
        fillWrapText(before, line, blank: reading.blank)
        return wrapText.withUnsafeBytes {
            Redactor.excerpt($0, focus: ExcerptFocus.position(of: reading.verdict.type, in: $0))
        }
    }

    /// Joins `line` (number `number`; `own`: its evidence when a rule fired on it) to the failure
    /// open on the line before it when a wrap may have cut that line there. The two lines read
    /// together give the failure a type where they say another (a one-line failure takes their
    /// reading whole: `PendingFailure.reread`) or the registry. A line that fires alone in the type
    /// of the failure, after a last line that fired alone too and ended its sentence, or laid out in
    /// columns, is a failure again (a table's next row, a retry), not a wrap's rest. Returns whether
    /// it joined.
    func joinWrapped(_ line: UnsafeRawBufferPointer, number: Int, own: LineEvidence?) -> Bool {
        guard let open = pending, open.lineEnd == number - 1, let before = previousLine(number: number)?.bytes,
            continuesWrap(line, after: before, width: wrapLine == open.lineEnd ? wrapWidth : 0),
            own == nil || Fields.form(of: line) != open.form
        else { return false }
        let joined = joinedVerdict(before, line)
        let gains =
            joined.map {
                ($0.verdict.type != nil && $0.verdict.type != open.type) || (open.mention == nil && $0.mention != nil)
            } ?? false
        if let own {
            if let name = own.mention?.name, let openName = open.mention?.name, name != openName { return false }
            if !gains, own.verdict.opens, own.verdict.type == open.type, wrapLine == open.lineEnd, wrapFired,
                Self.endsSentence(before) || Self.hasColumnGap(line)
            {
                return false
            }
            pending?.absorb(own, line: number, excerpt: { failureExcerpt(line, type: own.verdict.type) })
        }
        if let joined, gains {
            var evidence = LineEvidence(verdict: joined.verdict, mention: joined.mention, aka: joined.aka)
            evidence.status = Fields.status(in: line)
            if open.line == open.lineEnd {
                pending?.reread(evidence, line: number, excerpt: { joinedExcerpt(before, line, reading: joined) })
            } else {
                pending?.absorb(evidence, line: number, excerpt: { joinedExcerpt(before, line, reading: joined) })
            }
        }
        pending?.lineEnd = number
        keepWrap(line, number: number, wrapped: true, fired: own != nil)
        return true
    }

    /// Reads `line` (number `number`, at `lineStart`; `own`: its rules' reading, nil when none
    /// fired) with no failure open on the line before: when it continues that line cut by a wrap and
    /// the two lines read together open a failure that says more than `line` alone (a failure where
    /// it has none, a more specific type, the registry), they are matched as one line in the place
    /// of the line before (`matchLine`), the failure ending at `line`. Returns whether they opened
    /// or joined a failure; nil when they were not read as one.
    func matchJoined(
        _ line: UnsafeRawBufferPointer, number: Int, own: Matcher.Findings?, found: inout [Occurrence],
        resolveTime: () -> Void, region: UnsafeRawBufferPointer?
    ) -> Bool? {
        guard !readingJoined, pending?.lineEnd != number - 1,
            let (before, offset, start, count) = wrapChain(before: line, number: number),
            let joined = joinedVerdict(before, line),
            joined.verdict.opens || joined.verdict.evidence == .afterACRLogin
        else { return nil }
        if let own {
            let gains =
                joined.verdict.type != own.type
                || (joined.mention != nil && RegistryParser.firstMention(in: line) == nil)
            guard gains else { return nil }
        }
        fillWrapText(before, line, blank: joined.blank)
        let text = wrapText
        let (savedLines, savedStart) = (lines, lineStart)
        let savedPresent = present
        let savedCarry = carrySource
        lines = number - count - 1
        lineStart = offset
        carrySource = .none
        readingJoined = true
        defer {
            readingJoined = false
            (lines, lineStart) = (savedLines, savedStart)
            present = savedPresent
            carrySource = savedCarry
        }
        let matched = text.withUnsafeBytes { joinedLine in
            matcher.prefilter.presence(in: joinedLine, into: &present)
            return matchLine(
                joinedLine, found: &found, resolveTime: resolveTime, lazy: region.map { ($0, start) })
        }
        guard matched, pending?.lineEnd == number - count else { return matched }
        pending?.lineEnd = number
        wrapLine = number
        wrapWidth = max(wrapWidth, LineEdges.trimmedLength(line))
        wrapFired = own != nil
        return true
    }

    /// Reads `line` (number `number`), on which no rule is read, after the open failure's last line
    /// (`joinWrapped`) or after a candidate line (`candidateBefore`: `matchJoined`). Returns whether
    /// it opened or joined a failure.
    func readWrappedLine(
        _ line: UnsafeRawBufferPointer, number: Int, candidateBefore: Bool, found: inout [Occurrence],
        resolveTime: () -> Void, region: UnsafeRawBufferPointer?
    ) -> Bool {
        if pending?.lineEnd == number - 1 { return joinWrapped(line, number: number, own: nil) }
        guard candidateBefore else { return false }
        return matchJoined(line, number: number, own: nil, found: &found, resolveTime: resolveTime, region: region)
            == true
    }

    /// Notes `line` (number `number`) as the open failure's last line (`fired`: a rule fired on it
    /// alone): the widest line of its wrap grows with a line joined by a wrap (`wrapped`), and starts
    /// again at any other.
    func keepWrap(_ line: UnsafeRawBufferPointer, number: Int, wrapped: Bool, fired: Bool) {
        let length = LineEdges.trimmedLength(line)
        wrapWidth = wrapped && wrapLine == number - 1 ? max(wrapWidth, length) : length
        wrapLine = number
        wrapFired = fired
    }
}
