import LogModel

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

    /// How much ACR evidence the line needs before it counts (docs/counting-rules.md, "Only ACR auth failures count").
    public enum Evidence: Sendable, Equatable {
        /// The wording is ACR's own (`az acr` messages, check-health codes): no more evidence needed.
        case acrByNature
        /// An ACR login server or aka.ms/acr link on the line or in its event, or an ACR registry
        /// context from an earlier command in the same file.
        case acrOrContext
        /// An ACR login server or aka.ms/acr link on the line or in its event; context is not enough.
        case acrOnLine
        /// An ACR login server written out (`NAME.azurecr.io`) or an aka.ms/acr link on the line or
        /// in its event: neither context nor a masked host (`https://***/v2/`) is enough, for words
        /// that are another registry's signature more often than ACR's (matcher version 7).
        case acrHost
        /// The words of a tool that `az acr login` runs (the Docker client): a failure only within
        /// the failure of an `az acr` message, or on the line right after an `az acr login` command.
        case afterACRLogin
        /// A Python exception line whose words are any Azure SDK's (azure-core's
        /// `ClientAuthenticationError: …`, `HttpResponseError: …`): a failure only when the traceback
        /// printed before it has a frame in an ACR client's code (`azure/containerregistry/`, the CLI's
        /// `azure/cli/command_modules/acr/`), within `OccurrenceScanner.maxTracebackLines` lines
        /// (matcher 12). A neutral rule with this evidence marks the traceback's first line instead.
        case acrTraceback
    }

    /// A short name for tests and docs.
    public let name: String
    /// The literal the prefilter searches for; compared ignoring ASCII case.
    public let anchor: String
    /// Literals that must all be present (exact case).
    public let all: [String]
    /// Literals of which at least one must be present (exact case); empty means no condition.
    public let any: [String]
    /// Literals of which at least one must also be present (exact case): words that say the line is
    /// about a registry operation, for wordings that applications use for their own APIs too.
    public let topic: [String]
    /// Literals that must be absent (exact case).
    public let none: [String]
    /// Whether the rule holds only on a line that is one line of its own: not on a line that holds
    /// an escaped newline inside its message (`…\n----…\n…`, a whole block escaped into one
    /// message, is that message's own failure). The escaped newline that ends a JSON log record's
    /// message (Docker's json-file `"log":"…\n"`) is the end of one line, not a block (matcher 10).
    public let ownLine: Bool
    /// What the line says.
    public let verdict: Verdict
    /// How much ACR evidence it needs.
    public let evidence: Evidence
    /// How many lines back the failure this line may continue can end: 0 for a line that starts a
    /// failure of its own, 1 for a line right after (cascades, JSON bodies), 2 across one blank
    /// line (check-health's `Please refer to …` line).
    public let joinReach: Int
    /// Whether the line may start a failure of its own; false for a line that only continues one
    /// printed before it (and otherwise only names the registry, as context).
    public let opens: Bool
    /// Whether the line is a request to ACR's token exchange (`POST https://X.azurecr.io/oauth2/exchange`):
    /// a 401 or 403 in the same failure is the exchange refusing the caller's Entra token
    /// (identity-permission, like the CLI's `CONNECTIVITY_REFRESH_TOKEN_ERROR`); alone it is nothing.
    public let exchange: Bool
    /// Whether the line states a network cause under the failure it continues (.NET's inner exception
    /// `---> System.Net.…: No such host is known`): the failure is then no auth failure unless one of
    /// its lines states a 401 or 403 (matcher version 11).
    public let networkCause: Bool
    /// The producer that a line of no recognised wrapper comes from when this rule fires on it
    /// (ACR's own diagnostic rows: `.acrDiagnostics`); nil: told by the line's evidence
    /// (`LineEvidence.impliedProducer`).
    public let producer: Producer?

    /// Declares a rule.
    public init(
        _ name: String, anchor: String, all: [String] = [], any: [String] = [], topic: [String] = [],
        none: [String] = [],
        _ verdict: Verdict, evidence: Evidence = .acrOrContext, joins: Bool = false, joinReach: Int? = nil,
        opens: Bool = true, exchange: Bool = false, ownLine: Bool = false, networkCause: Bool = false,
        producer: Producer? = nil
    ) {
        self.name = name
        self.anchor = anchor
        self.all = all
        self.any = any
        self.topic = topic
        self.none = none
        self.verdict = verdict
        self.evidence = evidence
        self.joinReach = joinReach ?? (joins ? 1 : 0)
        self.opens = opens
        self.exchange = exchange
        self.networkCause = networkCause
        self.ownLine = ownLine
        self.producer = producer
    }
}

extension Rule {
    /// The failure shapes of docs/counting-rules.md and docs/error-types.md, most of them in several wordings.
    public static let standard: [Rule] =
        [
            // docker-command-error: `az acr login` / check-health could not use the Docker client or daemon.
            Rule(
                "docker-command-code", anchor: "DOCKER_COMMAND_ERROR", .type(.dockerCommandError),
                evidence: .acrByNature, joins: true),
            Rule(
                "docker-daemon-code", anchor: "DOCKER_DAEMON_ERROR", .type(.dockerCommandError), evidence: .acrByNature,
                joins: true),
            // The CLI's advice in each of its wordings: `Please verify if Docker client is installed and
            // running`, `… if docker daemon is running properly`, and (2017) `Please verify whether docker
            // is installed and running properly` (matcher version 6).
            Rule(
                "docker-check-message", anchor: "Please verify ",
                any: [
                    "Docker client is installed", "docker client is installed", "docker is installed",
                    "Docker is installed",
                    "Docker daemon is running", "docker daemon is running",
                ],
                .type(.dockerCommandError), evidence: .acrByNature, joins: true),
            // `az acr login` could not start the client at all (`--debug` prints it with the logger's name).
            Rule("docker-not-run", anchor: "Could not run 'docker", .type(.dockerCommandError), joins: true),
            // The Docker client's own words under a DOCKER_COMMAND_ERROR line (never a failure alone).
            // Right after an `az acr login` command (older CLIs print no code), they are its failure.
            Rule(
                "docker-daemon-unreachable", anchor: "Cannot connect to the Docker daemon", .type(.dockerCommandError),
                evidence: .afterACRLogin, joins: true, opens: false),
            Rule(
                "docker-daemon-not-running", anchor: "docker daemon is not running", .type(.dockerCommandError),
                evidence: .afterACRLogin, joins: true, opens: false),
            Rule(
                "docker-socket-denied", anchor: "while trying to connect to the Docker daemon",
                .type(.dockerCommandError),
                evidence: .afterACRLogin, joins: true, opens: false),
            // The shell found no docker executable for `az acr login` to run (matcher version 6): Docker
            // Desktop's WSL 2 shim, Windows' cmd, POSIX shells.
            Rule(
                "docker-not-in-wsl", anchor: "could not be found in this WSL", all: ["docker"],
                .type(.dockerCommandError),
                evidence: .afterACRLogin, joins: true, opens: false),
            Rule(
                "docker-not-recognized", anchor: "is not recognized as an internal or external command",
                all: ["docker"],
                .type(.dockerCommandError), evidence: .afterACRLogin, joins: true, opens: false),
            Rule(
                "docker-command-not-found", anchor: "docker: command not found", .type(.dockerCommandError),
                evidence: .afterACRLogin, joins: true, opens: false),
            // `az acr login`'s advice before or after its Docker failure; it names the registry.
            Rule(
                "expose-token-tip", anchor: "--expose-token' to get an access token", .neutral, evidence: .acrByNature,
                joins: true,
                opens: false),
            Rule("podman-emulation", anchor: "Emulate Docker CLI using podman", .neutral, joins: true),

            // cloud-shell-no-daemon
            Rule(
                "cloud-shell", anchor: "not supported in Azure Cloud Shell", .type(.cloudShellNoDaemon),
                evidence: .acrByNature, joins: true),
            // The same sentence (`This command requires running the docker daemon, which is not supported
            // in Azure Cloud Shell. You may want to use 'az acr login -n NAME --expose-token' …`) pasted
            // from a terminal hard-wrapped at its width. From 60 columns on, the first line always holds
            // this part of it whole (with `ERROR: ` before it too), and the lines after it join it
            // (the phrase above, the tip) into one failure (WrappedPasteTests). One literal, not a part
            // for every break: each prefilter literal costs every line of every log.
            Rule(
                "cloud-shell-wrapped", anchor: "command requires running the docker", .type(.cloudShellNoDaemon),
                evidence: .acrByNature, joins: true),

            // unauthorized: the registry's UNAUTHORIZED error code, a 401 on the token endpoint.
            // The registry error code (`unauthorized: …`, `"UNAUTHORIZED"`) or an HTTP 401; a bare
            // "Unauthorized" is too often another API's (Kubernetes, applications).
            Rule(
                "unauthorized", anchor: "unauthorized",
                any: ["unauthorized:", "401 Unauthorized", "401 unauthorized", "UNAUTHORIZED", "Unauthorized for "],
                none: ["anonymous token", "unauthorized to access repository"], .type(.unauthorized)),
            // Docker Content Trust's Notary client refused by the registry's trust service (`docker trust
            // sign`, `docker trust signer add`, `docker push` with DOCKER_CONTENT_TRUST=1, `notary`):
            // `you are not authorized to perform this operation: server returned 401.`, on a line of its
            // own after the command's progress lines. With an ACR login server on the line or in the
            // context (the command's image) it is ACR's refusal (round 18, matcher 25).
            Rule(
                "notary-unauthorized", anchor: "you are not authorized to perform this operation",
                all: ["server returned 401"], .type(.unauthorized)),
            // The code may also end the request's error with no message after it (`Head
            // "https://X.azurecr.io/v2/…": unauthorized`, as App Service's image pull log and a daemon
            // whose 401 body had no message print it): only where the line writes an ACR login server,
            // which also keeps other registries' lines of that shape (GHCR's) out of the full reading
            // (`Matcher.cannotFire` gates the rule on `.azurecr.`; matcher 12).
            Rule(
                "unauthorized-bare-code", anchor: "unauthorized", all: [".azurecr.", "\": unauthorized"],
                none: ["unauthorized to access repository"], .type(.unauthorized), evidence: .acrOnLine),
            // .NET, Python and PowerShell put the status beside the word; applications do too, so the
            // line must also be about a registry operation.
            Rule(
                "unauthorized-status-word", anchor: "unauthorized",
                any: [
                    "401 (Unauthorized)", "(401) Unauthorized", "401: Unauthorized", "401 - Unauthorized",
                    "Unauthorized (401)",
                ],
                topic: registryTopics, none: ["anonymous token"], .type(.unauthorized)),
            // The status as the token step states it (`unexpected status: 401`, `…/oauth2/token: 401
            // Unauthorized`): three digits on their own, not inside a longer number (a nanosecond time,
            // a pod's hash, a runner's fraction; matcher version 11).
            Rule("oauth-token-401", anchor: "oauth token", any: Rule.statusNumber(401), .type(.unauthorized)),
            // The registry authorizer's refusal as BuildKit prints it, with no host on the line
            // (`#7 ERROR: authorization status: 401: authorization failed`); matcher version 5.
            Rule("authorizer-status-401", anchor: "authorization status: 401", .type(.unauthorized)),
            Rule("invalid-credentials", anchor: "invalid username/password", .type(.unauthorized)),
            // `docker login` tried the credentials it had stored and the registry refused them (docker/cli
            // `loginWithStoredCredentials`): an ACR token from `az acr login --expose-token` lives three
            // hours. The line names no registry: the `docker login` before it does (matcher version 9).
            Rule("docker-stored-credentials", anchor: "Stored credentials invalid or expired", .type(.unauthorized)),
            // The client had no credentials to send where the registry asked for them: the Docker
            // daemon (`no basic auth credentials`) and containerd's authorizer (`authorization failed:
            // no basic auth credentials`); matcher version 7.
            // ACR challenges for a bearer token, so these words (a Basic challenge) are mostly ECR's
            // and other registries': they count only where the line or its event writes an ACR host.
            Rule(
                "no-basic-auth-credentials", anchor: "no basic auth credentials", .type(.unauthorized),
                evidence: .acrHost),
            // containerd's authorizer relaying the token service's `error` (`server message:
            // invalid_token: authorization failed`); `insufficient_scope` is access-denied below.
            Rule(
                "server-message-invalid-token", anchor: "invalid_token", all: ["server message: "], .type(.unauthorized)
            ),
            Rule(
                "invalid-username-or-password", anchor: "username or password",
                any: ["incorrect", "Incorrect", "invalid", "Invalid"],
                .type(.unauthorized)),
            // A 401 stated as a number, in the words of Go, .NET, Java and Python clients (crane, ko, jib,
            // bicep, the Azure SDKs): `unsupported status code 401`, `Status: 401`, `HTTP 401`.
        ] + Rule.statusForms(401, .unauthorized) + [
            // The Azure SDKs' RequestFailedException: `Service request failed.`, then `Status: 401 (Unauthorized)`
            // on the next line (bicep module restore and publish, the .NET and Python registry clients).
            Rule("sdk-request-failed", anchor: "Service request failed", .neutral),
            Rule("sdk-status-401", anchor: "Status: 401 (", .type(.unauthorized), joins: true, opens: false),
            Rule("sdk-status-403", anchor: "Status: 403 (", .type(.accessDenied), joins: true, opens: false),
            // The same exception then prints a blank line, `Content:` and the response body (Azure.Core
            // `RequestFailedException`): the body continues the failure the status line is part of, so
            // the `Content:` header carries it across the blank line (matcher version 9).
            Rule("sdk-content-header", anchor: "Content:", all: ["Content:"], .neutral, joinReach: 2, opens: false),
            // ACR Tasks could not log in to its own registry; virtual-kubelet had no usable pull secret.
            Rule("tasks-login-retries", anchor: "failed to login, ran out of retries", .type(.unauthorized)),
            Rule("no-username-in-auth-config", anchor: "no username present in auth config", .type(.unauthorized)),
            // The .NET SDK's container publishing found no credentials for the registry it names
            // (`CONTAINER1008: Failed retrieving credentials for "myacr.azurecr.io"`); matcher version 5.
            Rule(
                "sdk-credential-retrieval", anchor: "Failed retrieving credentials for", .type(.unauthorized),
                evidence: .acrOnLine),
            // The same SDK could not use the credentials it found (`CONTAINER1016: Unable to access the
            // repository 'R' in the registry 'X.azurecr.io'. Please confirm your credentials …`); matcher 6.
            Rule(
                "sdk-repository-access", anchor: "Unable to access the repository", all: ["in the registry"],
                .type(.unauthorized),
                evidence: .acrOnLine),
            // `az acr repository|manifest|helm` on a 401 from the registry's API: `Error: authentication
            // required. Correlation ID: …`; Azure ML's workspace registry refusing its stored keys.
            Rule(
                "az-acr-api-401", anchor: "authentication required", any: ["Correlation ID", "correlation ID"],
                .type(.unauthorized)),
            Rule(
                "aml-registry-unauthorized", anchor: "attempting to connect to the container registry",
                any: ["Unauthorized", "unauthorized"],
                .type(.unauthorized), evidence: .acrByNature),
            // Azure ML's `UserError` when its registry or workspace cannot sign in to the customer's
            // registry, named by its ACR resource name (`Authentication failed for container registry
            // NAME`) or login server; the sentence's name is the context (`sentenceRegistry`), so a
            // host of another registry (`docker.io`) or no name at all is no ACR evidence (matcher 12).
            Rule(
                "aml-registry-authentication", anchor: "Authentication failed for container registry",
                .type(.unauthorized), evidence: .acrOrContext),
            // jib's summary after a refused push or pull.
            Rule("jib-credentials", anchor: "make sure your credentials for", .type(.unauthorized)),
            // Cloud Native Buildpacks' lifecycle checks the registry before it builds (`pack build --publish`,
            // kpack, Spring Boot's build-image): `validating registry write access: [failed to] ensure registry
            // read/write access to REF[: cause]`. Older lifecycles print no cause; the check fails when the
            // credentials are missing or refused. Other registries fail it too (GCR's missing repository),
            // so it counts only with an ACR login server written out (matcher version 10).
            Rule(
                "lifecycle-registry-access", anchor: "ensure registry read",
                any: ["read/write access to", "read access to"],
                .type(.unauthorized), evidence: .acrHost),
            // Skaffold shows a push refused with `denied:` only as its own summary (build_problems.go), the
            // push output before it naming the repository (matcher version 10).
            Rule("skaffold-push-access", anchor: "No push access to specified image repository", .type(.accessDenied)),
            // Dependabot could not reach a private registry with the credentials it was given
            // (`The following source could not be reached as it requires authentication (and any
            // provided details were invalid or lacked the required permissions): HOST
            // (Dependabot::PrivateSourceAuthenticationFailure)`, and the updater's job-error record
            // `"error-type":"private_source_authentication_failure"`; the exception's class name
            // always follows the message, so the message is its anchor). Dependabot says it for any
            // registry or package feed, so it counts only with an ACR host written out (matcher 9).
            Rule(
                "dependabot-private-source", anchor: "could not be reached as it requires authentication",
                .type(.unauthorized), evidence: .acrHost),
            Rule(
                "dependabot-private-source-record", anchor: "private_source_authentication_failure",
                .type(.unauthorized), evidence: .acrHost),
            // App Service's container log for a pull the registry refused.
            Rule("app-service-pull-unauthorized", anchor: "ImagePullUnauthorizedFailure", .type(.unauthorized)),
            // App Service's validation of a site's container image relaying the registry's answer
            // (`The parameter WindowsFxVersion has an invalid value. Unexpected exception while
            // validating OS and version. Image: X.azurecr.io/R:T. Error Response: Unauthorized.
            // Request: https://X.azurecr.io/oauth2/token?…`). It validates images of any registry, so
            // it counts only with an ACR host written out (matcher 9).
            Rule(
                "app-service-image-validation", anchor: "Error Response: Unauthorized", .type(.unauthorized),
                evidence: .acrHost),
            Rule(
                "json-body-unauthorized", anchor: #""errors":["#, all: [#""UNAUTHORIZED""#], .type(.unauthorized),
                joins: true),
            // The same body quoted inside another message (a JSON log record's string: Docker's json-file
            // `"log"`, journald's `MESSAGE`), its quotes escaped, as `json-body-denied-escaped` (matcher 10).
            Rule(
                "json-body-unauthorized-escaped", anchor: #"\"errors\":["#, all: [#"\"UNAUTHORIZED\""#],
                .type(.unauthorized), joins: true),
            // ACR's own 401 message with its link, whatever wraps it: a pretty-printed or reflowed body
            // puts it on a line of its own, without the code or a host (matcher version 6); the link is
            // the ACR evidence. Docker Engine's containerd image store relays every registry error body
            // as `error from registry: MESSAGE` (moby `translateRegistryError`), which is also how MCR
            // (which runs on ACR) refuses with the same words: there the link is no evidence
            // (`Fields.isACRText`), and the registry comes from the pull's host or context (matcher 7;
            // matcher 6 never counted the relay).
            Rule(
                "acr-authorization-message", anchor: "aka.ms/acr/authorization", any: ["authentication required"],
                none: ["anonymous token"], .type(.unauthorized)),
            // ACR's own words when the token it was given carries no permission for the registry.
            Rule(
                "acr-permissions-message", anchor: "retrieving permissions failed",
                any: ["UNAUTHORIZED", "unauthorized"],
                .type(.unauthorized), evidence: .acrByNature, joins: true),
            // The same words under the DENIED code (a 403), however the client renders the code: the
            // Python SDK's `(DENIED) retrieving permissions failed`, a JSON body, escaped or not
            // (matcher version 9).
            Rule(
                "acr-permissions-denied", anchor: "retrieving permissions failed", any: ["DENIED"],
                .type(.accessDenied), evidence: .acrByNature, joins: true),
            // An error body pretty-printed over many lines (`"code": "UNAUTHORIZED",` on a line of its
            // own) and the Azure SDK for Go's `ResponseError` frame around it (`RESPONSE 401: …`, `ERROR
            // CODE …`, its 80-dash rules, the body's `"errors": [`): the frame's lines carry the failure
            // that the `RESPONSE` line opened down to the body, so the block counts once (matcher 6).
            // A frame line inside one escaped message (`…\n----…\n…`) is part of that line's own failure
            // (`ownLine`); a frame line that is a JSON log record of its own (Docker's json-file
            // `{"log":"RESPONSE 401: …\n",…}`) joins the block as in plain text.
            Rule("json-member-unauthorized", anchor: #""code": "UNAUTHORIZED""#, .type(.unauthorized), joinReach: 2),
            Rule("json-member-message", anchor: #""message": ""#, .neutral, joins: true, opens: false),
            // The same members when a logger quoted each line of the body (`msg="      \"code\": …"`).
            Rule("json-member-message-escaped", anchor: #"\"message\": \""#, .neutral, joins: true, opens: false),
            Rule("json-errors-pretty-escaped", anchor: #"\"errors\": ["#, .neutral, joinReach: 2, opens: false),
            Rule(
                "json-member-unauthorized-escaped", anchor: #"\"code\": \"UNAUTHORIZED\""#, .type(.unauthorized),
                joinReach: 2),
            Rule(
                "sdk-error-code-line", anchor: "ERROR CODE", all: ["ERROR CODE"], .neutral, joins: true, opens: false,
                ownLine: true),
            Rule(
                "sdk-response-rule", anchor: String(repeating: "-", count: 80), .neutral, joins: true, opens: false,
                ownLine: true),
            Rule("json-errors-pretty", anchor: #""errors": ["#, .neutral, joinReach: 2, opens: false),
            // The frame's request line when the request went to ACR's token exchange (`POST
            // https://X.azurecr.io/oauth2/exchange`, the Go SDK's azcontainerregistry as Flux and other
            // Go tools use it): the `RESPONSE 401`/`403` under it is the exchange refusing the caller's
            // Entra token, identity-permission (`Rule.exchange`); the status line continues the request
            // line's failure across the rule between them. A request line alone is nothing (matcher 9).
            Rule("sdk-exchange-request", anchor: "/oauth2/exchange", all: ["https://"], .neutral, exchange: true),
            Rule(
                "sdk-response-401", anchor: "RESPONSE 401: ", all: ["RESPONSE 401: "], .neutral,
                joins: true, ownLine: true),
            Rule(
                "sdk-response-403", anchor: "RESPONSE 403: ", all: ["RESPONSE 403: "], .neutral,
                joins: true, ownLine: true),
            // The Azure SDK for Python's error (azure-core's `HttpResponseError`): `(CODE) message`, then
            // `Code: CODE` and `Message: message` on lines of their own; one failure (matcher version 8).
            Rule(
                "sdk-code-trailer", anchor: "Code: UNAUTHORIZED", all: ["Code: UNAUTHORIZED"], .neutral, joins: true,
                opens: false),
            Rule(
                "sdk-code-trailer-denied", anchor: "Code: DENIED", all: ["Code: DENIED"], .neutral, joins: true,
                opens: false),
            Rule(
                "sdk-message-trailer", anchor: "Message: authentication required", .neutral, joins: true, opens: false),
            Rule(
                "sdk-message-trailer-denied", anchor: "Message: requested access to the resource is denied", .neutral,
                joins: true, opens: false),

            // anonymous-pull: no credentials were sent at all.
            // BuildKit puts the token service's body in place of the status (`failed to fetch anonymous
            // token: unauthorized: authentication required, visit …`; matcher version 7).
            Rule(
                "anonymous-token-401", anchor: "anonymous token",
                any: Rule.statusNumber(401) + ["Unauthorized", "unauthorized:", "UNAUTHORIZED"],
                .type(.anonymousPull)),

            // identity-permission
            Rule(
                "admin-credentials", anchor: "Unable to get admin user credentials", .type(.identityPermission),
                evidence: .acrByNature, joins: true),
            // The Azure portal's Container Apps and App Service creation, which reads the registry's
            // admin credentials and finds the admin user disabled: `Cannot access ACR 'X.azurecr.io'
            // because admin credentials on the ACR are disabled` (round 19, matcher 25). The same
            // missing credentials as `Unable to get admin user credentials`; the registry from its host.
            // Documentation that explains the error (`… occurs when admin credentials on the ACR are
            // disabled`) lacks the sentence's `because`.
            Rule(
                "portal-admin-disabled", anchor: "because admin credentials on the ACR are disabled",
                all: ["Cannot access ACR"], .type(.identityPermission), evidence: .acrByNature),
            Rule(
                "registry-not-found", anchor: "could not be found in subscription",
                any: ["ContainerRegistry", "registr"],
                .type(.identityPermission), evidence: .acrByNature, joins: true),
            Rule(
                "refresh-token-code", anchor: "CONNECTIVITY_REFRESH_TOKEN_ERROR", .tokenStep, evidence: .acrByNature,
                joins: true),
            Rule(
                "access-token-code", anchor: "CONNECTIVITY_ACCESS_TOKEN_ERROR", .tokenStep, evidence: .acrByNature,
                joins: true),
            Rule(
                "registry-access-denied", anchor: "Access to registry", all: ["was denied"], .tokenStep,
                evidence: .acrByNature, joins: true),
            Rule(
                "aad-login-code", anchor: "CONNECTIVITY_AAD_LOGIN_ERROR", .type(.identityPermission),
                evidence: .acrByNature, joins: true),
            Rule(
                "aad-login-message", anchor: "does not support AAD login", .type(.identityPermission),
                evidence: .acrByNature, joins: true),
            Rule(
                "list-credentials-denied", anchor: "AuthorizationFailed",
                any: ["listCredentials", "ContainerRegistry"],
                .type(.identityPermission), evidence: .acrByNature),
            // An ARM error printed as `ERROR: (AuthorizationFailed) …`, `Code: …`, `Message: …`.
            Rule(
                "arm-authorization", anchor: "does not have authorization to perform action",
                any: ["Microsoft.ContainerRegistry"],
                .type(.identityPermission), evidence: .acrByNature, joins: true),
            Rule("arm-code", anchor: "Code: AuthorizationFailed", .neutral, evidence: .acrByNature, joins: true),
            // ARM's template validation says the same in other words: `Authorization failed for template
            // resource 'R' of type 'Microsoft.Authorization/roleAssignments'. The client 'X' with object id
            // 'Y' does not have permission to perform action 'A' at scope 'S'` (azd: `… to perform 'A' at
            // scope 'S'`). A Bicep or ARM deployment (App Service, Container Apps, azd, a pipeline's
            // template task) granting AcrPull on the registry was refused to its deployer; the action or
            // scope names the registry, which the rule needs (round 14, matcher 16). A linked-scope refusal
            // (`has permission to perform action 'A' on scope 'S'; however, it does not have permission to
            // perform action(s) 'B' on the linked scope(s)`) allowed what it did on the registry.
            Rule(
                "arm-template-authorization", anchor: "does not have permission to perform",
                any: ["Microsoft.ContainerRegistry"], none: ["linked scope"], .type(.identityPermission),
                evidence: .acrByNature, joins: true),
            // ACR's token exchange refused the caller's Entra token (ACR Tasks, `az acr` internals).
            Rule(
                "acr-token-exchange", anchor: "ACR refresh token", .type(.identityPermission), evidence: .acrByNature,
                joins: true),
            Rule(
                "acr-access-token", anchor: "ACR access token", .type(.identityPermission), evidence: .acrByNature,
                joins: true),
            // A CI agent's words for ACR's refused exchange of its Entra token (the Azure Pipelines
            // agent's container job with a managed identity or workload identity federation:
            // `Could not fetch access token for ACR. Please configure Managed Service Identity …`);
            // the log names no registry (matcher 12).
            Rule(
                "acr-token-fetch", anchor: "access token for ACR",
                any: [
                    "Could not fetch", "could not fetch", "Failed to fetch", "failed to fetch", "Could not get",
                    "could not get", "Failed to get", "failed to get",
                ],
                .type(.identityPermission), evidence: .acrByNature),
            // PowerShell's PSResourceGet on a `ContainerRegistry` repository (its protocol for ACR: it
            // exchanges an Entra token at `/oauth2/exchange`) when the registry refuses a request:
            // `Error occur(r)ed while starting to upload the blob location used for publishing to
            // ContainerRegistry: …`, `… uploading module|package manifest to ContainerRegistry: …`, `…
            // sending request to Container Registry server with: …`, with .NET's status after it
            // (`Response status code does not indicate success: 401 (Unauthorized).`, newer versions
            // quoting it after the exception's type). The words are that ACR client's own; the log names
            // no registry (`ContainerRegistryServerAPICalls.cs`; matcher 13). Any other status is not
            // counted. Anchored on the status word, a prefilter literal already: the client's words as
            // literals of their own made the prefilter alone 10-25% slower on the benchmark corpus. The
            // 403 form is with the `forbidden` rule below, so the prefilter's literals keep their order.
            Rule(
                "psresourceget-registry-401", anchor: "unauthorized", all: ["401 (Unauthorized)"],
                any: Rule.psResourceGetRegistry, .type(.unauthorized), evidence: .acrByNature),
            // OpenShift's image import (`oc import-image`, an ImageStream tag's status) refused by the
            // registry: `! error: Import failed (Unauthorized): you may not have access to the container
            // image "HOST/REPO:TAG"` ("Docker image" in 3.x). The image's host tells whose refusal it is
            // (`acrOnLine`: quay.io's and registry.redhat.io's are the same words). Anchored on
            // `unauthorized`, a prefilter literal (round 12).
            Rule(
                "openshift-import-unauthorized", anchor: "unauthorized", all: ["Import failed (Unauthorized)"],
                .type(.unauthorized), evidence: .acrOnLine),
            // ACR's token exchange refused the caller's Entra token, as AKS `check-acr` (aks-canipull)
            // and Container Apps print it (`ACR token exchange endpoint returned error status: 401.
            // body: …`), and as Kubernetes' ACR credential provider does (`failed to perform token
            // exchange: Www-Authenticate: auth url https://X.azurecr.io/oauth2/exchange responded with
            // status code 401`); a 5xx there is not an auth failure. Matcher version 7.
            Rule(
                "acr-token-exchange-status", anchor: "ACR token exchange endpoint returned error status",
                any: ["status: 401", "status: 403"], .type(.identityPermission), evidence: .acrByNature),
            Rule(
                "credential-provider-exchange", anchor: "/oauth2/exchange responded with status code",
                any: ["code 401", "code 403"],
                .type(.identityPermission), evidence: .acrOnLine),
            // The Azure Pipelines Docker tasks (docker-common's `_getACRToken`) exchanging the pipeline
            // identity's Entra token at ACR's `/oauth2/exchange` (a managed identity or workload identity
            // federation service connection) and refused: the task library prints the message key the
            // task ships no string for, then the status and its reason
            // (`CouldNotFetchAccessTokenforMSIDueToACRNotConfiguredProperlyStatusCode 401 Unauthorized`).
            // The key is only ever said of ACR's exchange; the log names no registry. A 401 or 403 is the
            // exchange refusing the identity, identity-permission as `az acr`'s CONNECTIVITY_*_TOKEN_ERROR;
            // other statuses, and `CouldNotFetchAccessTokenforACRStatusCode` (5xx or 429 after the task's
            // retries), are not counted. Anchored on the reason, a prefilter literal already, which the
            // needle holds (so the rule has a gate: a line with the literal but not the needle is left
            // unread); the 403 form follows the `forbidden` rules below, so the prefilter's literals keep
            // their order (round 13).
            Rule(
                "azp-docker-acr-exchange-401", anchor: "unauthorized",
                all: ["DueToACRNotConfiguredProperlyStatusCode 401 Unauthorized"], .type(.identityPermission),
                evidence: .acrByNature),
            // External Secrets Operator's ACRAccessToken generator (`pkg/generator/acr/acr.go`) when ACR
            // refuses one of its token steps: the exchange of its Entra token for a refresh token (`count
            // not generate refresh token, unexpected status code 401, expected 200`, `could not` from
            // later versions) or of the refresh token for a scoped access token (`could not generate
            // access token, unexpected status code: 401`), under the ExternalSecret controller's `could
            // not generate [N]: …`. No other generator says these words; the log names no registry. A
            // 401 or 403 is the token step refused, identity-permission as `az acr`'s
            // CONNECTIVITY_*_TOKEN_ERROR; other statuses are not counted. Anchored on the status, a
            // prefilter literal already; the 403 forms follow the 403 rules below, so the prefilter's
            // literals keep their order (round 12).
        ] + Rule.esoACRTokenStepRules(401) + [
            // Hosted services that pull with an identity: Azure ML, docker's ACI context. (ACI's own
            // `InaccessibleImage` is left out: it says the same for an image that does not exist.)
            Rule(
                "compute-could-not-authenticate", anchor: "could not authenticate with the Docker registry",
                .type(.identityPermission)),
            Rule(
                "aci-automatic-login", anchor: "from your Azure login", any: ["Could not", "could not"],
                .type(.identityPermission)),
            // Container Apps could not pull with the identity it was given (`unable to pull image using
            // Managed identity ID for registry NAME.azurecr.io`). Container Apps pulls with a managed
            // identity from ACR only, so the words are ACR's own: the registry may be masked or
            // redacted (`for registry <REDACTED>`) and the failure still counts (matcher version 10).
            Rule(
                "pull-with-managed-identity", anchor: "pull image using Managed identity", .type(.identityPermission),
                evidence: .acrByNature),
            // `az containerapp` could not look up the registry's credentials with the signed-in identity.
            // The extension says so only for an ACR (its look-up lists an ACR's admin credentials
            // through ARM), with the registry's name in newer versions (`… for container registry
            // NAME.`), so the words are ACR's own (matcher version 9).
            Rule(
                "containerapp-credential-lookup", anchor: "Failed to retrieve credentials for container registry",
                .type(.identityPermission), evidence: .acrByNature),
            // `az aks create|update --attach-acr` (`--detach-acr`) could not create (delete) the AcrPull
            // role assignment on the registry for the cluster's identity: the signed-in identity may not
            // grant roles there (azure-cli `acs/_roleassignments.py`, `ensure_aks_acr_role_assignment`:
            // `Could not create a role assignment for ACR. Are you an Owner on this subscription?`). The
            // CLI says it only of an ACR; the registry is the one the command names (matcher version 10).
            // The sentence reaches logs re-spaced and re-worded as people paste it (`for  ACR. Are you the
            // Owner of …`), so the anchor stops before the registry word and the rule wants `ACR` after it;
            // the same sentence for a subnet (`az aks create`'s network role) has no `ACR` (round 14).
            Rule(
                "aks-acr-role-assignment", anchor: "a role assignment for", all: ["ACR"], any: ["Could not create"],
                .type(.identityPermission), evidence: .acrByNature),
            Rule(
                "aks-acr-role-deletion", anchor: "role assignments for ACR", any: ["Could not delete"],
                .type(.identityPermission), evidence: .acrByNature),
            // `az acr import` (an ARM operation on the target) relaying a registry's refusal, in every
            // cloud (`.azurecr.io`, `.azurecr.cn`, `.azurecr.us`; SPEC §3, matcher version 10).
            Rule("import-access-denied", anchor: "azurecr.io denied", all: ["Access to "], .type(.accessDenied)),
            Rule("import-access-denied-cn", anchor: "azurecr.cn denied", all: ["Access to "], .type(.accessDenied)),
            Rule("import-access-denied-us", anchor: "azurecr.us denied", all: ["Access to "], .type(.accessDenied)),

            // ip-not-allowed
            Rule(
                "firewall", anchor: "is not allowed access", all: ["client with IP"], .type(.ipNotAllowed),
                evidence: .acrByNature),
            // The same refusal cut short (`denied: client with IP` is how ACR starts it).
            Rule("firewall-denied", anchor: "denied: client with IP", .type(.ipNotAllowed), evidence: .acrByNature),
            Rule(
                "firewall-code", anchor: "CONNECTIVITY_FORBIDDEN_ERROR", .type(.ipNotAllowed), evidence: .acrByNature,
                joins: true),
            Rule(
                "firewall-message", anchor: "you don't have access to registry", .type(.ipNotAllowed),
                evidence: .acrByNature, joins: true),

            // access-denied
            Rule("resource-denied", anchor: "requested access to the resource is denied", .type(.accessDenied)),
            Rule("insufficient-scope", anchor: "insufficient_scope", .type(.accessDenied)),
            Rule("repository-unauthorized", anchor: "unauthorized to access repository", .type(.accessDenied)),
            Rule("json-body-denied", anchor: #""errors":["#, all: [#""DENIED""#], .type(.accessDenied), joins: true),
            // The same body quoted inside another message (logrus `msg="…"`, klog's `err="…"`, a JSON
            // log's string): its quotes escaped (matcher version 9).
            Rule(
                "json-body-denied-escaped", anchor: #"\"errors\":["#, all: [#"\"DENIED\""#], .type(.accessDenied),
                joins: true),
            Rule("json-member-denied", anchor: #""code": "DENIED""#, .type(.accessDenied), joinReach: 2),
            Rule(
                "json-member-denied-escaped", anchor: #"\"code\": \"DENIED\""#, .type(.accessDenied), joinReach: 2),
            // A login refused with a 403 in the words of Docker Engine's registry client, which helm
            // and the Docker CLI relay (`login attempt to https://NAME.azurecr.io/v2/ failed with status:
            // 403 Forbidden`, or without the URL): a login asks for no repository, so no role or scope is
            // checked; ACR's network rules refused the address (Microsoft's registry-login and
            // network-rule pages tie this line to them). Without the URL (older engines) the `docker
            // login` before it names the registry. Before `forbidden`, on its anchor (round 16).
            Rule(
                "login-attempt-403", anchor: "forbidden", all: ["login attempt", "failed with status: 403"],
                none: Rule.forbiddenVetoes, .type(.ipNotAllowed), evidence: .acrOrContext),
            Rule(
                "forbidden", anchor: "forbidden",
                any: ["403 Forbidden", "403 forbidden", "Forbidden:", "forbidden:", "FORBIDDEN"],
                none: Rule.forbiddenVetoes, .type(.accessDenied),
                evidence: .acrOnLine),
            // PSResourceGet's ACR client refused with a 403 (`psresourceget-registry-401` above; matcher 13).
            Rule(
                "psresourceget-registry-403", anchor: "forbidden", all: ["403 (Forbidden)"],
                any: Rule.psResourceGetRegistry, .type(.accessDenied), evidence: .acrByNature),
            // The 403 beside its word, as `unauthorized-status-word` reads the 401's: containers/image
            // before v5.29 (podman 4, buildah, skopeo, CRI-O) prints a token request's or a ping's status
            // without its body as `invalid status code from registry 403 (Forbidden)` (under `requesting
            // bearer token: `, `Requesting bear token: `, `pinging container registry HOST: `); .NET as
            // `403 (Forbidden)` and `(403) Forbidden`. Those lines name the registry they refuse (round 11).
            Rule(
                "forbidden-status-word", anchor: "forbidden",
                any: ["403 (Forbidden)", "(403) Forbidden", "403: Forbidden", "403 - Forbidden", "Forbidden (403)"],
                topic: registryTopics, none: Rule.forbiddenVetoes,
                .type(.accessDenied), evidence: .acrOnLine),
            // The Docker tasks' token exchange refused with a 403 (`azp-docker-acr-exchange-401`; round 13).
            Rule(
                "azp-docker-acr-exchange-403", anchor: "forbidden",
                all: ["DueToACRNotConfiguredProperlyStatusCode 403 Forbidden"], .type(.identityPermission),
                evidence: .acrByNature),
            Rule("push-access-denied", anchor: "push access denied", .type(.accessDenied)),
            // Docker Engine with the containerd image store when the registry refused the token's scope
            // (containerd's `authorization failed`): `pull access denied for NAME, repository does not
            // exist or may require 'docker login'`, without the classic store's `denied: …` tail. NAME
            // holds the host for ACR; Docker Hub's names hold none (`Fields.isForeign`). Matcher 7.
            Rule(
                "pull-access-denied-for", anchor: "pull access denied for ",
                any: ["may require 'docker login'", "may require \"docker login\""],
                .type(.accessDenied), evidence: .acrOnLine),
            // The token step or the authorizer refused with a 403, in the words of containerd (helm,
            // nerdctl: `failed to fetch oauth token: unexpected status: 403 Forbidden`) and BuildKit;
            // like their 401s, the registry comes from the line or its context (matcher version 5).
            Rule(
                "oauth-token-403", anchor: "oauth token", any: Rule.statusNumber(403), none: ["anonymous token"],
                .type(.accessDenied)),
            Rule("authorizer-status-403", anchor: "authorization status: 403", .type(.accessDenied)),
            // The registry's DENIED error code as the Docker client prints it (`denied: <message>`):
            // a scoped token without the permission, a repository the identity may not touch.
            Rule(
                "denied-code", anchor: "denied: ", none: ["ermission denied", "access denied for "],
                .type(.accessDenied)),
            // A 403 stated as a number (`error parsing HTTP 403 response body`, `Status: 403 (Forbidden)`).
        ] + Rule.statusForms(403, .accessDenied) + Rule.esoACRTokenStepRules(403) + Rule.sdkStatusSentences
        + Rule.pythonTracebacks + [

            // aad-credential: Entra ID refused the service principal or managed identity.
            Rule("aadsts", anchor: "AADSTS", .type(.aadCredential)),
            // Entra ID refusing External Secrets' ACRAccessToken generator (its client secret, its
            // tenant, its resource): the ExternalSecret controller's `could not generate [N]: …` around
            // an AADSTS code. The generator is ESO's only one that signs in to Entra ID, so the words
            // are ACR's though the line names no registry (round 12).
            Rule(
                "eso-acr-generator-aadsts", anchor: "AADSTS", all: ["could not generate ["], .type(.aadCredential),
                evidence: .acrByNature),
            // A tool's own words (`Failed to access container registry: REF. Authentication failed.`,
            // `pulling REF: authentication failed`): unauthorized where the line writes out an ACR login
            // server (evidence `acrHost`; the words are too common for a context); TLS's
            // `AuthenticationException` and a credential chain's `XCredential authentication failed`
            // are not this (matcher 11).
            Rule(
                "authentication-failed-acr", anchor: "authentication failed",
                none: [
                    "SSL", "TLS", "certificate", "remote party", "see inner exception", "AuthenticationException",
                    "Credential authentication failed", "ssh",
                ], .type(.unauthorized), evidence: .acrHost),
            // ACR's own words for a service principal it cannot sign in, inside its 401 body.
            Rule(
                "sp-not-registered", anchor: "Application not registered with AAD", .type(.aadCredential),
                evidence: .acrByNature),
            Rule(
                "sp-token-failed", anchor: "aad access token with sp failed", .type(.aadCredential),
                evidence: .acrByNature),
            Rule(
                "sp-invalid-secret", anchor: "Invalid clientid or client secret", .type(.aadCredential),
                evidence: .acrByNature),
            // The Azure CLI with nobody signed in (inside the `az acr login` cascade).
            Rule("az-not-signed-in", anchor: "Please run 'az login'", .type(.aadCredential), joins: true),
            // Azure SDK credential chains (azidentity, Azure.Identity, azure-identity) that got no token.
            // A chain's own lines (`Attempted credentials:`, `  EnvironmentCredential: …`) continue it.
            Rule(
                "credential-chain", anchor: "DefaultAzureCredential",
                any: ["failed", "Failed", "unavailable", "authentication"],
                .type(.aadCredential), evidence: .acrOnLine),
            Rule("credential-failed", anchor: "failed to acquire a token", .type(.aadCredential), evidence: .acrOnLine),
            Rule(
                "credential-chain-detail", anchor: "Credential: ",
                any: [
                    "ManagedIdentityCredential", "EnvironmentCredential",
                    "WorkloadIdentityCredential", "AzureCLICredential", "ClientSecretCredential",
                    "Attempted credentials",
                ], .neutral, joins: true),
            Rule("credential-chain-header", anchor: "Attempted credentials", .neutral, joins: true),
            // .NET's Azure.Identity lists the chain one credential a line (`- EnvironmentCredential
            // authentication unavailable. …`), and .NET and Java print the stack after it: a frame of
            // an Azure SDK (`   at Azure.…`, `\tat com.azure.…`) continues the exception above, and a
            // frame of ACR's client (`Azure.Containers.ContainerRegistry`, `ContainerRegistryClient`:
            // `Fields.isACRText`) shows that the token was ACR's to ask for (matcher 11).
            Rule("credential-chain-bullet", anchor: "Credential authentication", all: ["- "], .neutral, joins: true),
            Rule("sdk-stack-frame", anchor: "   at Azure.", .neutral, joins: true, opens: false),
            Rule("sdk-stack-frame-java", anchor: "\tat com.azure.", .neutral, joins: true, opens: false),
            // .NET's inner exceptions (`---> System.Net.Http.HttpRequestException: …`) continue the
            // exception above; one that states a network cause (no such host, refused, timed out, TLS)
            // makes it no auth failure unless a 401 or 403 is stated too (matcher 11).
            // (Inside a JSON log record, Go's encoder writes the arrow's `>` as `\u003e`.)
        ]
        + ["---> System.Net.", #"--\u003e System.Net."#].flatMap { arrow in
            [
                Rule("dotnet-inner-exception", anchor: arrow, .neutral, joins: true, opens: false),
                Rule(
                    "dotnet-inner-network", anchor: arrow,
                    any: [
                        "No such host is known", "Name or service not known", "nodename nor servname",
                        "Connection refused", "actively refused", "timed out",
                        "SSL connection could not be established",
                    ], .neutral, joins: true, opens: false, networkCause: true),
            ]
        } + [
            Rule(
                "credential-unavailable", anchor: "ManagedIdentityCredential",
                any: ["failed", "unavailable", "Failed"],
                .type(.aadCredential), evidence: .acrOnLine),
            // External Secrets' ACRAccessToken generator with a managed identity the node does not have
            // (`could not generate [0]: ManagedIdentityCredential authentication failed. the requested
            // identity isn't assigned to this resource`): the generator's sign-in, ACR's by its words
            // as `eso-acr-generator-aadsts` is (round 12).
            Rule(
                "eso-acr-generator-managed-identity", anchor: "ManagedIdentityCredential",
                all: ["could not generate ["], any: ["failed", "unavailable", "Failed"], .type(.aadCredential),
                evidence: .acrByNature),
            // .NET's Azure.Identity exceptions (bicep module restore and publish, the .NET SDKs).
            Rule(
                "azure-identity-exception", anchor: "Azure.Identity.",
                any: ["CredentialUnavailableException", "AuthenticationFailedException"],
                .type(.aadCredential), evidence: .acrOnLine, joins: true),
            Rule(
                "chained-credential", anchor: "ChainedTokenCredential failed", .type(.aadCredential),
                evidence: .acrOnLine, joins: true),
            // Flux's ACR login (`provider: azure`) could not get a token for the registry.
            // When the Entra token was issued but ACR's exchange refused it, the message goes on with the
            // SDK's frame for `/oauth2/exchange` and a 401: identity-permission (`sdk-exchange-request`).
            Rule(
                "flux-azure-credential", anchor: "failed to get credential from azure", none: ["/oauth2/exchange"],
                .type(.aadCredential), evidence: .acrByNature),
            // Flux's image-reflector-controller (an ImageRepository with `provider: azure`) says it in its
            // own words: `failed to configure authentication options: DefaultAzureCredential: failed to
            // acquire a token.` Flux's Git sources print the same words for Azure DevOps, so the line must
            // name the registry scanner: its event source (`image-reflector-controller` in `kubectl
            // describe`), its object (`imagerepository/NAME` in `kubectl get events`) or its JSON log's
            // controller (`"controller":"imagerepository"`, `"controllerKind":"ImageRepository"`). That
            // controller asks Azure for a token only for ACR (round 14, matcher 16).
            Rule(
                "flux-image-repository-azure", anchor: "failed to acquire a token",
                all: ["failed to configure authentication options"],
                any: ["image-reflector-controller", "imagerepository", "ImageRepository"],
                .type(.aadCredential), evidence: .acrByNature),
            // `az aks check-acr`'s canipull pod (Azure/aks-canipull, main.go `validateMsiAuth`) when the
            // node's kubelet identity got no Entra token: `Validating managed identity existance: FAILED`
            // then `Getting managed identity token failed with: Metadata endpoint returned error status:
            // 400. body: {"error":"invalid_request","error_description":"Identity not found"}` — no
            // identity on the node, an ACR pull check's own words; the registry is the check's (its host
            // resolution line before). The metadata endpoint unreachable (`failed to send metadata
            // endpoint request: … connection refused`) is the node's network, not this (round 8).
            Rule(
                "canipull-msi-token", anchor: "Getting managed identity token failed",
                any: ["Identity not found", "error status: 400", "error status: 401", "error status: 403"],
                .type(.aadCredential), evidence: .acrByNature),

            // ACR's own diagnostic logs exported as JSON (Azure Monitor's `ContainerRegistryLoginEvents`
            // and `ContainerRegistryRepositoryEvents`): `"ResultType":"401"` beside
            // `"LoginServer":"X.azurecr.io"`, the registry's view of a refused login or operation
            // (matcher version 8).
            Rule(
                "diagnostic-401", anchor: "\"ResultType\":\"401\"", .type(.unauthorized), evidence: .acrHost,
                producer: .acrDiagnostics),
            Rule(
                "diagnostic-401-spaced", anchor: "\"ResultType\": \"401\"", .type(.unauthorized), evidence: .acrHost,
                producer: .acrDiagnostics),
            Rule(
                "diagnostic-403", anchor: "\"ResultType\":\"403\"", .type(.accessDenied), evidence: .acrHost,
                producer: .acrDiagnostics),
            Rule(
                "diagnostic-403-spaced", anchor: "\"ResultType\": \"403\"", .type(.accessDenied), evidence: .acrHost,
                producer: .acrDiagnostics),
            // The same rows exported as CSV (a Log Analytics query's export: `TimeGenerated,LoginServer,
            // Identity,CallerIpAddress,OperationName,ResultType,…`), where a row names no column: an
            // ACR login server (any cloud's), the operation (`Login`, `Pull`, `Push`) as a whole field,
            // and the status as a whole field (third fleet check's CSV export; matcher 22). In any
            // column order, as the table's schema and a query's `project` give them.
            Rule(
                "diagnostic-csv-401", anchor: ",401,", all: [".azurecr."], any: Rule.diagnosticOperations,
                .type(.unauthorized), evidence: .acrHost, producer: .acrDiagnostics),
            Rule(
                "diagnostic-csv-403", anchor: ",403,", all: [".azurecr."], any: Rule.diagnosticOperations,
                .type(.accessDenied), evidence: .acrHost, producer: .acrDiagnostics),

            // Lines that belong to a cascade without naming its type.
            Rule("aad-tokens", anchor: "Unable to get AAD authorization tokens", .neutral, evidence: .acrByNature),
            Rule(
                "authenticate-summary", anchor: "Unable to authenticate using AAD or admin login credentials", .neutral,
                evidence: .acrByNature, joins: true),
            Rule("health-reference", anchor: "aka.ms/acr/errors", .neutral, evidence: .acrByNature, joinReach: 2),
        ]

    /// Rules for an HTTP status stated as a number in the forms clients print it: `status code 401`,
    /// `status: 401`, `StatusCode=401`, `HTTP 401`, `HTTP status 401`, `Status: 401 (…)`. The
    /// registry-evidence rule is that of the other registry-protocol errors (ACR or its context).
    /// A line that calls the status a challenge (`curl https://X.azurecr.io/v2/ -> HTTP 401 (login
    /// endpoint reachable, auth challenge)`, `HTTP 401 (auth challenge = working)`) reports an
    /// unauthenticated probe answered with the registry's normal bearer challenge: no failure
    /// (`challengeWords`; round 21, matcher 27).
    static func statusForms(_ status: Int, _ type: ErrorType) -> [Rule] {
        [
            "status code \(status)", "status code: \(status)", "status: \(status)", "status \(status)",
            "statuscode=\(status)",
            "statuscode: \(status)", "http \(status)", "http status \(status)", "http status: \(status)",
            "http error \(status)",
            "response status code \(status)", "error \(status):", "returned \(status)", "received \(status)",
            "received unexpected HTTP status: \(status)",
        ]
        .map {
            Rule(
                "status-\(status)", anchor: $0, topic: registryTopics,
                none: ["Response code: ", "anonymous token"] + challengeWords, .type(type))
        }
    }

    /// Words that call a status stated as a number the registry's challenge, not a refusal: a probe's
    /// or a runbook's note that an unauthenticated request was answered as expected. No client's
    /// refusal of a pull, push or login says it; debug traces' `Www-Authenticate` challenge headers
    /// are vetoed on their own (`vetoes`).
    static let challengeWords = ["auth challenge", "authentication challenge", "bearer challenge", "Bearer challenge"]
    /// `challengeWords` as bytes, made once (the wrapped-line join searches them).
    static let challengeNeedles = challengeWords.map { Array($0.utf8) }

    /// An HTTP status as a number of its own in a token step's words: after `: ` or a space, and
    /// followed by a space, a status text or the end of a quoted message; never three digits inside
    /// a longer number (`.740312403Z`, `app-8443cba15a-40394`).
    static func statusNumber(_ status: Int) -> [String] {
        let text = status == 401 ? "Unauthorized" : "Forbidden"
        return [
            ": \(status) ", ": \(status)\"", ": \(status)\\", " \(status) ", " \(status),", "\(status) \(text)",
            "\(status) \(text.lowercased())",
        ]
    }

    /// What the 403 rules do not count: the Kubernetes API's RBAC refusal (`pods is forbidden: User …`),
    /// `az acr check-health`'s connectivity code, and the token exchange's refusal (`exchange API
    /// response code: 403`), which counts as identity-permission by a rule of its own.
    static let forbiddenVetoes = ["is forbidden: User", "CONNECTIVITY_FORBIDDEN_ERROR", "exchange API"]

    /// PSResourceGet's words for its `ContainerRegistry` repository kind, its ACR client
    /// (`ContainerRegistryServerAPICalls.cs`): `… to ContainerRegistry: …`, `… request to Container
    /// Registry server with: …`.
    static let psResourceGetRegistry = ["ContainerRegistry: ", "request to Container Registry server"]

    /// External Secrets' ACRAccessToken generator's words for its two token steps refused
    /// (`fetchACRRefreshToken`, `fetchACRAccessToken`): `count not` (sic, up to 0.9) and `could not`.
    static let esoACRTokenSteps = [
        "generate refresh token, unexpected status code", "generate access token, unexpected status code",
    ]

    /// The generator's token steps refused with `status` (both of its status forms), identity-permission.
    static func esoACRTokenStepRules(_ status: Int) -> [Rule] {
        ["status code \(status)", "status code: \(status)"].map {
            Rule(
                "eso-acr-token-step-\(status)", anchor: $0, any: esoACRTokenSteps, .type(.identityPermission),
                evidence: .acrByNature)
        }
    }

    /// Words that say a line is about a registry operation (a push, a pull, a login, a manifest, a
    /// chart or module artifact) and not an application's call to its own API.
    public static let registryTopics: [String] = [
        "push", "Push", "pull", "Pull", "image", "Image", "registry", "Registry", "repository", "Repository",
        "manifest",
        "blob", "login", "Login", "/v2/", "oci://", "br:", "artifact", "chart", "tags", "error parsing HTTP", "azurecr",
    ]

    /// Lines that are never failures, whatever rule they match (the look-alikes of docs/counting-rules.md), or that
    /// only repeat a failure printed before (kubelet's back-off). Other loggers' repeats of the same
    /// failure in the same second are merged by the scanner instead (`PendingFailure.echoDistance`).
    public static let vetoes: [String] = [
        "toomanyrequests", "TOOMANYREQUESTS", "manifest unknown", "MANIFEST_UNKNOWN", "no such host",
        "i/o timeout", "TLS handshake timeout", "x509:", "level=debug", "DEBU[", "Www-Authenticate",
        "WWW-Authenticate", "< HTTP/", "\\u003c HTTP/", "Back-off pulling image", "Login Succeeded",
        // `az acr import` relays the SOURCE registry's answer (Docker Hub's 401) in these words.
        "Invalid message Unauthorized",
        // .NET Azure.Core's HTTP log of every response over 399 (`Error response [REQUEST-ID] 401
        // Unauthorized (00.9s)`, through AzureEventSourceListener, bicep's `--verbose` trace): the 401 is
        // the registry's bearer challenge that the SDK answers with a token; a refusal after it comes
        // back as the SDK's exception, which counts (round 14, matcher 16).
        "Error response [",
        // Prose that quotes an error as inline code (`If you see \`unauthorized: authentication
        // required\`, run …`, a README or a runbook printed into the log): the words are a quotation,
        // not a failure (third fleet check, matcher 21).
        "`unauthorized", "`UNAUTHORIZED", "`denied:", "`insufficient_scope", "`401 Unauthorized", "`403 Forbidden",
        "`Error response from daemon", "`failed to fetch", "`pull access denied", "`Cannot access ACR",
    ]

    /// Failures other than authentication in words no veto covers, dismissed as unknown shapes only
    /// (no rule's verdict reads them): a pull of a tag or repository that does not exist, SPEC's
    /// `manifest unknown` as containerd says it (`failed to resolve reference "X": X: not found`,
    /// gRPC's `code = NotFound`) and as ACR names a missing repository (`NAME_UNKNOWN`, Docker's
    /// `name unknown: repository name not known to registry`). A mistyped tag was the commonest
    /// unknown shape of a fleet that pulls from ACR (1,140 candidates in one benchmark host's log,
    /// one template), the noise `acrscan unknowns` is read to see past. Compared ignoring case.
    public static let otherFailures: [String] = [": not found", "code = NotFound", "NAME_UNKNOWN", "name unknown:"]

    /// Longer texts that start with a veto and are not the look-alike it stands for: the ACR
    /// credential provider prefixes its token-exchange errors with `Www-Authenticate:` (matcher 7).
    public static let vetoExceptions: [String] = ["Www-Authenticate: auth url "]

    /// Vetoes that stand for a repeat only when nothing before them on the line reports the failure
    /// itself: Azure Container Instances' status message joins the pull's events on one line
    /// (`…;Failed to pull image "X": … unauthorized: …;Back-off pulling image "X"`), where the back-off
    /// is a later event and the failure before it is real; kubelet's own back-off lines (`Back-off
    /// pulling image "X": ErrImagePull: …`) quote the error after it and stay vetoed (matcher version 10).
    public static let vetoesUnlessPreceded: [(veto: String, unlessBefore: String)] = [
        (veto: "Back-off pulling image", unlessBefore: "Failed to pull image")
    ]

    /// Vetoes that stand for another registry's answer only when nothing after them on the line is
    /// ACR's own: `az acr import` relays its source registry's refusal (`Invalid message Unauthorized
    /// Unauthorized {body}`), which is Docker Hub's or another registry's unless the relayed body carries
    /// ACR's link; then the source was an ACR that refused the import's credential (a login server in
    /// `--source` without `--registry`, so no Entra identity is used: azure-cli#15089), and the failure
    /// is that registry's (round 13).
    public static let vetoesUnlessFollowed: [(veto: String, unlessAfter: String)] = [
        (veto: "Invalid message Unauthorized", unlessAfter: "aka.ms/acr/")
    ]

    /// Line starts that are never failures, whatever status they show: a raw HTTP response line
    /// (`curl -i`, `wget -S`), the registry's normal bearer challenge on its own; and the response
    /// side of a client's HTTP trace, `< ` (`curl -v`'s `< HTTP/1.1 401`, the `--debug` dumps of the
    /// Go registry clients: ORAS's `< Response Status: "401 Unauthorized"`) — matcher version 5.
    /// The line's message is read after any producer's wrapper (`Matcher.startsMessage`); the trace's
    /// `<` JSON-escaped by Docker's json-file driver (`\u003c `) is the same (wrappers check, matcher 10).
    public static let lineStartVetoes: [String] = ["HTTP/1.1 ", "HTTP/1.0 ", "HTTP/2 ", "< ", "\\u003c "]

    /// Literals that mark lines worth reading for the registry context or the producer, though
    /// they hold no failure: login servers, `az acr` commands, ARM ids, logins to other registries.
    /// ACR's diagnostic-log operations as whole CSV fields (`ContainerRegistryLoginEvents`'s `Login`,
    /// `ContainerRegistryRepositoryEvents`' `Pull` and `Push`).
    static let diagnosticOperations = [",Login,", ",Pull,", ",Push,"]

    public static let contextAnchors: [String] = [
        "azurecr", "az acr ", "/registries/", " login ", "azure/login", "push refers to", "docker push", "docker pull",
        "aka.ms/acr", "command_modules.acr", "Azure Container Registry",
        "podman push", "podman pull", "helm push", "helm pull", "oras push", "oras pull",
        "credentials for container registry", "ContainerRegistry/registries'",
        // Azure ML's `Authentication failed for container registry NAME` (matcher 12).
        "failed for container registry",
        // `az aks create|update --attach-acr NAME`, `--detach-acr NAME`, `az aks check-acr --acr NAME`.
        "attach-acr", "detach-acr", "check-acr",
        // PowerShell's Az.ContainerRegistry (`Connect-AzContainerRegistry -Name NAME`,
        // `Get-AzContainerRegistryTag -RegistryName NAME …`): matcher 11.
        "-AzContainerRegistry",
        // A `curl` command to another service: what fails after it is not the registry's (matcher 14).
        "curl ",
    ]

    /// The Azure SDKs' generic status sentence: autorest's `Operation returned an invalid status code
    /// 'Unauthorized'` (C#, and PowerShell's Az modules through it) and azure-core's `Operation returned
    /// an invalid status 'Unauthorized'` (Python). Any Azure service says it; it is ACR's only where
    /// the line names ACR's client (Az.ContainerRegistry's cmdlet before the message, its
    /// `AcrErrorsException`, an SDK's registry client), so the rule needs that name on the line and
    /// counts with the registry from the command (matcher 11). Windows PowerShell's error record then
    /// echoes the command (`At line:1 char:1`, `+ Get-AzContainerRegistryTag -RegistryName NAME …`):
    /// the echo continues the failure and names its registry.
    static let sdkStatusSentences: [Rule] = {
        let clients = ["-AzContainerRegistry", "AcrErrorsException", "ContainerRegistryClient"]
        return [
            Rule(
                "sdk-status-401", anchor: "invalid status code 'Unauthorized'", any: clients, .type(.unauthorized),
                evidence: .acrOnLine),
            Rule(
                "sdk-status-401-core", anchor: "invalid status 'Unauthorized'", any: clients, .type(.unauthorized),
                evidence: .acrOnLine),
            Rule(
                "sdk-status-403", anchor: "invalid status code 'Forbidden'", any: clients, .type(.accessDenied),
                evidence: .acrOnLine),
            Rule(
                "sdk-status-403-core", anchor: "invalid status 'Forbidden'", any: clients, .type(.accessDenied),
                evidence: .acrOnLine),
            Rule(
                "powershell-acr-echo", anchor: "-AzContainerRegistry", all: ["+ "], .neutral, joinReach: 2,
                opens: false),
        ]
    }()

    /// Python tracebacks of the Azure SDK for Python and the Azure CLI (matcher 12): CPython prints the
    /// frames first (`Traceback (most recent call last):`, `  File "…/azure/containerregistry/…", line N,
    /// in F`) and the exception last, and azure-core's exception names no registry and no client
    /// (`azure.core.exceptions.ClientAuthenticationError: Operation returned an invalid status
    /// 'Unauthorized'`, from `map_error` and `HttpResponseError.__init__`). The exception counts once,
    /// typed from its words (azure-identity's `… failed to retrieve a token …` under the registry client's
    /// token exchange is aad-credential), when the traceback before it has an ACR client's frame
    /// (`Rule.Evidence.acrTraceback`); its registry is the context's (the endpoint or command printed
    /// before). The same exception under another SDK's frames (Key Vault, Storage) is not ACR's.
    /// `HttpResponseError` is anchored with its module (`exceptions.`), as CPython prints a traceback's
    /// exception: alone, the prefilter's fingerprint for it fell on `rror`, which it shares with other
    /// literals and which most log lines hold (the prefilter 9% slower on the benchmark corpus).
    static let pythonTracebacks: [Rule] = [
        Rule(
            "python-traceback-head", anchor: "Traceback (most recent call last)", .neutral, evidence: .acrTraceback,
            opens: false),
        Rule(
            "python-client-auth-error", anchor: "ClientAuthenticationError: ", .type(.unauthorized),
            evidence: .acrTraceback),
        Rule(
            "python-client-auth-error-credential", anchor: "ClientAuthenticationError: ",
            any: ["failed to retrieve a token", "authentication unavailable", "AADSTS", "Credential."],
            .type(.aadCredential), evidence: .acrTraceback),
        Rule(
            "python-http-error-401", anchor: "exceptions.HttpResponseError: ",
            any: ["status 'Unauthorized'", "(Unauthorized)", "(UNAUTHORIZED)", "401"], .type(.unauthorized),
            evidence: .acrTraceback),
        Rule(
            "python-http-error-403", anchor: "exceptions.HttpResponseError: ",
            any: ["status 'Forbidden'", "(Forbidden)", "(DENIED)", "403"], .type(.accessDenied),
            evidence: .acrTraceback),
    ]

    /// Prefilter literals that stand for a shorter anchor. The prefilter skips ahead by up to its
    /// shortest literal's length, so six-byte anchors are lengthened where the text allows it:
    /// an AADSTS code always continues with a digit (never 0).
    public static let prefilterExpansions: [String: [String]] = [
        "AADSTS": (1...9).map { "AADSTS\($0)" }
    ]

    /// Markers that only Azure Pipelines prints: they tell its line prefix from GitHub Actions'.
    public static let pipelineMarkers: [String] = ["##[section]", "##[command]"]
}
