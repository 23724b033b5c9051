import LogModel
import LogScanner
import Testing

/// The classes that round 6b (the CI and build side: real logs and the tools' sources) showed the
/// rules missing (docs/accuracy.md, "Round 6b"), each written from its general shape, tried in several
/// wrappers, with its look-alikes.
@Suite struct BuildSideClassTests {
    static let wrappers = ShapeClassTests.wrappers
    /// Wrappers that stamp no time on the line: a runner's raw log without timestamps, a tool's indented
    /// output (pack, Pulumi), a Windows agent's CRLF.
    static let unstamped: [(name: String, wrap: @Sendable (String) -> String)] = [
        ("plain", { $0 }), ("indented", { "    " + $0 }), ("crlf", { $0 + "\r" }),
    ]

    /// A step's own line, then a summary that re-reports it under another lead (another tool than the
    /// source formats use, other registries, types and messages).
    static let summaries: [(lines: [String], type: ErrorType, registry: String?)] = [
        (
            [
                "Error: failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://contosoprod.azurecr.io/oauth2/token: 403 Forbidden",
                "helm.go:84: [debug] failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://contosoprod.azurecr.io/oauth2/token: 403 Forbidden",
            ], .accessDenied, "contosoprod"
        ),
        (
            [
                "time out: pull of fabrikamci.azurecr.io/tools/lint:7 failed: Error response from daemon: Get \"https://fabrikamci.azurecr.io/v2/\": denied: client with IP '203.0.113.9' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.",
                "",
                "FAILED: job 'lint' could not start: Error response from daemon: Get \"https://fabrikamci.azurecr.io/v2/\": denied: client with IP '203.0.113.9' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.",
            ], .ipNotAllowed, "fabrikamci"
        ),
        (
            [
                "#7 ERROR: failed to push contosoprod.azurecr.io/api:2.0.1: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://contosoprod.azurecr.io/oauth2/token?scope=repository%3Aapi%3Apull%2Cpush&service=contosoprod.azurecr.io: 401 Unauthorized",
                "------",
                "ERROR: failed to solve: failed to push contosoprod.azurecr.io/api:2.0.1: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://contosoprod.azurecr.io/oauth2/token?scope=repository%3Aapi%3Apull%2Cpush&service=contosoprod.azurecr.io: 401 Unauthorized",
            ], .anonymousPull, "contosoprod"
        ),
    ]

    @Test("a summary that ends with the failure just printed, login server included, under another lead counts once")
    func summaryEcho() {
        for (lines, type, registry) in Self.summaries {
            for wrapper in Self.unstamped + Self.wrappers {
                let found = Support.scan(lines: lines.map(wrapper.wrap))
                #expect(found.map(\.type) == [type], "\(wrapper.name): \(lines[0].prefix(60))")
                #expect(found.first?.registry == registry, "\(wrapper.name)")
            }
        }
    }

    static let pullLine =
        "WARNING: Failed to pull image with policy \"always\": Error response from daemon: Head \"https://myacr.azurecr.io/v2/ci/build/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information. (manager.go:250:0s)"

    /// (Lines stamped in the same second follow the older rule for a second logger: one failure.)
    @Test("a new attempt reported in the same words (another pull policy, another counter) still counts again")
    func sameLeadRetry() {
        let nextPolicy = Self.pullLine.replacingOccurrences(of: "\"always\"", with: "\"if-not-present\"")
        for wrapper in Self.unstamped {
            let found = Support.scan(lines: [
                wrapper.wrap(Self.pullLine), wrapper.wrap("Attempt #2: Trying \"if-not-present\" pull policy"),
                wrapper.wrap(nextPolicy),
            ])
            #expect(found.count == 2, "\(wrapper.name)")
        }
        let attempts = (1...3).map {
            "attempt \($0) of 3: Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required"
        }
        #expect(Support.scan(lines: attempts).count == 3)
    }

    /// GitLab Runner's raw job log stamps each line (`2026-11-20T03:14:15.123456Z 00O `); its preparation
    /// retries come three seconds apart. (Without the stamps, a retry printed within five lines of the
    /// last summary is taken for its echo: the echo filter compares each failure with the one just
    /// before it only, so that a scan resumed anywhere loses nothing; docs/counting-rules.md.)
    @Test(
        "GitLab Runner's preparation retries, seconds apart, count once per attempt; the summaries between them do not")
    func preparationRetries() {
        let tail =
            "with specified policies [always]: Error response from daemon: Head \"https://myacr.azurecr.io/v2/ci/build/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information. (manager.go:250:0s)"
        let attempt = [
            "Using Docker executor with image myacr.azurecr.io/ci/build:1.4.2 ...",
            "Pulling docker image myacr.azurecr.io/ci/build:1.4.2 ...", Self.pullLine,
        ]
        let prepared = "ERROR: Preparation failed: failed to pull image \"myacr.azurecr.io/ci/build:1.4.2\" \(tail)"
        let attempts = [
            attempt + [prepared, "Will be retried in 3s ..."], attempt + [prepared, "Will be retried in 3s ..."],
            attempt + [
                "ERROR: Job failed (system failure): failed to pull image \"myacr.azurecr.io/ci/build:1.4.2\" \(tail)"
            ],
        ]
        var lines: [String] = []
        for (i, attemptLines) in attempts.enumerated() {
            lines += attemptLines.map { "2026-11-20T03:14:\(10 + 3 * i).123456Z 00O \($0)" }
        }
        let found = Support.scan(lines: lines)
        #expect(found.map(\.type) == [.unauthorized, .unauthorized, .unauthorized])
        #expect(found.map(\.line) == [3, 8, 13])
    }

    @Test("two failures that share only ACR's generic message, no login server in the common end, both count")
    func genericTailNoEcho() {
        for wrapper in Self.unstamped {
            let found = Support.scan(lines: [
                wrapper.wrap(
                    "Error response from daemon: Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
                ),
                wrapper.wrap("The push refers to repository [myacr.azurecr.io/team/web]"),
                wrapper.wrap(
                    "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
                ),
            ])
            #expect(found.count == 2, "\(wrapper.name)")
        }
    }

    @Test("the same end from other repositories, from lines stamped seconds apart, or beyond five lines counts again")
    func notSummaries() {
        // Compose pulling two services' images from the same registry.
        let twoImages = Support.scan(lines: [
            " Image myacr.azurecr.io/team/web:1.4.2 Error Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
            " Image myacr.azurecr.io/team/api:1.4.2 Error Head \"https://myacr.azurecr.io/v2/team/api/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
        ])
        #expect(twoImages.count == 2)
        // Two loggers' lines thirty seconds apart: a retry, not a summary.
        let retried = Support.scan(lines: [
            "2026-11-20T03:14:15.1234567Z \(Self.pullLine)",
            "2026-11-20T03:14:45.1234567Z ERROR: Job failed: failed to pull image \"myacr.azurecr.io/ci/build:1.4.2\" with specified policies [always]: Error response from daemon: Head \"https://myacr.azurecr.io/v2/ci/build/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information. (manager.go:250:0s)",
        ])
        #expect(retried.count == 2)
        let far = Support.scan(
            lines: [Self.pullLine] + (1...5).map { "Step \($0)/5 : RUN make" }
                + [
                    "ERROR: Job failed: failed to pull image \"myacr.azurecr.io/ci/build:1.4.2\" with specified policies [always]: Error response from daemon: Head \"https://myacr.azurecr.io/v2/ci/build/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information. (manager.go:250:0s)"
                ])
        #expect(far.count == 2)
    }

    /// Events joined on one line: the pull's failure, then its back-off.
    static let joined: [(String, ErrorType)] = [
        (
            "\"message\":\"pulling image \\\"contosoprod.azurecr.io/web:1.4.2\\\";Failed to pull image \\\"contosoprod.azurecr.io/web:1.4.2\\\": rpc error: code Unknown desc Error response from daemon: Get https://contosoprod.azurecr.io/v2/web/manifests/1.4.2: unauthorized: authentication required;Back-off pulling image \\\"contosoprod.azurecr.io/web:1.4.2\\\"\"",
            .unauthorized
        ),
        (
            "pulling image \"contosoprod.azurecr.io/web:1.4.2\";Failed to pull image \"contosoprod.azurecr.io/web:1.4.2\": Error response from daemon: pull access denied for contosoprod.azurecr.io/web, repository does not exist or may require 'docker login': denied: requested access to the resource is denied;Back-off pulling image \"contosoprod.azurecr.io/web:1.4.2\"",
            .accessDenied
        ),
    ]

    @Test(
        "a failure joined with its later back-off event on one line counts; a back-off line quoting the error does not")
    func backOffAfterFailure() {
        for (line, type) in Self.joined {
            for wrapper in Self.wrappers {
                let found = Support.scan(lines: [wrapper.wrap(line)])
                #expect(found.map(\.type) == [type], "\(wrapper.name)")
                #expect(found.first?.registry == "contosoprod", "\(wrapper.name)")
            }
        }
        for line in [
            "Back-off pulling image \"contosoprod.azurecr.io/web:1.4.2\": ErrImagePull: failed to pull and unpack image \"contosoprod.azurecr.io/web:1.4.2\": failed to resolve reference \"contosoprod.azurecr.io/web:1.4.2\": failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://contosoprod.azurecr.io/oauth2/token?scope=repository%3Aweb%3Apull&service=contosoprod.azurecr.io: 401 Unauthorized",
            "Back-off pulling image \"contosoprod.azurecr.io/web:1.4.2\"; last error: Failed to pull image \"contosoprod.azurecr.io/web:1.4.2\": unauthorized: authentication required",
        ] {
            for wrapper in Self.wrappers {
                #expect(Support.scan(lines: [wrapper.wrap(line)]).isEmpty, "\(wrapper.name): \(line.prefix(60))")
            }
        }
    }

    @Test(
        "the buildpacks lifecycle's registry access check counts for an ACR login server written out, with or without a cause"
    )
    func lifecycleAccessCheck() {
        for line in [
            "ERROR: failed to initialize analyzer: validating registry write access: ensure registry read/write access to contosoprod.azurecr.io/apps/shop:latest",
            "    [creator]     ERROR: failed to initialize analyzer: validating registry read access: failed to ensure registry read access to contosoprod.azurecr.io/base/run:jammy",
            "ERROR: failed to : ensure registry read/write access to contosoprod.azurecr.io/apps/shop:latest",
        ] {
            for wrapper in Self.wrappers {
                let found = Support.scan(lines: [wrapper.wrap(line)])
                #expect(found.map(\.type) == [.unauthorized], "\(wrapper.name): \(line.suffix(50))")
                #expect(found.first?.registry == "contosoprod", "\(wrapper.name)")
            }
        }
        for line in [
            "ERROR: failed to initialize analyzer: validating registry write access: ensure registry read/write access to ghcr.io/jonashackt/spring-boot-flyio:latest",
            "ERROR: failed to initialize analyzer: validating registry write access: failed to ensure registry read/write access to us-central1-docker.pkg.dev/proj/gcf-artifacts/web/cache:latest",
            "ERROR: failed to initialize analyzer: validating registry write access: ensure registry read/write access to ***/apps/shop:latest",
            "ERROR: failed to initialize analyzer: validating registry write access: failed to ensure registry read/write access to contosoprod.azurecr.io/apps/shop:latest: Get \"https://contosoprod.azurecr.io/v2/\": dial tcp: lookup contosoprod.azurecr.io: no such host",
        ] {
            for wrapper in Self.wrappers {
                #expect(
                    Support.scan(lines: ["docker login contosoprod.azurecr.io", wrapper.wrap(line)]).isEmpty,
                    "\(wrapper.name): \(line.suffix(60))")
            }
        }
    }

    static let skaffoldSummary =
        "Build Failed. No push access to specified image repository. Try running with `--default-repo` flag."

    @Test("skaffold's push-access summary counts as access-denied for the ACR push before it, not for another registry")
    func skaffoldPushAccess() {
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: [
                "Building [fabrikamci.azurecr.io/svc/orders]...",
                "The push refers to repository [fabrikamci.azurecr.io/svc/orders]",
                wrapper.wrap(Self.skaffoldSummary),
            ])
            #expect(found.map(\.type) == [.accessDenied], "\(wrapper.name)")
            #expect(found.first?.registry == "fabrikamci", "\(wrapper.name)")
            for context in [
                "The push refers to repository [docker.io/library/orders]",
                "The push refers to repository [gcr.io/proj/orders]",
            ] {
                #expect(Support.scan(lines: [context, wrapper.wrap(Self.skaffoldSummary)]).isEmpty, "\(wrapper.name)")
            }
            #expect(Support.scan(lines: [wrapper.wrap(Self.skaffoldSummary)]).isEmpty, "\(wrapper.name)")
        }
    }
}
