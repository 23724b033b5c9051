import LogModel
import LogScanner

extension OccurrenceFilter {
    /// The WHERE clause and its bound values; values are always bound, never spliced.
    var sql: (clause: String, values: [ColumnValue]) { sql(byFile: false) }

    /// The WHERE clause and its bound values. With `byFile` (schema 6, whose time index is
    /// `(file_id, ts)`), a time window also names every file (`file_id IN (SELECT id FROM
    /// main.files)`), so that SQLite reads the window through the index one file at a time.
    func sql(byFile: Bool) -> (clause: String, values: [ColumnValue]) {
        var terms: [String] = []
        var values: [ColumnValue] = []
        if byFile, since != nil || until != nil { terms.append(Store.everyFile) }
        if let since {
            terms.append("ts >= ?")
            values.append(.integer(since))
        }
        if let until {
            terms.append("ts < ?")
            values.append(.integer(until))
        }
        if !registries.isEmpty {
            let named = registries.filter { !$0.isEmpty }
            var any: [String] = []
            if !named.isEmpty { any.append("registry IN (\(placeholders(named.count)))") }
            if named.count < registries.count { any.append("registry IS NULL") }
            terms.append(any.count == 1 ? any[0] : "(" + any.joined(separator: " OR ") + ")")
            values += named.map { .text($0) }
        }
        if !types.isEmpty {
            terms.append("type IN (\(placeholders(types.count)))")
            values += types.map { .text($0.rawValue) }
        }
        if !hosts.isEmpty {
            terms.append("host IN (\(placeholders(hosts.count)))")
            values += hosts.map { .text($0) }
        }
        return (terms.isEmpty ? "" : " WHERE " + terms.joined(separator: " AND "), values)
    }
}

/// `?, ?, …`: `count` placeholders for an `IN` list.
func placeholders(_ count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
}

extension GroupKey {
    /// The SQL expression of the dimension.
    var expression: String {
        switch self {
        case .registry, .type, .host, .repository, .identity, .clientIP: column!.name
        case .day: "(ts / 86400000) * 86400000"
        case .hour: "(ts / 3600000) * 3600000"
        }
    }
}

extension Store {
    /// The condition that lets a time window be read through `failures_by_file_time` (schema 6):
    /// true of every row, since every row's file is in `files`.
    static let everyFile = "file_id IN (SELECT id FROM main.files)"

    /// Whether the time index is `(file_id, ts)` (schema 6): windows then name every file.
    var timeIndexByFile: Bool { version >= 6 }

    /// The rows `filter` selects: the FROM subquery (over the rows of the scans it selects, if
    /// any), the WHERE clause, and their values in order.
    func rowQuery(_ filter: OccurrenceFilter, columns: Set<String>? = nil, notIndexed: Bool = false)
        throws -> (from: String, clause: String, values: [ColumnValue])
    {
        var values: [ColumnValue] = []
        var scans: String?
        if let selection = filter.selection {
            _ = try resolve(selection)  // refuses a database without scans, with the reason
            let condition = selection.condition
            scans = condition.sql
            values += condition.values
        }
        let (clause, filterValues) = filter.sql(byFile: timeIndexByFile)
        return (
            Store.rowSource(version: version, scans: scans, columns: columns, notIndexed: notIndexed) + " AS r", clause,
            values + filterValues
        )
    }

    /// Counts per combination of `keys`, with attempts and first and last seen; ordered by count
    /// (highest first), then by the keys. From the rollup when it covers the keys and the filter
    /// (schema 4, no scan selection), or `rollup_values` for client IP and identity (schema 5),
    /// else one aggregate query over the rows.
    public func groups(_ filter: OccurrenceFilter, by keys: [GroupKey]) throws(StoreError) -> [GroupCount] {
        try guarded {
            let dims = keys.map(\.expression)
            var sql: String
            var values: [ColumnValue]
            if usesRollup(filter, keys: keys) || usesRollupValues(filter, keys: keys) {
                let source = rollupSource(filter, values: !usesRollup(filter, keys: keys))
                let select = (dims + ["sum(c)", "sum(a)", "min(f)", "max(l)"]).joined(separator: ", ")
                sql = "SELECT \(select) FROM \(source.sql)"
                values = source.values
            } else {
                let (from, clause, rowValues) = try rowQuery(filter, columns: Store.countingColumns(keys))
                let select = (dims + ["count(*)", "sum(attempts)", "min(ts)", "max(ts)"]).joined(separator: ", ")
                sql = "SELECT \(select) FROM \(from)\(clause)"
                values = rowValues
            }
            if !dims.isEmpty {
                let positions = (1...dims.count).map(String.init).joined(separator: ", ")
                sql += " GROUP BY \(positions) ORDER BY \(dims.count + 1) DESC, \(positions)"
            }
            let stmt = try db.prepare(sql)
            try stmt.bind(values)
            var rows: [GroupCount] = []
            while try stmt.step() {
                let n = Int32(keys.count)
                let row = GroupCount(
                    key: stmt.groupKey(keys), count: Int(stmt.int64(n)), attempts: Int(stmt.int64(n + 1)),
                    firstSeen: stmt.optionalInt64(n + 2), lastSeen: stmt.optionalInt64(n + 3))
                guard row.count > 0 else { continue }
                rows.append(row)
            }
            return rows
        }
    }

    /// Occurrences per bucket, registry and type, in order of registry, type and bucket (reports
    /// sort for themselves); occurrences without a time are left out.
    public func trend(_ filter: OccurrenceFilter, bucket: BucketSize) throws(StoreError) -> [TrendCount] {
        try guarded {
            let size = bucket.milliseconds
            var sql: String
            var values: [ColumnValue]
            if usesRollup(filter) {
                let source = rollupSource(filter)
                sql = "SELECT (ts / \(size)) * \(size), registry, type, sum(c) FROM \(source.sql) WHERE ts IS NOT NULL"
                values = source.values
            } else {
                let (from, clause, rowValues) = try rowQuery(filter, columns: Store.countingColumns())
                sql =
                    "SELECT (ts / \(size)) * \(size), registry, type, count(*) FROM \(from)\(clause.isEmpty ? " WHERE" : clause + " AND") ts IS NOT NULL"
                values = rowValues
            }
            sql += " GROUP BY 2, 3, 1 ORDER BY 2, 3, 1"
            let stmt = try db.prepare(sql)
            try stmt.bind(values)
            var rows: [TrendCount] = []
            while try stmt.step() {
                guard let type = stmt.text(2).flatMap(ErrorType.init(rawValue:)) else { continue }
                rows.append(
                    TrendCount(bucket: stmt.int64(0), registry: stmt.text(1), type: type, count: Int(stmt.int64(3))))
            }
            return rows
        }
    }

    /// Stored occurrences in time order (then host, source, line), at most `limit` of them.
    public func occurrences(_ filter: OccurrenceFilter, limit: Int? = nil) throws(StoreError) -> [StoredOccurrence] {
        try guarded {
            let (from, clause, values) = try rowQuery(filter)
            var sql = """
                SELECT id, \(OccurrenceColumn.selectList())
                FROM \(from)\(clause) ORDER BY ts IS NULL, ts, host, source, line
                """
            if let limit { sql += " LIMIT \(max(0, limit))" }
            let stmt = try db.prepare(sql)
            try stmt.bind(values)
            var rows: [StoredOccurrence] = []
            while try stmt.step() {
                let row = stmt.occurrenceRow(at: 1)
                guard let occurrence = row.occurrence else { continue }
                rows.append(
                    StoredOccurrence(id: stmt.int64(0), host: row.host, source: row.source, occurrence: occurrence))
            }
            return rows
        }
    }

    /// The log files scanned per host (the `files` table), by host.
    public func coverage() throws(StoreError) -> [(host: String, files: Int)] {
        try guarded {
            let stmt = try db.prepare("SELECT host, count(*) FROM files GROUP BY host ORDER BY host")
            var rows: [(host: String, files: Int)] = []
            while try stmt.step() { rows.append((stmt.text(0) ?? "", Int(stmt.int64(1)))) }
            return rows
        }
    }

    /// How many occurrences match the filter.
    public func count(_ filter: OccurrenceFilter) throws(StoreError) -> Int {
        try guarded {
            let stmt: Statement
            if usesRollup(filter) {
                let source = rollupSource(filter)
                stmt = try db.prepare("SELECT ifnull(sum(c), 0) FROM \(source.sql)")
                try stmt.bind(source.values)
            } else {
                let (from, clause, values) = try rowQuery(filter, columns: Store.countingColumns())
                stmt = try db.prepare("SELECT count(*) FROM \(from)\(clause)")
                try stmt.bind(values)
            }
            guard try stmt.step() else { return 0 }
            return Int(stmt.int64(0))
        }
    }

    /// The earliest and latest occurrence time matching the filter, or nil when none has a time.
    public func span(_ filter: OccurrenceFilter) throws(StoreError) -> (first: Int64, last: Int64)? {
        try guarded {
            let stmt: Statement
            if usesRollup(filter) {
                let source = rollupSource(filter)
                stmt = try db.prepare("SELECT min(f), max(l) FROM \(source.sql)")
                try stmt.bind(source.values)
            } else {
                let (from, clause, values) = try rowQuery(filter, columns: Store.countingColumns())
                stmt = try db.prepare("SELECT min(ts), max(ts) FROM \(from)\(clause)")
                try stmt.bind(values)
            }
            guard try stmt.step(), let first = stmt.optionalInt64(0), let last = stmt.optionalInt64(1) else {
                return nil
            }
            return (first, last)
        }
    }
}

extension Statement {
    /// The occurrence row whose columns, in `OccurrenceColumn.allCases` order, start at result
    /// column `first`: the one decoder of stored occurrences.
    func occurrenceRow(at first: Int32 = 0) -> OccurrenceRow {
        var row = OccurrenceRow.empty
        for (i, column) in OccurrenceColumn.ordered.enumerated() {
            let at = first + Int32(i)
            row.set(column, column.isText ? .text(text(at)) : .integer(optionalInt64(at)))
        }
        return row
    }

    /// A group's keys from the first `keys.count` columns of the current row (`groups`, `evidence`).
    func groupKey(_ keys: [GroupKey]) -> GroupKeyValues {
        var key = GroupKeyValues()
        for (i, group) in keys.enumerated() {
            let column = Int32(i)
            switch group {
            case .registry: key.registry = text(column)
            case .type: key.type = text(column).flatMap(ErrorType.init(rawValue:))
            case .host: key.host = text(column)
            case .repository: key.repository = text(column)
            case .identity: key.identity = text(column)
            case .clientIP: key.clientIP = text(column)
            case .day, .hour: key.period = optionalInt64(column)
            }
        }
        return key
    }
}
