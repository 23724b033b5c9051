/// The rules compiled once, before any file is read: a prefilter over the whole buffer, then the
/// rules verified on candidate lines only.
public struct Matcher: Sendable {
    /// Bumped whenever rules change what they count; the store records which version read each range
    /// so that `scan --reclassify` can re-read what an older version scanned.
    public static let version = 3

    /// The standard rules of `Rule.standard`.
    public static let standard = Matcher(rules: Rule.standard)

    struct Compiled: Sendable {
        let rule: Rule
        /// The literals (indices into the prefilter) that stand for the rule's anchor.
        let anchorLiterals: [Int]
        let all: [[UInt8]], any: [[UInt8]], topic: [[UInt8]], none: [[UInt8]]
    }

    /// The prefilter: every rule anchor and context anchor.
    public let prefilter: LiteralSet
    let rules: [Compiled]
    let vetoes: [[UInt8]]
    let lineStartVetoes: [[UInt8]]

    /// Whether a look-alike rule dismisses the line (`Rule.vetoes`, `Rule.lineStartVetoes`).
    func dismisses(_ line: UnsafeRawBufferPointer) -> Bool {
        vetoes.contains(where: { line.firstIndex(of: $0) != nil }) || startsWithVeto(line)
    }

    /// Whether the line, after leading blanks, begins with one of `Rule.lineStartVetoes`.
    func startsWithVeto(_ line: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < line.count, line[i] == 0x20 || line[i] == 0x09 { i += 1 }
        let rest = UnsafeRawBufferPointer(rebasing: line[i...])
        return lineStartVetoes.contains { rest.starts(with: $0) }
    }
    /// The literals that make a line worth reading for the registry context.
    let contextMask: LiteralMask
    /// The Azure Pipelines markers.
    let pipelineMask: LiteralMask
    /// `azurecr`: only lines that hold it can name an ACR login server.
    let loginServerMask: LiteralMask

    /// Compiles `rules`; O(total literal length). Any number of anchors.
    public init(rules: [Rule]) {
        let bytes: (String) -> [UInt8] = { Array($0.utf8) }
        var literals: [String] = []
        func index(_ anchor: String) -> Int {
            let folded = anchor.lowercased()
            if let index = literals.firstIndex(of: folded) { return index }
            literals.append(folded)
            return literals.count - 1
        }
        func indices(_ anchor: String) -> [Int] { (Rule.prefilterExpansions[anchor] ?? [anchor]).map(index) }
        let compiled = rules.map {
            Compiled(rule: $0, anchorLiterals: indices($0.anchor), all: $0.all.map(bytes), any: $0.any.map(bytes),
                     topic: $0.topic.map(bytes), none: $0.none.map(bytes))
        }
        let context = Rule.contextAnchors.flatMap(indices)
        let pipeline = Rule.pipelineMarkers.flatMap(indices)
        let loginServer = indices("azurecr")
        self.rules = compiled
        self.contextMask = LiteralMask(count: literals.count, indices: context)
        self.pipelineMask = LiteralMask(count: literals.count, indices: pipeline)
        self.loginServerMask = LiteralMask(count: literals.count, indices: loginServer)
        self.vetoes = Rule.vetoes.map(bytes)
        self.lineStartVetoes = Rule.lineStartVetoes.map(bytes)
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
        /// Whether a rule that fired may start a failure (`Rule.opens`).
        var opens = false
        /// Whether the line is ACR's own wording.
        var acrByNature = false
        /// How far back the failure this line may continue can end (the largest reach of the rules that fired).
        var joinReach = 0
    }

    /// Evaluates the rules whose anchors are `present` (from `LiteralSet.presence(in:into:)`) on a
    /// candidate line. O(rules fired × line length); never called on lines the prefilter passed over.
    func evaluate(_ line: UnsafeRawBufferPointer, present: LiteralMask) -> Verdict? {
        var verdict = Verdict()
        for compiled in rules where compiled.anchorLiterals.contains(where: present.contains) {
            guard compiled.all.allSatisfy({ line.firstIndex(of: $0) != nil }),
                  compiled.any.isEmpty || compiled.any.contains(where: { line.firstIndex(of: $0) != nil }),
                  compiled.topic.isEmpty || compiled.topic.contains(where: { line.firstIndex(of: $0) != nil }),
                  !compiled.none.contains(where: { line.firstIndex(of: $0) != nil })
            else { continue }
            let rule = compiled.rule
            verdict.fired = true
            verdict.opens = verdict.opens || rule.opens
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
        guard verdict.fired, !dismisses(line) else { return nil }
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
            case .afterACRLogin: 3
            }
        }
        return rank(lhs) < rank(rhs)
    }
}
