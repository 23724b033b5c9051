import Foundation
import Testing

/// Bad input gets a clear message naming the file, and the exit status of docs/hardening.md.
@Suite struct ErrorTests {
    @Test("a missing path is named on standard error; the rest is scanned; exit 1")
    func missingPath() throws {
        let tool = try Tool()
        let log = try tool.write("ok.log", "az acr login -n myacr\nunauthorized: authentication required\n")
        let result = try tool.run(["scan", tool.path("missing.log"), log])
        #expect(result.status == 1)
        #expect(result.stderr.contains("missing.log: no such file or directory"))
        #expect(result.stdout.contains("1 new occurrence"))
    }

    @Test("a --db that is not an acrscan database is refused, untouched; exit 3")
    func foreignDatabase() throws {
        let tool = try Tool()
        let text = try tool.write("notes.db", "these are my notes, not a database\n")
        let before = try Data(contentsOf: URL(fileURLWithPath: text))
        let result = try tool.run(["report", "--db", text])
        #expect(result.status == 3)
        #expect(result.stderr.contains("notes.db: not an acrscan database"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: text)) == before)
    }

    @Test("an SQLite database of another program is refused, untouched; exit 3")
    func otherSQLite() throws {
        let tool = try Tool()
        let path = tool.path("other.db")
        _ = try tool.sql(path, "create table t(x); insert into t values (1);")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try tool.run(["scan", "--db", path, "-"], stdin: "x\n")
        #expect(result.status == 3)
        #expect(result.stderr.contains("not an acrscan one"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("a database from a newer acrscan is refused; exit 3")
    func newerSchema() throws {
        let tool = try Tool()
        let path = tool.path("new.db")
        try tool.run(["scan", "--db", path, "-"], stdin: "x\n")
        _ = try tool.sql(path, "PRAGMA user_version = 99;")
        let result = try tool.run(["report", "--db", path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("newer acrscan"))
    }

    @Test("usage errors exit 2 with the reason")
    func usage() throws {
        let tool = try Tool()
        let badType = try tool.run(["report", "--type", "nonsense"])
        #expect(badType.status == 2)
        #expect(badType.stderr.contains("nonsense"))
        #expect(try tool.run(["scan"]).status == 2)
        #expect(try tool.run(["report", "--since", "yesterday-ish"]).status == 2)
    }

    @Test("standard input is scanned with -")
    func stdin() throws {
        let tool = try Tool()
        let result = try tool.run(
            ["scan", "-", "--json"],
            stdin:
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required\n"
        )
        #expect(result.status == 0)
        #expect(try Tool.json(result.stdout)["new"] as? Int == 1)
    }

    @Test("explain lists every type and explains each")
    func explain() throws {
        let tool = try Tool()
        let all = try tool.run(["explain"])
        for type in [
            "docker-command-error", "cloud-shell-no-daemon", "unauthorized", "identity-permission", "ip-not-allowed",
            "access-denied", "aad-credential", "anonymous-pull",
        ] {
            #expect(all.stdout.contains(type))
            let one = try tool.run(["explain", type])
            #expect(one.status == 0)
            #expect(one.stdout.contains("How to fix"))
        }
        #expect(try tool.run(["explain", "unauthorized"]).stdout.contains("az acr"))
    }
}
