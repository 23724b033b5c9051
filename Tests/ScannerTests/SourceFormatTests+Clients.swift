import LogModel
import LogScanner
import Testing

/// Round 9's source pass (docs/accuracy.md, "Round 9"): how the clients and platforms that pull or
/// push ACR images on a user's behalf, and that the earlier passes did not read, print the registry's
/// refusal today — the Azure Pipelines agent's and the GitHub Actions runner's container jobs, Flux's
/// image-reflector-controller, Argo CD Image Updater, ko, Ansible's community.docker and Tekton's
/// entrypoint lookup — taken from their current sources (commits named in docs/accuracy.md), filled with realistic values and printed
/// through the same eight producers' wrappers. Each comment names the file and function the format
/// comes from.
extension SourceFormatTests {
    /// go-containerregistry's transport error for ACR's token endpoint (`transport/error.go`
    /// `Error.Error`: `METHOD URL: CODE: MESSAGE`, the details as `; [map[...]]`).
    static let clientTokenRefusal =
        "GET https://myacr.azurecr.io/oauth2/token?scope=repository%3Ateam%2Fweb%3Apull&service=myacr.azurecr.io: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information."
    static let clientDockerLogin401 =
        "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
    static let clientDockerPull401 =
        "Error response from daemon: Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."

    static let clientFormats: [Format] = [
        // Azure Pipelines agent (microsoft/azure-pipelines-agent `src/Agent.Worker/ContainerOperationProvider.cs`,
        // `GetAcrPasswordFromAADToken`): a container job's ACR service connection with a managed identity
        // or workload identity federation; ACR's /oauth2/exchange answering anything but 200 or 429 ends
        // the Initialize containers step with this exception. The log names no registry.
        Format(
            source: "Azure Pipelines agent, container job: Could not fetch access token for ACR (MSI exchange refused)",
            lines: [
                "Could not fetch access token for ACR. Please configure Managed Service Identity (MSI) for Azure Container Registry with the appropriate permissions - https://docs.microsoft.com/en-us/azure/app-service/tutorial-custom-container?pivots=container-linux#configure-app-service-to-deploy-the-image-from-the-registry."
            ], type: .identityPermission, registry: nil, before: ["##[section]Starting: Initialize containers"]),
        // The same step with a service principal or basic connection (`ContainerStartAsync`): `docker
        // login`'s stderr, then `Docker login fail with exit code {0}`.
        Format(
            source: "Azure Pipelines agent, container job: docker login's refusal, then Docker login fail",
            lines: [clientDockerLogin401, "Docker login fail with exit code 1"], type: .unauthorized,
            before: [
                "##[section]Starting: Initialize containers",
                "/usr/bin/docker login --username \"0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b\" --password-stdin https://myacr.azurecr.io",
            ]),
        // `docker pull`'s stderr, then `Docker pull failed with exit code {0}`.
        Format(
            source: "Azure Pipelines agent, container job: docker pull's refusal, then Docker pull failed",
            lines: [clientDockerPull401, "Docker pull failed with exit code 1"], type: .unauthorized,
            before: ["/usr/bin/docker pull myacr.azurecr.io/team/web:1.4.2"]),
        // GitHub Actions runner (actions/runner `src/Runner.Worker/ContainerOperationProvider.cs`,
        // `ContainerRegistryLogin`): the last of three `docker login` attempts, then `Docker login for
        // '{0}' failed with exit code {1}`.
        Format(
            source: "GitHub Actions runner, job container: docker login's refusal, then Docker login for failed",
            lines: [clientDockerLogin401, "Docker login for 'myacr.azurecr.io' failed with exit code 1"],
            type: .unauthorized),
        // `StartContainersAsync`: a pull attempt's stderr, then the runner's retry warning.
        Format(
            source: "GitHub Actions runner, job container: docker pull refused, then the back-off warning",
            lines: [
                "Error response from daemon: pull access denied for myacr.azurecr.io/team/web, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
                "Docker pull failed with exit code 1, back off 4.871 seconds before retry.",
            ], type: .accessDenied),
        // Flux image-reflector-controller (fluxcd/image-reflector-controller
        // `internal/controller/imagerepository_controller.go`, `reconcile`: `scan failed: %w` around
        // go-containerregistry's `remote.List`), as controller-runtime's JSON `Reconciler error`.
        Format(
            source: "Flux image-reflector-controller: Reconciler error JSON line, scan failed at ACR's token endpoint",
            lines: [
                "{\"level\":\"error\",\"ts\":\"2026-11-20T03:14:15.118Z\",\"msg\":\"Reconciler error\",\"controller\":\"imagerepository\",\"controllerGroup\":\"image.toolkit.fluxcd.io\",\"controllerKind\":\"ImageRepository\",\"ImageRepository\":{\"name\":\"web\",\"namespace\":\"flux-system\"},\"namespace\":\"flux-system\",\"name\":\"web\",\"reconcileID\":\"3f9c1a2b-7d4e-4f60-9a8b-1c2d3e4f5a6b\",\"error\":\"scan failed: \(clientTokenRefusal)\"}"
            ], type: .unauthorized),
        // The same failure as the controller's Warning event (`ReadOperationFailed`), as `kubectl get
        // events -n flux-system` prints it.
        Format(
            source: "Flux image-reflector-controller: ReadOperationFailed event in kubectl get events",
            lines: [
                "14s         Warning   ReadOperationFailed   imagerepository/web   scan failed: GET https://myacr.azurecr.io/v2/team/web/tags/list: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.; [map[Action:pull Name:team/web Type:repository]]"
            ], type: .unauthorized),
        // Argo CD Image Updater (argoproj-labs/argocd-image-updater `pkg/argocd/update.go`,
        // `UpdateApplication`: `imgCtx.Errorf("Could not get tags from registry: %v", err)`), logrus's
        // text format with the image context's fields.
        Format(
            source: "Argo CD Image Updater: Could not get tags from registry, ACR's 401 (logrus)",
            lines: [
                "time=\"2026-11-20T03:14:15Z\" level=error msg=\"Could not get tags from registry: Get \\\"https://myacr.azurecr.io/v2/team/web/tags/list\\\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.\" alias=web application=shop image_name=team/web image_tag=1.4.2 registry=myacr.azurecr.io"
            ], type: .unauthorized),
        // ko (ko-build/ko `pkg/publish/default.go` `Publish`: `Publishing %v`; `pkg/commands/publisher.go`
        // `error publishing %s: %w`; `pkg/commands/build.go` `failed to publish images: %w`; cobra's
        // `Error: `), go-containerregistry's blob upload refused.
        Format(
            source: "ko build: failed to publish images, the blob upload's UNAUTHORIZED",
            lines: [
                "2026/11/20 03:14:15 Publishing myacr.azurecr.io/web-0f1e2d3c4b5a69788a6b5c4d3e2f1a0b:latest",
                "Error: failed to publish images: error publishing ko://github.com/contoso/web/cmd/web: POST https://myacr.azurecr.io/v2/web-0f1e2d3c4b5a69788a6b5c4d3e2f1a0b/blobs/uploads/: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.; [map[Action:push Name:web-0f1e2d3c4b5a69788a6b5c4d3e2f1a0b Type:repository] map[Action:pull Name:web-0f1e2d3c4b5a69788a6b5c4d3e2f1a0b Type:repository]]",
            ], type: .unauthorized),
        // Ansible community.docker (ansible-collections/community.docker `plugins/modules/docker_image.py`,
        // `push_image`: `Error pushing image {registry}/{repo_name}:{tag} - {exc}. Try logging into
        // {registry} first.`), as ansible-playbook prints the failed task.
        Format(
            source: "Ansible community.docker docker_image push: Error pushing image, Try logging into",
            lines: [
                "TASK [Push the image to ACR] ***************************************************",
                "fatal: [localhost]: FAILED! => {\"changed\": false, \"msg\": \"Error pushing image myacr.azurecr.io/team/web:1.4.2 - unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.. Try logging into myacr.azurecr.io first.\"}",
            ], type: .unauthorized),
        // Tekton Pipelines (tektoncd/pipeline `pkg/reconciler/taskrun/taskrun.go` `createPod`:
        // `translating TaskSpec to Pod: %w`, then `failed to create task run pod %q: %v. Maybe missing
        // or invalid Task %s/%s`, reason PodCreationFailed): the controller resolves a step's entrypoint
        // from the image (`pkg/pod/entrypoint_lookup_impl.go`, go-containerregistry's `remote.Get`), as
        // `kubectl describe taskrun` and `kubectl get taskrun -o yaml` print the condition's message.
        Format(
            source: "Tekton: failed to create task run pod, the entrypoint lookup's UNAUTHORIZED (kubectl describe)",
            lines: [
                "    Message:               failed to create task run pod \"build-run\": translating TaskSpec to Pod: GET https://myacr.azurecr.io/v2/team/builder/manifests/1.4.2: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.; [map[Action:pull Name:team/builder Type:repository]]. Maybe missing or invalid Task ci/build",
                "    Reason:                PodCreationFailed",
            ], type: .unauthorized),
        Format(
            source: "Tekton: failed to create task run pod, ACR's token endpoint (kubectl get taskrun -o yaml)",
            lines: [
                "    message: 'failed to create task run pod \"build-run\": translating TaskSpec to Pod: \(clientTokenRefusal). Maybe missing or invalid Task ci/build'",
                "    reason: PodCreationFailed",
            ], type: .unauthorized),
    ]

    /// The same clients' words where they must not count: an exit code with no cause, another
    /// registry's refusal in the same format, a missing tag, a network failure.
    static let clientLookAlikes: [[String]] = [
        // The agent's and the runner's closing lines on their own (the cause was not printed).
        ["Docker pull failed with exit code 1"],
        ["Docker login for 'myacr.azurecr.io' failed with exit code 1"],
        ["Docker pull failed with exit code 1, back off 4.871 seconds before retry."],
        // The runner pulling a Docker Hub job image that does not exist.
        [
            "Error response from daemon: pull access denied for contoso/ci-runner, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
            "Docker pull failed with exit code 1",
        ],
        // image-reflector-controller: a tag list from a company registry, ACR's DNS not resolving.
        [
            "14s         Warning   ReadOperationFailed   imagerepository/web   scan failed: GET https://registry.example.com/v2/team/web/tags/list: UNAUTHORIZED: authentication required; [map[Action:pull Name:team/web Type:repository]]"
        ],
        [
            "{\"level\":\"error\",\"ts\":\"2026-11-20T03:14:15.118Z\",\"msg\":\"Reconciler error\",\"controller\":\"imagerepository\",\"error\":\"scan failed: Get \\\"https://myacr.azurecr.io/v2/\\\": dial tcp: lookup myacr.azurecr.io on 10.0.0.10:53: no such host\"}"
        ],
        // Argo CD Image Updater against DigitalOcean's registry, same wording.
        [
            "time=\"2026-11-20T03:14:15Z\" level=error msg=\"Could not get tags from registry: Get \\\"https://registry.digitalocean.com/v2/team/web/tags/list\\\": unauthorized: authentication required\" alias=web application=shop image_name=team/web image_tag=1.4.2 registry=registry.digitalocean.com"
        ],
        // ko unable to reach the registry at all (a network timeout).
        [
            "Error: failed to publish images: error publishing ko://github.com/contoso/web/cmd/web: Get \"https://myacr.azurecr.io/v2/\": dial tcp 20.62.128.1:443: i/o timeout"
        ],
        // Tekton's entrypoint lookup failing on TLS, and on a missing service account.
        [
            "    Message:               failed to create task run pod \"build-run\": translating TaskSpec to Pod: Get \"https://myacr.azurecr.io/v2/\": tls: failed to verify certificate: x509: certificate signed by unknown authority. Maybe missing or invalid Task ci/build"
        ],
        [
            "    Message:               failed to create task run pod \"build-run\": translating TaskSpec to Pod: serviceaccounts \"pipeline\" not found. Maybe missing or invalid Task ci/build"
        ],
        // Ansible refused by another registry (the module's other suffix).
        [
            "fatal: [localhost]: FAILED! => {\"changed\": false, \"msg\": \"Error pushing image registry.example.com/team/web:1.4.2 - unauthorized: No permission to write manifest.. Does the repository exist?\"}"
        ],
    ]

    @Test(
        "each client format of round 9 counts once with its type and registry, in every wrapper",
        arguments: 0..<clientFormats.count)
    func clientFormat(_ index: Int) {
        Self.expectCountedOnce(Self.clientFormats[index])
    }

    @Test("each client look-alike of round 9 is not counted, in every wrapper", arguments: 0..<clientLookAlikes.count)
    func clientLookAlike(_ index: Int) {
        Self.expectNotCounted(Self.clientLookAlikes[index])
    }
}
