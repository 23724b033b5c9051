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
}
