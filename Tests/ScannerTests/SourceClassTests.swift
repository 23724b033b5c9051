import LogModel
import LogScanner
import Testing

/// The classes fixed after the second source pass (docs/accuracy.md, "Source-derived check"), each
/// written from its general shape with other registries, messages and statuses than the formats in
/// `SourceFormatTests+Tools.swift`, and with the look-alikes each class must leave alone.
@Suite struct SourceClassTests {
    static let rule = String(repeating: "-", count: 80)

    /// The Azure SDK for Go's `ResponseError` for a request, with ACR's body pretty-printed.
    static func frame(_ request: String, _ status: String, code: String, message: String) -> [String] {
        [
            request, rule, "RESPONSE \(status)", "ERROR CODE UNAVAILABLE", rule, "{", "  \"errors\": [", "    {",
            "      \"code\": \"\(code)\",", "      \"message\": \"\(message)\"", "    }", "  ]", "}", rule,
        ]
    }

    @Test("ACR's token exchange refusing the caller's Entra token is identity-permission, whatever the body says")
    func exchangeRefused() {
        let refused401 = Support.scan(
            lines: Self.frame(
                "POST https://contosoprod.azurecr.io/oauth2/exchange", "401: 401 Unauthorized", code: "UNAUTHORIZED",
                message: "token validation failed: the received access token has expired"))
        #expect(refused401.map(\.type) == [.identityPermission])
        #expect(refused401.map(\.registry) == ["contosoprod"])
        #expect(refused401.first.map { ($0.line, $0.lineEnd) }! == (1, 10))
        let refused403 = Support.scan(
            lines: Self.frame(
                "POST https://fabrikamci.azurecr.io/oauth2/exchange", "403: 403 Forbidden", code: "DENIED",
                message: "the identity is not allowed to access this registry"))
        #expect(refused403.map(\.type) == [.identityPermission])
        #expect(refused403.map(\.registry) == ["fabrikamci"])
        // The same refusal inside one message (a JSON log's escaped string), after a Flux-style prefix.
        let escaped = Support.scan(lines: [
            #"{"level":"error","msg":"Reconciler error","error":"failed to get credential from azure: POST https://contosoprod.azurecr.io/oauth2/exchange\n"#
                + Self.rule + #"\nRESPONSE 403: 403 Forbidden\nERROR CODE UNAVAILABLE\n"# + Self.rule + #"\n"}"#
        ])
        #expect(escaped.map(\.type) == [.identityPermission])
        #expect(escaped.map(\.registry) == ["contosoprod"])
    }

    @Test("the exchange's firewall refusal stays ip-not-allowed; another request's 401 stays unauthorized")
    func exchangeKeepsMoreSpecificTypes() {
        let firewall = Support.scan(
            lines: Self.frame(
                "POST https://contosoprod.azurecr.io/oauth2/exchange", "403: 403 Forbidden", code: "DENIED",
                message:
                    "client with IP '198.51.100.23' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
            ))
        #expect(firewall.map(\.type) == [.ipNotAllowed])
        let tags = Support.scan(
            lines: Self.frame(
                "GET https://contosoprod.azurecr.io/acr/v1/team%2Fapi/_tags", "401: 401 Unauthorized",
                code: "UNAUTHORIZED",
                message: "authentication required, visit https://aka.ms/acr/authorization for more information."))
        #expect(tags.map(\.type) == [.unauthorized])
        // Entra ID refused the secret before any exchange: aad-credential, as Flux's message says.
        let signIn = Support.scan(lines: [
            "failed to get credential from azure: failed to login to registry 'oci://contosoprod.azurecr.io/charts': DefaultAzureCredential: failed to acquire a token."
        ])
        #expect(signIn.map(\.type) == [.aadCredential])
    }

    @Test("a request to the token exchange that did not fail, or failed with a 5xx, is not counted")
    func exchangeWithoutRefusal() {
        // azcore's request log: the same request line, no RESPONSE 401/403 under it.
        #expect(
            Support.scan(lines: [
                "==> OUTGOING REQUEST (Try=1)", "   POST https://contosoprod.azurecr.io/oauth2/exchange",
                "   Content-Type: application/x-www-form-urlencoded",
                "   User-Agent: azsdk-go-azcontainerregistry/v0.2.2",
            ]).isEmpty)
        #expect(Support.scan(lines: ["POST https://contosoprod.azurecr.io/oauth2/exchange"]).isEmpty)
        #expect(
            Support.scan(
                lines: Self.frame(
                    "POST https://contosoprod.azurecr.io/oauth2/exchange", "503: 503 Service Unavailable",
                    code: "UNAVAILABLE", message: "service unavailable")
            ).isEmpty)
        // Another registry's exchange (a Harbor behind the same SDK shape) is not ACR's.
        #expect(
            Support.scan(
                lines: Self.frame(
                    "POST https://harbor.example.com/oauth2/exchange", "401: 401 Unauthorized", code: "UNAUTHORIZED",
                    message: "invalid token")
            ).isEmpty)
    }

    @Test("docker login's 'Stored credentials invalid or expired' counts for the ACR its login names, not another")
    func storedCredentials() {
        let line = "Stored credentials invalid or expired"
        let acr = Support.scan(lines: [
            "+ docker login fabrikamci.azurecr.io", "Authenticating with existing credentials... [Username: ci-token]",
            line,
        ])
        #expect(acr.map(\.type) == [.unauthorized])
        #expect(acr.map(\.registry) == ["fabrikamci"])
        #expect(Support.scan(lines: ["docker login ghcr.io", line]).isEmpty)
        #expect(Support.scan(lines: ["docker login", line]).isEmpty)
        #expect(Support.scan(lines: [line]).isEmpty)
    }

    @Test("ACR's DENIED body with its quotes escaped inside another message counts as access-denied")
    func escapedDeniedBody() {
        let body =
            #"{\"errors\":[{\"code\":\"DENIED\",\"message\":\"the token's scope map does not include team/api\"}]}"#
        let logrus = Support.scan(lines: [
            "endpoint: https://contosoprod.azurecr.io",
            #"time="2026-11-20T03:14:15Z" level=error msg="listing tags failed: "# + body + "\"",
        ])
        #expect(logrus.map(\.type) == [.accessDenied])
        #expect(logrus.map(\.registry) == ["contosoprod"])
        // Another registry's or a missing repository's body is not counted.
        #expect(
            Support.scan(lines: [
                #"time="2026-11-20T03:14:15Z" level=error msg="listing tags failed: {\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}""#
            ]).isEmpty)
        #expect(
            Support.scan(lines: [
                "docker pull ghcr.io/org/app:1",
                #"time="2026-11-20T03:14:15Z" level=error msg="pull failed: "# + body + "\"",
            ]).isEmpty)
    }

    @Test("ACR's 'retrieving permissions failed' under the DENIED code is access-denied in any client's rendering")
    func retrievingPermissionsDenied() {
        let renderings = [
            ["azure.core.exceptions.HttpResponseError: (DENIED) retrieving permissions failed", "Code: DENIED"],
            [#"{\"errors\":[{\"code\":\"DENIED\",\"message\":\"retrieving permissions failed\"}]}"#],
            [#"Status code 403, "{"errors":[{"code":"DENIED","message":"retrieving permissions failed"}]}""#],
        ]
        for lines in renderings {
            let found = Support.scan(lines: ["az acr login -n fabrikamci"] + lines)
            #expect(found.map(\.type) == [.accessDenied], "\(lines[0])")
            #expect(found.map(\.registry) == ["fabrikamci"], "\(lines[0])")
        }
        // The words with no code beside them stay uncounted; with UNAUTHORIZED they stay unauthorized.
        #expect(Support.scan(lines: ["Message: retrieving permissions failed"]).isEmpty)
        #expect(
            Support.scan(lines: [#"{"errors":[{"code":"UNAUTHORIZED","message":"retrieving permissions failed"}]}"#])
                .map(\.type) == [.unauthorized])
    }

    @Test("a .NET RequestFailedException's status and its Content body are one failure, with or without timestamps")
    func requestFailedExceptionBody() {
        let exception = [
            "Azure.RequestFailedException: Service request failed.", "Status: 403 (Forbidden)", "", "Content:",
            #"{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"#, "", "Headers:",
            "Date: Fri, 20 Nov 2026 03:14:15 GMT",
        ]
        let found = Support.scan(lines: ["endpoint: https://fabrikamci.azurecr.io"] + exception)
        #expect(found.map(\.type) == [.accessDenied])
        #expect(found.first.map { ($0.line, $0.lineEnd) }! == (2, 6))
        // A `Content:` line with no failure before it is nothing.
        #expect(Support.scan(lines: ["Content:", "{\"name\":\"team/api\",\"tags\":[\"1.0\"]}"]).isEmpty)
    }
}
