#!/usr/bin/env python3
"""Prints the table of common 4-byte windows for Sources/CByteScan/byte_scan.c (`common_windows`).

How often each window of 4 case-folded bytes occurs in log text, in parts per 2^24 bytes, for the
TOP commonest windows: the real-world lines of Tests/ScannerTests/RealWorld and a generated corpus
(scripts/gen-corpus.py --seed 7, its own sample, not the benchmark's), weighted equally, as the byte
table beside it; the first 6 MB of each generated file are read. Guides the choice of
fingerprints only; any table gives correct results. Run from the repository's root:

    scripts/gen-corpus.py /tmp/sample --mb 24 --files 2 --gzip-share 0 --seed 7
    scripts/ngram-table.py /tmp/sample/plain/* > /tmp/table.c   # then replace common_windows
"""
import collections
import glob
import json
import sys

TOP = 512


def fold(b):
    return b | 0x20 if 0x41 <= b <= 0x5A else b


def windows(data):
    counts = collections.Counter()
    f = bytes(fold(b) for b in data)
    for i in range(len(f) - 3):
        counts[f[i:i + 4]] += 1
    return counts, max(1, len(f))


def main():
    real = bytearray()
    for path in sorted(glob.glob("Tests/ScannerTests/RealWorld/*/lines.jsonl")):
        for line in open(path, encoding="utf-8"):
            real += json.loads(line)["line"].encode() + b"\n"
    generated = bytearray()
    for path in sys.argv[1:]:
        generated += open(path, "rb").read(6_000_000)
    total = collections.Counter()
    for data in (real, generated):
        counts, n = windows(data)
        for w, c in counts.items():
            total[w] += c / n / 2
    top = sorted(total.items(), key=lambda x: -x[1])[:TOP]
    top.sort(key=lambda x: int.from_bytes(x[0], "little"))
    print(f"/// The {TOP} commonest windows of 4 folded bytes in logs (little-endian keys, sorted), with")
    print("/// how often each occurs, in parts per 2^24 bytes: scripts/ngram-table.py.")
    print(f"static const struct {{ uint32_t key, frequency; }} common_windows[{TOP}] = {{")
    row = []
    for w, f in top:
        row.append(f"{{0x{int.from_bytes(w, 'little'):08x}, {max(1, round(f * (1 << 24)))}}}")
        if len(row) == 4:
            print("    " + ", ".join(row) + ",")
            row = []
    if row:
        print("    " + ", ".join(row) + ",")
    print("};")
    print(f"#define LEAST_COMMON_WINDOW {min(max(1, round(f * (1 << 24))) for _, f in top)}")


main()
