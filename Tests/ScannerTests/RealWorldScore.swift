import Foundation
import LogModel
import LogScanner

/// The real-world corpus (`Tests/ScannerTests/RealWorld`): public log lines labelled by event, and
/// the scoring of its README: one log per event, scanned, compared with the event's labels.
struct RealWorldCorpus {
    /// One physical line of the corpus, as stored in `lines.jsonl`.
    struct Record: Decodable {
        let line: String
        let group: String
        let producer: String
        let category: String
    }

    /// What `judgement.json` says of one event: left out of recall, other types the text supports, and
    /// (round 8's whole pastes) how many occurrences the whole event holds.
    struct Judgement: Decodable {
        let exclude: String?
        let accept: [String]?
        let count: Int?
    }

    /// The lines of one event, in order, with their labels.
    struct Event {
        let id: String
        let producer: String
        var lines: [String] = []
        var categories: [String] = []
        var registries: [String?] = []
        var judgement: Judgement?

        /// The acrscan types that the event's auth lines are labelled with.
        var labelledTypes: Set<String> { Set(categories.compactMap(RealWorldCorpus.type(ofCategory:))) }
        /// The types a finding may have and still be right: the labels and the accepted types.
        var acceptedTypes: Set<String> { labelledTypes.union(judgement?.accept ?? []) }
        /// How the event is scored (the corpus README's rules).
        var kind: Kind {
            if !labelledTypes.isEmpty { return judgement?.exclude == nil ? .failure : .excluded }
            let scored = categories.filter { $0 != "context" }
            if !scored.isEmpty, scored.allSatisfy({ $0 == "not_auth" }) { return .negative }
            return .unscored
        }
        /// The registries the event's auth lines name, compared by the corpus README's rule (nil: unknown).
        var expectedRegistries: Set<String?> {
            Set(zip(categories, registries).filter { RealWorldCorpus.type(ofCategory: $0.0) != nil }.map { $0.1 })
        }
        /// How many occurrences the whole event holds, where its judgement says (round 8's whole pastes).
        var expectedCount: Int? { judgement?.count }
        /// The event as one log file.
        var bytes: [UInt8] { Array((lines.joined(separator: "\n") + "\n").utf8) }
    }

    enum Kind { case failure, excluded, negative, unscored }

    let name: String
    let events: [Event]

    /// The corpus README's mapping from its categories to acrscan's types; nil for `not_auth`,
    /// `other` and `context` (a line of the event that is not itself a failure).
    static func type(ofCategory category: String) -> String? {
        switch category {
        case "docker_command_error": "docker-command-error"
        case "cloud_shell_no_daemon": "cloud-shell-no-daemon"
        case "unauthorized", "token_expired": "unauthorized"
        case "identity_permission": "identity-permission"
        case "ip_not_allowed": "ip-not-allowed"
        case "access_denied_scope": "access-denied"
        case "aad_credential": "aad-credential"
        case "anonymous_pull": "anonymous-pull"
        default: nil
        }
    }

    /// The corpus README's registry rule for labels: the lowercased first label when it is a valid ACR name
    /// (5–50 letters and digits), else unknown.
    static func normalise(_ registry: String?) -> String? {
        guard let first = registry?.split(separator: ".").first.map({ $0.lowercased() }),
            (5...50).contains(first.count), first.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            !placeholders.contains(first), !first.allSatisfy({ $0 == "x" })
        else { return nil }
        return first
    }

    /// Words that stand where a name was redacted: placeholders, not names.
    static let placeholders: Set<String> = ["redacted", "masked", "hidden", "omitted", "secret"]

    /// Reads `lines.jsonl` and `judgement.json` from `directory`.
    init(name: String, directory: URL) throws {
        self.name = name
        let text = try String(contentsOf: directory.appendingPathComponent("lines.jsonl"), encoding: .utf8)
        let judgements = try JSONDecoder().decode(
            [String: Judgement].self,
            from: Data(contentsOf: directory.appendingPathComponent("judgement.json")).filteringUnderscoreKeys())
        struct Labels: Decodable { let registry: String? }
        var events: [Event] = []
        var index: [String: Int] = [:]
        for row in text.split(separator: "\n") where !row.isEmpty {
            let data = Data(row.utf8)
            let record = try JSONDecoder().decode(Record.self, from: data)
            let labels = try JSONDecoder().decode(Labels.self, from: data)
            if index[record.group] == nil {
                index[record.group] = events.count
                events.append(Event(id: record.group, producer: record.producer, judgement: judgements[record.group]))
            }
            let i = index[record.group]!
            events[i].lines.append(record.line)
            events[i].categories.append(record.category)
            events[i].registries.append(Self.normalise(labels.registry))
        }
        self.events = events
    }

    /// The corpora in the project: the shared one and the two this project added.
    static func all() throws -> [RealWorldCorpus] {
        let root = Support.root.appendingPathComponent("Tests/ScannerTests/RealWorld")
        return try [
            "shared", "added", "round3", "round4", "round5c", "round5k", "round6p", "round6b", "round7", "round8",
            "round9", "seq9", "round10", "round11", "round12", "round13", "round14", "round15", "round16",
            "round17", "round18", "round19", "round20", "round21",
        ]
        .compactMap {
            name in
            let directory = root.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("lines.jsonl").path)
            else {
                return nil
            }
            return try RealWorldCorpus(name: name, directory: directory)
        }
    }
}

extension Data {
    /// The judgement file without its `_what` explanation (a string, not a judgement).
    fileprivate func filteringUnderscoreKeys() throws -> Data {
        guard var object = try JSONSerialization.jsonObject(with: self) as? [String: Any] else { return self }
        for key in object.keys where key.hasPrefix("_") { object[key] = nil }
        return try JSONSerialization.data(withJSONObject: object)
    }
}

/// Recall, precision and registry accuracy of the scanner on a corpus.
struct RealWorldScore {
    /// Hits over trials, printed as a ratio.
    struct Ratio: CustomStringConvertible {
        var hits = 0, total = 0
        var value: Double { total == 0 ? 1 : Double(hits) / Double(total) }
        var description: String { String(format: "%.3f (%d/%d)", value, hits, total) }
        mutating func add(_ hit: Bool) {
            total += 1
            if hit { hits += 1 }
        }
    }

    var recall = Ratio()
    var precision = Ratio()
    var registry = Ratio()
    /// Over the events whose judgement gives a `count` (whole pastes): exactly that many findings, each
    /// with an accepted type and a labelled registry (a negative paste: none).
    var counts = Ratio()
    /// Of the events missed, those whose lines the scanner keeps as unknown-shape candidates.
    var missedAsUnknown = Ratio()
    var recallByType: [String: Ratio] = [:]
    var recallByProducer: [String: Ratio] = [:]
    /// One line per event that was missed, mistyped, wrongly found, or given the wrong registry.
    var problems: [String] = []

    /// Scans every event of `corpus` as its own log and scores it.
    init(_ corpus: RealWorldCorpus, chunk: Int? = nil) {
        for event in corpus.events {
            let found = Support.scan(event.bytes, chunk: chunk)
            let accepted = event.acceptedTypes
            let right = found.first { accepted.contains($0.type.rawValue) }
            let firstLine = event.lines.first { !$0.isEmpty }.map { String($0.prefix(110)) } ?? ""
            let foundText = found.map { "\($0.type.rawValue)@\($0.registry ?? "?")" }.joined(separator: ",")
            if let expected = event.expectedCount {
                let exact =
                    found.count == expected
                    && found.allSatisfy {
                        accepted.contains($0.type.rawValue) && event.expectedRegistries.contains($0.registry)
                    }
                counts.add(exact)
                if !exact {
                    problems.append("count     \(event.id): found \(found.count) [\(foundText)], expected \(expected)")
                }
            }
            switch event.kind {
            case .failure:
                recall.add(right != nil)
                for type in event.labelledTypes { recallByType[type, default: Ratio()].add(right != nil) }
                recallByProducer[event.producer, default: Ratio()].add(right != nil)
                if !found.isEmpty { precision.add(right != nil) }
                if let right {
                    let ok = event.expectedRegistries.contains(right.registry)
                    registry.add(ok)
                    if !ok {
                        let expected = event.expectedRegistries.map { $0 ?? "unknown" }.sorted().joined(separator: "|")
                        problems.append("registry  \(event.id): \(right.registry ?? "unknown"), labelled \(expected)")
                    }
                } else if found.isEmpty {
                    let unknown = UnknownShapeTests.unknowns(event.lines).isEmpty ? "" : " (an unknown-shape candidate)"
                    missedAsUnknown.add(!unknown.isEmpty)
                    problems.append(
                        "missed    \(event.id) [\(event.labelledTypes.sorted().joined(separator: ","))]\(unknown): \(firstLine)"
                    )
                } else {
                    problems.append(
                        "mistyped  \(event.id) [\(accepted.sorted().joined(separator: ","))] found \(foundText)")
                }
            case .excluded:
                if !found.isEmpty { precision.add(right != nil) }
                if !found.isEmpty, right == nil {
                    problems.append("mistyped  \(event.id) (excluded) found \(foundText)")
                }
            case .negative:
                if !found.isEmpty {
                    precision.add(false)
                    problems.append("false     \(event.id) found \(foundText): \(firstLine)")
                }
            case .unscored:
                break
            }
        }
    }

    /// A readable summary: totals, then recall per type and per producer, then the problems.
    func summary(name: String, verbose: Bool) -> String {
        var out = "\(name): recall \(recall)  precision \(precision)  registry \(registry)"
        out += counts.total == 0 ? "\n" : "  pastes exact \(counts)\n"
        guard verbose else { return out }
        out += "  missed events kept as unknown-shape candidates: \(missedAsUnknown)\n"
        out += "  recall by type:\n"
        for (type, ratio) in recallByType.sorted(by: { $0.key < $1.key }) { out += "    \(type): \(ratio)\n" }
        out += "  recall by producer:\n"
        for (producer, ratio) in recallByProducer.sorted(by: { $0.key < $1.key }) {
            out += "    \(producer): \(ratio)\n"
        }
        for problem in problems { out += "  \(problem)\n" }
        return out
    }
}
