#!/usr/bin/env python3
"""Interleaved A/B rounds: wall and CPU time of each command, medians, ratios to the last command.

    scripts/interleaved.py ROUNDS SPEC

SPEC is JSON: a list of [name, argv, prep], prep a shell command run before each run (or null),
e.g. removing a database. Each round runs every command once, in order, so a machine whose speed
moves minute to minute moves them all alike. Wall time is taken around fork/exec/wait; CPU time
(user + system, the process and its children) comes from wait4's rusage. Standard output goes to
/dev/null. Prints, per command: median and quartiles of wall and CPU, the ratio of the medians
to the last command's, and the median of the per-round (paired) ratios. docs/performance.md,
"Branch `inflate5`", has the commands it was run with.
"""
import json
import os
import statistics
import subprocess
import sys
import time

rounds = int(sys.argv[1])
spec = json.loads(sys.argv[2])
results = {name: ([], []) for name, _, _ in spec}
devnull = os.open(os.devnull, os.O_WRONLY)
for _ in range(rounds):
    for name, argv, prep in spec:
        if prep:
            subprocess.run(prep, shell=True, check=False)
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os.dup2(devnull, 1)
            os.execvp(argv[0], argv)
        _, status, usage = os.wait4(pid, 0)
        end = time.perf_counter()
        if status != 0:
            print(f"{name}: exit status {status}", file=sys.stderr)
        results[name][0].append((end - start) * 1000)
        results[name][1].append((usage.ru_utime + usage.ru_stime) * 1000)

reference = spec[-1][0]
ref_wall, ref_cpu = results[reference]
for name, _, _ in spec:
    wall, cpu = results[name]
    qw, qc = statistics.quantiles(wall, n=4), statistics.quantiles(cpu, n=4)
    paired_wall = statistics.median(a / b for a, b in zip(wall, ref_wall))
    paired_cpu = statistics.median(a / b for a, b in zip(cpu, ref_cpu))
    print(
        f"{name:<24} wall {statistics.median(wall):7.1f} ms (q1 {qw[0]:.1f}, q3 {qw[2]:.1f})"
        f"  cpu {statistics.median(cpu):7.1f} ms (q1 {qc[0]:.1f}, q3 {qc[2]:.1f})"
        f"  / {reference}: wall {statistics.median(wall) / statistics.median(ref_wall):.3f}"
        f" cpu {statistics.median(cpu) / statistics.median(ref_cpu):.3f}"
        f" (paired {paired_wall:.3f} / {paired_cpu:.3f})"
    )
print("load average", " ".join(open("/proc/loadavg").read().split()[:3]))
