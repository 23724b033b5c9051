import LogModel
import LogScanner
import Testing

/// Round 13's classes (docs/accuracy.md, "Round 13"): the Azure Pipelines Docker tasks' exchange of
/// the pipeline identity's Entra token at ACR refused, and a registry named only by a Kubernetes
/// object called after its login server (`NAME.azurecr.io-…`) — tested over statuses, every wrapper
/// of RealWorldWrapperTests and the look-alikes that share their words.
@Suite struct PipelineClassTests {
    static let wrappers = RealWorldWrapperTests.wrappers

    /// The task library's fallback for a message key the task ships no string for: the key, then its
    /// arguments (azure-pipelines-tasks-common-packages, docker-common's `_getACRToken`: the status
    /// code and message of ACR's `POST /oauth2/exchange`), as the task fails with it.
    static func exchangeRefused(_ status: Int, _ message: String) -> [String] {
        let key = "CouldNotFetchAccessTokenforMSIDueToACRNotConfiguredProperlyStatusCode \(status) \(message)"
        return [
            "Unhandled: \(key)", "##[error]Unhandled: \(key)",
            "2024-07-31T21:24:21.5123456Z ##[error]Unhandled: \(key)",
            "##[error]\(key)", key,
        ]
    }

    @Test("ACR refusing the Docker task's token exchange (401 or 403) counts once as identity-permission")
    func dockerTaskExchangeRefused() {
        for (status, message) in [(401, "Unauthorized"), (403, "Forbidden")] {
            for line in Self.exchangeRefused(status, message) {
                for wrapper in Self.wrappers {
                    let found = Support.scan(lines: [wrapper.wrap(line)])
                    #expect(found.map(\.type) == [.identityPermission], "[\(wrapper.name)] \(line)")
                    #expect(found.first?.registry == nil, "[\(wrapper.name)] \(line)")
                    #expect(found.first?.status == status, "[\(wrapper.name)] \(line)")
                }
            }
        }
    }

    @Test("the task's refusal after a line that names the registry takes its name")
    func dockerTaskExchangeRegistryFromContext() {
        let found = Support.scan(lines: [
            "2024-07-31T21:24:20.0754109Z ##[section]Starting: Build and publish image",
            "2024-07-31T21:24:20.1012345Z ##[debug]containerRegistry=contosoprod.azurecr.io",
            "2024-07-31T21:24:21.5123456Z ##[error]Unhandled: CouldNotFetchAccessTokenforMSIDueToACRNotConfiguredProperlyStatusCode 401 Unauthorized",
        ])
        #expect(found.map(\.type) == [.identityPermission])
        #expect(found.first?.registry == "contosoprod")
    }

    @Test("other statuses of the exchange, and the task's other token messages, are not counted")
    func dockerTaskExchangeLookAlikes() {
        let lines =
            Self.exchangeRefused(404, "Not Found") + Self.exchangeRefused(400, "Bad Request")
            + Self.exchangeRefused(502, "Bad Gateway") + [
                // ACR throttled or failed after the task's five retries: the service's trouble.
                "##[error]Unhandled: CouldNotFetchAccessTokenforACRStatusCode 500 Internal Server Error",
                "##[error]Unhandled: CouldNotFetchAccessTokenforACRStatusCode 429 Too Many Requests",
                // artifacts-common's Entra token for an Azure Artifacts feed: no registry.
                "##[error]Could not fetch access token for AAD.",
            ]
        for line in lines {
            for wrapper in Self.wrappers {
                let found = Support.scan(lines: [wrapper.wrap(line)])
                #expect(found.isEmpty, "[\(wrapper.name)] \(line): \(found.map(\.excerpt))")
            }
        }
    }

    /// External Secrets' controller log around a generator failure, for an ExternalSecret `name`.
    static func esoJSON(_ error: String, name: String) -> String {
        OperatorClassTests.esoJSON(error, name: name)
    }

    static let generatorRefusals = [
        "could not generate [0]: ClientSecretCredential: authentication failed: POST https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token --- RESPONSE 400 Bad Request --- AADSTS90002: Tenant 'YYYYYYYY-YYYY-YYYY-YYYY-278b20348e63' not found.",
        "could not generate [0]: could not generate access token, unexpected status code: 401",
    ]

    @Test("a failure whose words are ACR's takes its registry from an object named after the login server")
    func registryFromObjectName() {
        for error in Self.generatorRefusals {
            for (name, registry) in [
                ("apps/contosoprod.azurecr.io-dockerregistry-credentials", "contosoprod"),
                ("contosoprod.azurecr.io-pull", "contosoprod"),
                ("ci/ContosoProd.azurecr.io-creds", "contosoprod"),
                ("apps/xxxxx.azurecr.io-creds", nil),
            ] {
                for wrapper in Self.wrappers where wrapper.multiLine {
                    let line = wrapper.wrap(Self.esoJSON(error, name: name))
                    let found = Support.scan(lines: [line])
                    #expect(found.count == 1, "[\(wrapper.name)] \(name): \(found.map(\.excerpt))")
                    #expect(found.first?.registry == registry, "[\(wrapper.name)] \(name)")
                }
            }
        }
    }

    @Test("a login server that goes on into another host's name is no registry, and an object name is no ACR evidence")
    func objectNameLookAlikes() {
        // A proxy named after the registry: the dashes run into a dot, so the host is the proxy's.
        for line in [
            "Error response from daemon: Get \"https://contosoprod.azurecr.io-mirror.corp.example.com/v2/\": unauthorized: authentication required",
            "failed to resolve reference \"contosoprod.azurecr.io-cache.internal.example/app:1\": unexpected status from HEAD request: 401 Unauthorized",
        ] {
            for wrapper in Self.wrappers {
                let found = Support.scan(lines: [wrapper.wrap(line)])
                #expect(found.isEmpty, "[\(wrapper.name)] \(line): \(found.map(\.excerpt))")
            }
        }
        // Docker Hub's refusal on a line that also names a secret after an ACR: the object is no
        // login server the request went to.
        let hub =
            "Warning  Failed  12s  kubelet  Failed to pull image \"library/nginx:1.27\" with secret contosoprod.azurecr.io-pull: rpc error: code = Unknown desc = failed to pull and unpack image \"docker.io/library/nginx:1.27\": failed to resolve reference \"docker.io/library/nginx:1.27\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
        #expect(Support.scan(lines: [hub]).isEmpty)
    }
}
