import CSQLite
import LogModel
import LogScanner

/// What a writer keeps in memory between batches: the ids of values stored once (sources,
/// registries, labels, excerpts), the scan being recorded, the rollup increments of the open
/// transaction and the unknown-shape templates known. Cleared when a transaction fails, since
/// ids handed out inside it were rolled back.
final class StoreCache {
    var sources: [String: Int64] = [:]
    var registries: [RegistryPair: Int64] = [:]
    var labels: [String: Int64] = [:]
    /// The label ids of the failure types and producers, by case (`ErrorType.allCases` order, then
    /// `Producer.allCases`): a row's two labels without building or hashing their names.
    var labelIDs = [Int64?](repeating: nil, count: ErrorType.allCases.count + Producer.allCases.count)
    /// Excerpt key → (id, text), at most `excerptLimit` of them holding at most `excerptByteLimit`
    /// bytes of text together (then forgotten at once: a repeated line is found again by the index).
    var excerpts: [Int64: (id: Int64, text: [UInt8])] = [:]
    var excerptLimit = 1 << 16
    /// The bytes of text `excerpts` holds, and their bound: logs whose every line is distinct (a
    /// time on each) filled the 65,536 entries with 300-byte excerpts, about 20 MiB of a process
    /// bound to 64 MiB (a 40 MB file of such lines peaked at 69.5 MiB).
    var excerptBytes = 0
    var excerptByteLimit = 2 << 20
    /// Per file whose every excerpt row this writer stored (it held none when the writer first
    /// stored one), the keys of those excerpts as a Bloom filter: a key not in it names no row of
    /// the file, and the writer stores the excerpt without looking it up. At most `newFileLimit`
    /// files (256 KiB each; a file forgotten has its excerpts looked up again).
    var newFiles: [Int64: ExcerptFilter] = [:]
    /// Files whose excerpts must be looked up (rows stored before this writer, or forgotten).
    var oldFiles: Set<Int64> = []
    static let newFileLimit = 2
    /// The scan that rows stored now belong to.
    var scan: Int64?
    /// Rollup increments not yet written (written before the transaction commits), per cell
    /// refined by client IP, identity and code: `rollup_values` (schema 5) takes them as they
    /// are, `rollup` summed per cell. One hash per row for both tables.
    var rollup: [RollupValueKey: RollupValue] = [:]
    /// Per (scan, file): the first and last offset stored by this scan, not yet written.
    var ranges: [ScanFileKey: (first: Int64, last: Int64)] = [:]
    /// Unknown-shape templates known to be stored, with the order keys of their stored examples
    /// (at most `Store.examplesPerTemplate`, smallest first); nil until read.
    var templates: [Int64: [ExampleKey]]?
    /// Rollup hours whose rows changed in place in the open transaction (-1: untimed).
    var dirtyHours: Set<Int64> = []

    func clear() {
        sources = [:]
        registries = [:]
        labels = [:]
        labelIDs = [Int64?](repeating: nil, count: labelIDs.count)
        excerpts = [:]
        excerptBytes = 0
        newFiles = [:]
        oldFiles = []
        rollup = [:]
        ranges = [:]
        templates = nil
        dirtyHours = []
    }
}

/// A Bloom filter of 64-bit excerpt keys (2^21 bits, three probes: about 3% false positives at
/// 260,000 keys, the excerpts of a 63 MB log whose every line is distinct). A false positive costs
/// a lookup in the index; a key added is always found.
struct ExcerptFilter {
    private var bits = [UInt64](repeating: 0, count: (1 << 21) / 64)

    private static func probes(_ key: Int64) -> (Int, Int, Int) {
        // The key is already a hash (FNV-1a); mixed once more so that its three probes differ.
        var x = UInt64(bitPattern: key)
        x = (x ^ (x >> 33)) &* 0xff51_afd7_ed55_8ccd
        x = (x ^ (x >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        let mask: UInt64 = (1 << 21) - 1
        return (Int(x & mask), Int((x >> 21) & mask), Int((x >> 42) & mask))
    }

    mutating func insert(_ key: Int64) {
        let (a, b, c) = Self.probes(key)
        bits[a >> 6] |= 1 << UInt64(a & 63)
        bits[b >> 6] |= 1 << UInt64(b & 63)
        bits[c >> 6] |= 1 << UInt64(c & 63)
    }

    /// Forgets every key, keeping the memory (in place when the filter is not shared).
    mutating func removeAll() {
        bits.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    func mayContain(_ key: Int64) -> Bool {
        let (a, b, c) = Self.probes(key)
        return bits[a >> 6] & (1 << UInt64(a & 63)) != 0 && bits[b >> 6] & (1 << UInt64(b & 63)) != 0
            && bits[c >> 6] & (1 << UInt64(c & 63)) != 0
    }
}

struct RegistryPair: Hashable {
    var registry: String?
    var loginServer: String?
}

struct RollupKey: Hashable {
    var registry: String
    var type: ErrorType
    var host: String
    var repository: String
    var hour: Int64

    /// Binds the key's columns to parameters `from`, `from + 1`, … of `statement`: registry, type,
    /// host, repository, hour.
    func bind(to statement: Statement, from index: Int32 = 1) throws(SQLiteError) {
        try statement.bind(index, registry)
        try statement.bind(index + 1, type.rawValue)
        try statement.bind(index + 2, host)
        try statement.bind(index + 3, repository)
        try statement.bind(index + 4, hour)
    }
}

/// A rollup cell refined by client IP, identity and code (`''` for none): a key of `rollup_values`.
struct RollupValueKey: Hashable {
    var cell: RollupKey
    var clientIP: String
    var identity: String
    var code: String
}

struct RollupValue {
    var count = 0
    var attempts = 0
    var first: Int64?
    var last: Int64?

    /// Binds the counts to parameters `from`, `from + 1`, … of `statement`: count, attempts, first, last.
    func bind(to statement: Statement, from index: Int32) throws(SQLiteError) {
        try statement.bind(index, count)
        try statement.bind(index + 1, attempts)
        try statement.bind(index + 2, first)
        try statement.bind(index + 3, last)
    }

    /// Adds the counts of `other`.
    mutating func add(_ other: RollupValue) {
        count += other.count
        attempts += other.attempts
        if let ts = other.first { first = first.map { min($0, ts) } ?? ts }
        if let ts = other.last { last = last.map { max($0, ts) } ?? ts }
    }

    mutating func add(ts: Int64?, attempts: Int) {
        count += 1
        self.attempts += attempts
        if let ts {
            first = first.map { min($0, ts) } ?? ts
            last = last.map { max($0, ts) } ?? ts
        }
    }
}

struct ScanFileKey: Hashable {
    var scan: Int64
    var file: Int64
}

/// The hour of a time as the rollup keeps it: its start, or -1 for no time.
func rollupHour(_ ts: Int64?) -> Int64 {
    guard let ts else { return -1 }
    return (ts / 3_600_000) * 3_600_000
}

extension Store {
    /// A subquery with one row per stored occurrence, in the same columns whatever the schema of
    /// the database `schema` (`main`, or an attached input): `id, host, file_key, offset, source,
    /// ts, registry, login_server, type, status, line, line_end, producer, attempts, client_ip,
    /// identity, repository, code, excerpt, matcher_version, scan_id, file_id` (the last two NULL
    /// before schema 4). With `scans`, only the occurrences first stored by the scans that SQL
    /// condition on `scans` selects, read through `scan_files` (their offset ranges per file).
    static func rowSource(
        schema: String = "main", version: Int, scans: String? = nil, columns: Set<String>? = nil,
        notIndexed: Bool = false
    ) -> String {
        let hint = notIndexed ? " NOT INDEXED" : ""
        guard version >= 4 else {
            return """
                (SELECT id, host, file_key, offset, source, ts, registry, login_server, type, status, line, line_end,
                    producer,
                        attempts, client_ip, identity, repository, code, excerpt, matcher_version, NULL AS scan_id,
                            NULL AS file_id
                 FROM \(schema).failures\(hint))
                """
        }
        // Only the joins the caller's columns need: a join that cannot filter still costs a lookup
        // per row, and leads SQLite's planner to read the rows in time order through the index.
        func needs(_ names: String...) -> Bool { columns.map { !$0.isDisjoint(with: names) } ?? true }
        var list = [
            "(o.file_id << 40) + o.offset AS id", "o.offset AS offset", "o.ts AS ts", "o.status AS status",
            "o.line AS line",
            "ifnull(o.line_end, o.line) AS line_end", "o.attempts AS attempts", "o.client_ip AS client_ip",
            "o.identity AS identity",
            "o.repository AS repository", "o.code AS code", "o.matcher_version AS matcher_version",
            "o.scan_id AS scan_id",
            "o.file_id AS file_id",
        ]
        var joins: [String] = []
        if needs("host", "file_key") {
            // Scalar lookups, not a join: a join with `files` makes SQLite read every row through
            // the time index (a random read per row) instead of in key order.
            list += [
                "(SELECT host FROM \(schema).files WHERE id = o.file_id) AS host",
                "(SELECT file_key FROM \(schema).files WHERE id = o.file_id) AS file_key",
            ]
        }
        if needs("source") {
            list.append("s.path AS source")
            joins.append("JOIN \(schema).sources s ON s.id = o.source_id")
        }
        if needs("registry", "login_server") {
            list += ["r.registry AS registry", "r.login_server AS login_server"]
            joins.append("JOIN \(schema).registries r ON r.id = o.registry_id")
        }
        if needs("type") {
            list.append("t.name AS type")
            joins.append("JOIN \(schema).labels t ON t.id = o.type_id")
        }
        if needs("producer") {
            list.append("p.name AS producer")
            joins.append("JOIN \(schema).labels p ON p.id = o.producer_id")
        }
        if needs("excerpt") {
            list.append("e.text AS excerpt")
            joins.append("JOIN \(schema).excerpts e ON e.id = o.excerpt_id")
        }
        let select = list.joined(separator: ", ")
        let joined = joins.joined(separator: " ")
        if let scans {
            return """
                (SELECT \(select) FROM \(schema).scan_files sf
                 JOIN \(schema).failures o ON o.file_id = sf.file_id AND o.offset >= sf.first_offset AND o.offset <= sf.last_offset
                      AND o.scan_id = sf.scan_id
                 \(joined)
                 WHERE sf.scan_id IN (SELECT id FROM \(schema).scans WHERE \(scans)))
                """
        }
        return "(SELECT \(select) FROM \(schema).failures o\(hint) \(joined))"
    }

    /// The columns of the row source that counting queries use: the filters' and the group keys'.
    static func countingColumns(_ keys: [GroupKey] = []) -> Set<String> {
        Set([OccurrenceColumn.registry, .type, .host].map(\.name) + keys.map { $0.column?.name ?? $0.rawValue })
    }

    /// Gives SQLite's page cache what the decoders have left of the 24 MiB they share with it
    /// (`Store.pageCacheKiB(decoders:)`); a smaller cache frees its pages over the new size.
    func sizePageCache(decoders: Int = DecoderBudget.shared.mostReserved) throws(SQLiteError) {
        let kib = Store.pageCacheKiB(decoders: decoders)
        guard kib != pageCacheKiB else { return }
        let shrinks = kib < pageCacheKiB
        try db.execute("PRAGMA cache_size = -\(kib)")
        pageCacheKiB = kib
        #if canImport(Glibc)
        // The pages SQLite just freed go back to the system, not only to malloc: else the decoder's
        // window comes on top of them (a tree of plain files, then large-window zstd files).
        if shrinks { _ = malloc_trim(0) }
        #endif
    }

    /// Runs `body` in a write transaction; on failure the writer's cached ids are forgotten (they
    /// may name rows that were rolled back).
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        do {
            try sizePageCache()
            return try db.transaction {
                let result = try body()
                try flushPending()
                return result
            }
        } catch {
            cache.clear()
            throw error
        }
    }

    /// Replaces the stored occurrence at `o.offset` by `o` when `o` spans more lines: the same
    /// failure read again after lines that join it were appended (a scan that ended at the end of a
    /// growing file keeps its checkpoint before the failure still open there). A no-op otherwise.
    /// The rollup hours of the old and the new row are counted again before the commit.
    func extend(_ o: Occurrence, fileID: Int64, excerpt: Int64) throws {
        let old = try db.cached(
            """
            SELECT ts FROM failures WHERE file_id = ? AND offset = ? AND line = ? AND ifnull(line_end, line) < ?
            """)
        try old.bind(1, fileID)
        try old.bind(2, o.offset)
        try old.bind(3, o.line)
        try old.bind(4, o.lineEnd)
        guard try old.step() else {
            old.reset()
            return
        }
        let oldHour = rollupHour(old.optionalInt64(0))
        old.reset()
        let update = try db.cached(
            """
            UPDATE failures
                SET ts = ?, registry_id = ?, type_id = ?, status = ?, line_end = ?, producer_id = ?, attempts = ?,
                client_ip = ?, identity = ?, repository = ?, code = ?, excerpt_id = ?, matcher_version = ?
            WHERE file_id = ? AND offset = ?
            """)
        defer { update.reset() }
        try update.bind([
            .integer(o.timestamp), .integer(try registryID(o.registry, o.loginServer)),
            .integer(try labelID(o.type)), .integer(o.status.map(Int64.init)),
            .integer(o.lineEnd == o.line ? nil : Int64(o.lineEnd)), .integer(try labelID(o.producer)),
            .integer(Int64(o.attempts)), .text(o.clientIP), .text(o.identity), .text(o.repository), .text(o.code),
            .integer(excerpt), .integer(Int64(Matcher.version)), .integer(fileID), .integer(o.offset),
        ])
        try update.run()
        cache.dirtyHours.insert(oldHour)
        cache.dirtyHours.insert(rollupHour(o.timestamp))
    }

    /// Writes the rollup increments and scan ranges gathered in the open transaction, then counts
    /// again the rollup hours whose rows changed in place.
    func flushPending() throws {
        if !cache.rollup.isEmpty {
            var cells: [RollupKey: RollupValue] = [:]
            for (key, value) in cache.rollup { cells[key.cell, default: RollupValue()].add(value) }
            try upsertRows(
                cells, table: "rollup", keyColumns: "registry, type, host, repository, hour", keyCount: 5
            ) { key, statement, index throws(SQLiteError) in try key.bind(to: statement, from: index) }
            try upsertRows(
                cache.rollup, table: "rollup_values",
                keyColumns: "registry, type, host, repository, hour, client_ip, identity, code", keyCount: 8
            ) { key, statement, index throws(SQLiteError) in
                try key.cell.bind(to: statement, from: index)
                try statement.bind(index + 5, key.clientIP)
                try statement.bind(index + 6, key.identity)
                try statement.bind(index + 7, key.code)
            }
            cache.rollup.removeAll(keepingCapacity: true)
        }
        if !cache.ranges.isEmpty {
            let upsert = try db.cached(
                """
                INSERT INTO scan_files (scan_id, file_id, first_offset, last_offset) VALUES (?, ?, ?, ?)
                ON CONFLICT (scan_id, file_id) DO UPDATE SET
                    first_offset = min(first_offset, excluded.first_offset),
                        last_offset = max(last_offset, excluded.last_offset)
                """)
            defer { upsert.reset() }
            for (key, range) in cache.ranges {
                try upsert.bind(1, key.scan)
                try upsert.bind(2, key.file)
                try upsert.bind(3, range.first)
                try upsert.bind(4, range.last)
                _ = try upsert.step()
                upsert.rewind()
            }
            cache.ranges.removeAll(keepingCapacity: true)
        }
        if !cache.dirtyHours.isEmpty {
            for hour in cache.dirtyHours {
                if hour == -1 {
                    try rebuildRollup(untimed: true)
                } else {
                    try rebuildRollup(from: hour, to: hour, untimed: false)
                }
            }
            cache.dirtyHours.removeAll()
        }
    }

    /// Rows of the rollup upserted per statement: one statement of many rows steps through the
    /// table's cursors once, where one statement per row opens and closes them for each.
    static let rollupRowsPerUpsert = 32

    /// Adds `cells` (key → counts) to the rollup `table` (`rollup` or `rollup_values`), whose key
    /// is `keyColumns` (`keyCount` of them, bound by `bindKey` from a parameter index), followed
    /// by count, attempts, first_ts, last_ts: summed into a row of the same key, else inserted.
    /// Up to `rollupRowsPerUpsert` rows per statement (the keys are distinct, so no two rows of
    /// one statement meet each other).
    private func upsertRows<Key: Hashable>(
        _ cells: [Key: RollupValue], table: String, keyColumns: String, keyCount: Int,
        bindKey: (Key, Statement, Int32) throws(SQLiteError) -> Void
    ) throws {
        let width = keyCount + 4
        func statement(rows: Int) throws(SQLiteError) -> Statement {
            let row = "(" + placeholders(width) + ")"
            return try db.cached(
                """
                INSERT INTO \(table) (\(keyColumns), count, attempts, first_ts, last_ts)
                VALUES \(Array(repeating: row, count: rows).joined(separator: ", "))
                ON CONFLICT (\(keyColumns)) DO UPDATE SET
                    count = count + excluded.count, attempts = attempts + excluded.attempts,
                    first_ts = min(ifnull(first_ts, excluded.first_ts), ifnull(excluded.first_ts, first_ts)),
                    last_ts = max(ifnull(last_ts, excluded.last_ts), ifnull(excluded.last_ts, last_ts))
                """)
        }
        let many = Store.rollupRowsPerUpsert
        var rows = cells.count >= many ? many : 1
        var upsert = try statement(rows: rows)
        defer { upsert.reset() }
        var filled = 0
        var left = cells.count
        for (key, value) in cells {
            if filled == 0, left < rows {
                upsert.reset()
                rows = 1
                upsert = try statement(rows: rows)
            }
            let index = Int32(filled * width + 1)
            try bindKey(key, upsert, index)
            try value.bind(to: upsert, from: index + Int32(keyCount))
            filled += 1
            left -= 1
            if filled == rows {
                _ = try upsert.step()
                upsert.rewind()
                filled = 0
            }
        }
    }

    /// The id of `path` in `sources`, stored on first use.
    func sourceID(_ path: String) throws -> Int64 {
        if let id = cache.sources[path] { return id }
        let id = try internedID(path, table: "sources", column: "path")
        cache.sources[path] = id
        return id
    }

    /// The id of `value` in the unique text `column` of `table`, inserted if it is not there yet.
    private func internedID(_ value: String, table: String, column: String) throws -> Int64 {
        let insert = try db.cached("INSERT INTO \(table) (\(column)) VALUES (?) ON CONFLICT (\(column)) DO NOTHING")
        try insert.bind(1, value)
        try insert.run()
        let select = try db.cached("SELECT id FROM \(table) WHERE \(column) = ?")
        defer { select.reset() }
        try select.bind(1, value)
        _ = try select.step()
        return select.int64(0)
    }

    /// The id of a registry and login server pair in `registries`, stored on first use.
    func registryID(_ registry: String?, _ loginServer: String?) throws -> Int64 {
        let pair = RegistryPair(registry: registry, loginServer: loginServer)
        if let id = cache.registries[pair] { return id }
        let select = try db.cached(
            "SELECT id FROM registries WHERE ifnull(registry, '') = ifnull(?1, '') AND ifnull(login_server, '') = ifnull(?2, '')"
        )
        try select.bind(1, registry)
        try select.bind(2, loginServer)
        var id: Int64
        if try select.step() {
            id = select.int64(0)
            select.reset()
        } else {
            select.reset()
            let insert = try db.cached("INSERT INTO registries (registry, login_server) VALUES (?, ?)")
            try insert.bind(1, registry)
            try insert.bind(2, loginServer)
            try insert.run()
            id = db.lastInsertRowID
        }
        cache.registries[pair] = id
        return id
    }

    /// The id of a failure type's name in `labels`, stored on first use.
    func labelID(_ type: ErrorType) throws -> Int64 {
        let slot = ErrorType.allCases.firstIndex(of: type)!
        if let id = cache.labelIDs[slot] { return id }
        let id = try labelID(type.rawValue)
        cache.labelIDs[slot] = id
        return id
    }

    /// The id of a producer's name in `labels`, stored on first use.
    func labelID(_ producer: Producer) throws -> Int64 {
        let slot = ErrorType.allCases.count + Producer.allCases.firstIndex(of: producer)!
        if let id = cache.labelIDs[slot] { return id }
        let id = try labelID(producer.rawValue)
        cache.labelIDs[slot] = id
        return id
    }

    /// The id of a type or producer name in `labels`, stored on first use.
    func labelID(_ name: String) throws -> Int64 {
        if let id = cache.labels[name] { return id }
        let id = try internedID(name, table: "labels", column: "name")
        cache.labels[name] = id
        return id
    }

    /// The id of the excerpt `text` (UTF-8 bytes) of an occurrence of file `fileID` in `excerpts`:
    /// identical excerpts are stored once per file (schema 6), and once for all files the writer
    /// saw while it remembers them. Found by its 64-bit key (`fnv64`) in the writer's memory, else
    /// through the index of the file's excerpts by key (comparing the text: keys may collide), else
    /// stored with the file's id: a file's new excerpts land in its own part of that index, not all
    /// over it.
    func excerptID(_ text: UnsafeRawBufferPointer, fileID: Int64) throws -> Int64 {
        let hash = fnv64(text)
        if let known = cache.excerpts[hash], known.text.elementsEqual(text) { return known.id }
        let id: Int64
        let select = try db.cached("SELECT id, text FROM excerpts WHERE file_id = ? AND hash = ?")
        let found = try storedExcerptID(text, hash: hash, fileID: fileID, select: select)
        select.reset()
        if let found {
            id = found
        } else {
            let insert = try db.cached("INSERT INTO excerpts (file_id, hash, text) VALUES (?, ?, ?)")
            try insert.bind(1, fileID)
            try insert.bind(2, hash)
            try insert.bindStatic(3, text.baseAddress, count: text.count)
            try insert.run()
            id = db.lastInsertRowID
            cache.newFiles[fileID]?.insert(hash)
        }
        rememberExcerpt(id, text, hash: hash)
        return id
    }

    /// The id of excerpt `text` (key `hash`) of file `fileID` if the database holds it, found
    /// through `select` (`SELECT id, text FROM excerpts WHERE file_id = ? AND hash = ?`, left
    /// rewound) unless the file is known to hold no such key (`storedNoExcerpt`).
    func storedExcerptID(
        _ text: UnsafeRawBufferPointer, hash: Int64, fileID: Int64, select: Statement
    ) throws -> Int64? {
        guard try !storedNoExcerpt(hash, fileID: fileID) else { return nil }
        defer { select.rewind() }
        try select.bind(1, fileID)
        try select.bind(2, hash)
        while try select.step() {
            if select.textEquals(1, text) { return select.int64(0) }
        }
        return nil
    }

    /// Puts excerpt `id` in the writer's memory, emptied first when it is full.
    func rememberExcerpt(_ id: Int64, _ text: UnsafeRawBufferPointer, hash: Int64) {
        if cache.excerpts.count >= cache.excerptLimit || cache.excerptBytes + text.count > cache.excerptByteLimit {
            cache.excerpts.removeAll(keepingCapacity: true)
            cache.excerptBytes = 0
        }
        let replaced = cache.excerpts.updateValue((id, Array(text)), forKey: hash)
        cache.excerptBytes += text.count - (replaced?.text.count ?? 0)
    }

    /// Whether no excerpt row of file `fileID` has the key `hash`, known without the index: the
    /// file held no excerpt when this writer first stored one for it, and the key is not among
    /// those it stored since (`StoreCache.newFiles`). False when that is not known. Files get ids
    /// in the order they are recorded, so the smallest id is the file recorded first.
    func storedNoExcerpt(_ hash: Int64, fileID: Int64) throws -> Bool {
        if let filter = cache.newFiles[fileID] { return !filter.mayContain(hash) }
        if cache.oldFiles.contains(fileID) { return false }
        let any = try db.cached("SELECT 1 FROM excerpts WHERE file_id = ? LIMIT 1")
        try any.bind(1, fileID)
        let held = try any.step()
        any.reset()
        guard !held else {
            cache.oldFiles.insert(fileID)
            return false
        }
        // One filter per file being stored (a sweep's jobs interleave their files); the oldest
        // file's goes first, and its excerpts are looked up from then on.
        // The oldest file's filter is emptied and reused: a new one is 256 KiB of fresh pages, each
        // faulted in by its zeroing (64 faults a file; docs/performance.md, branch `scancpu`).
        var filter: ExcerptFilter?
        if cache.newFiles.count >= StoreCache.newFileLimit, let oldest = cache.newFiles.keys.min() {
            filter = cache.newFiles.removeValue(forKey: oldest)
            cache.oldFiles.insert(oldest)
        }
        if filter == nil {
            filter = ExcerptFilter()
        } else {
            filter?.removeAll()
        }
        cache.newFiles[fileID] = filter
        return true
    }

    /// The columns of `failures` (schema 4) that an occurrence fills, in bind order.
    static let rowColumns = [
        "file_id", "offset", "scan_id", "source_id", "ts", "registry_id", "type_id", "producer_id", "status", "line",
        "line_end",
        "attempts", "client_ip", "identity", "repository", "code", "excerpt_id", "matcher_version",
    ]

    /// Inserts occurrences of one file (row `fileID`, of `host`) first stored by `scan`, with one
    /// reused statement; rows already stored (same file and offset) are left as they are. Into
    /// `main.failures`, the rollup and the scan's offset range are kept up to date for the rows
    /// added (written when the transaction commits). Returns how many were added.
    func insertRows(
        _ batch: [Occurrence], into table: String = "main.failures", fileID: Int64, host: String, source: String,
        scan: Int64, matcherVersion: Int = Matcher.version
    ) throws -> Int {
        try insertRows(
            OccurrenceBatch(batch), into: table, fileID: fileID, host: host, source: source, scan: scan,
            matcherVersion: matcherVersion)
    }

    /// Rows of `failures` inserted per statement when none of them can meet a stored row
    /// (`insertRows`): one statement of many rows keeps the table's cursors open from row to
    /// row, so a row appended after the last one of the table (a file being read, whose offsets
    /// grow) is placed without a descent from the root of the B-tree.
    /// 16 and 64 measured the same as 32 (docs/performance.md, "Branch `storewrite`").
    static let rowsPerInsert = 32

    /// The insert of `rows` occurrences into `table`: parameters 1-4 are the file, the scan, the
    /// source and the matcher version, shared by every row; row `j`'s own 14 values follow from
    /// parameter `5 + 14 × j` (`rowParameters`), in the order `insertRows` binds them.
    private func rowInsert(into table: String, rows: Int) throws(SQLiteError) -> Statement {
        try db.cached(Store.rowInsertSQL(table, rows))
    }

    /// The SQL of `rowInsert`: made once for the sizes and tables of a sweep.
    private static func rowInsertSQL(_ table: String, _ rows: Int) -> String {
        switch (table, rows) {
        case ("main.failures", 1): mainSingleSQL
        case ("main.failures", rowsPerInsert): mainManySQL
        default: makeRowInsertSQL(table, rows)
        }
    }

    private static let mainSingleSQL = makeRowInsertSQL("main.failures", 1)
    private static let mainManySQL = makeRowInsertSQL("main.failures", rowsPerInsert)

    private static func makeRowInsertSQL(_ table: String, _ rows: Int) -> String {
        let tuples = (0..<rows).map { j in
            let b = 4 + Store.rowParameters * j
            // file_id, offset, scan_id, source_id, ts, registry_id, type_id, producer_id, status, line,
            // line_end, attempts, client_ip, identity, repository, code, excerpt_id, matcher_version
            let own = (1...Store.rowParameters).map { "?\(b + $0)" }
            return "(?1, \(own[0]), ?2, ?3, \(own[1...].joined(separator: ", ")), ?4)"
        }
        return """
            INSERT OR IGNORE INTO \(table) (\(Store.rowColumns.joined(separator: ", "))) VALUES \(
                tuples.joined(separator: ", "))
            """
    }

    /// The values of one row that `rowInsert` binds per row (all but file, scan, source, version).
    static let rowParameters = 14

    /// `insertRows` of a packed batch: texts are bound where they lie in the batch's arena, and
    /// everything keyed per row (the registry pair, the excerpt, the rollup cell) is keyed by the
    /// batch's value ids, integers, and looked up once per distinct value. Rows past the file's
    /// last stored offset, in increasing offsets, go `rowsPerInsert` to a statement (none of them
    /// can be a row already stored); the others one at a time, as a row already stored is left
    /// as it is or extended (`extend`).
    func insertRows(
        _ batch: OccurrenceBatch, into table: String = "main.failures", fileID: Int64, host: String, source: String,
        scan: Int64, matcherVersion: Int = Matcher.version
    ) throws -> Int {
        guard !batch.isEmpty else { return 0 }
        // Its excerpts' values are bound as they are: an unfinished one holds the line unredacted.
        precondition(!batch.hasUnfinishedExcerpts, "a batch stored before its excerpts were redacted")
        let main = table == "main.failures"
        let many = Store.rowsPerInsert
        let single = try rowInsert(into: table, rows: 1)
        let multi = batch.count >= many ? try rowInsert(into: table, rows: many) : nil
        let sourceID = try sourceID(source)
        for statement in [single, multi].compactMap({ $0 }) {
            try statement.bind(1, fileID)
            try statement.bind(2, scan)
            try statement.bind(3, sourceID)
            try statement.bind(4, matcherVersion)
        }
        // The texts are bound without a copy: the parameters are cleared before the arena goes.
        defer {
            single.reset()
            multi?.reset()
        }
        // Offsets at or below this may be stored rows (a staging table has no key: nothing meets).
        var stored = Int64.min
        if main, multi != nil {
            let last = try db.cached("SELECT max(offset) FROM main.failures WHERE file_id = ?")
            try last.bind(1, fileID)
            if try last.step(), let offset = last.optionalInt64(0) { stored = offset }
            last.reset()
        }
        var typeIDs = [Int64](repeating: -1, count: OccurrenceBatch.types.count)
        var producerIDs = [Int64](repeating: -1, count: OccurrenceBatch.producers.count)
        // Per value id of the batch: its excerpt row (-1 until looked up).
        var excerptIDs = [Int64](repeating: -1, count: batch.values.count)
        var registryIDs: [UInt64: Int64] = [:]
        var cells: [BatchCellKey: RollupValue] = [:]
        var added = 0
        var first = Int64.max
        var last = Int64.min
        // Rows bound to `multi` and not yet inserted: their indexes in the batch.
        var pending: [Int] = []
        pending.reserveCapacity(many)
        let records = batch.records
        func count(_ r: OccurrenceBatch.Record) {
            added += 1
            guard main else { return }
            let ts: Int64? = r.timestamp == Int64.min ? nil : r.timestamp
            let key = BatchCellKey(
                registry: r.registry, repository: r.repository, clientIP: r.clientIP, identity: r.identity,
                code: r.code, type: r.type, hour: rollupHour(ts))
            cells[key, default: RollupValue()].add(ts: ts, attempts: Int(r.attempts))
            first = min(first, r.offset)
            last = max(last, r.offset)
        }
        try batch.withArena { arena in
            // Empty when every value of the batch is empty; nothing is read from it then.
            let base = arena.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            let values = batch.values
            func bindText(_ insert: Statement, _ index: Int32, _ id: UInt32) throws(SQLiteError) {
                if id == OccurrenceBatch.none { return try insert.bindNull(index) }
                let v = values[Int(id)]
                try insert.bindStatic(index, base + Int(v.start), count: Int(v.count))
            }
            /// Binds row `r`'s own values to `insert` from parameter `b + 1`; returns its excerpt row.
            func bindRow(_ r: OccurrenceBatch.Record, to insert: Statement, after b: Int32) throws -> Int64 {
                try insert.bind(b + 1, r.offset)
                try insert.bind(b + 2, r.timestamp == Int64.min ? nil : r.timestamp)
                let pair = UInt64(r.registry) << 32 | UInt64(r.loginServer)
                let registry: Int64
                if let known = registryIDs[pair] {
                    registry = known
                } else {
                    registry = try registryID(batch.string(r.registry), batch.string(r.loginServer))
                    registryIDs[pair] = registry
                }
                try insert.bind(b + 3, registry)
                if typeIDs[Int(r.type)] < 0 { typeIDs[Int(r.type)] = try labelID(OccurrenceBatch.types[Int(r.type)]) }
                try insert.bind(b + 4, typeIDs[Int(r.type)])
                if producerIDs[Int(r.producer)] < 0 {
                    producerIDs[Int(r.producer)] = try labelID(OccurrenceBatch.producers[Int(r.producer)])
                }
                try insert.bind(b + 5, producerIDs[Int(r.producer)])
                try insert.bind(b + 6, r.status < 0 ? nil : Int64(r.status))
                try insert.bind(b + 7, r.line)
                try insert.bind(b + 8, r.lineEnd == r.line ? nil : r.lineEnd)
                try insert.bind(b + 9, r.attempts)
                try bindText(insert, b + 10, r.clientIP)
                try bindText(insert, b + 11, r.identity)
                try bindText(insert, b + 12, r.repository)
                try bindText(insert, b + 13, r.code)
                var excerpt = excerptIDs[Int(r.excerpt)]
                if excerpt < 0 {
                    let v = values[Int(r.excerpt)]
                    excerpt = try excerptID(
                        UnsafeRawBufferPointer(start: base + Int(v.start), count: Int(v.count)), fileID: fileID)
                    excerptIDs[Int(r.excerpt)] = excerpt
                }
                try insert.bind(b + 14, excerpt)
                return excerpt
            }
            /// Inserts row `i` alone: a row already stored is left as it is, or extended.
            func insertOne(_ i: Int) throws {
                let excerpt = try bindRow(records[i], to: single, after: 4)
                _ = try single.step()
                single.rewind()
                guard db.changes > 0 else {
                    if main { try extend(batch[i], fileID: fileID, excerpt: excerpt) }
                    return
                }
                count(records[i])
            }
            /// Inserts the pending rows: `rowsPerInsert` of them in one statement, fewer one at a time.
            func flush() throws {
                defer { pending.removeAll(keepingCapacity: true) }
                guard let multi, pending.count == many else { return try pending.forEach(insertOne) }
                for (j, i) in pending.enumerated() {
                    _ = try bindRow(records[i], to: multi, after: Int32(4 + Store.rowParameters * j))
                }
                _ = try multi.step()
                multi.rewind()
                // None of them could meet a stored row or each other (offsets past `stored`, increasing).
                guard db.changes == Int64(many) else {
                    throw SQLiteError(
                        code: 1, extendedCode: 1, message: "a row past the file's last stored offset was not inserted",
                        sql: multi.sql)
                }
                for i in pending { count(records[i]) }
            }
            // The batch's excerpts first: its new ones go many to a statement (`batchExcerptIDs`).
            try batchExcerptIDs(records, values: values, arena: base, fileID: fileID, into: &excerptIDs)
            for (i, r) in records.enumerated() {
                if multi != nil, r.offset > stored {
                    pending.append(i)
                    stored = r.offset
                    if pending.count == many { try flush() }
                } else {
                    try flush()
                    try insertOne(i)
                }
            }
            try flush()
        }
        guard main, added > 0 else { return added }
        // The batch's cells, keyed by value ids, become the rollup's keys (texts), once per cell.
        for (key, value) in cells {
            let cell = RollupKey(
                registry: batch.string(key.registry) ?? "", type: OccurrenceBatch.types[Int(key.type)], host: host,
                repository: batch.string(key.repository) ?? "", hour: key.hour)
            let refined = RollupValueKey(
                cell: cell, clientIP: batch.string(key.clientIP) ?? "", identity: batch.string(key.identity) ?? "",
                code: batch.string(key.code) ?? "")
            cache.rollup[refined, default: RollupValue()].add(value)
        }
        let key = ScanFileKey(scan: scan, file: fileID)
        let known = cache.ranges[key]
        cache.ranges[key] = (min(known?.first ?? first, first), max(known?.last ?? last, last))
        return added
    }
}

/// A rollup cell refined by client IP, identity and code, within one batch: the texts as the
/// batch's value ids (`OccurrenceBatch.none` for none), the type as its case index.
struct BatchCellKey: Hashable {
    var registry: UInt32
    var repository: UInt32
    var clientIP: UInt32
    var identity: UInt32
    var code: UInt32
    var type: UInt8
    var hour: Int64

    /// Three words instead of seven fields: one per row, hashed for every row of a batch.
    func hash(into hasher: inout Hasher) {
        hasher.combine(UInt64(registry) << 32 | UInt64(repository))
        hasher.combine(UInt64(clientIP) << 32 | UInt64(identity))
        hasher.combine(UInt64(code) << 8 | UInt64(type))
        hasher.combine(hour)
    }
}
