import Foundation
import LogModel
import LogScanner
import Testing

@testable import LogStore

/// Schema 5: the values of the fix commands (`rollup_values`) kept with the rollup, the report's
/// evidence read from them with the same answer as from the rows, and schema 4 databases read as
/// they are, then migrated.
@Suite struct Schema5Tests {
    static let base: Int64 = 1_700_000_000_000

    /// 600 occurrences over about four days in two files of two hosts: refused addresses, identities,
    /// repositories and codes repeating at different rates, some untimed, some without a registry.
    static var batch: [Occurrence] {
        (0..<600).map { i in
            let type: ErrorType = [.ipNotAllowed, .accessDenied, .unauthorized, .identityPermission][i % 4]
            return Occurrence(
                type: type, registry: i % 7 == 0 ? nil : (i % 3 == 0 ? "alphaacr" : "betaacr"),
                timestamp: i % 19 == 0 ? nil : base + Int64(i) * 577_000, line: i + 1, offset: Int64(i) * 80,
                producer: .dockerd, clientIP: type == .ipNotAllowed ? "203.0.113.\(i % 11 + i % 3)" : nil,
                identity: i % 5 == 0 ? "app-\(i % 4)" : nil, repository: i % 6 == 0 ? "team/web\(i % 4)" : nil,
                code: i % 9 == 0 ? "AADSTS\(700_000 + i % 2)" : nil, attempts: 1 + i % 3, excerpt: "line \(i % 9)")
        }
    }

    static let windows = [
        OccurrenceFilter(),
        OccurrenceFilter(since: base + 1_234_567, until: base + 150_000_000),
        OccurrenceFilter(since: base + 3_600_000 * 2, until: base + 3_600_000 * 20),
        OccurrenceFilter(since: base + 100, until: base + 200_000),
        OccurrenceFilter(since: base + 10_000_000),
        OccurrenceFilter(until: base + 10_000_000),
        OccurrenceFilter(registries: ["alphaacr", ""], types: [.ipNotAllowed, .unauthorized], hosts: ["h"]),
        OccurrenceFilter(since: base + 7_777_777, until: base + 99_999_999, registries: ["betaacr"]),
    ]

    static let keySets: [[GroupKey]] = [
        [], [.type], [.registry, .type], [.registry, .type, .host, .day],
        [.registry, .type, .host, .repository, .hour],
        [.host], [.repository], [.day], [.hour], [.type, .repository],
        [.identity], [.clientIP], [.registry, .type, .identity], [.type, .clientIP, .day],
        [.identity, .clientIP, .hour],
    ]

    /// The evidence of every window and key set, from the tables and (a scan selection covering
    /// everything forces it) from the rows, at two limits.
    static func expectSameEvidence(_ store: Store, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for filter in windows {
            var rows = filter
            rows.selection = .from(1)
            for keys in keySets {
                for limit in [2, 5] {
                    let tables = try store.evidence(filter, by: keys, limit: limit)
                    let fromRows = try store.evidence(rows, by: keys, limit: limit)
                    #expect(
                        EvidenceTests.canonical(tables) == EvidenceTests.canonical(fromRows),
                        "\(filter) \(keys) \(limit)",
                        sourceLocation: sourceLocation)
                }
                #expect(
                    try store.groups(filter, by: keys) == store.groups(rows, by: keys), "\(filter) \(keys)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    /// A store of the current schema holding `batch` in two files, under one scan.
    /// With `into`, into that store, for files already recorded there (their rows again).
    static func filled(_ scratch: Scratch, name: String = "test.db", into existing: Store? = nil) throws -> (
        Store, FileRecord
    ) {
        let store = try existing ?? scratch.store(name)
        _ = try store.beginScan(host: "h", started: 1)
        func record(_ host: String, _ head: String, _ path: String) throws -> FileRecord {
            if existing != nil, let known = try store.files(host: host, head: Array(head.utf8)).first { return known }
            return try insertedRecord(store, host: host, head: Array(head.utf8), path: path)
        }
        let a = try record("h", "a", "/a.log")
        let b = try record("h2", "b", "/b.log")
        let all = batch
        try store.commit(Array(all.prefix(350)), file: a, now: 1)
        try store.commit(Array(all.suffix(250)), file: b, now: 1)
        return (store, a)
    }

    @Test(
        "report groups and evidence from rollup_values equal the rows': windows on and off the hour, filters, every key set but scans, after replace and prune"
    )
    func evidenceMatchesRows() throws {
        let scratch = try Scratch()
        let (store, a) = try Self.filled(scratch)
        #expect(store.version == Schema.current)
        #expect(try !store.evidence(OccurrenceFilter(), by: [.registry, .type]).isEmpty)
        try Self.expectSameEvidence(store)
        // A replacement (reclassify) with fewer and changed rows, then a prune, count their hours again.
        var changed = Array(Self.batch.prefix(120))
        for i in changed.indices where i % 2 == 0 { changed[i].clientIP = "198.51.100.\(i % 3)" }
        try store.stage(changed, file: a)
        var final = a
        final.matcherVersion = Matcher.version
        _ = try store.replace(file: final, now: 2)
        try Self.expectSameEvidence(store)
        _ = try store.prune(PruneRequest(before: Self.base + 120_000_000, vacuum: false))
        try Self.expectSameEvidence(store)
        #expect(
            try store.db.integer("SELECT sum(count) FROM rollup_values")
                == store.db.integer("SELECT count(*) FROM failures"))
    }

    @Test("a merged database's evidence comes with its rows")
    func mergedEvidence() throws {
        let scratch = try Scratch()
        let (host, _) = try Self.filled(scratch, name: "host.db")
        _ = host.close()
        let fleet = try scratch.store("fleet.db")
        #expect(try fleet.merge(from: scratch.path("host.db")).added == 600)
        try Self.expectSameEvidence(fleet)
        #expect(try fleet.merge(from: scratch.path("host.db")).added == 0)
        try Self.expectSameEvidence(fleet)
    }

    @Test(
        "the report's evidence and --by identity|client_ip are read from the rollup tables, not the rows (a million rows are not read again)"
    )
    func evidenceReadsTables() throws {
        let scratch = try Scratch()
        let (store, _) = try Self.filled(scratch)
        let keySets: [[GroupKey]] = [[.registry, .type], [.identity], [.type, .clientIP]]
        let before = try keySets.map { try EvidenceTests.canonical(store.evidence(OccurrenceFilter(), by: $0)) }
        let groups = try keySets.map { try store.groups(OccurrenceFilter(), by: $0) }
        // Values removed from the rows behind the tables' back: the tables still answer.
        try store.db.execute("UPDATE failures SET client_ip = NULL, identity = NULL, code = NULL")
        #expect(try keySets.map { try EvidenceTests.canonical(store.evidence(OccurrenceFilter(), by: $0)) } == before)
        #expect(try keySets.map { try store.groups(OccurrenceFilter(), by: $0) } == groups)
    }

    @Test(
        "a schema-4 database is reported read-only as it is (evidence from the rows), then migrated by the next writer with the same answers"
    )
    func schema4Compatibility() throws {
        let scratch = try Scratch()
        let path = scratch.path("v4.db")
        do {
            // What the previous release wrote: schema 4 has every table of 5 but rollup_values.
            let (store, _) = try Self.filled(scratch, name: "v4.db")
            try store.db.execute(
                """
                DROP TABLE rollup_values; \(Schema6Tests.backToSchema5)
                PRAGMA user_version = 4
                """)
            _ = store.close()
        }
        let reader = try Store(path: path, readOnly: true)
        #expect(reader.version == 4)
        var answers: [String] = []
        for filter in Self.windows {
            for keys in Self.keySets {
                answers.append(
                    "\(EvidenceTests.canonical(try reader.evidence(filter, by: keys))) \(try reader.groups(filter, by: keys))"
                )
            }
        }
        #expect(try Connection(path: path, flags: 0x01).integer("PRAGMA user_version") == 4)
        _ = reader.close()

        let writer = try Store(path: path)
        #expect(writer.version == Schema.current)
        #expect(try Connection(path: path, flags: 0x01).integer("PRAGMA user_version") == Int64(Schema.current))
        var migrated: [String] = []
        for filter in Self.windows {
            for keys in Self.keySets {
                migrated.append(
                    "\(EvidenceTests.canonical(try writer.evidence(filter, by: keys))) \(try writer.groups(filter, by: keys))"
                )
            }
        }
        #expect(migrated == answers)
        try Self.expectSameEvidence(writer)
        #expect(
            try writer.db.integer("SELECT sum(count) FROM rollup_values")
                == writer.db.integer("SELECT count(*) FROM failures"))
    }
}
