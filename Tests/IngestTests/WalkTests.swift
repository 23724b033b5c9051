import Foundation
import LogModel
import LogScanner
import Testing

@testable import LogIngest

/// `scan --exclude`, `--include` and `--max-depth` (issue 12), and the walk as a stream (issue 14).
@Suite struct WalkTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("acrscan-walk-\(UUID().uuidString)")
        for dir in ["nginx/old", "journal", "apps/web/archive"] {
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        for file in [
            "syslog", "btmp", "btmp.1", "nginx/access.log", "nginx/error.log", "nginx/old/error.log.1.gz",
            "journal/system.journal", "apps/web/app.log", "apps/web/archive/app.log.1",
        ] {
            try Data("x\n".utf8).write(to: directory.appendingPathComponent(file))
        }
    }

    func walk(_ filter: WalkFilter, paths: [String]? = nil) -> [String] {
        var problems: [InputError] = []
        let files = PathWalker.files(in: paths ?? [directory.path], filter: filter) { problems.append($0) }
        #expect(problems.isEmpty)
        return files.map { $0.hasPrefix(directory.path + "/") ? String($0.dropFirst(directory.path.count + 1)) : $0 }
    }

    @Test("glob patterns: *, ?, [..], [!..], **, \\, names and paths")
    func globs() {
        func m(_ pattern: String, _ path: String) -> Bool {
            let name = Array(path.split(separator: "/").last.map(String.init)?.utf8 ?? "".utf8)
            return Glob(pattern)!.matches(Array(path.utf8), name: name)
        }
        #expect(m("*.gz", "nginx/old/error.log.1.gz"))
        #expect(!m("*.gz", "nginx/error.log"))
        #expect(m("btmp*", "btmp.1") && m("btmp*", "btmp"))
        #expect(m("error.log.?.gz", "a/error.log.1.gz") && !m("error.log.?.gz", "a/error.log.12.gz"))
        #expect(m("[ab]tmp", "btmp") && !m("[!ab]tmp", "btmp") && m("[a-c]tmp", "btmp") && !m("[c-z]tmp", "btmp"))
        #expect(m("nginx/*.log", "nginx/error.log") && !m("nginx/*.log", "nginx/old/x.log"))
        #expect(m("nginx/**", "nginx/old/x.log") && m("**/archive/**", "apps/web/archive/app.log.1"))
        #expect(m("**/app.log", "app.log") && m("**/app.log", "apps/web/app.log"))
        #expect(m("\\*.log", "*.log") && !m("\\*.log", "a.log"))
        #expect(m("*", "anything") && !m("a*b", "a/b"))
        #expect(Glob("") == nil)
    }

    @Test("--exclude leaves out files and whole directories; --include keeps only matching files")
    func filters() {
        #expect(walk(WalkFilter()).count == 9)
        #expect(
            walk(WalkFilter(exclude: [Glob("btmp*")!, Glob("journal")!])) == [
                "apps/web/app.log", "apps/web/archive/app.log.1", "nginx/access.log", "nginx/error.log",
                "nginx/old/error.log.1.gz", "syslog",
            ])
        #expect(
            walk(WalkFilter(exclude: [Glob("**/archive")!, Glob("nginx/old/")!], include: [Glob("*.log")!])) == [
                "apps/web/app.log", "nginx/access.log", "nginx/error.log",
            ])
        #expect(walk(WalkFilter(include: [Glob("*.gz")!, Glob("syslog")!])) == ["nginx/old/error.log.1.gz", "syslog"])
        // A file named on the command line is scanned whatever the filters.
        #expect(walk(WalkFilter(exclude: [Glob("btmp")!]), paths: [directory.path + "/btmp"]) == ["btmp"])
    }

    @Test("--max-depth: 1 keeps the files directly in the directory given, 2 one level more")
    func depth() {
        #expect(walk(WalkFilter(maxDepth: 1)) == ["btmp", "btmp.1", "syslog"])
        #expect(
            walk(WalkFilter(maxDepth: 2)) == [
                "btmp", "btmp.1", "journal/system.journal", "nginx/access.log", "nginx/error.log", "syslog",
            ])
        #expect(walk(WalkFilter(maxDepth: 3)).count == 8)
    }

    @Test("the walk is a stream: a directory's names are read when it is reached, not before the first file")
    func stream() throws {
        var walk = Walk([directory.path])
        var problems: [InputError] = []
        let first = walk.next { problems.append($0) }
        #expect(first?.file.hasSuffix("apps/web/app.log") == true)
        // Written after the walk began, in a directory it has not reached yet: found.
        try Data("x\n".utf8).write(to: directory.appendingPathComponent("nginx/later.log"))
        var rest: [String] = []
        while let (file, _) = walk.next(warn: { problems.append($0) }) { rest.append(file) }
        #expect(rest.contains(directory.path + "/nginx/later.log"))
        #expect(problems.isEmpty)
    }
}
