import Foundation
import Testing

/// Runs the built `acrscan` binary as a user would: a fixed environment (`TZ=UTC`, `LC_ALL=C`,
/// no `ACRSCAN_DB`), a scratch directory of its own, and captured output.
struct Tool {
    /// The package root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The built binary, next to the test bundle.
    static let binary: URL = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("acrscan")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/acrscan")
    }()

    /// What a run printed and how it ended.
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// A fresh scratch directory, removed by the caller when done (or left in /tmp).
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("acrscan-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A path inside the scratch directory.
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes a file into the scratch directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A process that runs `acrscan ARGS` (or `launcher… acrscan ARGS`) in the scratch directory
    /// with the fixed environment, not started yet; its standard streams are the caller's to set.
    func process(_ arguments: [String], launcher: [String] = [], environment extra: [String: String] = [:]) -> Process {
        let process = Process()
        if let first = launcher.first {
            process.executableURL = URL(fileURLWithPath: first)
            process.arguments = Array(launcher.dropFirst()) + [Tool.binary.path] + arguments
        } else {
            process.executableURL = Tool.binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory
        var environment = ["TZ": "UTC", "LC_ALL": "C", "PATH": "/usr/bin:/bin", "HOME": directory.path]
        environment.merge(Tool.sanitizerOptions) { $1 }
        environment.merge(extra) { $1 }
        process.environment = environment
        return process
    }

    /// Runs `acrscan ARGS` in the scratch directory, feeding `stdin` if given.
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:]) throws -> Result {
        try Tool.capture(process(arguments, environment: extra), stdin: stdin)
    }

    /// Runs `process` (not started yet) to its end with its output captured, feeding `stdin` if
    /// given (else an empty standard input).
    static func capture(_ process: Process, stdin: String? = nil) throws -> Result {
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
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
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `python3 ARGS` (a script of `scripts/` and its arguments) with a fixed environment;
    /// fails the test with a message when python3 is not installed.
    static func python3(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C", "TZ": "UTC"]
        let result = try capture(process)
        if result.status == 127 {
            let script = arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "the scripts"
            throw Missing(
                description: "python3 is needed to run \(script) (apt-get install python3; .ci/run installs it)")
        }
        return result
    }

    /// A tool a test needs is not installed: the test fails with this message (`.ci/run` installs it).
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs a query with the sqlite3 shell; a test that asks for it fails when it is not installed.
    func sql(_ database: String, _ query: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else {
            throw Missing(
                description:
                    "the sqlite3 shell is needed at /usr/bin/sqlite3 (apt-get install sqlite3; .ci/run installs it)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-batch", "-cmd", ".timeout 5000", database, query]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice  // errors show as empty output to the caller
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses a JSON object printed by the tool.
    static func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }
}
