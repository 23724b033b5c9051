import Dispatch
import LogScanner

/// Settings of a sweep.
public struct SweepOptions: Sendable {
    /// The host the logs belong to.
    public var host: String
    /// Re-read every file from its start (`scan --full`); stored occurrences are not duplicated.
    public var full: Bool
    /// Files scanned at once.
    public var jobs: Int
    /// Bytes per read.
    public var chunkSize: Int
    /// Occurrences per transaction, at most.
    public var batchSize: Int
    /// A file's position is committed at least every this many bytes, even without occurrences.
    public var checkpointBytes: Int64

    /// Options for a sweep of `host`'s logs.
    public init(host: String, full: Bool = false, jobs: Int = 1, chunkSize: Int = 256 * 1024, batchSize: Int = 8192,
                checkpointBytes: Int64 = 64 << 20) {
        self.host = host
        self.full = full
        self.jobs = max(1, jobs)
        self.chunkSize = max(1, chunkSize)
        self.batchSize = max(1, batchSize)
        self.checkpointBytes = max(1, checkpointBytes)
    }
}

/// What a sweep did.
public struct SweepSummary: Sendable, Equatable {
    /// Files read (new bytes or not), files skipped because nothing was new.
    public var files = 0
    public var unchanged = 0
    /// Content bytes and lines scanned.
    public var bytes: Int64 = 0
    public var lines = 0
    /// Occurrences found, and how many of them were new to the store.
    public var found = 0
    public var added = 0
    /// Inputs that could not be read, or not completely.
    public var problems: [InputError] = []

    /// An empty summary.
    public init() {}
}

/// Progress of a running sweep, for a progress bar.
public struct SweepProgress: Sendable {
    /// Files finished and files in all.
    public var filesDone: Int, filesTotal: Int
    /// Content bytes scanned so far.
    public var bytes: Int64
    /// The file being read most recently.
    public var current: String
}

/// Scans files into the store: only new bytes of files seen before, rotated and compressed copies
/// recognised by fingerprint, each batch of occurrences committed with the position it reaches.
///
/// Files are scanned in parallel (`jobs`); every store access runs on one serial queue, so the
/// store (not thread-safe) has one user at a time.
public final class Sweep: @unchecked Sendable {
    let store: Store
    let options: SweepOptions
    let matcher: Matcher
    let writer = DispatchQueue(label: "acrscan.store")
    // The fields below are touched on `writer` only.
    var summary = SweepSummary()
    var progress: SweepProgress
    var failure: StoreError?

    /// A sweep into `store`.
    public init(store: Store, options: SweepOptions, matcher: Matcher = .standard) {
        self.store = store
        self.options = options
        self.matcher = matcher
        self.progress = SweepProgress(filesDone: 0, filesTotal: 0, bytes: 0, current: "")
    }

    /// Scans `files` (as expanded by `PathWalker`). Input problems are collected in the summary and
    /// the sweep goes on; a store failure stops it and is thrown, with everything committed before it kept.
    public func run(files: [String], now: Int64, onProgress: (@Sendable (SweepProgress) -> Void)? = nil) throws(StoreError) -> SweepSummary {
        writer.sync { progress.filesTotal = files.count }
        let next = Counter()
        let group = DispatchGroup()
        for _ in 0..<min(options.jobs, max(1, files.count)) {
            DispatchQueue.global().async(group: group) {
                while let index = next.take(below: files.count) {
                    if self.writer.sync(execute: { self.failure != nil }) { return }
                    self.scan(files[index], now: now, onProgress: onProgress)
                }
            }
        }
        group.wait()
        let (summary, failure) = writer.sync { (self.summary, self.failure) }
        if let failure { throw failure }
        return summary
    }

    /// Scans one file into the store, from where the last sweep stopped.
    func scan(_ path: String, now: Int64, onProgress: (@Sendable (SweepProgress) -> Void)?) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(options.chunkSize, Fingerprint.maxLength), alignment: 16)
        defer { buffer.deallocate() }
        do {
            let file = try LogFile(path: path)
            var filled = 0
            while filled < Fingerprint.maxLength {
                let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                if n == 0 { break }
                filled += n
            }
            guard filled > 0 else { return finish(path, bytes: 0, lines: 0, problem: nil, onProgress: onProgress) }
            let prefix = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            let known = try writer.sync { () throws(StoreError) in try store.file(host: options.host, prefix: prefix) }
            var record = known ?? FileRecord(host: options.host, fingerprint: Fingerprint(prefix: prefix), path: path)
            record.fingerprint = Fingerprint(prefix: prefix)
            record.path = path
            if options.full || record.matcherVersion != Matcher.version {
                record.position = ScanPosition()
                record.matcherVersion = Matcher.version
            }
            let start = record.position.offset
            if start > 0, !file.isGzip, let size = file.sizeOnDisk, size == start {
                // Nothing new: only the record's path and fingerprint may have changed.
                if record != known { commit([], record: &record, now: now) }
                writer.sync { summary.unchanged += 1 }
                return finish(path, bytes: 0, lines: 0, problem: nil, onProgress: onProgress)
            }
            if start <= Int64(filled) {
                let pending = UnsafeRawBufferPointer(rebasing: buffer[Int(start)..<filled])
                return scanRest(of: file, record: record, pending: pending, buffer: buffer, now: now, onProgress: onProgress)
            }
            let skipped = try file.skip(start - Int64(filled), scratch: buffer)
            if Int64(filled) + skipped == start {
                return scanRest(of: file, record: record, pending: nil, buffer: buffer, now: now, onProgress: onProgress)
            }
            // Shorter than what was scanned: truncated and rewritten in place (copytruncate). The new
            // content is a new generation of the file, with offsets of its own.
            var fresh = FileRecord(host: options.host, fingerprint: Fingerprint(prefix: prefix), path: path)
            fresh.fileKey = "\(fresh.fingerprint.hash)-\(now)"
            scanRest(of: try LogFile(path: path), record: fresh, pending: nil, buffer: buffer, now: now, onProgress: onProgress)
        } catch let error as InputError {
            finish(path, bytes: 0, lines: 0, problem: error, onProgress: onProgress)
        } catch let error as StoreError {
            writer.sync { failure = failure ?? error }
        } catch {
            writer.sync { failure = failure ?? .sqlite(path: store.path, SQLiteError(code: 1, extendedCode: 1, message: "\(error)", sql: nil)) }
        }
    }

    /// Scans `file` from `record.position`: first the bytes already read (`pending`), then the rest.
    /// Commits a batch whenever it is full or enough bytes went by, and at the end.
    func scanRest(of file: LogFile, record initial: FileRecord, pending: UnsafeRawBufferPointer?, buffer: UnsafeMutableRawBufferPointer,
                  now: Int64, onProgress: (@Sendable (SweepProgress) -> Void)?) {
        var record = initial
        let scanner = OccurrenceScanner(matcher: matcher, options: ScanOptions(reference: ReferenceTime(milliseconds: file.modified)),
                                        start: record.position)
        var found: [Occurrence] = []
        var sinceCommit: Int64 = 0
        var problem: InputError?
        func feed(_ bytes: UnsafeRawBufferPointer) {
            scanner.scan(bytes, into: &found)
            sinceCommit += Int64(bytes.count)
            if found.count >= options.batchSize || sinceCommit >= options.checkpointBytes {
                record.position = scanner.checkpoint
                commit(found, record: &record, now: now)
                found.removeAll(keepingCapacity: true)
                sinceCommit = 0
            }
            if let onProgress { report(bytes: Int64(bytes.count), path: file.path, onProgress) }
        }
        if let pending, !pending.isEmpty { feed(pending) }
        do {
            while true {
                let n = try file.read(into: buffer)
                if n == 0 { break }
                feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            }
        } catch {
            problem = error
        }
        scanner.finish(into: &found)
        record.position = scanner.checkpoint
        commit(found, record: &record, now: now)
        finish(file.path, bytes: scanner.bytesScanned - initial.position.offset, lines: scanner.linesScanned - initial.position.lines,
               problem: problem, onProgress: nil)
    }

    func report(bytes: Int64, path: String, _ onProgress: @escaping @Sendable (SweepProgress) -> Void) {
        writer.async { [self] in
            progress.bytes += bytes
            progress.current = path
            onProgress(progress)
        }
    }

    /// Counts a finished file.
    func finish(_ path: String, bytes: Int64, lines: Int, problem: InputError?, onProgress: (@Sendable (SweepProgress) -> Void)?) {
        writer.sync {
            if let problem { summary.problems.append(problem) }
            summary.files += 1
            summary.bytes += bytes
            summary.lines += lines
            progress.filesDone += 1
            progress.current = path
            onProgress?(progress)
        }
    }

    /// Commits a batch and the file's position; after a store failure, nothing more is written.
    func commit(_ batch: [Occurrence], record: inout FileRecord, now: Int64) {
        var copy = record
        let ok = writer.sync { () -> Bool in
            guard failure == nil else { return false }
            do throws(StoreError) {
                let added = try store.commit(batch, file: &copy, now: now)
                summary.found += batch.count
                summary.added += added
                return true
            } catch {
                failure = error
                return false
            }
        }
        if ok { record = copy }
    }
}

/// A shared index handed out to worker threads.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let queue = DispatchQueue(label: "acrscan.counter")

    /// The next index below `limit`, or nil when all are taken.
    func take(below limit: Int) -> Int? {
        queue.sync {
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }
}
