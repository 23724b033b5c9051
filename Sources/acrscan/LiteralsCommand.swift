import ArgumentParser
import LogModel
import LogScanner

/// `acrscan literals`: prints the prefilter's literals, one per line (with `--context`, the context
/// anchors that are searched lazily instead); with `--candidates FILE…`, how many lines of the
/// files the prefilter stops at (the candidate rate of `scripts/bench.sh`), and the SIMD level it
/// ran at. Not shown in help: a tool for benchmarks.
struct LiteralsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "literals",
        abstract: "Print the prefilter literals, or the candidate rate of files (for benchmarks).",
        shouldDisplay: false)

    @Flag(help: "Count the candidate lines of the files instead of printing the literals.")
    var candidates = false

    @Flag(help: "Print the context anchors (searched lazily, not by the prefilter).")
    var context = false

    @Argument(help: "Log files (plain or gzip) for --candidates.")
    var files: [String] = []

    func run() throws {
        guard candidates else {
            let text = { (set: LiteralSet) in
                set.literals.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
            }
            Terminal.writeStdout(text(context ? Matcher.standard.contextSet : Matcher.standard.prefilter) + "\n")
            return
        }
        // The scanner's prefilter (rule anchors, the literals unknown shapes need, pipeline
        // markers), the rule anchors alone, and the prefilter with the context anchors, which the
        // scanner searched eagerly before the registry context was resolved lazily.
        let matcher = Matcher.standard
        let anchors = Set(
            Rule.standard.flatMap { Rule.prefilterExpansions[$0.anchor] ?? [$0.anchor] }.map { $0.lowercased() })
        let eager = (matcher.prefilter.literals + matcher.contextSet.literals).map {
            String(decoding: $0, as: UTF8.self)
        }
        // The prefilter's stops are split as the scanner treats them (`Matcher.candidacy(of:)`):
        // lines read, and lines left at once (only pipeline markers; only the unknown-shape
        // literals without failure words; look-alikes that no rule can fire on, told from their hits).
        let sets: [(String, LiteralSet, Bool)] = [
            ("prefilter", matcher.prefilter, true), ("rule anchors only", LiteralSet(anchors.sorted()), false),
            ("prefilter and context anchors (eager context)", LiteralSet(Array(Set(eager)).sorted()), false),
        ]
        var counts = [CandidateCount](repeating: CandidateCount(), count: sets.count)
        for path in files {
            for (i, set) in sets.enumerated() {
                counts[i].add(try CandidateCount.count(path: path, set: set.1, matcher: set.2 ? matcher : nil))
            }
        }
        let percent = { (part: Int, lines: Int) in String(format2: lines == 0 ? 0 : Double(part) / Double(lines) * 100)
        }
        for (i, set) in sets.enumerated() {
            let c = counts[i]
            var text =
                "\(set.0) (\(set.1.literals.count) literals): \(c.candidates) candidate lines of \(c.lines) (\(percent(c.candidates, c.lines))%)"
            if set.2 {
                let read = c.candidates - c.leftAtOnce
                text +=
                    "; read \(read) (\(percent(read, c.lines))%), left at once \(c.leftAtOnce) (pipeline markers alone; ACR evidence without failure words; look-alikes no rule can fire on)"
            }
            Terminal.writeStdout(text + "\n")
        }
        Terminal.writeStdout(
            "SIMD level: \(LiteralSet.name(ofLevel: LiteralSet.bestLevel)) (ACRSCAN_SIMD=avx2|ssse3|scalar lowers it)\n"
        )
    }
}

/// Lines of a stream and those the prefilter stops at, counted as `OccurrenceScanner.scanLines`
/// walks them: a hit, its line, then on from the next line.
struct CandidateCount {
    var lines = 0
    var candidates = 0
    /// Candidate lines that the scanner leaves at once (`Matcher.Candidacy.leftAtOnce`).
    var leftAtOnce = 0

    mutating func add(_ other: CandidateCount) {
        lines += other.lines
        candidates += other.candidates
        leftAtOnce += other.leftAtOnce
    }

    /// With `matcher` (then `set` is its prefilter), the candidate lines left at once are counted
    /// apart (`Matcher.candidacy(of:)`).
    static func count(path: String, set: LiteralSet, matcher: Matcher? = nil) throws -> CandidateCount {
        let file: LogFile
        do { file = try LogFile(path: path) } catch {
            throw Failure(message: error.description, status: .inputProblems)
        }
        let capacity = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 64)
        defer { buffer.deallocate() }
        var result = CandidateCount()
        var kept = 0  // bytes of an unfinished line at the buffer's start
        while true {
            let read: Int
            do { read = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[kept...])) } catch {
                throw Failure(message: error.description, status: .inputProblems)
            }
            let n = kept + read
            let region = UnsafeRawBufferPointer(rebasing: buffer[..<n])
            // The complete lines: up to the last newline (or everything at the end of the file).
            var end = n
            if read > 0 { while end > 0, region[end - 1] != 0x0A { end -= 1 } }
            if end == 0, read > 0, n < capacity {
                kept = n
                continue
            }
            if end == 0 { end = n }  // a line longer than the buffer: counted in pieces
            let lines = UnsafeRawBufferPointer(rebasing: region[..<end])
            result.lines += countNewlines(in: lines)
            var from = 0
            while let hit = set.firstMatch(in: lines, from: from) {
                result.candidates += 1
                var next = hit.position
                while next < end, lines[next] != 0x0A { next += 1 }
                if let matcher {
                    var begin = hit.position
                    while begin > from, lines[begin - 1] != 0x0A { begin -= 1 }
                    var line = UnsafeRawBufferPointer(rebasing: lines[begin..<next])
                    if line.last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
                    if matcher.candidacy(of: line) == .leftAtOnce { result.leftAtOnce += 1 }
                }
                from = next + 1
            }
            if read == 0 {
                if n > 0, region[n - 1] != 0x0A { result.lines += 1 }
                return result
            }
            kept = n - end
            if kept > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + end, byteCount: kept) }
        }
    }
}

extension String {
    /// `value` with two decimals.
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        self = "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
