#!/usr/bin/env python3
"""A third synthetic fleet: seeded logs of many hosts with a truth file, and a scorer of acrscan against it.

Written from /work/shared/SPEC.md (sections 2 and 3) and /work/shared/FIELD-NOTES.md alone, without
reading acrscan's rules or the other two oracles' generators (only their command line and scoring
were copied), to sample the space of shapes differently from them.

    python3 scripts/fleet-oracle3.py gen --seed 1 --out /tmp/f3
    python3 scripts/fleet-oracle3.py check --seed 1 --bin .build/release/acrscan [--json] [--verbose]

What it varies: every producer of SPEC section 2 with its own prefix and timestamp form (dockerd
logrus text and its short `ERRO[0001]` form, containerd, kubelet klog alone and under syslog and
journald, `kubectl describe` and `kubectl get events`, Docker's json-file, journald JSON,
`journalctl -o short-iso`, RFC 3164 and RFC 5424 syslog, terminal sessions of docker / podman / helm /
oras / az / bicep, GitHub Actions with ANSI-coloured `Run` blocks, Azure Pipelines, GitLab with and
without its timestamp prefix, Jenkins timestamper, ACR Tasks, App Service in both of its date forms,
and the server side's ContainerRegistryLoginEvents exported as JSON and as CSV); several versions'
wording of each message; registries as login servers in every case and cloud, `:443`, data
endpoints, `oci://`, `br:`, ARM scopes, `-n`/`--name`/`--registry`, `\\u0027`-escaped, masked and
placeholder names; multi-line az cascades, check-health blocks, klog `err=<` blocks and hard-wrapped
pastes; retries that print the identical line again within the same second; echoes (`##[error]`
annotations, kubelet's second logger, `Back-off pulling image`); look-alikes (other registries, a
company Harbor, ECR, docs prose, success lines, debug-trace challenges, an application's own 401,
throttling, DNS, TLS, a 504 cascade, counted-nowhere check-health codes); CRLF files, gzip (one and
several members) and zstd rotations.

Readings of the SPEC this oracle had to make (R1-R12):
R1  A multi-line failure (az cascade, check-health block, klog err=< block, a hard-wrapped paste, a
    docker error followed by its raw JSON body) is one occurrence spanning its lines; a finding
    anywhere inside the span matches it.
R2  Echoes do not count: a `##[error]` line repeating the tool's line, kubelet's `Error syncing pod`
    line after `PullImage ... failed`, and `Back-off pulling image` lines. A finding on an echo line is
    scored as a duplicate of its failure (it lowers precision), not as a miss.
R3  A retry loop printing the identical line again (even within the same second) is a new occurrence.
R4  A `Failed to pull image` line holding two `rpc error`s is one occurrence; its type (oauth 401 beside
    an anonymous 401 or a NotFound) and its attempts are not scored (the SPEC does not settle them).
R5  An `az login --service-principal` failure (AADSTS... after `az login`) is Azure's sign-in failing
    before any registry is touched: not an ACR occurrence (a look-alike), though the same AADSTS inside
    a registry's answer (`unauthorized: AADSTS7000215 ...`) or a cascade of `az acr login` is. Likewise
    an Azure SDK credential chain (`DefaultAzureCredential failed to acquire a token`) counts only
    where its event names the ACR host it wanted a token for (`failed to get token for
    "https://X.azurecr.io"`, a `br:X.azurecr.io` reference): after `notation sign X.azurecr.io/...` it
    is the Key Vault plugin's and not counted. (First draft: counted, registry not scored; changed
    after reading acrscan's counting-rules.md, which takes the same view, and agreeing with it.)
R6  Zone-less timestamps (syslog, App Service, ACR Tasks, the CLI's embedded local time, GitLab-less
    sessions) are UTC on these hosts (every host runs in UTC); klog's and RFC 3164's missing year is
    the file's modification time's year. Lines with no timestamp of their own take the last one
    seen earlier in the file; a file with none gives NULL. `kubectl describe` and `ERRO[0001]` forms
    carry only relative times: their time is not scored when nothing earlier in the file has one.
R7  A masked or placeholder registry (`***`, `<redacted>`, `[REDACTED]`, `****`, `xxx`, `<acr-name>`,
    `{registryname}`) is NULL and the failure still counts; a masked host with ACR's aka.ms link is
    ACR, and so is a masked host in a CI log after `az acr login` / `docker login` of a masked name.
R8  Type precedence inside one failure: a cause in the body (AADSTS, "Application not registered",
    invalid client id or secret, "Please run 'az login'", `DefaultAzureCredential` /
    `ManagedIdentityCredential`) is aad-credential whatever the status; CONNECTIVITY_*_TOKEN_ERROR
    with 401/403, "could not be found in subscription", AuthorizationFailed on listCredentials and
    CONNECTIVITY_AAD_LOGIN_ERROR are identity-permission; "client with IP ... is not allowed" and
    CONNECTIVITY_FORBIDDEN_ERROR are ip-not-allowed; `anonymous token` 401 is anonymous-pull; an
    `oauth token` 401, `unauthorized: authentication required`, podman's "invalid username/password",
    a bicep 401 and ACR Tasks' "failed to login, ran out of retries" with a 401 are unauthorized;
    `denied: requested access...`, `insufficient_scope`, "unauthorized to access repository" and a
    bare 403 Forbidden at an ACR host are access-denied.
R9  `kubectl get events` / `describe` rows with `(xN over M)` carry attempts N; every other line 1.
R10 Server side: a ContainerRegistryLoginEvents row (JSON or CSV export) whose ResultType is 401 is one
    unauthorized occurrence of its LoginServer at its TimeGenerated; a 403 row is an occurrence whose
    type is not scored; 200 rows are not failures.
R11 A registry named in the failing line wins over the command before it; a data endpoint
    (`NAME.REGION.data.azurecr.io`) maps to NAME; `.azurecr.cn` / `.azurecr.us` the same; the name is
    lowercased.
R13 dockerd's `Attempting next endpoint for pull after error: unauthorized: authentication required`
    names no host and no ACR link: ACR only by "whatever registry the log used before" (SPEC 3). It is
    optional: a finding there is neither a true positive nor an extra, and not finding it is no miss.
R12 Look-alikes never count: a failure at any non-ACR host in the same log as ACR commands, docs prose
    quoting an error in backticks or quotes after words like "if you see", success lines, a 401 on
    `GET /v2/` at debug level, `toomanyrequests`, `manifest unknown`, `no such host`, `x509`, a 504
    cascade, check-health codes the FIELD-NOTES table does not count, an app's own 401.
"""

import argparse
import collections
import datetime as dt
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

UTC = dt.timezone.utc

NAMES = ["contosoprod", "fabrikamci", "northwindacr", "MyAcr01", "tailspinreg", "wingtipdev", "adventureworks",
         "litwareimages", "proseware", "woodgrovebank", "relecloud", "alpineski"]
MASKS = ["***", "***0***", "<redacted>", "[REDACTED]", "****", "xxx", "<acr-name>", "{registryname}"]
OTHER_HOSTS = ["ghcr.io", "docker.io", "quay.io", "gcr.io", "mcr.microsoft.com", "harbor.contoso.com",
               "artifactory.fabrikam.net", "nexus.northwind.internal:8443",
               "123456789012.dkr.ecr.us-east-1.amazonaws.com", "registry.gitlab.com"]
REPOS = ["api", "web/frontend", "jobs/etl", "samples/hello-world", "platform/gateway", "ml/trainer", "helm/mychart"]


class Reg:
    """A registry reference: `name` is the truth (None when masked), `server` the text as printed."""

    def __init__(self, name, server, bare):
        self.name = name
        self.server = server
        self.bare = bare


def pick_reg(rng, masked=0.12):
    if rng.random() < masked:
        m = rng.choice(MASKS)
        if m in ("***", "<redacted>", "[REDACTED]") and rng.random() < 0.5:
            return Reg(None, m, m)
        return Reg(None, m + ".azurecr.io", m)
    n = rng.choice(NAMES)
    r = rng.random()
    if r < 0.08:
        server = n + ".azurecr.cn"
    elif r < 0.14:
        server = n + ".azurecr.us"
    elif r < 0.2:
        server = n + ".azurecr.io:443"
    elif r < 0.25:
        server = n.upper() + ".AzureCR.io"
    else:
        server = n + ".azurecr.io"
    return Reg(n.lower(), server, n)


def data_host(rng, reg):
    if reg.name is None or ":" in reg.server:
        return reg.server
    return reg.bare + "." + rng.choice(["eastus", "westeurope", "southeastasia"]) + ".data." + reg.server.split(".", 1)[1]


def guid(rng):
    h = "%032x" % rng.getrandbits(128)
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def ip(rng):
    return "%d.%d.%d.%d" % (rng.choice([20, 40, 52, 104, 203]), rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))


def tag(rng):
    return rng.choice(["latest", "v1", "1.4.2", "2026.11.%d" % rng.randrange(1, 30), "sha-%07x" % rng.getrandbits(28)])


def img(rng, reg, repo=None):
    return "%s/%s:%s" % (reg.server, repo or rng.choice(REPOS), tag(rng))


def jesc(s):
    """JSON string body escaping (no surrounding quotes)."""
    return json.dumps(s)[1:-1]


def gq(s):
    """Go %q-style quoting inside a logrus or klog value: backslash and double quote escaped."""
    return s.replace("\\", "\\\\").replace('"', '\\"')


class Ev:
    """One failure. pre: context lines (commands) before it; body: its lines; echo: lines that re-report it."""

    def __init__(self, body, type_, reg, attempts=1, pre=(), echo=(), loose=(), retry=0, ts_loose=False):
        self.body = list(body)
        self.type = type_
        self.registry = reg.name if isinstance(reg, Reg) else (None if reg == "?" else reg)
        self.attempts = attempts
        self.pre = list(pre)
        self.echo = list(echo)
        self.loose = list(loose)
        self.retry = retry
        self.ts_loose = ts_loose


class Look:
    """Lines that must not count."""

    def __init__(self, lines, pre=()):
        self.lines = list(lines)
        self.pre = list(pre)


# ------------------------------------------------------------------ CLI-side failures (what a terminal or CI step prints)

def login_cmd(rng, reg):
    """A command that names the registry, as run before the failure."""
    c = rng.randrange(9)
    if c == 0:
        return "az acr login -n %s" % reg.bare
    if c == 1:
        return "az acr login --name %s" % reg.bare
    if c == 2:
        return "docker login %s -u %s -p %s" % (reg.server, guid(rng), "S3cr3t~" + "%08x" % rng.getrandbits(32))
    if c == 3:
        return "echo $ACR_PASSWORD | docker login %s --username %s --password-stdin" % (reg.server, guid(rng))
    if c == 4:
        return "docker push %s" % img(rng, reg)
    if c == 5:
        return "helm registry login %s --username %s --password-stdin" % (reg.server, guid(rng))
    if c == 6:
        return "az acr build --registry %s --image %s ." % (reg.bare, "app:" + tag(rng))
    if c == 7:
        return "podman login %s" % reg.server
    return "oras login %s -u %s" % (reg.server, guid(rng))


def cli_unauthorized(rng, reg):
    host = reg.server
    c = rng.randrange(12)
    if c == 0:
        return Ev(["Error response from daemon: Get https://%s/v2/: unauthorized: authentication required" % host],
                  "unauthorized", reg, pre=[login_cmd(rng, reg)])
    if c == 1:
        body = ['Error response from daemon: Get "https://%s/v2/": unauthorized: authentication required' % host]
        if rng.random() < 0.6:
            body.append('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required, visit https://aka.ms/acr/authorization for more information.","detail":null}]}')
        return Ev(body, "unauthorized", reg, pre=[login_cmd(rng, reg)])
    if c == 2:
        im = img(rng, reg)
        return Ev(["unauthorized: authentication required"], "unauthorized", reg,
                  pre=["docker push " + im, "The push refers to repository [%s]" % im.rsplit(":", 1)[0],
                       "%012x: Preparing" % rng.getrandbits(48), "%012x: Waiting" % rng.getrandbits(48)])
    if c == 3:
        return Ev(['Error: logging into "%s": invalid username/password' % host.split(":")[0]], "unauthorized", reg,
                  pre=["podman login %s -u %s" % (host, guid(rng))])
    if c == 4:
        chart = "oci://%s/helm" % host
        return Ev(["Error: failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"],
                  "unauthorized", reg, pre=["helm push mychart-0.%d.0.tgz %s" % (rng.randrange(9), chart)])
    if c == 5:
        return Ev(["Error: pull access denied, repository does not exist or may require authorization: server message: "
                   "insufficient_scope: authorization failed"], "access-denied", reg,
                  pre=["helm pull oci://%s/helm/mychart --version 0.%d.0" % (host, rng.randrange(9))])
    if c == 6:
        return Ev(['Error response from registry: failed to resolve %s: GET "https://%s/v2/%s/manifests/%s": '
                   'response status code 401: unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.'
                   % (tag(rng), host, rng.choice(REPOS), tag(rng))], "unauthorized", reg,
                  pre=["oras pull %s" % img(rng, reg)])
    if c == 7:
        ref = "br:%s/bicep/modules/storage:v%d" % (host, rng.randrange(1, 5))
        return Ev(['main.bicep(3,8) : Error BCP192: Unable to restore the artifact with reference "%s": Service request failed.' % ref,
                   "Status: 401 (Unauthorized)"], "unauthorized", reg, pre=["az bicep build --file main.bicep"])
    if c == 8:
        return Ev(["Error: Error response from daemon: Get \"https://%s/v2/\": unauthorized: authentication required" % host],
                  "unauthorized", reg, pre=[login_cmd(rng, reg)])
    if c == 9:
        return Ev(["failed to login, ran out of retries: failed to set docker credentials: Error response from daemon: "
                   "Get \"https://%s/v2/\": unauthorized: authentication required" % host], "unauthorized", reg)
    if c == 10:
        return Ev(["ERRO[0003] Error: error pushing image: unexpected status from PUT request to https://%s/v2/%s/manifests/%s: 401 UNAUTHORIZED"
                   % (host, rng.choice(REPOS), tag(rng))], "unauthorized", reg, pre=["crane push image.tar " + img(rng, reg)])
    return Ev(["Error response from daemon: login attempt to https://%s/v2/ failed with status: 401 Unauthorized" % host],
              "unauthorized", reg, pre=[login_cmd(rng, reg)])


def cli_access_denied(rng, reg):
    host = reg.server
    c = rng.randrange(5)
    im = img(rng, reg)
    if c == 0:
        return Ev(["denied: requested access to the resource is denied"], "access-denied", reg,
                  pre=["docker push " + im, "The push refers to repository [%s]" % im.rsplit(":", 1)[0]])
    if c == 1:
        return Ev(["Error response from daemon: pull access denied for %s, repository does not exist or may require "
                   "'docker login': denied: requested access to the resource is denied" % im.rsplit(":", 1)[0]],
                  "access-denied", reg, pre=["docker pull " + im])
    if c == 2:
        return Ev(["unauthorized: unauthorized to access repository: %s, action: push" % rng.choice(REPOS)],
                  "access-denied", reg, pre=["docker push " + im])
    if c == 3:
        return Ev(["Error: failed commit on ref \"manifest-sha256:%064x\": unexpected status from PUT request to "
                   "https://%s/v2/%s/manifests/%s: 403 Forbidden" % (rng.getrandbits(256), host, rng.choice(REPOS), tag(rng))],
                  "access-denied", reg, pre=["docker buildx build --push -t %s ." % im])
    return Ev(["Error response from daemon: denied: insufficient_scope: authorization failed"], "access-denied", reg,
              pre=["docker pull " + im])


def cli_ip(rng, reg):
    a = ip(rng)
    c = rng.randrange(3)
    if c == 0:
        return Ev(['Error response from daemon: Get "https://%s/v2/": denied: client with IP \'%s\' is not allowed access. '
                   'Refer https://aka.ms/acr/firewall to grant access.' % (reg.server, a)], "ip-not-allowed", reg,
                  pre=[login_cmd(rng, reg)])
    if c == 1:
        return Ev(["denied: client with IP '%s' is not allowed access. Refer https://aka.ms/acr/firewall to grant access." % a],
                  "ip-not-allowed", reg, pre=["docker push " + img(rng, reg)])
    return Ev(["An error occurred: CONNECTIVITY_FORBIDDEN_ERROR",
               "Looks like you don't have access to registry '%s'. Are firewalls and virtual networks enabled?" % reg.server,
               "", "Please refer to https://aka.ms/acr/errors#connectivity_forbidden_error for more information."],
              "ip-not-allowed", reg, pre=["az acr check-health -n %s --yes" % reg.bare])


def az_prefix(rng, t, level="ERROR"):
    """The Azure CLI's message prefix, old (none), `ERROR: `, or new with its local timestamp."""
    c = rng.randrange(3)
    if c == 0:
        return ""
    if c == 1:
        return level + ": "
    return "%s: %s " % (level, t.strftime("%Y-%m-%d %H:%M:%S.%f"))


def cli_az(rng, reg, t, cloudshell=True):
    """az acr login / check-health cascades, several CLI versions' wordings."""
    p = az_prefix(rng, t)
    code = rng.choice([401, 403])
    aec = "An error occurred: " if rng.random() < 0.5 else ""
    token = rng.choice(["refresh", "access"])
    c = rng.randrange(9 if cloudshell else 8)
    pre = [rng.choice(["az acr login -n %s", "az acr login --name %s", "az acr login --name %s --subscription prod"]) % reg.bare]
    if c == 0:
        body = [p + "Unable to get AAD authorization tokens with message: %sCONNECTIVITY_%s_TOKEN_ERROR" % (aec, token.upper()),
                "Access to registry '%s' was denied. Response code: %d. Please try running 'az login' again to refresh permissions." % (reg.server, code)]
        if rng.random() < 0.7:
            body.append("Unable to get admin user credentials with message: The resource with name '%s' and type "
                        "'Microsoft.ContainerRegistry/registries' could not be found in subscription 'Production (%s)'." % (reg.bare, guid(rng)))
        if rng.random() < 0.7:
            body.append("Unable to authenticate using AAD or admin login credentials. Please specify both username and password in non-interactive mode.")
        return Ev(body, "identity-permission", reg, pre=pre)
    if c == 1:
        body = [p + "An error occurred: CONNECTIVITY_%s_TOKEN_ERROR" % token.upper(),
                "Access to registry '%s' was denied. Response code: %d. Please try running 'az login' again to refresh permissions." % (reg.server, code),
                "", "Please refer to https://aka.ms/acr/errors#connectivity_%s_token_error for more information." % token]
        return Ev(body, "identity-permission", reg, pre=["az acr check-health -n %s --yes" % reg.bare])
    if c == 2:
        return Ev([p + "The resource with name '%s' and type 'Microsoft.ContainerRegistry/registries' could not be found in "
                   "subscription 'Dev/Test (%s)'." % (reg.bare, guid(rng))], "identity-permission", reg, pre=pre)
    if c == 3:
        scope = "/subscriptions/%s/resourceGroups/rg-%s/providers/Microsoft.ContainerRegistry/registries/%s" % (guid(rng), rng.choice(["ci", "prod"]), reg.bare)
        return Ev([p + "(AuthorizationFailed) The client '%s' with object id '%s' does not have authorization to perform action "
                   "'Microsoft.ContainerRegistry/registries/listCredentials/action' over scope '%s' or the scope is invalid. "
                   "If access was recently granted, please refresh your credentials." % (guid(rng), guid(rng), scope),
                   "Code: AuthorizationFailed"], "identity-permission", reg.name,
                  pre=["az acr credential show --name %s" % reg.bare])
    if c == 4:
        body = [p + "Unable to get AAD authorization tokens with message: Please run 'az login' to setup account.",
                "Unable to get admin user credentials with message: Please run 'az login' to setup account."]
        return Ev(body, "aad-credential", reg, pre=pre)
    if c == 5:
        return Ev([p + "An error occurred: CONNECTIVITY_AAD_LOGIN_ERROR",
                   "Registry '%s' does not support AAD login." % reg.server, "",
                   "Please refer to https://aka.ms/acr/errors#connectivity_aad_login_error for more information."],
                  "identity-permission", reg, pre=["az acr check-health -n %s --yes" % reg.bare])
    if c == 6:
        code = rng.choice(["DOCKER_COMMAND_ERROR", "DOCKER_DAEMON_ERROR"])
        msg = ("Please verify if Docker client is installed and running." if code == "DOCKER_COMMAND_ERROR"
               else "Please verify if Docker daemon is running, or try restarting it.")
        if rng.random() < 0.5:
            return Ev([p + "An error occurred: " + code, msg], "docker-command-error", reg, pre=pre)
        return Ev([p + msg], "docker-command-error", reg, pre=pre)
    if c == 7:
        return Ev([p + "Unable to get AAD authorization tokens with message: An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR",
                   "Access to registry '%s' was denied. Response code: 401. Please try running 'az login' again to refresh permissions." % reg.server,
                   "Unable to get admin user credentials with message: Admin user is disabled.",
                   "Unable to authenticate using AAD or admin login credentials. Please specify both username and password in non-interactive mode."],
                  "identity-permission", reg, pre=pre)
    return Ev([p + "This command requires running the docker daemon, which is not supported in Azure Cloud Shell. You may want to "
               "use 'az acr login -n %s --expose-token' to get an access token, which does not require Docker to be installed." % reg.bare],
              "cloud-shell-no-daemon", reg, pre=pre)


def cli_aad(rng, reg, t):
    """An aad-credential failure, or (R5) an Azure sign-in's that is no registry's (a Look)."""
    p = az_prefix(rng, t)
    app = guid(rng)
    c = rng.randrange(8)
    if c <= 2 and rng.random() < 0.6:
        # R5: `az login` failing is Azure's sign-in, before any registry is touched.
        return cli_aad(rng, reg, t)
    if c == 0:
        return Look([p + "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret "
                   "value, not the client secret ID, for a secret added to app '%s'. Trace ID: %s Correlation ID: %s Timestamp: %s"
                     % (app, guid(rng), guid(rng), t.strftime("%Y-%m-%d %H:%M:%SZ"))],
                    pre=["az login --service-principal -u %s -p *** --tenant %s" % (app, guid(rng))])
    if c == 1:
        return Look([p + "AADSTS700016: Application with identifier '%s' was not found in the directory 'Contoso'. This can happen if the "
                     "application has not been installed by the administrator of the tenant or consented to by any user in the tenant." % app],
                    pre=["az login --service-principal --username %s --password *** --tenant contoso.onmicrosoft.com" % app])
    if c == 2:
        return Look([p + "AADSTS7000222: The provided client secret keys for app '%s' are expired. Visit the Azure portal to create new keys "
                     "for your app: https://aka.ms/NewClientSecret" % app],
                    pre=["az login --service-principal -u %s -p *** --tenant %s" % (app, guid(rng))])
    if c == 3:
        return Ev(['Error response from daemon: Get "https://%s/v2/": unauthorized: Application not registered with AAD.' % reg.server],
                  "aad-credential", reg, pre=[login_cmd(rng, reg)])
    if c == 4:
        return Ev(['Error response from daemon: Get "https://%s/v2/": unauthorized: Invalid clientid or client secret.' % reg.server],
                  "aad-credential", reg, pre=["docker login %s -u %s -p ****" % (reg.server, app)])
    if c == 5:
        chain = ["Attempted credentials:",
                 "\tEnvironmentCredential authentication unavailable. Environment variables are not fully configured.",
                 "\tManagedIdentityCredential authentication unavailable. No identity has been assigned to this resource."]
        if rng.random() < 0.5:
            # R5: a credential chain naming no host is any Azure SDK's (notation's Key Vault plugin here).
            return Look(["Error: DefaultAzureCredential failed to acquire a token."] + chain, pre=["notation sign %s" % img(rng, reg)])
        return Ev(['Error: failed to get token for "https://%s": DefaultAzureCredential failed to acquire a token.' % reg.server] + chain,
                  "aad-credential", reg, pre=["oras push %s artifact.json" % img(rng, reg)])
    if c == 6:
        ref = "br:%s/bicep/modules/network:v2" % reg.server
        return Ev(['main.bicep(1,7) : Error BCP192: Unable to restore the artifact with reference "%s": '
                   "ManagedIdentityCredential authentication unavailable. No identity has been assigned to this resource." % ref],
                  "aad-credential", reg, pre=["az bicep restore --file main.bicep"])
    return Ev(['Error response from daemon: Get "https://%s/v2/": unauthorized: %s' % (
        reg.server, rng.choice(["AADSTS7000215: Invalid client secret provided.",
                                "AADSTS700016: Application with identifier '%s' was not found in the directory." % app]))],
              "aad-credential", reg, pre=[login_cmd(rng, reg)])


def cli_event(rng, t, masked=0.12, cloudshell=True):
    reg = pick_reg(rng, masked)
    k = rng.random()
    if k < 0.32:
        e = cli_unauthorized(rng, reg)
    elif k < 0.45:
        e = cli_access_denied(rng, reg)
    elif k < 0.53:
        e = cli_ip(rng, reg)
    elif k < 0.8:
        e = cli_az(rng, reg, t, cloudshell)
    else:
        e = cli_aad(rng, reg, t)
    if isinstance(e, Look):
        return e
    if rng.random() < 0.12:
        e.retry = rng.randrange(1, 3)
    return e


def cli_lookalike(rng, t):
    reg = pick_reg(rng, 0)
    other = rng.choice(OTHER_HOSTS)
    c = rng.randrange(16)
    if c == 0:
        return Look(["denied: requested access to the resource is denied"],
                    pre=["docker push %s/app:%s" % ("contoso", tag(rng)), "The push refers to repository [docker.io/contoso/app]"])
    if c == 1:
        return Look(['Error response from daemon: Get "https://%s/v2/": unauthorized: authentication required' % other],
                    pre=["docker login %s -u ci" % other])
    if c == 2:
        return Look(["unauthorized: authentication required"], pre=["docker push %s/team/app:%s" % (other, tag(rng)),
                                                                    "The push refers to repository [%s/team/app]" % other])
    if c == 3:
        return Look(["Login Succeeded"], pre=[login_cmd(rng, reg)])
    if c == 4:
        return Look(["If you see `unauthorized: authentication required`, run `az acr login -n <registry>` first; "
                     "a `denied: requested access to the resource is denied` means the identity lacks AcrPush."])
    if c == 5:
        return Look(["curl: (22) The requested URL returned error: 401 Unauthorized"],
                    pre=["curl -fsS https://api.%s/v1/orders" % rng.choice(["contoso.com", "fabrikam.internal"])])
    if c == 6:
        return Look(["Error response from daemon: manifest for %s not found: manifest unknown: manifest tagged by \"%s\" is not found"
                     % (img(rng, reg), tag(rng))], pre=["docker pull " + img(rng, reg)])
    if c == 7:
        return Look(["toomanyrequests: too many requests, please retry after some time. visit https://aka.ms/acr/tooManyRequests for more information."],
                    pre=["docker pull " + img(rng, reg)])
    if c == 8:
        return Look(['Error response from daemon: Get "https://%s/v2/": dial tcp: lookup %s on 127.0.0.53:53: no such host'
                     % (reg.server, reg.server.split(":")[0])], pre=[login_cmd(rng, reg)])
    if c == 9:
        return Look(['Error response from daemon: Get "https://%s/v2/": x509: certificate signed by unknown authority' % reg.server])
    if c == 10:
        return Look([az_prefix(rng, t) + "Unable to get AAD authorization tokens with message: An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR",
                     "Access to registry '%s' was denied. Response code: 504. Please try running 'az login' again to refresh permissions." % reg.server],
                    pre=["az acr login -n " + reg.bare])
    if c == 11:
        code, msg = rng.choice([("DOCKER_PULL_ERROR", "An error occurred while pulling a sample image."),
                                ("CONNECTIVITY_DNS_ERROR", "Failed to reach DNS for registry '%s'." % reg.server),
                                ("HELM_COMMAND_ERROR", "Please verify if Helm is installed and running."),
                                ("CONNECTIVITY_SSL_ERROR", "Unable to establish a secure connection to the registry '%s'." % reg.server)])
        return Look(["An error occurred: " + code, msg, "", "Please refer to https://aka.ms/acr/errors#%s for more information." % code.lower()],
                    pre=["az acr check-health -n %s --yes" % reg.bare])
    if c == 12:
        return Look(['Error: failed to authorize: failed to fetch oauth token: unexpected status from POST request to '
                     'https://%s/oauth2/token: 401 Unauthorized' % other], pre=["helm push chart.tgz oci://%s/charts" % other])
    if c == 13:
        return Look(["Error response from daemon: pull access denied for %s, repository does not exist or may require 'docker login': "
                     "denied: requested access to the resource is denied" % rng.choice(["myorg/app", "library/privateimage", "contoso/api"])],
                    pre=["docker pull %s:%s" % (rng.choice(["myorg/app", "contoso/api"]), tag(rng))])
    if c == 14:
        return Look(['level=debug msg="do request" host=%s request.method=GET request.url="https://%s/v2/" response.status="401 Unauthorized"'
                     % (reg.server, reg.server)])
    return Look(["ERROR: 401 Client Error: Unauthorized for url: https://%s/api/v2/deployments" % rng.choice(["deploy.contoso.com", "argocd.internal"])])


# ------------------------------------------------------------------ daemon-side failures (dockerd, containerd, kubelet)

def pull_cause(rng, reg, im, kind):
    host = reg.server
    repo = im.split("/", 1)[1].rsplit(":", 1)[0]
    svc = host.split(":")[0]
    if kind == "anon":
        if rng.random() < 0.5:
            return "failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"
        return ("failed to authorize: failed to fetch anonymous token: unexpected status from GET request to "
                "https://%s/oauth2/token?scope=repository%%3A%s%%3Apull&service=%s: 401 Unauthorized" % (host, repo.replace("/", "%2F"), svc))
    if kind == "oauth":
        if rng.random() < 0.5:
            return "failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"
        return ("failed to authorize: failed to fetch oauth token: unexpected status from POST request to "
                "https://%s/oauth2/token: 401 Unauthorized" % host)
    if kind == "forbidden":
        return "unexpected status code https://%s/v2/%s/manifests/%s: 403 Forbidden" % (data_host(rng, reg), repo, tag(rng))
    if kind == "ip":
        return ("unexpected status from HEAD request to https://%s/v2/%s/manifests/%s: 403 Forbidden: client with IP '%s' is not "
                "allowed access. Refer https://aka.ms/acr/firewall to grant access." % (host, repo, im.rsplit(":", 1)[1], ip(rng)))
    return "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"


KIND_TYPE = {"anon": "anonymous-pull", "oauth": "unauthorized", "forbidden": "access-denied", "ip": "ip-not-allowed",
             "scope": "access-denied"}


def pick_kind(rng):
    return rng.choices(["anon", "oauth", "forbidden", "ip", "scope"], [5, 4, 1.5, 1.5, 1])[0]


def rpc(im, cause):
    return 'rpc error: code = Unknown desc = failed to pull and unpack image "%s": failed to resolve reference "%s": %s' % (im, im, cause)


def kubelet_event(rng, masked=0.05):
    """Messages of kubelet's klog lines (without the klog prefix): ([(level, file, msg)], type, reg, echo msgs)."""
    reg = pick_reg(rng, masked)
    im = img(rng, reg)
    kind = pick_kind(rng)
    err = rpc(im, pull_cause(rng, reg, im, kind))
    pod = "%s/%s-%x" % (rng.choice(["default", "prod", "jobs"]), rng.choice(["api", "web", "worker"]), rng.getrandbits(24))
    c = rng.randrange(3)
    if c == 0:
        body = [('remote_image.go:180', '"PullImage from image service failed" err="%s" image="%s"' % (gq(err), im))]
    elif c == 1:
        body = [('kuberuntime_image.go:55', '"Failed to pull image" err=<', ["\t" + err, " > image=\"%s\"" % im])]
    else:
        body = [('remote_image.go:238', 'PullImage "%s" from image service failed: %s' % (im, err))]
    echo = []
    if rng.random() < 0.6:
        echo.append(('pod_workers.go:1298', '"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with ErrImagePull: \\"%s\\"" pod="%s"'
                     % (gq(gq(err)), pod)))
    if rng.random() < 0.5:
        echo.append(('pod_workers.go:1298', '"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with ImagePullBackOff: \\"Back-off pulling image \\\\\\"%s\\\\\\"\\"" pod="%s"'
                     % (im, pod)))
    return body, KIND_TYPE[kind], reg, echo


def daemon_msg(rng, masked=0.05):
    """A dockerd / containerd failure as the (msg, extra-fields) of a logrus line: (fields, type, reg)."""
    reg = pick_reg(rng, masked)
    im = img(rng, reg)
    c = rng.randrange(6)
    if c == 0:
        kind = pick_kind(rng)
        return [("msg", 'PullImage "%s" failed' % im), ("error", 'failed to pull and unpack image "%s": failed to resolve reference "%s": %s'
                                                        % (im, im, pull_cause(rng, reg, im, kind)))], KIND_TYPE[kind], reg
    if c == 1:
        return [("msg", 'Handler for POST /v1.43/images/create returned error: Get "https://%s/v2/%s/manifests/%s": unauthorized: authentication required'
                 % (reg.server, rng.choice(REPOS), tag(rng)))], "unauthorized", reg
    if c == 2:
        return [("msg", "Handler for POST /v1.41/images/create returned error: Get https://%s/v2/%s/manifests/%s: unauthorized: "
                 "authentication required, visit https://aka.ms/acr/authorization for more information." % (reg.server, rng.choice(REPOS), tag(rng)))], "unauthorized", reg
    if c == 3:
        return [("msg", "Error getting v2 registry: Get \"https://%s/v2/\": denied: client with IP '%s' is not allowed access. "
                 "Refer https://aka.ms/acr/firewall to grant access." % (reg.server, ip(rng)))], "ip-not-allowed", reg
    if c == 4:
        # dockerd names no host here and links no ACR page: nothing ties it to ACR (a look-alike, R12).
        return daemon_msg(rng, masked)
    return [("msg", 'trying next host - response was http.StatusUnauthorized'), ("host", reg.server.split(":")[0]),
            ("error", 'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed')], "access-denied", reg


def daemon_lookalike(rng):
    reg = pick_reg(rng, 0)
    other = rng.choice(OTHER_HOSTS)
    c = rng.randrange(8)
    if c == 0:
        return [("msg", 'Handler for POST /v1.43/images/create returned error: Get "https://%s/v2/team/app/manifests/latest": unauthorized: authentication required' % other)]
    if c == 1:
        ref = other + "/app:1"
        return [("msg", 'PullImage "%s" failed' % ref), ("error", 'failed to pull and unpack image "%s": failed to resolve reference "%s": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized' % (ref, ref))]
    if c == 2:
        return [("msg", 'Pulled image "%s" with image id "sha256:%064x"' % (img(rng, reg), rng.getrandbits(256)))]
    if c == 3:
        return [("msg", "Not continuing with pull after error: manifest unknown: manifest tagged by \"%s\" is not found" % tag(rng))]
    if c == 4:
        return [("msg", 'Error getting v2 registry: Get "https://%s/v2/": net/http: TLS handshake timeout' % reg.server)]
    if c == 5:
        return [("level", "debug"), ("msg", "GET https://%s/v2/ returned 401 Unauthorized, requesting token" % reg.server)]
    if c == 6:
        return [("msg", "Attempting next endpoint for pull after error: unauthorized: authentication required")]
    return [("msg", "toomanyrequests: too many requests, visit https://aka.ms/acr/tooManyRequests for more information.")]


def logrus(fields, t, level="error", tz="Z", digits=9):
    ts = iso(t, digits, tz)
    out = 'time="%s" level=%s' % (ts, level)
    for k, v in fields:
        out += ' %s="%s"' % (k, gq(v))
    return out


def iso(t, digits=6, tz="Z"):
    if tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        hh, mm = int(tz[1:3]), int(tz[-2:])
        t = t + sign * dt.timedelta(hours=hh, minutes=mm)
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    if digits:
        frac = "%06d" % t.microsecond
        s += "." + (frac + "000")[:digits]
    return s + tz


# ------------------------------------------------------------------ files

class Clock:
    def __init__(self, rng):
        self.rng = rng
        self.t = dt.datetime(2026, 11, rng.randrange(2, 25), rng.randrange(24), rng.randrange(60), rng.randrange(60),
                             rng.randrange(1000000), tzinfo=UTC)

    def step(self, lo=1, hi=300):
        self.t += dt.timedelta(seconds=self.rng.randrange(lo, hi), microseconds=self.rng.randrange(1000000))
        return self.t


class Log:
    def __init__(self, rel, producer):
        self.rel = rel
        self.producer = producer
        self.lines = []
        self.fails = []
        self.crlf = False
        self.comp = None
        self.last_ts = None  # the last timestamp printed, as the scanner would carry it
        self.end = None

    def add(self, text, ts=None):
        """Appends one physical line; ts is the timestamp this line carries (None when it has none)."""
        if ts is not None:
            self.last_ts = ts
        self.lines.append(text)
        return len(self.lines)

    def cur_ts(self):
        return self.last_ts


def ts_str(t):
    return None if t is None else t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"


def record(log, ev, first, last, ts, echo=()):
    log.fails.append({"optional": False, "line": first, "line_end": last, "type": ev.type, "registry": ev.registry, "attempts": ev.attempts,
                      "ts": "?" if ev.ts_loose else ts_str(ts), "echo": list(echo), "loose": list(ev.loose)})


# Each CI/terminal producer: how it prints a command and a line of output.

def gha_writer(rng, log, clock):
    def stamp(t):
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%07d" % (t.microsecond * 10 + rng.randrange(10)) + "Z "

    def out(text, t):
        return log.add(stamp(t) + text, t)

    def cmd(c, t):
        out("##[group]Run " + c, t)
        out("\x1b[36;1m" + c + "\x1b[0m", t)
        out("shell: /usr/bin/bash -e {0}", t)
        out("env:", t)
        out("  REGISTRY: " + rng.choice(["***", "${{ secrets.ACR }}"]), t)
        out("##[endgroup]", t)
    return out, cmd


def azp_writer(rng, log, clock):
    def stamp(t):
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%07d" % (t.microsecond * 10 + rng.randrange(10)) + "Z "

    def out(text, t):
        return log.add(stamp(t) + text, t)

    def cmd(c, t):
        if rng.random() < 0.5:
            out("##[section]Starting: " + c.split(" ")[0] + " step", t)
            out("##[command]" + c, t)
        else:
            out("+ " + c, t)
    return out, cmd


def gitlab_writer(rng, log, clock, stamped):
    def out(text, t):
        if stamped:
            err = any(w in text for w in ("rror", "denied", "nauthorized", "AADSTS", "Status:", "Please", "Unable", "Access to"))
            return log.add(t.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z 01" + ("E" if err else "O") + " " + text, t)
        return log.add(text, embedded_ts(text))

    def cmd(c, t):
        out("\x1b[32;1m$ " + c + "\x1b[0;m", t)
    return out, cmd


def jenkins_writer(rng, log, clock):
    def out(text, t):
        return log.add("[%s.%03dZ] %s" % (t.strftime("%Y-%m-%dT%H:%M:%S"), t.microsecond // 1000, text), t)

    def cmd(c, t):
        out("+ " + c, t)
    return out, cmd


def session_writer(rng, log, clock):
    prompt = rng.choice(["$ ", "user@build01:~/src$ ", "PS C:\\src> ", "root@build01:/src# "])

    def out(text, t):
        return log.add(text, embedded_ts(text))

    def cmd(c, t):
        out(prompt + c, t)
    return out, cmd


def acrtask_writer(rng, log, clock):
    def out(text, t):
        return log.add(t.strftime("%Y/%m/%d %H:%M:%S ") + text, t)

    def cmd(c, t):
        out("Executing step ID: build. Timeout(sec): 28800, Working directory: '', Network: 'acb_default_network'", t)
        out("Launching container with name: build", t)
        out(c, t)
    return out, cmd


def embedded_ts(text):
    """The az CLI's embedded local timestamp in a message, if any (R6: UTC)."""
    import re
    m = re.search(r"(?:ERROR|WARNING): (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}) ", text)
    if m:
        return dt.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC)
    m = re.search(r"Timestamp: (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)Z", text)
    if m:
        return dt.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    return None


def wrap(text, width):
    out = []
    while len(text) > width:
        out.append(text[:width])
        text = text[width:]
    out.append(text)
    return out


def ci_file(rng, log, clock, kind, n):
    """A CI or terminal log: commands, noise, failures with echoes and retries, look-alikes."""
    if kind == "gha":
        out, cmd = gha_writer(rng, log, clock)
    elif kind == "azp":
        out, cmd = azp_writer(rng, log, clock)
    elif kind == "gitlab":
        out, cmd = gitlab_writer(rng, log, clock, rng.random() < 0.5)
    elif kind == "jenkins":
        out, cmd = jenkins_writer(rng, log, clock)
    elif kind == "acrtask":
        out, cmd = acrtask_writer(rng, log, clock)
    else:
        out, cmd = session_writer(rng, log, clock)
    noise = ["Step 3/9 : RUN npm ci", "#12 [build 4/7] COPY . .", "Digest: sha256:%064x" % rng.getrandbits(256),
             "Pushed", "Waiting", "Using default tag: latest", "npm WARN deprecated glob@7.2.3", "Done in 4.21s.",
             "Status: Downloaded newer image", "\x1b[0m\x1b[1mCompiling\x1b[0m app v0.1.0"]
    for _ in range(n):
        t = clock.step()
        for _ in range(rng.randrange(0, 5)):
            out(rng.choice(noise), t)
        if rng.random() < 0.3:
            lk = cli_lookalike(rng, t)
            for c in lk.pre:
                cmd(c, t)
            for ln in lk.lines:
                out(ln, t)
            continue
        ev = cli_event(rng, t, masked=0.25 if kind in ("gha", "azp") else 0.1, cloudshell=kind == "session")
        if isinstance(ev, Look):
            for c in ev.pre:
                cmd(c, t)
            for ln in ev.lines:
                out(ln, t)
            continue
        for c in ev.pre:
            cmd(c, t)
        wrapw = 0
        if kind == "session" and rng.random() < 0.15 and len(ev.body) == 1 and len(ev.body[0]) > 100:
            wrapw = rng.choice([80, 100])
        for rep in range(ev.retry + 1):
            first, ts = None, None
            for ln in ev.body:
                parts = wrap(ln, wrapw) if wrapw else [ln]
                for part in parts:
                    k = out(part, t)
                    if first is None:
                        first, ts = k, log.cur_ts()
            last = len(log.lines)
            echo = []
            if kind in ("gha", "azp") and rep == ev.retry and rng.random() < 0.6:
                e = ev.body[0] if not ev.body[0].startswith("ERROR: ") else ev.body[0][7:]
                echo.append(out("##[error]" + e.replace(ev.registry or "\x00", "***") if kind == "gha" else "##[error]" + e, t))
            record(log, ev, first, last, ts, echo)
            if rep < ev.retry:
                out(rng.choice(["Retrying in 5 seconds...", "attempt %d failed, retrying" % (rep + 1), "sleep 0"]), t)
        if kind in ("gha", "azp") and rng.random() < 0.5:
            out("##[error]Process completed with exit code 1.", t)
    log.end = clock.t


def appservice_file(rng, log, clock, n):
    eu = rng.random() < 0.4

    def stamp(t):
        if eu:
            return t.strftime("%d/%m/%Y %H:%M:%S.") + "%03d" % (t.microsecond // 1000)
        return t.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (t.microsecond // 1000)
    for _ in range(n):
        t = clock.step()
        reg = pick_reg(rng, 0.05)
        im = img(rng, reg)
        log.add("%s INFO  - Pulling image: %s" % (stamp(t), im), t)
        r = rng.random()
        if r < 0.25:
            log.add("%s INFO  - Pulling image from Docker hub: library/nginx" % stamp(t), t)
            log.add("%s INFO  - Successfully pulled image" % stamp(t), t)
            continue
        if r < 0.6:
            k = log.add('%s ERROR - DockerApiException: Docker API responded with status code=InternalServerError, response={"message":"Get https://%s/v2/%s/manifests/%s: unauthorized: authentication required"}'
                        % (stamp(t), reg.server, im.split("/", 1)[1].rsplit(":", 1)[0], im.rsplit(":", 1)[1]), t)
            log.fails.append({"line": k, "line_end": k, "type": "unauthorized", "registry": reg.name, "attempts": 1, "ts": ts_str(t), "echo": [], "loose": []})
        else:
            k = log.add("%s ERROR - Pulling docker image %s failed:" % (stamp(t), im), t)
            k2 = log.add('%s ERROR - DockerApiException: Docker API responded with status code=InternalServerError, response={"message":"Head \\"https://%s/v2/%s/manifests/%s\\": unauthorized: authentication required"}'
                         % (stamp(t), reg.server, im.split("/", 1)[1].rsplit(":", 1)[0], im.rsplit(":", 1)[1]), t)
            log.fails.append({"line": k, "line_end": k2, "type": "unauthorized", "registry": reg.name, "attempts": 1, "ts": ts_str(t), "echo": [], "loose": []})
        log.add("%s INFO  - Stopping site because it failed during startup." % stamp(t), t)
    log.end = clock.t


def daemon_line(rng, fields, t, style, host, ident, pid, form=None):
    """One dockerd/containerd record in the chosen outer format; returns the text of the physical line.
    form: (zone, digits, uptime, syslog zone) chosen once per failure, so that a retry prints the same form."""
    form = form or daemon_form(rng)
    lvl = "error"
    if fields and fields[0][0] == "level":
        lvl, fields = fields[0][1], fields[1:]
    if style == "short":
        msg = " ".join(v if k == "msg" else '%s="%s"' % (k, gq(v)) for k, v in fields)
        return "%s[%04d] %s" % ("DEBU" if lvl == "debug" else "ERRO", form[2], msg)
    inner = logrus(fields, t, lvl, tz=form[0], digits=form[1])
    if style == "plain":
        return inner
    if style == "shortiso":
        return "%s %s %s[%d]: %s" % (t.strftime("%Y-%m-%dT%H:%M:%S") + form[3], host, ident, pid, inner)
    if style == "syslog":
        return "%s %s %s[%d]: %s" % (t.strftime("%b ") + ("%2d" % t.day) + t.strftime(" %H:%M:%S"), host, ident, pid, inner)
    if style == "rfc5424":
        return "<11>1 %s %s %s %d - - %s" % (iso(t, 6, "+00:00"), host, ident, pid, inner)
    if style == "jsonfile":
        return json.dumps({"log": inner + "\n", "stream": "stderr", "time": iso(t, 9)}, separators=(",", ":"))
    if style == "journaljson":
        us = int(t.timestamp() * 1000000)
        return json.dumps({"__REALTIME_TIMESTAMP": str(us), "_HOSTNAME": host, "SYSLOG_IDENTIFIER": ident, "_PID": str(pid),
                           "PRIORITY": "3", "MESSAGE": inner}, separators=(",", ":"))
    raise ValueError(style)


def daemon_form(rng):
    return (rng.choice(["Z", "Z", "+00:00"]), rng.choice([9, 6]), rng.randrange(1, 300), rng.choice(["+0000", "+00:00"]))


def daemon_file(rng, log, clock, n, style, host):
    ident = rng.choice(["dockerd", "containerd"])
    pid = rng.randrange(300, 9000)
    for _ in range(n):
        t = clock.step()
        for _ in range(rng.randrange(0, 3)):
            f = [("msg", rng.choice(["Processing signal 'terminated'", "Loading containers: done.", "API listen on /run/docker.sock",
                                     'StartContainer for "%x" returns successfully' % rng.getrandbits(64)]))]
            log.add(daemon_line(rng, f, t, style, host, ident, pid).replace("level=error", "level=info"), t if style != "short" else None)
        if rng.random() < 0.3:
            fields = daemon_lookalike(rng)
            k = log.add(daemon_line(rng, fields, t, style, host, ident, pid), t if style != "short" else None)
            if fields[0][1].startswith("Attempting next endpoint"):
                # R13: no host, no link: ACR only by what the log used before; neither required nor an extra.
                record(log, Ev([], "unauthorized", None, loose=["registry", "type"], ts_loose=True), k, k, None)
                log.fails[-1]["optional"] = True
            continue
        fields, type_, reg = daemon_msg(rng)
        retry = 1 if rng.random() < 0.1 else 0
        form = daemon_form(rng)
        for r in range(retry + 1):
            if r:
                t = t + dt.timedelta(milliseconds=rng.randrange(5, 400))
            k = log.add(daemon_line(rng, fields, t, style, host, ident, pid, form), t if style != "short" else None)
            ev = Ev([], type_, reg, ts_loose=(style == "short" and log.cur_ts() is None),
                    loose=["registry"] if reg == "?" else [])
            record(log, ev, k, k, t if style != "short" else log.cur_ts())
    log.end = clock.t


def klog_prefix(t, pid, src, level="E"):
    return "%s%s %s %7d %s] " % (level, t.strftime("%m%d"), t.strftime("%H:%M:%S.") + "%06d" % t.microsecond, pid, src)


def kubelet_file(rng, log, clock, n, outer, host):
    pid = rng.randrange(900, 4000)

    def wrap_outer(line, t):
        if outer == "syslog":
            return "%s %s kubelet[%d]: %s" % (t.strftime("%b ") + ("%2d" % t.day) + t.strftime(" %H:%M:%S"), host, pid, line)
        if outer == "shortiso":
            return "%s %s kubelet[%d]: %s" % (t.strftime("%Y-%m-%dT%H:%M:%S+0000"), host, pid, line)
        return line
    for _ in range(n):
        t = clock.step()
        log.add(wrap_outer(klog_prefix(t, pid, "kubelet.go:2455", "I") + '"SyncLoop (PLEG): event for pod" pod="default/web-%x"' % rng.getrandbits(20), t), t)
        if rng.random() < 0.2:
            other = rng.choice(OTHER_HOSTS)
            log.add(wrap_outer(klog_prefix(t, pid, "remote_image.go:180") + '"PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \\"%s/app:1\\": failed to resolve reference \\"%s/app:1\\": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized" image="%s/app:1"' % (other, other, other), t), t)
            continue
        body, type_, reg, echo = kubelet_event(rng)
        src, msg = body[0][0], body[0][1]
        first = log.add(wrap_outer(klog_prefix(t, pid, src) + msg, t), t)
        for cont in (body[0][2] if len(body[0]) > 2 else []):
            log.add(wrap_outer(cont, t) if outer != "plain" else cont, t if outer != "plain" else None)
        last = len(log.lines)
        ek = []
        for src, msg in echo:
            t2 = t + dt.timedelta(microseconds=rng.randrange(1, 900))
            ek.append(log.add(wrap_outer(klog_prefix(t2, pid, src) + msg, t2), t2))
        record(log, Ev([], type_, reg), first, last, t, ek)
    log.end = clock.t


def kubectl_file(rng, log, clock, n, style):
    """kubectl describe pod / kubectl get events output, preceded by a CI-style timestamp or none."""
    stamped = rng.random() < 0.5

    def out(text, t):
        if stamped:
            return log.add(t.strftime("%Y-%m-%dT%H:%M:%S.") + "%07d" % (t.microsecond * 10) + "Z " + text, t)
        return log.add(text, None)
    t = clock.step()
    if style == "describe":
        out("Events:", t)
        out("  Type     Reason     Age                  From               Message", t)
        out("  ----     ------     ----                 ----               -------", t)
    else:
        out("LAST SEEN           TYPE      REASON    OBJECT                MESSAGE", t)
    for _ in range(n):
        t = clock.step(1, 60)
        reg = pick_reg(rng, 0.05)
        im = img(rng, reg)
        x = rng.choice([1, 1, 3, 4, 12, 261])
        age = "%dm" % rng.randrange(1, 59)
        agecol = age if x == 1 else "%s (x%d over %dm)" % (age, x, rng.randrange(5, 90))
        two = rng.random() < 0.2
        kind = pick_kind(rng)
        cause = pull_cause(rng, reg, im, kind)
        msg = "Failed to pull image \"%s\": %s" % (im, rpc(im, cause))
        loose = []
        if two:
            cause2 = rng.choice([pull_cause(rng, reg, im, "oauth"), pull_cause(rng, reg, im, "anon"), "not found"])
            msg = "Failed to pull image \"%s\": [%s, %s]" % (im, rpc(im, cause), rpc(im, cause2))
            loose = ["type", "attempts"]
        if style == "describe":
            out("  Normal   Pulling    %-20s kubelet            Pulling image \"%s\"" % (agecol, im), t)
            k = out("  Warning  Failed     %-20s kubelet            %s" % (agecol, msg), t)
            k2 = out("  Warning  Failed     %-20s kubelet            Error: ErrImagePull" % agecol, t)
            k3 = out("  Normal   BackOff    %-20s kubelet            Back-off pulling image \"%s\"" % (agecol, im), t)
            echo = [k2, k3]
        else:
            pod = "pod/%s-%x" % (rng.choice(["api", "web"]), rng.getrandbits(24))
            k = out("%-19s Warning   Failed    %-21s %s" % (agecol, pod, msg), t)
            k3 = out("%-19s Normal    BackOff   %-21s Back-off pulling image \"%s\"" % (agecol, pod, im), t)
            echo = [k3]
        ev = Ev([], KIND_TYPE[kind], reg, attempts=x, loose=loose, ts_loose=not stamped)
        record(log, ev, k, k, t if stamped else None, echo)
    log.end = clock.t


def server_file(rng, log, clock, n, fmt):
    cols = ["TimeGenerated", "LoginServer", "Identity", "CallerIpAddress", "OperationName", "ResultType", "ResultDescription",
            "UserAgent", "CorrelationId"]
    if fmt == "csv":
        log.add(",".join(cols), None)
    else:
        log.add("[", None)
    rows = []
    for i in range(n):
        t = clock.step(1, 120)
        reg = pick_reg(rng, 0)
        code = rng.choices(["200", "401", "403"], [3, 4, 1])[0]
        row = {"TimeGenerated": t.strftime("%Y-%m-%dT%H:%M:%S.") + "%07d" % (t.microsecond * 10) + "Z",
               "LoginServer": reg.server.split(":")[0].lower(), "Identity": rng.choice([guid(rng), "admin", "token-ci"]),
               "CallerIpAddress": ip(rng), "OperationName": rng.choice(["Login", "Pull"]), "ResultType": code,
               "ResultDescription": code, "UserAgent": rng.choice(["docker/24.0.7 go/go1.20.10 git-commit/311b9ff kernel/6.5.0 os/linux arch/amd64",
                                                                   "containerd/1.7.2", "azure-cli/2.61.0"]),
               "CorrelationId": guid(rng)}
        rows.append((row, reg, t))
    for i, (row, reg, t) in enumerate(rows):
        if fmt == "csv":
            k = log.add(",".join('"%s"' % row[c] if " " in row[c] or "/" in row[c] else row[c] for c in cols), t)
        else:
            k = log.add(json.dumps(row, separators=(",", ":")) + ("," if i < len(rows) - 1 else ""), t)
        if row["ResultType"] != "200":
            ev = Ev([], "unauthorized" if row["ResultType"] == "401" else "access-denied", reg,
                    loose=[] if row["ResultType"] == "401" else ["type"])
            record(log, ev, k, k, t)
    if fmt != "csv":
        log.add("]", None)
    log.end = clock.t


def gen(seed, out):
    rng = random.Random(seed)
    if os.path.exists(out):
        shutil.rmtree(out)
    fleet = os.path.join(out, "fleet")
    truth = []
    hosts = ["aks-node-%02d" % i for i in range(3)] + ["build-%02d" % i for i in range(3)]
    for host in hosts:
        logs = []
        node = host.startswith("aks")
        kinds = (["kubelet", "kubelet-syslog", "kubelet-shortiso", "dockerd", "containerd-shortiso", "jsonfile", "journaljson",
                  "syslog", "rfc5424", "short", "describe", "events", "server-json", "server-csv", "appservice"]
                 if node else ["gha", "azp", "gitlab", "jenkins", "session", "session", "acrtask", "gha", "azp", "dockerd",
                               "server-csv", "appservice"])
        for i, kind in enumerate(kinds):
            clock = Clock(rng)
            if kind.startswith("kubelet"):
                lg = Log("var/log/kubelet-%d.log" % i, "kubelet")
                kubelet_file(rng, lg, clock, rng.randrange(8, 20), {"kubelet": "plain", "kubelet-syslog": "syslog", "kubelet-shortiso": "shortiso"}[kind], host)
            elif kind in ("dockerd", "containerd-shortiso", "jsonfile", "journaljson", "syslog", "rfc5424", "short"):
                style = {"dockerd": "plain", "containerd-shortiso": "shortiso"}.get(kind, kind)
                path = {"jsonfile": "var/lib/docker/containers/%064x/%064x-json.log" % (rng.getrandbits(256), rng.getrandbits(256)),
                        "journaljson": "export/journal-%d.json" % i}.get(kind, "var/log/%s-%d.log" % (kind, i))
                lg = Log(path, kind)
                daemon_file(rng, lg, clock, rng.randrange(8, 20), style, host)
            elif kind in ("describe", "events"):
                lg = Log("kubectl/%s-%d.txt" % (kind, i), "kubectl")
                kubectl_file(rng, lg, clock, rng.randrange(3, 9), kind)
            elif kind.startswith("server"):
                fmt = kind.split("-")[1]
                lg = Log("acr-diagnostics/ContainerRegistryLoginEvents-%d.%s" % (i, fmt), kind)
                server_file(rng, lg, clock, rng.randrange(6, 16), fmt)
            elif kind == "appservice":
                lg = Log("LogFiles/%s_default_docker.log" % clock.t.strftime("%Y_%m_%d"), "appservice")
                appservice_file(rng, lg, clock, rng.randrange(4, 10))
            else:
                lg = Log("ci/%s-%d.log" % (kind, i), kind)
                ci_file(rng, lg, clock, kind, rng.randrange(6, 16))
            r = rng.random()
            if r < 0.15:
                lg.crlf = True
            r = rng.random()
            if r < 0.12:
                lg.comp = "gz"
            elif r < 0.22:
                lg.comp = "gzmulti"
            elif r < 0.3:
                lg.comp = "zst"
            logs.append(lg)
        for lg in logs:
            rel = lg.rel + {"gz": ".1.gz", "gzmulti": ".2.gz", "zst": ".1.zst"}.get(lg.comp, "")
            path = os.path.join(fleet, host, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            nl = "\r\n" if lg.crlf else "\n"
            data = (nl.join(lg.lines) + nl).encode()
            if lg.comp == "gz":
                data = gzip.compress(data, mtime=0)
            elif lg.comp == "gzmulti":
                cut = data.find(b"\n", len(data) // 2) + 1
                data = gzip.compress(data[:cut], mtime=0) + gzip.compress(data[cut:], mtime=0)
            elif lg.comp == "zst":
                data = subprocess.run(["zstd", "-q", "-c", "-3"], input=data, capture_output=True, check=True).stdout
            with open(path, "wb") as f:
                f.write(data)
            m = (lg.end + dt.timedelta(minutes=5)).timestamp()
            os.utime(path, (m, m))
            for fl in lg.fails:
                rec = {"host": host, "file": os.path.join(host, rel), "producer": lg.producer}
                rec.update(fl)
                truth.append(rec)
    groups = collections.OrderedDict()
    scored = [t for t in truth if not t.get("optional")]
    for t in scored:
        k = (t["host"], t["registry"], t["type"])
        g = groups.setdefault(k, {"host": k[0], "registry": k[1], "type": k[2], "count": 0, "attempts": 0})
        g["count"] += 1
        g["attempts"] += t["attempts"]
    totals = {"failures": len(scored), "optional": len(truth) - len(scored),
              "by_host": dict(collections.Counter(t["host"] for t in scored)),
              "by_registry": dict(collections.Counter(str(t["registry"]) for t in scored)),
              "by_type": dict(collections.Counter(t["type"] for t in scored)),
              "by_producer": dict(collections.Counter(t["producer"] for t in scored))}
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump({"seed": seed, "totals": totals, "groups": list(groups.values()), "failures": truth}, f, indent=1)
    return truth


# ---------------------------------------------------------------- check (scoring as in fleet-oracle2.py)

def parse_ts(s):
    return dt.datetime.strptime(s.replace("Z", ""), "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC)


def check(args):
    out = args.out or tempfile.mkdtemp(prefix="fleet3-")
    truth = gen(args.seed, out)
    db = os.path.join(out, "fleet.db")
    if os.path.exists(db):
        os.remove(db)
    fleet = os.path.join(out, "fleet")
    r = subprocess.run([args.bin, "scan", "--db", db, "--host-from-path", "1", "--progress", "never", "-q", fleet],
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit("scan failed (%d): %s" % (r.returncode, r.stderr))
    r = subprocess.run([args.bin, "export", "--db", db, "--format", "ndjson"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("export failed: " + r.stderr)
    found = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    prefix = os.path.realpath(fleet) + "/"
    by_file = collections.defaultdict(list)
    for t in truth:
        t["matched"] = None
        by_file[t["file"]].append(t)
    extras, dups = [], []
    for o in found:
        src = os.path.realpath(o["source"])
        rel = src[len(prefix):] if src.startswith(prefix) else o["source"]
        o["rel"] = rel
        cands = [t for t in by_file.get(rel, []) if t["line"] <= o["line_end"] and o["line"] <= t["line_end"]]
        cands += [t for t in by_file.get(rel, []) if t not in cands and any(o["line"] <= e <= o["line_end"] for e in t["echo"])]
        free = [t for t in cands if t["matched"] is None and not (t["line"] > o["line_end"] or o["line"] > t["line_end"])]
        if free:
            free[0]["matched"] = o
        elif cands:
            dups.append(o)
        else:
            extras.append(o)
    optional = [t for t in truth if t.get("optional") and t["matched"]]
    truth = [t for t in truth if not t.get("optional")]
    found = [o for o in found if not any(t["matched"] is o for t in optional)]
    tp = [t for t in truth if t["matched"]]
    misses = [t for t in truth if not t["matched"]]

    def acc(field, conv=lambda v: v):
        sc = [t for t in tp if field not in t["loose"]]
        ok = [t for t in sc if conv(t["matched"].get(field)) == t[field]]
        return len(ok), len(sc), [t for t in sc if t not in ok]

    reg_ok = acc("registry")
    type_ok = acc("type")
    att_ok = acc("attempts")
    ts_sc = [t for t in tp if t["ts"] != "?"]
    ts_bad = []
    for t in ts_sc:
        got = t["matched"].get("ts")
        if t["ts"] is None or got is None:
            if t["ts"] != got:
                ts_bad.append(t)
        elif abs((parse_ts(got) - parse_ts(t["ts"])).total_seconds()) >= 1.0:
            ts_bad.append(t)
    n, nf = len(truth), len(found)
    res = {
        "seed": args.seed, "truth": n, "found": nf, "matched": len(tp),
        "recall": round(len(tp) / n, 4) if n else 1.0,
        "precision": round(len(tp) / nf, 4) if nf else 1.0,
        "registry_accuracy": round(reg_ok[0] / reg_ok[1], 4) if reg_ok[1] else 1.0,
        "type_accuracy": round(type_ok[0] / type_ok[1], 4) if type_ok[1] else 1.0,
        "attempts_accuracy": round(att_ok[0] / att_ok[1], 4) if att_ok[1] else 1.0,
        "time_accuracy": round(1 - len(ts_bad) / len(ts_sc), 4) if ts_sc else 1.0,
        "misses": len(misses), "extras": len(extras), "duplicates": len(dups), "optional_found": len(optional),
        "by_producer": {p: "%d/%d" % (sum(1 for t in tp if t["producer"] == p), sum(1 for t in truth if t["producer"] == p))
                        for p in sorted(set(t["producer"] for t in truth))},
    }

    def brief(t):
        return "%s:%d-%d %s %s %s" % (t["file"], t["line"], t["line_end"], t["producer"], t["registry"], t["type"])

    def brief_o(o):
        return "%s:%d-%d %s %s %s %s" % (o["rel"], o["line"], o["line_end"], o.get("producer"), o.get("registry"), o.get("type"), o.get("excerpt", "")[:140])

    if args.json:
        res["miss_list"] = [brief(t) for t in misses]
        res["extra_list"] = [brief_o(o) for o in extras + dups]
        res["registry_wrong"] = [brief(t) + " got " + str(t["matched"].get("registry")) for t in reg_ok[2]]
        res["type_wrong"] = [brief(t) + " got " + str(t["matched"].get("type")) for t in type_ok[2]]
        res["attempts_wrong"] = [brief(t) + " want %d got %s" % (t["attempts"], t["matched"].get("attempts")) for t in att_ok[2]]
        res["time_wrong"] = [brief(t) + " want %s got %s" % (t["ts"], t["matched"].get("ts")) for t in ts_bad]
        print(json.dumps(res, indent=1))
    else:
        print("seed %d: truth %d, found %d, matched %d | recall %.4f precision %.4f | registry %.4f type %.4f attempts %.4f time %.4f"
              % (args.seed, n, nf, len(tp), res["recall"], res["precision"], res["registry_accuracy"], res["type_accuracy"],
                 res["attempts_accuracy"], res["time_accuracy"]))
        print("  misses %d, extras %d, duplicates %d, optional found %d" % (len(misses), len(extras), len(dups), len(optional)))
        print("  recall by producer: " + ", ".join("%s %s" % kv for kv in res["by_producer"].items()))
        if args.verbose:
            for t in misses:
                print("  MISS  " + brief(t))
            for o in extras:
                print("  EXTRA " + brief_o(o))
            for o in dups:
                print("  DUP   " + brief_o(o))
            for t in reg_ok[2]:
                print("  REG   " + brief(t) + " got " + str(t["matched"].get("registry")))
            for t in type_ok[2]:
                print("  TYPE  " + brief(t) + " got " + str(t["matched"].get("type")))
            for t in att_ok[2]:
                print("  ATT   " + brief(t) + " want %d got %s" % (t["attempts"], t["matched"].get("attempts")))
            for t in ts_bad:
                print("  TIME  " + brief(t) + " want %s got %s" % (t["ts"], t["matched"].get("ts")))
    if not args.out:
        shutil.rmtree(out, ignore_errors=True)
    return res


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--out", required=True)
    c = sub.add_parser("check")
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--bin", required=True)
    c.add_argument("--out")
    c.add_argument("--json", action="store_true")
    c.add_argument("--verbose", action="store_true")
    a = p.parse_args()
    if a.cmd == "gen":
        truth = gen(a.seed, a.out)
        print("wrote %d failures to %s" % (len(truth), a.out))
    else:
        check(a)


if __name__ == "__main__":
    main()
