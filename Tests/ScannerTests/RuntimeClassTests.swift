import LogModel
import LogScanner
import Testing

/// Round 11's class (docs/accuracy.md, "Round 11"): a 403 stated beside its word in parentheses,
/// `403 (Forbidden)`, as containers/image before v5.29 prints a token request's or a ping's refusal
/// without its body (podman 4, buildah, skopeo, CRI-O), tested over registry names, the tools'
/// wordings, counting and the look-alikes.
@Suite struct RuntimeClassTests {
    /// The three places containers/image puts the status: the token request (two wordings over the
    /// years) and the `/v2/` ping.
    static func wordings(_ host: String) -> [String] {
        [
            "Error: initializing source docker://\(host)/team/web:1: reading manifest 1 in \(host)/team/web: requesting bearer token: invalid status code from registry 403 (Forbidden)",
            "FATA[0001] Error initializing source docker://\(host)/team/web:1: Error reading manifest 1 in \(host)/team/web: Requesting bear token: invalid status code from registry 403 (Forbidden)",
            "Error: initializing source docker://\(host)/team/web:1: pinging container registry \(host): invalid status code from registry 403 (Forbidden)",
            "Error: authenticating creds for \"\(host)\": Requesting bearer token: invalid status code from registry 403 (Forbidden)",
        ]
    }

    @Test(
        "a containers/image 403 counts as access-denied with the registry its line names, in every wording",
        arguments: [
            ("myacr.azurecr.io", "myacr"), ("ContosoProd01.azurecr.io", "contosoprod01"),
            ("myacr.azurecr.cn", "myacr"), ("fabrikamgov.azurecr.us", "fabrikamgov"),
            ("***.azurecr.io", nil),
        ] as [(String, String?)])
    func registries(_ host: String, _ registry: String?) {
        for line in Self.wordings(host) {
            let found = Support.scan(lines: [line])
            #expect(found.map(\.type) == [.accessDenied], "\(line)")
            #expect(found.first?.registry == registry, "\(line)")
            #expect(found.first?.status == 403, "\(line)")
        }
    }

    @Test("each refused pull counts: two images, two failures; kubelet's back-off after CRI-O's error does not")
    func counting() {
        let first =
            "Error: initializing source docker://myacr.azurecr.io/team/web:1: pinging container registry myacr.azurecr.io: invalid status code from registry 403 (Forbidden)"
        let second =
            "Error: initializing source docker://myacr.azurecr.io/team/api:2: pinging container registry myacr.azurecr.io: invalid status code from registry 403 (Forbidden)"
        #expect(Support.scan(lines: ["Trying to pull myacr.azurecr.io/team/web:1...", first]).count == 1)
        #expect(Support.scan(lines: [first, "Trying to pull myacr.azurecr.io/team/api:2...", second]).count == 2)
        let events = [
            "  Normal   Pulling    45s (x3 over 2m)   kubelet            Pulling image \"myacr.azurecr.io/team/web:1\"",
            "  Warning  Failed     44s (x3 over 2m)   kubelet            Failed to pull image \"myacr.azurecr.io/team/web:1\": rpc error: code = Unknown desc = initializing source docker://myacr.azurecr.io/team/web:1: reading manifest 1 in myacr.azurecr.io/team/web: requesting bearer token: invalid status code from registry 403 (Forbidden)",
            "  Warning  Failed     44s (x3 over 2m)   kubelet            Error: ErrImagePull",
            "  Normal   BackOff    5s (x6 over 2m)    kubelet            Back-off pulling image \"myacr.azurecr.io/team/web:1\"",
            "  Warning  Failed     5s (x6 over 2m)    kubelet            Error: ImagePullBackOff",
        ]
        let found = Support.scan(lines: events)
        #expect(found.map(\.type) == [.accessDenied])
        #expect(found.first?.attempts == 3)
    }

    @Test(
        "the same words from another registry, with another status, or with ACR only in the log's context count nothing"
    )
    func lookAlikes() {
        for host in ["quay.io", "ghcr.io", "registry.gitlab.com", "nvcr.io", "registry.k8s.io", "harbor.contoso.com"] {
            for line in Self.wordings(host) {
                #expect(Support.scan(lines: ["az acr login --name myacr", line]).isEmpty, "\(line)")
            }
        }
        for status in [
            "400 (Bad Request)", "404 (Not Found)", "429 (Too Many Requests)", "500 (Internal Server Error)",
            "503 (Service Unavailable)",
        ] {
            let line =
                "Error: initializing source docker://myacr.azurecr.io/team/web:1: pinging container registry myacr.azurecr.io: invalid status code from registry \(status)"
            #expect(Support.scan(lines: [line]).isEmpty, "\(status)")
        }
        // The status with no ACR host on its line: the 403 may be any registry's (`acrOnLine`).
        #expect(
            Support.scan(lines: [
                "az acr login --name myacr",
                "Error: pinging container registry: invalid status code from registry 403 (Forbidden)",
            ]).isEmpty)
        // An application's own 403 and the Kubernetes API's `Forbidden`.
        #expect(
            Support.scan(lines: [
                "docker pull myacr.azurecr.io/team/web:1",
                "2026-11-20 03:14:15 ERROR Request to https://api.contoso.com/orders failed: 403 (Forbidden)",
                "Error from server (Forbidden): pods is forbidden: User \"system:serviceaccount:ci:deployer\" cannot list resource \"pods\" in API group \"\" in the namespace \"prod\"",
            ]).isEmpty)
    }

    @Test(".NET's `403 (Forbidden)` about an ACR request counts like its 401")
    func dotNet() {
        let lines = [
            "System.Net.Http.HttpRequestException: Response status code does not indicate success: 403 (Forbidden). GET https://myacr.azurecr.io/v2/team/web/manifests/1",
            "The remote server returned an error: (403) Forbidden. https://myacr.azurecr.io/oauth2/token?scope=repository:team/web:pull",
        ]
        for line in lines {
            let found = Support.scan(lines: [line])
            #expect(found.map(\.type) == [.accessDenied], "\(line)")
            #expect(found.first?.registry == "myacr", "\(line)")
        }
    }
}
