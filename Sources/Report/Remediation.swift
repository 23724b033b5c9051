import LogModel
import LogScanner

// The remediation catalog: what each error type means and what to do about it, in acrscan's own
// words. It follows the steps of Microsoft's "Troubleshoot Azure Container Registry authentication
// issues" article and the `az acr check-health` error reference, and is what `acrscan explain`
// prints; reports show its titles and references, and `GroupFix` fills the main fix commands in
// per group. docs/error-types.md is the long form of the same text.
//
// Conventions: all text is plain ASCII (so column counts are exact), commands use the placeholders
// listed under "Placeholders" (see `placeholders` below), and nothing here is ever a real secret.

/// One thing to do: a sentence, and the command that does it when there is one.
public struct RemediationStep: Sendable, Equatable {
    /// What to do and why, as one or two plain sentences.
    public let text: String
    /// The command that does it (az, kubectl, docker, systemctl), with placeholders, or nil.
    public let command: String?

    /// A step with an optional command.
    public init(_ text: String, command: String? = nil) {
        self.text = text
        self.command = command
    }
}

/// What a failure type means and how to fix it, in acrscan's own words.
public struct Remediation: Sendable {
    /// The error type this entry explains.
    public let type: ErrorType
    /// Short headline, e.g. "Credentials rejected (HTTP 401)".
    public let title: String
    /// What happened, in one to three sentences.
    public let summary: String
    /// Likely causes, most common first.
    public let causes: [String]
    /// How to confirm the cause, in the order worth trying.
    public let confirm: [RemediationStep]
    /// How to fix it, in the order worth trying.
    public let fix: [RemediationStep]
    /// Caveats: misleading messages, look-alikes, how acrscan counts this type.
    public let notes: [String]
    /// The Microsoft documentation page for further reading.
    public let reference: String

    /// The entry for a type.
    public static func entry(for type: ErrorType) -> Remediation {
        switch type {
        case .dockerCommandError: dockerCommandError
        case .cloudShellNoDaemon: cloudShellNoDaemon
        case .unauthorized: unauthorized
        case .identityPermission: identityPermission
        case .ipNotAllowed: ipNotAllowed
        case .accessDenied: accessDenied
        case .aadCredential: aadCredential
        case .anonymousPull: anonymousPull
        }
    }

    /// All entries, in `ErrorType.allCases` order.
    public static var all: [Remediation] { ErrorType.allCases.map { entry(for: $0) } }

    /// The anchor of this type in docs/error-types.md, e.g. "docs/error-types.md#unauthorized": for
    /// `acrscan explain` only; reports carry `reference` (absolute), never this relative path.
    public var docAnchor: String { "docs/error-types.md#\(type.rawValue)" }

    /// The placeholders that commands use, with what to put in their place, in display order.
    private static let placeholders: [(name: String, meaning: String)] = [
        ("NAME", "registry name, without .azurecr.io"),
        ("REPO", "repository, e.g. team/app"),
        ("TAG", "image tag"),
        ("APPID", "application (client) id of the service principal"),
        ("ID", "object id or app id of the user, service principal or managed identity"),
        ("SUBSCRIPTION", "subscription name or id that holds the registry"),
        ("CLUSTER", "AKS cluster name"),
        ("RG", "resource group of the cluster"),
        ("POD", "pod name"),
        ("NAMESPACE", "Kubernetes namespace of the pod"),
        ("SECRET", "name of the Kubernetes image pull secret"),
        ("PASSWORD", "the password or secret value (read it from a variable, not history)"),
        ("TOKEN", "name of the repository-scoped token"),
        ("MAP", "name of the token's scope map"),
        ("IP", "client public address or CIDR range"),
        ("SOURCE", "image to copy, e.g. docker.io/library/nginx:1.27"),
    ]
}

// MARK: - Shared text

extension Remediation {
    private static let authArticle =
        "https://learn.microsoft.com/troubleshoot/azure/azure-container-registry/acr-authentication-errors"

    /// The registry's resource id, for `--scope`.
    private static let registryScope = "$(az acr show -n NAME --query id -o tsv)"

    private static let checkHealth = "az acr check-health -n NAME --yes"

    private static let showTags = "az acr repository show-tags -n NAME --repository REPO"

    private static let listRoles =
        "az role assignment list --assignee ID --scope \(registryScope) --include-inherited -o table"

    private static let missingTagNote =
        "ACR answers 401 (not 404) for a repository or tag that does not exist, and Kubernetes "
        + "and App Service then retry without credentials. Before changing credentials or roles, "
        + "check the image name and tag: az acr repository show-tags -n NAME --repository REPO"
}

// MARK: - Entries

extension Remediation {
    private static let dockerCommandError = Remediation(
        type: .dockerCommandError,
        title: "az acr login could not run Docker or reach its daemon",
        summary:
            "'az acr login' gets a registry token from Azure and then passes it to 'docker login'. "
            + "That second step failed: the Docker client could not be found or run, or it could not "
            + "reach the Docker daemon, so the machine was never logged in to the registry.",
        causes: [
            "Docker is not installed where the login runs, or the docker binary is not on PATH.",
            "The Docker daemon is stopped, crashed, or still starting (common just after a VM or "
                + "build agent boots).",
            "The user may not open the daemon socket (/var/run/docker.sock): not in the docker "
                + "group, or a rootless daemon without DOCKER_HOST set.",
            "The job runs in a container that has the Docker CLI but no daemon and no mounted socket.",
            "Only Podman or another client is installed, while az acr login calls docker.",
        ],
        confirm: [
            RemediationStep(
                "Run the health check: DOCKER_COMMAND_ERROR means no usable client, "
                    + "DOCKER_DAEMON_ERROR means no reachable daemon.",
                command: checkHealth),
            RemediationStep(
                "Check that the client runs and reaches the daemon; the Server part of the output "
                    + "fails when the daemon is down or the socket is refused.",
                command: "docker version"),
            RemediationStep(
                "On systemd hosts, see whether the daemon is running and why it stopped.",
                command: "systemctl status docker"),
        ],
        fix: [
            RemediationStep(
                "Install Docker Engine (or Docker Desktop) where the login runs and make sure "
                    + "docker is on PATH."),
            RemediationStep(
                "Start the daemon (add 'systemctl enable docker' to start it at boot).",
                command: "sudo systemctl start docker"),
            RemediationStep(
                "If the socket is refused for your user, add the user to the docker group, then "
                    + "sign out and in again.",
                command: "sudo usermod -aG docker $USER"),
            RemediationStep(
                "Where no daemon can run, get a registry token without Docker; it works for "
                    + "docker, podman, helm and oras.",
                command: "az acr login -n NAME --expose-token"),
            RemediationStep(
                "Log in with that token: the user name is the all-zero GUID, the password is the "
                    + "access token (read from stdin, so it is not shown).",
                command: "az acr login -n NAME --expose-token --query accessToken -o tsv"
                    + " | docker login NAME.azurecr.io -u 00000000-0000-0000-0000-000000000000"
                    + " --password-stdin"),
        ],
        notes: [
            "Nothing is wrong with the registry or the credentials; the failure is on the machine "
                + "that ran the login.",
            "check-health also reports HELM_* and NOTARY_* errors when those tools are missing. "
                + "They do not affect registry login, and acrscan does not count them; nor "
                + "DOCKER_VERSION_ERROR and DOCKER_PULL_ERROR.",
        ],
        reference: authArticle)

    private static let cloudShellNoDaemon = Remediation(
        type: .cloudShellNoDaemon,
        title: "az acr login run in Azure Cloud Shell (no Docker daemon)",
        summary:
            "'az acr login' was run in Azure Cloud Shell. Cloud Shell has the Docker client but no "
            + "Docker daemon, so the Azure CLI refuses the login before it contacts the registry. "
            + "The registry, the network and the credentials are not at fault.",
        causes: [
            "Following a tutorial that runs az acr login, docker build or docker push at the "
                + "Cloud Shell prompt.",
            "A script written for a workstation or build agent was pasted into Cloud Shell.",
            "The ACC_CLOUD variable is set in the environment, which the Azure CLI takes to mean "
                + "Cloud Shell.",
        ],
        confirm: [
            RemediationStep(
                "The Azure CLI treats the session as Cloud Shell when ACC_CLOUD is set; any output "
                    + "here confirms it.",
                command: "printenv ACC_CLOUD"),
            RemediationStep(
                "Check that a registry token can be obtained at all; if it can, identity and "
                    + "network are fine.",
                command: "az acr login -n NAME --expose-token"),
        ],
        fix: [
            RemediationStep(
                "Use a token instead of a Docker login and hand it to the tool that needs it.",
                command: "az acr login -n NAME --expose-token"),
            RemediationStep(
                "Build in the registry instead of locally: ACR Tasks needs no local daemon.",
                command: "az acr build -r NAME -t REPO:TAG ."),
            RemediationStep(
                "Copy an image from another registry without Docker.",
                command: "az acr import -n NAME --source SOURCE --image REPO:TAG"),
            RemediationStep(
                "Or run the login on a workstation, VM or build agent where the Docker daemon runs.",
                command: "az acr login -n NAME"),
        ],
        notes: [
            "acrscan counts this even though no request reached the registry: it shows a "
                + "procedure run in the wrong place, not a broken registry.",
            "The Azure CLI prints the --expose-token hint on the same line; when a block shows "
                + "both this message and DOCKER_COMMAND_ERROR, it is counted once, as "
                + "cloud-shell-no-daemon.",
        ],
        reference: authArticle)

    private static let unauthorized = Remediation(
        type: .unauthorized,
        title: "Credentials rejected (HTTP 401)",
        summary:
            "The registry received credentials and rejected them with HTTP 401. The user name, "
            + "password, token or secret that was presented is wrong, was regenerated, or has expired.",
        causes: [
            "The admin user password was regenerated, or the admin user disabled, while CI or a "
                + "pull secret still holds the old password.",
            "A service principal secret expired (one year by default) or was replaced, or the "
                + "secret's ID was stored instead of its value.",
            "A repository-scoped token's password expired or was regenerated, or the token was "
                + "disabled.",
            "A stale login cached in ~/.docker/config.json or a credential helper.",
            "A token from 'az acr login --expose-token' used after it expired (about 3 hours).",
            "The user name does not belong to the password (e.g. the registry name with a "
                + "service principal secret).",
            "The repository or tag does not exist: ACR answers 401 for that too (see Notes).",
        ],
        confirm: [
            RemediationStep(
                "Run the health check with the identity the failing job uses.",
                command: checkHealth),
            RemediationStep(
                "Check that an Entra sign-in can still get a registry token.",
                command: "az acr login -n NAME --expose-token"),
            RemediationStep(
                "Admin user: check it is still enabled, then compare the password with Access "
                    + "keys in the portal.",
                command: "az acr show -n NAME --query adminUserEnabled"),
            RemediationStep(
                "Service principal: list its secrets and when they end.",
                command: "az ad app credential list --id APPID --query \"[].endDateTime\" -o tsv"),
            RemediationStep(
                "Repository-scoped token: check its status and password expiry.",
                command: "az acr token show -n TOKEN -r NAME"),
            RemediationStep(
                "Check that the repository and tag exist.",
                command: showTags),
        ],
        fix: [
            RemediationStep(
                "Admin user: generate a new password, then update every place that stores it "
                    + "(CI secret, pull secret, App Service settings).",
                command: "az acr credential renew -n NAME --password-name password"),
            RemediationStep(
                "Service principal: create a new secret and store its value where the job reads "
                    + "it; --append keeps the old secret until the change is rolled out.",
                command: "az ad sp credential reset --id APPID --append"),
            RemediationStep(
                "Repository-scoped token: generate a new password.",
                command: "az acr token credential generate -n TOKEN -r NAME --password1"),
            RemediationStep(
                "Drop a stale cached login, then sign in again.",
                command: "docker logout NAME.azurecr.io && az acr login -n NAME"),
            RemediationStep(
                "Prefer an Entra identity with AcrPull or AcrPush over a shared admin password, so "
                    + "that one rotation does not break every consumer."),
        ],
        notes: [
            missingTagNote,
            "The registry has two admin passwords (password and password2): renew one at a "
                + "time to rotate without downtime.",
            "A 401 for GET /v2/ in a debug trace is the normal challenge before login and is not "
                + "counted.",
        ],
        reference: authArticle)

    private static let identityPermission = Remediation(
        type: .identityPermission,
        title: "Signed-in identity cannot see or use the registry",
        summary:
            "The Azure CLI is signed in, but that identity cannot see or use the registry: the "
            + "registry is not found in the current subscription, the token exchange is refused "
            + "with 401 or 403, or the admin credentials cannot be read. Usually a cascade from "
            + "'az acr login'.",
        causes: [
            "The identity has no role on the registry (AcrPull, AcrPush, Reader, Contributor), so "
                + "the token exchange is refused.",
            "The CLI is on another subscription or tenant than the registry: 'could not be found "
                + "in subscription'.",
            "The registry name is misspelt, or the registry was deleted or moved.",
            "The admin user is disabled, so the fallback to admin credentials fails.",
            "listCredentials is refused (AuthorizationFailed): the identity may pull but may not "
                + "read the admin keys.",
            "The az login session is stale: a role was granted or removed after sign-in.",
        ],
        confirm: [
            RemediationStep(
                "Run the health check: CONNECTIVITY_REFRESH_TOKEN_ERROR or "
                    + "CONNECTIVITY_ACCESS_TOKEN_ERROR with response code 401 or 403 points here.",
                command: checkHealth),
            RemediationStep(
                "See which account, tenant and subscription the CLI is using.",
                command: "az account show"),
            RemediationStep(
                "Check that the registry is visible from that subscription.",
                command: "az acr show -n NAME --query id -o tsv"),
            RemediationStep(
                "List the identity's roles on the registry, including inherited ones.",
                command: listRoles),
            RemediationStep(
                "If the login fell back to the admin user, check whether it is enabled.",
                command: "az acr show -n NAME --query adminUserEnabled"),
        ],
        fix: [
            RemediationStep(
                "Switch to the subscription that holds the registry.",
                command: "az account set --subscription SUBSCRIPTION"),
            RemediationStep(
                "Grant the identity a data role on the registry: AcrPull to pull, AcrPush to push.",
                command: "az role assignment create --assignee ID --role AcrPull --scope \(registryScope)"),
            RemediationStep(
                "Sign in again so the new role is used; role changes can take a few minutes.",
                command: "az login"),
            RemediationStep(
                "Only if you rely on admin credentials: enable the admin user (not recommended for "
                    + "shared use).",
                command: "az acr update -n NAME --admin-enabled true"),
        ],
        notes: [
            "The Azure CLI prints the code, the 'Access to registry ... was denied' line and the "
                + "admin-credentials line separately; acrscan counts the block once.",
            "The same message with response code 5xx (e.g. 504) is a gateway or service problem, "
                + "not a permission problem, and is not counted.",
            "A 403 here can also be the firewall; when the block says 'client with IP', it is "
                + "counted as ip-not-allowed.",
            "Registries in ABAC mode ignore AcrPull and AcrPush; see access-denied.",
        ],
        reference: authArticle)

    private static let ipNotAllowed = Remediation(
        type: .ipNotAllowed,
        title: "Client IP blocked by the registry firewall (HTTP 403)",
        summary:
            "The registry's network rules refused the request because of the address it came "
            + "from (HTTP 403, 'client with IP ... is not allowed access'). The credentials were "
            + "not the problem.",
        causes: [
            "Public access is limited to selected networks and the client's public address is "
                + "not in the IP rules.",
            "Public network access is disabled and the client does not come through a private "
                + "endpoint.",
            "The egress address changed: Microsoft-hosted CI agents, autoscaled runners, or a new "
                + "NAT gateway or load balancer IP on the cluster.",
            "The client resolves the registry to its public address instead of the private "
                + "endpoint (private DNS zone not linked to its network).",
            "A rule was changed moments ago; a brief 403 just after a change is expected.",
        ],
        confirm: [
            RemediationStep(
                "Read the address in the error; acrscan keeps it as the occurrence's client IP."),
            RemediationStep(
                "Show the registry's network rules and default action.",
                command: "az acr show -n NAME --query networkRuleSet"),
            RemediationStep(
                "Check whether public network access is enabled at all.",
                command: "az acr show -n NAME --query publicNetworkAccess"),
            RemediationStep(
                "Run the health check from the failing machine; CONNECTIVITY_FORBIDDEN_ERROR "
                    + "confirms a firewall refusal.",
                command: checkHealth),
            RemediationStep(
                "For AKS, check the path from the cluster's own nodes.",
                command: "az aks check-acr -n CLUSTER -g RG --acr NAME.azurecr.io"),
        ],
        fix: [
            RemediationStep(
                "Allow the client's public address or range (IP rules need the Premium tier).",
                command: "az acr network-rule add -n NAME --ip-address IP"),
            RemediationStep(
                "For clients in Azure networks, use a private endpoint instead, with the "
                    + "privatelink.azurecr.io DNS zone linked to the client's virtual network."),
            RemediationStep(
                "For Azure services without a fixed address, allow trusted Azure services where "
                    + "the service supports it.",
                command: "az acr update -n NAME --allow-trusted-services true"),
            RemediationStep(
                "Run locked-down builds on self-hosted agents with a fixed egress address rather "
                    + "than on Microsoft-hosted agents."),
        ],
        notes: [
            "Not every 403 is the firewall: a 403 without 'client with IP' is counted as "
                + "access-denied.",
            "Network rule changes take a short while to apply; a single 403 right after a change "
                + "may not need action.",
        ],
        reference: authArticle)

    private static let accessDenied = Remediation(
        type: .accessDenied,
        title: "Authenticated, but not allowed on this repository",
        summary:
            "The registry accepted who the caller is but refused the operation: the identity or "
            + "token may not do this (usually push, sometimes pull or delete) to this repository. "
            + "Typical answers are 'denied: requested access to the resource is denied', "
            + "'insufficient_scope' and a bare 403 Forbidden.",
        causes: [
            "The identity has AcrPull but tries to push; push needs AcrPush.",
            "A repository-scoped token's scope map does not list this repository or action.",
            "The registry is in ABAC mode: AcrPull and AcrPush are ignored there, or a role "
                + "condition limits the identity to other repositories.",
            "The image name points at the wrong registry or repository (typo, missing namespace).",
            "The image or repository is locked (write-enabled false), so a push is refused.",
            "The repository or tag does not exist and ACR answers as if access were refused "
                + "(see Notes).",
        ],
        confirm: [
            RemediationStep(
                "List the identity's roles on the registry, including inherited ones.",
                command: listRoles),
            RemediationStep(
                "See whether the registry uses ABAC repository permissions "
                    + "(AbacRepositoryPermissions) or not (LegacyRegistryPermissions).",
                command: "az acr show -n NAME --query roleAssignmentMode -o tsv"),
            RemediationStep(
                "For a repository-scoped token, find its scope map, then list what it allows.",
                command: "az acr token show -n TOKEN -r NAME --query scopeMapId -o tsv"),
            RemediationStep(
                "Show the scope map's repositories and actions.",
                command: "az acr scope-map show -n MAP -r NAME"),
            RemediationStep(
                "Check that the image exists and is not locked (see changeableAttributes).",
                command: "az acr repository show -n NAME --image REPO:TAG"),
            RemediationStep(
                "Check the repository's tags.",
                command: showTags),
        ],
        fix: [
            RemediationStep(
                "Grant the role the action needs: AcrPush to push, AcrPull to pull.",
                command: "az role assignment create --assignee ID --role AcrPush --scope \(registryScope)"),
            RemediationStep(
                "On an ABAC-mode registry, assign Container Registry Repository Writer (or "
                    + "Reader) instead.",
                command: "az role assignment create --assignee ID"
                    + " --role \"Container Registry Repository Writer\" --scope \(registryScope)"),
            RemediationStep(
                "For a token, add the repository and its actions to the scope map.",
                command: "az acr scope-map update -n MAP -r NAME --add-repository REPO "
                    + "content/read content/write"),
            RemediationStep(
                "If the push was intended, unlock the image.",
                command: "az acr repository update -n NAME --image REPO:TAG --write-enabled true"),
        ],
        notes: [
            missingTagNote,
            "'denied: requested access to the resource is denied' for an image without an ACR "
                + "host is Docker Hub, and is not counted.",
            "Role changes take a few minutes, and a fresh login, to reach the token.",
        ],
        reference:
            "https://learn.microsoft.com/azure/container-registry/container-registry-rbac-built-in-roles-overview")

    private static let aadCredential = Remediation(
        type: .aadCredential,
        title: "Service principal or managed identity sign-in failed",
        summary:
            "The service principal or managed identity could not get a token from Microsoft "
            + "Entra ID, so the registry was never asked. The AADSTS code in the message names the "
            + "reason: AADSTS7000215 wrong secret, AADSTS7000222 expired secret, AADSTS700016 "
            + "application not found in the tenant.",
        causes: [
            "AADSTS7000215: the client secret is wrong; often the secret's ID was stored instead "
                + "of its value, or CI still has a rotated secret.",
            "AADSTS7000222: the client secret has expired.",
            "AADSTS700016: no application with this app id in the tenant: wrong tenant, a typo, "
                + "or the app was deleted.",
            "AADSTS70021 or AADSTS700024: a federated (OIDC) assertion matches no federated "
                + "credential, or is outside its valid time range.",
            "A managed identity is not assigned to the VM, node pool or app, or the wrong client "
                + "id is requested.",
        ],
        confirm: [
            RemediationStep(
                "Read the AADSTS code in the log line; acrscan keeps it with the occurrence."),
            RemediationStep(
                "Check that the service principal exists in the tenant the job signs in to.",
                command: "az ad sp show --id APPID"),
            RemediationStep(
                "List the application's secrets and when they end.",
                command: "az ad app credential list --id APPID"),
            RemediationStep(
                "For federated sign-in, compare issuer and subject with what the CI job sends.",
                command: "az ad app federated-credential list --id APPID"),
        ],
        fix: [
            RemediationStep(
                "Create a new secret and store its value (not its ID) in the pipeline's secret "
                    + "store; --append keeps the old one until the change is rolled out.",
                command: "az ad sp credential reset --id APPID --append"),
            RemediationStep(
                "If the app id is unknown in the tenant, point the job at the right tenant and app "
                    + "id, or create a new service principal and grant it AcrPull or AcrPush.",
                command: "az role assignment create --assignee APPID --role AcrPull --scope \(registryScope)"),
            RemediationStep(
                "For workload identity federation, add a federated credential whose issuer, subject "
                    + "and audience match the CI job.",
                command: "az ad app federated-credential create --id APPID --parameters credential.json"),
            RemediationStep(
                "Prefer a managed identity or a federated credential over a client secret: there is "
                    + "nothing to expire or leak."),
        ],
        notes: [
            "When a cascade shows an AADSTS code and then a 401 from the registry, acrscan counts "
                + "it once, as aad-credential.",
            "Look a code up at https://login.microsoftonline.com/error?code=7000215 (use the "
                + "digits after AADSTS).",
            "These lines rarely name the registry; acrscan takes it from the login command run "
                + "just before, or leaves it unknown.",
        ],
        reference: "https://learn.microsoft.com/entra/identity-platform/reference-error-codes")

    private static let anonymousPull = Remediation(
        type: .anonymousPull,
        title: "Pull sent no credentials (anonymous 401)",
        summary:
            "A pull reached the registry without any credentials and ACR refused the anonymous "
            + "request with 401 ('failed to fetch anonymous token'). The client did not know it "
            + "had to authenticate: no pull secret, no attached identity, no prior login.",
        causes: [
            "The AKS cluster is not attached to the registry: its kubelet identity has no AcrPull.",
            "The pod has no imagePullSecrets, or the secret is in another namespace or was made "
                + "for another server name.",
            "A VM, build agent or non-AKS cluster never logged in to the registry.",
            "The image reference names another registry than the one the credentials are for.",
            "The repository or tag does not exist and the runtime retried anonymously (see Notes).",
            "Anonymous pull used to be enabled on the registry and was turned off.",
        ],
        confirm: [
            RemediationStep(
                "Read the pod's events: the Failed line shows the image and the anonymous 401.",
                command: "kubectl describe pod POD"),
            RemediationStep(
                "On AKS, run the built-in check; it tests the kubelet identity and the network path.",
                command: "az aks check-acr -n CLUSTER -g RG --acr NAME.azurecr.io"),
            RemediationStep(
                "Find the kubelet identity's client id (use it as ID below).",
                command: "az aks show -n CLUSTER -g RG --query identityProfile.kubeletidentity.clientId -o tsv"),
            RemediationStep(
                "List that identity's roles on the registry, including inherited ones.",
                command: listRoles),
            RemediationStep(
                "Check which pull secrets the pod names.",
                command: "kubectl get pod POD -n NAMESPACE -o jsonpath='{.spec.imagePullSecrets}'"),
            RemediationStep(
                "Check the secret exists in that namespace, has type kubernetes.io/dockerconfigjson "
                    + "and is for NAME.azurecr.io (the data holds the password: do not paste it).",
                command: "kubectl get secret SECRET -n NAMESPACE -o yaml"),
            RemediationStep(
                "Check that the repository and tag exist.",
                command: showTags),
        ],
        fix: [
            RemediationStep(
                "Attach the registry to the cluster; this grants AcrPull to the kubelet identity.",
                command: "az aks update -n CLUSTER -g RG --attach-acr NAME"),
            RemediationStep(
                "Or grant AcrPull yourself (ID is the kubelet identity's client id).",
                command: "az role assignment create --assignee ID --role AcrPull --scope \(registryScope)"),
            RemediationStep(
                "Outside AKS, or for a registry in another tenant, create a pull secret in the "
                    + "pod's namespace.",
                command: "kubectl create secret docker-registry SECRET -n NAMESPACE"
                    + " --docker-server=NAME.azurecr.io --docker-username=APPID"
                    + " --docker-password=PASSWORD"),
            RemediationStep(
                "Reference it from the pod spec (imagePullSecrets) or from the namespace's default "
                    + "service account.",
                command: "kubectl patch serviceaccount default -n NAMESPACE"
                    + " -p '{\"imagePullSecrets\": [{\"name\": \"SECRET\"}]}'"),
            RemediationStep(
                "On a VM or build agent, log in before pulling.",
                command: "az acr login -n NAME"),
        ],
        notes: [
            missingTagNote,
            "When one event shows both an anonymous and a credentialed 401, credentials were sent "
                + "after all; acrscan counts it as unauthorized.",
            "kubelet's 'Back-off pulling image' lines repeat an earlier failure and are not "
                + "counted; '(xN over ...)' is recorded as attempts.",
            "Enabling anonymous pull (az acr update -n NAME --anonymous-pull-enabled true) makes "
                + "every image readable by anyone who can reach the registry; use it only for "
                + "public content.",
        ],
        reference:
            "https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/connectivity/cannot-pull-image-from-acr-to-aks-cluster"
    )
}

// MARK: - Rendering

extension Remediation {
    /// Plain-text rendering for `acrscan explain TYPE` (80 columns, no colour, sections "What happened",
    /// "Likely causes", "How to confirm", "How to fix", "Notes", commands indented by 4 spaces, prefixed "$ ").
    ///
    /// Text is word-wrapped at 80 columns; a command longer than that is split at spaces outside
    /// quotes and `$(...)`, with shell line continuations, so that it can still be pasted as is.
    /// Only a URL longer than a line is never broken. The result has no trailing newline.
    public func renderText() -> String {
        var out: [String] = []
        let heading = "\(type.rawValue): \(title)"
        out.append(heading)
        out.append(String(repeating: "=", count: min(heading.count, Self.width)))

        out.append("")
        out.append("What happened")
        out += Self.wrap(summary, first: "  ", rest: "  ")

        Self.section("Likely causes", causes, into: &out)
        Self.section("How to confirm", confirm, into: &out)
        Self.section("How to fix", fix, into: &out)
        Self.section("Notes", notes, into: &out)

        let used = usedPlaceholders()
        if !used.isEmpty {
            out.append("")
            out.append("Placeholders")
            let nameWidth = used.map(\.name.count).max() ?? 0
            for item in used {
                let pad = String(repeating: " ", count: nameWidth - item.name.count)
                let lead = "  \(item.name)\(pad)  "
                out += Self.wrap(
                    item.meaning, first: lead, rest: String(repeating: " ", count: lead.count))
            }
        }

        out.append("")
        out.append("Further reading")
        out.append("  \(reference)")
        out.append("  \(docAnchor)")
        return out.joined(separator: "\n")
    }

    /// The overview for `acrscan explain` with no type: one line per type, `id  title`, aligned, and a last
    /// line saying "Run 'acrscan explain TYPE' for causes and fixes."
    ///
    /// The result has no trailing newline.
    public static func renderOverview() -> String {
        let entries = all
        let idWidth = entries.map(\.type.rawValue.count).max() ?? 0
        var out = entries.map { entry -> String in
            let id = entry.type.rawValue
            return id + String(repeating: " ", count: idWidth - id.count + 2) + entry.title
        }
        out.append("Run 'acrscan explain TYPE' for causes and fixes.")
        return out.joined(separator: "\n")
    }

    // MARK: Layout helpers

    /// The page width of the plain-text rendering.
    private static let width = 80

    private static func section(_ name: String, _ items: [String], into out: inout [String]) {
        guard !items.isEmpty else { return }
        out.append("")
        out.append(name)
        for item in items { out += wrap(item, first: "  - ", rest: "    ") }
    }

    private static func section(
        _ name: String, _ steps: [RemediationStep], into out: inout [String]
    ) {
        guard !steps.isEmpty else { return }
        out.append("")
        out.append(name)
        for step in steps {
            out += wrap(step.text, first: "  - ", rest: "    ")
            if let command = step.command { out += commandLines(command) }
        }
    }

    /// Greedy word wrap; a word longer than the line (a URL) gets a line of its own.
    private static func wrap(_ text: String, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var line = first
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                lineHasWord = false
            }
            if lineHasWord { line += " " }
            line += word
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }

    /// A command as `    $ command`, continued with ` \` on lines indented by 8 when it is too long.
    private static func commandLines(_ command: String) -> [String] {
        let firstPrefix = "    $ "
        let restPrefix = "        "
        let words = shellWords(command)
        var lines: [String] = []
        var line = firstPrefix
        var lineHasWord = false
        for (index, word) in words.enumerated() {
            let isLast = index == words.count - 1
            // Room for the word, plus " \" if more words follow on a later line.
            let needed = line.count + (lineHasWord ? 1 : 0) + word.count + (isLast ? 0 : 2)
            // Start a pipeline stage or a chained command on a new line when the rest won't fit.
            let rest = words[index...].reduce(-1) { $0 + 1 + $1.count }
            let breaksBeforeOperator =
                ["|", "&&", "||"].contains(word) && line.count + 1 + rest > width
            if lineHasWord && (needed > width || breaksBeforeOperator) {
                lines.append(line + " \\")
                line = restPrefix
                lineHasWord = false
            }
            if lineHasWord { line += " " }
            line += word
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }

    /// Splits a command at spaces that are outside quotes and outside `$(...)`, so that a line
    /// break with a shell continuation never lands inside an argument.
    private static func shellWords(_ command: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character? = nil
        var depth = 0
        var previous: Character? = nil
        for char in command {
            if let open = quote {
                if char == open { quote = nil }
            } else if char == "'" || char == "\"" {
                quote = char
            } else if char == "(" && previous == "$" {
                depth += 1
            } else if char == "(" && depth > 0 {
                depth += 1
            } else if char == ")" && depth > 0 {
                depth -= 1
            } else if char == " " && depth == 0 {
                if !current.isEmpty { words.append(current) }
                current = ""
                previous = char
                continue
            }
            current.append(char)
            previous = char
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The placeholders that this entry's commands use, in `placeholders` order.
    private func usedPlaceholders() -> [(name: String, meaning: String)] {
        var tokens: Set<Substring> = []
        for step in confirm + fix {
            guard let command = step.command else { continue }
            for token in command.split(whereSeparator: { !($0.isUppercase || $0 == "_") }) {
                tokens.insert(token)
            }
        }
        return Self.placeholders.filter { tokens.contains(Substring($0.name)) }
    }
}
