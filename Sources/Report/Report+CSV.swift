import LogModel
import LogScanner

extension Report {
    /// The groups as RFC 4180 CSV: a header row, then one row per group in report order, CRLF line
    /// ends (also after the last row). Columns: `registry,type`, then `host`, `repository`,
    /// `identity`, `client_ip` and `period` when grouped by them, `count,attempts,first_seen,last_seen`, `previous_count` when
    /// a previous window was given, `remediation` (the published article to read, an absolute URL)
    /// and `fix` (the group's fix commands filled in from its evidence, one per line; empty when
    /// not grouped by type). Unknown values are empty cells; strings from logs are sanitised and
    /// cells a spreadsheet would run as formulas start with `'`.
    /// Trend and spikes are left to the JSON format.
    public func renderCSV() -> String {
        let byPeriod = keys.contains(.day) || keys.contains(.hour)
        let withPrevious = comparesGroups
        var header = ["registry", "type"]
        for key in [GroupKey.host, .repository, .identity, .clientIP] where keys.contains(key) {
            header.append(key.rawValue)
        }
        if byPeriod { header.append("period") }
        header += ["count", "attempts", "first_seen", "last_seen"]
        if withPrevious { header.append("previous_count") }
        header += ["remediation", "fix"]

        var rows = [header]
        for group in groups {
            var row = [group.registry.map(Escape.sanitize) ?? "", group.type?.rawValue ?? ""]
            for key in [GroupKey.host, .repository, .identity, .clientIP] where keys.contains(key) {
                row.append(group.key.text(of: key).map(Escape.sanitize) ?? "")
            }
            if byPeriod { row.append(group.period.map(Timestamp.iso) ?? "") }
            row += [
                String(group.count), String(group.attempts),
                group.firstSeen.map(Timestamp.iso) ?? "", group.lastSeen.map(Timestamp.iso) ?? "",
            ]
            if withPrevious { row.append(previousCount(for: group).map(String.init) ?? "") }
            let fix = fix(for: group)
            row.append(fix?.doc ?? "")
            // One command per line within the cell (quoted), so that it pastes into a shell as is.
            row.append(fix?.commands.map(Escape.sanitize).joined(separator: "\n") ?? "")
            rows.append(row)
        }
        return rows.map { $0.map(Escape.csv).joined(separator: ",") + "\r\n" }.joined()
    }
}
