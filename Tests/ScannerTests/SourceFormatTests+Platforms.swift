import LogModel
import LogScanner
import Testing

/// Round 6p's source pass (docs/accuracy.md, "Round 6p"): the formats in which the platforms that
/// pull from ACR carry the registry's refusal into their own logs — kubelet events as `kubectl get
/// events -o json|yaml` and an event exporter print them, Nomad's docker driver, Docker swarm's
/// digest pinning, the Azure CLI's rendering of a hosted service's error — taken from their current
/// sources, filled with realistic values, printed through the same eight producers' wrappers. Each
/// comment names the file and function the format comes from.
extension SourceFormatTests {
    /// Go's `encoding/json` as `kubectl -o json` and the event exporters use it: `"` and `\` escaped,
    /// and `&`, `<`, `>` written as `\u0026`, `\u003c`, `\u003e` (`json.Marshal`'s HTML escaping).
    static func goJSON(_ s: String) -> String {
        quoted(s).replacingOccurrences(of: "&", with: "\\u0026").replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
    }

    /// kubelet's event message (kubernetes `pkg/kubelet/images/image_manager.go`, `EnsureImageExists`:
    /// `fmt.Sprintf("Failed to pull image %q: %v", image, err)`) around containerd's anonymous token
    /// refusal (`core/remotes/docker/authorizer.go`: `failed to fetch anonymous token: %w`, with
    /// `unexpected status from %s request to %s: %s`).
    static let anonymousPullEvent =
        "Failed to pull image \"\(image)\": failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://myacr.azurecr.io/oauth2/token?\(tokenQuery): 401 Unauthorized"
    /// The same event around Docker Engine's refusal (moby `registry`: `Head %q: unauthorized: …`).
    static let dockerdPullEvent =
        "Failed to pull image \"\(image)\": rpc error: code = Unknown desc = Error response from daemon: Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
    /// The same event around the firewall's refusal of containerd's token request.
    static let firewallPullEvent =
        "Failed to pull image \"\(image)\": failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://myacr.azurecr.io/oauth2/token: 403 Forbidden; denied: client with IP '203.0.113.17' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."

    static let platformFormats: [Format] = [
        // `kubectl get events -o json` (`k8s.io/cli-runtime` printers `JSONPrinter.PrintObj`:
        // `json.MarshalIndent` of the Event, four-space indent): the message as a member of its own.
        Format(
            source: "kubectl get events -o json: kubelet's anonymous-token 401 (containerd)",
            lines: [
                "            \"message\": \"\(goJSON(anonymousPullEvent))\",",
                "            \"reason\": \"Failed\",",
            ], type: .anonymousPull),
        Format(
            source: "kubectl get events -o json: kubelet's 401 through Docker Engine",
            lines: ["            \"message\": \"\(goJSON(dockerdPullEvent))\","], type: .unauthorized),
        Format(
            source: "kubectl get events -o json: the firewall's 403 at containerd's token request",
            lines: ["            \"message\": \"\(goJSON(firewallPullEvent))\","], type: .ipNotAllowed),
        // `kubectl get events -o yaml` (`YAMLPrinter.PrintObj`, sigs.k8s.io/yaml): a message holding
        // `: ` is single-quoted on one line.
        Format(
            source: "kubectl get events -o yaml: kubelet's anonymous-token 401",
            lines: ["  message: '\(anonymousPullEvent)'", "  reason: Failed"], type: .anonymousPull),
        // An event exporter's one JSON line per event (resmoio/kubernetes-event-exporter
        // `pkg/kube/event.go` `EnhancedEvent.ToJSON` → `json.Marshal`), as the stdout sink prints it.
        Format(
            source: "kubernetes-event-exporter: kubelet's 401 through Docker Engine, one JSON line",
            lines: [
                "{\"metadata\":{\"name\":\"web-7d9c6b5f4-x2k8p.17a3b2c1d0e9f8a7\",\"namespace\":\"shop\"},\"reason\":\"Failed\",\"message\":\"\(goJSON(dockerdPullEvent))\",\"source\":{\"component\":\"kubelet\",\"host\":\"aks-nodepool1-31718369-vmss000000\"},\"firstTimestamp\":\"2026-11-20T03:12:01Z\",\"lastTimestamp\":\"2026-11-20T03:14:15Z\",\"count\":4,\"type\":\"Warning\",\"involvedObject\":{\"kind\":\"Pod\",\"namespace\":\"shop\",\"name\":\"web-7d9c6b5f4-x2k8p\",\"fieldPath\":\"spec.containers{web}\"}}"
            ], type: .unauthorized),
        // Nomad's docker driver (hashicorp/nomad `drivers/docker/driver.go`, `recoverablePullError`:
        // `Failed to pull `+"`%s`"+`: %s`) around the Docker client's error, in the client agent's hclog
        // line (`client.alloc_runner.task_runner: running driver failed`, the error quoted by hclog's
        // `strconv.Quote`) and in `nomad alloc status`'s Recent Events table.
        Format(
            source: "Nomad docker driver: Failed to pull, in the client agent's hclog line",
            lines: [
                "[ERROR] client.alloc_runner.task_runner: running driver failed: alloc_id=8a2f0c1e-7b3d-4e5f-9a6b-1c2d3e4f5a6b task=web error=\"Failed to pull `\(image)`: Error response from daemon: Head \\\"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\\\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.\""
            ], type: .unauthorized),
        Format(
            source: "Nomad docker driver: Failed to pull, in nomad alloc status's Recent Events",
            lines: [
                "2026-11-20T03:14:15Z  Driver Failure  Failed to pull `\(image)`: Error response from daemon: Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        // Docker swarm's manager pinning a service's image to its digest without the client's
        // credentials (moby `daemon/cluster/services.go`, `CreateService`/`UpdateService`:
        // `logrus.Warnf("unable to pin image %s to digest: %s", …)`) — the registry's 401 in dockerd's log.
        Format(
            source: "Docker swarm: unable to pin image to digest, the registry's 401",
            lines: [
                "unable to pin image \(image) to digest: Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        // The same 401 through the registry client of older engines (docker/distribution `registry/client`
        // `HandleErrorResponse`: the body's errors one per line, `errors:` first), as 17.x printed it.
        Format(
            source: "Docker swarm: unable to pin image to digest, the body's errors one per line",
            lines: [
                "unable to pin image \(image) to digest: errors:",
                "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
            ], type: .unauthorized),
        // The Azure CLI's rendering of a hosted service's error (azure-core `HttpResponseError.__str__`:
        // `(CODE) MESSAGE`, `Code: CODE`, `Message: MESSAGE`), for Container Apps' managed-identity pull.
        Format(
            source: "az containerapp: InvalidParameterValueInContainerTemplate, managed-identity pull",
            lines: [
                "ERROR: (InvalidParameterValueInContainerTemplate) The following field(s) are either invalid or missing. Field 'template.containers.web.image' is invalid with details: 'Invalid value: \"\(image)\": unable to pull image using Managed identity system for registry myacr.azurecr.io';.",
                "Code: InvalidParameterValueInContainerTemplate",
                "Message: The following field(s) are either invalid or missing. Field 'template.containers.web.image' is invalid with details: 'Invalid value: \"\(image)\": unable to pull image using Managed identity system for registry myacr.azurecr.io';.",
            ], type: .identityPermission),
        // `az aks update --attach-acr` (azure-cli `acs/_roleassignments.py`, `ensure_aks_acr_role_assignment`).
        Format(
            source: "az aks update --attach-acr: Could not create a role assignment for ACR",
            lines: [
                "Waiting for AAD role to propagate[################################    ]  90.0000%Could not create a role assignment for ACR. Are you an Owner on this subscription?"
            ], type: .identityPermission, before: ["az aks update -n aks-web -g rg-web --attach-acr myacr"]),
    ]

    /// The same platforms' formats where they must not count: a missing image, another registry,
    /// a digest warning with no cause, ACI's words for any unreachable image, a node without the image.
    static let platformLookAlikes: [String] = [
        // kubelet's event for a missing tag (containerd `not found`), as `kubectl get events -o json` prints it.
        "            \"message\": \"\(goJSON("Failed to pull image \"\(image)\": rpc error: code = NotFound desc = failed to pull and unpack image \"\(image)\": failed to resolve reference \"\(image)\": \(image): not found"))\",",
        // The same exporter line for Docker Hub's refusal.
        "{\"reason\":\"Failed\",\"message\":\"\(goJSON("Failed to pull image \"contoso/web:1\": rpc error: code = Unknown desc = Error response from daemon: pull access denied for contoso/web, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"))\",\"source\":{\"component\":\"kubelet\"},\"count\":2,\"type\":\"Warning\"}",
        // kubelet's back-off, in JSON.
        "            \"message\": \"Back-off pulling image \\\"\(image)\\\"\",",
        // Nomad's docker driver for a missing image (`imageNotFoundMatcher`) and for a company registry.
        "2026-11-20T03:14:15Z  Driver Failure  Failed to pull `\(image)`: Error response from daemon: manifest for \(image) not found: manifest unknown: manifest tagged by \"1.4.2\" is not found",
        "Failed to pull `oci.example.local/kafka-connect:3.8.0`: Error response from daemon: Head \"https://oci.example.local/v2/kafka-connect/manifests/3.8.0\": no basic auth credentials",
        // moby `daemon/cluster/services.go` `digestWarning`: the client's concise warning, no cause.
        "image \(image) could not be accessed on a registry to record",
        // Swarm's task error on a node that never pulled the image (`docker service ps --no-trunc`).
        "xk2p9q3r7s1t   web.2      \(image)@\(digest)   swarm-worker-2   Ready   Rejected 3 seconds ago   \"No such image: \(image)@\(digest)\"",
        // ACI's errors through the CLI (azure-core `HttpResponseError`): an image it could not reach, a
        // registry's error response, an empty registry password (ARM's validation, no pull).
        "(InaccessibleImage) The image '\(image)' in container group 'web' is not accessible. Please check the image and registry credential.",
        "(RegistryErrorResponse) An error response is received from the docker registry 'index.docker.io'. Please retry later.",
        "containerinstance.ContainerGroupsClient#CreateOrUpdate: Failure sending request: StatusCode=400 -- Original Error: Code=\"InvalidImageRegistryPassword\" Message=\"The password in the 'imageRegistryCredentials' of container group 'web' cannot be empty.\"",
    ]

    @Test(
        "each platform format of round 6p counts once with its type and registry, in every wrapper",
        arguments: 0..<platformFormats.count)
    func platformFormat(_ index: Int) {
        Self.expectCountedOnce(Self.platformFormats[index])
    }

    @Test(
        "each platform look-alike of round 6p is not counted, in every wrapper", arguments: 0..<platformLookAlikes.count
    )
    func platformLookAlike(_ index: Int) {
        Self.expectNotCounted([Self.platformLookAlikes[index]])
    }
}
