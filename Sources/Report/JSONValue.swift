import LogModel
import LogScanner

/// A JSON document built by hand, so that key order and number formats are fixed and the output
/// is byte-for-byte deterministic (no JSONEncoder). Rendered compactly, without spaces.
enum JSONValue {
    case null
    case int(Int)
    /// A number already formatted as JSON (see `Spike.baselineText`).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in the order given.
    case object([(String, JSONValue)])

    /// A filter's values: null for none, a string for one, an array of strings for several.
    static func list(_ values: [String]) -> JSONValue {
        values.count == 1 ? .string(values[0]) : values.isEmpty ? .null : .array(values.map { .string($0) })
    }

    /// A string, or null when nil.
    static func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    /// An ISO-8601 UTC time, or null when nil.
    static func time(_ ms: Int64?) -> JSONValue { ms.map { .string(Timestamp.iso($0)) } ?? .null }

    /// An integer, or null when nil.
    static func count(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }

    /// The compact JSON text.
    func rendered() -> String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .int(let value): out += String(value)
        case .number(let text): out += text
        case .string(let text): out += Escape.json(text)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += "," }
                out += Escape.json(key)
                out += ":"
                value.write(into: &out)
            }
            out += "}"
        }
    }
}
