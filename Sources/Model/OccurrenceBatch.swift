#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Occurrences waiting to be stored, packed: the fixed fields of each in one array of records, and
/// every text value (excerpt, registry, login server, repository, client IP, identity, code) once
/// per batch in one byte arena, named by a small integer (docs/architecture.md, "The batch").
///
/// A record costs 80 bytes, and a value repeated in the batch (the same excerpt, the same login
/// server) costs its bytes once, so a batch holds several times more occurrences than an array of
/// `Occurrence` in the same memory. Equal texts have equal ids within one batch, so the store keys
/// its per-batch work (the rollup, the registry pairs, the excerpts) by integers and binds the
/// texts where they lie in the arena.
public struct OccurrenceBatch: Sendable {
    /// An occurrence's fixed fields; its texts are value ids (`OccurrenceBatch.none`: no value).
    public struct Record: Sendable {
        public var offset: Int64
        /// Milliseconds since the epoch, or `Int64.min` for none.
        public var timestamp: Int64
        public var line: Int64
        public var lineEnd: Int64
        public var attempts: Int64
        /// The HTTP status, or -1 for none.
        public var status: Int32
        public var registry: UInt32
        public var loginServer: UInt32
        public var repository: UInt32
        public var clientIP: UInt32
        public var identity: UInt32
        public var code: UInt32
        public var excerpt: UInt32
        /// For an unfinished excerpt (`append(…unfinishedExcerpt:context:)`): the unfinished
        /// excerpt of the line right before its line, whose carry it takes; `none` when that line
        /// leaves none. In the record's padding: a record still costs 80 bytes.
        public var excerptContext: UInt32 = OccurrenceBatch.none
        /// `ErrorType.allCases` index.
        public var type: UInt8
        /// `Producer.allCases` index.
        public var producer: UInt8
    }

    /// The value id of a field that holds no value.
    public static let none = UInt32.max

    /// Where a value lies in the arena, and its hash (`OccurrenceBatch.hash`).
    public struct Value: Sendable {
        public var start: UInt32
        public var count: UInt32
        public var hash: UInt64
    }

    public private(set) var records: [Record] = []
    public private(set) var values: [Value] = []
    /// The bytes of every value, one after the other.
    public private(set) var arena: [UInt8] = []
    /// Open addressing over `values` by hash: value id + 1, 0 for an empty slot; a power of two,
    /// at most half full.
    private var slots: [UInt32] = []

    /// An empty batch.
    public init() {}

    /// A batch of `occurrences`, in their order.
    public init(_ occurrences: some Sequence<Occurrence>) {
        for o in occurrences { append(o) }
    }

    public var count: Int { records.count }
    public var isEmpty: Bool { records.isEmpty }

    /// The bytes the batch holds in memory (records, values, arena, table), as counted against a
    /// sweep's batch memory.
    public var memoryBytes: Int {
        records.count * MemoryLayout<Record>.stride + values.count * MemoryLayout<Value>.stride + arena.count
            + slots.count * MemoryLayout<UInt32>.stride
    }

    /// Adds `o` at the end.
    public mutating func append(_ o: Occurrence) {
        append(
            type: o.type, registry: o.registry, loginServer: o.loginServer, timestamp: o.timestamp, line: o.line,
            lineEnd: o.lineEnd, offset: o.offset, producer: o.producer, status: o.status, clientIP: o.clientIP,
            identity: o.identity, repository: o.repository, code: o.code, attempts: o.attempts, excerpt: o.excerpt)
    }

    /// Adds the occurrence of these fields (`Occurrence`'s) at the end, without making one: the
    /// scanner packs its failures from where their texts lie.
    public mutating func append(
        type: ErrorType, registry: String?, loginServer: String?, timestamp: Int64?, line: Int, lineEnd: Int,
        offset: Int64, producer: Producer, status: Int?, clientIP: String?, identity: String?, repository: String?,
        code: String?, attempts: Int, excerpt: String
    ) {
        append(
            type: type, registry: registry, loginServer: loginServer, timestamp: timestamp, line: line,
            lineEnd: lineEnd, offset: offset, producer: producer, status: status, clientIP: clientIP,
            identity: identity, repository: repository, code: code, attempts: attempts, excerptID: intern(excerpt))
    }

    /// `append(…excerpt:)` with the excerpt not made yet: `unfinished` holds what makes it (it
    /// starts with `unfinishedMark`, which no text holds, and is interned as the texts are), and
    /// `finishExcerpts` makes it before the batch is read. The scanner leaves the redaction of its
    /// failure lines to the store's thread this way (docs/performance.md, "Branch `offload`").
    public mutating func append(
        type: ErrorType, registry: String?, loginServer: String?, timestamp: Int64?, line: Int, lineEnd: Int,
        offset: Int64, producer: Producer, status: Int?, clientIP: String?, identity: String?, repository: String?,
        code: String?, attempts: Int, unfinishedExcerpt unfinished: UnsafeRawBufferPointer,
        context: UInt32 = OccurrenceBatch.none
    ) {
        precondition(unfinished.first == OccurrenceBatch.unfinishedMark, "an unfinished excerpt without its mark")
        precondition(
            context == OccurrenceBatch.none || isUnfinished(context), "a context that is no unfinished excerpt")
        let id = intern(unfinished)
        unfinishedCount += 1
        append(
            type: type, registry: registry, loginServer: loginServer, timestamp: timestamp, line: line,
            lineEnd: lineEnd, offset: offset, producer: producer, status: status, clientIP: clientIP,
            identity: identity, repository: repository, code: code, attempts: attempts, excerptID: id)
        records[records.count - 1].excerptContext = context
    }

    private mutating func append(
        type: ErrorType, registry: String?, loginServer: String?, timestamp: Int64?, line: Int, lineEnd: Int,
        offset: Int64, producer: Producer, status: Int?, clientIP: String?, identity: String?, repository: String?,
        code: String?, attempts: Int, excerptID: UInt32
    ) {
        let record = Record(
            offset: offset, timestamp: timestamp ?? Int64.min, line: Int64(line), lineEnd: Int64(lineEnd),
            attempts: Int64(attempts), status: status.map { Int32(clamping: $0) } ?? -1,
            registry: intern(registry), loginServer: intern(loginServer), repository: intern(repository),
            clientIP: intern(clientIP), identity: intern(identity), code: intern(code),
            excerpt: excerptID, type: type.caseIndex, producer: producer.caseIndex)
        records.append(record)
    }

    /// The first byte of an unfinished excerpt's value: never in UTF-8, so never the first byte
    /// of a text, and an unfinished value is never taken for a text nor equal to one.
    public static let unfinishedMark: UInt8 = 0xFF

    /// Records whose excerpt is not made yet (`append(…unfinishedExcerpt:)`).
    public private(set) var unfinishedCount = 0

    /// Whether some record's excerpt is not made yet: its value holds what makes it, which may
    /// hold a secret, and must not be stored or printed (`finishExcerpts`).
    public var hasUnfinishedExcerpts: Bool { unfinishedCount > 0 }

    /// Makes every unfinished excerpt. `carries` is given a record's `excerptContext` and what its
    /// value holds after its mark, once per distinct context, and tells whether that line leaves a
    /// carry for the next; `make` is given an unfinished value's id, what it holds after its mark
    /// and the context whose carry it takes (`none`: no carry), once per distinct value without a
    /// carry (most), and for each record with one. The text it returns is interned as any text,
    /// so that equal excerpts have equal ids again; each record then names its text. The
    /// unfinished values stay in the arena, named by no record. O(records + the bytes `carries`
    /// and `make` read).
    public mutating func finishExcerpts(
        carries: (UInt32, UnsafeRawBufferPointer) -> Bool, make: (UInt32, UnsafeRawBufferPointer, UInt32) -> String
    ) {
        guard unfinishedCount > 0 else { return }
        // Per value id: the id of the text made from it without a carry (`none`: not made yet),
        // and, for a context, whether its line leaves a carry (0: not asked yet, 1: no, 2: yes).
        var made = [UInt32](repeating: OccurrenceBatch.none, count: values.count)
        var carrying = [UInt8](repeating: 0, count: values.count)
        for i in records.indices {
            let id = records[i].excerpt
            guard isUnfinished(id) else { continue }
            var context = records[i].excerptContext
            if context != OccurrenceBatch.none {
                if carrying[Int(context)] == 0 {
                    carrying[Int(context)] = withBody(of: context) { carries(context, $0) } ? 2 : 1
                }
                if carrying[Int(context)] == 1 { context = OccurrenceBatch.none }
            }
            if context != OccurrenceBatch.none {
                records[i].excerpt = intern(withBody(of: id) { make(id, $0, context) })
            } else {
                if made[Int(id)] == OccurrenceBatch.none {
                    made[Int(id)] = intern(withBody(of: id) { make(id, $0, OccurrenceBatch.none) })
                }
                records[i].excerpt = made[Int(id)]
            }
            records[i].excerptContext = OccurrenceBatch.none
        }
        unfinishedCount = 0
    }

    /// Calls `body` with what the unfinished value `id` holds after its mark.
    public func withBody<R>(of id: UInt32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        precondition(isUnfinished(id), "the body of a value that is no unfinished excerpt")
        let v = values[Int(id)]
        return arena.withUnsafeBytes {
            body(UnsafeRawBufferPointer(rebasing: $0[(Int(v.start) + 1)..<Int(v.start + v.count)]))
        }
    }

    /// Forgets every occurrence and value. With `keepingCapacity`, the memory stays for the next
    /// occurrences (the table keeps its size, emptied): a sweep refills the batch its writer has
    /// committed instead of growing a new one from nothing (docs/performance.md, "Branch
    /// `storerate4`").
    public mutating func removeAll(keepingCapacity: Bool = false) {
        records.removeAll(keepingCapacity: keepingCapacity)
        unfinishedCount = 0
        values.removeAll(keepingCapacity: keepingCapacity)
        arena.removeAll(keepingCapacity: keepingCapacity)
        if keepingCapacity {
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        } else {
            slots.removeAll()
        }
    }

    /// The occurrence at `index`, as a value of its own.
    public subscript(index: Int) -> Occurrence {
        let r = records[index]
        return Occurrence(
            type: OccurrenceBatch.types[Int(r.type)], registry: string(r.registry), loginServer: string(r.loginServer),
            timestamp: r.timestamp == Int64.min ? nil : r.timestamp, line: Int(r.line), lineEnd: Int(r.lineEnd),
            offset: r.offset, producer: OccurrenceBatch.producers[Int(r.producer)],
            status: r.status < 0 ? nil : Int(r.status),
            clientIP: string(r.clientIP), identity: string(r.identity), repository: string(r.repository),
            code: string(r.code), attempts: Int(r.attempts), excerpt: string(r.excerpt) ?? "")
    }

    /// Every occurrence, in order.
    public var occurrences: [Occurrence] { (0..<count).map { self[$0] } }

    /// The text of value `id`, or nil for `none`.
    public func string(_ id: UInt32) -> String? {
        guard id != OccurrenceBatch.none else { return nil }
        let v = values[Int(id)]
        // What makes an excerpt holds the line as it was read, secrets and all.
        precondition(
            v.count == 0 || arena[Int(v.start)] != OccurrenceBatch.unfinishedMark,
            "an excerpt read before it was made (finishExcerpts)")
        return arena.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[Int(v.start)..<Int(v.start + v.count)]), as: UTF8.self)
        }
    }

    /// Whether value `id` is an unfinished excerpt (`append(…unfinishedExcerpt:)`).
    public func isUnfinished(_ id: UInt32) -> Bool {
        guard id != OccurrenceBatch.none else { return false }
        let v = values[Int(id)]
        return v.count > 0 && arena[Int(v.start)] == OccurrenceBatch.unfinishedMark
    }

    /// Calls `body` with the arena's bytes: the bytes of a value `v` are at `v.start ..< v.start + v.count`.
    public func withArena<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try arena.withUnsafeBytes(body)
    }

    /// The id of `text` in the batch, added if it is not there yet.
    private mutating func intern(_ text: String?) -> UInt32 {
        guard let text else { return OccurrenceBatch.none }
        // A native string's bytes where they lie, without the copy (a retain and a release) that
        // `withUTF8` needs to make a bridged one contiguous.
        if let id = text.utf8.withContiguousStorageIfAvailable({ intern(UnsafeRawBufferPointer($0)) }) { return id }
        var copy = text
        return copy.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    private mutating func intern(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let hash = OccurrenceBatch.hash(bytes)
        if values.count * 2 >= slots.count { grow() }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let held = slots[slot]
            if held == 0 { break }
            let v = values[Int(held - 1)]
            if v.hash == hash, v.count == bytes.count,
                arena.withUnsafeBytes({ memoryEqual($0.baseAddress! + Int(v.start), bytes.baseAddress, bytes.count) })
            {
                return held - 1
            }
            slot = (slot + 1) & mask
        }
        let id = UInt32(values.count)
        values.append(Value(start: UInt32(arena.count), count: UInt32(bytes.count), hash: hash))
        arena.append(contentsOf: bytes)
        slots[slot] = id + 1
        return id
    }

    /// Doubles the table (64 slots at first) and puts every value back in it.
    private mutating func grow() {
        let size = max(64, slots.count * 2)
        slots = [UInt32](repeating: 0, count: size)
        let mask = size - 1
        for (i, v) in values.enumerated() {
            var slot = Int(truncatingIfNeeded: v.hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = UInt32(i + 1)
        }
    }

    /// A 64-bit hash of `bytes`, eight at a time: tells values apart inside one batch (equal
    /// hashes are compared byte for byte). Not stored anywhere.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = UInt64(bytes.count) &* k
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ word) &* k
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* k
            h ^= h >> 29
        }
        h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 32)
    }

    /// The types and producers by `caseIndex`.
    public static let types = ErrorType.allCases
    public static let producers = Producer.allCases
}

extension ErrorType {
    /// The case's index in `allCases` (declaration order), without hashing or comparing its name.
    @inline(__always)
    public var caseIndex: UInt8 { unsafeBitCast(self, to: UInt8.self) }
}

extension Producer {
    /// The case's index in `allCases` (declaration order), without hashing or comparing its name.
    @inline(__always)
    public var caseIndex: UInt8 { unsafeBitCast(self, to: UInt8.self) }
}

/// Whether `count` bytes at `a` and `b` are equal: libc's `memcmp` (vector compares) for a value
/// the batch holds already, most often an excerpt of a hundred bytes or more.
@inline(__always)
private func memoryEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer?, _ count: Int) -> Bool {
    guard count > 0, let b else { return true }
    return memcmp(a, b, count) == 0
}
