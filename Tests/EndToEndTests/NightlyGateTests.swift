import Foundation
import Testing

/// The nightly sweep of issue 12, scripted end to end with the built binary: scan, rotate and
/// gzip, scan again, report what is new, the gate (`--fail-on`, exit 4), acknowledgements.
@Suite struct NightlyGateTests {
    /// A dockerd 401 for `contosoprod/REPO` at 03:MM:SS on 2026-11-20.
    static func unauthorized(_ second: Int, repository: String = "web") -> String {
        let stamp = String(format: "2026-11-20T03:%02d:%02d.000000000Z", second / 60, second % 60)
        return
            "time=\"\(stamp)\" level=error msg=\"Handler for POST /v1.47/images/create returned error: Head \\\"https://contosoprod.azurecr.io/v2/\(repository)/manifests/1.4.2\\\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.\"\n"
    }

    /// A dockerd firewall refusal for `fabrikamci/tools` from `ip`.
    static func firewall(_ second: Int, ip: String = "20.81.44.19") -> String {
        let stamp = String(format: "2026-11-20T04:%02d:%02d.000000000Z", second / 60, second % 60)
        return
            "time=\"\(stamp)\" level=error msg=\"Handler for POST /v1.47/images/create returned error: Head \\\"https://fabrikamci.azurecr.io/v2/tools/manifests/0.3\\\": denied: client with IP '\(ip)' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.\"\n"
    }

    static let noise =
        "time=\"2026-11-20T03:00:00.000000000Z\" level=info msg=\"Container 1 health status changed to healthy\"\n"

    func scan(_ tool: Tool, _ extra: [String] = []) throws -> (status: Int32, summary: [String: Any], stderr: String) {
        let result = try tool.run(["scan", "logs", "--host", "web-1", "--json"] + extra)
        return (result.status, try Tool.json(result.stdout), result.stderr)
    }

    func reportTotal(_ tool: Tool, _ extra: [String]) throws -> (status: Int32, json: [String: Any]) {
        let result = try tool.run(["report", "--format", "json"] + extra)
        return (result.status, try Tool.json(result.stdout))
    }

    @Test(
        "scan, rotate and gzip, scan again: report --scan last shows only the new; the gate trips, an ack quiets it, growth or change trips it again"
    )
    func nightly() throws {
        let tool = try Tool()
        guard
            FileManager.default.isExecutableFile(atPath: "/bin/gzip")
                || FileManager.default.isExecutableFile(atPath: "/usr/bin/gzip")
        else {
            Issue.record("gzip is needed to rotate a log as logrotate does (.ci/run installs it)")
            return
        }
        // Night 1: two failures.
        try tool.write("logs/app.log", Self.noise + Self.unauthorized(1) + Self.unauthorized(2))
        let first = try scan(tool)
        #expect(first.status == 0)
        #expect(first.summary["new"] as? Int == 2)
        #expect(first.summary["scan"] as? Int == 1)

        // logrotate: app.log → app.log.1 → app.log.1.gz; a new app.log with one new failure of
        // each group.
        try FileManager.default.moveItem(atPath: tool.path("logs/app.log"), toPath: tool.path("logs/app.log.1"))
        let gzip = Process()
        gzip.executableURL = URL(
            fileURLWithPath: FileManager.default.isExecutableFile(atPath: "/bin/gzip") ? "/bin/gzip" : "/usr/bin/gzip")
        gzip.arguments = [tool.path("logs/app.log.1")]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: tool.path("logs/app.log.1.gz")))
        try tool.write("logs/app.log", Self.noise + Self.unauthorized(10) + Self.firewall(1))

        // Night 2, gated on unauthorized: the new one trips it (exit 4, the group named).
        let second = try scan(tool, ["--fail-on", "unauthorized"])
        #expect(second.status == 4)
        #expect(second.summary["new"] as? Int == 2)
        #expect(second.summary["gate_tripped"] as? Bool == true)
        #expect(second.stderr.contains("contosoprod"))
        #expect(second.stderr.contains("acrscan ack --registry contosoprod --type unauthorized"))

        // What is new since the last sweep: only night 2's two, not the rotated copy's.
        let last = try reportTotal(tool, ["--scan", "last"])
        #expect(last.status == 0)
        #expect(last.json["total"] as? Int == 2)
        let selection = try #require(last.json["selection"] as? [String: Any])
        #expect(selection["given"] as? String == "--scan last")
        #expect(selection["scans"] as? [Int] == [2])
        #expect(try reportTotal(tool, ["--scan", "1"]).json["total"] as? Int == 2)
        #expect(try reportTotal(tool, ["--scan", "1.."]).json["total"] as? Int == 4)
        #expect(try reportTotal(tool, []).json["total"] as? Int == 4)
        #expect(try reportTotal(tool, ["--stored-since", "2000-01-01"]).json["total"] as? Int == 4)
        // The export of the last scan: the same two, with the export's fields.
        let export = try tool.run(["export", "--scan", "last"])
        #expect(export.stdout.split(separator: "\n").count == 2)
        #expect(try tool.run(["timeline", "--scan", "last", "--format", "json"]).stdout.contains("\"total\":2"))
        // The report gate over the same selection, and an unwatched type does not trip it.
        #expect(try tool.run(["report", "--scan", "last", "--fail-on", "unauthorized"]).status == 4)
        #expect(try tool.run(["report", "--scan", "last", "--fail-on", "access-denied"]).status == 0)

        // Acknowledged: the gate passes while the group neither grows nor changes.
        let ack = try tool.run(["ack", "--registry", "contosoprod.azurecr.io", "--type", "unauthorized"])
        #expect(ack.status == 0)
        #expect(ack.stdout.contains("acknowledged contosoprod unauthorized: 1 occurrence in scan 2"))
        #expect(try tool.run(["ack", "--list"]).stdout.contains("contosoprod\tunauthorized\t1\t2"))
        #expect(try tool.run(["report", "--scan", "last", "--fail-on", "unauthorized"]).status == 0)
        try tool.write("logs/app.log", Self.noise + Self.unauthorized(10) + Self.firewall(1) + Self.unauthorized(20))
        let third = try scan(tool, ["--fail-on", "unauthorized"])
        #expect(third.status == 0)
        #expect(third.summary["new"] as? Int == 1)
        #expect(third.summary["gate_tripped"] as? Bool == false)

        // Grown: two in one scan, against one when acknowledged.
        let grown =
            Self.noise + Self.unauthorized(10) + Self.firewall(1) + Self.unauthorized(20) + Self.unauthorized(30)
            + Self.unauthorized(31)
        try tool.write("logs/app.log", grown)
        let fourth = try scan(tool, ["--fail-on", "unauthorized"])
        #expect(fourth.status == 4)
        #expect(fourth.stderr.contains("grew: 2 against 1"))

        // Changed: one occurrence, but of a repository the acknowledgement did not know.
        try tool.write("logs/app.log", grown + Self.unauthorized(40, repository: "billing"))
        let fifth = try scan(tool, ["--fail-on", "any"])
        #expect(fifth.status == 4)
        #expect(fifth.stderr.contains("changed: a new repository"))

        // Precedence (docs/hardening.md, "Exit status"): the gate (4) before an unreadable input (1).
        try tool.write(
            "logs/app.log",
            grown + Self.unauthorized(40, repository: "billing") + Self.unauthorized(50, repository: "billing")
                + Self.unauthorized(51, repository: "billing"))
        let both = try tool.run([
            "scan", "logs", tool.path("missing.log"), "--host", "web-1", "--fail-on", "unauthorized", "-q",
        ])
        #expect(both.status == 4)
        // Removed: the firewall group, never acknowledged, trips a gate on its type.
        #expect(try tool.run(["ack", "--remove", "--registry", "contosoprod", "--type", "unauthorized"]).status == 0)
        #expect(try tool.run(["ack", "--list"]).stdout.contains("no acknowledgements"))
        #expect(try tool.run(["report", "--fail-on", "ip-not-allowed"]).status == 4)
        // Usage errors: a selection that is not one, and both selections at once.
        #expect(try tool.run(["report", "--scan", "yesterday"]).status == 2)
        #expect(try tool.run(["report", "--scan", "last", "--stored-since", "1d"]).status == 2)
        #expect(try tool.run(["scan", "logs", "--fail-on", "nonsense"]).status == 2)
        #expect(try tool.run(["ack", "--registry", "nothingstored", "--type", "unauthorized"]).status == 2)
    }
}
