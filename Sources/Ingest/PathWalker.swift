import LogModel
import LogScanner
import LogStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which files a walk keeps (`scan --exclude`, `--include`, `--max-depth`).
public struct WalkFilter: Sendable, Equatable {
    /// Files and directories to leave out; an excluded directory is not walked at all.
    public var exclude: [Glob]
    /// When not empty, only files that match one of these are kept (directories are walked).
    public var include: [Glob]
    /// The deepest level walked below a directory given: 1 keeps only the files directly in it;
    /// nil walks everything.
    public var maxDepth: Int?

    /// A filter; the default keeps everything.
    public init(exclude: [Glob] = [], include: [Glob] = [], maxDepth: Int? = nil) {
        self.exclude = exclude
        self.include = include
        self.maxDepth = maxDepth
    }

    /// Whether a file or directory found by a walk, at `relative` below the directory given
    /// (its name last), is left out.
    func excludes(_ relative: [UInt8], name: [UInt8]) -> Bool {
        exclude.contains { $0.matches(relative, name: name) }
    }

    /// Whether a file found by a walk is kept, by the include patterns.
    func includes(_ relative: [UInt8], name: [UInt8]) -> Bool {
        include.isEmpty || include.contains { $0.matches(relative, name: name) }
    }
}

/// A shell-style pattern: `*` (any run of characters but `/`), `?` (one character but `/`),
/// `[abc]`, `[a-z]`, `[!abc]`, `**` (any run, `/` included; `**/` also none), `\x` (x itself). A
/// pattern without `/` is matched against a name; one with `/` against the path below the
/// directory given on the command line (`nginx/*.log`, `**/archive/**`).
public struct Glob: Sendable, Equatable, CustomStringConvertible {
    public let description: String
    let pattern: [UInt8]
    let matchesPath: Bool

    /// A pattern; nil when it is empty.
    public init?(_ text: String) {
        guard !text.isEmpty else { return nil }
        description = text
        var bytes = Array(text.utf8)
        while bytes.count > 1, bytes.last == 0x2F { bytes.removeLast() }  // `dir/` is `dir`
        pattern = bytes
        matchesPath = bytes.contains(0x2F)
    }

    func matches(_ relative: [UInt8], name: [UInt8]) -> Bool {
        Glob.match(pattern[...], matchesPath ? relative[...] : name[...])
    }

    /// Whether `text` matches `pattern` entirely. Backtracking; patterns are short.
    static func match(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex
        var t = text.startIndex
        while p < pattern.endIndex {
            let c = pattern[p]
            if c == 0x2A {  // *
                if p + 1 < pattern.endIndex, pattern[p + 1] == 0x2A {  // **
                    var rest = p + 2
                    if rest < pattern.endIndex, pattern[rest] == 0x2F {  // **/ matches no directory too
                        rest += 1
                        if match(pattern[rest...], text[t...]) { return true }
                    }
                    var k = t
                    while k <= text.endIndex {
                        if match(pattern[rest...], text[k...]) { return true }
                        k += 1
                    }
                    return false
                }
                var k = t
                while true {
                    if match(pattern[(p + 1)...], text[k...]) { return true }
                    guard k < text.endIndex, text[k] != 0x2F else { return false }
                    k += 1
                }
            }
            guard t < text.endIndex else { return false }
            if c == 0x3F {  // ?
                guard text[t] != 0x2F else { return false }
            } else if c == 0x5B, let (matched, next) = bracket(pattern, at: p, text[t]) {  // [...]
                guard matched else { return false }
                p = next
                t += 1
                continue
            } else if c == 0x5C, p + 1 < pattern.endIndex {  // \x
                p += 1
                guard pattern[p] == text[t] else { return false }
            } else {
                guard c == text[t] else { return false }
            }
            p += 1
            t += 1
        }
        return t == text.endIndex
    }

    /// A bracket expression at `pattern[at]` (`[`): whether `byte` is in it, and the index after its
    /// `]`; nil when it has no `]` (then `[` is itself).
    static func bracket(_ pattern: ArraySlice<UInt8>, at start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < pattern.endIndex, pattern[i] == 0x21 || pattern[i] == 0x5E {
            negate = true
            i += 1
        }
        var matched = false
        var first = true
        while i < pattern.endIndex, pattern[i] != 0x5D || first {
            first = false
            let low = pattern[i]
            if i + 2 < pattern.endIndex, pattern[i + 1] == 0x2D, pattern[i + 2] != 0x5D {
                if low <= byte && byte <= pattern[i + 2] { matched = true }
                i += 3
            } else {
                if low == byte { matched = true }
                i += 1
            }
        }
        guard i < pattern.endIndex else { return nil }
        return (matched != negate && byte != 0x2F, i + 1)
    }
}

/// Expands command-line paths into the files to scan: files as given, directories walked
/// recursively in byte order of their names (stable from run to run), `-` for standard input.
/// Symbolic links are followed once; a directory seen twice is not walked again: through a link to
/// one of its own ancestors (a loop) it is named as skipped; through a second path to a directory
/// walked elsewhere (`current -> builds`) it is left out quietly, its files already scanned (sweep
/// workflow check: such a tree warned and exited 1 every night).
///
/// The walk is a stream (`Walk`): a file is handed out as soon as it is found, and memory holds only
/// the names of the directories on the current path (each read whole, to be sorted), never the
/// list of every file.
public enum PathWalker {
    /// The files under `paths`, in order; problems (missing paths, loops, dangling links) are
    /// reported through `warn` and the walk goes on. Collects the whole walk: prefer `Walk`.
    public static func files(in paths: [String], filter: WalkFilter = WalkFilter(), warn: (InputError) -> Void)
        -> [String]
    {
        var walk = Walk(paths, filter: filter)
        var result: [String] = []
        while let (file, _) = walk.next(warn: warn) { result.append(file) }
        return result
    }

    /// Why `stat(path)` failed with `code`: a dangling link is told apart from a missing file.
    static func problem(_ path: String, errno code: Int32) -> InputError {
        var link = stat()
        if code == ENOENT, lstat(path, &link) == 0 {
            return .skipped(path: path, reason: "a dangling symbolic link (its target does not exist)")
        }
        if code == ELOOP { return .skipped(path: path, reason: "a symbolic link loop") }
        return LogFile.openError(path: path, errno: code)
    }

    struct DirectoryID: Hashable {
        let device: UInt64, inode: UInt64
        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }
}

/// A walk of command-line paths, one file at a time (see `PathWalker`).
public struct Walk {
    /// One directory being walked: its names (in one buffer, sorted), the next one to visit.
    struct Frame {
        let path: String
        let id: PathWalker.DirectoryID
        /// The path below the directory given on the command line ("" for that directory).
        let relative: [UInt8]
        let depth: Int
        var names: [UInt8] = []
        var ranges: [Range<Int>] = []
        var next = 0
    }

    private var arguments: [String]
    private var argumentIndex = 0
    private var root = ""
    private var stack: [Frame] = []
    private var seen = Set<PathWalker.DirectoryID>()
    private let filter: WalkFilter

    /// A walk of `paths`, in order.
    public init(_ paths: [String], filter: WalkFilter = WalkFilter()) {
        arguments = paths
        self.filter = filter
    }

    /// The next file and the command-line path it was found under; nil at the end. Problems are
    /// reported through `warn` as they are met.
    public mutating func next(warn: (InputError) -> Void) -> (file: String, root: String)? {
        while true {
            if var frame = stack.popLast() {
                guard frame.next < frame.ranges.count else { continue }
                let range = frame.ranges[frame.next]
                frame.next += 1
                stack.append(frame)
                let name = Array(frame.names[range])
                let decoded = String(decoding: name, as: UTF8.self)
                let prefix = frame.path.hasSuffix("/") ? frame.path : frame.path + "/"
                let path = prefix + decoded
                let relative = frame.relative.isEmpty ? name : frame.relative + [0x2F] + name
                if filter.excludes(relative, name: name) { continue }
                guard decoded.utf8.elementsEqual(name) else {  // decoding replaced bytes
                    // Paths are Strings from here on: a name that is not UTF-8 could not be opened again.
                    warn(.skipped(path: path, reason: "its name is not valid UTF-8 (rename it to scan it)"))
                    continue
                }
                var info = stat()
                guard stat(path, &info) == 0 else {
                    warn(PathWalker.problem(path, errno: errno))
                    continue
                }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    if let maxDepth = filter.maxDepth, frame.depth + 1 >= maxDepth { continue }
                    open(path, relative: relative, depth: frame.depth + 1, info: info, warn: warn)
                    continue
                }
                if !filter.includes(relative, name: name) { continue }
                return (path, root)
            }
            guard argumentIndex < arguments.count else { return nil }
            let path = arguments[argumentIndex]
            argumentIndex += 1
            root = path
            if path == "-" { return (path, path) }
            var info = stat()
            guard stat(path, &info) == 0 else {
                warn(PathWalker.problem(path, errno: errno))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                open(path, relative: [], depth: 0, info: info, warn: warn)
            } else {
                return (path, path)  // a file given by name is always scanned
            }
        }
    }

    /// Where `d_name` lies in a `dirent`.
    private let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!

    /// Reads a directory's names, sorted, onto the stack.
    private mutating func open(
        _ directory: String, relative: [UInt8], depth: Int, info: stat, warn: (InputError) -> Void
    ) {
        let id = PathWalker.DirectoryID(info)
        guard seen.insert(id).inserted else {
            // A loop only when it leads back to a directory on the current path; another path to a
            // directory walked elsewhere reads nothing new.
            if stack.contains(where: { $0.id == id }) {
                warn(.skipped(path: directory, reason: "a directory already walked (a symbolic link loop?)"))
            }
            return
        }
        guard let dir = opendir(directory) else {
            warn(LogFile.openError(path: directory, errno: errno))
            return
        }
        var frame = Frame(path: directory, id: id, relative: relative, depth: depth)
        while let entry = readdir(dir) {
            let start = frame.names.count
            // The name up to its NUL, read in place: copying the whole 256-byte `d_name` field
            // reads past a short last entry of the kernel's buffer (a crash seen at 100,000 files).
            let name = UnsafeRawPointer(entry) + nameOffset
            frame.names.append(
                contentsOf: UnsafeRawBufferPointer(start: name, count: strlen(name.assumingMemoryBound(to: CChar.self)))
            )
            let range = start..<frame.names.count
            let count = range.count
            if count == 1 && frame.names[start] == 0x2E
                || count == 2 && frame.names[start] == 0x2E && frame.names[start + 1] == 0x2E
            {
                frame.names.removeSubrange(range)
                continue
            }
            frame.ranges.append(range)
        }
        closedir(dir)
        let names = frame.names
        frame.ranges.sort { names[$0].lexicographicallyPrecedes(names[$1]) }
        stack.append(frame)
    }
}
