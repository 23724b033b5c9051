import LogModel
import LogScanner
import Testing

/// One line per failure shape and look-alike: what the scanner decides for it.
@Suite struct MatchingTests {
    @Test(
        "each type is recognised from a typical line",
        arguments: [
            (
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required",
                ErrorType.unauthorized
            ),
            (
                "Error response from daemon: Get https://myacr.azurecr.io/v2/: denied: client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.",
                .ipNotAllowed
            ),
            ("denied: requested access to the resource is denied, push to myacr.azurecr.io/app", .accessDenied),
            (
                "failed to fetch anonymous token: unexpected status: 401 Unauthorized from https://myacr.azurecr.io/oauth2/token",
                .anonymousPull
            ),
            (
                "This command requires running the docker daemon, which is not supported in Azure Cloud Shell. You may want to use 'az acr login -n myacr --expose-token'",
                .cloudShellNoDaemon
            ),
            ("An error occurred: DOCKER_COMMAND_ERROR", .dockerCommandError),
            ("Unable to get admin user credentials with message: Admin user is disabled.", .identityPermission),
            ("ERROR: AADSTS7000215: Invalid client secret provided. registry myacr.azurecr.io", .aadCredential),
        ])
    func type(_ line: String, _ expected: ErrorType) {
        let found = Support.scan(lines: [line])
        #expect(found.map(\.type) == [expected])
    }

    @Test(
        "look-alikes are not counted",
        arguments: [
            "Error response from daemon: Get \"https://ghcr.io/v2/\": unauthorized: authentication required",
            "Error response from daemon: pull access denied for myapp, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
            "Error response from daemon: manifest for myacr.azurecr.io/app:v9 not found: manifest unknown: manifest tagged by \"v9\" is not found",
            "toomanyrequests: too many requests to myacr.azurecr.io, visit https://aka.ms/acr/installation",
            "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": dial tcp: lookup myacr.azurecr.io: no such host",
            "Access to registry 'myacr.azurecr.io' was denied. Response code: 504. Please try running 'az login' again to refresh permissions.",
            "time=\"2026-11-20T03:14:15Z\" level=debug msg=\"GET /v2/ myacr.azurecr.io 401 Unauthorized\"",
            "Login Succeeded",
            "2026-11-20 03:14:15 WARN user unauthorized to view invoice 4411",
        ])
    func lookAlike(_ line: String) {
        #expect(Support.scan(lines: ["az acr login -n myacr", line]).isEmpty)
    }

    @Test("registry names are normalised from the line, or taken from the command before")
    func registries() {
        let found = Support.scan(lines: [
            "Get https://MyACR.azurecr.io/v2/: unauthorized: authentication required",
            "GET https://myacr.eastus.data.azurecr.io/docker/registry/v2/blobs: 403 Forbidden",
            "Get https://govacr.azurecr.us/v2/: unauthorized: authentication required",
            "Get https://***.azurecr.io/v2/: unauthorized: authentication required",
            "$ az acr login --name=ctxacr",
            "unauthorized: authentication required",
        ])
        #expect(found.map(\.registry) == ["myacr", "myacr", "govacr", nil, "ctxacr"])
    }

    @Test("a login to another registry ends the ACR context")
    func foreignContext() {
        let found = Support.scan(lines: [
            "az acr login -n myacr", "docker login ghcr.io -u bot", "unauthorized: authentication required",
        ])
        #expect(found.isEmpty)
    }

    @Test("an Azure CLI cascade is one occurrence typed by its most specific line")
    func cascade() {
        let found = Support.scan(lines: [
            "Unable to get AAD authorization tokens with message: An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR",
            "Access to registry 'myacr.azurecr.io' was denied. Response code: 401. Please try running 'az login' again to refresh permissions.",
            "Unable to get admin user credentials with message: The resource with name 'myacr' and type 'Microsoft.ContainerRegistry/registries' could not be found in subscription 'x'.",
            "Unable to authenticate using AAD or admin login credentials. Please check your credentials.",
        ])
        #expect(found.count == 1)
        #expect(found.first?.type == .identityPermission)
        #expect(found.first?.line == 1)
        #expect(found.first?.lineEnd == 4)
        #expect(found.first?.status == 401)
        #expect(found.first?.registry == "myacr")
    }

    @Test("Kubernetes aggregated events keep their attempts")
    func attempts() {
        let found = Support.scan(lines: [
            "  Warning  Failed     3m (x261 over 60m)  kubelet  Failed to pull image \"myacr.azurecr.io/web:1\": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized",
            "  Normal   BackOff    1m (x300 over 60m)  kubelet  Back-off pulling image \"myacr.azurecr.io/web:1\"",
        ])
        #expect(found.map(\.attempts) == [261])
        #expect(found.first?.repository == "web")
    }

    @Test("the same failure printed by a second logger in the same second counts once; a later retry counts again")
    func echoes() {
        let line =
            "E1120 03:14:15.100000 1 remote_image.go:180] \"PullImage from image service failed\" err=\"failed to fetch oauth token: unexpected status: 401 Unauthorized\" image=\"myacr.azurecr.io/web:1\""
        let echo =
            "E1120 03:14:15.100100 1 pod_workers.go:1298] \"Error syncing pod, skipping\" err=\"failed to fetch oauth token: unexpected status: 401 Unauthorized\" image=\"myacr.azurecr.io/web:1\""
        let retry =
            "E1120 03:14:45.100000 1 remote_image.go:180] \"PullImage from image service failed\" err=\"failed to fetch oauth token: unexpected status: 401 Unauthorized\" image=\"myacr.azurecr.io/web:1\""
        #expect(Support.scan(lines: [line, echo, retry]).count == 2)
    }

    @Test("evidence fields are extracted")
    func evidence() throws {
        let ip = try #require(
            Support.scan(lines: ["denied: client with IP '198.51.100.23' is not allowed access, myacr.azurecr.io"])
                .first)
        #expect(ip.clientIP == "198.51.100.23")
        #expect(ip.status == 403)
        let aad = try #require(
            Support.scan(lines: [
                "az acr login -n myacr",
                "AADSTS700016: Application with identifier '0a1b2c3d-1111-2222-3333-444455556666' was not found",
            ]).first)
        #expect(aad.code == "AADSTS700016")
        #expect(aad.identity == "0a1b2c3d-1111-2222-3333-444455556666")
    }

    @Test("time comes from the line, else from the last earlier line; klog takes its year from the reference")
    func timestamps() {
        let found = Support.scan(lines: [
            "2026-11-20T03:14:15.1234567Z ##[group]Run az acr login -n myacr",
            "2026-11-20T03:14:16.0000000Z unauthorized: authentication required",
            "denied: requested access to the resource is denied",
            "E1121 04:00:00.000000 1 x.go:1] failed to fetch oauth token: unexpected status: 401 Unauthorized myacr.azurecr.io",
        ])
        #expect(
            found.map { $0.timestamp.map(Timestamp.iso) } == [
                "2026-11-20T03:14:16Z", "2026-11-20T03:14:16Z", "2026-11-21T04:00:00Z",
            ])
        #expect(found.first?.producer == .githubActions)
        #expect(found.last?.producer == .kubelet)
    }

    @Test("CRLF, NUL bytes and invalid UTF-8 do not stop the scan")
    func hostileBytes() {
        var bytes = Array("az acr login -n myacr\r\n\u{0}\u{0}\r\n".utf8)
        bytes += [0xFF, 0xFE, 0xC3] + Array(" unauthorized: authentication required\r\n".utf8)
        bytes += Array("unauthorized: authentication required".utf8)  // no final newline
        for chunk in [1, 3, 5000] {
            let found = Support.scan(bytes, chunk: chunk)
            #expect(found.map(\.line) == [3, 4])
            #expect(found.allSatisfy { !$0.excerpt.contains("\r") && !$0.excerpt.contains("\u{0}") })
        }
    }

    @Test("a line longer than the piece size is scanned in pieces, with bounded memory")
    func longLine() {
        let filler = String(repeating: "x", count: 10_000)
        let text =
            "az acr login -n myacr\n" + filler + " unauthorized: authentication required " + filler
            + "\nnext line unauthorized: authentication required\n"
        for chunk in [1, 100, 1 << 20] {
            let found = Support.scan(Array(text.utf8), chunk: chunk, maxLineBytes: 4096)
            #expect(found.map(\.line) == [2, 3], "chunk \(chunk)")
        }
    }
}
