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

/// Round 13's `az acr import` class (docs/accuracy.md, "Round 13"): the import operation relays its
/// SOURCE registry's refusal (`Invalid message Unauthorized Unauthorized {body}`); the refusal is
/// ACR's when the relayed body is (its aka.ms/acr link), and another registry's otherwise.
@Suite struct ImportRelayClassTests {
    static let acrBody =
        #"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required, visit https://aka.ms/acr/authorization for more information.","detail":[{"Type":"repository","Name":"app","Action":"pull"}]}]}"#

    /// The CLI's error for a failed import, in its 2.0 (`Deployment failed.`) and later wordings.
    static func relays(_ body: String) -> [String] {
        let resource =
            "Resource /subscriptions/3aba1271-ca5f-49e8-9229-2214ec0ac30c/resourceGroups/rg-prod/providers/Microsoft.ContainerRegistry/registries/contosotarget"
        return [
            "Deployment failed. Correlation ID: 947b1204-953c-4edd-bcfc-fc925eba4f3f. Operation registries-cf1e87e6-20aa-11e9-a5c3-f06e0bc28714 failed. \(resource) Invalid message Unauthorized Unauthorized \(body)",
            "ERROR: Operation registries-0b1c2d3e-4f5a-11ee-8c90-0242ac120002 failed. \(resource) Invalid message Unauthorized Unauthorized \(body)",
        ]
    }

    @Test("an ACR source's refusal relayed by az acr import counts once as unauthorized, with the source's registry")
    func acrSourceRefused() {
        for relay in Self.relays(Self.acrBody) {
            for command in [
                "az acr import --name contosotarget --source contososource.azurecr.io/app:1.0 --image app:1.0",
                "az acr import --name contosotarget.azurecr.io --source contososource.azurecr.io/app:1.0 -t app:1.0",
                "az acr import -n contosotarget --source \"contososource.azurecr.io/app:1.0\" -u pull-token -p \"$TOKEN\"",
            ] {
                for wrapper in PipelineClassTests.wrappers where wrapper.multiLine {
                    let found = WrapperClassTests.scan([command, relay], wrapper)
                    #expect(found.map(\.type) == [.unauthorized], "[\(wrapper.name)] \(found.map(\.excerpt))")
                    #expect(found.first?.registry == "contososource", "[\(wrapper.name)] \(command)")
                }
            }
            // Without the command, nothing names the source: unknown, never the target the resource id names.
            let alone = Support.scan(lines: [relay])
            #expect(alone.map(\.type) == [.unauthorized])
            #expect(alone.first?.registry == nil)
        }
    }

    @Test("another registry's refusal relayed by az acr import is not counted")
    func otherSourceRefused() {
        for (source, body) in [
            (
                "docker.io/library/nginx:1.27",
                #"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":[{"Type":"repository","Class":"","Name":"library/nginx","Action":"pull"}]}]}"#
            ),
            (
                "registry.redhat.io/openjdk/openjdk-11-rhel8:1.3",
                #"{"errors":[{"code":"UNAUTHORIZED","message":"Access to the requested resource is not authorized"}]}"#
            ),
        ] {
            for relay in Self.relays(body) {
                for wrapper in PipelineClassTests.wrappers where wrapper.multiLine {
                    let found = WrapperClassTests.scan(
                        ["az acr import --name contosotarget --source \(source) --image app:1.0", relay], wrapper)
                    #expect(found.isEmpty, "[\(wrapper.name)] \(source): \(found.map(\.excerpt))")
                }
            }
        }
    }
}
