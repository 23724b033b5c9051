import LogModel
import LogScanner
import LogStore

/// Which host a log belongs to (`scan --host NAME`, `scan --host-from-path N`).
///
/// With a depth N, a file found under a directory given on the command line belongs to the host
/// named by the Nth component of its path below that directory: `scan logs --host-from-path 1`
/// reads `logs/web-1/var/log/docker.log` as host `web-1`. The component must be a directory, never
/// the file itself. Files that the rule names no host for (a file given directly, standard input,
/// a file less than N+1 components deep) take the fallback, if there is one.
public struct HostRule: Sendable, Equatable {
    /// The component below each directory argument that names the host (1 = the first); nil to
    /// give every file the fallback.
    public var depth: Int?
    /// The host of the files that the depth rule names none for.
    public var fallback: String?

    /// A rule.
    public init(depth: Int? = nil, fallback: String? = nil) {
        self.depth = depth
        self.fallback = fallback
    }

    /// The host of `file`, which was found under the command-line argument `root`; nil when the
    /// rule names none and there is no fallback.
    public func host(of file: String, under root: String) -> String? {
        guard let depth, depth > 0 else { return fallback }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard file.hasPrefix(prefix) else { return fallback }
        let components = file.dropFirst(prefix.count).split(separator: "/")
        guard components.count > depth else { return fallback }
        return String(components[depth - 1])
    }
}
