import LogModel
import LogScanner
import Testing

/// Round 14's classes (docs/accuracy.md, "Round 14"): what deployments and GitOps controllers print
/// when they cannot get at an ACR — ARM's template validation refusing the AcrPull role assignment
/// on the registry, `az aks update --attach-acr`'s refusal as it reaches logs, Flux's
/// image-reflector-controller without an Azure token — and the .NET SDK's HTTP log of the registry's
/// bearer challenge, which is no failure. Each over its wrappers, registries and look-alikes.
@Suite struct DeploymentClassTests {
    /// ARM's template validation refusal, with the scope the deployment's role assignment had.
    static func templateRefusal(scope: String, action: String = "action ") -> String {
        "The template deployment failed with error: 'Authorization failed for template resource '2ed8c4a1-0b7e-5c55-9d4e-1f3a5b6c7d8e' of type 'Microsoft.Authorization/roleAssignments'. The client 'a544f2ed-7396-469b-8773-393ca5e4723d' with object id 'a544f2ed-7396-469b-8773-393ca5e4723d' does not have permission to perform \(action)'Microsoft.Authorization/roleAssignments/write' at scope '\(scope)/providers/Microsoft.Authorization/roleAssignments/2ed8c4a1-0b7e-5c55-9d4e-1f3a5b6c7d8e'.'."
    }

    static let registryScope =
        "/subscriptions/4b3e821f-1e52-4b0f-afe1-f14251b596fd/resourceGroups/rg-web/providers/Microsoft.ContainerRegistry/registries/ContosoProd01"

    @Test(
        "ARM refusing the AcrPull role assignment on a registry counts once as identity-permission, scope's registry")
    func templateRoleAssignmentOnRegistry() {
        for action in ["action ", ""] {
            let refusal = Self.templateRefusal(scope: Self.registryScope, action: action)
            let escaped = refusal.replacingOccurrences(of: "'", with: "\\u0027")
            let json = "{\"code\":\"InvalidTemplateDeployment\",\"message\":\"\(escaped)\"}"
            for shape in [
                refusal,
                "##[error]\(refusal)",
                "2026-11-20T03:14:15.1234567Z ##[error]\(refusal)",
                "2026-11-20T03:14:15.1234567Z ERROR: \(refusal) (Code: InvalidTemplateDeployment)",
                "ERROR: \(json)",
                "Nov 20 03:14:15 build-agent-7 azd[4021]: \(refusal)",
            ] {
                let found = Support.scan(lines: [shape])
                #expect(found.map(\.type) == [.identityPermission], "\(shape)")
                #expect(found.first?.registry == "contosoprod01", "\(shape)")
            }
        }
        // The pipeline's summary line before it belongs to the same failure.
        let found = Support.scan(lines: [
            "There were errors in your deployment. Error code: InvalidTemplateDeployment.",
            "##[error]\(Self.templateRefusal(scope: Self.registryScope))",
        ])
        #expect(found.count == 1)
    }

    @Test("the same refusal at a resource group, a storage account or another provider's action counts nothing")
    func templateRefusalLookAlikes() {
        for line in [
            Self.templateRefusal(scope: "/subscriptions/8b8dd26b-933a-4588-9b6e-7927cb9196bf/resourceGroups/rg-search"),
            Self.templateRefusal(
                scope:
                    "/subscriptions/8b8dd26b-933a-4588-9b6e-7927cb9196bf/resourceGroups/rg-search/providers/Microsoft.Storage/storageAccounts/stsearch01"
            ),
            "The client '2a6fc298-c33a-4a3e-840e-d237ec92c777' with object id '2a6fc298-c33a-4a3e-840e-d237ec92c777' does not have permission to perform action 'Microsoft.ContainerInstance/register/action' at scope '/subscriptions/53b81d7e-9278-4218-a658-9d7b3ae89c66'.",
            // The linked-subscription refusal says the caller has the permission.
            "The client 'a' with object id 'a' has permission to perform action 'Microsoft.ContainerRegistry/registries/read' on scope '/subscriptions/1234/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contosoprod01'; however, it does not have permission to perform action(s) 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action' on the linked scope(s)",
        ] {
            #expect(Support.scan(lines: [line]).isEmpty, "\(line)")
            #expect(Support.scan(lines: ["##[error]\(line)"]).isEmpty, "\(line)")
        }
    }

    /// `az aks update --attach-acr`'s refusal as logs carry it: after the CLI's progress bar, in a
    /// pipeline, and re-spaced or re-worded where people pasted it.
    static let attachRefusals = [
        "Could not create a role assignment for ACR. Are you an Owner on this subscription?",
        "Could not create a role assignment for  ACR. Are you the Owner of this subscription?",
        "%Could not create a role assignment for ACR. Are you an Owner on this subscription?",
        "Waiting for AAD role to propagate[################################    ]  90.0000%Could not create a role assignment for ACR. Are you an Owner on this subscription?",
    ]

    @Test("attach-acr's refusal counts as identity-permission in every spacing, with the registry of the command")
    func attachRefusal() {
        for refusal in Self.attachRefusals {
            for shape in [refusal, "2026-11-20T03:14:15.1234567Z \(refusal)", "ERROR: \(refusal)"] {
                let found = Support.scan(lines: [shape])
                #expect(found.map(\.type) == [.identityPermission], "\(shape)")
                #expect(found.first?.registry == nil, "\(shape)")
            }
            let found = Support.scan(lines: [
                "az aks update -n aks-prod -g rg-prod --attach-acr contosoprod01", refusal,
            ])
            #expect(found.map(\.type) == [.identityPermission], "\(refusal)")
            #expect(found.first?.registry == "contosoprod01", "\(refusal)")
        }
    }

    @Test("the CLI's same sentence for a subnet or an add-on counts nothing")
    func attachRefusalLookAlikes() {
        for line in [
            "Could not create a role assignment for subnet. Are you an Owner on this subscription?",
            "\"Could not create a role assignment for subnet. Are you an Owner on this subscription?\"",
            "Could not create a role assignment for Monitoring addon. Are you an Owner on this subscription?",
            "Could not create a role assignment for virtual node addon. Are you an Owner on this subscription?",
        ] {
            #expect(Support.scan(lines: [line]).isEmpty, "\(line)")
        }
    }

    /// image-reflector-controller's refusal, without a token from Azure, in `kubectl describe`'s event
    /// row, `kubectl get events`' row and the controller's JSON log.
    static let reflectorError =
        "failed to configure authentication options: DefaultAzureCredential: failed to acquire a token."

    @Test("image-reflector-controller without an Azure token counts once as aad-credential, its chain joined")
    func reflectorWithoutToken() {
        let chain = [
            "Attempted credentials:",
            "  EnvironmentCredential: missing environment variable AZURE_TENANT_ID",
            "  ManagedIdentityCredential: no default identity is assigned to this resource",
            "  AzureCLICredential: Azure CLI not found on path",
        ]
        for shape in [
            "  Warning  AuthenticationFailed  93s (x16 over 87m)  image-reflector-controller  \(Self.reflectorError)",
            "2m          Warning   AuthenticationFailed   imagerepository/podinfo   \(Self.reflectorError)",
            "{\"level\":\"error\",\"ts\":\"2023-04-18T09:12:01.213Z\",\"msg\":\"Reconciler error\",\"controller\":\"imagerepository\",\"controllerGroup\":\"image.toolkit.fluxcd.io\",\"controllerKind\":\"ImageRepository\",\"ImageRepository\":{\"name\":\"podinfo\",\"namespace\":\"flux-system\"},\"error\":\"\(Self.reflectorError)\\nAttempted credentials:\\n\\tEnvironmentCredential: missing environment variable AZURE_TENANT_ID\"}",
        ] {
            let found = Support.scan(lines: [shape] + chain)
            #expect(found.map(\.type) == [.aadCredential], "\(shape)")
            #expect(found.first?.registry == nil, "\(shape)")
        }
    }

    @Test("Flux's Git sources and other controllers with the same words count nothing")
    func reflectorLookAlikes() {
        for line in [
            "  Warning  AuthenticationFailed  2m  source-controller  \(Self.reflectorError)",
            "{\"level\":\"error\",\"ts\":\"2024-09-12T10:01:02.003Z\",\"msg\":\"Reconciler error\",\"controller\":\"gitrepository\",\"controllerKind\":\"GitRepository\",\"error\":\"\(Self.reflectorError)\"}",
            "flux-system  podinfo  False  \(Self.reflectorError)",
            // The same controller refused by another provider, or by its own secret.
            "  Warning  AuthenticationFailed  1m  image-reflector-controller  failed to configure authentication options: secrets \"acr-secret\" not found",
        ] {
            #expect(Support.scan(lines: [line]).isEmpty, "\(line)")
        }
    }

    /// Azure.Core's log of a response over 399, as bicep's trace and AzureEventSourceListener print it.
    static func coreResponse(_ status: String) -> [String] {
        [
            "TRACE: Azure-Core: [Warning] Error response [2723c896-81c2-453c-8cb8-ca29363ea09c] \(status) (00.9s)",
            "[Azure-Core] Error response [99775ab1-1ad4-4e00-a6d3-da029364241b] \(status) (00.0s)",
            "2026-11-20T03:14:15.1234567Z Azure-Core: Error response [99775ab1-1ad4-4e00-a6d3-da029364241b] \(status) (00.1s)",
        ]
    }

    @Test("the SDK's log of the registry's challenge counts nothing; the exception of a real refusal counts once")
    func sdkChallengeLog() {
        let request =
            "TRACE: Azure-Core: [Informational] Request [2723c896-81c2-453c-8cb8-ca29363ea09c] POST https://contosoprod01.azurecr.io/v2/modules/storage/blobs/uploads/"
        for line in Self.coreResponse("401 Unauthorized") + Self.coreResponse("403 Forbidden") {
            #expect(Support.scan(lines: [request, line]).isEmpty, "\(line)")
        }
        let found = Support.scan(
            lines: [request, Self.coreResponse("401 Unauthorized")[0]] + [
                "Unable to publish module \"br:contosoprod01.azurecr.io/modules/storage:v1\": Service request failed.",
                "Status: 401 (Unauthorized)",
            ])
        #expect(found.map(\.type) == [.unauthorized])
        #expect(found.first?.registry == "contosoprod01")
    }
}
