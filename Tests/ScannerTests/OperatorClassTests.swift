import LogModel
import LogScanner
import Testing

/// Round 12's classes (docs/accuracy.md, "Round 12"): the words of operators that fetch ACR
/// credentials or images for a cluster — External Secrets' ACRAccessToken generator refused at
/// ACR's token steps or by Entra ID, and OpenShift's image import refused by the registry —
/// tested over registry names, versions' wordings, statuses, producers' wrappers and look-alikes.
@Suite struct OperatorClassTests {
    /// The ExternalSecret controller's wrapper (`errGenerate`, `could not generate [%d]: %w`) around
    /// the generator's two token steps, in the wordings of its versions (`count not` up to 0.9).
    static func esoTokenSteps(_ status: Int) -> [String] {
        [
            "could not generate [0]: count not generate refresh token, unexpected status code \(status), expected 200",
            "could not generate [1]: could not generate refresh token, unexpected status code \(status), expected 200",
            "could not generate [0]: could not generate access token, unexpected status code: \(status)",
        ]
    }

    /// The controller's JSON log line around an error, as `kubectl logs` prints it.
    static func esoJSON(_ error: String, name: String = "apps/acr-pull-secret") -> String {
        let quoted = error.replacingOccurrences(of: "\"", with: "\\\"")
        return
            "{\"level\":\"error\",\"ts\":1763608455.1184277,\"logger\":\"controllers.ExternalSecret\",\"msg\":\"could not get secret data from provider\",\"ExternalSecret\":\"\(name)\",\"error\":\"\(quoted)\"}"
    }

    @Test("ACR refusing the generator's token step (401 or 403) counts once as identity-permission, registry unknown")
    func esoTokenStepRefused() {
        for status in [401, 403] {
            for line in Self.esoTokenSteps(status) {
                for shape in [
                    line, Self.esoJSON(line),
                    "  Warning  UpdateFailed  12s (x5 over 2m10s)  external-secrets  \(line)",
                    "Nov 20 03:14:15 aks-nodepool1-31718369-vmss000000 external-secrets[4021]: \(Self.esoJSON(line))",
                    "2026-11-20T03:14:15.1234567Z ##[error]\(line)",
                ] {
                    let found = Support.scan(lines: [shape])
                    #expect(found.map(\.type) == [.identityPermission], "\(shape)")
                    #expect(found.first?.registry == nil, "\(shape)")
                    #expect(found.first?.status == status, "\(shape)")
                }
            }
        }
    }

    @Test("the generator's refusal after a command or a log line that names the registry takes its name")
    func esoRegistryFromContext() {
        let line = Self.esoJSON(Self.esoTokenSteps(401)[1])
        let found = Support.scan(lines: [
            "kubectl apply -f - <<EOF", "  registry: contosoprod.azurecr.io", "EOF", line,
        ])
        #expect(found.map(\.type) == [.identityPermission])
        #expect(found.first?.registry == "contosoprod")
    }

    @Test(
        "Entra ID refusing the generator's sign-in (an AADSTS code under `could not generate`) counts as aad-credential"
    )
    func esoEntraRefused() {
        for code in [
            "AADSTS7000215: Invalid client secret provided.",
            "AADSTS700016: Application with identifier '6c1f0c3e-0000-4f6a-9a41-7d1b2a3c4d5e' was not found in the directory 'Contoso'.",
            "AADSTS90002: Tenant 'YYYYYYYY-YYYY-YYYY-YYYY-278b20348e63' not found.",
        ] {
            let error =
                "could not generate [0]: ClientSecretCredential: authentication failed: POST https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token --- RESPONSE 401 Unauthorized --- \(code)"
            for shape in [error, Self.esoJSON(error)] {
                let found = Support.scan(lines: [shape])
                #expect(found.map(\.type) == [.aadCredential], "\(shape)")
                #expect(found.first?.registry == nil, "\(shape)")
            }
        }
    }

    @Test(
        "the generator's managed identity missing on the node counts as aad-credential; IMDS's wording alone does not")
    func esoManagedIdentity() {
        let error =
            "could not generate [0]: ManagedIdentityCredential authentication failed. the requested identity isn't assigned to this resource\\nGET http://169.254.169.254/metadata/identity/oauth2/token\\n"
        for shape in [error, Self.esoJSON(error), "  Warning  UpdateFailed  30s  external-secrets  \(error)"] {
            let found = Support.scan(lines: [shape])
            #expect(found.map(\.type) == [.aadCredential], "\(shape)")
            #expect(found.first?.registry == nil, "\(shape)")
        }
        // Without the generator's wrapper the credential may be any Azure client's: ACR evidence needed.
        #expect(
            Support.scan(lines: [
                "ManagedIdentityCredential authentication failed. the requested identity isn't assigned to this resource"
            ]).isEmpty)
    }

    @Test("each refusal counts: two reconciles a minute apart are two failures")
    func esoCounting() {
        let first = "2026-11-20T03:14:15.1234567Z " + Self.esoTokenSteps(401)[1]
        let second = "2026-11-20T03:15:15.1234567Z " + Self.esoTokenSteps(401)[1]
        #expect(Support.scan(lines: [first, second]).count == 2)
    }

    @Test("other statuses, other generators, other providers' Entra errors and configuration errors count nothing")
    func esoLookAlikes() {
        for status in [400, 404, 429, 500, 503] {
            for line in Self.esoTokenSteps(status) {
                #expect(Support.scan(lines: [line]).isEmpty, "\(line)")
                #expect(Support.scan(lines: [Self.esoJSON(line)]).isEmpty, "\(line)")
            }
        }
        for line in [
            // ECR's generator and the Vault generator: another registry, another service.
            "could not generate [0]: unable to get authorization token: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/eso/eso is not authorized to perform: ecr:GetAuthorizationToken on resource: * status code: 400",
            "could not generate [0]: unable to get token: Error making API request. URL: PUT https://vault.contoso.com/v1/auth/kubernetes/login Code: 403. Errors: * permission denied",
            // The Key Vault provider's Entra refusal: no generator, no registry.
            Self.esoJSON(
                "could not get provider client: ClientSecretCredential: authentication failed: AADSTS7000215: Invalid client secret provided."
            )
            .replacingOccurrences(of: "could not get secret data from provider", with: "error processing spec.data[0]"),
            // The generator's configuration errors before any request.
            "could not generate [0]: ServiceAccount \"eso-managedidentity\" not found",
            "could not generate [0]: missing environment variables",
            // Another client's words with the same status.
            "error: could not generate report, unexpected status code 401 from https://api.contoso.com/reports",
        ] {
            #expect(Support.scan(lines: [line]).isEmpty, "\(line)")
        }
    }

    /// OpenShift's image import status (`oc import-image`, `oc describe is`), in the wordings of 3.x
    /// (`Docker image`) and 4.x (`container image`).
    static func importFailed(_ image: String) -> [String] {
        [
            "  ! error: Import failed (Unauthorized): you may not have access to the container image \"\(image)\"",
            "  ! error: Import failed (Unauthorized): you may not have access to the Docker image \"\(image)\"",
            "error: Import failed (Unauthorized): you may not have access to the container image \"\(image)\"",
        ]
    }

    @Test(
        "OpenShift's import refused by an ACR counts as unauthorized with the image's registry",
        arguments: [
            ("myacr.azurecr.io/team/web:1.4.2", "myacr"), ("ContosoProd01.azurecr.io/api:7", "contosoprod01"),
            ("zeusconsent.azurecr.cn/zeusservice-dev:latest", "zeusconsent"),
            (
                "fabrikamgov.azurecr.us/base/ubi9@sha256:0d3ac83493900dab12353c6094434ec10160328b0d3ac83493900dab12353c60",
                "fabrikamgov"
            ),
            ("***.azurecr.io/team/web:1.4.2", nil),
        ] as [(String, String?)])
    func openShiftImport(_ image: String, _ registry: String?) {
        for line in Self.importFailed(image) {
            for shape in [line, "[oc] " + line, "2026-11-20T03:14:15.1234567Z " + line] {
                let found = Support.scan(lines: [shape])
                #expect(found.map(\.type) == [.unauthorized], "\(shape)")
                #expect(found.first?.registry == registry, "\(shape)")
                #expect(found.first?.status == 401, "\(shape)")
            }
        }
    }

    @Test("the whole `oc import-image` output counts its one refused tag once")
    func openShiftWholeOutput() {
        let output = [
            "$ oc import-image web --from=myacr.azurecr.io/team/web:1.4.2 --confirm",
            "The import completed with errors.",
            "",
            "Name:\t\t\tweb",
            "Namespace:\t\tdev-environment",
            "Tags:\t\t\t1",
            "",
            "latest",
            "  tagged from myacr.azurecr.io/team/web:1.4.2",
            "",
            "  ! error: Import failed (Unauthorized): you may not have access to the container image \"myacr.azurecr.io/team/web:1.4.2\"",
            "      Less than a second ago",
        ]
        let found = Support.scan(lines: output)
        #expect(found.map(\.type) == [.unauthorized])
        #expect(found.first?.registry == "myacr")
    }

    @Test("another registry's refusal, other reasons and an ACR only in the command count nothing")
    func openShiftLookAlikes() {
        for image in [
            "quay.io/tomastomecek/mcp-gateway:latest", "registry.redhat.io/ubi9/ubi:latest",
            "harbor.contoso.com/apps/web:1", "ghcr.io/acme/web:1", "docker.io/library/nginx:1.27",
        ] {
            for line in Self.importFailed(image) {
                #expect(
                    Support.scan(lines: ["oc import-image web --from=myacr.azurecr.io/team/web:1.4.2", line]).isEmpty,
                    "\(line)")
            }
        }
        for line in [
            "  ! error: Import failed (InternalError): Internal error occurred: received unexpected HTTP status: 503 Service Unavailable",
            "  ! error: Import failed (NotFound): dockerimage.image.openshift.io \"myacr.azurecr.io/team/web:1.4.2\" not found",
            "  ! error: Import failed (Unauthorized): you may not have access to the container image",
        ] {
            #expect(Support.scan(lines: [line]).isEmpty, "\(line)")
        }
    }
}
