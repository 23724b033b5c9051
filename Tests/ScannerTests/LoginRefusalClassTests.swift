import LogModel
import LogScanner
import Testing

/// The class that round 16 (Microsoft's troubleshooting and how-to pages) showed the rules mistyping
/// (docs/accuracy.md, "Round 16"): a registry login refused with a 403 in the words of Docker Engine's
/// registry client. A login asks for no repository, so no role or scope is refused: ACR's network
/// rules refused the address (ip-not-allowed), not an operation (access-denied).
@Suite struct LoginRefusalClassTests {
    static let wrappers = ShapeClassTests.wrappers

    static func refusal(_ host: String, status: String = "403 Forbidden") -> String {
        "Error response from daemon: login attempt to https://\(host)/v2/ failed with status: \(status)"
    }

    @Test(
        "a login refused with a 403 by an ACR host is ip-not-allowed, in every cloud and wrapper",
        arguments: ["contosoprod.azurecr.io", "contosoprod.azurecr.cn", "contosoprod.azurecr.us"])
    func loginRefusedByNetwork(_ host: String) {
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: [wrapper.wrap(Self.refusal(host))])
            #expect(found.map(\.type) == [.ipNotAllowed], "\(wrapper.name) \(host)")
            #expect(found.map(\.registry) == ["contosoprod"], "\(wrapper.name) \(host)")
            #expect(found.first?.status == 403, "\(wrapper.name) \(host)")
        }
    }

    @Test("helm's registry login relays the same words; without the URL the command before names the registry")
    func relayedAndShortForms() {
        let helm = Support.scan(lines: [
            "helm registry login contosoprod.azurecr.io --username $SP_ID --password-stdin",
            "Error: login attempt to https://contosoprod.azurecr.io/v2/ failed with status: 403 Forbidden",
        ])
        #expect(helm.map(\.type) == [.ipNotAllowed])
        #expect(helm.map(\.registry) == ["contosoprod"])
        let short = Support.scan(lines: [
            "+ docker login contosoprod.azurecr.io -u 00000000-0000-0000-0000-000000000000 --password-stdin",
            "Error response from daemon: login attempt failed with status: 403 Forbidden",
        ])
        #expect(short.map(\.type) == [.ipNotAllowed])
        #expect(short.map(\.registry) == ["contosoprod"])
        // A documentation mask where the name stands: still counted, name unknown.
        let masked = Support.scan(lines: [Self.refusal("xxxxxxx.azurecr.io")])
        #expect(masked.map(\.type) == [.ipNotAllowed])
        #expect(masked.first?.registry == nil)
    }

    @Test("other registries' login 403s, other statuses and other ACR 403s keep their own reading")
    func lookAlikes() {
        for host in ["public.ecr.aws", "registry.example.com", "ghcr.io", "harbor.contoso.local"] {
            let found = Support.scan(lines: [Self.refusal(host)])
            #expect(found.isEmpty, "\(host): \(found.map(\.excerpt))")
        }
        // The login 403 alone, with nothing that names ACR, is no ACR failure.
        let alone = "Error response from daemon: login attempt failed with status: 403 Forbidden"
        #expect(Support.scan(lines: [alone]).isEmpty)
        // A 401 at login is the credential; a 5xx is the service.
        let unauthorized = Support.scan(lines: [Self.refusal("contosoprod.azurecr.io", status: "401 Unauthorized")])
        #expect(unauthorized.map(\.type) == [.unauthorized])
        let unavailable = Self.refusal("contosoprod.azurecr.io", status: "503 Service Unavailable")
        #expect(Support.scan(lines: [unavailable]).isEmpty)
        // A token request's 403 for a repository is still the scope refused.
        let pull = Support.scan(lines: [
            "failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://contosoprod.azurecr.io/oauth2/token: 403 Forbidden"
        ])
        #expect(pull.map(\.type) == [.accessDenied])
        // The firewall's own words stay ip-not-allowed with their address.
        let firewall = Support.scan(lines: [
            "Error response from daemon: Get \"https://contosoprod.azurecr.io/v2/\": denied: client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
        ])
        #expect(firewall.map(\.type) == [.ipNotAllowed])
    }

    @Test("the refusal gives the same occurrences at every chunk size")
    func chunking() {
        let lines = [
            "+ docker login contosoprod.azurecr.io",
            Self.refusal("contosoprod.azurecr.io"),
            "Error response from daemon: login attempt failed with status: 403 Forbidden",
            Self.refusal("public.ecr.aws"),
        ]
        let whole = Support.scan(lines: lines)
        #expect(whole.map(\.type) == [.ipNotAllowed, .ipNotAllowed])
        for chunk in [1, 7, 64] {
            #expect(Support.scan(lines: lines, chunk: chunk) == whole, "chunk \(chunk)")
        }
    }
}
