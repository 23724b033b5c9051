import LogModel
import LogScanner
import Testing

/// The classes that round 5c (real logs from CI systems and client-side tools) showed the rules
/// missing (docs/accuracy.md, "Round 5c"): each is tried in several wrappers, with its look-alikes.
@Suite struct ClientSideClassTests {
    static let wrappers = ShapeClassTests.wrappers

    /// The containerapp extension's failed look-up of an ACR's credentials, in the wording of
    /// older versions (no name) and newer ones (the registry's name ends the sentence).
    static let lookup =
        "ERROR: Failed to retrieve credentials for container registry. Please provide the registry username and password"
    static let namedLookup = "Failed to retrieve credentials for container registry acrhomelabakd."

    @Test("the containerapp extension's failed credential look-up is ACR's own words: counted alone, in every wrapper")
    func containerappLookupAlone() {
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: [
                wrapper.wrap("WARNING: The installed extension 'containerapp' is in preview."),
                wrapper.wrap(Self.lookup),
                wrapper.wrap("Error: Process completed with exit code 1."),
            ])
            #expect(found.map(\.type) == [.identityPermission], "\(wrapper.name)")
            #expect(found.first?.registry == nil, "\(wrapper.name)")
        }
    }

    @Test("the newer wording names the registry; after a command that names another, its own name wins")
    func containerappLookupNamed() {
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: [
                wrapper.wrap(
                    "No credential was provided to access Azure Container Registry. Trying to look up credentials..."),
                wrapper.wrap(Self.namedLookup),
                wrapper.wrap("Please provide the registry username and password"),
            ])
            #expect(found.map(\.type) == [.identityPermission], "\(wrapper.name)")
            #expect(found.first?.registry == "acrhomelabakd", "\(wrapper.name)")
        }
        let afterCommand = Support.scan(lines: [
            "az containerapp create -n web -g rg --image otherreg.azurecr.io/web:1 --registry-server otherreg.azurecr.io",
            Self.namedLookup,
        ])
        #expect(afterCommand.map(\.registry) == ["acrhomelabakd"])
        // The older wording takes the registry from the command before it.
        let older = Support.scan(lines: [
            "az containerapp up -n web --image contosoprod.azurecr.io/web:1", Self.lookup,
        ])
        #expect(older.map(\.registry) == ["contosoprod"])
    }

    @Test("the same words naming another registry's host set no ACR context for the lines after them")
    func credentialsForAnotherHost() {
        for host in ["ghcr.io", "docker.io", "registry.example.com"] {
            let found = Support.scan(lines: [
                "Could not find credentials for container registry \(host). Trying anonymous access.",
                "unauthorized: authentication required",
            ])
            #expect(found.isEmpty, "\(host): \(found.map(\.excerpt))")
        }
    }

    /// Dependabot's failure to reach a private registry with the credentials it was given, as its
    /// exception, its log and its job-error record print it.
    static let dependabot: [String] = [
        "/home/dependabot/dependabot-updater/vendor/ruby/3.3.0/gems/dependabot-docker-0.262.0/lib/dependabot/docker/update_checker.rb:208:in `rescue in tags_from_registry': The following source could not be reached as it requires authentication (and any provided details were invalid or lacked the required permissions): %@ (Dependabot::PrivateSourceAuthenticationFailure)",
        "updater | 2026/11/20 03:14:15 ERROR <job_1234567> The following source could not be reached as it requires authentication (and any provided details were invalid or lacked the required permissions): %@",
        "{\"data\":{\"error-type\":\"private_source_authentication_failure\",\"error-details\":{\"source\":\"%@\"}},\"type\":\"record_update_job_error\"}",
    ]

    @Test(
        "Dependabot's private-source authentication failure counts for an ACR host, in every wrapper",
        arguments: 0..<dependabot.count)
    func dependabotACR(_ index: Int) {
        let form = Self.dependabot[index]
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: [
                wrapper.wrap(form.replacingOccurrences(of: "%@", with: "contosoprod.azurecr.io"))
            ])
            #expect(found.map(\.type) == [.unauthorized], "\(wrapper.name): \(form)")
            #expect(found.first?.registry == "contosoprod", "\(wrapper.name): \(form)")
        }
    }

    @Test(
        "Dependabot's private-source failure for another registry or feed, or a masked one, is not counted",
        arguments: [
            "registry.example.com", "ghcr.io", "pkgs.dev.azure.com/contoso/_packaging/feed/nuget/v3/index.json",
            "***",
        ])
    func dependabotElsewhere(_ source: String) {
        for form in Self.dependabot {
            for wrapper in Self.wrappers {
                let found = Support.scan(lines: [
                    "az acr login -n contosoprod",
                    wrapper.wrap(form.replacingOccurrences(of: "%@", with: source)),
                ])
                #expect(found.isEmpty, "\(wrapper.name): \(source): \(found.map(\.excerpt))")
            }
        }
    }

    /// App Service's validation of a site's container image relaying the registry's answer, as ARM
    /// returns it for a Windows (`WindowsFxVersion`) or Linux (`LinuxFxVersion`) site.
    static func validation(_ fx: String, host: String, status: String = "Unauthorized") -> String {
        "The parameter \(fx) has an invalid value. Unexpected exception while validating OS and version. "
            + "Image: \(host)/web:latest. Error Response: \(status). Request: https://\(host)/oauth2/token?"
            + "service=\(host)&scope=repository:web:pull. Response: \(status). Request: https://\(host)/oauth2/token?"
            + "service=\(host)&scope=repository:web:pull"
    }

    @Test(
        "App Service's image validation refused by an ACR counts, named or masked, in every wrapper",
        arguments: ["WindowsFxVersion", "LinuxFxVersion"])
    func appServiceValidation(_ fx: String) {
        for wrapper in Self.wrappers {
            let named = Support.scan(lines: [wrapper.wrap(Self.validation(fx, host: "contosoprod.azurecr.io"))])
            #expect(named.map(\.type) == [.unauthorized], "\(wrapper.name)")
            #expect(named.first?.registry == "contosoprod", "\(wrapper.name)")
            let masked = Support.scan(lines: [wrapper.wrap(Self.validation(fx, host: "****.azurecr.io"))])
            #expect(masked.map(\.type) == [.unauthorized], "\(wrapper.name)")
            #expect(masked.first?.registry == nil, "\(wrapper.name)")
        }
    }

    @Test("App Service's image validation against another registry, or answered NotFound, is not counted")
    func appServiceValidationElsewhere() {
        for wrapper in Self.wrappers {
            for host in ["registry.example.com", "ghcr.io", "index.docker.io"] {
                let found = Support.scan(lines: [
                    "az acr login -n contosoprod",
                    wrapper.wrap(Self.validation("WindowsFxVersion", host: host)),
                ])
                #expect(found.isEmpty, "\(wrapper.name): \(host): \(found.map(\.excerpt))")
            }
            let notFound = Support.scan(lines: [
                wrapper.wrap(Self.validation("WindowsFxVersion", host: "contosoprod.azurecr.io", status: "NotFound"))
            ])
            #expect(notFound.isEmpty, "\(wrapper.name): \(notFound.map(\.excerpt))")
        }
    }

    @Test(
        "ARM's refusal of any registry action takes the registry from the scope, not from the action's path",
        arguments: [
            "registries/read", "registries/write", "registries/delete", "registries/tasks/read",
            "registries/webhooks/write", "registries/importImage/action", "registries/listCredentials/action",
        ])
    func armActionPaths(_ action: String) {
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: [
                wrapper.wrap(
                    "(AuthorizationFailed) The client 'ci@contoso.com' with object id '0c2d6a1e' does not have "
                        + "authorization to perform action 'Microsoft.ContainerRegistry/\(action)' over scope "
                        + "'/subscriptions/6f1e2d3c/resourceGroups/rg-ci/providers/Microsoft.ContainerRegistry/"
                        + "registries/contosoprod' or the scope is invalid.")
            ])
            #expect(found.map(\.type) == [.identityPermission], "\(wrapper.name): \(action)")
            #expect(found.first?.registry == "contosoprod", "\(wrapper.name): \(action)")
        }
    }

    @Test("ARM's resource path without an operation names the registry, for the failures after it")
    func armResourcePath() {
        let found = Support.scan(lines: [
            "ERROR: (ResourceNotFound) The Resource 'Microsoft.ContainerRegistry/registries/contosoprod' under "
                + "resource group 'rg-ci' was not found.",
            "unauthorized: authentication required",
        ])
        #expect(found.map(\.registry) == ["contosoprod"])
    }

    @Test("ARM's not-found for the registry names it, over an earlier command's registry; a masked name is unknown")
    func registryNotFoundNamesIt() {
        func notFound(_ name: String) -> String {
            "Unable to get admin user credentials with message: The resource with name '\(name)' and type "
                + "'Microsoft.ContainerRegistry/registries' could not be found in subscription 'Azure subscription 1 (0000)'."
        }
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: [
                wrapper.wrap("az acr login -n otherreg"), wrapper.wrap(notFound("contosoprod")),
            ])
            #expect(found.map(\.type) == [.identityPermission], "\(wrapper.name)")
            #expect(found.first?.registry == "contosoprod", "\(wrapper.name)")
            for masked in ["xxx", "<redacted>", "***"] {
                let found = Support.scan(lines: [wrapper.wrap(notFound(masked))])
                #expect(found.map(\.type) == [.identityPermission], "\(wrapper.name): \(masked)")
                #expect(found.first?.registry == nil, "\(wrapper.name): \(masked)")
            }
        }
    }
}
