import LogModel
import LogScanner
import Testing

/// Every concrete shape and rule of the field notes (/work/shared/FIELD-NOTES.md, "how ACR auth failures
/// really look in logs"), as a table: each case's lines printed through the wrappers the notes name and the
/// common producers, with the occurrences a user would expect (count, type, registry or unknown, attempts).
/// Look-alikes expect nothing; multi-line events one occurrence; repeats as the notes and SPEC state them.
/// docs/accuracy.md ("Field-notes check") keeps the figure before and after the rules were changed.
@Suite struct FieldNotesTests {
    /// One expected occurrence.
    struct Expect: Sendable {
        let type: ErrorType
        var registry: String? = "myacr"
        var attempts: Int = 1
    }

    /// A shape of the notes. `lines` go through every wrapper of `wrappers`; `before` (the commands and
    /// context a real log has before them) does not.
    struct Case: Sendable, CustomStringConvertible {
        let note: String
        let lines: [String]
        let expect: [Expect]
        var before: [String] = []
        var wrappers: [String] = FieldNotesTests.all
        var description: String { note }
    }

    /// Escapes a message as logrus and klog's structured `key="value"` pairs quote it.
    static func quoted(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    /// Escapes a message as Docker's json-file driver writes it.
    static func json(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{1B}": out += "\\u001b"
            case "'": out += "\\u0027"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// The second every timed wrapper stamps: 2026-11-20T03:14:15Z.
    static let second = Timestamp.milliseconds(year: 2026, month: 11, day: 20, hour: 3, minute: 14, second: 15) / 1000

    /// The same message as the producers the notes and SPEC name print it, with whether the wrapper
    /// stamps `second`.
    static let wrappers: [(name: String, timed: Bool, wrap: @Sendable (String) -> String)] = [
        ("plain", false, { $0 }),
        ("github-actions", true, { "2026-11-20T03:14:15.1234567Z " + $0 }),
        ("azure-pipelines", true, { "2026-11-20T03:14:15.1234567Z ##[error]" + $0 }),
        ("klog", true, { "E1120 03:14:15.123456    2211 kuberuntime_image.go:53] " + $0 }),
        ("kubectl-events", false, { "  Warning  Failed     2m10s                  kubelet            " + $0 }),
        ("logrus", true, { "time=\"2026-11-20T03:14:15.118427693Z\" level=error msg=\"" + quoted($0) + "\"" }),
        ("logrus-short", false, { "ERRO[0001] " + $0 }),
        ("journald", true, { "Nov 20 03:14:15 aks-nodepool1-31718369-vmss000000 dockerd[6947]: " + $0 }),
        (
            "json-file", true,
            { "{\"log\":\"" + json($0) + "\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-20T03:14:15.118427693Z\"}" }
        ),
        ("jenkins", true, { "[2026-11-20T03:14:15.123Z] " + $0 }),
        ("gitlab", true, { "2026-11-20T03:14:15.123456Z 00E " + $0 }),
        ("journalctl-short-iso", true, { "2026-11-20T04:14:15+0100 aks-node-1 dockerd[6947]: " + $0 }),
        (
            "journald-json", true,
            {
                "{\"__REALTIME_TIMESTAMP\":\"1795144455123456\",\"_HOSTNAME\":\"aks-node-1\",\"MESSAGE\":\"" + json($0)
                    + "\"}"
            }
        ),
    ]
    static let all = wrappers.map(\.name)
    /// Where CLI output lands: CI logs, terminals, journald.
    static let cli = ["plain", "github-actions", "azure-pipelines", "journald", "jenkins", "gitlab"]

    static let image = "myacr.azurecr.io/team/web:1.4.2"
    static let acrBody =
        "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
    static let cid = "5f2c9a0e-8d1b-4c6e-9a77-1b2f3c4d5e6f"

    static let cases: [Case] =
        registryCases + multiLineCases + repeatCases + driftCases + learnedCases
        + healthCases

    // MARK: Where the registry name is (and is not)

    static let registryCases: [Case] = [
        Case(
            note: "push error without a host, registry from az acr login -n",
            lines: ["unauthorized: authentication required"], expect: [Expect(type: .unauthorized)],
            before: ["az acr login -n myacr", "docker push myacr.azurecr.io/team/web:1.4.2"]),
        Case(
            note: "push error without a host, registry from az acr login --name",
            lines: ["unauthorized: authentication required"], expect: [Expect(type: .unauthorized)],
            before: ["az acr login --name myacr", "docker push myacr.azurecr.io/team/web:1.4.2"]),
        Case(
            note: "push error without a host, registry from docker login NAME.azurecr.io",
            lines: ["unauthorized: authentication required"], expect: [Expect(type: .unauthorized)],
            before: ["docker login myacr.azurecr.io -u ci -p ***"]),
        Case(
            note: "push error without a host, registry from docker push NAME.azurecr.io/…",
            lines: ["unauthorized: authentication required"], expect: [Expect(type: .unauthorized)],
            before: ["The push refers to repository [myacr.azurecr.io/team/web]"]),
        Case(
            note: "denied: without a host after an ACR push",
            lines: ["denied: requested access to the resource is denied"], expect: [Expect(type: .accessDenied)],
            before: [
                "docker push myacr.azurecr.io/team/web:1.4.2",
                "The push refers to repository [myacr.azurecr.io/team/web]",
            ]),
        Case(
            note: "##[error] summary without a host after an ACR push",
            lines: ["##[error]unauthorized: authentication required"], expect: [Expect(type: .unauthorized)],
            before: ["##[command]/usr/bin/docker push myacr.azurecr.io/team/web:1.4.2"],
            wrappers: ["plain", "github-actions"]),
        Case(
            note: "ErrImagePull row after the image reference earlier in the event",
            lines: [
                "  Warning  Failed     2m10s  kubelet  Failed to pull image \"\(image)\": rpc error: code = Unknown desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized",
                "  Warning  Failed     2m10s  kubelet  Error: ErrImagePull",
                "  Normal   BackOff    2m9s   kubelet  Back-off pulling image \"\(image)\"",
                "  Warning  Failed     2m9s   kubelet  Error: ImagePullBackOff",
            ], expect: [Expect(type: .anonymousPull)], wrappers: ["plain"]),
        Case(
            note: "registry from an ARM resource id (…/registries/NAME)",
            lines: [
                "ERROR: (AuthorizationFailed) The client 'ci@contoso.com' with object id '0c2d6a1e-3b4f-4d5e-8f9a-0b1c2d3e4f5a' does not have authorization to perform action 'Microsoft.ContainerRegistry/registries/listCredentials/action' over scope '/subscriptions/6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b/resourceGroups/rg-ci/providers/Microsoft.ContainerRegistry/registries/myacr' or the scope is invalid."
            ], expect: [Expect(type: .identityPermission)]),
        Case(
            note: "masked registry ***.azurecr.io: unknown, still counted",
            lines: ["Error response from daemon: Get \"https://***.azurecr.io/v2/\": \(acrBody)"],
            expect: [Expect(type: .unauthorized, registry: nil)]),
        Case(
            note: "masked registry *** with digits masked in tags: unknown, still counted",
            lines: ["Error response from daemon: Head \"https://***/v2/team/web/manifests/1.***.2\": \(acrBody)"],
            expect: [Expect(type: .unauthorized, registry: nil)]),
        Case(
            note: "masked registry ***0***: unknown",
            lines: ["Error response from daemon: Get \"https://***0***.azurecr.io/v2/\": \(acrBody)"],
            expect: [Expect(type: .unauthorized, registry: nil)]),
        Case(
            note: "redacted <redacted>.azurecr.io: unknown",
            lines: ["Error response from daemon: Get \"https://<redacted>.azurecr.io/v2/\": \(acrBody)"],
            expect: [Expect(type: .unauthorized, registry: nil)]),
        Case(
            note: "redacted ****.azurecr.io: unknown",
            lines: ["Error response from daemon: Get \"https://****.azurecr.io/v2/\": \(acrBody)"],
            expect: [Expect(type: .unauthorized, registry: nil)]),
        Case(
            note: "redacted [REDACTED].azurecr.io: unknown",
            lines: ["Error response from daemon: Get \"https://[REDACTED].azurecr.io/v2/\": \(acrBody)"],
            expect: [Expect(type: .unauthorized, registry: nil)]),
        Case(
            note: "placeholder xxx.azurecr.io: unknown",
            lines: ["Error response from daemon: Get \"https://xxx.azurecr.io/v2/\": \(acrBody)"],
            expect: [Expect(type: .unauthorized, registry: nil)]),
        Case(
            note: "redacted [repo name omitted].azurecr.io: unknown",
            lines: ["Error response from daemon: Get \"https://[repo name omitted].azurecr.io/v2/\": \(acrBody)"],
            expect: [Expect(type: .unauthorized, registry: nil)]),
        Case(
            note: "placeholder <acr-name>.azurecr.io: unknown",
            lines: ["Error response from daemon: Get \"https://<acr-name>.azurecr.io/v2/\": \(acrBody)"],
            expect: [Expect(type: .unauthorized, registry: nil)]),
        Case(
            note: "placeholder {registryname}.azurecr.io: unknown",
            lines: ["Error response from daemon: Get \"https://{registryname}.azurecr.io/v2/\": \(acrBody)"],
            expect: [Expect(type: .unauthorized, registry: nil)]),
        Case(
            note: "China cloud NAME.azurecr.cn",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.cn/v2/\": unauthorized: authentication required"
            ],
            expect: [Expect(type: .unauthorized)]),
        Case(
            note: "Government cloud NAME.azurecr.us",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.us/v2/\": unauthorized: authentication required"
            ],
            expect: [Expect(type: .unauthorized)]),
        Case(
            note: "login server with :443",
            lines: [
                "Error response from daemon: Get \"https://MyACR.azurecr.io:443/v2/\": unauthorized: authentication required"
            ],
            expect: [Expect(type: .unauthorized)]),
        Case(
            note: "regional data endpoint NAME.REGION.data.azurecr.io",
            lines: [
                "failed to copy: httpReadSeeker: failed open: unexpected status code https://myacr.eastus.data.azurecr.io/aaaa-bbbb/blobs/sha256:1a2b: 403 Forbidden"
            ], expect: [Expect(type: .accessDenied)]),
        Case(
            note: "login server inside JSON with \\u0027 escapes",
            lines: [
                "{\"level\":\"error\",\"msg\":\"Access to registry \\u0027myacr.azurecr.io\\u0027 was denied. Response code: 401. Please try running \\u0027az login\\u0027 again to refresh permissions.\"}"
            ], expect: [Expect(type: .identityPermission)], wrappers: ["plain", "github-actions", "journald"]),
        Case(
            note: "login server inside JSON with \\\" escapes",
            lines: [
                "{\"level\":\"error\",\"msg\":\"Error response from daemon: Get \\\"https://myacr.azurecr.io/v2/\\\": unauthorized: authentication required\"}"
            ], expect: [Expect(type: .unauthorized)], wrappers: ["plain", "github-actions", "journald"]),
        Case(
            note: "aka.ms/acr/authorization tell-tale with a masked host",
            lines: ["Error response from daemon: Get \"https://***/v2/\": \(acrBody)"],
            expect: [Expect(type: .unauthorized, registry: nil)]),
        Case(
            note: "aka.ms/acr/firewall tell-tale with a masked host",
            lines: [
                "Error response from daemon: Get \"https://***/v2/\": denied: client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
            ], expect: [Expect(type: .ipNotAllowed, registry: nil)]),
        Case(
            note: "masked registry in the az CLI's message: unknown, still counted",
            lines: [
                "Access to registry '***.azurecr.io' was denied. Response code: 401. Please try running 'az login' again to refresh permissions."
            ], expect: [Expect(type: .identityPermission, registry: nil)], wrappers: cli),
        Case(
            note: "masked registry in an ARM resource id: unknown",
            lines: [
                "ERROR: (AuthorizationFailed) The client 'ci@contoso.com' with object id '0c2d6a1e-3b4f-4d5e-8f9a-0b1c2d3e4f5a' does not have authorization to perform action 'Microsoft.ContainerRegistry/registries/listCredentials/action' over scope '/subscriptions/***/resourceGroups/***/providers/Microsoft.ContainerRegistry/registries/***' or the scope is invalid."
            ], expect: [Expect(type: .identityPermission, registry: nil)], wrappers: cli),
    ]

    // MARK: Multi-line events

    static let cascade = [
        "Unable to get AAD authorization tokens with message: An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR",
        "Access to registry 'myacr.azurecr.io' was denied. Response code: 401. Please try running 'az login' again to refresh permissions.",
        "Unable to get admin user credentials with message: Admin user is disabled.",
        "Unable to authenticate using AAD or admin login credentials. Please specify both username and password in non-interactive mode.",
    ]

    static let multiLineCases: [Case] = [
        Case(
            note: "az acr login cascade, four lines: once",
            lines: cascade, expect: [Expect(type: .identityPermission)], wrappers: cli),
        Case(
            note: "az acr login cascade, two lines: once",
            lines: Array(cascade.prefix(2)), expect: [Expect(type: .identityPermission)], wrappers: cli),
        Case(
            note: "az acr login cascade, newer CLI: WARNING:/ERROR: and an embedded local timestamp",
            lines: [
                "WARNING: Unable to get AAD authorization tokens with message: 2026-11-20 03:14:15.806011 An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR",
                "Access to registry 'myacr.azurecr.io' was denied. Response code: 401. Please try running 'az login' again to refresh permissions.",
                "WARNING: Unable to get admin user credentials with message: 2026-11-20 03:14:15.906011 The resource with name 'myacr' and type 'Microsoft.ContainerRegistry/registries' could not be found in subscription 'Contoso (6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b)'.",
                "ERROR: 2026-11-20 03:14:15.916011 Unable to authenticate using AAD or admin login credentials. Please specify both username and password in non-interactive mode.",
            ], expect: [Expect(type: .identityPermission)], wrappers: cli),
        Case(
            note: "az acr login cascade without a host: registry from the command",
            lines: [
                "Unable to get AAD authorization tokens with message: Please run 'az login' to setup account.",
                "Unable to get admin user credentials with message: Please run 'az login' to setup account.",
                "Unable to authenticate using AAD or admin login credentials. Please specify both username and password in non-interactive mode.",
            ], expect: [Expect(type: .aadCredential)], before: ["az acr login --name myacr"], wrappers: cli),
        Case(
            note: "check-health block: code, message, blank line, Please refer to aka.ms/acr/errors#CODE",
            lines: [
                "An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR",
                "Access to registry 'myacr.azurecr.io' was denied. Response code: 403. Please try running 'az login' again to refresh permissions.",
                "",
                "Please refer to https://aka.ms/acr/errors#connectivity_refresh_token_error for more information.",
            ], expect: [Expect(type: .identityPermission)], wrappers: ["plain"]),
        Case(
            note: "klog err=< block with the cause on the indented lines",
            lines: [
                "E1120 03:14:15.123456    2211 remote_image.go:180] \"PullImage from image service failed\" err=<",
                "\trpc error: code = Unknown desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized",
                " > image=\"\(image)\"",
            ], expect: [Expect(type: .unauthorized)], wrappers: ["plain"]),
        Case(
            note: "klog err=< block in journald",
            lines: [
                "Nov 20 03:14:15 node kubelet[1187]: E1120 03:14:15.123456    1187 remote_image.go:180] \"PullImage from image service failed\" err=<",
                "Nov 20 03:14:15 node kubelet[1187]:         rpc error: code = Unknown desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized",
                "Nov 20 03:14:15 node kubelet[1187]:  > image=\"\(image)\"",
            ], expect: [Expect(type: .anonymousPull)], wrappers: ["plain"]),
        Case(
            note: "hard-wrapped message: once",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required, visit",
                "https://aka.ms/acr/authorization for more information.",
            ], expect: [Expect(type: .unauthorized)], wrappers: ["plain", "github-actions"]),
        Case(
            note: "hard-wrapped message with the host on the second line",
            lines: [
                "Error response from daemon: Get",
                "\"https://myacr.azurecr.io/v2/\": unauthorized: authentication required",
            ], expect: [Expect(type: .unauthorized)], wrappers: ["plain", "github-actions"]),
    ]

    // MARK: Repeats

    static let pull =
        "Failed to pull image \"\(image)\": rpc error: code = Unknown desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"

    static let repeatCases: [Case] = [
        Case(
            note: "kubectl event (x3 over 60m): attempts 3",
            lines: ["  Warning  Failed     5m (x3 over 60m)   kubelet  \(pull)"],
            expect: [Expect(type: .anonymousPull, attempts: 3)], wrappers: ["plain"]),
        Case(
            note: "kubectl get events (x261 over 60m): attempts 261",
            lines: ["61m         Warning   Failed    pod/web-7d9c   \(pull) (x261 over 60m)"],
            expect: [Expect(type: .anonymousPull, attempts: 261)], wrappers: ["plain"]),
        Case(
            note: "two attempts in [rpc error: …, rpc error: …], oauth and anonymous token 401s: once, unauthorized",
            lines: [
                "Failed to pull image \"\(image)\": [rpc error: code = Unknown desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized, rpc error: code = Unknown desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized]"
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "two attempts: a 401 with a NotFound: once",
            lines: [
                "Failed to pull image \"\(image)\": [rpc error: code = NotFound desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": \(image): not found, rpc error: code = Unknown desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized]"
            ], expect: [Expect(type: .anonymousPull)]),
        Case(
            note: "per-layer Retrying in N seconds, then the failure: once",
            lines: [
                "a1b2c3d4e5f6: Retrying in 5 seconds", "a1b2c3d4e5f6: Retrying in 4 seconds",
                "f6e5d4c3b2a1: Retrying in 5 seconds", "unauthorized: authentication required",
            ], expect: [Expect(type: .unauthorized)],
            before: ["The push refers to repository [myacr.azurecr.io/team/web]"],
            wrappers: ["plain", "github-actions"]),
        Case(
            note: "ACR Tasks: failed to login, ran out of retries",
            lines: [
                "2026/11/20 03:14:15 failed to login, ran out of retries: failed to set docker credentials: Error response from daemon: Get https://myacr.azurecr.io/v2/: unauthorized: authentication required"
            ], expect: [Expect(type: .unauthorized)], wrappers: ["plain"]),
        Case(
            note: "retry loop: the identical error twice in the same second counts twice",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required",
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required",
            ], expect: [Expect(type: .unauthorized), Expect(type: .unauthorized)],
            wrappers: ["plain", "github-actions", "logrus", "journald", "json-file", "jenkins"]),
        Case(
            note: "echo: a ##[error] annotation of the tool's line does not count again",
            lines: [
                "2026-11-20T03:14:15.1234567Z Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required",
                "2026-11-20T03:14:15.2234567Z ##[error]Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required",
            ], expect: [Expect(type: .unauthorized)], wrappers: ["plain"]),
        Case(
            note: "echo: kubelet's second logger does not count again",
            lines: [
                "E1120 03:14:15.123456    2211 remote_image.go:180] \"PullImage from image service failed\" err=\"\(quoted(pull.replacingOccurrences(of: "Failed to pull image \"\(image)\": ", with: "")))\" image=\"\(image)\"",
                "E1120 03:14:15.123789    2211 kuberuntime_image.go:53] \"Failed to pull image\" err=\"\(quoted(pull.replacingOccurrences(of: "Failed to pull image \"\(image)\": ", with: "")))\" image=\"\(image)\"",
            ], expect: [Expect(type: .anonymousPull)], wrappers: ["plain"]),
        Case(
            note: "echo: a ::error:: annotation of the tool's line does not count again",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required",
                "::error::Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required",
            ], expect: [Expect(type: .unauthorized)], wrappers: ["plain", "github-actions"]),
        Case(
            note:
                "kubectl describe: Failed (x3 over 60m), ErrImagePull, BackOff (x261 over 60m), ImagePullBackOff: once, attempts 3",
            lines: [
                "  Warning  Failed     2m (x3 over 60m)  kubelet  Failed to pull image \"\(image)\": rpc error: code = Unknown desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized",
                "  Warning  Failed     2m (x3 over 60m)  kubelet  Error: ErrImagePull",
                "  Normal   BackOff    1m (x261 over 60m)  kubelet  Back-off pulling image \"\(image)\"",
                "  Warning  Failed     1m (x261 over 60m)  kubelet  Error: ImagePullBackOff",
            ], expect: [Expect(type: .unauthorized, attempts: 3)], wrappers: ["plain"]),
        Case(
            note: "containerd's two loggers (trying next host, PullImage failed) in the same second: once",
            lines: [
                "time=\"2026-11-20T03:14:15.1Z\" level=info msg=\"trying next host\" error=\"failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://myacr.azurecr.io/oauth2/token: 401 Unauthorized\" host=myacr.azurecr.io",
                "time=\"2026-11-20T03:14:15.1Z\" level=error msg=\"PullImage \\\"\(image)\\\" failed\" error=\"failed to pull and unpack image \\\"\(image)\\\": failed to resolve reference \\\"\(image)\\\": failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://myacr.azurecr.io/oauth2/token: 401 Unauthorized\"",
            ], expect: [Expect(type: .unauthorized)], wrappers: ["plain"]),
        Case(
            note: "Back-off pulling image repeats an earlier failure",
            lines: [pull, "Back-off pulling image \"\(image)\"", "Error: ImagePullBackOff"],
            expect: [Expect(type: .anonymousPull)], wrappers: ["plain", "kubectl-events", "klog", "journald"]),
    ]

    // MARK: Wording drift

    static let driftCases: [Case] = [
        Case(
            note: "docker old: Get https://…/v2/: unauthorized",
            lines: [
                "Error response from daemon: Get https://myacr.azurecr.io/v2/: unauthorized: authentication required"
            ],
            expect: [Expect(type: .unauthorized)]),
        Case(
            note: "docker new: Get \"https://…/v2/\": unauthorized, then the raw JSON body: once",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required",
                "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required, visit https://aka.ms/acr/authorization for more information.\",\"detail\":null}]}",
            ], expect: [Expect(type: .unauthorized)],
            wrappers: ["plain", "github-actions", "azure-pipelines", "journald", "jenkins"]),
        Case(
            note: "containerd old: failed to fetch anonymous token: unexpected status: 401",
            lines: [
                "failed to resolve reference \"\(image)\": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"
            ], expect: [Expect(type: .anonymousPull)]),
        Case(
            note: "containerd new: unexpected status from GET request to …/oauth2/token…: 401 (anonymous)",
            lines: [
                "failed to resolve reference \"\(image)\": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://myacr.azurecr.io/oauth2/token?scope=repository%3Ateam%2Fweb%3Apull&service=myacr.azurecr.io: 401 Unauthorized"
            ], expect: [Expect(type: .anonymousPull)]),
        Case(
            note: "containerd old: failed to fetch oauth token: unexpected status: 401",
            lines: [
                "failed to resolve reference \"\(image)\": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "containerd new: oauth token, unexpected status from POST request to …/oauth2/token: 401",
            lines: [
                "failed to resolve reference \"\(image)\": failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://myacr.azurecr.io/oauth2/token: 401 Unauthorized"
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "containerd new, host only in the token URL",
            lines: [
                "failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://myacr.azurecr.io/oauth2/token?scope=repository%3Ateam%2Fweb%3Apull&service=myacr.azurecr.io: 401 Unauthorized"
            ], expect: [Expect(type: .anonymousPull)]),
        Case(
            note: "Azure CLI without 'An error occurred:'",
            lines: [
                "Unable to get AAD authorization tokens with message: Access to registry 'myacr.azurecr.io' was denied. Response code: 401. Please try running 'az login' again to refresh permissions."
            ], expect: [Expect(type: .identityPermission)], wrappers: cli),
        Case(
            note: "Azure CLI: access token wording (CONNECTIVITY_ACCESS_TOKEN_ERROR)",
            lines: [
                "ERROR: An error occurred: CONNECTIVITY_ACCESS_TOKEN_ERROR",
                "Access to registry 'myacr.azurecr.io' was denied. Response code: 401. Please try running 'az login' again to refresh permissions.",
            ], expect: [Expect(type: .identityPermission)], wrappers: cli),
        Case(
            note: "Azure CLI older: Please try 'az login' again to refresh access token",
            lines: [
                "Access to registry 'myacr.azurecr.io' was denied. Response code: 403. Please try running 'az login' again to refresh access token."
            ], expect: [Expect(type: .identityPermission)], wrappers: cli),
        Case(
            note: "dockerd level=error msg=…",
            lines: [
                "time=\"2026-11-20T03:14:15.118427693Z\" level=error msg=\"Handler for POST /v1.43/images/create returned error: Head \\\"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\\\": unauthorized: authentication required\""
            ], expect: [Expect(type: .unauthorized)], wrappers: ["plain", "journald"]),
        Case(
            note: "docker CLI short ERRO[0001]",
            lines: [
                "ERRO[0001] Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required"
            ],
            expect: [Expect(type: .unauthorized)], wrappers: ["plain", "github-actions"]),
        Case(
            note: "docker CLI short FATA[0007]",
            lines: [
                "FATA[0007] Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required"
            ],
            expect: [Expect(type: .unauthorized)], wrappers: ["plain", "github-actions"]),
    ]

    // MARK: Learned from real text, and look-alikes that count or must not

    static let learnedCases: [Case] = [
        Case(
            note: "401 for a missing tag (App Service retries anonymously): still counted",
            lines: [
                "2020-02-27T20:26:51.124Z ERROR - DockerApiException: Docker API responded with status code=InternalServerError, response={\"message\":\"Get https://myacr.azurecr.io/v2/team/web/manifests/nosuchtag: unauthorized: authentication required\"}"
            ], expect: [Expect(type: .unauthorized)], wrappers: ["plain"]),
        Case(
            note: "unauthorized: the application is not registered in the tenant: aad-credential",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: Application not registered with AAD."
            ], expect: [Expect(type: .aadCredential)]),
        Case(
            note: "unauthorized: the client id is not a GUID: aad-credential",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: aad access token with sp failed client id must be guid"
            ], expect: [Expect(type: .aadCredential)]),
        Case(
            note: "unauthorized: invalid client id or secret: aad-credential",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: Invalid clientid or client secret."
            ], expect: [Expect(type: .aadCredential)]),
        Case(
            note: "Please run 'az login' to setup account inside the cascade: aad-credential",
            lines: [
                "Unable to get AAD authorization tokens with message: Please run 'az login' to setup account.",
                "Unable to get admin user credentials with message: Please run 'az login' to setup account.",
            ], expect: [Expect(type: .aadCredential)], before: ["az acr login -n myacr"], wrappers: cli),
        Case(
            note: "GitHub Actions raw log: the Run block with ANSI SGR, shell:, env:, ##[endgroup] names the registry",
            lines: [
                "2026-11-20T03:14:15.1234567Z Error response from daemon: Get \"https://***/v2/\": unauthorized: authentication required"
            ], expect: [Expect(type: .unauthorized, registry: nil)],
            before: [
                "2026-11-20T03:14:14.0000000Z ##[group]Run docker login ***.azurecr.io -u *** -p ***",
                "2026-11-20T03:14:14.0000000Z \u{1B}[36;1mdocker login ***.azurecr.io -u *** -p ***\u{1B}[0m",
                "2026-11-20T03:14:14.0000000Z shell: /usr/bin/bash -e {0}", "2026-11-20T03:14:14.0000000Z env:",
                "2026-11-20T03:14:14.0000000Z   REGISTRY: ***", "2026-11-20T03:14:14.0000000Z ##[endgroup]",
            ], wrappers: ["plain"]),
        Case(
            note: "GitHub Actions raw log: the registry set inside the Run block with ANSI SGR",
            lines: ["2026-11-20T03:14:15.1234567Z unauthorized: authentication required"],
            expect: [Expect(type: .unauthorized)],
            before: [
                "2026-11-20T03:14:14.0000000Z ##[group]Run az acr login -n myacr",
                "2026-11-20T03:14:14.0000000Z \u{1B}[36;1maz acr login -n myacr\u{1B}[0m",
                "2026-11-20T03:14:14.0000000Z \u{1B}[36;1mdocker push myacr.azurecr.io/team/web:1.4.2\u{1B}[0m",
                "2026-11-20T03:14:14.0000000Z shell: /usr/bin/bash -e {0}", "2026-11-20T03:14:14.0000000Z env:",
                "2026-11-20T03:14:14.0000000Z   IMAGE: team/web", "2026-11-20T03:14:14.0000000Z ##[endgroup]",
                "2026-11-20T03:14:15.0000000Z The push refers to repository [myacr.azurecr.io/team/web]",
            ], wrappers: ["plain"]),
        Case(
            note: "GitHub Actions: docker/login-action's with: block names the registry; ##[error] summary",
            lines: [
                "2026-11-20T03:14:16.1234567Z ##[error]Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required"
            ], expect: [Expect(type: .unauthorized)],
            before: [
                "2026-11-20T03:14:15.1234567Z ##[group]Run docker/login-action@v3",
                "2026-11-20T03:14:15.1234567Z with:",
                "2026-11-20T03:14:15.1234567Z   registry: myacr.azurecr.io",
                "2026-11-20T03:14:15.1234567Z ##[endgroup]",
            ], wrappers: ["plain"]),
        Case(
            note:
                "GitHub Actions: the push target inside the Run block's echo, denied: without a host, then exit code 1",
            lines: [
                "2026-11-20T03:14:16.1234567Z The push refers to repository [myacr.azurecr.io/web]",
                "2026-11-20T03:14:16.1234567Z denied: requested access to the resource is denied",
                "2026-11-20T03:14:16.1234567Z ##[error]Process completed with exit code 1.",
            ], expect: [Expect(type: .accessDenied)],
            before: [
                "2026-11-20T03:14:15.1234567Z ##[group]Run docker push ${{ env.REGISTRY }}/web:1",
                "2026-11-20T03:14:15.1234567Z \u{1B}[36;1mdocker push myacr.azurecr.io/web:1\u{1B}[0m",
                "2026-11-20T03:14:15.1234567Z shell: /usr/bin/bash -e {0}", "2026-11-20T03:14:15.1234567Z ##[endgroup]",
            ], wrappers: ["plain"]),
        Case(
            note: "helm OCI: oci://NAME.azurecr.io",
            lines: [
                "Error: failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://myacr.azurecr.io/oauth2/token: 401 Unauthorized"
            ], expect: [Expect(type: .unauthorized)], before: ["helm push web-1.4.2.tgz oci://myacr.azurecr.io/helm"]),
        Case(
            note: "helm 3.17+ (oras-go): response status code 401",
            lines: [
                "Error: GET \"https://myacr.azurecr.io/v2/helm/web/tags/list\": response status code 401: unauthorized: authentication required: [map[Action:pull Class: Name:helm/web Type:repository]]"
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "helm legacy helm/v1/repo",
            lines: [
                "Error: looks like \"https://myacr.azurecr.io/helm/v1/repo\" is not a valid chart repository or cannot be reached: failed to fetch https://myacr.azurecr.io/helm/v1/repo/index.yaml : 401 Unauthorized"
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "bicep module br:NAME.azurecr.io restore: 401",
            lines: [
                "Error BCP192: Unable to restore the artifact with reference \"br:myacr.azurecr.io/bicep/modules/storage:v1\": Service request failed. Status: 401 (Unauthorized)"
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "bicep publish: 403",
            lines: [
                "Error BCP229: Unable to publish module \"br:myacr.azurecr.io/bicep/modules/storage:v1\": Service request failed. Status: 403 (Forbidden)"
            ], expect: [Expect(type: .accessDenied)]),
        Case(
            note: "az acr … --registry NAME names the registry",
            lines: [
                "ERROR: Error: authentication required, visit https://aka.ms/acr/authorization for more information. Correlation ID: \(cid)."
            ], expect: [Expect(type: .unauthorized)], before: ["az acr repository list --registry myacr"], wrappers: cli
        ),
        Case(
            note: "ORAS push: response status code 401",
            lines: [
                "Error response from registry: failed to push to myacr.azurecr.io/team/artifact:v1: response status code 401: unauthorized: authentication required"
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "ORAS: Error: failed to authorize",
            lines: [
                "Error: failed to resolve latest: HEAD \"https://myacr.azurecr.io/v2/team/artifact/manifests/latest\": response status code 401: Unauthorized"
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "notation sign: 401",
            lines: [
                "Error: failed to resolve \(image): GET \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": response status code 401: unauthorized: authentication required"
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "Azure SDK: DefaultAzureCredential failed to acquire a token",
            lines: [
                "Error: failed to login to registry myacr.azurecr.io: DefaultAzureCredential failed to acquire a token. Attempted credentials: EnvironmentCredential authentication unavailable. ManagedIdentityCredential authentication unavailable."
            ], expect: [Expect(type: .aadCredential)]),
        Case(
            note: "Azure SDK for Python (azure-core): (CODE) message, then Code: and Message: lines, once",
            lines: [
                "azure.core.exceptions.ClientAuthenticationError: (UNAUTHORIZED) authentication required, visit https://aka.ms/acr/authorization for more information.",
                "Code: UNAUTHORIZED",
                "Message: authentication required, visit https://aka.ms/acr/authorization for more information.",
            ], expect: [Expect(type: .unauthorized)],
            before: ["client = ContainerRegistryClient(\"https://myacr.azurecr.io\", credential)"],
            wrappers: ["plain", "github-actions", "azure-pipelines", "journald", "jenkins", "gitlab"]),
        Case(
            note: "Azure SDK for Python (azure-core): (DENIED) with Code: and Message: lines, once",
            lines: [
                "azure.core.exceptions.HttpResponseError: (DENIED) requested access to the resource is denied",
                "Code: DENIED",
                "Message: requested access to the resource is denied",
            ], expect: [Expect(type: .accessDenied)],
            before: ["client = ContainerRegistryClient(\"https://myacr.azurecr.io\", credential)"],
            wrappers: ["plain", "github-actions", "azure-pipelines", "journald", "jenkins", "gitlab"]),
        Case(
            note: "crane: GET …: UNAUTHORIZED",
            lines: [
                "Error: GET https://myacr.azurecr.io/oauth2/token?scope=repository%3Ateam%2Fweb%3Apull&service=myacr.azurecr.io: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "ko: unexpected status code 401 Unauthorized",
            lines: [
                "Error: failed to publish images: error publishing ko://app: HEAD https://myacr.azurecr.io/v2/team/web/manifests/latest: unexpected status code 401 Unauthorized (HEAD responses have no body, use GET for details)"
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "jib: Unauthorized for NAME.azurecr.io",
            lines: [
                "[ERROR] Failed to execute goal com.google.cloud.tools:jib-maven-plugin:3.4.0:build (default-cli) on project web: Build image failed, perhaps you should make sure your credentials for 'myacr.azurecr.io/team/web' are set up correctly. See https://github.com/GoogleContainerTools/jib/blob/master/docs/faq.md#what-should-i-do-when-the-registry-responds-with-unauthorized for help: Unauthorized for myacr.azurecr.io/team/web: 401 Unauthorized"
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "BuildKit: failed to authorize, 401",
            lines: [
                "ERROR: failed to solve: failed to fetch oauth token: unexpected status from POST request to https://myacr.azurecr.io/oauth2/token: 401 Unauthorized"
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "IoT Edge agent: unauthorized pulling a module image",
            lines: [
                "<6> 2026-11-20 03:14:15.123 +00:00 [ERR] - Error pulling image \(image): Docker API responded with status code=InternalServerError, response={\"message\":\"Get https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: unauthorized: authentication required\"}"
            ], expect: [Expect(type: .unauthorized)], wrappers: ["plain"]),
        Case(
            note: "virtual-kubelet: no username present in auth config",
            lines: [
                "error=\"failed to sync pod in the provider: no username present in auth config for server: myacr.azurecr.io\""
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "AKS check-acr: rejected token exchange 401",
            lines: [
                "ACR myacr.azurecr.io rejected token exchange: ACR token exchange endpoint returned error status: 401. body: {\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
            ], expect: [Expect(type: .identityPermission)]),
        Case(
            note: "Container Apps: image pull unauthorized",
            lines: [
                "Failed to provision revision for container app 'web'. Error details: The following field(s) are either invalid or missing. Field 'template.containers.web.image' is invalid with details: 'Invalid value: \"\(image)\": GET https:?scope=repository%3Ateam%2Fweb%3Apull&service=myacr.azurecr.io: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.';"
            ], expect: [Expect(type: .unauthorized)]),
        Case(
            note: "Azure ML: could not authenticate with the Docker registry",
            lines: [
                "Failed to pull Docker image myacr.azurecr.io/azureml/azureml_1a2b3c: the compute could not authenticate with the Docker registry"
            ], expect: [Expect(type: .identityPermission)]),
        Case(
            note: "Entra's AADSTS with the identity endpoint's URL (IMDS) after az acr login still counts",
            lines: [
                "ERROR: AADSTS7000215: Invalid client secret provided. Trace ID: 1b2c Correlation ID: 3d4e Timestamp: 2026-11-20 03:14:15Z. See http://169.254.169.254/metadata/identity/oauth2/token"
            ], expect: [Expect(type: .aadCredential)], before: ["az acr login -n myacr"], wrappers: cli),
        Case(
            note: "Entra's AADSTS with an ADFS token URL after az acr login still counts",
            lines: [
                "ERROR: AADSTS7000215: Invalid client secret provided. See https://sts.contoso.com/adfs/oauth2/token"
            ],
            expect: [Expect(type: .aadCredential)], before: ["az acr login -n myacr"], wrappers: cli),
        Case(
            note: "firewall 403: client with IP … is not allowed access",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": denied: client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
            ], expect: [Expect(type: .ipNotAllowed)]),
        Case(
            note: "403 for a missing role: access-denied",
            lines: [
                "Error response from daemon: Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": denied: requested access to the resource is denied"
            ], expect: [Expect(type: .accessDenied)]),
        Case(
            note: "retry loop of the identical error in the same second: both count",
            lines: [
                "failed to resolve reference \"\(image)\": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized",
                "failed to resolve reference \"\(image)\": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized",
                "failed to resolve reference \"\(image)\": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized",
            ], expect: [Expect(type: .unauthorized), Expect(type: .unauthorized), Expect(type: .unauthorized)],
            wrappers: ["plain", "github-actions", "jenkins"]),
    ]

    // MARK: `az acr check-health` codes

    /// A check-health block as the CLI prints it: code, message, blank line, the reference link.
    static func health(_ code: String, _ message: String) -> [String] {
        [
            "An error occurred: \(code)", message, "",
            "Please refer to https://aka.ms/acr/errors#\(code.lowercased()) for more information.",
        ]
    }

    static let healthCases: [Case] =
        [
            Case(
                note: "check-health DOCKER_COMMAND_ERROR",
                lines: health("DOCKER_COMMAND_ERROR", "Please verify if Docker client is installed and running."),
                expect: [Expect(type: .dockerCommandError, registry: nil)], wrappers: ["plain", "github-actions"]),
            Case(
                note: "check-health DOCKER_DAEMON_ERROR",
                lines: health(
                    "DOCKER_DAEMON_ERROR", "Please verify if Docker daemon is running, or try restarting it."),
                expect: [Expect(type: .dockerCommandError, registry: nil)], wrappers: ["plain", "github-actions"]),
            Case(
                note: "check-health CONNECTIVITY_FORBIDDEN_ERROR",
                lines: health(
                    "CONNECTIVITY_FORBIDDEN_ERROR",
                    "Looks like you don't have access to registry 'myacr.azurecr.io'. To see configured firewall rules, run 'az acr show --query networkRuleSet --name myacr'."
                ),
                expect: [Expect(type: .ipNotAllowed)], wrappers: ["plain", "github-actions"]),
            Case(
                note: "check-health CONNECTIVITY_AAD_LOGIN_ERROR",
                lines: health(
                    "CONNECTIVITY_AAD_LOGIN_ERROR", "Registry 'myacr.azurecr.io' does not support AAD login."),
                expect: [Expect(type: .identityPermission)], wrappers: ["plain", "github-actions"]),
            Case(
                note: "check-health CONNECTIVITY_REFRESH_TOKEN_ERROR 401",
                lines: health(
                    "CONNECTIVITY_REFRESH_TOKEN_ERROR",
                    "Access to registry 'myacr.azurecr.io' was denied. Response code: 401. Please try running 'az login' again to refresh permissions."
                ),
                expect: [Expect(type: .identityPermission)], wrappers: ["plain", "github-actions"]),
            Case(
                note: "check-health CONNECTIVITY_REFRESH_TOKEN_ERROR 403",
                lines: health(
                    "CONNECTIVITY_REFRESH_TOKEN_ERROR",
                    "Access to registry 'myacr.azurecr.io' was denied. Response code: 403. Please try running 'az login' again to refresh permissions."
                ),
                expect: [Expect(type: .identityPermission)], wrappers: ["plain", "github-actions"]),
            Case(
                note: "check-health CONNECTIVITY_ACCESS_TOKEN_ERROR 401",
                lines: health(
                    "CONNECTIVITY_ACCESS_TOKEN_ERROR",
                    "Access to registry 'myacr.azurecr.io' was denied. Response code: 401. Please try running 'az login' again to refresh permissions."
                ),
                expect: [Expect(type: .identityPermission)], wrappers: ["plain", "github-actions"]),
            Case(
                note: "check-health CONNECTIVITY_ACCESS_TOKEN_ERROR 403",
                lines: health(
                    "CONNECTIVITY_ACCESS_TOKEN_ERROR",
                    "Access to registry 'myacr.azurecr.io' was denied. Response code: 403. Please try running 'az login' again to refresh permissions."
                ),
                expect: [Expect(type: .identityPermission)], wrappers: ["plain", "github-actions"]),
        ]
        + ["500", "502", "503", "504"].flatMap { status in
            ["CONNECTIVITY_REFRESH_TOKEN_ERROR", "CONNECTIVITY_ACCESS_TOKEN_ERROR"].map { code in
                Case(
                    note: "check-health \(code) \(status): not counted",
                    lines: health(
                        code,
                        "Access to registry 'myacr.azurecr.io' was denied. Response code: \(status). Please try running 'az login' again to refresh permissions."
                    ), expect: [], wrappers: ["plain", "github-actions"])
            }
        }
        + [
            ("DOCKER_VERSION_ERROR", "An error occurred while retrieving Docker version."),
            ("DOCKER_PULL_ERROR", "An error occurred while pulling a sample image."),
            ("HELM_COMMAND_ERROR", "Please verify if Helm is installed."),
            ("HELM_VERSION_ERROR", "An error occurred while retrieving Helm version."),
            ("NOTARY_COMMAND_ERROR", "Please verify if Notary is installed."),
            ("NOTARY_VERSION_ERROR", "An error occurred while retrieving Notary version."),
            ("CMK_ERROR", "The identity used for registry 'myacr.azurecr.io' encryption doesn't exist."),
            ("CONNECTIVITY_DNS_ERROR", "Failed to reach DNS for registry 'myacr.azurecr.io'."),
            ("CONNECTIVITY_CHALLENGE_ERROR", "Registry 'myacr.azurecr.io' did not issue a challenge."),
            (
                "CONNECTIVITY_WWW_AUTHENTICATE_ERROR",
                "Registry 'myacr.azurecr.io' did not ask properly for a basic or a bearer authentication."
            ),
            ("CONNECTIVITY_SSL_ERROR", "Unable to establish a secure connection to the registry 'myacr.azurecr.io'."),
            (
                "CONNECTIVITY_TOOMANYREQUESTS_ERROR",
                "Too many requests to registry 'myacr.azurecr.io': the auth system throttled the caller."
            ),
            (
                "LOGIN_SERVER_ERROR",
                "An error occurred while retrieving the login server for registry 'myacr.azurecr.io'."
            ),
            ("UNEXPECTED_ERROR", "An unexpected error occurred."),
        ].map { code, message in
            Case(
                note: "check-health \(code): not counted", lines: health(code, message), expect: [],
                wrappers: ["plain", "github-actions"])
        }

    // MARK: Look-alikes that must not count

    static let lookAlikes: [(note: String, lines: [String])] = [
        (
            "a 401 on GET /v2/ in a debug trace is the login challenge",
            [
                "DEBU[0000] GET https://myacr.azurecr.io/v2/",
                "DEBU[0000] GET https://myacr.azurecr.io/v2/ 401 Unauthorized",
            ]
        ),
        (
            "a 401 on GET /v2/ in a curl trace",
            ["> GET /v2/ HTTP/1.1", "> Host: myacr.azurecr.io", "< HTTP/1.1 401 Unauthorized"]
        ),
        (
            "Response code: 504 is a gateway timeout",
            [
                "Access to registry 'myacr.azurecr.io' was denied. Response code: 504. Please try running 'az login' again to refresh permissions."
            ]
        ),
        ("denied: without an ACR host is Docker Hub", ["denied: requested access to the resource is denied"]),
        (
            "denied: after a push to Docker Hub",
            [
                "The push refers to repository [docker.io/team/web]",
                "denied: requested access to the resource is denied",
            ]
        ),
        ("ghcr.io 401", ["Error response from daemon: Get \"https://ghcr.io/v2/\": denied: denied"]),
        (
            "quay.io 401",
            [
                "Error response from daemon: Get \"https://quay.io/v2/\": unauthorized: access to the requested resource is not authorized"
            ]
        ),
        (
            "mcr.microsoft.com 401",
            [
                "Error response from daemon: Head \"https://mcr.microsoft.com/v2/dotnet/private/manifests/8.0\": unauthorized: authentication required"
            ]
        ),
        (
            "gcr.io 403",
            [
                "Error response from daemon: Get \"https://gcr.io/v2/proj/app/manifests/1\": denied: Permission denied for \"1\""
            ]
        ),
        (
            "ECR 401",
            [
                "Error response from daemon: pull access denied for 123456789012.dkr.ecr.us-east-1.amazonaws.com/app, repository does not exist or may require 'docker login': denied: Your authorization token has expired. Reauthenticate and try again."
            ]
        ),
        (
            "toomanyrequests with an aka.ms/acr link is throttling",
            [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": toomanyrequests: too many requests, visit https://aka.ms/acr/throttling for more information."
            ]
        ),
        (
            "Harbor in a log that also uses ACR",
            [
                "az acr login -n myacr",
                "Error response from daemon: Get \"https://harbor.contoso.com/v2/\": unauthorized: authentication required",
            ]
        ),
        (
            "Artifactory in a log that also uses ACR",
            [
                "docker pull myacr.azurecr.io/team/web:1.4.2",
                "Error response from daemon: Head \"https://contoso.jfrog.io/v2/docker/app/manifests/1\": unknown: Authentication is required",
            ]
        ),
        (
            "Nexus in a log that also uses ACR",
            [
                "docker login myacr.azurecr.io",
                "Error response from daemon: login attempt to https://nexus.contoso.com/v2/ failed with status: 401 Unauthorized",
            ]
        ),
        (
            "an application's own 401 from an internal API",
            [
                "docker run myacr.azurecr.io/team/web:1.4.2",
                "2026-11-20 03:14:15 ERROR HttpClient: GET https://api.contoso.com/orders returned 401 Unauthorized",
            ]
        ),
        ("per-layer Retrying in N seconds alone", ["a1b2c3d4e5f6: Retrying in 5 seconds"]),
        (
            "manifest unknown",
            [
                "Error response from daemon: manifest for \(image) not found: manifest unknown: manifest tagged by \"1.4.2\" is not found"
            ]
        ),
    ]

    /// Wrappers a look-alike is not tried in, with the reason: kubelet never logs an application's own
    /// HTTP calls, and the klog wrapper's `kuberuntime_image.go` holds a registry word ("image").
    static let lookAlikeSkips: [String: [String]] = ["an application's own 401 from an internal API": ["klog"]]

    // MARK: Timestamps

    static func ms(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, _ f: Int) -> Int64 {
        Timestamp.milliseconds(year: y, month: mo, day: d, hour: h, minute: mi, second: s) + Int64(f)
    }

    static let body =
        "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required"

    static let timestamps: [(note: String, lines: [String], ms: Int64)] = [
        ("GitHub Actions 7-digit fraction", ["2024-04-13T00:29:22.8113058Z \(body)"], ms(2024, 4, 13, 0, 29, 22, 811)),
        (
            "Azure Pipelines ##[error]", ["2024-04-13T00:29:22.8113058Z ##[error]\(body)"],
            ms(2024, 4, 13, 0, 29, 22, 811)
        ),
        (
            "Azure CLI embedded time",
            [
                "ERROR: 2022-09-23 04:00:53.806011 An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR",
                "Access to registry 'myacr.azurecr.io' was denied. Response code: 401. Please try running 'az login' again to refresh permissions.",
            ], ms(2022, 9, 23, 4, 0, 53, 806)
        ),
        (
            "Azure CLI embedded time inside the message",
            [
                "WARNING: Unable to get AAD authorization tokens with message: 2022-09-23 04:00:53.806011 An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR",
                "Access to registry 'myacr.azurecr.io' was denied. Response code: 401. Please try running 'az login' again to refresh permissions.",
            ], ms(2022, 9, 23, 4, 0, 53, 806)
        ),
        (
            "ACR Tasks YYYY/MM/DD",
            ["2023/08/24 12:43:22 failed to login, ran out of retries: failed to set docker credentials: \(body)"],
            ms(2023, 8, 24, 12, 43, 22, 0)
        ),
        (
            "App Service YYYY-MM-DD hh:mm:ss.fff ERROR -",
            [
                "2020-02-27 20:26:51.124 ERROR - Pulling docker image myacr.azurecr.io/team/web:1.4.2 failed:",
                "2020-02-27 20:26:51.124 INFO  - Pulling image: myacr.azurecr.io/team/web:1.4.2",
                "2020-02-27 20:26:51.124 ERROR - DockerApiException: Docker API responded with status code=InternalServerError, response={\"message\":\"Get https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: unauthorized: authentication required\"}",
            ], ms(2020, 2, 27, 20, 26, 51, 124)
        ),
        (
            "App Service DD/MM/YYYY hh:mm:ss.fff ERROR -",
            [
                "17/09/2018 18:41:42.500 ERROR - DockerApiException: Docker API responded with status code=InternalServerError, response={\"message\":\"Get https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: unauthorized: authentication required\"}"
            ], ms(2018, 9, 17, 18, 41, 42, 500)
        ),
        (
            "klog E1111 07:43:27.960158 (year from the reference)",
            ["E1111 07:43:27.960158    2211 kuberuntime_image.go:53] \(pull)"], ms(2026, 11, 11, 7, 43, 27, 960)
        ),
        (
            "logrus time=\"…\" with Z",
            ["time=\"2026-11-20T03:14:15.118427693Z\" level=error msg=\"\(quoted(body))\""],
            ms(2026, 11, 20, 3, 14, 15, 118)
        ),
        (
            "logrus time=\"…\" with a zone offset",
            ["time=\"2026-11-20T04:14:15.118427693+01:00\" level=error msg=\"\(quoted(body))\""],
            ms(2026, 11, 20, 3, 14, 15, 118)
        ),
        (
            "logrus time=\"…\" with a negative zone offset",
            ["time=\"2026-11-19T22:14:15.118-05:00\" level=error msg=\"\(quoted(body))\""],
            ms(2026, 11, 20, 3, 14, 15, 118)
        ),
        (
            "ERRO[0001] takes the last timestamp seen",
            ["time=\"2026-11-20T03:14:14Z\" level=info msg=\"starting\"", "ERRO[0001] \(body)"],
            ms(2026, 11, 20, 3, 14, 14, 0)
        ),
        (
            "journald Mar 13 15:19:00 host docker[6947]:",
            ["Mar 13 15:19:00 host docker[6947]: \(body)"], ms(2026, 3, 13, 15, 19, 0, 0)
        ),
        (
            "Jenkins timestamper [2026-11-20T03:14:15.123Z]", ["[2026-11-20T03:14:15.123Z] \(body)"],
            ms(2026, 11, 20, 3, 14, 15, 123)
        ),
        (
            "docker json-file time",
            ["{\"log\":\"\(json(body))\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-20T03:14:15.118427693Z\"}"],
            ms(2026, 11, 20, 3, 14, 15, 118)
        ),
    ]

    // MARK: Server side

    static let serverSide: [(note: String, lines: [String], expect: [Expect])] = [
        (
            "ContainerRegistryLoginEvents JSON, 401",
            [
                "{\"TimeGenerated\":\"2026-11-20T03:14:15.123Z\",\"LoginServer\":\"myacr.azurecr.io\",\"Identity\":\"ci-sp\",\"CallerIpAddress\":\"203.0.113.7\",\"OperationName\":\"Login\",\"ResultType\":\"401\",\"ResultDescription\":\"Unauthorized\",\"UserAgent\":\"docker/24.0.7\",\"CorrelationId\":\"\(cid)\"}"
            ], [Expect(type: .unauthorized)]
        ),
        (
            "ContainerRegistryRepositoryEvents JSON, 403",
            [
                "{\"TimeGenerated\":\"2026-11-20T03:14:15.123Z\",\"LoginServer\":\"myacr.azurecr.io\",\"Identity\":\"ci-sp\",\"CallerIpAddress\":\"203.0.113.7\",\"OperationName\":\"Pull\",\"ResultType\":\"403\",\"ResultDescription\":\"Forbidden\",\"Repository\":\"team/web\",\"Tag\":\"1.4.2\",\"Digest\":\"\",\"CorrelationId\":\"\(cid)\"}"
            ], [Expect(type: .accessDenied)]
        ),
        (
            "ContainerRegistryLoginEvents JSON, 200: not counted",
            [
                "{\"TimeGenerated\":\"2026-11-20T03:14:15.123Z\",\"LoginServer\":\"myacr.azurecr.io\",\"Identity\":\"ci-sp\",\"CallerIpAddress\":\"203.0.113.7\",\"OperationName\":\"Login\",\"ResultType\":\"200\",\"ResultDescription\":\"OK\",\"CorrelationId\":\"\(cid)\"}"
            ], []
        ),
    ]

    // MARK: The checks

    /// What is wrong with a case in one wrapper, or nil.
    static func check(_ c: Case, wrapper: (name: String, timed: Bool, wrap: @Sendable (String) -> String)) -> String? {
        let found = Support.scan(lines: c.before + c.lines.map(wrapper.wrap))
        let got = found.map { "\($0.type.rawValue)/\($0.registry ?? "-")/x\($0.attempts)" }
        let want = c.expect.map { "\($0.type.rawValue)/\($0.registry ?? "-")/x\($0.attempts)" }
        if got != want { return "[\(wrapper.name)] want \(want) got \(got): \(found.map(\.excerpt))" }
        if wrapper.timed, c.before.isEmpty, let first = found.first, first.timestamp.map({ $0 / 1000 }) != second {
            return "[\(wrapper.name)] time \(String(describing: first.timestamp)) not \(second)"
        }
        return nil
    }

    @Test("each field-note shape counts as the notes say, in each wrapper it names", arguments: 0..<cases.count)
    func shape(_ index: Int) {
        let c = Self.cases[index]
        for wrapper in Self.wrappers where c.wrappers.contains(wrapper.name) {
            let problem = Self.check(c, wrapper: wrapper)
            #expect(problem == nil, "\(c.note) \(problem ?? "")")
        }
    }

    @Test("each field-note look-alike is not counted, in every wrapper", arguments: 0..<lookAlikes.count)
    func lookAlike(_ index: Int) {
        let (note, lines) = Self.lookAlikes[index]
        for wrapper in Self.wrappers where !(Self.lookAlikeSkips[note] ?? []).contains(wrapper.name) {
            let found = Support.scan(lines: lines.map(wrapper.wrap))
            #expect(found.isEmpty, "\(note) [\(wrapper.name)]: \(found.map { "\($0.type) \($0.excerpt)" })")
        }
    }

    @Test("each field-note timestamp form is parsed to the right UTC instant", arguments: 0..<timestamps.count)
    func timestamp(_ index: Int) {
        let (note, lines, ms) = Self.timestamps[index]
        let found = Support.scan(lines: lines)
        #expect(found.count == 1, "\(note): \(found.map(\.excerpt))")
        #expect(found.first?.timestamp == ms, "\(note): \(String(describing: found.first?.timestamp)) not \(ms)")
    }

    @Test("ACR's own diagnostic log rows (server side)", arguments: 0..<serverSide.count)
    func server(_ index: Int) {
        let (note, lines, expect) = Self.serverSide[index]
        let found = Support.scan(lines: lines)
        #expect(found.map(\.type) == expect.map(\.type), "\(note): \(found.map(\.excerpt))")
        #expect(found.map(\.registry) == expect.map(\.registry), "\(note)")
        if !expect.isEmpty { #expect(found.first?.timestamp == Self.ms(2026, 11, 20, 3, 14, 15, 123), "\(note)") }
    }
}
