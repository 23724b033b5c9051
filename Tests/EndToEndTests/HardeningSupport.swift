import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What the hardening tests need beyond `Tool`: raw bytes, gzip, a run that can be watched,
/// signalled or measured, and a run as an unprivileged user.
extension Tool {
    /// The failure line the tests plant (one `unauthorized` occurrence of registry `name`).
    static func failure(_ name: String = "myacr") -> String {
        "Error response from daemon: Get \"https://\(name).azurecr.io/v2/\": unauthorized: authentication required"
    }

    /// The sanitizer settings of scripts/sanitize.sh, passed on to the tool so that its reports are
    /// collected (and known leaks of libraries suppressed) as the test process's are.
    static let sanitizerOptions: [String: String] = ProcessInfo.processInfo.environment.filter {
        ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "SWIFT_BACKTRACE"].contains($0.key)
    }

    /// Writes raw bytes into the scratch directory and returns the path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// The bytes of a file (empty when it does not exist).
    func bytes(_ path: String) -> [UInt8] {
        (try? Data(contentsOf: URL(fileURLWithPath: path))).map(Array.init) ?? []
    }

    /// gzip-compresses `bytes` with the system's gzip (`-9`).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-9", "-c"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        nonisolated(unsafe) var compressed = Data()
        let reader = DispatchGroup()
        reader.enter()
        DispatchQueue.global().async {
            compressed = output.fileHandleForReading.readDataToEndOfFile()
            reader.leave()
        }
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        reader.wait()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return Array(compressed)
    }

    /// A running `acrscan`, for tests that act on it while it runs.
    final class Running: @unchecked Sendable {
        let process: Process
        let input: Pipe
        private let group = DispatchGroup()
        private var out = Data(), err = Data()

        init(_ process: Process, input: Pipe, stdout: Pipe?, stderr: Pipe) {
            self.process = process
            self.input = input
            if let stdout {
                group.enter()
                DispatchQueue.global().async {
                    self.out = stdout.fileHandleForReading.readDataToEndOfFile()
                    self.group.leave()
                }
            }
            group.enter()
            DispatchQueue.global().async {
                self.err = stderr.fileHandleForReading.readDataToEndOfFile()
                self.group.leave()
            }
        }

        var pid: Int32 { process.processIdentifier }

        /// The offset `acrscan` has read `path` up to, while it has it open (from /proc/PID/fdinfo;
        /// the furthest of its descriptors, as it may hold one it only `pread`s).
        func readOffset(of path: String) -> Int64? {
            let fds = "/proc/\(pid)/fd"
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: fds) else { return nil }
            var furthest: Int64?
            for fd in names {
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fds)/\(fd)"),
                    target == path || target.hasPrefix(path + " "),
                    let info = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(fd)", encoding: .utf8),
                    let line = info.split(separator: "\n").first(where: { $0.hasPrefix("pos:") }),
                    let offset = Int64(line.dropFirst(4).trimmingCharacters(in: .whitespaces))
                else { continue }
                furthest = max(furthest ?? 0, offset)
            }
            return furthest
        }

        /// Waits until `condition` holds or `seconds` pass; whether it held.
        @discardableResult
        func wait(upTo seconds: Double, for condition: () -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if condition() { return true }
                guard process.isRunning else { return condition() }
                usleep(2_000)
            }
            return false
        }

        /// Waits for the end (killing it after `timeout` seconds, which fails the test) and returns what it printed.
        func finish(timeout: Double = 120) -> Result {
            if !wait(upTo: timeout, for: { !process.isRunning }) {
                Issue.record("acrscan still running after \(timeout) s: killed")
                kill(pid, SIGKILL)  // not SIGTERM: a child may inherit it blocked from the test runner
            }
            process.waitUntilExit()
            group.wait()
            return Result(
                status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                stderr: String(decoding: err, as: UTF8.self))
        }
    }

    /// Starts `acrscan ARGS` (or `launcher… acrscan ARGS`) in the scratch directory and returns at once.
    /// With `readerGone`, standard output is a pipe whose reading end is already closed.
    func start(
        _ arguments: [String], launcher: [String] = [], environment extra: [String: String] = [:],
        readerGone: Bool = false
    ) throws -> Running {
        let process = self.process(arguments, launcher: launcher, environment: extra)
        let input = Pipe()
        let out = Pipe()
        let err = Pipe()
        if readerGone { try out.fileHandleForReading.close() }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        return Running(process, input: input, stdout: readerGone ? nil : out, stderr: err)
    }

    /// Runs `acrscan ARGS` to the end with a watchdog (a hang fails the test instead of blocking it).
    func run(_ arguments: [String], timeout: Double, environment: [String: String] = [:]) throws -> Result {
        let running = try start(arguments, environment: environment)
        try running.input.fileHandleForWriting.close()
        return running.finish(timeout: timeout)
    }

    /// Runs `acrscan ARGS` under `/usr/bin/time` and returns the result with the peak resident set
    /// in KiB; nil when `/usr/bin/time` is not installed.
    func measured(_ arguments: [String], timeout: Double = 300) throws -> (Result, Int)? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else { return nil }
        let report = path("time-\(UUID().uuidString).txt")
        let running = try start(arguments, launcher: ["/usr/bin/time", "-f", "%M", "-o", report])
        try running.input.fileHandleForWriting.close()
        let result = running.finish(timeout: timeout)
        let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        guard let kib = text.split(separator: "\n").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
        else { return nil }
        return (result, kib)
    }

    /// How to run as an unprivileged user, so that file permissions apply: nothing when the tests
    /// already run unprivileged, `setpriv` to `nobody` when they run as root, nil when they run as
    /// root without `setpriv` (permission tests are then skipped: root reads and writes anything).
    static var unprivileged: [String]? {
        if getuid() != 0 { return [] }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return nil }
        return ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    }

    /// Whether commands can run as an unprivileged user here: true when the tests run
    /// unprivileged, or as root with a `setpriv` that is allowed to drop privileges (tried once).
    static let canRunUnprivileged: Bool = {
        guard let launcher = unprivileged else { return false }
        guard let tool = launcher.first else { return true }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = Array(launcher.dropFirst()) + ["/bin/true"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// Why the permission tests are skipped when they are (the test report shows it).
    static let unprivilegedReason: Comment =
        "needs an unprivileged user: the tests run as root and /usr/bin/setpriv is missing or not allowed (apt-get install util-linux)"
}
