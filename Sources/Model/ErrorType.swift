/// The kinds of ACR authentication and authorization failure that acrscan counts (docs/error-types.md).
///
/// Every occurrence has exactly one type. The raw value is the stable id stored in the database,
/// printed in reports and accepted by `--type` and `acrscan explain`.
public enum ErrorType: String, CaseIterable, Sendable, Codable, Comparable {
    /// `az acr login` could not run the Docker client or reach its daemon.
    case dockerCommandError = "docker-command-error"
    /// `az acr login` was run where no Docker daemon can run (Azure Cloud Shell).
    case cloudShellNoDaemon = "cloud-shell-no-daemon"
    /// The registry rejected the credentials (HTTP 401).
    case unauthorized = "unauthorized"
    /// The signed-in identity cannot see or use the registry.
    case identityPermission = "identity-permission"
    /// The registry firewall refused the client address (HTTP 403).
    case ipNotAllowed = "ip-not-allowed"
    /// Authenticated, but not allowed to do this to this repository.
    case accessDenied = "access-denied"
    /// The service principal or managed identity could not sign in to Entra ID.
    case aadCredential = "aad-credential"
    /// A pull sent no credentials at all.
    case anonymousPull = "anonymous-pull"

    /// How specific the type is when several lines of one failure show different types: the most
    /// specific wins. An anonymous 401 is the least specific (when the same event also shows a
    /// credentialed 401, credentials were sent after all); a named cause beats a bare 401.
    public var specificity: Int {
        switch self {
        case .anonymousPull: 1
        case .unauthorized: 2
        case .accessDenied: 3
        case .identityPermission: 4
        case .aadCredential: 5
        case .ipNotAllowed: 6
        case .dockerCommandError: 7
        case .cloudShellNoDaemon: 8
        }
    }

    /// Orders by id, so that every listing is stable.
    public static func < (lhs: ErrorType, rhs: ErrorType) -> Bool { lhs.rawValue < rhs.rawValue }
}
