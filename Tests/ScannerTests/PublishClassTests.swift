import LogModel
import LogScanner
import Testing

/// The classes that round 10 (real text from CI, build tools and the platforms they deploy to) showed
/// the rules missing (docs/accuracy.md, "Round 10"). Each is written from its general shape, in
/// several wrappers, with its look-alikes.
@Suite struct PublishClassTests {
    /// Each line set through every wrapper: one finding of `type` (with `registry`), or none.
    static func expect(_ lines: [String], _ type: ErrorType?, registry: String? = nil, _ why: String) {
        PlatformClassTests2.expect(lines, type, registry: registry, why)
    }

    // MARK: Docker Content Trust's Notary client refused by the registry's trust service

    /// The commands that sign with Docker Content Trust, and the progress lines before Notary's refusal.
    static func contentTrust(_ image: String) -> [[String]] {
        [
            [
                "docker trust signer add ci-key \(image) --key ci-key.pub",
                "Adding signer \"ci-key\" to \(image)...",
                "Initializing signed repository for \(image)...",
            ],
            ["docker trust sign \(image):1.4.2", "Signing and pushing trust data for local image \(image):1.4.2"],
            ["DOCKER_CONTENT_TRUST=1 docker push \(image):1.4.2", "Signing and pushing trust metadata"],
        ]
    }

    static let notaryRefusal = "you are not authorized to perform this operation: server returned 401."

    @Test(
        "Notary's 'not authorized … server returned 401' after a content-trust command on an ACR image counts, its registry the command's"
    )
    func notaryRefusal() {
        for lead in Self.contentTrust("contosoprod.azurecr.io/web") {
            Self.expect(
                lead + [Self.notaryRefusal], .unauthorized, registry: "contosoprod", "Notary 401 after \(lead[0])")
        }
        // On one line with the image, as `docker trust sign` prints it.
        Self.expect(
            ["failed to sign contosoprod.azurecr.io/web:1.4.2: \(Self.notaryRefusal)"], .unauthorized,
            registry: "contosoprod", "Notary 401 with the image")
    }

    @Test("Notary's refusal for another registry, or with no registry named, stays uncounted")
    func notaryLookAlikes() {
        for lead in Self.contentTrust("docker.io/contoso/web") + Self.contentTrust("ghcr.io/contoso/web") {
            Self.expect(lead + [Self.notaryRefusal], nil, "Notary 401 after \(lead[0])")
        }
        Self.expect([Self.notaryRefusal], nil, "Notary 401 alone")
        // Notary's other refusals are no authentication failure.
        Self.expect(
            Self.contentTrust("contosoprod.azurecr.io/web")[0]
                + ["you are not authorized to perform this operation: server returned 404."], nil, "Notary 404")
    }

    // MARK: PSResourceGet's ContainerRegistry repository refused by the registry

    /// The sentences of PSResourceGet's ACR client (`ContainerRegistryServerAPICalls.cs`), in the
    /// older form (the status message after the colon, "occured") and the newer one (the exception's
    /// type, then its message quoted), with PowerShell's `Cmdlet: ` prefix or none.
    static func psResourceGetSentences(status: String) -> [String] {
        let message = "Response status code does not indicate success: \(status)."
        let exception = "System.Net.Http.HttpRequestException '\(message)'"
        return [
            "Publish-PSResource: Error occured while starting to upload the blob location used for publishing to ContainerRegistry: \(message)",
            "Error occurred while starting to upload the blob location used for publishing to ContainerRegistry: \(exception)",
            "Publish-PSResource: Error occurred while uploading module to ContainerRegistry: \(exception)",
            "Error occurred while uploading package manifest to ContainerRegistry: \(exception)",
            "Find-PSResource: Error occurred while sending request to Container Registry server with: \(exception)",
            "Install-PSResource: Error occurred while sending request to Container Registry server for content with: \(exception)",
        ]
    }

    @Test("PSResourceGet's ContainerRegistry sentences with a 401 count as unauthorized, with no registry")
    func psResourceGetUnauthorized() {
        for line in Self.psResourceGetSentences(status: "401 (Unauthorized)") {
            Self.expect([line], .unauthorized, "PSResourceGet 401")
        }
        // After its verbose lines (the anonymous token it fetched), as the issue pasted it.
        Self.expect(
            [
                "VERBOSE: Get access token for container registry server.",
                "VERBOSE: Anonymous access token retrieved.",
                "VERBOSE: Start uploading blob",
                Self.psResourceGetSentences(status: "401 (Unauthorized)")[0],
            ], .unauthorized, "PSResourceGet 401 after its verbose lines")
    }

    @Test("PSResourceGet's ContainerRegistry sentences with a 403 count as access-denied")
    func psResourceGetForbidden() {
        for line in Self.psResourceGetSentences(status: "403 (Forbidden)") {
            Self.expect([line], .accessDenied, "PSResourceGet 403")
        }
    }

    @Test("the same sentences with another status, and other repositories' 401s, stay uncounted")
    func psResourceGetLookAlikes() {
        for status in [
            "404 (Not Found)", "500 (Internal Server Error)", "429 (Too Many Requests)", "503 (Service Unavailable)",
        ] {
            for line in Self.psResourceGetSentences(status: status) {
                Self.expect([line], nil, "PSResourceGet \(status)")
            }
        }
        for line in [
            // A network cause in the same sentence.
            "Error occurred while sending request to Container Registry server with: System.Net.Http.HttpRequestException 'No such host is known. (contoso.azurecr.io:443)'",
            // A NuGet (V2/V3) repository's 401: a package feed, not a registry.
            "Publish-PSResource: Failure when attempting to make request for 'https://pkgs.dev.azure.com/contoso/_packaging/feed/nuget/v2': Response status code does not indicate success: 401 (Unauthorized).",
            "Find-PSResource: Package with name 'Contoso.Tools' could not be retrieved from repository 'ContosoFeed'. Response status code does not indicate success: 401 (Unauthorized).",
            // ARM's resource type, not the client's repository kind.
            "Microsoft.ContainerRegistry: registered",
            // An application's own client named like a registry, with no status.
            "ContainerRegistry: 3 repositories, 401 tags listed",
        ] {
            Self.expect([line], nil, "look-alike")
        }
    }
}
