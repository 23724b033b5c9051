import LogModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// command, curl's trace (`* `, `< `, `> `) and a response's status line (`HTTP/1.1 401 …`, a
    /// login challenge, not a failure's rest), a CI marker, a tool's or a logger's error head, an SDK
    /// error's structured lines (`Code: `, `Message: `, `Content: `; PowerShell's `At line:`).
    static let messageHeads: [[UInt8]] = [
        "$ ", "+ ", "> ", "< ", "* ", "# ", "PS ", "##[", "::", "HTTP/", "[command]", "Error", "error:", "ERROR",
        "Warning",
        "warning:",
        "WARNING", "WARN", "fatal", "Fatal", "FATAL", "Traceback", "DEBUG", "INFO", "TRACE", "Code: ", "Message: ",
        "Content: ", "At line:",
    ].map { Array($0.utf8) }

    /// Lines that hold a command (a prompt, a shell's trace, a registry client's command pasted bare):
    /// the next line is its output or its rest, never a message's.
    static let prompts: [[UInt8]] = [
        "$", "+ ", "> ", "PS ", "az ", "docker ", "kubectl ", "helm ", "oras ", "podman ", "crane ", "curl ", "sudo ",
    ].map { Array($0.utf8) }

    /// Whether `line` starts with a PowerShell cmdlet's name (`Connect-AzContainerRegistry -Name …`):
    /// a command, not a message.
    static func isCmdlet(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let first = line.first, first &- 0x41 < 26 else { return false }
        var i = 1
        while i < line.count, line[i] | 0x20 &- 0x61 < 26 { i += 1 }
        guard i + 1 < line.count, line[i] == UInt8(ascii: "-"), line[i + 1] &- 0x41 < 26 else { return false }
        i += 2
        while i < line.count, line[i] | 0x20 &- 0x61 < 26 { i += 1 }
        return i == line.count || line[i] == 0x20
    }

    /// Whether `line` starts with a shell's prompt that names the user and host (`[ci@build-02 web]$ `,
    /// `user@host:~/src$ `): a command follows.
    static func hasShellPrompt(_ line: UnsafeRawBufferPointer) -> Bool {
        let n = min(line.count, 80)
        guard n > 0, let found = memchr(line.baseAddress!, 0x40, n) else { return false }  // "@"
        let at = line.baseAddress!.distance(to: UnsafeRawPointer(found))
        for i in (at + 1)..<max(at + 1, n - 1)
        where (line[i] == UInt8(ascii: "$") || line[i] == UInt8(ascii: "#")) && line[i + 1] == 0x20 {
            return true
        }
        return false
    }

    /// Whether `line` names another registry than ACR (`Fields.isForeign`) before its last word: the
    /// last word may be a host or an image reference the wrap cut (`https://conto` / `soprod.azurecr.io`).
    /// A line naming another registry continues into nothing: the next line's ACR image is its own
    /// output (`Status: Downloaded newer image for contosoprod.azurecr.io/…` after a GHCR failure).
    /// A line that ends its sentence or a bracket (`… 401 Unauthorized (quay.io)`) was not cut there.
    static func namesForeign(_ line: UnsafeRawBufferPointer) -> Bool {
        let cut = endsSentence(line) ? line.count : line.lastIndex(of: 0x20) ?? 0
        return Fields.isForeign(UnsafeRawBufferPointer(rebasing: line[..<cut]))
    }

    /// Whether `line` names a registry of its own past its first word (which the wrap may have cut):
    /// another registry, an application's URL (`Fields.isForeign`), a person's placeholder or CI's
    /// mask where the host stands (`https://<redacted>/v2/`, `https://***/v2/`). Such a line is a
    /// message of its own, never read with the lines before it (`matchJoined`) for their registry
    /// (`Pulling image "contosoprod.azurecr.io/…"` before it).
    static func namesOwnRegistry(_ line: UnsafeRawBufferPointer) -> Bool {
        let rest = UnsafeRawBufferPointer(rebasing: line[(line.firstIndex(of: 0x20) ?? line.count)...])
        return Fields.isForeign(rest) || Fields.placeholderRegistry(in: line) != nil
            || line.firstIndex(of: maskedHost) != nil
    }
    static let maskedHost = Array("://***".utf8)

    /// Whether `line` starts with a field of a tool's output, a line of its own: a capitalised name
    /// and `: ` (the Docker client's `Status: Downloaded newer image for …`, `Digest: sha256:…`), or a
    /// layer's id of twelve hex digits and `: ` (`3f4e5d6c7b8a: Pull complete`).
    static func isFieldHead(_ line: UnsafeRawBufferPointer) -> Bool {
        let n = min(line.count, 40)
        guard n > 2, let found = memchr(line.baseAddress!, 0x3A, n) else { return false }  // ":"
        let colon = line.baseAddress!.distance(to: UnsafeRawPointer(found))
        guard colon + 1 < line.count, line[colon + 1] == 0x20, colon >= 2 else { return false }
        let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
        if colon == 12, name.allSatisfy({ $0 &- 0x30 < 10 || $0 &- 0x61 < 6 }) { return true }
        return name[0] &- 0x41 < 26 && name.dropFirst().allSatisfy { $0 &- 0x61 < 26 }
    }

    /// Whether `line` is a tool's status, not a wrap's row: one to three words of letters only, the
    /// first capitalised (the Docker client's `Pushed`, `Waiting`, `Layer already exists`, `Login
    /// Succeeded`). A wrap's last row ends its sentence (`Azure Cloud Shell.`), or holds more.
    static func isStatusWords(_ line: UnsafeRawBufferPointer) -> Bool {
        let n = LineEdges.trimmedLength(line)
        var i = 0
        while i < n, line[i] == 0x20 { i += 1 }
        guard i < n, line[i] &- 0x41 < 26 else { return false }
        var blanks = 0
        for b in line[i..<n] {
            if b == 0x20 {
                blanks += 1
            } else if b | 0x20 &- 0x61 >= 26 {
                return false
            }
        }
        return blanks <= 2
    }

    /// Whether `word` is a logger's source position (`helm.go:88:`, `main.py:12:`): `NAME.EXT:DIGITS`.
    static func isSourcePosition(_ word: UnsafeRawBufferPointer) -> Bool {
        guard let colon = word.firstIndex(of: UInt8(ascii: ":")), colon + 1 < word.count,
            word[colon + 1] &- 0x30 <= 9, let dot = word[..<colon].lastIndex(of: UInt8(ascii: ".")), dot > 0,
            dot + 1 < colon
        else { return false }
        return word[(dot + 1)..<colon].allSatisfy { $0 | 0x20 &- 0x61 < 26 }
    }

    /// Where a line lies for the wrap's read-back: in the region being matched (its start), or among
    /// the last lines of the regions before (`recentLines`, its index).
    enum WrapPlace {
        case region(UnsafeRawBufferPointer, start: Int)
        case recent(Int)
    }

    /// The line before the one at `place` (its bytes without CR and trailing blanks, and its
    /// place), or nil.
    func lineBefore(_ place: WrapPlace) -> (bytes: UnsafeRawBufferPointer, place: WrapPlace)? {
        switch place {
        case .region(let region, let start) where start > 0:
            let from = lastNewline(region.baseAddress!, from: 0, to: start - 1).map { $0 + 1 } ?? 0
            let line = UnsafeRawBufferPointer(rebasing: region[from..<(start - 1)])
            return (
                UnsafeRawBufferPointer(rebasing: line.prefix(LineEdges.trimmedLength(line))),
                .region(region, start: from)
            )
        case .region:
            return recentLines.isEmpty ? nil : recentLine(recentLines.count - 1)
        case .recent(let index):
            return index > 0 ? recentLine(index - 1) : nil
        }
    }

    /// The kept line `index` of the regions before (`recentLines`).
    func recentLine(_ index: Int) -> (bytes: UnsafeRawBufferPointer, place: WrapPlace) {
        // `recentBytes` lives as long as the scanner and is not changed while a line is matched.
        let all = recentBytes.withUnsafeBytes { UnsafeRawBufferPointer(start: $0.baseAddress, count: $0.count) }
        return (UnsafeRawBufferPointer(rebasing: all[recentLines[index]]), .recent(index))
    }

    /// The line before the one being matched (number `number`, at `lineStart`): in the region, or
    /// the last one kept of the regions before (`recentLines`, when it is that line).
    func previousLine(number: Int) -> (bytes: UnsafeRawBufferPointer, place: WrapPlace)? {
        switch carrySource {
        case .lineBefore(let region, let start):
            return lineBefore(.region(region, start: start))
        case .regionStart:
            guard recentLast == number - 1, !recentLines.isEmpty else { return nil }
            return recentLine(recentLines.count - 1)
        case .none, .carried:
            return nil
        }
    }

    /// Keeps the last lines of `region` (whose last line is number `last`) with those kept before,
    /// for a wrap's read-back across regions: at most `wrapChainLimit` lines, none longer than
    /// `widestWrap` (a longer line ends every chain). O(those lines), once per region.
    func keepRecentLines(_ region: UnsafeRawBufferPointer, last: Int) {
        // Three arrays reused from region to region (`keptScratch`), not three allocations each.
        var (found, bytes, ranges) = keptScratch
        found.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        var end = region.count - 1  // the newline of the line being kept
        var reachedStart = false
        while found.count < Self.wrapChainLimit, end >= 0 {
            let from = end > 0 ? lastNewline(region.baseAddress!, from: 0, to: end).map { $0 + 1 } ?? 0 : 0
            let line = UnsafeRawBufferPointer(rebasing: region[from..<end])
            let length = LineEdges.trimmedLength(line)
            if length > min(Self.widestWrap, options.maxLineBytes) { break }
            found.append(from..<(from + length))
            if from == 0 {
                reachedStart = true
                break
            }
            end = from - 1
        }
        if reachedStart, recentLast == last - found.count {
            let keep = max(0, recentLines.count - (Self.wrapChainLimit - found.count))
            for range in recentLines[keep...] {
                ranges.append(bytes.count..<(bytes.count + range.count))
                bytes.append(contentsOf: recentBytes[range])
            }
        }
        for line in found.reversed() {
            ranges.append(bytes.count..<(bytes.count + line.count))
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: region[line]))
        }
        swap(&recentBytes, &bytes)
        swap(&recentLines, &ranges)
        keptScratch = (found, bytes, ranges)
        recentLast = last
    }

    /// Whether `line` starts with one of `heads`: the first bytes compared before the rest (most
    /// lines start with none of their first bytes).
    @inline(__always)
    static func startsWithAny(_ line: UnsafeRawBufferPointer, _ heads: [[UInt8]]) -> Bool {
        guard let first = line.first, let base = line.baseAddress, headFirstBytes[Int(first)] else { return false }
        for head in heads where head[0] == first && head.count <= line.count {
            if head.withUnsafeBytes({ memcmp($0.baseAddress!, base, head.count) }) == 0 { return true }
        }
        return false
    }

    /// The first bytes of `messageHeads` and `prompts`: a line that starts with none of them starts
    /// with no head, and `startsWithAny` walks no list (the walk, an array of arrays, was most of
    /// `wrapRow`'s time on the plain bench corpus).
    static let headFirstBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for head in messageHeads + prompts { table[Int(head[0])] = true }
        return table
    }()

    /// Whether `line` starts as a log record does, not as a wrap's row: a JSON object, a bracket, a
    /// date (`2026-`, `2026/`), klog's level and date (`I1120 `), syslog's (`Nov 20 `, `Nov  2 `),
    /// logrus's `time=`. A row a wrap cut from a host (`2026.azurecr.io: 401 Unauthorized`) is none
    /// of them. O(1): `wrapRow`'s first test (such lines nearly always carry a stamp, which
    /// `LineShape` finds at more cost).
    @inline(__always)
    static func startsLikeRecord(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count >= 6 else { return false }
        let first = line[0]
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return true }
        let digits = line[1] &- 0x30 < 10 && line[2] &- 0x30 < 10 && line[3] &- 0x30 < 10
        if digits, first &- 0x30 < 10, line[4] == UInt8(ascii: "-") || line[4] == UInt8(ascii: "/") { return true }
        if digits, line[4] &- 0x30 < 10, line[5] == 0x20,
            first == UInt8(ascii: "I") || first == UInt8(ascii: "W") || first == UInt8(ascii: "E")
                || first == UInt8(ascii: "F")
        {
            return true
        }
        // Syslog's month and day: a capital and two small letters, a blank, a day of one or two digits.
        if first &- 0x41 < 26, line[1] &- 0x61 < 26, line[2] &- 0x61 < 26, line[3] == 0x20,
            line[4] == 0x20 || line[4] &- 0x30 < 4, line[5] &- 0x30 < 10
        {
            return Self.months.contains { $0[0] == first && $0[1] == line[1] && $0[2] == line[2] }
        }
        return first == UInt8(ascii: "t") && line[1] == UInt8(ascii: "i") && line[2] == UInt8(ascii: "m")
            && line[3] == UInt8(ascii: "e") && line[4] == UInt8(ascii: "=")
    }

    static let months: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .map { Array($0.utf8) }

    /// Whether `line` ends a sentence or a quoted or bracketed value: no wrap cut after it.
    static func endsSentence(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let last = line.last else { return true }
        return last == UInt8(ascii: ".") || last == UInt8(ascii: "!") || last == UInt8(ascii: ")")
            || last == UInt8(ascii: "]") || last == UInt8(ascii: "}") || last == UInt8(ascii: "\"")
    }

    /// Whether `line` ends where its sentence cannot: after a colon, a comma, an operator or an
    /// opening bracket (`… unauthorized:`, `…status:`).
    static func endsOpen(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let last = line.last else { return false }
        return last == UInt8(ascii: ":") || last == UInt8(ascii: ",") || last == UInt8(ascii: ";")
            || last == UInt8(ascii: "=") || last == UInt8(ascii: "(") || last == UInt8(ascii: "[")
            || last == UInt8(ascii: "{") || last == UInt8(ascii: "-")
    }

    /// Whether `line` is laid out in columns: two blanks in a row inside it (a table's row).
    static func hasColumnGap(_ line: UnsafeRawBufferPointer) -> Bool {
        let n = min(line.count, 200)
        guard n > 2 else { return false }
        for i in 1..<(n - 1) where line[i] == 0x20 && line[i + 1] == 0x20 && line[i - 1] != 0x20 { return true }
        return false
    }

    /// The most lines before a line that a wrap's chain is read back over.
    static let wrapChainLimit = 6

    /// The lines before `line` (number `number`) that a hard wrap cut from one line with it, each
    /// continuing the one before (`continuesWrap`, the wrap at least as wide as every line), first
    /// one first (in `wrapParts`), and how many; nil when the line before continues into nothing.
    /// Read back to line `floor` at most; sets `wrapWidth` to the widest line of the chain.
    func wrapChain(before line: UnsafeRawBufferPointer, number: Int, from floor: Int) -> Int? {
        guard let row = wrapRow(line), let first = previousLine(number: number),
            continuesWrap(line, after: first.bytes, width: 0, row: row)
        else { return nil }
        var width = max(first.bytes.count, LineEdges.trimmedLength(line))
        var begin = first
        wrapParts.removeAll(keepingCapacity: true)
        wrapParts.append(first.bytes)
        while wrapParts.count < Self.wrapChainLimit, number - wrapParts.count - 1 >= floor,
            let earlier = lineBefore(begin.place),
            continuesWrap(begin.bytes, after: earlier.bytes, width: width)
        {
            begin = earlier
            width = max(width, earlier.bytes.count)
            wrapParts.append(earlier.bytes)
        }
        wrapParts.reverse()
        wrapHead = begin.place
        wrapWidth = width
        return wrapParts.count
    }

    /// Where `line` may be a wrap's row by its own bytes (`continuesWrap`'s tests of the line alone):
    /// its length without trailing blanks, and its first word's start and end; nil when it starts as
    /// a record does, is too wide, is indented, or starts a message, a tool's field, a logger's
    /// source position or a shell prompt. O(its first bytes) and no line before it read: the chain's
    /// read-back starts only past it (`wrapChain`).
    func wrapRow(_ line: UnsafeRawBufferPointer) -> (length: Int, first: Int, word: Int)? {
        if Self.startsLikeRecord(line) { return nil }
        let n = LineEdges.trimmedLength(line)
        guard n <= min(Self.widestWrap, options.maxLineBytes) else { return nil }
        var i = 0
        if n > 1, line[0] == 0x20 { i = 1 }
        guard i < n, line[i] != 0x20, line[i] != 0x09 else { return nil }
        var word = i
        while word < n, line[word] != 0x20, line[word] != 0x09 { word += 1 }
        let rest = UnsafeRawBufferPointer(rebasing: line[i...])
        if Self.startsWithAny(rest, Self.messageHeads) || Self.isFieldHead(rest) { return nil }
        if Self.isSourcePosition(UnsafeRawBufferPointer(rebasing: line[i..<word])) || Self.hasShellPrompt(line) {
            return nil
        }
        return (n, i, word)
    }

    /// Whether `line` may be the rest of `before`, the line above it, cut by a hard wrap whose
    /// lines so far were at most `width` wide: no stamp, no logger or CI prefix, no message head, no
    /// indentation (one blank where a terminal cut before it), no table row, and `before` (no command
    /// line, no closed JSON value) could not have held its first word.
    /// The tests run cheapest first, those of `line` before those of `before` (whose registry test,
    /// `namesForeign`, is the dearest); all must hold. `row`: `wrapRow(line)`, when known.
    func continuesWrap(
        _ line: UnsafeRawBufferPointer, after before: UnsafeRawBufferPointer, width: Int,
        row known: (length: Int, first: Int, word: Int)? = nil
    ) -> Bool {
        guard let (n, i, word) = known ?? wrapRow(line) else { return false }
        let length = before.count
        guard length <= min(Self.widestWrap, options.maxLineBytes), !before.isEmpty,
            before.last != UInt8(ascii: "}"), before.last != UInt8(ascii: "]")
        else { return false }
        guard length + 1 + (word - i) > max(Self.narrowestWrap, width, length) else { return false }
        // A time anywhere near the start (an RFC 5424 header's, the Azure CLI's) is a stamp too.
        let shape = LineShape.read(
            UnsafeRawBufferPointer(rebasing: line.prefix(shapeWindow)), reference: options.reference, embedded: true)
        guard shape.timestamp == nil, shape.producer == nil else { return false }
        // Coloured output (ANSI escapes) is a live log's, not a pasted wrap's: its lines are read alone.
        if memchr(before.baseAddress!, 0x1B, before.count) != nil || memchr(line.baseAddress!, 0x1B, n) != nil {
            return false
        }
        // A table's row (columns two blanks apart) and a rule of dashes are lines of their own.
        let text = UnsafeRawBufferPointer(rebasing: line[i..<n])
        if Self.hasColumnGap(text) || !text.contains(where: { $0 | 0x20 &- 0x61 < 26 || $0 &- 0x30 < 10 }) {
            return false
        }
        return !Self.startsWithAny(before, Self.prompts) && !Self.isCmdlet(before)
            && !Self.hasShellPrompt(before) && !Self.namesForeign(before)
    }

    /// What the rules find on the lines `parts` and `line` read as one text (`fillWrapText`), with
    /// the registry it names: read with a blank between lines (a wrap at a blank dropped it) and
    /// without (a terminal cut a word), the more specific reading kept.
    typealias WrapReading = (verdict: Matcher.Findings, mention: RegistryMention?, aka: Bool, blank: Bool)

    /// Lines cut at one width, two or more of them (one a column shorter where the cut fell after a
    /// blank, which the read-back trims), look like a terminal's wrap: read without blanks first, and
    /// with them only where that reading finds a bare status (`unauthorized`, a 403 `DENIED`) and the
    /// blank reading the cause the body names (identity-permission, aad-credential, ip-not-allowed;
    /// matcher 26). Rows a ticket or an editor filled at the last blank may be as long by chance
    /// (`…"message":"client with` / `IP '…' is not allowed access. Refer https://aka.ms/acr/firewall`,
    /// 75 columns each), and a terminal may cut at a blank: then only the blank reading holds the
    /// cause the cut fell in. Any other gain is a terminal's cut inside a word broken again
    /// (`…anonym` / `ous token: … 401 Unauthorized` read `anonym ous` is a bare 401, not a cause).
    func joinedVerdict(_ parts: [UnsafeRawBufferPointer], _ line: UnsafeRawBufferPointer) -> WrapReading? {
        var best: WrapReading?
        let widest = parts.lazy.map(\.count).max() ?? 0
        let terminal = parts.count > 1 && parts.allSatisfy { $0.count >= widest - 1 }
        for blank in terminal ? [false, true] : [true, false] {
            fillWrapText(parts, line, blank: blank)
            let found: WrapReading? = wrapText.withUnsafeBytes { joined in
                matcher.prefilter.presence(in: joined, into: &wrapPresent)
                guard !wrapPresent.isEmpty, let verdict = matcher.evaluate(joined, present: wrapPresent),
                    verdict.type != nil
                else { return nil }
                var mention = RegistryParser.rejoinCutHost(
                    RegistryParser.firstMention(in: joined), row: joined, narrowest: Self.narrowestWrap
                ) { wrapHead.flatMap { lineBefore($0)?.bytes } }
                if mention?.objectName == true, !verdict.acrByNature { mention = nil }
                return (verdict, mention, Fields.isACRText(joined), blank)
            }
            if let found, (found.verdict.type?.specificity ?? 0) > (best?.verdict.type?.specificity ?? 0),
                !terminal || !blank || Self.namesCause(found.verdict.type, over: best?.verdict.type)
            {
                best = found
            }
        }
        return best
    }

    /// Whether the lines `parts` and `line` read as one (with blanks between them, or none where a
    /// terminal cut a word) call a status the registry's challenge (`Rule.challengeWords`) and, so
    /// read, hold no failure: the reading that keeps the words whole is the line's own.
    func callsChallenge(_ parts: [UnsafeRawBufferPointer], _ line: UnsafeRawBufferPointer) -> Bool {
        [false, true].contains { blank in
            fillWrapText(parts, line, blank: blank)
            return wrapText.withUnsafeBytes { joined in
                guard Rule.challengeNeedles.contains(where: { joined.contains($0) }) else { return false }
                matcher.prefilter.presence(in: joined, into: &wrapPresent)
                return wrapPresent.isEmpty || matcher.evaluate(joined, present: wrapPresent)?.type == nil
            }
        }
    }

    /// Whether `type` names the cause inside a 401 or 403 body that `bare` (the reading without
    /// blanks of rows of one length) found only as a bare status: the blank reading's gain there.
    static func namesCause(_ type: ErrorType?, over bare: ErrorType?) -> Bool {
        guard bare == .unauthorized || bare == .accessDenied else { return false }
        return type == .identityPermission || type == .aadCredential || type == .ipNotAllowed
    }

    /// The lines `parts` and `line` (its CR and trailing blanks left out) in `wrapText`, a blank
    /// between lines or none (a terminal cut a word). Never a blank inside a host the wrap cut in two
    /// (`RegistryParser.cutHostPiece`: `credentials for 'jyowingtiptoys` / `registry.azurecr.io/…`):
    /// a ticket's wrap cuts a word only where it is longer than a row.
    func fillWrapText(_ parts: [UnsafeRawBufferPointer], _ line: UnsafeRawBufferPointer, blank: Bool) {
        wrapText.removeAll(keepingCapacity: true)
        let widest = parts.lazy.map(\.count).max() ?? 0
        for (index, part) in parts.enumerated() {
            wrapText.append(contentsOf: part)
            // Without blanks, a line shorter than the others lost its last column, a blank, to the trim.
            guard blank || part.count < widest else { continue }
            let next = index + 1 < parts.count ? parts[index + 1] : line
            if RegistryParser.hostLabelEnd(next) == nil
                || RegistryParser.cutHostPiece(part, narrowest: Self.narrowestWrap) == nil
            {
                wrapText.append(0x20)
            }
        }
        wrapText.append(contentsOf: UnsafeRawBufferPointer(rebasing: line.prefix(LineEdges.trimmedLength(line))))
    }

    /// The excerpt of lines read as one (`joinedVerdict`'s `reading`), redacted.
    func joinedExcerpt(
        _ parts: [UnsafeRawBufferPointer], _ line: UnsafeRawBufferPointer, reading: WrapReading
    ) -> String {
        fillWrapText(parts, line, blank: reading.blank)
        return wrapText.withUnsafeBytes {
            Redactor.excerpt($0, focus: ExcerptFocus.position(of: reading.verdict.type, in: $0))
        }
    }

    /// Joins `line` (number `number`; `own`: its evidence when a rule fired on it) to the failure
    /// open on the line before it when a wrap may have cut that line there. The two lines read
    /// together give the failure a type where they say another (a one-line failure takes their
    /// reading whole: `PendingFailure.reread`) or the registry. A line that fires alone joins only
    /// after a line left open (`endsOpen`) or when the two lines say together what neither says
    /// alone; else it is a failure of its own (a table's next row, a retry). Returns whether it
    /// joined.
    func joinWrapped(_ line: UnsafeRawBufferPointer, number: Int, own: LineEvidence?) -> Bool {
        guard let open = pending, open.lineEnd == number - 1, own == nil || Fields.form(of: line) != open.form,
            let chained = wrapChain(before: line, number: number, from: open.line),
            wrapLine != open.lineEnd || continuesWrap(line, after: wrapParts[wrapParts.count - 1], width: wrapWidth)
        else { return false }
        let before = wrapParts[wrapParts.count - 1]
        // The whole failure read again when a wrap cut all of its lines.
        let whole = number - chained == open.line
        let joined = joinedVerdict(wrapParts, line)
        // A status whose own row fired, and that the wrap's next row calls the registry's challenge
        // (`-> HTTP 401 … (login endpoint reachable, auth` / `challenge)`): the whole line read again
        // is no failure, as it is unwrapped (`Rule.challengeWords`; round 21, matcher 27).
        if own == nil, whole, callsChallenge(wrapParts, line) {
            pending = nil
            keepWrap(line, number: number, wrapped: true)
            return true
        }
        let gains =
            joined.map {
                ($0.verdict.type != nil && $0.verdict.type != open.type) || (open.mention == nil && $0.mention != nil)
            } ?? false
        if let own {
            if let name = own.mention?.name, let openName = open.mention?.name, name != openName { return false }
            // A line that fires alone is the rest of the message only after a line left open (`…
            // unauthorized:`), or when the two read together say what neither says alone.
            let fresh =
                joined.map {
                    ($0.verdict.type != nil && $0.verdict.type != open.type && $0.verdict.type != own.verdict.type)
                        || (open.mention == nil && own.mention == nil && $0.mention != nil)
                } ?? false
            guard fresh || Self.endsOpen(before) else { return false }
            pending?.absorb(own, line: number, excerpt: { failureExcerpt(line, type: own.verdict.type) })
        } else if !gains {
            // Nothing gained: a cut only in a paste (the line before has no stamp or prefix of its own
            // either), after a line that did not end its sentence, and, unless that line was left
            // open, no tool's status words (`isStatusWords`: `Pushed`, `Login Succeeded` after
            // `…unauthorized: authentication required`).
            let shape = LineShape.read(
                UnsafeRawBufferPointer(rebasing: before.prefix(shapeWindow)), reference: options.reference,
                embedded: true)
            if Self.endsSentence(before) || shape.timestamp != nil || shape.producer != nil { return false }
            if !Self.endsOpen(before), Self.isStatusWords(line) { return false }
        }
        if let joined, gains {
            var evidence = LineEvidence(verdict: joined.verdict, mention: joined.mention, aka: joined.aka)
            evidence.status = Fields.status(in: line)
            let parts = wrapParts
            if whole {
                pending?.reread(evidence, line: number, excerpt: { .text(joinedExcerpt(parts, line, reading: joined)) })
            } else {
                pending?.absorb(evidence, line: number, excerpt: { .text(joinedExcerpt(parts, line, reading: joined)) })
            }
        }
        pending?.lineEnd = number
        keepWrap(line, number: number, wrapped: true)
        return true
    }

    /// Reads `line` (number `number`, at `lineStart`; `own`: its rules' reading, nil when none
    /// fired) with no failure open on the line before: when it continues that line cut by a wrap and
    /// the lines read together open a failure that says more than `line` alone (a failure where it
    /// has none, another type, the registry), they are matched as one line in the place of `line`
    /// (`matchLine`): the failure starts at `line`, never before a point a scan may resume from.
    /// Returns whether they opened or joined a failure; nil when they were not read as one.
    func matchJoined(
        _ line: UnsafeRawBufferPointer, number: Int, own: Matcher.Findings?, found: inout [Occurrence],
        resolveTime: () -> Void, lazy: (region: UnsafeRawBufferPointer, start: Int)?
    ) -> Bool? {
        // (The chain first: for most lines its first, cheapest tests end the read-back.)
        guard !readingJoined, pending?.lineEnd != number - 1,
            wrapChain(before: line, number: number, from: (pending?.lineEnd ?? 0) + 1) != nil,
            !Self.namesOwnRegistry(UnsafeRawBufferPointer(rebasing: line.prefix(LineEdges.trimmedLength(line)))),
            let joined = joinedVerdict(wrapParts, line),
            joined.verdict.opens
        else { return nil }
        if let own {
            let gains =
                joined.verdict.type != own.type
                || (joined.mention != nil && RegistryParser.firstMention(in: line) == nil)
            guard gains else { return nil }
        }
        fillWrapText(wrapParts, line, blank: joined.blank)
        let text = wrapText
        let width = wrapWidth
        let (savedLines, savedStart) = (lines, lineStart)
        let savedPresent = present
        let savedCarry = carrySource
        lines = number - 1
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
                joinedLine, found: &found, resolveTime: resolveTime, lazy: lazy)
        }
        guard matched, pending?.lineEnd == number else { return matched }
        wrapLine = number
        wrapWidth = width
        return true
    }

    /// Reads `line` (number `number`), on which no rule is read, after the open failure's last line
    /// (`joinWrapped`), or read back with the lines before it (`matchJoined`) when `candidateBefore`:
    /// the line before holds a rule's literal or fired (`lastRuleLine`), or `line` is itself a
    /// candidate no rule can fire on alone. Returns whether it opened or joined a failure.
    func readWrappedLine(
        _ line: UnsafeRawBufferPointer, number: Int, candidateBefore: Bool, found: inout [Occurrence],
        resolveTime: () -> Void, lazy: (region: UnsafeRawBufferPointer, start: Int)?
    ) -> Bool {
        if pending?.lineEnd == number - 1 { return joinWrapped(line, number: number, own: nil) }
        guard candidateBefore else { return false }
        return matchJoined(line, number: number, own: nil, found: &found, resolveTime: resolveTime, lazy: lazy)
            == true
    }

    /// Notes `line` (number `number`) as the open failure's last line: the widest line of its wrap
    /// grows with a line joined by a wrap (`wrapped`), and starts again at any other.
    func keepWrap(_ line: UnsafeRawBufferPointer, number: Int, wrapped: Bool) {
        let length = LineEdges.trimmedLength(line)
        wrapWidth = wrapped && wrapLine == number - 1 ? max(wrapWidth, length) : length
        wrapLine = number
    }
}
