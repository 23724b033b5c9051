import ArgumentParser
import LogModel
import LogReport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--output FILE`, `--ascii` and `--tz ZONE`, shared by `report` and `timeline`.
struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write to FILE instead of standard output.", valueName: "FILE"))
    var output: String?

    @Flag(help: "Draw with ASCII only (no Unicode sparklines or marks).")
    var ascii = false

    @Option(
        help: ArgumentHelp(
            "Print times in this zone: an IANA name like Europe/Paris (default: UTC). JSON and CSV stay UTC.",
            valueName: "ZONE"))
    var tz: String?

    func validate() throws {
        _ = try zone()
    }

    /// The display zone of `--tz`.
    func zone() throws -> DisplayZone {
        guard let tz else { return .utc }
        guard let zone = DisplayZone(identifier: tz) else {
            throw ValidationError(
                "--tz \(tz): not a time zone (use an IANA name like Europe/Paris or America/New_York, or UTC)")
        }
        return zone
    }

    /// How the plain-text renderers draw for these options.
    var tableOptions: TableOptions { Output.tableOptions(ascii: ascii, toFile: output != nil) }
}

/// Where rendered reports go, and how plain text is drawn.
enum Output {
    /// Colour only on a terminal and only when `NO_COLOR` is unset or empty; ASCII when asked or
    /// when the locale is not UTF-8.
    static func tableOptions(ascii: Bool, toFile: Bool) -> TableOptions {
        let noColor = Terminal.environment("NO_COLOR").map { !$0.isEmpty } ?? false
        let locale =
            Terminal.environment("LC_ALL") ?? Terminal.environment("LC_CTYPE") ?? Terminal.environment("LANG") ?? ""
        let utf8 = locale.uppercased().contains("UTF-8") || locale.uppercased().contains("UTF8")
        return TableOptions(color: !toFile && !noColor && Terminal.stdoutIsTerminal, ascii: ascii || !utf8)
    }

    /// Writes `text` to `path`, or to standard output. A reader that closes the pipe early
    /// (`acrscan report | head`) ends the command quietly.
    static func emit(_ text: String, to path: String?) throws {
        // By the last byte: in Swift, "\r\n" is one Character, so `hasSuffix("\n")` is false for
        // a CSV that ends with CRLF, and a second line end would make an empty last record.
        let body = text.utf8.last == UInt8(ascii: "\n") ? text : text + "\n"
        guard let path else {
            if !Terminal.writeStdout(body) { throw ExitCodeQuiet() }
            return
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(message: "\(path): cannot write: \(Errno.current)", status: .inputProblems) }
        defer { close(fd) }
        var copy = body
        if case .failure(let error) = copy.withUTF8({ writeAll(fd, UnsafeRawBufferPointer($0)) }) {
            throw Failure(message: "\(path): write failed: \(error)", status: .inputProblems)
        }
    }
}

/// Ends the command with status 0 and no message (the reader went away).
struct ExitCodeQuiet: Error {}
