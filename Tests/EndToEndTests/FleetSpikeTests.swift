import Foundation
import Testing

/// Spikes over a 14-day synthetic fleet, through the real tool: about 700 occurrences in about 90
/// registry and type groups (of 110 pairs: 5 failing about 3 times a day, 25 about 0.7 and 80
/// about 0.2 times a day, in bursts of 1 to 3 a few seconds apart), and one
/// planted spike (40 ip-not-allowed of one sparse registry on day 10). The report must list the
/// planted spike from every window start up to its day, the same spikes whatever the start, and
/// at most six spikes in all (issue 13).
@Suite struct FleetSpikeTests {
    /// A deterministic pseudo-random generator (SplitMix64).
    struct Noise {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func poisson(_ mean: Double) -> Int {
            let limit = exp(-mean)
            var product = 1.0
            var count = -1
            repeat {
                product *= unit()
                count += 1
            } while product > limit
            return count
        }
    }

    static let days = 14
    static let plantedDay = 9  // 2026-11-10
    static let plantedRegistry = "reg07"

    /// One dockerd error line of `type` for `registry` at `second` seconds after 2026-11-01.
    static func line(_ type: String, _ registry: String, second: Int, noise: inout Noise) -> String {
        let base = 1_793_491_200  // 2026-11-01T00:00:00Z
        let time = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(base + second)))
        let repo = ["web", "api", "jobs/worker"][noise.below(3)]
        let head = "time=\"\(time)\" level=error msg=\"Handler for POST /v1.47/images/create returned error: "
        switch type {
        case "unauthorized":
            return head
                + "Head \\\"https://\(registry).azurecr.io/v2/\(repo)/manifests/1.0\\\": unauthorized: authentication required\""
        case "access-denied":
            return head
                + "pull access denied for \(registry).azurecr.io/\(repo), repository does not exist or may require 'docker login': denied: requested access to the resource is denied\""
        default:
            let ip = "20.81.\(noise.below(4)).\(10 + noise.below(3))"
            return head
                + "Head \\\"https://\(registry).azurecr.io/v2/\(repo)/manifests/1.0\\\": denied: client with IP '\(ip)' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.\""
        }
    }

    /// The fleet's log, in time order, and how many occurrences it holds.
    static func fleetLog() -> (text: String, count: Int) {
        var noise = Noise(state: 2026)
        let types = ["unauthorized", "access-denied", "ip-not-allowed"]
        var pairs: [(registry: String, type: String, rate: Double)] = []
        for index in 0..<37 {
            for type in types where pairs.count < 110 {
                let registry = String(format: "reg%02d", index)
                let rate = pairs.count < 5 ? 3.0 : pairs.count < 30 ? 0.7 : 0.2
                pairs.append((registry, type, rate))
            }
        }
        var events: [(second: Int, line: String)] = []
        for pair in pairs {
            for day in 0..<days {
                // Bursts of 1 to 3 failures a few seconds apart (a job retrying), at half the rate.
                for _ in 0..<noise.poisson(pair.rate / 2) {
                    let start = day * 86_400 + noise.below(86_000)
                    for k in 0..<(1 + noise.below(3)) {
                        events.append(
                            (start + 7 * k, line(pair.type, pair.registry, second: start + 7 * k, noise: &noise)))
                    }
                }
            }
        }
        for k in 0..<40 {  // the planted spike: a firewall change on day 10 refuses a node pool
            let second = plantedDay * 86_400 + 36_000 + 61 * k
            events.append((second, line("ip-not-allowed", plantedRegistry, second: second, noise: &noise)))
        }
        events.sort { $0.second < $1.second }
        return (events.map(\.line).joined(separator: "\n") + "\n", events.count)
    }

    /// `registry type day` of each spike, the day counted from 2026-11-01 (0).
    static func spikes(_ tool: Tool, since day: Int) throws -> [String] {
        let since = String(format: "2026-11-%02d", 1 + day)
        let result = try tool.run(["report", "--since", since, "--until", "2026-11-15", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try Tool.json(result.stdout)
        let spikes = try #require(object["spikes"] as? [[String: Any]])
        return spikes.map { spike in
            let bucket = spike["bucket"] as? String ?? ""
            let day = (Int(bucket.dropFirst(8).prefix(2)) ?? 0) - 1
            return
                "\(spike["registry"] as? String ?? "-") \(spike["type"] as? String ?? "?") \(day) (\(spike["count"] ?? 0), baseline \(spike["baseline"] ?? 0))"
        }
    }

    @Test("the planted spike is listed from every window start, and few others")
    func plantedSpikeFromEveryWindowStart() throws {
        let tool = try Tool()
        let fleet = Self.fleetLog()
        try tool.write("logs/fleet.log", fleet.text)
        let scan = try tool.run(["scan", "--host", "fleet", "--progress", "never", "logs"])
        #expect(scan.status == 0, "\(scan.stderr)")
        let totals = try Tool.json(try tool.run(["report", "--format", "json"]).stdout)
        let groups = (totals["groups"] as? [Any])?.count ?? 0
        #expect(totals["total"] as? Int == fleet.count)
        #expect(
            (650...760).contains(fleet.count) && (80...95).contains(groups),
            "\(fleet.count) occurrences, \(groups) groups")

        let all = try Self.spikes(tool, since: 0)
        let planted = "\(Self.plantedRegistry) ip-not-allowed \(Self.plantedDay)"
        #expect(all.contains { $0.hasPrefix(planted + " ") }, "\(all)")
        #expect(all.count <= 6, "\(all)")
        for day in 1..<Self.days {
            let found = try Self.spikes(tool, since: day)
            let expected = all.filter { Int($0.split(separator: " ")[2]) ?? 0 >= day }
            #expect(found == expected, "window from day \(day)")
            if day <= Self.plantedDay {
                #expect(found.contains { $0.hasPrefix(planted + " ") }, "window from day \(day)")
            }
        }
        print("fleet: \(fleet.count) occurrences in \(groups) groups; spikes from day 0: \(all)")
    }
}
