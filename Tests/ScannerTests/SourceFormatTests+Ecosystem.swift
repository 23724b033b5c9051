import LogModel
import LogScanner
import Testing

/// Round 7's source pass (docs/accuracy.md, "Round 7"): how the tools around ACR that the earlier
/// rounds held least of print its refusal — PowerShell's Az.ContainerRegistry, the Azure SDKs for
/// .NET, Python and Go, Terraform's azurerm provider, ARM deployments, Flux, Argo CD, Ratify,
/// notation, Kyverno, Trivy, Harbor's replication, ACR Tasks' run log and the registry's own
/// features (check-health, repository-scoped tokens, the artifact cache) — taken from their current
/// sources, filled with realistic values and printed through the same eight producers' wrappers.
/// Each comment names the file and function the format comes from.
extension SourceFormatTests {
    static let ecoSubscription = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"
    static let ecoScope =
        "/subscriptions/6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b/resourceGroups/rg-ci/providers/Microsoft.ContainerRegistry/registries/myacr"
    /// ARM's AuthorizationFailed message for an action on the registry.
    static func ecoAuthorizationFailed(_ action: String) -> String {
        "The client 'ci@contoso.com' with object id '0c2d6a1e-3b4f-4d5e-8f9a-0b1c2d3e4f5a' does not have authorization to perform action '\(action)' over scope '\(ecoScope)' or the scope is invalid. If access was recently granted, please refresh your credentials."
    }
    static let ecoBody401 =
        #"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required, visit https://aka.ms/acr/authorization for more information.","detail":[{"Type":"registry","Name":"catalog","Action":"*"}]}]}"#
    static let ecoTokenURL =
        "https://myacr.azurecr.io/oauth2/token?scope=repository%3Ateam%2Fweb%3Apull&service=myacr.azurecr.io"

    static let ecosystemFormats: [Format] = [
        // Az.ContainerRegistry `Commands/ConnectAzureContainerRegistry.cs` `ExecuteCmdlet`: runs
        // `'TOKEN' | docker login SERVER -u USER --password-stdin` through `ExecuteScript`, whose stderr
        // Windows PowerShell 5.1 turns into an error record (`NativeCommandError`, `RemoteException`).
        Format(
            source: "Connect-AzContainerRegistry (PowerShell 5.1): docker login's stderr as an error record",
            lines: [
                #"Connect-AzContainerRegistry : Error response from daemon: Get "https://myacr.azurecr.io/v2/": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."#,
                "At line:1 char:1", "+ Connect-AzContainerRegistry -Name myacr",
                "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
                "    + CategoryInfo          : NotSpecified: (Error response ...or more information.:String) [Connect-AzContainerRegistry], RemoteException",
                "    + FullyQualifiedErrorId : NativeCommandError,Microsoft.Azure.Commands.ContainerRegistry.ConnectAzureContainerRegistry",
            ], type: .unauthorized),
        // The same through PowerShell 7's ConciseView (`CMDLET: MESSAGE`).
        Format(
            source: "Connect-AzContainerRegistry (PowerShell 7): ConciseView",
            lines: [
                #"Connect-AzContainerRegistry: Error response from daemon: Get "https://myacr.azurecr.io/v2/": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."#
            ], type: .unauthorized),
        // Az.ContainerRegistry's data-plane cmdlets (`Models/ContainerRegistryDataPlaneCmdletBase.cs`,
        // `-RegistryName`) call the autorest client of Microsoft.Azure.ContainerRegistry, whose
        // `AcrErrorsException` says only `Operation returned an invalid status code 'Unauthorized'`; the
        // cmdlet base writes it as a `CloseError`, and the record's position message echoes the command.
        Format(
            source: "Get-AzContainerRegistryRepository (PowerShell 5.1): AcrErrorsException 401",
            lines: [
                "Get-AzContainerRegistryRepository : Operation returned an invalid status code 'Unauthorized'",
                "At line:1 char:1", "+ Get-AzContainerRegistryRepository -RegistryName myacr",
                "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
                "    + CategoryInfo          : CloseError: (:) [Get-AzContainerRegistryRepository], AcrErrorsException",
                "    + FullyQualifiedErrorId : Microsoft.Azure.Commands.ContainerRegistry.GetAzureContainerRegistryRepository",
            ], type: .unauthorized),
        Format(
            source: "Get-AzContainerRegistryTag (PowerShell 7): ConciseView 401 after the prompt's command",
            lines: ["Get-AzContainerRegistryTag: Operation returned an invalid status code 'Unauthorized'"],
            type: .unauthorized,
            before: ["PS /home/ci> Get-AzContainerRegistryTag -RegistryName myacr -RepositoryName team/web"]),
        Format(
            source: "Remove-AzContainerRegistryTag (PowerShell 5.1): AcrErrorsException 403",
            lines: [
                "Remove-AzContainerRegistryTag : Operation returned an invalid status code 'Forbidden'",
                "At line:1 char:1",
                "+ Remove-AzContainerRegistryTag -RegistryName myacr -RepositoryName team/web -Name 1.4.2",
                "    + CategoryInfo          : CloseError: (:) [Remove-AzContainerRegistryTag], AcrErrorsException",
            ], type: .accessDenied),
        // The management cmdlets (`Commands/GetAzureContainerRegistryCredential.cs`) through ARM: the
        // autorest `CloudException` carries ARM's AuthorizationFailed message.
        Format(
            source: "Get-AzContainerRegistryCredential (PowerShell 5.1): CloudException AuthorizationFailed",
            lines: [
                "Get-AzContainerRegistryCredential : "
                    + ecoAuthorizationFailed("Microsoft.ContainerRegistry/registries/listCredentials/action"),
                "At line:1 char:1", "+ Get-AzContainerRegistryCredential -ResourceGroupName rg-ci -Name myacr",
                "    + CategoryInfo          : CloseError: (:) [Get-AzContainerRegistryCredential], CloudException",
                "    + FullyQualifiedErrorId : Microsoft.Azure.Commands.ContainerRegistry.GetAzureContainerRegistryCredential",
            ], type: .identityPermission),

        // Azure.Containers.ContainerRegistry (.NET) through Azure.Core's `RequestFailedException`
        // (`Service request failed.`, `Status: N (Reason)`, then `Content:` and `Headers:` blocks; ACR's
        // `errors` array gives no `ErrorCode:` line), as an unhandled exception prints it.
        Format(
            source: ".NET Azure.Containers.ContainerRegistry: RequestFailedException 401",
            lines: [
                "Unhandled exception. Azure.RequestFailedException: Service request failed.",
                "Status: 401 (Unauthorized)",
                "", "Content:", ecoBody401, "", "Headers:", "Server: openresty", "Date: Fri, 20 Nov 2026 03:14:15 GMT",
                "Content-Type: application/json; charset=utf-8",
                "   at Azure.Containers.ContainerRegistry.ContainerRegistryRestClient.GetManifestPropertiesAsync(String name, String digest, CancellationToken cancellationToken)",
            ], type: .unauthorized,
            before: ["info: Registry.Cleanup[0] Listing repositories of https://myacr.azurecr.io"]),
        Format(
            source: ".NET: RequestFailedException 403, the firewall's DENIED",
            lines: [
                "Azure.RequestFailedException: Service request failed.", "Status: 403 (Forbidden)", "", "Content:",
                #"{"errors":[{"code":"DENIED","message":"client with IP '203.0.113.17' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."}]}"#,
            ], type: .ipNotAllowed,
            before: ["info: Registry.Cleanup[0] Listing repositories of https://myacr.azurecr.io"]),
        // azure-containerregistry (Python) through azure-core `exceptions.py` `HttpResponseError.__str__`:
        // `Operation returned an invalid status 'REASON'`, then `Content: BODY` (current azure-core).
        Format(
            source: "Python azure-containerregistry: ClientAuthenticationError with its Content line",
            lines: [
                "Traceback (most recent call last):", #"  File "/app/cleanup.py", line 16, in <module>"#,
                "    for repository_name in client.list_repository_names():",
                #"  File "/usr/local/lib/python3.11/site-packages/azure/containerregistry/_container_registry_client.py", line 141, in list_repository_names"#,
                "azure.core.exceptions.ClientAuthenticationError: Operation returned an invalid status 'Unauthorized'",
                "Content: " + ecoBody401,
            ], type: .unauthorized, registry: nil),
        // azcontainerregistry (Go) through azcore `internal/exported/response_error.go`
        // `ResponseError.Error`: request line, separators, `RESPONSE N: STATUS`, `ERROR CODE UNAVAILABLE`
        // (ACR's body has no top-level `code`), the body indented by `json.Indent`.
        Format(
            source: "Go azcontainerregistry: azcore ResponseError 401",
            lines: [
                "2026/11/20 03:14:15 failed to advance page: GET https://myacr.azurecr.io/acr/v1/_catalog",
                "--------------------------------------------------------------------------------",
                "RESPONSE 401: 401 Unauthorized", "ERROR CODE UNAVAILABLE",
                "--------------------------------------------------------------------------------", "{",
                #"  "errors": ["#,
                "    {", #"      "code": "UNAUTHORIZED","#,
                #"      "message": "authentication required, visit https://aka.ms/acr/authorization for more information.","#,
                #"      "detail": ["#, "        {", #"          "Type": "registry","#, #"          "Name": "catalog","#,
                #"          "Action": "*""#, "        }", "      ]", "    }", "  ]", "}",
                "--------------------------------------------------------------------------------",
            ], type: .unauthorized),

        // terraform-provider-azurerm `internal/services/containers/container_registry_data_source.go`
        // `dataSourceContainerRegistryRead` (`making Read request on %s: %s` around autorest's
        // `RegistriesClient#ListCredentials` error), in Terraform's boxed diagnostic.
        Format(
            source: "Terraform azurerm data source: ListCredentials AuthorizationFailed (autorest)",
            lines: [
                "╷",
                #"│ Error: making Read request on Registry: (Name "myacr" / Resource Group "rg-ci"): containerregistry.RegistriesClient#ListCredentials: Failure responding to request: StatusCode=403 -- Original Error: autorest/azure: Service returned an error. Status=403 Code="AuthorizationFailed" Message=""#
                    + ecoAuthorizationFailed("Microsoft.ContainerRegistry/registries/listCredentials/action") + "\"",
                "│ ", "│   with data.azurerm_container_registry.acr,",
                #"│   on main.tf line 12, in data "azurerm_container_registry" "acr":"#,
                #"│   12: data "azurerm_container_registry" "acr" {"#, "│ ", "╵",
            ], type: .identityPermission),
        // The go-azure-sdk based resources (`retrieving %s: %+v`): the resource id's String() puts each
        // segment on its own line; the SDK says `unexpected status 403 (403 Forbidden) with error: CODE: MESSAGE`.
        Format(
            source: "Terraform azurerm (go-azure-sdk): retrieving Registry, 403 AuthorizationFailed",
            lines: [
                "╷", "│ Error: retrieving Registry (Subscription: \"\(ecoSubscription)\"",
                #"│ Resource Group Name: "rg-ci""#,
                #"│ Registry Name: "myacr"): unexpected status 403 (403 Forbidden) with error: AuthorizationFailed: "#
                    + ecoAuthorizationFailed("Microsoft.ContainerRegistry/registries/read"),
                "│ ", "│   with azurerm_container_registry_token.pull,",
                #"│   on acr.tf line 31, in resource "azurerm_container_registry_token" "pull":"#, "│ ", "╵",
            ], type: .identityPermission),
        // `az deployment group create` (azure-cli `resource/custom.py` through azure-core's
        // `HttpResponseError`): the failed deployment's status JSON, the operation's ARM body nested
        // as an escaped string.
        Format(
            source: "az deployment group create: DeploymentFailed, a Forbidden operation with AuthorizationFailed",
            lines: [
                #"ERROR: {"status":"Failed","error":{"code":"DeploymentFailed","target":"/subscriptions/6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b/resourceGroups/rg-ci/providers/Microsoft.Resources/deployments/main","message":"At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.","details":[{"code":"Forbidden","message":"{\r\n  \"error\": {\r\n    \"code\": \"AuthorizationFailed\",\r\n    \"message\": \""#
                    + ecoAuthorizationFailed("Microsoft.ContainerRegistry/registries/listCredentials/action")
                    + #"\"\r\n  }\r\n}"}]}}"#
            ], type: .identityPermission),

        // Flux source-controller `internal/controller/ocirepository_controller.go` (`failed to determine
        // artifact digest: %w` around go-containerregistry's transport error), as controller-runtime's
        // JSON `Reconciler error` line and as `flux get sources oci` prints the condition.
        Format(
            source: "Flux source-controller OCIRepository: Reconciler error JSON line",
            lines: [
                #"{"level":"error","ts":"2026-11-20T03:14:15.123Z","msg":"Reconciler error","controller":"ocirepository","controllerGroup":"source.toolkit.fluxcd.io","controllerKind":"OCIRepository","OCIRepository":{"name":"web","namespace":"flux-system"},"namespace":"flux-system","name":"web","reconcileID":"8d3f2a1b-5c6e-4f70-9a8b-1c2d3e4f5a6b","error":"failed to determine artifact digest: GET https://myacr.azurecr.io/oauth2/token?scope=repository%3Amanifests%2Fweb%3Apull&service=myacr.azurecr.io: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information."}"#
            ], type: .unauthorized),
        Format(
            source: "flux get sources oci: READY False row",
            lines: [
                "NAME\tREVISION\tSUSPENDED\tREADY\tMESSAGE",
                "web \t        \tFalse    \tFalse\tfailed to determine artifact digest: GET https://myacr.azurecr.io/oauth2/token?scope=repository%3Amanifests%2Fweb%3Apull&service=myacr.azurecr.io: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.",
            ], type: .unauthorized),
        // Argo CD `util/helm/cmd.go` (`helm pull` through `executil`, `` `%s` failed %s: %s ``) inside the
        // repo-server's `failed to generate manifest` condition.
        Format(
            source: "Argo CD ComparisonError: helm pull's anonymous-token 401",
            lines: [
                "Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = `helm pull --destination /tmp/6f1b2c3d --version 1.4.2 --repo oci://myacr.azurecr.io/charts web` failed exit status 1: Error: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://myacr.azurecr.io/oauth2/token?scope=repository%3Acharts%2Fweb%3Apull&service=myacr.azurecr.io: 401 Unauthorized"
            ], type: .anonymousPull),
        // Ratify `pkg/referrerstore/oras/oras.go` (`failed to resolve the subject descriptor from store
        // %s with error %v`, logrus) around oras-go's `errcode` (`response status code 401: …`).
        Format(
            source: "Ratify: subject descriptor 401 (logrus)",
            lines: [
                #"time="2026-11-20T03:14:15Z" level=warning msg="failed to resolve the subject descriptor from store oras with error HEAD \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": response status code 401: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.\n""#
            ], type: .unauthorized),
        Format(
            source: "notation verify: failed to resolve the digest, 401",
            lines: [
                #"Error: failed to resolve digest: GET "https://myacr.azurecr.io/v2/team/web/manifests/1.4.2": response status code 401: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."#
            ], type: .unauthorized),
        // Kyverno `pkg/engine/handlers/mutation/mutate_image.go` and the webhook's block message
        // (`resource %s was blocked due to the following policies`), as kubectl prints the denial.
        Format(
            source: "Kyverno verifyImages: the admission denial as kubectl prints it",
            lines: [
                #"Error from server: error when creating "deploy.yaml": admission webhook "mutate.kyverno.svc-fail" denied the request: "#,
                "", "resource Deployment/shop/web was blocked due to the following policies ", "", "verify-image:",
                "  autogen-verify-image: 'failed to verify image myacr.azurecr.io/team/web:1.4.2: .attestors[0].entries[0].keys: GET \(ecoTokenURL): UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.'",
            ], type: .unauthorized),
        // Trivy `pkg/fanal/image/image.go` `NewContainerImage` (`%d errors occurred:` over each image
        // source's failure, the remote one last).
        Format(
            source: "Trivy: the image sources' errors, the remote one ACR's 401",
            lines: [
                "2026-11-20T03:14:15.123Z\tFATAL\timage scan error: scan error: unable to initialize a scanner: unable to initialize an image scanner: 4 errors occurred:",
                "\t* docker error: unable to inspect the image (myacr.azurecr.io/team/web:1.4.2): Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
                "\t* containerd error: containerd socket not found: /run/containerd/containerd.sock",
                "\t* podman error: unable to initialize Podman client: no podman socket found: stat podman/podman.sock: no such file or directory",
                "\t* remote error: GET \(ecoTokenURL): UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.",
            ], type: .unauthorized),
        // Harbor `src/controller/replication/transfer/image/transfer.go` (`failed to check the existence
        // of the manifest of artifact %s on the destination registry: %v`), after the destination
        // client's line names the azure-acr endpoint.
        Format(
            source: "Harbor replication: manifest check refused by an azure-acr destination",
            lines: [
                "2026-11-20T03:14:15Z [ERROR] [/controller/replication/transfer/image/transfer.go:481]: failed to check the existence of the manifest of artifact team/web:1.4.2 on the destination registry: http status code: 401, body: "
                    + ecoBody401
            ], type: .unauthorized,
            before: [
                "2026-11-20T03:14:14Z [INFO] [/controller/replication/transfer/image/transfer.go:150]: client for destination registry [type: azure-acr, URL: https://myacr.azurecr.io, insecure: false] created"
            ]),
        // ACR Tasks (acr-builder `builder/builder.go`: `Container failed during run: %s. No retries
        // remaining.`, `failed to run step ID: %s: %v`; the CLI's `Run ID: %s failed after %s`): a
        // build step's FROM refused by another registry than the one the run logged in to.
        Format(
            source: "ACR Tasks run log: a build step's FROM refused by another registry",
            lines: [
                "Step 1/5 : FROM srcacr01.azurecr.io/base/node:18",
                #"Get "https://srcacr01.azurecr.io/v2/base/node/manifests/18": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."#,
                "2026/11/20 03:14:16 Container failed during run: build. No retries remaining.",
                "failed to run step ID: build: exit status 1", "",
                "Run ID: cb1 failed after 12s. Error: failed during run, err: exit status 1", "Run failed",
            ], type: .unauthorized, registry: "srcacr01",
            before: [
                "2026/11/20 03:14:14 Logging in to registry: myacr.azurecr.io",
                "2026/11/20 03:14:15 Successfully logged into myacr.azurecr.io",
                "2026/11/20 03:14:15 Executing step ID: build. Timeout(sec): 28800, Working directory: '', Network: ''",
            ]),
        // acr-builder `builder/login.go` `dockerLoginWithRetries` (`failed to login, ran out of retries`
        // around `failed to set docker credentials: %s`).
        Format(
            source: "ACR Tasks: failed to login, ran out of retries (the firewall)",
            lines: [
                #"failed to login, ran out of retries: failed to set docker credentials: Error response from daemon: Get "https://myacr.azurecr.io/v2/": denied: client with IP '52.170.1.2' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."#,
                ": exit status 1", "Run ID: ca2 failed after 5s. Error: failed during run, err: exit status 1",
                "Run failed",
            ], type: .ipNotAllowed, before: ["2026/11/20 03:14:15 Logging in to registry: myacr.azurecr.io"]),
        // azure-cli `acr/check_health.py` in full: each check's line, then the error's `An error
        // occurred: CODE`, its message, a blank line and `Please refer to …`.
        Format(
            source: "az acr check-health: the whole output with CONNECTIVITY_REFRESH_TOKEN_ERROR",
            lines: [
                "Docker daemon status: available",
                "Docker version: 'Docker version 26.1.3, build b72abbb, platform linux/amd64'",
                "Docker pull of 'mcr.microsoft.com/mcr/hello-world:latest' : OK", "Azure CLI version: 2.67.0",
                "DNS lookup to myacr.azurecr.io at IP 20.62.128.0 : OK",
                "Challenge endpoint https://myacr.azurecr.io/v2/ : OK",
                "2026-11-20 03:14:15.806011 An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR",
                "Access to registry 'myacr.azurecr.io' was denied. Response code: 403. Please try running 'az login' again to refresh permissions.",
                "", "Please refer to https://aka.ms/acr/errors#connectivity_refresh_token_error for more information.",
            ], type: .identityPermission, before: ["az acr check-health -n myacr --yes"]),
        // A repository-scoped token (`az acr token create --scope-map _repositories_pull`) pulling a
        // repository outside its scope map: Docker's classic store relays ACR's DENIED.
        Format(
            source: "docker pull with a repository-scoped token, a repository outside its scope map",
            lines: [
                "Error response from daemon: pull access denied for myacr.azurecr.io/team/api, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"
            ], type: .accessDenied, before: ["docker login myacr.azurecr.io -u citoken --password-stdin"]),
        // ACR's artifact cache: a cache rule whose upstream needs a credential set (the words of
        // Azure/acr issue 599, round 7's thread; the sentence's tail was cut there).
        Format(
            source: "ACR artifact cache: a cache rule's upstream refused without a credential set",
            lines: [
                "Error response from daemon: unauthorized: authentication required with source registry for cache rule 'docker-io'"
            ], type: .unauthorized, before: ["docker pull myacr.azurecr.io/docker.io/library/alpine:3.20"]),
        // Azure.Identity (.NET) `DefaultAzureCredential`: `CredentialUnavailableException` with one
        // `- CREDENTIAL MESSAGE` line per credential of the chain, then the stack down to ACR's client
        // (`ContainerRegistryRefreshTokenCache` asks for the token that ACR's exchange needs).
        Format(
            source: ".NET Azure.Identity chain failing under Azure.Containers.ContainerRegistry",
            lines: EcosystemClassTests.dotNetChain(client: [
                "   at Azure.Containers.ContainerRegistry.ContainerRegistryRefreshTokenCache.GetRefreshTokenFromCredentialAsync(TokenRequestContext context, String service, Boolean async, CancellationToken cancellationToken)"
            ]), type: .aadCredential, registry: nil),
        // azure-identity (Java) `EnvironmentCredential.getToken` inside azure-containers-containerregistry's
        // `ContainerRegistryClient` (its credential policy asks for the token), as an uncaught exception.
        Format(
            source: "Java azure-identity failing under ContainerRegistryClient",
            lines: [
                #"Exception in thread "main" com.azure.identity.CredentialUnavailableException: EnvironmentCredential authentication unavailable. Environment variables are not fully configured."#,
                "\tat com.azure.identity.EnvironmentCredential.lambda$getToken$0(EnvironmentCredential.java:139)",
                "\tat com.azure.containers.containerregistry.ContainerRegistryClient.listRepositoryNames(ContainerRegistryClient.java:160)",
            ], type: .aadCredential, registry: nil),
        // microsoft/FHIR-Analytics-Pipelines, the filter's container-registry provider: its diagnostic
        // log's `Failed to access container registry: {0}. Authentication failed.` and the
        // `ContainerRegistryFilterException` it throws with the same message.
        Format(
            source: "FHIR-to-Data-Lake pipeline: Failed to access container registry: REF. Authentication failed.",
            lines: [
                "Microsoft.Health.AnalyticsConnector.Core.Exceptions.ContainerRegistryFilterException: Failed to access container registry: myacr.azurecr.io/filters:latest. Authentication failed."
            ], type: .unauthorized),
        // TeamCity's build log as its web view copies it (`[HH:MM:SS][Step N/M] `, the prefix of
        // Azure/azure-cli issue 6478's log) around docker push's refusal and the step's exit.
        Format(
            source: "TeamCity: docker push refused under the step prefix",
            lines: [
                "[03:14:15][Step 3/5] The push refers to repository [myacr.azurecr.io/team/web]",
                "[03:14:15][Step 3/5] 5f70bf18a086: Preparing",
                "[03:14:16][Step 3/5] unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
                "[03:14:16][Step 3/5] Process exited with code 1",
            ], type: .unauthorized),
        // AWS CodeBuild's agent (`[Container] YYYY/MM/DD HH:MM:SS Running command …`, then `Command did
        // not exit successfully … exit status N` and the phase's `COMMAND_EXECUTION_ERROR` summary): the
        // summary names the ACR push again but is no second failure.
        Format(
            source: "AWS CodeBuild: docker push to ACR refused, then the phase summary",
            lines: [
                "[Container] 2026/11/20 03:14:15.123456 Running command docker push myacr.azurecr.io/team/web:1.4.2",
                "The push refers to repository [myacr.azurecr.io/team/web]", "5f70bf18a086: Preparing",
                "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
                "",
                "[Container] 2026/11/20 03:14:16.223456 Command did not exit successfully docker push myacr.azurecr.io/team/web:1.4.2 exit status 1",
                "[Container] 2026/11/20 03:14:16.223456 Phase complete: BUILD State: FAILED",
                "[Container] 2026/11/20 03:14:16.223456 Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: docker push myacr.azurecr.io/team/web:1.4.2. Reason: exit status 1",
            ], type: .unauthorized),
    ]

    /// The same tools' formats where they must not count: another Azure service's refusal in the same
    /// SDK words, another registry, a missing manifest, informational stderr in an error record,
    /// Alibaba Cloud's registry (also called ACR), a login server given where Docker wants an image.
    static let ecosystemLookAlikes: [[String]] = [
        // Key Vault's refusal through the same autorest sentence (PowerShell 7 and 5.1).
        [
            "Get-AzKeyVaultSecret: Operation returned an invalid status code 'Unauthorized'", "Code: Unauthorized",
            "Message: AKV10000: Request is missing a Bearer or PoP token.",
        ],
        [
            "Get-AzKeyVaultSecret : Operation returned an invalid status code 'Unauthorized'", "At line:1 char:1",
            "+ Get-AzKeyVaultSecret -VaultName kv-ci -Name acr-password",
            "    + CategoryInfo          : CloseError: (:) [Get-AzKeyVaultSecret], KeyVaultErrorException",
            "    + FullyQualifiedErrorId : Microsoft.Azure.Commands.KeyVault.GetAzureKeyVaultSecret",
        ],
        // An ACR cmdlet's 404 (a tag that does not exist).
        [
            "Get-AzContainerRegistryTag : Operation returned an invalid status code 'NotFound'", "At line:1 char:1",
            "+ Get-AzContainerRegistryTag -RegistryName myacr -RepositoryName team/web",
            "    + CategoryInfo          : CloseError: (:) [Get-AzContainerRegistryTag], AcrErrorsException",
        ],
        // Docker Desktop's credential helper and docker login's warning on stderr, as error records.
        [
            "Connect-AzContainerRegistry : [2026-11-20T03:14:15.633264100Z][docker-credential-desktop][I] set path configuration to OnHost",
            "At line:1 char:1", "+ Connect-AzContainerRegistry -Name myacr",
            "    + CategoryInfo          : NotSpecified: ([2026-11-20T03:...ation to OnHost:String) [Connect-AzContainerRegistry], RemoteException",
            "    + FullyQualifiedErrorId : NativeCommandError,Microsoft.Azure.Commands.ContainerRegistry.ConnectAzureContainerRegistry",
        ],
        [
            #"Connect-AzContainerRegistry : WARNING! Your password will be stored unencrypted in C:\Users\ci\.docker\config.json."#,
            "At line:1 char:1", "+ Connect-AzContainerRegistry -Name myacr",
        ],
        // Key Vault and a 404 through azure-core (Python).
        [
            "Traceback (most recent call last):",
            #"  File "/usr/local/lib/python3.11/site-packages/azure/keyvault/secrets/_client.py", line 72, in get_secret"#,
            "azure.core.exceptions.ClientAuthenticationError: Operation returned an invalid status 'Unauthorized'",
            #"Content: {"error":{"code":"Unauthorized","message":"AKV10032: Invalid issuer."}}"#,
        ],
        [
            #"  File "/usr/local/lib/python3.11/site-packages/azure/containerregistry/_container_registry_client.py", line 301, in get_manifest_properties"#,
            "azure.core.exceptions.ResourceNotFoundError: Operation returned an invalid status 'Not Found'",
        ],
        // Key Vault through azcore (Go) and through Terraform.
        [
            "2026/11/20 03:14:15 GET https://kv-ci.vault.azure.net/secrets/acr-password/",
            "--------------------------------------------------------------------------------",
            "RESPONSE 403: 403 Forbidden",
            "ERROR CODE: Forbidden", "--------------------------------------------------------------------------------",
        ],
        [
            "╷", "│ Error: retrieving Vault (Subscription: \"\(ecoSubscription)\"", #"│ Resource Group Name: "rg-ci""#,
            #"│ Vault Name: "kv-ci"): unexpected status 403 (403 Forbidden) with error: AuthorizationFailed: The client 'ci@contoso.com' with object id '0c2d6a1e-3b4f-4d5e-8f9a-0b1c2d3e4f5a' does not have authorization to perform action 'Microsoft.KeyVault/vaults/read' over scope '/subscriptions/6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b/resourceGroups/rg-ci/providers/Microsoft.KeyVault/vaults/kv-ci' or the scope is invalid. If access was recently granted, please refresh your credentials."#,
            "│ ", "╵",
        ],
        // The helm provider's OCI login refused by public ECR, wrapped over the diagnostic's box.
        [
            "╷", "│ Error: OCI Registry Login Failed", "│ ",
            #"│ Failed to log in to OCI registry "oci://public.ecr.aws/karpenter": could"#,
            #"│ not login to OCI registry "public.ecr.aws": login attempt to"#,
            "│ https://public.ecr.aws/v2/ failed with status: 403 Forbidden", "╵",
        ],
        // Flux at ACR for a tag that does not exist; Trivy refused by GHCR; Kyverno by a company registry.
        [
            #"{"level":"error","ts":"2026-11-20T03:14:15.123Z","msg":"Reconciler error","controller":"ocirepository","error":"failed to determine artifact digest: GET https://myacr.azurecr.io/v2/manifests/web/manifests/1.4.2: MANIFEST_UNKNOWN: manifest tagged by \"1.4.2\" is not found; map[Tag:1.4.2]"}"#
        ],
        [
            "\t* remote error: GET https://ghcr.io/token?scope=repository%3Aorg%2Fapp%3Apull&service=ghcr.io: DENIED: denied"
        ],
        [
            #"I1120 03:14:15.023335       1 cosign.go:82] cosign "msg"="image verification failed" "error"="GET https://registry.contoso.com/v2/team/web/manifests/1.4.2: UNAUTHORIZED: unauthorized to access repository: team/web, action: pull: unauthorized to access repository: team/web, action: pull""#
        ],
        // An ACR Tasks step running an image named without a host: Docker Hub's refusal.
        [
            "docker: Error response from daemon: pull access denied for hello-world-test, repository does not exist or may require 'docker login': denied: requested access to the resource is denied.",
            "2026/11/20 03:14:16 Container failed during run: test. No retries remaining.",
            "Run ID: cb2 failed after 4s. Error: failed during run, err: exit status 1",
        ],
        // check-health with every check passing.
        [
            "Docker daemon status: available", "DNS lookup to myacr.azurecr.io at IP 20.62.128.0 : OK",
            "Challenge endpoint https://myacr.azurecr.io/v2/ : OK",
            "Fetch refresh token for registry 'myacr.azurecr.io' : OK",
            "Fetch access token for registry 'myacr.azurecr.io' : OK",
        ],
        // Harbor's ping refused by Alibaba Cloud's registry (also called ACR).
        [
            "2026-11-20T03:14:15Z [ERROR] [/pkg/reg/adapter/native/adapter.go:126]: failed to ping registry https://registry.cn-hangzhou.aliyuncs.com: SDK.ServerError",
            #"Message: {"code":"USER_NOT_EXIST","message":"user is not exist."}"#,
        ],
        // A login server given where Docker wants an image (`docker pull myacr.azurecr.io`): Docker's
        // reference rule makes it Docker Hub's `library/myacr.azurecr.io`, and Docker Hub refuses.
        [
            "Error response from daemon: pull access denied for myacr.azurecr.io, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"
        ],
        [
            "Error response from daemon: pull access denied for myacr.azurecr.io, repository does not exist or may require 'docker login'"
        ],
        // A credential chain failing under Key Vault's client; CodeBuild pushing to ECR.
        EcosystemClassTests.dotNetChain(client: [
            "   at Azure.Security.KeyVault.Secrets.SecretClient.GetSecretAsync(String name, String version, CancellationToken cancellationToken)"
        ]),
        [
            "[Container] 2026/11/20 03:14:15.123456 Running command docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:1.4.2",
            "The push refers to repository [123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web]",
            "denied: Your authorization token has expired. Reauthenticate and try again.",
            "[Container] 2026/11/20 03:14:16.223456 Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:1.4.2. Reason: exit status 1",
        ],
    ]

    @Test(
        "each ecosystem format of round 7 counts once with its type and registry, in every wrapper",
        arguments: 0..<ecosystemFormats.count)
    func ecosystemFormat(_ index: Int) {
        Self.expectCountedOnce(Self.ecosystemFormats[index])
    }

    @Test(
        "each ecosystem look-alike of round 7 is not counted, in every wrapper",
        arguments: 0..<ecosystemLookAlikes.count)
    func ecosystemLookAlike(_ index: Int) {
        Self.expectNotCounted(Self.ecosystemLookAlikes[index])
    }

    @Test("ACR Tasks' push retries: each attempt that ACR refuses counts, the closing summary does not")
    func acrTasksPushRetries() {
        let attempt = { (n: Int) in
            [
                "2026/11/20 03:14:1\(n) Pushing image: myacr.azurecr.io/team/web:1.4.2, attempt \(n)",
                "The push refers to repository [myacr.azurecr.io/team/web]", "5f70bf18a086: Preparing",
                "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
            ]
        }
        // acr-builder `builder/push.go` `pushWithRetries`: three attempts, then `Failed to push images successfully`.
        let lines = attempt(1) + attempt(2) + attempt(3) + ["Failed to push images successfully"]
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: lines.map(wrapper.wrap))
            #expect(found.map(\.type) == [.unauthorized, .unauthorized, .unauthorized], "\(wrapper.name)")
            #expect(found.allSatisfy { $0.registry == "myacr" }, "\(wrapper.name)")
        }
    }
}
