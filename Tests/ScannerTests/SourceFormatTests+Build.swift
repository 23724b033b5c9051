import LogModel
import LogScanner
import Testing

/// Round 6's build and CI side (docs/accuracy.md, "Round 6b"): how CI runners, build tools and deploy
/// tools print an ACR auth failure, taken from their current sources and filled with realistic values,
/// printed through the same eight producers' wrappers. Each comment names the file and function the
/// format comes from. Several of these tools print one failure twice (the step's own line, then the
/// job's or the command's summary of it): those count once.
extension SourceFormatTests {
    static let buildImage = "myacr.azurecr.io/ci/build:1.4.2"
    static let buildTokenURL =
        "https://myacr.azurecr.io/oauth2/token?scope=repository%3Aci%2Fbuild%3Apull&service=myacr.azurecr.io"
    static let acrBody401 =
        #"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required, visit https://aka.ms/acr/authorization for more information.","detail":[{"Type":"repository","Name":"team/web","Action":"push"}]}]}"#

    static let buildFormats: [Format] = [
        // GitLab Runner executors/docker/internal/pull/manager.go `GetDockerImage`: each pull policy's failure
        // (`Failed to pull image with policy %q: %v`, WARNING), then `failed to pull image %q with specified
        // policies %v: %w`, which common/build.go reports as `Job failed: %v` (ERROR): one failure.
        Format(
            source: "gitlab-runner docker executor: policy warning, then Job failed",
            lines: [
                "WARNING: Failed to pull image with policy \"always\": Error response from daemon: Head \"https://myacr.azurecr.io/v2/ci/build/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information. (manager.go:250:0s)",
                "ERROR: Job failed: failed to pull image \"\(buildImage)\" with specified policies [always]: Error response from daemon: Head \"https://myacr.azurecr.io/v2/ci/build/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information. (manager.go:250:0s)",
            ], type: .unauthorized),
        // common/build.go `retryCreateExecutor`: `Preparation failed:` (SoftErrorln), then `Will be retried in %s ...`.
        Format(
            source: "gitlab-runner docker executor: policy warning, Preparation failed, retry notice",
            lines: [
                "WARNING: Failed to pull image with policy \"if-not-present\": Error response from daemon: pull access denied for myacr.azurecr.io/ci/build, repository does not exist or may require 'docker login': denied: requested access to the resource is denied (manager.go:250:0s)",
                "ERROR: Preparation failed: failed to pull image \"\(buildImage)\" with specified policies [if-not-present]: Error response from daemon: pull access denied for myacr.azurecr.io/ci/build, repository does not exist or may require 'docker login': denied: requested access to the resource is denied (manager.go:250:0s)",
                "Will be retried in 3s ...",
            ], type: .accessDenied),
        // executors/kubernetes/internal/watchers/pod.go `CheckTerminalContainerErrors` (`image pull failed: %s`
        // around the container's waiting message), internal/pull/errors.go (`pulling image %q for container
        // %s: %s`), kubernetes.go (`waiting for pod running: %w`), common/build.go (`prepare environment: %w.
        // Check …`), then `Job failed: `.
        Format(
            source: "gitlab-runner kubernetes executor: Job failed, image pull failed (ErrImagePull)",
            lines: [
                "ERROR: Job failed: prepare environment: waiting for pod running: pulling image \"\(buildImage)\" for container build: image pull failed: failed to pull and unpack image \"\(buildImage)\": failed to resolve reference \"\(buildImage)\": failed to authorize: failed to fetch oauth token: unexpected status from GET request to \(buildTokenURL): 401 Unauthorized. Check https://docs.gitlab.com/runner/shells/#shell-profile-loading for more information"
            ], type: .unauthorized),

        // Jenkins docker-commons RegistryKeyMaterialFactory `materialize` (docker-workflow's
        // `docker.withRegistry`): runs `docker login -u … -p … URL` with its output in the build log, then
        // throws `AbortException("docker login failed")`.
        Format(
            source: "jenkins docker.withRegistry: docker login's stderr, then docker login failed",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
                "[Pipeline] // withDockerRegistry", "[Pipeline] }", "ERROR: docker login failed",
            ], type: .unauthorized,
            before: [
                "$ docker login -u acr-ci -p ******** https://myacr.azurecr.io",
                "WARNING! Using --password via the CLI is insecure. Use --password-stdin.",
            ]),
        // Jenkins kubernetes-plugin TaskListenerEventWatcher `eventReceived` (`[%s][%s/%s][%s] %s`, the pod's
        // events in the build log) and PodStatusEventHandler `formatContainerStatus` (`[PodInfo] ns/pod`,
        // then `\tContainer [%s] waiting [%s] %s`): the kubelet's refusal, then the pod status repeating it.
        Format(
            source: "jenkins kubernetes agent pod: Failed event, then PodInfo waiting [ErrImagePull]",
            lines: [
                "[Warning][jenkins/ci-agent-7k2mq][Failed] Failed to pull image \"\(buildImage)\": failed to pull and unpack image \"\(buildImage)\": failed to resolve reference \"\(buildImage)\": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to \(buildTokenURL): 401 Unauthorized",
                "[Warning][jenkins/ci-agent-7k2mq][Failed] Error: ErrImagePull",
                "[PodInfo] jenkins/ci-agent-7k2mq",
                "\tContainer [jnlp] waiting [ErrImagePull] failed to pull and unpack image \"\(buildImage)\": failed to resolve reference \"\(buildImage)\": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to \(buildTokenURL): 401 Unauthorized",
            ], type: .anonymousPull),

        // Azure Pipelines Docker@2 (Tasks/DockerV2 `push`): docker's stderr, the task's `##[error]` annotation
        // of it, then `The process '/usr/bin/docker' failed with exit code 1`.
        Format(
            source: "azure-pipelines Docker@2 push: docker's line, its annotation, the exit code",
            lines: [
                "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
                "##[error]unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
                "##[error]The process '/usr/bin/docker' failed with exit code 1",
            ], type: .unauthorized,
            before: [
                "[command]/usr/bin/docker push myacr.azurecr.io/team/web:1.4.2",
                "The push refers to repository [myacr.azurecr.io/team/web]",
            ]),

        // docker/login-action src/docker.ts `loginStandard`: `Logging into %s...`, then docker login's stderr
        // thrown (core.setFailed).
        Format(
            source: "github-actions docker/login-action: docker login's stderr",
            lines: [
                "Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: Application not registered with AAD."
            ], type: .aadCredential, before: ["Logging into myacr.azurecr.io..."]),
        // docker/build-push-action with buildx (commands/build.go `failed to build: %w`): BuildKit's step error,
        // its summary, then the action's `buildx failed with:` annotation.
        Format(
            source: "github-actions build-push-action: BuildKit step error, summary, action error",
            lines: [
                "#12 ERROR: failed to push myacr.azurecr.io/team/web:1.4.2: unexpected status from HEAD request to https://myacr.azurecr.io/v2/team/web/blobs/\(digest): 401 Unauthorized",
                "------", " > exporting to image:", "------",
                "ERROR: failed to build: failed to solve: failed to push myacr.azurecr.io/team/web:1.4.2: unexpected status from HEAD request to https://myacr.azurecr.io/v2/team/web/blobs/\(digest): 401 Unauthorized",
                "##[error]buildx failed with: ERROR: failed to build: failed to solve: failed to push myacr.azurecr.io/team/web:1.4.2: unexpected status from HEAD request to https://myacr.azurecr.io/v2/team/web/blobs/\(digest): 401 Unauthorized",
            ], type: .unauthorized),

        // Docker Compose pkg/compose/pull.go `pullServiceImage` (`errorEvent(resource, getUnwrappedErrorMessage
        // (err))`) shown by cmd/display/plain.go (`prefix, e.ID, e.Text, e.Details`), then the command's error.
        Format(
            source: "docker compose pull (plain progress): the service's Error event, then the command's error",
            lines: [
                " Image myacr.azurecr.io/team/web:1.4.2 Error Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
                "Error response from daemon: Head \"https://myacr.azurecr.io/v2/team/web/manifests/1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
            ], type: .unauthorized, before: [" Image myacr.azurecr.io/team/web:1.4.2 Pulling "]),

        // Skaffold pkg/skaffold/build/scheduler.go (`build [%s] failed: %w`) around docker/image.go (`%s %q: %w`,
        // `could not push image`).
        Format(
            source: "skaffold: build failed, could not push image",
            lines: [
                "build [myacr.azurecr.io/team/web] failed: could not push image \"myacr.azurecr.io/team/web:1.4.2\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),
        // Skaffold pkg/skaffold/build/build_problems.go: a push error matching `could not push image.* denied:`
        // is shown only as its description and suggestion; the push output before it names the repository.
        Format(
            source: "skaffold: Build Failed. No push access to specified image repository",
            lines: [
                "Build Failed. No push access to specified image repository. Try running with `--default-repo` flag."
            ], type: .accessDenied,
            before: [
                "Building [myacr.azurecr.io/team/web]...", "The push refers to repository [myacr.azurecr.io/team/web]",
                "5f70bf18a086: Preparing",
            ]),

        // Cloud Native Buildpacks lifecycle phase/connected_factory.go (`validating registry write access: %w`)
        // around image/registry_handler.go `verifyReadWriteAccess` (`failed to ensure registry read/write access
        // to %s: %w`), under cmd/exit.go `ErrorFail` (`failed to initialize analyzer`), as pack prints it.
        Format(
            source: "buildpacks lifecycle analyzer: failed to ensure registry read/write access (pack --publish)",
            lines: [
                "[creator] ERROR: failed to initialize analyzer: validating registry write access: failed to ensure registry read/write access to myacr.azurecr.io/team/web:1.4.2: POST https://myacr.azurecr.io/v2/team/web/blobs/uploads/: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.; [map[Action:pull Class: Name:team/web Type:repository] map[Action:push Class: Name:team/web Type:repository]]"
            ], type: .unauthorized),
        // The same check in lifecycles before the cause was wrapped in (`ensure registry read/write access to %s`).
        Format(
            source: "buildpacks lifecycle analyzer (older): ensure registry read/write access, no cause",
            lines: [
                "[analyzer] ERROR: failed to initialize analyzer: validating registry write access: ensure registry read/write access to myacr.azurecr.io/team/web:1.4.2"
            ], type: .unauthorized),
        // lifecycle cmd/lifecycle/exporter.go (`export`) around imgutil `SaveError` (`failed to write image to the
        // following tags: [%s: %s]`).
        Format(
            source: "buildpacks lifecycle exporter: failed to write image to the following tags",
            lines: [
                "[exporter] ERROR: failed to export: saving image: failed to write image to the following tags: [myacr.azurecr.io/team/web:1.4.2: PUT https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.; [map[Action:push Class: Name:team/web Type:repository]]]"
            ], type: .unauthorized),

        // Azure Developer CLI pkg/azapi/container_registry.go `Credentials`: the token exchange refused (the Go
        // SDK's ResponseError frame), then the admin fallback refused (`failed logging into container registry,
        // token: %w, admin: %w`), under `failed deploying service %q`.
        Format(
            source: "azd deploy: failed logging into container registry, token exchange 401, admin disabled",
            lines: [
                "ERROR: failed deploying service 'api': failed logging into container registry, token: failed getting ACR token: POST https://myacr.azurecr.io/oauth2/exchange",
                separator, "RESPONSE 401: 401 Unauthorized", "ERROR CODE UNAVAILABLE", separator, "{",
                "  \"errors\": [",
                "    {", "      \"code\": \"UNAUTHORIZED\",",
                "      \"message\": \"Token validation failed\"", "    }", "  ]", "}", separator,
                ", admin: admin user is not enabled for container registry 'myacr'",
            ], type: .identityPermission),
        // pkg/azapi/container_registry.go `Login` (`failed logging into docker registry %q: %w`) around
        // pkg/tools/docker/docker.go `Login` (`failed logging into %s: %w`) and exec's `exit code: %d, stdout:
        // %s, stderr: %s`.
        Format(
            source: "azd deploy: failed logging into docker registry, docker login's stderr",
            lines: [
                "ERROR: failed deploying service 'web': failed logging into docker registry \"myacr.azurecr.io\": failed logging into docker: exit code: 1, stdout: , stderr: Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information."
            ], type: .unauthorized),

        // Bicep Bicep.Core DiagnosticBuilder `ArtifactRestoreFailedWithMessage` (BCP192, `Unable to restore the
        // artifact with reference %q: %s`) around Azure.Core's RequestFailedException message.
        Format(
            source: "bicep build: BCP192 restore of a br: module, Status: 401",
            lines: [
                "/home/vsts/work/1/s/infra/main.bicep(3,7) : Error BCP192: Unable to restore the artifact with reference \"br:myacr.azurecr.io/bicep/modules/storage:v1\": Service request failed.",
                "Status: 401 (Unauthorized)", "ErrorCode: UNAUTHORIZED", "", "Content:", acrBody401, "", "Headers:",
                "Date: Fri, 20 Nov 2026 03:14:15 GMT",
            ], type: .unauthorized),
        Format(
            source: "bicep build: BCP192 restore of a br: module, DefaultAzureCredential failed",
            lines: [
                "/home/vsts/work/1/s/infra/main.bicep(3,7) : Error BCP192: Unable to restore the artifact with reference \"br:myacr.azurecr.io/bicep/modules/storage:v1\": Unhandled exception: Azure.Identity.CredentialUnavailableException: DefaultAzureCredential failed to retrieve a token from the included credentials. See the troubleshooting guide for more information. https://aka.ms/azsdk/net/identity/defaultazurecredential/troubleshoot"
            ], type: .aadCredential),

        // cosign cmd/cosign/cli/sign.go (`signing %v: %w`) and sign/sign.go (`accessing entity: %w`): cobra prints
        // `Error: %v`, then main.go `log.Fatalf("error during command execution: %v", err)` prints it again.
        Format(
            source: "cosign sign: Error, then main.go's error during command execution",
            lines: [
                "Error: signing [myacr.azurecr.io/team/web:1.4.2]: accessing entity: GET https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.; [map[Action:pull Class: Name:team/web Type:repository]]",
                "main.go:74: error during command execution: signing [myacr.azurecr.io/team/web:1.4.2]: accessing entity: GET https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.; [map[Action:pull Class: Name:team/web Type:repository]]",
            ], type: .unauthorized),

        // jib-maven-plugin (jib-plugins-common JibBuildRunner `handleRegistryUnauthorizedException`): Maven's
        // `Failed to execute goal …: Build image failed, perhaps you should make sure your credentials for %s are
        // set up correctly. See … for help: Unauthorized for %s: 401 Unauthorized`, then the request line.
        Format(
            source: "jib-maven-plugin: Build image failed … Unauthorized for, then the request",
            lines: [
                "[ERROR] Failed to execute goal com.google.cloud.tools:jib-maven-plugin:3.4.4:build (default-cli) on project web: Build image failed, perhaps you should make sure your credentials for 'myacr.azurecr.io/team/web' are set up correctly. See https://github.com/GoogleContainerTools/jib/blob/master/docs/faq.md#what-should-i-do-when-the-registry-responds-with-unauthorized for help: Unauthorized for myacr.azurecr.io/team/web: 401 Unauthorized",
                "[ERROR] PUT https://myacr.azurecr.io/v2/team/web/manifests/1.4.2",
                "[ERROR] -> [Help 1]",
            ], type: .unauthorized),

        // Packer packer-plugin-docker post-processor/docker-push `PostProcess` (`Logging in...`, docker login's
        // output streamed to the UI, `Error logging in to Docker: %s`).
        Format(
            source: "packer docker-push post-processor: docker login's stderr, then Error logging in to Docker",
            lines: [
                "==> docker.web (docker-push): Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
                "Build 'docker.web' errored after 4 seconds 112 milliseconds: 1 error(s) occurred:",
                "* Post-processor failed: Error logging in to Docker: Bad exit status: 1",
            ], type: .unauthorized, before: ["==> docker.web (docker-push): Logging in..."]),

        // rules_oci's push (crane push under `bazel run`): go-containerregistry's error.
        Format(
            source: "rules_oci push (crane): PUT manifest UNAUTHORIZED",
            lines: [
                "Error: PUT https://myacr.azurecr.io/v2/team/web/manifests/1.4.2: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.; [map[Action:pull Class: Name:team/web Type:repository] map[Action:push Class: Name:team/web Type:repository]]"
            ], type: .unauthorized),
    ]

    /// The same tools where nothing counts: another registry, a cause left unsaid, a back-off repeat, a
    /// missing artifact, a local docker daemon, an Entra sign-in with no registry in sight.
    static let buildLookAlikes: [String] = [
        "WARNING: Failed to pull image with policy \"always\": Error response from daemon: Get \"https://myacr.azurecr.io/v2/\": received unexpected HTTP status: 502 Bad Gateway (manager.go:250:0s)",
        "ERROR: Job failed: prepare environment: waiting for pod running: pulling image \"\(buildImage)\" for container build: image pull failed: Back-off pulling image \"\(buildImage)\". Check https://docs.gitlab.com/runner/shells/#shell-profile-loading for more information",
        "ERROR: Unable to pull container image \"\(buildImage)\". Check if image tag name is spelled correctly.",
        "ERROR: Image pull backoff detected, waiting for image to be available. Will wait for 2 more events before terminating the node.",
        "ERROR: docker login failed",
        "[creator] ERROR: failed to initialize analyzer: validating registry write access: failed to ensure registry read/write access to ghcr.io/org/web:1.4.2",
        "ERROR: failed to build: executing lifecycle: failed with status code: 1",
        "Error: signing [ghcr.io/org/web:1.4.2]: accessing entity: GET https://ghcr.io/v2/org/web/manifests/1.4.2: DENIED: denied",
        "/home/vsts/work/1/s/infra/main.bicep(3,7) : Error BCP192: Unable to restore the artifact with reference \"br:myacr.azurecr.io/bicep/modules/storage:v1\": The artifact does not exist in the registry.",
        "Error: AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:contoso/web:ref:refs/heads/main'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation Trace ID: 0c2d6a1e-3b4f-4d5e-8f9a-0b1c2d3e4f5a Correlation ID: 5f2c9a0e-8d1b-4c6e-9a77-1b2f3c4d5e6f Timestamp: 2026-11-20 03:14:15Z",
        "ERROR: failed deploying service 'web': failed logging into docker registry \"myacr.azurecr.io\": failed logging into docker: exit code: 1, stdout: , stderr: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
        " Image ghcr.io/org/web:1.4.2 Error Head \"https://ghcr.io/v2/org/web/manifests/1.4.2\": unauthorized",
        "* Post-processor failed: Error logging in to Docker: Bad exit status: 1",
    ]

    /// Look-alikes over several lines: a push to Docker Hub refused in skaffold's words; GitLab Runner's pair
    /// for a Docker Hub image.
    static let buildMultiLineLookAlikes: [[String]] = [
        [
            "Building [web]...", "The push refers to repository [docker.io/library/web]", "5f70bf18a086: Preparing",
            "Build Failed. No push access to specified image repository. Try running with `--default-repo` flag.",
        ],
        [
            "WARNING: Failed to pull image with policy \"always\": Error response from daemon: pull access denied for team/web, repository does not exist or may require 'docker login': denied: requested access to the resource is denied (manager.go:250:0s)",
            "ERROR: Job failed: failed to pull image \"team/web:1.4.2\" with specified policies [always]: Error response from daemon: pull access denied for team/web, repository does not exist or may require 'docker login': denied: requested access to the resource is denied (manager.go:250:0s)",
        ],
    ]

    @Test(
        "each CI and build tool format of round 6 counts once with its type and registry, in every wrapper",
        arguments: 0..<buildFormats.count)
    func buildFormat(_ index: Int) {
        Self.expectCountedOnce(Self.buildFormats[index])
    }

    @Test(
        "each CI and build tool look-alike of round 6 is not counted, in every wrapper",
        arguments: 0..<buildLookAlikes.count)
    func buildLookAlike(_ index: Int) {
        Self.expectNotCounted([Self.buildLookAlikes[index]])
    }

    @Test(
        "each multi-line CI and build tool look-alike of round 6 is not counted, in every wrapper",
        arguments: 0..<buildMultiLineLookAlikes.count)
    func buildMultiLineLookAlike(_ index: Int) {
        Self.expectNotCounted(Self.buildMultiLineLookAlikes[index])
    }
}
