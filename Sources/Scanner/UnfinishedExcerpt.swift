import LogModel

/// A failure line's excerpt left for the store's thread to make: with one file, the scanning
/// thread did twice the store's work, a fifth of it the excerpt's redaction (docs/performance.md,
/// "Branch `offload`"). The scanner packs what makes the excerpt into the batch
/// (`OccurrenceBatch.append(…unfinishedExcerpt:)`) and the store redacts it
/// (`OccurrenceBatch.redactExcerpts`) before anything of the batch is stored.
///
/// Its value: `OccurrenceBatch.unfinishedMark`, the line's length and the excerpt's focus
/// (`ExcerptFocus.position`, `UInt32.max` for none) as four bytes each (little endian), then the
/// line's first bytes, as many as the redaction reads (`Redactor.excerptReach`). A line is left so
/// when the line before leaves its excerpt no carry (most), or when the line before is the line of
/// the unfinished excerpt packed just before it (every line a failure): the record then names that
/// value (`excerptContext`) and the store reads the carry from it, not the scanner.
enum UnfinishedExcerpt {
    /// The mark, the length and the focus.
    static let headerBytes = 9
    /// The most bytes of a line kept: a line whose excerpt reads more (its failure's words far into
    /// a long line) is redacted on the scanner's thread, so that a batch stays small.
    static let maxLineBytes = 2 * Redactor.window

    /// Puts the unfinished excerpt of `line` (with the excerpt's `focus`) in `buffer`, replacing what
    /// it held; false, and `buffer` left as it was, when the excerpt reads more than `maxLineBytes`.
    static func encode(_ line: UnsafeRawBufferPointer, focus: Int?, into buffer: inout [UInt8]) -> Bool {
        let reach = Redactor.excerptReach(count: line.count, focus: focus)
        guard reach <= maxLineBytes, line.count < Int(UInt32.max), (focus ?? 0) < Int(UInt32.max) else {
            return false
        }
        buffer.removeAll(keepingCapacity: true)
        buffer.append(OccurrenceBatch.unfinishedMark)
        for value in [UInt32(line.count), focus.map { UInt32($0) } ?? UInt32.max] {
            withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
        }
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[..<reach]))
        return true
    }

    /// The excerpt of an unfinished excerpt's value `body` (the bytes after its mark), with the
    /// `carry` the line before leaves: the one `Redactor.excerpt(_:carry:focus:)` makes of the whole
    /// line. `after`: what `Redactor.carry(afterLine:)` of the line gives, when the redaction read
    /// all of it from no carry (`Redactor.excerpt(_:carry:focus:after:)`), else nil.
    static func redact(_ body: UnsafeRawBufferPointer, carry: Redactor.Carry = .none, after: inout Redactor.Carry?)
        -> String
    {
        guard body.count >= headerBytes - 1 else { return "" }
        let count = Int(UInt32(littleEndian: body.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
        let focus = UInt32(littleEndian: body.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        return Redactor.excerpt(
            prefix: UnsafeRawBufferPointer(rebasing: body[(headerBytes - 1)...]), count: count, carry: carry,
            focus: focus == UInt32.max ? nil : Int(focus), after: &after)
    }

    /// `redact(_:carry:after:)` without `after`.
    static func redact(_ body: UnsafeRawBufferPointer, carry: Redactor.Carry = .none) -> String {
        var after: Redactor.Carry?
        return redact(body, carry: carry, after: &after)
    }

    /// What the line of an unfinished excerpt (`body`, after its mark) leaves for the line after it
    /// (`Redactor.carry(afterLine:)`); only for a line kept whole (at most `Redactor.window` bytes),
    /// which the scanner names as a context (`OccurrenceBatch.Record.excerptContext`).
    static func carry(after body: UnsafeRawBufferPointer) -> Redactor.Carry {
        guard body.count >= headerBytes - 1 else { return .none }
        return Redactor.carry(afterLine: UnsafeRawBufferPointer(rebasing: body[(headerBytes - 1)...]))
    }
}

extension OccurrenceBatch {
    /// Redacts the excerpts the scanner left unfinished (`UnfinishedExcerpt`), once per distinct
    /// line (and per distinct line before it, for its carry); equal excerpts get equal ids. The
    /// store does it before it stores a batch; whoever reads a batch's occurrences otherwise must
    /// do it first. The carry a line leaves is read in the same pass as its excerpt when it is
    /// made first (every line a failure: the line before is made just before), as the scanner's
    /// `carryMemo` did, not read again.
    public mutating func redactExcerpts() {
        // What each line leaves for the next (`Redactor.carry(afterLine:)`), by value id, once
        // known: most leave nothing (a bit each); the others' carries.
        var leavesNone = [Bool](repeating: false, count: values.count)
        var leaves: [UInt32: Redactor.Carry] = [:]
        finishExcerpts(
            carries: { context, body in
                if leavesNone[Int(context)] { return false }
                if leaves[context] != nil { return true }
                let carry = UnfinishedExcerpt.carry(after: body)
                if carry == .none {
                    leavesNone[Int(context)] = true
                    return false
                }
                leaves[context] = carry
                return true
            },
            make: { id, body, context in
                var after: Redactor.Carry?
                let carry = context == OccurrenceBatch.none ? .none : leaves[context] ?? .none
                let text = UnfinishedExcerpt.redact(body, carry: carry, after: &after)
                if let after {
                    if after == .none { leavesNone[Int(id)] = true } else { leaves[id] = after }
                }
                return text
            })
    }
}
