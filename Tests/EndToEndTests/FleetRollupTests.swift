import Foundation
import Testing

/// A PostgreSQL server for the fleet tests, named by the environment that `.ci/run` sets up when it
/// starts one (`.ci/postgres.sh`): `ACRSCAN_TEST_PGHOST` (a socket directory), `ACRSCAN_TEST_PGUSER`
/// and `ACRSCAN_TEST_PSQL`. These tests start nothing themselves.
struct Postgres {
    let psql: String
    let host: String
    let user: String
    /// The database of this test run.
    let database: String

    static let environment = ProcessInfo.processInfo.environment

    /// Whether a server is named and answers.
    static let available: Bool = {
        guard let server = Postgres(database: "postgres") else { return false }
        return (try? server.run(["-c", "SELECT 1"]))?.status == 0
    }()

    init?(database: String) {
        guard let host = Self.environment["ACRSCAN_TEST_PGHOST"], !host.isEmpty else { return nil }
        psql = Self.environment["ACRSCAN_TEST_PSQL"] ?? "/usr/bin/psql"
        guard FileManager.default.isExecutableFile(atPath: psql) else { return nil }
        self.host = host
        user = Self.environment["ACRSCAN_TEST_PGUSER"] ?? "postgres"
        self.database = database
    }

    /// A fresh database on the server, for one test.
    static func fresh() throws -> Postgres {
        let admin = try #require(Postgres(database: "postgres"))
        let name = "acrscan_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let created = try admin.run(["-c", "CREATE DATABASE \(name)"])
        #expect(created.status == 0, "\(created.stderr)")
        return try #require(Postgres(database: name))
    }

    /// Drops this test's database.
    func drop() throws {
        try Postgres(database: "postgres")?.run(["-c", "DROP DATABASE IF EXISTS \(database)"])
    }

    /// Runs psql with `arguments`, standard input from `input` (a file) if given.
    @discardableResult
    func run(_ arguments: [String], input: String? = nil) throws -> Tool.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        process.arguments =
            ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", host, "-U", user, "-d", database] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput =
            try input.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) } ?? FileHandle.nullDevice
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Tool.Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The documented load (docs/sql/postgresql-load.sql) of the concatenated `exports`.
    func load(_ exports: [String], scratch: Tool) throws {
        let joined = scratch.path("load-\(UUID().uuidString).ndjson")
        var data = Data()
        for path in exports { data.append(try Data(contentsOf: URL(fileURLWithPath: path))) }
        try data.write(to: URL(fileURLWithPath: joined))
        let result = try run(
            ["-f", Tool.root.appendingPathComponent("docs/sql/postgresql-load.sql").path], input: joined)
        #expect(result.status == 0, "load of \(exports): \(result.stderr)")
    }

    /// The JSON value a query returns (one row, one column).
    func json(_ query: String) throws -> Any {
        let result = try run(["-c", query])
        #expect(result.status == 0, "\(query): \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
    }
}

/// Python with chDB (`pip install chdb`): `ACRSCAN_TEST_PYTHON` when `.ci/run` made a virtual
/// environment for it, else `python3` from the PATH.
enum ChDB {
    static let python: String = ProcessInfo.processInfo.environment["ACRSCAN_TEST_PYTHON"] ?? "python3"

    /// Whether `import chdb` works.
    static let available: Bool = (try? run(["-c", "import chdb"]))?.status == 0

    @discardableResult
    static func run(_ arguments: [String]) throws -> Tool.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        return try Tool.capture(process)
    }
}

/// Issue 12, "Fleet roll-up on a real engine": three hosts scanned into three databases, exported,
/// loaded into PostgreSQL (and ClickHouse in chDB) with the documented recipes, loaded again and
/// overlapped; the engine's answers equal `acrscan report --format json` over the merged database.
@Suite(.serialized) struct FleetRollupTests {
    /// The three hosts' databases and exports, the later overlapping export of web-1, and the
    /// merged database's JSON report.
    struct Fleet {
        let tool: Tool
        let exports: [String]
        let later: String
        let report: [String: Any]
        let export: String
    }

    static func fleet() throws -> Fleet {
        let tool = try Tool()
        // Three hosts, different registries and days; web-3 has the samples too (every type, an
        // unknown registry, excerpts with quotes and backslashes).
        let logs = [
            try tool.write(
                "web-1/docker.log", StoreEndToEndTests.log(0..<400, every: 7, registry: "alpha", seconds: 0)),
            try tool.write(
                "web-2/docker.log", StoreEndToEndTests.log(0..<300, every: 5, registry: "bravo", seconds: 86_400 + 50)),
            try tool.write(
                "web-3/docker.log", StoreEndToEndTests.log(0..<200, every: 3, registry: "alpha", seconds: 2 * 86_400)),
        ]
        var exports: [String] = []
        for (i, log) in logs.enumerated() {
            let host = "web-\(i + 1)"
            let db = "\(host).db"
            var paths = [log]
            if i == 2 { paths.append(WorkflowDefectTests.samples) }
            let scan = try tool.run(["scan", "-q", "--db", db, "--host", host] + paths)
            #expect(scan.status == 0, "\(scan.stderr)")
            let export = try tool.run(["export", "--db", db, "--output", "\(host).ndjson"])
            #expect(export.status == 0, "\(export.stderr)")
            exports.append(tool.path("\(host).ndjson"))
        }
        // The next night on web-1: more lines, a full export that overlaps the first one.
        try StoreEndToEndTests.append(
            StoreEndToEndTests.log(400..<500, every: 7, registry: "alpha", seconds: 0), to: logs[0])
        #expect(try tool.run(["scan", "-q", "--db", "web-1.db", "--host", "web-1", logs[0]]).status == 0)
        #expect(try tool.run(["export", "--db", "web-1.db", "--output", "web-1-later.ndjson"]).status == 0)

        let merge = try tool.run(["merge", "web-1.db", "web-2.db", "web-3.db", "--into", "fleet.db"])
        #expect(merge.status == 0, "\(merge.stderr)")
        let report = try tool.run(["report", "--db", "fleet.db", "--format", "json"])
        #expect(report.status == 0, "\(report.stderr)")
        let export = try tool.run(["export", "--db", "fleet.db"])
        return Fleet(
            tool: tool, exports: exports, later: tool.path("web-1-later.ndjson"), report: try Tool.json(report.stdout),
            export: export.stdout)
    }

    /// `registry/type` → [count, attempts, first_seen, last_seen] of the report's groups.
    static func groups(_ report: [String: Any]) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for group in report["groups"] as? [[String: Any]] ?? [] {
            out["\(group["registry"] as? String ?? "null")/\(group["type"] as? String ?? "")"] = [
                "\(group["count"] as? Int ?? -1)", "\(group["attempts"] as? Int ?? -1)",
                group["first_seen"] as? String ?? "null", group["last_seen"] as? String ?? "null",
            ]
        }
        return out
    }

    /// `day registry/type` → count of the report's trend.
    static func trend(_ report: [String: Any]) -> [String: Int] {
        var out: [String: Int] = [:]
        for point in report["trend"] as? [[String: Any]] ?? [] {
            out[
                "\(point["bucket"] as? String ?? "") \(point["registry"] as? String ?? "null")/\(point["type"] as? String ?? "")"
            ] =
                point["count"] as? Int
        }
        return out
    }

    @Test(
        "PostgreSQL: the documented load of three hosts' exports is idempotent and answers what report answers",
        .enabled(
            if: Postgres.available,
            "needs a PostgreSQL server: .ci/run starts one (.ci/postgres.sh) and sets ACRSCAN_TEST_PGHOST"))
    func postgres() throws {
        let fleet = try Self.fleet()
        let pg = try Postgres.fresh()
        defer { try? pg.drop() }
        let schema = try pg.run(["-f", Tool.root.appendingPathComponent("docs/sql/postgresql-schema.sql").path])
        #expect(schema.status == 0, "\(schema.stderr)")
        // The schema is idempotent too.
        #expect(
            try pg.run(["-f", Tool.root.appendingPathComponent("docs/sql/postgresql-schema.sql").path]).status == 0)

        let count = "SELECT count(*) FROM acr_auth_failures"
        try pg.load([fleet.exports[0]], scratch: fleet.tool)
        try pg.load([fleet.exports[1], fleet.exports[2]], scratch: fleet.tool)
        let loaded = try pg.json(count) as? Int
        // Loading an export again adds nothing; nor does one load holding two overlapping exports.
        try pg.load([fleet.exports[0]], scratch: fleet.tool)
        try pg.load([fleet.exports[1], fleet.exports[1]], scratch: fleet.tool)
        #expect(try pg.json(count) as? Int == loaded)
        // A later export of web-1 that overlaps the first adds only what is new.
        try pg.load([fleet.later], scratch: fleet.tool)
        let total = try #require(fleet.report["total"] as? Int)
        #expect(try pg.json(count) as? Int == total)
        #expect(total > (loaded ?? 0))

        let iso = #"'YYYY-MM-DD"T"HH24:MI:SS"Z"'"#
        let groups = try #require(
            try pg.json(
                """
                SELECT json_object_agg(coalesce(registry, 'null') || '/' || type,
                    json_build_array(count::text, attempts::text,
                        coalesce(to_char(date_trunc('second', first_seen) AT TIME ZONE 'UTC', \(iso)), 'null'),
                        coalesce(to_char(date_trunc('second', last_seen) AT TIME ZONE 'UTC', \(iso)), 'null')))
                FROM acr_failure_groups
                """) as? [String: [String]])
        #expect(groups == Self.groups(fleet.report))
        #expect(groups.count > 5)

        let days = try #require(
            try pg.json(
                """
                SELECT json_object_agg(to_char(day AT TIME ZONE 'UTC', \(iso)) || ' ' || coalesce(registry, 'null') || '/' || type, count)
                FROM acr_failure_days
                """) as? [String: Int])
        #expect(days == Self.trend(fleet.report))
        #expect(Set(days.keys.map { $0.prefix(10) }).count >= 3)

        // Every value arrives exactly as exported: the rows equal the merged database's export.
        let rows = try #require(
            try pg.json(
                """
                SELECT json_agg(json_build_object(
                    'host', host, 'ts', to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'registry', registry,
                    'login_server', login_server, 'type', type, 'status', status, 'attempts', attempts, 'producer', producer,
                    'source', source, 'line', line, 'line_end', line_end, 'offset', "offset", 'file_key', file_key,
                    'client_ip', client_ip, 'identity', identity, 'repository', repository, 'code', code, 'excerpt', excerpt,
                    'matcher_version', matcher_version) ORDER BY host, file_key, "offset")
                FROM acr_auth_failures
                """) as? [[String: Any]])
        let exported = try fleet.export.split(separator: "\n").map { try Tool.json(String($0)) }
            .sorted { a, b in
                let ka = [a["host"] as? String ?? "", a["file_key"] as? String ?? ""]
                let kb = [b["host"] as? String ?? "", b["file_key"] as? String ?? ""]
                return ka != kb
                    ? ka.lexicographicallyPrecedes(kb) : (a["offset"] as? Int ?? 0) < (b["offset"] as? Int ?? 0)
            }
        #expect(rows.count == exported.count)
        for (row, expected) in zip(rows, exported) {
            #expect(NSDictionary(dictionary: row).isEqual(to: expected), "\(row) != \(expected)")
        }
        #expect(exported.contains { ($0["excerpt"] as? String ?? "").contains("\\") })  // backslashes made the trip
    }

    @Test(
        "ClickHouse in chDB: the documented recipe gives the report's per-group counts, overlapping loads deduplicated",
        .enabled(if: ChDB.available, "needs chDB (pip install chdb): .ci/run installs it"))
    func clickhouse() throws {
        let fleet = try Self.fleet()
        let script = Tool.root.appendingPathComponent("scripts/chdb-load.py").path
        let data = fleet.tool.path("clickhouse")
        let first = try ChDB.run([script, data] + fleet.exports + [fleet.exports[0]])
        #expect(first.status == 0, "\(first.stderr)")
        // Loaded again in a later run, with the later overlapping export.
        let result = try ChDB.run([script, data, fleet.exports[1], fleet.later])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try Tool.json(result.stdout)
        #expect(object["rows"] as? Int == fleet.report["total"] as? Int)
        var groups: [String: [String]] = [:]
        for group in object["groups"] as? [[String: Any]] ?? [] {
            // ClickHouse prints DateTime64 as `2026-11-20 03:14:15.123`: the report's form is ISO to the second.
            func iso(_ value: Any?) -> String {
                guard let text = value as? String else { return "null" }
                return text.prefix(19).replacingOccurrences(of: " ", with: "T") + "Z"
            }
            groups["\(group["registry"] as? String ?? "null")/\(group["type"] as? String ?? "")"] = [
                "\(group["count"] as? Int ?? -1)", "\(group["attempts"] as? Int ?? -1)", iso(group["first_seen"]),
                iso(group["last_seen"]),
            ]
        }
        #expect(groups == Self.groups(fleet.report))
        var days: [String: Int] = [:]
        for day in object["days"] as? [[String: Any]] ?? [] {
            let bucket = (day["day"] as? String ?? "").prefix(10)
            days["\(bucket)T00:00:00Z \(day["registry"] as? String ?? "null")/\(day["type"] as? String ?? "")"] =
                day["count"] as? Int
        }
        #expect(days == Self.trend(fleet.report))
    }
}
