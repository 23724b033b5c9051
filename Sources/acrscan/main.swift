import ArgumentParser
import CSQLite
import LogModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `acrscan` command: subcommands only.
struct AcrScan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acrscan",
        abstract: "Find, count and explain Azure Container Registry authentication failures in logs.",
        discussion:
            "Exit status: 0 success; 1 some input could not be read; 2 usage error; 3 database error; 4 a requested gate tripped (--fail-on); 130 interrupted.",
        version: ToolVersion.text,
        subcommands: [
            ScanCommand.self, ReportCommand.self, TimelineCommand.self, ExplainCommand.self, MergeCommand.self,
            ExportCommand.self, PruneCommand.self, AckCommand.self, UnknownsCommand.self, LiteralsCommand.self,
        ])
}

// A broken pipe (`acrscan report | head`) ends the program quietly instead of killing it.
signal(SIGPIPE, SIG_IGN)

#if canImport(Glibc)
/// At most two malloc arenas (`M_ARENA_MAX`; glibc's <malloc.h> through CSQLite's shim), whatever `--jobs`: glibc gives each thread an
/// arena of its own up to 8 per core, and each keeps what its thread freed, which with eight jobs
/// took a few MiB of the 64 MiB SPEC allows (docs/hardening.md). `MALLOC_ARENA_MAX` still wins.
if getenv("MALLOC_ARENA_MAX") == nil { _ = mallopt(M_ARENA_MAX, 2) }
/// Blocks of 128 KiB and more (a sweep's packed batches, `OccurrenceBatch`) mapped on their own and
/// unmapped when freed, always: glibc's default raises this threshold to the size of the largest
/// block freed, after which such blocks stay in the heap when freed and the peak on the hardening
/// doc's mixed tree rose by 2-4 MiB (docs/performance.md, "Store"). `MALLOC_MMAP_THRESHOLD_` wins.
if getenv("MALLOC_MMAP_THRESHOLD_") == nil { _ = mallopt(M_MMAP_THRESHOLD, 128 * 1024) }
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
// `scan` builds its matcher on another core from here on, beside the parsing and the database's
// opening (docs/performance.md, "Branch `startup`").
if arguments.first == ScanCommand.configuration.commandName { ScanCommand.startMatcher() }
do {
    // `acrscan scan …` is parsed as `scan` alone, which skips the root's walk over every
    // subcommand's options; what that does not take as a valid scan (help, version, completion
    // scripts, every usage error) is parsed again from the root, which prints and exits as before.
    var command: ParsableCommand
    if arguments.first == ScanCommand.configuration.commandName,
        let scan = try? ScanCommand.parse(Array(arguments.dropFirst()))
    {
        command = scan
    } else {
        command = try AcrScan.parseAsRoot()
    }
    try command.run()
} catch is ExitCodeQuiet {
    exit(0)
} catch let failure as Failure {
    Terminal.error(failure.message)
    exit(failure.status.rawValue)
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    let status = AcrScan.exitCode(for: error)
    if status == .success {
        print(AcrScan.fullMessage(for: error))
        exit(0)
    }
    Terminal.error(AcrScan.fullMessage(for: error), multiline: true)
    exit(Status.usage.rawValue)
}
