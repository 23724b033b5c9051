/// One failure shape, declared as data: adding a shape is one entry in `Rule.standard` plus a
/// fixture line (see Tests/ScannerTests/Fixtures/README.md).
///
/// A rule fires on a line when the line contains its `anchor` (ignoring ASCII case), every string
/// of `all` and at least one of `any` (exact case), and none of `none`.
public struct Rule: Sendable {
    /// What a firing rule says about the failure.
    public enum Verdict: Sendable, Equatable {
        /// The line shows a failure of this type.
        case type(ErrorType)
        /// An `az acr` token-step code: an identity-permission failure when the event's response
        /// code is 401 or 403; not an auth failure with a 5xx.
        case tokenStep
        /// Part of a failure (a cascade's opening or closing line) that names no type by itself.
        case neutral
    }

    /// How much ACR evidence the line needs before it counts (SPEC section 3: only ACR counts).
    public enum Evidence: Sendable, Equatable {
        /// The wording is ACR's own (`az acr` messages, check-health codes): no more evidence needed.
        case acrByNature
        /// An ACR login server or aka.ms/acr link on the line or in its event, or an ACR registry
        /// context from an earlier command in the same file.
        case acrOrContext
        /// An ACR login server or aka.ms/acr link on the line or in its event; context is not enough.
        case acrOnLine
    }

    /// A short name for tests and docs.
    public let name: String
    /// The literal the prefilter searches for; compared ignoring ASCII case.
    public let anchor: String
    /// Literals that must all be present (exact case).
    public let all: [String]
    /// Literals of which at least one must be present (exact case); empty means no condition.
    public let any: [String]
    /// Literals that must be absent (exact case).
    public let none: [String]
    /// What the line says.
    public let verdict: Verdict
    /// How much ACR evidence it needs.
    public let evidence: Evidence
    /// How many lines back the failure this line may continue can end: 0 for a line that starts a
    /// failure of its own, 1 for a line right after (cascades, JSON bodies), 2 across one blank
    /// line (check-health's `Please refer to …` line).
    public let joinReach: Int

    /// Declares a rule.
    public init(
        _ name: String, anchor: String, all: [String] = [], any: [String] = [], none: [String] = [],
        _ verdict: Verdict, evidence: Evidence = .acrOrContext, joins: Bool = false, joinReach: Int? = nil
    ) {
        self.name = name
        self.anchor = anchor
        self.all = all
        self.any = any
        self.none = none
        self.verdict = verdict
        self.evidence = evidence
        self.joinReach = joinReach ?? (joins ? 1 : 0)
    }
}

extension Rule {
    /// The failure shapes of SPEC section 3 and FIELD-NOTES, most of them in several wordings.
    public static let standard: [Rule] = [
        // docker-command-error: `az acr login` / check-health could not use the Docker client or daemon.
        Rule("docker-command-code", anchor: "DOCKER_COMMAND_ERROR", .type(.dockerCommandError), evidence: .acrByNature, joins: true),
        Rule("docker-daemon-code", anchor: "DOCKER_DAEMON_ERROR", .type(.dockerCommandError), evidence: .acrByNature, joins: true),
        Rule("docker-client-message", anchor: "Please verify if Docker client is installed and running",
             .type(.dockerCommandError), evidence: .acrByNature, joins: true),
        Rule("docker-daemon-message", anchor: "Please verify if Docker daemon is running",
             .type(.dockerCommandError), evidence: .acrByNature, joins: true),
        // The Docker client's own words under a DOCKER_COMMAND_ERROR line (never a failure alone).
        Rule("docker-daemon-unreachable", anchor: "Cannot connect to the Docker daemon", .neutral, joins: true),
        Rule("docker-daemon-not-running", anchor: "docker daemon is not running", .neutral, joins: true),
        Rule("podman-emulation", anchor: "Emulate Docker CLI using podman", .neutral, joins: true),

        // cloud-shell-no-daemon
        Rule("cloud-shell", anchor: "not supported in Azure Cloud Shell", .type(.cloudShellNoDaemon), evidence: .acrByNature, joins: true),

        // unauthorized: the registry's UNAUTHORIZED error code, a 401 on the token endpoint.
        // The registry error code (`unauthorized: …`, `"UNAUTHORIZED"`) or an HTTP 401; a bare
        // "Unauthorized" is too often another API's (Kubernetes, applications).
        Rule("unauthorized", anchor: "unauthorized",
             any: ["unauthorized:", "401 Unauthorized", "401 unauthorized", "UNAUTHORIZED"],
             none: ["anonymous token", "unauthorized to access repository"], .type(.unauthorized)),
        Rule("oauth-token-401", anchor: "oauth token", any: ["401"], .type(.unauthorized)),
        Rule("invalid-credentials", anchor: "invalid username/password", .type(.unauthorized)),
        Rule("json-body-unauthorized", anchor: #""errors":["#, all: [#""UNAUTHORIZED""#], .type(.unauthorized), joins: true),

        // anonymous-pull: no credentials were sent at all.
        Rule("anonymous-token-401", anchor: "anonymous token", any: ["401", "Unauthorized"], .type(.anonymousPull)),

        // identity-permission
        Rule("admin-credentials", anchor: "Unable to get admin user credentials", .type(.identityPermission), evidence: .acrByNature, joins: true),
        Rule("registry-not-found", anchor: "could not be found in subscription", any: ["ContainerRegistry", "registr"],
             .type(.identityPermission), evidence: .acrByNature, joins: true),
        Rule("refresh-token-code", anchor: "CONNECTIVITY_REFRESH_TOKEN_ERROR", .tokenStep, evidence: .acrByNature, joins: true),
        Rule("access-token-code", anchor: "CONNECTIVITY_ACCESS_TOKEN_ERROR", .tokenStep, evidence: .acrByNature, joins: true),
        Rule("registry-access-denied", anchor: "Access to registry", all: ["was denied"], .tokenStep, evidence: .acrByNature, joins: true),
        Rule("aad-login-code", anchor: "CONNECTIVITY_AAD_LOGIN_ERROR", .type(.identityPermission), evidence: .acrByNature, joins: true),
        Rule("aad-login-message", anchor: "does not support AAD login", .type(.identityPermission), evidence: .acrByNature, joins: true),
        Rule("list-credentials-denied", anchor: "AuthorizationFailed", any: ["listCredentials", "ContainerRegistry"],
             .type(.identityPermission), evidence: .acrByNature),
        // An ARM error printed as `ERROR: (AuthorizationFailed) …`, `Code: …`, `Message: …`.
        Rule("arm-authorization", anchor: "does not have authorization to perform action", any: ["Microsoft.ContainerRegistry"],
             .type(.identityPermission), evidence: .acrByNature, joins: true),
        Rule("arm-code", anchor: "Code: AuthorizationFailed", .neutral, evidence: .acrByNature, joins: true),

        // ip-not-allowed
        Rule("firewall", anchor: "is not allowed access", all: ["client with IP"], .type(.ipNotAllowed), evidence: .acrByNature),
        Rule("firewall-code", anchor: "CONNECTIVITY_FORBIDDEN_ERROR", .type(.ipNotAllowed), evidence: .acrByNature, joins: true),
        Rule("firewall-message", anchor: "you don't have access to registry", .type(.ipNotAllowed), evidence: .acrByNature, joins: true),

        // access-denied
        Rule("resource-denied", anchor: "requested access to the resource is denied", .type(.accessDenied)),
        Rule("insufficient-scope", anchor: "insufficient_scope", .type(.accessDenied)),
        Rule("repository-unauthorized", anchor: "unauthorized to access repository", .type(.accessDenied)),
        Rule("json-body-denied", anchor: #""errors":["#, all: [#""DENIED""#], .type(.accessDenied), joins: true),
        Rule("forbidden", anchor: "forbidden", any: ["403 Forbidden", "403 forbidden", "Forbidden:", "forbidden:", "FORBIDDEN"],
             none: ["is forbidden: User", "CONNECTIVITY_FORBIDDEN_ERROR"], .type(.accessDenied), evidence: .acrOnLine),

        // aad-credential: Entra ID refused the service principal or managed identity.
        Rule("aadsts", anchor: "AADSTS", .type(.aadCredential)),

        // Lines that belong to a cascade without naming its type.
        Rule("aad-tokens", anchor: "Unable to get AAD authorization tokens", .neutral, evidence: .acrByNature),
        Rule("authenticate-summary", anchor: "Unable to authenticate using AAD or admin login credentials", .neutral,
             evidence: .acrByNature, joins: true),
        Rule("health-reference", anchor: "aka.ms/acr/errors", .neutral, evidence: .acrByNature, joinReach: 2),
    ]

    /// Lines that are never failures, whatever rule they match (SPEC section 3 look-alikes), or that
    /// only repeat a failure printed before (kubelet's back-off). Other loggers' repeats of the same
    /// failure in the same second are merged by the scanner instead (`Event.echoDistance`).
    public static let vetoes: [String] = [
        "toomanyrequests", "TOOMANYREQUESTS", "manifest unknown", "MANIFEST_UNKNOWN", "no such host",
        "i/o timeout", "TLS handshake timeout", "x509:", "level=debug", "DEBU[", "Www-Authenticate",
        "WWW-Authenticate", "< HTTP/", "Back-off pulling image", "Login Succeeded", "Response code: 5",
    ]

    /// Literals that mark lines worth reading for the registry context or the producer, though
    /// they hold no failure: login servers, `az acr` commands, ARM ids, logins to other registries.
    public static let contextAnchors: [String] = [
        "azurecr", "az acr ", "/registries/", " login ", "azure/login", "push refers to", "docker push", "docker pull",
        "podman push", "podman pull", "helm push", "helm pull", "oras push", "oras pull",
    ]

    /// Prefilter literals that stand for a shorter anchor. The prefilter skips ahead by up to its
    /// shortest literal's length, so six-byte anchors are lengthened where the text allows it:
    /// an AADSTS code always continues with a digit (never 0).
    public static let prefilterExpansions: [String: [String]] = [
        "AADSTS": (1...9).map { "AADSTS\($0)" },
    ]

    /// Markers that only Azure Pipelines prints: they tell its line prefix from GitHub Actions'.
    public static let pipelineMarkers: [String] = ["##[section]", "##[command]"]
}
