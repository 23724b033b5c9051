import LogModel

/// Inline SVG charts for the HTML report: integer coordinates only, so the output is the same on
/// every machine, and a `<title>` on every mark so that a browser shows its value on hover
/// without any script. Labels are given sanitised; this type escapes them.
enum SVGChart {
    /// One stacked layer of a bar chart: a series with its legend label and fill colour.
    struct Layer {
        var label: String
        var color: String
        var values: [Int]
    }

    /// A labelled count, for one bar or one heat-map row.
    struct Row {
        var label: String
        var values: [Int]
    }

    /// The width of the plot area that charts aim for, in pixels.
    static let plotWidth = 720
    /// The width kept for row labels left of horizontal bars and heat-map rows.
    static let labelWidth = 170
    /// The space right of the last column, so that a date label centred on it fits.
    static let margin = 48
    /// The most characters of a row label; longer ones are cut with `…`.
    static let labelLength = 26

    /// The width of one bucket column for `count` buckets: the plot width shared out, at least
    /// 1 and at most 60 pixels.
    static func columnWidth(_ count: Int) -> Int {
        max(1, min(60, plotWidth / max(1, count)))
    }

    /// Vertical bars, one per column, its layers stacked in the order given, over a y axis with
    /// round ticks (1, 2 or 5 × a power of ten) and light gridlines up to the first tick at or above
    /// the largest total, and date labels centred under every few columns so that they never overlap.
    static func stackedBars(columns: [String], layers: [Layer], label: String) -> String {
        let width = columnWidth(columns.count)
        let (left, top, height, bottom) = (44, 12, 180, 24)
        let totals = columns.indices.map { index in
            layers.reduce(0) { $0 + ($1.values.count > index ? $1.values[index] : 0) }
        }
        let step = SVGTicks.step(max(1, totals.max() ?? 0))
        let ceiling = max(1, ((totals.max() ?? 0) + step - 1) / step) * step
        let svgWidth = left + columns.count * width + margin
        var out = open(width: svgWidth, height: top + height + bottom, label: label)
        let base = top + height
        for tick in stride(from: 0, through: ceiling, by: step) {
            let y = base - tick * height / ceiling
            let stroke = tick == 0 ? "#888" : "#e3e3e3"
            out +=
                "<line x1=\"\(left - 4)\" y1=\"\(y)\" x2=\"\(svgWidth - margin)\" y2=\"\(y)\" stroke=\"\(stroke)\"/>\n"
            out += text(x: left - 7, y: y + 4, anchor: "end", String(tick))
        }
        out += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(base)\" stroke=\"#888\"/>\n"
        let gap = width >= 4 ? 1 : 0
        for (index, column) in columns.enumerated() {
            var below = 0
            for layer in layers {
                let count = layer.values.count > index ? layer.values[index] : 0
                guard count > 0 else { continue }
                let y0 = base - below * height / ceiling
                let y1 = base - (below + count) * height / ceiling
                below += count
                out +=
                    "<rect x=\"\(left + index * width + gap)\" y=\"\(y1)\" width=\"\(max(1, width - 2 * gap))\" height=\"\(y0 - y1)\" "
                    + "fill=\"\(layer.color)\"><title>\(Escape.html("\(column) \(layer.label): \(count)"))</title></rect>\n"
            }
        }
        let every = labelStride(columns, width: width)
        for index in stride(from: 0, to: columns.count, by: every) {
            out += text(x: left + index * width + width / 2, y: base + 16, anchor: "middle", columns[index])
        }
        return out + "</svg>\n"
    }

    /// Horizontal bars, one per row (the first value of each), labelled with the row and its value.
    static func horizontalBars(rows: [Row], color: String, label: String) -> String {
        let rowHeight = 20
        let barSpace = plotWidth - labelWidth
        let largest = max(1, rows.map { $0.values.first ?? 0 }.max() ?? 0)
        var out = open(width: plotWidth + 60, height: rows.count * rowHeight + 8, label: label)
        for (index, row) in rows.enumerated() {
            let value = row.values.first ?? 0
            let y = 4 + index * rowHeight
            let length = value > 0 ? max(1, value * barSpace / largest) : 0
            out += text(x: labelWidth - 6, y: y + 14, anchor: "end", cut(row.label))
            out +=
                "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(length)\" height=\"\(rowHeight - 6)\" fill=\"\(color)\">"
                + "<title>\(Escape.html("\(row.label): \(value)"))</title></rect>\n"
            out += text(x: labelWidth + length + 4, y: y + 14, anchor: "start", String(value))
        }
        return out + "</svg>\n"
    }

    /// A grid of rows × columns whose cells are shaded by count: empty cells light grey, others
    /// red at an opacity from 0.15 (one) to 1 (the largest count), with a colour scale below.
    static func heatMap(rows: [Row], columns: [String], label: String) -> String {
        let width = columnWidth(columns.count)
        let rowHeight = 18
        let largest = max(1, rows.flatMap(\.values).max() ?? 0)
        let svgWidth = max(labelWidth + columns.count * width + margin, labelWidth + 330)
        var out = open(width: svgWidth, height: rows.count * rowHeight + 64, label: label)
        for (rowIndex, row) in rows.enumerated() {
            let y = 4 + rowIndex * rowHeight
            out += text(x: labelWidth - 6, y: y + 13, anchor: "end", cut(row.label))
            for (index, column) in columns.enumerated() {
                let count = row.values.count > index ? row.values[index] : 0
                let fill =
                    count > 0
                    ? "fill=\"#b2182b\" fill-opacity=\"\(opacity(count, of: largest))\"" : "fill=\"#eeeeee\""
                out +=
                    "<rect x=\"\(labelWidth + index * width)\" y=\"\(y)\" width=\"\(max(1, width - (width >= 4 ? 1 : 0)))\" "
                    + "height=\"\(rowHeight - 2)\" \(fill)><title>\(Escape.html("\(row.label) \(column): \(count)"))</title></rect>\n"
            }
        }
        let every = labelStride(columns, width: width)
        let base = 4 + rows.count * rowHeight
        for index in stride(from: 0, to: columns.count, by: every) {
            out += text(x: labelWidth + index * width + width / 2, y: base + 14, anchor: "middle", columns[index])
        }
        // The scale: none, then five steps from one failure to the largest count.
        let y = base + 26
        out += text(x: labelWidth - 6, y: y + 11, anchor: "end", "failures")
        out +=
            "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"24\" height=\"14\" fill=\"#eeeeee\"><title>0</title></rect>\n"
        out += text(x: labelWidth + 12, y: y + 26, anchor: "middle", "0")
        let steps = Array(Set([1, largest / 4, largest / 2, 3 * largest / 4, largest].filter { $0 >= 1 })).sorted()
        for (index, count) in steps.enumerated() {
            let x = labelWidth + 40 + index * 54
            out +=
                "<rect x=\"\(x)\" y=\"\(y)\" width=\"50\" height=\"14\" fill=\"#b2182b\" fill-opacity=\"\(opacity(count, of: largest))\">"
                + "<title>\(count)</title></rect>\n"
            out += text(x: x + 25, y: y + 26, anchor: "middle", String(count))
        }
        return out + "</svg>\n"
    }

    // MARK: Pieces

    /// Label every how many columns: about 7 pixels per character of the longest label, plus a gap.
    private static func labelStride(_ columns: [String], width: Int) -> Int {
        let spacing = 7 * (columns.map(\.count).max() ?? 0) + 12
        return max(1, (spacing + width - 1) / width)
    }

    /// The opening `<svg>` tag.
    private static func open(width: Int, height: Int, label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(Escape.html(label))\">\n"
    }

    /// A text element, escaped.
    private static func text(x: Int, y: Int, anchor: String, _ content: String) -> String {
        "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"\(anchor)\">\(Escape.html(content))</text>\n"
    }

    /// `0.15` … `1`: 15% for the smallest count, 100% for `largest`, two decimals.
    private static func opacity(_ count: Int, of largest: Int) -> String {
        let percent = 15 + 85 * count / largest
        return percent >= 100 ? "1" : "0.\(percent)"  // 15...99: always two digits
    }

    /// A label cut to `labelLength` characters.
    private static func cut(_ label: String) -> String {
        label.count > labelLength ? label.prefix(labelLength - 1) + "…" : label
    }
}

/// Round steps for chart axes.
public enum SVGTicks {
    /// The tick step for an axis up to `largest`: the smallest of 1, 2, 5, 10, 20, 50, … that
    /// needs at most five steps.
    public static func step(_ largest: Int) -> Int {
        var power = 1
        while true {
            for factor in [1, 2, 5] where (largest + factor * power - 1) / (factor * power) <= 5 {
                return factor * power
            }
            power *= 10
        }
    }
}
