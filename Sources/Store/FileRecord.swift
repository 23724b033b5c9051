import LogScanner

/// A file's identity: a hash of its first bytes after decompression, not its path or inode, so
/// renamed and compressed copies of the same log are recognised (SPEC section 4).
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
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<n {
            h = (h ^ UInt64(prefix[i])) &* 0x0000_0100_0000_01B3
        }
        let hex = String(h, radix: 16)
        self.hash = String(repeating: "0", count: 16 - hex.count) + hex
        self.length = n
    }

    /// A fingerprint read back from the store.
    public init(hash: String, length: Int) {
        self.hash = hash
        self.length = length
    }
}

/// What the store knows of one file: its identity and how far it was scanned.
public struct FileRecord: Sendable, Equatable {
    /// Row id; nil for a file not stored yet.
    public var id: Int64?
    /// The host whose file it is.
    public var host: String
    /// The stable identity of the content, fixed at first sight (the first fingerprint's hash);
    /// occurrences are keyed by host, this key and their byte offset.
    public var fileKey: String
    /// The current fingerprint (longer than the first one if the file was short and grew).
    public var fingerprint: Fingerprint
    /// The path it was last seen at.
    public var path: String
    /// How far it was scanned, and the scanner state there.
    public var position: ScanPosition
    /// The matcher version that scanned it.
    public var matcherVersion: Int

    /// A record for a file seen for the first time.
    public init(host: String, fingerprint: Fingerprint, path: String) {
        self.id = nil
        self.host = host
        self.fileKey = fingerprint.hash
        self.fingerprint = fingerprint
        self.path = path
        self.position = ScanPosition()
        self.matcherVersion = Matcher.version
    }

    init(id: Int64, host: String, fileKey: String, fingerprint: Fingerprint, path: String, position: ScanPosition, matcherVersion: Int) {
        self.id = id
        self.host = host
        self.fileKey = fileKey
        self.fingerprint = fingerprint
        self.path = path
        self.position = position
        self.matcherVersion = matcherVersion
    }
}

extension Store {
    static let fileColumns = "id, host, file_key, fingerprint, fp_length, path, scanned_offset, scanned_lines, last_ts, context, pipelines, matcher_version"

    /// The stored record of the file whose content begins with `prefix`, if it was seen before on
    /// `host`: by its full fingerprint, or by the fingerprint it had when it was shorter.
    public func file(host: String, prefix: UnsafeRawBufferPointer) throws(StoreError) -> FileRecord? {
        try guarded {
            let current = Fingerprint(prefix: prefix)
            if let record = try lookup(host: host, fingerprint: current) { return record }
            let lengths = try db.prepare("SELECT DISTINCT fp_length FROM files WHERE host = ? AND fp_length < ? ORDER BY 1 DESC")
            try lengths.bind([.text(host), .integer(Int64(current.length))])
            var shorter: [Int] = []
            while try lengths.step() { shorter.append(Int(lengths.int64(0))) }
            for length in shorter {
                let earlier = Fingerprint(prefix: UnsafeRawBufferPointer(rebasing: prefix[0..<length]))
                if let record = try lookup(host: host, fingerprint: earlier) { return record }
            }
            return nil
        }
    }

    private func lookup(host: String, fingerprint: Fingerprint) throws -> FileRecord? {
        let stmt = try db.prepare("SELECT \(Store.fileColumns) FROM files WHERE host = ? AND fingerprint = ? AND fp_length = ? ORDER BY id DESC LIMIT 1")
        try stmt.bind([.text(host), .text(fingerprint.hash), .integer(Int64(fingerprint.length))])
        guard try stmt.step() else { return nil }
        return FileRecord(
            id: stmt.int64(0), host: stmt.text(1) ?? host, fileKey: stmt.text(2) ?? fingerprint.hash,
            fingerprint: Fingerprint(hash: stmt.text(3) ?? "", length: Int(stmt.int64(4))), path: stmt.text(5) ?? "",
            position: ScanPosition(offset: stmt.int64(6), lines: Int(stmt.int64(7)), lastTimestamp: stmt.optionalInt64(8),
                                   context: RegistryContext(encoded: stmt.text(9) ?? ""), pipelines: stmt.int64(10) != 0),
            matcherVersion: Int(stmt.int64(11)))
    }

    /// Stores a batch of occurrences of one file and the position scanned up to, in one
    /// transaction: a scan killed at any moment loses nothing and, run again, duplicates nothing.
    /// - Returns: how many occurrences were new.
    @discardableResult
    public func commit(_ batch: [Occurrence], file: inout FileRecord, now: Int64) throws(StoreError) -> Int {
        try guarded {
            try db.transaction {
                if let id = file.id {
                    let update = try db.prepare("""
                        UPDATE files SET fingerprint = ?, fp_length = ?, path = ?, scanned_offset = ?, scanned_lines = ?,
                            last_ts = ?, context = ?, pipelines = ?, matcher_version = ?, last_scanned = ? WHERE id = ?
                        """)
                    try update.bind(fileValues(file) + [.integer(now), .integer(id)])
                    try update.run()
                } else {
                    let insert = try db.prepare("""
                        INSERT INTO files (fingerprint, fp_length, path, scanned_offset, scanned_lines, last_ts, context,
                            pipelines, matcher_version, first_scanned, last_scanned, host, file_key)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                    try insert.bind(fileValues(file) + [.integer(now), .integer(now), .text(file.host), .text(file.fileKey)])
                    try insert.run()
                    file.id = try db.integer("SELECT last_insert_rowid()")
                }
                return try insertOccurrences(batch, host: file.host, fileKey: file.fileKey, source: file.path)
            }
        }
    }

    private func fileValues(_ file: FileRecord) -> [SQLValue] {
        [.text(file.fingerprint.hash), .integer(Int64(file.fingerprint.length)), .text(file.path),
         .integer(file.position.offset), .integer(Int64(file.position.lines)), .integer(file.position.lastTimestamp),
         .text(file.position.context.encoded), .integer(file.position.pipelines ? 1 : 0), .integer(Int64(file.matcherVersion))]
    }

    func insertOccurrences(_ batch: [Occurrence], host: String, fileKey: String, source: String) throws -> Int {
        guard !batch.isEmpty else { return 0 }
        let insert = try db.prepare("""
            INSERT OR IGNORE INTO failures (host, file_key, offset, source, ts, registry, login_server, type, status, line,
                line_end, producer, attempts, client_ip, identity, repository, code, excerpt, matcher_version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var added = 0
        for o in batch {
            try insert.bind([
                .text(host), .text(fileKey), .integer(o.offset), .text(source), .integer(o.timestamp), .text(o.registry),
                .text(o.loginServer), .text(o.type.rawValue), .integer(o.status.map(Int64.init)), .integer(Int64(o.line)),
                .integer(Int64(o.lineEnd)), .text(o.producer.rawValue), .integer(Int64(o.attempts)), .text(o.clientIP),
                .text(o.identity), .text(o.repository), .text(o.code), .text(o.excerpt), .integer(Int64(Matcher.version)),
            ])
            try insert.run()
            added += Int(db.changes)
        }
        return added
    }
}
