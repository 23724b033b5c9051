import LogModel
import LogScanner

/// A file's identity: a hash of its first bytes after decompression, not its path or inode, so
/// renamed and compressed copies of the same log are recognised (docs/schema.md, "Identity rules").
public struct Fingerprint: Sendable, Equatable, Hashable {
    /// Bytes hashed: at most this many from the start of the content.
    public static let maxLength = 1024

    /// 64-bit FNV-1a of the first `length` bytes, as 16 hex digits.
    public let hash: String
    /// How many bytes were hashed: `maxLength`, or less for a shorter file.
    public let length: Int

    /// The fingerprint of the first `min(prefix.count, maxLength)` bytes.
    public init(prefix: UnsafeRawBufferPointer) {
        let n = min(prefix.count, Fingerprint.maxLength)
        self.hash = Fingerprint.fnv(UnsafeRawBufferPointer(rebasing: prefix[0..<n]))
        self.length = n
    }

    /// A fingerprint read back from the store.
    public init(hash: String, length: Int) {
        self.hash = hash
        self.length = length
    }

    /// 64-bit FNV-1a of all of `bytes`, as 16 lowercase hex digits. O(n).
    public static func fnv(_ bytes: UnsafeRawBufferPointer) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension Fingerprint {
    /// 16 lowercase hex digits.
    static func hex(_ h: UInt64) -> String {
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The fingerprints of one host's records that were taken of fewer than `Fingerprint.maxLength`
/// bytes (files that were short when first seen): their distinct lengths, and a Bloom filter of
/// (length, hash) with about 1 % false positives, so that recognising a file asks the database
/// only about the shorter prefixes that some record may have. About 1.2 bytes per record.
final class ShortFingerprints {
    private(set) var lengths = Set<Int>()
    private var bits: [UInt64]
    private let capacity: Int
    private var count = 0

    init(capacity: Int) {
        self.capacity = max(1 << 16, capacity)
        bits = [UInt64](repeating: 0, count: (self.capacity * 10 + 63) / 64)
    }

    /// Whether more were added than the filter was sized for (then it is rebuilt, larger).
    var isFull: Bool { count > capacity }

    private func positions(_ length: Int, _ hash: UInt64) -> [Int] {
        let n = UInt64(bits.count * 64)
        let a = hash ^ (UInt64(length) &* 0x9E37_79B9_7F4A_7C15)
        let b = (a >> 29 | a << 35) &* 0xBF58_476D_1CE4_E5B9 | 1
        return (0..<7).map { Int((a &+ UInt64($0) &* b) % n) }
    }

    func add(_ length: Int, _ hash: UInt64) {
        lengths.insert(length)
        count += 1
        for p in positions(length, hash) { bits[p / 64] |= 1 << UInt64(p % 64) }
    }

    func mayContain(_ length: Int, _ hash: UInt64) -> Bool {
        positions(length, hash).allSatisfy { bits[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
    }
}

/// A check of the content just before a resume point: the hash of the (at most)
/// `Fingerprint.maxLength` bytes that end at `offset`. A file whose first bytes match a stored
/// record but whose bytes there differ was rewritten, not appended to, and is a new generation.
public struct ResumeCheck: Sendable, Equatable, Hashable {
    /// Stream offset where the hashed window ends.
    public var offset: Int64
    /// FNV-1a of the bytes `[offset - window, offset)`.
    public var hash: String

    /// Bytes hashed before `offset`.
    public var window: Int { Int(min(offset, Int64(Fingerprint.maxLength))) }

    /// An anchor.
    public init(offset: Int64, hash: String) {
        self.offset = offset
        self.hash = hash
    }
}

/// What the store knows of one file: its identity and how far it was scanned.
public struct FileRecord: Sendable, Equatable {
    /// Row id; nil for a file not stored yet.
    public var id: Int64?
    /// The host whose file it is.
    public var host: String
    /// The stable identity of the content, fixed at first sight (the first fingerprint's hash, with
    /// a `-N` suffix for a later generation of the same beginning); occurrences are keyed by host,
    /// this key and their byte offset.
    public var fileKey: String
    /// The current fingerprint (longer than the first one if the file was short and grew).
    public var fingerprint: Fingerprint
    /// The path it was last seen at.
    public var path: String
    /// How far it was scanned, and the scanner state there.
    public var position: ScanPosition
    /// The check of the content before the resume point; nil when none could be taken yet.
    public var anchor: ResumeCheck?
    /// The oldest matcher version that read any part of `[0, position.offset)`.
    public var matcherVersion: Int

    /// A record for a file seen for the first time.
    public init(host: String, fingerprint: Fingerprint, path: String) {
        self.id = nil
        self.host = host
        self.fileKey = fingerprint.hash
        self.fingerprint = fingerprint
        self.path = path
        self.position = ScanPosition()
        self.anchor = nil
        self.matcherVersion = Matcher.version
    }

    init(row stmt: Statement) {
        id = stmt.int64(0)
        host = stmt.text(1) ?? ""
        fileKey = stmt.text(2) ?? ""
        fingerprint = Fingerprint(hash: stmt.text(3) ?? "", length: Int(stmt.int64(4)))
        path = stmt.text(5) ?? ""
        position = ScanPosition(
            offset: stmt.int64(6), lines: Int(stmt.int64(7)), lastTimestamp: stmt.optionalInt64(8),
            context: RegistryContext(encoded: stmt.text(9) ?? ""), pipelines: stmt.int64(10) != 0)
        matcherVersion = Int(stmt.int64(11))
        anchor = stmt.text(13).map { ResumeCheck(offset: stmt.int64(12), hash: $0) }
    }
}

/// A compressed file (gzip, zstd, xz, bzip2) read to its end: the hash of its first compressed bytes and its size on disk. Seen
/// again, it is known without decompressing a byte.
public struct CompressedIdentity: Sendable, Equatable, Hashable {
    /// FNV-1a of the first (at most) `Fingerprint.maxLength` bytes of the file as stored.
    public var hash: String
    /// The file's size on disk.
    public var size: Int64

    /// An identity.
    public init(hash: String, size: Int64) {
        self.hash = hash
        self.size = size
    }
}

extension Store {
    /// The columns of `files` that `FileRecord(row:)` reads, in order.
    static let fileColumnNames = [
        "id", "host", "file_key", "fingerprint", "fp_length", "path", "scanned_offset", "scanned_lines", "last_ts",
        "context",
        "pipelines", "matcher_version", "anchor_offset", "anchor_hash",
    ]

    static func fileColumns(_ table: String = "") -> String {
        fileColumnNames.map { table.isEmpty ? $0 : "\(table).\($0)" }.joined(separator: ", ")
    }

    /// The stored records of `host` whose content may be the beginning of a file that begins with
    /// `head` (its first `Fingerprint.maxLength` bytes, or all of a shorter file): those with its
    /// fingerprint, and those fingerprinted when they were shorter (a file that grew). Largest
    /// anchor first; the caller checks the anchors against the file.
    ///
    /// The shorter fingerprint lengths of the host are read once (a pass over its records) and then
    /// kept in memory, so each later call costs one index lookup per distinct length below the
    /// head's (at most 1,024), whatever the number of records (issue 14: a query per file that
    /// read every record made a sweep of many small files quadratic).
    public func files(host: String, head: [UInt8]) throws(StoreError) -> [FileRecord] {
        try guarded {
            let current = head.withUnsafeBytes { Fingerprint(prefix: $0) }
            var fingerprints = [current]
            let short = try shortFingerprints(host: host)
            if !short.lengths.isEmpty {
                // FNV-1a of every prefix in one pass; only those the filter may hold are looked up.
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                var prefixes = [UInt64](repeating: h, count: current.length + 1)
                for i in 0..<current.length {
                    h = (h ^ UInt64(head[i])) &* 0x0000_0100_0000_01B3
                    prefixes[i + 1] = h
                }
                for length in short.lengths.sorted(by: >)
                where length < current.length && short.mayContain(length, prefixes[length]) {
                    fingerprints.append(Fingerprint(hash: Fingerprint.hex(prefixes[length]), length: length))
                }
            }
            let lookup = try db.cached(
                """
                SELECT \(Store.fileColumns()) FROM files WHERE host = ? AND fingerprint = ? AND fp_length = ?
                ORDER BY anchor_offset DESC, id DESC
                """)
            var records: [FileRecord] = []
            for fingerprint in fingerprints {
                try lookup.bind(1, host)
                try lookup.bind(2, fingerprint.hash)
                try lookup.bind(3, fingerprint.length)
                while try lookup.step() { records.append(FileRecord(row: lookup)) }
                lookup.reset()
            }
            return records.sorted { ($0.anchor?.offset ?? 0, $0.id ?? 0) > ($1.anchor?.offset ?? 0, $1.id ?? 0) }
        }
    }

    /// The short fingerprints of `host`'s records, read from the store the first time (and again
    /// when the filter has filled up: amortised, every record is read a bounded number of times).
    func shortFingerprints(host: String) throws -> ShortFingerprints {
        if let known = shortFingerprints[host] { return known }
        let count = try db.cached("SELECT count(*) FROM files WHERE host = ? AND fp_length < ?")
        try count.bind(1, host)
        try count.bind(2, Fingerprint.maxLength)
        _ = try count.step()
        let records = Int(count.int64(0))
        count.reset()
        let filter = ShortFingerprints(capacity: 2 * records)
        let stmt = try db.cached("SELECT fp_length, fingerprint FROM files WHERE host = ? AND fp_length < ?")
        defer { stmt.reset() }
        try stmt.bind(1, host)
        try stmt.bind(2, Fingerprint.maxLength)
        while try stmt.step() {
            if let hash = stmt.text(1).flatMap({ UInt64($0, radix: 16) }) { filter.add(Int(stmt.int64(0)), hash) }
        }
        shortFingerprints[host] = filter
        return filter
    }

    /// Notes a fingerprint written for `host` (an insert or an update of a record).
    func noteFingerprint(_ fingerprint: Fingerprint, host: String) {
        guard fingerprint.length < Fingerprint.maxLength, let filter = shortFingerprints[host],
            let hash = UInt64(fingerprint.hash, radix: 16)
        else { return }
        filter.add(fingerprint.length, hash)
        if filter.isFull { shortFingerprints[host] = nil }
    }

    /// The record of a compressed file of `host` that was read to its end before, if `identity` is one.
    public func file(host: String, compressed identity: CompressedIdentity) throws(StoreError) -> FileRecord? {
        try guarded {
            let stmt = try db.cached(
                """
                SELECT \(Store.fileColumns("f"))
                FROM compressed_files c JOIN files f ON f.host = c.host AND f.file_key = c.file_key
                WHERE c.host = ? AND c.raw_hash = ? AND c.raw_size = ?
                """)
            try stmt.bind(1, host)
            try stmt.bind(2, identity.hash)
            try stmt.bind(3, identity.size)
            defer { stmt.reset() }
            return try stmt.step() ? FileRecord(row: stmt) : nil
        }
    }

    /// Inserts the record of a file seen for the first time, giving it a key no record of its host
    /// has: the fingerprint's hash, or that hash with the first free `-N` suffix (a rewritten file
    /// that begins as an earlier one did). Sets `file.id` and `file.fileKey`.
    public func insert(_ file: inout FileRecord, now: Int64) throws(StoreError) {
        try guarded {
            let taken = try db.cached("SELECT 1 FROM files WHERE host = ? AND file_key = ?")
            var key = file.fingerprint.hash
            var generation = 1
            while true {
                try taken.bind(1, file.host)
                try taken.bind(2, key)
                let exists = try taken.step()
                taken.reset()
                if !exists { break }
                generation += 1
                key = "\(file.fingerprint.hash)-\(generation)"
            }
            file.fileKey = key
            try db.transaction {
                let insert = try db.cached(
                    """
                    INSERT INTO files (fingerprint, fp_length, path, scanned_offset, scanned_lines, last_ts, context,
                        pipelines,
                        matcher_version, anchor_offset, anchor_hash, last_scanned, first_scanned, host, file_key)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                try bindFile(file, now: now, to: insert)
                try insert.bind(13, now)
                try insert.bind(14, file.host)
                try insert.bind(15, file.fileKey)
                try insert.run()
                file.id = try db.integer("SELECT last_insert_rowid()")
            }
            noteFingerprint(file.fingerprint, host: file.host)
        }
    }

    /// Stores a batch of occurrences of one file, the unknown candidates found with them, and the
    /// position scanned up to (and, for a gzip file read to its end, its compressed identity) in
    /// one transaction: a scan killed at any moment loses nothing and, run again, duplicates
    /// nothing. The file must have been inserted.
    /// - Returns: how many occurrences were new.
    @discardableResult
    public func commit(
        _ batch: [Occurrence], unknowns: [UnknownCandidate] = [], file: FileRecord,
        compressed: CompressedIdentity? = nil, now: Int64
    ) throws(StoreError) -> Int {
        try commit(OccurrenceBatch(batch), unknowns: unknowns, file: file, compressed: compressed, now: now)
    }

    /// `commit` of a packed batch (`OccurrenceBatch`), as a sweep hands it over.
    @discardableResult
    public func commit(
        _ batch: OccurrenceBatch, unknowns: [UnknownCandidate] = [], file: FileRecord,
        compressed: CompressedIdentity? = nil, now: Int64
    ) throws(StoreError) -> Int {
        // A sweep hands its batches over redacted already (on this queue: `Sweep.scan`); this
        // only copies a batch whose excerpts are not made yet, and makes them.
        var batch = batch
        batch.redactExcerpts()
        return try guarded {
            try writeTransaction {
                try updatePosition(of: file, now: now)
                if let compressed { try register(compressed, of: file, now: now) }
                try storeUnknowns(unknowns, fileID: try fileID(file), file: file)
                return try insertOccurrences(batch, into: "failures", file: file, now: now)
            }
        }
    }

    /// Keeps the occurrences (and unknown candidates) of a file being re-read to replace what an
    /// older matcher found, out of sight of every query until `replace(file:now:)`. The staging
    /// tables are the connection's own (`TEMP`): a scan killed before the swap leaves the
    /// database as it was.
    public func stage(_ batch: [Occurrence], unknowns: [UnknownCandidate] = [], file: FileRecord, now: Int64 = 0)
        throws(StoreError)
    {
        try stage(OccurrenceBatch(batch), unknowns: unknowns, file: file, now: now)
    }

    /// `stage` of a packed batch (`OccurrenceBatch`), as a sweep hands it over.
    public func stage(_ batch: OccurrenceBatch, unknowns: [UnknownCandidate] = [], file: FileRecord, now: Int64 = 0)
        throws(StoreError)
    {
        var batch = batch
        batch.redactExcerpts()
        try guarded {
            try createStaging()
            try writeTransaction {
                _ = try insertOccurrences(batch, into: "temp.staged_failures", file: file, now: now)
                try stageUnknowns(unknowns, file: file)
            }
        }
    }

    /// Replaces every stored occurrence of `file` by those staged for it (and its unknown
    /// candidates by those staged), and stores its new position and matcher version, in one
    /// transaction. The rollup hours the file's old and new rows fall in are counted again.
    /// - Returns: the occurrences removed and added.
    @discardableResult
    public func replace(file: FileRecord, compressed: CompressedIdentity? = nil, now: Int64) throws(StoreError) -> (
        removed: Int, added: Int
    ) {
        try guarded {
            try createStaging()
            let id = try fileID(file)
            return try writeTransaction {
                let old = try hourSpan(ofFile: id)
                let new = try hourSpan(ofFile: id, table: "temp.staged_failures")
                let delete = try db.cached("DELETE FROM main.failures WHERE file_id = ?")
                try delete.bind(1, id)
                try delete.run()
                let removed = Int(db.changes)
                let scan = try currentScan(host: file.host, now: now)
                let forget = try db.cached("DELETE FROM scan_files WHERE file_id = ? AND scan_id <> ?")
                try forget.bind(1, id)
                try forget.bind(2, scan)
                try forget.run()
                let columns = Store.rowColumns.joined(separator: ", ")
                let copy = try db.cached(
                    """
                    INSERT OR IGNORE INTO main.failures (\(columns)) SELECT \(columns) FROM temp.staged_failures
                    WHERE file_id = ? ORDER BY offset
                    """)
                try copy.bind(1, id)
                try copy.run()
                let added = Int(db.changes)
                let range = try db.cached(
                    "SELECT min(offset), max(offset) FROM main.failures WHERE file_id = ? AND scan_id = ?")
                try range.bind(1, id)
                try range.bind(2, scan)
                if try range.step(), let first = range.optionalInt64(0), let last = range.optionalInt64(1) {
                    cache.ranges[ScanFileKey(scan: scan, file: id)] = (first, last)
                }
                range.reset()
                let clear = try db.cached("DELETE FROM temp.staged_failures WHERE file_id = ?")
                try clear.bind(1, id)
                try clear.run()
                let lows = [old.from, new.from].compactMap { $0 }
                let highs = [old.to, new.to].compactMap { $0 }
                try rebuildRollup(from: lows.min(), to: highs.max(), untimed: old.untimed || new.untimed)
                try dropUnknowns(fileID: id)
                try storeUnknowns(try takeStagedUnknowns(file: file), fileID: id, file: file)
                try updatePosition(of: file, now: now)
                if let compressed { try register(compressed, of: file, now: now) }
                return (removed, added)
            }
        }
    }

    private func updatePosition(of file: FileRecord, now: Int64) throws {
        guard let id = file.id else {
            throw SQLiteError(
                code: 1, extendedCode: 1, message: "file record of \(file.path) was not inserted", sql: nil)
        }
        let update = try db.cached(
            """
            UPDATE files
                SET fingerprint = ?, fp_length = ?, path = ?, scanned_offset = ?, scanned_lines = ?, last_ts = ?,
                context = ?, pipelines = ?, matcher_version = ?, anchor_offset = ?, anchor_hash = ?, last_scanned = ?
            WHERE id = ?
            """)
        try bindFile(file, now: now, to: update)
        try update.bind(13, id)
        try update.run()
        noteFingerprint(file.fingerprint, host: file.host)
    }

    /// Binds the 12 leading columns shared by the insert and the update of a file record.
    private func bindFile(_ file: FileRecord, now: Int64, to stmt: Statement) throws {
        try stmt.bind(1, file.fingerprint.hash)
        try stmt.bind(2, file.fingerprint.length)
        try stmt.bind(3, file.path)
        try stmt.bind(4, file.position.offset)
        try stmt.bind(5, file.position.lines)
        try stmt.bind(6, file.position.lastTimestamp)
        try stmt.bind(7, file.position.context.encoded)
        try stmt.bind(8, file.position.pipelines ? 1 : 0)
        try stmt.bind(9, file.matcherVersion)
        try stmt.bind(10, file.anchor?.offset ?? 0)
        try stmt.bind(11, file.anchor?.hash)
        try stmt.bind(12, now)
    }

    /// Records that the compressed file at `path`, read to its end (`contentLength` bytes of
    /// content), holds nothing beyond what `file` was read to: later sweeps know it by its
    /// compressed bytes without decompressing it.
    public func remember(
        _ compressed: CompressedIdentity, of file: FileRecord, path: String, contentLength: Int64, now: Int64
    ) throws(StoreError) {
        var copy = file
        copy.path = path
        copy.position.offset = contentLength
        try guarded { try db.transaction { try register(compressed, of: copy, now: now) } }
    }

    private func register(_ compressed: CompressedIdentity, of file: FileRecord, now: Int64) throws {
        let insert = try db.cached(
            """
            INSERT OR IGNORE INTO compressed_files (host, raw_hash, raw_size, file_key, path, content_length,
                first_scanned)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        try insert.bind(1, file.host)
        try insert.bind(2, compressed.hash)
        try insert.bind(3, compressed.size)
        try insert.bind(4, file.fileKey)
        try insert.bind(5, file.path)
        try insert.bind(6, file.position.offset)
        try insert.bind(7, now)
        try insert.run()
    }

    /// The row id of a stored file record.
    func fileID(_ file: FileRecord) throws -> Int64 {
        guard let id = file.id else {
            throw SQLiteError(
                code: 1, extendedCode: 1, message: "file record of \(file.path) was not inserted", sql: nil)
        }
        return id
    }

    /// Inserts occurrences of `file` (`Store.insertRows`); rows already stored (same file and
    /// offset) are left as they are. O(batch × log rows).
    func insertOccurrences(_ batch: OccurrenceBatch, into table: String, file: FileRecord, now: Int64) throws -> Int {
        guard !batch.isEmpty else { return 0 }
        return try insertRows(
            batch, into: table == "failures" ? "main.failures" : table, fileID: try fileID(file), host: file.host,
            source: file.path, scan: try currentScan(host: file.host, now: now))
    }
}

extension Store {
    /// Whether every occurrence of `batch` is stored for `file` at its offset, below the file's
    /// resume point, with the same first line and time (and, with `compareExcerpts`, the same excerpt):
    /// the batch was read from a copy of the content that record read. With `openAtResume`, an
    /// occurrence at the resume point itself (the failure the record kept open there) is compared by
    /// its line and time only: a copy may end before its last lines.
    public func holds(
        _ batch: [Occurrence], file: FileRecord, compareExcerpts: Bool, openAtResume: Bool = false
    ) throws(StoreError) -> Bool {
        try guarded {
            let stmt = try db.cached(
                """
                SELECT line, (SELECT text FROM excerpts e WHERE e.id = o.excerpt_id), ts FROM failures o
                    WHERE file_id = ? AND offset = ?
                """)
            defer { stmt.reset() }
            let id = try fileID(file)
            for o in batch {
                let atResume = openAtResume && o.offset == file.position.offset
                guard o.offset < file.position.offset || atResume else { return false }
                try stmt.bind(1, id)
                try stmt.bind(2, o.offset)
                guard try stmt.step() else { return false }
                // The time too: other content with the same first KiB and the same failure line at the
                // same offset (a job's log behind a fixed preamble, the next night) is no copy.
                let same =
                    stmt.int64(0) == Int64(o.line) && stmt.optionalInt64(2) == o.timestamp
                    && (atResume || !compareExcerpts || stmt.text(1) == o.excerpt)
                stmt.rewind()
                if !same { return false }
            }
            return true
        }
    }

    /// How many occurrences are stored for `file` at offsets below `offset`.
    public func occurrenceCount(of file: FileRecord, below offset: Int64) throws(StoreError) -> Int {
        try guarded {
            let stmt = try db.cached("SELECT count(*) FROM failures WHERE file_id = ? AND offset < ?")
            defer { stmt.reset() }
            try stmt.bind(1, try fileID(file))
            try stmt.bind(2, offset)
            _ = try stmt.step()
            return Int(stmt.int64(0))
        }
    }

    /// Drops what was staged for `file` (a replacement abandoned: the file was rewritten under it).
    public func discardStaged(file: FileRecord) throws(StoreError) {
        try guarded {
            try createStaging()
            for table in ["temp.staged_failures", "temp.staged_unknowns"] {
                let clear = try db.cached("DELETE FROM \(table) WHERE file_id = ?")
                try clear.bind(1, try fileID(file))
                try clear.run()
            }
        }
    }
}
