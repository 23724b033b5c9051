#!/usr/bin/env python3
"""Sweep workflow oracle: an independent check of acrscan's nightly-sweep workflow.

Written from /work/shared/SPEC.md and FIELD-NOTES.md only (not from the sources, not from
scripts/fleet-oracle.py). A seeded fleet of hosts whose logs evolve over several nights:
appends (also mid-line), logrotate (rename + create, copytruncate, delaycompress .1 -> .2.gz,
multi-member gzip from `cat a.gz b.gz`), deletions, a truncated and rewritten file, a symlink,
a hard link (one content, two paths), CRLF, klog across New Year with the file's mtime set,
logrus offsets and journalctl short-iso zones, the 8 failure types with retries, echoes,
multi-line blocks and look-alikes, one block split across a sweep boundary.

Ground truth per (host, registry, type): count, attempts and occurrence times after each night.
Then the real binary: per-host dbs (scan after each night), one db for all hosts (--host),
merge of the per-host dbs (twice), export ndjson and csv, report --format json. Every
difference is printed with the file:line of the truth or of acrscan's evidence.

  python3 scripts/sweep-oracle.py --seed 1 --bin .build/debug/acrscan [--work DIR] [--json]

Exit 0 when every check agrees, 1 when some differ, 2 on a usage or tool error.

Readings of SPEC written down here (also in docs/counting-rules.md, "Sweep workflow check"):
- R1 a line is counted once its bytes are there; a partial line (no newline yet) that shows no
  failure is not counted at that night, and the whole line counts after the night that completes it.
- R2 a multi-line block split across a sweep boundary counts once (the part before the boundary
  already shows the failure and its type; the rest adds nothing).
- R3 deleting a file after it was swept removes nothing that was stored.
- R4 klog lines take their year from the file's mtime: a month after the mtime's month is the
  year before. klog and the hosts' clocks are UTC.
- R5 a file with no timestamp at all (kubectl describe output) gives occurrences with no time.
- R6 the same content reached by a symlink or a hard link is one content: counted once.
"""

import argparse
import csv
import datetime as dt
import gzip
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict

UTC = dt.timezone.utc
NIGHTS = [dt.datetime(2026, 12, 28, tzinfo=UTC) + dt.timedelta(days=i) for i in range(4)]
REGISTRIES = ["contosoprod", "fabrikamci", "northwind", "tailspinacr", "wingtipeu"]
TYPES = [
    "docker-command-error", "cloud-shell-no-daemon", "unauthorized", "identity-permission",
    "ip-not-allowed", "access-denied", "aad-credential", "anonymous-pull",
]


def iso_z(t):
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Log:
    """One log file on one host; tracks line numbers for the truth's file:line."""

    def __init__(self, host, rel, crlf=False):
        self.host = host
        self.rel = rel
        self.crlf = crlf
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        if not os.path.exists(self.path):
            open(self.path, "wb").close()

    @property
    def path(self):
        return os.path.join(self.host.root, self.rel)

    def nl_count(self):
        with open(self.path, "rb") as f:
            return f.read().count(b"\n")

    def append(self, lines, partial_tail=None):
        """Appends lines (each ended), returns the 1-based number of the first one.
        partial_tail: bytes left without a newline at the end (a line being written)."""
        first = self.nl_count() + 1
        eol = "\r\n" if self.crlf else "\n"
        data = "".join(line + eol for line in lines)
        if partial_tail is not None:
            data += partial_tail
        with open(self.path, "ab") as f:
            f.write(data.encode())
        return first


class Host:
    def __init__(self, fleet, name, rng):
        self.fleet = fleet
        self.name = name
        self.rng = rng
        self.root = os.path.join(fleet.work, "hosts", name)
        self.tree = os.path.join(self.root, "var", "log")
        self.regs = rng.sample(REGISTRIES, 3)
        self.tz = rng.choice([1, -5, 9, 0])  # dockerd's local offset, hours

    def ls(self, reg):
        """A login server for reg, in one of the shapes the field notes list."""
        return self.rng.choice([
            f"{reg}.azurecr.io", f"{reg}.azurecr.io", f"{reg.upper()}.azurecr.io",
            f"{reg}.westeurope.data.azurecr.io", f"{reg}.azurecr.cn", f"{reg}.azurecr.io:443",
        ])

    def truth(self, reg, typ, log, line, ts, attempts=1, note=""):
        self.fleet.truth.append({
            "host": self.name, "registry": reg, "type": typ, "attempts": attempts,
            "ts": iso_z(ts) if ts else None, "where": f"{self.name}:{log.rel}:{line}", "note": note,
            "night": self.fleet.night,
        })


# ---------------------------------------------------------------- producers' line forms

def logrus(t, tz, level, msg):
    local = t.astimezone(dt.timezone(dt.timedelta(hours=tz)))
    off = local.strftime("%z")
    off = "Z" if tz == 0 else off[:3] + ":" + off[3:]
    stamp = local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}123" + off
    return f'time="{stamp}" level={level} msg="{msg}"'


def short_iso(t, tz, host, proc, msg):
    local = t.astimezone(dt.timezone(dt.timedelta(hours=tz)))
    return local.strftime("%Y-%m-%dT%H:%M:%S%z") + f" {host} {proc}: {msg}"


def klog(t, sev, src, msg):
    return f"{sev}{t.strftime('%m%d %H:%M:%S')}.{t.microsecond:06d}    2412 {src}] {msg}"


def gha(t, msg):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}1Z {msg}"


def jenkins(t, msg):
    return "[" + t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z] {msg}"


def jsonfile(t, msg, spaced=False):
    """Docker's json-file row (compact), or as a shipper re-serialises it (blanks after `:` and `,`)."""
    row = {"log": msg + "\n", "stream": "stderr", "time": iso_z(t)[:-1] + ".000000001Z"}
    return json.dumps(row) if spaced else json.dumps(row, separators=(",", ":"))


def esc(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


# ---------------------------------------------------------------- the fleet

class Fleet:
    def __init__(self, seed, work, nhosts):
        self.seed = seed
        self.work = work
        self.rng = random.Random(seed)
        self.truth = []
        self.night = 0
        self.hosts = [Host(self, f"node-{i:02d}", random.Random(seed * 1000 + i)) for i in range(nhosts)]
        for h in self.hosts:
            h.logs = {}
            h.docker = Log(h, "var/log/docker.log")
            h.containerd = Log(h, "var/log/containerd.log")
            h.kubelet = Log(h, "var/log/kubelet.log")
            h.jenkins = Log(h, "var/log/jenkins/console.log", crlf=True)
            h.app = Log(h, "var/log/app/app.log")
            h.pod = Log(h, "var/log/pods/web_0/web/0.log")
            link = os.path.join(h.tree, "containers", "web.log")
            os.makedirs(os.path.dirname(link), exist_ok=True)
            os.link(h.pod.path, link)  # R6: one content, two paths (hard link)
            h.pending = None  # a block or a line split across the sweep boundary

    def at(self, night, hour, minute=None, second=None):
        r = self.rng
        return NIGHTS[night] + dt.timedelta(
            hours=hour, minutes=r.randrange(60) if minute is None else minute,
            seconds=r.randrange(60) if second is None else second, microseconds=r.randrange(1000000))

    # ---- events: each writes lines and records what SPEC says counts

    def ev_dockerd(self, h, n):
        r = h.rng
        reg = r.choice(h.regs)
        ls = h.ls(reg)
        t = self.at(n, r.randrange(1, 22))
        kind = r.choice(["ip", "unauth", "aad", "anon"])
        if kind == "ip":
            ip = f"203.0.113.{r.randrange(1, 250)}"
            msg = esc(f'Handler for POST /v1.43/images/create returned error: Get "https://{ls}/v2/": denied: '
                      f"client with IP '{ip}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access")
            typ = "ip-not-allowed"
        elif kind == "unauth":
            msg = esc(f'Handler for POST /v1.43/auth returned error: Get "https://{ls}/v2/": unauthorized: '
                      "authentication required")
            typ = "unauthorized"
        elif kind == "aad":
            msg = esc(f'Handler for POST /v1.43/auth returned error: Get "https://{ls}/v2/": unauthorized: '
                      "Application not registered with AAD.")
            typ = "aad-credential"
        else:
            msg = esc(f'Not continuing with pull after error: failed to resolve reference "{ls}/web:1.{r.randrange(9)}": '
                      "failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized")
            typ = "anonymous-pull"
        retries = r.choice([1, 1, 2, 3])
        lines = [logrus(t - dt.timedelta(seconds=1), h.tz, "info", f"API listen on /var/run/docker.sock")]
        lines += [logrus(t, h.tz, "error", msg)] * retries  # a retry loop: the identical line, same second
        first = h.docker.append(lines)
        for i in range(retries):
            h.truth(reg, typ, h.docker, first + 1 + i, t, note="dockerd retry" if i else "dockerd")
        # look-alikes: not ACR, not auth
        la = [
            logrus(t, h.tz, "error", esc('Handler for POST /v1.43/images/create returned error: Get '
                                         '"https://registry-1.docker.io/v2/": unauthorized: incorrect username or password')),
            logrus(t, h.tz, "error", esc(f'Handler for GET /v1.43/distribution/{ls}/web:9.9/json returned error: '
                                         f'manifest for {ls}/web:9.9 not found: manifest unknown: manifest tagged by "9.9" is not found')),
            logrus(t, h.tz, "error", esc(f'Handler for POST /v1.43/images/create returned error: Get "https://{ls}/v2/": '
                                         f'dial tcp: lookup {ls.split(":")[0]} on 10.0.0.10:53: no such host')),
            logrus(t, h.tz, "error", esc(f'Handler for POST /v1.43/images/create returned error: Get "https://harbor.contoso-corp.com/v2/": '
                                         "unauthorized: authentication required")),
        ]
        h.docker.append([r.choice(la)])

    def ev_containerd(self, h, n):
        r = h.rng
        reg = r.choice(h.regs)
        ls = h.ls(reg).split(":")[0]
        t = self.at(n, r.randrange(1, 22))
        img = f"{ls}/api:{r.randrange(1, 30)}"
        tz = r.choice([1, -8, 0])
        new = r.random() < 0.5
        if new:
            cause = (f"failed to authorize: failed to fetch anonymous token: unexpected status from GET request to "
                     f"https://{ls}/oauth2/token?scope=repository%3Aapi%3Apull&service={ls}: 401 Unauthorized")
        else:
            cause = "failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized"
        msg = (f'time="{iso_z(t)[:-1]}.{t.microsecond:06d}000Z" level=error msg="PullImage \\"{img}\\" failed" '
               f'error="failed to pull and unpack image \\"{img}\\": failed to resolve reference \\"{img}\\": {cause}"')
        first = h.containerd.append([short_iso(t, tz, h.name, "containerd[812]", msg)])
        h.truth(reg, "anonymous-pull", h.containerd, first, t, note="containerd short-iso")
        # look-alike: throttling with an aka.ms/acr link
        h.containerd.append([short_iso(t, tz, h.name, "containerd[812]",
                                       f'time="{iso_z(t)}" level=error msg="PullImage \\"{img}\\" failed" error="failed to pull: '
                                       "toomanyrequests: too many requests. Please visit https://aka.ms/acr/tooManyRequests "
                                       'for more information."')])

    def ev_kubelet(self, h, n, t=None):
        r = h.rng
        reg = r.choice(h.regs)
        ls = h.ls(reg).split(":")[0]
        t = t or self.at(n, r.randrange(1, 22))
        if r.random() < 0.4:  # the second logger's line then falls in the next second
            t = t.replace(microsecond=r.randrange(996500, 999800))
        img = f"{ls}/worker:{r.randrange(1, 30)}"
        err = (f'rpc error: code = Unknown desc = failed to pull and unpack image \\"{img}\\": failed to resolve reference '
               f'\\"{img}\\": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized')
        lines = [
            klog(t, "E", "remote_image.go:180", f'"PullImage from image service failed" err="{err}" image="{img}"'),
            klog(t, "E", "kuberuntime_manager.go:1256", f'"Unhandled Error" err="container &Container{{Name:worker,Image:{img},}} '
                 f'start failed in pod worker-7d9_default(1b2c): ErrImagePull: {err}"'),
            klog(t + dt.timedelta(microseconds=r.randrange(200, 4000)), "E", "pod_workers.go:1298",
                 f'"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"worker\\" with ErrImagePull: '
                 f'\\"{err}\\"" pod="default/worker-7d9"'),
            klog(t + dt.timedelta(seconds=20), "E", "pod_workers.go:1298",
                 f'"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"worker\\" with ImagePullBackOff: '
                 f'\\"Back-off pulling image \\\\\\"{img}\\\\\\"\\"" pod="default/worker-7d9"'),
        ]
        first = h.kubelet.append(lines)
        h.truth(reg, "anonymous-pull", h.kubelet, first, t, note="kubelet pull (its echoes add nothing)")
        return t

    def ev_ci(self, h, n):
        """A GitHub Actions build log: a new file each night, ci/latest.log a symlink to it."""
        r = h.rng
        log = Log(h, f"var/log/ci/build-{n + 1}.log")
        t = self.at(n, r.randrange(1, 20))
        reg = r.choice(h.regs)
        ls = f"{reg}.azurecr.io"
        lines, rec = [], []

        def add(msg, dt_s=0):
            lines.append(gha(t + dt.timedelta(seconds=dt_s), msg))
            return len(lines)

        add("##[group]Run az acr login --name " + reg)
        add("az acr login --name " + reg)
        add("##[endgroup]")
        kind = r.choice(["cascade", "dce", "push", "login", "aadsp"])
        if kind == "cascade":  # identity-permission, a 4-line cascade, counted once
            cli = (t + dt.timedelta(seconds=2)).strftime("%Y-%m-%d %H:%M:%S.") + f"{t.microsecond:06d}"
            i = add(f"ERROR: {cli} Unable to get AAD authorization tokens with message: An error occurred: "
                    "CONNECTIVITY_REFRESH_TOKEN_ERROR", 2)
            add(f"Access to registry '{ls}' was denied. Response code: 403. Please try running 'az login' again to "
                "refresh permissions.", 2)
            add(f"Unable to get admin user credentials with message: The resource with name '{reg}' and type "
                "'Microsoft.ContainerRegistry/registries' could not be found in subscription 'Contoso CI "
                "(00000000-1111-2222-3333-444444444444)'.", 2)
            add("Unable to authenticate using AAD or admin login credentials. Please check your credentials.", 2)
            rec.append((reg, "identity-permission", i, 2, "az cascade"))
            add("##[error]Process completed with exit code 1.", 3)
        elif kind == "dce":
            i = add("An error occurred: DOCKER_COMMAND_ERROR", 1)
            add("Please verify if Docker client is installed and running.", 1)
            rec.append((reg, "docker-command-error", i, 1, "DOCKER_COMMAND_ERROR block"))
            add("##[error]Process completed with exit code 1.", 2)
        elif kind == "push":
            add(f"##[group]Run docker push {ls}/site:{n + 1}.0", 5)
            add("##[endgroup]", 5)
            add(f"The push refers to repository [{ls}/site]", 6)
            add("5f70bf18a086: Preparing", 6)
            i = add("denied: requested access to the resource is denied", 7)
            rec.append((reg, "access-denied", i, 7, "push denied"))
            add("##[error]Process completed with exit code 1.", 7)
        elif kind == "login":  # a retry loop: the identical line three times, then the annotation echo
            add(f"##[group]Run for i in 1 2 3; do docker login {ls} -u ci -p *** && break; done", 5)
            add("##[endgroup]", 5)
            msg = f'Error response from daemon: Get "https://{ls}/v2/": unauthorized: authentication required'
            for _ in range(3):
                i = add(msg, 6)
                rec.append((reg, "unauthorized", i, 6, "login retry loop"))
            add("##[error]" + msg, 6)  # echo of the tool's line: adds nothing
        else:  # the cause inside the 401 body decides: aad-credential
            add(f"##[group]Run docker login {ls} -u 11111111-2222-3333-4444-555555555555 -p ***", 5)
            add("##[endgroup]", 5)
            i = add(f'Error response from daemon: Get "https://{ls}/v2/": unauthorized: Invalid clientid or client secret.', 6)
            rec.append((reg, "aad-credential", i, 6, "401 with the SP cause"))
            add("##[error]Process completed with exit code 1.", 6)
        # look-alikes in the same build: Docker Hub, a 504 gateway timeout
        add('Error response from daemon: Get "https://registry-1.docker.io/v2/library/node/manifests/20": '
            "unauthorized: incorrect username or password", 9)
        add(f"Access to registry '{ls}' was denied. Response code: 504. Please try running 'az login' again to "
            "refresh permissions.", 10)
        first = log.append(lines)
        for reg_, typ, i, off, note in rec:
            h.truth(reg_, typ, log, first + i - 1, t + dt.timedelta(seconds=off), note=note)
        link = os.path.join(h.tree, "ci", "latest.log")
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(f"build-{n + 1}.log", link)  # R6: a symlink to a scanned log adds nothing

    def ev_jenkins(self, h, n):
        """CRLF console log; a line left half-written at the sweep, completed the next night."""
        r = h.rng
        reg = r.choice(h.regs)
        t = self.at(n, r.randrange(1, 20))
        ls = f"{reg}.azurecr.io"
        lines = [jenkins(t, f"+ az acr login -n {reg}")]
        if r.random() < 0.5:
            lines.append(jenkins(t + dt.timedelta(seconds=1),
                                 "ERROR: This command requires running the docker daemon, which is not supported in "
                                 f"Azure Cloud Shell. You may want to use 'az acr login -n {reg} --expose-token' to get "
                                 "an access token, which does not require Docker to be installed."))
            typ = "cloud-shell-no-daemon"
        else:
            lines.append(jenkins(t + dt.timedelta(seconds=1),
                                 f"Error response from daemon: Get \"https://{ls}/v2/\": denied: client with IP "
                                 f"'198.51.100.{r.randrange(1, 250)}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access"))
            typ = "ip-not-allowed"
        first = h.jenkins.append(lines)
        h.truth(reg, typ, h.jenkins, first + 1, t + dt.timedelta(seconds=1), note="jenkins CRLF")

    def ev_describe(self, h, n):
        """kubectl describe output, rewritten each night (truncate + rewrite, same header)."""
        r = h.rng
        path = Log(h, "var/log/kube/describe.txt")
        with open(path.path, "wb"):
            pass
        reg = r.choice(h.regs)
        img = f"{reg}.azurecr.io/batch:{n}.{r.randrange(99)}"
        x = r.randrange(2, 300)
        lines = [
            "Name:         batch", "Namespace:    default", "Priority:     0",
            "Node:         " + h.name + "/10.224.0.4", "Labels:       app=batch", "Status:       Pending", "Events:",
            "  Type     Reason     Age                  From               Message",
            "  ----     ------     ----                 ----               -------",
            f"  Normal   Scheduled  {x}m                  default-scheduler  Successfully assigned default/batch to {h.name}",
            f"  Warning  Failed     2m (x{x} over {x}m)    kubelet            Failed to pull image \"{img}\": rpc error: code = "
            f"Unknown desc = failed to pull and unpack image \"{img}\": failed to resolve reference \"{img}\": failed to "
            "authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized",
            f"  Warning  Failed     2m (x{x} over {x}m)    kubelet            Error: ErrImagePull",
            f"  Normal   BackOff    1m (x{x * 2} over {x}m)  kubelet            Back-off pulling image \"{img}\"",
            f"  Warning  Failed     1m (x{x * 2} over {x}m)  kubelet            Error: ImagePullBackOff",
        ]
        first = path.append(lines)
        h.truth(reg, "anonymous-pull", path, first + 10, None, attempts=x, note="describe (xN over M), rewritten file")

    def ev_pod(self, h, n):
        """Docker json-file lines of a pod (the file is hard-linked from containers/)."""
        r = h.rng
        reg = r.choice(h.regs)
        t = self.at(n, r.randrange(1, 22))
        ls = f"{reg}.azurecr.io"
        spaced = h.name.endswith(("1", "3", "5", "7", "9"))
        first = h.pod.append([
            jsonfile(t, f"pushing {ls}/web:{n}", spaced),
            jsonfile(t, f"Error: push access denied for {ls}/web:{n}: insufficient_scope: authorization failed", spaced),
        ])
        h.truth(reg, "access-denied", h.pod, first + 1, t, note="json-file, hard-linked")

    def ev_app(self, h, n):
        r = h.rng
        reg = r.choice(h.regs)
        t = self.at(n, r.randrange(1, 22))
        first = h.app.append([logrus(t, 0, "error", esc(
            f'Error response from daemon: Get "https://{reg}.azurecr.io/v2/": unauthorized: authentication required'))])
        h.truth(reg, "unauthorized", h.app, first, t, note="app log")

    def ev_jobs(self, h, n):
        """Job logs that all open with the same long preamble (no time in it): each a new file."""
        r = h.rng
        reg = r.choice(h.regs)
        t = self.at(n, r.randrange(1, 22))
        log = Log(h, f"var/log/jobs/job-{n + 1}.log")
        preamble = ["Started by timer", "Running as SYSTEM", "Building in workspace /var/lib/jenkins/workspace/nightly"]
        preamble += [f"[Pipeline] stage ({i}) checkout, lint and unit tests of the nightly image build" for i in range(80)]
        lines = preamble + [jenkins(t, f"+ docker push {reg}.azurecr.io/nightly:{n + 1}"),
                            jenkins(t, f"The push refers to repository [{reg}.azurecr.io/nightly]"),
                            jenkins(t, "unauthorized: authentication required")]
        first = log.append(lines)
        h.truth(reg, "unauthorized", log, first + len(lines) - 1, t, note="job log behind a shared preamble")

    def ev_audit(self, h, n):
        """audit/acr.log, rotated with compress and no delaycompress: appended lines reach only the .gz."""
        r = h.rng
        reg = r.choice(h.regs)
        t = self.at(n, r.randrange(0, 22))
        if not hasattr(h, "audit"):
            h.audit = Log(h, "var/log/audit/acr.log")
        ip = f"192.0.2.{r.randrange(1, 250)}"
        first = h.audit.append([logrus(t, h.tz, "error", esc(
            f'Error response from daemon: Get "https://{reg}.azurecr.io/v2/": denied: client with IP \'{ip}\' is not '
            "allowed access. Refer https://aka.ms/acr/firewall to grant access"))])
        h.truth(reg, "ip-not-allowed", h.audit, first, t, note="audit log")

    def rotate_compress(self, h, n):
        """logrotate with compress, no delaycompress: acr.log -> acr.log.N.gz at once, a copy kept elsewhere."""
        with open(h.audit.path, "rb") as f:
            data = f.read()
        with gzip.open(os.path.join(h.tree, "audit", f"acr.log.{n}.gz"), "wb") as f:
            f.write(data)
        os.remove(h.audit.path)
        h.audit = Log(h, "var/log/audit/acr.log")
        # a backup copy of scanned content (a plain copy, not a link) adds nothing
        bak = os.path.join(h.root, "var", "log", "backup")
        os.makedirs(bak, exist_ok=True)
        shutil.copyfile(os.path.join(h.tree, "audit", f"acr.log.{n}.gz"), os.path.join(bak, f"acr-{n}.gz"))

    # ---- split across the sweep boundary

    def split_start(self, h, n):
        r = h.rng
        reg = r.choice(h.regs)
        t = self.at(n, 23, 50)
        kind = r.choice(["midline", "block", "crlf"])
        if kind == "crlf":  # R1: the whole failure is there, the sweep falls between its CR and its LF
            ls = f"{reg}.azurecr.io"
            line = jenkins(t, f"Error response from daemon: Get \"https://{ls}/v2/\": denied: client with IP "
                              f"'198.51.100.{r.randrange(1, 250)}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access")
            first = h.jenkins.append([], partial_tail=line + "\r")
            h.truth(reg, "ip-not-allowed", h.jenkins, first, t, note="CRLF line cut between CR and LF at the sweep")
            h.pending = ("crlf", "\n", reg, None, h.jenkins, first, t)
        elif kind == "midline":  # R1: the line is cut inside the host name
            ls = f"{reg}.azurecr.io"
            line = jenkins(t, f'Error response from daemon: Get "https://{ls}/v2/": unauthorized: authentication required')
            cut = line.index(".azurecr") + 4
            first = h.jenkins.append([], partial_tail=line[:cut])
            h.pending = ("midline", line[cut:] + "\r\n", reg, "unauthorized", h.jenkins, first, t)
        else:  # R2: a cascade whose first two lines arrive before the sweep
            log = Log(h, "var/log/ci/deploy.log")
            cli = t.strftime("%Y-%m-%d %H:%M:%S.") + f"{t.microsecond:06d}"
            first = log.append([
                gha(t, f"az acr login --name {reg}"),
                gha(t, f"ERROR: {cli} Unable to get AAD authorization tokens with message: An error occurred: "
                       "CONNECTIVITY_REFRESH_TOKEN_ERROR"),
                gha(t, f"Access to registry '{reg}.azurecr.io' was denied. Response code: 401. Please try running "
                       "'az login' again to refresh permissions."),
            ])
            h.truth(reg, "identity-permission", log, first + 1, t, note="cascade split at the sweep")
            h.pending = ("block", None, reg, None, log, first, t)

    def split_end(self, h, n):
        kind, rest, reg, typ, log, first, t = h.pending
        h.pending = None
        if kind == "crlf":
            with open(log.path, "ab") as f:
                f.write(rest.encode())
        elif kind == "midline":
            with open(log.path, "ab") as f:
                f.write(rest.encode())
            h.truth(reg, typ, log, first, t, note="line completed after the sweep")
        else:
            log.append([
                gha(t, f"Unable to get admin user credentials with message: The resource with name '{reg}' and type "
                       "'Microsoft.ContainerRegistry/registries' could not be found in subscription 'CI'."),
                gha(t, "Unable to authenticate using AAD or admin login credentials. Please check your credentials."),
            ])

    # ---- logrotate

    def rotate(self, h, n):
        d = h.tree
        if n == 1:  # docker.log: rename + create
            os.rename(h.docker.path, h.docker.path + ".1")
            h.docker = Log(h, "var/log/docker.log")
            # containerd.log: copytruncate
            shutil.copyfile(h.containerd.path, h.containerd.path + ".1")
            open(h.containerd.path, "wb").close()
            # app.log: archived into a multi-member gzip (cat a.gz b.gz), the plain file removed
            with open(h.app.path, "rb") as f:
                old = f.read()
            a = gzip.compress(old)
            t = self.at(n, 0, 30)
            reg = h.regs[0]
            extra = (logrus(t, 0, "error", esc(f'Error response from daemon: Get "https://{reg}.azurecr.io/v2/": '
                                                 "unauthorized: authentication required")) + "\n").encode()
            b = gzip.compress(extra)
            with open(os.path.join(d, "app", "app-archive.gz"), "wb") as f:
                f.write(a + b)
            line = old.count(b"\n") + 1
            self.truth.append({"host": h.name, "registry": reg, "type": "unauthorized", "attempts": 1,
                               "ts": iso_z(t), "where": f"{h.name}:var/log/app/app-archive.gz:{line}",
                               "note": "second gzip member (cat a.gz b.gz)", "night": n})
            os.remove(h.app.path)
            h.app = Log(h, "var/log/app/app.log")
        elif n == 2:  # delaycompress: .1 -> .2.gz, live -> .1, new live
            with open(h.docker.path + ".1", "rb") as f:
                data = f.read()
            with gzip.open(h.docker.path + ".2.gz", "wb") as f:
                f.write(data)
            os.remove(h.docker.path + ".1")
            os.rename(h.docker.path, h.docker.path + ".1")
            h.docker = Log(h, "var/log/docker.log")
            # containerd: copytruncate again, .1 -> .2 first
            os.rename(h.containerd.path + ".1", h.containerd.path + ".2")
            shutil.copyfile(h.containerd.path, h.containerd.path + ".1")
            open(h.containerd.path, "wb").close()
        elif n == 3:  # R3: old rotations deleted
            os.remove(h.docker.path + ".2.gz")
            os.remove(h.containerd.path + ".2")

    def night_run(self, n):
        self.night = n
        for h in self.hosts:
            r = h.rng
            if h.pending:
                self.split_end(h, n)
            # appended before the rotation: unseen bytes that end up in the rotated copy
            if n > 0:
                self.ev_dockerd(h, n)
                self.ev_containerd(h, n)
                self.ev_app(h, n)
                self.ev_audit(h, n)
                self.rotate(h, n)
                self.rotate_compress(h, n)
            for _ in range(r.randrange(1, 4)):
                self.ev_dockerd(h, n)
            for _ in range(r.randrange(1, 3)):
                self.ev_containerd(h, n)
            if n < 3:
                for _ in range(r.randrange(1, 3)):
                    self.ev_kubelet(h, n)
            else:  # New Year: klog has no year, the file's mtime gives it (R4)
                self.ev_kubelet(h, n, t=dt.datetime(2026, 12, 31, 23, 59, 58, 250000, tzinfo=UTC))
                self.ev_kubelet(h, n, t=dt.datetime(2027, 1, 1, 0, 0, 3, 500000, tzinfo=UTC))
            self.ev_ci(h, n)
            self.ev_jenkins(h, n)
            self.ev_describe(h, n)
            self.ev_pod(h, n)
            self.ev_app(h, n)
            self.ev_audit(h, n)
            self.ev_jobs(h, n)
            if n == 2:  # after copytruncate, more lines than the file held before: still read from its start
                for _ in range(6):
                    self.ev_containerd(h, n)
            if n == 0:  # a symlink to a directory of scanned logs
                os.symlink("jobs", os.path.join(h.tree, "jobs-current"))
            if n < 3 and r.random() < 0.7:
                self.split_start(h, n)
            last = NIGHTS[n] + dt.timedelta(hours=23, minutes=59) if n < 3 else dt.datetime(2027, 1, 1, 0, 5, tzinfo=UTC)
            os.utime(h.kubelet.path, (last.timestamp(), last.timestamp()))


# ---------------------------------------------------------------- driving the binary

def run(cmd, env=None, ok=(0,)):
    p = subprocess.run(cmd, capture_output=True, env=env)
    if p.returncode not in ok:
        sys.stderr.write(f"sweep-oracle: {' '.join(cmd)} exited {p.returncode}\n{p.stderr.decode(errors='replace')}\n")
        sys.exit(2)
    return p.stdout.decode()


def sweep(cmd, env, label, night, out):
    """Runs a scan; every input of the fleet is readable, so anything but status 0 and a silent
    standard error is a difference (a nightly cron job would report a failure)."""
    p = subprocess.run(cmd, capture_output=True, env=env)
    if p.returncode not in (0, 1):
        sys.stderr.write(f"sweep-oracle: {' '.join(cmd)} exited {p.returncode}\n{p.stderr.decode(errors='replace')}\n")
        sys.exit(2)
    if p.returncode != 0 or p.stderr:
        first = p.stderr.decode(errors="replace").strip().splitlines()[:1]
        out.append(f"night {night + 1} {label}: scan exited {p.returncode}: {first[0] if first else ''}")
        return 1
    return 0


def groups_of(rows, host_key=True):
    g = defaultdict(lambda: {"count": 0, "attempts": 0, "ts": [], "where": []})
    for r in rows:
        k = (r["host"] if host_key else "*", r["registry"], r["type"])
        g[k]["count"] += 1
        g[k]["attempts"] += int(r["attempts"])
        g[k]["ts"].append(r["ts"])
        g[k]["where"].append(r["where"])
    return g


def compare(label, truth_rows, got_rows, night, out, host_key=True, check_ts=True):
    t, g = groups_of(truth_rows, host_key), groups_of(got_rows, host_key)
    diffs = 0
    for k in sorted(set(t) | set(g), key=lambda k: tuple(str(x) for x in k)):
        a, b = t.get(k), g.get(k)
        ta = a or {"count": 0, "attempts": 0, "ts": [], "where": []}
        gb = b or {"count": 0, "attempts": 0, "ts": [], "where": []}
        problems = []
        if ta["count"] != gb["count"]:
            problems.append(f"count truth {ta['count']} acrscan {gb['count']}")
        if ta["attempts"] != gb["attempts"]:
            problems.append(f"attempts truth {ta['attempts']} acrscan {gb['attempts']}")
        if check_ts and not problems:
            st = sorted(str(x) for x in ta["ts"])
            sg = sorted(str(x) for x in gb["ts"])
            if st != sg:
                problems.append(f"times truth {[x for x in st if x not in sg]} acrscan {[x for x in sg if x not in st]}")
        if problems:
            diffs += 1
            host, reg, typ = k
            out.append(f"night {night + 1} {label}: ({host}, {reg}, {typ}): " + "; ".join(problems))
            # the occurrences on one side only, paired by time (a rotated file changes the path)
            left = list(zip(ta["ts"], ta["where"]))
            right = list(zip(gb["ts"], gb["where"]))
            for x in list(left):
                m = next((y for y in right if y[0] == x[0]), None)
                if m is not None and x[0] is not None:
                    left.remove(x)
                    right.remove(m)
            for ts, w in sorted(left, key=str):
                out.append(f"    truth only   {w} ({ts})")
            for ts, w in sorted(right, key=str):
                out.append(f"    acrscan only {w} ({ts})")
    return diffs


def export_rows(bin_, db, fmt, hosts_root):
    text = run([bin_, "export", "--db", db, "--format", fmt])
    rows = []
    if fmt == "ndjson":
        recs = [json.loads(x) for x in text.splitlines() if x.strip()]
    else:
        recs = list(csv.DictReader(io.StringIO(text)))
        for r in recs:
            for k, v in r.items():
                if v == "":
                    r[k] = None
    for r in recs:
        ts = r["ts"]
        if ts:
            ts = ts[:19] + "Z"
        src = r["source"] or ""
        if src.startswith("'"):
            src = src[1:]
        rel = os.path.relpath(src, hosts_root) if src.startswith("/") else src
        rows.append({"host": r["host"], "registry": r["registry"], "type": r["type"], "attempts": r["attempts"],
                     "ts": ts, "where": f"{rel.replace(os.sep, ':', 1)}:{r['line']}"})
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hosts", type=int, default=3)
    ap.add_argument("--bin", default=".build/debug/acrscan")
    ap.add_argument("--work", help="keep the fleet and dbs here (default: a temporary directory)")
    ap.add_argument("--json", action="store_true", help="print the per-night figures as JSON on the last line")
    args = ap.parse_args()
    bin_ = os.path.abspath(args.bin)
    if not os.access(bin_, os.X_OK):
        sys.stderr.write(f"sweep-oracle: no acrscan binary at {bin_}\n")
        return 2
    work = args.work or tempfile.mkdtemp(prefix="sweep-oracle-")
    if os.path.exists(os.path.join(work, "hosts")):
        shutil.rmtree(work)
    os.makedirs(os.path.join(work, "dbs"), exist_ok=True)
    fleet = Fleet(args.seed, work, args.hosts)
    env = dict(os.environ)
    env.pop("ACRSCAN_DB", None)
    dbs = os.path.join(work, "dbs")
    hosts_root = os.path.join(work, "hosts")
    out, figures = [], []
    total_diffs = 0
    for n in range(len(NIGHTS)):
        fleet.night_run(n)
        truth = [dict(x) for x in fleet.truth]
        per_host = []
        night_diffs = 0
        for h in fleet.hosts:
            db = os.path.join(dbs, f"{h.name}.db")
            night_diffs += sweep([bin_, "scan", "-q", "--db", db, "--host", h.name, h.tree], env, h.name, n, out)
            # a second sweep with nothing new adds nothing
            night_diffs += sweep([bin_, "scan", "-q", "--db", db, "--host", h.name, h.tree], env, h.name, n, out)
            per_host.append(db)
            all_db = os.path.join(dbs, "all.db")
            night_diffs += sweep([bin_, "scan", "-q", "--db", all_db, "--host", h.name, h.tree], env, h.name, n, out)
        fleet_db = os.path.join(dbs, "fleet.db")
        run([bin_, "merge", *per_host, "--into", fleet_db], env=env)
        run([bin_, "merge", *per_host, "--into", fleet_db], env=env)  # merging again adds nothing
        got_rows = []
        for h in fleet.hosts:
            got = export_rows(bin_, os.path.join(dbs, f"{h.name}.db"), "ndjson", hosts_root)
            got_rows += got
        night_diffs += compare("per-host db", truth, got_rows, n, out)
        night_diffs += compare("one db --host", truth, export_rows(bin_, os.path.join(dbs, "all.db"), "ndjson", hosts_root), n, out)
        night_diffs += compare("merged ndjson", truth, export_rows(bin_, fleet_db, "ndjson", hosts_root), n, out)
        night_diffs += compare("merged csv", truth, export_rows(bin_, fleet_db, "csv", hosts_root), n, out)
        rep = json.loads(run([bin_, "report", "--db", fleet_db, "--format", "json"], env=env))
        rep_rows = []
        for grp in rep["groups"]:
            for _ in range(grp["count"]):
                rep_rows.append({"host": "*", "registry": grp["registry"], "type": grp["type"], "attempts": 0,
                                 "ts": None, "where": "report"})
        tr = [dict(x, attempts=0) for x in truth]
        night_diffs += compare("report json", tr, rep_rows, n, out, host_key=False, check_ts=False)
        tg = groups_of(truth)
        gg = groups_of(got_rows)
        exact = sum(1 for k in tg if k in gg and gg[k]["count"] == tg[k]["count"] and gg[k]["attempts"] == tg[k]["attempts"])
        figures.append({"night": n + 1, "truth_occurrences": len(truth),
                        "acrscan_occurrences": len(got_rows), "groups": len(tg), "groups_exact": exact,
                        "differences": night_diffs})
        total_diffs += night_diffs
        print(f"night {n + 1}: truth {len(truth)} occurrences in {len(tg)} (host, registry, type) groups; "
              f"per-host dbs {len(got_rows)}; groups exact {exact}/{len(tg)}; differences {night_diffs}")
    for line in out:
        print(line)
    print(f"seed {args.seed}: {total_diffs} differences; work dir {work}")
    if args.json:
        print(json.dumps({"seed": args.seed, "nights": figures, "differences": total_diffs}))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if total_diffs else 0


if __name__ == "__main__":
    sys.exit(main())
