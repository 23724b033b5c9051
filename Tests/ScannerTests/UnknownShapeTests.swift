import Foundation
import LogModel
import LogScanner
import Testing

/// Unknown candidates: ACR lines with failure words that no rule counts and no look-alike dismisses.
@Suite struct UnknownShapeTests {
    static func unknowns(_ lines: [String], chunk: Int? = nil) -> [UnknownCandidate] {
        Support.scanWithUnknowns(Array((lines.joined(separator: "\n") + "\n").utf8), chunk: chunk).unknowns
    }

    @Test("a new wording with an ACR host and failure words is a candidate; the same shape twice is one template")
    func candidate() {
        let lines = [
            "2026-11-20T03:14:15.1000000Z error: registry myacr.azurecr.io refused the session: policy check failed for 'web'",
            "2026-11-20T03:15:16.2000000Z error: registry otheracr.azurecr.io refused the session: policy check failed for 'api'",
        ]
        for chunk in [nil, 1, 7, 64] as [Int?] {
            let found = Self.unknowns(lines, chunk: chunk)
            #expect(found.count == 2)
            #expect(Set(found.map(\.templateKey)).count == 1)
            #expect(found.map(\.registry) == ["myacr", "otheracr"])
            #expect(found.first?.template == "<*> error: registry <*> refused the session: policy check failed for <*>")
        }
    }

    @Test(
        "counted failures, look-alikes, success lines and other registries are no candidates",
        arguments: [
            "Error response from daemon: Get https://myacr.azurecr.io/v2/: unauthorized: authentication required",
            "Error response from daemon: manifest for myacr.azurecr.io/app:v9 not found: manifest unknown",
            "toomanyrequests: too many requests to myacr.azurecr.io, visit https://aka.ms/acr/installation",
            "Status: Downloaded newer image for myacr.azurecr.io/web:1.4",
            "docker push myacr.azurecr.io/web:1.4",
            "ERROR: failed to solve: mcrprod.azurecr.io/dotnet/sdk: unexpected error",
            "2024-04-13T00:29:22.8113917Z cli.acr: 2024-04-13 00:29:22.808401 Sending a HTTP Get request to https://myacr.azurecr.io/v2/",
        ])
    func notCandidates(_ line: String) {
        #expect(Self.unknowns([line]).isEmpty, "\(line)")
    }

    @Test(
        "a pull of a tag or repository that does not exist is no candidate, in containerd's, kubelet's and ACR's words",
        arguments: [
            #"E1103 16:19:56.870326    2213 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \"contosoprod.azurecr.io/web:1.250\": failed to resolve reference: contosoprod.azurecr.io/web:1.250: not found" image="contosoprod.azurecr.io/web:1.250""#,
            #"Warning  Failed  12s  kubelet  Failed to pull image "myacr.azurecr.io/api:v9": rpc error: code = NotFound desc = failed to pull and unpack image "myacr.azurecr.io/api:v9": failed to resolve reference "myacr.azurecr.io/api:v9": myacr.azurecr.io/api:v9: not found"#,
            "Error response from daemon: pull failed for myacr.azurecr.io/team/web: name unknown: repository name not known to registry",
            #"Error: GET https://myacr.azurecr.io/v2/team/web/tags/list: NAME_UNKNOWN: repository name not known to registry"#,
        ])
    func missingImageIsNoCandidate(_ line: String) {
        #expect(Self.unknowns([line]).isEmpty, "\(line)")
        // The same line with the not-found words taken out is one: they alone dismiss it.
        var rest = line
        for words in Rule.otherFailures {
            rest = rest.replacingOccurrences(of: words, with: " gone ", options: .caseInsensitive)
        }
        #expect(Self.unknowns([rest]).count == 1, "\(rest)")
    }

    @Test("a pull loop's line whose tag reads as a status of its own (401) is a candidate; 402 is not")
    func pullLoopStatus() {
        let quiet = (0..<5).map { "Status: Downloaded newer image for myacr.azurecr.io/web:1.4.1\($0)\($0)" }
        let lines = quiet + ["Status: Downloaded newer image for myacr.azurecr.io/web:1.4.401"]
        for chunk in [nil, 1, 7, 64] as [Int?] {
            #expect(Self.unknowns(lines, chunk: chunk).map(\.line) == [6], "chunk \(String(describing: chunk))")
        }
        #expect(Self.unknowns(quiet + ["Status: Downloaded newer image for myacr.azurecr.io/web:1.4.402"]).isEmpty)
    }

    @Test("a failure after an unknown candidate takes the candidate line's time, as in a scan without unknown shapes")
    func timeAfterCandidate() {
        let lines = [
            "2026-11-20T03:00:00.0000000Z starting",
            "2026-11-20T03:14:15.1000000Z error: registry myacr.azurecr.io refused the session: policy check failed",
            "Error response from daemon: Get https://myacr.azurecr.io/v2/: unauthorized: authentication required",
        ]
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        for chunk in [nil, 1, 7, 64] as [Int?] {
            let on = Support.scanWithUnknowns(bytes, chunk: chunk)
            let off = Support.scanWithUnknowns(bytes, chunk: chunk, collectsUnknowns: false)
            #expect(on.unknowns.count == 1)
            #expect(on.found.count == 1)
            #expect(on.found.first?.timestamp != nil)
            #expect(on.found.first?.timestamp == on.unknowns.first?.timestamp, "chunk \(String(describing: chunk))")
            #expect(on.found.map(\.timestamp) == off.found.map(\.timestamp), "chunk \(String(describing: chunk))")
        }
    }

    @Test("templates hold no secret and mask variable parts")
    func templates() {
        let line =
            "time=2026-11-20T03:14:15Z level=error msg=\"push failed\" registry='myacr' id=5f3e2a1b-0c4d-4e5f-8a9b-0c1d2e3f4a5b token failed"
        #expect(
            UnknownShape.template(of: line)
                == "time=<*> level=error msg=\"push failed\" registry=<*> id=<*> token failed")
        let secret = Self.unknowns(["docker login myacr.azurecr.io -u sp -p SuperSecret failed: policy"])
        #expect(secret.count == 1)
        let template = secret.first?.template ?? ""
        let excerpt = secret.first?.excerpt ?? ""
        #expect(template.contains("SuperSecret") == false)
        #expect(excerpt.contains("SuperSecret") == false)
    }

    @Test("the scan without unknown shapes has none of their literals in its prefilter and counts the same occurrences")
    func withoutUnknownShapes() throws {
        let standard = Matcher.standard.prefilter.literals
        let without = Matcher.withoutUnknownShapes.prefilter.literals
        for anchor in ["azurecr", "aka.ms/acr", "command_modules.acr"] {
            #expect(standard.contains(Array(anchor.utf8)), "\(anchor)")
            #expect(!without.contains(Array(anchor.utf8)), "\(anchor)")
        }
        let labels = Support.root.appendingPathComponent("Tests/EndToEndTests/samples.expected.tsv")
        let logs =
            try Support.labelledLogs(in: Support.fixtures) + Support.labelledLogs(in: Support.samples, labels: labels)
        #expect(logs.count > 10)
        for log in logs {
            for chunk in [nil, 7] as [Int?] {
                let on = Support.scanWithUnknowns(log.bytes, chunk: chunk)
                let off = Support.scanWithUnknowns(
                    log.bytes, chunk: chunk, matcher: .withoutUnknownShapes, collectsUnknowns: false)
                #expect(on.found == off.found, "\(log.name), chunk \(String(describing: chunk))")
                #expect(off.unknowns.isEmpty)
            }
        }
    }
}
