import Foundation
import LogModel
import Testing

@testable import LogScanner

#if canImport(Glibc)
import Glibc
#endif

/// The decoders' shared memory budget (docs/hardening.md, "Input"): however many files are decoded
/// at once, their windows and dictionaries together stay within it.
@Suite struct DecoderBudgetTests {
    /// Decodes `compressed` (one or more members) through a decoder of `format` on `budget`; the
    /// content, or the failure that stopped it.
    static func decode(_ compressed: [UInt8], _ format: Compression, budget: DecoderBudget) -> Result<
        [UInt8], DecodeFailure
    > {
        var out: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        do {
            let decoder = try Decoders.make(format, budget: budget)
            var at = 0
            while at < compressed.count {
                let step = try compressed.withUnsafeBytes { all in
                    // The input in reads of 100 KiB, as LogFile gives it (a header may come in two).
                    let end = min(compressed.count, at + 100 * 1024)
                    return try decoder.decode(
                        UnsafeRawBufferPointer(rebasing: all[at..<end]), into: buffer, atEnd: end == compressed.count)
                }
                at += step.consumed
                out += buffer[0..<step.produced]
                if step.ended, at < compressed.count { try decoder.restart() }
                if !step.ended, step.consumed == 0, step.produced == 0 { break }
            }
            return .success(out)
        } catch let error as DecodeFailure {
            return .failure(error)
        } catch {
            return .failure(.corrupt("\(error)"))
        }
    }

    /// Runs `body(i)` on `count` threads of its own at once (not a dispatch queue, whose width is
    /// the number of cores), and waits for all.
    static func concurrently(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let done = DispatchGroup()
        for i in 0..<count {
            done.enter()
            let thread = Thread {
                body(i)
                done.leave()
            }
            thread.start()
        }
        done.wait()
    }

    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Int: Result<[UInt8], DecodeFailure>] = [:]
        func set(_ i: Int, _ result: Result<[UInt8], DecodeFailure>) { lock.withLock { results[i] = result } }
        func get(_ i: Int) -> Result<[UInt8], DecodeFailure>? { lock.withLock { results[i] } }
    }

    /// About 2.3 MB of log lines that do not repeat within a MiB (the window is really used).
    static let text: [UInt8] = Array(
        (0..<30_000).map { "2026-11-20T03:14:15.\($0)Z line \($0 &* 2_654_435_761 % 1_000_003) health \($0 % 97) ms\n" }
            .joined().utf8)

    @Test(
        "eight zstd, xz and bzip2 decoders at once: each file whole, all together within the budget (the others wait)",
        arguments: [
            ("zstd", ["--long=21"], Compression.zstd, 2 << 20), ("xz", ["--lzma2=dict=2MiB"], .xz, 2 << 20),
            ("bzip2", ["-9"], .bzip2, 3_600_000),
        ])
    func eightAtOnce(tool: String, arguments: [String], format: Compression, window: Int) throws {
        let compressed = try Compressors.compress(tool, Self.text, arguments: arguments)
        // Room for two windows, not three.
        let budget = DecoderBudget(total: window * 5 / 2 + (512 << 10))
        let outcomes = Outcomes()
        // All but half a window is held before the decoders start, and given back only once one of
        // them waits: whatever the scheduler does (on a loaded machine the eight threads can run one
        // after the other), the waiting is exercised.
        var hold: DecoderReservation? = DecoderReservation(budget)
        try hold?.grow(to: budget.total - window / 2)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            Self.concurrently(8) { i in outcomes.set(i, Self.decode(compressed, format, budget: budget)) }
            finished.signal()
        }.start()
        let giveUp = Date().addingTimeInterval(120)
        while budget.waits == 0, Date() < giveUp { usleep(1_000) }
        #expect(budget.waits > 0, "a decoder waited for the held budget")
        hold = nil
        finished.wait()
        for i in 0..<8 {
            switch outcomes.get(i) {
            case .success(let bytes)?:
                #expect(bytes == Self.text ? true : false, "\(tool) decoder \(i): \(bytes.count) bytes")
            case .failure(let error)?: Issue.record("\(tool) decoder \(i): \(error)")
            case nil: Issue.record("\(tool) decoder \(i) did not finish")
            }
        }
        #expect(budget.peak >= window, "\(budget.peak): the window was reserved")
        #expect(budget.peak <= budget.total)
        #expect(budget.reserved == 0, "all given back")
    }

    @Test("a second decoder on a thread that already holds the budget is refused, named, instead of waiting for itself")
    func noSelfDeadlock() throws {
        let compressed = try Compressors.compress("zstd", Self.text, arguments: ["--long=21"])
        let budget = DecoderBudget(total: 3 << 20)
        let first = try Decoders.make(.zstd, budget: budget)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        _ = try compressed.withUnsafeBytes { try first.decode($0, into: buffer, atEnd: true) }
        #expect(budget.reserved > 2 << 20)
        let second = Self.decode(compressed, .zstd, budget: budget)
        guard case .failure(.tooLarge(let reason)) = second else {
            Issue.record("expected a refusal, got \(second)")
            return
        }
        #expect(reason.contains("MiB all decoders share are taken"), "\(reason)")
        _ = first
    }

    @Test("a zstd skippable frame before the data: the data's window is reserved all the same")
    func skippableFirst() throws {
        let skippable: [UInt8] = [0x50, 0x2A, 0x4D, 0x18, 4, 0, 0, 0, 0xDE, 0xAD, 0xBE, 0xEF]
        let compressed = skippable + (try Compressors.compress("zstd", Self.text, arguments: ["--long=21"]))
        let budget = DecoderBudget(total: 8 << 20)
        let result = Self.decode(compressed, .zstd, budget: budget)
        #expect((try? result.get()) == Self.text ? true : false)
        #expect(budget.peak >= 2 << 20, "\(budget.peak)")
    }
}
