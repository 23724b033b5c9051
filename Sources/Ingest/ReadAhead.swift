import Dispatch
import LogScanner

/// Decompresses a source on a thread of its own, a few chunks ahead of the scan that reads them:
/// a compressed file's inflate and scan overlap on two cores when a sweep has fewer files than
/// jobs (`Sweep.run`: a core would idle otherwise). The chunks are the bytes `Source.read` gives,
/// in the same order, then its end or its error after the last good bytes: the scan sees exactly
/// what it reads without it. Memory stays bounded: `slots` buffers of the chunk size, no more.
///
/// One consumer: `next()` hands out the oldest filled chunk, valid until `release()` (or
/// `finish()`); `finish()` stops the producer and waits for it, after which the source is the
/// consumer's again (its position and counts as far as the producer read).
final class ReadAhead: @unchecked Sendable {
    private let source: Source
    private let buffers: [UnsafeMutableRawBufferPointer]
    /// Bytes in each slot; 0 marks the end (with `failure` set if it was an error). Raw memory:
    /// the two threads write and read different slots at once, which an array's copy-on-write
    /// would race on.
    private let lengths: UnsafeMutablePointer<Int>
    private var failure: InputError?
    /// Slots free to fill, slots filled and not yet handed out.
    private let free: DispatchSemaphore
    private let filled = DispatchSemaphore(value: 0)
    private let done = DispatchGroup()
    /// Set by `finish()`; read by the producer between chunks.
    private let stopping = Flag()
    private var reading = 0
    private var ended = false

    /// Starts decompressing `source` ahead into `slots` buffers of `chunkSize` bytes.
    init(_ source: Source, chunkSize: Int, slots: Int = 3) {
        self.source = source
        let count = max(2, slots)
        buffers = (0..<count).map { _ in .allocate(byteCount: chunkSize, alignment: LogFile.bufferAlignment) }
        lengths = .allocate(capacity: count)
        lengths.initialize(repeating: 0, count: count)
        // Made at 0 and signalled: libdispatch traps when a semaphore goes while below the value
        // it was made with, as `free` may (slots filled and never handed back).
        free = DispatchSemaphore(value: 0)
        for _ in 0..<count { free.signal() }
        done.enter()
        DispatchQueue.global().async { [self] in
            defer { done.leave() }
            var slot = 0
            while true {
                free.wait()
                if stopping.isSet { return }
                var n = 0
                do throws(InputError) {
                    n = try self.source.read(into: buffers[slot])
                } catch {
                    failure = error
                }
                lengths[slot] = n
                filled.signal()
                if n == 0 { return }
                slot = (slot + 1) % buffers.count
            }
        }
    }

    deinit {
        finish()
        for buffer in buffers { buffer.deallocate() }
        lengths.deallocate()
    }

    /// The next chunk; nil at the end of the content. Throws, after the last good chunk, what the
    /// read threw.
    func next() throws(InputError) -> UnsafeRawBufferPointer? {
        guard !ended else { return nil }
        filled.wait()
        let n = lengths[reading]
        if n == 0 {
            ended = true
            if let failure { throw failure }
            return nil
        }
        return UnsafeRawBufferPointer(rebasing: buffers[reading][0..<n])
    }

    /// Gives the chunk `next()` handed out back to the producer.
    func release() {
        reading = (reading + 1) % buffers.count
        free.signal()
    }

    /// Stops the producer (after the chunk it is reading) and waits for it. Idempotent.
    func finish() {
        guard !stopping.isSet else { return }
        stopping.set()
        free.signal()
        done.wait()
    }
}

/// Threads a sweep may add to decompress ahead of its scans (`ReadAhead`): the jobs no file
/// takes when there are fewer files than jobs.
final class SpareThreads: @unchecked Sendable {
    private var count = 0
    private let queue = DispatchQueue(label: "acrscan.spare-threads")

    /// Sets how many there are.
    func set(_ value: Int) { queue.sync { count = max(0, value) } }

    /// Takes one; false when none is left.
    func take() -> Bool {
        queue.sync {
            guard count > 0 else { return false }
            count -= 1
            return true
        }
    }

    /// Gives one back.
    func give() { queue.sync { count += 1 } }
}
