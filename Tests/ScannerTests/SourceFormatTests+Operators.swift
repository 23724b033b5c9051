import LogModel
import LogScanner
import Testing

/// Round 12's source pass (docs/accuracy.md, "Round 12"): operators and node tools that fetch ACR
/// credentials or images — External Secrets' ACRAccessToken generator (`pkg/generator/acr/acr.go`
/// under the ExternalSecret controller's `errGenerate`), OpenShift's image import, `crictl` and `ctr`
/// (containerd's resolver errors under the CLIs) — through the eight producers' wrappers; and the
/// daemon logs operators collect (Docker Desktop's engine log in its two prefixes, `Get-WinEvent`'s
/// list view of dockerd's Windows events, syslog) around formats counted before.
extension SourceFormatTests {
    static let operatorFormats: [Format] = [
        Format(
            source: "External Secrets ACRAccessToken (<= 0.9): count not generate refresh token, 401",
            lines: [
                "could not generate [0]: count not generate refresh token, unexpected status code 401, expected 200"
            ],
            type: .identityPermission, registry: nil),
        Format(
            source: "External Secrets ACRAccessToken: could not generate refresh token, 403",
            lines: [
                "could not generate [0]: could not generate refresh token, unexpected status code 403, expected 200"
            ],
            type: .identityPermission, registry: nil),
        Format(
            source: "External Secrets ACRAccessToken: could not generate access token (scope), 401",
            lines: ["could not generate [0]: could not generate access token, unexpected status code: 401"],
            type: .identityPermission, registry: nil),
        Format(
            source: "External Secrets ACRAccessToken: Entra ID refused the service principal (AADSTS)",
            lines: [
                "could not generate [0]: ClientSecretCredential: authentication failed: POST https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token --- RESPONSE 401 Unauthorized --- AADSTS7000215: Invalid client secret provided."
            ], type: .aadCredential, registry: nil),
        Format(
            source: "External Secrets ACRAccessToken: the managed identity is not assigned to the node",
            lines: [
                "could not generate [0]: ManagedIdentityCredential authentication failed. the requested identity isn't assigned to this resource"
            ], type: .aadCredential, registry: nil),
        Format(
            source: "oc import-image (4.x): Import failed (Unauthorized), container image",
            lines: [
                "  ! error: Import failed (Unauthorized): you may not have access to the container image \"\(image)\""
            ], type: .unauthorized),
        Format(
            source: "oc import-image (3.x): Import failed (Unauthorized), Docker image",
            lines: [
                "  ! error: Import failed (Unauthorized): you may not have access to the Docker image \"\(image)\""
            ], type: .unauthorized),
        Format(
            source: "crictl pull: FATA pulling image, anonymous-token 401",
            lines: [
                "FATA[0001] pulling image: rpc error: code = Unknown desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://myacr.azurecr.io/oauth2/token?\(tokenQuery): 401 Unauthorized"
            ], type: .anonymousPull),
        Format(
            source: "ctr pull --user: failed to resolve reference, oauth token POST 401",
            lines: [
                "ctr: failed to resolve reference \"\(image)\": failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://myacr.azurecr.io/oauth2/token: 401 Unauthorized"
            ], type: .unauthorized),
        Format(
            source: "ctr pull: failed to resolve reference, anonymous token 403 (firewall)",
            lines: [
                "ctr: failed to resolve reference \"\(image)\": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://myacr.azurecr.io/oauth2/token?\(tokenQuery): 403 Forbidden"
            ], type: .accessDenied),
    ]

    static let operatorLookAlikes: [String] = [
        "could not generate [0]: could not generate refresh token, unexpected status code 503, expected 200",
        "could not generate [0]: could not generate access token, unexpected status code: 429",
        "could not generate [0]: ServiceAccount \"eso-managedidentity\" not found",
        "could not generate [0]: unable to get authorization token: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/eso/eso is not authorized to perform: ecr:GetAuthorizationToken on resource: * status code: 400",
        "  ! error: Import failed (Unauthorized): you may not have access to the container image \"quay.io/tomastomecek/mcp-gateway:latest\"",
        "  ! error: Import failed (InternalError): Internal error occurred: received unexpected HTTP status: 503 Service Unavailable",
        "ctr: failed to resolve reference \"docker.io/library/nginx:latest\": failed to authorize: failed to fetch anonymous token: Get \"https://auth.docker.io/token?scope=repository%3Alibrary%2Fnginx%3Apull&service=registry.docker.io\": dial tcp 66.220.147.11:443: i/o timeout",
        "FATA[0001] pulling image: rpc error: code = NotFound desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": \(image): not found",
    ]

    @Test("each operator's or node tool's refusal counts once, in every wrapper", arguments: 0..<operatorFormats.count)
    func operatorFormat(_ index: Int) {
        Self.expectCountedOnce(Self.operatorFormats[index])
    }

    @Test(
        "each look-alike of the operators' and node tools' wordings is not counted, in every wrapper",
        arguments: 0..<operatorLookAlikes.count)
    func operatorLookAlike(_ index: Int) {
        Self.expectNotCounted([Self.operatorLookAlikes[index]])
    }

    /// The daemon logs operators collect, around a line of the daemon's: Docker Desktop's engine log
    /// (2017's `[time][WindowsDockerDaemon][Info   ]` and 4.x's `[RFC 3339][dockerd][I]`, each around
    /// logrus's line), `Get-WinEvent | Format-List`'s `Message :` for dockerd's Windows events, and
    /// syslog's `host dockerd[pid]:` prefix.
    static let daemonLogWrappers: [(name: String, wrap: @Sendable (String) -> String)] = [
        (
            "docker-desktop-2017",
            {
                "[03:14:15.325][WindowsDockerDaemon][Info   ] time=\"2026-11-20T03:14:15.325741500Z\" level=error msg=\""
                    + quoted($0) + "\""
            }
        ),
        (
            "docker-desktop-4",
            {
                "[2026-11-20T03:14:15.019366961Z][dockerd][I] time=\"2026-11-20T03:14:15.019135594Z\" level=error msg=\""
                    + quoted($0) + "\""
            }
        ),
        ("winevent-list", { "Message      : " + $0 }),
        ("syslog", { "Nov 20 03:14:15 build-agent-7 dockerd[912]: " + $0 }),
    ]

    @Test("the daemon's refusals count once in Docker Desktop's, Windows' and syslog's prefixes; GHCR's does not")
    func daemonLogPrefixes() {
        let handler =
            "Handler for POST /v1.41/images/create returned error: Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": "
        let cases: [(String, ErrorType?)] = [
            (
                handler
                    + "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
                .unauthorized
            ),
            (
                handler
                    + "denied: client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.",
                .ipNotAllowed
            ),
            (
                "Handler for POST /v1.41/images/create returned error: Head \"https://ghcr.io/v2/acme/web/manifests/1.4.2\": unauthorized",
                nil
            ),
            (
                "Handler for POST /v1.41/images/create returned error: Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": context deadline exceeded",
                nil
            ),
        ]
        for wrapper in Self.daemonLogWrappers {
            for (line, type) in cases {
                let found = Support.scan(lines: [wrapper.wrap(line)])
                #expect(found.map(\.type) == (type.map { [$0] } ?? []), "[\(wrapper.name)] \(line)")
                if type != nil { #expect(found.first?.registry == "myacr", "[\(wrapper.name)] \(line)") }
            }
        }
    }
}
