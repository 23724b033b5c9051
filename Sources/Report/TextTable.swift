import LogModel

/// Columns of plain text aligned with spaces: two spaces between columns, numbers right-aligned,
/// no padding after the last non-empty cell of a row (a cell's own blanks, such as the zero
/// columns of an ASCII sparkline, are kept). Widths count Characters, which is exact for the
/// ASCII that reports mostly hold; colour codes are added after padding so that they do not count.
struct TextTable {
    /// One cell: its text, and the SGR parameters (`1`, `31`) to draw it with when colour is on.
    struct Cell {
        var text: String
        var style: String?

        init(_ text: String, style: String? = nil) {
            self.text = text
            self.style = style
        }
    }

    /// The header cells, drawn bold when colour is on; empty for a table without a header.
    var header: [String]
    /// Whether each column is right-aligned.
    var rightAligned: [Bool]
    /// The rows, each with one cell per column.
    var rows: [[Cell]]

    /// The lines of the table, each prefixed with `indent`.
    func lines(color: Bool, indent: String = "") -> [String] {
        let all = (header.isEmpty ? [] : [header.map { Cell($0, style: "1") }]) + rows
        var widths = [Int](repeating: 0, count: rightAligned.count)
        for row in all {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.text.count)
            }
        }
        return all.map { row in
            var line = indent
            let end = min(widths.count, (row.lastIndex { !$0.text.isEmpty } ?? -1) + 1)
            for (column, cell) in row.prefix(end).enumerated() {
                let pad = String(repeating: " ", count: widths[column] - cell.text.count)
                if column > 0 { line += "  " }
                if rightAligned[column] { line += pad }
                line += TextTable.paint(cell.text, cell.style, color: color)
                if !rightAligned[column] && column < end - 1 { line += pad }
            }
            return line
        }
    }

    /// `text` wrapped in an SGR sequence when colour is on and a style is given.
    static func paint(_ text: String, _ style: String?, color: Bool) -> String {
        guard color, let style, !text.isEmpty else { return text }
        return "\u{1B}[\(style)m\(text)\u{1B}[0m"
    }
}
