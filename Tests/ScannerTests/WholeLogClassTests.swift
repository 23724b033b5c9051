import LogModel
import LogScanner
import Testing

/// The classes that round 8's whole pastes showed (docs/accuracy.md, "Round 8"), each tested from its
/// general shape — other registries, producers, wrappers — and its look-alikes, and as whole logs where
/// the count is what a user checks.
@Suite struct WholeLogClassTests {
    // MARK: - kubelet's pull events in a whole `kubectl get pods` / `kubectl events` session

    /// kubelet tries a pull once per matching credential and reports every attempt's error in one
    /// aggregate (`[first, second]`, kubernetes `utilerrors.NewAggregate`). The team's field notes count
    /// `[code = NotFound …, … anonymous token … 401]` once, as anonymous-pull (FieldNotesTests,
    /// x5k-docs-100905-notfound and x8-regk8s-notfound): these tests pin that convention in whole logs.
    static func notFoundThenAnonymous(_ host: String, _ repo: String, _ tag: String) -> String {
        let scope = repo.replacingOccurrences(of: "/", with: "%2F")
        return "Failed to pull image \"\(host)/\(repo):\(tag)\": [rpc error: code = NotFound desc = failed to pull "
            + "and unpack image \"\(host)/\(repo):\(tag)\": failed to resolve reference \"\(host)/\(repo):\(tag)\": "
            + "\(host)/\(repo):\(tag): not found, failed to pull and unpack image \"\(host)/\(repo):\(tag)\": "
            + "failed to resolve reference \"\(host)/\(repo):\(tag)\": failed to authorize: failed to fetch "
            + "anonymous token: unexpected status from GET request to https://\(host)/oauth2/token?scope="
            + "repository%3A\(scope)%3Apull&service=\(host): 401 Unauthorized]"
    }

    /// The same pull where no attempt found anything: the anonymous token refused, nothing else said.
    static func anonymousOnly(_ host: String, _ repo: String, _ tag: String) -> String {
        let scope = repo.replacingOccurrences(of: "/", with: "%2F")
        return "Failed to pull image \"\(host)/\(repo):\(tag)\": failed to pull and unpack image "
            + "\"\(host)/\(repo):\(tag)\": failed to resolve reference \"\(host)/\(repo):\(tag)\": failed to "
            + "authorize: failed to fetch anonymous token: unexpected status from GET request to https://\(host)"
            + "/oauth2/token?scope=repository%3A\(scope)%3Apull&service=\(host): 401 Unauthorized"
    }

    static let pulls: [(host: String, repo: String, tag: String, registry: String)] = [
        ("acrregk8s1e1193.azurecr.io", "labs/c/payments-api", "1.0.1", "acrregk8s1e1193"),
        ("ContosoProd.azurecr.io", "team/web", "2026.11.3", "contosoprod"),
        ("fabrikamcn.azurecr.cn", "api", "latest", "fabrikamcn"),
    ]

    /// The places the aggregate is printed: `kubectl events` and `kubectl get events` rows, `kubectl
    /// describe pod`'s Events table, an ACI or AKS event relayed as JSON, kubelet's journal.
    static func producers(_ message: String) -> [(name: String, line: String)] {
        let escaped = message.replacingOccurrences(of: "\"", with: "\\\"")
        return [
            (
                "kubectl events",
                "5s (x2 over 20s)   Warning   Failed      Pod/payments-api-fcfb6cbf7-fw2jv   \(message)"
            ),
            ("kubectl get events", "12s  Warning  Failed  pod/web-7d9c-x2k  \(message)"),
            ("kubectl describe", "  Warning  Failed     5s (x2 over 20s)  kubelet            \(message)"),
            ("describe, collapsed", "Warning Failed 9s (x4 over 104s) kubelet \(message)"),
            ("json", "{\"reason\":\"Failed\",\"message\":\"\(escaped)\",\"count\":2}"),
            (
                "kubelet journal",
                "Oct 02 14:30:01 aks-user-25795745-vmss000002 kubelet[2931]: E1002 14:30:01.123456    2931 "
                    + "pod_workers.go:1301] \"Error syncing pod, skipping\" err=\"failed to \\\"StartContainer\\\" "
                    + "with ErrImagePull: \\\"\(escaped.replacingOccurrences(of: "\\\"", with: "\\\\\\\""))\\\"\""
            ),
        ]
    }

    @Test("the anonymous 401 alone still counts, with its registry, wherever it is printed", arguments: pulls)
    func anonymousAlone(_ pull: (host: String, repo: String, tag: String, registry: String)) {
        for producer in Self.producers(Self.anonymousOnly(pull.host, pull.repo, pull.tag)) {
            for wrapper in SourceFormatTests.wrappers {
                let found = Support.scan(lines: [wrapper.wrap(producer.line)])
                #expect(found.map(\.type) == [.anonymousPull], "\(pull.host) [\(producer.name), \(wrapper.name)]")
                #expect(found.first?.registry == pull.registry, "\(pull.host) [\(producer.name), \(wrapper.name)]")
            }
        }
    }

    @Test("a credentialed token refused next to a missing blob still counts (the artifact cache's shape)")
    func credentialedRefusalWithNotFound() {
        let host = "arcgisenterprise.azurecr.io"
        let ref = "\(host)/docker-hub/esridocker/enterprise-admin:11.4"
        let line =
            "Failed to pull image \"\(ref)\": [failed to pull and unpack image \"\(ref)\": failed to resolve "
            + "reference \"\(ref)\": failed to authorize: failed to fetch oauth token: unexpected status from GET "
            + "request to https://\(host)/oauth2/token?scope=repository%3Adocker-hub%2Fesridocker%2Fenterprise-admin"
            + "%3Apull&service=\(host): 401 Unauthorized, rpc error: code = NotFound desc = failed to pull and unpack "
            + "image \"\(ref)\": failed to copy: httpReadSeeker: failed open: could not fetch content descriptor "
            + "sha256:732cbede32a5 (application/vnd.docker.image.rootfs.diff.tar.gzip) from remote: not found]"
        let found = Support.scan(lines: [line])
        #expect(found.map(\.type) == [.unauthorized])
        #expect(found.first?.registry == "arcgisenterprise")
    }

    @Test("a lab session: the aggregate with a NotFound, then a registry the cluster may not pull from: two, in order")
    func wholeLabLog() {
        for (first, second) in [(Self.pulls[0], Self.pulls[1]), (Self.pulls[1], Self.pulls[2])] {
            let lines = [
                "NAME                            READY   STATUS             RESTARTS   AGE",
                "payments-api-fcfb6cbf7-fw2jv    0/1     ImagePullBackOff   0          19s",
                "LAST SEEN          TYPE      REASON      OBJECT                             MESSAGE",
                "19s                Normal    BackOff     Pod/payments-api-fcfb6cbf7-fw2jv   Back-off pulling image "
                    + "\"\(first.host)/\(first.repo):\(first.tag)\"",
                "5s (x2 over 20s)   Warning   Failed      Pod/payments-api-fcfb6cbf7-fw2jv   "
                    + Self.notFoundThenAnonymous(first.host, first.repo, first.tag),
                "5s (x2 over 20s)   Warning   Failed      Pod/payments-api-fcfb6cbf7-fw2jv   Error: ErrImagePull",
                "1", "2", "deployment.apps/payments-api rolled back",
                "2s (x2 over 16s)   Warning   Failed      Pod/payments-api-b4bd89554-7qnwn   "
                    + Self.anonymousOnly(second.host, second.repo, second.tag),
                "77s         Normal    BackOff             pod/payments-api-b4bd89554-7qnwn       Back-off pulling "
                    + "image \"\(second.host)/\(second.repo):\(second.tag)\"",
            ]
            for chunk in [nil, 1, 7, 64] {
                let found = Support.scan(lines: lines, chunk: chunk)
                #expect(found.map(\.type) == [.anonymousPull, .anonymousPull], "\(second.host) chunk \(chunk ?? 0)")
                #expect(
                    found.map(\.registry) == [first.registry, second.registry], "\(second.host) chunk \(chunk ?? 0)")
                #expect(found.map(\.attempts) == [2, 2], "\(second.host) chunk \(chunk ?? 0)")
            }
        }
    }

    // MARK: - `az aks check-acr`: the canipull pod's run, one registry after another

    /// Azure/aks-canipull's logger (pkg/log/log.go: `[RFC3339] message`) as `az aks check-acr` prints
    /// its pod's output; main.go `checkAcr`, then `validateMsiAuth`.
    static func canipull(_ host: String, _ tail: [String]) -> [String] {
        let t = "[2026-11-20T03:14:15Z]"
        return [
            "\(t) Checking host name resolution (\(host)): SUCCEEDED",
            "\(t) Canonical name for ACR (\(host)): r0922cin-az.centralindia.cloudapp.azure.com.",
            "\(t) ACR location: centralindia", "\(t) Checking managed identity...",
            "\(t) Kubelet managed identity client ID: 55a5dec9-13a3-43f0-bfd0-58026851030b",
        ] + tail.map { "\(t) \($0)" }
    }

    static let checkedRegistries: [(host: String, registry: String)] = [
        ("contosoprod.azurecr.io", "contosoprod"), ("acrlabc1e1193.azurecr.io", "acrlabc1e1193"),
        ("FabrikamCN.azurecr.cn", "fabrikamcn"),
    ]

    /// The metadata endpoint's answers for a kubelet identity it cannot issue a token for (IMDS's own
    /// words), through canipull's `Getting managed identity token failed with: %s`.
    static let msiRefusals = [
        "Metadata endpoint returned error status: 400. body: {\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}",
        "Metadata endpoint returned error status: 400. body: {\"error\":\"invalid_request\",\"error_description\":\"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request\"}",
    ]

    @Test("check-acr's kubelet identity without a token is aad-credential, for the registry it checked")
    func canipullManagedIdentity() {
        for (host, registry) in Self.checkedRegistries {
            for refusal in Self.msiRefusals {
                let lines = Self.canipull(
                    host,
                    [
                        "Validating managed identity existance: FAILED",
                        "Getting managed identity token failed with: \(refusal)",
                    ])
                for wrapper in SourceFormatTests.wrappers {
                    let found = Support.scan(lines: lines.map(wrapper.wrap))
                    #expect(found.map(\.type) == [.aadCredential], "\(host) [\(wrapper.name)]: \(refusal.prefix(60))")
                    #expect(found.first?.registry == registry, "\(host) [\(wrapper.name)]")
                }
            }
        }
    }

    @Test("check-acr's node that cannot reach the metadata endpoint, or the registry, is no auth failure")
    func canipullLookAlikes() {
        let (host, _) = Self.checkedRegistries[0]
        let tails: [[String]] = [
            [
                "Validating managed identity existance: FAILED",
                "Getting managed identity token failed with: failed to send metadata endpoint request: Get \"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01\": dial tcp 169.254.169.254:80: connect: connection refused",
            ],
            [
                "Validating managed identity existance: SUCCEEDED", "Validating image pull permission: FAILED",
                "ACR \(host) rejected token exchange: failed to send token exchange request: Post \"https://\(host)/oauth2/exchange\": dial tcp 10.0.0.4:443: i/o timeout",
            ],
            [
                "Validating managed identity existance: SUCCEEDED", "Validating image pull permission: SUCCEEDED",
                "", "Your cluster can pull images from \(host)!",
            ],
        ]
        for tail in tails {
            for wrapper in SourceFormatTests.wrappers {
                let found = Support.scan(lines: Self.canipull(host, tail).map(wrapper.wrap))
                #expect(found.isEmpty, "[\(wrapper.name)] \(tail.last ?? ""): \(found.map(\.type))")
            }
        }
    }

    @Test("a whole check-acr session: a passing registry, then each way the next one fails, counts once for that one")
    func canipullSession() {
        let passing =
            Self.canipull(
                "acrregk8s1e1193.azurecr.io",
                [
                    "Validating managed identity existance: SUCCEEDED", "Validating image pull permission: SUCCEEDED",
                    "", "Your cluster can pull images from acrregk8s1e1193.azurecr.io!",
                ]) + ["..."]
        for (host, registry) in Self.checkedRegistries {
            let failures: [(tail: [String], type: ErrorType)] = [
                (
                    [
                        "Validating managed identity existance: SUCCEEDED", "Validating image pull permission: FAILED",
                        "ACR \(host) rejected token exchange: ACR token exchange endpoint returned error status: 401. body: {\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required, visit https://aka.ms/acr/authorization for more information. CorrelationId: 2fb5120a-af76-4132-9c90-d9fd0af9122c\"}]}",
                    ], .identityPermission
                ),
                (
                    [
                        "Validating managed identity existance: SUCCEEDED", "Validating image pull permission: FAILED",
                        "ACR \(host) rejected token exchange: ACR token exchange endpoint returned error status: 403. body: {\"errors\":[{\"code\":\"DENIED\",\"message\":\"client with IP '20.1.2.3' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.\"}]}",
                    ], .ipNotAllowed
                ),
                (
                    [
                        "Validating managed identity existance: FAILED",
                        "Getting managed identity token failed with: \(Self.msiRefusals[0])",
                    ], .aadCredential
                ),
            ]
            for failure in failures {
                let lines = passing + Self.canipull(host, failure.tail) + ["", "Role     Scope", "-------  -----"]
                for chunk in [nil, 1, 7, 64] {
                    let found = Support.scan(lines: lines, chunk: chunk)
                    #expect(found.map(\.type) == [failure.type], "\(host) \(failure.type) chunk \(chunk ?? 0)")
                    #expect(found.map(\.registry) == [registry], "\(host) \(failure.type) chunk \(chunk ?? 0)")
                }
            }
        }
    }
}
