import LogModel
import LogScanner
import Testing

/// The second source pass (docs/accuracy.md, "Source-derived check", second pass): auth-failure formats
/// of tools that the first pass did not read, taken from their current sources and filled with
/// realistic values, printed through the same eight producers' wrappers. Each comment names the file
/// and function the format comes from.
extension SourceFormatTests {
    static let digest = "sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1"
    static let separator = String(repeating: "-", count: 80)

    /// The Azure SDK for Go's `azcore.ResponseError` (`sdk/azcore/internal/exported/response_error.go`,
    /// `ResponseError.Error`): the request line, a rule, `RESPONSE %d: %s`, `ERROR CODE …`, the body
    /// pretty-printed by `json.Indent`, a closing rule. ACR's body has no top-level `code`, so the
    /// error code is `UNAVAILABLE`.
    static func goSDKFrame(_ request: String, status: String, code: String, message: String) -> [String] {
        [
            request, separator, "RESPONSE \(status)", "ERROR CODE UNAVAILABLE", separator, "{", "  \"errors\": [",
            "    {", "      \"code\": \"\(code)\",", "      \"message\": \"\(message)\"", "    }", "  ]", "}",
            separator,
        ]
    }

    static let toolFormats: [Format] = [
        // containers/image (podman, buildah, skopeo, CRI-O), docker/errors.go `ErrUnauthorizedForCredentials.Error`
        // (`unable to retrieve auth token: invalid username/password: %s`): the token request's 401
        // (docker_client.go `getBearerTokenOAuth2`/`getBearerToken` → `httpResponseToError`), under
        // copy/copy.go's `initializing source %s: %w`.
        Format(
            source: "containers/image: unable to retrieve auth token (podman pull)",
            lines: [
                "Error: initializing source docker://\(image): unable to retrieve auth token: invalid username/password: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        // containers/common pkg/auth/auth.go `Login` (`authenticating creds for %q: %w`) around
        // containers/image docker_client.go `detectPropertiesHelper` (`pinging container registry %s: %w`):
        // the firewall's 403 on `/v2/`.
        Format(
            source: "containers/common: authenticating creds, pinging container registry 403 firewall",
            lines: [
                "Error: authenticating creds for \"myacr.azurecr.io\": pinging container registry myacr.azurecr.io: denied: client with IP '203.0.113.17' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
            ], type: .ipNotAllowed),
        // containers/image copy/single.go `copyLayer` (`trying to reuse blob %s at destination: %w`) around
        // docker/docker_image_dest.go `blobExists` (`checking whether a blob %s exists in %s: %w`).
        Format(
            source: "containers/image: checking whether a blob exists, 401 (podman push)",
            lines: [
                "Error: trying to reuse blob \(digest) at destination: checking whether a blob \(digest) exists in myacr.azurecr.io/team/web: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        // containers/image docker/docker_image_dest.go `uploadManifest` (`uploading manifest %s to %s: %w`),
        // under copy's `writing manifest: %w`.
        Format(
            source: "containers/image: uploading manifest, denied (podman push)",
            lines: [
                "Error: writing manifest: uploading manifest 1.4.2 to myacr.azurecr.io/team/web: denied: requested access to the resource is denied"
            ], type: .accessDenied),
        // containers/image docker/errors.go `httpResponseToError(res, "Requesting bearer token")` with a
        // status other than 401/429: `%s: %w` around distribution_error.go `UnexpectedHTTPStatusError`
        // (`received unexpected HTTP status: %s`).
        Format(
            source: "containers/image: Requesting bearer token, 403",
            lines: [
                "Error: initializing source docker://\(image): Requesting bearer token: received unexpected HTTP status: 403 Forbidden"
            ], type: .accessDenied),
        // containers/image docker/docker_image_dest.go `PutBlobWithOptions` (`uploading layer to %s: %w`); a
        // 401 without a JSON body is distribution_error.go `handleErrorResponse`'s
        // `errcode.ErrorCodeUnauthorized.WithDetail` (`unauthorized: authentication required`).
        Format(
            source: "containers/image: uploading layer, 401 without a body",
            lines: [
                "Error: writing blob: uploading layer to https://myacr.azurecr.io/v2/team/web/blobs/uploads/3f1c2a9e-77aa-4f0b-9d2e-0c1f5b6a7d88?_nouploadcache=false&_state=aGVsbG8: unauthorized: authentication required"
            ], type: .unauthorized),
        // CRI-O internal/storage/image.go `pullImageImplementation` (`unable to pull image: %w`) as kubelet
        // shows it (`Failed to pull image %q: %v` around the CRI's rpc error).
        Format(
            source: "CRI-O via kubelet: unable to pull image, unable to retrieve auth token",
            lines: [
                "Failed to pull image \"\(image)\": rpc error: code = Unknown desc = unable to pull image: initializing source docker://\(image): unable to retrieve auth token: invalid username/password: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),

        // docker/cli cli/command/registry/login.go `loginWithStoredCredentials`: the stored (3-hour ACR)
        // token refused; `Authenticating with existing credentials... [Username: %s]` before it.
        Format(
            source: "docker login: Stored credentials invalid or expired",
            lines: ["Stored credentials invalid or expired"], type: .unauthorized,
            before: [
                "docker login myacr.azurecr.io",
                "Authenticating with existing credentials... [Username: 00000000-0000-0000-0000-000000000000]",
            ]),
        // docker/cli login.go `loginWithStoredCredentials`, any other error: `Login did not succeed, error:`.
        Format(
            source: "docker login: Login did not succeed, firewall",
            lines: [
                "Login did not succeed, error: Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": denied: client with IP '203.0.113.17' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
            ], type: .ipNotAllowed),
        // docker/docker-credential-helpers client/client.go `Get` (`error getting credentials - err: %v, out:
        // `%s``) relaying Azure/acr-docker-credential-helper acr_login.go `getRefreshToken`'s `Www-Authenticate:
        // auth url %s responded with status code %d`: the token exchange refused the signed-in identity.
        Format(
            source: "docker-credential-acr via docker: token exchange 401",
            lines: [
                "error getting credentials - err: exit status 1, out: `Www-Authenticate: auth url https://myacr.azurecr.io/oauth2/exchange responded with status code 401`"
            ], type: .identityPermission),

        // go-containerregistry cmd/crane/cmd/list.go (`reading tags for %s: %w`) around
        // pkg/v1/remote/transport/error.go `Error.Error` / `Diagnostic.String` (`$Code: $Message[; $Detail]`).
        Format(
            source: "crane ls: reading tags for, UNAUTHORIZED with detail",
            lines: [
                "Error: reading tags for myacr.azurecr.io/team/web: GET https://myacr.azurecr.io/v2/team/web/tags/list?n=1000: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.; [map[Action:pull Class: Name:team/web Type:repository]]"
            ], type: .unauthorized),
        // go-containerregistry transport/error.go `responseErr`: a HEAD has no body.
        Format(
            source: "go-containerregistry: unexpected status code 403 (HEAD)",
            lines: [
                "Error: HEAD https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: unexpected status code 403 Forbidden (HEAD responses have no body, use GET for details)"
            ], type: .accessDenied),

        // The Azure SDK for Go (azcontainerregistry, used by Flux's fluxcd/pkg auth/azure `provider.go`
        // `NewArtifactRegistryCredentials`): the token exchange refused, ARM tokens disabled on the registry.
        Format(
            source: "azure-sdk-for-go: ResponseError, exchange 401 arm aad token disallowed",
            lines: goSDKFrame(
                "POST https://myacr.azurecr.io/oauth2/exchange", status: "401: 401 Unauthorized", code: "UNAUTHORIZED",
                message: "arm aad token disallowed"), type: .identityPermission),
        Format(
            source: "azure-sdk-for-go: ResponseError, 403 firewall",
            lines: goSDKFrame(
                "GET https://myacr.azurecr.io/acr/v1/_catalog", status: "403: 403 Forbidden", code: "DENIED",
                message:
                    "client with IP '203.0.113.17' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
            ),
            type: .ipNotAllowed),
        // fluxcd/source-controller internal/controller/ocirepository_controller.go `reconcileSource` (`failed to
        // get credential from %s: %w`) as controller-runtime logs it (`Reconciler error`, the message's
        // newlines escaped in the JSON string).
        Format(
            source: "flux source-controller: failed to get credential from azure (JSON log)",
            lines: [
                #"{"level":"error","ts":"2026-11-20T03:14:15.118Z","msg":"Reconciler error","controller":"ocirepository","controllerGroup":"source.toolkit.fluxcd.io","controllerKind":"OCIRepository","OCIRepository":{"name":"web","namespace":"flux-system"},"namespace":"flux-system","name":"web","reconcileID":"3f1c2a9e-77aa-4f0b-9d2e-0c1f5b6a7d88","error":"failed to get credential from azure: POST https://myacr.azurecr.io/oauth2/exchange\n--------------------------------------------------------------------------------\nRESPONSE 401: 401 Unauthorized\nERROR CODE UNAVAILABLE\n--------------------------------------------------------------------------------\n{\n  \"errors\": [\n    {\n      \"code\": \"UNAUTHORIZED\",\n      \"message\": \"token validation failed: the received access token has unknown tenantId \\\"72f988bf-86f1-41af-91ab-2d7cd011db47\\\"\"\n    }\n  ]\n}\n--------------------------------------------------------------------------------\n"}"#
            ], type: .identityPermission),
        // fluxcd/source-controller ocirepository_controller.go (`failed to determine artifact digest: %w`)
        // around go-containerregistry's transport error, credentials from a secretRef.
        Format(
            source: "flux source-controller: failed to determine artifact digest (JSON log)",
            lines: [
                #"{"level":"error","ts":"2026-11-20T03:14:15.118Z","msg":"Reconciler error","controller":"ocirepository","controllerGroup":"source.toolkit.fluxcd.io","controllerKind":"OCIRepository","OCIRepository":{"name":"web","namespace":"flux-system"},"namespace":"flux-system","name":"web","reconcileID":"3f1c2a9e-77aa-4f0b-9d2e-0c1f5b6a7d88","error":"failed to determine artifact digest: GET https://myacr.azurecr.io/oauth2/token?scope=repository%3Ateam%2Fweb%3Apull&service=myacr.azurecr.io: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information."}"#
            ], type: .unauthorized),

        // The JS SDK (`@azure/container-registry`, TROUBLESHOOTING.md): `RestError` with the body as message.
        Format(
            source: "azure-sdk-for-js: RestError, 403 retrieving permissions failed",
            lines: [#"RestError: {"errors":[{"code":"DENIED","message":"retrieving permissions failed"}]}"#],
            type: .accessDenied, before: ["endpoint: https://myacr.azurecr.io"]),
        // The Java SDK (`azure-containers-containerregistry`, TROUBLESHOOTING.md): `AcrErrorsException: Status
        // code %d, "%s"`.
        Format(
            source: "azure-sdk-for-java: AcrErrorsException 403 retrieving permissions failed",
            lines: [
                #"com.azure.containers.containerregistry.implementation.models.AcrErrorsException: Status code 403, "{"errors":[{"code":"DENIED","message":"retrieving permissions failed"}]}""#
            ], type: .accessDenied, before: ["endpoint: https://myacr.azurecr.io"]),
        Format(
            source: "azure-sdk-for-java: AcrErrorsException 403 firewall",
            lines: [
                #"AcrErrorsException: Status code 403, "{"errors":[{"code":"DENIED","message":"client with IP '203.0.113.17' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."}]}""#
            ], type: .ipNotAllowed, before: ["endpoint: https://myacr.azurecr.io"]),
        // The .NET SDK (Azure.Core `RequestFailedException`: `Service request failed.`, `Status: %d (%s)`,
        // `Content:`, the body, `Headers:` with the unsafe ones redacted).
        Format(
            source: "azure-sdk-for-net: RequestFailedException 401 with ACR's body",
            lines: [
                "Azure.RequestFailedException: Service request failed.", "Status: 401 (Unauthorized)", "", "Content:",
                #"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required, visit https://aka.ms/acr/authorization for more information.","detail":[{"Type":"repository","Name":"team/web","Action":"pull"}]}]}"#,
                "", "Headers:", "Docker-Distribution-Api-Version: registry/2.0", "WWW-Authenticate: REDACTED",
                "Date: Fri, 20 Nov 2026 03:14:15 GMT", "Content-Type: application/json; charset=utf-8",
            ], type: .unauthorized, before: ["endpoint: https://myacr.azurecr.io"]),

        // Azure CLI acr/_docker_utils.py `_get_credentials`: the 403 on `/v2/`, current wording.
        Format(
            source: "az acr login: 403 on /v2/ (firewall, public network access wording)",
            lines: [
                "ERROR: Looks like you don't have access to registry 'myacr.azurecr.io'. To see configured firewall rules, run 'az acr show --query networkRuleSet --name myacr'. To see if public network access is enabled, run 'az acr show --query publicNetworkAccess'.Please refer to https://aka.ms/acr/errors#connectivity_forbidden_error for more information."
            ], type: .ipNotAllowed),
        // Azure CLI acr/check_health.py `_handle_error` with --ignore-errors: `print_error` wraps the
        // message in colorama's red.
        Format(
            source: "az acr check-health --ignore-errors: coloured CONNECTIVITY_REFRESH_TOKEN_ERROR",
            lines: [
                "\u{1B}[31m2026-11-20 03:14:15.806011 An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR",
                "Access to registry 'myacr.azurecr.io' was denied. Response code: 403. Please try running 'az login' again to refresh permissions.\u{1B}[0m",
            ], type: .identityPermission),
        // Azure CLI acr/_docker_utils.py `request_data_from_registry`: a 403 takes the generic path
        // (`parse_error_message('Could not get the requested data.', …)`, retried, then `CLIError`).
        Format(
            source: "az acr repository: 403 firewall through parse_error_message",
            lines: [
                "ERROR: Error: client with IP '203.0.113.17' is not allowed access. Refer https://aka.ms/acr/firewall to grant access. Correlation ID: \(correlation)."
            ], type: .ipNotAllowed, before: ["az acr repository list -n myacr"]),
        Format(
            source: "az acr repository: 403 denied through parse_error_message",
            lines: [
                "ERROR: Error: requested access to the resource is denied. Correlation ID: \(correlation)."
            ], type: .accessDenied, before: ["az acr repository delete -n myacr --image team/web:1.4.2 --yes"]),

        // docker/buildx commands/build.go `runBuild` (`failed to build: %w`, buildx 0.23+) around BuildKit's
        // push error; cmd/buildx/main.go prints `ERROR: %v`.
        Format(
            source: "buildx: failed to build: failed to solve, 401 on the manifest PUT",
            lines: [
                "ERROR: failed to build: failed to solve: failed to push \(image): unexpected status from PUT request to https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: 401 Unauthorized"
            ], type: .unauthorized),

        // oras-go v2 content/copy `CopyError.Error` (`failed to perform %q on %s: %v`), as helm 4 and ORAS
        // print it, around errcode `ErrorResponse`.
        Format(
            source: "oras-go v2: failed to perform FetchReference on source, 401",
            lines: [
                "Error: failed to perform \"FetchReference\" on source: GET \"https://myacr.azurecr.io/v2/helm/web/manifests/1.4.2\": response status code 401: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        // ORAS CLI cmd/oras/internal/option/target.go `ModifyError`: the `Error response from registry:`
        // prefix and the inner errors only (errors.go `ReportErrResp`), no host.
        Format(
            source: "oras CLI: Error response from registry, denied (no host)",
            lines: ["Error response from registry: denied: requested access to the resource is denied"],
            type: .accessDenied, before: ["oras push myacr.azurecr.io/team/artifact:v1 artifact.txt"]),
        // ORAS CLI `ReportErrResp` when the response has no errors: the whole `ErrorResponse`.
        Format(
            source: "oras CLI: Error response from registry, status only",
            lines: [
                "Error response from registry: HEAD \"https://myacr.azurecr.io/v2/team/artifact/manifests/v1\": response status code 401: Unauthorized"
            ], type: .unauthorized),
        // notation cmd/notation/login.go `runLogin` (`failed to log in to %s: %v`) around oras-go's token
        // fetch.
        Format(
            source: "notation login: failed to log in, token 401",
            lines: [
                "Error: failed to log in to myacr.azurecr.io: GET \"https://myacr.azurecr.io/oauth2/token?service=myacr.azurecr.io\": response status code 401: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        // notation cmd/notation/manifest.go `resolveReference` (`failed to resolve user input reference: %w`).
        Format(
            source: "notation sign: failed to resolve user input reference, 403",
            lines: [
                "Error: failed to resolve user input reference: HEAD \"https://myacr.azurecr.io/v2/team/web/manifests/v1\": response status code 403: Forbidden"
            ], type: .accessDenied),
        // Argo CD util/helm/cmd.go `run` (`failed to get command args to log: %w`) around util/exec's
        // `` `%v` failed %v: %s`` with helm's stderr, in the application's ComparisonError.
        Format(
            source: "Argo CD: helm pull OCI through the repo-server, 401",
            lines: [
                "ComparisonError: Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = error pulling OCI chart: failed to pull OCI chart: failed to get command args to log: `helm pull oci://myacr.azurecr.io/helm/web --version 1.4.2 --destination /tmp/3f1c2a9e` failed exit status 1: Error: failed to perform \"FetchReference\" on source: GET \"https://myacr.azurecr.io/v2/helm/web/manifests/1.4.2\": response status code 401: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        // The same through a tool that renders Argo CD's message as HTML (argocd-diff-preview's markdown).
        Format(
            source: "Argo CD (HTML-escaped): helm pull OCI, 401",
            lines: [
                "> ⚠️ failed to render base branch: failed to render source 0: failed to fetch helm chart web from myacr.azurecr.io/helm: error pulling OCI chart: failed to pull OCI chart: failed to get command args to log: `helm pull oci://myacr.azurecr.io/helm/web --version 1.4.2 --destination (temp dir)` failed exit status 1: Error: failed to perform &#34;FetchReference&#34; on source: GET &#34;https://myacr.azurecr.io/v2/helm/web/manifests/1.4.2&#34;: response status code 401: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        // Argo CD util/helm/cmd.go `RegistryLogin` (`failed to login to registry: %w`).
        Format(
            source: "Argo CD: helm registry login, 401",
            lines: [
                "failed to login to registry: failed to get command args to log: `helm registry login myacr.azurecr.io --username ****** --password ******` failed exit status 1: Error: login attempt to https://myacr.azurecr.io/v2/ failed with status: 401 Unauthorized"
            ], type: .unauthorized),

        // kreuzwerker/terraform-provider-docker internal/provider/resource_docker_registry_image_funcs.go
        // `pushDockerRegistryImage` (`Error pushing image. %s. Full error: %s`, the daemon's JSON stream
        // error), under `Error pushing docker image: %s`; Terraform's `│ Error:` frame. No host on the line.
        Format(
            source: "terraform docker provider: Error pushing image, Full error",
            lines: [
                "│ Error: Error pushing docker image: Error pushing image. . Full error: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized, registry: nil, before: ["docker_registry_image.web: Creating..."]),
        // The same provider's resource_docker_image_funcs.go `findImage`/`pullImage` (`unable to pull image
        // %s: %s`, `error pulling image %s: %w`) around the daemon's error.
        Format(
            source: "terraform docker provider: unable to pull image",
            lines: [
                "│ Error: unable to pull image \(image): error pulling image \(image): Error response from daemon: Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
    ]

    /// A second wave of the same pass, written after the classes above were fixed and scored as it
    /// came (docs/accuracy.md): tools and wrappers the first wave had not used.
    static let toolFormatsWaveB: [Format] = [
        // nerdctl: containerd's resolver error under logrus's text formatter without a timestamp (`FATA[0001]`).
        Format(
            source: "nerdctl: FATA, failed to fetch oauth token 401",
            lines: [
                "FATA[0001] failed to resolve reference \"\(image)\": failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://myacr.azurecr.io/oauth2/token: 401 Unauthorized"
            ], type: .unauthorized),
        // skopeo cmd/skopeo/inspect.go (`Error parsing image name %q: %w`) around containers/image's token error.
        Format(
            source: "skopeo inspect: FATA, Error parsing image name, unable to retrieve auth token",
            lines: [
                "FATA[0000] Error parsing image name \"docker://\(image)\": unable to retrieve auth token: invalid username/password: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        // kaniko pkg/executor/push.go `DoPush` (`failed to push to destination %s`) around go-containerregistry.
        Format(
            source: "kaniko: failed to push to destination, DENIED",
            lines: [
                "error pushing image: failed to push to destination \(image): PUT https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: DENIED: requested access to the resource is denied; [map[Action:push Class: Name:team/web Type:repository]]"
            ], type: .accessDenied),
        // azure-core (Python) `HttpResponseError`: `(CODE) message`, then `Code:` and `Message:` lines.
        Format(
            source: "azure-sdk-for-python: HttpResponseError (DENIED) retrieving permissions failed",
            lines: [
                "azure.core.exceptions.HttpResponseError: (DENIED) retrieving permissions failed", "Code: DENIED",
                "Message: retrieving permissions failed",
            ], type: .accessDenied, before: ["endpoint: https://myacr.azurecr.io"]),
        // Azure.Core (.NET) `RequestFailedException` with the firewall's body.
        Format(
            source: "azure-sdk-for-net: RequestFailedException 403 firewall",
            lines: [
                "Azure.RequestFailedException: Service request failed.", "Status: 403 (Forbidden)", "", "Content:",
                #"{"errors":[{"code":"DENIED","message":"client with IP '203.0.113.17' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."}]}"#,
                "", "Headers:", "Date: Fri, 20 Nov 2026 03:14:15 GMT",
            ], type: .ipNotAllowed, before: ["endpoint: https://myacr.azurecr.io"]),
        // CRI-O under kubelet: the firewall's 403 on `/v2/` (`pinging container registry %s: %w`).
        Format(
            source: "CRI-O via kubelet: pinging container registry, firewall",
            lines: [
                "Failed to pull image \"\(image)\": rpc error: code = Unknown desc = unable to pull image: initializing source docker://\(image): pinging container registry myacr.azurecr.io: denied: client with IP '203.0.113.17' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
            ], type: .ipNotAllowed),
        // helm 4 push through oras-go v2's `CopyError` on the destination.
        Format(
            source: "helm 4 push: failed to perform Push on destination, 403",
            lines: [
                "Error: failed to perform \"Push\" on destination: PUT \"https://myacr.azurecr.io/v2/helm/web/manifests/1.4.2\": response status code 403: denied: requested access to the resource is denied"
            ], type: .accessDenied),
    ]

    static let toolLookAlikesWaveB: [String] = [
        "FATA[0001] failed to resolve reference \"docker.io/library/redis:7\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
        "azure.core.exceptions.ResourceNotFoundError: (NAME_UNKNOWN) repository name not known to registry",
        "error pushing image: failed to push to destination 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:1.4.2: PUT https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/team/web/manifests/1.4.2: DENIED: Your authorization token has expired. Reauthenticate and try again.",
    ]

    /// The same tools' formats where they must not count: another registry, a local credential store, a
    /// missing image, DNS, TLS, a 5xx, throttling, a check that passed, a login whose credential was valid.
    static let toolLookAlikes: [String] = [
        "Error: initializing source docker://quay.io/org/app:1: unable to retrieve auth token: invalid username/password: unauthorized: access to the requested resource is not authorized",
        "Error: initializing source docker://\(image): reading manifest 1.4.2 in myacr.azurecr.io/team/web: manifest unknown",
        "Error: initializing source docker://\(image): pinging container registry myacr.azurecr.io: Get \"https://myacr.azurecr.io/v2/\": dial tcp: lookup myacr.azurecr.io: no such host",
        "Error: initializing source docker://\(image): Requesting bearer token: received unexpected HTTP status: 503 Service Unavailable",
        "Error: writing blob: initiating layer upload to /v2/team/web/blobs/uploads/ in myacr.azurecr.io: too many requests to registry",
        "Error saving credentials: error storing credentials - err: exit status 1, out: `Cannot autolaunch D-Bus without X11 $DISPLAY`",
        "error getting credentials - err: exec: \"docker-credential-desktop\": executable file not found in $PATH, out: ``",
        "Authenticating with existing credentials... [Username: 00000000-0000-0000-0000-000000000000]",
        "Error: reading tags for ghcr.io/org/app: GET https://ghcr.io/token?scope=repository%3Aorg%2Fapp%3Apull&service=ghcr.io: DENIED: denied",
        "Error: reading tags for myacr.azurecr.io/team/web: GET https://myacr.azurecr.io/v2/team/web/tags/list?n=1000: NAME_UNKNOWN: repository name not known to registry; [map[Name:team/web]]",
        #"{"level":"error","ts":"2026-11-20T03:14:15.118Z","msg":"Reconciler error","controller":"ocirepository","error":"failed to determine artifact digest: GET https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: MANIFEST_UNKNOWN: manifest unknown; map[Tag:1.4.2]"}"#,
        #"RestError: {"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry","detail":{"name":"team/web"}}]}"#,
        #"AcrErrorsException: Status code 404, "{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest tagged by \"1.4.2\" is not found","detail":{"Tag":"1.4.2"}}]}""#,
        "ERROR: Could not connect to the registry login server 'myacr.azurecr.io'. Please verify that the registry exists and the URL 'https://myacr.azurecr.io/v2/' is reachable from your environment.",
        "Fetch refresh token for registry 'myacr.azurecr.io' : \u{1B}[32mOK\u{1B}[0m",
        "ERROR: failed to build: failed to solve: failed to push ghcr.io/org/app:1: unexpected status from POST request to https://ghcr.io/v2/org/app/blobs/uploads/: 403 Forbidden",
        "ComparisonError: Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = error pulling OCI chart: failed to pull OCI chart: failed to get command args to log: `helm pull oci://ghcr.io/org/charts/web --version 1.4.2 --destination /tmp/3f1c2a9e` failed exit status 1: Error: failed to perform \"FetchReference\" on source: GET \"https://ghcr.io/v2/org/charts/web/manifests/1.4.2\": response status code 401: Unauthorized",
        "> ⚠️ failed to render base branch: failed to render source 0: failed to fetch helm chart web from myacr.azurecr.io/helm: error pulling OCI chart: failed to pull OCI chart: failed to get command args to log: `helm pull oci://myacr.azurecr.io/helm/web --version 1.4.2 --destination (temp dir)` failed exit status 1: Error: failed to perform &#34;FetchReference&#34; on source: Get &#34;https://myacr.azurecr.io/v2/helm/web/manifests/1.4.2&#34;: tls: failed to verify certificate: x509: certificate signed by unknown authority",
        "Error: failed to log in to myacr.azurecr.io: the credential could not be saved because a credentials store is required to securely store the password. See https://notaryproject.dev/docs/user-guides/how-to/registry-authentication/",
        "Error response from registry: HEAD \"https://ghcr.io/v2/org/artifact/manifests/v1\": response status code 401: Unauthorized",
        "│ Error: unable to pull image ghcr.io/org/app:1: error pulling image ghcr.io/org/app:1: Error response from daemon: Head \"https://ghcr.io/v2/org/app/manifests/1\": denied",
    ]

    /// Look-alikes over several lines: the Go SDK's frame for a missing blob upload on ACR, and for an
    /// Entra ID sign-in refused with no registry in sight.
    static let toolMultiLineLookAlikes: [[String]] = [
        goSDKFrame(
            "PATCH https://myacr.azurecr.io/v2/team/web/blobs/uploads/3f1c2a9e-77aa-4f0b-9d2e-0c1f5b6a7d88",
            status: "404: 404 Not Found Error", code: "BLOB_UPLOAD_INVALID", message: "blob upload invalid"),
        [
            "ClientSecretCredential authentication failed. ",
            "POST https://login.microsoftonline.com/6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b/oauth2/v2.0/token", separator,
            "RESPONSE 401: 401 Unauthorized", separator, "{", #"  "error": "invalid_client","#,
            #"  "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '0c2d6a1e-3b4f-4d5e-8f9a-0b1c2d3e4f5a'.","#,
            #"  "error_codes": [7000215]"#, "}", separator,
        ],
    ]

    @Test(
        "each tool format of the second source pass counts once with its type and registry, in every wrapper",
        arguments: 0..<toolFormats.count)
    func toolFormat(_ index: Int) {
        Self.expectCountedOnce(Self.toolFormats[index])
    }

    @Test(
        "each format of the second pass's second wave counts once with its type and registry, in every wrapper",
        arguments: 0..<toolFormatsWaveB.count)
    func toolFormatWaveB(_ index: Int) {
        Self.expectCountedOnce(Self.toolFormatsWaveB[index])
    }

    @Test(
        "each look-alike of the second pass's second wave is not counted, in every wrapper",
        arguments: 0..<toolLookAlikesWaveB.count)
    func toolLookAlikeWaveB(_ index: Int) {
        Self.expectNotCounted([Self.toolLookAlikesWaveB[index]])
    }

    @Test(
        "each look-alike of the second source pass is not counted, in every wrapper",
        arguments: 0..<toolLookAlikes.count)
    func toolLookAlike(_ index: Int) {
        Self.expectNotCounted([Self.toolLookAlikes[index]])
    }

    @Test(
        "each multi-line look-alike of the second source pass is not counted, in every wrapper",
        arguments: 0..<toolMultiLineLookAlikes.count)
    func toolMultiLineLookAlike(_ index: Int) {
        Self.expectNotCounted(Self.toolMultiLineLookAlikes[index])
    }
}
