import LogModel

/// How the plain-text renderers (`Report.renderTable`, `Timeline.renderTable`) draw.
///
/// The CLI decides: colour when standard output is a terminal and `NO_COLOR` is unset or empty,
/// ASCII when the locale is not UTF-8 or the user asks for it.
public struct TableOptions: Sendable, Equatable {
    /// Use ANSI SGR colour and bold.
    public var color: Bool
    /// Draw sparklines and dashes with ASCII only (` .:-=+*#`, `-`, `x`).
    public var ascii: Bool
    /// The most characters of a sparkline; longer trends are folded (see `Sparkline`).
    public var sparklineWidth: Int
    /// The columns the timeline fits in: its rows' columns are cut and its excerpts focused to fit.
    public var width: Int

    /// Options; the default is plain Unicode text without colour, 120 columns.
    public init(color: Bool = false, ascii: Bool = false, sparklineWidth: Int = 24, width: Int = 120) {
        self.color = color
        self.ascii = ascii
        self.sparklineWidth = sparklineWidth
        self.width = width
    }
}
