#!/usr/bin/env python3
"""A second, independent synthetic-fleet check of acrscan, written from /work/shared/SPEC.md and
FIELD-NOTES.md alone (not from the scanner's rules, nor from scripts/fleet-oracle.py, whose command
line only it shares).

  fleet-oracle2.py gen   --seed N --out DIR            write DIR/fleet/<host>/... and DIR/truth.json
  fleet-oracle2.py check --seed N --bin ACRSCAN [--out DIR] [--json] [--verbose]
                                                      gen, `acrscan scan --host-from-path 1` into a
                                                      fresh database, `acrscan export --format
                                                      ndjson`, pair with the truth, print scores

Seeded (random.Random(seed)): one seed, the same bytes. Each host (a Kubernetes node or a CI agent)
holds one log per producer of SPEC section 2 and FIELD-NOTES, each in its own prefix and timestamp
form: dockerd logrus text (UTC and local offsets), logrus JSON, the `ERRO[0001]` short form,
containerd under journalctl short-iso, kubelet klog (plain and under syslog), journald JSON
(`journalctl -o json`, the message escaped twice), Docker json-file, CRI pod logs (`stderr F`),
kubectl describe / get events / events, RFC 3164 and RFC 5424 syslog, GitHub Actions raw logs
(ANSI-echoed scripts, `##[error]`, `::error::`), Azure Pipelines (`##[command]`, `##[error]`),
GitLab (sections, `[MASKED]`, optional timestamps), Jenkins timestamper, terminal sessions of
docker / podman / helm / oras / az (some hard-wrapped at 80 columns), App Service, ACR Tasks.
Some files are gzip-rotated (one multi-member), some have CRLF endings.

truth.json: per failure its file, first and last line, registry (null = unknown), type, attempts,
time (UTC, null when the file never gave one, "?" when unscored) and the fields that are not scored
for it (`loose`); plus totals per host, registry and type.

Readings of SPEC made here (docs/accuracy.md "Second synthetic fleet"):
- Q1 An echo is one failure re-reported in another form: a `##[error]` annotation of the tool's line,
  dockerd's `Attempting next endpoint` / `Error logging in to endpoint` before its `Handler ...
  returned error`, kubelet's kuberuntime_manager and pod_workers lines after remote_image, kubectl's
  `Error: ErrImagePull` row, App Service's `Image pull failed: Verify docker image configuration`
  after its DockerApiException. A `##[error]` or `::error::` line with no tool line before it is the
  failure itself.
- Q2 A block (az cascade, `(Code) ... Code: ... Message: ...`, check-health block up to its `Please
  refer` line, klog `err=<` block, a hard-wrapped paste, docker's error line + JSON body) is one
  failure; any of its lines may carry the occurrence.
- Q3 The registry of a line naming no host is the last registry-naming command or context line
  before it in the same file (`az acr login -n`, `docker login`, `docker push`, `The push refers to
  repository [...]`, `helm pull oci://`, `Logging in to registry:`); when that context names a
  non-ACR registry (ghcr.io, Docker Hub) the line is not ACR and not counted.
- Q4 A masked name (`***`, `[MASKED]`, `<redacted>`, `****`) is unknown (null) and still counts; it
  is only generated with ACR evidence (`.azurecr.io` suffix, an `az acr` command, aka.ms/acr).
- Q5 A shell retry loop printing the identical line N times is N failures; kubectl's `(xN over T)`
  is one failure with attempts N; per-layer `Retrying in N seconds` lines are not failures.
- Q6 A `Failed to pull image` line holding two `rpc error`s (oauth + anonymous) is one failure whose
  type and attempts are not scored (SPEC does not say which type wins or whether it is 2 attempts).
- Q7 Types: an ACR 401 body naming the AAD application/secret is aad-credential; `Please run 'az
  login'` is aad-credential; a cascade with an AADSTS code is aad-credential even with its
  `Unable to get admin user credentials` line; containerd's oauth-token 401 is unauthorized, the
  anonymous-token 401 anonymous-pull; a bare 403 from an ACR host is access-denied.
- Q8 Times: the line's own stamp in UTC; klog and RFC 3164 syslog take the year of the file's
  modification time and are read as UTC; lines without a stamp take the last earlier stamp of the
  file; `ERRO[0001]` and the Azure CLI's embedded local time are not scored.
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

UTC = dt.timezone.utc
ESC = "\x1b"
TYPES = [
    "docker-command-error", "cloud-shell-no-daemon", "unauthorized", "identity-permission",
    "ip-not-allowed", "access-denied", "aad-credential", "anonymous-pull",
]
NAMES = [
    "contosoprod", "fabrikamacr", "northwindreg", "adventureworks01", "tailspinacr", "wingtipcr",
    "litwareimages", "proseware7", "woodgrovebank", "alpineskihouse", "margiestravel", "fourthcoffee",
]
REGIONS = ["eastus", "westeurope", "southeastasia", "chinaeast2", "usgovvirginia"]
REPOS = ["app", "team/api", "web/frontend", "jobs/worker", "base/python", "charts/ingress"]


# ---------------------------------------------------------------- registry names

class Reg:
    """A registry as a line shows it (`host`) and as the truth expects it (`name`, None = unknown)."""

    def __init__(self, host, name, bare=None):
        self.host, self.name = host, name
        self.bare = bare if bare is not None else (name or "***")  # `az acr login -n` argument


def pick_reg(rng, masked=0.15, allow_data=False):
    name = rng.choice(NAMES)
    r = rng.random()
    if r < masked:
        mask = rng.choice(["***", "***", "[MASKED]", "<redacted>", "****"])
        return Reg(mask + ".azurecr.io", None, mask)
    shown = name
    if rng.random() < 0.2:
        shown = name.upper() if rng.random() < 0.5 else name[0].upper() + name[1:4].upper() + name[4:]
    suffix = rng.choice([".azurecr.io"] * 6 + [".azurecr.cn", ".azurecr.us"])
    host = shown + suffix
    if allow_data and rng.random() < 0.3:
        host = shown + "." + rng.choice(REGIONS) + ".data" + suffix
    elif rng.random() < 0.1:
        host += ":443"
    return Reg(host, name, shown)


def ip(rng):
    return "%d.%d.%d.%d" % (rng.choice([20, 40, 52, 104, 203]), rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))


def guid(rng):
    h = "%032x" % rng.getrandbits(128)
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def sha(rng, n=64):
    return ("%0" + str(n) + "x") % rng.getrandbits(4 * n)


def image(rng, reg):
    return "%s/%s:%s" % (reg.host, rng.choice(REPOS), rng.choice(["1.0.3", "latest", "v2", "2026.11.20", "sha-" + sha(rng, 7)]))


def repo_of(img):
    return img.split("/", 1)[1].rsplit(":", 1)[0]


# ---------------------------------------------------------------- events

class Fail:
    """One failure: its lines (a block), truth, and the lines' raw flag (no producer prefix)."""

    def __init__(self, lines, type_, registry, attempts=1, loose=(), raw_after_first=False):
        self.lines = lines if isinstance(lines, list) else [lines]
        self.type, self.registry, self.attempts = type_, registry, attempts
        self.loose = list(loose)
        self.raw_after_first = raw_after_first


class Echo:
    """A line that re-reports a failure (Q1): not counted, but an occurrence on it pairs with the
    failure it echoes (the next one when `before`, else the last one)."""

    def __init__(self, text, before=False):
        self.text, self.before = text, before


class Raw(str):
    """A line written without the producer's prefix (continuation of a block)."""


def wrap80(text):
    words, out, cur = text.split(" "), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > 80:
            out.append(cur)
            cur = w
        else:
            cur = w if not cur else cur + " " + w
    out.append(cur)
    return out


# --- pull failures as containerd / kubelet print them (chain text without a prefix)

def pull_chain(rng, kind, img, host):
    scope = "repository%%3A%s%%3Apull" % repo_of(img).replace("/", "%2F")
    hostname = host.split(":")[0]
    head = 'failed to pull and unpack image "%s": failed to resolve reference "%s": ' % (img, img)
    if kind == "anonymous-pull":
        if rng.random() < 0.5:
            return head + "failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"
        return head + ("failed to authorize: failed to fetch anonymous token: unexpected status from GET request to "
                       "https://%s/oauth2/token?scope=%s&service=%s: 401 Unauthorized" % (hostname, scope, hostname))
    if kind == "unauthorized":
        if rng.random() < 0.5:
            return head + "failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"
        return head + ("failed to authorize: failed to fetch oauth token: unexpected status from POST request to "
                       "https://%s/oauth2/token: 401 Unauthorized" % hostname)
    if kind == "access-denied":
        return head + "unexpected status from HEAD request to https://%s/v2/%s/manifests/%s: 403 Forbidden" % (
            hostname, repo_of(img), img.rsplit(":", 1)[1])
    if kind == "ip-not-allowed":
        return ('failed to pull and unpack image "%s": failed to copy: httpReadSeeker: failed open: unexpected status '
                "code https://%s/v2/%s/blobs/sha256:%s: 403 Forbidden - Server message: denied: client with IP "
                "'%s' is not allowed access. Refer https://aka.ms/acr/firewall to grant access" % (
                    img, hostname, repo_of(img), sha(rng), ip(rng)))
    raise ValueError(kind)


PULL_KINDS = ["anonymous-pull", "anonymous-pull", "unauthorized", "access-denied", "ip-not-allowed"]


def pull_lookalike(rng, reg):
    """A pull error chain that is not an ACR auth failure."""
    acr = reg.host
    k = rng.randrange(7)
    if k == 0:
        img = "docker.io/library/%s:1.25" % rng.choice(["nginx", "redis", "busybox"])
        return img, ('failed to pull and unpack image "%s": failed to resolve reference "%s": pull access denied, repository '
                "does not exist or may require authorization: server message: insufficient_scope: authorization failed" % (img, img))
    if k == 1:
        img = "ghcr.io/octo-org/%s:main" % rng.choice(["svc", "tool"])
        return img, ('failed to pull and unpack image "%s": failed to resolve reference "%s": failed to authorize: failed to '
                "fetch anonymous token: unexpected status: 401 Unauthorized" % (img, img))
    if k == 2:
        img = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/svc:4"
        return img, ('failed to pull and unpack image "%s": failed to resolve reference "%s": unexpected status from HEAD '
                "request to https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/svc/manifests/4: 401 Unauthorized" % (img, img))
    img = "%s/%s:404" % (acr, rng.choice(REPOS))
    if k == 3:
        return img, 'failed to pull and unpack image "%s": failed to resolve reference "%s": %s: not found' % (img, img, img)
    if k == 4:
        return img, ('failed to pull and unpack image "%s": failed to resolve reference "%s": unexpected status from HEAD '
                "request to https://%s/v2/%s/manifests/404: 429 Too Many Requests - Server message: toomanyrequests: "
                "too many requests, visit https://aka.ms/acr/throttling for more information" % (img, img, acr.split(":")[0], repo_of(img)))
    if k == 5:
        return img, ('failed to pull and unpack image "%s": failed to resolve reference "%s": failed to do request: Head '
                '"https://%s/v2/%s/manifests/404": dial tcp: lookup %s on 10.0.0.10:53: no such host' % (
                    img, img, acr.split(":")[0], repo_of(img), acr.split(":")[0]))
    return img, ('failed to pull and unpack image "%s": failed to resolve reference "%s": failed to do request: Head '
            '"https://%s/v2/%s/manifests/404": dial tcp 20.62.1.4:443: i/o timeout' % (img, img, acr.split(":")[0], repo_of(img)))


def esc(s):
    """Go %q-style escaping of a quoted value (logrus, klog)."""
    return s.replace("\\", "\\\\").replace('"', '\\"')


def pick_named(rng, allow_data=False):
    """A registry that names itself on the line (never masked: daemons see the real host)."""
    return pick_reg(rng, masked=0.0, allow_data=allow_data)


# --- dockerd

def dockerd_event(rng):
    reg = pick_named(rng)
    img = image(rng, reg)
    hn = reg.host
    r = rng.random()
    if r < 0.3:  # pull, two loggers
        t = rng.choice(["unauthorized", "unauthorized", "ip-not-allowed", "aad-credential"])
        body = {
            "unauthorized": "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
            "ip-not-allowed": "denied: client with IP '%s' is not allowed access. Refer https://aka.ms/acr/firewall to grant access." % ip(rng),
            "aad-credential": "unauthorized: Application not registered with AAD.",
        }[t]
        err = 'Head "https://%s/v2/%s/manifests/%s": %s' % (hn, repo_of(img), img.rsplit(":", 1)[1], body)
        return [
            Echo(("info", "Attempting next endpoint for pull after error: " + err), before=True),
            Fail(("error", "Handler for POST /v1.43/images/create returned error: " + err), t, reg.name),
        ]
    if r < 0.55:  # login, two loggers
        t = rng.choice(["unauthorized", "aad-credential"])
        body = "unauthorized: authentication required" if t == "unauthorized" else rng.choice([
            "unauthorized: Invalid clientid or client secret.",
            "unauthorized: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID"])
        err = 'Get "https://%s/v2/": %s' % (hn, body)
        return [
            Echo(("info", "Error logging in to endpoint, trying next endpoint", {"error": err}), before=True),
            Fail(("error", "Handler for POST /v1.43/auth returned error: " + err), t, reg.name),
        ]
    if r < 0.7:  # push
        t = rng.choice(["access-denied", "unauthorized"])
        body = "denied: requested access to the resource is denied" if t == "access-denied" else "unauthorized: authentication required"
        return [
            Fail(("error", 'Handler for POST /v1.43/images/%s/push returned error: Patch "https://%s/v2/%s/blobs/uploads/%s": %s'
                  % (img.rsplit(":", 1)[0].replace("/", "%2F"), hn, repo_of(img), guid(rng), body)), t, reg.name)]
    return dockerd_lookalike(rng, reg)


def dockerd_lookalike(rng, reg):
    hn = reg.host
    k = rng.randrange(6)
    if k == 0:
        return [("info", 'Pull session cancelled')]
    if k == 1:
        return [("error", 'Handler for POST /v1.43/images/create returned error: pull access denied for myorg/tool, '
                          "repository does not exist or may require 'docker login': denied: requested access to the resource is denied")]
    if k == 2:
        return [("error", 'Handler for POST /v1.43/auth returned error: Get "https://harbor.corp.contoso.com/v2/": '
                          "unauthorized: authentication required")]
    if k == 3:
        return [("error", 'Handler for POST /v1.43/images/create returned error: manifest for %s/app:404 not found: '
                          'manifest unknown: manifest tagged by "404" is not found' % hn)]
    if k == 4:
        return [("error", 'Handler for POST /v1.43/images/create returned error: Get "https://%s/v2/": net/http: request '
                          "canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)" % hn)]
    return [("error", 'Handler for POST /v1.43/images/create returned error: Get "https://%s/v2/": x509: certificate '
                      "signed by unknown authority" % hn)]


# --- kubelet (klog) and kubectl

def kubelet_event(rng, block_ok=True):
    """Lines as (klog-file, msg) pairs; the first failing remote_image line is the failure."""
    reg = pick_named(rng, allow_data=False)
    img = image(rng, reg)
    if rng.random() < 0.25:
        img, chain = pull_lookalike(rng, reg)
        t = None
    else:
        t = rng.choice(PULL_KINDS)
        chain = pull_chain(rng, t, img, reg.host)
    pod = "%s-%s-%s" % (rng.choice(["api", "web", "worker"]), sha(rng, 10)[:10], sha(rng, 5))
    ns = rng.choice(["default", "prod", "batch"])
    uid = guid(rng)
    desc = "rpc error: code = Unknown desc = " + chain
    out = []
    if block_ok and rng.random() < 0.3:
        first = 'remote_image.go:180] "PullImage from image service failed" err=<'
        lines = [first, Raw("\t" + desc), Raw(' > image="%s"' % img)]
        out.append(Fail(lines, t, reg.name) if t else lines)
    else:
        line = 'remote_image.go:180] "PullImage from image service failed" err="%s" image="%s"' % (esc(desc), img)
        out.append(Fail(line, t, reg.name) if t else line)
    ech = Echo if t else (lambda x: x)
    out.append(ech('kuberuntime_image.go:53] "Failed to pull image" err="%s" image="%s"' % (esc(desc), img)))
    out.append(ech("kuberuntime_manager.go:1256] container &Container{Name:%s,Image:%s,} start failed in pod %s_%s(%s): "
               "ErrImagePull: %s" % (pod.split("-")[0], img, pod, ns, uid, desc)))
    out.append(ech('pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"%s\\" with '
               'ErrImagePull: \\"%s\\"" pod="%s/%s" podUID="%s"' % (pod.split("-")[0], esc(esc(desc)), ns, pod, uid)))
    out.append(ech('pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"%s\\" with '
               'ImagePullBackOff: \\"Back-off pulling image \\\\\\"%s\\\\\\"\\"" pod="%s/%s" podUID="%s"' % (
                   pod.split("-")[0], img, ns, pod, uid)))
    return out


def kubectl_rows(rng, style):
    """kubectl describe pod (style 'describe'), get events ('get') or events ('events') text."""
    rows, fails = [], []
    n = rng.randint(2, 4)
    if style == "describe":
        rows += ["Name:             api-%s" % sha(rng, 5), "Namespace:        prod", "Containers:", "  api:",
                 "    State:          Waiting", "      Reason:       ImagePullBackOff", "Events:",
                 "  Type     Reason     Age                  From               Message",
                 "  ----     ------     ----                 ----               -------"]
    else:
        rows += ["LAST SEEN   TYPE      REASON      OBJECT                  MESSAGE"]
    for _ in range(n):
        reg = pick_named(rng)
        img = image(rng, reg)
        look = rng.random() < 0.2
        t = rng.choice(PULL_KINDS)
        if look:
            img, chain = pull_lookalike(rng, reg)
        else:
            chain = pull_chain(rng, t, img, reg.host)
        two = (not look) and rng.random() < 0.15
        if two:
            other = pull_chain(rng, "anonymous-pull" if t != "anonymous-pull" else "unauthorized", img, reg.host)
            msg = 'Failed to pull image "%s": [rpc error: code = Unknown desc = %s, rpc error: code = Unknown desc = %s]' % (img, chain, other)
        elif rng.random() < 0.5:
            msg = 'Failed to pull image "%s": rpc error: code = Unknown desc = %s' % (img, chain)
        else:
            msg = 'Failed to pull image "%s": %s' % (img, chain)
        x = rng.choice([1, 1, 3, 4, 12, 261])
        age = "%dm" % rng.randint(2, 59)
        if style == "describe":
            agecol = (age + (" (x%d over %dm)" % (x, rng.randint(60, 90)) if x > 1 else "")).ljust(21)
            pre = "  Normal   Pulling    %s kubelet            " % agecol
            rows.append(pre + 'Pulling image "%s"' % img)
            row = "  Warning  Failed     %s kubelet            %s" % (agecol, msg)
            echo = "  Warning  Failed     %s kubelet            Error: ErrImagePull" % agecol
            back = "  Normal   BackOff    %s kubelet            Back-off pulling image \"%s\"" % (agecol, img)
            back2 = "  Warning  Failed     %s kubelet            Error: ImagePullBackOff" % agecol
        else:
            if style == "get":
                x = 1
            lastseen = (age + (" (x%d over %dm)" % (x, rng.randint(60, 90)) if x > 1 else "")).ljust(11)
            obj = "pod/api-%s" % sha(rng, 5)
            rows.append("%s Normal    Pulling     %s   Pulling image \"%s\"" % (lastseen, obj, img))
            row = "%s Warning   Failed      %s   %s" % (lastseen, obj, msg)
            echo = "%s Warning   Failed      %s   Error: ErrImagePull" % (lastseen, obj)
            back = "%s Normal    BackOff     %s   Back-off pulling image \"%s\"" % (lastseen, obj, img)
            back2 = "%s Warning   Failed      %s   Error: ImagePullBackOff" % (lastseen, obj)
        if look:
            rows.append(row)
        else:
            loose = ["type", "attempts"] if two else []
            f = Fail(row, t, reg.name, attempts=x, loose=loose)
            rows.append(f)
            fails.append(f)
        rows += [echo, back, back2] if look else [Echo(echo), Echo(back), Echo(back2)]
    return rows


# --- CLI sessions: docker / podman / helm / oras / az (lines without a prefix)

def cli_event(rng, masked=0.0):
    """A command and its output. Returns a list of str / Fail."""
    reg = pick_reg(rng, masked=masked)
    img = image(rng, reg)
    k = rng.randrange(12)
    if k == 0:  # docker login, new and old wording
        body = "unauthorized: authentication required"
        new = rng.random() < 0.6
        line = ('Error response from daemon: Get "https://%s/v2/": %s' if new else
                "Error response from daemon: Get https://%s/v2/: %s") % (reg.host, body)
        return ["docker login %s -u %s --password-stdin" % (reg.host, guid(rng)), Fail(line, "unauthorized", reg.name)]
    if k == 1:  # docker login with the JSON body on the next line
        return ["docker login %s -u 00000000-0000-0000-0000-000000000000 --password-stdin" % reg.host,
                Fail(['Error response from daemon: Get "https://%s/v2/": unauthorized:' % reg.host,
                      '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required, visit https://aka.ms/acr/authorization for more information.","detail":null}]}'],
                     "unauthorized", reg.name)]
    if k == 2:  # docker push with a bare error
        t = rng.choice(["unauthorized", "access-denied", "ip-not-allowed"])
        body = {"unauthorized": "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
                "access-denied": "denied: requested access to the resource is denied",
                "ip-not-allowed": "denied: client with IP '%s' is not allowed access. Refer https://aka.ms/acr/firewall to grant access." % ip(rng)}[t]
        layer = sha(rng, 12)
        out = ["docker push %s" % img, "The push refers to repository [%s]" % img.rsplit(":", 1)[0],
               "%s: Preparing" % layer, "%s: Waiting" % sha(rng, 12)]
        if rng.random() < 0.5:
            out += ["%s: Retrying in %d seconds" % (layer, s) for s in (5, 4, 3, 2, 1)]
        return out + [Fail(body, t, reg.name)]
    if k == 3:  # docker pull, AAD cause in the body
        body = rng.choice(["unauthorized: Application not registered with AAD.",
                           "unauthorized: Invalid clientid or client secret.",
                           "unauthorized: aad access token with sp failed client id must be guid"])
        return ["docker pull %s" % img,
                Fail('Error response from daemon: Head "https://%s/v2/%s/manifests/%s": %s' % (
                    reg.host, repo_of(img), img.rsplit(":", 1)[1], body), "aad-credential", reg.name)]
    if k == 4:  # podman
        if rng.random() < 0.5:
            return ["podman login %s -u ci-bot" % reg.host,
                    Fail('Error: logging into "%s": invalid username/password' % reg.host, "unauthorized", reg.name)]
        return ["podman pull %s" % img,
                Fail("Error: initializing source docker://%s: reading manifest %s in %s: unauthorized: authentication required" % (
                    img, img.rsplit(":", 1)[1], img.rsplit(":", 1)[0]), "unauthorized", reg.name)]
    if k == 5:  # helm
        if rng.random() < 0.5:
            return ["helm registry login %s --username %s" % (reg.host, guid(rng)),
                    Fail("Error: login attempt to https://%s/v2/ failed with status: 401 Unauthorized" % reg.host, "unauthorized", reg.name)]
        return ["helm pull oci://%s/helm/ingress --version 4.2.0" % reg.host,
                Fail("Error: failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized",
                     "anonymous-pull", reg.name)]
    if k == 6:  # oras
        t = rng.choice(["unauthorized", "access-denied"])
        body = ("response status code 401: unauthorized: authentication required" if t == "unauthorized" else
                "response status code 403: denied: requested access to the resource is denied")
        return ["oras pull %s" % img,
                Fail('Error: GET "https://%s/v2/%s/manifests/%s": %s: [map[Action:pull Class: Name:%s Type:repository]]' % (
                    reg.host, repo_of(img), img.rsplit(":", 1)[1], body, repo_of(img)), t, reg.name)]
    return az_event(rng, reg)


def az_event(rng, reg, allow_cloud_shell=True):
    """`az acr login` / check-health / credential show and the failure block."""
    name = reg.bare
    flag = rng.choice(["-n", "--name"])
    newer = rng.random() < 0.5
    stamp = "2026-11-20 %02d:%02d:%02d.%06d " % (rng.randrange(24), rng.randrange(60), rng.randrange(60), rng.randrange(10 ** 6)) if newer else ""
    err = "ERROR: " if newer else ""
    k = rng.randrange(9 if allow_cloud_shell else 8)
    cmd = "az acr login %s %s" % (flag, name)
    srv = reg.host.split(":")[0]
    if k == 0:
        code, text = rng.choice([("DOCKER_COMMAND_ERROR", "Please verify if Docker client is installed and running."),
                                 ("DOCKER_DAEMON_ERROR", "Please verify if Docker daemon is running, or try restarting it.")])
        return [cmd, Fail([err + stamp + "An error occurred: " + code, text], "docker-command-error", reg.name)]
    if k == 1:
        code = rng.choice(["401", "403"])
        ver = rng.choice(["refresh", "access"])
        lines = [("WARNING: " if newer else "") + "Unable to get AAD authorization tokens with message: " + stamp +
                 ("An error occurred: " if rng.random() < 0.7 else "") + "CONNECTIVITY_%s_TOKEN_ERROR" % ver.upper(),
                 "Access to registry '%s' was denied. Response code: %s. Please try running 'az login' again to refresh permissions." % (srv, code)]
        if rng.random() < 0.6:
            lines += [("WARNING: " if newer else "") + "Unable to get admin user credentials with message: The resource with name '%s' "
                      "and type 'Microsoft.ContainerRegistry/registries' could not be found in subscription 'Production (%s)'." % (name, guid(rng)),
                      err + stamp + "Unable to authenticate using AAD or admin login credentials. Please specify both username and password in non-interactive mode."]
        return [cmd, Fail(lines, "identity-permission", reg.name)]
    if k == 2:
        if rng.random() < 0.5:
            return [cmd, Fail(err + "Please run 'az login' to setup account.", "aad-credential", reg.name)]
        return [cmd, Fail([("WARNING: " if newer else "") + "Unable to get AAD authorization tokens with message: " + stamp +
                           "AADSTS7000222: The provided client secret keys for app '%s' are expired. Visit the Azure portal to create new keys for your app." % guid(rng),
                           ("WARNING: " if newer else "") + "Unable to get admin user credentials with message: Admin user is disabled.",
                           err + stamp + "Unable to authenticate using AAD or admin login credentials. Please specify both username and password in non-interactive mode."],
                          "aad-credential", reg.name)]
    if k == 3:  # ARM AuthorizationFailed (az acr credential show), name from the scope
        sub = guid(rng)
        msg = ("The client 'ci@contoso.com' with object id '%s' does not have authorization to perform action "
               "'Microsoft.ContainerRegistry/registries/listCredentials/action' over scope '/subscriptions/%s/resourceGroups/rg-build/"
               "providers/Microsoft.ContainerRegistry/registries/%s' or the scope is invalid. If access was recently granted, "
               "please refresh your credentials." % (guid(rng), sub, name))
        return ["az acr credential show %s %s" % (flag, name),
                Fail(["ERROR: (AuthorizationFailed) " + msg, "Code: AuthorizationFailed", "Message: " + msg], "identity-permission", reg.name)]
    if k in (4, 5, 6, 7):  # check-health
        out = ["az acr check-health %s %s --yes" % (flag, name),
               "Docker daemon status: available", "Docker version: 'Docker version 24.0.7, build afdd53b, platform linux/amd64'",
               "Docker pull of 'mcr.microsoft.com/mcr/hello-world:latest' : OK", "Azure CLI version: 2.%d.0" % rng.randint(40, 66),
               "DNS lookup to %s at IP 20.%d.%d.%d : OK" % (srv, rng.randrange(256), rng.randrange(256), rng.randrange(256))]
        which = k - 4
        if which == 0:
            return out + [Fail(["Challenge endpoint https://%s/v2/ : An error occurred: CONNECTIVITY_FORBIDDEN_ERROR" % srv,
                                "Looks like you don't have access to registry '%s'. Are firewalls and virtual networks enabled?" % srv,
                                "", "Please refer to https://aka.ms/acr/errors#connectivity_forbidden_error for more information."],
                               "ip-not-allowed", reg.name)]
        if which == 1:
            code = rng.choice(["401", "403"])
            return out + ["Challenge endpoint https://%s/v2/ : OK" % srv, "Fetch refresh token for registry '%s' : OK" % srv,
                          Fail(["Fetch access token for registry '%s' : An error occurred: CONNECTIVITY_ACCESS_TOKEN_ERROR" % srv,
                                "Access to registry '%s' was denied. Response code: %s. Please try running 'az login' again to refresh permissions." % (srv, code),
                                "", "Please refer to https://aka.ms/acr/errors#connectivity_access_token_error for more information."],
                               "identity-permission", reg.name)]
        if which == 2:
            return out + [Fail(["Challenge endpoint https://%s/v2/ : OK" % srv,
                                "Fetch refresh token for registry '%s' : An error occurred: CONNECTIVITY_AAD_LOGIN_ERROR" % srv,
                                "Registry '%s' does not support AAD login." % srv,
                                "", "Please refer to https://aka.ms/acr/errors#connectivity_aad_login_error for more information."],
                               "identity-permission", reg.name)]
        # look-alike: gateway timeout and DNS, not counted
        if rng.random() < 0.5:
            return out + ["Challenge endpoint https://%s/v2/ : OK" % srv,
                          "Fetch refresh token for registry '%s' : An error occurred: CONNECTIVITY_REFRESH_TOKEN_ERROR" % srv,
                          "Access to registry '%s' was denied. Response code: 504. Please try running 'az login' again to refresh permissions." % srv,
                          "", "Please refer to https://aka.ms/acr/errors#connectivity_refresh_token_error for more information."]
        return out[:-1] + ["DNS lookup to %s : An error occurred: CONNECTIVITY_DNS_ERROR" % srv,
                           "Failed to reach DNS for registry '%s'." % srv, "",
                           "Please refer to https://aka.ms/acr/errors#connectivity_dns_error for more information."]
    return [cmd, Fail(err + "This command requires running the docker daemon, which is not supported in Azure Cloud Shell. "
                      "You may want to use 'az acr login -n %s --expose-token' to get an access token, which does not require "
                      "Docker to be installed." % name, "cloud-shell-no-daemon", reg.name)]


def cli_lookalike(rng):
    reg = pick_named(rng)
    k = rng.randrange(10)
    if k == 0:
        return ["docker push myorg/tool:1.4", "The push refers to repository [docker.io/myorg/tool]",
                "%s: Preparing" % sha(rng, 12), "denied: requested access to the resource is denied"]
    if k == 1:
        return ["docker login ghcr.io -u octocat --password-stdin", 'Error response from daemon: Get "https://ghcr.io/v2/": denied: denied']
    if k == 2:  # a bare line whose context is another registry (Q3)
        return ["docker push ghcr.io/octo-org/tool:2", "The push refers to repository [ghcr.io/octo-org/tool]",
                "%s: Preparing" % sha(rng, 12), "unauthorized: authentication required"]
    if k == 3:
        return ["docker push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/svc:4",
                "The push refers to repository [123456789012.dkr.ecr.eu-west-1.amazonaws.com/svc]",
                "denied: Your authorization token has expired. Reauthenticate and try again."]
    if k == 4:
        return ["docker push gcr.io/acme-prod/svc:4", "The push refers to repository [gcr.io/acme-prod/svc]",
                "unauthorized: You don't have the needed permissions to perform this operation, and you may have invalid "
                "credentials. To authenticate your request, follow the steps in: https://cloud.google.com/container-registry/docs/advanced-authentication"]
    if k == 5:
        return ["podman login quay.io -u robot", 'Error: logging into "quay.io": invalid username/password']
    if k == 6:
        return ["docker login harbor.corp.contoso.com -u ci", 'Error response from daemon: Get "https://harbor.corp.contoso.com/v2/": unauthorized: authentication required']
    if k == 7:
        return ["docker login %s -u %s --password-stdin" % (reg.host, guid(rng)), "Login Succeeded"]
    if k == 8:
        return ["docker pull %s/app:2" % reg.host,
                'Error response from daemon: Get "https://%s/v2/app/manifests/2": toomanyrequests: too many requests. '
                "Please visit https://aka.ms/acr/faq#throttling for more information." % reg.host]
    return ["curl -s -o /dev/null -w '%%{http_code}' https://orders.internal.contoso.com/api/v2/orders", "401",
            "curl: (22) The requested URL returned error: 401 Unauthorized"]


# ---------------------------------------------------------------- producers

class Clock:
    def __init__(self, rng, start):
        self.rng, self.t = rng, start

    def step(self, lo=1, hi=400):
        self.t += dt.timedelta(seconds=self.rng.randint(lo, hi), microseconds=self.rng.randrange(10 ** 6))
        return self.t

    def tick(self):
        self.t += dt.timedelta(microseconds=self.rng.randrange(1, 3000))
        return self.t


def iso(t, digits=6, zone="Z"):
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    if digits:
        s += "." + ("%06d" % t.microsecond + "000")[:digits]
    return s + zone


def local(t, hours):
    z = dt.timezone(dt.timedelta(hours=hours))
    lt = t.astimezone(z)
    return lt, ("+%02d:00" % hours if hours >= 0 else "-%02d:00" % -hours)


class LogFile:
    """Lines of one file with their timestamps, and the failures in it."""

    def __init__(self, path, producer):
        self.path, self.producer = path, producer
        self.lines = []          # text without line ending
        self.fails = []          # dicts
        self.last_ts = None      # UTC datetime of the last stamped line
        self.crlf = False
        self.pending = []        # echo lines before the next failure

    def add(self, text, ts=None, scored=True):
        if ts is not None and scored:
            self.last_ts = ts
        elif ts is not None and not scored:
            self.last_ts = "?"
        elif ts is None and EMBEDDED.search(text):
            self.last_ts = "?"  # the Azure CLI's local time: a stamp, but not scored (Q8)
        self.lines.append(text)
        return len(self.lines)

    def fail(self, f, first, last, ts):
        self.fails.append({"line": first, "line_end": last, "registry": f.registry, "type": f.type,
                           "attempts": f.attempts, "loose": f.loose, "ts": ts, "echo": self.pending})
        self.pending = []


def ts_field(v):
    if v is None:
        return None
    if v == "?":
        return "?"
    return v.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def emit(log, items, fmt, clock, retry=False):
    """Write items (str / tuple / Fail) with fmt(text, t, item) -> (line, ts, scored) per line."""
    for item in items:
        if isinstance(item, Fail):
            n = 1
            if retry and item.type and not item.lines[0].startswith(("Fetch", "Challenge")) and len(item.lines) == 1 \
                    and isinstance(item.lines[0], str) and not isinstance(item.lines[0], tuple):
                n = rng_global.choice([1, 1, 3])
            for _ in range(n):
                first = None
                own = None
                for i, text in enumerate(item.lines):
                    t = clock.tick()
                    if isinstance(text, Raw) or (item.raw_after_first and i > 0):
                        line, ts, scored = str(text), None, True
                    else:
                        line, ts, scored = fmt(text, t)
                    before = log.last_ts
                    num = log.add(line, ts, scored)
                    if first is None:
                        first = num
                        own = (ts if scored else "?") if ts is not None else before
                        if ts is None and EMBEDDED.search(line):
                            own = "?"
                log.fail(item, first, num, ts_field(own))
        elif isinstance(item, Echo):
            t = clock.tick()
            num = log.add(*fmt(item.text, t))
            if item.before:
                log.pending.append(num)
            elif log.fails:
                log.fails[-1]["echo"].append(num)
        elif isinstance(item, list):  # a block that is not a failure
            for i, text in enumerate(item):
                t = clock.tick()
                if isinstance(text, Raw):
                    log.add(str(text))
                else:
                    log.add(*fmt(text, t))
        else:
            t = clock.tick()
            if isinstance(item, Raw):
                log.add(str(item))
            else:
                log.add(*fmt(item, t))


rng_global = random.Random(0)
EMBEDDED = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


def producer_dockerd(rng, log, clock, mode):
    hours = rng.choice([0, 0, 1, -5, 9])
    counter = [0]
    start = clock.t

    def fmt(item, t):
        if isinstance(item, str):
            item = ("info", item)
        level, msg = item[0], item[1]
        extra = item[2] if len(item) > 2 else {}
        if mode == "json":
            rec = {"level": level, "msg": msg}
            rec.update(extra)
            lt, z = local(t, hours)
            rec["time"] = iso(lt, 9, z if hours else "Z")
            return json.dumps(rec, separators=(",", ":")), t, True
        if mode == "short":
            counter[0] = max(counter[0], int((t - start).total_seconds()))
            tag = {"info": "INFO", "error": "ERRO", "warning": "WARN", "fatal": "FATA"}[level]
            ex = "".join(" %s=\"%s\"" % (k, esc(v)) for k, v in extra.items())
            return "%s[%04d] %s%s" % (tag, counter[0], msg, ex), t, False
        lt, z = local(t, hours)
        ex = "".join(" %s=\"%s\"" % (k, esc(v)) for k, v in extra.items())
        return 'time="%s" level=%s msg="%s"%s' % (iso(lt, 9, z if hours else "Z"), level, esc(msg), ex), t, True

    log.add(*fmt(("info", "Starting up"), clock.step()))
    log.add(*fmt(("info", "API listen on /run/docker.sock"), clock.tick()))
    for _ in range(rng.randint(5, 9)):
        clock.step()
        emit(log, dockerd_event(rng), fmt, clock)
        if rng.random() < 0.5:
            emit(log, [("info", "Container %s failed to exit within 10 seconds of signal 15 - using the force" % sha(rng, 64))], fmt, clock)


def klog_prefix(t, level="E"):
    return "%s%s %s %7d " % (level, t.strftime("%m%d"), t.strftime("%H:%M:%S.%f"), 2345)


def producer_kubelet(rng, log, clock, under_syslog, host):
    def fmt(text, t):
        lvl = "I" if text.startswith(("kubelet.go", "Back")) else ("W" if "BackOff" in text else "E")
        line = klog_prefix(t, lvl) + text
        if under_syslog:
            line = "%s %2d %s %s kubelet[2345]: %s" % (t.strftime("%b"), t.day, t.strftime("%H:%M:%S"), host, line)
        return line, t, True

    emit(log, ['kubelet.go:2501] "SyncLoop (PLEG): event for pod"'], fmt, clock)
    for _ in range(rng.randint(4, 8)):
        clock.step()
        emit(log, kubelet_event(rng, block_ok=not under_syslog), fmt, clock)


def producer_containerd(rng, log, clock, host, style):
    """containerd logrus under journalctl -o short-iso, RFC 5424 syslog or journald JSON."""
    hours = rng.choice([0, 1, -8])

    def fmt(item, t):
        lvl, msg, err = item if isinstance(item, tuple) else ("info", item, None)
        inner = 'time="%s" level=%s msg="%s"' % (iso(t, 9), lvl, esc(msg))
        if lvl == "debug":
            inner += " " + err
        elif err:
            inner += ' error="%s"' % esc(err)
        if style == "short-iso":
            lt, z = local(t, hours)
            return "%s %s containerd[812]: %s" % (lt.strftime("%Y-%m-%dT%H:%M:%S") + z.replace(":", ""), host, inner), t, True
        if style == "rfc5424":
            return "<27>1 %s %s containerd 812 - - %s" % (iso(t, 6, "+00:00"), host, inner), t, True
        rec = {"__CURSOR": "s=%s;i=%x" % (sha(rng, 32), rng.getrandbits(20)),
               "__REALTIME_TIMESTAMP": str(int(t.timestamp() * 10 ** 6)), "_HOSTNAME": host,
               "SYSLOG_IDENTIFIER": "containerd", "_PID": "812", "PRIORITY": "3" if lvl == "error" else "6", "MESSAGE": inner}
        return json.dumps(rec, separators=(", ", " : ")).replace("{", "{ ", 1), t, True

    emit(log, ["starting containerd"], fmt, clock)
    for _ in range(rng.randint(4, 8)):
        clock.step()
        reg = pick_named(rng, allow_data=True)
        img = image(rng, reg)
        if rng.random() < 0.25:
            img, chain = pull_lookalike(rng, reg)
            emit(log, [("error", 'PullImage "%s" failed' % img, chain)], fmt, clock)
            continue
        if rng.random() < 0.1:  # a debug trace of the normal challenge
            emit(log, [("debug", "fetch response received",
                        'host=%s response.header.www-authenticate="Bearer realm=\\"https://%s/oauth2/token\\",service=\\"%s\\"" '
                        'response.status="401 Unauthorized" url="https://%s/v2/"' % (reg.host, reg.host, reg.host, reg.host))], fmt, clock)
            continue
        t = rng.choice(PULL_KINDS)
        emit(log, [("info", 'PullImage "%s"' % img, None),
                   Fail([("error", 'PullImage "%s" failed' % img, pull_chain(rng, t, img, reg.host))], t, reg.name)], fmt, clock)


def producer_jsonfile(rng, log, clock, cri=False):
    """A CI job container's output in Docker's json-file driver or the CRI format."""
    hours = rng.choice([0, 0, 1, -5])

    def fmt(text, t):
        stream = "stderr" if any(w in text for w in ("rror", "denied", "nauthorized", "ERROR")) else "stdout"
        if cri:
            lt, z = local(t, hours)
            return "%s %s F %s" % (iso(lt, 9, z if hours else "Z"), stream, text), t, True
        return json.dumps({"log": text + "\n", "stream": stream, "time": iso(t, 9)}, separators=(",", ":")), t, True

    emit(log, ["+ set -euo pipefail"], fmt, clock)
    for _ in range(rng.randint(4, 8)):
        clock.step()
        if rng.random() < 0.25:
            emit(log, ["+ " + x if i == 0 else x for i, x in enumerate(cli_lookalike(rng))], fmt, clock)
        else:
            ev = cli_event(rng)
            ev[0] = "+ " + ev[0]
            emit(log, ev, fmt, clock, retry=True)


def producer_kubectl(rng, log, clock, style):
    def fmt(text, t):
        return text, None, True
    for _ in range(rng.randint(2, 3)):
        emit(log, ["$ kubectl %s" % {"describe": "describe pod -n prod -l app=api", "get": "get events -n prod",
                                       "events": "events -n prod --types=Warning,Normal"}[style]], fmt, clock)
        emit(log, kubectl_rows(rng, style), fmt, clock)
        emit(log, [""], fmt, clock)


def producer_syslog(rng, log, clock, host):
    """RFC 3164 syslog: kubelet, containerd and applications with their own 401s."""
    def stamp(t):
        return "%s %2d %s" % (t.strftime("%b"), t.day, t.strftime("%H:%M:%S"))

    def fmt(text, t):
        if isinstance(text, tuple):
            tag, msg = text
        else:
            tag, msg = "kubelet[2345]", klog_prefix(t) + text
        return "%s %s %s: %s" % (stamp(t), host, tag, msg), t, True

    for _ in range(rng.randint(6, 10)):
        clock.step()
        r = rng.random()
        if r < 0.45:
            emit(log, kubelet_event(rng, block_ok=False), fmt, clock)
        elif r < 0.65:
            emit(log, [("nginx", '10.0.%d.%d - - [%s +0000] "GET /api/v2/orders HTTP/1.1" 401 172 "-" "curl/8.4.0"' % (
                rng.randrange(256), rng.randrange(256), clock.t.strftime("%d/%b/%Y:%H:%M:%S")))], fmt, clock)
        elif r < 0.8:
            emit(log, [("orders-api[4411]", 'level=warning msg="upstream returned 401 Unauthorized: authentication required" '
                                            'url="https://billing.internal.contoso.com/v2/invoices"')], fmt, clock)
        else:
            emit(log, [("systemd[1]", "Started Kubernetes systemd probe.")], fmt, clock)


def producer_gha(rng, log, clock, variant):
    def fmt(text, t):
        return iso(t, 7) + " " + text, t, True

    emit(log, ["Current runner version: '2.311.0'", "##[group]Operating System", "Ubuntu", "22.04.3", "LTS", "##[endgroup]"], fmt, clock)
    for _ in range(rng.randint(3, 6)):
        clock.step()
        r = rng.random()
        if r < 0.3:  # docker/login-action: only the annotation
            reg = pick_reg(rng, masked=0.4)
            emit(log, ["##[group]Run docker/login-action@v3", "with:", "  registry: %s" % reg.host, "  username: ***",
                       "  password: ***", "  ecr: auto", "  logout: true", "##[endgroup]", "Logging into %s..." % reg.host,
                       Fail('##[error]Error response from daemon: Get "https://%s/v2/": unauthorized: authentication required' % reg.host,
                            "unauthorized", reg.name)], fmt, clock)
        elif r < 0.85:
            ev = cli_event(rng, masked=0.35) if rng.random() < 0.8 else cli_lookalike(rng)
            cmd = ev[0]
            block = ["##[group]Run " + cmd, ESC + "[36;1m" + cmd + ESC + "[0m", "shell: /usr/bin/bash -e {0}", "env:",
                     "  AZURE_CONFIG_DIR: /home/runner/.azure", "##[endgroup]"]
            emit(log, block, fmt, clock)
            emit(log, ev[1:], fmt, clock, retry=True)
            fails = [x for x in ev if isinstance(x, Fail)]
            if fails and rng.random() < 0.5 and len(fails[-1].lines) == 1 and not isinstance(fails[-1].lines[0], tuple):
                emit(log, [Echo("##[error]" + fails[-1].lines[0])], fmt, clock)  # echo (Q1)
            emit(log, ["##[error]Process completed with exit code 1."], fmt, clock)
        else:  # a tool that writes the workflow command itself
            reg = pick_named(rng)
            emit(log, ["##[group]Run ./scripts/publish.sh", ESC + "[36;1m./scripts/publish.sh" + ESC + "[0m", "##[endgroup]",
                       "Publishing chart to oci://%s/helm" % reg.host,
                       Fail("::error::helm push failed: unexpected status from POST request to https://%s/v2/helm/ingress/blobs/uploads/: "
                            "401 Unauthorized" % reg.host.split(":")[0], "unauthorized", reg.name)], fmt, clock)
    emit(log, ["Cleaning up orphan processes"], fmt, clock)


def producer_azp(rng, log, clock):
    def fmt(text, t):
        return iso(t, 7) + " " + text, t, True

    for _ in range(rng.randint(3, 6)):
        clock.step()
        ev = cli_event(rng, masked=0.3) if rng.random() < 0.8 else cli_lookalike(rng)
        emit(log, ["##[section]Starting: Task %d" % rng.randint(1, 9),
                   "==============================================================================",
                   "Task         : %s" % rng.choice(["Docker", "Azure CLI", "Command line"]),
                   "==============================================================================",
                   "[command]/usr/bin/" + ev[0]], fmt, clock)
        emit(log, ev[1:], fmt, clock, retry=True)
        fails = [x for x in ev if isinstance(x, Fail)]
        if fails and len(fails[-1].lines) == 1:
            emit(log, [Echo("##[error]" + fails[-1].lines[0])], fmt, clock)  # echo (Q1)
        emit(log, ["##[error]The process '/usr/bin/%s' failed with exit code 1" % ev[0].split()[0], "##[section]Finishing: Task"], fmt, clock)


def producer_gitlab(rng, log, clock):
    stamped = rng.random() < 0.5

    def fmt(text, t):
        if stamped:
            return iso(t, 6) + " 01O " + text, t, True
        return text, None, True

    emit(log, [ESC + "[0KRunning with gitlab-runner 16.5.0 (853330f9)" + ESC + "[0;m"], fmt, clock)
    for _ in range(rng.randint(3, 6)):
        clock.step()
        ev = cli_event(rng, masked=0.3) if rng.random() < 0.8 else cli_lookalike(rng)
        cmd = ev[0]
        emit(log, ["section_start:%d:step_script\r" % int(clock.t.timestamp()) + ESC + "[0K" + ESC + "[0K" + ESC +
                   '[36;1mExecuting "step_script" stage of the job script' + ESC + "[0;m",
                   ESC + "[32;1m$ " + cmd + ESC + "[0;m"], fmt, clock)
        emit(log, ev[1:], fmt, clock, retry=True)
        emit(log, ["section_end:%d:step_script\r" % int(clock.t.timestamp()) + ESC + "[0K" + ESC + "[31;1mERROR: Job failed: exit code 1" + ESC + "[0;m"], fmt, clock)


def producer_jenkins(rng, log, clock):
    def fmt(text, t):
        return "[%s] %s" % (iso(t, 3), text), t, True

    emit(log, ["Started by timer", "Running in Durability level: MAX_SURVIVABILITY", "[Pipeline] Start of Pipeline"], fmt, clock)
    for _ in range(rng.randint(3, 6)):
        clock.step()
        ev = cli_event(rng, masked=0.2) if rng.random() < 0.8 else cli_lookalike(rng)
        emit(log, ["[Pipeline] sh", "+ " + ev[0]], fmt, clock)
        emit(log, ev[1:], fmt, clock, retry=True)
    emit(log, ["[Pipeline] End of Pipeline", "ERROR: script returned exit code 1", "Finished: FAILURE"], fmt, clock)


def producer_session(rng, log, clock, wrap):
    """A terminal session pasted into a ticket: prompts, no timestamps, some lines hard-wrapped."""
    def fmt(text, t):
        return text, None, True

    for _ in range(rng.randint(4, 8)):
        ev = cli_event(rng, masked=0.25) if rng.random() < 0.8 else cli_lookalike(rng)
        emit(log, ["$ " + ev[0]], fmt, clock)
        for x in ev[1:]:
            if wrap and isinstance(x, Fail) and len(x.lines) == 1 and len(x.lines[0]) > 80:
                x = Fail(wrap80(x.lines[0]), x.type, x.registry, x.attempts, x.loose)
            elif wrap and isinstance(x, str) and len(x) > 80:
                x = wrap80(x)
            emit(log, [x], fmt, clock, retry=not wrap)
        emit(log, [""], fmt, clock)


def producer_appservice(rng, log, clock):
    dmy = rng.random() < 0.4

    def fmt(text, t):
        lvl, msg = text if isinstance(text, tuple) else ("INFO ", text)
        if dmy:
            s = t.strftime("%d/%m/%Y %H:%M:%S.") + "%03d" % (t.microsecond // 1000)
        else:
            s = t.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (t.microsecond // 1000)
        return "%s %s - %s" % (s, lvl, msg), t, True

    for _ in range(rng.randint(3, 6)):
        clock.step()
        reg = pick_named(rng)
        img = image(rng, reg)
        emit(log, [("INFO ", "Pulling image: %s" % img)], fmt, clock)
        if rng.random() < 0.25:
            emit(log, [("INFO ", "Pull Image successful, Time taken: 0 Seconds"), ("INFO ", "Starting container for site")], fmt, clock)
            continue
        emit(log, [Fail(("ERROR", 'DockerApiException: Docker API responded with status code=InternalServerError, response={"message":'
                                  '"Get https://%s/v2/%s/manifests/%s: unauthorized: authentication required, visit '
                                  'https://aka.ms/acr/authorization for more information."}' % (
                                      reg.host, repo_of(img), img.rsplit(":", 1)[1])), "unauthorized", reg.name),
                   ("WARN ", "Image pull failed. Defaulting to local copy if present."),
                   Echo(("ERROR", "Image pull failed: Verify docker image configuration and credentials (if using private repository)")),
                   ("INFO ", "Stopping site because it failed during startup.")], fmt, clock)


def producer_acrtask(rng, log, clock):
    def fmt(text, t):
        return t.strftime("%Y/%m/%d %H:%M:%S") + " " + text, t, True

    emit(log, ["Alias support enabled for version >= 1.1.0, please see https://aka.ms/acr/tasks/task-aliases for more information.",
               "Creating Docker network: acb_default_network, driver: 'bridge'", "Successfully set up Docker network: acb_default_network",
               "Setting up Docker configuration..."], fmt, clock)
    for _ in range(rng.randint(2, 4)):
        clock.step()
        reg = pick_named(rng)
        emit(log, ["Logging in to registry: %s" % reg.host.split(":")[0]], fmt, clock)
        if rng.random() < 0.3:
            emit(log, ["Successfully logged into %s" % reg.host.split(":")[0]], fmt, clock)
            continue
        emit(log, [Fail("failed to login, ran out of retries: failed to set docker credentials: Error response from daemon: Get "
                        '"https://%s/v2/": unauthorized: authentication required' % reg.host.split(":")[0], "unauthorized", reg.name)], fmt, clock)


# ---------------------------------------------------------------- fleet

def gen(seed, out, hosts=5):
    global rng_global
    rng = random.Random(seed)
    rng_global = random.Random(seed * 7919 + 1)
    fleet = os.path.join(out, "fleet")
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(fleet)
    base = dt.datetime(2026, 11, 20, 1, 0, 0, tzinfo=UTC)
    truth = []
    for h in range(hosts):
        host = "%s-%02d" % (rng.choice(["aks-nodepool1", "ci-agent", "buildvm", "edge-node"]), h)
        logs = []
        specs = [
            ("var/log/docker.log", "dockerd", lambda L, c: producer_dockerd(rng, L, c, "text")),
            ("var/log/docker-json.log", "dockerd", lambda L, c: producer_dockerd(rng, L, c, "json")),
            ("run/dockerd-foreground.txt", "dockerd", lambda L, c: producer_dockerd(rng, L, c, "short")),
            ("var/log/kubelet.log", "kubelet", lambda L, c: producer_kubelet(rng, L, c, False, host)),
            ("var/log/journal/kubelet.txt", "kubelet", lambda L, c: producer_kubelet(rng, L, c, True, host)),
            ("var/log/journal/containerd.txt", "containerd", lambda L, c: producer_containerd(rng, L, c, host, "short-iso")),
            ("var/log/containerd-5424.log", "containerd", lambda L, c: producer_containerd(rng, L, c, host, "rfc5424")),
            ("var/log/journal/export.json", "journald", lambda L, c: producer_containerd(rng, L, c, host, "json")),
            ("var/lib/docker/containers/%s/%s-json.log" % ((sha(rng, 64),) * 2), "json-file", lambda L, c: producer_jsonfile(rng, L, c)),
            ("var/log/pods/ci_runner-%s/build/0.log" % sha(rng, 5), "cri", lambda L, c: producer_jsonfile(rng, L, c, cri=True)),
            ("kubectl/describe.txt", "kubectl", lambda L, c: producer_kubectl(rng, L, c, "describe")),
            ("kubectl/get-events.txt", "kubectl", lambda L, c: producer_kubectl(rng, L, c, "get")),
            ("kubectl/events.txt", "kubectl", lambda L, c: producer_kubectl(rng, L, c, "events")),
            ("var/log/syslog", "syslog", lambda L, c: producer_syslog(rng, L, c, host)),
            ("ci/github-actions.log", "gha", lambda L, c: producer_gha(rng, L, c, 0)),
            ("ci/azure-pipelines.log", "azp", lambda L, c: producer_azp(rng, L, c)),
            ("ci/gitlab-job.log", "gitlab", lambda L, c: producer_gitlab(rng, L, c)),
            ("ci/jenkins-console.log", "jenkins", lambda L, c: producer_jenkins(rng, L, c)),
            ("tickets/session.txt", "cli", lambda L, c: producer_session(rng, L, c, False)),
            ("tickets/pasted-wrapped.txt", "cli", lambda L, c: producer_session(rng, L, c, True)),
            ("appservice/docker.log", "appservice", lambda L, c: producer_appservice(rng, L, c)),
            ("acr-tasks/run-ca1.log", "acrtask", lambda L, c: producer_acrtask(rng, L, c)),
        ]
        for rel, producer, fn in specs:
            log = LogFile(rel, producer)
            clock = Clock(rng, base + dt.timedelta(minutes=rng.randint(0, 600)))
            fn(log, clock)
            log.end = clock.t
            logs.append(log)
        # rotation and line endings
        rng.shuffle(logs)
        for i, log in enumerate(logs):
            log.crlf = log.producer in ("gitlab", "jenkins", "cli", "appservice") and rng.random() < 0.5
            log.gz = None
            if log.producer in ("dockerd", "kubelet", "containerd", "syslog", "json-file") and rng.random() < 0.3:
                log.gz = "multi" if rng.random() < 0.4 else "single"
        for log in logs:
            rel = log.path
            if log.gz:
                rel += ".1.gz"
            path = os.path.join(fleet, host, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            nl = "\r\n" if log.crlf else "\n"
            data = "".join(line + nl for line in log.lines).encode("utf-8")
            if log.gz == "single":
                data = gzip.compress(data, mtime=0)
            elif log.gz == "multi":
                cut = data.find(b"\n", len(data) // 2) + 1
                data = gzip.compress(data[:cut], mtime=0) + gzip.compress(data[cut:], mtime=0)
            with open(path, "wb") as f:
                f.write(data)
            m = (log.end + dt.timedelta(minutes=5)).timestamp()
            os.utime(path, (m, m))
            for fl in log.fails:
                rec = {"host": host, "file": os.path.join(host, rel), "producer": log.producer}
                rec.update(fl)
                truth.append(rec)
    groups = collections.OrderedDict()
    for t in truth:
        k = (t["host"], t["registry"], t["type"])
        g = groups.setdefault(k, {"host": k[0], "registry": k[1], "type": k[2], "count": 0, "attempts": 0})
        g["count"] += 1
        g["attempts"] += t["attempts"]
    totals = {"failures": len(truth),
              "by_host": dict(collections.Counter(t["host"] for t in truth)),
              "by_registry": dict(collections.Counter(str(t["registry"]) for t in truth)),
              "by_type": dict(collections.Counter(t["type"] for t in truth))}
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump({"seed": seed, "totals": totals, "groups": list(groups.values()), "failures": truth}, f, indent=1)
    return truth


# ---------------------------------------------------------------- check

def parse_ts(s):
    return dt.datetime.strptime(s.replace("Z", ""), "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC)


def check(args):
    out = args.out or tempfile.mkdtemp(prefix="fleet2-")
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
        free = [t for t in cands if t["matched"] is None]
        if free:
            free[0]["matched"] = o
        elif cands:
            dups.append(o)
        else:
            extras.append(o)
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
        "misses": len(misses), "extras": len(extras), "duplicates": len(dups),
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
        print("  misses %d, extras %d, duplicates %d" % (len(misses), len(extras), len(dups)))
        if args.verbose:
            lines = lambda t: t  # noqa: E731
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
