import CFuzzer
import LogModel
import LogScanner

/// The program's entry point. SwiftPM links executables with `main` aliased to `<Module>_main`, a
/// symbol `-parse-as-library` never emits; this one runs libFuzzer's driver over `fuzz`.
@_cdecl("ScannerFuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzz)
}

/// libFuzzer's entry point. The first byte picks a chunk size (1-64) and a line piece size (64, 100
/// or 4096 bytes), the second a cut; the rest is the log. Checks that
/// - the chunking does not change the occurrences;
/// - a scan stopped at the cut and resumed from its checkpoint (what a sweep does after a commit or
///   a Ctrl-C) finds the same occurrences as one that never stopped: none lost, none twice (but for
///   a second logger's echo of a failure, which the filter forgets across a resume);
/// - `Redactor.excerpt` of the first lines is bounded and free of control characters.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    guard input.count >= 2 else { return 0 }
    let selector = input[0]
    let bytes = UnsafeRawBufferPointer(rebasing: input.dropFirst(2))
    // Small line pieces make the long-line path reachable with small inputs.
    let maxLineBytes = [64, 100, 4096][Int(selector >> 6) % 3]
    let chunk = 1 + Int(selector & 0x3F)
    let whole = scan(bytes, chunk: bytes.count, maxLineBytes: maxLineBytes)
    let pieces = scan(bytes, chunk: chunk, maxLineBytes: maxLineBytes)
    if whole != pieces {
        let first = zip(whole, pieces).first { $0 != $1 }.map { "\n\($0)\n\($1)" } ?? ""
        fatalError(
            "chunk size \(chunk), pieces of \(maxLineBytes): \(whole.count) vs \(pieces.count) occurrences\(first)")
    }
    let cut = bytes.count * Int(input[1]) / 255
    let stopped = OccurrenceScanner(options: options(maxLineBytes))
    var resumed: [Occurrence] = []
    feed(UnsafeRawBufferPointer(rebasing: bytes[..<cut]), to: stopped, chunk: chunk, into: &resumed)
    let checkpoint = stopped.checkpoint
    let rest = OccurrenceScanner(options: options(maxLineBytes), start: checkpoint)
    feed(UnsafeRawBufferPointer(rebasing: bytes[Int(checkpoint.offset)...]), to: rest, chunk: chunk, into: &resumed)
    rest.finish(into: &resumed)
    if !sameButEchoes(resumed, whole) {
        let first = zip(whole, resumed).first { $0 != $1 }.map { "\n\($0)\n\($1)" } ?? ""
        fatalError(
            "resumed at \(checkpoint.offset) (cut \(cut)): \(whole.count) vs \(resumed.count) occurrences\(first)")
    }
    // The first lines only: the scanner already redacts every candidate line it reports.
    var start = 0
    var lines = 0
    for (i, byte) in bytes.enumerated() where (byte == 0x0A || i == bytes.count - 1) && lines < 16 {
        lines += 1
        let excerpt = Redactor.excerpt(UnsafeRawBufferPointer(rebasing: bytes[start...i]))
        // and a `…`
        if excerpt.utf8.count > Redactor.maxExcerptBytes + 3 { fatalError("excerpt too long: \(excerpt.utf8.count)") }
        if excerpt.unicodeScalars.contains(where: isControl) { fatalError("control character in excerpt") }
        start = i + 1
    }
    return 0
}

/// Whether `resumed` holds every occurrence of `whole`, in order, and nothing more but repeats of an
/// earlier failure in the same second, as ChunkingRegressionTests.sameButEchoes.
func sameButEchoes(_ resumed: [Occurrence], _ whole: [Occurrence]) -> Bool {
    func echoKey(_ o: Occurrence) -> String? {
        o.timestamp.map { "\(o.type) \(o.registry ?? "-") \(o.repository ?? "-") \($0 / 1000)" }
    }
    var i = 0
    var seen: Set<String> = []
    for o in resumed {
        if i < whole.count, o == whole[i] {
            i += 1
        } else if echoKey(o).map({ !seen.contains($0) }) ?? true {
            return false
        }
        if let key = echoKey(o) { seen.insert(key) }
    }
    return i == whole.count
}

/// C0, DEL, C1 and bidirectional overrides: what an excerpt never holds.
func isControl(_ s: Unicode.Scalar) -> Bool {
    s.value < 0x20 || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value)
        || (0x2066...0x2069).contains(s.value)
}

func options(_ maxLineBytes: Int) -> ScanOptions {
    ScanOptions(reference: ReferenceTime(milliseconds: 1_795_000_000_000), maxLineBytes: maxLineBytes)
}

/// Feeds `bytes` to `scanner` in chunks of `chunk` bytes.
func feed(_ bytes: UnsafeRawBufferPointer, to scanner: OccurrenceScanner, chunk: Int, into found: inout [Occurrence]) {
    var i = 0
    while i < bytes.count {
        let end = min(i + max(1, chunk), bytes.count)
        scanner.scan(UnsafeRawBufferPointer(rebasing: bytes[i..<end]), into: &found)
        i = end
    }
}

/// The occurrences of a whole stream fed in chunks of `chunk` bytes.
func scan(_ bytes: UnsafeRawBufferPointer, chunk: Int, maxLineBytes: Int) -> [Occurrence] {
    let scanner = OccurrenceScanner(options: options(maxLineBytes))
    var found: [Occurrence] = []
    feed(bytes, to: scanner, chunk: chunk, into: &found)
    scanner.finish(into: &found)
    return found
}
