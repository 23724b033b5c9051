import Foundation
import LogModel
import LogScanner
import Testing

@testable import LogIngest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The walk's order and the paths it skips with their reason.
@Suite struct WalkProblemTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("acrscan-walkp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: path(name)))
        return path(name)
    }

    @Test("directories are walked recursively in a stable order; loops and dangling links are reported")
    func walk() throws {
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("b/inner"), withIntermediateDirectories: true)
        _ = try write("b/inner/z.log", "z\n")
        _ = try write("a.log", "a\n")
        _ = try write("b/y.log", "y\n")
        try FileManager.default.createSymbolicLink(
            atPath: directory.appendingPathComponent("b/inner/loop").path,
            withDestinationPath: directory.appendingPathComponent("b").path)
        try FileManager.default.createSymbolicLink(
            atPath: directory.appendingPathComponent("dangling").path, withDestinationPath: "/nonexistent/x")
        var problems: [InputError] = []
        let files = PathWalker.files(in: [directory.path]) { problems.append($0) }
        #expect(files.map { String($0.dropFirst(directory.path.count + 1)) } == ["a.log", "b/inner/z.log", "b/y.log"])
        #expect(problems.count == 2)
    }

    @Test("walking: non-UTF-8 names, dangling links and link loops are skipped with their reason")
    func walkProblems() throws {
        _ = try write("good.log", Array("x\n".utf8))
        let badName = directory.path + "/bad\u{FFFD}name.log"
        var raw = Array((directory.path + "/bad").utf8) + [0xFF] + Array("name.log".utf8) + [0]
        let fd = raw.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o600) }
        }
        #expect(fd >= 0)
        close(fd)
        try FileManager.default.createSymbolicLink(atPath: path("dangling.log"), withDestinationPath: path("nowhere"))
        try FileManager.default.createSymbolicLink(atPath: path("loop-a"), withDestinationPath: path("loop-b"))
        try FileManager.default.createSymbolicLink(atPath: path("loop-b"), withDestinationPath: path("loop-a"))
        var problems: [InputError] = []
        let files = PathWalker.files(in: [directory.path, path("loop-a")]) { problems.append($0) }
        #expect(files == [path("good.log")])
        #expect(
            problems == [
                .skipped(path: badName, reason: "its name is not valid UTF-8 (rename it to scan it)"),
                .skipped(path: path("dangling.log"), reason: "a dangling symbolic link (its target does not exist)"),
                .skipped(path: path("loop-a"), reason: "a symbolic link loop"),
                .skipped(path: path("loop-b"), reason: "a symbolic link loop"),
                .skipped(path: path("loop-a"), reason: "a symbolic link loop"),
            ])
    }
}
