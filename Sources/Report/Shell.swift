import LogModel

/// Putting values taken from logs into shell commands that a user pastes.
///
/// A value from a log is hostile text. It reaches a command only when it has the shape the
/// command expects (`Shape`), and then quoted for POSIX shells (`quote`); anything else leaves the
/// placeholder in place. Either check alone keeps a value from breaking out of its argument.
public enum Shell {
    /// `value` as one POSIX shell word: in single quotes, each embedded `'` written as `'\''`.
    /// Inside single quotes a POSIX shell expands nothing (`$`, backticks, `\`, `;`, newlines
    /// are all literal), so the value stays one argument whatever it holds.
    public static func quote(_ value: String) -> String {
        "'" + value.replacing("'", with: #"'\''"#) + "'"
    }

    /// The shapes of values that commands take, each strict enough that a value passing it holds
    /// no shell metacharacter, no space and no leading `-` (which a command would read as an option).
    public enum Shape: Sendable {
        /// A registry name: 5 to 50 ASCII letters and digits.
        case registry
        /// An IPv4 address in dotted decimal or an IPv6 address (RFC 4291 text form), no prefix length.
        case ipAddress
        /// A GUID, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hexadecimal.
        case guid
        /// A repository path: lowercase letters, digits, `.`, `_`, `-` and `/`, at most 255
        /// characters, each `/`-separated component starting and ending with a letter or digit.
        case repository
        /// An AADSTS code (`AADSTS7000215`) or a check-health code (`CONNECTIVITY_FORBIDDEN_ERROR`).
        case code

        /// Whether `value` has this shape.
        public func matches(_ value: String) -> Bool {
            switch self {
            case .registry: Shell.isRegistry(value)
            case .ipAddress: Shell.isIPv4(value) || Shell.isIPv6(value)
            case .guid: Shell.isGUID(value)
            case .repository: Shell.isRepository(value)
            case .code: Shell.isCode(value)
            }
        }
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
    }

    private static func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66)
    }

    static func isRegistry(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        return (5...50).contains(bytes.count) && bytes.allSatisfy(isAlphanumeric)
    }

    static func isGUID(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count == 36 else { return false }
        for (index, c) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                if c != 0x2D { return false }
            } else if !isHex(c) {
                return false
            }
        }
        return true
    }

    static func isIPv4(_ value: String) -> Bool {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            let digits = Array(part.utf8)
            guard (1...3).contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            // no leading zero (octal in some parsers)
            guard digits.count == 1 || digits[0] != 0x30 else { return false }
            return Int(part).map { $0 <= 255 } ?? false
        }
    }

    static func isIPv6(_ value: String) -> Bool {
        guard value.utf8.count <= 45, value.utf8.count >= 2 else { return false }
        var text = value
        // An embedded IPv4 address (`::ffff:192.0.2.1`) stands for the last two groups.
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard isIPv4(String(text[text.index(after: lastColon)...])) else { return false }
            text = String(text[...lastColon]) + "0:0"
        }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return false }
        func groups(_ part: String) -> Int? {
            guard !part.isEmpty else { return 0 }
            let items = part.split(separator: ":", omittingEmptySubsequences: false)
            for item in items {
                guard (1...4).contains(item.utf8.count), item.utf8.allSatisfy(isHex) else { return nil }
            }
            return items.count
        }
        guard let head = groups(halves[0]) else { return false }
        if halves.count == 1 { return head == 8 }
        guard let tail = groups(halves[1]) else { return false }
        return head + tail <= 7
    }

    static func isRepository(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard (1...255).contains(bytes.count) else { return false }
        let allowed: (UInt8) -> Bool = { c in
            (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x5F || c == 0x2D
        }
        let alnum: (UInt8) -> Bool = { c in (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) }
        for component in bytes.split(separator: 0x2F, omittingEmptySubsequences: false) {
            guard let first = component.first, let last = component.last, alnum(first), alnum(last),
                component.allSatisfy(allowed)
            else { return false }
        }
        return true
    }

    static func isCode(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        if value.hasPrefix("AADSTS") {
            let digits = bytes.dropFirst(6)
            return (1...10).contains(digits.count) && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
        return (1...40).contains(bytes.count) && bytes.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x5F }
    }
}
