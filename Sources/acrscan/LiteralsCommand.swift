import ArgumentParser
import LogScanner

/// `acrscan literals`: prints the prefilter's literals, one per line, for benchmarks that compare
/// the scan with `rg -F -i` on the same literal set. Not shown in help.
struct LiteralsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "literals", abstract: "Print the prefilter literals (for benchmarks).", shouldDisplay: false)

    func run() throws {
        let text = Matcher.standard.prefilter.literals.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
        Terminal.writeStdout(text + "\n")
    }
}
