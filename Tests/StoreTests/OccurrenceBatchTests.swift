import Foundation
import LogModel
import LogScanner
import Testing

@testable import LogStore

/// The packed batch a sweep hands to the store (`OccurrenceBatch`): the same occurrences come out
/// as went in, and a text repeated in the batch is held once.
@Suite struct OccurrenceBatchTests {
    let varied: [Occurrence] = [
        Occurrence(
            type: .unauthorized, registry: "myacr", loginServer: "myacr.azurecr.io", timestamp: 1_795_000_000_000,
            line: 3, lineEnd: 5, offset: 120, producer: .dockerd, status: 401, clientIP: "203.0.113.7",
            identity: "00000000-0000-0000-0000-000000000001", repository: "team/app", code: "AADSTS7000215",
            attempts: 261, excerpt: "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized"),
        Occurrence(type: .anonymousPull, line: 9, offset: 400),
        Occurrence(
            type: .ipNotAllowed, registry: nil, loginServer: nil, timestamp: -5, line: 10, offset: 500,
            producer: .plain, status: nil, clientIP: "", identity: "", repository: "", code: "", excerpt: ""),
        Occurrence(
            type: .accessDenied, registry: "myacr", loginServer: "myacr.azurecr.io", timestamp: 0, line: 11,
            offset: 600, producer: .kubelet, status: 403, repository: "team/app",
            excerpt: "kubelet: pull of myacr.azurecr.io/team/app denied — ünïcödé ✓ \u{1F680}"),
        Occurrence(
            type: .aadCredential, registry: "myacr", line: 12, offset: 700, producer: .azureCLI,
            identity: "00000000-0000-0000-0000-000000000001", attempts: 1,
            excerpt: String(repeating: "a long excerpt ", count: 40)),
    ]

    @Test("every field of every occurrence comes out of the batch as it went in, in order")
    func roundTrip() {
        let batch = OccurrenceBatch(varied)
        #expect(batch.count == varied.count)
        #expect(batch.occurrences == varied)
        for (i, o) in varied.enumerated() { #expect(batch[i] == o) }
    }

    @Test("a text repeated in the batch is held once; an empty text is not no text")
    func repeatedTextsOnce() {
        let line =
            "Error response from daemon: unauthorized: authentication required, visit https://aka.ms/acr/authorization"
        var batch = OccurrenceBatch()
        for i in 0..<1000 {
            batch.append(
                Occurrence(
                    type: .unauthorized, registry: "myacr", loginServer: "myacr.azurecr.io", line: i + 1,
                    offset: Int64(i * 200), producer: .dockerd, repository: i % 2 == 0 ? "team/app" : "",
                    excerpt: line))
        }
        // The excerpt, the registry, the login server, the repository and the empty text: five values.
        #expect(batch.values.count == 5)
        #expect(batch.arena.count == line.utf8.count + "myacr".utf8.count + "myacr.azurecr.io".utf8.count + 8)
        #expect(batch.records.allSatisfy { $0.excerpt == batch.records[0].excerpt })
        #expect(batch[1].repository == "")
        #expect(batch[0].repository == "team/app")
        #expect(batch[0].identity == nil)
        // 1,000 occurrences of one line fit in the memory of about 100 bytes each.
        #expect(batch.memoryBytes < 100 * 1000)
        batch.removeAll()
        #expect(batch.isEmpty && batch.memoryBytes == 0)
    }

    @Test("many distinct texts (the table grows) are all kept apart")
    func manyValues() {
        let occurrences = (0..<5000).map { i in
            Occurrence(type: .unauthorized, line: i + 1, offset: Int64(i), excerpt: "line \(i) of a log")
        }
        let batch = OccurrenceBatch(occurrences)
        #expect(batch.values.count == 5000)
        #expect(batch.occurrences == occurrences)
    }

    @Test("a batch emptied with its memory kept and filled again holds what a new batch holds")
    func refilledAsNew() {
        var batch = OccurrenceBatch()
        let first = (0..<3000).map { i in
            Occurrence(type: .unauthorized, registry: "r\(i % 7)", line: i + 1, offset: Int64(i), excerpt: "one \(i)")
        }
        for o in first { batch.append(o) }
        batch.removeAll(keepingCapacity: true)
        #expect(batch.isEmpty && batch.values.isEmpty && batch.arena.isEmpty)
        // Fewer values than before (the table keeps its size), then more than before (it grows).
        for round in [
            varied, varied + (0..<9000).map { Occurrence(type: .anonymousPull, line: $0, excerpt: "two \($0)") },
        ] {
            for o in round { batch.append(o) }
            let fresh = OccurrenceBatch(round)
            #expect(batch.occurrences == round)
            #expect(batch.values.count == fresh.values.count)
            #expect(batch.arena == fresh.arena)
            batch.removeAll(keepingCapacity: true)
        }
    }

    @Test("a case's index is its place in allCases, for every type and producer")
    func caseIndexes() {
        for (i, type) in ErrorType.allCases.enumerated() { #expect(Int(type.caseIndex) == i) }
        for (i, producer) in Producer.allCases.enumerated() { #expect(Int(producer.caseIndex) == i) }
    }

    @Test("a committed batch reads back as the occurrences committed, empty texts and NULLs kept apart")
    func commitReadsBack() throws {
        let store = try Scratch().store()
        let record = try insertedRecord(store, head: Array("first bytes of a log\n".utf8))
        var file = record
        file.position = ScanPosition(offset: 1000, lines: 20)
        let occurrences =
            varied
            + varied.map { o in
                var again = o
                again.offset += 10_000
                again.line += 100
                again.lineEnd += 100
                if again.repository == "" { again.repository = nil }
                return again
            }
        #expect(try store.commit(OccurrenceBatch(occurrences), file: file, now: 1) == occurrences.count)
        var rows: [OccurrenceRow] = []
        try store.export(OccurrenceFilter()) {
            rows.append($0)
            return true
        }
        rows.sort { $0.offset < $1.offset }
        #expect(rows.count == occurrences.count)
        for (row, o) in zip(rows, occurrences) {
            #expect(row.occurrence == o)
        }
        // The rollup: a repository named `''` and none fall in the same cell, as they did per row.
        let groups = try store.groups(OccurrenceFilter(), by: [.type, .repository])
        #expect(groups.map(\.count).reduce(0, +) == occurrences.count)
        #expect(groups.count == varied.count)
        #expect(groups.allSatisfy { $0.count == 2 })
    }
}

/// The excerpts a scanner leaves unfinished in its batch (`UnfinishedExcerpt`), made on the store's
/// side: the same texts as the scanner would have made, and no secret reaches the database.
@Suite struct StoreRedactsExcerptsTests {
    /// Failure lines of docs/hardening.md's forms, each with a secret that appears nowhere else, one
    /// longer than an excerpt; each twice, far enough apart to be two failures.
    static let secrets = ["Pw0rd-dockerlogin", "Pw0rd-clientsecret", "Pw0rd-bearer", "Pw0rd-keyvalue", "Pw0rd-long"]
    static var log: [UInt8] {
        let failure =
            "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required"
        let lines = [
            "+ docker login myacr.azurecr.io -u ci -p Pw0rd-dockerlogin ; \(failure)",
            "az login --service-principal --username app --client-secret Pw0rd-clientsecret ; \(failure)",
            "curl -H 'Authorization: Bearer Pw0rd-bearer' https://myacr.azurecr.io/v2/ ; \(failure)",
            "connect user=ci password=Pw0rd-keyvalue host=db ; \(failure)",
            "docker login -u ci -p Pw0rd-long " + String(repeating: "padding ", count: 80) + failure,
        ]
        let steps = String(repeating: "step done\n", count: 8)
        return Array(String(repeating: lines.map { $0 + "\n" + steps }.joined(), count: 2).utf8)
    }

    /// The occurrences of `log`, handed out as an array (excerpts made on the scanner), and packed.
    static func scanned() -> (found: [Occurrence], batch: OccurrenceBatch) {
        let options = ScanOptions(reference: ReferenceTime(milliseconds: 1_795_000_000_000, zone: .utc))
        let handed = OccurrenceScanner(matcher: .standard, options: options)
        let packing = OccurrenceScanner(matcher: .standard, options: options)
        var found: [Occurrence] = []
        var batch = OccurrenceBatch()
        log.withUnsafeBytes {
            handed.scan($0, into: &found)
            packing.scan($0, packingInto: &batch)
        }
        handed.finish(into: &found)
        packing.finish(packingInto: &batch)
        return (found, batch)
    }

    @Test("a packed batch's excerpts are unfinished until redacted, then the scanner's own, once per text")
    func madeAsTheScannerMakesThem() {
        var (found, batch) = Self.scanned()
        #expect(found.count == 10)
        #expect(batch.count == found.count)
        #expect(batch.unfinishedCount == found.count)
        #expect(batch.records.allSatisfy { batch.isUnfinished($0.excerpt) })
        // Each line twice: one unfinished value per line.
        #expect(Set(batch.records.map(\.excerpt)).count == 5)
        batch.redactExcerpts()
        #expect(!batch.hasUnfinishedExcerpts)
        #expect(batch.records.allSatisfy { !batch.isUnfinished($0.excerpt) })
        #expect(batch.occurrences == found)
        // Each secret masked; the long line's excerpt starts at its failure's words, after the secret.
        #expect(found.filter { !$0.excerpt.hasPrefix("…") }.allSatisfy { $0.excerpt.contains("***") })
        #expect(found.filter { $0.excerpt.hasPrefix("…") }.count == 2)
        for secret in Self.secrets {
            #expect(!found.contains { $0.excerpt.contains(secret) }, "\(secret)")
        }
        // Equal excerpts, equal ids again: one per distinct text.
        #expect(Set(batch.records.map(\.excerpt)).count == Set(found.map(\.excerpt)).count)
    }

    @Test("two lines that differ only in a secret make one excerpt, with one id")
    func differentSecretsOneExcerpt() {
        var batch = OccurrenceBatch()
        let scanner = OccurrenceScanner(
            matcher: .standard, options: ScanOptions(reference: ReferenceTime(milliseconds: 0, zone: .utc)))
        let log = Array(
            """
            docker login -u ci -p Pw0rd-first myacr.azurecr.io ; Error response from daemon: unauthorized: authentication required
            \(String(repeating: "step\n", count: 8))docker login -u ci -p Pw0rd-other myacr.azurecr.io ; Error response from daemon: unauthorized: authentication required

            """.utf8)
        log.withUnsafeBytes { scanner.scan($0, packingInto: &batch) }
        scanner.finish(packingInto: &batch)
        #expect(batch.count == 2)
        #expect(batch.records[0].excerpt != batch.records[1].excerpt)
        batch.redactExcerpts()
        #expect(batch.records[0].excerpt == batch.records[1].excerpt)
        #expect(batch[0].excerpt.contains("-p *** myacr.azurecr.io"))
    }

    @Test("a batch committed with its excerpts unfinished: no secret in the database file, the rows' excerpts made")
    func storeRedactsBeforeStoring() throws {
        let scratch = try Scratch()
        let store = try scratch.store()
        let record = try insertedRecord(store, head: Array(Self.log.prefix(1024)))
        var file = record
        file.position = ScanPosition(offset: Int64(Self.log.count), lines: 90)
        let (found, batch) = Self.scanned()
        #expect(batch.hasUnfinishedExcerpts)
        #expect(try store.commit(batch, file: file, now: 1) == found.count)
        var rows: [OccurrenceRow] = []
        try store.export(OccurrenceFilter()) {
            rows.append($0)
            return true
        }
        rows.sort { $0.offset < $1.offset }
        #expect(rows.map(\.occurrence) == found)
        #expect(store.close())
        for name in ["test.db", "test.db-wal"] {
            let bytes = (try? scratch.bytes(name)).map { Array($0) } ?? []
            for secret in Self.secrets {
                #expect(bytes.firstRange(of: Array(secret.utf8)) == nil, "\(secret) in \(name)")
            }
        }
    }
}

/// The writer's memory of excerpts it stored is bounded in bytes, not only in entries.
@Suite struct ExcerptMemoTests {
    @Test("70,000 distinct 300-byte excerpts leave at most 2 MiB of text in the writer's memory")
    func boundedInBytes() throws {
        let store = try Scratch().store()
        let record = try insertedRecord(store, head: Array("first bytes of a log\n".utf8))
        var file = record
        let padding = String(repeating: "x", count: 280)
        var batch = OccurrenceBatch()
        for i in 0..<70_000 {
            batch.append(
                Occurrence(
                    type: .unauthorized, registry: "myacr", line: i + 1, offset: Int64(i) * 400,
                    excerpt: "\(String(format: "%08d", i)) \(padding)"))
            if batch.count == 10_000 || i == 69_999 {
                file.position = ScanPosition(offset: Int64(i + 1) * 400, lines: i + 1)
                #expect(try store.commit(batch, file: file, now: 1) == batch.count)
                batch.removeAll()
                let held = store.cache.excerpts.values.map(\.text.count).reduce(0, +)
                #expect(held <= 2 << 20)
                #expect(held == store.cache.excerptBytes)
            }
        }
        // Every row has its excerpt, stored once.
        var count = 0
        try store.export(OccurrenceFilter()) { row in
            if row.excerpt.hasSuffix(padding) { count += 1 }
            return true
        }
        #expect(count == 70_000)
    }
}
