#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error number of the C library with its message, in the manner of swift-system's `Errno`:
/// the one place that reads `errno` and turns it into text.
public struct Errno: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `errno` value (`ENOENT`, `EACCES`, …).
    public let rawValue: Int32

    /// The error of this number.
    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The error the last failed call left in `errno`.
    public static var current: Errno { Errno(rawValue: errno) }

    /// `strerror`'s text (`No such file or directory`), or `unknown reason` for 0.
    public var description: String {
        rawValue != 0 ? String(cString: strerror(rawValue)) : "unknown reason"
    }
}

/// Runs a C call that returns -1 and sets `errno` when it fails, again as long as a signal
/// interrupts it (`EINTR`) unless `retryOnInterrupt` is false (swift-system's `valueOrErrno`).
@inlinable
public func valueOrErrno<I: FixedWidthInteger>(retryOnInterrupt: Bool = true, _ call: () -> I) -> Result<I, Errno> {
    while true {
        let value = call()
        if value != -1 { return .success(value) }
        let error = Errno.current
        if retryOnInterrupt && error.rawValue == EINTR { continue }
        return .failure(error)
    }
}

/// Writes all of `bytes` to `fd`, retrying short and interrupted writes; the error of the write
/// that failed (`EPIPE` when the reader has gone), if one did.
public func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Void, Errno> {
    var offset = 0
    while offset < bytes.count {
        switch valueOrErrno({ write(fd, bytes.baseAddress! + offset, bytes.count - offset) }) {
        case .success(let n): offset += n
        case .failure(let error): return .failure(error)
        }
    }
    return .success(())
}
