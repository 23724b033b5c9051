import Foundation
import LogModel
import Testing

@testable import LogScanner

/// The classes that the third synthetic-fleet check (scripts/fleet-oracle3.py; docs/accuracy.md,
/// "Third synthetic fleet") showed the scanner getting wrong, each written from its general shape
/// (several registries, masks, hosts and wrappers) with its look-alikes.
@Suite struct Fleet3ClassTests {
    static let wrappers = ShapeClassTests.wrappers
    /// What a person or CI writes where the registry host stands.
    static let placeholders = [
        "<redacted>", "<REDACTED>", "[REDACTED]", "[repo name omitted]", "{registryname}", "<acr-name>", "***",
    ]
    /// A context that names another registry first: an earlier command, or an earlier failure of the log.
    static func contexts(_ wrap: (String) -> String) -> [[String]] {
        [
            [wrap("+ docker login contosoprod.azurecr.io -u ci --password-stdin"), wrap("Login Succeeded")],
            [wrap("Pulling image \"contosoprod.azurecr.io/web/app:1\"")],
        ]
    }

    // MARK: A redaction where the host stands is an unknown registry

    /// Failing lines whose registry host a person redacted (`M`), each with its type.
    static func redactedFailures(_ m: String) -> [(String, ErrorType)] {
        [
            (
                "Error getting v2 registry: Get \"https://\(m)/v2/\": denied: client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.",
                .ipNotAllowed
            ),
            (
                "trying next host - response was http.StatusUnauthorized host=\"\(m)\" error=\"pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed\"",
                .accessDenied
            ),
            (
                "Failed to pull image \"\(m)/platform/gateway:1.4.2\": rpc error: code = Unknown desc = failed to pull and unpack image \"\(m)/platform/gateway:1.4.2\": failed to resolve reference \"\(m)/platform/gateway:1.4.2\": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized",
                .anonymousPull
            ),
            (
                "Handler for POST /v1.41/images/create returned error: Get https://\(m)/v2/jobs/etl/manifests/1.4.2: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
                .unauthorized
            ),
            (
                "DockerApiException: Docker API responded with status code=InternalServerError, response={\"message\":\"Head \\\"https://\(m)/v2/web/manifests/v1\\\": unauthorized: authentication required\"}",
                .unauthorized
            ),
        ]
    }

    /// SPEC §3: a masked or redacted name is unknown, and the failure still counts. The line names
    /// its registry (redacted), so an earlier line's registry is not taken in its place.
    @Test("a redaction or placeholder where the host stands is an unknown registry, not the context's")
    func redactedHost() {
        for m in Self.placeholders {
            for (failure, type) in Self.redactedFailures(m) {
                for wrapper in Self.wrappers {
                    for before in Self.contexts(wrapper.wrap) {
                        let found = Support.scan(lines: before + [wrapper.wrap(failure)])
                        let last = found.last
                        #expect(last?.line == before.count + 1, "\(wrapper.name) \(m): \(failure)")
                        #expect(last?.type == type, "\(wrapper.name) \(m): \(failure)")
                        #expect(last != nil && last?.registry == nil, "\(wrapper.name) \(m): \(failure)")
                    }
                    // Without any context, CI's `***` is ACR evidence by itself; a person's placeholder
                    // is not (a paste redacts any registry): the line then needs ACR's own words. (With
                    // the ACR contexts above it stands for the registry, as tested there.)
                    let alone = Support.scan(lines: [wrapper.wrap(failure)])
                    if m == "***" || failure.contains("aka.ms/acr") {
                        #expect(
                            alone.map(\.type) == [type] && alone.first?.registry == nil,
                            "\(wrapper.name) \(m): \(failure)")
                    } else {
                        #expect(alone.isEmpty, "\(wrapper.name) \(m): \(failure)")
                    }
                }
            }
        }
    }

    /// Brackets that are no host (a log level, a step name, a date, a bracketed word before a space)
    /// leave the registry to the context, as before.
    @Test("bracketed words that are no host leave the context's registry")
    func bracketsThatAreNoHost() {
        let failures = [
            "[build] unauthorized: authentication required", "<stderr> unauthorized: authentication required",
            "[2026-11-20 03:14:15] denied: requested access to the resource is denied",
            "{step} unauthorized: authentication required",
        ]
        for failure in failures {
            for wrapper in Self.wrappers {
                let lines = [wrapper.wrap("+ docker push contosoprod.azurecr.io/web/app:1"), wrapper.wrap(failure)]
                #expect(Support.scan(lines: lines).map(\.registry) == ["contosoprod"], "\(wrapper.name): \(failure)")
            }
        }
        // A redaction inside another host's name, and an HTML error page's tags before a path, are no
        // masked ACR host: these stay uncounted (real-world sets round5k and round6p).
        var foreign = [
            [
                "$ podman search --tls-verify=false registry.[redacted].nip.io/[redacted]",
                "ERRO[0003] error getting search results from v2 endpoint \"registry.[redacted].nip.io\": unable to retrieve auth token: invalid username/password: errors:",
                "denied: requested access to the resource is denied",
            ],
            [
                "sudo docker pull registry.k8s.io/pause:3.6",
                "Error response from daemon: error parsing HTTP 403 response body: invalid character '<' looking for beginning of value: \"\\n<html><head>\\n<title>403 Forbidden</title>\\n<h2>Your client does not have permission to get URL <code>/v2/pause/manifests/sha256:3d38</code> from this server.</h2>\\n</body></html>\\n\"",
            ],
        ]
        // A marker glued to a path (Azure Pipelines' `##[error]/usr/…`) is no placeholder either.
        foreign.append([
            "##[error]/usr/local/share/dotnet/sdk/8.0.100/Containers/build/Microsoft.NET.Build.Containers.targets(202,5): error CONTAINER1016: Unable to access the repository 'team/runtime' in the registry 'docker.example.io'. Please confirm your credentials are correct and that you have access to this repository and registry."
        ])
        for lines in foreign {
            #expect(Support.scan(lines: lines).isEmpty, "\(lines[0])")
        }
    }

    /// A person's placeholder in a URL stands for any host: a registry's only when the URL goes on to
    /// a registry API path (`/v2/`, a token endpoint) or stops at the host. An application's or a
    /// portal's own API behind a placeholder host is no ACR failure, in any wrapper (real-world round17,
    /// Portainer's `POST https://<your-domain>/portainer/api/auth 403 (Forbidden)`).
    @Test("a placeholder host in a URL to another service's API is no registry")
    func placeholderHostOfAnotherAPI() {
        let lines = [
            "POST https://<your-domain>/portainer/api/auth 403 (Forbidden)",
            "GET https://<server>/api/v1/projects 401 Unauthorized",
            "Request to https://[REDACTED]/identity/connect/token failed: 403 Forbidden",
            "curl: (22) The requested URL returned error: 401 Unauthorized for https://{host}/login/oauth",
        ]
        for line in lines {
            for wrapper in Self.wrappers {
                #expect(Support.scan(lines: [wrapper.wrap(line)]).isEmpty, "\(wrapper.name): \(line)")
            }
        }
        // The same placeholders before a registry API path, after an ACR login, are a registry whose
        // name is unknown (not the login's).
        for m in ["<your-domain>", "<server>", "[REDACTED]", "{host}"] {
            let line = "Error response from daemon: Get \"https://\(m)/v2/\": unauthorized: authentication required"
            for wrapper in Self.wrappers {
                let login = wrapper.wrap("+ docker login contosoprod.azurecr.io -u ci --password-stdin")
                let found = Support.scan(lines: [login, wrapper.wrap(line)])
                #expect(found.map(\.type) == [.unauthorized] && found.first?.registry == nil, "\(wrapper.name): \(m)")
            }
        }
    }

    /// A person's placeholder needs an ACR context or ACR's words, except in a Bicep module reference
    /// (`br:<redacted>/…`), whose registry is an Azure container registry by nature (as `br:***` is).
    @Test("a placeholder host counts alone only in a Bicep module reference")
    func placeholderAlone() {
        for m in ["<redacted>", "[REDACTED]", "{registry}", "<acr-name>"] {
            let bicep = [
                "main.bicep(3,8) : Error BCP192: Unable to restore the artifact with reference \"br:\(m)/bicep/modules/storage:v4\": Service request failed.",
                "Status: 401 (Unauthorized)",
            ]
            let gitlab =
                "WARNING: Failed to pull image with policy \"always\": Error response from daemon: Head \"\(m)/manifests/latest\": unauthorized: HTTP Basic: Access denied"
            for wrapper in Self.wrappers {
                let found = Support.scan(lines: bicep.map(wrapper.wrap))
                #expect(found.map(\.type) == [.unauthorized] && found.first?.registry == nil, "\(wrapper.name): \(m)")
                #expect(Support.scan(lines: [wrapper.wrap(gitlab)]).isEmpty, "\(wrapper.name): \(m)")
            }
        }
    }

    // MARK: helm's OCI target, masked

    /// `helm push CHART oci://REF` names its registry in the second argument, `helm pull oci://REF` in
    /// the first: a masked or placeholder host there is ACR with an unknown name (as `docker push ***/…`
    /// is), and the token step's 401 after it counts; another registry's host does not.
    @Test("helm's masked oci:// target keeps an ACR context with an unknown name")
    func helmMaskedTarget() {
        let failure = "Error: failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"
        for m in Self.placeholders {
            for command in [
                "helm push mychart-0.3.0.tgz oci://\(m)/helm", "helm pull oci://\(m)/helm/mychart --version 0.3.0",
            ] {
                for wrapper in Self.wrappers {
                    let lines = [
                        wrapper.wrap("+ az acr login -n contosoprod"), wrapper.wrap("+ " + command),
                        wrapper.wrap(failure),
                    ]
                    let found = Support.scan(lines: lines)
                    #expect(found.map(\.type) == [.unauthorized], "\(wrapper.name): \(command)")
                    #expect(found.first?.registry == nil, "\(wrapper.name): \(command)")
                }
            }
        }
        for host in ["ghcr.io/org", "registry-1.docker.io/org", "harbor.contoso.com/charts"] {
            for command in ["helm push mychart-0.3.0.tgz oci://\(host)", "helm pull oci://\(host)/mychart"] {
                let lines = ["+ az acr login -n contosoprod", "+ " + command, failure]
                #expect(Support.scan(lines: lines).isEmpty, "\(command)")
            }
        }
    }

    // MARK: An image reference inside a JSON-wrapped logrus line names its registry

    /// containerd's or dockerd's logrus line as Docker's json-file driver and journald's JSON export
    /// write it: the logrus quotes escaped once more.
    static func jsonWrapped(_ logrus: String) -> [String] {
        let escaped = logrus.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return [
            "{\"log\":\"\(escaped)\\n\",\"stream\":\"stderr\",\"time\":\"2026-11-20T03:14:15.123456789Z\"}",
            "{\"__REALTIME_TIMESTAMP\":\"1795144455123456\",\"_HOSTNAME\":\"node-1\",\"SYSLOG_IDENTIFIER\":\"containerd\",\"MESSAGE\":\"\(escaped)\"}",
        ]
    }

    static func pullImage(_ ref: String, _ cause: String) -> String {
        "time=\"2026-11-20T03:14:15.123456789Z\" level=error msg=\"PullImage \\\"\(ref)\\\" failed\" error=\"failed to pull and unpack image \\\"\(ref)\\\": failed to resolve reference \\\"\(ref)\\\": \(cause)\""
    }

    @Test("a pull of another registry's image inside a JSON log record is not ACR's, whatever the log pulled before")
    func foreignImageInJSONRecord() {
        let cause = "failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"
        let hosts = [
            "harbor.contoso.com", "nexus.northwind.internal:8443", "artifactory.fabrikam.net", "localhost:5000",
        ]
        for host in hosts {
            for record in Self.jsonWrapped(Self.pullImage("\(host)/app:1", cause)) {
                for chunk in [nil, 7, 64] {
                    let lines = ["+ docker pull contosoprod.azurecr.io/web/app:1", record]
                    #expect(
                        Support.scan(lines: lines, chunk: chunk).isEmpty, "\(host) chunk \(String(describing: chunk))")
                }
            }
        }
        // ACR's own and a masked one still count, in both records.
        for (ref, registry) in [("contosoprod.azurecr.io/web/app:1", "contosoprod"), ("***/web/app:1", nil)] {
            for record in Self.jsonWrapped(Self.pullImage(ref, cause)) {
                let found = Support.scan(lines: [record])
                #expect(found.map(\.type) == [.anonymousPull], "\(ref)")
                #expect(found.first?.registry == registry, "\(ref)")
            }
        }
    }

    // MARK: An application's URL path is no registry word

    @Test("an application's 401 whose URL path holds a registry-looking word is not the registry's")
    func applicationURLPath() {
        let urls = [
            "https://deploy.contoso.com/api/v2/deployments", "https://argocd.internal/api/v1/applications/web/sync",
            "https://jira.example.com/rest/api/2/pull-requests/12", "http://billing.svc:8080/v2/invoices/image",
        ]
        for url in urls {
            for failure in [
                "ERROR: 401 Client Error: Unauthorized for url: \(url)",
                "requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: \(url)",
            ] {
                // (Not under klog's wrapper: its source file, `kuberuntime_image.go`, is about images.)
                for wrapper in Self.wrappers where wrapper.name != "klog" {
                    for before in Self.contexts(wrapper.wrap) {
                        let found = Support.scan(lines: before + [wrapper.wrap(failure)])
                        #expect(found.allSatisfy { $0.line <= before.count }, "\(wrapper.name): \(failure)")
                    }
                }
            }
        }
        // The registry's own URL, or a registry word outside the URL, still counts.
        let counted = [
            (
                "ERROR: 401 Client Error: Unauthorized for url: https://contosoprod.azurecr.io/v2/_catalog",
                "contosoprod"
            ),
            (
                "docker push failed: 401 Client Error: Unauthorized for url: https://proxy.contoso.com/api/v2/x",
                "contosoprod"
            ),
        ]
        for (failure, registry) in counted {
            for wrapper in Self.wrappers {
                let found = Support.scan(lines: [wrapper.wrap("+ az acr login -n contosoprod"), wrapper.wrap(failure)])
                #expect(
                    found.map(\.type) == [.unauthorized] && found.first?.registry == registry,
                    "\(wrapper.name): \(failure)")
            }
        }
    }

    // MARK: Prose that quotes an error as inline code

    @Test("prose quoting an error as inline code is no failure; the same error unquoted is")
    func inlineCodeProse() {
        let quoted = [
            "If you see `unauthorized: authentication required`, run `az acr login -n <registry>` first.",
            "A `denied: requested access to the resource is denied` means the identity lacks AcrPush.",
            "Troubleshooting: `401 Unauthorized` from the registry means the token expired.",
            "- `Error response from daemon: Get https://myacr.azurecr.io/v2/: unauthorized: authentication required`: log in again",
            "`insufficient_scope: authorization failed` is the token's scope map refusing the action",
        ]
        for line in quoted {
            for wrapper in Self.wrappers {
                for before in Self.contexts(wrapper.wrap) {
                    let found = Support.scan(lines: before + [wrapper.wrap(line)])
                    #expect(found.allSatisfy { $0.line <= before.count }, "\(wrapper.name): \(line)")
                }
            }
        }
        for wrapper in Self.wrappers {
            let lines = [
                wrapper.wrap("+ docker push contosoprod.azurecr.io/web/app:1"),
                wrapper.wrap("unauthorized: authentication required"),
            ]
            #expect(Support.scan(lines: lines).map(\.type) == [.unauthorized], "\(wrapper.name)")
        }
    }

    // MARK: A curl run after root's or PowerShell's prompt

    @Test("a 401 that curl prints after root's or PowerShell's prompt is not the registry's")
    func curlAfterOtherPrompts() {
        let failure = "curl: (22) The requested URL returned error: 401 Unauthorized"
        let prompts = [
            "root@build01:/src# ", "[root@build01 src]# ", "root@7f3c2a:~# ", "PS C:\\src> ", "PS /home/ci> ",
        ]
        for prompt in prompts {
            let lines = [
                prompt + "docker login contosoprod.azurecr.io -u ci", "Login Succeeded",
                prompt + "curl -fsS https://api.contoso.com/v1/orders", failure,
            ]
            #expect(Support.scan(lines: lines).isEmpty, "\(prompt)")
            // curl to the registry itself is ACR's.
            let own = [prompt + "curl -f -u ci:*** https://contosoprod.azurecr.io/v2/_catalog", failure]
            #expect(Support.scan(lines: own).map(\.registry) == ["contosoprod"], "\(prompt)")
        }
        // A comment (`# curl …`) runs nothing: the registry of the command before still names the failure.
        for comment in ["# curl -fsS https://api.contoso.com/v1/orders", "  # curl https://example.com/x"] {
            let lines = ["+ az acr login -n contosoprod", comment, "unauthorized: authentication required"]
            #expect(Support.scan(lines: lines).map(\.registry) == ["contosoprod"], "\(comment)")
        }
    }
}

/// ACR's diagnostic logs exported as CSV (a Log Analytics query's export of
/// `ContainerRegistryLoginEvents` or `ContainerRegistryRepositoryEvents`): a row names no column, so a
/// refused login or operation is known by its fields: the login server, the operation and the
/// status, each a whole field, in whatever order the export put the columns (third fleet check).
@Suite struct DiagnosticCSVClassTests {
    /// Rows of a refused login or operation, in the fleet check's column order and in the table
    /// schema's (TenantId first, DurationMs between), with the type each must count as.
    static let refused: [(String, ErrorType, String)] = [
        (
            "2026-11-18T19:38:55.3615850Z,myacr01.azurecr.io,3a8b6b5c-5da7-5a1e-3e2e-c2756ee89582,20.48.160.52,Login,401,401,\"azure-cli/2.61.0\",5a584e87-7357-c5d3-f531-43b92842d425",
            .unauthorized, "myacr01"
        ),
        (
            "72f988bf-86f1-41af-91ab-2d7cd011db47,2026-11-18T19:40:16.468Z,Pull,token-ci,contosoprod.azurecr.io,12,403,403,40.117.185.48,\"containerd/1.7.2\",58a58067-8894-f243-c486-06ab638950e6",
            .accessDenied, "contosoprod"
        ),
        (
            "11/18/2026 7:41:02.113 PM,wingtipdev.azurecr.io,ci-sp,10.0.0.4,Push,403,403,docker/24.0.7,c1",
            .accessDenied, "wingtipdev"
        ),
        // The sovereign clouds' login servers.
        (
            "2026-11-02T20:27:44.3792580Z,fabrikamci.azurecr.us,admin,40.100.191.72,Login,401,401,\"azure-cli/2.61.0\",00c8",
            .unauthorized, "fabrikamci"
        ),
        (
            "2026-11-18T05:39:16.8846060Z,wingtipdev.azurecr.cn,admin,203.190.212.148,Pull,403,403,\"azure-cli/2.61.0\",13c3",
            .accessDenied, "wingtipdev"
        ),
    ]

    @Test("a refused login or operation in ACR's diagnostic CSV counts with its registry, at any chunk size")
    func refusedRows() {
        for (row, type, registry) in Self.refused {
            for chunk in [nil, 1, 7, 64] {
                let found = Support.scan(lines: [row], chunk: chunk)
                #expect(found.map(\.type) == [type], "\(chunk ?? 0): \(row)")
                #expect(found.first?.registry == registry, "\(chunk ?? 0): \(row)")
                #expect(found.first?.producer == .acrDiagnostics, "\(chunk ?? 0): \(row)")
            }
        }
    }

    /// The registry's own log, JSON or CSV, is its own producer (matcher 23), not the Docker client
    /// that a line of no recognised wrapper is given; inside a CI runner's log the runner is named.
    @Test("ACR's diagnostic rows, JSON or CSV, are the acr-diagnostics producer; a CI wrapper still wins")
    func diagnosticProducer() {
        let json =
            #"{"TimeGenerated":"2026-11-18T19:38:55.3615850Z","LoginServer":"myacr01.azurecr.io","OperationName":"Login","ResultType":"401","Identity":"ci"}"#
        let spaced =
            #"{"TimeGenerated": "2026-11-18T19:40:16.468Z", "LoginServer": "contosoprod.azurecr.io", "OperationName": "Pull", "ResultType": "403"}"#
        for row in [json, spaced, Self.refused[0].0, Self.refused[1].0] {
            let found = Support.scan(lines: [row])
            #expect(found.map(\.producer) == [.acrDiagnostics], "\(row)")
        }
        let actions = Support.scan(lines: ["2026-11-18T19:38:56.0000000Z " + Self.refused[0].0])
        #expect(actions.map(\.producer) == [.githubActions])
        // Another rule's failure line keeps the producer its evidence implies.
        let docker = Support.scan(lines: [
            "Error response from daemon: Get \"https://myacr01.azurecr.io/v2/\": unauthorized: authentication required"
        ])
        #expect(docker.map(\.producer) == [.dockerCLI])
    }

    /// A granted row, a header, another registry's row, and a CSV of something else that holds a 401
    /// field and an ACR host but no operation, stay uncounted.
    @Test("granted rows, headers, other registries and other CSV stay uncounted")
    func lookAlikes() {
        let lines = [
            "TimeGenerated,LoginServer,Identity,CallerIpAddress,OperationName,ResultType,ResultDescription,UserAgent,CorrelationId",
            "2026-11-06T08:31:30.4096720Z,woodgrovebank.azurecr.io,token-ci,20.182.167.27,Pull,200,200,\"containerd/1.7.2\",e35e",
            "2026-11-06T08:31:44.2114990Z,harbor.contoso.com,robot-ci,20.215.150.21,Login,401,401,\"docker/24.0.7\",297e",
            "image,contosoprod.azurecr.io,web,pulls,401,errors,3",
            "2026-11-06,contosoprod.azurecr.io/web:1.4.2,Login page,401,report",
        ]
        for line in lines {
            #expect(Support.scan(lines: [line]).isEmpty, "\(line)")
        }
    }
}
