/// A filter value on the command line that would match nothing, with the reason.
public struct FilterArgumentError: Error, CustomStringConvertible, Sendable {
    /// The option (`--registry`), the value given, and why it can match nothing.
    public let option: String
    public let value: String
    public let reason: String

    /// One line for the user, naming the option and the value.
    public var description: String { "\(option) \(value): \(reason)" }
}

/// The values of `--registry`, `--type` and `--host` as users write them: comma-separated lists,
/// given once or repeated (`--registry a,b --registry c`), read into the names the store holds.
/// A value that could never match (a registry that is not an ACR name, an unknown type, an empty
/// item) is an error, never a filter that silently selects nothing.
public enum FilterArgument {
    /// The items of one option value: split on commas, spaces around each item trimmed.
    static func items(_ text: String, option: String) throws(FilterArgumentError) -> [String] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { item in
            String(item.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        }
        if items.contains(where: \.isEmpty) {
            throw FilterArgumentError(
                option: option, value: text, reason: "an empty item (give names separated by commas)")
        }
        return items
    }

    /// Registry names as stored (docs/error-types.md): `MyACR`, `myacr.azurecr.io`,
    /// `https://myacr.azurecr.io/v2/`, `myacr.eastus.data.azurecr.io` and the sovereign clouds'
    /// login servers all give `myacr`; `unknown` (or `(unknown)`) gives `""`, the unknown registry.
    public static func registries(_ text: String) throws(FilterArgumentError) -> [String] {
        var names: [String] = []
        for item in try items(text, option: "--registry") {
            names.append(try registry(item))
        }
        return names
    }

    /// One registry name; see `registries(_:)`.
    static func registry(_ item: String) throws(FilterArgumentError) -> String {
        var text = Substring(item.lowercased())
        if text == "unknown" || text == "(unknown)" { return "" }
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text = text.dropFirst(scheme.count) }
        if let slash = text.firstIndex(of: "/") { text = text[..<slash] }
        if let colon = text.firstIndex(of: ":") { text = text[..<colon] }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count > 1 {
            // A login server: NAME[.REGION.data].azurecr.(io|cn|us); any other host is not an ACR.
            let suffix = labels.suffix(2).joined(separator: ".")
            guard ["azurecr.io", "azurecr.cn", "azurecr.us"].contains(suffix) else {
                throw FilterArgumentError(
                    option: "--registry", value: item,
                    reason:
                        "not an Azure Container Registry (acrscan counts only NAME.azurecr.io registries; give NAME or its login server)"
                )
            }
        }
        let name = labels.first ?? ""
        guard (5...50).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw FilterArgumentError(
                option: "--registry", value: item,
                reason:
                    "not a registry name (5 to 50 letters and digits, a login server like NAME.azurecr.io, or 'unknown')"
            )
        }
        return String(name)
    }

    /// Error types by id (`docs/error-types.md`).
    public static func types(_ text: String) throws(FilterArgumentError) -> [ErrorType] {
        var types: [ErrorType] = []
        for item in try items(text, option: "--type") {
            guard let type = ErrorType(rawValue: item.lowercased()) else {
                throw FilterArgumentError(
                    option: "--type", value: item,
                    reason: "not an error type (one of \(ErrorType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            types.append(type)
        }
        return types
    }

    /// Host names, exactly as stored (`scan --host`, or the machine's name).
    public static func hosts(_ text: String) throws(FilterArgumentError) -> [String] {
        try items(text, option: "--host")
    }
}
