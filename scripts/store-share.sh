#!/usr/bin/env bash
# The store's share of a scan's CPU, build against build, in interleaved rounds.
#
#   scripts/store-share.sh ROUNDS FILE BIN...
#   e.g. scripts/store-share.sh 7 bench-out/growth-logs/step1-random-63mb.log /tmp/base-88da37b .build/release/acrscan
#
# Each round scans FILE once with each build, into a fresh database, under `perf record -F 2000 -g`
# (cpu-clock samples with frame-pointer call stacks). A sample is the store's when its stack holds a
# LogStore frame or libsqlite3, whatever thread ran it: the store's queue runs on whichever worker is
# free, so counting per thread splits it at random. SQLite has no frame pointers, so what it calls
# into libc is missed for both builds alike (about a tenth of the store). Prints per build the
# medians of the process's and the store's CPU in ms, and the store's paired ratio to the first
# build. Writes under bench-out/store-share/ (not committed). Never run by the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { echo "usage: scripts/store-share.sh ROUNDS FILE BIN..." >&2; exit 2; }
command -v perf >/dev/null || { echo "store-share.sh needs perf (apt-get install -y linux-perf)" >&2; exit 2; }
ROUNDS=$1 FILE=$2
shift 2
OUT=bench-out/store-share
mkdir -p "$OUT"
: > "$OUT/samples.txt"
for r in $(seq "$ROUNDS"); do
  for i in $(seq 0 $(($# - 1))); do
    bin=${@:$((i + 1)):1}
    db=$OUT/scan.db
    rm -f "$db" "$db"-wal "$db"-shm
    perf record -q -F 2000 -g -o "$OUT/perf.data" "$bin" scan -q --db "$db" "$FILE" >/dev/null 2>&1
    perf script -i "$OUT/perf.data" -F tid,ip,sym,dso 2>/dev/null \
      | awk -v RS= -v build="$i" -v round="$r" \
        '{ t++; if ($0 ~ /LogStore|libsqlite3/) s++ } END { printf "%s %s %.1f %.1f\n", round, build, t / 2, s / 2 }' \
      >> "$OUT/samples.txt"
  done
done
rm -f "$OUT/perf.data" "$OUT"/scan.db*
python3 - "$OUT/samples.txt" "$@" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
bins = sys.argv[2:]
by = {}
for round_, build, total, store in rows:
    by.setdefault(int(build), {})[int(round_)] = (float(total), float(store))
first = by[0]
for b, runs in sorted(by.items()):
    totals = [t for t, _ in runs.values()]
    stores = [s for _, s in runs.values()]
    paired = [runs[r][1] / first[r][1] for r in runs if first[r][1] > 0]
    print(f"{bins[b]}: process {statistics.median(totals):.0f} ms, store {statistics.median(stores):.0f} ms"
          f" (median of {len(runs)}), store paired {statistics.median(paired):.3f} of the first")
PY
