import LogIngest
import LogModel
import LogReport
import LogStore

/// A one-line progress bar on standard error, redrawn at most ten times a second.
final class ProgressBar: @unchecked Sendable {
    // Touched only from the sweep's serial store queue.
    private var lastDraw = 0.0
    private let started = Terminal.monotonic()
    private var drawn = false

    func update(_ p: SweepProgress) {
        let now = Terminal.monotonic()
        guard now - lastDraw >= 0.1 || p.filesDone == p.filesTotal else { return }
        lastDraw = now
        let width = 24
        let filled = p.filesTotal == 0 ? 0 : width * p.filesDone / p.filesTotal
        let mb = Double(p.bytes) / 1_000_000
        let rate = mb / max(now - started, 1e-3)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        Terminal.writeStderr(
            "\r\u{1B}[K[\(bar)] \(p.filesDone)/\(p.filesTotal) files  \(ScanSummaryText.format(mb, 1)) MB  \(ScanSummaryText.format(rate, 1)) MB/s"
        )
        drawn = true
    }

    func clear() {
        if drawn { Terminal.writeStderr("\r\u{1B}[K") }
    }
}
