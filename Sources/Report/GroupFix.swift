import LogModel
import LogScanner

/// The remediation of one report group, filled in from what the group's logs named: the fix
/// commands carry its registry, refused client IPs, identities or app ids and repositories, and
/// its AADSTS or check-health codes are explained. A value reaches a command only when it has the
/// shape the command expects (`Shell.Shape`), quoted for POSIX shells (`Shell.quote`); where the
/// logs named no such value the placeholder stays (`<registry>`, `<client-ip>`, …). A placeholder
/// in angle brackets is a redirection to a shell, so a command still holding one fails instead of
/// running with a wrong value.
///
/// `acrscan explain TYPE` (`Remediation`) stays generic; this is its per-group counterpart.
public struct GroupFix: Sendable, Equatable {
    /// How many values of each kind are shown and turned into commands.
    public static let valueLimit = 5

    /// One kind of value that the logs named.
    public struct Evidence: Sendable, Equatable {
        /// The kind's id, as in JSON: `registry`, `client_ip`, `identity`, `repository`, `code`.
        public let kind: String
        /// What it is called in prose, plural: `registries`, `client IPs`, …
        public let label: String
        /// The values (at most `valueLimit`), most frequent first, as stored: hostile text.
        public let values: [String]
        /// How many more distinct values the logs named.
        public let more: Int
    }

    /// The error type.
    public let type: ErrorType
    /// The catalog's title of the type.
    public let title: String
    /// The published documentation to read (absolute URL): the firewall article for
    /// ip-not-allowed, else the type's Microsoft reference.
    public let doc: String
    /// The values the logs named, one entry per kind in a fixed order (registry, client_ip,
    /// identity, repository, code), empty where they named none.
    public let evidence: [Evidence]
    /// What the codes mean, and what was left out of the commands and why.
    public let notes: [String]
    /// The steps, each with its filled-in commands (one per value: per refused IP, per identity…).
    public let steps: [Step]

    /// The commands of `steps`, in order.
    public var commands: [String] { steps.flatMap(\.commands) }

    /// One thing to do, and the commands that do it.
    public struct Step: Sendable, Equatable {
        /// What to do and why, one plain sentence or two.
        public let text: String
        /// The commands, values filled in; at least one.
        public let commands: [String]
    }

    /// The fix of `type` for a group with these values.
    ///
    /// - Parameters:
    ///   - registries: the group's registry when it is grouped by registry (empty when unknown),
    ///     else the registries its occurrences named.
    ///   - clientIPs, identities, repositories, codes: the same for the other kinds.
    public init(
        type: ErrorType, registries: EvidenceValues, clientIPs: EvidenceValues, identities: EvidenceValues,
        repositories: EvidenceValues, codes: EvidenceValues
    ) {
        self.type = type
        let entry = Remediation.entry(for: type)
        title = entry.title
        doc = type == .ipNotAllowed ? GroupFix.firewallArticle : entry.reference

        let limit = GroupFix.valueLimit
        func shown(_ values: EvidenceValues) -> EvidenceValues {
            EvidenceValues(Array(values.values.prefix(limit)), distinct: values.distinct)
        }
        let all: [(String, String, EvidenceValues)] = [
            ("registry", "registries", shown(registries)), ("client_ip", "client IPs", shown(clientIPs)),
            ("identity", "identities", shown(identities)), ("repository", "repositories", shown(repositories)),
            ("code", "codes", shown(codes)),
        ]
        evidence = all.map { Evidence(kind: $0.0, label: $0.1, values: $0.2.values, more: $0.2.more) }

        var builder = Builder(
            registries: shown(registries), clientIPs: shown(clientIPs), identities: shown(identities),
            repositories: shown(repositories), codes: shown(codes))
        builder.build(type)
        steps = builder.steps
        notes = builder.notes
    }

    /// Microsoft's article on registry firewall rules (what `aka.ms/acr/firewall` opens).
    public static let firewallArticle =
        "https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks"

    /// The placeholders, for values the logs did not name (or named in a shape a command cannot take).
    public enum Placeholder {
        public static let registry = "<registry>"
        public static let clientIP = "<client-ip>"
        public static let identity = "<identity>"
        public static let appID = "<app-id>"
        public static let repository = "<repository>"
        public static let cluster = "<cluster>"
        public static let resourceGroup = "<resource-group>"
        public static let namespace = "<namespace>"
        public static let secret = "<secret>"
        public static let password = "<password>"
        public static let token = "<token>"
    }
}

// MARK: - Building the steps

extension GroupFix {
    /// The singular of each kind's plural, for "1 more …".
    static let singular = [
        "client IPs": "client IP", "identities": "identity", "app ids": "app id", "repositories": "repository",
    ]

    /// What AADSTS codes mean (Microsoft Entra's error reference), for the notes.
    static let aadCodes: [String: String] = [
        "AADSTS7000215": "wrong client secret; often the secret's ID was stored instead of its value",
        "AADSTS7000222": "the client secret has expired",
        "AADSTS700016": "no application with this id in the tenant (wrong tenant, a typo, or the app was deleted)",
        "AADSTS70021": "the federated (OIDC) assertion matches no federated credential on the app",
        "AADSTS700024": "the federated assertion is outside its valid time range",
        "AADSTS700082": "the refresh token expired after a long time unused; sign in again",
        "AADSTS7000112": "the application is disabled in the tenant",
    ]

    /// What `az acr check-health` codes mean, for the notes.
    static let healthCodes: [String: String] = [
        "DOCKER_COMMAND_ERROR": "no usable Docker client where the login ran",
        "DOCKER_DAEMON_ERROR": "the Docker daemon could not be reached",
        "CONNECTIVITY_FORBIDDEN_ERROR": "the registry's firewall refused the client",
        "CONNECTIVITY_REFRESH_TOKEN_ERROR": "the registry refused to exchange the Entra token (401 or 403)",
        "CONNECTIVITY_ACCESS_TOKEN_ERROR": "the registry refused an access token (401 or 403)",
        "CONNECTIVITY_AAD_LOGIN_ERROR": "the registry does not accept an Entra (AAD) login",
    ]

    /// How the steps for one group are put together.
    struct Builder {
        let registries: EvidenceValues
        let clientIPs: EvidenceValues
        let identities: EvidenceValues
        let repositories: EvidenceValues
        let codes: EvidenceValues
        var steps: [Step] = []
        var notes: [String] = []

        init(
            registries: EvidenceValues, clientIPs: EvidenceValues, identities: EvidenceValues,
            repositories: EvidenceValues, codes: EvidenceValues
        ) {
            self.registries = registries
            self.clientIPs = clientIPs
            self.identities = identities
            self.repositories = repositories
            self.codes = codes
        }

        /// The registry as a quoted shell word, or the placeholder: filled only when the group
        /// named exactly one registry and it is a registry name.
        var registry: String {
            guard registries.distinct == 1, let name = registries.values.first, Shell.Shape.registry.matches(name)
            else {
                return Placeholder.registry
            }
            return Shell.quote(name)
        }

        /// The login server, `'name.azurecr.io'` or `<registry>.azurecr.io`.
        var loginServer: String {
            guard registries.distinct == 1, let name = registries.values.first, Shell.Shape.registry.matches(name)
            else {
                return Placeholder.registry + ".azurecr.io"
            }
            return Shell.quote(name + ".azurecr.io")
        }

        /// The registry's resource id, for `--scope`.
        var scope: String { "$(az acr show --name \(registry) --query id --output tsv)" }

        /// The values of one kind that have `shape`, quoted; the placeholder when none has; and a
        /// note when some were left out for their shape.
        mutating func words(
            _ values: EvidenceValues, _ shape: Shell.Shape, placeholder: String, what: String, key: String
        ) -> [String] {
            let good = values.values.filter { shape.matches($0) }
            let bad = values.values.count - good.count
            if bad > 0 {
                notes.append(
                    "\(bad) of the \(what) named in the logs \(bad == 1 ? "is" : "are") not in the expected form "
                        + "and \(bad == 1 ? "was" : "were") left out of the commands.")
            }
            if values.more > 0 {
                let noun = values.more == 1 ? GroupFix.singular[what] ?? what : what
                notes.append(
                    "\(values.more) more \(noun) not shown; 'acrscan report --by registry,type,\(key)' lists them all.")
            }
            return good.isEmpty ? [placeholder] : good.map(Shell.quote)
        }

        mutating func step(_ text: String, _ commands: String...) {
            steps.append(Step(text: text, commands: commands))
        }

        mutating func step(_ text: String, each commands: [String]) {
            steps.append(Step(text: text, commands: commands))
        }

        mutating func noteRegistries() {
            if registries.distinct > 1 {
                notes.append(
                    "These failures named \(registries.distinct) registries; run the commands for each "
                        + "(--by registry splits them).")
            } else if let name = registries.values.first, !Shell.Shape.registry.matches(name) {
                notes.append("The registry name in the logs is not a registry name and was left out of the commands.")
            }
        }

        mutating func noteCodes() {
            for code in codes.values where Shell.Shape.code.matches(code) {
                if let meaning = GroupFix.aadCodes[code] ?? GroupFix.healthCodes[code] {
                    notes.append("\(code): \(meaning).")
                } else if code.hasPrefix("AADSTS") {
                    notes.append("\(code): see https://login.microsoftonline.com/error?code=\(code.dropFirst(6)).")
                }
            }
            if codes.more > 0 { notes.append("\(codes.more) more code\(codes.more == 1 ? "" : "s") not shown.") }
        }

        mutating func roleAssignments(_ role: String, why: String) {
            let ids = words(identities, .guid, placeholder: Placeholder.identity, what: "identities", key: "identity")
            step(why, each: ids.map { "az role assignment create --assignee \($0) --role \(role) --scope \(scope)" })
        }

        mutating func showTags() {
            let repos = words(
                repositories, .repository, placeholder: Placeholder.repository, what: "repositories", key: "repository")
            step(
                "Check that the repository and tag exist: ACR refuses a missing one as if access were denied.",
                each: repos.map { "az acr repository show-tags --name \(registry) --repository \($0)" })
        }

        mutating func build(_ type: ErrorType) {
            noteRegistries()
            noteCodes()
            switch type {
            case .ipNotAllowed:
                let ips = words(
                    clientIPs, .ipAddress, placeholder: Placeholder.clientIP, what: "client IPs", key: "client_ip")
                step(
                    "Allow the refused client addresses in the registry's firewall (IP rules need the Premium tier).",
                    each: ips.map { "az acr network-rule add --name \(registry) --ip-address \($0)" })
                step("Check the rules and the default action.", "az acr show --name \(registry) --query networkRuleSet")

            case .identityPermission:
                roleAssignments("AcrPull", why: "Grant the identity AcrPull on the registry (AcrPush to push).")
                step("Sign in again so that the new role is used.", "az acr login --name \(registry)")

            case .accessDenied:
                roleAssignments(
                    "AcrPush", why: "Grant the identity AcrPush on the registry (AcrPull when it only pulls).")
                showTags()

            case .aadCredential:
                let known = codes.values.filter { Shell.Shape.code.matches($0) }
                let notFound = known.contains("AADSTS700016")
                let federated = known.contains { $0 == "AADSTS70021" || $0 == "AADSTS700024" }
                let expired = known.contains("AADSTS700082")
                let secret =
                    known.contains { $0 == "AADSTS7000215" || $0 == "AADSTS7000222" }
                    || !(notFound || federated || expired)
                let ids = words(identities, .guid, placeholder: Placeholder.appID, what: "app ids", key: "identity")
                if secret {
                    step(
                        "Create a new client secret and store its value (not its ID) where the job reads it; "
                            + "--append keeps the old one until the change is rolled out.",
                        each: ids.map { "az ad sp credential reset --id \($0) --append" })
                }
                if notFound {
                    step(
                        "Check that the app registration exists in the tenant the job signs in to.",
                        each: ids.map { "az ad sp show --id \($0)" })
                }
                if federated {
                    step(
                        "Compare the app's federated credentials with the issuer and subject the job sends.",
                        each: ids.map { "az ad app federated-credential list --id \($0)" })
                }
                if expired { step("Sign in again.", "az login") }

            case .unauthorized:
                step(
                    "Sign in again; a stale or expired login is the most common cause.",
                    "az acr login --name \(registry)")
                step(
                    "If the job uses the admin user: generate a new password, then update every place that stores it.",
                    "az acr credential renew --name \(registry) --password-name password")
                step(
                    "If it uses a repository-scoped token: generate a new password for it.",
                    "az acr token credential generate --name \(Placeholder.token) --registry \(registry) --password1")
                let ids = words(identities, .guid, placeholder: Placeholder.appID, what: "app ids", key: "identity")
                step(
                    "If it signs in as a service principal: create a new secret (--append keeps the old one).",
                    each: ids.map { "az ad sp credential reset --id \($0) --append" })
                showTags()

            case .anonymousPull:
                step(
                    "Attach the registry to the AKS cluster; this grants AcrPull to its kubelet identity.",
                    "az aks update --name \(Placeholder.cluster) --resource-group \(Placeholder.resourceGroup) "
                        + "--attach-acr \(registry)")
                step(
                    "Outside AKS: create a pull secret in the pod's namespace and name it in imagePullSecrets.",
                    "kubectl create secret docker-registry \(Placeholder.secret) --namespace \(Placeholder.namespace) "
                        + "--docker-server=\(loginServer) --docker-username=\(Placeholder.appID) "
                        + "--docker-password=\(Placeholder.password)")
                showTags()

            case .dockerCommandError:
                step("Start the Docker daemon where the login runs.", "sudo systemctl start docker")
                step(
                    "Or get a registry token without Docker (for docker, podman, helm or oras).",
                    "az acr login --name \(registry) --expose-token")

            case .cloudShellNoDaemon:
                step(
                    "Cloud Shell has no Docker daemon: get a registry token instead of a Docker login.",
                    "az acr login --name \(registry) --expose-token")
            }
        }
    }
}
