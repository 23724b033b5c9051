import CByteScan
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
        let head = commandHead(of: start, in: region)
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

    /// The first line of the command that the line starting at `start` continues: the earliest of the
    /// lines just before it (above `commandFloor`, at most `maxCommandLines` in all, none longer than
    /// `maxCommandBytes`) that each end with a continuation mark; `start` itself when none does.
    func commandHead(of start: Int, in region: UnsafeRawBufferPointer) -> Int {
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
        return head
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
        // The floor may lie past the region's last line (a carried command closed on it).
        guard lastStart <= n - 1, n - 1 - lastStart <= maxCommandBytes,
            Self.endsWithContinuation(UnsafeRawBufferPointer(rebasing: region[lastStart..<(n - 1)]))
        else { return }
        let head = commandHead(of: lastStart, in: region)
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

// MARK: - Records split in parts

/// One record of a container runtime's log file that may be a part of a longer line: containerd's CRI
/// format (`<RFC3339Nano> <stdout|stderr> <P|F> <text>`, `P` for every part of a line longer than its
/// 16 KiB buffer but the last; containerd `internal/cri/io/logger.go`, `redirectLogs`) or Docker's
/// json-file (`{"log":"<text>","stream":…}`, the text without its `\n` for every part but the last;
/// moby `daemon/logger/copier.go`, `Copier.copySrc`).
struct SplitRecord {
    enum Kind { case cri, jsonFile }
    var kind: Kind
    /// Whether the record is a part that the next record of its stream continues.
    var partial: Bool
    /// Whether the stream is stderr (else stdout).
    var stderr: Bool
    /// Where the record's text starts and ends in the line (for json-file, the escaped text).
    var textStart: Int
    var textEnd: Int

    /// `{"log":"`, json-file's record head, as one little-endian word (read every candidate line).
    static let jsonHead: UInt64 = 0x223A_2267_6F6C_227B
    static let jsonHeadLength = 8
    static let jsonStream: [UInt8] = Array(#"","stream":"std"#.utf8)
    /// How far from a record's end its stream key is looked for first: the keys after the text
    /// (`"stream"` and `"time"`: about 60 bytes) fit in it; a record with `"attrs"` is searched whole.
    static let keyWindow = 96

    /// The record `line` is, if it is one of the two formats. One C call (`acr_split_record`, the
    /// same reading as `readReference`): every candidate line of a json-file or CRI log and the
    /// line before it are read.
    static func read(_ line: UnsafeRawBufferPointer) -> SplitRecord? {
        guard let base = line.baseAddress else { return nil }
        var textStart = 0
        var textEnd = 0
        let record = Int(acr_split_record(base.assumingMemoryBound(to: UInt8.self), line.count, &textStart, &textEnd))
        guard record != 0 else { return nil }
        return SplitRecord(
            kind: record & Int(ACR_RECORD_JSON) != 0 ? .jsonFile : .cri,
            partial: record & Int(ACR_RECORD_PARTIAL) != 0,
            stderr: record & Int(ACR_RECORD_STDERR) != 0, textStart: textStart, textEnd: textEnd)
    }

    /// `read` in Swift: the reference the tests compare with.
    static func readReference(_ line: UnsafeRawBufferPointer) -> SplitRecord? {
        let n = line.count
        if n > jsonHeadLength, line.loadUnaligned(as: UInt64.self) == jsonHead {
            guard let at = streamKey(in: line), at + jsonStream.count + 3 <= n else { return nil }
            let err = line[at + jsonStream.count] == 0x65  // `stderr`
            let newline = at >= 2 && line[at - 2] == 0x5C && line[at - 1] == 0x6E
            let escaped = at >= 3 && line[at - 3] == 0x5C  // `\\n`: a backslash and an `n`, not a newline
            return SplitRecord(
                kind: .jsonFile, partial: !newline || escaped, stderr: err, textStart: jsonHeadLength, textEnd: at)
        }
        // `2026-11-20T03:14:15.123456789Z stderr P text`
        guard n > 30, line[0] &- 0x30 <= 9, line[4] == 0x2D, line[10] == 0x54 else { return nil }
        var i = 11
        while i < min(n, 48), line[i] != 0x20 { i += 1 }
        guard i + 10 <= n, line[i] == 0x20, line[i + 1] == 0x73, line[i + 2] == 0x74, line[i + 3] == 0x64 else {
            return nil
        }
        let stream = i + 1  // `stdout` or `stderr`
        guard line[stream + 6] == 0x20, line[stream + 7] == 0x50 || line[stream + 7] == 0x46, line[stream + 8] == 0x20
        else { return nil }
        return SplitRecord(
            kind: .cri, partial: line[stream + 7] == 0x50, stderr: line[stream + 3] == 0x65, textStart: stream + 9,
            textEnd: n)
    }

    /// Where a json-file record's stream key starts: in the record's last `keyWindow` bytes if it is
    /// there, else anywhere after the head. The text before it cannot hold the key, whose quotes
    /// JSON escapes inside a string, so the first in the window is the first in the line.
    /// One C call (`acr_json_stream_key`): every json-file candidate line and the line before it
    /// ask, and two searches through `firstIndex(of:from:)` were most of what a json-file
    /// look-alike line cost.
    static func streamKey(in line: UnsafeRawBufferPointer) -> Int? {
        guard let base = line.baseAddress else { return nil }
        let at = acr_json_stream_key(base.assumingMemoryBound(to: UInt8.self), line.count)
        return at < 0 ? nil : at
    }

    /// `streamKey(in:)` as two searches of `firstIndex(of:from:)`: the reference the tests compare with.
    static func streamKeyReference(in line: UnsafeRawBufferPointer) -> Int? {
        let window = max(jsonHeadLength, line.count - keyWindow)
        if let at = line.firstIndex(of: jsonStream, from: window) { return at }
        return window > jsonHeadLength ? line.firstIndex(of: jsonStream, from: jsonHeadLength) : nil
    }

    /// Whether `next` continues this partial record: the same format and stream.
    func continues(with next: SplitRecord) -> Bool { partial && next.kind == kind && next.stderr == stderr }
}

/// A partial record at the end of a region, kept for the first line of the next (`carryPartialRecord`).
struct CarriedRecord {
    var bytes: [UInt8]
    var number: Int
    var offset: Int64
    /// Whether the record is a candidate line by itself (a prefilter literal on it).
    var candidate: Bool
}

/// A line longer than the runtime's buffer is written as several records, and a failure's words may
/// be cut between them (`401 Unaut` | `horized`): the two records of one stream, a part and the record
/// that ends it, are matched as one line, at the first record's line, offset and time (matcher 12;
/// before, the words of each record were matched alone: the failure at the second record, or missed, or
/// without its registry). A pair is joined when one of its records holds a prefilter literal; a line
/// cut into three or more records joins its last two. A part at the end of a region is carried to the
/// next, so that any split of the input gives the same occurrences. Not read by `scanLinesEagerly`.
extension OccurrenceScanner {
    /// Whether the candidate line `region[start..<end]` was matched (or set aside) as part of a split
    /// record: a part joined with the record after it, or the end of a part that no literal showed,
    /// joined with it; a part at the end of the region is carried (`carriedRecord`).
    func joinSplitRecord(
        in region: UnsafeRawBufferPointer, start: Int, end: Int, into found: inout [Occurrence]
    ) -> Bool {
        if let skip = joinedRecordEnd, lineStart < skip { return true }
        // Most lines are no part and end none (one C call reads the line and the line before it).
        let base = region.baseAddress!
        if acr_split_join_possible(base.assumingMemoryBound(to: UInt8.self), start, end) == 0 { return false }
        let line = trimmingCR(UnsafeRawBufferPointer(rebasing: region[start..<end]))
        guard let record = SplitRecord.read(line) else { return false }
        if record.partial {
            let nextStart = end + 1
            guard nextStart < region.count else {
                carriedRecord = CarriedRecord(bytes: Array(line), number: lines + 1, offset: lineStart, candidate: true)
                return true
            }
            let nextEnd = base.distance(to: UnsafeRawPointer(memchr(base + nextStart, 0x0A, region.count - nextStart)!))
            let next = trimmingCR(UnsafeRawBufferPointer(rebasing: region[nextStart..<nextEnd]))
            guard let following = SplitRecord.read(next), record.continues(with: following),
                joinRecords(line, record, next, following)
            else { return false }
            joinedRecordEnd = lineStart + Int64(nextEnd + 1 - start)
            matchJoinedRecord(number: lines + 1, offset: lineStart, lazy: (region, start), into: &found)
            return true
        }
        // The end of a part that was no candidate itself (a candidate part joined it already).
        guard start > 0 else { return false }
        let before = lineStart(endingAt: start - 1, in: region, floor: 0)
        let previous = trimmingCR(UnsafeRawBufferPointer(rebasing: region[before..<(start - 1)]))
        guard let part = SplitRecord.read(previous), part.continues(with: record),
            joinRecords(previous, part, line, record)
        else { return false }
        joinedRecordEnd = lineStart + Int64(end + 1 - start)
        let offset = lineStart - Int64(start - before)
        matchJoinedRecord(number: lines, offset: offset, lazy: (region, before), into: &found)
        return true
    }

    /// Writes the line that `first` (a part) and `second` (the record after it) make into `recordText`:
    /// the first record up to its text's end, the second's text, the rest of the first (json-file's
    /// stream and time). False when it would be longer than a piece.
    func joinRecords(
        _ first: UnsafeRawBufferPointer, _ part: SplitRecord, _ second: UnsafeRawBufferPointer, _ next: SplitRecord
    ) -> Bool {
        let length = first.count + next.textEnd - next.textStart
        guard length <= options.maxLineBytes else { return false }
        recordText.removeAll(keepingCapacity: true)
        recordText.append(contentsOf: UnsafeRawBufferPointer(rebasing: first[..<part.textEnd]))
        recordText.append(contentsOf: UnsafeRawBufferPointer(rebasing: second[next.textStart..<next.textEnd]))
        recordText.append(contentsOf: UnsafeRawBufferPointer(rebasing: first[part.textEnd...]))
        return true
    }

    /// Matches `recordText` as the line numbered `number` at stream offset `offset`.
    func matchJoinedRecord(
        number: Int, offset: Int64, lazy: (region: UnsafeRawBufferPointer, start: Int)?, into found: inout [Occurrence]
    ) {
        let savedLines = lines
        let savedStart = lineStart
        defer {
            lines = savedLines
            lineStart = savedStart
        }
        lines = number - 1
        lineStart = offset
        // A coloured line is matched without its escape sequences, as `scanLines` matches it.
        if recordText.contains(0x1B) || recordText.withUnsafeBytes({ $0.firstIndex(ofFolded: Self.jsonEscape) != nil })
        {
            recordText.withUnsafeBytes { Self.stripANSI($0, into: &ansiLine) }
            swap(&recordText, &ansiLine)
        }
        recordText.withUnsafeBytes { text in
            matcher.prefilter.presence(in: text, into: &present)
            matcher.contextSet.presence(in: text, into: &contextPresent)
            guard !present.isEmpty else { return }
            carrySource = .none
            _ = matchLine(text, found: &found, lazy: lazy)
        }
    }

    /// At the start of a region: the part carried from the region before, joined with the region's
    /// first line when that ends it, else matched alone when it was a candidate.
    func finishCarriedRecord(in region: UnsafeRawBufferPointer, into found: inout [Occurrence]) {
        guard let carried = carriedRecord else { return }
        carriedRecord = nil
        let base = region.baseAddress!
        let end = base.distance(to: UnsafeRawPointer(memchr(base, 0x0A, region.count)!))
        let next = trimmingCR(UnsafeRawBufferPointer(rebasing: region[0..<end]))
        let joined = carried.bytes.withUnsafeBytes { first -> Bool in
            guard let part = SplitRecord.read(first), let following = SplitRecord.read(next),
                part.continues(with: following)
            else { return false }
            if !carried.candidate {
                matcher.prefilter.presence(in: next, into: &present)
                if present.isEmpty { return true }  // neither record holds a literal: nothing to match
            }
            guard joinRecords(first, part, next, following) else { return false }
            joinedRecordEnd = lineStart + Int64(end + 1)
            matchJoinedRecord(number: carried.number, offset: carried.offset, lazy: nil, into: &found)
            return true
        }
        if !joined, carried.candidate { matchCarriedAlone(carried, into: &found) }
    }

    /// Matches a carried part by itself (no record ended it).
    func matchCarriedAlone(_ carried: CarriedRecord, into found: inout [Occurrence]) {
        recordText.removeAll(keepingCapacity: true)
        recordText.append(contentsOf: carried.bytes)
        matchJoinedRecord(number: carried.number, offset: carried.offset, lazy: nil, into: &found)
    }

    /// At the end of a region: its last line, when a part that no candidate handling carried already.
    func carryPartialRecord(in region: UnsafeRawBufferPointer, regionOffset: Int64) {
        guard carriedRecord == nil, region.count > 1 else { return }
        let start = lineStart(endingAt: region.count - 1, in: region, floor: 0)
        if let skip = joinedRecordEnd, regionOffset + Int64(start) < skip { return }
        let line = trimmingCR(UnsafeRawBufferPointer(rebasing: region[start..<(region.count - 1)]))
        guard line.count <= options.maxLineBytes, let record = SplitRecord.read(line), record.partial else { return }
        carriedRecord = CarriedRecord(
            bytes: Array(line), number: lines, offset: regionOffset + Int64(start), candidate: false)
    }
}
