import LogModel

/// What one candidate line contributes to a failure.
struct LineEvidence {
    var verdict: Matcher.Findings
    var mention: RegistryMention?
    /// Whether the line is ACR's by its words (an `aka.ms/acr` link, the CLI's acr module).
    var aka: Bool
    /// Whether the line refers to a registry whose name is masked (`***`): ACR evidence, name unknown.
    var masked = false
    /// Whether a person's placeholder stands where the registry host does (`<redacted>`, `{registry}`):
    /// the name is unknown, but the line is no ACR evidence by that alone (`Fields.placeholderRegistry`).
    var placeholder = false
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
        if let producer = verdict.producer { return producer }
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
    /// Whether one of the failure's lines states a network cause (`Rule.networkCause`).
    var networkCause = false
    var acrByNature = false
    var aka = false
    var masked = false
    var placeholder = false
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
    var excerpt: PendingExcerpt
    /// Where a scan must resume to see this failure again from its first line.
    var resume: ScanPosition
    /// The first line's text without digits (`Fields.form(of:)`), to tell a retry from an echo.
    var form: UInt64 = 0
    /// Whether the first line is a CI annotation of a failure printed before it.
    var annotation = false
    /// The first line's first and last bytes, to tell a summary that re-reports the failure printed
    /// just before it from a new attempt reported in the same words (`LineEdges.reports(again:)`).
    var edges = LineEdges()
    /// The seconds since start of a first line in logrus's short form (`ERRO[0124] …`), which has no
    /// time of its own (`Fields.logrusUptime`).
    var uptime: Int?
    /// Whether the first line is an indented continuation without a time of its own (klog's `err=<`
    /// block after its stamped head line).
    var indented = false
    /// Whether the failure opened right after an `az acr login` command (`Rule.Evidence.afterACRLogin`).
    var afterLogin = false
    /// Whether the failure's exception line follows a traceback with an ACR client's frame
    /// (`Rule.Evidence.acrTraceback`): ACR evidence whatever the rule asked for.
    var afterTraceback = false

    init(
        first: LineEvidence, line: Int, offset: Int64, timestamp: Int64?, ownTimestamp: Bool, producer: Producer,
        context: RegistryContext, excerpt: PendingExcerpt, resume: ScanPosition
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

    /// Whether the failure line `line` (number `number`, its own or carried `mention`, its rules'
    /// `verdict`) continues this failure, and if so absorbs it (`absorb`) and returns true.
    /// azure-core's `HttpResponseError` (the Azure CLI printing a hosted service's error) repeats its
    /// `(CODE) MESSAGE` line as `Message: MESSAGE` after `Code: CODE`: a `Message:` line of the same
    /// type within two lines of the failure is that failure's trailer (matcher version 10).
    /// A line that names another registry than the failure's own is a failure of its own, not its
    /// continuation (two daemon lines a record apart, each with its own body: matcher 10).
    /// The one-line failure printed again, identical but for digits, is a retry that counts, not
    /// the failure's next line (a shell loop around `az acr login`: second fleet check, matcher 14).
    /// Called on the scanner's open failure where it lies, so that it is not copied.
    mutating func joins(
        _ line: UnsafeRawBufferPointer, number: Int, mention: RegistryMention?, verdict: Matcher.Findings,
        excerpt: () -> PendingExcerpt, evidence: LineEvidence
    ) -> Bool {
        guard mention?.name == nil || self.mention?.name == nil || mention?.name == self.mention?.name,
            number - lineEnd <= verdict.joinReach
                || (number - lineEnd <= PendingFailure.joinDistance && verdict.type != nil
                    && verdict.type == type && Fields.isMessageTrailer(line)),
            !(self.line == lineEnd && Fields.form(of: line) == form)
        else { return false }
        absorb(evidence, line: number, excerpt: excerpt)
        return true
    }

    /// Takes the reading of the failure's one line read together with the next (a hard wrap cut
    /// it there: `OccurrenceScanner.joinWrapped`): the whole message's type, not the most specific of
    /// its halves (`…anonymous token: unexpected status:` / `401 Unauthorized` is anonymous-pull).
    mutating func reread(_ joined: LineEvidence, line: Int, excerpt: () -> PendingExcerpt) {
        lineEnd = line
        absorbFields(joined)
        if let type = joined.verdict.type {
            self.type = type
            self.evidence = joined.verdict.evidence
            self.excerpt = excerpt()
        }
    }

    /// Adds a later line of the same failure: the most specific type wins, and its line becomes the excerpt.
    mutating func absorb(_ next: LineEvidence, line: Int, excerpt: () -> PendingExcerpt) {
        lineEnd = line
        absorbFields(next)
        // An exception that needs an ACR traceback takes a later line's weaker need for the same type
        // (azure-core's `Content: {"errors":…}` body after it, counted by context before matcher 12).
        if evidence == .acrTraceback, let type = next.verdict.type, type == self.type {
            evidence = min(evidence, next.verdict.evidence)
        }
        if let type = next.verdict.type, type.specificity > (self.type?.specificity ?? 0) {
            self.type = type
            self.evidence = next.verdict.evidence
            self.excerpt = excerpt()
        }
    }

    private mutating func absorbFields(_ e: LineEvidence) {
        tokenStep = tokenStep || e.verdict.tokenStep
        exchange = exchange || e.verdict.exchange
        networkCause = networkCause || e.verdict.networkCause
        acrByNature = acrByNature || e.verdict.acrByNature
        aka = aka || e.aka
        masked = masked || e.masked
        placeholder = placeholder || e.placeholder
        if mention == nil { mention = e.mention }
        if named == nil { named = e.named }
        status = status ?? e.status
        code = code ?? e.code
        attempts = attempts ?? e.attempts
        identity = identity ?? e.identity
        clientIP = clientIP ?? e.clientIP
    }

    /// The finished failure's type and registry, or nil when the lines do not make an ACR auth
    /// failure after all. Its other fields are the failure's own (`occurrence(type:registry:)`,
    /// `pack(into:type:registry:)`).
    func outcome() -> (type: ErrorType, registry: String?)? {
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
        // An exception whose inner exception is the network (no such host, refused, timed out, TLS)
        // with no 401 or 403 stated: the registry refused nothing (matcher version 11).
        if networkCause, status != 401, status != 403 { return nil }
        let inContext: Bool = if case .acr = named ?? context { true } else { false }
        // A person's placeholder where the host stands is the line's registry in an ACR context only.
        let onLine = acrByNature || mention != nil || aka || masked || afterTraceback || (placeholder && inContext)
        switch evidence {
        case .acrByNature: break
        case .acrOrContext: guard onLine || inContext else { return nil }
        case .acrOnLine: guard onLine else { return nil }
        case .acrHost: guard mention != nil || aka else { return nil }
        case .afterACRLogin: guard acrByNature || afterLogin else { return nil }
        case .acrTraceback: guard onLine else { return nil }
        }
        var registry: String?
        if let mention {
            registry = mention.name
        } else if masked || placeholder {
            registry = nil
        } else if case .acr(let name) = named ?? context {
            registry = name
        }
        return (type, registry)
    }

    /// The finished occurrence of `outcome()`'s `type` and `registry`; an unfinished excerpt
    /// (`unfinished`: the scanner's `PendingExcerpt.unfinished` bytes) is redacted here.
    func occurrence(type: ErrorType, registry: String?, unfinished: [UInt8]) -> Occurrence {
        let text: String
        switch excerpt {
        case .text(let made): text = made
        case .unfinished(let context):
            // A context names a value of the batch being packed: settled before it is given back
            // (`OccurrenceScanner.settleExcerptContext`).
            precondition(context == OccurrenceBatch.none, "an unfinished excerpt's context outside its batch")
            text = unfinished.withUnsafeBytes {
                UnfinishedExcerpt.redact(UnsafeRawBufferPointer(rebasing: $0.dropFirst()))
            }
        }
        return Occurrence(
            type: type, registry: registry, loginServer: mention?.loginServer, timestamp: timestamp,
            line: line, lineEnd: lineEnd, offset: offset, producer: producer,
            status: status ?? type.impliedStatus, clientIP: clientIP, identity: identity,
            repository: mention?.repository, code: code, attempts: attempts ?? 1, excerpt: text)
    }

    /// Appends `occurrence(type:registry:)` to `batch`, its texts packed from where they lie here:
    /// no `Occurrence` in between, whose copies and destruction retained and released each of its
    /// seven texts (docs/performance.md, "Branch `storerate5`").
    /// An unfinished excerpt is packed as it is (`unfinished`), for the store to redact.
    func pack(into batch: inout OccurrenceBatch, type: ErrorType, registry: String?, unfinished: [UInt8]) {
        switch excerpt {
        case .text(let text):
            batch.append(
                type: type, registry: registry, loginServer: mention?.loginServer, timestamp: timestamp,
                line: line, lineEnd: lineEnd, offset: offset, producer: producer,
                status: status ?? type.impliedStatus, clientIP: clientIP, identity: identity,
                repository: mention?.repository, code: code, attempts: attempts ?? 1, excerpt: text)
        case .unfinished(let context):
            unfinished.withUnsafeBytes { bytes in
                batch.append(
                    type: type, registry: registry, loginServer: mention?.loginServer, timestamp: timestamp,
                    line: line, lineEnd: lineEnd, offset: offset, producer: producer,
                    status: status ?? type.impliedStatus, clientIP: clientIP, identity: identity,
                    repository: mention?.repository, code: code, attempts: attempts ?? 1, unfinishedExcerpt: bytes,
                    context: context)
            }
        }
    }
}

/// A failure's excerpt: made, or left unfinished for the store's thread (`UnfinishedExcerpt`), its
/// bytes in the scanner's `unfinishedExcerpt` (one failure is open at a time, and it is handed out
/// before the next one's excerpt is taken), with the value id of the line before's unfinished
/// excerpt in the batch being packed, whose carry it takes (`OccurrenceBatch.none`: no carry).
enum PendingExcerpt {
    case text(String)
    case unfinished(context: UInt32)
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

/// The lead of a failure's first line (its first bytes) and its length, trailing blanks left out; its
/// last bytes are kept by the scanner (`OccurrenceScanner.pendingTail`), one copy per failure.
///
/// A tool or CI runner often prints one failure twice: the step's own line, then a summary that ends
/// with the same error under another lead (GitLab Runner's `ERROR: Job failed: …` after its pull
/// policy's `WARNING: …`, BuildKit's `ERROR: failed to solve: …` after its step's `#12 ERROR: …`,
/// cosign's `main.go:74: error during command execution: …` after cobra's `Error: …`, Compose's
/// command error after the service's `Error` event, a pod's `Container [jnlp] waiting [ErrImagePull] …`
/// after its `Failed` event). A new attempt reported in the same words (a retry loop, GitLab's next pull
/// policy) keeps the lead and changes at most a word or a number (matcher version 10).
struct LineEdges: Equatable {
    static let width = 32
    /// How much longer or shorter a line with the same lead may be and still be the same report again.
    static let sameLeadSlack = 16
    /// How many trailing bytes of a failure's first line are kept to compare with the next failure's.
    static let tailLimit = 256
    /// How long the common end must be: more than ACR's generic messages share.
    static let minimumCommonTail = 32

    var head = SIMD32<UInt8>()
    var length = 0

    init() {}

    init(_ b: UnsafeRawBufferPointer) {
        length = Self.trimmedLength(b)
        let n = min(Self.width, length)
        guard n > 0, let base = b.baseAddress else { return }
        withUnsafeMutableBytes(of: &head) { $0.baseAddress!.copyMemory(from: base, byteCount: n) }
    }

    /// The line's length without its trailing blanks and carriage return.
    static func trimmedLength(_ b: UnsafeRawBufferPointer) -> Int {
        var end = b.count
        while end > 0, b[end - 1] == 0x20 || b[end - 1] == 0x09 || b[end - 1] == 0x0D { end -= 1 }
        return end
    }

    static let loginServerWord: [UInt8] = Array(".azurecr.".utf8)

    /// Whether the failure whose first line has these edges and ends with `tail` is reported again by a
    /// later failure's first line (`later`, ending with `laterTail`): both end with the same bytes, at
    /// least `minimumCommonTail` of them and among them an ACR login server (the error itself, not only
    /// ACR's generic message), and `later` does not open with the same lead at nearly the same length
    /// (that is the same report again: a new attempt).
    func reports(again later: LineEdges, tail: LineTail, laterTail: LineTail) -> Bool {
        if head == later.head, abs(length - later.length) <= Self.sameLeadSlack { return false }
        var common = 0
        while common < tail.count, common < laterTail.count,
            tail.bytes[tail.count - 1 - common] == laterTail.bytes[laterTail.count - 1 - common]
        {
            common += 1
        }
        guard common >= Self.minimumCommonTail else { return false }
        // The login server in any case (`MyAcr.AzureCR.io`: SPEC §3, the name is case-blind).
        return tail.bytes.withUnsafeBytes {
            UnsafeRawBufferPointer(rebasing: $0[0..<tail.count])
                .firstIndex(ofFolded: Self.loginServerWord, from: tail.count - common) != nil
        }
    }
}

/// The last `LineEdges.tailLimit` bytes of a failure's first line (trailing blanks left out), in
/// storage allocated once per scanner and copied into, never grown.
struct LineTail {
    var bytes = [UInt8](repeating: 0, count: LineEdges.tailLimit)
    var count = 0

    /// Keeps the end of `b`.
    mutating func keep(_ b: UnsafeRawBufferPointer) {
        let end = LineEdges.trimmedLength(b)
        let start = max(0, end - LineEdges.tailLimit)
        count = end - start
        guard count > 0, let base = b.baseAddress else { return }
        let n = count
        bytes.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: base + start, byteCount: n) }
    }
}
