import LogModel

/// Where on a long line the failure's own words begin, so that its excerpt shows them rather than
/// the log's prefix (a logrus `msg="Handler for POST /v1.43/images/create returned error: …"`, a
/// JSON log wrapper, a kubelet event's header).
enum ExcerptFocus {
    /// The anchors of the standard rules, folded, by the type their rule gives.
    static let anchorsByType: [ErrorType: [[UInt8]]] = {
        var table: [ErrorType: [[UInt8]]] = [:]
        for rule in Rule.standard {
            guard case .type(let type) = rule.verdict else { continue }
            table[type, default: []].append(rule.anchor.utf8.map(foldASCII))
        }
        return table
    }()

    /// The first byte of the earliest anchor of a rule of `type` on the line; nil when the line is
    /// short enough to be kept whole, or no such anchor is on it (the excerpt then starts at the
    /// line's start). Only for failure lines: O(anchors × line length).
    static func position(of type: ErrorType?, in line: UnsafeRawBufferPointer) -> Int? {
        guard let type, line.count > Redactor.maxExcerptBytes, let anchors = anchorsByType[type] else { return nil }
        return anchors.compactMap { line.firstIndex(ofFolded: $0) }.min()
    }

    /// The excerpt of a failure line, centred on the words of its type; `carry` is what the
    /// redactor left open at the end of the bytes before it (a secret flag whose value follows).
    static func excerpt(_ line: UnsafeRawBufferPointer, type: ErrorType?, carry: Redactor.Carry = .none) -> String {
        Redactor.excerpt(line, carry: carry, focus: position(of: type, in: line))
    }
}
