import Foundation
import LogModel
import LogReport
import LogScanner
import Testing

/// Each group's fix commands, filled in from what its logs named: per type, filled where the
/// evidence has a value of the right shape, placeholders elsewhere, and never a hostile value.
struct GroupFixTests {
    static let guid1 = "3f0c9d2e-6a51-4b87-9e2d-0c7a1b5f6e00"
    static let guid2 = "7d2e1b90-4c3a-4f8e-b5d6-19a0c2e3f471"
    static let scope = "$(az acr show --name 'contosoprod' --query id --output tsv)"

    func fix(
        _ type: ErrorType, registries: [String] = ["contosoprod"], ips: [String] = [], ids: [String] = [],
        repos: [String] = [], codes: [String] = [], distinct: Int? = nil
    ) -> GroupFix {
        GroupFix(
            type: type, registries: EvidenceValues(registries), clientIPs: EvidenceValues(ips, distinct: distinct),
            identities: EvidenceValues(ids, distinct: distinct),
            repositories: EvidenceValues(repos, distinct: distinct),
            codes: EvidenceValues(codes))
    }

    // MARK: Per type

    @Test func ipNotAllowedAllowsEachRefusedAddress() {
        let filled = fix(.ipNotAllowed, ips: ["203.0.113.7", "2001:db8::1"], codes: ["CONNECTIVITY_FORBIDDEN_ERROR"])
        #expect(
            filled.commands == [
                "az acr network-rule add --name 'contosoprod' --ip-address '203.0.113.7'",
                "az acr network-rule add --name 'contosoprod' --ip-address '2001:db8::1'",
                "az acr show --name 'contosoprod' --query networkRuleSet",
            ])
        #expect(filled.doc == GroupFix.firewallArticle)
        #expect(filled.notes == ["CONNECTIVITY_FORBIDDEN_ERROR: the registry's firewall refused the client."])

        let unknown = fix(.ipNotAllowed, registries: [])
        #expect(unknown.commands.first == "az acr network-rule add --name <registry> --ip-address <client-ip>")
    }

    @Test func identityPermissionGrantsAcrPullToEachIdentity() {
        let filled = fix(.identityPermission, ids: [Self.guid1, Self.guid2])
        #expect(
            filled.commands == [
                "az role assignment create --assignee '\(Self.guid1)' --role AcrPull --scope \(Self.scope)",
                "az role assignment create --assignee '\(Self.guid2)' --role AcrPull --scope \(Self.scope)",
                "az acr login --name 'contosoprod'",
            ])
        #expect(
            fix(.identityPermission).commands.first
                == "az role assignment create --assignee <identity> --role AcrPull --scope \(Self.scope)")
    }

    @Test func accessDeniedGrantsAcrPushAndChecksTheRepositories() {
        let filled = fix(.accessDenied, ids: [Self.guid1], repos: ["team/app", "base"])
        #expect(
            filled.commands == [
                "az role assignment create --assignee '\(Self.guid1)' --role AcrPush --scope \(Self.scope)",
                "az acr repository show-tags --name 'contosoprod' --repository 'team/app'",
                "az acr repository show-tags --name 'contosoprod' --repository 'base'",
            ])
        #expect(filled.steps.map(\.commands.count) == [1, 2])
        #expect(
            fix(.accessDenied).commands.last
                == "az acr repository show-tags --name 'contosoprod' --repository <repository>")
    }

    @Test func aadCredentialFollowsTheCode() {
        let secret = fix(.aadCredential, ids: [Self.guid1], codes: ["AADSTS7000222"])
        #expect(secret.commands == ["az ad sp credential reset --id '\(Self.guid1)' --append"])
        #expect(secret.notes == ["AADSTS7000222: the client secret has expired."])

        let missing = fix(.aadCredential, ids: [Self.guid1], codes: ["AADSTS700016"])
        #expect(missing.commands == ["az ad sp show --id '\(Self.guid1)'"])
        #expect(missing.notes.first?.hasPrefix("AADSTS700016: no application with this id") == true)

        let both = fix(.aadCredential, ids: [Self.guid1], codes: ["AADSTS7000215", "AADSTS700016"])
        #expect(
            both.commands == [
                "az ad sp credential reset --id '\(Self.guid1)' --append", "az ad sp show --id '\(Self.guid1)'",
            ])

        // No code, no app id: the most common fix, with the placeholder.
        #expect(fix(.aadCredential).commands == ["az ad sp credential reset --id <app-id> --append"])

        let other = fix(.aadCredential, codes: ["AADSTS50126"])
        #expect(other.notes == ["AADSTS50126: see https://login.microsoftonline.com/error?code=50126."])
    }

    @Test func unauthorizedLogsInAndRotates() {
        let filled = fix(.unauthorized, ids: [Self.guid1], repos: ["web"])
        #expect(
            filled.commands == [
                "az acr login --name 'contosoprod'",
                "az acr credential renew --name 'contosoprod' --password-name password",
                "az acr token credential generate --name <token> --registry 'contosoprod' --password1",
                "az ad sp credential reset --id '\(Self.guid1)' --append",
                "az acr repository show-tags --name 'contosoprod' --repository 'web'",
            ])
        #expect(fix(.unauthorized, registries: []).commands.first == "az acr login --name <registry>")
    }

    @Test func anonymousPullAttachesTheRegistry() {
        let filled = fix(.anonymousPull, repos: ["web"])
        #expect(
            filled.commands == [
                "az aks update --name <cluster> --resource-group <resource-group> --attach-acr 'contosoprod'",
                "kubectl create secret docker-registry <secret> --namespace <namespace> --docker-server='contosoprod.azurecr.io'"
                    + " --docker-username=<app-id> --docker-password=<password>",
                "az acr repository show-tags --name 'contosoprod' --repository 'web'",
            ])
    }

    @Test func dockerAndCloudShellGetATokenWithoutDocker() {
        #expect(
            fix(.dockerCommandError).commands == [
                "sudo systemctl start docker", "az acr login --name 'contosoprod' --expose-token",
            ])
        #expect(fix(.cloudShellNoDaemon).commands == ["az acr login --name 'contosoprod' --expose-token"])
        #expect(fix(.cloudShellNoDaemon, registries: []).commands == ["az acr login --name <registry> --expose-token"])
    }

    @Test func severalRegistriesLeaveThePlaceholderAndSaySo() {
        let several = fix(.unauthorized, registries: ["contosoprod", "fabrikamci"])
        #expect(several.commands.first == "az acr login --name <registry>")
        #expect(several.notes.contains { $0.contains("2 registries") })
    }

    @Test func atMostFiveValuesAndTheRestCounted() {
        let ips = (1...7).map { "203.0.113.\($0)" }
        let many = fix(.ipNotAllowed, ips: ips, distinct: 9)
        #expect(many.commands.count == 5 + 1)
        #expect(many.evidence.first { $0.kind == "client_ip" }?.values == Array(ips.prefix(5)))
        #expect(many.evidence.first { $0.kind == "client_ip" }?.more == 4)
        #expect(
            many.notes.contains(
                "4 more client IPs not shown; 'acrscan report --by registry,type,client_ip' lists them all."))
    }

    // MARK: Hostile values

    @Test func hostileValuesNeverReachACommand() {
        for type in ErrorType.allCases {
            let hostile = fix(
                type, registries: ["evil$(reboot)"], ips: Hostile.shellValues, ids: Hostile.shellValues,
                repos: Hostile.shellValues, codes: Hostile.shellValues)
            for command in hostile.commands {
                for value in Hostile.shellValues {
                    #expect(!command.contains(value), "\(type): \(command)")
                }
                #expect(
                    !command.contains("reboot") && !command.contains("evil") && !command.contains("`"),
                    "\(type): \(command)")
            }
            #expect(hostile.commands.allSatisfy { !$0.contains("'contosoprod'") && !$0.contains("evil") })
            // Placeholders stand where the values were.
            if type == .ipNotAllowed {
                #expect(hostile.commands.first == "az acr network-rule add --name <registry> --ip-address <client-ip>")
            }
            if type == .identityPermission {
                #expect(hostile.commands.first?.hasPrefix("az role assignment create --assignee <identity> ") == true)
            }
            if [.ipNotAllowed, .identityPermission, .accessDenied, .aadCredential, .unauthorized].contains(type) {
                #expect(hostile.notes.contains { $0.contains("not in the expected form") }, "\(type)")
            }
            // Codes of the wrong shape are not explained either.
            #expect(
                hostile.notes.allSatisfy { !$0.contains("$(") && !$0.contains("reboot") }, "\(type): \(hostile.notes)")
        }
    }

    @Test func aValueOfTheRightShapeAmongHostileOnesIsFilled() {
        let mixed = fix(.identityPermission, ids: ["$(reboot)", Self.guid1, "'; rm -rf ~; '"])
        #expect(
            mixed.commands.first
                == "az role assignment create --assignee '\(Self.guid1)' --role AcrPull --scope \(Self.scope)")
        #expect(
            mixed.notes.contains(
                "2 of the identities named in the logs are not in the expected form and were left out of the commands.")
        )
    }

    @Test func everyFormatKeepsHostileEvidenceOutOfTheCommands() throws {
        let report = Hostile.evidenceReport
        let table = report.renderTable()
        let commandLines = table.split(separator: "\n").filter { $0.hasPrefix("  $ ") }
        #expect(commandLines.count >= 5)
        for line in commandLines {
            #expect(
                !line.contains("reboot") && !line.contains("evil") && !line.contains("`") && !line.contains("script"),
                "\(line)")
        }
        #expect(commandLines.contains("  $ az acr network-rule add --name <registry> --ip-address <client-ip>"))

        let object = try #require(Support.jsonObject(report.renderJSON()))
        let groups = try #require(object["groups"] as? [[String: Any]])
        var reported: [String] = []
        for group in groups {
            let remediation = try #require(group["remediation"] as? [String: Any])
            let commands = try #require(remediation["commands"] as? [String])
            #expect(commands.allSatisfy { !$0.contains("reboot") && !$0.contains("evil") && !$0.contains("`") })
            let evidence = try #require(remediation["evidence"] as? [String: [String: Any]])
            reported += evidence.values.flatMap { $0["values"] as? [String] ?? [] }
        }
        // The evidence itself is reported as stored, like every string from logs in JSON.
        #expect(reported.contains(Hostile.shellValues[0]))

        let records = try #require(Support.csvRecords(report.renderCSV()))
        let fixColumn = try #require(records.first?.firstIndex(of: "fix"))
        for record in records.dropFirst() {
            #expect(!record[fixColumn].contains("reboot") && !record[fixColumn].contains("evil"))
        }

        let markdown = report.renderMarkdown()
        let blocks = markdown.components(separatedBy: "```sh\n").dropFirst().map {
            $0.components(separatedBy: "\n```")[0]
        }
        #expect(blocks.count == report.groups.count)
        for line in blocks.joined(separator: "\n").split(separator: "\n") where !line.hasPrefix("# ") {
            #expect(!line.contains("reboot") && !line.contains("evil") && !line.contains("`"), "\(line)")
        }

        let html = report.renderHTML()
        #expect(Support.xmlError(html) == nil)
        #expect(
            html.contains("<code>az acr network-rule add --name &lt;registry&gt; --ip-address &lt;client-ip&gt;</code>")
        )
    }

    // MARK: Quoting and shapes

    /// What /bin/sh makes of `word`: the arguments it passes to printf, one per line.
    func shellArguments(_ word: String) throws -> [String] {
        let shell = URL(fileURLWithPath: "/bin/sh")
        try #require(FileManager.default.isExecutableFile(atPath: shell.path), "/bin/sh is needed to check the quoting")
        let process = Process()
        process.executableURL = shell
        process.arguments = ["-c", "printf '[%s]' " + word]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let out = String(decoding: data, as: UTF8.self)
        return out.dropFirst().dropLast().components(separatedBy: "][")
    }

    @Test func quotingKeepsAnyValueOneInertArgument() throws {
        let values =
            Hostile.shellValues + ["plain", "it's", "''", "\\", "$HOME", "a\"b", "*", "~", "#x", "!!", "line1\nline2"]
        for value in values {
            #expect(try shellArguments(Shell.quote(value)) == [value], "\(value)")
        }
        #expect(Shell.quote("it's") == #"'it'\''s'"#)
    }

    @Test func shapes() {
        let registry = Shell.Shape.registry
        #expect(["contosoprod", "MyACR", "abcde", String(repeating: "a", count: 50)].allSatisfy(registry.matches))
        #expect(
            !["abcd", String(repeating: "a", count: 51), "my-acr", "my acr", "acr$(x)", "évian", ""].contains(
                where: registry.matches))

        let ip = Shell.Shape.ipAddress
        #expect(
            [
                "203.0.113.7", "0.0.0.0", "255.255.255.255", "2001:db8::1", "::1", "::", "fe80::a:b:c:d",
                "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "2001:DB8:0:0:8:800:200C:417A",
            ].allSatisfy(ip.matches))
        #expect(
            ![
                "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4/24", "1::2::3", "1:2:3:4:5:6:7:8:9", ":::",
                "12345::", "fe80::1%eth0", "dead", "203.0.113.7; reboot", " 1.2.3.4", "", "::ffff:1.2.3",
            ].contains(where: ip.matches))

        let guid = Shell.Shape.guid
        #expect(guid.matches(Self.guid1) && guid.matches(Self.guid1.uppercased()))
        #expect(
            ![
                String(Self.guid1.dropLast()), Self.guid1 + "0", "3f0c9d2e-6a51-4b87-9e2d_0c7a1b5f6e00",
                "zf0c9d2e-6a51-4b87-9e2d-0c7a1b5f6e00",
            ].contains(where: guid.matches))

        let repository = Shell.Shape.repository
        #expect(["web", "team/app", "a.b_c-d/e9", "library/nginx"].allSatisfy(repository.matches))
        #expect(
            ![
                "-rf", "Team/app", "a//b", "a/", "/a", "../x", "a b", "a;b", "web`id`", "$(x)", "", "a/-b",
                String(repeating: "a", count: 256),
            ].contains(where: repository.matches))

        let code = Shell.Shape.code
        #expect(["AADSTS7000215", "CONNECTIVITY_FORBIDDEN_ERROR"].allSatisfy(code.matches))
        #expect(!["AADSTS", "AADSTS12x", "aadsts700016", "DOCKER ERROR", "X$(y)"].contains(where: code.matches))
    }

    // MARK: The report's groups

    @Test func eachGroupGetsItsOwnEvidence() {
        let report = Report(
            keys: [.registry, .type, .clientIP], bucket: .day,
            groups: [
                GroupCount(registry: "contosoprod", type: .ipNotAllowed, clientIP: "203.0.113.7", count: 2),
                GroupCount(registry: nil, type: .ipNotAllowed, clientIP: nil, count: 1),
                GroupCount(registry: "fabrikamci", type: .ipNotAllowed, clientIP: "198.51.100.1", count: 1),
            ],
            trend: [],
            evidence: [
                GroupEvidence(
                    registry: "contosoprod", type: .ipNotAllowed, clientIP: "203.0.113.7",
                    codes: EvidenceValues(["CONNECTIVITY_FORBIDDEN_ERROR"]))
            ])
        let fixes = report.groups.map { report.fix(for: $0)?.commands.first }
        #expect(
            fixes == [
                "az acr network-rule add --name 'contosoprod' --ip-address '203.0.113.7'",
                "az acr network-rule add --name 'fabrikamci' --ip-address '198.51.100.1'",
                "az acr network-rule add --name <registry> --ip-address <client-ip>",
            ])
        #expect(
            report.fix(for: report.groups[0])?.notes == [
                "CONNECTIVITY_FORBIDDEN_ERROR: the registry's firewall refused the client."
            ])

        // Not grouped by type: no per-group fix, and the table keeps a fix line per type.
        let byRegistry = Report(
            keys: [.registry], bucket: .day, groups: [GroupCount(registry: "contosoprod", count: 3)],
            trend: [TrendCount(bucket: 0, registry: "contosoprod", type: .unauthorized, count: 3)])
        #expect(byRegistry.fix(for: byRegistry.groups[0]) == nil)
        #expect(
            byRegistry.renderTable().contains(
                "fix: unauthorized  Credentials rejected (HTTP 401); run: acrscan explain unauthorized"))
    }

    @Test func theTableShowsEvidenceNotesAndCommands() {
        let report = Report(
            keys: [.registry, .type], bucket: .day,
            groups: [GroupCount(registry: "contosoprod", type: .aadCredential, count: 2)], trend: [],
            evidence: [
                GroupEvidence(
                    registry: "contosoprod", type: .aadCredential,
                    identities: EvidenceValues([Self.guid1]), codes: EvidenceValues(["AADSTS7000215"]))
            ])
        let table = report.renderTable()
        let fix = table.components(separatedBy: "\n\nfix: ").dropFirst().joined()
        #expect(
            fix == """
                aad-credential on contosoprod: Service principal or managed identity sign-in failed
                  seen: identities \(Self.guid1); codes AADSTS7000215
                  AADSTS7000215: wrong client secret; often the secret's ID was stored instead of its value.
                  $ az ad sp credential reset --id '\(Self.guid1)' --append
                  more: acrscan explain aad-credential, https://learn.microsoft.com/entra/identity-platform/reference-error-codes

                """)
    }
}
