/// The rules compiled once, before any file is read: a prefilter over the whole buffer, then the
/// rules verified on candidate lines only.
public struct Matcher: Sendable {
    /// Bumped whenever rules change what they count; the store records which version read each range
    /// so that `scan --reclassify` can re-read what an older version scanned.
    public static let version = 1

    /// The standard rules of `Rule.standard`.
    public static let standard = Matcher(rules: Rule.standard)

    struct Compiled: Sendable {
        let rule: Rule
        /// The bits, in `LiteralSet.presence(in:)`, of the literals that stand for the rule's anchor.
        let anchorBit: UInt64
        let all: [[UInt8]], any: [[UInt8]], none: [[UInt8]]
    }

    /// The prefilter: every rule anchor and context anchor.
    public let prefilter: LiteralSet
    let rules: [Compiled]
    let vetoes: [[UInt8]]
    /// Bits of the literals that make a line worth reading for the registry context.
    let contextMask: UInt64
    /// Bits of the Azure Pipelines markers.
    let pipelineMask: UInt64
    /// The bit of `azurecr`: only lines that hold it can name an ACR login server.
    let loginServerMask: UInt64

    /// Compiles `rules`; O(total literal length).
    /// - Precondition: at most 64 distinct anchors (rule and context anchors together).
    public init(rules: [Rule]) {
        let bytes: (String) -> [UInt8] = { Array($0.utf8) }
        var literals: [String] = []
        func bit(_ anchor: String) -> UInt64 {
            let folded = anchor.lowercased()
            if let index = literals.firstIndex(of: folded) { return 1 << UInt64(index) }
            literals.append(folded)
            precondition(literals.count <= 64, "at most 64 prefilter literals")
            return 1 << UInt64(literals.count - 1)
        }
        func bits(_ anchor: String) -> UInt64 {
            (Rule.prefilterExpansions[anchor] ?? [anchor]).reduce(0) { $0 | bit($1) }
        }
        self.rules = rules.map {
            Compiled(rule: $0, anchorBit: bits($0.anchor), all: $0.all.map(bytes), any: $0.any.map(bytes), none: $0.none.map(bytes))
        }
        self.contextMask = Rule.contextAnchors.reduce(0) { $0 | bit($1) }
        self.pipelineMask = Rule.pipelineMarkers.reduce(0) { $0 | bit($1) }
        self.loginServerMask = bit("azurecr")
        self.vetoes = Rule.vetoes.map(bytes)
        self.prefilter = LiteralSet(literals)
    }

    /// What the rules say about one line.
    struct Verdict {
        /// The most specific type of the rules that fired.
        var type: ErrorType?
        /// How much evidence that type needs (the weakest requirement among the rules of that type).
        var evidence: Rule.Evidence = .acrOnLine
        /// Whether an `az acr` token-step rule fired.
        var tokenStep = false
        /// Whether any rule fired.
        var fired = false
        /// Whether the line is ACR's own wording.
        var acrByNature = false
        /// How far back the failure this line may continue can end (the largest reach of the rules that fired).
        var joinReach = 0
    }

    /// Evaluates the rules whose anchors are `present` (from `LiteralSet.presence(in:)`) on a
    /// candidate line. O(rules fired × line length); never called on lines the prefilter passed over.
    func evaluate(_ line: UnsafeRawBufferPointer, present: UInt64) -> Verdict? {
        var verdict = Verdict()
        for compiled in rules where present & compiled.anchorBit != 0 {
            guard compiled.all.allSatisfy({ line.firstIndex(of: $0) != nil }),
                  compiled.any.isEmpty || compiled.any.contains(where: { line.firstIndex(of: $0) != nil }),
                  !compiled.none.contains(where: { line.firstIndex(of: $0) != nil })
            else { continue }
            let rule = compiled.rule
            verdict.fired = true
            verdict.joinReach = max(verdict.joinReach, rule.joinReach)
            if rule.evidence == .acrByNature { verdict.acrByNature = true }
            switch rule.verdict {
            case .type(let type):
                if let current = verdict.type, current.specificity > type.specificity { continue }
                if verdict.type == type {
                    verdict.evidence = min(verdict.evidence, rule.evidence)
                } else {
                    verdict.type = type
                    verdict.evidence = rule.evidence
                }
            case .tokenStep:
                verdict.tokenStep = true
            case .neutral:
                break
            }
        }
        guard verdict.fired, !vetoes.contains(where: { line.firstIndex(of: $0) != nil }) else { return nil }
        return verdict
    }
}

extension Rule.Evidence: Comparable {
    /// Orders from the weakest requirement (`acrByNature`) to the strongest (`acrOnLine`).
    public static func < (lhs: Rule.Evidence, rhs: Rule.Evidence) -> Bool {
        func rank(_ e: Rule.Evidence) -> Int {
            switch e {
            case .acrByNature: 0
            case .acrOrContext: 1
            case .acrOnLine: 2
            }
        }
        return rank(lhs) < rank(rhs)
    }
}
