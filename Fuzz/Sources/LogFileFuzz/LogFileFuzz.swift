import CFuzzer
import Glibc
import LogModel
import LogScanner

/// The program's entry point (see ScannerFuzz): runs libFuzzer's driver over `fuzz`.
@_cdecl("LogFileFuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzz)
}

/// One scratch file per fuzzing process, rewritten for every input.
let scratch = "/tmp/acrscan-logfile-fuzz-\(getpid())"

/// libFuzzer's entry point: writes the input to a file, then reads it back through `LogFile` (plain,
/// gzip, zstd, xz or bzip2 by magic bytes; mutated members make truncated and corrupt streams) in
/// reads of a size taken from the input's last byte, checking that every failure is an
/// `InputError` naming the file and that a plain file comes back byte for byte (lz4 and journald
/// magic bytes are refused at open, named).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let fd = open(scratch, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { fatalError("cannot write \(scratch)") }
    if size > 0 { precondition(write(fd, data, size) == size) }
    close(fd)
    let readSize = 1 + Int(size > 0 ? data![size - 1] : 0) * 7
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 16)
    defer { buffer.deallocate() }
    var total = 0
    var compressed = false
    var refused = false
    do {
        let file = try LogFile(path: scratch)
        compressed = file.isCompressed
        while true {
            let n = try file.read(into: buffer)
            if n == 0 { break }
            precondition(n <= readSize)
            total += n
        }
        precondition(file.delivered == Int64(total))
    } catch {
        precondition(error.path == scratch, "an error that does not name the file: \(error)")
        if case .skipped = error { refused = true } else { precondition(compressed, "a plain file failed: \(error)") }
    }
    if !compressed, !refused { precondition(total == size, "plain file: \(total) of \(size) bytes") }
    return 0
}
