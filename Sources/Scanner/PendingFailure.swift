import LogModel

/// What one candidate line contributes to a failure.
struct LineEvidence {
    var verdict: Matcher.Findings
    var mention: RegistryMention?
    /// Whether the line is ACR's by its words (an `aka.ms/acr` link, the CLI's acr module).
    var aka: Bool
    /// Whether the line refers to a registry whose name is masked (`***`): ACR evidence, name unknown.
    var masked = false
    /// The ACR registry that the line itself names in a command or advice (`az acr login -n NAME`).
    var named: RegistryContext?
    var status: Int?
    var code: String?
    var attempts: Int?
    var identity: String?
    var clientIP: String?

    init(verdict: Matcher.Findings, mention: RegistryMention?, aka: Bool) {
        self.verdict = verdict
        self.mention = mention
        self.aka = aka
    }

    /// The producer that a line of no recognised wrapper most likely comes from.
    var impliedProducer: Producer {
        if verdict.acrByNature { return .azureCLI }
        if attempts != nil { return .kubectl }
        return .dockerCLI
    }
}

/// One failure being assembled from one or more adjacent lines.
struct PendingFailure {
    /// The farthest a line may join a failure from (`Rule.joinReach`): past it, the failure is complete.
    static let joinDistance = 2
    /// The same failure printed again within this many lines, in the same second, is one failure.
    static let echoDistance = 5

    var type: ErrorType?
    /// The evidence that the type needs (that of the line that set it).
    var evidence: Rule.Evidence = .acrOnLine
    var tokenStep = false
    /// Whether one of the failure's lines is a request to ACR's token exchange (`Rule.exchange`).
    var exchange = false
    var acrByNature = false
    var aka = false
    var masked = false
    var mention: RegistryMention?
    /// An ACR registry named by a command or advice on one of the failure's own lines.
    var named: RegistryContext?
    var line: Int
    var lineEnd: Int
    var offset: Int64
    var timestamp: Int64?
    /// Whether the first line carried the time itself (not inherited from an earlier line).
    var ownTimestamp: Bool
    var producer: Producer
    /// The registry context before the failure's first line.
    var context: RegistryContext
    var status: Int?
    var code: String?
    var attempts: Int?
    var identity: String?
    var clientIP: String?
    var excerpt: String
    /// Where a scan must resume to see this failure again from its first line.
    var resume: ScanPosition
    /// The first line's text without digits (`Fields.form(of:)`), to tell a retry from an echo.
    var form: UInt64 = 0
    /// Whether the first line is a CI annotation of a failure printed before it.
    var annotation = false
    /// Whether the failure opened right after an `az acr login` command (`Rule.Evidence.afterACRLogin`).
    var afterLogin = false

    init(
        first: LineEvidence, line: Int, offset: Int64, timestamp: Int64?, ownTimestamp: Bool, producer: Producer,
        context: RegistryContext, excerpt: String, resume: ScanPosition
    ) {
        self.line = line
        self.lineEnd = line
        self.offset = offset
        self.timestamp = timestamp
        self.ownTimestamp = ownTimestamp
        self.producer = producer
        self.context = context
        self.excerpt = excerpt
        self.resume = resume
        absorbFields(first)
        if let type = first.verdict.type {
            self.type = type
            self.evidence = first.verdict.evidence
        }
    }

    /// Adds a later line of the same failure: the most specific type wins, and its line becomes the excerpt.
    mutating func absorb(_ next: LineEvidence, line: Int, excerpt: () -> String) {
        lineEnd = line
        absorbFields(next)
        if let type = next.verdict.type, type.specificity > (self.type?.specificity ?? 0) {
            self.type = type
            self.evidence = next.verdict.evidence
            self.excerpt = excerpt()
        }
    }

    private mutating func absorbFields(_ e: LineEvidence) {
        tokenStep = tokenStep || e.verdict.tokenStep
        exchange = exchange || e.verdict.exchange
        acrByNature = acrByNature || e.verdict.acrByNature
        aka = aka || e.aka
        masked = masked || e.masked
        if mention == nil { mention = e.mention }
        if named == nil { named = e.named }
        status = status ?? e.status
        code = code ?? e.code
        attempts = attempts ?? e.attempts
        identity = identity ?? e.identity
        clientIP = clientIP ?? e.clientIP
    }

    /// The finished occurrence, or nil when the lines do not make an ACR auth failure after all.
    func occurrence() -> Occurrence? {
        var type = self.type
        var evidence = self.evidence
        // A token step refused: identity-permission, unless a 5xx (or another non-auth status) says
        // the registry failed rather than refused; a code without a response code counts.
        if tokenStep, status == nil || status == 401 || status == 403,
            (type?.specificity ?? 0) < ErrorType.identityPermission.specificity
        {
            type = .identityPermission
            evidence = .acrByNature
        }
        // ACR's token exchange refused the caller's Entra token (a 401 or 403 under the request to
        // `/oauth2/exchange`): the identity cannot use the registry, whatever words the status came in.
        if exchange, let refused = type, refused == .unauthorized || refused == .accessDenied,
            status == nil || status == 401 || status == 403
        {
            type = .identityPermission
        }
        guard let type else { return nil }
        let onLine = acrByNature || mention != nil || aka || masked
        let inContext: Bool = if case .acr = named ?? context { true } else { false }
        switch evidence {
        case .acrByNature: break
        case .acrOrContext: guard onLine || inContext else { return nil }
        case .acrOnLine: guard onLine else { return nil }
        case .acrHost: guard mention != nil || aka else { return nil }
        case .afterACRLogin: guard acrByNature || afterLogin else { return nil }
        }
        var registry: String?
        if let mention {
            registry = mention.name
        } else if masked {
            registry = nil
        } else if case .acr(let name) = named ?? context {
            registry = name
        }
        return Occurrence(
            type: type, registry: registry, loginServer: mention?.loginServer, timestamp: timestamp,
            line: line, lineEnd: lineEnd, offset: offset, producer: producer,
            status: status ?? type.impliedStatus, clientIP: clientIP, identity: identity,
            repository: mention?.repository, code: code, attempts: attempts ?? 1, excerpt: excerpt)
    }
}

extension ErrorType {
    /// The HTTP status a failure of this type implies when the log states none.
    var impliedStatus: Int? {
        switch self {
        case .unauthorized, .anonymousPull: 401
        case .accessDenied, .ipNotAllowed: 403
        default: nil
        }
    }
}
