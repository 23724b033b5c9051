import LogModel
import LogReport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to the terminal: standard error messages, and whether a stream is a terminal.
enum Terminal {
    /// Whether standard error is a terminal (for the progress bar).
    static var stderrIsTerminal: Bool { isatty(2) == 1 }
    /// Whether standard output is a terminal (for colour).
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }

    /// Writes `acrscan: message` to standard error, with control characters made visible; newlines
    /// too unless the message is `multiline` (usage text), so a path cannot forge a line of its own.
    static func error(_ message: String, multiline: Bool = false) {
        writeStderr("acrscan: " + Escape.terminal(message, keepingNewlines: multiline) + "\n")
    }

    /// Writes `acrscan: warning: message` to standard error, on one line.
    static func warning(_ message: String) {
        writeStderr("acrscan: warning: " + Escape.terminal(message, keepingNewlines: false) + "\n")
    }

    /// Writes raw text to standard error (the caller made it safe).
    static func writeStderr(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }

    /// Writes text to standard output; false when the reader has gone (a closed pipe).
    @discardableResult
    static func writeStdout(_ text: String) -> Bool {
        var text = text
        guard case .success = text.withUTF8({ writeAll(1, UnsafeRawBufferPointer($0)) }) else { return false }
        return true
    }

    /// The host name of this machine.
    static func hostname() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Seconds of a monotonic clock, for rates.
    static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The canonical absolute path of an existing file (`realpath(3)`), nil if it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The number of online processors.
    static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// The value of an environment variable.
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
