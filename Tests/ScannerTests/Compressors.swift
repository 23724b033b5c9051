import Foundation
import Testing

/// The real command-line compressors (gzip, zstd, xz, bzip2, lz4), for tests that need files as
/// those tools write them. A missing tool fails the test with a message saying what to install
/// (`.ci/run` installs them all); it never passes silently.
enum Compressors {
    struct Missing: Error, CustomStringConvertible {
        let tool: String, package: String
        var description: String { "\(tool) is not installed: apt-get install \(package) (.ci/run installs it)" }
    }

    static let packages = ["gzip": "gzip", "zstd": "zstd", "xz": "xz-utils", "bzip2": "bzip2", "lz4": "lz4"]

    /// The full path of `tool` on PATH.
    static func locate(_ tool: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Missing(tool: tool, package: packages[tool] ?? tool)
    }

    /// `bytes` through `tool ARGUMENTS`. Through files, not pipes: a compressor started while
    /// another test starts one could inherit the other's pipe and keep it from ever ending.
    static func run(_ tool: String, _ arguments: [String], _ bytes: [UInt8]) throws -> [UInt8] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "acrscan-compress-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let input = scratch.appendingPathComponent("in")
        let output = scratch.appendingPathComponent("out")
        try Data(bytes).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try locate(tool))
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) \(arguments) failed")
        return Array(try Data(contentsOf: output))
    }

    /// `bytes` compressed by the format's own tool, as logrotate would run it.
    static func compress(_ format: String, _ bytes: [UInt8], arguments extra: [String] = []) throws -> [UInt8] {
        switch format {
        case "gzip": try run("gzip", ["-c"] + extra, bytes)
        case "zstd": try run("zstd", ["-q", "-c"] + extra, bytes)
        case "xz": try run("xz", ["-c", "-T1"] + extra, bytes)
        case "bzip2": try run("bzip2", ["-c"] + extra, bytes)
        case "lz4": try run("lz4", ["-q", "-c"] + extra, bytes)
        default: fatalError("no compressor for \(format)")
        }
    }
}
