#!/usr/bin/env bash
# What unknown shapes cost a scan (issue 15's bound: within 5% of the scan without them).
#
#   scripts/unknowns-cost.sh [ROUNDS] [CORPUS] [ACRSCAN] [BASELINE]
#
# Scans CORPUS (default bench-out/corpus-300/plain, made by scripts/bench.sh or
# `scripts/gen-corpus.py bench-out/corpus-300 --mb 300 --files 8 --gzip-share 0.25 --long-line-mb 300`)
# with one job into a fresh database, ROUNDS times each (default 21), interleaved: with unknown
# shapes ("on") and with ACRSCAN_UNKNOWNS=off ("off": the scan without them, their literals out
# of the prefilter too); with BASELINE (another build) also that build's "on", in the same rounds.
# Counts CPU time (`perf stat -e task-clock`: user + system) and prints each run's median, the
# spread, and on / off. ACRSCAN defaults to .build/release/acrscan (`swift build -c release`).
# Needs perf (Debian: linux-perf).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-21}
CORPUS=${2:-bench-out/corpus-300/plain}
ACRSCAN=${3:-.build/release/acrscan}
BASELINE=${4:-}
command -v perf >/dev/null || { echo "unknowns-cost.sh: perf is missing (apt-get install linux-perf)" >&2; exit 1; }
[ -x "$ACRSCAN" ] || { echo "unknowns-cost.sh: no $ACRSCAN (swift build -c release)" >&2; exit 1; }
[ -d "$CORPUS" ] || { echo "unknowns-cost.sh: no corpus at $CORPUS (scripts/bench.sh makes it)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
runs=("on|$ACRSCAN|" "off|$ACRSCAN|off")
[ -n "$BASELINE" ] && runs+=("baseline|$BASELINE|")
cat "$CORPUS"/* > /dev/null  # the page cache, warm
for _ in $(seq "$ROUNDS"); do
    for run in "${runs[@]}"; do
        IFS='|' read -r name binary unknowns <<< "$run"
        rm -f "$work/db"*
        ms=$(ACRSCAN_UNKNOWNS=${unknowns:-on} perf stat -x, -e task-clock "$binary" scan -q --db "$work/db" --jobs 1 \
            --host h "$CORPUS"/* 2>&1 >/dev/null | awk -F, '/task-clock/ { print $1 }')
        echo "$name $ms" >> "$work/times"
    done
done
median() { grep "^$1 " "$work/times" | awk '{ print $2 }' | sort -n | awk '{ a[NR] = $1 } END {
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f %.1f %.1f", m, a[1], a[NR] }'; }
for run in "${runs[@]}"; do
    name=${run%%|*}
    read -r m lo hi <<< "$(median "$name")"
    printf '%-9s median %7.1f ms CPU  (min %.1f, max %.1f, %s runs)\n' "$name" "$m" "$lo" "$hi" "$ROUNDS"
done
on=$(median on | cut -d' ' -f1)
off=$(median off | cut -d' ' -f1)
awk -v on="$on" -v off="$off" 'BEGIN { printf "on / off  %.3f\n", on / off }'
if [ -n "$BASELINE" ]; then
    base=$(median baseline | cut -d' ' -f1)
    awk -v b="$base" -v off="$off" 'BEGIN { printf "baseline on / off  %.3f\n", b / off }'
fi
