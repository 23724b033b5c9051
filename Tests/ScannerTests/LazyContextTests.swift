import LogModel
import Testing

@testable import LogScanner

/// The registry context is resolved lazily (only before a failure that opens and at the end of each
/// region, searching the context anchors backwards); these tests compare that with the eager
/// reference (`OccurrenceScanner.scanLinesEagerly`: every line with a prefilter literal or a context
/// anchor read as it comes, the scanner as it was) on random mixes of context lines, failures,
/// unknown shapes, long lines and CRLF, fed in random chunks, with small backward-search windows.
@Suite struct LazyContextTests {
    static let names = ["myacr", "contosoprod", "fabrikamci", "teamreg01", "xxxxx", "***"]

    /// One random line of the vocabulary that the context and the failures are made of.
    static func line(_ random: inout SplitMix) -> String {
        func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
        let name = pick(names)
        let server = name == "***" ? "***" : "\(name).azurecr.io"
        let templates: [String] = [
            // Context: commands, login servers, ARM ids, other registries, sign-ins.
            "az acr login -n \(name)", "$ az acr login --name \(name)", "az acr login -n $ACR_NAME",
            "Run az acr login -n ***",
            "az acr build -r \(name) .", "az acr login", "acr login -n \(name)",
            "docker push \(server)/app:1", "docker pull \(server)/web:2", "docker push \(name).azurecr.io:1",
            "docker push ***/app",
            "docker image push ghcr.io/org/app:1", "The push refers to repository [\(server)/app]",
            "Status: Downloaded newer image for \(server)/web:1.4.\(random.next() % 500)",
            "docker login ghcr.io -u bot", "docker login \(server) -u x", "podman login quay.io", "Login Succeeded",
            "az login --service-principal -u x", "uses: azure/login@v2", "helm push chart.tgz oci://\(server)/helm",
            "oras pull \(server)/artifact:1",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/\(name)",
            "No credential was provided to access Azure Container Registry", "##[section]Starting: build",
            "##[command]docker push \(server)/app:1",
            "toomanyrequests: retry-after: 1 ms, visit https://aka.ms/acr/installation for more information.",
            // Unknown shapes and look-alikes.
            "\(server): error: the registry refused the frobnication",
            "see https://aka.ms/acr/errors#odd: request refused",
            "azure.cli.command_modules.acr: failed to do something new", "\(server) token expired while pulling",
            "mcrprod.azurecr.io error 500",
            "user unauthorized to view invoice 4411",
            // Failures, with and without a registry of their own.
            "unauthorized: authentication required",
            "Error response from daemon: Get \"https://\(server)/v2/\": unauthorized: authentication required",
            "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
            "ERROR: An error occurred: DOCKER_COMMAND_ERROR",
            "Please verify if Docker client is installed and running.",
            "denied: requested access to the resource is denied", "AADSTS7000215: Invalid client secret provided.",
            "##[error]unauthorized: authentication required", "Error: authentication required. Correlation ID: 1234",
            "failed to fetch anonymous token: unexpected status: 401 Unauthorized",
            "received unexpected HTTP status: 401 Unauthorized while pulling image",
            // Noise and blank lines.
            "I1107 09:36:02.602166    2213 kubelet.go:2452] \"SyncLoop UPDATE\"", "Step 3/12 : RUN npm ci", "", "",
        ]
        var text = pick(templates)
        if random.next() % 3 == 0 { text = "2026-11-20T03:14:\(10 + random.next() % 50).1234567Z " + text }
        return text
    }

    /// A random log: mostly short lines, some longer than `maxLineBytes` (with a template inside).
    static func text(_ random: inout SplitMix, lines: Int, maxLineBytes: Int) -> [UInt8] {
        var out: [UInt8] = []
        let crlf = random.next() % 4 == 0
        for _ in 0..<lines {
            var l = line(&random)
            if random.next() % 12 == 0 {
                let filler = String(
                    repeating: "z", count: maxLineBytes / 2 + Int(random.next() % UInt64(2 * maxLineBytes)))
                l = random.next() % 2 == 0 ? filler + " " + l : l + " " + filler + " " + line(&random)
            }
            out += Array(l.utf8)
            out += crlf ? [0x0D, 0x0A] : [0x0A]
        }
        if random.next() % 4 == 0 { out += Array(line(&random).utf8) }  // no newline at the end
        return out
    }

    /// What a scan hands out, step by step: occurrences, unknowns and the checkpoint after each chunk.
    struct Trace: Equatable {
        var found: [Occurrence] = []
        var unknowns: [UnknownCandidate] = []
        var checkpoints: [ScanPosition] = []
    }

    static func trace(
        _ bytes: [UInt8], chunks: [Int], maxLineBytes: Int, window: Int, eager: Bool,
        start: ScanPosition = ScanPosition()
    ) -> Trace {
        let scanner = OccurrenceScanner(
            options: ScanOptions(reference: Support.reference, maxLineBytes: maxLineBytes), start: start)
        scanner.eagerReference = eager
        scanner.contextWindow = window
        var trace = Trace()
        bytes.withUnsafeBytes { all in
            var i = Int(start.offset)
            var k = 0
            while i < all.count {
                let end = min(i + chunks[k % chunks.count], all.count)
                scanner.scan(UnsafeRawBufferPointer(rebasing: all[i..<end]), into: &trace.found)
                trace.unknowns += scanner.takeUnknowns()
                trace.checkpoints.append(scanner.checkpoint)
                i = end
                k += 1
            }
        }
        scanner.finish(into: &trace.found)
        trace.unknowns += scanner.takeUnknowns()
        trace.checkpoints.append(scanner.checkpoint)
        return trace
    }

    @Test(
        "lazy context gives what reading every line's context gives: occurrences, unknowns, checkpoints, at random chunk sizes"
    )
    func lazyEqualsEager() {
        var random = SplitMix(seed: 0x1A2_7C0_47E7)
        var failures = 0
        var contexts = Set<RegistryContext>()
        for round in 0..<200 {
            let maxLineBytes = [64, 100, 300, 64 * 1024][Int(random.next() % 4)]
            let bytes = Self.text(&random, lines: 20 + Int(random.next() % 120), maxLineBytes: maxLineBytes)
            let chunks = (0..<5).map { _ in
                [1, 7, 64, 333, 4096, 1 << 20][Int(random.next() % 6)] + Int(random.next() % 50)
            }
            let window = 1 + Int(random.next() % 400)
            let eager = Self.trace(bytes, chunks: chunks, maxLineBytes: maxLineBytes, window: window, eager: true)
            let lazy = Self.trace(bytes, chunks: chunks, maxLineBytes: maxLineBytes, window: window, eager: false)
            #expect(lazy == eager, "round \(round): chunks \(chunks), pieces of \(maxLineBytes), window \(window)")
            if lazy != eager { break }
            failures += eager.found.count
            for position in eager.checkpoints { contexts.insert(position.context) }
            // Resumed from a checkpoint in the middle, the two agree as well.
            let middle = eager.checkpoints[eager.checkpoints.count / 2]
            #expect(
                Self.trace(
                    bytes, chunks: chunks, maxLineBytes: maxLineBytes, window: window, eager: false, start: middle)
                    == Self.trace(
                        bytes, chunks: chunks, maxLineBytes: maxLineBytes, window: window, eager: true, start: middle),
                "round \(round): resumed at \(middle.offset)")
        }
        // The mixes exercised what they are for: many failures, and every kind of context.
        #expect(failures > 1000)
        #expect(
            contexts.contains(.other) && contexts.contains(.acr(nil)) && contexts.contains(.acr("myacr"))
                && contexts.contains(.none))
    }

    @Test("a failure's registry comes from the last context line before it, however far back, across regions")
    func farContext() {
        // The context line lies a region and many search windows before the failure.
        let filler = Array(repeating: "I1107 09:36:02.602166    2213 kubelet.go:2452] \"SyncLoop UPDATE\"", count: 3000)
        let lines =
            ["docker login ghcr.io -u bot", "az acr login -n farawayacr"] + filler + [
                "unauthorized: authentication required"
            ]
        for chunk in [nil, 100, 4096, 65536] {
            let found = Support.scan(lines: lines, chunk: chunk)
            #expect(found.map(\.registry) == ["farawayacr"], "chunk \(chunk.map(String.init) ?? "whole")")
        }
    }
}
