import Foundation
import Testing

/// The real-world benchmark: public log text nobody here wrote, scored as its README says.
/// `scripts/realworld.sh` prints the full score (per type, per producer, every miss).
@Suite struct RealWorldTests {
    /// What each corpus must reach: recall over the events whose text shows the failure, precision
    /// over every event with a finding, and the registry right for the events found.
    static let gates: [String: (recall: Double, precision: Double, registry: Double)] = [
        "shared": (recall: 0.95, precision: 0.98, registry: 0.95),
        "added": (recall: 0.90, precision: 0.97, registry: 0.95),
        "round3": (recall: 0.90, precision: 0.95, registry: 0.95),
        "round4": (recall: 0.95, precision: 0.97, registry: 0.90),
        "round5c": (recall: 0.95, precision: 0.97, registry: 0.90),
        "round5k": (recall: 0.90, precision: 0.95, registry: 0.90),
        "round6p": (recall: 0.90, precision: 0.95, registry: 0.90),
        "round6b": (recall: 0.95, precision: 0.95, registry: 0.95),
        "round7": (recall: 0.85, precision: 0.85, registry: 0.85),
        "round8": (recall: 0.80, precision: 0.85, registry: 0.80),
        "round9": (recall: 0.85, precision: 0.90, registry: 0.90),
        "seq9": (recall: 0.90, precision: 0.90, registry: 0.90),
        "round10": (recall: 0.85, precision: 0.90, registry: 0.90),
        "round11": (recall: 0.80, precision: 0.80, registry: 0.80),
        "round12": (recall: 0.80, precision: 0.80, registry: 0.80),
        "round13": (recall: 0.75, precision: 0.80, registry: 0.75),
        "round14": (recall: 0.80, precision: 0.80, registry: 0.80),
        "round15": (recall: 0.80, precision: 0.80, registry: 0.80),
        "round16": (recall: 0.80, precision: 0.80, registry: 0.80),
        "round17": (recall: 0.80, precision: 0.80, registry: 0.80),
        "round18": (recall: 0.80, precision: 0.80, registry: 0.80),
        "round19": (recall: 0.70, precision: 0.80, registry: 0.80),
        "round20": (recall: 0.80, precision: 0.80, registry: 0.80),
        "round21": (recall: 0.80, precision: 0.80, registry: 0.80),
    ]
    /// What the corpora of whole pastes must reach: the share of pastes whose findings are exactly the
    /// labelled occurrences (count, types and registries; round 8's README).
    static let countGates: [String: Double] = ["round8": 0.90, "seq9": 0.92, "round11": 0.95]

    static var verbose: Bool { ProcessInfo.processInfo.environment["ACRSCAN_REALWORLD_VERBOSE"] == "1" }

    @Test("the real-world corpora score above their gates")
    func score() throws {
        let corpora = try RealWorldCorpus.all()
        #expect(corpora.contains { $0.name == "shared" }, "Tests/ScannerTests/RealWorld/shared is missing")
        for corpus in corpora {
            let score = RealWorldScore(corpus)
            print(score.summary(name: corpus.name, verbose: Self.verbose), terminator: "")
            let gate = try #require(Self.gates[corpus.name], "no gate for corpus \(corpus.name)")
            #expect(score.recall.value >= gate.recall, "\(corpus.name) recall \(score.recall)")
            #expect(score.precision.value >= gate.precision, "\(corpus.name) precision \(score.precision)")
            #expect(score.registry.value >= gate.registry, "\(corpus.name) registry \(score.registry)")
            if let countGate = Self.countGates[corpus.name] {
                #expect(score.counts.total > 0, "\(corpus.name) has no paste with a count")
                #expect(score.counts.value >= countGate, "\(corpus.name) pastes exact \(score.counts)")
            }
        }
    }

    @Test("the real-world corpora give the same findings at every chunk size")
    func chunking() throws {
        for corpus in try RealWorldCorpus.all() {
            for event in corpus.events {
                let whole = Support.scan(event.bytes)
                for chunk in [1, 7, 64] where Support.scan(event.bytes, chunk: chunk) != whole {
                    Issue.record("\(corpus.name) \(event.id): chunk size \(chunk) differs")
                }
            }
        }
    }
}
