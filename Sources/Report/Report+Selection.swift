import LogModel
import LogScanner

extension Report {
    /// One sentence on the scan selection, or nil without one: `--scan last: scan 12, stored from …`.
    public var selectionSentence: String? {
        guard let selection else { return nil }
        let scans =
            selection.scans.isEmpty
            ? "no scan"
            : selection.scans.count == 1
                ? "scan \(selection.scans[0])"
                : "scans \(selection.scans.first ?? 0) to \(selection.scans.last ?? 0) (\(selection.scans.count))"
        var text = "occurrences first stored by \(scans) (\(selection.given))"
        if let from = selection.storedFrom { text += ", stored from \(Timestamp.iso(from))" }
        return text
    }

    /// One sentence on the unknown shapes of the window and the command that lists them, or nil
    /// when there are none.
    public var unknownSentence: String? {
        guard unknownCandidates > 0 else { return nil }
        return
            "\(unknownCandidates) candidate\(unknownCandidates == 1 ? "" : "s") in \(unknownTemplates) template\(unknownTemplates == 1 ? "" : "s") "
            + "(ACR lines with failure words that no rule counts); list them with: acrscan unknowns"
    }

    /// The `selection` member of the JSON report.
    var jsonSelection: JSONValue {
        guard let selection else { return .null }
        return .object([
            ("given", .string(selection.given.description)),
            ("scans", .array(selection.scans.map { .int(Int($0)) })),
            ("stored_from", .time(selection.storedFrom)),
        ])
    }

    /// The `unknown_candidates` member of the JSON report.
    var jsonUnknowns: JSONValue {
        .object([
            ("candidates", .int(unknownCandidates)),
            ("templates", .int(unknownTemplates)),
            ("command", .string("acrscan unknowns")),
        ])
    }
}
