import Foundation
import LogModel
import LogScanner

@testable import LogStore

/// A fresh scratch directory per test, and helpers to fill a store.
struct Scratch {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("acrscan-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A new store in the scratch directory.
    func store(_ name: String = "test.db") throws -> Store { try Store(path: path(name)) }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
        return path(name)
    }

    func bytes(_ name: String) throws -> Data { try Data(contentsOf: directory.appendingPathComponent(name)) }
}

/// An occurrence at `offset`, with the fields the filters look at.
func occurrence(
    _ offset: Int64, type: ErrorType = .unauthorized, registry: String? = "myacr", ts: Int64? = 1_700_000_000_000
) -> Occurrence {
    Occurrence(
        type: type, registry: registry, loginServer: registry.map { "\($0).azurecr.io" }, timestamp: ts,
        line: Int(offset / 100) + 1, offset: offset, producer: .dockerd, status: 401,
        excerpt: "unauthorized at \(offset)")
}

/// A file record for `host`, inserted, whose content began with `head`.
func insertedRecord(_ store: Store, host: String = "h", head: [UInt8], path: String = "/var/log/docker.log") throws
    -> FileRecord
{
    var record = FileRecord(host: host, fingerprint: head.withUnsafeBytes { Fingerprint(prefix: $0) }, path: path)
    try store.insert(&record, now: 1)
    return record
}

/// Bytes of a log: `count` lines of `line`.
func lines(_ count: Int, _ line: String) -> [UInt8] {
    Array(String(repeating: line + "\n", count: count).utf8)
}
