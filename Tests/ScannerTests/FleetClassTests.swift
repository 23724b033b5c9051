import LogModel
import LogScanner
import Testing

/// The classes that the independent synthetic-fleet check (scripts/fleet-oracle.py; docs/accuracy.md,
/// "Synthetic fleet check") showed the scanner getting wrong, each written from its general shape
/// (several registries, clouds, masks and wrappers) with its look-alikes.
@Suite struct FleetClassTests {
    static let wrappers = ShapeClassTests.wrappers

    // MARK: A status number is a number of its own

    /// A token step's status decides between unauthorized (401) and access-denied (403); the same
    /// three digits inside a longer number (a nanosecond time, a pod's hash, a runner's fraction)
    /// are no status.
    @Test("digits 401 or 403 inside a longer number are not the token step's status")
    func statusDigitsInsideNumbers() {
        for host in ["teamreg42.azurecr.io", "TeamReg42.AzureCR.cn", "teamreg42.westeurope.data.azurecr.io"] {
            let ref = "\(host)/web/api:1.4.2"
            let cases: [(String, ErrorType)] = [
                (
                    "time=\"2026-11-20T01:23:24.740312403Z\" level=error msg=\"PullImage \\\"\(ref)\\\" failed\" error=\"failed to pull and unpack image \\\"\(ref)\\\": failed to resolve reference \\\"\(ref)\\\": failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://\(host)/oauth2/token: 401 Unauthorized\"",
                    .unauthorized
                ),
                (
                    "21m  Warning  Failed  pod/app-8443cba15a-40394  Failed to pull image \"\(ref)\": rpc error: code = Unknown desc = failed to pull and unpack image \"\(ref)\": failed to resolve reference \"\(ref)\": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized",
                    .unauthorized
                ),
                (
                    "ERROR: failed to solve: failed to push \(ref) (build 7c4038e1): failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://\(host)/oauth2/token: 401 Unauthorized",
                    .unauthorized
                ),
                (
                    "21m  Warning  Failed  pod/app-7d4019bc5-x2k9p  Failed to pull image \"\(ref)\": failed to authorize: failed to fetch oauth token: unexpected status: 403 Forbidden",
                    .accessDenied
                ),
            ]
            for (line, type) in cases {
                for wrapper in Self.wrappers {
                    let found = Support.scan(lines: [wrapper.wrap(line)])
                    #expect(found.map(\.type) == [type], "\(wrapper.name): \(line)")
                    #expect(found.first?.registry == "teamreg42", "\(wrapper.name): \(line)")
                }
            }
            // Look-alike: the token step failed without any status (a refused connection); the
            // pod's hash holds 401 and 403.
            let refused =
                "\"PullImage from image service failed\" err=\"rpc error: code = Unknown desc = failed to pull and unpack image \\\"\(ref)\\\": failed to resolve reference \\\"\(ref)\\\": failed to authorize: failed to fetch oauth token: Post \\\"https://\(host)/oauth2/token\\\": dial tcp 20.62.1.9:443: connect: connection refused\" pod=\"default/api-6d4013bb7-k401z\""
            for wrapper in Self.wrappers {
                #expect(Support.scan(lines: [wrapper.wrap(refused)]).isEmpty, "\(wrapper.name): \(refused)")
            }
        }
    }

    // MARK: A CI annotation echoes one line

    static let runners: [(name: String, stamp: @Sendable (Int) -> String)] = [
        ("github-actions", { "2026-11-20T03:14:\(10 + $0).1234567Z " }),
        ("azure-pipelines", { "2026-11-20T03:14:\(10 + $0).7654321Z " }),
    ]

    /// A retry loop under a runner whose problem matcher annotates each error line: every tool line
    /// is an attempt, every `##[error]` line the echo of the one before it.
    @Test("a retry after an annotation counts: each annotation echoes only the line before it")
    func retryAfterAnnotation() {
        for host in ["teamreg42.azurecr.io", "TEAMREG42.AzureCR.us", "teamreg42.eastus.data.azurecr.io"] {
            let error =
                "Error response from daemon: Head \"https://\(host)/v2/web/manifests/2\": unauthorized: authentication required"
            for runner in Self.runners {
                let t = runner.stamp(0)
                // tool, annotation, tool, annotation: two attempts.
                let two = [t + error, t + "##[error]" + error, t + error, t + "##[error]" + error]
                #expect(Support.scan(lines: two).count == 2, "\(runner.name): \(host)")
                // tool, annotation, tool, tool, annotation: three attempts.
                let three = [t + error, t + "##[error]" + error, t + error, t + error, t + "##[error]" + error]
                let found = Support.scan(lines: three)
                #expect(found.count == 3, "\(runner.name): \(host)")
                #expect(found.allSatisfy { $0.registry == "teamreg42" && $0.type == .unauthorized }, "\(runner.name)")
                // The echo itself still counts once.
                #expect(Support.scan(lines: [t + error, t + "##[error]" + error]).count == 1, "\(runner.name)")
            }
        }
    }

    /// An annotation that a step prints on its own (docker/login-action reports its failure only
    /// as `##[error]…`) is a failure of its own, also when an earlier step of the job failed at
    /// the same registry a few lines before: an echo comes with the line it repeats, in the same
    /// second.
    @Test("an annotation seconds after another failure of the same registry is a failure of its own")
    func laterAnnotationIsNew() {
        for host in ["teamreg42.azurecr.io", "TeamReg42.azurecr.io:443", "teamreg42.azurecr.cn"] {
            let podman =
                "Error: initializing source docker://\(host)/platform/gateway:v2: reading manifest v2 in \(host)/platform/gateway: unauthorized: authentication required"
            let login =
                "##[error]Error response from daemon: Get \"https://\(host)/v2/\": unauthorized: authentication required"
            for runner in Self.runners {
                let lines = [
                    runner.stamp(0) + podman,
                    runner.stamp(20) + "##[group]Run docker/login-action@v3",
                    runner.stamp(20) + "with:",
                    runner.stamp(20) + "##[endgroup]",
                    runner.stamp(41) + login,
                ]
                let found = Support.scan(lines: lines)
                #expect(found.map(\.line) == [1, 5], "\(runner.name): \(host)")
                #expect(found.allSatisfy { $0.registry == "teamreg42" }, "\(runner.name)")
                // Printed with the tool's line (the same second), it is the echo.
                let echo = [runner.stamp(0) + podman, runner.stamp(0) + login]
                #expect(Support.scan(lines: echo).count == 1, "\(runner.name): \(host)")
            }
        }
    }

    // MARK: A redacted host in a push, pull or login command

    /// People and CI redact the registry in more ways than `***` (FIELD-NOTES): `<redacted>`,
    /// `[REDACTED]`, `{registry}`, `<acr-name>`, alone or before `.azurecr.io`. In a push or pull
    /// command, or its `The push refers to repository [...]` line, such a host is ACR's (after an
    /// `az acr login` of the same masked name), with an unknown name: a registry named earlier in
    /// the log is not this one.
    @Test("a push to a redacted host counts with an unknown registry, whatever the redaction")
    func redactedPushTarget() {
        let failures: [(String, ErrorType)] = [
            ("unauthorized: authentication required", .unauthorized),
            ("denied: requested access to the resource is denied", .accessDenied),
            ("unauthorized: unauthorized to access repository: web, action: push", .accessDenied),
        ]
        for mask in ["<redacted>", "[REDACTED]", "{registry}", "<acr-name>", "[masked]"] {
            for host in [mask, "\(mask).azurecr.io"] {
                for (failure, type) in failures {
                    let lines = [
                        "$ az acr login -n teamreg42", "Login Succeeded",
                        "$ az acr login -n \(mask)", "Login Succeeded",
                        "$ docker push \(host)/web:2026.11.20",
                        "The push refers to repository [\(host)/web]",
                        "0eed582591ce: Preparing",
                        failure,
                    ]
                    for wrapper in Self.wrappers {
                        let found = Support.scan(lines: lines.map(wrapper.wrap))
                        #expect(found.map(\.type) == [type], "\(wrapper.name): \(host): \(failure)")
                        #expect(found.first.map { $0.registry == nil } == true, "\(wrapper.name): \(host)")
                    }
                }
            }
        }
        // Look-alikes: a push to Docker Hub, and to a named registry that is not ACR, after an ACR login.
        for target in ["contoso/web", "harbor.contoso.com/team/web"] {
            let lines = [
                "$ az acr login -n teamreg42", "Login Succeeded",
                "$ docker push \(target):1", "The push refers to repository [\(target)]",
                "denied: requested access to the resource is denied",
            ]
            for wrapper in Self.wrappers {
                #expect(Support.scan(lines: lines.map(wrapper.wrap)).isEmpty, "\(wrapper.name): \(target)")
            }
        }
    }

    /// Docker's json-file driver writes `<` and `>` as `\u003c` and `\u003e` (Go's encoder): a
    /// redaction in angle brackets reaches the scanner in that form, and is still a mask.
    @Test("a JSON-escaped redaction (\\u003credacted\\u003e) in a push is a mask, in Docker's json-file log")
    func jsonEscapedRedaction() {
        func record(_ text: String, _ stream: String = "stdout") -> String {
            #"{"log":""# + text + #"\n","stream":""# + stream + #"","time":"2026-11-28T02:10:08.453091507Z"}"#
        }
        for mask in [#"\u003credacted\u003e"#, #"\u003cacr-name\u003e"#, #"\u003CREDACTED\u003E"#] {
            for host in [mask, "\(mask).azurecr.io"] {
                for (failure, type) in [
                    ("denied: requested access to the resource is denied", ErrorType.accessDenied),
                    ("unauthorized: authentication required", .unauthorized),
                ] {
                    let lines = [
                        record("+ az acr login -n \(mask)"), record("Login Succeeded"),
                        record("+ docker push \(host)/worker:2026.11.20"),
                        record("The push refers to repository [\(host)/worker]"),
                        record("270574f34ddc: Preparing"), record(failure, "stderr"),
                    ]
                    let found = Support.scan(lines: lines)
                    #expect(found.map(\.type) == [type], "\(host): \(failure)")
                    #expect(found.first.map { $0.registry == nil } == true, "\(host)")
                }
            }
        }
        // Look-alike: an escaped angle bracket that is no host (a shell redirection after the image).
        let lines = [
            record("+ az acr login -n teamreg42"),
            record(#"+ docker push contoso/worker:1 \u003e push.log"#),
            record("The push refers to repository [docker.io/contoso/worker]"),
            record("denied: requested access to the resource is denied", "stderr"),
        ]
        #expect(Support.scan(lines: lines).isEmpty)
    }

    // MARK: A traced login challenge

    /// `curl -v` traces a request: `> GET /v2/`, `< HTTP/1.1 401 Unauthorized`, the response's
    /// headers (`< Www-Authenticate: …`), `<`, then the body. A 401 on `/v2/` in a debug trace is the
    /// normal login challenge (FIELD-NOTES), and so is the JSON error body it prints after the
    /// headers; the same body printed alone (`curl -s -u user:wrong …`) or after a tool's error
    /// line is a failure.
    @Test("the JSON body of a traced 401 response (curl -v) is the login challenge, not a failure")
    func tracedChallengeBody() {
        let body =
            #"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required, visit https://aka.ms/acr/authorization for more information.","detail":null}]}"#
        let wrappers = Self.wrappers.filter { ["plain", "github-actions", "jenkins"].contains($0.name) }
        for host in ["teamreg42.azurecr.io", "TeamReg42.azurecr.cn", "teamreg42.eastus.data.azurecr.io"] {
            let trace = [
                "$ curl -v https://\(host)/v2/", "> GET /v2/ HTTP/1.1", "> Host: \(host)", "> User-Agent: curl/8.5.0",
                ">", "< HTTP/1.1 401 Unauthorized", "< Content-Type: application/json; charset=utf-8",
                "< Www-Authenticate: Bearer realm=\"https://\(host)/oauth2/token\",service=\"\(host)\"", "<", body,
            ]
            for wrapper in wrappers {
                let text = trace.map(wrapper.wrap)
                #expect(Support.scan(lines: text).isEmpty, "\(wrapper.name): \(host)")
                // Whatever the chunking: the body may start a region.
                for chunk in stride(from: 5, to: 400, by: 13) {
                    #expect(Support.scan(lines: text, chunk: chunk).isEmpty, "\(wrapper.name): \(host), chunk \(chunk)")
                }
                // The body alone, or after the tool's own error line: a failure.
                let alone = ["$ curl -s -u ci:*** https://\(host)/v2/", body].map(wrapper.wrap)
                #expect(Support.scan(lines: alone).map(\.type) == [.unauthorized], "\(wrapper.name): \(host)")
                let tool = [
                    "Error response from daemon: Get \"https://\(host)/v2/\": unauthorized: ", body,
                ].map(wrapper.wrap)
                #expect(Support.scan(lines: tool).map(\.type) == [.unauthorized], "\(wrapper.name): \(host)")
            }
            // The same trace in Docker's json-file records (a CI job in a container).
            func record(_ text: String) -> String {
                let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                    of: "\"", with: "\\\"")
                return #"{"log":""# + escaped + #"\n","stream":"stderr","time":"2026-11-20T03:14:15.123456789Z"}"#
            }
            #expect(Support.scan(lines: trace.map(record)).isEmpty, "json-file: \(host)")
            // Docker's encoder writes `<` and `>` as `\u003c` and `\u003e`.
            let goEscaped = trace.map(record).map {
                $0.replacingOccurrences(of: "<", with: #"\u003c"#).replacingOccurrences(of: ">", with: #"\u003e"#)
            }
            #expect(Support.scan(lines: goEscaped).isEmpty, "json-file, Go's escapes: \(host)")
            let alone = ["$ curl -s -u ci:*** https://\(host)/v2/", body].map(record)
            #expect(Support.scan(lines: alone).map(\.type) == [.unauthorized], "json-file: \(host)")
        }
    }

    // MARK: klog's err=< block and kubelet's second logger

    /// kubelet prints a long error as a klog block (`err=<`, the message on tab-indented lines,
    /// ` > image=…`), then its second logger (`kuberuntime_manager`, `pod_workers`) repeats it in
    /// the same second: one failure, as when the error fits on one line.
    @Test("a klog err=< block and the second logger's repeat are one failure")
    func klogBlockEcho() {
        for host in ["teamreg42.azurecr.io", "TEAMREG42.AzureCR.us", "teamreg42.azurecr.io:443"] {
            for (cause, type) in [
                ("failed to fetch anonymous token: unexpected status: 401 Unauthorized", ErrorType.anonymousPull),
                ("failed to fetch oauth token: unexpected status: 401 Unauthorized", .unauthorized),
            ] {
                let ref = "\(host)/team-a/billing:1.4.2"
                let err =
                    "rpc error: code = Unknown desc = failed to pull and unpack image \"\(ref)\": failed to resolve reference \"\(ref)\": failed to authorize: \(cause)"
                let escaped = err.replacingOccurrences(of: "\"", with: "\\\"")
                func block(_ s: Int) -> [String] {
                    [
                        "E1120 02:25:\(s).451944    2345 remote_image.go:180] \"PullImage from image service failed\" err=<",
                        "\t" + err,
                        " > image=\"\(ref)\"",
                        "E1120 02:25:\(s).452010    2345 kuberuntime_manager.go:1256] \"Unhandled Error\" err=\"container &Container{Name:app,Image:\(ref),} start failed in pod app-8b7844082b-9a4a3_default: ErrImagePull: \(escaped)\" logger=\"UnhandledError\"",
                        "E1120 02:25:\(s).452230    2345 pod_workers.go:1301] \"Error syncing pod, skipping\" err=\"failed to \\\"StartContainer\\\" for \\\"app\\\" with ErrImagePull: \\\"\(escaped)\\\"\" pod=\"default/app-8b7844082b-9a4a3\"",
                    ]
                }
                // Raw, and through syslog (whose tag stamps every line, the block's too).
                for syslog in [false, true] {
                    func wrapped(_ s: Int) -> [String] {
                        block(s).map { syslog ? "Nov 20 02:25:\(s) node-3 kubelet[2345]: " + $0 : $0 }
                    }
                    let one = Support.scan(lines: wrapped(16))
                    #expect(one.map(\.type) == [type], "\(host): \(cause)")
                    #expect(one.first?.registry == "teamreg42", "\(host)")
                    // The next attempt, half a minute later, is a failure of its own.
                    #expect(Support.scan(lines: wrapped(16) + wrapped(47)).count == 2, "\(host)")
                }
            }
        }
    }
}
