import Foundation
import Testing

/// `scan --assume-tz`: zone-less log times (klog, ACR Tasks, the Azure CLI's embedded times) taken
/// in a named zone; times that carry a zone keep it.
@Suite struct AssumeZoneTests {
    static let log = """
        I1120 03:14:10.000000    2213 kubelet.go:2452] "SyncLoop ADD" pods=["prod/web"]
        E1120 03:14:15.123456    2213 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized" image="contosoprod.azurecr.io/web:1"
        E0720 10:00:00.000000    2213 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized" image="contosoprod.azurecr.io/api:1"
        2026-11-20T05:00:00.1234567Z Error response from daemon: Get "https://fabrikamci.azurecr.io/v2/": unauthorized: authentication required

        """

    func stored(_ arguments: [String]) throws -> [String] {
        let tool = try Tool()
        let path = try tool.write("kubelet.log", Self.log)
        // klog leaves out the year: it comes from the file's modification time (2026-11-30).
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1_796_000_000)], ofItemAtPath: path)
        let result = try tool.run(["scan", "--db", tool.path("a.db"), "--host", "node-7"] + arguments + [path])
        #expect(result.status == 0, "\(result.stderr)")
        return try tool.sql(tool.path("a.db"), "select ts from occurrences order by line").split(separator: "\n").map(
            String.init)
    }

    @Test(
        "zone-less times are UTC by default, and local times of the named zone with --assume-tz, summer time included")
    func assumedZone() throws {
        #expect(try stored([]) == ["2026-11-20T03:14:15Z", "2026-07-20T10:00:00Z", "2026-11-20T05:00:00Z"])
        #expect(
            try stored(["--assume-tz", "Europe/Berlin"]) == [
                "2026-11-20T02:14:15Z", "2026-07-20T08:00:00Z", "2026-11-20T05:00:00Z",
            ])
        #expect(
            try stored(["--assume-tz=-05:00"]) == [
                "2026-11-20T08:14:15Z", "2026-07-20T15:00:00Z", "2026-11-20T05:00:00Z",
            ])
    }

    @Test("an unknown zone is a usage error naming it")
    func unknownZone() throws {
        let tool = try Tool()
        let path = try tool.write("x.log", Self.log)
        let result = try tool.run(["scan", "--db", tool.path("a.db"), "--assume-tz", "Mars/Olympus", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Mars/Olympus"))
    }
}
