import LogModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Commands continued over lines

/// A command split over lines with a continuation mark (bash's `\`, PowerShell's backtick, cmd's `^`):
/// `az acr login \` / `  --name myacr`, as a person types it (bash's `> `, PSReadLine's `>> `, cmd's
/// `More? ` before the continued lines) or as a CI runner echoes a step's script (GitHub Actions'
/// `##[group]Run az acr login \` and the script's lines, coloured). The registry context of such a
/// command is that of its lines joined into one (matcher 12; before, the first line's alone: an
/// `az acr login \` named ACR without a name, and the failure after it had its registry NULL).
///
/// The lazy context search finds the last line with a context anchor; when that line belongs to a
/// continued command, the command's lines are joined (back to its first line, forward to its last,
/// within the region; at most `maxCommandLines` lines of at most `maxCommandBytes` bytes each) and the
/// joined text's update is taken. A command still open at the end of a region is carried
/// (`openCommand`) and finished on the first lines of the next, so that splitting the input anywhere
/// gives the same context (`SequenceClassTests`). Not kept across a resume (like `acrLoginLine`).
extension OccurrenceScanner {
    /// The most lines one continued command is joined over.
    static let maxCommandLines = 16
    /// The longest line that may be part of a continued command (a line read in pieces never is).
    var maxCommandBytes: Int { min(4096, options.maxLineBytes) }

    /// Whether the line ends with a continuation mark: `\`, a backtick or `^` as its last byte, after
    /// trailing blanks, a carriage return and the colour codes a runner's echo ends the line with.
    static func endsWithContinuation(_ line: UnsafeRawBufferPointer) -> Bool {
        var end = line.count
        while end > 0 {
            let c = line[end - 1]
            if c == 0x20 || c == 0x09 || c == 0x0D {
                end -= 1
                continue
            }
            // A trailing SGR sequence (`ESC[0m`).
            if c == 0x6D {
                var k = end - 2
                while k >= 0, line[k] == 0x3B || line[k] &- 0x30 <= 9 { k -= 1 }
                if k >= 1, line[k] == 0x5B, line[k - 1] == 0x1B {
                    end = k - 1
                    continue
                }
            }
            break
        }
        guard end > 0 else { return false }
        switch line[end - 1] {
        case 0x5C: return end < 2 || line[end - 2] != 0x5C  // `\`, not an escaped `\\`
        case 0x60, 0x5E: return true
        default: return false
        }
    }

    /// The prompts a shell prints before a continued line (bash's PS2, PSReadLine's, cmd's).
    static let continuationPrompts: [[UInt8]] = ["More? ", ">> ", "> "].map { Array($0.utf8) }

    /// Appends the text of one line of a continued command to `commandText`: without colour codes, the
    /// producer's wrapper (a CI timestamp, `indentation(of:)`) and a continuation prompt on a continued
    /// line, and without its continuation mark; a space between lines.
    func appendCommandLine(_ line: UnsafeRawBufferPointer, continued: Bool) {
        Self.stripANSI(trimmingCR(line), into: &commandScratch)
        commandScratch.withUnsafeBytes { text in
            var (prefix, body) = Self.indentation(of: text)
            if !continued { body = prefix }
            if continued, let prompt = Self.continuationPrompts.first(where: { Self.starts(text, with: $0, at: body) })
            {
                body += prompt.count
            }
            var end = text.count
            while end > body, text[end - 1] == 0x20 || text[end - 1] == 0x09 { end -= 1 }
            if end > body, text[end - 1] == 0x5C || text[end - 1] == 0x60 || text[end - 1] == 0x5E { end -= 1 }
            if !commandText.isEmpty { commandText.append(0x20) }
            if end > body { commandText.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[body..<end])) }
        }
        commandLines += 1
    }

    /// What the joined command says about the registry context.
    func commandUpdate() -> RegistryContext? {
        commandText.withUnsafeBytes { text in
            matcher.contextSet.presence(in: text, into: &commandPresent)
            guard !commandPresent.isEmpty else { return nil }
            return contextUpdate(of: text, loginServer: commandPresent.contains(matcher.contextLoginServer))
        }
    }

    /// The start of the line that ends at `newline` (its newline byte) in `region`, no earlier than `floor`.
    @inline(__always)
    func lineStart(endingAt newline: Int, in region: UnsafeRawBufferPointer, floor: Int) -> Int {
        lastNewline(region.baseAddress!, from: floor, to: newline).map { $0 + 1 } ?? floor
    }

    /// The update of the continued command that the line `region[start..<end]` belongs to: nil when it
    /// belongs to none (no line before it within the command's reach ends with a continuation mark and
    /// it ends with none itself); else the joined command's update, or the line's own when the joined
    /// text says nothing.
    func continuedCommandUpdate(in region: UnsafeRawBufferPointer, lineStart start: Int, lineEnd end: Int)
        -> RegistryContext??
    {
        guard end - start <= maxCommandBytes else { return nil }
        let base = region.baseAddress!
        var head = start
        var steps = 0
        while head > commandFloor, steps < Self.maxCommandLines - 1 {
            let newline = head - 1
            let before = lineStart(endingAt: newline, in: region, floor: commandFloor)
            guard newline - before <= maxCommandBytes,
                Self.endsWithContinuation(UnsafeRawBufferPointer(rebasing: region[before..<newline]))
            else { break }
            head = before
            steps += 1
        }
        if head == start, !Self.endsWithContinuation(UnsafeRawBufferPointer(rebasing: region[start..<end])) {
            return nil
        }
        commandText.removeAll(keepingCapacity: true)
        commandLines = 0
        var lineBegin = head
        while lineBegin < region.count {
            let newline = base.distance(to: UnsafeRawPointer(memchr(base + lineBegin, 0x0A, region.count - lineBegin)!))
            guard newline - lineBegin <= maxCommandBytes else { break }
            let line = UnsafeRawBufferPointer(rebasing: region[lineBegin..<newline])
            appendCommandLine(line, continued: lineBegin != head)
            if !Self.endsWithContinuation(line) || commandLines >= Self.maxCommandLines { break }
            lineBegin = newline + 1
        }
        if let update = commandUpdate() { return .some(update) }
        let line = UnsafeRawBufferPointer(rebasing: region[start..<end])
        matcher.contextSet.presence(in: line, into: &commandPresent)
        return .some(
            contextUpdate(of: trimmingCR(line), loginServer: commandPresent.contains(matcher.contextLoginServer)))
    }

    /// At the start of a region: finishes the command that the region before left open on its first
    /// lines, and sets the context to the joined command's update. Returns the offset after the
    /// command's last line in this region (0 when none was open; the region's end when it is still open).
    func finishOpenCommand(in region: UnsafeRawBufferPointer) -> Int {
        commandFloor = 0
        guard openCommand else { return 0 }
        let base = region.baseAddress!
        var lineBegin = 0
        while lineBegin < region.count {
            let newline = base.distance(to: UnsafeRawPointer(memchr(base + lineBegin, 0x0A, region.count - lineBegin)!))
            let line = UnsafeRawBufferPointer(rebasing: region[lineBegin..<newline])
            guard line.count <= maxCommandBytes else { break }
            appendCommandLine(line, continued: true)
            lineBegin = newline + 1
            if !Self.endsWithContinuation(line) || commandLines >= Self.maxCommandLines {
                closeOpenCommand()
                commandFloor = lineBegin
                return lineBegin
            }
        }
        if lineBegin >= region.count { return region.count }  // still open: carried on
        closeOpenCommand()
        commandFloor = lineBegin
        return lineBegin
    }

    /// Ends the carried command: its joined text's update becomes the context.
    func closeOpenCommand() {
        guard openCommand else { return }
        openCommand = false
        if let update = commandUpdate() { context = update }
    }

    /// At the end of a region whose context is resolved: when its last line ends with a continuation
    /// mark, the command it belongs to is carried into the next region (`openCommand`).
    func carryOpenCommand(in region: UnsafeRawBufferPointer, stillOpen: Bool) {
        if stillOpen { return }  // the carried command went on over the whole region
        let n = region.count
        guard n > 0 else { return }
        let lastStart = lineStart(endingAt: n - 1, in: region, floor: commandFloor)
        guard lastStart < n - 1 || lastStart == n - 1,
            n - 1 - lastStart <= maxCommandBytes,
            Self.endsWithContinuation(UnsafeRawBufferPointer(rebasing: region[lastStart..<(n - 1)]))
        else { return }
        var head = lastStart
        var steps = 0
        while head > commandFloor, steps < Self.maxCommandLines - 1 {
            let newline = head - 1
            let before = lineStart(endingAt: newline, in: region, floor: commandFloor)
            guard newline - before <= maxCommandBytes,
                Self.endsWithContinuation(UnsafeRawBufferPointer(rebasing: region[before..<newline]))
            else { break }
            head = before
            steps += 1
        }
        commandText.removeAll(keepingCapacity: true)
        commandLines = 0
        let base = region.baseAddress!
        var lineBegin = head
        while lineBegin < n {
            let newline = base.distance(to: UnsafeRawPointer(memchr(base + lineBegin, 0x0A, n - lineBegin)!))
            appendCommandLine(
                UnsafeRawBufferPointer(rebasing: region[lineBegin..<newline]), continued: lineBegin != head)
            lineBegin = newline + 1
        }
        openCommand = commandLines < Self.maxCommandLines
    }
}

// MARK: - Python tracebacks

/// A Python exception printed after its traceback (`Rule.pythonTracebacks`): the frames that tell an ACR
/// client's failure from another SDK's come before the exception line. The traceback's first line is a
/// rule's anchor (`tracebackHead`); the bytes from it to the exception line are searched for an ACR
/// client's frame only when such an exception opens a failure, within `maxTracebackLines` lines and
/// `maxTracebackBytes` bytes of it. At the end of a region, a traceback still within reach that showed
/// no ACR frame yet has the region's bytes after it searched (`carryTraceback`), so that a traceback split
/// over regions is read as a whole one.
extension OccurrenceScanner {
    /// How many lines after a traceback's first line its exception may be printed.
    static let maxTracebackLines = 64
    /// How many bytes after a traceback's first line are searched for its frames.
    static let maxTracebackBytes: Int64 = 64 * 1024

    /// The paths of ACR clients' code in a frame (`File ".../site-packages/azure/containerregistry/…"`;
    /// the Azure CLI's acr module; Windows' backslashes).
    static let acrFrames: [[UInt8]] = [
        "azure/containerregistry/", "azure\\containerregistry\\", "command_modules/acr/", "command_modules\\acr\\",
    ].map { Array($0.utf8) }

    static func holdsACRFrame(_ b: UnsafeRawBufferPointer) -> Bool {
        acrFrames.contains { b.firstIndex(of: $0) != nil }
    }

    /// The bytes of `region` (which starts at stream offset `regionOffset`) after the traceback's first
    /// line and before `end`, within `maxTracebackBytes` of it.
    func tracebackSpan(
        _ head: (line: Int, offset: Int64, acr: Bool), in region: UnsafeRawBufferPointer,
        regionOffset: Int64, end: Int
    ) -> UnsafeRawBufferPointer {
        let from = Int(max(0, head.offset - regionOffset))
        let to = min(end, Int(max(0, head.offset + Self.maxTracebackBytes - regionOffset)))
        guard from < to else { return UnsafeRawBufferPointer(rebasing: region[0..<0]) }
        return UnsafeRawBufferPointer(rebasing: region[from..<to])
    }

    /// Whether the exception on line `number` (at `lazy.start` in its region) follows a traceback with an
    /// ACR client's frame.
    func followsACRTraceback(number: Int, lazy: (region: UnsafeRawBufferPointer, start: Int)?) -> Bool {
        guard let head = tracebackHead, number - head.line <= Self.maxTracebackLines else { return false }
        if head.acr { return true }
        guard let lazy else { return false }  // read line by line (`scanLinesEagerly`): `acr` is current
        let span = tracebackSpan(
            head, in: lazy.region, regionOffset: lineStart - Int64(lazy.start), end: lazy.start)
        return Self.holdsACRFrame(span)
    }

    /// At the end of a region: a traceback within reach whose ACR frame is not seen yet has the region's
    /// bytes after its first line searched; one out of reach is forgotten.
    func carryTraceback(in region: UnsafeRawBufferPointer, regionOffset: Int64) {
        guard let head = tracebackHead else { return }
        if lines - head.line > Self.maxTracebackLines {
            tracebackHead = nil
            return
        }
        if !head.acr,
            Self.holdsACRFrame(tracebackSpan(head, in: region, regionOffset: regionOffset, end: region.count))
        {
            tracebackHead?.acr = true
        }
    }
}
