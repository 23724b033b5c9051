#!/usr/bin/env bash
# Which thread bounds a scan's wall time: each thread's CPU, and what it spent it on, for one scan.
#
#   scripts/thread-share.sh FILE [BIN] [ROUNDS]
#   e.g. scripts/thread-share.sh bench-out/growth-logs/step1-random-63mb.log /tmp/base-02e00a2 3
#
# Scans FILE into a fresh database under `perf record -F 2000 -g` (cpu-clock samples, frame-pointer
# call stacks; BIN defaults to this tree's release build, ROUNDS to 1) and prints per round, per
# thread with at least 1% of the samples: its CPU in ms (samples / 2 kHz), and how many of its
# samples have a scanner frame (`LogScanner`) and a store frame (`LogStore`) or SQLite in their stack.
# With one file, one thread scans (and packs the batches) while the store's queue commits them on
# another: on two cores the wall time is at least the busier one's. SQLite has no frame pointers,
# so what it calls is counted by its own frame only. Writes under bench-out/thread-share/ (not
# committed). Never run by the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: scripts/thread-share.sh FILE [BIN] [ROUNDS]" >&2; exit 2; }
command -v perf >/dev/null || { echo "thread-share.sh needs perf (apt-get install -y linux-perf)" >&2; exit 2; }
FILE=$1
BIN=${2:-.build/release/acrscan}
ROUNDS=${3:-1}
OUT=bench-out/thread-share
mkdir -p "$OUT"
for r in $(seq "$ROUNDS"); do
  db=$OUT/scan.db
  rm -f "$db" "$db"-wal "$db"-shm
  start=$(date +%s%N)
  perf record -q -F 2000 -g -o "$OUT/perf.data" "$BIN" scan -q --db "$db" "$FILE" >/dev/null 2>&1
  end=$(date +%s%N)
  echo "round $r: $(( (end - start) / 1000000 )) ms wall under perf"
  perf script -i "$OUT/perf.data" -F tid,ip,sym,dso 2>/dev/null \
    | awk -v RS= '{
        split($0, lines, "\n"); split(lines[1], head, " "); tid = head[1]
        n[tid]++; total++
        if ($0 ~ /LogScanner/) scan[tid]++
        if ($0 ~ /LogStore|libsqlite3/) store[tid]++
      } END {
        printf "  %-8s %9s %9s %9s\n", "thread", "cpu_ms", "scanner", "store"
        for (t in n) if (n[t] * 100 >= total)
          printf "  %-8s %9.1f %8.0f%% %8.0f%%\n", t, n[t] / 2, 100 * scan[t] / n[t], 100 * store[t] / n[t]
      }'
done
rm -f "$OUT/perf.data" "$OUT"/scan.db*
