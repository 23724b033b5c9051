import Foundation
import LogModel
import Testing

@testable import LogScanner

/// The classes that the second synthetic-fleet check (scripts/fleet-oracle2.py; docs/accuracy.md,
/// "Second synthetic fleet") showed the scanner getting wrong, each written from its general shape
/// (several registries, clouds, masks and wrappers) with its look-alikes.
@Suite struct Fleet2ClassTests {
    static let wrappers = ShapeClassTests.wrappers
    static let registries: [(name: String?, shown: String)] = [
        ("teamreg42", "teamreg42"), ("teamreg42", "TeamReg42"), (nil, "***"), (nil, "<redacted>"),
    ]

    // MARK: A one-line az failure printed again is a retry

    /// The Azure CLI's one-line failures, for the registry `name` (as the command shows it).
    static func azOneLiners(_ name: String) -> [(String, ErrorType)] {
        [
            ("Please run 'az login' to setup account.", .aadCredential),
            ("ERROR: Please run 'az login' to setup account.", .aadCredential),
            (
                "ERROR: This command requires running the docker daemon, which is not supported in Azure Cloud Shell. You may want to use 'az acr login -n \(name) --expose-token' to get an access token, which does not require Docker to be installed.",
                .cloudShellNoDaemon
            ),
            (
                "This command requires running the docker daemon, which is not supported in Azure Cloud Shell. You may want to use 'az acr login -n \(name) --expose-token' to get an access token, which does not require Docker to be installed.",
                .cloudShellNoDaemon
            ),
        ]
    }

    /// A shell loop around `az acr login` prints the CLI's one-line error once per attempt: each
    /// line counts (SPEC §3: a retry that prints a new error counts again, even within the same
    /// second), where the lines were read as one failure's continuation.
    @Test("an az one-line failure printed again by a retry loop counts each time")
    func azRetryLoop() {
        for (name, shown) in Self.registries {
            for (line, type) in Self.azOneLiners(shown) {
                for wrapper in Self.wrappers {
                    for times in [2, 3] {
                        let lines =
                            [wrapper.wrap("+ az acr login -n \(shown)")]
                            + Array(repeating: wrapper.wrap(line), count: times)
                        let found = Support.scan(lines: lines)
                        #expect(found.count == times, "\(wrapper.name) x\(times): \(line)")
                        #expect(found.allSatisfy { $0.type == type && $0.registry == name }, "\(wrapper.name): \(line)")
                        #expect(found.map(\.line) == Array(2...(times + 1)), "\(wrapper.name): \(line)")
                    }
                }
            }
        }
    }

    /// What still joins: a multi-line failure whose lines differ (the az cascade, the check-health
    /// block, docker's error and its JSON body) stays one failure, and an annotation that echoes
    /// the CLI's line stays an echo.
    @Test("multi-line az failures and annotations are still one failure")
    func azBlocksStillJoin() {
        let cascade = [
            "az acr login -n teamreg42",
            "Unable to get AAD authorization tokens with message: An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR",
            "Access to registry 'teamreg42.azurecr.io' was denied. Response code: 401. Please try running 'az login' again to refresh permissions.",
            "Unable to get admin user credentials with message: Admin user is disabled.",
            "Unable to authenticate using AAD or admin login credentials. Please specify both username and password in non-interactive mode.",
        ]
        let dockerCommand = [
            "az acr login --name teamreg42",
            "An error occurred: DOCKER_COMMAND_ERROR",
            "Please verify if Docker client is installed and running.",
        ]
        for wrapper in Self.wrappers {
            let found = Support.scan(lines: cascade.map(wrapper.wrap))
            #expect(found.map(\.type) == [.identityPermission], "\(wrapper.name)")
            let docker = Support.scan(lines: dockerCommand.map(wrapper.wrap))
            #expect(docker.map(\.type) == [.dockerCommandError], "\(wrapper.name)")
        }
        for runner in FleetClassTests.runners {
            let t = runner.stamp(0)
            let lines = [
                t + "az acr login -n teamreg42", t + "ERROR: Please run 'az login' to setup account.",
                t + "##[error]ERROR: Please run 'az login' to setup account.",
            ]
            #expect(Support.scan(lines: lines).count == 1, "\(runner.name)")
        }
    }

    // MARK: logrus's short form: two loggers in the same second since start

    /// dockerd's two loggers in logrus's short text form (`INFO[0124]`, seconds since start: no time
    /// of its own): `Error logging in to endpoint, trying next endpoint` then `Handler for POST
    /// /v1.43/auth returned error` report one login failure, as they do with full times.
    @Test("dockerd's endpoint line and its handler error in the short form are one failure")
    func shortFormSecondLogger() {
        let bodies: [(String, ErrorType)] = [
            ("unauthorized: authentication required", .unauthorized),
            ("unauthorized: Invalid clientid or client secret.", .aadCredential),
            (
                "unauthorized: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID",
                .aadCredential
            ),
        ]
        for host in ["teamreg42.azurecr.io", "TEAMREG42.azurecr.cn", "teamreg42.azurecr.us:443"] {
            for (body, type) in bodies {
                let err = "Get \"https://\(host)/v2/\": \(body)"
                let quoted = err.replacingOccurrences(of: "\"", with: "\\\"")
                for (a, b) in [(124, 124), (124, 125), (7, 8), (0, 0)] {
                    let lines = [
                        "INFO[\(String(format: "%04d", a))] Error logging in to endpoint, trying next endpoint error=\"\(quoted)\"",
                        "ERRO[\(String(format: "%04d", b))] Handler for POST /v1.43/auth returned error: \(err)",
                    ]
                    let found = Support.scan(lines: lines)
                    #expect(found.map(\.type) == [type], "\(a) \(b): \(body)")
                    #expect(found.first?.registry == "teamreg42", "\(host)")
                }
                // Seconds apart: two attempts.
                let apart = [
                    "ERRO[0124] Handler for POST /v1.43/auth returned error: \(err)",
                    "INFO[0131] Error logging in to endpoint, trying next endpoint error=\"\(quoted)\"",
                    "ERRO[0131] Handler for POST /v1.43/auth returned error: \(err)",
                ]
                #expect(Support.scan(lines: apart).count == 2, "\(body)")
                // The identical line again, even in the same second: a retry.
                let again = [
                    "ERRO[0124] Handler for POST /v1.43/auth returned error: \(err)",
                    "ERRO[0124] Handler for POST /v1.43/auth returned error: \(err)",
                ]
                #expect(Support.scan(lines: again).count == 2, "\(body)")
            }
        }
    }

    /// Only four capitals and the bracketed seconds at the line's start are the short form.
    @Test("the short form's seconds are read only where the short form stands")
    func uptimeParse() {
        func uptime(_ s: String) -> Int? {
            Array(s.utf8).withUnsafeBytes { Fields.logrusUptime($0) }
        }
        #expect(uptime("ERRO[0124] x") == 124)
        #expect(uptime("INFO[0000] x") == 0)
        #expect(uptime("FATA[123456] x") == 123456)
        #expect(uptime("ERRO[2026-11-20T04:03:27.55Z] x") == nil)
        #expect(uptime("Erro[0124] x") == nil)
        #expect(uptime("ERRO[] x") == nil)
        #expect(uptime("ERRO[0124") == nil)
        #expect(uptime("  ERRO[0124] x") == nil)
    }
    // MARK: curl to another service

    /// `curl` to a service that is not a registry: the 401 it prints is that application's own,
    /// not the registry's that an earlier command named (SPEC §3); curl to ACR itself still counts.
    @Test("a 401 that curl prints after calling another service is not the registry's")
    func curlElsewhere() {
        let failure = "curl: (22) The requested URL returned error: 401 Unauthorized"
        let commands = [
            "+ curl -s -o /dev/null -w '%{http_code}' https://orders.internal.contoso.com/api/v2/orders",
            "$ curl -fsS -H \"Authorization: Bearer $TOKEN\" http://billing.svc.cluster.local:8080/v2/invoices",
            "[command]/usr/bin/curl --fail https://api.example.com/v1/deploy",
            "##[group]Run curl -f https://hooks.example.org/notify",
            "\u{1B}[32;1m$ curl -sf https://status.example.net/api/health\u{1B}[0;m",
        ]
        for (name, shown) in Self.registries {
            for command in commands {
                for wrapper in Self.wrappers {
                    let before = [
                        wrapper.wrap("+ docker login \(shown).azurecr.io -u ci --password-stdin"),
                        wrapper.wrap("Login Succeeded"),
                    ]
                    let lines = before + [wrapper.wrap(command), wrapper.wrap(failure)]
                    #expect(Support.scan(lines: lines).isEmpty, "\(wrapper.name): \(command)")
                }
            }
            // curl to the registry itself: ACR's 401, named by the command.
            for wrapper in Self.wrappers {
                let own = [
                    wrapper.wrap("+ curl -f -u ci:*** https://\(shown).azurecr.io/v2/_catalog"), wrapper.wrap(failure),
                ]
                let found = Support.scan(lines: own)
                #expect(found.map(\.type) == [.unauthorized], "\(wrapper.name): \(shown)")
                #expect(found.first?.registry == name, "\(wrapper.name): \(shown)")
            }
        }
        // A word that ends in curl, curl without a URL, or a curl that is not run where it stands (a
        // runner's echo of the script before its output, a pasted command) changes nothing.
        let notRun = [
            "+ ./run-precurl https://example.com", "+ curl --version",
            "\u{1B}[36;1mcurl -fsSL https://example.com/install.sh -o install.sh\u{1B}[0m",
            "curl -v -H \"Authorization: Bearer $TOKEN\" \"https://$registry/v2/app/tags/list\"",
        ]
        for command in notRun {
            let lines = ["+ az acr login -n teamreg42", command, "unauthorized: authentication required"]
            #expect(Support.scan(lines: lines).map(\.registry) == ["teamreg42"], "\(command)")
        }
        // A GitHub Actions step whose script runs az acr login and a download: the script is echoed
        // before any output, so the CLI's failure after it is still the registry's.
        for runner in FleetClassTests.runners {
            let t = runner.stamp(0)
            let step = [
                t + "##[group]Run az acr login -n teamreg42", t + "\u{1B}[36;1maz acr login -n teamreg42\u{1B}[0m",
                t + "\u{1B}[36;1mcurl -fsSL https://example.com/x.sh -o x.sh\u{1B}[0m",
                t + "shell: /usr/bin/bash -e {0}", t + "##[endgroup]",
                t + "ERROR: Please run 'az login' to setup account.",
            ]
            let found = Support.scan(lines: step)
            #expect(found.map(\.type) == [.aadCredential], "\(runner.name)")
            #expect(found.first?.registry == "teamreg42", "\(runner.name)")
        }
    }
}
