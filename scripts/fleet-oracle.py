#!/usr/bin/env python3
"""An independent synthetic-fleet check of acrscan, written from /work/shared/SPEC.md (sections 2
and 3) and FIELD-NOTES.md only, not from the scanner's rules.

  fleet-oracle.py gen   --seed N --out DIR          write DIR/fleet/<host>/... and DIR/truth.json
  fleet-oracle.py check --seed N --bin ACRSCAN [--out DIR] [--json] [--verbose]
                                                    gen, then `acrscan scan` into a fresh database,
                                                    `acrscan export --format ndjson`, and compare

The generator is seeded (random.Random(seed)): the same seed writes the same bytes. Each host is a
directory holding one log of every producer SPEC section 2 lists (dockerd logrus, containerd,
kubelet klog, kubectl describe / get events, Docker json-file, journald JSON, journalctl
short-iso, syslog, docker / podman / helm / oras / Azure CLI output, GitHub Actions, Azure
Pipelines, GitLab, Jenkins), some gzip-rotated (one multi-member), some with CRLF endings.
Into these it writes ACR auth failures of the 8 types in the shapes FIELD-NOTES describes, and
look-alikes that must not count. truth.json holds, per failure, its file, first and last line,
registry, type and attempts, and the totals per host, registry and type.

Readings of SPEC made here (where it leaves room), also in docs/accuracy.md:
- R1 A failure's registry is the login server on its own lines; else the login server or name in
  the last registry-naming command before it in the same log (`az acr login -n`, `--name`,
  `docker login X`, `docker push X/...`, `helm push ... oci://X/...`); a masked name there
  (`***`) makes it unknown, even when an earlier command named a registry.
- R2 A line with a masked host counts as ACR only with ACR evidence: an aka.ms/acr link, or an
  `az acr` command just before it. Without either it is not generated (ambiguous).
- R3 A tool's line followed by a `##[error]` annotation of the same text is one failure; an
  annotation alone (docker/login-action prints only that) is one failure.
- R4 kubelet's `kuberuntime_manager` and `pod_workers` lines re-report the `remote_image` failure
  (echo, not counted), and so do dockerd's `Attempting next endpoint for pull after error` line
  before its `Handler for POST ... returned error` line, and kubectl's `Error: ErrImagePull` row.
- R5 A multi-line block (az cascade, check-health block with its blank line and `Please refer`
  line, klog `err=<` block, docker's error line with the JSON body on the next line) is one
  failure; its type is the most specific one the block states.
- R6 `kubectl describe`'s `(xN over T)` gives attempts N on the `Failed to pull image` row, and
  so does `kubectl events`' LAST SEEN column; `kubectl get events` rows carry no count: attempts 1.
- R7 A bare `403 Forbidden` from an ACR host is access-denied (SPEC's table); the ACR body
  `Invalid clientid or client secret` and `Application not registered with AAD` after a 401 are
  aad-credential; `Please run 'az login' to setup account` in an `az acr login` run is
  aad-credential; podman's `invalid username/password` at an ACR login server is unauthorized.
- R8 `az login` failures with AADSTS codes not tied to a registry, and a `##[error]`-only line
  with no registry anywhere, are not generated (SPEC does not say whether they are ACR).
- R9 A redaction that is a valid Docker Hub namespace (`xxx/app`) is Docker Hub's image by Docker's
  reference rule; `xxx.azurecr.io`, `***`, `<redacted>`, `[REDACTED]`, `{registryname}` are masks.
- R10 The JSON error body that `curl -v` prints after a traced `< HTTP/1.1 401` on `GET /v2/` is
  part of the login challenge (FIELD-NOTES: a 401 on /v2/ in a debug trace is no failure); the
  same body printed alone (`curl -s -u user:wrong`) is a failure.
"""

import argparse
import collections
import datetime as dt
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

BASE = dt.datetime(2026, 11, 20, 0, 0, 0, tzinfo=dt.timezone.utc)
ESC = "\x1b"

# ---------------------------------------------------------------------------------------------
# Registries and values


class Reg:
    """A registry as one failure names it: the text on the line, and the expected registry."""

    def __init__(self, text, expected):
        self.text = text  # login server as printed, or a masked form
        self.expected = expected  # lowercased first label, or None


REG_NAMES = ["contosoprod", "fabrikamacr", "MyACR", "tailspin01", "northwindcr", "woodgrovereg"]
REGIONS = ["eastus", "westeurope", "southeastasia"]
MASKS = ["***", "<redacted>", "[REDACTED]", "****", "***0***", "xxx", "<acr-name>", "{registryname}"]


def login_server(rng, name):
    form = rng.choice(["io", "io", "io", "io443", "data", "cn", "us", "case", "cndata"])
    if form == "cndata":
        return f"{name}.{rng.choice(['chinaeast2', 'chinanorth3'])}.data.azurecr.cn"
    if form == "io443":
        return f"{name}.azurecr.io:443"
    if form == "data":
        return f"{name}.{rng.choice(REGIONS)}.data.azurecr.io"
    if form == "cn":
        return f"{name}.azurecr.cn"
    if form == "us":
        return f"{name}.azurecr.us"
    if form == "case":
        return f"{name.upper()}.AzureCR.io"
    return f"{name}.azurecr.io"


def pick_reg(rng, masked_ok=True):
    if masked_ok and rng.random() < 0.15:
        m = rng.choice(MASKS)
        # R9: a bare word (`xxx`) where the host stands is a valid Docker Hub namespace
        # (`xxx/app` is Docker Hub's image by Docker's reference rule): only `xxx.azurecr.io` is a mask.
        if rng.random() < 0.5 and m != "xxx":
            return Reg(m, None), m  # the whole login server masked
        return Reg(f"{m}.azurecr.io", None), m
    name = rng.choice(REG_NAMES)
    return Reg(login_server(rng, name), name.lower()), name


def strip_port(host):
    return host.split(":")[0] if ":" in host else host


def ip(rng):
    return f"{rng.choice([20, 40, 52, 104, 203])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def guid(rng):
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def hexid(rng, n=12):
    return "%0*x" % (n, rng.getrandbits(4 * n))


REPOS = ["api", "web", "worker", "platform/gateway", "team-a/billing", "tools/ci-runner"]


def repo(rng):
    return rng.choice(REPOS)


def tag(rng):
    return rng.choice(["1.4.2", "latest", "v2", "2026.11.20", f"sha-{hexid(rng, 7)}"])


def quote_json_inner(s):
    """s as it appears inside a JSON string (no surrounding quotes)."""
    return json.dumps(s)[1:-1]


# ---------------------------------------------------------------------------------------------
# Scenes: a scene is a list of entries, each (kind, text, fail) where kind is "cmd" (a command the
# job ran), "out" (the tool's output line), "ann" (a CI `##[error]` annotation: rendered by GitHub
# Actions and Azure Pipelines, dropped elsewhere) or "blank"; fail is None or a Failure shared by
# all lines of one failure.


class Failure:
    def __init__(self, type_, registry, attempts=1, note=""):
        self.type = type_
        self.registry = registry
        self.attempts = attempts
        self.note = note
        self.lines = []  # line numbers, filled while writing
        self.ts = None  # expected UTC time of the first line: a datetime, "null", or None (not checked)
        self.file = None
        self.host = None
        self.text = None


def docker_login_cmd(rng, host):
    return rng.choice(
        [
            f"docker login {host} -u ci-pusher -p ***",
            f"echo *** | docker login {host} --username 00000000-0000-0000-0000-000000000000 --password-stdin",
            f"docker login --username ci-pusher --password-stdin {host}",
        ]
    )


def az_login_cmd(rng, name):
    return rng.choice([f"az acr login -n {name}", f"az acr login --name {name}", f"az acr login --name {name} --only-show-errors"])


# -- docker CLI (client output) -------------------------------------------------------------


def sc_docker_login_401(rng):
    r, _ = pick_reg(rng)
    host = r.text
    f = Failure("unauthorized", r.expected, note="docker login 401")
    out = []
    out.append(("cmd", docker_login_cmd(rng, host), None))
    aka = r.expected is None or rng.random() < 0.4
    if rng.random() < 0.5:
        msg = f'Error response from daemon: Get "https://{host}/v2/": unauthorized: authentication required'
        if aka:
            msg += ", visit https://aka.ms/acr/authorization for more information."
        out.append(("out", msg, f))
    else:
        # new wording: the raw JSON body follows on the next line
        out.append(("out", f'Error response from daemon: Get "https://{host}/v2/": unauthorized: ', f))
        out.append(
            (
                "out",
                '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required, visit https://aka.ms/acr/authorization for more information.","detail":null}]}',
                f,
            )
        )
    return out, [f]


def sc_docker_push(rng, kind):
    r, name = pick_reg(rng)
    host = r.text
    rp, tg = repo(rng), tag(rng)
    out = []
    if rng.random() < 0.5 and r.expected is not None:
        out.append(("cmd", az_login_cmd(rng, name), None))
        out.append(("out", "Login Succeeded", None))
    elif r.expected is None:
        out.append(("cmd", az_login_cmd(rng, r.text.split(".")[0]), None))
        out.append(("out", "Login Succeeded", None))
    out.append(("cmd", f"docker push {host}/{rp}:{tg}", None))
    out.append(("out", f"The push refers to repository [{host}/{rp}]", None))
    for _ in range(rng.randrange(1, 4)):
        out.append(("out", f"{hexid(rng)}: Preparing", None))
    if kind == "unauthorized":
        f = Failure("unauthorized", r.expected, note="push 401, host only on the push command")
        out.append(("out", "unauthorized: authentication required", f))
    elif kind == "denied":
        f = Failure("access-denied", r.expected, note="push denied, host only on the push command")
        out.append(("out", "denied: requested access to the resource is denied", f))
    else:
        f = Failure("access-denied", r.expected, note="push insufficient_scope")
        out.append(("out", "unauthorized: unauthorized to access repository: " + rp + ", action: push", f))
    return out, [f]


def sc_docker_pull_denied(rng):
    r, _ = pick_reg(rng, masked_ok=False)
    f = Failure("access-denied", r.expected, note="pull access denied with ACR host")
    rp = repo(rng)
    return [
        ("cmd", f"docker pull {r.text}/{rp}:{tag(rng)}", None),
        (
            "out",
            f"Error response from daemon: pull access denied for {r.text}/{rp}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
            f,
        ),
    ], [f]


def sc_docker_ip(rng):
    r, _ = pick_reg(rng)
    f = Failure("ip-not-allowed", r.expected, note="firewall")
    a = ip(rng)
    rp, tg = repo(rng), tag(rng)
    path = rng.choice(["/v2/", f"/v2/{rp}/manifests/{tg}"])
    verb = "Get" if path == "/v2/" else "Head"
    return [
        ("cmd", f"docker pull {r.text}/{rp}:{tg}", None),
        (
            "out",
            f"Error response from daemon: {verb} \"https://{r.text}{path}\": denied: client with IP '{a}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.",
            f,
        ),
    ], [f]


def sc_docker_aad_body(rng):
    r, name = pick_reg(rng, masked_ok=False)
    f = Failure("aad-credential", r.expected, note="cause inside the 401 body")
    body = rng.choice(["Invalid clientid or client secret.", "Application not registered with AAD."])
    return [
        ("cmd", docker_login_cmd(rng, r.text), None),
        ("out", f'Error response from daemon: Get "https://{r.text}/v2/": unauthorized: {body}', f),
    ], [f]


def sc_docker_retry(rng):
    r, _ = pick_reg(rng, masked_ok=False)
    rp, tg = repo(rng), tag(rng)
    n = rng.randrange(2, 5)
    out = [("cmd", f"for i in $(seq {n}); do docker pull {r.text}/{rp}:{tg} && break; done", None)]
    fs = []
    for _ in range(n):
        f = Failure("unauthorized", r.expected, note="retry loop, identical lines")
        fs.append(f)
        out.append(("out", f'Error response from daemon: Head "https://{r.text}/v2/{rp}/manifests/{tg}": unauthorized: authentication required', f))
    return out, fs


def sc_buildx(rng, kind):
    r, _ = pick_reg(rng, masked_ok=False)
    rp, tg = repo(rng), tag(rng)
    h = r.text
    out = [("cmd", f"docker buildx build --push -t {h}/{rp}:{tg} .", None), ("out", f"#12 pushing layers", None)]
    if kind == "401":
        f = Failure("unauthorized", r.expected, note="buildx oauth 401")
        line = f"ERROR: failed to solve: failed to push {h}/{rp}:{tg}: failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://{strip_port(h)}/oauth2/token: 401 Unauthorized"
    else:
        f = Failure("access-denied", r.expected, note="buildx bare 403")
        line = f"ERROR: failed to solve: failed to push {h}/{rp}:{tg}: unexpected status from HEAD request to https://{strip_port(h)}/v2/{rp}/blobs/sha256:{hexid(rng, 64)}: 403 Forbidden"
    out.append(("out", line, f))
    return out, [f]


def sc_podman(rng):
    r, _ = pick_reg(rng, masked_ok=False)
    rp, tg = repo(rng), tag(rng)
    if rng.random() < 0.5:
        f = Failure("unauthorized", r.expected, note="podman pull 401")
        return [
            ("cmd", f"podman pull {r.text}/{rp}:{tg}", None),
            ("out", f"Trying to pull {r.text}/{rp}:{tg}...", None),
            ("out", f"Error: initializing source docker://{r.text}/{rp}:{tg}: reading manifest {tg} in {r.text}/{rp}: unauthorized: authentication required", f),
        ], [f]
    f = Failure("unauthorized", r.expected, note="podman login invalid username/password")
    return [
        ("cmd", f"podman login {r.text} -u ci -p ***", None),
        ("out", f'Error: logging into "{r.text}": invalid username/password', f),
    ], [f]


def sc_helm(rng):
    r, _ = pick_reg(rng, masked_ok=False)
    h = strip_port(r.text)
    k = rng.randrange(3)
    if k == 0:
        f = Failure("unauthorized", r.expected, note="helm registry login 401")
        return [
            ("cmd", f"helm registry login {h} --username ci --password ***", None),
            ("out", f"Error: login attempt to https://{h}/v2/ failed with status: 401 Unauthorized", f),
        ], [f]
    if k == 1:
        f = Failure("anonymous-pull", r.expected, note="helm pull anonymous token")
        return [
            ("cmd", f"helm pull oci://{h}/helm/app --version 0.3.1", None),
            (
                "out",
                f"Error: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://{h}/oauth2/token?scope=repository%3Ahelm%2Fapp%3Apull&service={h}: 401 Unauthorized",
                f,
            ),
        ], [f]
    f = Failure("unauthorized", r.expected, note="helm push oauth 401")
    return [
        ("cmd", f"helm push app-0.3.1.tgz oci://{h}/helm", None),
        (
            "out",
            f"Error: failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://{h}/oauth2/token: 401 Unauthorized",
            f,
        ),
    ], [f]


def sc_oras(rng):
    r, _ = pick_reg(rng, masked_ok=False)
    h = strip_port(r.text)
    if rng.random() < 0.5:
        f = Failure("unauthorized", r.expected, note="oras 401")
        return [
            ("cmd", f"oras pull {h}/artifacts/sbom:v1", None),
            (
                "out",
                f'Error: failed to resolve {h}/artifacts/sbom:v1: GET "https://{h}/oauth2/token?scope=repository%3Aartifacts%2Fsbom%3Apull&service={h}": response status code 401: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.',
                f,
            ),
        ], [f]
    f = Failure("access-denied", r.expected, note="oras 403 insufficient_scope")
    return [
        ("cmd", f"oras push {h}/artifacts/sbom:v1 sbom.json", None),
        ("out", f'Error: PUT "https://{h}/v2/artifacts/sbom/manifests/v1": response status code 403: denied: insufficient_scope: authorization failed', f),
    ], [f]


# -- Azure CLI ---------------------------------------------------------------------------------


def local_ts(clock):
    return clock.now().strftime("%Y-%m-%d %H:%M:%S.%f")


def sc_az_docker(rng, clock):
    r, name = pick_reg(rng, masked_ok=False)
    code, msg = rng.choice(
        [
            ("DOCKER_COMMAND_ERROR", "Please verify if Docker client is installed and running."),
            ("DOCKER_DAEMON_ERROR", "Please verify if Docker daemon is running, or try restarting it."),
        ]
    )
    f = Failure("docker-command-error", r.expected, note=code)
    out = [("cmd", az_login_cmd(rng, name), None)]
    if rng.random() < 0.5:
        out.append(("out", f"ERROR: {local_ts(clock)} An error occurred: {code}", f))
    else:
        out.append(("out", f"An error occurred: {code}", f))
    out.append(("out", msg, f))
    if code == "DOCKER_COMMAND_ERROR" and rng.random() < 0.5:
        out.append(("out", f"You may want to use 'az acr login -n {name} --expose-token' to get an access token, which does not require Docker to be installed.", f))
    return out, [f]


def sc_az_cloudshell(rng):
    r, name = pick_reg(rng, masked_ok=False)
    f = Failure("cloud-shell-no-daemon", r.expected, note="cloud shell")
    return [
        ("cmd", az_login_cmd(rng, name), None),
        (
            "out",
            f"ERROR: This command requires running the docker daemon, which is not supported in Azure Cloud Shell. You may want to use 'az acr login -n {name} --expose-token' to get an access token, which does not require Docker to be installed.",
            f,
        ),
    ], [f]


def sc_az_cascade(rng, clock):
    r, name = pick_reg(rng)
    f = Failure("identity-permission", r.expected, note="az cascade refresh token 401")
    cmdname = name if r.expected else r.text.split(".")[0]
    pre = rng.choice(["ERROR: ", ""])
    mid = rng.choice(["An error occurred: ", ""])
    return [
        ("cmd", az_login_cmd(rng, cmdname), None),
        ("out", f"{pre}Unable to get AAD authorization tokens with message: {local_ts(clock)} {mid}CONNECTIVITY_REFRESH_TOKEN_ERROR", f),
        ("out", f"Access to registry '{r.text}' was denied. Response code: {rng.choice([401, 403])}. Please try running 'az login' again to refresh permissions.", f),
        ("out", "Unable to get admin user credentials with message: Admin user is disabled.", f),
        ("out", "Unable to authenticate using AAD or admin login credentials. Please check your AAD user or service principal credentials.", f),
    ], [f]


def sc_az_notfound(rng):
    name = rng.choice(REG_NAMES)
    f = Failure("identity-permission", name.lower(), note="not found in subscription")
    return [
        ("cmd", az_login_cmd(rng, name), None),
        (
            "out",
            f"ERROR: The resource with name '{name}' and type 'Microsoft.ContainerRegistry/registries' could not be found in subscription 'Contoso Prod ({guid(rng)})'.",
            f,
        ),
    ], [f]


def sc_az_listcreds(rng):
    name = rng.choice(REG_NAMES)
    f = Failure("identity-permission", name.lower(), note="AuthorizationFailed listCredentials")
    sub = guid(rng)
    return [
        ("cmd", f"az acr credential show -n {name} --query passwords[0].value -o tsv", None),
        (
            "out",
            f"ERROR: (AuthorizationFailed) The client 'ci-bot@contoso.com' with object id '{guid(rng)}' does not have authorization to perform action 'Microsoft.ContainerRegistry/registries/listCredentials/action' over scope '/subscriptions/{sub}/resourceGroups/rg-ci/providers/Microsoft.ContainerRegistry/registries/{name}' or the scope is invalid. If access was recently granted, please refresh your credentials.",
            f,
        ),
        ("out", "Code: AuthorizationFailed", f),
    ], [f]


def sc_az_aad(rng):
    name = rng.choice(REG_NAMES)
    k = rng.randrange(3)
    if k == 0:
        f = Failure("aad-credential", name.lower(), note="Please run az login")
        return [("cmd", az_login_cmd(rng, name), None), ("out", "ERROR: Please run 'az login' to setup account.", f)], [f]
    app, tenant = guid(rng), guid(rng)
    if k == 1:
        f = Failure("aad-credential", name.lower(), note="AADSTS700016 in az acr login")
        line = f"ERROR: Unable to get AAD authorization tokens with message: AADSTS700016: Application with identifier '{app}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant."
    else:
        f = Failure("aad-credential", name.lower(), note="AADSTS7000215 in az acr login")
        line = f"ERROR: Unable to get AAD authorization tokens with message: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{app}'."
    return [("cmd", az_login_cmd(rng, name), None), ("out", line, f)], [f]


def sc_az_checkhealth(rng):
    r, name = pick_reg(rng, masked_ok=False)
    k = rng.randrange(3)
    out = [("cmd", f"az acr check-health -n {name} --yes", None), ("out", "Docker daemon status: available", None), ("out", "Docker version: 'Docker version 27.3.1, build ce12230'", None)]
    if k == 0:
        f = Failure("ip-not-allowed", r.expected, note="CONNECTIVITY_FORBIDDEN_ERROR")
        out += [
            ("out", "An error occurred: CONNECTIVITY_FORBIDDEN_ERROR", f),
            ("out", f"Looks like you don't have access to registry '{r.text}'. Are firewalls and virtual networks enabled?", f),
            ("blank", "", f),
            ("out", "Please refer to https://aka.ms/acr/errors#connectivity_forbidden_error for more information.", f),
        ]
    elif k == 1:
        f = Failure("identity-permission", r.expected, note="CONNECTIVITY_AAD_LOGIN_ERROR")
        out += [
            ("out", "An error occurred: CONNECTIVITY_AAD_LOGIN_ERROR", f),
            ("out", f"Registry '{r.text}' does not support AAD login.", f),
            ("blank", "", f),
            ("out", "Please refer to https://aka.ms/acr/errors#connectivity_aad_login_error for more information.", f),
        ]
    else:
        f = Failure("docker-command-error", r.expected, note="check-health DOCKER_COMMAND_ERROR")
        out = [("cmd", f"az acr check-health -n {name} --yes", None)]
        out += [
            ("out", "An error occurred: DOCKER_COMMAND_ERROR", f),
            ("out", "Please verify if Docker client is installed and running.", f),
            ("blank", "", f),
            ("out", "Please refer to https://aka.ms/acr/errors#docker_command_error for more information.", f),
        ]
    return out, [f]



# -- other clients FIELD-NOTES names (App Service, ACR Tasks, bicep) and hard-wrapped pastes ------


def sc_appservice(rng, clock):
    """App Service's docker log: `YYYY-MM-DD HH:MM:SS.fff ERROR - ...` (FIELD-NOTES timestamps)."""
    r, _ = pick_reg(rng, masked_ok=False)
    rp, tg = repo(rng), tag(rng)
    t = clock.now().strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (clock.now().microsecond // 1000)
    f = Failure("unauthorized", r.expected, note="App Service DockerApiException 401")
    body = quote_json_inner(f'Head "https://{r.text}/v2/{rp}/manifests/{tg}": unauthorized: authentication required')
    return [
        ("out", f"{t} INFO  - Pulling image: {r.text}/{rp}:{tg}", None),
        ("out", f'{t} ERROR - DockerApiException: Docker API responded with status code=InternalServerError, response={{"message":"{body}"}}', f),
        ("out", f"{t} ERROR - Pulling docker image {r.text}/{rp}:{tg} failed:", f),
        ("out", f"{t} INFO  - Stopping site because it failed during startup.", None),
    ], [f]


def sc_acrtasks(rng, clock):
    """ACR Tasks' run log (`YYYY/MM/DD HH:MM:SS`): its login gives up; its aka.ms/acr/tasks link is no failure."""
    name = rng.choice(REG_NAMES)
    h = f"{name.lower()}.azurecr.io"
    t = clock.now().strftime("%Y/%m/%d %H:%M:%S")
    f = Failure("unauthorized", name.lower(), note="ACR Tasks ran out of retries")
    return [
        ("out", f"{t} Alias support enabled for version >= 1.1.0, please see https://aka.ms/acr/tasks/task-aliases for more information.", None),
        ("out", f"{t} Creating Docker network: acb_default_network, driver: 'bridge'", None),
        ("out", f"{t} Logging in to registry: {h}", None),
        ("out", f"{t} failed to login, ran out of retries: failed to set docker credentials: Error response from daemon: Get \"https://{h}/v2/\": unauthorized: authentication required", f),
    ], [f]


def sc_bicep(rng):
    r, _ = pick_reg(rng, masked_ok=False)
    h = strip_port(r.text)
    f = Failure("unauthorized", r.expected, note="bicep restore, status on the next line")
    return [
        ("cmd", "az bicep build --file main.bicep", None),
        ("out", f'/home/runner/work/infra/main.bicep(4,29) : Error BCP192: Unable to restore the artifact with reference "br:{h}/bicep/modules/storage:v1": Unhandled exception: Azure.RequestFailedException: Service request failed.', f),
        ("out", "Status: 401 (Unauthorized)", f),
    ], [f]


def sc_wrapped(rng):
    """A paste hard-wrapped at 80 columns: one failure over two lines (FIELD-NOTES)."""
    r, _ = pick_reg(rng, masked_ok=False)
    f = Failure("unauthorized", r.expected, note="hard-wrapped at 80 columns")
    msg = f'Error response from daemon: Get "https://{r.text}/v2/": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.'
    return [("cmd", docker_login_cmd(rng, r.text), None), ("out", msg[:80], f), ("out", msg[80:], f)], [f]


# -- wave 2: more of FIELD-NOTES' wording drift, clients and look-alikes ----------------------


def sc_wave2(rng, clock):
    """One wave-2 client scene: (entries, failures)."""
    r, name = pick_reg(rng, masked_ok=False)
    h = r.text
    hs = strip_port(h)
    rp, tg = repo(rng), tag(rng)
    k = rng.randrange(15)
    if k == 0:
        # old docker: no quotes around the URL; the short logrus forms of the client
        f = Failure("unauthorized", r.expected, note="old docker wording, FATA/ERRO short form")
        lead = rng.choice(["FATA[0007] ", "ERRO[0001] ", ""])
        return [("cmd", f"docker pull {h}/{rp}:{tg}", None), ("out", f"{lead}Error response from daemon: Get https://{h}/v2/{rp}/manifests/{tg}: unauthorized: authentication required", f)], [f]
    if k == 1:
        # CONNECTIVITY_ACCESS_TOKEN_ERROR, WARNING: lead, 403
        f = Failure("identity-permission", r.expected, note="access token step, WARNING lead")
        return [
            ("cmd", az_login_cmd(rng, name), None),
            ("out", f"WARNING: Unable to get AAD authorization tokens with message: {local_ts(clock)} An error occurred: CONNECTIVITY_ACCESS_TOKEN_ERROR", f),
            ("out", f"WARNING: Access to registry '{h}' was denied. Response code: {rng.choice([401, 403])}. Please try running 'az login' again to refresh permissions.", f),
        ], [f]
    if k == 2:
        f = Failure("unauthorized", r.expected, note="crane UNAUTHORIZED")
        return [
            ("cmd", f"crane copy {hs}/{rp}:{tg} {hs}/{rp}:stable", None),
            ("out", f"Error: fetching manifest {hs}/{rp}:{tg}: GET https://{hs}/oauth2/token?scope=repository%3A{rp}%3Apull&service={hs}: UNAUTHORIZED: authentication required, visit https://aka.ms/acr/authorization for more information.; [map[Action:pull Class: Name:{rp} Type:repository]]", f),
        ], [f]
    if k == 3:
        f = Failure("anonymous-pull", r.expected, note="BuildKit FROM private base, anonymous")
        return [
            ("cmd", "docker buildx build -t app:ci .", None),
            ("out", f"#3 [internal] load metadata for {hs}/base/dotnet:8.0", None),
            ("out", f"ERROR: failed to solve: {hs}/base/dotnet:8.0: failed to resolve source metadata for {hs}/base/dotnet:8.0: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://{hs}/oauth2/token?scope=repository%3Abase%2Fdotnet%3Apull&service={hs}: 401 Unauthorized", f),
        ], [f]
    if k == 4:
        f = Failure("unauthorized", r.expected, note="helm legacy repo 401")
        return [
            ("cmd", f"helm repo add {name.lower()} https://{hs}/helm/v1/repo --username ci --password ***", None),
            ("out", f'Error: looks like "https://{hs}/helm/v1/repo" is not a valid chart repository or cannot be reached: failed to fetch https://{hs}/helm/v1/repo/index.yaml : 401 Unauthorized', f),
        ], [f]
    if k == 5:
        f = Failure("unauthorized", r.expected, note="notation 401")
        return [
            ("cmd", f"notation sign {hs}/{rp}:{tg}", None),
            ("out", f'Error: failed to resolve {hs}/{rp}:{tg}: GET "https://{hs}/v2/{rp}/manifests/{tg}": response status code 401: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.', f),
        ], [f]
    if k == 6:
        f = Failure("unauthorized", r.expected, note="az acr build -r, ran out of retries")
        t = clock.now().strftime("%Y/%m/%d %H:%M:%S")
        return [
            ("cmd", f"az acr build --registry {name} --image {rp}:{tg} .", None),
            ("out", f"{t} Logging in to registry: {name.lower()}.azurecr.io", None),
            ("out", f"{t} failed to login, ran out of retries", f),
            ("out", "Run ID: ca1 failed after 21s. Error: failed during run, err: exit status 1", None),
        ], [f]
    if k == 7:
        # IoT Edge agent: the cause on indented `caused by:` lines
        f = Failure("unauthorized", r.expected, note="IoT Edge caused-by chain")
        t = clock.now().strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (clock.now().microsecond // 1000)
        return [
            ("out", f"<3> {t} +00:00 [ERR] - Executing command for operation [\"create\"] failed.", f),
            ("out", f"Microsoft.Azure.Devices.Edge.Agent.Edgelet.EdgeletCommunicationException- Message:Error calling Create module app: Could not create module app", f),
            ("out", f"\tcaused by: Could not pull image {h}/{rp}:{tg}", f),
            ("out", f"\tcaused by: Get https://{hs}/v2/{rp}/manifests/{tg}: unauthorized: authentication required", f),
        ], [f]
    if k == 8:
        # an error line, then the CLI's summary of it: one failure
        f = Failure("access-denied", r.expected, note="bare 403 after a firewall change")
        return [
            ("cmd", f"docker push {h}/{rp}:{tg}", None),
            ("out", f"The push refers to repository [{h}/{rp}]", None),
            ("out", f"error parsing HTTP 403 response body: unexpected end of JSON input: \"\"", f),
        ], [f]
    if k == 9:
        # look-alikes
        return [
            ("cmd", "docker pull harbor.contoso.com/library/app:1", None),
            ("out", "Error response from daemon: unauthorized: unauthorized to access repository: library/app, action: pull: unauthorized to access repository: library/app, action: pull", None),
            ("cmd", f"docker pull us-docker.pkg.dev/contoso/{rp}:{tg}", None),
            ("out", f'Error response from daemon: Head "https://us-docker.pkg.dev/v2/contoso/{rp}/manifests/{tg}": denied: Permission "artifactregistry.repositories.downloadArtifacts" denied on resource "projects/contoso/locations/us/repositories/{rp}" (or it may not exist)', None),
        ], []
    if k == 10:
        return [
            ("cmd", az_login_cmd(rng, name), None),
            ("out", f"WARNING: Unable to get AAD authorization tokens with message: {local_ts(clock)} An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR", None),
            ("out", f"WARNING: Access to registry '{h}' was denied. Response code: 503. Please try running 'az login' again to refresh permissions.", None),
            ("out", "Login Succeeded", None),
        ], []
    if k == 14:
        # FIELD-NOTES: a 401 on GET /v2/ in a debug trace is the normal login challenge
        return [
            ("cmd", f"az acr login -n {name} --debug", None),
            ("out", f"DEBUG: cli.azure.cli.core.util: Request URL: 'https://{hs}/v2/'", None),
            ("out", f'DEBUG: urllib3.connectionpool: https://{hs}:443 "GET /v2/ HTTP/1.1" 401 149', None),
            ("out", "DEBUG: cli.azure.cli.core.util: Response status: 401", None),
            ("out", f"DEBUG: cli.azure.cli.core.util:     'Www-Authenticate': 'Bearer realm=\"https://{hs}/oauth2/token\",service=\"{hs}\"'", None),
            ("out", "Login Succeeded", None),
            ("cmd", f"curl -v https://{hs}/v2/", None),
            ("out", "> GET /v2/ HTTP/1.1", None),
            ("out", f"> Host: {hs}", None),
            ("out", "< HTTP/1.1 401 Unauthorized", None),
            ("out", '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required, visit https://aka.ms/acr/authorization for more information.","detail":null}]}', None),
        ], []
    if k == 11:
        return [
            ("cmd", "kubectl get pods -n apps", None),
            ("out", "NAME                   READY   STATUS             RESTARTS   AGE", None),
            ("out", f"api-6d4013bb7-k401z    0/1     ImagePullBackOff   0          4m", None),
            ("out", f"web-7c9f8d6b5-x2k9p    0/1     ErrImagePull       0          1m", None),
        ], []
    if k == 12:
        return [
            ("cmd", f"docker pull {hs}/{rp}:{tg}", None),
            ("out", f'Error response from daemon: manifest for {hs}/{rp}:{tg} not found: manifest unknown: manifest tagged by "{tg}" is not found', None),
            ("out", '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest tagged by \\"' + tg + '\\" is not found","detail":{"Tag":"' + tg + '"}}]}', None),
        ], []
    return [
        ("out", 'level=error msg="upstream request failed" status=401 url="https://api.contoso.com/v1/orders" user=svc-billing', None),
        ("out", "System.Net.Http.HttpRequestException: Response status code does not indicate success: 401 (Unauthorized).", None),
    ], []

# -- look-alikes (client side) -----------------------------------------------------------------


def sc_lookalike(rng, clock):
    name = rng.choice(REG_NAMES)
    acr = f"{name}.azurecr.io"
    rp, tg = repo(rng), tag(rng)
    k = rng.randrange(14)
    if k == 0:
        return [
            ("cmd", f"docker push contoso/{rp.split('/')[-1]}:{tg}", None),
            ("out", f"The push refers to repository [docker.io/contoso/{rp.split('/')[-1]}]", None),
            ("out", "denied: requested access to the resource is denied", None),
        ]
    if k == 1:
        return [
            ("cmd", "docker login ghcr.io -u octocat --password-stdin", None),
            ("out", 'Error response from daemon: Get "https://ghcr.io/v2/": denied: denied', None),
            ("cmd", f"docker pull ghcr.io/contoso/{rp}:{tg}", None),
            ("out", f'Error response from daemon: Head "https://ghcr.io/v2/contoso/{rp}/manifests/{tg}": unauthorized', None),
        ]
    if k == 2:
        ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
        return [
            ("cmd", f"docker push {ecr}/{rp}:{tg}", None),
            ("out", f"The push refers to repository [{ecr}/{rp}]", None),
            ("out", "denied: Your authorization token has expired. Reauthenticate and try again.", None),
            ("out", f'Error response from daemon: Get "https://{ecr}/v2/": unauthorized: authentication required', None),
        ]
    if k == 3:
        # Harbor at a company domain, right after an ACR login in the same log
        return [
            ("cmd", az_login_cmd(rng, name), None),
            ("out", "Login Succeeded", None),
            ("cmd", "docker login harbor.contoso.com -u robot$ci -p ***", None),
            ("out", 'Error response from daemon: Get "https://harbor.contoso.com/v2/": unauthorized: authentication required', None),
            ("cmd", f"docker push artifactory.contoso.com/docker-local/{rp}:{tg}", None),
            ("out", f"The push refers to repository [artifactory.contoso.com/docker-local/{rp}]", None),
            ("out", "unauthorized: authentication required", None),
        ]
    if k == 4:
        return [
            ("cmd", f"docker pull {acr}/{rp}:{tg}", None),
            ("out", f"Error response from daemon: toomanyrequests: too many requests, please retry after some time. Visit https://aka.ms/acr/throttling for more information.", None),
        ]
    if k == 5:
        return [
            ("cmd", f"docker pull {acr}/{rp}:{tg}", None),
            ("out", f'Error response from daemon: manifest for {acr}/{rp}:{tg} not found: manifest unknown: manifest tagged by "{tg}" is not found', None),
        ]
    if k == 6:
        return [
            ("cmd", f"docker pull {acr}/{rp}:{tg}", None),
            ("out", f'Error response from daemon: Get "https://{acr}/v2/": dial tcp: lookup {acr} on 10.0.0.10:53: no such host', None),
        ]
    if k == 7:
        return [
            ("cmd", f"docker login {acr}", None),
            ("out", f'Error response from daemon: Get "https://{acr}/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority', None),
        ]
    if k == 8:
        return [
            ("cmd", "curl -fsS https://api.contoso.com/v1/orders -H 'Authorization: Bearer ***'", None),
            ("out", "curl: (22) The requested URL returned error: 401", None),
            ("out", "HTTP/1.1 401 Unauthorized from https://api.contoso.com/v1/orders: token expired", None),
        ]
    if k == 9:
        return [("cmd", az_login_cmd(rng, name), None), ("out", "Login Succeeded", None), ("cmd", docker_login_cmd(rng, acr), None), ("out", "WARNING! Your password will be stored unencrypted in /home/runner/.docker/config.json.", None), ("out", "Login Succeeded", None)]
    if k == 10:
        return [
            ("cmd", az_login_cmd(rng, name), None),
            ("out", f"ERROR: Unable to get AAD authorization tokens with message: {local_ts(clock)} An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR", None),
            ("out", f"Access to registry '{acr}' was denied. Response code: 504. Please try running 'az login' again to refresh permissions.", None),
        ]
    if k == 11:
        return [
            ("cmd", "docker pull mcr.microsoft.com/dotnet/private-preview:9.0", None),
            ("out", 'Error response from daemon: Head "https://mcr.microsoft.com/v2/dotnet/private-preview/manifests/9.0": denied', None),
            ("cmd", f"docker pull quay.io/contoso/{rp}:{tg}", None),
            ("out", f"Error response from daemon: unauthorized: access to the requested resource is not authorized", None),
        ]
    if k == 12:
        return [
            ("cmd", f"helm pull oci://registry.gitlab.contoso.com/platform/charts/app --version 1.0.0", None),
            ("out", "Error: failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://registry.gitlab.contoso.com/jwt/auth: 401 Unauthorized", None),
        ]
    return [
        ("cmd", f"az acr check-health -n {name} --yes", None),
        ("out", "An error occurred: CONNECTIVITY_DNS_ERROR", None),
        ("out", f"Failed to reach DNS for registry '{acr}'.", None),
        ("blank", "", None),
        ("out", "Please refer to https://aka.ms/acr/errors#connectivity_dns_error for more information.", None),
    ]


def client_scene(rng, clock, allow_az=True):
    """One client-side scene: (entries, failures)."""
    r = rng.random()
    if r < 0.30:
        return sc_lookalike(rng, clock), []
    if r < 0.45:
        return sc_wave2(rng, clock)
    k = rng.choice(
        ["login401", "push401", "pushdenied", "pushscope", "pulldenied", "ip", "aadbody", "retry", "bx401", "bx403", "podman", "helm", "oras"]
        + (["azdocker", "azcloud", "azcascade", "aznotfound", "azlist", "azaad", "azhealth"] if allow_az else [])
        + ["appservice", "acrtasks", "bicep", "wrapped"]
    )
    return {
        "login401": lambda: sc_docker_login_401(rng),
        "push401": lambda: sc_docker_push(rng, "unauthorized"),
        "pushdenied": lambda: sc_docker_push(rng, "denied"),
        "pushscope": lambda: sc_docker_push(rng, "scope"),
        "pulldenied": lambda: sc_docker_pull_denied(rng),
        "ip": lambda: sc_docker_ip(rng),
        "aadbody": lambda: sc_docker_aad_body(rng),
        "retry": lambda: sc_docker_retry(rng),
        "bx401": lambda: sc_buildx(rng, "401"),
        "bx403": lambda: sc_buildx(rng, "403"),
        "podman": lambda: sc_podman(rng),
        "helm": lambda: sc_helm(rng),
        "oras": lambda: sc_oras(rng),
        "azdocker": lambda: sc_az_docker(rng, clock),
        "azcloud": lambda: sc_az_cloudshell(rng),
        "azcascade": lambda: sc_az_cascade(rng, clock),
        "aznotfound": lambda: sc_az_notfound(rng),
        "azlist": lambda: sc_az_listcreds(rng),
        "azaad": lambda: sc_az_aad(rng),
        "azhealth": lambda: sc_az_checkhealth(rng),
        "appservice": lambda: sc_appservice(rng, clock),
        "acrtasks": lambda: sc_acrtasks(rng, clock),
        "bicep": lambda: sc_bicep(rng),
        "wrapped": lambda: sc_wrapped(rng),
    }[k]()


CLIENT_NOISE = [
    "Step 3/9 : RUN dotnet publish -c Release -o /app",
    " ---> Running in 4f1c2a9e7b3d",
    "Successfully built 9c2f6a1b0e4d",
    "npm notice Run `npm install -g npm@10.9.1` to update!",
    "added 1241 packages, and audited 1242 packages in 21s",
    "Unable to find image 'alpine:3.20' locally",
    "3.20: Pulling from library/alpine",
    "Digest: sha256:1e42bbe2508154c9126d48c2b8a75420c3544343bf86fd041fb7527e017a4b4a",
    "Status: Downloaded newer image for alpine:3.20",
    "[INFO] BUILD SUCCESS",
    "warning: unused variable `x`",
    "Total time: 12.318 s",
]


# -- daemons -----------------------------------------------------------------------------------


class Clock:
    def __init__(self, rng, start, offset_hours=0):
        self.rng = rng
        self.t = start
        # the zone the producer prints its local time in (logrus and journalctl print the offset)
        self.offset = dt.timedelta(hours=offset_hours)

    def tick(self, lo=1, hi=90):
        self.t += dt.timedelta(seconds=self.rng.randrange(lo, hi), microseconds=self.rng.randrange(1_000_000))

    def now(self):
        return self.t


def zone_suffix(offset):
    if not offset:
        return "Z"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return "%s%02d:%02d" % (sign, abs(minutes) // 60, abs(minutes) % 60)


def logrus(clock, level, msg, extra=""):
    local = clock.now() + clock.offset
    ts = local.strftime("%Y-%m-%dT%H:%M:%S.%f") + "%03d" % clock.rng.randrange(1000) + zone_suffix(clock.offset)
    m = msg.replace("\\", "\\\\").replace('"', '\\"')
    return f'time="{ts}" level={level} msg="{m}"' + extra


def daemon_dockerd_scene(rng, clock):
    """dockerd logrus lines: (lines as (text, fail)), failures."""
    if rng.random() < 0.35:
        name = rng.choice(REG_NAMES)
        acr = f"{name}.azurecr.io"
        rp, tg = repo(rng), tag(rng)
        k = rng.randrange(4)
        if k == 0:
            return [(logrus(clock, "error", f'Handler for POST /v1.45/images/create returned error: Head "https://{acr}/v2/{rp}/manifests/{tg}": dial tcp: lookup {acr}: no such host'), None)], []
        if k == 1:
            return [(logrus(clock, "error", f"Handler for POST /v1.45/images/create returned error: manifest for {acr}/{rp}:{tg} not found: manifest unknown: manifest tagged by \"{tg}\" is not found"), None)], []
        if k == 2:
            return [(logrus(clock, "error", f'Handler for POST /v1.45/images/create returned error: Head "https://registry-1.docker.io/v2/contoso/{rp.split("/")[-1]}/manifests/{tg}": unauthorized: incorrect username or password'), None)], []
        return [(logrus(clock, "error", f'Handler for POST /v1.45/images/create returned error: toomanyrequests: too many requests, please retry after some time. Visit https://aka.ms/acr/throttling for more information.'), None)], []
    r, _ = pick_reg(rng, masked_ok=False)
    rp, tg = repo(rng), tag(rng)
    k = rng.randrange(3)
    if k == 0:
        f = Failure("unauthorized", r.expected, note="dockerd handler 401")
        err = f'Head "https://{r.text}/v2/{rp}/manifests/{tg}": unauthorized: authentication required'
    elif k == 1:
        f = Failure("ip-not-allowed", r.expected, note="dockerd firewall")
        err = f"Get \"https://{r.text}/v2/\": denied: client with IP '{ip(rng)}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
    else:
        f = Failure("access-denied", r.expected, note="dockerd pull access denied")
        err = f"pull access denied for {r.text}/{rp}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"
    lines = []
    fs = []
    for attempt in range(rng.choice([1, 1, 2])):
        if attempt:
            clock.tick(10, 60)
            f = Failure(f.type, f.registry, note=f.note + ", the client's retry")
        fs.append(f)
        if k != 2 and rng.random() < 0.5:
            lines.append((logrus(clock, "info", f"Attempting next endpoint for pull after error: {err}"), f))  # R4 echo
        lines.append((logrus(clock, "error", f"Handler for POST /v1.45/images/create returned error: {err}"), f))
    return lines, fs


def daemon_containerd_scene(rng, clock):
    if rng.random() < 0.3:
        name = rng.choice(REG_NAMES)
        acr = f"{name}.azurecr.io"
        rp, tg = repo(rng), tag(rng)
        if rng.random() < 0.5:
            return [
                (
                    logrus(clock, "debug", "fetch response received")
                    + f' host={acr} response.header.www-authenticate="Bearer realm=\\"https://{acr}/oauth2/token\\",service=\\"{acr}\\",scope=\\"repository:{rp}:pull\\"" response.status="401 Unauthorized" url="https://{acr}/v2/{rp}/manifests/{tg}"',
                    None,
                )
            ], []
        return [(logrus(clock, "info", "trying next host") + f' error="failed to do request: Head \\"https://{acr}/v2/{rp}/manifests/{tg}\\": dial tcp: lookup {acr}: no such host" host={acr}', None)], []
    r, _ = pick_reg(rng, masked_ok=False)
    h = strip_port(r.text)
    ref = f"{r.text}/{repo(rng)}:{tag(rng)}"
    k = rng.randrange(4)
    if k == 0:
        f = Failure("anonymous-pull", r.expected, note="containerd anonymous token old")
        cause = "failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"
    elif k == 1:
        f = Failure("anonymous-pull", r.expected, note="containerd anonymous token new")
        cause = f"failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://{h}/oauth2/token?scope=repository%3Aapi%3Apull&service={h}: 401 Unauthorized"
    elif k == 2:
        f = Failure("unauthorized", r.expected, note="containerd oauth token")
        cause = f"failed to authorize: failed to fetch oauth token: unexpected status from POST request to https://{h}/oauth2/token: 401 Unauthorized"
    else:
        f = Failure("access-denied", r.expected, note="containerd bare 403")
        cause = f"unexpected status from HEAD request to https://{h}/v2/api/manifests/latest: 403 Forbidden"
    err = f'failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": {cause}'
    line = logrus(clock, "error", f'PullImage "{ref}" failed') + ' error="' + err.replace('"', '\\"') + '"'
    return [(line, f)], [f]


def klog(clock, sev, pid, src, body):
    t = clock.now()
    return f"{sev}{t.strftime('%m%d %H:%M:%S')}.{t.microsecond:06d}    {pid} {src}] {body}"


def klog_escape(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def kubelet_scene(rng, clock, pid):
    """kubelet klog lines: (lines, failures)."""
    pod = f"app-{hexid(rng, 10)[:10]}-{hexid(rng, 5)}"
    if rng.random() < 0.2:
        # a back-off alone, and a Docker Hub pull failure: neither counts
        ref = f"docker.io/contoso/{repo(rng).split('/')[-1]}:{tag(rng)}"
        return [
            (klog(clock, "E", pid, "remote_image.go:180", f'"PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \\"{ref}\\": failed to resolve reference \\"{ref}\\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed" image="{ref}"'), None)
        ], []
    r, _ = pick_reg(rng, masked_ok=False)
    ref = f"{r.text}/{repo(rng)}:{tag(rng)}"
    k = rng.randrange(5)
    if k == 3:
        # kubelet before structured logging (1.19): unstructured lines, the same three loggers
        f = Failure("unauthorized", r.expected, note="kubelet unstructured (1.19)")
        err = f'rpc error: code = Unknown desc = failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized'
        uid = guid(rng)
        return [
            (klog(clock, "E", pid, "remote_image.go:113", f'PullImage "{ref}" from image service failed: {err}'), f),
            (klog(clock, "E", pid, "kuberuntime_image.go:50", f'Pull image "{ref}" failed: {err}'), f),
            (klog(clock, "E", pid, "pod_workers.go:191", f'Error syncing pod {uid} ("{pod}_default({uid})"), skipping: failed to "StartContainer" for "app" with ErrImagePull: "{klog_escape(err)}"'), f),
        ], [f]
    if k == 4:
        # CRI-O's words under kubelet (containers/image): the registry's body after the manifest read
        f = Failure("unauthorized", r.expected, note="kubelet with CRI-O")
        err = f"rpc error: code = Unknown desc = reading manifest {ref.rsplit(':', 1)[1]} in {ref.rsplit(':', 1)[0]}: unauthorized: authentication required"
        return [
            (klog(clock, "E", pid, "remote_image.go:180", f'"PullImage from image service failed" err="{klog_escape(err)}" image="{ref}"'), f),
            (klog(clock, "E", pid, "pod_workers.go:1301", f'"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with ErrImagePull: \\"{klog_escape(klog_escape(err))}\\"" pod="default/{pod}" podUID="{guid(rng)}"'), f),
        ], [f]
    if k == 0:
        f = Failure("anonymous-pull", r.expected, note="kubelet anonymous")
        cause = "failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"
    elif k == 1:
        f = Failure("unauthorized", r.expected, note="kubelet oauth")
        cause = "failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"
    else:
        f = Failure("anonymous-pull", r.expected, note="kubelet two attempts in one line (anonymous 401 + NotFound)")
        cause = None
    if cause:
        err = f'rpc error: code = Unknown desc = failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": {cause}'
    else:
        err = (
            f'[rpc error: code = NotFound desc = failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": {ref}: not found, '
            f'rpc error: code = Unknown desc = failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized]'
        )
    lines = []
    fs = []
    block = cause and rng.random() < 0.35
    uid = guid(rng)
    # kubelet pulls again after each back-off and prints the same failure again: a new attempt each time
    for attempt in range(rng.choice([1, 1, 2, 3])):
        if attempt:
            clock.tick(20, 90)
            f = Failure(f.type, f.registry, note=f.note + ", again after a back-off")
        fs.append(f)
        if block:
            # klog err=< block (R5)
            lines.append((klog(clock, "E", pid, "remote_image.go:180", '"PullImage from image service failed" err=<'), f))
            lines.append(("\t" + err, f))
            lines.append((f' > image="{ref}"', f))
        else:
            lines.append((klog(clock, "E", pid, "remote_image.go:180", f'"PullImage from image service failed" err="{klog_escape(err)}" image="{ref}"'), f))
        # kubelet's second logger (R4)
        lines.append((klog(clock, "E", pid, "kuberuntime_manager.go:1256", f'"Unhandled Error" err="container &Container{{Name:app,Image:{ref},}} start failed in pod {pod}_default: ErrImagePull: {klog_escape(err)}" logger="UnhandledError"'), f))
        lines.append((klog(clock, "E", pid, "pod_workers.go:1301", f'"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with ErrImagePull: \\"{klog_escape(klog_escape(err))}\\"" pod="default/{pod}" podUID="{uid}"'), f))
        for _ in range(rng.randrange(1, 4)):
            clock.tick(5, 30)
            lines.append((klog(clock, "E", pid, "pod_workers.go:1301", f'"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with ImagePullBackOff: \\"Back-off pulling image \\\\\\"{ref}\\\\\\"\\"" pod="default/{pod}" podUID="{uid}"'), None))
    return lines, fs


KUBELET_NOISE = [
    '"SyncLoop (PLEG): event for pod" pod="kube-system/coredns-5d78c9869d-8xk2p" event={"ID":"c3f1","Type":"ContainerStarted"}',
    '"Successfully pulled image" image="mcr.microsoft.com/oss/kubernetes/pause:3.9" duration="1.2s"',
    '"RemoveContainer" containerID="4b1e0a5c2d9f"',
]


# ---------------------------------------------------------------------------------------------
# Files


class LogWriter:
    def __init__(self, host, rel, producer):
        self.host = host
        self.rel = rel
        self.producer = producer
        self.lines = []
        self.failures = []

    def add(self, text, fail=None, ts=None):
        self.lines.append(text)
        if fail is not None:
            if fail.file is None:
                fail.file = self.rel
                fail.host = self.host
                fail.text = text
                fail.ts = ts
                self.failures.append(fail)
            fail.lines.append(len(self.lines))


def ci_render(w, rng, clock, style, entries, echo_ok=True):
    """Render client scene entries through a CI or plain wrapper."""

    def pre():
        t = clock.now()
        if style in ("gha", "azp"):
            return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%07dZ " % (t.microsecond * 10 + rng.randrange(10))
        if style == "jenkins":
            return "[" + t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ] " % (t.microsecond // 1000)
        if style == "gitlab-ts":
            return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ") + " 01E "
        return ""

    def stamp():
        # the runner's own time on the line (GitLab without timestamps, plain output: not checked)
        return clock.now() if style in ("gha", "azp", "jenkins", "gitlab-ts") else None

    lines_of = collections.Counter(id(f) for _, _, f in entries if f is not None)
    for kind, text, fail in entries:
        if kind == "cmd":
            clock.tick(1, 20)
            if style == "gha":
                w.add(pre() + "##[group]Run " + text)
                w.add(pre() + f"{ESC}[36;1m{text}{ESC}[0m")
                w.add(pre() + "shell: /usr/bin/bash -e {0}")
                w.add(pre() + "##[endgroup]")
            elif style == "azp":
                w.add(pre() + "##[command]" + text)
            elif style in ("gitlab", "gitlab-ts"):
                w.add(pre() + f"{ESC}[32;1m$ {text}{ESC}[0;m")
            elif style == "jenkins":
                w.add(pre() + "+ " + text)
            else:
                w.add(pre() + "$ " + text)
        elif kind == "blank":
            w.add(pre().rstrip(), fail, stamp())
        else:
            w.add(pre() + text, fail, stamp())
            # R3: a CI annotation of the tool's line
            if fail is not None and echo_ok and style in ("gha", "azp") and fail.type in ("unauthorized", "access-denied", "ip-not-allowed", "anonymous-pull") and lines_of[id(fail)] == 1 and rng.random() < 0.4:
                # only single-line failures: the annotation repeats the line
                w.add(pre() + "##[error]" + text)
    if style in ("gha", "azp") and any(f for _, _, f in entries) and rng.random() < 0.5:
        w.add(pre() + ("##[error]Process completed with exit code 1." if style == "gha" else "##[error]Bash exited with code '1'."))


def gen_ci_file(rng, host, rel, style, producer, n, start):
    w = LogWriter(host, rel, producer)
    clock = Clock(rng, start)
    if style == "gha":
        w.add(clock.now().strftime("%Y-%m-%dT%H:%M:%S.") + "0000000Z Current runner version: '2.321.0'")
    if style == "azp":
        w.add(clock.now().strftime("%Y-%m-%dT%H:%M:%S.") + "0000000Z ##[section]Starting: Build and push")
    if style == "jenkins":
        w.add("Started by timer")
        w.add("[Pipeline] Start of Pipeline")
        w.add("[Pipeline] sh")
    if style in ("gitlab", "gitlab-ts"):
        # GitLab's section marker: a carriage return and an erase-line code inside the line
        w.add(f"section_start:{int(clock.now().timestamp())}:step_script\r{ESC}[0K{ESC}[0K{ESC}[36;1mExecuting \"step_script\" stage of the job script{ESC}[0;m")
    for _ in range(n):
        for _ in range(rng.randrange(0, 3)):
            ci_render(w, rng, clock, style, [("out", rng.choice(CLIENT_NOISE), None)])
        # Each scene is a step of its own, seconds after the one before: two different failures of
        # one registry in the same second within a few lines read as one failure told twice.
        clock.tick(2, 30)
        entries, _ = client_scene(rng, clock)
        ci_render(w, rng, clock, style, entries)
    if style in ("gha",):
        # docker/login-action prints only the annotation (R3)
        r, _ = pick_reg(rng, masked_ok=False)
        f = Failure("unauthorized", r.expected, note="login-action annotation only")
        ci_render(w, rng, clock, style, [("cmd", f"docker/login-action@v3 registry={r.text}", None)], echo_ok=False)
        clock.tick()
        t = clock.now()
        w.add(t.strftime("%Y-%m-%dT%H:%M:%S.") + "%07dZ " % (t.microsecond * 10) + f'##[error]Error response from daemon: Get "https://{r.text}/v2/": unauthorized: authentication required', f, t)
    return w


def gen_daemon_file(rng, host, rel, producer, wrap, n, start, pid):
    """dockerd / containerd / kubelet lines, raw or wrapped in syslog / short-iso / journald JSON."""
    w = LogWriter(host, rel, producer)
    # dockerd and containerd print their host's local time with its offset; journalctl short-iso too.
    # klog and syslog print local time without a zone: those hosts run in UTC here.
    offset = rng.choice([0, 0, 1, -5, 5.5]) if (producer != "kubelet" and wrap in ("raw", "journald-json")) or wrap == "short-iso" else 0
    clock = Clock(rng, start, offset)
    ident = {"dockerd": "dockerd", "containerd": "containerd", "kubelet": "kubelet"}[producer]

    def inner_time(text):
        """The producer's own time at the start of its line (logrus `time=`, klog's header), in UTC."""
        m = re.match(r'time="(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{6})\d*(Z|[+-]\d\d:\d\d)"', text)
        if m:
            t = dt.datetime.strptime(m.group(1) + "." + m.group(2), "%Y-%m-%dT%H:%M:%S.%f")
            z = m.group(3)
            off = dt.timedelta(0) if z == "Z" else (1 if z[0] == "+" else -1) * dt.timedelta(hours=int(z[1:3]), minutes=int(z[4:6]))
            return (t - off).replace(tzinfo=dt.timezone.utc)
        m = re.match(r"[IWEF](\d\d)(\d\d) (\d\d:\d\d:\d\d\.\d{6})", text)
        if m:
            return dt.datetime.strptime(f"2026-{m.group(1)}-{m.group(2)} {m.group(3)}", "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=dt.timezone.utc)
        return None

    last = [None]

    def wrapline(text):
        """The line as the file holds it, and the time it carries (None: a continuation line)."""
        inner = inner_time(text)
        if inner is not None:
            last[0] = inner
        # A klog block's continuation line is written with its head: journald stamps it with that time.
        continuation = text[:1] in ("\t", " ") and last[0] is not None
        t = inner or (last[0] if continuation else clock.now())
        if wrap == "syslog":
            return f"{t:%b} {t.day:2d} {t:%H:%M:%S} {host} {ident}[{pid}]: {text}", t.replace(microsecond=0)
        if wrap == "short-iso":
            local = t + clock.offset
            z = zone_suffix(clock.offset).replace(":", "").replace("Z", "+0000")
            return local.strftime("%Y-%m-%dT%H:%M:%S") + z + f" {host} {ident}[{pid}]: {text}", t.replace(microsecond=0)
        if wrap == "journald-json":
            us = int(t.timestamp() * 1_000_000)
            rec = json.dumps({"__REALTIME_TIMESTAMP": str(us), "_HOSTNAME": host, "SYSLOG_IDENTIFIER": ident, "_PID": str(pid), "PRIORITY": "3", "MESSAGE": text}, separators=(",", ":"))
            return rec, t
        return text, inner

    for i in range(n):
        clock.tick()
        if producer == "dockerd" and wrap == "raw" and i == n // 2:
            # SPEC §2: lines of megabytes, invalid UTF-8 and NUL bytes must not stop a scan
            w.add(logrus(clock, "info", "container config: ") + " blob=" + "QUJD" * rng.randrange(200_000, 400_000))
            w.add(logrus(clock, "warning", "bad bytes \udcff\udcfe\x00\x00 in container name \udcc3("))
        for _ in range(rng.randrange(0, 3)):
            if producer == "kubelet":
                w.add(wrapline(klog(clock, "I", pid, "kubelet.go:2461", rng.choice(KUBELET_NOISE)))[0])
            else:
                w.add(wrapline(logrus(clock, "info", rng.choice(["Container failed to exit within 10s of signal 15 - using the force", "ignoring event", "Layer sha256:5f70bf18a086 cleaned up", "loading plugin \"io.containerd.grpc.v1.cri\"..."])))[0])
        if producer == "dockerd":
            lines, _ = daemon_dockerd_scene(rng, clock)
        elif producer == "containerd":
            lines, _ = daemon_containerd_scene(rng, clock)
        else:
            lines, _ = kubelet_scene(rng, clock, pid)
        for text, fail in lines:
            line, t = wrapline(text)
            w.add(line, fail, t)
    return w


def gen_json_file(rng, host, rel, n, start):
    """Docker's json-file driver: a CI job running inside a container."""
    w = LogWriter(host, rel, "docker-json")
    clock = Clock(rng, start)
    for _ in range(n):
        clock.tick(2, 30)
        entries, _ = client_scene(rng, clock)
        for kind, text, fail in entries:
            now = clock.now()
            ts = now.strftime("%Y-%m-%dT%H:%M:%S.%f") + "%03dZ" % rng.randrange(1000)
            if kind == "cmd":
                text = "+ " + text
            stream = "stdout" if fail is None else "stderr"
            rec = json.dumps({"log": text + "\n", "stream": stream, "time": ts}, separators=(",", ":"))
            # Docker's encoder escapes <, > and & the way Go's encoding/json does.
            rec = rec.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            w.add(rec, fail, now)
    return w


def gen_describe(rng, host, rel):
    w = LogWriter(host, rel, "kubectl")
    pods = rng.randrange(2, 4)
    for p in range(pods):
        r, _ = pick_reg(rng, masked_ok=False)
        ref = f"{r.text}/{repo(rng)}:{tag(rng)}"
        pod = f"app-{hexid(rng, 10)}-{hexid(rng, 5)}"
        for line in [f"Name:             {pod}", "Namespace:        default", f"Node:             aks-nodepool1-{rng.randrange(10**7, 10**8)}-vmss000001/10.224.0.4", "Status:           Pending", "Containers:", "  app:", f"    Image:          {ref}", "    State:          Waiting", "      Reason:       ImagePullBackOff", "Events:", "  Type     Reason     Age                  From               Message", "  ----     ------     ----                 ----               -------", f"  Normal   Scheduled  {rng.randrange(5, 60)}m                  default-scheduler  Successfully assigned default/{pod} to aks-nodepool1-vmss000001"]:
            w.add(line)
        n = rng.choice([1, 3, 4, 12, 261])
        frm = rng.choice(["kubelet           ", "kubelet, aks-nodepool1-vmss000001"])
        combined = rng.choice(["", "", "(combined from similar events): "])
        age = f"{rng.randrange(1, 5)}m (x{n} over {rng.choice(['5m', '60m', '3h'])})" if n > 1 else f"{rng.randrange(1, 5)}m"
        w.add(f"  Normal   Pulling    {age:<20} kubelet            Pulling image \"{ref}\"")
        k = rng.randrange(3)
        if k == 0:
            f = Failure("anonymous-pull", r.expected, attempts=n, note="describe anonymous (xN)")
            cause = "failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"
        elif k == 1:
            f = Failure("unauthorized", r.expected, attempts=n, note="describe oauth (xN)")
            cause = "failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"
        else:
            f = Failure("access-denied", r.expected, attempts=n, note="describe 403 (xN)")
            cause = f"unexpected status from HEAD request to https://{strip_port(r.text)}/v2/api/manifests/latest: 403 Forbidden"
        w.add(f'  Warning  Failed     {age:<20} {frm} {combined}Failed to pull image "{ref}": rpc error: code = Unknown desc = failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": {cause}', f, "null")
        w.add(f"  Warning  Failed     {age:<20} kubelet            Error: ErrImagePull")
        m = n + rng.randrange(1, 20)
        bage = f"{rng.randrange(1, 5)}m (x{m} over {rng.choice(['5m', '60m'])})"
        w.add(f'  Normal   BackOff    {bage:<20} kubelet            Back-off pulling image "{ref}"')
        w.add(f"  Warning  Failed     {bage:<20} kubelet            Error: ImagePullBackOff")
        w.add("")
    return w


def gen_get_events(rng, host, rel):
    w = LogWriter(host, rel, "kubectl")
    w.add("LAST SEEN   TYPE      REASON      OBJECT                         MESSAGE")
    for _ in range(rng.randrange(3, 7)):
        pod = f"pod/app-{hexid(rng, 10)}-{hexid(rng, 5)}"
        age = f"{rng.randrange(1, 59)}m"
        if rng.random() < 0.3:
            w.add(f"{age:<11} Normal    Pulled      {pod:<30} Successfully pulled image \"mcr.microsoft.com/azuredocs/aks-helloworld:v1\" in 1.2s")
            w.add(f"{age:<11} Warning   Failed      {pod:<30} Failed to pull image \"docker.io/contoso/api:1.0\": rpc error: code = Unknown desc = failed to pull and unpack image \"docker.io/contoso/api:1.0\": failed to resolve reference \"docker.io/contoso/api:1.0\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed")
            continue
        r, _ = pick_reg(rng, masked_ok=False)
        ref = f"{r.text}/{repo(rng)}:{tag(rng)}"
        anon = rng.random() < 0.5
        f = Failure("anonymous-pull" if anon else "unauthorized", r.expected, note="get events row")
        tok = "anonymous" if anon else "oauth"
        w.add(f'{age:<11} Warning   Failed      {pod:<30} Failed to pull image "{ref}": rpc error: code = Unknown desc = failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": failed to authorize: failed to fetch {tok} token: unexpected status: 401 Unauthorized', f, "null")
        w.add(f"{age:<11} Warning   Failed      {pod:<30} Error: ErrImagePull")
        w.add(f'{age:<11} Normal    BackOff     {pod:<30} Back-off pulling image "{ref}"')
    return w


def gen_kubectl_events(rng, host, rel):
    """`kubectl events` (1.26+): the aggregation in the LAST SEEN column."""
    w = LogWriter(host, rel, "kubectl")
    w.add("LAST SEEN               TYPE      REASON    OBJECT                     MESSAGE")
    for _ in range(rng.randrange(2, 5)):
        pod = f"Pod/app-{hexid(rng, 10)}-{hexid(rng, 5)}"
        r, _ = pick_reg(rng, masked_ok=False)
        ref = f"{r.text}/{repo(rng)}:{tag(rng)}"
        n = rng.choice([1, 2, 7, 261])
        seen = f"{rng.randrange(1, 9)}m (x{n} over {rng.randrange(10, 60)}m)" if n > 1 else f"{rng.randrange(1, 9)}m"
        w.add(f'{seen:<23} Normal    Pulling   {pod:<26} Pulling image "{ref}"')
        f = Failure("anonymous-pull", r.expected, attempts=n, note="kubectl events (xN) in LAST SEEN")
        w.add(f'{seen:<23} Warning   Failed    {pod:<26} Failed to pull image "{ref}": failed to pull and unpack image "{ref}": failed to resolve reference "{ref}": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized', f, "null")
        w.add(f"{seen:<23} Warning   Failed    {pod:<26} Error: ErrImagePull")
        w.add(f'{seen:<23} Normal    BackOff   {pod:<26} Back-off pulling image "{ref}"')
    return w


def write_file(root, w, crlf=False, gz=None, mtime=None):
    path = os.path.join(root, w.host, w.rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    eol = "\r\n" if crlf else "\n"
    data = (eol.join(w.lines) + eol).encode("utf-8", "surrogateescape")
    if (crlf and w.producer == "azure-pipelines") or w.producer == "github-actions":
        data = b"\xef\xbb\xbf" + data  # GitHub's downloaded logs and Windows agents' start with a byte-order mark
    if gz == "single":
        with open(path, "wb") as fh:
            fh.write(gzip.compress(data, mtime=0))
    elif gz == "multi":
        cut = data.rfind(eol.encode(), 0, len(data) // 2) + len(eol)
        with open(path, "wb") as fh:
            fh.write(gzip.compress(data[:cut], mtime=0) + gzip.compress(data[cut:], mtime=0))
    else:
        with open(path, "wb") as fh:
            fh.write(data)
    if mtime is not None:
        os.utime(path, (mtime.timestamp(), mtime.timestamp()))


def ts_text(ts):
    if ts is None or ts == "null":
        return ts
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ts.microsecond // 1000)


def generate(seed, out, hosts=6, scale=1):
    rng = random.Random(seed)
    root = os.path.join(out, "fleet")
    if os.path.exists(root):
        shutil.rmtree(root)
    failures = []
    files = []
    for hi in range(hosts):
        host = f"node-{hi + 1:02d}"
        # hosts days apart: November and December, single-digit days (syslog's `Dec  2`, klog's `E1202`)
        start = BASE + dt.timedelta(days=4 * hi, hours=hi, minutes=rng.randrange(60))
        ws = []
        n = 6 * scale
        ws.append((gen_daemon_file(rng, host, "var/log/docker.log", "dockerd", "raw", n, start, 811), {}))
        ws.append((gen_daemon_file(rng, host, "var/log/docker.log.1.gz", "dockerd", "raw", n, start - dt.timedelta(days=1), 790), {"gz": "multi" if hi % 2 else "single"}))
        ws.append((gen_daemon_file(rng, host, "var/log/containerd.log", "containerd", "raw", n, start, 655), {}))
        ws.append((gen_daemon_file(rng, host, "var/log/kubelet.log", "kubelet", "raw", n, start, 2345), {"mtime": start + dt.timedelta(days=1)}))
        ws.append((gen_daemon_file(rng, host, "var/log/syslog", rng.choice(["dockerd", "kubelet", "containerd"]), "syslog", n, start, 912), {"mtime": start + dt.timedelta(days=1)}))
        ws.append((gen_daemon_file(rng, host, "journal/kubelet.short-iso.log", "kubelet", "short-iso", n, start, 2345), {"mtime": start + dt.timedelta(days=1)}))
        ws.append((gen_daemon_file(rng, host, "journal/containerd.json", rng.choice(["containerd", "dockerd"]), "journald-json", n, start, 655), {}))
        cid = hexid(rng, 64)
        ws.append((gen_json_file(rng, host, f"var/lib/docker/containers/{cid}/{cid}-json.log", n, start), {}))
        ws.append((gen_describe(rng, host, "diag/describe-pods.txt"), {}))
        ws.append((gen_get_events(rng, host, "diag/events.txt"), {}))
        ws.append((gen_kubectl_events(rng, host, "diag/kubectl-events.txt"), {}))
        ws.append((gen_ci_file(rng, host, "ci/github-actions.log", "gha", "github-actions", n, start), {"crlf": hi % 3 == 1}))
        ws.append((gen_ci_file(rng, host, "ci/azure-pipelines.log", "azp", "azure-pipelines", n, start), {"crlf": hi % 2 == 0}))
        ws.append((gen_ci_file(rng, host, "ci/gitlab-job.log", rng.choice(["gitlab", "gitlab-ts"]), "gitlab", n, start), {}))
        ws.append((gen_ci_file(rng, host, "ci/jenkins-console.log", "jenkins", "jenkins", n, start), {"gz": "single" if hi % 3 == 2 else None}))
        ws.append((gen_ci_file(rng, host, "ci/build-plain.log", "plain", "cli", n, start), {}))
        for w, opt in ws:
            write_file(root, w, crlf=opt.get("crlf", False), gz=opt.get("gz"), mtime=opt.get("mtime"))
            files.append({"host": host, "file": w.rel, "producer": w.producer, "lines": len(w.lines), "crlf": opt.get("crlf", False), "gzip": opt.get("gz")})
            failures += w.failures
    truth = {
        "seed": seed,
        "readings": [" ".join(r.split()) for r in __doc__.split("Readings of SPEC")[1].split("\n- ")[1:]],
        "files": files,
        "failures": [
            {"host": f.host, "file": f.file, "line": f.lines[0], "line_end": f.lines[-1], "registry": f.registry, "type": f.type, "attempts": f.attempts, "ts": ts_text(f.ts), "shape": f.note, "text": f.text}
            for f in failures
        ],
    }
    groups = collections.defaultdict(lambda: {"count": 0, "attempts": 0})
    for f in failures:
        g = groups[(f.host, f.registry, f.type)]
        g["count"] += 1
        g["attempts"] += f.attempts
    truth["groups"] = [{"host": h, "registry": r, "type": t, **v} for (h, r, t), v in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2]))]
    with open(os.path.join(out, "truth.json"), "w") as fh:
        json.dump(truth, fh, indent=1)
    return truth


# ---------------------------------------------------------------------------------------------
# Comparison


def run_acrscan(binary, out, root):
    db = os.path.join(out, "fleet.db")
    for suffix in ("", "-wal", "-shm", ".lock"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    env = dict(os.environ, TZ="UTC", LC_ALL="C")
    env.pop("ACRSCAN_DB", None)
    subprocess.run([binary, "scan", "--db", db, "--host-from-path", "1", "--progress", "never", "-q", root], check=False, env=env, stdout=subprocess.DEVNULL)
    res = subprocess.run([binary, "export", "--db", db, "--format", "ndjson"], check=True, env=env, capture_output=True, text=True)
    found = [json.loads(l) for l in res.stdout.splitlines() if l.strip()]
    for o in found:
        o["file"] = os.path.relpath(o["source"], os.path.join(root, o["host"]))
    return found


def read_line(root, host, rel, n):
    path = os.path.join(root, host, rel)
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    lines = data.split(b"\n")
    return lines[n - 1].decode("utf-8", "replace").rstrip("\r") if 0 < n <= len(lines) else ""


def same_time(expected, found):
    """Within a second (syslog and short-iso print whole seconds); "null": no time at all."""
    if expected == "null" or found is None:
        return expected == "null" and found is None
    parse = lambda s: dt.datetime.strptime(s[:23], "%Y-%m-%dT%H:%M:%S.%f")
    return abs((parse(expected) - parse(found)).total_seconds()) < 1.0


def compare(truth, found, root):
    exp = truth["failures"]
    by_file = collections.defaultdict(list)
    for i, e in enumerate(exp):
        by_file[(e["host"], e["file"])].append(i)
    matched_e = {}
    matched_f = {}
    # pass 1: found first line inside an expected block; pass 2: overlapping ranges
    for j, o in enumerate(found):
        for i in by_file.get((o["host"], o["file"]), []):
            e = exp[i]
            if i in matched_e:
                continue
            if e["line"] <= o["line"] <= e["line_end"]:
                matched_e[i] = j
                matched_f[j] = i
                break
    for j, o in enumerate(found):
        if j in matched_f:
            continue
        for i in by_file.get((o["host"], o["file"]), []):
            e = exp[i]
            if i in matched_e:
                continue
            if o["line"] <= e["line"] <= o["line_end"]:
                matched_e[i] = j
                matched_f[j] = i
                break
    hits = sum(1 for i, j in matched_e.items() if found[j]["type"] == exp[i]["type"])
    reg_ok = sum(1 for i, j in matched_e.items() if found[j]["registry"] == exp[i]["registry"])
    att_ok = sum(1 for i, j in matched_e.items() if found[j]["attempts"] == exp[i]["attempts"])
    timed = [(i, j) for i, j in matched_e.items() if exp[i].get("ts") is not None]
    ts_bad = [dict(exp[i], found_ts=found[j]["ts"]) for i, j in timed if not same_time(exp[i]["ts"], found[j]["ts"])]
    per = collections.defaultdict(lambda: [0, 0])
    for e in exp:
        per[(e["registry"], e["type"])][0] += 1
    for o in found:
        per[(o["registry"], o["type"])][1] += 1
    return {
        "expected": len(exp),
        "found": len(found),
        "located": len(matched_e),
        "hits": hits,
        "recall": hits / len(exp) if exp else 1.0,
        "precision": hits / len(found) if found else 1.0,
        "registry_accuracy": reg_ok / len(matched_e) if matched_e else 1.0,
        "attempts_accuracy": att_ok / len(matched_e) if matched_e else 1.0,
        "time_checked": len(timed),
        "time_accuracy": (len(timed) - len(ts_bad)) / len(timed) if timed else 1.0,
        "mistimed": ts_bad,
        "groups": [{"registry": r, "type": t, "expected": v[0], "found": v[1]} for (r, t), v in sorted(per.items(), key=lambda kv: (kv[0][0] or "~", kv[0][1]))],
        "missed": [exp[i] for i in range(len(exp)) if i not in matched_e],
        "extra": [dict(found[j], text=read_line(root, found[j]["host"], found[j]["file"], found[j]["line"])) for j in range(len(found)) if j not in matched_f],
        "mistyped": [dict(exp[i], found_type=found[j]["type"]) for i, j in matched_e.items() if found[j]["type"] != exp[i]["type"]],
        "misregistered": [dict(exp[i], found_registry=found[j]["registry"]) for i, j in matched_e.items() if found[j]["registry"] != exp[i]["registry"]],
        "misattempted": [dict(exp[i], found_attempts=found[j]["attempts"]) for i, j in matched_e.items() if found[j]["attempts"] != exp[i]["attempts"]],
    }


def show(res, verbose):
    print(f"expected {res['expected']}  found {res['found']}  located {res['located']}  hits(type ok) {res['hits']}")
    print(f"recall {res['recall']:.3f}  precision {res['precision']:.3f}  registry accuracy {res['registry_accuracy']:.3f}  attempts accuracy {res['attempts_accuracy']:.3f}  time accuracy {res['time_accuracy']:.3f} ({res['time_checked']} checked)")
    print(f"{'registry':<14} {'type':<22} {'expected':>8} {'found':>6}")
    for g in res["groups"]:
        mark = "" if g["expected"] == g["found"] else "  <>"
        print(f"{str(g['registry']):<14} {g['type']:<22} {g['expected']:>8} {g['found']:>6}{mark}")
    lim = None if verbose else 25

    def lst(title, items, fmt):
        if items:
            print(f"\n{title} ({len(items)}):")
            for x in items[:lim]:
                print("  " + fmt(x))

    lst("MISSED", res["missed"], lambda e: f"{e['host']}/{e['file']}:{e['line']} [{e['type']} {e['registry']}] ({e['shape']}) {e['text'][:300]}")
    lst("EXTRA", res["extra"], lambda o: f"{o['host']}/{o['file']}:{o['line']} [{o['type']} {o['registry']}] {o['text'][:300]}")
    lst("WRONG TYPE", res["mistyped"], lambda e: f"{e['host']}/{e['file']}:{e['line']} expected {e['type']} found {e['found_type']} ({e['shape']}) {e['text'][:240]}")
    lst("WRONG REGISTRY", res["misregistered"], lambda e: f"{e['host']}/{e['file']}:{e['line']} expected {e['registry']} found {e['found_registry']} ({e['shape']}) {e['text'][:240]}")
    lst("WRONG ATTEMPTS", res["misattempted"], lambda e: f"{e['host']}/{e['file']}:{e['line']} expected {e['attempts']} found {e['found_attempts']} ({e['shape']})")
    lst("WRONG TIME", res["mistimed"], lambda e: f"{e['host']}/{e['file']}:{e['line']} expected {e['ts']} found {e['found_ts']} ({e['shape']}) {e['text'][:200]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--out", required=True)
    g.add_argument("--hosts", type=int, default=6)
    g.add_argument("--scale", type=int, default=1)
    c = sub.add_parser("check")
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--bin", required=True)
    c.add_argument("--out")
    c.add_argument("--hosts", type=int, default=6)
    c.add_argument("--scale", type=int, default=1)
    c.add_argument("--json", action="store_true")
    c.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    if a.cmd == "gen":
        t = generate(a.seed, a.out, a.hosts, a.scale)
        print(f"{len(t['failures'])} failures in {len(t['files'])} files under {os.path.join(a.out, 'fleet')}", file=sys.stderr)
        return 0
    out = a.out or tempfile.mkdtemp(prefix="acrscan-fleet-")
    os.makedirs(out, exist_ok=True)
    truth = generate(a.seed, out, a.hosts, a.scale)
    root = os.path.join(out, "fleet")
    found = run_acrscan(os.path.abspath(a.bin), out, root)
    res = compare(truth, found, root)
    if a.json:
        json.dump({k: v for k, v in res.items()}, sys.stdout, indent=1)
        print()
    else:
        print(f"seed {a.seed}: {out}")
        show(res, a.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
