import Foundation
import LogModel
import LogScanner
import Testing

/// Real lines through producers' wrappers: every failure event of the real-world corpora that the
/// scanner counts as printed, re-printed through each producer that carries such lines into logs
/// (CI runners, daemons, journald, log drivers, terminals), must be counted the same: as many
/// occurrences, with the same types and registries. Every hard negative, re-printed, must stay
/// uncounted. docs/accuracy.md, "Real lines through wrappers", has the figures.
@Suite struct RealWorldWrapperTests {
    /// A producer's way of printing one line of a log. `multiLine` is false for wrappers that embed
    /// one message in a field (a structured key, an event's message): a multi-line event through them
    /// would be several unrelated records, not the same log, so such events are skipped (and counted
    /// as skipped in the figures).
    struct Wrapper: Sendable {
        let name: String
        let multiLine: Bool
        let wrap: @Sendable (String) -> String
    }

    /// Escapes a line as JSON string content. `html` adds Go's `encoding/json` HTML escaping
    /// (`<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026`), which Docker's json-file log driver keeps.
    static func jsonEscaped(_ s: String, html: Bool) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where html: out += "\\u003c"
            case ">" where html: out += "\\u003e"
            case "&" where html: out += "\\u0026"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Words a CI tool colours in red; the first one in the line gets the colour.
    static let colouredWords = [
        "ERROR", "Error", "error", "FATAL", "Fatal", "fatal", "unauthorized", "denied", "Failed", "failed",
    ]

    /// `line` with its first failure word (else its first word) in bold red, as CI tools print them.
    static func colourWord(_ line: String) -> String {
        let esc = "\u{1B}"
        var first: Range<String.Index>?
        for word in colouredWords {
            if let r = line.range(of: word), first == nil || r.lowerBound < first!.lowerBound { first = r }
        }
        if first == nil, let space = line.firstIndex(of: " ") { first = line.startIndex..<space }
        guard let r = first, !r.isEmpty else { return line }
        return line[..<r.lowerBound] + esc + "[1;31m" + line[r] + esc + "[0m" + line[r.upperBound...]
    }

    /// SourceFormatTests' eight wrappers, and the producers they leave out.
    static let wrappers: [Wrapper] =
        SourceFormatTests.wrappers.map { w in
            Wrapper(
                name: w.name, multiLine: !["klog-structured", "kubectl-events", "logrus"].contains(w.name), wrap: w.wrap
            )
        } + [
            // moby `daemon/logger/jsonfilelog` (`jsonlog.JSONLogs`): one record a line, Go's HTML escaping.
            Wrapper(name: "docker-json-file", multiLine: true) {
                "{\"log\":\"" + jsonEscaped($0, html: true)
                    + "\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-20T03:14:15.118427693Z\"}"
            },
            // `journalctl -o json`: one record a line, the line in MESSAGE.
            Wrapper(name: "journald-json", multiLine: true) {
                "{\"__CURSOR\":\"s=6c1f0e2d;i=2b1c;b=9a8b7c6d;m=1c2d3e;t=5f2c9a0e8d1b;x=4c6e9a77\",\"__REALTIME_TIMESTAMP\":\"1795144455118427\",\"PRIORITY\":\"3\",\"_HOSTNAME\":\"aks-nodepool1-31718369-vmss000000\",\"SYSLOG_IDENTIFIER\":\"kubelet\",\"_PID\":\"2211\",\"MESSAGE\":\""
                    + jsonEscaped($0, html: false) + "\"}"
            },
            // `journalctl -o short-iso`.
            Wrapper(name: "journalctl-short-iso", multiLine: true) {
                "2026-11-20T03:14:15+0000 aks-nodepool1-31718369-vmss000000 kubelet[2211]: " + $0
            },
            // rsyslog's traditional format, from the Docker daemon.
            Wrapper(name: "syslog-dockerd", multiLine: true) { "Nov 20 03:14:15 build-agent-07 dockerd[1234]: " + $0 },
            // A CI tool's colours: the failure word, or the whole line, in red.
            Wrapper(name: "ansi-word", multiLine: true) { colourWord($0) },
            Wrapper(name: "ansi-line", multiLine: true) { "\u{1B}[31m" + $0 + "\u{1B}[0m" },
            // A Windows agent's or a pasted log's line ends.
            Wrapper(name: "crlf", multiLine: true) { $0 + "\r" },
            // GitLab Runner's job log timestamps (FF_TIMESTAMPS: time, stream, type).
            Wrapper(name: "gitlab-timestamps", multiLine: true) { "2026-11-20T03:14:15.123456Z 01E " + $0 },
            // Jenkins' Timestamper plugin.
            Wrapper(name: "jenkins-timestamper", multiLine: true) { "[2026-11-20T03:14:15.123Z] " + $0 },
            // containerd's CRI: `log.G(ctx).WithError(err).Error(...)`, the message in `error="..."`.
            Wrapper(name: "containerd-error-field", multiLine: false) {
                "time=\"2026-11-20T03:14:15.118427693Z\" level=error msg=\"PullImage failed\" error=\""
                    + SourceFormatTests.quoted($0) + "\""
            },
        ]

    /// The `index`th line of an event through `wrap`, its time one second after the line before: the
    /// wrappers stamp `03:14:15`, and the echo rule (docs/counting-rules.md, "Retries count again;
    /// echoes do not") reads two differently worded lines stamped in the same second as one failure
    /// told twice, which the plain text cannot show; a second apart, the comparison is of the words.
    static func wrapped(_ line: String, _ index: Int, _ wrap: (String) -> String) -> String {
        let out = wrap(line)
        guard index > 0 else { return out }
        let second = 15 + index
        let time = String(format: "03:%02d:%02d", 14 + second / 60, second % 60)
        if out.hasPrefix("{\"log\":"), let r = out.range(of: "03:14:15", options: .backwards) {
            return out.replacingCharacters(in: r, with: time)
        }
        if let r = out.range(of: "\"__REALTIME_TIMESTAMP\":\"1795144455118427\"") {
            return out.replacingCharacters(
                in: r, with: "\"__REALTIME_TIMESTAMP\":\"\(1_795_144_455_118_427 + index * 1_000_000)\"")
        }
        if let r = out.range(of: "03:14:15"), r.lowerBound < out.index(out.startIndex, offsetBy: min(out.count, 40)) {
            return out.replacingCharacters(in: r, with: time)
        }
        return out
    }

    /// What a scan found, compared across wrappers: each occurrence's type and registry, in order.
    static func findings(_ lines: [String], _ wrap: (String) -> String = { $0 }) -> [String] {
        let bytes = Array(
            (lines.enumerated().map { wrapped($0.element, $0.offset, wrap) }.joined(separator: "\n") + "\n").utf8)
        return Support.scan(bytes).map { "\($0.type.rawValue)@\($0.registry ?? "?")" }
    }

    /// Per wrapper: failure events counted the same, failure events tried, multi-line events skipped,
    /// negatives left uncounted, negatives tried; and the first differences seen.
    struct Tally {
        var held = 0, tried = 0, skipped = 0, negativesClean = 0, negatives = 0, left = 0
        var problems: [String] = []
    }

    /// Scores every wrapper over the corpora's counted failure events and uncounted hard negatives.
    static func score() throws -> [(wrapper: Wrapper, tally: Tally)] {
        var events: [(id: String, lines: [String], plain: [String], negative: Bool)] = []
        for corpus in try RealWorldCorpus.all() {
            for event in corpus.events {
                let plain = findings(event.lines)
                switch event.kind {
                case .failure:
                    let accepted = event.acceptedTypes
                    let counted = Support.scan(event.bytes).contains { accepted.contains($0.type.rawValue) }
                    if counted { events.append(("\(corpus.name)/\(event.id)", event.lines, plain, false)) }
                case .negative where plain.isEmpty:
                    events.append(("\(corpus.name)/\(event.id)", event.lines, plain, true))
                default:
                    break
                }
            }
        }
        return wrappers.map { wrapper in
            var tally = Tally()
            for event in events {
                if event.lines.count > 1, !wrapper.multiLine {
                    if !event.negative { tally.skipped += 1 }
                    continue
                }
                let wrapped = findings(event.lines, wrapper.wrap)
                let same = wrapped == event.plain
                let excused = !same && isLeft(event.id, wrapper.name)
                if event.negative {
                    tally.negatives += 1
                    if same { tally.negativesClean += 1 }
                } else {
                    tally.tried += 1
                    if same { tally.held += 1 } else if excused { tally.left += 1 }
                }
                if !same {
                    tally.problems.append(
                        "\(event.negative ? "false" : excused ? "left" : "differs") \(event.id): \(event.plain) -> \(wrapped): \(String(event.lines.first { $0.count > 20 }?.prefix(100) ?? ""))"
                    )
                }
            }
            return (wrapper, tally)
        }
    }

    /// The differences left, each with its reason: the event, and the wrappers (nil: every wrapper that
    /// stamps a time). Every other pair must hold, and every negative stay uncounted.
    static let left: [(event: String, wrappers: Set<String>?, why: String)] = leftBefore + leftJSONBreaks

    /// Inside JSON log records, a message broken after its anonymous-token clause (matcher 20) is not
    /// read: the record's escaped newline and its own end follow the clause.
    static let leftJSONBreaks: [(event: String, wrappers: Set<String>?, why: String)] = [
        (
            "round17/x17-bytheapp-wrapped-anontoken", ["docker-json-file", "journald-json"],
            "a message broken after its anonymous-token clause is not read inside JSON log records (the escaped newline and the record's own end after the clause)"
        )
    ]

    /// The differences left before round 17.
    static let leftBefore: [(event: String, wrappers: Set<String>?, why: String)] =
        [
            (
                "shared/akv2k8s-55", nil,
                "the test's own stamps: the two lines carry logrus times of the same second (an echo), and the wrapper's stamps, a second apart, are read first"
            ),
            // Main's summary echo (matcher 10, round 6b) takes a summary for an echo only in lines not
            // stamped seconds apart; the plain text has no stamps. Stamped all in the same second, four
            // other events differ instead, by the second-logger rule: the time decides, by design.
            (
                "shared/compose-8365", nil,
                "the summary echo (matcher 10) reads lines stamped a second apart as two reports, by design"
            ),
            (
                "round3/x3-aml-mln1733-compute", nil,
                "the summary echo (matcher 10) reads lines stamped a second apart as two reports, by design"
            ),
            (
                "round4/x4-sdkcontainers-214-credhelper", nil,
                "the summary echo (matcher 10) reads lines stamped a second apart as two reports, by design"
            ),
            (
                "round9/x9-dockertools-905-manifesttool", nil,
                "the test's own stamps: manifest-tool's error and fatal lines carry logrus times of the same second (an echo), and the wrapper's stamps, a second apart, are read first"
            ),
            (
                "round15/x15-portainer-2341-swarmjournal", nil,
                "the test's own stamps: dockerd's `Attempting next endpoint` and `pulling image failed` lines carry journald times of the same second (an echo), and the wrapper's stamps, a second apart, are read first"
            ),
            (
                "round5k/x5k-knative-6114-yamlfold", ["docker-json-file", "journald-json"],
                "a folded YAML message is not read inside JSON log records (escaped quotes, the record's own end)"
            ),
            // A command continued over lines (matcher 12) is joined in plain and prefixed lines, not inside
            // JSON log records (the mark is escaped and followed by the record's own end).
        ]
        + ["s9-gha-login-continued", "s9-bash-prompt-continued", "s9-pwsh-backtick", "s9-cmd-caret"].map {
            (
                "seq9/" + $0, ["docker-json-file", "journald-json"],
                "a command continued over lines is not joined inside JSON log records (the mark escaped, the record's end after it)"
            )
        } + [
            (
                "seq9/s9-gha-group-login-docker", ["klog", "docker-json-file", "journald-json"],
                "a runner's step details (matcher 12) are read after its stamp and a prefix wrapper, not after klog's header or inside JSON records"
            ),
            // A message its author folded over rows (round 20) is read as one in plain text only: a stamped,
            // prefixed or coloured row starts a message of its own (docs/counting-rules.md, "A hard-wrapped
            // message"). Each wrapper still finds the failure once, with its 403 DENIED row's accepted
            // access-denied instead of the ip-not-allowed the folded rows say together.
            (
                "round20/x20-acaguide-dnsfwd-tokenexchange-403",
                [
                    "github-actions", "azure-pipelines", "klog", "journald", "docker-json-file", "journald-json",
                    "journalctl-short-iso", "syslog-dockerd", "ansi-word", "ansi-line", "gitlab-timestamps",
                    "jenkins-timestamper",
                ],
                "a folded message is joined in plain text only; each stamped, prefixed or coloured row is a message of its own"
            ),
            // Round 21's regional-endpoint refusal, folded by its author over three rows: the same. Each
            // wrapper finds it once, its last row (`…/oauth2/token?…: 401 Unauthorized`) read alone as a
            // bare 401 (unauthorized) instead of the anonymous-pull the rows say together.
            (
                "round21/x21-acrchaos-c1b-regional-anonymous",
                [
                    "github-actions", "azure-pipelines", "klog", "journald", "docker-json-file", "journald-json",
                    "journalctl-short-iso", "syslog-dockerd", "ansi-word", "ansi-line", "gitlab-timestamps",
                    "jenkins-timestamper",
                ],
                "a folded message is joined in plain text only; each stamped, prefixed or coloured row is a message of its own"
            ),
        ]

    /// Whether the difference of `event` through `wrapper` is one of `left`.
    static func isLeft(_ event: String, _ wrapper: String) -> Bool {
        left.contains {
            $0.event == event
                && ($0.wrappers?.contains(wrapper)
                    ?? !["plain", "ansi-word", "ansi-line", "crlf", "klog-structured", "kubectl-events"].contains(
                        wrapper))
        }
    }

    @Test("real failure lines count the same through every producer's wrapper; real negatives stay uncounted")
    func wrappersHold() throws {
        let verbose = ProcessInfo.processInfo.environment["ACRSCAN_REALWORLD_VERBOSE"] == "1"
        var totalHeld = 0
        var totalTried = 0
        for (wrapper, tally) in try Self.score() {
            totalHeld += tally.held
            totalTried += tally.tried
            print(
                "wrapper \(wrapper.name): \(tally.held)/\(tally.tried) held"
                    + (tally.left > 0 ? " (\(tally.left) left, RealWorldWrapperTests.left)" : "")
                    + ", \(tally.negativesClean)/\(tally.negatives) negatives clean"
                    + (tally.skipped > 0 ? ", \(tally.skipped) multi-line events skipped (one message a record)" : ""))
            if verbose { for problem in tally.problems { print("  [\(wrapper.name)] \(problem)") } }
            #expect(
                tally.held + tally.left == tally.tried,
                "\(wrapper.name): \(tally.held)/\(tally.tried)\n\(tally.problems.prefix(5).joined(separator: "\n"))")
            #expect(
                tally.negativesClean == tally.negatives,
                "\(wrapper.name) negatives: \(tally.negativesClean)/\(tally.negatives)\n\(tally.problems.filter { $0.hasPrefix("false") }.prefix(5).joined(separator: "\n"))"
            )
        }
        print("wrappers total: \(totalHeld)/\(totalTried) event x wrapper pairs held")
    }
}
