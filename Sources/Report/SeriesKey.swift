import LogModel
import LogScanner

/// A registry and error type: the identity of a trend series, a spike, and a "new in window" pair.
public struct SeriesKey: Sendable, Hashable, Comparable {
    /// Registry name, nil when unknown.
    public var registry: String?
    /// Error type.
    public var type: ErrorType

    /// A key.
    public init(registry: String?, type: ErrorType) {
        self.registry = registry
        self.type = type
    }

    /// Orders by registry (known names first, by their text; unknown last), then by type id.
    public static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        if lhs.registry != rhs.registry { return nilLastPrecedes(lhs.registry, rhs.registry) }
        return lhs.type < rhs.type
    }
}

/// The order of optional values in every listing: known values ascending, then nil (an unknown
/// registry sorts after every named one). Callers compare unequal values only.
func nilLastPrecedes<T: Comparable>(_ lhs: T?, _ rhs: T?) -> Bool {
    switch (lhs, rhs) {
    case (let l?, let r?): l < r
    case (_?, nil): true
    default: false
    }
}
