import Foundation
import Testing

/// Secrets never leave the log (docs/hardening.md, "Secrets"): planted on failure lines and next to them, they are
/// found nowhere afterwards: not in the database file's bytes, not in any output, not on standard error.
@Suite struct SecretTests {
    /// Each form of docs/hardening.md, with a value that appears nowhere else.
    static let forms: [(line: String, secret: String)] = [
        ("+ docker login myacr.azurecr.io -u ci -p Pw0rd-dockerlogin", "Pw0rd-dockerlogin"),
        ("docker login --username ci --password Pw0rd-longflag myacr.azurecr.io", "Pw0rd-longflag"),
        ("echo Pw0rd-stdin | docker login --password-stdin -u ci myacr.azurecr.io", "Pw0rd-stdin"),
        (
            "az login --service-principal -u 0a1b2c3d-0000-4000-8000-000000000001 -p Pw0rd-azlogin --tenant t",
            "Pw0rd-azlogin"
        ),
        (
            "az login --service-principal --username app --client-secret Pw0rd-clientsecret --tenant t",
            "Pw0rd-clientsecret"
        ),
        ("curl -H 'Authorization: Bearer Pw0rd-bearer' https://myacr.azurecr.io/v2/", "Pw0rd-bearer"),
        ("curl -H 'Authorization: Basic UHcwcmQtYmFzaWM=' https://myacr.azurecr.io/v2/", "UHcwcmQtYmFzaWM="),
        ("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJQdzByZC1qd3QifQ.UHcwcmQtand0c2ln", "UHcwcmQtand0c2ln"),
        ("{\"refresh_token\":\"Pw0rd-refresh\",\"scope\":\"repository:app:pull\"}", "Pw0rd-refresh"),
        ("{\"access_token\":\"Pw0rd-access\",\"expires_in\":3600}", "Pw0rd-access"),
        ("connect user=ci password=Pw0rd-keyvalue host=db", "Pw0rd-keyvalue"),
        ("webhook secret=Pw0rd-secretkey;", "Pw0rd-secretkey"),
        (
            "DefaultEndpointsProtocol=https;AccountName=logs;AccountKey=UHcwcmQtYWNjb3VudGtleQ==;EndpointSuffix=core.windows.net",
            "UHcwcmQtYWNjb3VudGtleQ=="
        ),
        ("https://logs.blob.core.windows.net/c?sv=2022-11-02&sig=Pw0rd-sas%3D&se=2026-12-01", "Pw0rd-sas"),
        // Issue 14: by structure, whatever the value holds.
        ("docker login -u ci -p -Pw0rd-dashfirst myacr.azurecr.io", "Pw0rd-dashfirst"),
        ("docker login -u ci -p 'Pw0rd-one;Pw0rd-aftersemi,x&y\\z' myacr.azurecr.io", "Pw0rd-aftersemi"),
        ("docker login -u ci -p \"Pw0rd-dq\\\"Pw0rd-afterquote\" myacr.azurecr.io", "Pw0rd-afterquote"),
        ("docker login -u ci -pPw0rd-glued myacr.azurecr.io", "Pw0rd-glued"),
        ("az acr login --docker-password Pw0rd-dockerpw -n myacr", "Pw0rd-dockerpw"),
        ("+ REGISTRY_PASS=Pw0rd-regpass AZURE_DEVOPS_EXT_PAT=Pw0rd-devopspat az acr login -n myacr", "Pw0rd-devopspat"),
        (
            "{\"passwords\": [{\"name\": \"password\", \"value\": \"Pw0rd-azcred\"}], \"username\": \"myacr\"}",
            "Pw0rd-azcred"
        ),
        ("{\"log\":\"{\\\"password\\\":\\\"Pw0rd-injson\\\\\\\"Pw0rd-afterescape\\\"}\\n\"}", "Pw0rd-afterescape"),
    ]

    /// The log: each form on a line of its own before a failure (a neighbour), then on the failure line.
    static var log: String {
        forms.enumerated().map { i, form in
            let time = "2026-11-20T03:\(10 + i):15Z "
            return time + form.line + "\n" + time + form.line + " ; " + Tool.failure() + "\n" + time + "step done\n"
        }.joined()
    }

    @Test("no secret reaches the database file, any output or standard error")
    func secretsStayInTheLog() throws {
        let tool = try Tool()
        let path = try tool.write("ci.log", Self.log)
        let scan = try tool.run(["scan", "--json", path])
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(try Tool.json(scan.stdout)["new"] as? Int == Self.forms.count)
        var seen = [("scan", scan.stdout + scan.stderr)]

        let db = tool.path("acrscan.db")
        for file in [db, db + "-wal", db + "-shm", db + "-journal"] {
            seen.append((file, String(decoding: tool.bytes(file), as: UTF8.self)))
        }
        // Every output the tool has: formats of other branches are checked once they are merged.
        let commands: [[String]] =
            [["report"], ["timeline"]]
            + ["table", "json", "csv", "markdown", "html"].map { ["report", "--format", $0] }
            + ["table", "json", "markdown"].map { ["timeline", "--format", $0] }
            + ["ndjson", "csv"].map { ["export", "--format", $0] }
        var checked = 0
        for command in commands {
            let result = try tool.run(command)
            if result.status == 2 { continue }  // not on this branch yet
            #expect(result.status == 0, "\(command): \(result.stderr)")
            seen.append((command.joined(separator: " "), result.stdout + result.stderr))
            checked += 1
        }
        #expect(checked >= 1)
        for (place, text) in seen {
            for form in Self.forms {
                #expect(!text.contains(form.secret), "\(form.secret) in \(place)")
            }
        }
        // The excerpts are there, redacted: the test looked at real rows.
        let excerpts = try tool.sql(db, "select count(*) from occurrences where excerpt like '%***%'")
        #expect(excerpts == "\(Self.forms.count)\n")
    }

    /// Lines that become unknown-shape candidates (ACR evidence, failure words, no rule), each with
    /// a secret form on it.
    static var candidateLog: String {
        forms.enumerated().map { i, form in
            "2026-11-20T04:\(10 + i):15Z warning: mirror of myacr.azurecr.io out of sync, error \(i) while refreshing; "
                + form.line + "\n"
        }.joined()
    }

    @Test(
        "no secret reaches an unknown-shape template or example: not the tables, not the database file, not 'acrscan unknowns'"
    )
    func secretsStayOutOfUnknowns() throws {
        let tool = try Tool()
        let path = try tool.write("mirror.log", Self.candidateLog)
        let scan = try tool.run(["scan", "--json", path])
        #expect(scan.status == 0, "\(scan.stderr)")
        let db = tool.path("acrscan.db")
        var seen = [("scan", scan.stdout + scan.stderr)]
        for file in [db, db + "-wal", db + "-shm"] {
            seen.append((file, String(decoding: tool.bytes(file), as: UTF8.self)))
        }
        for format in ["table", "json", "markdown"] {
            let result = try tool.run(["unknowns", "--format", format])
            #expect(result.status == 0, "\(result.stderr)")
            seen.append(("unknowns --format \(format)", result.stdout + result.stderr))
        }
        for format in ["table", "json", "csv", "markdown", "html"] {
            let result = try tool.run(["report", "--format", format])
            seen.append(("report --format \(format)", result.stdout + result.stderr))
        }
        let tables = try tool.sql(
            db,
            """
            select template from unknown_templates; select source || ' ' || excerpt from unknown_examples;
            """)
        seen.append(("unknown tables", tables))
        for (place, text) in seen {
            for form in Self.forms {
                #expect(!text.contains(form.secret), "\(form.secret) in \(place)")
            }
        }
        // The tables held real candidates, redacted.
        let examples = try tool.sql(db, "select count(*), sum(excerpt like '%***%') from unknown_examples")
        let counts = examples.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").compactMap {
            Int($0)
        }
        #expect(counts.first ?? 0 >= 3, "\(examples)")
        #expect(counts.last ?? 0 >= 3, "\(examples)")
        let json = try Tool.json(try tool.run(["report", "--format", "json"]).stdout)
        #expect((json["unknown_candidates"] as? [String: Any])?["candidates"] as? Int ?? 0 >= 3)
    }

    @Test("a flag at the end of what one sweep reads, its value at the start of what the next reads: never stored")
    func flagAndValueSplitBySweeps() throws {
        let tool = try Tool()
        // Each flag with the line end of its log (CRLF too).
        let flags: [(String, String)] = [
            ("docker login myacr.azurecr.io -u ci -p", "\n"), ("docker login --username ci --password", "\n"),
            ("az acr login -n myacr --docker-password", "\n"),
            ("az login --service-principal -u app --client-secret", "\n"),
            ("REGISTRY_PASS=", "\n"), ("+ docker login -u ci -p", "\r\n"),
        ]
        var secrets: [String] = []
        for (i, (flag, newline)) in flags.enumerated() {
            let secret = "Pw0rd-nextsweep\(i)"
            secrets.append(secret)
            let path = try tool.write(
                "ci-\(i).log", "2026-11-20T03:14:15Z step ok\(newline)2026-11-20T03:14:15Z \(flag)\(newline)")
            let first = try tool.run(["scan", path])
            #expect(first.status == 0, "\(first.stderr)")
            // A sweep with nothing new in between changes nothing.
            let idle = try tool.run(["scan", path])
            #expect(idle.status == 0, "\(idle.stderr)")
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.seekToEnd()
            try handle.write(
                contentsOf: Data("\(secret) \(Tool.failure())\(newline)2026-11-20T03:14:16Z step ok\(newline)".utf8))
            try handle.close()
            let second = try tool.run(["scan", "--json", path])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(try Tool.json(second.stdout)["new"] as? Int == 1, "\(flag)")
        }
        let db = tool.path("acrscan.db")
        var seen: [(String, String)] = []
        for file in [db, db + "-wal"] { seen.append((file, String(decoding: tool.bytes(file), as: UTF8.self))) }
        for command in [["export", "--format", "ndjson"], ["report", "--format", "json"]] {
            let result = try tool.run(command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            seen.append((command.joined(separator: " "), result.stdout))
        }
        for (place, text) in seen {
            for secret in secrets { #expect(!text.contains(secret), "\(secret) in \(place)") }
        }
        #expect(seen[2].1.contains("***"), "the excerpts are there, redacted")
    }
}
