import LogModel

/// A one-line chart of a count series, one character per column.
///
/// Eight levels: level 0 means zero, and a count `c > 0` gets level `ceil(7 × c / max)` (1…7), so
/// that any failure at all is visible and the largest column is the top level. Unicode draws the
/// levels `▁▂▃▄▅▆▇█`, ASCII draws them ` .:-=+*#` (zero is a blank). A series longer than `width`
/// is folded: runs of `ceil(n / width)` adjacent buckets are summed into one column, counted from
/// the end so that the last column always holds the latest buckets.
public enum Sparkline {
    /// The Unicode levels, lowest first.
    public static let unicodeLevels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    /// The ASCII levels, lowest first.
    public static let asciiLevels: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#"]

    /// The sparkline of `counts`, at most `width` characters; empty for an empty series.
    public static func render(_ counts: [Int], width: Int, ascii: Bool) -> String {
        let columns = fold(counts, width: width)
        let top = columns.max() ?? 0
        let levels = ascii ? asciiLevels : unicodeLevels
        return String(
            columns.map { count in
                guard count > 0, top > 0 else { return levels[0] }
                // count <= top, so the level is at most 7.
                return levels[(count * 7 + top - 1) / top]
            })
    }

    /// `counts` summed into at most `width` columns, aligned to the end.
    static func fold(_ counts: [Int], width: Int) -> [Int] {
        guard width > 0, counts.count > width else { return width > 0 ? counts : [] }
        let run = (counts.count + width - 1) / width
        let columns = (counts.count + run - 1) / run
        let missing = columns * run - counts.count  // buckets absent from the first, partial column
        var folded = [Int](repeating: 0, count: columns)
        for (index, count) in counts.enumerated() {
            folded[(index + missing) / run] += count
        }
        return folded
    }
}
