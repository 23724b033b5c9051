import CSQLite
import LogModel
import LogScanner

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A kind of evidence: its column and where it goes in `GroupEvidence`.
private enum EvidenceKind: Int, CaseIterable {
    case registry, clientIP, identity, repository, code

    var column: String {
        let column: OccurrenceColumn =
            switch self {
            case .registry: .registry
            case .clientIP: .clientIP
            case .identity: .identity
            case .repository: .repository
            case .code: .code
            }
        return column.name
    }

    /// The grouping key that makes this kind redundant.
    var key: GroupKey {
        switch self {
        case .registry: .registry
        case .clientIP: .clientIP
        case .identity: .identity
        case .repository: .repository
        case .code: .type  // never skipped: codes are not a grouping key
        }
    }
}

extension Store {
    /// How many distinct combinations of keys and values `evidence` counts in memory before it
    /// hands the work to SQLite's sorter instead.
    public static let evidenceCombinationLimit = 100_000

    /// For every group of `groups(filter, by: keys)` whose occurrences named any registry, client IP,
    /// identity, repository or code: up to `limit` distinct values of each kind, most occurrences
    /// first (ties by their bytes), and how many distinct values there were. Groups that named none
    /// are left out, in no particular order; kinds that are grouping keys stay empty.
    ///
    /// One pass over the matching rows, counting their distinct combinations of keys and values in
    /// a hash table (a report's groups name a few hundred combinations even over a million
    /// occurrences). A store with more than `combinationLimit` combinations is counted by SQLite
    /// instead (`GROUP BY` and window functions, which spill to disk), slower but in bounded memory;
    /// both give the same answer.
    public func evidence(
        _ filter: OccurrenceFilter, by keys: [GroupKey], limit: Int = 5,
        combinationLimit: Int = Store.evidenceCombinationLimit
    ) throws(StoreError) -> [GroupEvidence] {
        try guarded {
            let kinds = EvidenceKind.allCases.filter { $0 == .code || !keys.contains($0.key) }
            if usesRollupValues(filter, keys: keys) {
                return try rollupEvidence(filter, by: keys, kinds: kinds, limit: limit)
            }
            let anyValue = kinds.map { "\($0.column) IS NOT NULL" }.joined(separator: " OR ")
            let columns = keys.map(\.expression) + kinds.map(\.column)
            let (source, clause, values) = try evidenceSource(filter, keys: keys, kinds: kinds)
            let sql =
                "SELECT \(columns.joined(separator: ", ")) FROM \(source)"
                + "\(clause.isEmpty ? " WHERE" : clause + " AND") (\(anyValue))"
            let stmt = try db.prepare(sql)
            try stmt.bind(values)

            var table = CombinationTable()
            var combos: [(group: GroupEvidence, values: [String?], count: Int)] = []
            let width = Int32(columns.count)
            while try stmt.step() {
                table.key.removeAll(keepingCapacity: true)
                for column in 0..<width { stmt.appendKey(column, to: &table.key) }
                let (at, isNew) = table.find()
                if !isNew {
                    combos[at].count += 1
                    continue
                }
                guard combos.count < combinationLimit else {
                    stmt.reset()
                    return try rankedEvidence(by: keys, kinds: kinds, limit: limit, source: (source, clause, values))
                }
                table.insert(at: combos.count)
                let valuesStart = Int32(keys.count)
                combos.append(
                    (
                        GroupEvidence(key: stmt.groupKey(keys)),
                        kinds.indices.map { stmt.text(valuesStart + Int32($0)) }, 1
                    ))
            }

            // Per group and kind: the count of each value.
            var tally = EvidenceTally(kinds: kinds)
            for combo in combos {
                for (k, value) in combo.values.enumerated() {
                    if let value { tally.add(combo.group, kind: k, value: value, count: combo.count) }
                }
            }
            return tally.ranked(limit: limit)
        }
    }

    /// `evidence` from `rollup_values` (schema 5), for the keys and filters it covers: the
    /// rollup refined by client IP, identity and code, so that its counts summed per group and
    /// value are the row counts; a window's partial hours from the rows, as for the counts
    /// (`rollupSource`). No occurrence row is read for whole hours.
    private func rollupEvidence(_ filter: OccurrenceFilter, by keys: [GroupKey], kinds: [EvidenceKind], limit: Int)
        throws
        -> [GroupEvidence]
    {
        let source = rollupSource(filter, values: true)
        let dims = keys.map(\.expression)
        // The keys and the value (the kind is a constant per part).
        let positions = (Array(1...dims.count + 2).filter { $0 != dims.count + 1 }).map(String.init).joined(
            separator: ", ")
        let pairs = kinds.map { kind in
            "SELECT \((dims + ["\(kind.rawValue)", kind.column, "sum(c)"]).joined(separator: ", ")) FROM v "
                + "WHERE \(kind.column) IS NOT NULL GROUP BY \(positions)"
        }.joined(separator: "\nUNION ALL\n")
        let stmt = try db.prepare("WITH v AS MATERIALIZED (SELECT * FROM \(source.sql))\n" + pairs)
        try stmt.bind(source.values)
        let index = Dictionary(uniqueKeysWithValues: kinds.enumerated().map { ($1, $0) })
        var tally = EvidenceTally(kinds: kinds)
        let n = Int32(keys.count)
        while try stmt.step() {
            guard let kind = EvidenceKind(rawValue: Int(stmt.int64(n))).flatMap({ index[$0] }),
                let value = stmt.text(n + 1)
            else {
                continue
            }
            tally.add(GroupEvidence(key: stmt.groupKey(keys)), kind: kind, value: value, count: Int(stmt.int64(n + 2)))
        }
        return tally.ranked(limit: limit)
    }

    /// `evidence` counted by SQLite: the distinct combinations of keys and values in a
    /// materialised table, unpivoted, ranked with window functions; at most `limit` values per
    /// group and kind leave SQLite.
    private func rankedEvidence(
        by keys: [GroupKey], kinds: [EvidenceKind], limit: Int,
        source query: (from: String, clause: String, values: [ColumnValue])
    ) throws -> [GroupEvidence] {
        let (source, clause, values) = query
        let aliases = keys.indices.map { "k\($0)" }
        let dims = zip(keys, aliases).map { "\($0.expression) AS \($1)" }
        let valueColumns = kinds.map { "\($0.column) AS v\($0.rawValue)" }
        let anyValue = kinds.map { "\($0.column) IS NOT NULL" }.joined(separator: " OR ")
        let keyPrefix = aliases.isEmpty ? "" : aliases.joined(separator: ", ") + ", "
        let combos = """
            SELECT \((dims + valueColumns).joined(separator: ", ")), count(*) AS n
            FROM \(source)\(clause.isEmpty ? " WHERE" : clause + " AND") (\(anyValue))
            GROUP BY \((aliases + kinds.map { "v\($0.rawValue)" }).joined(separator: ", "))
            """
        let pairs = kinds.map { kind in
            "SELECT \(keyPrefix)\(kind.rawValue) AS kind, v\(kind.rawValue) AS value, sum(n) AS n FROM combos "
                + "WHERE v\(kind.rawValue) IS NOT NULL GROUP BY \(keyPrefix)v\(kind.rawValue)"
        }.joined(separator: "\nUNION ALL\n")
        let partition = "PARTITION BY \(keyPrefix)kind"
        let sql = """
            WITH combos AS MATERIALIZED (\(combos)),
            pairs AS (\(pairs))
            SELECT \(keyPrefix)kind, value, total FROM (
                SELECT \(keyPrefix)kind, value,
                       row_number() OVER (\(partition) ORDER BY n DESC, value) AS rank,
                       count(*) OVER (\(partition)) AS total
                FROM pairs)
            WHERE rank <= ?
            ORDER BY \(keyPrefix)kind, rank
            """
        let stmt = try db.prepare(sql)
        try stmt.bind(values + [.integer(Int64(max(0, limit)))])
        var rows: [GroupEvidence] = []
        var last: GroupKeyValues?
        let n = Int32(keys.count)
        while try stmt.step() {
            let row = GroupEvidence(key: stmt.groupKey(keys))
            guard let kind = EvidenceKind(rawValue: Int(stmt.int64(n))), let value = stmt.text(n + 1) else { continue }
            let id = row.key
            if last != id {
                rows.append(row)
                last = id
            }
            var values = Self.get(kind, in: rows[rows.count - 1])
            values.values.append(value)
            values.distinct = max(Int(stmt.int64(n + 2)), values.values.count)
            Self.set(values, kind: kind, in: &rows[rows.count - 1])
        }
        return rows
    }

    /// Where `evidence` reads the rows (the row source of `rowQuery`, with the columns it needs):
    /// through an index of the filter's columns when it selects few rows, else the whole table in
    /// storage order (`NOT INDEXED`). The values are in no index, so each row found through one
    /// costs a lookup in the table, at random: about twenty times a row read in order (on a million
    /// occurrences, a week's quarter of the rows took 1.7 s of CPU through the time index and 0.4 s
    /// as a scan). The counts come from the rollup (schema 4) or the covering indexes (schema 3).
    private func evidenceSource(_ filter: OccurrenceFilter, keys: [GroupKey], kinds: [EvidenceKind])
        throws -> (from: String, clause: String, values: [ColumnValue])
    {
        let columns = Store.countingColumns(keys).union(kinds.map(\.column))
        var scan = false
        if filter != OccurrenceFilter(), filter.selection == nil {
            let matching = Int64(try count(filter))
            let rows = Int64(try count(OccurrenceFilter()))
            scan = matching * 16 > rows
        }
        return try rowQuery(filter, columns: columns, notIndexed: scan)
    }

    private static func get(_ kind: EvidenceKind, in row: GroupEvidence) -> EvidenceValues {
        switch kind {
        case .registry: row.registries
        case .clientIP: row.clientIPs
        case .identity: row.identities
        case .repository: row.repositories
        case .code: row.codes
        }
    }

    fileprivate static func set(_ values: EvidenceValues, kind: EvidenceKind, in row: inout GroupEvidence) {
        switch kind {
        case .registry: row.registries = values
        case .clientIP: row.clientIPs = values
        case .identity: row.identities = values
        case .repository: row.repositories = values
        case .code: row.codes = values
        }
    }
}

/// Per group and kind, the count of each value; ranked into `GroupEvidence`.
private struct EvidenceTally {
    let kinds: [EvidenceKind]
    private var order: [GroupKeyValues] = []
    private var counts: [GroupKeyValues: (group: GroupEvidence, byKind: [[String: Int]])] = [:]

    init(kinds: [EvidenceKind]) { self.kinds = kinds }

    /// Counts `count` more occurrences of `value` of `kinds[kind]` in `group`.
    mutating func add(_ group: GroupEvidence, kind: Int, value: String, count: Int) {
        let id = group.key
        if counts[id] == nil {
            order.append(id)
            counts[id] = (group, Array(repeating: [:], count: kinds.count))
        }
        counts[id]!.byKind[kind][value, default: 0] += count
    }

    /// Each group with at most `limit` values of each kind, most occurrences first (ties by
    /// their bytes), and the distinct count; groups in the order first counted.
    func ranked(limit: Int) -> [GroupEvidence] {
        order.map { id in
            var (row, byKind) = counts[id]!
            for (k, kind) in kinds.enumerated() {
                let ranked = byKind[k].sorted { a, b in
                    a.value != b.value ? a.value > b.value : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
                }
                Store.set(
                    EvidenceValues(ranked.prefix(max(0, limit)).map(\.key), distinct: ranked.count), kind: kind,
                    in: &row)
            }
            return row
        }
    }
}

extension Statement {
    /// Appends the current row's value in `column` to `key` so that two rows give equal bytes
    /// exactly when their values are equal: 0 for NULL, else 1, the length of the value as text
    /// (four bytes) and its bytes. Integers (a day or hour) are compared as their text.
    @inline(__always)
    func appendKey(_ column: Int32, to key: inout [UInt8]) {
        guard let bytes = sqlite3_column_text(handle, column) else {
            key.append(0)
            return
        }
        let count = Int(sqlite3_column_bytes(handle, column))
        key.append(1)
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: count).littleEndian) { key.append(contentsOf: $0) }
        key.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
    }
}

/// An open-addressing hash table from a row's key bytes to the index of its combination: one
/// FNV-1a pass and, on a hit, one `memcmp`, with no allocation per row.
private struct CombinationTable {
    /// The key of the current row, filled by the caller before `find`.
    var key: [UInt8] = []
    /// Index + 1 of the combination in each slot, 0 when empty; the count is a power of two.
    private var slots = [Int32](repeating: 0, count: 1024)
    /// The key bytes and hash of each combination, by index.
    private var keys: [[UInt8]] = []
    private var hashes: [UInt64] = []
    /// Where `find` stopped: the slot of the key, or the empty slot it goes into.
    private var slot = 0
    private var hash: UInt64 = 0

    init() { key.reserveCapacity(256) }

    /// The index of `key`'s combination and false, or the index it gets and true when it is new.
    mutating func find() -> (index: Int, isNew: Bool) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key { h = (h ^ UInt64(byte)) &* 0x0100_0000_01B3 }
        hash = h
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
        while slots[i] != 0 {
            let at = Int(slots[i]) - 1
            if hashes[at] == h && Self.equal(keys[at], key) { return (at, false) }
            i = (i + 1) & mask
        }
        slot = i
        return (keys.count, true)
    }

    /// Adds the key that the last `find` did not find, as combination `index` (`keys.count`).
    mutating func insert(at index: Int) {
        keys.append(key)
        hashes.append(hash)
        slots[slot] = Int32(index + 1)
        guard keys.count * 2 > slots.count else { return }
        // Keep the load under one half.
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (at, h) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(at + 1)
        }
    }

    private static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 }
        }
    }
}
