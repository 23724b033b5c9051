import Dispatch
import LogModel
import LogScanner
import LogStore

/// How one file is read.
enum ReadMode {
    /// From the stored position on (new bytes only).
    case resume
    /// From the start, adding what is not stored yet (`--full`, same matcher version).
    case reread
    /// From the start, replacing every stored occurrence of the file in one transaction at the end
    /// (`--reclassify`, or `--full` over what an older matcher read).
    case replace
}

extension Sweep {
    /// Sweeps one file; false when it must wait for the next round (a file that may hold the same
    /// content is being read).
    func sweep(
        _ input: SweepInput, now: Int64, buffer: UnsafeMutableRawBufferPointer,
        onProgress: (@Sendable (SweepProgress) -> Void)?
    ) -> Bool {
        var claimed: [Int64] = []
        defer { if !claimed.isEmpty { writer.sync { inFlight.subtract(claimed) } } }
        do {
            return try sweepFile(input, now: now, buffer: buffer, claimed: &claimed, onProgress: onProgress)
        } catch {
            finish(input.path, bytes: 0, lines: 0, problem: error, onProgress: onProgress)
            return true
        }
    }

    private func sweepFile(
        _ input: SweepInput, now: Int64, buffer: UnsafeMutableRawBufferPointer, claimed: inout [Int64],
        onProgress: (@Sendable (SweepProgress) -> Void)?
    ) throws(InputError) -> Bool {
        let probe = input.path == "-" ? nil : Probe(path: input.path)
        if let probe, probe.isCompressed, !options.full {
            // A compressed file read to its end before is known by its compressed bytes: no decompression.
            guard
                let known = write({ () throws(StoreError) in
                    try store.file(host: input.host, compressed: probe.compressedIdentity)
                })
            else { return true }
            if let known, !(options.reclassify && known.matcherVersion < Matcher.version) {
                finish(input.path, bytes: 0, lines: 0, unchanged: true, onProgress: onProgress)
                return true
            }
        }
        // Plain files are read through the probe; compressed ones, and formats refused by name (lz4,
        // journald's binary files: `LogFile` throws), are opened as a source right away.
        let plain = probe.map { $0.detection == .plain } ?? false
        var source: Source? = plain ? nil : try Source(path: input.path)
        let head = source?.head ?? probe?.head ?? []
        guard !head.isEmpty else {
            finish(input.path, bytes: 0, lines: 0, onProgress: onProgress)
            return true
        }

        // Claim the records this content may continue, or insert a new one, in one step on the
        // store queue, so that no other worker reads the same content at the same time.
        let fingerprint = head.withUnsafeBytes { Fingerprint(prefix: $0) }
        let claim = write { () throws(StoreError) -> (candidates: [FileRecord], fresh: FileRecord?)? in
            let candidates = try store.files(host: input.host, head: head)
            if candidates.contains(where: { inFlight.contains($0.id ?? -1) }) { return nil }
            var fresh: FileRecord?
            if candidates.isEmpty {
                var record = FileRecord(host: input.host, fingerprint: fingerprint, path: input.path)
                try store.insert(&record, now: now)
                fresh = record
            }
            let ids = (candidates + [fresh].compactMap { $0 }).compactMap(\.id)
            inFlight.formUnion(ids)
            return (candidates, fresh)
        }
        guard let outcome = claim else { return true }  // store failure: `run` throws it
        guard let (candidates, fresh) = outcome else { return false }
        claimed = (candidates + [fresh].compactMap { $0 }).compactMap(\.id)

        var record: FileRecord
        if let fresh {
            record = fresh
        } else if let known = try locate(candidates, probe: plain ? probe : nil, source: source, buffer: buffer) {
            record = known
        } else if input.path != "-",
            let (copy, original) = try earlierCopy(
                of: candidates, path: input.path, probe: plain ? probe : nil, source: &source, buffer: buffer)
        {
            // An earlier or unfinished copy of content read before (logrotate's copytruncate met
            // half-way, a `cp` backup): nothing new in it. A compressed one was read to its end:
            // known by its compressed bytes from now on, never decompressed again.
            if copy.file.isCompressed, let probe {
                _ = write { () throws(StoreError) in
                    try store.remember(
                        probe.compressedIdentity, of: original, path: input.path, contentLength: copy.position, now: now
                    )
                }
            }
            finish(input.path, bytes: copy.bytesRead, lines: 0, unchanged: true, onProgress: onProgress)
            return true
        } else {
            // The same beginning, other content: a rewritten file (copytruncate, or a log written
            // anew at the same path). A new generation, with offsets of its own.
            guard
                let inserted = write({ () throws(StoreError) -> FileRecord in
                    var fresh = FileRecord(host: input.host, fingerprint: fingerprint, path: input.path)
                    try store.insert(&fresh, now: now)
                    inFlight.insert(fresh.id ?? -1)
                    return fresh
                })
            else { return true }
            record = inserted
            claimed.append(inserted.id ?? -1)
        }

        var mode = ReadMode.resume
        if fresh == nil {
            if options.reclassify, record.matcherVersion < Matcher.version {
                mode = .replace
            } else if options.full {
                mode = record.matcherVersion < Matcher.version ? .replace : .reread
            }
        }
        let unchangedRecord = record
        record.path = input.path
        if fingerprint.length >= record.fingerprint.length { record.fingerprint = fingerprint }
        if mode == .resume {
            record.matcherVersion = min(record.matcherVersion, Matcher.version)
        } else {
            record.position = ScanPosition()
            record.anchor = nil
        }

        // Read before up to its anchor (past the resume point when a failure was still open at its
        // end): unchanged unless it grew beyond that.
        let readBefore = max(record.position.offset, record.anchor?.offset ?? 0)
        if mode == .resume, let probe, plain, readBefore > 0, readBefore >= probe.size {
            // Nothing new (a file shorter than the position matched its anchor: an earlier copy).
            if record != unchangedRecord {
                _ = write { () throws(StoreError) in try store.commit([], file: record, now: now) }
            }
            finish(input.path, bytes: 0, lines: 0, unchanged: true, onProgress: onProgress)
            return true
        }

        let src: Source
        if let source {
            src = source
        } else {
            src = try Source(path: input.path)
            source = src
        }
        let start = record.position.offset
        if src.position > start, src.position != Int64(src.head.count), !(try src.reopen()) {
            throw InputError.readFailed(path: input.path, reason: "standard input cannot be read again from its start")
        }
        var pending: ArraySlice<UInt8> = []
        if start < src.position {
            pending = src.head[Int(start)...]
        } else if !(try src.skip(to: start, scratch: buffer)) {
            // Shorter than the position its anchor matched before it: an earlier copy, nothing new.
            if record != unchangedRecord {
                _ = write { () throws(StoreError) in try store.commit([], file: record, now: now) }
            }
            finish(
                input.path, bytes: src.readsToSkip ? src.bytesRead : 0, lines: 0, unchanged: true,
                onProgress: onProgress)
            return true
        }
        scan(
            src, record: record, mode: mode, pending: pending, probe: probe, buffer: buffer, now: now,
            onProgress: onProgress)
        return true
    }

    /// The record whose content this file continues: the first candidate whose anchor matches the
    /// file's bytes there (candidates come largest anchor first). A record without an anchor (from
    /// schema 1) is taken on its fingerprint if the file is long enough.
    private func locate(
        _ candidates: [FileRecord], probe: Probe?, source: Source?, buffer: UnsafeMutableRawBufferPointer
    ) throws(InputError) -> FileRecord? {
        if let probe {
            return candidates.first { record in
                guard let anchor = record.anchor else { return record.position.offset <= probe.size }
                return probe.matches(anchor, scratch: buffer)
            }
        }
        guard let source else { return nil }
        if source.path == "-", options.full || options.reclassify { return candidates.first }
        for record in candidates {
            guard let anchor = record.anchor else { return record }
            let from = anchor.offset - Int64(anchor.window)
            if source.position > from, source.position != Int64(source.head.count) {
                guard try source.reopen() else { return nil }
            }
            if try source.matches(anchor, scratch: buffer) { return record }
        }
        return nil
    }

    /// Whether the file is an earlier or unfinished copy of content that a candidate record read
    /// further: shorter than that record's resume point (its anchor could not match) and, read from
    /// its start, giving exactly the occurrences stored for that record below the point it reaches
    /// (same offsets, lines and, for the same matcher version, excerpts), nothing more and nothing
    /// less. Returns the source that was read, and that record, when it is; nil (the source left to be reopened)
    /// when it is not, or no candidate is longer.
    ///
    /// A file rewritten with the same first KiB and the same failure lines at the same offsets is
    /// taken for such a copy (docs/schema.md, identity rule 2): then it holds nothing to store
    /// until it grows past that record's resume point, and from there it is a new generation.
    private func earlierCopy(
        of candidates: [FileRecord], path: String, probe: Probe?, source: inout Source?,
        buffer: UnsafeMutableRawBufferPointer
    ) throws(InputError) -> (Source, FileRecord)? {
        var alive = candidates.filter { record in
            guard record.position.offset > 0 else { return false }
            guard let probe else { return true }
            return probe.size < (record.anchor?.offset ?? record.position.offset)
        }
        guard !alive.isEmpty else { return nil }
        let src: Source
        if let source, source.position == Int64(source.head.count) {
            src = source
        } else if let source {
            guard try source.reopen() else { return nil }
            src = source
        } else {
            let opened = try Source(path: path)
            src = opened
            source = opened
        }
        let scanner = OccurrenceScanner(
            matcher: matcher,
            options: ScanOptions(reference: ReferenceTime(milliseconds: src.file.modified, zone: options.zone)))
        var found: [Occurrence] = []
        var matched = [Int](repeating: 0, count: alive.count)
        func check() -> Bool {
            let batch = found
            found.removeAll(keepingCapacity: true)
            guard !batch.isEmpty else { return true }
            let outcome = write { () throws(StoreError) -> [Int] in
                var outcome: [Int] = []
                for record in alive {
                    let matches = try store.holds(
                        batch, file: record, compareExcerpts: record.matcherVersion == Matcher.version)
                    outcome.append(matches ? batch.count : -1)
                }
                return outcome
            }
            guard let outcome else { return false }
            var kept: [FileRecord] = []
            var keptMatched: [Int] = []
            for (i, n) in outcome.enumerated() where n >= 0 {
                kept.append(alive[i])
                keptMatched.append(matched[i] + n)
            }
            alive = kept
            matched = keptMatched
            return !alive.isEmpty
        }
        var endsWithNewline = src.head.last == 0x0A
        src.head.withUnsafeBytes { scanner.scan($0, into: &found) }
        while true {
            if found.count >= 1024, !check() { return nil }
            let n = try src.read(into: buffer)
            if n == 0 { break }
            endsWithNewline = buffer[n - 1] == 0x0A
            scanner.scan(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), into: &found)
        }
        guard check() else { return nil }
        // The failure still open at the end of whole lines: the record must hold it too, at that offset,
        // with the same first line and time (not the same excerpt: a copy may stop before its last
        // lines). Without this, another file with the same first KiB and the same failures up to its
        // last one (a job's log behind a fixed preamble, the next night: sweep workflow check) was
        // taken for a copy and its last failure was lost. A last line without its newline is not
        // judged (a copy still being written may cut it anywhere).
        var end = scanner.checkpoint.offset
        if endsWithNewline {
            var tail: [Occurrence] = []
            scanner.finish(into: &tail, keepingOpenFailure: true)
            if let open = tail.first {
                let held = write { () throws(StoreError) -> [Bool] in
                    try alive.map { record throws(StoreError) -> Bool in
                        try store.holds([open], file: record, compareExcerpts: false, openAtResume: true)
                    }
                }
                guard let held else { return nil }
                matched = zip(matched, held).filter { $0.1 }.map { $0.0 + 1 }
                alive = zip(alive, held).filter { $0.1 }.map { $0.0 }
                guard !alive.isEmpty else { return nil }
                end = open.offset + 1
            }
        }
        let counts = write { () throws(StoreError) -> [Int] in
            var counts: [Int] = []
            for record in alive { counts.append(try store.occurrenceCount(of: record, below: end)) }
            return counts
        }
        guard let counts else { return nil }
        return zip(zip(counts, matched), alive).first { $0.0.0 == $0.0.1 }.map { (src, $0.1) }
    }

    /// Scans `source` from `record.position` (after the `pending` bytes of its head): commits a
    /// batch whenever it is full (in occurrences or in bytes) or enough bytes went by, and at the
    /// end; in `.replace` mode stages the batches and swaps them in at the end.
    ///
    /// Before each commit, the bytes just before the last committed point (or the head, from the
    /// start) are read again through a second descriptor: if the file no longer holds them, it was
    /// truncated (and perhaps refilled) under the reader, the bytes read since may be another
    /// generation's, and they are dropped, not stored under this record (issue 14: copytruncate
    /// under a slow reader). A copy of the old content is read from that point by a later sweep.
    private func scan(
        _ source: Source, record initial: FileRecord, mode: ReadMode, pending: ArraySlice<UInt8>, probe: Probe?,
        buffer: UnsafeMutableRawBufferPointer, now: Int64, onProgress: (@Sendable (SweepProgress) -> Void)?
    ) {
        var record = initial
        let start = record.position
        let scanner = OccurrenceScanner(
            matcher: matcher,
            options: ScanOptions(
                reference: ReferenceTime(milliseconds: source.file.modified, zone: options.zone),
                collectsUnknowns: options.collectsUnknowns),
            start: start)
        var trailing = TrailingBytes(start: start.offset)
        // The KiB before the resume point, so that an anchor can be taken anywhere in what is read.
        let before = Int(min(start.offset, Int64(Fingerprint.maxLength)))
        if let window = source.bytes(count: before, before: start.offset) {
            trailing = TrailingBytes(start: start.offset - Int64(before))
            window.withUnsafeBytes { trailing.append($0) }
        }
        // The scanner packs its occurrences into `found` as it finds them (every text once per batch
        // in one arena), so a batch of the same memory holds more.
        var found = OccurrenceBatch()
        var unknowns: [UnknownCandidate] = []
        var unknownBytes = 0
        var sinceCommit: Int64 = 0
        var problem: InputError?
        var ok = true
        var rewritten = false
        // The last window known to be in the file: the anchor the resume point was found by, or the
        // head read from the start.
        var verified: ResumeCheck? =
            start.offset > 0 && record.anchor != nil
            ? record.anchor : ResumeCheck(offset: Int64(record.fingerprint.length), hash: record.fingerprint.hash)
        let batchBytes = self.batchBytes

        func checkpoint() {
            assert(
                scanner.checkpoint.offset >= trailing.askedFrom, "a checkpoint moved back: the trailing window lacks it"
            )
            record.position = scanner.checkpoint
            // A line that ends in a secret-bearing flag whose value starts the next line (`docker
            // login -u ci -p` then the password): the resume point stays before it, so that the
            // sweep that reads the next line reads it too and redacts the value (issue 14; the
            // redactor's carry is not part of the stored position). Files that do not grow move on.
            if source.isPlainFile,
                let line = trailing.line(endingAt: record.position.offset, limit: Sweep.carryLineLimit),
                line.bytes.withUnsafeBytes({ Redactor.carry(afterLine: $0) }) != Redactor.Carry.none
            {
                record.position.offset = line.start
                record.position.lines -= 1
            }
            if let anchor = trailing.anchor(at: record.position.offset) { record.anchor = anchor }
        }
        /// Whether the file still holds what was read; moves `verified` to the point being committed.
        func intact() -> Bool {
            if let anchor = verified, !source.stillHolds(anchor) {
                rewritten = true
                problem = .readFailed(
                    path: source.path,
                    reason: "truncated and rewritten while being read (copytruncate?); "
                        + "what was read since the last commit was dropped, a later sweep reads it from its copy")
                return false
            }
            if let anchor = record.anchor, anchor.offset == record.position.offset { verified = anchor }
            return true
        }
        // Batches are committed on the store queue while scanning goes on, at most `inFlight`
        // of them at a time (memory stays bounded); the queue is serial, so they commit in order.
        let inFlight = DispatchSemaphore(value: 1)
        // The batch the writer committed last, emptied with its memory kept (touched on `writer`
        // only): the next batch is filled in it, not grown from nothing (each growth of a large
        // array is a new mapping, its pages faulted in and the old ones copied).
        let committed = BatchParcel()
        func flush() {
            checkpoint()
            guard intact() else { return }
            let parcel = BatchParcel()
            swap(&parcel.batch, &found)
            let candidates = unknowns
            let current = record
            // The writer done with the batch before: it has time to spare, and the excerpts of the
            // next batch are left to it (`UnfinishedExcerpt`); still at it: it is the busier
            // thread (a time-ordered log's store work can match the scan's), and the scanner
            // redacts them itself. The excerpts are the same either way.
            let writerIdle = inFlight.wait(timeout: .now()) == .success
            if !writerIdle { inFlight.wait() }
            scanner.defersExcerpts = writerIdle
            (ok, found) = writer.sync { (failure == nil, committed.take()) }
            writer.async { [self] in
                defer { inFlight.signal() }
                guard failure == nil else { return }
                // The excerpts the scanner left unfinished are redacted here, on the store's
                // thread, in the batch itself (the parcel holds its only reference).
                parcel.batch.redactExcerpts()
                do throws(StoreError) {
                    if mode == .replace {
                        try store.stage(parcel.batch, unknowns: candidates, file: current, now: now)
                    } else {
                        summary.added += try store.commit(
                            parcel.batch, unknowns: candidates, file: current, now: now)
                    }
                    summary.found += parcel.batch.count
                    parcel.batch.removeAll(keepingCapacity: true)
                    committed.batch = parcel.take()
                } catch {
                    failure = error
                }
            }
            unknownBytes = 0
            unknowns = []
            sinceCommit = 0
        }
        func feed(_ bytes: UnsafeRawBufferPointer) {
            scanner.scan(bytes, packingInto: &found)
            if !scanner.unknowns.isEmpty {
                let taken = scanner.takeUnknowns()
                for c in taken { unknownBytes += 2 * c.excerpt.utf8.count + 64 }
                Self.gather(taken, into: &unknowns)
            }
            // Checkpoints only move forward: what the next ones can ask for starts near this one.
            trailing.append(bytes, askedFrom: scanner.checkpoint.offset, lineLimit: Sweep.carryLineLimit)
            sinceCommit += Int64(bytes.count)
            if found.count >= options.batchSize || unknowns.count >= options.batchSize
                || found.memoryBytes + unknownBytes >= batchBytes
                || sinceCommit >= options.checkpointBytes
            {
                flush()
            }
            if let onProgress { advanceProgress(bytes: Int64(bytes.count), path: source.path, onProgress) }
        }

        if !pending.isEmpty { pending.withUnsafeBytes { feed($0) } }
        do {
            if source.file.isCompressed, spare.take() {
                // A core no other file takes: it decompresses ahead while this thread scans.
                let ahead = ReadAhead(source, chunkSize: buffer.count)
                defer {
                    ahead.finish()
                    spare.give()
                }
                while ok, !rewritten, !stopping.isSet {
                    guard let chunk = try ahead.next() else { break }
                    if PauseHook.enabled { PauseHook.pause() }
                    feed(chunk)
                    ahead.release()
                }
            } else {
                while ok, !rewritten, !stopping.isSet {
                    let n = try source.read(into: buffer)
                    if n == 0 { break }
                    if PauseHook.enabled { PauseHook.pause() }
                    feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                }
            }
        } catch {
            problem = error
        }
        guard ok else { return }
        // When stopped, a failure that later lines may still join stays open: the checkpoint is
        // before it, and the next sweep reads it again whole. At the end of a plain file (which may
        // grow) it is handed out, but the checkpoint stays before it all the same.
        let stopped = stopping.isSet
        if !stopped, !rewritten {
            scanner.finish(packingInto: &found, keepingOpenFailure: source.isPlainFile)
        }
        if !scanner.unknowns.isEmpty { Self.gather(scanner.takeUnknowns(), into: &unknowns) }
        checkpoint()
        if !stopped, !rewritten, source.isPlainFile, record.position.offset < trailing.end,
            let end = trailing.anchor(at: trailing.end)
        {
            // A failure still open at the end: the resume point stays before it, the anchor is
            // taken at the end, so that the file is known unchanged until it grows.
            record.anchor = end
        }
        if !rewritten { _ = intact() }
        let compressed = problem == nil && !stopped && source.file.isCompressed ? probe?.compressedIdentity : nil
        if rewritten {
            // Nothing more of this file is stored in this sweep; staged rows are dropped.
            if mode == .replace { _ = write { () throws(StoreError) in try store.discardStaged(file: record) } }
        } else if mode == .replace, !stopped {
            // A file being replaced is left as it was when stopped: the next --reclassify or --full reads it again.
            let parcel = BatchParcel()
            swap(&parcel.batch, &found)
            let candidates = unknowns
            let current = record
            _ = write { () throws(StoreError) in
                parcel.batch.redactExcerpts()
                let batch = parcel.take()
                try store.stage(batch, unknowns: candidates, file: current, now: now)
                var final = current
                final.matcherVersion = Matcher.version
                let (removed, added) = try store.replace(file: final, compressed: compressed, now: now)
                summary.found += batch.count
                summary.added += max(0, added - removed)
                summary.removed += max(0, removed - added)
                summary.reclassified += 1
            }
        } else if mode != .replace {
            let parcel = BatchParcel()
            swap(&parcel.batch, &found)
            let candidates = unknowns
            let current = record
            _ = write { () throws(StoreError) in
                parcel.batch.redactExcerpts()
                let batch = parcel.take()
                let added = try store.commit(
                    batch, unknowns: candidates, file: current, compressed: compressed, now: now)
                summary.found += batch.count
                summary.added += added
            }
        }
        let bytes = source.readsToSkip ? source.bytesRead : scanner.bytesScanned - start.offset
        finish(source.path, bytes: bytes, lines: scanner.linesScanned - start.lines, problem: problem, onProgress: nil)
    }
}

extension Sweep {
    /// The longest line whose carry a resume point keeps (by staying before it): the scanner's
    /// piece, beyond which it carries nothing to the next line either.
    static let carryLineLimit = 64 * 1024

}

/// A batch handed between a file's scanning thread and the writer's queue, moved out by `take`
/// (never copied: the one who takes it holds its only reference, so refilling it copies nothing).
/// Each side touches it only while the other cannot (`Sweep.scan`'s semaphore and queue).
final class BatchParcel: @unchecked Sendable {
    var batch = OccurrenceBatch()

    /// The batch, leaving an empty one (which holds no memory) in its place.
    func take() -> OccurrenceBatch {
        var out = OccurrenceBatch()
        swap(&out, &batch)
        return out
    }
}

extension Sweep {
    /// Adds a scanner's unknown candidates to the batch's: the array itself when the batch has none
    /// yet (the usual case), instead of a copy of every candidate into a new one.
    static func gather(_ taken: [UnknownCandidate], into unknowns: inout [UnknownCandidate]) {
        if unknowns.isEmpty {
            unknowns = taken
        } else {
            unknowns += taken
        }
    }
}
