import LogModel
import Testing

@testable import LogScanner

/// Terminal sessions pasted into tickets and chats hard-wrapped at the terminal's width, on word
/// boundaries (docs/error-types.md, "One failure is one occurrence"). The Azure CLI's Cloud Shell
/// refusal is one long sentence; a wrap splits wherever the width puts it, so the message must be
/// recognised from whichever of its distinctive parts stays whole on a line, at every width, and
/// still count once. Widths from 60 columns are tested; narrower wraps split the sentence so often
/// that no part of it is left whole on a line.
@Suite struct WrappedPasteTests {
    /// `text` wrapped greedily at `width` columns on spaces, as `fold -s` and Python's `textwrap` do.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static func cloudShell(_ name: String) -> String {
        "This command requires running the docker daemon, which is not supported in Azure Cloud Shell. You may want to use 'az acr login -n \(name) --expose-token' to get an access token, which does not require Docker to be installed."
    }

    /// The registry as the command shows it, and as the store names it.
    static let registries: [(shown: String, name: String)] = [
        ("adventureworks01", "adventureworks01"), ("TailSpinACR", "tailspinacr"), ("acr01", "acr01"),
        ("contosoregistryprod2026", "contosoregistryprod2026"),
    ]

    @Test("the Cloud Shell refusal wrapped at any width from 60 to 160 columns counts once", arguments: [false, true])
    func cloudShellWrapped(prefixed: Bool) {
        for (shown, name) in Self.registries {
            for width in 60...160 {
                let message = (prefixed ? "ERROR: " : "") + Self.cloudShell(shown)
                let lines =
                    [
                        "$ podman login quay.io -u robot", "Error: logging into \"quay.io\": invalid username/password",
                        "",
                    ]
                    + ["$ az acr login -n \(shown)"] + Self.wrap(message, width: width) + ["", "$ exit"]
                let found = Support.scan(lines: lines)
                #expect(found.count == 1, "width \(width), \(shown): \(found.map(\.type))")
                #expect(found.first?.type == .cloudShellNoDaemon, "width \(width), \(shown)")
                #expect(found.first?.registry == name, "width \(width), \(shown)")
            }
        }
    }

    /// Two sessions one after the other, both refused: two occurrences, each with its registry.
    @Test("two wrapped Cloud Shell refusals in a row count twice")
    func twoInARow() {
        for width in [60, 72, 80, 100] {
            var lines: [String] = []
            for (shown, _) in Self.registries.prefix(2) {
                lines +=
                    ["$ az acr login -n \(shown)"] + Self.wrap("ERROR: " + Self.cloudShell(shown), width: width) + [""]
            }
            let found = Support.scan(lines: lines)
            #expect(found.map(\.registry) == ["adventureworks01", "tailspinacr"], "width \(width)")
            for chunk in [1, 7, 64, 333] {
                #expect(Support.scan(lines: lines, chunk: chunk) == found, "width \(width), chunks of \(chunk)")
            }
            #expect(found.allSatisfy { $0.type == .cloudShellNoDaemon }, "width \(width)")
        }
    }

    /// Prose about Cloud Shell is no failure: a tutorial saying the command cannot run there, the
    /// CLI's tip alone after another failure's output.
    @Test("prose about Cloud Shell and the expose-token tip alone do not count")
    func lookAlikes() {
        let texts = [
            "Note: az acr login is not supported in Cloud Shell because Cloud Shell has no Docker daemon; use",
            "Your workflow requires running the Docker daemon inside the container, follow these steps:",
            "You may want to use 'az acr login -n myreg --expose-token' to get an access token, which does not",
            "require Docker to be installed.",
        ]
        for width in [50, 80] {
            let lines = texts.flatMap { Self.wrap($0, width: width) }
            #expect(Support.scan(lines: lines).isEmpty, "width \(width)")
        }
    }
}
