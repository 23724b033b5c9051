#!/usr/bin/env python3
"""Generates a benchmark corpus of realistic container and CI logs for acrscan.

The mix follows the producers acrscan reads: GitHub Actions, dockerd (logrus), kubelet (klog), Docker json-file,
journald short-iso, syslog, Azure CLI and kubectl lines, with about one ACR auth failure per 2,000
lines (and look-alikes that must not count). A share of the files is gzip-rotated, one is CRLF,
and optionally one holds a single line of many megabytes. Nothing here is committed: run it.

    scripts/gen-corpus.py OUT_DIR --mb 500 [--files 8] [--gzip-share 0.25] [--long-line-mb 300]
                                  [--failure-every 2000] [--all-failures] [--time-order] [--seed 1]

By default every line carries a random time over 28 days (drawn from pools of preformatted lines);
--time-order writes each file's lines in time order, as real logs are appended, each line formatted
with its own time (so, as in real logs, no two lines are the same text).
"""
import argparse
import gzip
import os
import random

NOISE = [
    "{iso7} Step 3/12 : RUN npm ci --omit=dev",
    "{iso7} #12 [build 4/7] COPY package*.json ./",
    'time="{iso9}" level=info msg="Layer sha256:{hex12} cleaned up" module=grpc',
    'time="{iso9}" level=info msg="Attempting next endpoint for pull after error: manifest unknown"',
    'I{md} {hms}.{us}    2213 kubelet.go:2452] "SyncLoop UPDATE" source="api" pods=["prod/web-6c9f8d7b5-{pod}"]',
    'I{md} {hms}.{us}    2213 prober.go:107] "Probe succeeded" probeType="Readiness" pod="prod/api-{pod}"',
    '{{"log":"GET /healthz 200 3ms user-agent=kube-probe/1.29\\n","stream":"stdout","time":"{iso9}"}}',
    '{{"log":"user unauthorized to view invoice 4411\\n","stream":"stdout","time":"{iso9}"}}',
    "{isooff} node-7 containerd[812]: time=\"{iso9}\" level=info msg=\"ImageCreate event name:\\\"docker.io/library/nginx:1.25\\\"\"",
    "{syslog} node-7 dockerd[901]: time=\"{iso9}\" level=info msg=\"Container {hex12} health status changed to healthy\"",
    "{hex12}: Pull complete",
    "Digest: sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31",
    "Status: Downloaded newer image for contosoprod.azurecr.io/web:1.4.{n}",
    "Login Succeeded",
    "{iso7} toomanyrequests: retry-after: 103.99 ms, visit https://aka.ms/acr/installation for more information.",
]

# Look-alikes that must not count (and the precision of the unknown-shape signal): other registries'
# refusals, network and TLS failures against ACR, a NotFound pull, an app's 401. About one noise line
# in fifty, as in a fleet where they are the exception.
LOOKALIKES = [
    "{iso7} Error response from daemon: pull access denied for fabrikam/tools, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
    "{iso7} Error response from daemon: Head \"https://ghcr.io/v2/fabrikam/ci-tools/manifests/1.{n}\": unauthorized",
    'time="{iso9}" level=error msg="Handler for POST /v1.43/images/create returned error: Get \\"https://contosoprod.azurecr.io/v2/\\": dial tcp: lookup contosoprod.azurecr.io: i/o timeout"',
    'E{md} {hms}.{us}    2213 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \\"contosoprod.azurecr.io/web:1.{n}\\": failed to resolve reference: contosoprod.azurecr.io/web:1.{n}: not found" image="contosoprod.azurecr.io/web:1.{n}"',
    "{iso7} Error response from daemon: Get \"https://contosoprod.azurecr.io/v2/\": x509: certificate signed by unknown authority",
    "{iso7} WARNING: Uppercase characters are detected in the registry name. When using its server url in docker commands, to avoid authentication errors, use all lowercase.",
    "{iso7} 2026/11/20 03:14:15 HTTP 401 from https://api.contoso.internal/orders: token expired for user {n}",
]

FAILURES = [
    "{iso7} Error response from daemon: Get \"https://contosoprod.azurecr.io/v2/\": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.",
    "{iso7} ##[error]denied: requested access to the resource is denied, push to fabrikamci.azurecr.io/api",
    'E{md} {hms}.{us}    2213 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \\"fabrikamci.azurecr.io/web:1\\": failed to resolve reference: failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized" image="fabrikamci.azurecr.io/web:1"',
    'time="{iso9}" level=error msg="Handler for POST /v1.43/images/create returned error: Get \\"https://contosoprod.azurecr.io/v2/\\": denied: client with IP \'203.0.113.{n}\' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."',
    "  Warning  Failed     3m (x{n} over 60m)  kubelet  Failed to pull image \"contosoprod.azurecr.io/web:1\": failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized",
    "ERROR: {date} {hms}.{us} An error occurred: CONNECTIVITY_FORBIDDEN_ERROR",
]


def fields(rng, t):
    s = t % 60
    m = (t // 60) % 60
    h = (t // 3600) % 24
    d = 1 + (t // 86400) % 28
    hms = f"{h:02d}:{m:02d}:{s:02d}"
    return dict(
        iso7=f"2026-11-{d:02d}T{hms}.{rng.randrange(10**7):07d}Z",
        iso9=f"2026-11-{d:02d}T{hms}.{rng.randrange(10**9):09d}Z",
        isooff=f"2026-11-{d:02d}T{hms}+0000",
        syslog=f"Nov {d:2d} {hms}",
        date=f"2026-11-{d:02d}",
        md=f"11{d:02d}", hms=hms, us=f"{rng.randrange(10**6):06d}",
        hex12=f"{rng.getrandbits(48):012x}", pod=f"{rng.getrandbits(20):05x}", n=rng.randrange(2, 300),
    )


def pools(rng):
    """Formatted lines to draw from: building each line anew would make the generator the bottleneck."""
    noise = [rng.choice(LOOKALIKES if rng.random() < 0.02 else NOISE).format(**fields(rng, rng.randrange(86400 * 28)))
             for _ in range(50_000)]
    failures = [rng.choice(FAILURES).format(**fields(rng, rng.randrange(86400 * 28))) for _ in range(1_000)]
    return noise, failures


def write_file(path, size, rng, pool, every, all_failures, crlf, compress, time_order=False):
    noise, failures = pool
    if time_order:
        # Each line formatted anew with a time that only moves forward, spread over the 28 days.
        avg = sum(len(x) + 1 for x in (failures if all_failures else noise)) / len(failures if all_failures else noise)
        step = 86400 * 28 / max(1, size / avg)
        clock = [0.0]

        def stamped(templates):
            clock[0] += step
            return rng.choice(templates).format(**fields(rng, int(clock[0]) % (86400 * 28)))
    newline = "\r\n" if crlf else "\n"
    opener = (lambda p: gzip.open(p, "wt", compresslevel=6, newline="")) if compress else (lambda p: open(p, "w", newline=""))
    written = 0
    with opener(path) as out:
        while written < size:
            lines = []
            for _ in range(4096):
                failure = all_failures or rng.randrange(every) == 0
                if time_order:
                    lines.append(stamped(FAILURES if failure else (LOOKALIKES if rng.random() < 0.02 else NOISE)))
                elif failure:
                    lines.append(rng.choice(failures))
                else:
                    lines.append(noise[rng.randrange(len(noise))])
            text = newline.join(lines) + newline
            out.write(text)
            written += len(text)


def write_long_line(path, megabytes):
    """One line of `megabytes` MB with an ACR failure at its start, then a normal failure line."""
    with open(path, "w") as out:
        out.write("2026-11-20T03:14:15.0000000Z Error response from daemon: Get \"https://contosoprod.azurecr.io/v2/\": unauthorized: authentication required ")
        block = "x" * (1 << 20)
        for _ in range(megabytes):
            out.write(block)
        out.write("\n2026-11-20T03:14:16.0000000Z unauthorized: authentication required, visit https://aka.ms/acr/authorization\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("--mb", type=int, default=200, help="total plain-text size in MB (before compression)")
    p.add_argument("--files", type=int, default=8)
    p.add_argument("--gzip-share", type=float, default=0.25, help="share of files written gzip-compressed")
    p.add_argument("--long-line-mb", type=int, default=0, help="also write long-line.log with one line of N MB")
    p.add_argument("--failure-every", type=int, default=2000, help="about one failure per N lines")
    p.add_argument("--all-failures", action="store_true", help="every line is a failure (store benchmark)")
    p.add_argument("--time-order", action="store_true",
                   help="each file's lines in time order, each formatted with its own time (as real logs)")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = random.Random(a.seed)
    pool = pools(rng)
    os.makedirs(os.path.join(a.out, "plain"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "gzip"), exist_ok=True)
    per_file = a.mb * 1_000_000 // max(1, a.files)
    gz_files = round(a.files * a.gzip_share)
    for i in range(a.files):
        compress = i < gz_files
        crlf = i == gz_files  # the first plain file is CRLF
        name = f"host{i:02d}.log" + (".1.gz" if compress else "")
        path = os.path.join(a.out, "gzip" if compress else "plain", name)
        write_file(path, per_file, rng, pool, a.failure_every, a.all_failures, crlf, compress, a.time_order)
    if a.long_line_mb:
        os.makedirs(os.path.join(a.out, "long"), exist_ok=True)
        write_long_line(os.path.join(a.out, "long", "long-line.log"), a.long_line_mb)


if __name__ == "__main__":
    main()
