import Dispatch
import LogModel
import LogScanner
import LogStore

/// One file to sweep and the host whose log it is.
public struct SweepInput: Sendable, Equatable {
    /// The path (`-` for standard input).
    public var path: String
    /// The host the log belongs to.
    public var host: String

    /// An input.
    public init(path: String, host: String) {
        self.path = path
        self.host = host
    }
}

/// Settings of a sweep.
public struct SweepOptions: Sendable {
    /// Re-read every file from its start (`scan --full`); stored occurrences are not duplicated.
    public var full: Bool
    /// Re-read the files that an older matcher version read, replacing their occurrences
    /// (`scan --reclassify`).
    public var reclassify: Bool
    /// Files scanned at once.
    public var jobs: Int
    /// Bytes per read.
    public var chunkSize: Int
    /// Occurrences per transaction, at most.
    public var batchSize: Int
    /// A file's position is committed at least every this many bytes, even without occurrences.
    public var checkpointBytes: Int64
    /// The zone of times written without one (`scan --assume-tz`); UTC by default.
    public var zone: LocalZone = .utc
    /// Whether unknown-shape candidates are collected; `ACRSCAN_UNKNOWNS=off` turns them off, only to
    /// measure their cost (scripts/bench.sh).
    public var collectsUnknowns = true
    /// Memory for occurrences waiting to be committed, in all jobs together: each job fills one
    /// batch while its previous one commits, so a batch is committed when it reaches
    /// `batchMemory / (2 × jobs)` bytes (or `batchSize` occurrences), whichever comes first.
    public var batchMemory: Int

    /// The bytes of occurrences at which one job's batch is committed, when `working` jobs read
    /// files (fewer than `jobs` when fewer files were given: the memory of the idle ones is theirs).
    public func batchBytesPerJob(working: Int? = nil) -> Int {
        max(64 * 1024, batchMemory / (2 * max(1, min(jobs, working ?? jobs))))
    }

    /// Options of a sweep.
    public init(
        full: Bool = false, reclassify: Bool = false, jobs: Int = 1, chunkSize: Int = 256 * 1024,
        batchSize: Int = 65536, checkpointBytes: Int64 = 64 << 20, batchMemory: Int = 4 << 20
    ) {
        self.full = full
        self.reclassify = reclassify
        self.jobs = max(1, jobs)
        self.chunkSize = max(Fingerprint.maxLength, chunkSize)
        self.batchSize = max(1, batchSize)
        self.checkpointBytes = max(1, checkpointBytes)
        self.batchMemory = max(0, batchMemory)
    }
}

/// What a sweep did.
public struct SweepSummary: Sendable, Equatable {
    /// Files handled, and those of them found unchanged (nothing read beyond a first look).
    public var files = 0
    public var unchanged = 0
    /// Content bytes read: new bytes scanned, plus what had to be decompressed or read
    /// (standard input) to reach them. Seeks over plain files and the first look cost nothing here.
    public var bytes: Int64 = 0
    /// Lines scanned.
    public var lines = 0
    /// Occurrences found, and how many of them were new to the store.
    public var found = 0
    public var added = 0
    /// Files re-read to replace what an older matcher found, and the net number of occurrences that replacing removed (`added` counts the net additions).
    public var reclassified = 0
    public var removed = 0
    /// Inputs that could not be read, or not completely.
    public var problems: [InputError] = []
    /// Whether `Sweep.stop()` ended the sweep early; what it read is committed, and a later sweep
    /// goes on from there.
    public var interrupted = false

    /// An empty summary.
    public init() {}
}

extension SweepSummary {
    /// What the `scans` table records of this sweep; `problems` counts the inputs named as
    /// problems by the sweep and by the caller.
    public func totals(problems: Int) -> ScanTotals {
        ScanTotals(
            files: files, unchanged: unchanged, bytes: bytes, lines: lines, found: found, added: added,
            reclassified: reclassified, removed: removed, problems: problems, interrupted: interrupted)
    }
}

/// Progress of a running sweep, for a progress bar.
public struct SweepProgress: Sendable {
    /// Files finished and files in all.
    public var filesDone: Int, filesTotal: Int
    /// Content bytes read so far.
    public var bytes: Int64
    /// The file being read most recently.
    public var current: String
}

/// Scans files into the store: only new bytes of files seen before, rotated and compressed copies
/// recognised by their content, each batch of occurrences committed with the position it reaches
/// (docs/schema.md, "Identity rules").
///
/// Files are scanned in parallel (`jobs`); every store access runs on one serial queue, so the
/// store (not thread-safe) has one user at a time. Two inputs that may hold the same content (their
/// first bytes match the same stored records) are never read at once: the later one waits for the
/// next round, where it finds what the first one stored.
public final class Sweep: @unchecked Sendable {
    let store: Store
    let options: SweepOptions
    let matcher: Matcher
    let writer = DispatchQueue(label: "acrscan.store")
    // The fields below are touched on `writer` only.
    var summary = SweepSummary()
    var progress: SweepProgress
    var failure: StoreError?
    /// Records claimed by a file being read.
    var inFlight: Set<Int64> = []
    /// Set by `stop()`: workers stop between chunks, committing what they have.
    let stopping = Flag()
    /// The jobs no file takes (fewer files than jobs): each lends a thread to decompress a
    /// compressed file ahead of its scan (`ReadAhead`).
    let spare = SpareThreads()
    /// The bytes at which a job's batch is committed: `batchMemory` shared by the jobs that read
    /// files (set by `run` before any starts).
    var batchBytes: Int

    /// A sweep into `store`.
    public init(store: Store, options: SweepOptions, matcher: Matcher = .standard) {
        self.store = store
        self.options = options
        self.matcher = matcher
        self.progress = SweepProgress(filesDone: 0, filesTotal: 0, bytes: 0, current: "")
        self.batchBytes = options.batchBytesPerJob()
    }

    /// Asks the sweep to stop soon (at the next chunk of each file being read), from any thread:
    /// each file's occurrences so far are committed with the position they reach, no new file is
    /// started, and `run` returns a summary marked `interrupted`.
    public func stop() { stopping.set() }

    /// Scans `inputs`. Input problems are collected in the summary and the sweep goes on; a store
    /// failure stops it and is thrown, with everything committed before it kept.
    public func run(_ inputs: [SweepInput], now: Int64, onProgress: (@Sendable (SweepProgress) -> Void)? = nil)
        throws(StoreError) -> SweepSummary
    {
        writer.sync { progress.filesTotal = inputs.count }
        var index = 0
        return try run(
            feed: {
                defer { index += 1 }
                return index < inputs.count ? inputs[index] : nil
            }, counting: false, now: now, onProgress: onProgress)
    }

    /// Scans the inputs that `next` hands out until it returns nil, as a stream: a walk of a
    /// directory tree can feed the sweep while it goes, and no list of every file is ever built.
    /// `next` is called from the workers, one call at a time. `progress.filesTotal` counts the
    /// inputs handed out so far.
    public func run(
        feed next: @escaping () -> SweepInput?, counting: Bool = true, now: Int64,
        onProgress: (@Sendable (SweepProgress) -> Void)? = nil
    ) throws(StoreError) -> SweepSummary {
        let feed = Feed(next)
        // Fewer inputs than jobs (the feed ends within the first `jobs`): the jobs left over lend
        // their threads to decompress ahead of the scans.
        // They also leave their share of the batch memory to the jobs that read (one file at two jobs:
        // batches twice as large, half as many commits; docs/performance.md, "Branch `storerate4`").
        if let count = feed.prefetch(options.jobs), count < options.jobs {
            spare.set(options.jobs - count)
            batchBytes = options.batchBytesPerJob(working: count)
        } else {
            batchBytes = options.batchBytesPerJob()
        }
        var round: [SweepInput]? = nil  // nil: the first round, from the feed
        while true {
            let deferred = Deferred()
            let group = DispatchGroup()
            let files = round
            let counter = Counter()
            let jobs = files.map { min(options.jobs, $0.count) } ?? options.jobs
            for _ in 0..<jobs {
                DispatchQueue.global().async(group: group) {
                    let buffer = UnsafeMutableRawBufferPointer.allocate(
                        byteCount: self.options.chunkSize, alignment: LogFile.bufferAlignment)
                    defer { buffer.deallocate() }
                    while true {
                        if self.stopping.isSet || self.writer.sync(execute: { self.failure != nil }) { return }
                        let taken: (Int, SweepInput)?
                        if let files {
                            taken = counter.take(below: files.count).map { ($0, files[$0]) }
                        } else {
                            taken = feed.take()
                            if counting, taken != nil { self.writer.sync { self.progress.filesTotal += 1 } }
                        }
                        guard let (index, input) = taken else { return }
                        if !self.sweep(input, now: now, buffer: buffer, onProgress: onProgress) {
                            deferred.add(index, input)
                        }
                    }
                }
            }
            group.wait()
            if stopping.isSet || writer.sync(execute: { self.failure != nil }) { break }
            let later = deferred.inputs
            if later.isEmpty { break }
            round = later
        }
        var (summary, failure) = writer.sync { (self.summary, self.failure) }
        if let failure { throw failure }
        summary.interrupted = stopping.isSet
        return summary
    }

    /// Runs `body` on the store queue; after a store failure, or when `body` fails, nothing more is
    /// written and the failure is kept for `run` to throw.
    func write<T>(_ body: () throws(StoreError) -> T) -> T? {
        writer.sync {
            guard failure == nil else { return nil }
            do throws(StoreError) {
                return try body()
            } catch {
                failure = error
                return nil
            }
        }
    }

    /// Adds `bytes` read from `path` to the progress and hands it to `onProgress` (on the writer queue).
    func advanceProgress(bytes: Int64, path: String, _ onProgress: @escaping @Sendable (SweepProgress) -> Void) {
        writer.async { [self] in
            progress.bytes += bytes
            progress.current = path
            onProgress(progress)
        }
    }

    /// Counts a finished file.
    func finish(
        _ path: String, bytes: Int64, lines: Int, unchanged: Bool = false, problem: InputError? = nil,
        onProgress: (@Sendable (SweepProgress) -> Void)?
    ) {
        writer.sync {
            if let problem { summary.problems.append(problem) }
            summary.files += 1
            if unchanged { summary.unchanged += 1 }
            summary.bytes += bytes
            summary.lines += lines
            progress.filesDone += 1
            progress.current = path
            onProgress?(progress)
        }
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

/// A flag that any thread may set once and every thread may read.
final class Flag: @unchecked Sendable {
    private var value = false
    private let queue = DispatchQueue(label: "acrscan.flag")

    /// Whether it was set.
    var isSet: Bool { queue.sync { value } }

    /// Sets it.
    func set() { queue.sync { value = true } }
}

/// The inputs of a round put off to the next one, in input order.
final class Deferred: @unchecked Sendable {
    private var taken: [(Int, SweepInput)] = []
    private let queue = DispatchQueue(label: "acrscan.deferred")

    func add(_ index: Int, _ input: SweepInput) { queue.sync { taken.append((index, input)) } }

    var inputs: [SweepInput] { queue.sync { taken.sorted { $0.0 < $1.0 }.map(\.1) } }
}

/// The inputs of a sweep's first round, handed out one at a time to the workers, numbered.
final class Feed: @unchecked Sendable {
    private let next: () -> SweepInput?
    private var count = 0
    private var ended = false
    private let queue = DispatchQueue(label: "acrscan.feed")

    /// Inputs taken from `next` by `prefetch` and not handed out yet.
    private var ahead: [SweepInput] = []

    init(_ next: @escaping () -> SweepInput?) { self.next = next }

    /// Takes up to `limit` inputs from `next` ahead of `take`; the number of inputs in all when
    /// `next` ends within them, else nil.
    func prefetch(_ limit: Int) -> Int? {
        queue.sync {
            while !ended, ahead.count < limit {
                if let input = next() { ahead.append(input) } else { ended = true }
            }
            return ended ? ahead.count : nil
        }
    }

    func take() -> (Int, SweepInput)? {
        queue.sync {
            if !ahead.isEmpty {
                defer { count += 1 }
                return (count, ahead.removeFirst())
            }
            guard !ended, let input = next() else {
                ended = true
                return nil
            }
            defer { count += 1 }
            return (count, input)
        }
    }
}
