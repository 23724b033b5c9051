import Foundation
import LogModel
import LogScanner
import LogStore
import Testing

/// `Store.evidence`: what each report group's occurrences named, bounded, the same whether
/// counted in memory or by SQLite.
@Suite struct EvidenceTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("acrscan-evidence-\(UUID().uuidString).db")
        .path
    static let day: Int64 = 86_400_000
    static let start: Int64 = 1_795_000_000_000 / day * day

    /// A store holding `occurrences`, one file, offsets in order.
    func store(_ occurrences: [Occurrence]) throws -> Store {
        let store = try Store(path: path)
        let head = Array("evidence test\n".utf8)
        var record = head.withUnsafeBytes {
            FileRecord(host: "h", fingerprint: Fingerprint(prefix: $0), path: "/var/log/a.log")
        }
        try store.insert(&record, now: 1)
        var numbered = occurrences
        for index in numbered.indices {
            numbered[index].offset = Int64(index) * 100
            numbered[index].line = index + 1
        }
        #expect(try store.commit(numbered, file: record, now: 1) == occurrences.count)
        return store
    }

    func failure(
        _ type: ErrorType, _ registry: String?, ip: String? = nil, identity: String? = nil, repository: String? = nil,
        code: String? = nil, day: Int64 = 0
    ) -> Occurrence {
        Occurrence(
            type: type, registry: registry, timestamp: Self.start + day * Self.day, line: 1, clientIP: ip,
            identity: identity, repository: repository, code: code, excerpt: "x")
    }

    /// Seven refused addresses for contosoprod (the first refused four times, the second three),
    /// one identity and two repositories for fabrikamci, nothing for the unknown registry.
    var fleet: [Occurrence] {
        var all: [Occurrence] = []
        for (n, times) in [(1, 4), (2, 3), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1)] {
            all += Array(
                repeating: failure(
                    .ipNotAllowed, "contosoprod", ip: "203.0.113.\(n)", code: "CONNECTIVITY_FORBIDDEN_ERROR",
                    day: Int64(n % 2)),
                count: times)
        }
        all += [
            failure(
                .accessDenied, "fabrikamci", identity: "3f0c9d2e-6a51-4b87-9e2d-0c7a1b5f6e00", repository: "team/app"),
            failure(.accessDenied, "fabrikamci", repository: "base"),
            failure(.accessDenied, "fabrikamci", repository: "team/app"),
            failure(.unauthorized, nil),
            failure(.unauthorized, "fabrikamci", repository: "web", day: 1),
        ]
        return all
    }

    @Test("per group: at most the limit, most frequent first, and the distinct count")
    func boundedAndRanked() throws {
        let store = try store(fleet)
        let evidence = try store.evidence(OccurrenceFilter(), by: [.registry, .type], limit: 3)
        let ip = try #require(evidence.first { $0.registry == "contosoprod" && $0.type == .ipNotAllowed })
        #expect(ip.clientIPs == EvidenceValues(["203.0.113.1", "203.0.113.2", "203.0.113.3"], distinct: 7))
        #expect(ip.clientIPs.more == 4)
        #expect(ip.codes == EvidenceValues(["CONNECTIVITY_FORBIDDEN_ERROR"]))
        #expect(ip.registries.isEmpty && ip.identities.isEmpty && ip.repositories.isEmpty)

        let denied = try #require(evidence.first { $0.registry == "fabrikamci" && $0.type == .accessDenied })
        #expect(denied.repositories == EvidenceValues(["team/app", "base"]))
        #expect(denied.identities == EvidenceValues(["3f0c9d2e-6a51-4b87-9e2d-0c7a1b5f6e00"]))
        // A group whose occurrences named nothing has no evidence.
        #expect(!evidence.contains { $0.registry == nil })
        #expect(evidence.count == 3)
    }

    @Test("a kind that is a grouping key is left to the group; other keys split the evidence")
    func otherKeys() throws {
        let store = try store(fleet)
        let byIP = try store.evidence(OccurrenceFilter(), by: [.type, .clientIP])
        let one = try #require(byIP.first { $0.clientIP == "203.0.113.1" })
        #expect(one.clientIPs.isEmpty)
        #expect(one.codes.values == ["CONNECTIVITY_FORBIDDEN_ERROR"])

        let byType = try store.evidence(OccurrenceFilter(), by: [.type])
        let unauthorized = try #require(byType.first { $0.type == .unauthorized })
        #expect(unauthorized.registries == EvidenceValues(["fabrikamci"]))
        #expect(unauthorized.repositories.values == ["web"])

        let byDay = try store.evidence(OccurrenceFilter(), by: [.registry, .type, .day])
        let days = byDay.filter { $0.type == .ipNotAllowed }.sorted { ($0.period ?? 0) < ($1.period ?? 0) }
        #expect(days.map(\.period) == [Self.start, Self.start + Self.day])
        #expect(days.map(\.clientIPs.distinct) == [3, 4])  // even addresses on day 0, odd ones on day 1
    }

    @Test("the filter applies: window, registry and type")
    func filtered() throws {
        let store = try store(fleet)
        let window = try store.evidence(
            OccurrenceFilter(since: Self.start + Self.day, registry: "contosoprod"), by: [.registry, .type])
        #expect(window.count == 1)
        #expect(window.first?.clientIPs.values.first == "203.0.113.1")
        #expect(window.first?.clientIPs.distinct == 4)
        #expect(try store.evidence(OccurrenceFilter(type: .anonymousPull), by: [.registry, .type]).isEmpty)
    }

    @Test("a window of few rows is read through the index and gives the same answer")
    func narrowWindow() throws {
        // 64 days of one refusal each and one denied identity on the last day: the last day's
        // window selects 2 of 65 rows, few enough for the time index.
        var all = (0..<64).map { failure(.ipNotAllowed, "contosoprod", ip: "198.51.100.\($0)", day: Int64($0)) }
        all.append(
            failure(.identityPermission, "contosoprod", identity: "3f0c9d2e-6a51-4b87-9e2d-0c7a1b5f6e00", day: 63))
        let store = try store(all)
        let window = OccurrenceFilter(since: Self.start + 63 * Self.day, until: Self.start + 64 * Self.day)
        let evidence = try store.evidence(window, by: [.registry, .type])
        #expect(
            Self.canonical(evidence)
                == Self.canonical([
                    GroupEvidence(
                        registry: "contosoprod", type: .ipNotAllowed, clientIPs: EvidenceValues(["198.51.100.63"])),
                    GroupEvidence(
                        registry: "contosoprod", type: .identityPermission,
                        identities: EvidenceValues(["3f0c9d2e-6a51-4b87-9e2d-0c7a1b5f6e00"])),
                ]))
        #expect(
            Self.canonical(try store.evidence(window, by: [.registry, .type], combinationLimit: 0))
                == Self.canonical(evidence))
    }

    @Test("past the combination limit, SQLite counts and gives the same answer")
    func sqlFallbackAgrees() throws {
        let store = try store(fleet)
        for keys: [GroupKey] in [
            [.registry, .type], [.type], [.registry, .type, .day], [.type, .clientIP], [.host, .repository],
        ] {
            let memory = try store.evidence(OccurrenceFilter(), by: keys, limit: 2)
            let sorted = try store.evidence(OccurrenceFilter(), by: keys, limit: 2, combinationLimit: 0)
            #expect(Self.canonical(memory) == Self.canonical(sorted), "\(keys)")
            #expect(!memory.isEmpty)
        }
    }

    /// Evidence in a fixed order, to compare answers that come in different orders.
    static func canonical(_ rows: [GroupEvidence]) -> [String] {
        rows.map { "\($0)" }.sorted()
    }
}
