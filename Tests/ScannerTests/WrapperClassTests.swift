import LogModel
import Testing

@testable import LogScanner

/// The classes that RealWorldWrapperTests found lost in producers' wrappers, each tried from its
/// general shape in every wrapper (docs/accuracy.md, "Real lines through wrappers").
@Suite struct WrapperClassTests {
    static let wrappers = RealWorldWrapperTests.wrappers

    /// Scans `lines`, each printed through `wrapper`, one second apart.
    static func scan(_ lines: [String], _ wrapper: RealWorldWrapperTests.Wrapper) -> [Occurrence] {
        let text = lines.enumerated().map { RealWorldWrapperTests.wrapped($0.element, $0.offset, wrapper.wrap) }
        return Support.scan(lines: text)
    }

    @Test(
        "a raw HTTP response line or a trace's response side is the registry's challenge behind any wrapper",
        arguments: [
            ["curl -i https://myacr.azurecr.io/v2/", "HTTP/1.1 401 Unauthorized"],
            ["curl -sI https://contosoregistry.azurecr.io/v2/team/api/tags/list", "HTTP/2 401 "],
            ["wget -S https://myacr.azurecr.io/v2/", "  HTTP/1.0 403 Forbidden"],
            ["curl -v https://myacr.azurecr.io/oauth2/token", "< HTTP/1.1 401 Unauthorized"],
            ["oras pull --debug myacr.azurecr.io/team/artifact:1", "< Response Status: \"401 Unauthorized\""],
        ])
    func responseLine(_ lines: [String]) {
        for wrapper in Self.wrappers where wrapper.multiLine {
            let found = Self.scan(lines, wrapper)
            #expect(found.isEmpty, "[\(wrapper.name)] \(lines): \(found.map(\.excerpt))")
        }
    }

    @Test("HTTP/1.1 inside a sentence is no response line: the failure still counts behind any wrapper")
    func responseWordsInsideAFailure() {
        let line =
            "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information. (proxy said HTTP/1.1 401 < retry)"
        for wrapper in Self.wrappers {
            let found = Self.scan([line], wrapper)
            #expect(found.map(\.type) == [.unauthorized], "[\(wrapper.name)]")
        }
    }

    static let esc = "\u{1B}"

    @Test(
        "a failure with ANSI colour inside its words counts as without it, in every wrapper",
        arguments: [
            (
                [
                    "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": \u{1B}[1;31munauthorized\u{1B}[0m: authentication required, visit https://aka.ms/acr/authorization for more information."
                ],
                ErrorType.unauthorized, "myacr"
            ),
            (
                [
                    "\u{1B}[31mERROR\u{1B}[0m: Could not connect to registry login server 'contoso01.azurecr.io'. Please verify that the registry exists and the URL 'https://contoso01.azurecr.io/v2/' is reachable from your environment."
                ],
                nil, nil
            ),
            (
                [
                    "\u{1B}[36;1maz acr login -n teamreg01\u{1B}[0m",
                    "\u{1B}[1;31mPlease\u{1B}[0m verify if docker daemon is running properly.",
                ],
                ErrorType.dockerCommandError, "teamreg01"
            ),
            (
                [
                    "\u{1B}[0K\u{1B}[32;1m$ docker push teamreg01.azurecr.io/api:7\u{1B}[0;m",
                    "denied: \u{1B}[1mrequested access to the resource is denied\u{1B}[22m",
                ],
                ErrorType.accessDenied, "teamreg01"
            ),
            (
                [
                    "Failed to pull image \"myacr.azurecr.io/web:1\": failed to resolve reference: failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://myacr.azurecr.io/oauth2/token: \u{1B}[91m401 Unauthorized\u{1B}[39m"
                ],
                ErrorType.unauthorized, "myacr"
            ),
        ] as [([String], ErrorType?, String?)])
    func colouredWords(_ lines: [String], _ type: ErrorType?, _ registry: String?) {
        let plain = lines.map { line in
            var out = line
            while let r = out.range(of: "\u{1B}[") {
                let end = out[r.upperBound...].firstIndex { $0.isLetter } ?? out.endIndex
                out.removeSubrange(r.lowerBound...end)
            }
            return out
        }
        let expected = Support.scan(lines: plain).map { "\($0.type)@\($0.registry ?? "?")" }
        if let type { #expect(expected == ["\(type)@\(registry ?? "?")"], "the plain text: \(plain)") }
        for wrapper in Self.wrappers where wrapper.multiLine || lines.count == 1 {
            let found = Self.scan(lines, wrapper).map { "\($0.type)@\($0.registry ?? "?")" }
            #expect(found == expected, "[\(wrapper.name)] \(lines)")
        }
    }

    @Test("a coloured look-alike stays uncounted: colour takes nothing away from a veto or a foreign host")
    func colouredLookAlikes() {
        let lookAlikes = [
            ["curl -i https://myacr.azurecr.io/v2/", "\u{1B}[1mHTTP/1.1\u{1B}[0m 401 Unauthorized"],
            [
                "Error response from daemon: Get \"https://ghcr.io/v2/\": \u{1B}[31munauthorized\u{1B}[0m: authentication required"
            ],
            [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": \u{1B}[31mtoomanyrequests\u{1B}[0m: too many requests, visit https://aka.ms/acr/throttling for more information."
            ],
            ["docker login myacr.azurecr.io", "\u{1B}[32mLogin Succeeded\u{1B}[0m"],
        ]
        for lines in lookAlikes {
            for wrapper in Self.wrappers where wrapper.multiLine || lines.count == 1 {
                let found = Self.scan(lines, wrapper)
                #expect(found.isEmpty, "[\(wrapper.name)] \(lines): \(found.map(\.excerpt))")
            }
        }
    }

    /// A Knative revision's status as `kubectl get -o yaml` folds it: the status on the line under the
    /// message's first line, indented deeper.
    static let folded = [
        "status:", "  conditions:", "  - lastTransitionTime: \"2026-11-20T03:14:15Z\"",
        "    message: 'Unable to fetch image \"teamreg01.azurecr.io/api:7\":", "      unsupported status code 401'",
        "    reason: ContainerMissing",
    ]

    @Test("a folded message's status takes its first line's registry behind a producer's wrapper")
    func foldedBehindWrappers() {
        for wrapper in Self.wrappers where wrapper.multiLine {
            // In a JSON log the message's quotes are escaped and each record ends in `"}`: a fold
            // is not read there (left, docs/accuracy.md, "Real lines through wrappers").
            if wrapper.name.hasSuffix("json") || wrapper.name.hasPrefix("docker-json") { continue }
            let found = Self.scan(Self.folded, wrapper).map { "\($0.type)@\($0.registry ?? "?")" }
            #expect(found == ["unauthorized@teamreg01"], "[\(wrapper.name)]")
            // The same status at the message's own depth is not its continuation (in klog's wrapper
            // it counts by itself: kubelet's file name, `kuberuntime_image.go`, gives the image topic).
            if wrapper.name == "klog" { continue }
            var flat = Self.folded
            flat[4] = "    unsupported status code 401'"
            #expect(Self.scan(flat, wrapper).isEmpty, "[\(wrapper.name)] same depth")
        }
    }

    static let rule = String(repeating: "-", count: 80)

    @Test(
        "a failure printed over several lines counts once in every multi-line wrapper, JSON log records too",
        arguments: [
            // A registry error over two lines, the body on the second (quotes escaped inside a record).
            (
                [
                    "unauthorized: Head \"https://contoso01.azurecr.io/v2/team/api/manifests/1.4.2\":",
                    "unauthorized: {\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}",
                ],
                ErrorType.unauthorized, "contoso01"
            ),
            (
                [
                    "Error response from daemon: Get \"https://myacr.azurecr.io/v2/web/manifests/latest\":",
                    "denied: {\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}",
                ],
                .accessDenied, "myacr"
            ),
            // The Azure SDK for Go's ResponseError frame, each of its lines a record of its own.
            (
                [
                    "GET https://registry7.azurecr.io/acr/v1/_catalog", rule, "RESPONSE 401: 401 Unauthorized",
                    "ERROR CODE UNAVAILABLE", rule, "{", "  \"errors\": [", "    {",
                    "      \"code\": \"UNAUTHORIZED\",", "      \"message\": \"authentication required\"", "    }",
                    "  ]", "}", rule,
                ],
                .unauthorized, "registry7"
            ),
            (
                [
                    "POST https://myacr.azurecr.io/oauth2/exchange", rule, "RESPONSE 403: 403 Forbidden",
                    "ERROR CODE UNAVAILABLE", rule, "{", "  \"errors\": [", "    {", "      \"code\": \"DENIED\",",
                    "      \"message\": \"token exchange refused\"", "    }", "  ]", "}", rule,
                ],
                .identityPermission, "myacr"
            ),
        ])
    func multiLineFailure(_ lines: [String], _ type: ErrorType, _ registry: String) {
        for wrapper in Self.wrappers where wrapper.multiLine {
            let found = Self.scan(lines, wrapper)
            #expect(found.map(\.type) == [type], "[\(wrapper.name)] \(found.map(\.excerpt))")
            #expect(found.first?.registry == registry, "[\(wrapper.name)]")
        }
    }

    @Test("an escaped newline inside a message marks a block in one line; a JSON record's closing one does not")
    func escapedNewlines() {
        let bytes = Array(#"RESPONSE 401: x\n"#.utf8)
        let closing = Array(#"{"log":"RESPONSE 401: x\n","stream":"stderr"}"#.utf8)
        let inner = Array(#"{"log":"GET x\nRESPONSE 401: x\n","stream":"stderr"}"#.utf8)
        let twice = Array(#"{"log":"{\"error\":\"GET x\\nRESPONSE 401: x\"}\n","stream":"stderr"}"#.utf8)
        #expect(bytes.withUnsafeBytes { Fields.holdsInnerEscapedNewline($0) })
        #expect(!closing.withUnsafeBytes { Fields.holdsInnerEscapedNewline($0) })
        #expect(inner.withUnsafeBytes { Fields.holdsInnerEscapedNewline($0) })
        #expect(twice.withUnsafeBytes { Fields.holdsInnerEscapedNewline($0) })
    }

    @Test("two daemon errors a line apart, each naming its own registry and body, count twice in every wrapper")
    func twoRegistriesTwoFailures() {
        let lines = [
            #"Handler for POST /v1.47/auth returned error: Get "https://fabrikamci.azurecr.io/v2/": denied: {"errors":[{"code":"DENIED","message":"client with IP '172.214.169.102' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."}]}"#,
            #"Handler for POST /v1.47/auth returned error: Get "https://contoso01.azurecr.io/v2/": unauthorized: {"errors":[{"code":"UNAUTHORIZED","message":"authentication required, visit https://aka.ms/acr/authorization for more information."}]}"#,
        ]
        for wrapper in Self.wrappers where wrapper.multiLine {
            let found = Self.scan(lines, wrapper)
            #expect(found.map(\.registry) == ["fabrikamci", "contoso01"], "[\(wrapper.name)] \(found.map(\.excerpt))")
        }
    }
}
