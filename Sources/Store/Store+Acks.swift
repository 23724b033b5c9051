import LogModel
import LogScanner

/// An acknowledged failure group (`acrscan ack`): the gate ignores it until it grows or changes.
public struct Acknowledgement: Sendable, Equatable {
    /// Registry name, "" for the unknown registry.
    public var registry: String
    public var type: ErrorType
    /// The scan whose occurrences of the group were acknowledged, and how many it had.
    public var scan: Int64?
    public var count: Int
    /// When it was recorded (milliseconds).
    public var created: Int64
    /// Identities, client addresses and repositories known in the group when acknowledged.
    public var values: Int
}

/// A group that trips the gate (`--fail-on`), and why.
public struct GateTrip: Sendable, Equatable {
    public var registry: String?
    public var type: ErrorType
    /// Occurrences of the group in the selection.
    public var count: Int
    /// Why: not acknowledged, grown, or changed (with the new value's kind).
    public var reason: String
}

extension Store {
    /// The gate over `filter` (its scan selection included): the (registry, type) groups of the
    /// given types (all when empty) that hold occurrences and are not acknowledged, or grew (more
    /// occurrences than in the scan acknowledged), or changed (an identity, client address or
    /// repository not known when acknowledged).
    public func gate(_ filter: OccurrenceFilter, types: [ErrorType]) throws(StoreError) -> [GateTrip] {
        var scoped = filter
        if !types.isEmpty { scoped.types = filter.types.isEmpty ? types : filter.types.filter(types.contains) }
        if !types.isEmpty, scoped.types.isEmpty { return [] }
        let groups = try groups(scoped, by: [.registry, .type])
        let acks = try acknowledgements()
        var trips: [GateTrip] = []
        for group in groups {
            guard let type = group.type else { continue }
            guard let ack = acks.first(where: { $0.registry == (group.registry ?? "") && $0.type == type }) else {
                trips.append(
                    GateTrip(registry: group.registry, type: type, count: group.count, reason: "new, not acknowledged"))
                continue
            }
            if group.count > ack.count {
                trips.append(
                    GateTrip(
                        registry: group.registry, type: type, count: group.count,
                        reason: "grew: \(group.count) against \(ack.count) when acknowledged"))
                continue
            }
            if let kind = try newValue(in: scoped, registry: group.registry, type: type) {
                trips.append(
                    GateTrip(registry: group.registry, type: type, count: group.count, reason: "changed: a new \(kind)")
                )
            }
        }
        return trips
    }

    /// The kind of the first identity, client address or repository of the group in `filter`
    /// that its acknowledgement did not know, if any.
    private func newValue(in filter: OccurrenceFilter, registry: String?, type: ErrorType) throws(StoreError) -> String?
    {
        try guarded {
            var scoped = filter
            scoped.registries = [registry ?? ""]
            scoped.types = [type]
            let (from, clause, values) = try rowQuery(scoped)
            for (kind, column) in [("identity", "identity"), ("client IP", "client_ip"), ("repository", "repository")] {
                let stmt = try db.prepare(
                    """
                    SELECT 1 FROM \(from)\(clause) AND \(column) IS NOT NULL AND \(column) NOT IN
                        (SELECT v.value FROM ack_values v JOIN acks a ON a.id = v.ack_id WHERE a.registry = ? AND a.type = ? AND v.kind = ?)
                    LIMIT 1
                    """)
                try stmt.bind(values + [.text(registry ?? ""), .text(type.rawValue), .text(column)])
                if try stmt.step() { return kind }
            }
            return nil
        }
    }

    /// The acknowledgements recorded, by registry and type.
    public func acknowledgements() throws(StoreError) -> [Acknowledgement] {
        guard version >= 4 else { return [] }
        return try guarded {
            let stmt = try db.prepare(
                """
                SELECT registry, type, scan_id, count, created,
                    (SELECT count(*) FROM ack_values v WHERE v.ack_id = acks.id)
                FROM acks ORDER BY registry, type
                """)
            var rows: [Acknowledgement] = []
            while try stmt.step() {
                guard let type = stmt.text(1).flatMap(ErrorType.init(rawValue:)) else { continue }
                rows.append(
                    Acknowledgement(
                        registry: stmt.text(0) ?? "", type: type, scan: stmt.optionalInt64(2),
                        count: Int(stmt.int64(3)),
                        created: stmt.int64(4), values: Int(stmt.int64(5))))
            }
            return rows
        }
    }

    /// Acknowledges the group (registry, type) as it stands: its count in the last scan that
    /// stored any of it, and every identity, client address and repository stored in it. Returns
    /// the acknowledgement, or nil when nothing of the group is stored.
    public func acknowledge(registry: String, type: ErrorType, now: Int64) throws(StoreError) -> Acknowledgement? {
        try guarded {
            var filter = OccurrenceFilter(registries: [registry], types: [type])
            filter.selection = nil
            let (from, clause, values) = try rowQuery(filter)
            let last = try db.prepare(
                "SELECT scan_id, count(*) FROM \(from)\(clause) GROUP BY scan_id ORDER BY scan_id DESC LIMIT 1")
            try last.bind(values)
            guard try last.step() else { return nil }
            let scan = last.optionalInt64(0)
            let count = Int(last.int64(1))
            return try writeTransaction {
                let upsert = try db.prepare(
                    """
                    INSERT INTO acks (registry, type, scan_id, count, created) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (registry, type) DO UPDATE
                        SET scan_id = excluded.scan_id, count = excluded.count, created = excluded.created
                    """)
                try upsert.bind([
                    .text(registry), .text(type.rawValue), .integer(scan), .integer(Int64(count)), .integer(now),
                ])
                try upsert.run()
                let id = try db.prepare("SELECT id FROM acks WHERE registry = ? AND type = ?")
                try id.bind([.text(registry), .text(type.rawValue)])
                _ = try id.step()
                let ackID = id.int64(0)
                for column in ["identity", "client_ip", "repository"] {
                    let insert = try db.prepare(
                        """
                        INSERT OR IGNORE INTO ack_values (ack_id, kind, value)
                        SELECT DISTINCT ?, '\(column)', \(column) FROM \(from)\(clause) AND \(column) IS NOT NULL
                        """)
                    try insert.bind([.integer(ackID)] + values)
                    try insert.run()
                }
                let values = Int(try db.integer("SELECT count(*) FROM ack_values WHERE ack_id = \(ackID)") ?? 0)
                return Acknowledgement(
                    registry: registry, type: type, scan: scan, count: count, created: now, values: values)
            }
        }
    }

    /// Removes the acknowledgement of (registry, type); false when there was none.
    public func removeAcknowledgement(registry: String, type: ErrorType) throws(StoreError) -> Bool {
        try guarded {
            try writeTransaction {
                let values = try db.prepare(
                    "DELETE FROM ack_values WHERE ack_id IN (SELECT id FROM acks WHERE registry = ? AND type = ?)")
                try values.bind([.text(registry), .text(type.rawValue)])
                try values.run()
                let delete = try db.prepare("DELETE FROM acks WHERE registry = ? AND type = ?")
                try delete.bind([.text(registry), .text(type.rawValue)])
                try delete.run()
                return db.changes > 0
            }
        }
    }
}
