import LogModel
import LogScanner
import Testing

/// Round 11's source pass (docs/accuracy.md, "Round 11"): the runtimes and OCI tools whose older but
/// still shipped versions print a refusal in other words than their current sources, taken from the
/// versions that print them and filled with realistic values, through the eight producers' wrappers.
extension SourceFormatTests {
    /// containers/image before v5.29 (podman 4 and buildah on RHEL 8 and 9, skopeo 1.x, CRI-O 1.2x):
    /// docker/docker_client.go's `httpResponseToError(res, context)` for a status other than 200, 401
    /// and 429 (`%sinvalid status code from registry %d (%s)`, the status text after the number in
    /// parentheses), called by `getBearerTokenOAuth2`/`getBearerToken` with `requesting bearer token: `
    /// (earlier `Requesting bear token: `) and by `detectPropertiesHelper` under `pinging container
    /// registry %s: %w`; ACR's token endpoint and `/v2/` answer 403 to a firewall-refused address or
    /// an identity without a role, whose body the function drops.
    static let runtimeFormats: [Format] = [
        Format(
            source: "podman 4 pull: requesting bearer token, 403",
            lines: [
                "Error: initializing source docker://\(image): reading manifest 1.4.2 in myacr.azurecr.io/team/web: requesting bearer token: invalid status code from registry 403 (Forbidden)"
            ], type: .accessDenied),
        Format(
            source: "skopeo (2019): Requesting bear token, 403, under logrus's fatal",
            lines: [
                "FATA[0001] Error initializing source docker://\(image): Error reading manifest 1.4.2 in myacr.azurecr.io/team/web: Requesting bear token: invalid status code from registry 403 (Forbidden)"
            ], type: .accessDenied),
        Format(
            source: "podman login: authenticating creds, Requesting bearer token, 403",
            lines: [
                "Error: authenticating creds for \"myacr.azurecr.io\": Requesting bearer token: invalid status code from registry 403 (Forbidden)"
            ], type: .accessDenied),
        Format(
            source: "podman 4 pull: pinging container registry, 403",
            lines: [
                "Error: initializing source docker://\(image): pinging container registry myacr.azurecr.io: invalid status code from registry 403 (Forbidden)"
            ], type: .accessDenied),
        // CRI-O's pull error as kubelet prints it (`Failed to pull image %q: %v` around the CRI's rpc error).
        Format(
            source: "CRI-O 1.2x via kubelet: rpc error, requesting bearer token, 403",
            lines: [
                "Failed to pull image \"\(image)\": rpc error: code = Unknown desc = initializing source docker://\(image): reading manifest 1.4.2 in myacr.azurecr.io/team/web: requesting bearer token: invalid status code from registry 403 (Forbidden)"
            ], type: .accessDenied),
        // buildah bud's base image (`creating build container: %w`).
        Format(
            source: "buildah bud: creating build container, requesting bearer token, 403",
            lines: [
                "Error: creating build container: initializing source docker://\(image): reading manifest 1.4.2 in myacr.azurecr.io/team/web: requesting bearer token: invalid status code from registry 403 (Forbidden)"
            ], type: .accessDenied),
    ]

    /// The same words from other registries, other statuses, and without an ACR host on the line.
    static let runtimeLookAlikes: [String] = [
        "Error: initializing source docker://quay.io/org/app:1: pinging container registry quay.io: invalid status code from registry 403 (Forbidden)",
        "FATA[0012] authenticating creds for \"ghcr.io\": Requesting bear token: invalid status code from registry 403 (Forbidden)",
        "time=\"2023-04-06T10:00:00Z\" level=fatal msg=\"authenticating creds for \\\"registry.gitlab.com\\\": Requesting bear token: invalid status code from registry 403 (Forbidden)\"",
        "Failed to pull image \"nvcr.io/nvidia/blueprint/aira-backend:v1.2.0\": invalid status code from registry 403 (Forbidden)",
        "Error: initializing source docker://registry.k8s.io/pause:3.9: pinging container registry registry.k8s.io: invalid status code from registry 403 (Forbidden)",
        "Error: initializing source docker://\(image): pinging container registry myacr.azurecr.io: invalid status code from registry 500 (Internal Server Error)",
        "Error: initializing source docker://\(image): reading manifest 1.4.2 in myacr.azurecr.io/team/web: requesting bearer token: invalid status code from registry 503 (Service Unavailable)",
        "Error: initializing source docker://\(image): reading manifest 1.4.2 in myacr.azurecr.io/team/web: requesting bearer token: invalid status code from registry 400 (Bad Request)",
        "Error from server (Forbidden): pods is forbidden: User \"system:serviceaccount:ci:deployer\" cannot list resource \"pods\" in API group \"\" in the namespace \"prod\"",
        "2026-11-20 03:14:15 ERROR Request to https://api.contoso.com/orders failed: 403 (Forbidden)",
    ]

    @Test(
        "each containers/image 403 without its body counts once as access-denied, in every wrapper",
        arguments: 0..<runtimeFormats.count)
    func runtimeFormat(_ index: Int) {
        Self.expectCountedOnce(Self.runtimeFormats[index])
    }

    @Test(
        "each look-alike of containers/image's status wording is not counted, in every wrapper",
        arguments: 0..<runtimeLookAlikes.count)
    func runtimeLookAlike(_ index: Int) {
        Self.expectNotCounted([Self.runtimeLookAlikes[index]])
    }
}
