#!/usr/bin/env bash
# The prefilter alone, in memory: builds scripts/teddy-bench.c with Sources/CByteScan/byte_scan.c
# (as SwiftPM's release build compiles C) and times `acr_teddy_hits` with line tracking over
# FILES in 256 KiB chunks (the scanner's), with the literals `acrscan literals` prints; no reads,
# no candidate loop, no store. Prints the best of ROUNDS, the hits and the lines they lie on.
#
#   scripts/teddy-bench.sh ROUNDS FILE...        ACRSCAN=path/to/acrscan (default: the release build)
#   CFLAGS=-DACR_TEDDY_STATS …     also counts the positions verified, the fingerprints compared there
#                                  and those that matched (per round)
#   CFLAGS=-DACR_TEDDY_NO_VERIFY …  the filter alone: positions found are not verified (0 hits)
# Times are CPU seconds of the thread (CLOCK_THREAD_CPUTIME_ID), the best of ROUNDS; the machine is
# shared, so compare variants run one after the other, several times.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=$1; shift
BIN=${ACRSCAN:-.build/release/acrscan}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$BIN" literals > "$work/literals.txt"
# The compiler and flags of `swift build -c release` for C targets (.build/release.yaml): the
# Swift toolchain's clang at -O2 (gcc -O2 leaves the AVX-512 filter's loops rolled, its tables in memory).
CC=${CC:-$(dirname "$(command -v swift)")/clang}
"$CC" -O2 -fno-omit-frame-pointer ${CFLAGS:-} -ISources/CByteScan/include -o "$work/teddy-bench" scripts/teddy-bench.c Sources/CByteScan/byte_scan.c
"$work/teddy-bench" "$work/literals.txt" "$ROUNDS" "$@"
