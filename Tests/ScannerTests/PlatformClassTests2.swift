import LogModel
import LogScanner
import Testing

/// The classes that round 9 (real text from the platforms and tools that pull or push ACR images on a
/// user's behalf, and the same clients' current sources) showed the rules missing or over-counting
/// (docs/accuracy.md, "Round 9"). Each is written from its general shape, in several wrappers, with
/// its look-alikes.
@Suite struct PlatformClassTests2 {
    static let wrappers = ShapeClassTests.wrappers

    static func expect(_ lines: [String], _ type: ErrorType?, registry: String? = nil, _ why: String) {
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: lines.map(wrapper.wrap))
            if let type {
                #expect(found.map(\.type) == [type], "\(why) [\(wrapper.name)]: \(lines)")
                #expect(found.first?.registry == registry, "\(why) [\(wrapper.name)]: \(lines)")
            } else {
                #expect(found.isEmpty, "\(why) [\(wrapper.name)]: \(found.map { "\($0.type) \($0.excerpt)" })")
            }
        }
    }

    // MARK: A status that the line calls the registry's challenge (round 21)

    /// An unauthenticated probe of the registry (`curl` of `/v2/` or of a manifest, a health check)
    /// is answered 401 with the registry's bearer challenge; probes, runbooks and lab reports write the
    /// status as a number and say it is the challenge. No failure, in any wrapper.
    @Test("a status stated as a number that the line calls the registry's challenge stays uncounted")
    func statusCalledChallenge() {
        Self.expect(
            [
                "curl https://myregistry.azurecr.io/v2/                -> HTTP 401       (login endpoint reachable, auth challenge)"
            ], nil, "a lab report's probe summary (round 21)")
        Self.expect(
            ["GET https://contosoprod.azurecr.io/v2/ returned 401 (auth challenge = registry reachable)"], nil,
            "a health check's note")
        Self.expect(
            ["probe https://contosoprod.azurecr.io/v2/app/manifests/1.0: status 401 (Bearer challenge, expected)"], nil,
            "a probe of a manifest")
        Self.expect(
            ["login https://contosoprod.azurecr.io/v2/: HTTP 401 (authentication challenge, no token sent)"], nil,
            "a login endpoint's probe")
    }

    @Test("the registry's refusals stated as a number still count beside the challenge words' rule")
    func statusRefusalsStillCount() {
        Self.expect(
            [
                "Error response from daemon: login attempt to https://contosoprod.azurecr.io/v2/ failed with status: 401 Unauthorized"
            ], .unauthorized, registry: "contosoprod", "docker login's refusal")
        Self.expect(
            ["failed to push contosoprod.azurecr.io/app:1.0: received unexpected HTTP status: 401 Unauthorized"],
            .unauthorized, registry: "contosoprod", "BuildKit's push refused")
        Self.expect(
            ["Error: pull of contosoprod.azurecr.io/app:1.0 failed: HTTP 401 from the registry"], .unauthorized,
            registry: "contosoprod", "a status form with no challenge word")
        Self.expect(
            ["Error: push to contosoprod.azurecr.io/app:1.0 failed: status code 403"], .accessDenied,
            registry: "contosoprod", "a 403 status form")
    }

    // MARK: The portal finds the registry's admin user disabled (round 19)

    /// The Azure portal's Container Apps creation reads the registry's admin credentials: with the
    /// admin user disabled it refuses with the registry's host. The same missing credentials as
    /// `Unable to get admin user credentials`: identity-permission, the registry from the host.
    @Test("the portal's 'Cannot access ACR … because admin credentials on the ACR are disabled' is identity-permission")
    func portalAdminDisabled() {
        let refusal = "Cannot access ACR 'contosoprod.azurecr.io' because admin credentials on the ACR are disabled"
        Self.expect([refusal], .identityPermission, registry: "contosoprod", "portal refusal")
        Self.expect([refusal + "."], .identityPermission, registry: "contosoprod", "portal refusal, a full stop")
        // Quoted in a ticket in another language, between CJK brackets.
        Self.expect(
            ["Container Appを作成した際、「\(refusal)」というエラーが発生する。"], .identityPermission,
            registry: "contosoprod", "portal refusal quoted in Japanese")
    }

    @Test("documentation that explains the portal's refusal, or quotes it as inline code, stays uncounted")
    func portalAdminDisabledLookAlikes() {
        Self.expect(
            [
                "An access error that contains \"Cannot access ACR '<name>.azurecr.io'\" occurs when admin credentials on the ACR are disabled."
            ], nil, "documentation's sentence")
        Self.expect(
            [
                "> will report `Cannot access ACR '<registry>.azurecr.io' because admin credentials on the ACR are disabled`. Do not enable the ACR admin user."
            ], nil, "documentation's inline code")
        Self.expect(
            ["Admin credentials on the ACR are disabled; the Container App pulls via its identity."], nil, "a note")
    }

    // MARK: A platform's sentence that names the container registry by its bare resource name

    /// Azure Machine Learning's `UserError` when its registry or workspace cannot sign in to the
    /// customer's registry (`az ml environment create --registry-name`, the SDK's HttpResponseError,
    /// a pipeline's ActivityFailedException JSON): the registry is named by its ACR resource name, or
    /// by its login server.
    @Test("Azure ML's 'Authentication failed for container registry NAME' counts, with the bare name as the registry")
    func amlAuthenticationFailedBareName() {
        for (name, registry) in [("myacr", "myacr"), ("contosoMLregistry01", "contosomlregistry01")] {
            for line in [
                "(UserError) Authentication failed for container registry \(name)",
                "Message: Authentication failed for container registry \(name)",
                "azure.core.exceptions.HttpResponseError: (UserError) Authentication failed for container registry \(name)",
                "        \"message\": \"Authentication failed for container registry \(name)\",",
                "Error is returned : Authentication failed for container registry \(name). Code: UserError",
            ] {
                Self.expect([line], .unauthorized, registry: registry, "AML names \(name)")
            }
        }
        for host in ["contosoml.azurecr.io", "contosoml.azurecr.cn", "contosoml.azurecr.us"] {
            Self.expect(
                ["(UserError) Authentication failed for container registry \(host)"], .unauthorized,
                registry: "contosoml", "AML names the login server \(host)")
        }
    }

    @Test("the same sentences naming another registry's host, or a masked one, do not count as ACR's with that name")
    func containerRegistrySentenceForeignHost() {
        for host in ["docker.io", "ghcr.io", "registry.example.com", "quay.io"] {
            // Azure ML's own case: a docker.io base image in an ActivityFailedException.
            Self.expect(
                ["        \"message\": \"Authentication failed for container registry \(host)\","], nil,
                "AML names \(host)")
            // The containerapp extension's credential look-up (a host is another tool's words).
            Self.expect(
                [
                    "Failed to retrieve credentials for container registry \(host). Please provide the registry username and password"
                ], nil, "containerapp names \(host)")
        }
        // The containerapp sentence still counts for an ACR name (matcher 9), and so does its
        // name-less older form.
        Self.expect(
            [
                "Failed to retrieve credentials for container registry contosoprod. Please provide the registry username and password"
            ], .identityPermission, registry: "contosoprod", "containerapp names an ACR")
    }

    @Test("ordinary 'authentication failed' sentences with a bare word stay uncounted")
    func authenticationFailedLookAlikes() {
        for line in [
            "Authentication failed for user postgres",
            "ERROR: Authentication failed for container registry",
            "fatal: Authentication failed for 'https://dev.azure.com/contoso/web/_git/web'",
            "Authentication failed for container registry login: no credentials in the keychain",
        ] {
            Self.expect([line], nil, "look-alike")
        }
    }

    // MARK: A CI agent's words for ACR's refused token exchange

    /// The Azure Pipelines agent's container job with an ACR service connection that uses a managed
    /// identity or workload identity federation: ACR's `/oauth2/exchange` answered neither 200 nor 429
    /// (microsoft/azure-pipelines-agent `ContainerOperationProvider.GetAcrPasswordFromAADToken`). The
    /// words name ACR; the log names no registry.
    @Test("'Could not fetch access token for ACR' counts as identity-permission, registry unknown")
    func agentExchangeRefused() {
        let message =
            "Could not fetch access token for ACR. Please configure Managed Service Identity (MSI) for Azure Container Registry with the appropriate permissions - https://docs.microsoft.com/en-us/azure/app-service/tutorial-custom-container?pivots=container-linux#configure-app-service-to-deploy-the-image-from-the-registry."
        Self.expect([message], .identityPermission, "the agent's exception")
        Self.expect(["##[error]" + message], .identityPermission, "the agent's error annotation")
        // Other tools' wordings of the same refusal.
        Self.expect(
            ["Error: failed to get access token for ACR: exchange returned 401"], .identityPermission, "lower case")
        Self.expect(
            ["time=\"2026-11-20T03:14:15Z\" level=error msg=\"failed to fetch access token for ACR\""],
            .identityPermission,
            "logrus")
    }

    @Test("tokens for ACR that were fetched, or that another service's words mention, are no failure")
    func agentExchangeLookAlikes() {
        for line in [
            "Successfully converted AAD token to an ACR token",
            "Attempting to convert AAD token to an ACR token",
            "Could not fetch access token for Key Vault. Please configure Managed Service Identity (MSI)",
            "Fetching access token for ACR from the managed identity endpoint",
        ] {
            Self.expect([line], nil, "look-alike")
        }
    }

    // MARK: A masked image host whose refusal is another registry's

    /// Container Apps (and any go-containerregistry client) relays the registry's error with its
    /// details as `[map[Action:pull Class: Name:REPO Type:repository]]`: the `Class` key is Docker
    /// distribution's (Docker Hub, distribution-based registries); ACR's details have no `Class`. When
    /// CI masked the image's first component (`***/repo`: a Docker Hub user stored as a secret), that
    /// refusal is no ACR evidence.
    @Test("a masked first component with Docker distribution's Class detail is not ACR")
    func maskedHostWithDistributionDetail() {
        let hub =
            "GET https:: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:***/qpass-backend Type:repository]]"
        for line in [
            "ERROR: (WebhookInvalidParameterValue) The following field(s) are either invalid or missing. Invalid value: \"***/qpass-backend:41eb406c\": \(hub): template.containers.web.image.",
            "The following field(s) are either invalid or missing. Invalid value: \"***/web:1.4.2\": GET https:: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:***/web Type:repository]]: template.containers.web.image.",
        ] {
            Self.expect([line], nil, "Docker Hub behind a mask")
        }
    }

    @Test("a masked registry with ACR's own refusal still counts, registry unknown")
    func maskedHostWithACRRefusal() {
        for line in [
            "ERROR: (InvalidParameterValueInContainerTemplate) The following field(s) are either invalid or missing. Field 'template.containers.web.image' is invalid with details: 'Invalid value: \"***/web:1.4.2\": GET https:: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.; [map[Action:pull Name:web Type:repository]]';.",
            "Error response from daemon: Get \"https://***/v2/\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
            "Error response from daemon: Head \"https://***/v2/web/manifests/1.4.2\": unauthorized: authentication required",
        ] {
            Self.expect([line], .unauthorized, "ACR behind a mask")
        }
    }

    // MARK: The registry's code ending a request's error, with no message after it

    /// Docker's request error with the registry's code and nothing after it (`Head "URL": unauthorized`):
    /// App Service's image pull log (Deployment Center, Log stream) prints the daemon's error so, JSON-
    /// escaped in its DockerApiException, and so does a daemon whose 401 body had no message.
    @Test("a request error that ends at the code 'unauthorized' counts where the URL is ACR's")
    func bareUnauthorizedCode() {
        for line in [
            "Head \"https://contosoweb.azurecr.io/v2/shop/api/manifests/2.1.0\": unauthorized",
            "Error response from daemon: Get \"https://contosoweb.azurecr.io/v2/\": unauthorized",
            "Head \\\" https://contosoweb.azurecr.io/v2/shop/api/manifests/2.1.0\\\": unauthorized",
            "2026-11-20T03:14:15.118Z ERROR - DockerApiException: Docker API responded with status code=InternalServerError, response={\"message\":\"Head \\\"https://contosoweb.azurecr.io/v2/shop/api/manifests/2.1.0\\\": unauthorized\"}",
        ] {
            Self.expect([line], .unauthorized, registry: "contosoweb", "bare code")
        }
    }

    @Test("the same shape for another registry, or a word that only starts with the code, does not count")
    func bareUnauthorizedCodeLookAlikes() {
        for line in [
            "Head \"https://registry.example.com/v2/shop/api/manifests/2.1.0\": unauthorized",
            "Error response from daemon: Get \"https://ghcr.io/v2/\": unauthorized",
            "GET \"https://api.contoso.com/orders/17\": unauthorized",
            "Head \"https://contosoweb.azurecr.io/v2/shop/api/manifests/2.1.0\": unauthorized to access repository shop/api",
        ] {
            let found = Support.scan(lines: [line])
            #expect(found.allSatisfy { $0.type != .unauthorized }, "\(line): \(found.map(\.type))")
        }
    }
}
