import Dispatch
import LogModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C during a scan: the first SIGINT runs `action` (stop at the next chunk, commit, exit 130);
/// a second one ends the program at once with status 130. Either way nothing committed is lost:
/// every commit is a whole SQLite transaction.
final class Interrupt {
    private let source: DispatchSourceSignal

    /// Catches SIGINT until `release()`; `action` runs on a dispatch queue, not in a signal handler.
    init(_ action: @escaping @Sendable () -> Void) {
        // The dispatch source sees the signal only while its default action (ending the process) is off.
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue(label: "acrscan.interrupt"))
        nonisolated(unsafe) var received = 0  // touched only by the handler, on its serial queue
        source.setEventHandler { [source] in
            received += max(1, Int(source.data))  // signals that came together count apart
            if received > 1 { _exit(Status.interrupted.rawValue) }  // the user insists: no cleanup, no wait
            action()
        }
        source.resume()
    }

    /// Gives SIGINT its default action back.
    func release() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
