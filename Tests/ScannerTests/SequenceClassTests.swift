import LogModel
import LogScanner
import Testing

/// The classes of failures whose count or registry is decided over several lines (docs/accuracy.md,
/// "Sequences (seq9)"), each from its general shape (other registries, commands, shells and wrappers)
/// with its look-alikes; and, for every join, the same occurrences whatever byte the input is split at.
@Suite struct SequenceClassTests {
    /// Asserts that scanning `text` in two chunks split at every byte, and in small chunks, finds what
    /// the whole text at once finds.
    static func expectSplitInvariant(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(text.utf8)
        let whole = Support.scan(bytes)
        for chunk in [1, 2, 3, 7, 16] where Support.scan(bytes, chunk: chunk) != whole {
            Issue.record("chunk size \(chunk) differs", sourceLocation: sourceLocation)
        }
        for cut in 1..<bytes.count {
            let scanner = OccurrenceScanner(options: ScanOptions(reference: Support.reference))
            var found: [Occurrence] = []
            bytes.withUnsafeBytes { all in
                scanner.scan(UnsafeRawBufferPointer(rebasing: all[..<cut]), into: &found)
                scanner.scan(UnsafeRawBufferPointer(rebasing: all[cut...]), into: &found)
            }
            scanner.finish(into: &found)
            if found != whole {
                Issue.record(
                    "split at byte \(cut) differs: \(found.map(\.registry)) vs \(whole.map(\.registry))",
                    sourceLocation: sourceLocation)
                return
            }
        }
    }

    static func text(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

    // MARK: - Class 2: a command continued over lines

    /// `az acr` commands continued with each shell's mark and prompt, the registry flag on a later line.
    static let continued: [(lines: [String], registry: String)] = [
        (["$ az acr login \\", ">   --name contosoacr"], "contosoacr"),
        (["az acr login \\", "    -n FabrikamProd \\", "    --expose-token"], "fabrikamprod"),
        (["PS C:\\src> az acr login `", ">>   --name contosoacr"], "contosoacr"),
        (["C:\\src>az acr login ^", "More?  --name contosoacr"], "contosoacr"),
        (["+ az acr build \\", "    --registry northwindcr \\", "    --image web:42 ."], "northwindcr"),
        (
            ["az acr repository list `", "  --resource-group rg-ci `", "  --name wingtipacr `", "  --output table"],
            "wingtipacr"
        ),
        // GitHub Actions' echo of a step's script: the group header, then the script's lines coloured.
        (
            [
                "2026-11-20T03:14:15.1021453Z ##[group]Run az acr login \\",
                "2026-11-20T03:14:15.1022017Z \u{1B}[36;1maz acr login \\\u{1B}[0m",
                "2026-11-20T03:14:15.1022301Z \u{1B}[36;1m  --name contosoacr\u{1B}[0m",
                "2026-11-20T03:14:15.1022866Z shell: /usr/bin/bash -e {0}",
                "2026-11-20T03:14:15.1023110Z ##[endgroup]",
            ], "contosoacr"
        ),
    ]

    static let cliFailures = [
        "ERROR: 2026-11-20 03:14:17.551102 An error occurred: DOCKER_COMMAND_ERROR",
        "ERROR: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
        "Unable to get AAD authorization tokens with message: Please run 'az login' to setup account.",
    ]

    @Test("a failure after an `az acr` command continued over lines takes the registry the command names")
    func continuedCommand() {
        for (command, registry) in Self.continued {
            for failure in Self.cliFailures {
                let text = Self.text(command + [failure])
                let found = Support.scan(lines: command + [failure])
                #expect(found.count == 1, "\(text)")
                #expect(found.first?.registry == registry, "\(text)")
            }
        }
    }

    @Test("continued commands give the same registry wherever the input is split")
    func continuedCommandSplit() {
        for (command, _) in Self.continued {
            Self.expectSplitInvariant(Self.text(["Login Succeeded"] + command + [Self.cliFailures[0]]))
        }
        // A command continued over more lines than the reach joins, and one that never ends.
        let long =
            ["az acr login \\"] + (1...20).map { _ in "  --debug \\" } + ["  --name contosoacr", Self.cliFailures[1]]
        Self.expectSplitInvariant(Self.text(long))
        Self.expectSplitInvariant(Self.text(["az acr login --name first", "az acr login \\", "  --name second \\"]))
    }

    @Test("a continued command names the registry of the failure that follows, not of one before it")
    func continuedCommandOrder() {
        let lines = [
            "az acr login --name firstacr", Self.cliFailures[1],
            "az acr login \\", "  --name secondacr", Self.cliFailures[1],
        ]
        #expect(Support.scan(lines: lines).map(\.registry) == ["firstacr", "secondacr"])
    }

    @Test(
        "look-alikes: a continued push or login to Docker Hub ends the ACR context; a trailing backslash elsewhere joins nothing"
    )
    func continuedLookAlikes() {
        // The push goes to Docker Hub: its `denied` is Docker Hub's.
        let push = [
            "+ az acr login --name contosoacr", "Login Succeeded", "+ docker push \\", "    myteam/web:42",
            "The push refers to repository [docker.io/myteam/web]",
            "denied: requested access to the resource is denied",
        ]
        #expect(Support.scan(lines: push).isEmpty)
        let login = [
            "+ az acr login --name contosoacr", "Login Succeeded", "+ docker login \\", "    -u ci-bot \\",
            "    --password-stdin docker.io", "unauthorized: incorrect username or password",
        ]
        #expect(Support.scan(lines: login).isEmpty)
        // A Windows path that ends with `\` before a failure line joins nothing: the failure keeps the
        // registry of the command before.
        let path = [
            "az acr login --name contosoacr", "Copying build output to C:\\agent\\_work\\1\\s\\", Self.cliFailures[1],
        ]
        #expect(Support.scan(lines: path).map(\.registry) == ["contosoacr"])
        Self.expectSplitInvariant(Self.text(push))
        Self.expectSplitInvariant(Self.text(login))
    }

    // MARK: - Class 1: a Python traceback whose ACR frames come before the exception

    /// A traceback as CPython prints it, with `frames` (paths of the code) and the exception line last.
    static func traceback(_ frames: [String], _ exception: String, prefix: String = "") -> [String] {
        [prefix + "Traceback (most recent call last):"]
            + frames.enumerated().flatMap { i, path in
                [prefix + "  File \"\(path)\", line \(40 + i), in f\(i)", prefix + "    result = call\(i)(**kwargs)"]
            } + [prefix + exception]
    }

    static let acrFrames = [
        "/opt/venv/lib/python3.11/site-packages/azure/core/paging.py",
        "/opt/venv/lib/python3.11/site-packages/azure/containerregistry/_container_registry_client.py",
        "/opt/venv/lib/python3.11/site-packages/azure/core/exceptions.py",
    ]
    static let windowsFrames = [
        "C:\\hostedtoolcache\\windows\\Python\\3.12.1\\x64\\Lib\\site-packages\\azure\\containerregistry\\_exchange_client.py",
        "C:\\hostedtoolcache\\windows\\Python\\3.12.1\\x64\\Lib\\site-packages\\azure\\core\\exceptions.py",
    ]
    static let cliFrames = [
        "/opt/az/lib/python3.12/site-packages/knack/cli.py",
        "/opt/az/lib/python3.12/site-packages/azure/cli/command_modules/acr/repository.py",
        "/opt/az/lib/python3.12/site-packages/azure/core/exceptions.py",
    ]
    static let keyVaultFrames = [
        "/opt/venv/lib/python3.11/site-packages/azure/keyvault/secrets/_client.py",
        "/opt/venv/lib/python3.11/site-packages/azure/core/exceptions.py",
    ]
    static let status401 =
        "azure.core.exceptions.ClientAuthenticationError: Operation returned an invalid status 'Unauthorized'"

    @Test("an Azure SDK exception after a traceback with an ACR client's frame counts once, typed from its words")
    func pythonTraceback() {
        let cases: [(lines: [String], type: ErrorType, registry: String?)] = [
            (
                ["INFO listing https://contosoacr.azurecr.io"] + Self.traceback(Self.acrFrames, Self.status401),
                .unauthorized, "contosoacr"
            ),
            (
                ["+ python3 sync.py --registry FabrikamProd.azurecr.io"]
                    + Self.traceback(
                        Self.windowsFrames,
                        "azure.core.exceptions.ClientAuthenticationError: DefaultAzureCredential failed to retrieve a token from the included credentials."
                    ),
                .aadCredential, "fabrikamprod"
            ),
            (
                ["$ az acr repository list --name northwindcr --debug"]
                    + Self.traceback(
                        Self.cliFrames,
                        "azure.core.exceptions.HttpResponseError: Operation returned an invalid status 'Forbidden'",
                        prefix: "cli.azure.cli.core.azclierror: "),
                .accessDenied, "northwindcr"
            ),
            // No registry before it: the failure counts, its registry unknown.
            (Self.traceback(Self.acrFrames, Self.status401), .unauthorized, nil),
            // A GitHub Actions log: every line stamped.
            (
                (["az acr login --name wingtipacr"] + Self.traceback(Self.acrFrames, Self.status401)).map {
                    "2026-11-20T03:14:15.1234567Z " + $0
                }, .unauthorized, "wingtipacr"
            ),
        ]
        for (lines, type, registry) in cases {
            let found = Support.scan(lines: lines)
            #expect(found.map(\.type) == [type], "\(lines.joined(separator: "\n"))")
            #expect(found.first?.registry == registry, "\(lines.joined(separator: "\n"))")
            #expect(found.first?.line == lines.count, "the exception's line")
            Self.expectSplitInvariant(Self.text(lines))
        }
    }

    @Test("look-alikes: another SDK's traceback, an ACR traceback out of reach, an exception with no traceback")
    func pythonTracebackLookAlikes() {
        // Key Vault's 401 after an ACR login: the frames are not an ACR client's.
        let keyVault =
            ["az acr login --name contosoacr", "Login Succeeded"] + Self.traceback(Self.keyVaultFrames, Self.status401)
        #expect(Support.scan(lines: keyVault).isEmpty)
        // An ACR traceback handled and logged, then another SDK's exception far below it.
        let far =
            Self.traceback(Self.acrFrames, "ValueError: bad tag") + (1...70).map { "step \($0) ok" }
            + ["azure.core.exceptions.ClientAuthenticationError: Operation returned an invalid status 'Unauthorized'"]
        #expect(Support.scan(lines: far).isEmpty)
        // A second traceback (another SDK) after an ACR one: the last traceback's frames decide.
        let second =
            Self.traceback(Self.acrFrames, "ValueError: bad tag") + Self.traceback(Self.keyVaultFrames, Self.status401)
        #expect(Support.scan(lines: second).isEmpty)
        Self.expectSplitInvariant(Self.text(keyVault))
        Self.expectSplitInvariant(Self.text(second))
    }

    // MARK: - Class 4: a CI block whose header names the registry

    /// GitHub Actions' step header and details (actions/runner `ScriptHandler.PrintActionDetails`).
    static func actionsStep(_ command: String, env: [String] = []) -> [String] {
        let t = "2026-11-20T03:14:20.0000001Z "
        return [
            t + "##[group]Run " + command, t + "\u{1B}[36;1m" + command + "\u{1B}[0m",
            t + "shell: /usr/bin/bash -e {0}",
        ]
            + (env.isEmpty ? [] : [t + "env:"] + env.map { t + "  " + $0 }) + [t + "##[endgroup]"]
    }

    @Test("the Docker client's failure inside a `Run az acr login` step counts, past the runner's step details")
    func actionsLoginStep() {
        let failures = [
            "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
            "/usr/bin/docker: command not found",
        ]
        for failure in failures {
            for env in [[], ["AZURE_CORE_OUTPUT: none", "REGISTRY: contosoacr"]] {
                let lines =
                    Self.actionsStep("az acr login --name contosoacr", env: env)
                    + ["2026-11-20T03:14:21.7740120Z " + failure]
                let found = Support.scan(lines: lines)
                #expect(found.map(\.type) == [.dockerCommandError], "\(lines.joined(separator: "\n"))")
                #expect(found.first?.registry == "contosoacr")
                Self.expectSplitInvariant(Self.text(lines))
            }
        }
    }

    @Test("look-alikes: the Docker client's words in another step, or after the login step's own output")
    func actionsLoginStepLookAlikes() {
        let t = "2026-11-20T03:14:21.0000000Z "
        let daemon =
            t + "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
        // Another step (a `docker build`) after a successful login step.
        let otherStep =
            Self.actionsStep("az acr login --name contosoacr") + [t + "Login Succeeded"]
            + Self.actionsStep("docker build -t web .") + [daemon]
        #expect(Support.scan(lines: otherStep).isEmpty)
        // Two lines of output between the login step and the Docker client's words.
        let later = Self.actionsStep("az acr login --name contosoacr") + [t + "Login Succeeded", t + "Done.", daemon]
        #expect(Support.scan(lines: later).isEmpty)
        Self.expectSplitInvariant(Self.text(otherStep))
    }

    // MARK: - Class 3: a record split in parts

    static let splitMessages: [(text: String, type: ErrorType, registry: String)] = [
        (
            #"time="2026-11-20T03:14:15Z" level=error msg="pull failed" error="failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://contosoacr.azurecr.io/oauth2/token?scope=repository%3Aweb%3Apull&service=contosoacr.azurecr.io: 401 Unauthorized""#,
            .unauthorized, "contosoacr"
        ),
        (
            #"Error response from daemon: Get "https://FabrikamProd.azurecr.io/v2/": unauthorized: authentication required"#,
            .unauthorized, "fabrikamprod"
        ),
        (
            "denied: client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access. northwindcr.azurecr.io",
            .ipNotAllowed, "northwindcr"
        ),
    ]

    static func cri(_ text: String, cut: Int, stream: String = "stderr", otherStream: String? = nil) -> String {
        let chars = Array(text)
        let t = "2026-11-20T03:14:15.123456789Z "
        return t + stream + " P " + String(chars[..<cut]) + "\n" + t + (otherStream ?? stream) + " F "
            + String(chars[cut...]) + "\n"
    }

    static func jsonFile(_ text: String, cut: Int) -> String {
        func record(_ s: String, _ newline: Bool) -> String {
            #"{"log":""# + RealWorldWrapperTests.jsonEscaped(s, html: true) + (newline ? #"\n"# : "")
                + #"","stream":"stderr","time":"2026-11-20T03:14:15.123456789Z"}"#
        }
        let chars = Array(text)
        return record(String(chars[..<cut]), false) + "\n" + record(String(chars[cut...]), true) + "\n"
    }

    @Test(
        "a failure cut between a CRI P record and its F record, or two json-file records, counts once, whole, at the first"
    )
    func splitRecords() {
        for (message, type, registry) in Self.splitMessages {
            let count = message.count
            for cut in stride(from: 1, to: count - 1, by: 5) {
                for text in [Self.cri(message, cut: cut), Self.jsonFile(message, cut: cut)] {
                    let found = Support.scan(Array(("INFO starting\n" + text).utf8))
                    #expect(found.map(\.type) == [type], "cut \(cut): \(text)")
                    #expect(found.first?.registry == registry, "cut \(cut)")
                    #expect(found.first?.line == 2, "cut \(cut): the first record's line")
                }
            }
        }
    }

    @Test("split records give the same occurrences wherever the input is split")
    func splitRecordsSplit() {
        let message = Self.splitMessages[1].text
        for cut in [10, 40, 75, 90] {
            Self.expectSplitInvariant("INFO starting\n" + Self.cri(message, cut: cut) + "INFO done\n")
            Self.expectSplitInvariant(Self.jsonFile(message, cut: cut))
        }
        // A part, then a line longer than a piece (read in pieces when it comes in chunks).
        let long = "INFO " + String(repeating: "z", count: 300)
        for chunk in [1, 7, 64] {
            let bytes = Array(("2026-11-20T03:14:15.123456789Z stderr P " + message + "\n" + long + "\n").utf8)
            #expect(
                Support.scan(bytes, chunk: chunk, maxLineBytes: 256) == Support.scan(bytes, maxLineBytes: 256),
                "chunk \(chunk)")
            let command = Array(("az acr login \\\n" + long + "\n" + Self.cliFailures[1] + "\n").utf8)
            #expect(
                Support.scan(command, chunk: chunk, maxLineBytes: 256) == Support.scan(command, maxLineBytes: 256),
                "chunk \(chunk)")
        }
        // A part at the end of the input, ended by no record: matched alone when it shows a failure.
        let alone = "2026-11-20T03:14:15.123456789Z stderr P " + message + "\n"
        #expect(Support.scan(Array(alone.utf8)).count == 1)
        Self.expectSplitInvariant(alone)
    }

    @Test("look-alikes: a part of one stream and a record of the other are two lines, not one")
    func splitRecordLookAlikes() {
        // stdout's part, then stderr's record: the words are not joined across the streams.
        let message = Self.splitMessages[1].text
        let cut = message.range(of: "unauthor")!.upperBound.utf16Offset(in: message)
        let twoStreams = Self.cri(message, cut: cut, stream: "stdout", otherStream: "stderr")
        #expect(Support.scan(Array(twoStreams.utf8)).allSatisfy { $0.line != 1 })
        // Two whole records (F, F) are two lines: a failure in each counts twice.
        let t = "2026-11-20T03:14:15.123456789Z stderr F "
        let whole = t + message + "\n" + t + message + "\n"
        #expect(Support.scan(Array(whole.utf8)).count == 2)
        Self.expectSplitInvariant(twoStreams)
    }
}
