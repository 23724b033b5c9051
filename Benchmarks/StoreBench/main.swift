// Store insert benchmark (scripts/bench-store.sh; docs/performance.md, "Store"). Commits N
// occurrences as the sweep does: batches with the file position, one transaction each, into a
// fresh database. Run in release: `swift run -c release store-bench [N] [DIR]`.

import LogIngest
import LogModel
import LogScanner
import LogStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// CPU seconds (user + system) used by this process so far: the figure a loaded machine does not skew.
func cpuSeconds() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(
        usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

let arguments = CommandLine.arguments
let count = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
let directory = arguments.count > 2 ? arguments[2] : "/tmp"
// A third argument: fixed batches of that many occurrences (main before branch storerate4 committed
// 16,384 at a time here); without it, batches are cut as a sweep of one file cuts them: at
// `batchSize` occurrences or at the batch memory of one job, whichever comes first.
let fixedBatch = arguments.count > 3 ? Int(arguments[3]) : nil
let path = "\(directory)/store-bench-\(getpid()).db"
defer { for suffix in ["", "-wal", "-shm", ".lock"] { unlink(path + suffix) } }

// Occurrences shaped like a dockerd failure line: every field that a real one fills.
let registries = (0..<7).map { "myacr\($0)" }
var occurrences: [Occurrence] = []
occurrences.reserveCapacity(count)
var offset: Int64 = 0
for i in 0..<count {
    let registry = registries[i % registries.count]
    let excerpt =
        "time=\"2026-11-01T00:00:00.000000000Z\" level=error msg=\"Handler for POST /v1.45/images/create returned error: Head \\\"https://\(registry).azurecr.io/v2/app/manifests/latest\\\": unauthorized: authentication required\" #\(i)"
    occurrences.append(
        Occurrence(
            type: .unauthorized, registry: registry, loginServer: "\(registry).azurecr.io",
            timestamp: 1_793_491_200_000 + Int64(i) * 1000, line: i + 1, offset: offset, producer: .dockerd,
            status: 401, repository: "app", excerpt: excerpt))
    offset += Int64(excerpt.utf8.count + 1)
}

do {
    let store = try Store.writer(path: path) {}
    var record = FileRecord(
        host: "bench", fingerprint: Fingerprint(hash: "0123456789abcdef", length: 1024), path: "/var/log/docker.log")
    try store.insert(&record, now: 0)
    let options = SweepOptions()
    let batch = fixedBatch ?? options.batchSize
    let memory = fixedBatch == nil ? options.batchBytesPerJob(working: 1) : Int.max
    let start = seconds()
    let cpuStart = cpuSeconds()
    var added = 0
    var commits = 0
    var packed = OccurrenceBatch()
    for (i, o) in occurrences.enumerated() {
        packed.append(o)
        guard packed.count >= batch || packed.memoryBytes >= memory || i == occurrences.count - 1 else { continue }
        record.position = ScanPosition(offset: o.offset, lines: i + 1)
        added += try store.commit(packed, file: record, now: 0)
        commits += 1
        packed.removeAll(keepingCapacity: true)
    }
    let elapsed = seconds() - start
    let cpu = cpuSeconds() - cpuStart
    print(
        "store-bench: \(added) occurrences committed in \(commits) batches (\(fixedBatch.map { "\($0) each" } ?? "cut as a sweep cuts them")): \(Int(elapsed * 1000)) ms wall, \(Int(cpu * 1000)) ms CPU;"
            + " \(Int(Double(added) / elapsed)) occurrences/s (wall), \(Int(Double(added) / cpu)) occurrences/CPU-s")
} catch {
    print("store-bench: \(error)")
    exit(3)
}
