import LogModel
import LogScanner

/// The rollup (schema 4): occurrences counted per registry, type, host, repository and hour,
/// kept in the same transaction as the rows (docs/schema.md, "rollup"). Reports read it instead of
/// the rows for everything it can answer; a window that does not begin or end on the hour takes
/// its partial hours from the rows, through the time index.
extension Store {
    /// The keys the rollup can group by.
    static let rollupKeys: Set<GroupKey> = [.registry, .type, .host, .repository, .day, .hour]

    /// Whether a query over `filter` grouped by `keys` can be answered from the rollup.
    func usesRollup(_ filter: OccurrenceFilter, keys: [GroupKey] = []) -> Bool {
        version >= 4 && filter.selection == nil && keys.allSatisfy(Store.rollupKeys.contains)
    }

    /// The row columns `rollup_values` (schema 5) is counted from: the rollup's, client IP,
    /// identity and code.
    static let refinedColumns = Store.countingColumns([.repository, .clientIP, .identity]).union(["code"])

    /// Whether a query over `filter` grouped by `keys` can be answered from `rollup_values`
    /// (schema 5): the rollup's keys, client IP and identity.
    func usesRollupValues(_ filter: OccurrenceFilter, keys: [GroupKey] = []) -> Bool {
        version >= 5 && filter.selection == nil
            && keys.allSatisfy { Store.rollupKeys.contains($0) || $0 == .clientIP || $0 == .identity }
    }

    /// A subquery with the columns `registry, type, host, repository, ts, c, a, f, l` (count,
    /// attempts, first and last time) over which sums, minimums and maximums give the answer for
    /// `filter`: rollup rows for the whole hours of the window, one row per occurrence for its
    /// partial hours. `ts` is an hour's start for rollup rows (NULL for untimed occurrences).
    ///
    /// With `values`, from `rollup_values` (schema 5), with the columns `client_ip, identity, code`
    /// after `repository`.
    func rollupSource(_ filter: OccurrenceFilter, values refined: Bool = false) -> (sql: String, values: [ColumnValue])
    {
        let (rollupTerms, rollupValues, edges) = rollupWindow(filter)
        let refinement =
            refined
            ? " nullif(client_ip, '') AS client_ip, nullif(identity, '') AS identity, nullif(code, '') AS code," : ""
        var sql = """
            SELECT nullif(registry, '') AS registry, type, host, nullif(repository, '') AS repository,\(refinement)
                   CASE WHEN hour = -1 THEN NULL
                       ELSE hour END AS ts, count AS c, attempts AS a, first_ts AS f, last_ts AS l
            FROM main.\(refined ? "rollup_values" : "rollup")
            """
        if !rollupTerms.isEmpty { sql += " WHERE " + rollupTerms.joined(separator: " AND ") }
        var values = rollupValues
        for (from, to) in edges {
            var edge = filter
            edge.since = from
            edge.until = to
            let (clause, edgeValues) = edge.sql(byFile: timeIndexByFile)
            sql += """

                UNION ALL
                SELECT registry, type, host, repository,\(refined ? " client_ip, identity, code," : "") ts, 1, attempts, ts, ts
                FROM \(Store.rowSource(version: version, columns: Store.refinedColumns)) AS r\(clause)
                """
            values += edgeValues
        }
        return ("(" + sql + ")", values)
    }

    /// The conditions on rollup tables (`registry`, `type`, `host`, `hour`) that select the whole
    /// hours of `filter`, their values, and the partial hours (from, to) left to the rows.
    func rollupWindow(_ filter: OccurrenceFilter) -> (terms: [String], values: [ColumnValue], edges: [(Int64?, Int64?)])
    {
        var rollupTerms: [String] = []
        var rollupValues: [ColumnValue] = []
        if !filter.registries.isEmpty {
            rollupTerms.append("registry IN (\(placeholders(filter.registries.count)))")
            rollupValues += filter.registries.map { .text($0) }
        }
        if !filter.types.isEmpty {
            rollupTerms.append("type IN (\(placeholders(filter.types.count)))")
            rollupValues += filter.types.map { .text($0.rawValue) }
        }
        if !filter.hosts.isEmpty {
            rollupTerms.append("host IN (\(placeholders(filter.hosts.count)))")
            rollupValues += filter.hosts.map { .text($0) }
        }
        // Whole hours [lo, hi) from the rollup; the rest of [since, until) from the rows.
        var edges: [(Int64?, Int64?)] = []
        if filter.since != nil || filter.until != nil {
            let lo = filter.since.map { BucketSize.hour.floor($0 + 3_599_999) }
            let hi = filter.until.map { BucketSize.hour.floor($0) }
            if let lo, let hi, lo >= hi {
                rollupTerms.append("0")
                edges.append((filter.since, filter.until))
            } else {
                rollupTerms.append("hour <> -1")
                if let lo {
                    rollupTerms.append("hour >= ?")
                    rollupValues.append(.integer(lo))
                    if let since = filter.since, since < lo { edges.append((since, lo)) }
                }
                if let hi {
                    rollupTerms.append("hour < ?")
                    rollupValues.append(.integer(hi))
                    if let until = filter.until, hi < until { edges.append((hi, until)) }
                }
            }
        }
        return (rollupTerms, rollupValues, edges)
    }

    /// Recounts the rollup rows of the hours from `from` to `to` (inclusive, hour starts), and
    /// of untimed occurrences when `untimed`, from the rows: after rows were deleted or changed.
    /// Without bounds, the whole rollup.
    func rebuildRollup(from: Int64? = nil, to: Int64? = nil, untimed: Bool = true, all: Bool = false) throws {
        // The rollup, then (schema 5) `rollup_values`: the same cells, refined.
        var fills = [
            (
                table: "rollup",
                insert: """
                INSERT INTO rollup (registry, type, host, repository, hour, count, attempts, first_ts, last_ts)
                SELECT ifnull(registry, ''), type, host, ifnull(repository, ''), ifnull((ts / 3600000) * 3600000, -1),
                       count(*), sum(attempts), min(ts), max(ts)
                FROM \(Store.rowSource(version: version, columns: Store.countingColumns([.repository]))) AS r
                """, groupBy: " GROUP BY 1, 2, 3, 4, 5"
            )
        ]
        if version >= 5 {
            fills.append(
                (
                    table: "rollup_values",
                    insert: """
                    INSERT INTO rollup_values (registry, type, host, repository, hour, client_ip, identity, code, count,
                        attempts, first_ts, last_ts)
                    SELECT ifnull(registry, ''), type, host, ifnull(repository, ''), ifnull((ts / 3600000) * 3600000, -1),
                           ifnull(client_ip, ''), ifnull(identity, ''), ifnull(code, ''), count(*), sum(attempts), min(ts),
                               max(ts)
                    FROM \(Store.rowSource(version: version, columns: Store.refinedColumns)) AS r
                    """, groupBy: " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
                ))
        }
        let tables = fills.map(\.table)
        if all {
            for table in tables { try db.execute("DELETE FROM \(table)") }
            for fill in fills { try db.execute(fill.insert + fill.groupBy) }
            return
        }
        if let from, let to {
            for table in tables {
                let delete = try db.prepare("DELETE FROM \(table) WHERE hour >= ? AND hour <= ?")
                try delete.bind(1, from)
                try delete.bind(2, to)
                try delete.run()
            }
            for fill in fills {
                let byFile = timeIndexByFile ? Store.everyFile + " AND " : ""
                let stmt = try db.prepare(fill.insert + " WHERE \(byFile)ts >= ? AND ts < ?" + fill.groupBy)
                try stmt.bind(1, from)
                try stmt.bind(2, to + 3_600_000)
                try stmt.run()
            }
        }
        if untimed {
            for table in tables { try db.execute("DELETE FROM \(table) WHERE hour = -1") }
            let byFile = timeIndexByFile ? Store.everyFile + " AND " : ""
            for fill in fills { try db.execute(fill.insert + " WHERE \(byFile)ts IS NULL" + fill.groupBy) }
        }
    }

    /// The hours (first, last) and whether untimed rows exist among the stored rows of a file.
    func hourSpan(ofFile fileID: Int64, table: String = "main.failures") throws -> (
        from: Int64?, to: Int64?, untimed: Bool
    ) {
        let stmt = try db.prepare("SELECT min(ts), max(ts), count(*) - count(ts) FROM \(table) WHERE file_id = ?")
        try stmt.bind(1, fileID)
        _ = try stmt.step()
        return (stmt.optionalInt64(0).map(rollupHour), stmt.optionalInt64(1).map(rollupHour), stmt.int64(2) > 0)
    }
}
