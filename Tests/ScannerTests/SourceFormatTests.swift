import LogModel
import LogScanner
import Testing

/// The auth-failure message formats of the tools that talk to ACR, taken from their sources (the
/// format strings and how each caller wraps them: docs/accuracy.md, "Source-derived check"), filled
/// with realistic values and printed through the producers that carry them into logs. Each format
/// must count once with its type and registry in every wrapper; each look-alike (the same format for
/// another registry, a missing image, a timeout, TLS, a success) must not count at all.
@Suite struct SourceFormatTests {
    /// A format as its tool prints it. `before` holds the lines a real log has before it (the command
    /// that names the registry) for formats that name no host.
    struct Format: Sendable, CustomStringConvertible {
        let source: String
        let lines: [String]
        let type: ErrorType
        var registry: String? = "myacr"
        var before: [String] = []
        var description: String { source }
    }

    /// Escapes a message as logrus and klog's structured `key="value"` pairs quote it.
    static func quoted(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    /// The same message as different producers print it.
    static let wrappers: [(name: String, wrap: @Sendable (String) -> String)] = [
        ("plain", { $0 }),
        ("github-actions", { "2026-11-20T03:14:15.1234567Z " + $0 }),
        ("azure-pipelines", { "2026-11-20T03:14:15.1234567Z ##[error]" + $0 }),
        ("klog", { "E1120 03:14:15.123456    2211 kuberuntime_image.go:53] " + $0 }),
        (
            "klog-structured",
            { "E1120 03:14:15.123456    2211 log.go:32] \"Failed to pull image\" err=\"" + quoted($0) + "\"" }
        ),
        ("kubectl-events", { "  Warning  Failed     2m10s (x4 over 3m40s)  kubelet            " + $0 }),
        ("logrus", { "time=\"2026-11-20T03:14:15.118427693Z\" level=error msg=\"" + quoted($0) + "\"" }),
        ("journald", { "Nov 20 03:14:15 aks-nodepool1-31718369-vmss000000 containerd[1187]: " + $0 }),
    ]

    static let image = "myacr.azurecr.io/team/web:1.4.2"
    static let tokenQuery = "scope=repository%3Ateam%2Fweb%3Apull&service=myacr.azurecr.io"
    static let correlation = "5f2c9a0e-8d1b-4c6e-9a77-1b2f3c4d5e6f"

    /// The formats: Azure CLI (`acr/_errors.py`, `_docker_utils.py`), the Docker daemon and client
    /// (moby `registry`, `distribution`), containerd (`remotes/docker`: `authorizer.go`,
    /// `resolver.go`, `remotes/errors`), kubelet around the CRI's error, BuildKit, helm, ORAS and
    /// notation (oras-go's `errcode`), the Azure SDKs, AKS `check-acr` (aks-canipull) and
    /// Kubernetes' ACR credential provider (cloud-provider-azure `pkg/credentialprovider`).
    static let formats: [Format] = [
        // Azure CLI: `CONNECTIVITY_*` through `ErrorClass.get_error_message` (`An error occurred: T\nM`).
        Format(
            source: "az: CONNECTIVITY_REFRESH_TOKEN_ERROR 401",
            lines: [
                "WARNING: Unable to get AAD authorization tokens with message: 2026-11-20 03:14:15.806011 An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR",
                "Access to registry 'myacr.azurecr.io' was denied. Response code: 401. Please try running 'az login' again to refresh permissions.",
            ], type: .identityPermission),
        Format(
            source: "az: CONNECTIVITY_ACCESS_TOKEN_ERROR 403",
            lines: [
                "ERROR: 2026-11-20 03:14:15.806011 An error occurred: CONNECTIVITY_ACCESS_TOKEN_ERROR",
                "Access to registry 'myacr.azurecr.io' was denied. Response code: 403. Please try running 'az login' again to refresh permissions.",
            ], type: .identityPermission),
        Format(
            source: "az: CONNECTIVITY_FORBIDDEN_ERROR (check-health)",
            lines: [
                "An error occurred: CONNECTIVITY_FORBIDDEN_ERROR",
                "Looks like you don't have access to registry 'myacr.azurecr.io'. To see configured firewall rules, run 'az acr show --query networkRuleSet --name myacr'. Details: https://learn.microsoft.com/azure/container-registry/container-registry-health-error-reference#connectivity_forbidden_error",
            ], type: .ipNotAllowed),
        Format(
            source: "az acr login: 403 on /v2/ (firewall)",
            lines: [
                "ERROR: Looks like you don't have access to registry 'myacr.azurecr.io'. To see configured firewall rules, run 'az acr show --query networkRuleSet --name myacr'. Please refer to https://aka.ms/acr/errors#connectivity_forbidden_error for more information."
            ], type: .ipNotAllowed),
        Format(
            source: "az: CONNECTIVITY_AAD_LOGIN_ERROR",
            lines: [
                "An error occurred: CONNECTIVITY_AAD_LOGIN_ERROR",
                "Registry 'myacr.azurecr.io' does not support AAD login.",
            ], type: .identityPermission),
        Format(
            source: "az: DOCKER_COMMAND_ERROR",
            lines: [
                "An error occurred: DOCKER_COMMAND_ERROR",
                "Please verify if Docker client is installed and running.",
            ], type: .dockerCommandError, before: ["az acr login -n myacr"]),
        Format(
            source: "az: DOCKER_DAEMON_ERROR",
            lines: [
                "An error occurred: DOCKER_DAEMON_ERROR",
                "Please verify if Docker daemon is running, or try restarting it.",
            ], type: .dockerCommandError, before: ["az acr check-health -n myacr --yes"]),
        // `az acr login` relays `docker login`'s stderr as a warning, then `Login failed.`; `docker ps`'s
        // stderr follows DOCKER_COMMAND_ERROR (`get_docker_command`).
        Format(
            source: "az acr login: docker login's stderr, then Login failed",
            lines: [
                "WARNING: Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: aad access token with sp failed client id must be guid",
                "ERROR: Login failed.",
            ], type: .aadCredential, before: ["az acr login -n myacr"]),
        Format(
            source: "az acr login: DOCKER_COMMAND_ERROR with docker ps's stderr",
            lines: [
                "ERROR: 2026-11-20 03:14:15.806011 An error occurred: DOCKER_COMMAND_ERROR",
                "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
            ], type: .dockerCommandError, before: ["az acr login -n myacr"]),
        Format(
            source: "az acr login: admin user disabled",
            lines: [
                "WARNING: Unable to get admin user credentials with message: Admin user is disabled."
            ], type: .identityPermission, before: ["az acr login -n myacr"]),
        Format(
            source: "az acr repository: parse_error_message 401 with server message",
            lines: [
                "ERROR: Error: authentication required, visit https://aka.ms/acr/authorization for more information. Correlation ID: \(correlation)."
            ], type: .unauthorized, before: ["az acr repository show-tags -n myacr --repository team/web"]),
        Format(
            source: "az acr repository: parse_error_message 401 without body",
            lines: [
                "ERROR: Authentication required. Correlation ID: \(correlation)."
            ], type: .unauthorized, before: ["az acr manifest list-metadata -r myacr -n team/web"]),

        // moby: the daemon relays the registry's error code (`errcode.Error`: `code: message`).
        Format(
            source: "dockerd: Get /v2/ unauthorized (quoted URL)",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        Format(
            source: "dockerd: Get unauthorized (old, unquoted URL)",
            lines: [
                "Error response from daemon: Get https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: unauthorized: authentication required"
            ], type: .unauthorized),
        Format(
            source: "dockerd: Head manifest unauthorized",
            lines: [
                "Error response from daemon: Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        Format(
            source: "dockerd: login attempt failed with status",
            lines: [
                "Error response from daemon: login attempt to https://myacr.azurecr.io/v2/ failed with status: 401 Unauthorized"
            ], type: .unauthorized),
        Format(
            source: "dockerd: pull access denied for",
            lines: [
                "Error response from daemon: pull access denied for myacr.azurecr.io/team/web, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"
            ], type: .accessDenied),
        // Docker Engine with the containerd image store (moby `daemon/containerd`): the registry's
        // body relayed as `error from registry: MESSAGE`, and containerd's authorization failure
        // as `pull access denied for NAME, …` without the classic store's `denied:` tail.
        Format(
            source: "dockerd (containerd store): error from registry, after a pull",
            lines: [
                "Error response from daemon: error from registry: authentication required, visit https://aka.ms/acr/authorization for more information. CorrelationId: 9d3c1f7a-2b6e-4e0d-8c55-7a1b2c3d4e5f"
            ], type: .unauthorized, before: ["docker pull \(image)"]),
        Format(
            source: "dockerd (containerd store): error from registry, after a push",
            lines: [
                "error from registry: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized, before: ["The push refers to repository [myacr.azurecr.io/team/web]"]),
        Format(
            source: "dockerd (containerd store): error from registry, denied",
            lines: [
                "Error response from daemon: error from registry: requested access to the resource is denied"
            ], type: .accessDenied, before: ["docker push \(image)"]),
        Format(
            source: "dockerd (containerd store): pull access denied for, no tail",
            lines: [
                "Error response from daemon: pull access denied for myacr.azurecr.io/team/web, repository does not exist or may require 'docker login'"
            ], type: .accessDenied),
        Format(
            source: "dockerd: firewall denied",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": denied: client with IP '203.0.113.17' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
            ], type: .ipNotAllowed),
        Format(
            source: "dockerd: service principal not registered",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: Application not registered with AAD."
            ], type: .aadCredential),
        Format(
            source: "dockerd: error parsing HTTP 401 response body",
            lines: [
                "Error response from daemon: Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": error parsing HTTP 401 response body: unexpected end of JSON input: \"\""
            ], type: .unauthorized),
        Format(
            source: "docker push: unauthorized (no host on the line)",
            lines: [
                "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized, before: ["The push refers to repository [myacr.azurecr.io/team/web]"]),
        Format(
            source: "docker push: denied (no host on the line)",
            lines: [
                "denied: requested access to the resource is denied"
            ], type: .accessDenied, before: ["The push refers to repository [myacr.azurecr.io/team/web]"]),
        Format(
            source: "dockerd: Head no basic auth credentials",
            lines: [
                "Error response from daemon: Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": no basic auth credentials"
            ], type: .unauthorized),

        // containerd remotes/docker: `failed to authorize: %w`, `failed to fetch oauth token: %w`,
        // `failed to fetch anonymous token: %w`, `unexpected status from %s request to %s: %s`.
        Format(
            source: "containerd: failed to fetch oauth token 401",
            lines: [
                "failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://myacr.azurecr.io/oauth2/token: 401 Unauthorized"
            ], type: .unauthorized),
        Format(
            source: "containerd: failed to fetch anonymous token 401",
            lines: [
                "failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://myacr.azurecr.io/oauth2/token?\(tokenQuery): 401 Unauthorized"
            ], type: .anonymousPull),
        Format(
            source: "containerd (old): failed to fetch anonymous token: unexpected status",
            lines: [
                "failed to resolve reference \"\(image)\": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"
            ], type: .anonymousPull),
        Format(
            source: "containerd: pull access denied, insufficient_scope",
            lines: [
                "failed to resolve reference \"\(image)\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
            ], type: .accessDenied),
        Format(
            source: "containerd: server message invalid_token",
            lines: [
                "failed to resolve reference \"\(image)\": pull access denied, repository does not exist or may require authorization: server message: invalid_token: authorization failed"
            ], type: .unauthorized),
        Format(
            source: "containerd: HEAD manifest 401",
            lines: [
                "failed to resolve reference \"\(image)\": unexpected status from HEAD request to https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: 401 Unauthorized"
            ], type: .unauthorized),
        Format(
            source: "containerd: HEAD manifest 403",
            lines: [
                "failed to resolve reference \"\(image)\": unexpected status from HEAD request to https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: 403 Forbidden"
            ], type: .accessDenied),
        Format(
            source: "containerd: no basic auth credentials",
            lines: [
                "failed to resolve reference \"\(image)\": failed to authorize: authorization failed: no basic auth credentials"
            ], type: .unauthorized),
        Format(
            source: "containerd: oauth token 403",
            lines: [
                "failed to resolve reference \"\(image)\": failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://myacr.azurecr.io/oauth2/token: 403 Forbidden"
            ], type: .accessDenied),

        // kubelet around the CRI's error.
        Format(
            source: "kubelet: Failed to pull image, rpc error, anonymous token",
            lines: [
                "Failed to pull image \"\(image)\": rpc error: code = Unknown desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://myacr.azurecr.io/oauth2/token?\(tokenQuery): 401 Unauthorized"
            ], type: .anonymousPull),
        Format(
            source: "kubelet: Failed to pull image, dockershim",
            lines: [
                "Failed to pull image \"\(image)\": rpc error: code = Unknown desc = Error response from daemon: Get https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: unauthorized: authentication required"
            ], type: .unauthorized),
        Format(
            source: "kubelet: Error syncing pod, ErrImagePull",
            lines: [
                "Error syncing pod, skipping: failed to \"StartContainer\" for \"web\" with ErrImagePull: \"rpc error: code = Unknown desc = failed to pull and unpack image \\\"\(image)\\\": failed to resolve reference \\\"\(image)\\\": failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://myacr.azurecr.io/oauth2/token: 401 Unauthorized\""
            ], type: .unauthorized),

        // BuildKit and buildx.
        Format(
            source: "buildkit: failed to push, unexpected status 401",
            lines: [
                "ERROR: failed to solve: failed to push \(image): unexpected status from PUT request to https://myacr.azurecr.io/v2/team/web/blobs/uploads/3f1c2a9e-77aa-4f0b-9d2e-0c1f5b6a7d88?_nouploadcache=false: 401 Unauthorized"
            ], type: .unauthorized),
        Format(
            source: "buildkit: failed to resolve source metadata, oauth token",
            lines: [
                "ERROR: failed to solve: myacr.azurecr.io/team/base:22.04: failed to resolve source metadata for myacr.azurecr.io/team/base:22.04: failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://myacr.azurecr.io/oauth2/token: 401 Unauthorized"
            ], type: .unauthorized),
        Format(
            source: "buildkit: failed to push, insufficient_scope",
            lines: [
                "ERROR: failed to solve: failed to push \(image): server message: insufficient_scope: authorization failed"
            ], type: .accessDenied),
        Format(
            source: "buildkit: httpReadSeeker unexpected status code",
            lines: [
                "ERROR: failed to solve: failed to copy: httpReadSeeker: failed open: unexpected status code https://myacr.azurecr.io/v2/team/base/blobs/sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1: 401 Unauthorized"
            ], type: .unauthorized),

        // BuildKit's authorizer with `errutil.WithDetails`: the token service's body in place of the status.
        Format(
            source: "buildkit: failed to fetch oauth token with details",
            lines: [
                "ERROR: failed to solve: myacr.azurecr.io/team/base:22.04: failed to resolve source metadata for myacr.azurecr.io/team/base:22.04: failed to authorize: failed to fetch oauth token: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        Format(
            source: "buildkit: failed to fetch anonymous token with details",
            lines: [
                "ERROR: failed to solve: myacr.azurecr.io/team/base:22.04: failed to resolve source metadata for myacr.azurecr.io/team/base:22.04: failed to authorize: failed to fetch anonymous token: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .anonymousPull),
        Format(
            source: "buildkit: verbose unexpected status with a details body",
            lines: [
                "#5 ERROR: failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://myacr.azurecr.io/oauth2/token: 401 Unauthorized: invalid grant: the refresh token is expired"
            ], type: .unauthorized),
        // helm 3.17+ and helm 4 log in through oras-go v2 (`authenticating to %q: %w`); oras-go's
        // `errcode` prints the code lowercased (`unauthorized: MESSAGE: DETAIL`).
        Format(
            source: "helm (oras-go v2): authenticating to",
            lines: [
                "Error: authenticating to \"myacr.azurecr.io\": GET \"https://myacr.azurecr.io/oauth2/token?scope=registry%3Acatalog%3A%2A&service=myacr.azurecr.io\": response status code 401: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        Format(
            source: "oras-go v2: unauthorized with detail",
            lines: [
                "Error: failed to resolve v1: GET \"https://myacr.azurecr.io/v2/team/artifact/manifests/v1\": response status code 401: unauthorized: authentication required: [map[Action:pull Name:team/artifact Type:repository]]"
            ], type: .unauthorized),
        Format(
            source: "oras-go v2: 403 firewall",
            lines: [
                "Error: HEAD \"https://myacr.azurecr.io/v2/team/artifact/manifests/v1\": response status code 403: denied: client with IP '203.0.113.17' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
            ], type: .ipNotAllowed),
        Format(
            source: "oras-go v2: token endpoint, code without message",
            lines: [
                "Error: POST \"https://myacr.azurecr.io/oauth2/token\": response status code 401: unauthorized"
            ], type: .unauthorized),
        // helm (containerd resolver through ORAS v1; oras-go v2 from helm 3.17), ORAS, notation.
        Format(
            source: "helm: login attempt failed",
            lines: [
                "Error: login attempt to https://myacr.azurecr.io/v2/ failed with status: 401 Unauthorized"
            ], type: .unauthorized),
        Format(
            source: "helm: pull access denied (no host on the line)",
            lines: [
                "Error: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
            ], type: .accessDenied, before: ["helm pull oci://myacr.azurecr.io/helm/web --version 1.4.2"]),
        Format(
            source: "oras-go v2: response status code 401 with body",
            lines: [
                "Error: GET \"https://myacr.azurecr.io/v2/team/artifact/tags/list\": response status code 401: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        Format(
            source: "oras-go v2: response status code 401 without body",
            lines: [
                "Error: HEAD \"https://myacr.azurecr.io/v2/team/web/manifests/v1\": response status code 401: Unauthorized"
            ], type: .unauthorized),
        Format(
            source: "oras-go v2: response status code 403 denied",
            lines: [
                "Error: PUT \"https://myacr.azurecr.io/v2/team/artifact/manifests/v1\": response status code 403: denied: requested access to the resource is denied"
            ], type: .accessDenied),
        Format(
            source: "oras CLI: Error response from registry (no host on the line)",
            lines: [
                "Error response from registry: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized, before: ["oras pull myacr.azurecr.io/team/artifact:v1"]),

        // The Azure SDKs' registry clients.
        Format(
            source: "azure-sdk-for-python: HttpResponseError (UNAUTHORIZED)",
            lines: [
                "azure.core.exceptions.ClientAuthenticationError: (UNAUTHORIZED) authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized,
            before: ["client = ContainerRegistryClient(\"https://myacr.azurecr.io\", credential)"]),

        // AKS check-acr (aks-canipull) and Container Apps: ACR's token exchange refused the identity.
        Format(
            source: "check-acr: rejected token exchange 401",
            lines: [
                "[2026-11-20T03:14:15Z] ACR myacr.azurecr.io rejected token exchange: ACR token exchange endpoint returned error status: 401. body: {\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required, visit https://aka.ms/acr/authorization for more information.\"}]}"
            ], type: .identityPermission),
        Format(
            source: "check-acr: rejected token exchange 403",
            lines: [
                "[2026-11-20T03:14:15Z] ACR myacr.azurecr.io rejected token exchange: ACR token exchange endpoint returned error status: 403. body: {\"errors\":[{\"code\":\"DENIED\",\"message\":\"retrieving permissions failed\"}]}"
            ], type: .identityPermission),
        Format(
            source: "container apps: token exchange endpoint (no host)",
            lines: [
                "Error: ACR token exchange endpoint returned error status: 401"
            ], type: .identityPermission,
            before: [
                "az containerapp create -n web -g rg --image myacr.azurecr.io/team/web:1.4.2 --registry-server myacr.azurecr.io --registry-identity system"
            ]),

        // Kubernetes' ACR credential provider: `performTokenExchange` refused.
        Format(
            source: "acr-credential-provider: failed to perform token exchange",
            lines: [
                "failed to perform token exchange: Www-Authenticate: auth url https://myacr.azurecr.io/oauth2/exchange responded with status code 401"
            ], type: .identityPermission),
        Format(
            source: "acr-credential-provider: error getting credentials from ACR, 403",
            lines: [
                "error getting credentials from ACR: Www-Authenticate: auth url https://myacr.azurecr.io/oauth2/exchange responded with status code 403"
            ], type: .identityPermission),

        // containers/image (podman, skopeo, buildah, CRI-O) and go-containerregistry (kaniko, crane, ko).
        Format(
            source: "containers/image: reading manifest unauthorized",
            lines: [
                "Error: initializing source docker://\(image): reading manifest 1.4.2 in myacr.azurecr.io/team/web: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        Format(
            source: "podman login: invalid username/password",
            lines: [
                "Error: logging into \"myacr.azurecr.io\": invalid username/password"
            ], type: .unauthorized),
        Format(
            source: "containers/image: initiating layer upload denied",
            lines: [
                "Error: writing blob: initiating layer upload to /v2/team/web/blobs/uploads/ in myacr.azurecr.io: denied: requested access to the resource is denied"
            ], type: .accessDenied),
        Format(
            source: "kaniko: checking push permissions, UNAUTHORIZED",
            lines: [
                "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for \"\(image)\": POST https://myacr.azurecr.io/v2/team/web/blobs/uploads/: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.; [map[Action:pull Class: Name:team/web Type:repository] map[Action:push Class: Name:team/web Type:repository]]"
            ], type: .unauthorized),
        Format(
            source: "go-containerregistry: unexpected status code 401 (HEAD)",
            lines: [
                "Error: HEAD https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: unexpected status code 401 Unauthorized (HEAD responses have no body, use GET for details)"
            ], type: .unauthorized),
        Format(
            source: "go-containerregistry: DENIED firewall",
            lines: [
                "Error: GET https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: DENIED: client with IP '203.0.113.17' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
            ], type: .ipNotAllowed),
        Format(
            source: "go-containerregistry: token endpoint UNAUTHORIZED",
            lines: [
                "Error: fetching manifest \(image): GET https://myacr.azurecr.io/oauth2/token?\(tokenQuery): UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        Format(
            source: "azure-sdk-for-java: ClientAuthenticationException Status code 401",
            lines: [
                "com.azure.core.exception.ClientAuthenticationException: Status code 401, \"{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required, visit https://aka.ms/acr/authorization for more information.\"}]}\""
            ], type: .unauthorized, before: ["endpoint: https://myacr.azurecr.io"]),
        Format(
            source: "az acr import: caller may not import (ARM AuthorizationFailed)",
            lines: [
                "ERROR: (AuthorizationFailed) The client 'ci@contoso.com' with object id '0c2d6a1e-3b4f-4d5e-8f9a-0b1c2d3e4f5a' does not have authorization to perform action 'Microsoft.ContainerRegistry/registries/importImage/action' over scope '/subscriptions/6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b/resourceGroups/rg-ci/providers/Microsoft.ContainerRegistry/registries/myacr' or the scope is invalid. If access was recently granted, please refresh your credentials."
            ], type: .identityPermission),
    ]

    /// The same formats where they must not count: another registry, a missing image, a timeout,
    /// TLS, a success, a gateway error, the registry's normal challenge.
    static let lookAlikes: [String] = [
        "Error response from daemon: Get \"https://registry-1.docker.io/v2/\": unauthorized: incorrect username or password",
        "Error response from daemon: pull access denied for team/web, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
        "Error response from daemon: Head \"https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/team/web/manifests/1.4.2\": no basic auth credentials",
        "Error response from daemon: Get \"https://gcr.io/v2/\": unauthorized: You don't have the needed permissions to perform this operation",
        "Error response from daemon: login attempt to https://ghcr.io/v2/ failed with status: 401 Unauthorized",
        "failed to pull and unpack image \"docker.io/library/redis:7\": failed to resolve reference \"docker.io/library/redis:7\": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://auth.docker.io/token?scope=repository%3Alibrary%2Fredis%3Apull&service=registry.docker.io: 401 Unauthorized",
        "failed to resolve reference \"ghcr.io/org/app:1\": failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://ghcr.io/token: 403 Forbidden",
        "failed to resolve reference \"harbor.example.com/team/web:1\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
        "Failed to pull image \"mcr.microsoft.com/dotnet/aspnet:8.0\": rpc error: code = NotFound desc = failed to pull and unpack image \"mcr.microsoft.com/dotnet/aspnet:8.0\": failed to resolve reference \"mcr.microsoft.com/dotnet/aspnet:8.0\": mcr.microsoft.com/dotnet/aspnet:8.0: not found",
        "failed to resolve reference \"\(image)\": \(image): not found",
        "Error response from daemon: manifest for \(image) not found: manifest unknown: manifest tagged by \"1.4.2\" is not found",
        "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)",
        "failed to authorize: failed to fetch oauth token: Post \"https://myacr.azurecr.io/oauth2/token\": dial tcp 20.49.102.151:443: i/o timeout",
        "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": x509: certificate signed by unknown authority",
        "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": toomanyrequests: too many requests, visit https://aka.ms/acr/throttling for more information.",
        "Successfully pulled image \"\(image)\" in 2.113s (2.113s including waiting)",
        "Login Succeeded",
        "Access to registry 'myacr.azurecr.io' was denied. Response code: 504. Please try running 'az login' again to refresh permissions.",
        "Failed to reach DNS for registry 'myacr.azurecr.io'. Please check if the spelling is correct, if the CLI environment is on correct cloud and your network connectivity.",
        "Registry 'myacr.azurecr.io' did not issue a challenge.",
        "Back-off pulling image \"\(image)\"",
        "Error: ErrImagePull",
        "Error: HEAD \"https://ghcr.io/v2/org/chart/manifests/1.0\": response status code 401: Unauthorized",
        "[2026-11-20T03:14:15Z] ACR myacr.azurecr.io rejected token exchange: ACR token exchange endpoint returned error status: 503. body: service unavailable",
        "failed to perform token exchange: Www-Authenticate: auth url https://myacr.azurecr.io/oauth2/exchange responded with status code 500",
        "failed to perform token exchange: Www-Authenticate: auth url https://harbor.example.com/oauth2/exchange responded with status code 401",
        "registry did not issue a valid AAD challenge, status: 404",
        "Error response from daemon: Head \"https://harbor.example.com/v2/team/web/manifests/1\": no basic auth credentials",
        // The containerd store's relay after a pull from MCR or with no registry named; Docker Hub's name.
        "Error response from daemon: pull access denied for team/web, repository does not exist or may require 'docker login'",
        // A Basic challenge's words with no ACR host written out: ECR behind a masked host, a push after an ACR login.
        "Error response from daemon: Head \"https://***/v2/***/manifests/55\": no basic auth credentials",
        "Error: initializing source docker://quay.io/org/app:1: reading manifest 1 in quay.io/org/app: unauthorized: access to the requested resource is not authorized",
        "Error: HEAD https://us-docker.pkg.dev/v2/proj/repo/app/manifests/1: unexpected status code 401 Unauthorized (HEAD responses have no body, use GET for details)",
        "failed to resolve reference \"ghcr.io/org/app:1\": pull access denied, repository does not exist or may require authorization: server message: invalid_token: authorization failed",
        "ERROR: (AuthorizationFailed) The client 'ci@contoso.com' with object id '0c2d6a1e-3b4f-4d5e-8f9a-0b1c2d3e4f5a' does not have authorization to perform action 'Microsoft.KeyVault/vaults/read' over scope '/subscriptions/6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b/resourceGroups/rg-ci/providers/Microsoft.KeyVault/vaults/kv1'.",
    ]

    @Test("each source format counts once with its type and registry, in every wrapper", arguments: 0..<formats.count)
    func format(_ index: Int) {
        Self.expectCountedOnce(Self.formats[index])
    }

    /// `format` counts once, with its type and registry, in every wrapper.
    static func expectCountedOnce(_ format: Format) {
        for wrapper in wrappers {
            let found = Support.scan(lines: format.before + format.lines.map(wrapper.wrap))
            #expect(found.map(\.type) == [format.type], "\(format.source) [\(wrapper.name)]: \(found.map(\.excerpt))")
            #expect(found.first?.registry == format.registry, "\(format.source) [\(wrapper.name)]")
        }
    }

    /// `lines` (a look-alike: one line, or a frame of several) count nothing in any wrapper.
    static func expectNotCounted(_ lines: [String]) {
        for wrapper in wrappers {
            let found = Support.scan(lines: lines.map(wrapper.wrap))
            #expect(found.isEmpty, "[\(wrapper.name)] \(lines): \(found.map { "\($0.type) \($0.excerpt)" })")
        }
    }

    @Test("each look-alike of a source format is not counted, in every wrapper", arguments: 0..<lookAlikes.count)
    func lookAlike(_ index: Int) {
        Self.expectNotCounted([Self.lookAlikes[index]])
    }

    @Test("Docker's 'error from registry' relay of ACR's body counts after an ACR pull, not after an MCR pull or alone")
    func registryRelay() {
        let relay =
            "Error response from daemon: error from registry: authentication required, visit https://aka.ms/acr/authorization for more information. CorrelationId: 181aa587-a259-4f0d-addf-6a5d38db5732"
        for wrapper in Self.wrappers {
            #expect(
                Support.scan(lines: ["docker pull mcr.microsoft.com/dotnet/sdk:8.0", wrapper.wrap(relay)]).isEmpty,
                "\(wrapper.name)")
            #expect(Support.scan(lines: [wrapper.wrap(relay)]).isEmpty, "\(wrapper.name)")
            #expect(
                Support.scan(lines: ["docker pull \(Self.image)", wrapper.wrap(relay)]).map(\.registry) == ["myacr"],
                "\(wrapper.name)")
        }
    }

    @Test("a Basic challenge's 'no basic auth credentials' needs an ACR host written out, not a context or a mask")
    func basicChallengeNeedsHost() {
        for wrapper in Self.wrappers {
            let afterPush = Support.scan(lines: [
                "The push refers to repository [myacr.azurecr.io/team/web]", wrapper.wrap("no basic auth credentials"),
            ])
            #expect(afterPush.isEmpty, "\(wrapper.name)")
            let afterLogin = Support.scan(lines: [
                "az acr login -n myacr",
                wrapper.wrap(
                    "Error response from daemon: Head \"https://***/v2/***/manifests/55\": no basic auth credentials"),
            ])
            #expect(afterLogin.isEmpty, "\(wrapper.name)")
        }
    }

    @Test(
        "an az acr command's -r/--registry names the registry before its -n (a task, token or manifest), except in az acr import",
        arguments: [
            ("az acr task create -r myacr -n buildtask --context . --file Dockerfile", "myacr"),
            ("az acr token create --registry myacr --name citoken --scope-map _repositories_pull", "myacr"),
            ("az acr manifest list-metadata -r myacr -n team/web", "myacr"),
            ("az acr repository show-tags -n myacr --repository team/web", "myacr"),
            ("az acr import -n myacr --source team/web:1.4.2 -r srcacr01 -t team/web:1.4.2", "myacr"),
        ])
    func registryFlag(_ command: String, _ registry: String) {
        let found = Support.scan(lines: [
            command,
            "ERROR: Error: authentication required, visit https://aka.ms/acr/authorization for more information. Correlation ID: \(Self.correlation).",
        ])
        #expect(found.map(\.registry) == [registry], "\(command)")
    }
}
