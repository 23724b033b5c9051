import ArgumentParser
import LogIngest
import LogModel
import LogReport
import LogStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `acrscan export [filters] --format ndjson|csv [--output FILE]`: occurrences for a fleet engine.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export occurrences as NDJSON or CSV (fields: docs/export.md).")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var filters: FilterOptions

    @Option(
        help: ArgumentHelp("ndjson (one JSON object per line) or csv (RFC 4180, with a header).", valueName: "FORMAT"))
    var format: ExportFormat = .ndjson

    @Option(help: ArgumentHelp("Write to FILE instead of standard output.", valueName: "FILE"))
    var output: String?

    func run() throws {
        let filter = try filters.filter(now: Timestamp.now())
        let store = try database.open(readOnly: true)
        let sink = try Sink(path: output)
        let ok = try Self.write(store, filter, format: format, to: sink)
        guard ok else {
            // A reader that closed the pipe early (`acrscan export | head`) ends the command quietly.
            guard let output else { throw ExitCodeQuiet() }
            throw Failure(message: "\(output): write failed: \(sink.failure ?? Errno.current)", status: .inputProblems)
        }
    }

    /// Writes the header and every occurrence of `filter` (its scan selection included) to
    /// `sink`; false once the reader has gone or a write failed.
    static func write(_ store: Store, _ filter: OccurrenceFilter, format: ExportFormat, to sink: Sink) throws -> Bool {
        sink.buffer.append(contentsOf: Exporter.header(format).utf8)
        var ok = true
        do throws(StoreError) {
            try store.export(filter) { row in
                Exporter.write(row, format: format, into: &sink.buffer)
                if sink.buffer.count >= 1 << 16 { ok = sink.flush() }
                return ok
            }
        } catch {
            throw Failure.database(error)
        }
        return ok && sink.flush()
    }
}

extension ExportFormat: ExpressibleByArgument {}

/// Buffered writes to standard output or a file: append to `buffer`, then `flush`.
final class Sink {
    private let fd: Int32
    /// Bytes not written yet.
    var buffer: [UInt8] = []
    /// Why the last write failed, once one has.
    private(set) var failure: Errno?

    /// Standard output, or `path` created or truncated.
    init(path: String?) throws {
        buffer.reserveCapacity(1 << 17)
        guard let path else {
            fd = 1
            return
        }
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(message: "\(path): cannot write: \(Errno.current)", status: .inputProblems) }
    }

    deinit {
        _ = flush()
        if fd != 1 { close(fd) }
    }

    /// Writes the buffer out; false once the reader has gone or a write failed.
    func flush() -> Bool {
        defer { buffer.removeAll(keepingCapacity: true) }
        let result = buffer.withUnsafeBytes { writeAll(fd, $0) }
        if case .failure(let error) = result { failure = error }
        return failure == nil
    }
}
