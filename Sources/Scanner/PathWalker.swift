#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands command-line paths into the files to scan: files as given, directories walked
/// recursively in byte order of their names (stable from run to run), `-` for standard input.
/// Symbolic links are followed once; a directory seen twice (a link loop) is not walked again.
public enum PathWalker {
    /// The files under `paths`, in order; problems (missing paths, loops, dangling links) are
    /// reported through `warn` and the walk goes on.
    public static func files(in paths: [String], warn: (InputError) -> Void) -> [String] {
        var result: [String] = []
        var seen = Set<DirectoryID>()
        for path in paths {
            if path == "-" {
                result.append(path)
                continue
            }
            visit(path, seen: &seen, into: &result, warn: warn)
        }
        return result
    }

    /// Adds `path`: a file as it is, a directory by walking it; a path that cannot be stat'ed is reported.
    static func visit(_ path: String, seen: inout Set<DirectoryID>, into result: inout [String], warn: (InputError) -> Void) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            warn(problem(path, errno: errno))
            return
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            walk(path, info: info, seen: &seen, into: &result, warn: warn)
        } else {
            result.append(path)
        }
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

    static func walk(_ directory: String, info: stat, seen: inout Set<DirectoryID>, into result: inout [String], warn: (InputError) -> Void) {
        guard seen.insert(DirectoryID(info)).inserted else {
            warn(.skipped(path: directory, reason: "a directory already walked (a symbolic link loop?)"))
            return
        }
        guard let dir = opendir(directory) else {
            warn(LogFile.openError(path: directory, errno: errno))
            return
        }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        closedir(dir)
        names.sort { $0.lexicographicallyPrecedes($1) }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        for name in names {
            let decoded = String(decoding: name, as: UTF8.self)
            let path = prefix + decoded
            guard decoded.utf8.elementsEqual(name) else {  // decoding replaced bytes
                // Paths are Strings from here on: a name that is not UTF-8 could not be opened again.
                warn(.skipped(path: path, reason: "its name is not valid UTF-8 (rename it to scan it)"))
                continue
            }
            visit(path, seen: &seen, into: &result, warn: warn)
        }
    }
}
