import LogModel
import LogScanner
import Testing

/// The classes that round 7's source pass missed (docs/accuracy.md, "Round 7"), each tested from its
/// general shape — other cmdlets, statuses, registry names, wrappers — and its look-alikes.
@Suite struct EcosystemClassTests {
    // MARK: - The Azure SDKs' generic status sentence, where the line names ACR's client

    /// Az.ContainerRegistry's data-plane cmdlets, whose autorest client (Microsoft.Azure.ContainerRegistry)
    /// throws `AcrErrorsException` with only `Operation returned an invalid status code 'REASON'`.
    static let dataPlaneCmdlets = [
        "Get-AzContainerRegistryRepository", "Get-AzContainerRegistryManifest", "Get-AzContainerRegistryTag",
        "Remove-AzContainerRegistryRepository", "Update-AzContainerRegistryTag",
    ]

    @Test(
        "an Az.ContainerRegistry cmdlet's 401 or 403 counts, its registry from the error record's echo of the command",
        arguments: dataPlaneCmdlets)
    func powerShellRecord(_ cmdlet: String) {
        for (reason, type) in [("Unauthorized", ErrorType.unauthorized), ("Forbidden", .accessDenied)] {
            for (flag, registry) in [("myacr", "myacr"), ("ContosoProd01", "contosoprod01"), ("$env:ACR_NAME", nil)] {
                let lines = [
                    "\(cmdlet) : Operation returned an invalid status code '\(reason)'", "At line:1 char:1",
                    "+ \(cmdlet) -RegistryName \(flag) -RepositoryName team/web",
                    "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
                    "    + CategoryInfo          : CloseError: (:) [\(cmdlet)], AcrErrorsException",
                    "    + FullyQualifiedErrorId : Microsoft.Azure.Commands.ContainerRegistry.GetAzureContainerRegistryTag",
                ]
                for wrapper in SourceFormatTests.wrappers {
                    let found = Support.scan(lines: lines.map(wrapper.wrap))
                    #expect(found.map(\.type) == [type], "\(cmdlet) \(reason) \(flag) [\(wrapper.name)]")
                    #expect(found.first?.registry == registry, "\(cmdlet) \(reason) \(flag) [\(wrapper.name)]")
                }
            }
        }
    }

    @Test("PowerShell 7's one-line view counts, its registry from the command the log ran before")
    func powerShellConcise() {
        for prompt in [
            "PS /home/ci> Get-AzContainerRegistryTag -RegistryName myacr -RepositoryName team/web",
            "PS C:\\> Connect-AzContainerRegistry -Name myacr",
            "Get-AzContainerRegistryRepository -RegistryName 'myacr'",
        ] {
            let found = Support.scan(lines: [
                prompt, "Get-AzContainerRegistryTag: Operation returned an invalid status code 'Unauthorized'",
            ])
            #expect(found.map(\.type) == [.unauthorized], "\(prompt)")
            #expect(found.first?.registry == "myacr", "\(prompt)")
        }
    }

    @Test("an Az.ContainerRegistry command names the registry for a later failure that names none")
    func powerShellContext() {
        let cases: [(String, String?)] = [
            ("Connect-AzContainerRegistry -Name myacr", "myacr"),
            ("Connect-AzContainerRegistry -Name $registryName", nil),
            ("Get-AzContainerRegistryCredential -ResourceGroupName rg-ci -Name ContosoProd01", "contosoprod01"),
            // `-Name` of a webhook or replication cmdlet names the webhook or replica, not the registry.
            ("Get-AzContainerRegistryWebhook -RegistryName myacr -Name hook1", "myacr"),
            ("Get-AzContainerRegistryReplication -Name eastus -RegistryName myacr", "myacr"),
        ]
        for (command, registry) in cases {
            let found = Support.scan(lines: [
                command, "denied: requested access to the resource is denied",
            ])
            #expect(found.map(\.type) == [.accessDenied], "\(command)")
            #expect(found.first?.registry == registry, "\(command)")
        }
    }

    @Test(
        "Python's azure-core sentence (no ACR word of its own) counts as before: by ACR's body after it, or by the log's ACR context"
    )
    func azureCoreSentence() {
        let status =
            "azure.core.exceptions.ClientAuthenticationError: Operation returned an invalid status 'Unauthorized'"
        let linked = Support.scan(lines: [
            status,
            #"Content: {"errors":[{"code":"UNAUTHORIZED","message":"authentication required, visit https://aka.ms/acr/authorization for more information."}]}"#,
        ])
        #expect(linked.map(\.type) == [.unauthorized])
        #expect(linked.first?.registry == nil)
        let context = "INFO:cleanup:listing repositories in https://myacr.azurecr.io"
        let plain = Support.scan(lines: [
            context, status, #"Content: {"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
        ])
        #expect(plain.map(\.type) == [.unauthorized])
        #expect(plain.first?.registry == "myacr")
        let forbidden = Support.scan(lines: [
            context, "azure.core.exceptions.HttpResponseError: Operation returned an invalid status 'Forbidden'",
            #"Content: {"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"#,
        ])
        #expect(forbidden.map(\.type) == [.accessDenied])
        #expect(forbidden.first?.registry == "myacr")
    }

    @Test(
        "the same sentence from another Azure service, or another status, does not count, even after an ACR command",
        arguments: [
            ["Get-AzKeyVaultSecret: Operation returned an invalid status code 'Unauthorized'", "Code: Unauthorized"],
            [
                "Get-AzStorageBlob : Operation returned an invalid status code 'Forbidden'", "At line:1 char:1",
                "+ Get-AzStorageBlob -Container logs -Context $ctx",
            ],
            ["Get-AzContainerRegistryTag : Operation returned an invalid status code 'NotFound'", "At line:1 char:1"],
            ["Get-AzContainerRegistryTag: Operation returned an invalid status code 'Conflict'"],
            ["azure.core.exceptions.ClientAuthenticationError: Operation returned an invalid status 'Unauthorized'"],
            [
                "azure.core.exceptions.ClientAuthenticationError: Operation returned an invalid status 'Unauthorized'",
                #"Content: {"error":{"code":"Unauthorized","message":"AKV10032: Invalid issuer."}}"#,
            ],
            ["Microsoft.Rest.HttpOperationException: Operation returned an invalid status code 'Unauthorized'"],
        ])
    func otherService(_ lines: [String]) {
        for before in [[], ["Connect-AzContainerRegistry -Name myacr"], ["az acr login -n myacr"]] {
            for wrapper in SourceFormatTests.wrappers {
                let found = Support.scan(lines: before + lines.map(wrapper.wrap))
                #expect(found.isEmpty, "\(before) \(lines) [\(wrapper.name)]: \(found.map(\.excerpt))")
            }
        }
    }

    // MARK: - A credential chain's failure under ACR's client, named in the stack trace

    /// Azure.Identity's chain as .NET prints it (`DefaultAzureCredential failed …`, one `- XCredential …`
    /// line per credential), then the stack, whose frames name the client that asked for the token.
    static func dotNetChain(client frames: [String]) -> [String] {
        [
            "Unhandled exception. Azure.Identity.CredentialUnavailableException: DefaultAzureCredential failed to retrieve a token from the included credentials. See the troubleshooting guide for more information. https://aka.ms/azsdk/net/identity/defaultazurecredential/troubleshoot",
            "- EnvironmentCredential authentication unavailable. Environment variables are not fully configured. See the troubleshooting guide for more information. https://aka.ms/azsdk/net/identity/environmentcredential/troubleshoot",
            "- ManagedIdentityCredential authentication unavailable. No response received from the managed identity endpoint.",
            "- AzureCliCredential authentication failed: Azure CLI not installed",
            "   at Azure.Identity.DefaultAzureCredential.GetTokenImplAsync(Boolean async, TokenRequestContext requestContext, CancellationToken cancellationToken)",
            "   at Azure.Identity.DefaultAzureCredential.GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)",
        ] + frames
    }

    @Test(
        "a credential chain's failure counts when its stack trace shows ACR's client asked for the token (.NET, Java)")
    func credentialChainUnderRegistryClient() {
        let dotNet = Self.dotNetChain(client: [
            "   at Azure.Containers.ContainerRegistry.ContainerRegistryRefreshTokenCache.GetRefreshTokenFromCredentialAsync(TokenRequestContext context, String service, Boolean async, CancellationToken cancellationToken)",
            "   at Azure.Containers.ContainerRegistry.ContainerRegistryChallengeAuthenticationPolicy.AuthorizeRequestOnChallengeAsyncInternal(HttpMessage message, Boolean async)",
        ])
        let java = [
            "Exception in thread \"main\" com.azure.identity.CredentialUnavailableException: EnvironmentCredential authentication unavailable. Environment variables are not fully configured.",
            "\tat com.azure.identity.EnvironmentCredential.lambda$getToken$0(EnvironmentCredential.java:139)",
            "\tat com.azure.core.http.policy.BearerTokenAuthenticationPolicy.setAuthorizationHeader(BearerTokenAuthenticationPolicy.java:142)",
            "\tat com.azure.containers.containerregistry.ContainerRegistryClient.listRepositoryNames(ContainerRegistryClient.java:160)",
        ]
        for lines in [dotNet, java] {
            for before in [[], ["info: Cleanup[0] Listing repositories of https://myacr.azurecr.io"]] {
                for wrapper in SourceFormatTests.wrappers {
                    let found = Support.scan(lines: before + lines.map(wrapper.wrap))
                    #expect(found.map(\.type) == [.aadCredential], "\(lines[0].prefix(40)) [\(wrapper.name)]")
                    #expect(found.first?.registry == (before.isEmpty ? nil : "myacr"), "[\(wrapper.name)]")
                }
            }
        }
    }

    @Test(
        "a credential chain's failure under another client's frames, or with ACR's frames after other lines, does not count"
    )
    func credentialChainUnderOtherClient() {
        let keyVault = Self.dotNetChain(client: [
            "   at Azure.Security.KeyVault.Secrets.SecretClient.GetSecretAsync(String name, String version, CancellationToken cancellationToken)"
        ])
        let apart =
            Self.dotNetChain(client: []) + [
                "info: Cleanup[0] retrying in 5s", "info: Cleanup[0] giving up",
                "   at Azure.Containers.ContainerRegistry.ContainerRegistryRestClient.GetManifestPropertiesAsync(String name, String digest, CancellationToken cancellationToken)",
            ]
        for lines in [keyVault, apart] {
            for before in [[], ["az acr login -n myacr"]] {
                for wrapper in SourceFormatTests.wrappers {
                    let found = Support.scan(lines: before + lines.map(wrapper.wrap))
                    #expect(found.isEmpty, "[\(wrapper.name)]: \(found.map(\.excerpt))")
                }
            }
        }
    }

    // MARK: - A token step whose inner exception is the network

    static let tokenStepMessages = [
        "Health check component SchemaAzureContainerRegistry:CanRead: read ACR myacr.azurecr.io/templates:default failed: Contoso.Sync.ContainerRegistryTokenException: Failed to get ACR access token with AAD access token.",
        "Unhandled exception. Contoso.Sync.ContainerRegistryTokenException: Failed to exchange ACR refresh token for registry myacr.azurecr.io.",
    ]

    @Test(
        "a token step's exception whose inner exception is a network failure (.NET's `---> System.Net.…`) is no auth failure",
        arguments: tokenStepMessages)
    func tokenStepNetworkCause(_ message: String) {
        let causes = [
            [
                "       ---> System.Net.Http.HttpRequestException: No such host is known. (myacr.azurecr.io:443)",
                "       ---> System.Net.Sockets.SocketException (11001): No such host is known.",
            ],
            ["       ---> System.Net.Http.HttpRequestException: Connection refused (myacr.azurecr.io:443)"],
            ["       ---> System.Net.Sockets.SocketException (110): Connection timed out"],
            [
                "       ---> System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception."
            ],
            ["       ---> System.Net.Http.HttpRequestException: Name or service not known (myacr.azurecr.io:443)"],
        ]
        for cause in causes {
            for wrapper in SourceFormatTests.wrappers {
                let found = Support.scan(lines: ([message] + cause).map(wrapper.wrap))
                #expect(found.isEmpty, "[\(wrapper.name)] \(cause[0]): \(found.map(\.excerpt))")
            }
        }
    }

    @Test(
        "the same token step still counts alone, or with an auth status in its inner exception",
        arguments: tokenStepMessages)
    func tokenStepAuthCause(_ message: String) {
        for cause in [
            [],
            [
                "       ---> System.Net.Http.HttpRequestException: Response status code does not indicate success: 401 (Unauthorized)."
            ],
        ] {
            for wrapper in SourceFormatTests.wrappers {
                let found = Support.scan(lines: ([message] + cause).map(wrapper.wrap))
                #expect(found.map(\.type) == [.identityPermission], "[\(wrapper.name)] \(cause)")
                #expect(found.first?.registry == "myacr", "[\(wrapper.name)] \(cause)")
            }
        }
    }

    // MARK: - A tool's own "authentication failed" on a line that names an ACR login server

    @Test(
        "a tool's own 'authentication failed' counts when the line names an ACR login server",
        arguments: [
            "Microsoft.Health.AnalyticsConnector.Core.Exceptions.ContainerRegistryFilterException: Failed to access container registry: myacr.azurecr.io/filters:latest. Authentication failed.",
            "Failed to access container registry: MyAcr.azurecr.io/templates:default. Authentication failed.",
            "Error: pulling myacr.azurecr.io/team/web:1.4.2: authentication failed",
            "level=error msg=\"registry login failed\" registry=myacr.azurecr.cn error=\"authentication failed\"",
        ])
    func authenticationFailedWithLoginServer(_ line: String) {
        for wrapper in SourceFormatTests.wrappers {
            let found = Support.scan(lines: [wrapper.wrap(line)])
            #expect(found.map(\.type) == [.unauthorized], "[\(wrapper.name)] \(line)")
            #expect(found.first?.registry == "myacr", "[\(wrapper.name)] \(line)")
        }
    }

    @Test(
        "'authentication failed' without an ACR login server on the line, or as TLS's words, does not count",
        arguments: [
            "fatal: Authentication failed for 'https://dev.azure.com/contoso/_git/web/'",
            "Failed to access container registry: registry.contoso.com/filters:latest. Authentication failed.",
            "Failed to access container registry: ***/filters:latest. Authentication failed.",
            "Permission denied (publickey). ssh: authentication failed",
            "System.Security.Authentication.AuthenticationException: Authentication failed, see inner exception. (myacr.azurecr.io:443)",
            "The SSL connection could not be established, see inner exception. Authentication failed because the remote party has closed the transport stream. (myacr.azurecr.io:443)",
            "x509: certificate signed by unknown authority: TLS authentication failed for myacr.azurecr.io",
        ])
    func authenticationFailedElsewhere(_ line: String) {
        for before in [[], ["az acr login -n myacr"]] {
            for wrapper in SourceFormatTests.wrappers {
                let found = Support.scan(lines: before + [wrapper.wrap(line)])
                #expect(found.isEmpty, "[\(wrapper.name)] \(line): \(found.map(\.excerpt))")
            }
        }
    }

    // MARK: - A login server given where Docker wants an image

    @Test(
        "a login server given as the image name is Docker Hub's library/ repository: its refusal does not count",
        arguments: ["myacr.azurecr.io", "MyAcr.azurecr.io", "myacr.azurecr.cn", "contosogov.azurecr.us"])
    func bareLoginServer(_ host: String) {
        let forms = [
            "Error response from daemon: pull access denied for \(host), repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
            "Error response from daemon: pull access denied for \(host), repository does not exist or may require 'docker login'",
            "docker: Error response from daemon: pull access denied for \(host), repository does not exist or may require 'docker login'.",
            "Failed to pull image \"\(host)\": rpc error: code = Unknown desc = Error response from daemon: pull access denied for \(host), repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
            "Failed to pull image \"\(host):latest\": rpc error: code = Unknown desc = Error response from daemon: pull access denied for \(host), repository does not exist or may require 'docker login'",
        ]
        for form in forms {
            for before in [[], ["az acr login -n myacr"], ["docker login \(host)"]] {
                for wrapper in SourceFormatTests.wrappers {
                    let found = Support.scan(lines: before + [wrapper.wrap(form)])
                    #expect(found.isEmpty, "\(before) [\(wrapper.name)] \(form): \(found.map(\.excerpt))")
                }
            }
        }
    }

    @Test(
        "a login server followed by a repository, or by a port and a repository, is ACR's: its refusal counts",
        arguments: [
            ("pull access denied for myacr.azurecr.io/app, repository does not exist", "myacr"),
            ("pull access denied for MyAcr.azurecr.io/team/app, repository does not exist", "myacr"),
            ("pull access denied for myacr.azurecr.io:443/app, repository does not exist", "myacr"),
            ("pull access denied for myacr.azurecr.io/library/app, repository does not exist", "myacr"),
            ("pull access denied for contosogov.azurecr.us/app, repository does not exist", "contosogov"),
            ("pull access denied for myacr.azurecr.cn/app, repository does not exist", "myacr"),
        ])
    func loginServerWithRepository(_ head: String, _ registry: String) {
        for tail in [
            " or may require 'docker login'",
            " or may require 'docker login': denied: requested access to the resource is denied",
        ] {
            for wrapper in SourceFormatTests.wrappers {
                let found = Support.scan(lines: [wrapper.wrap("Error response from daemon: " + head + tail)])
                #expect(found.map(\.type) == [.accessDenied], "[\(wrapper.name)] \(head)\(tail)")
                #expect(found.first?.registry == registry, "[\(wrapper.name)] \(head)\(tail)")
            }
        }
    }
}
