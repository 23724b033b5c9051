import ArgumentParser
import LogModel
import LogReport
import LogScanner

/// `acrscan explain [TYPE]`: what a failure type means and how to fix it.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain an error type: what happened, how to confirm it, how to fix it.")

    @Argument(help: ArgumentHelp("The error type; without one, lists them all."))
    var type: ErrorType?

    func run() throws {
        if let type {
            Terminal.writeStdout(Remediation.entry(for: type).renderText() + "\n")
        } else {
            Terminal.writeStdout(Remediation.renderOverview() + "\n")
        }
    }
}
