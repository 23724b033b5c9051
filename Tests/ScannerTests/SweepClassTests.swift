import LogModel
import LogScanner
import Testing

/// The classes the sweep workflow check (`scripts/sweep-oracle.py`, docs/counting-rules.md "Sweep
/// workflow check") found, each from its general shape and its look-alikes.
@Suite struct SweepClassTests {
    // MARK: - JSON rows with blanks around the colon keep their time

    static let t = Timestamp.milliseconds(year: 2026, month: 12, day: 28, hour: 1, minute: 24, second: 27)

    /// JSON allows blanks around `:`; Python's `json.dumps`, `jq` without `-c` and shippers that
    /// re-serialise rows write `"time": "…"`. The time must be read as from Docker's compact rows.
    @Test(arguments: [
        #"{"log":"Error: push access denied for contosoprod.azurecr.io/web:0: insufficient_scope: authorization failed\n","stream":"stderr","time":"2026-12-28T01:24:27.000000001Z"}"#,
        #"{"log": "Error: push access denied for contosoprod.azurecr.io/web:0: insufficient_scope: authorization failed\n", "stream": "stderr", "time": "2026-12-28T01:24:27.000000001Z"}"#,
        #"{"time" : "2026-12-28T02:24:27+01:00", "level": "error", "msg": "push access denied for contosoprod.azurecr.io/web:0: insufficient_scope: authorization failed"}"#,
        #"{"@timestamp":\#t"2026-12-28T01:24:27.000Z", "message": "Error: push access denied for contosoprod.azurecr.io/web:0: insufficient_scope: authorization failed"}"#,
        #"{"__REALTIME_TIMESTAMP" : "1798421067000000", "MESSAGE" : "Error: push access denied for contosoprod.azurecr.io/web:0: insufficient_scope: authorization failed"}"#,
    ])
    func jsonTimeWithBlanks(line: String) {
        let found = Support.scan(lines: [line])
        #expect(found.count == 1, "\(line)")
        #expect(found.first?.type == .accessDenied)
        #expect(found.first?.registry == "contosoprod")
        #expect(found.first?.timestamp == Self.t, "\(line)")
    }

    /// A value that merely says `"time"` (not a key) gives no time; a later key still does.
    @Test func jsonTimeWordInValue() {
        let line =
            #"{"log": "\"time\" out: unauthorized: authentication required contosoprod.azurecr.io", "kind": "time", "time": "2026-12-28T01:24:27Z"}"#
        let found = Support.scan(lines: [line])
        #expect(found.count == 1)
        #expect(found.first?.timestamp == Self.t)
    }

    // MARK: - kubelet's second logger across a second boundary

    static func klogPair(first: String, second: String, image: String = "fabrikamci.azurecr.io/worker:23") -> [String] {
        let err =
            #"rpc error: code = Unknown desc = failed to pull and unpack image \"\#(image)\": failed to resolve reference \"\#(image)\": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"#
        let echoed = err.replacingOccurrences(of: #"\""#, with: #"\\\""#)
        return [
            #"E\#(first)    2412 remote_image.go:180] "PullImage from image service failed" err="\#(err)" image="\#(image)""#,
            #"E\#(second)    2412 pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \"StartContainer\" for \"worker\" with ErrImagePull: \"\#(echoed)\"" pod="default/worker-7d9""#,
        ]
    }

    /// The second logger writes right after the first; when that crosses a second boundary
    /// (`…28.999` then `…29.000`) it is still the same failure.
    @Test(arguments: [
        ("1228 14:48:28.495185", "1228 14:48:28.495900"),
        ("1228 14:48:28.999100", "1228 14:48:29.000200"),
        ("1228 23:59:59.999800", "1229 00:00:00.000300"),
    ])
    func secondLoggerAcrossSecond(times: (String, String)) {
        let found = Support.scan(lines: Self.klogPair(first: times.0, second: times.1))
        #expect(found.count == 1, "\(found.map(\.line))")
        #expect(found.first?.type == .anonymousPull)
        #expect(found.first?.line == 1)
    }

    /// Look-alikes: the same pull failing again seconds later is a new attempt, and the identical line
    /// again (a retry) counts, even within the same millisecond.
    @Test func laterAttemptsStillCount() {
        let pair = Self.klogPair(first: "1228 14:48:28.999100", second: "1228 14:48:29.000200")
        let again = Self.klogPair(first: "1228 14:48:31.100000", second: "1228 14:48:31.100400")
        #expect(Support.scan(lines: pair + again).count == 2)
        #expect(Support.scan(lines: [pair[0], pair[0]]).count == 2)
    }

    // MARK: - a sweep that resumes after an echo left open at the end of a file

    /// Scans `nights` as a sweep does: each night's scan resumes at the last one's checkpoint, over a
    /// file that may still grow (`keepingOpenFailure`), and the store keeps one occurrence per offset.
    static func sweep(_ nights: [[String]]) -> [Occurrence] {
        var bytes: [UInt8] = []
        var position = ScanPosition()
        var stored: [Int64: Occurrence] = [:]
        for night in nights {
            bytes += Array(night.map { $0 + "\n" }.joined().utf8)
            let scanner = OccurrenceScanner(options: ScanOptions(reference: Support.reference), start: position)
            var found: [Occurrence] = []
            bytes.withUnsafeBytes { all in
                scanner.scan(UnsafeRawBufferPointer(rebasing: all[Int(position.offset)...]), into: &found)
            }
            scanner.finish(into: &found, keepingOpenFailure: true)
            for o in found { stored[o.offset] = o }
            position = scanner.checkpoint
        }
        return stored.values.sorted { $0.offset < $1.offset }
    }

    /// kubelet's second logger as the last line of a night: the next night's scan must not count it.
    @Test func echoAtEndOfNightStaysAnEcho() {
        let first = Self.klogPair(first: "1228 05:01:01.997539", second: "1228 05:01:02.000167")
        let second = Self.klogPair(
            first: "1229 16:37:25.998782", second: "1229 16:37:26.002649", image: "contosoprod.azurecr.io/api:2")
        let found = Self.sweep([first, second, []])
        #expect(found.map(\.line) == [1, 3], "\(found.map(\.line))")
        #expect(found.map(\.registry) == ["fabrikamci", "contosoprod"])
        // the same text scanned at once
        #expect(Support.scan(lines: first + second).map(\.line) == [1, 3])
    }

    /// A failure still open at the end of a night is read again whole the next night, with what joined it.
    @Test func openFailureStillJoinsItsContinuation() {
        let cascade = [
            "ERROR: 2026-12-28 23:50:01.123456 Unable to get AAD authorization tokens with message: An error occurred: "
                + "CONNECTIVITY_REFRESH_TOKEN_ERROR",
            "Access to registry 'northwind.azurecr.io' was denied. Response code: 401. Please try running 'az login' "
                + "again to refresh permissions.",
        ]
        let rest = [
            "Unable to get admin user credentials with message: The resource with name 'northwind' and type "
                + "'Microsoft.ContainerRegistry/registries' could not be found in subscription 'CI'.",
            "Unable to authenticate using AAD or admin login credentials. Please check your credentials.",
        ]
        let found = Self.sweep([["az acr login --name northwind"] + cascade, rest])
        #expect(found.count == 1)
        #expect(found.first?.type == .identityPermission)
        #expect(found.first?.registry == "northwind")
    }
}
