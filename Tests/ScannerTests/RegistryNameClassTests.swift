import LogModel
import LogScanner
import Testing

/// The classes that real lines re-named by registry (RealWorldRegistryTests; docs/accuracy.md,
/// "Real lines under other registry names") showed the scanner missing: SPEC §3 names the registry
/// by the login server's first label lowercased, in every cloud and any case, and a masked name is
/// unknown. Each is written from its general shape, tried in several wrappers, with its look-alikes.
@Suite struct RegistryNameClassTests {
    static let wrappers = ShapeClassTests.wrappers

    /// `az acr import`'s relayed refusal (`Access to X denied.`) in every cloud and in any case.
    @Test("an import refused by the target registry counts in the sovereign clouds and in any case")
    func importAccessDeniedEveryCloud() {
        for (host, registry) in [
            ("teamreg42.azurecr.cn", "teamreg42"), ("teamreg42.azurecr.us", "teamreg42"),
            ("TeamReg42.AzureCR.US", "teamreg42"), ("buildcache7.azurecr.io", "buildcache7"),
        ] {
            let line =
                "ERROR: Deployment failed. Correlation ID: 3c9d2e1a-7b44-4f0e-9a61-2d5e8c7b1f03. Operation registries-1a2b3c4d-5e6f-11ee-8c90-0242ac120002 failed. "
                + "Resource /subscriptions/0f2c6a9e-5d41-4c0b-9a3e-7b1e2d3c4f5a/resourceGroups/rg-ci/providers/Microsoft.ContainerRegistry/registries/\(registry) Access to \(host) denied."
            for wrapper in Self.wrappers {
                let found = Support.scan(lines: [wrapper.wrap(line)])
                #expect(found.map(\.type) == [.accessDenied], "\(wrapper.name): \(line)")
                #expect(found.first?.registry == registry, "\(wrapper.name): \(line)")
            }
        }
        // Look-alikes: the same words of a file or of another registry's host.
        for line in [
            "Access to the path '/home/vsts/.docker/config.json' is denied.",
            "Access to teamreg42.azurecr.community denied.",
            "Access to registry.example.cn denied.",
        ] {
            #expect(Support.scan(lines: [line]).isEmpty, "\(line)")
        }
    }

    /// A failure a tool prints twice with different leads (the error, then its `Reason:`) is one
    /// failure told twice, whatever the case the login server is written in.
    @Test("a failure reported again in a later line's tail is one failure in any case of the login server")
    func echoInAnyCase() {
        for host in ["teamreg42.azurecr.io", "TeamReg42.AzureCR.io", "TEAMREG42.AZURECR.CN", "teamreg42.AzureCr.us"] {
            let error =
                "Error response from daemon: Head \"https://\(host)/v2/web/api/manifests/2.4.1\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            let lines = [
                "error: Run docker command to pull image failed with error: " + error,
                "Reason: " + error,
            ]
            for wrapper in Self.wrappers {
                let found = Support.scan(lines: lines.map(wrapper.wrap))
                #expect(found.map(\.type) == [.unauthorized], "\(wrapper.name): \(host)")
                #expect(found.first?.registry == "teamreg42", "\(wrapper.name): \(host)")
            }
            // Two attempts (the same lead again) still count twice.
            #expect(Support.scan(lines: [lines[0], lines[0]]).count == 2, "\(host)")
        }
    }

    /// Docker's reference rule makes a login server given without a repository into a repository of
    /// Docker Hub's `library/` namespace; masked by CI (`***`), it is still Docker Hub's request.
    @Test("a masked login server in Docker Hub's library path is Docker Hub's request, not ACR's")
    func maskedLibraryPath() {
        for line in [
            "unable to connect to asset error=\"rpc error: code = Unknown desc = GET https://index.docker.io/v2/library/***.azurecr.io/manifests/latest: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:library/***.azurecr.io Type:repository]]\"",
            "failed to resolve reference \"docker.io/library/***.azurecr.us:latest\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
        ] {
            for wrapper in Self.wrappers {
                #expect(Support.scan(lines: [wrapper.wrap(line)]).isEmpty, "\(wrapper.name): \(line)")
            }
        }
        // A masked name on ACR itself is still ACR's failure, registry unknown.
        let acr =
            "Error response from daemon: Head \"https://***.azurecr.io/v2/web/manifests/1\": unauthorized: authentication required"
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: [wrapper.wrap(acr)])
            #expect(found.map(\.type) == [.unauthorized], "\(wrapper.name)")
            #expect(found.first?.registry == nil, "\(wrapper.name)")
        }
    }
}
