import LogModel
import LogScanner
import Testing

/// The classes of shapes that real logs showed and the first rules missed (docs/counting-rules.md):
/// each class is tried in several wrappers, so that a rule holds for the class, not for one line.
@Suite struct ShapeClassTests {
    /// The same message as different producers print it.
    static let wrappers: [(name: String, wrap: @Sendable (String) -> String)] = [
        ("plain", { $0 }),
        ("github-actions", { "2026-11-20T03:14:15.1234567Z " + $0 }),
        ("logrus", { "time=\"2026-11-20T03:14:15Z\" level=error msg=\"" + $0 + "\"" }),
        ("klog", { "E1120 03:14:15.123456    2211 kuberuntime_image.go:53] " + $0 }),
        ("jenkins", { "[2026-11-20T03:14:15.118Z] " + $0 }),
    ]

    /// The cause inside a 401 or 403 body, or a status stated as a number, decides the type.
    static let causes: [(String, ErrorType)] = [
        (
            "Error response from daemon: Get https://myacr.azurecr.io/v2/: unauthorized: Application not registered with AAD.",
            .aadCredential
        ),
        (
            "Error response from daemon: Get https://myacr.azurecr.io/v2/: unauthorized: Invalid clientid or client secret.",
            .aadCredential
        ),
        (
            "retrieving remote image: UNAUTHORIZED: aad access token with sp failed client id must be guid myacr.azurecr.io/app",
            .aadCredential
        ),
        (
            "failed to login to registry 'oci://myacr.azurecr.io/charts': DefaultAzureCredential: failed to acquire a token.",
            .aadCredential
        ),
        ("unable to push image to myacr.azurecr.io/app:dev: unsupported status code 401", .unauthorized),
        (
            "Unable to restore the artifact with reference br:myacr.azurecr.io/bicep/storage:v1: Service request failed. Status: 401 (Unauthorized)",
            .unauthorized
        ),
        (
            "push myacr.azurecr.io/app:1: error parsing HTTP 403 response body: unexpected end of JSON input",
            .accessDenied
        ),
        ("failed to get ACR refresh token, exchange API response code: 403 Forbidden", .identityPermission),
        (
            "Failed to pull Docker image myacr.azurecr.io/azureml/base: the compute could not authenticate with the Docker registry",
            .identityPermission
        ),
        (
            "failed to login, ran out of retries: failed to set docker credentials: Get https://myacr.azurecr.io/v2/: unauthorized",
            .unauthorized
        ),
        (
            "error=\"failed to sync pod in the provider: no username present in auth config for server: myacr.azurecr.io\"",
            .unauthorized
        ),
        (
            "Could not run 'docker' command. Exception: [WinError 2] The system cannot find the file specified",
            .dockerCommandError
        ),
        (
            "Build image failed, perhaps you should make sure your credentials for 'myacr.azurecr.io/app' are set up correctly",
            .unauthorized
        ),
        ("push myacr.azurecr.io/team/web:1: denied: retrieving permissions failed", .accessDenied),
        (
            "Field 'template.containers.web.image' is invalid: unable to pull image using Managed identity /subscriptions/s/id-web for registry myacr.azurecr.io",
            .identityPermission
        ),
        (
            "##[debug]Error fetching https://myacr.azurecr.io/oauth2/token?service=myacr.azurecr.io - expected 200, received 401",
            .unauthorized
        ),
        (
            "ERROR: Failed to retrieve credentials for container registry. Please provide the registry username and password",
            .identityPermission
        ),
        (
            "ManagedIdentityCredential authentication unavailable. No identity has been assigned to this resource. registry myacr.azurecr.io",
            .aadCredential
        ),
        // The client found no credentials for the registry (matcher version 5): the .NET SDK's
        // container publishing (`CONTAINER1008`), as virtual-kubelet's `no username present`.
        (
            "error CONTAINER1013: Failed to push to the output registry: Microsoft.NET.Build.Containers.Credentials.CredentialRetrievalException: "
                + "CONTAINER1008: Failed retrieving credentials for \"myacr.azurecr.io\"", .unauthorized
        ),
    ]

    @Test("the most specific cause a line states decides its type, in every wrapper", arguments: 0..<causes.count)
    func causeDecidesType(_ index: Int) {
        let (message, type) = Self.causes[index]
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: ["az acr login -n myacr", wrapper.wrap(message)])
            #expect(found.map(\.type) == [type], "\(wrapper.name): \(message)")
            #expect(found.first?.registry == "myacr", "\(wrapper.name): \(message)")
        }
    }

    @Test("'Please run az login' inside the az acr login cascade is aad-credential")
    func notSignedIn() {
        let found = Support.scan(lines: [
            "WARNING: Unable to get AAD authorization tokens with message: Please run 'az login' to setup account.",
            "WARNING: Unable to get admin user credentials with message: Please run 'az login' to setup account.",
            "ERROR: Unable to authenticate using AAD or admin login credentials. Please specify both username and password in non-interactive mode.",
        ])
        #expect(found.map(\.type) == [.aadCredential])
        #expect(found.first.map { ($0.line, $0.lineEnd) }! == (1, 3))
    }

    @Test("a check-health token code without a response code counts; with a 5xx on the next line it does not")
    func tokenStepWithoutCode() {
        let alone = Support.scan(lines: [
            "WARNING: Unable to get AAD authorization tokens with message: An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR"
        ])
        #expect(alone.map(\.type) == [.identityPermission])
        let gateway = Support.scan(lines: [
            "Unable to get AAD authorization tokens with message: An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR",
            "Access to registry 'myacr.azurecr.io' was denied. Response code: 500. Please try running 'az login' again to refresh permissions.",
        ])
        #expect(gateway.isEmpty)
    }

    @Test(
        "masked registries count with an unknown registry",
        arguments: [
            "Failed to pull image \"***\": rpc error: code = Unknown desc = Error response from daemon: Get ******: unauthorized: authentication required",
            "Error: could not download oci://***/helm/app: unexpected status from HEAD request to https://***/v2/helm/app/manifests/1.0: 401 Unauthorized",
            "unable to push ***/team/app:1.2: unauthorized: authentication required",
        ])
    func masked(_ line: String) {
        let found = Support.scan(lines: [line])
        #expect(found.count == 1, "\(line)")
        #expect(found.first?.registry == nil)
    }

    @Test(
        "a masked app id, make's *** and other stars are no registry",
        arguments: [
            "2026-11-20T03:30:13.1187702Z ##[error]AADSTS7000215: Invalid client secret provided for app '***'.",
            "make: *** [Makefile:38: push] Error 1 unauthorized: authentication required",
        ])
    func starsThatAreNoRegistry(_ line: String) {
        #expect(Support.scan(lines: ["az login --service-principal -u *** -p ***", line]).isEmpty)
    }

    @Test(
        "an application's own 401 or 403 after an ACR login is not the registry's",
        arguments: [
            "AxiosError: Request failed with status code 401",
            "System.Net.Http.HttpRequestException: Response status code does not indicate success: 401 (Unauthorized).",
            "requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: https://api.contoso.internal/orders",
            "FAILED tests/test_api.py::test_orders - AssertionError: expected status 200, got status 401",
            "open /root/.docker/config.json: permission denied: cannot read credentials",
        ])
    func applicationStatuses(_ line: String) {
        #expect(
            Support.scan(lines: ["az acr login -n myacr", "docker push myacr.azurecr.io/app:1", line]).isEmpty,
            "\(line)")
    }

    @Test(
        "any other registry host the line uses is not ACR, whatever the context",
        arguments: [
            "error CONTAINER1013: Failed to push to the output registry: CONTAINER1008: Failed retrieving credentials for \"ghcr.io\"",
            "error CONTAINER1013: Failed to push to the output registry: CONTAINER1008: Failed retrieving credentials for \"registry.corp.example\"",
            "Error response from daemon: Get \"https://harbor.corp.example/v2/\": unauthorized: authentication required",
            "failed to fetch oauth token: unexpected status from POST request to https://artifactory.example.com/service/token: 401 Unauthorized",
            "Get http://localhost:5000/v2/app/manifests/1: unauthorized: authentication required",
            "Failed to pull image \"registry.corp.example/team/app:1\": rpc error: unauthorized: authentication required",
        ])
    func selfHosted(_ line: String) {
        #expect(Support.scan(lines: ["az acr login -n myacr", line]).isEmpty, "\(line)")
    }

    @Test("the registry named by the failing line's own advice, and by a CI runner's coloured echo of the command")
    func registryFromCommandForms() {
        let tip = Support.scan(lines: [
            "This command requires running the docker daemon, which is not supported in Azure Cloud Shell. "
                + "You may want to use 'az acr login -n jackyharbor --expose-token' to get an access token."
        ])
        #expect(tip.map(\.registry) == ["jackyharbor"])
        let echoed = Support.scan(lines: [
            "2026-11-20T03:40:00.3310022Z ##[group]Run az acr login -n contosoprod",
            "2026-11-20T03:40:00.3310876Z \u{1B}[36;1maz acr login -n contosoprod\u{1B}[0m",
            "2026-11-20T03:40:00.3311660Z ##[endgroup]",
            "2026-11-20T03:40:09.1000000Z unauthorized: authentication required",
        ])
        #expect(echoed.map(\.registry) == ["contosoprod"])
        let variable = Support.scan(lines: ["az acr login -n $ACR_NAME", "unauthorized: authentication required"])
        #expect(variable.count == 1 && variable[0].registry == nil)
    }

    @Test("a push or login to a masked registry keeps an unknown ACR context; to a named other registry it ends it")
    func maskedCommandTargets() {
        let masked = Support.scan(lines: [
            "2026-11-20T03:14:10.1000000Z The push refers to repository [***/team/web]",
            "2026-11-20T03:14:11.1000000Z unauthorized: authentication required",
        ])
        #expect(masked.count == 1 && masked[0].registry == nil)
        let other = Support.scan(lines: [
            "az acr login -n myacr",
            "The push refers to repository [docker.io/team/web]",
            "unauthorized: authentication required",
        ])
        #expect(other.isEmpty)
    }

    @Test("a push goes where Docker's reference rule sends it: a login server with no path is a Docker Hub image")
    func pushTargets() {
        let hub = Support.scan(lines: [
            "docker login -u demo -p *** myacr.azurecr.io",
            "The push refers to repository [docker.io/library/myacr.azurecr.io]",
            "denied: requested access to the resource is denied",
        ])
        #expect(hub.isEmpty)
        let bare = Support.scan(lines: [
            "$ docker push myacr.azurecr.io:0.0.1", "denied: requested access to the resource is denied",
        ])
        #expect(bare.isEmpty)
        let acr = Support.scan(lines: [
            "$ docker push --all-tags myacr.azurecr.io/team/web", "denied: requested access to the resource is denied",
        ])
        #expect(acr.map(\.registry) == ["myacr"])
    }

    @Test(
        "a login server given without a repository becomes Docker Hub's library/NAME.azurecr.io: Docker Hub's refusal, in every wrapper"
    )
    func dockerHubLibraryRepository() {
        // Docker's reference rule turns `myacr.azurecr.io` (no repository) into
        // `docker.io/library/myacr.azurecr.io`: the request goes to Docker Hub, which refuses it.
        let hub = [
            "GET https://index.docker.io/v2/library/myacr.azurecr.io/tags/list?n=1000: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:library/myacr.azurecr.io Type:repository]]",
            "failed to resolve reference \"docker.io/library/myacr.azurecr.io:latest\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
            "reading manifest latest in docker.io/library/myacr.azurecr.io: unauthorized: authentication required",
        ]
        for wrapper in Self.wrappers {
            for line in hub {
                #expect(Support.scan(lines: [wrapper.wrap(line)]).isEmpty, "\(wrapper.name): \(line)")
            }
            // ACR's own `library/` repository stays ACR's.
            let acr = Support.scan(lines: [
                wrapper.wrap(
                    "GET https://myacr.azurecr.io/v2/library/nginx/tags/list?n=1000: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:library/nginx Type:repository]]"
                )
            ])
            #expect(acr.map(\.registry) == ["myacr"], "\(wrapper.name)")
        }
    }

    /// A pull error broken at its colons after the anonymous-token clause (a fix note quoting the
    /// kubelet's message over three lines; a viewer breaking it there), for several registries and
    /// clients: the 401 on the next line is the anonymous pull the unbroken line shows (round 17).
    static let brokenAnonymousTokenMessages: [(lines: [String], registry: String)] = [
        (
            [
                "Failed to pull image \"bytheapp.azurecr.io/bytheappdemo-consumer:20251026.3\": ",
                "failed to authorize: failed to fetch anonymous token: ",
                "unexpected status from GET request to https://bytheapp.azurecr.io/oauth2/token: 401 Unauthorized",
            ], "bytheapp"
        ),
        (
            [
                "Failed to pull image \"acrwizdev.azurecr.io/guestbook:8edd399\": failed to pull and unpack image \"acrwizdev.azurecr.io/guestbook:8edd399\": failed to resolve reference \"acrwizdev.azurecr.io/guestbook:8edd399\": failed to authorize: failed to fetch anonymous token:",
                "unexpected status from GET request to https://acrwizdev.azurecr.io/oauth2/token?scope=repository%3Aguestbook%3Apull&service=acrwizdev.azurecr.io: 401 Unauthorized",
            ], "acrwizdev"
        ),
        (
            [
                "ERROR: failed to solve: contosoprod.azurecr.io/base/node:20: failed to resolve source metadata for contosoprod.azurecr.io/base/node:20: failed to authorize: failed to fetch anonymous token:",
                "unexpected status from GET request to https://contosoprod.azurecr.io/oauth2/token?scope=repository%3Abase%2Fnode%3Apull&service=contosoprod.azurecr.io: 401 Unauthorized",
            ], "contosoprod"
        ),
        (
            [
                "Error response from daemon: Head \"https://TailSpinACR.azurecr.io/v2/web/manifests/1.2\": failed to authorize: failed to fetch anonymous token:",
                "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
            ], "tailspinacr"
        ),
    ]

    @Test(
        "a pull error broken after its anonymous-token clause is the anonymous pull, behind a CI prefix or colour and at any chunk size"
    )
    func brokenAnonymousTokenClause() {
        let colour: [(name: String, wrap: @Sendable (String) -> String)] = [
            ("ansi-line", { "\u{1B}[31m" + $0 + "\u{1B}[0m" })
        ]
        for wrapper in Self.wrappers + colour where wrapper.name != "logrus" && wrapper.name != "klog" {
            for (message, registry) in Self.brokenAnonymousTokenMessages {
                let lines = ["$ kubectl describe pod web-7d9f8c6b4-x2kqp"] + message.map(wrapper.wrap) + [""]
                let found = Support.scan(lines: lines)
                #expect(found.map(\.type) == [.anonymousPull], "\(wrapper.name): \(message.last!)")
                #expect(found.map(\.registry) == [registry], "\(wrapper.name): \(message.last!)")
                for chunk in [1, 7, 64] {
                    #expect(Support.scan(lines: lines, chunk: chunk) == found, "\(wrapper.name), chunks of \(chunk)")
                }
            }
        }
    }

    @Test(
        "the anonymous-token clause types only the line right after the line it ends; another registry's broken message stays out"
    )
    func brokenAnonymousTokenClauseLimits() {
        let status =
            "unexpected status from GET request to https://myacr.azurecr.io/oauth2/token?scope=repository%3Aweb%3Apull&service=myacr.azurecr.io: 401 Unauthorized"
        // The oauth-token clause (credentials were sent) stays unauthorized.
        let oauth = Support.scan(lines: ["failed to authorize: failed to fetch oauth token:", status])
        #expect(oauth.map(\.type) == [.unauthorized])
        // A clause followed by its answer on its own line (another registry's complete failure) breaks nothing off.
        let closed = Support.scan(lines: [
            "failed to fetch anonymous token: unexpected status: 401 Unauthorized (quay.io)", status,
        ])
        #expect(closed.last?.type == .unauthorized)
        // Not the line right after: another line between.
        let apart = Support.scan(lines: [
            "failed to authorize: failed to fetch anonymous token:", "Retrying in 5s", status,
        ])
        #expect(apart.map(\.type) == [.unauthorized])
        // Another registry's broken message stays out (ECR, no ACR anywhere).
        let ecr = Support.scan(lines: [
            "Error response from daemon: failed to authorize: failed to fetch anonymous token:",
            "unexpected status code 401 Unauthorized",
        ])
        #expect(ecr.isEmpty)
    }

    @Test(
        "a status on the continuation line of a folded message counts for the login server of its first line, bare and behind a CI prefix"
    )
    func foldedMessageStatus() {
        let prefixes = ["", "2026-11-20T03:14:15.1234567Z "]
        for prefix in prefixes {
            // A Knative revision's status (kubectl get -o yaml): YAML folds the quoted message.
            let knative = Support.scan(
                lines: [
                    "status:", "  conditions:", "  - lastTransitionTime: \"2026-11-20T03:14:15Z\"",
                    "    message: 'Unable to fetch image \"myacr.azurecr.io/team/web:1.4.2\":",
                    "      unsupported status code 401'", "    reason: ContainerMissing", "    status: \"False\"",
                ].map { prefix + $0 })
            #expect(knative.map(\.type) == [.unauthorized], "\(prefix)")
            #expect(knative.map(\.registry) == ["myacr"], "\(prefix)")
            #expect(knative.first?.line == 5, "\(prefix)")
            #expect(knative.first?.loginServer == "myacr.azurecr.io", "\(prefix)")
            // A double-quoted fold, the status two levels deeper.
            let double = Support.scan(
                lines: [
                    "  message: \"Failed to pull image myacr.azurecr.io/web:1 from the cluster:",
                    "      HTTP 403 when fetching the manifest\"",
                ].map { prefix + $0 })
            #expect(double.map(\.type) == [.accessDenied], "\(prefix)")
            // A line that closes its value opens no fold: a probe's status under the image is not the image's.
            let probe = Support.scan(
                lines: [
                    "    Image:          myacr.azurecr.io/api:2",
                    "      Liveness probe failed: HTTP probe failed with statuscode: 401",
                ].map { prefix + $0 })
            #expect(probe.isEmpty, "\(prefix)")
            // Not a continuation: the same indentation, a list item, or another registry's head.
            let flat = Support.scan(
                lines: [
                    "    message: 'Unable to fetch image \"myacr.azurecr.io/web:1\":",
                    "    unsupported status code 401'",
                ]
                .map { prefix + $0 })
            #expect(flat.isEmpty, "\(prefix)")
            let item = Support.scan(
                lines: ["  image: myacr.azurecr.io/web:1", "    - unsupported status code 401"].map { prefix + $0 })
            #expect(item.isEmpty, "\(prefix)")
            let gcr = Support.scan(
                lines: [
                    "    message: 'Unable to fetch image \"gcr.io/team/web:1\":", "      unsupported status code 401'",
                ].map { prefix + $0 })
            #expect(gcr.isEmpty, "\(prefix)")
        }
        // A first line that is a failure of its own keeps its continuation: one failure, not two.
        let own = Support.scan(lines: [
            "Failed to pull image \"myacr.azurecr.io/web:1\": unauthorized: authentication required",
            "    unsupported status code 401",
        ])
        #expect(own.count == 1)
    }

    @Test("a retry prints the identical error again and counts, even within the second; an annotation echo does not")
    func retriesAndEchoes() {
        let line =
            "2026-11-20T03:14:15.1000000Z Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required"
        let retries = Support.scan(lines: [line, line.replacingOccurrences(of: ".1000000Z", with: ".4000000Z"), line])
        #expect(retries.count == 3)
        let echo = Support.scan(lines: [
            line, "2026-11-20T03:14:15.1200000Z ##[error]unauthorized: authentication required",
        ])
        #expect(echo.count == 1)
        let kubelet = Support.scan(lines: [
            "E1120 03:14:15.100000 1 remote_image.go:180] \"PullImage from image service failed\" err=\"rpc error: code = Unknown desc = failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized\" image=\"myacr.azurecr.io/web:1\"",
            "E1120 03:14:15.100300 1 kuberuntime_image.go:53] \"Failed to pull image\" err=\"rpc error: code = Unknown desc = failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized\" image=\"myacr.azurecr.io/web:1\"",
        ])
        #expect(kubelet.count == 1)
    }

    @Test("the Docker client's daemon error right after az acr login is its failure; elsewhere it is not")
    func daemonAfterLogin() {
        let afterLogin = Support.scan(lines: [
            "$ az acr login -n myacr",
            "Cannot connect to the Docker daemon. Is the docker daemon running on this host?",
        ])
        #expect(afterLogin.map(\.type) == [.dockerCommandError])
        #expect(afterLogin.map(\.registry) == ["myacr"])
        let afterPush = Support.scan(lines: [
            "$ docker push myacr.azurecr.io/app:1",
            "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
        ])
        #expect(afterPush.isEmpty)
    }

    @Test(
        "ACR's own words count through a custom domain; MCR's backing registry, a raw HTTP response and az acr import's relay of the source do not"
    )
    func ownWordsAndLookAlikes() {
        let customDomain = Support.scan(lines: [
            "Error response from daemon: Head \"https://cr.example.cloud/v2/nginx/manifests/latest\": denied: client with IP '198.51.100.7' "
                + "is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
        ])
        #expect(customDomain.map(\.type) == [.ipNotAllowed])
        #expect(
            Support.scan(lines: [
                "ERROR: failed to solve: failed to fetch anonymous token: unexpected status from GET request to "
                    + "https://mcrprod.azurecr.io/oauth2/token?scope=repository%3Adotnet%2Fsdk%3Apull: 401 Unauthorized"
            ]).isEmpty)
        #expect(
            Support.scan(lines: ["$ curl -i https://myacr.azurecr.io/v2/app/tags/list", "HTTP/1.1 401 Unauthorized"])
                .isEmpty)
        #expect(
            Support.scan(lines: [
                "az acr import --name myacr --source docker.io/library/nats:2.1.8",
                "Deployment failed. Resource /subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myacr "
                    + "Invalid message Unauthorized Unauthorized {\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}",
            ]).isEmpty)
    }

    @Test("an Azure SDK request failure with its status on the next line is one failure of that status")
    func sdkStatusLine() {
        let found = Support.scan(lines: [
            "Unable to publish module \"br:myacr.azurecr.io/website:v1\": Service request failed.",
            "Status: 401 (Unauthorized)",
            "Content:",
        ])
        #expect(found.map(\.type) == [.unauthorized])
        #expect(found.map(\.registry) == ["myacr"])
        // `Content:` is the exception's own header for the body that follows (matcher 9).
        #expect(found.first.map { ($0.line, $0.lineEnd) }! == (1, 3))
        #expect(Support.scan(lines: ["az acr login -n myacr", "Status: 401 (Unauthorized)"]).isEmpty)
    }

    @Test("a .NET credential exception chain is one aad-credential failure")
    func azureIdentityChain() {
        let found = Support.scan(lines: [
            "Unable to restore the module with reference \"br:***.azurecr.io/mods/app:v1\": Unhandled exception: Azure.Identity.AuthenticationFailedException: The ChainedTokenCredential failed",
            " ---> Azure.Identity.AuthenticationFailedException: Azure CLI authentication timed out.",
            "   at Azure.Identity.AzureCliCredential.GetTokenImplAsync(Boolean async, TokenRequestContext requestContext)",
        ])
        #expect(found.map(\.type) == [.aadCredential])
        #expect(found.first?.registry == nil)
    }

    @Test("a GUID given as a password is no identity; a GUID app id is")
    func guidPasswordIsNoIdentity() {
        let secret = Support.scan(lines: [
            "az acr login -n myacr -u 5c3a7f0e-8d21-4b7a-9f3e-2a6c1d0b9e44 -p 0b1f6471-1bf0-4dda-aec3-cb9272f09590 AADSTS7000215: Invalid client secret"
        ])
        #expect(secret.map(\.identity) == ["5c3a7f0e-8d21-4b7a-9f3e-2a6c1d0b9e44"])
        let onlyPassword = Support.scan(lines: [
            "az acr login -n myacr -p 0b1f6471-1bf0-4dda-aec3-cb9272f09590 AADSTS7000215: Invalid client secret"
        ])
        #expect(onlyPassword.count == 1 && onlyPassword[0].identity == nil)
    }

    /// The response side of a client's HTTP trace (matcher version 5): `curl -v` and the Go
    /// registry clients' `--debug` dumps (ORAS, regclient) print the registry's normal 401 bearer
    /// challenge as `< HTTP/1.1 401 …` or `< Response Status: "401 Unauthorized"`.
    static let traceDumps = [
        "< Response Status: \"401 Unauthorized\"",
        "< HTTP/2 401 ",
        "   < Response Status: \"403 Forbidden\"",
    ]

    @Test(
        "the response side of an HTTP trace is the registry's challenge, not a failure, in every wrapper",
        arguments: traceDumps)
    func traceDumpResponses(_ dump: String) {
        for wrapper in Self.wrappers where wrapper.name != "logrus" && wrapper.name != "klog" {
            let found = Support.scan(lines: [
                wrapper.wrap("$ oras push --debug myacr.azurecr.io/samples/artifact:1.0"),
                wrapper.wrap("> Request URL: \"https://myacr.azurecr.io/v2/samples/artifact/manifests/1.0\""),
                wrapper.wrap(dump),
                wrapper.wrap("   \"Server\": \"AzureContainerRegistry\""),
            ])
            #expect(found.isEmpty, "\(wrapper.name): \(dump)")
        }
        // The client's own error after the dump still counts.
        let failed = Support.scan(lines: [
            "< Response Status: \"401 Unauthorized\"",
            "Error: failed to push: POST \"https://myacr.azurecr.io/v2/samples/artifact/blobs/uploads/\": response status code 401: unauthorized: authentication required",
        ])
        #expect(failed.map(\.type) == [.unauthorized])
        #expect(failed.map(\.registry) == ["myacr"])
    }

    /// A registry host written without its name label (matcher version 5): tools and people drop it
    /// (`get azurecr.io/v2/…`, `https://.azurecr.io/v2/`); still ACR, with an unknown registry.
    static let namelessHosts = [
        "Run docker command to pull public image failed with error: error response from daemon: get azurecr.io/v2/app/manifests/latest: unauthorized: authentication required",
        "Error response from daemon: Get \"https://azurecr.io/v2/\": unauthorized: authentication required",
        "error response from daemon: Get \"https://.azurecr.io/v2/\": unauthorized: authentication required",
    ]

    @Test(
        "a login server without its name label is ACR with an unknown registry, in every wrapper",
        arguments: namelessHosts)
    func namelessHost(_ message: String) {
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: [wrapper.wrap(message)])
            #expect(found.map(\.type) == [.unauthorized], "\(wrapper.name): \(message)")
            #expect(found.count == 1 && found[0].registry == nil, "\(wrapper.name): \(message)")
        }
    }

    @Test(
        "the bare ACR domain in prose, or in another registry's path, is no login server",
        arguments: [
            "unauthorized: authentication required for every registry under azurecr.io",
            "Error response from daemon: Get \"https://harbor.example.com/v2/mirror/azurecr.io/app/manifests/1\": unauthorized: authentication required",
        ])
    func bareDomainThatIsNoHost(_ line: String) {
        #expect(Support.scan(lines: [line]).isEmpty, "\(line)")
    }

    /// The registry authorizer's refusal without a host (matcher version 5): BuildKit's
    /// `authorization status: 401: authorization failed` and containerd's token step with a 403
    /// (`failed to fetch oauth token: unexpected status: 403 Forbidden`, helm and nerdctl print it):
    /// the registry comes from the context, as for the other registry-protocol errors.
    static let authorizerStatuses: [(String, ErrorType)] = [
        ("#7 ERROR: authorization status: 401: authorization failed", .unauthorized),
        ("error: failed to solve: authorization status: 401: authorization failed", .unauthorized),
        (
            "Error: buildx failed with: ERROR: failed to solve: authorization status: 403: authorization failed",
            .accessDenied
        ),
        (
            "Error: INSTALLATION FAILED: failed to authorize: failed to fetch oauth token: unexpected status: 403 Forbidden",
            .accessDenied
        ),
    ]

    @Test(
        "the registry authorizer's status counts in the registry context, in every wrapper",
        arguments: 0..<authorizerStatuses.count)
    func authorizerStatus(_ index: Int) {
        let (message, type) = Self.authorizerStatuses[index]
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: [wrapper.wrap("az acr login -n myacr"), wrapper.wrap(message)])
            #expect(found.map(\.type) == [type], "\(wrapper.name): \(message)")
            #expect(found.first?.registry == "myacr", "\(wrapper.name): \(message)")
            // After a login to another registry, or with no registry named at all, it is not ACR's.
            #expect(
                Support.scan(lines: [wrapper.wrap("docker login ghcr.io -u bot"), wrapper.wrap(message)]).isEmpty,
                "\(wrapper.name)")
            #expect(Support.scan(lines: [wrapper.wrap(message)]).isEmpty, "\(wrapper.name): \(message)")
        }
    }

    @Test("an ARM action path is no registry name; the scope is")
    func armAction() {
        let found = Support.scan(lines: [
            "ERROR: (AuthorizationFailed) The client 'sp' does not have authorization to perform action "
                + "'Microsoft.ContainerRegistry/registries/listCredentials/action' over scope "
                + "'/subscriptions/x/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contosoprod'."
        ])
        #expect(found.map(\.registry) == ["contosoprod"])
    }
}

/// Excerpts of long lines keep the failure in view (issue 13): the log's own prefix is elided.
@Suite struct ExcerptFocusTests {
    @Test(
        "a long line's excerpt starts near the failure's words, after an ellipsis, and still redacts what came before")
    func centred() throws {
        let prefix =
            "time=\"2026-11-20T03:14:15Z\" level=error msg=\"Handler for POST /v1.43/images/create returned error: "
            + String(repeating: "layer sha256:0123456789abcdef pulled; ", count: 12)
        let line =
            prefix
            + "docker login -u sp -p Hunter2Secret myacr.azurecr.io then Get \\\"https://myacr.azurecr.io/v2/\\\": unauthorized: authentication required\""
        let found = Support.scan(lines: [line])
        let excerpt = try #require(found.first?.excerpt)
        #expect(excerpt.hasPrefix("…"))
        #expect(excerpt.contains("unauthorized: authentication required"))
        #expect(excerpt.contains("Hunter2Secret") == false)
        #expect(excerpt.utf8.count <= Redactor.maxExcerptBytes + 6)
    }

    @Test("a short line's excerpt is the line itself")
    func shortLine() {
        let line = "Error response from daemon: Get https://myacr.azurecr.io/v2/: unauthorized: authentication required"
        #expect(Support.scan(lines: [line]).first?.excerpt == line)
    }
}

/// Secrets whose flag and value are split by a piece boundary or a line end (issue 14).
@Suite struct SplitSecretTests {
    @Test("a flag at the end of a piece whose value starts the next piece is redacted, at every cut")
    func acrossPieces() {
        let head = "docker login myacr.azurecr.io -u sp --password "
        let value = "Sup3rSecretValue"
        // Pieces of 64 bytes: the first ends after `k` bytes of the value, the second holds the rest
        // of it and the failure.
        for k in 0..<8 {
            let line =
                String(repeating: "x", count: 64 - head.utf8.count - k) + head + value
                + " unauthorized: authentication required"
            for chunk in [nil, 7] as [Int?] {
                let found = Support.scan(Array((line + "\n").utf8), chunk: chunk, maxLineBytes: 64)
                #expect(found.count == 1, "k \(k)")
                let leaked = found.contains { $0.excerpt.contains(String(value.dropFirst(k).prefix(8))) }
                #expect(leaked == false, "k \(k): \(found.map(\.excerpt))")
            }
        }
    }

    @Test("a value on the line after its flag is redacted in the failure line's excerpt")
    func nextLine() {
        let found = Support.scan(lines: [
            "+ docker login myacr.azurecr.io -u sp --password",
            "Sup3rSecretValue unauthorized: authentication required",
        ])
        #expect(found.count == 1)
        #expect(found.allSatisfy { !$0.excerpt.contains("Sup3rSecret") }, "\(found.map(\.excerpt))")
    }
}

/// The classes that round 4 of the real-world corpus showed (matcher version 6): ACR's error body
/// printed over many lines or without its code, the Azure SDK for Go's `ResponseError` frame, the
/// SDKs' registry clients as ACR evidence, the .NET SDK's repository-access error, and `az acr
/// login` without a usable docker client in more wordings. Each is tried in several producers'
/// wrappers, with look-alikes that must stay uncounted.
@Suite struct ErrorBlockClassTests {
    static let wrappers = ShapeClassTests.wrappers

    static let prettyBody = [
        "{",
        "  \"errors\": [",
        "    {",
        "      \"code\": \"UNAUTHORIZED\",",
        "      \"message\": \"authentication required, visit https://aka.ms/acr/authorization for more information.\",",
        "      \"detail\": [ { \"Type\": \"repository\", \"Name\": \"team/app\", \"Action\": \"metadata_read\" } ]",
        "    }",
        "  ]",
        "}",
    ]

    @Test("ACR's error body pretty-printed over many lines counts once, in every wrapper")
    func prettyPrintedBody() {
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: Self.prettyBody.map(wrapper.wrap))
            #expect(found.map(\.type) == [.unauthorized], "\(wrapper.name)")
            #expect(found.first?.registry == nil, "\(wrapper.name)")
        }
        // After a command that names the registry, the body is that registry's.
        let named = Support.scan(lines: ["curl -s https://myacr.azurecr.io/acr/v1/team/app/_tags"] + Self.prettyBody)
        #expect(named.map(\.registry) == ["myacr"])
    }

    @Test(
        "ACR's 401 message with its link counts on a line of its own, in every wrapper",
        arguments: [
            "authentication required, visit https://aka.ms/acr/authorization for more information.",
            "\"message\": \"authentication required, visit https://aka.ms/acr/authorization for more information.\"",
            "Could not get tags: authentication required, visit https://aka.ms/acr/authorization for more information. CorrelationId: 9ec0",
        ])
    func ownMessage(_ message: String) {
        for wrapper in Self.wrappers {
            #expect(
                Support.scan(lines: [wrapper.wrap(message)]).map(\.type) == [.unauthorized],
                "\(wrapper.name): \(message)")
        }
    }

    @Test("docker's 'error from registry' relay of ACR's words after a pull from MCR is not counted")
    func mcrRelay() {
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: [
                wrapper.wrap("docker pull mcr.microsoft.com/dotnet-buildtools/image-builder:2986591"),
                wrapper.wrap(
                    "Error response from daemon: error from registry: authentication required, visit https://aka.ms/acr/authorization for more information. CorrelationId: 181a"
                ),
            ])
            #expect(found.isEmpty, "\(wrapper.name): \(found.map(\.excerpt))")
        }
    }

    static let responseError = [
        "ERROR: failed deploying service 'api': failed logging into container registry, token: failed getting ACR token:",
        "POST https://myacr.azurecr.io/oauth2/exchange",
        String(repeating: "-", count: 80),
        "RESPONSE 401: 401 Unauthorized",
        "ERROR CODE UNAVAILABLE",
        String(repeating: "-", count: 80),
        "{",
        "  \"errors\": [",
        "    {",
        "      \"code\": \"UNAUTHORIZED\",",
        "      \"message\": \"authentication required, visit https://aka.ms/acr/authorization for more information.\"",
        "    }",
        "  ]",
        "}",
        String(repeating: "-", count: 80),
    ]

    /// The block's request went to ACR's token exchange: its 401 is the exchange refusing the caller's
    /// Entra token, identity-permission like the CLI's `CONNECTIVITY_REFRESH_TOKEN_ERROR` (matcher 9;
    /// matcher 6 to 8 said unauthorized and started the failure at the RESPONSE line).
    @Test(
        "the Azure SDK for Go's ResponseError block for the token exchange counts once, from its request line to its body"
    )
    func responseErrorBlock() {
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: Self.responseError.map(wrapper.wrap))
            #expect(found.map(\.type) == [.identityPermission], "\(wrapper.name): \(found.map(\.excerpt))")
            #expect(found.first.map { ($0.line, $0.lineEnd) }! == (2, 11), "\(wrapper.name)")
            #expect(found.first?.registry == "myacr", "\(wrapper.name)")
        }
        // Its code on the line after the status (`ERROR CODE: UNAUTHORIZED`) is the same failure too.
        let short = Support.scan(lines: [
            "GET https://myacr.azurecr.io/acr/v1/app/_tags", "RESPONSE 401: 401 Unauthorized",
            "ERROR CODE: UNAUTHORIZED",
        ])
        #expect(short.map(\.type) == [.unauthorized])
        #expect(short.first.map { ($0.line, $0.lineEnd) }! == (2, 3))
    }

    @Test("two failures on adjacent lines stay two; a frame line inside one escaped message joins nothing")
    func adjacentFailuresStayApart() {
        let found = Support.scan(lines: [
            "Get \"https://fabrikamci.azurecr.io/v2/\": denied: client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.",
            "Get \"https://contosoprod.azurecr.io/v2/\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
        ])
        #expect(found.map(\.type) == [.ipNotAllowed, .unauthorized])
        let escaped = Support.scan(lines: [
            "Access to registry 'contosoprod.azurecr.io' was denied. Response code: 403.",
            "\"error\":\"failed to get credential from azure: oci://contosoprod.azurecr.io/helm/web\\n"
                + String(repeating: "-", count: 80)
                + "\\nRESPONSE 401 Unauthorized\\nAADSTS7000215: Invalid client secret provided.\"",
        ])
        #expect(escaped.map(\.type) == [.identityPermission, .aadCredential])
    }

    @Test("ACR's 'retrieving permissions failed' refusal counts without a host, in every wrapper")
    func retrievingPermissions() {
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: [
                wrapper.wrap(
                    "\t{\\\"code\\\":\\\"UNAUTHORIZED\\\",\\\"message\\\":\\\"retrieving permissions failed\\\"}")
            ])
            #expect(found.map(\.type) == [.unauthorized], "\(wrapper.name)")
        }
    }

    @Test("an Azure SDK registry client's error is ACR's, in every wrapper; another client's 401 is not")
    func registryClients() {
        let body = "Details=[{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}]"
        for wrapper in Self.wrappers {
            let acr = Support.scan(lines: [
                wrapper.wrap(
                    "error: containerregistry.BaseClient#GetRepositories: Failure responding to request: StatusCode=401 -- Original Error: autorest/azure: Service returned an error. Status=401 "
                        + body)
            ])
            #expect(acr.map(\.type) == [.unauthorized], "\(wrapper.name)")
            let other = Support.scan(lines: [
                wrapper.wrap(
                    "error: keyvault.BaseClient#GetSecret: Failure responding to request: StatusCode=401 -- Original Error: autorest/azure: Service returned an error. Status=401 "
                        + body)
            ])
            #expect(other.isEmpty, "\(wrapper.name)")
        }
    }

    @Test("the .NET SDK's repository-access error counts for an ACR host, not for another registry")
    func dotnetRepositoryAccess() {
        let message =
            "error CONTAINER1016: Unable to access the repository 'team/app' in the registry '%@'. Please confirm your credentials are correct and that you have access to this repository and registry."
        for wrapper in Self.wrappers {
            let acr = Support.scan(lines: [
                wrapper.wrap(message.replacingOccurrences(of: "%@", with: "myacr.azurecr.io"))
            ])
            #expect(acr.map(\.type) == [.unauthorized], "\(wrapper.name)")
            #expect(acr.first?.registry == "myacr", "\(wrapper.name)")
            let masked = Support.scan(lines: [
                wrapper.wrap(message.replacingOccurrences(of: "%@", with: "***.azurecr.io"))
            ])
            #expect(masked.map(\.type) == [.unauthorized], "\(wrapper.name)")
            let other = Support.scan(lines: [
                wrapper.wrap(message.replacingOccurrences(of: "%@", with: "registry.example.com"))
            ])
            #expect(other.isEmpty, "\(wrapper.name)")
        }
    }

    @Test(
        "az acr login without a docker client, in the shells' words: counted right after the command only",
        arguments: [
            "The command 'docker' could not be found in this WSL 2 distro.",
            "'docker' is not recognized as an internal or external command,",
            "/bin/sh: 1: docker: command not found",
            "Please verify whether docker is installed and running properly",
        ])
    func noDockerClient(_ message: String) {
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: [wrapper.wrap("az acr login --name myacr"), wrapper.wrap(message)])
            #expect(found.map(\.type) == [.dockerCommandError], "\(wrapper.name): \(message)")
            #expect(found.first?.registry == "myacr", "\(wrapper.name): \(message)")
        }
        // Without the command the shell's words are no ACR failure (the CLI's own advice still is).
        let alone = Support.scan(lines: ["make build", message])
        #expect(alone.count == (message.hasPrefix("Please verify") ? 1 : 0), "\(message)")
    }
}
