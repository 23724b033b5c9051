import LogModel
import LogReport
import LogScanner

/// The fixed input of the golden tests: five days, three registries (one unknown), four types,
/// one spike, a previous window, and a timeline with one burst.
enum Sample {
    /// Milliseconds of 2026-11-`day` `hour`:`minute`:`second` UTC.
    static func time(_ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Int64 {
        Timestamp.milliseconds(year: 2026, month: 11, day: day, hour: hour, minute: minute, second: second)
    }

    /// The window: 2026-11-16 up to (not including) 2026-11-21.
    static let filter = OccurrenceFilter(since: time(16), until: time(21))

    static let groups: [GroupCount] = [
        GroupCount(
            registry: "fabrikam", type: .ipNotAllowed, count: 2, firstSeen: time(20, 9), lastSeen: time(20, 9, 5)),
        GroupCount(
            registry: nil, type: .anonymousPull, count: 4, attempts: 265, firstSeen: time(19, 1), lastSeen: time(19, 2)),
        GroupCount(
            registry: "contosoprod", type: .accessDenied, count: 3, attempts: 5, firstSeen: time(18, 12),
            lastSeen: time(18, 13)),
        GroupCount(
            registry: "contosoprod", type: .unauthorized, count: 14, firstSeen: time(16, 8), lastSeen: time(20, 3, 20)),
    ]

    static let trend: [TrendCount] = [
        TrendCount(bucket: time(16), registry: "contosoprod", type: .unauthorized, count: 1),
        TrendCount(bucket: time(18), registry: "contosoprod", type: .unauthorized, count: 1),
        TrendCount(bucket: time(19), registry: "contosoprod", type: .unauthorized, count: 2),
        TrendCount(bucket: time(20), registry: "contosoprod", type: .unauthorized, count: 10),
        TrendCount(bucket: time(18), registry: "contosoprod", type: .accessDenied, count: 3),
        TrendCount(bucket: time(19), registry: nil, type: .anonymousPull, count: 4),
        TrendCount(bucket: time(20), registry: "fabrikam", type: .ipNotAllowed, count: 2),
    ]

    /// What the store holds from 2026-11-06 (the first occurrence stored) up to the window's end:
    /// the history that spikes are measured against.
    static let history: [TrendCount] =
        [8, 11, 14].map {
            TrendCount(bucket: time($0), registry: "contosoprod", type: .unauthorized, count: 1)
        } + trend

    static let previous: [GroupCount] = [
        GroupCount(registry: "contosoprod", type: .unauthorized, count: 6),
        GroupCount(registry: "contosoprod", type: .accessDenied, count: 5),
    ]

    /// What the groups' logs named: two refused addresses, an identity and three repositories
    /// (one more than shown is counted), and nothing for the unknown registry.
    static let evidence: [GroupEvidence] = [
        GroupEvidence(
            registry: "fabrikam", type: .ipNotAllowed, clientIPs: EvidenceValues(["203.0.113.7", "2001:db8::5"]),
            codes: EvidenceValues(["CONNECTIVITY_FORBIDDEN_ERROR"])),
        GroupEvidence(
            registry: "contosoprod", type: .accessDenied,
            identities: EvidenceValues(["7d2e1b90-4c3a-4f8e-b5d6-19a0c2e3f471"]),
            repositories: EvidenceValues(["team/api", "team/web"], distinct: 3)),
        GroupEvidence(registry: "contosoprod", type: .unauthorized, repositories: EvidenceValues(["web"])),
    ]

    static let report = Report(
        filter: filter, keys: [.registry, .type], bucket: .day,
        groups: groups, trend: trend, history: history, observedSince: time(6, 7), previous: previous,
        evidence: evidence)

    /// A burst of three unauthorized on build1 (03:14:15, 03:17:00, 03:20:02), an unrelated
    /// access-denied in between, and one more unauthorized 20 minutes later.
    static let occurrences: [StoredOccurrence] = [
        stored(
            1, .unauthorized, "contosoprod", "build1", time(20, 3, 14, 15), line: 120,
            "Error response from daemon: Get \"https://contosoprod.azurecr.io/v2/\": unauthorized: authentication required"
        ),
        stored(
            2, .accessDenied, "contosoprod", "build1", time(20, 3, 15), line: 130,
            "denied: requested access to the resource is denied"),
        stored(
            3, .unauthorized, "contosoprod", "build1", time(20, 3, 17), line: 141,
            "unauthorized: authentication required"),
        stored(
            4, .unauthorized, "contosoprod", "build1", time(20, 3, 20, 2), line: 160,
            "unauthorized: authentication required"),
        stored(
            5, .unauthorized, "contosoprod", "build1", time(20, 3, 40, 2), line: 201,
            "unauthorized: authentication required"),
        stored(
            6, .anonymousPull, nil, "node-7", time(20, 3, 41), line: 9, source: "/var/log/kubelet.log",
            "failed to fetch anonymous token: unexpected status: 401 Unauthorized", attempts: 3),
    ]

    static let timeline = Timeline(occurrences)

    /// A stored occurrence.
    static func stored(
        _ id: Int64, _ type: ErrorType, _ registry: String?, _ host: String, _ time: Int64?, line: Int,
        source: String = "ci/build.log", _ excerpt: String, attempts: Int = 1
    ) -> StoredOccurrence {
        StoredOccurrence(
            id: id, host: host, source: source,
            occurrence: Occurrence(
                type: type, registry: registry, timestamp: time, line: line,
                attempts: attempts, excerpt: excerpt))
    }
}
