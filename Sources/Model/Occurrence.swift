/// One ACR authentication failure found in a log, with its evidence (docs/counting-rules.md).
///
/// A plain value: the scanner produces it, the store persists it, reports read it back.
public struct Occurrence: Sendable, Equatable, Hashable {
    /// The failure type.
    public var type: ErrorType
    /// The registry name (the login server's first label, lowercased), or nil when unknown.
    public var registry: String?
    /// The login server as named in the log, lowercased (`myacr.azurecr.io`), when one was named.
    public var loginServer: String?
    /// Milliseconds since the Unix epoch, UTC: the line's own time or the last earlier one.
    public var timestamp: Int64?
    /// First line of the failure, 1-based.
    public var line: Int
    /// Last line of the failure (equal to `line` for one-line failures).
    public var lineEnd: Int
    /// Byte offset of the first line in the (decompressed) stream.
    public var offset: Int64
    /// The log format that printed it.
    public var producer: Producer
    /// HTTP status, where the log states or implies one.
    public var status: Int?
    /// The client address that a firewall refused.
    public var clientIP: String?
    /// The identity, object id or application id named by the failure.
    public var identity: String?
    /// The repository the failure concerned.
    public var repository: String?
    /// An AADSTS code or an `az acr check-health` code.
    public var code: String?
    /// Attempts the producer aggregated into this one failure (`(x261 over 60m)` → 261).
    public var attempts: Int
    /// One line of evidence, redacted and stripped of control characters.
    public var excerpt: String

    /// Creates an occurrence; fields not given are unknown.
    public init(
        type: ErrorType, registry: String? = nil, loginServer: String? = nil, timestamp: Int64? = nil,
        line: Int, lineEnd: Int? = nil, offset: Int64 = 0, producer: Producer = .plain,
        status: Int? = nil, clientIP: String? = nil, identity: String? = nil, repository: String? = nil,
        code: String? = nil, attempts: Int = 1, excerpt: String = ""
    ) {
        self.type = type
        self.registry = registry
        self.loginServer = loginServer
        self.timestamp = timestamp
        self.line = line
        self.lineEnd = lineEnd ?? line
        self.offset = offset
        self.producer = producer
        self.status = status
        self.clientIP = clientIP
        self.identity = identity
        self.repository = repository
        self.code = code
        self.attempts = attempts
        self.excerpt = excerpt
    }
}

/// The program or log format that wrote a line, recognised by the line's shape.
public enum Producer: String, Sendable, CaseIterable, Codable {
    case githubActions = "github-actions"
    case azurePipelines = "azure-pipelines"
    case gitlab
    case jenkins
    case dockerd
    case containerd
    case kubelet
    case kubectl
    case dockerJSON = "docker-json"
    case journald
    case syslog
    case acrTasks = "acr-tasks"
    case azureCLI = "azure-cli"
    case dockerCLI = "docker-cli"
    /// ACR's own resource logs (Azure Monitor's `ContainerRegistryLoginEvents` and
    /// `ContainerRegistryRepositoryEvents`) exported as JSON or CSV: the registry's side of a refusal.
    case acrDiagnostics = "acr-diagnostics"
    /// A line of no recognised format.
    case plain
}
