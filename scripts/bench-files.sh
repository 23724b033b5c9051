#!/usr/bin/env bash
# Files-sweep benchmark (issue 14, "time per file must not grow with the number of stored files"):
# sweeps directories of many small files (each under 1 KiB, so each is fingerprinted short, the
# worst case for recognising a file by its first bytes) into a fresh database, then sweeps them
# again unchanged, and prints the time per file of each sweep and the ratio between the sizes.
#
#   scripts/bench-files.sh [SMALL] [LARGE]     default 10000 100000
#
# A sweep is linear when the time per file at LARGE files is within 1.5x of that at SMALL files.
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${1:-10000}
LARGE=${2:-100000}
OUT=bench-out/files
mkdir -p "$OUT"
swift build -c release --product acrscan >&2
BIN=$(swift build -c release --show-bin-path)/acrscan

generate() {  # N DIR: N small logs, 1000 per directory, one in three with a failure
  [ -f "$2/.complete" ] && return
  rm -rf "$2"
  python3 - "$1" "$2" <<'PY'
import os, sys
n, root = int(sys.argv[1]), sys.argv[2]
for i in range(n):
    d = os.path.join(root, "d%04d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    lines = ["2026-11-20T03:%02d:%02dZ job %d step %d ok" % (i // 60 % 60, i % 60, i, k) for k in range(1 + i % 7)]
    if i % 3 == 0:
        lines.append('2026-11-20T03:%02d:%02dZ Error response from daemon: Get "https://acr%d.azurecr.io/v2/": unauthorized: authentication required' % (i // 60 % 60, i % 60, i % 50))
    with open(os.path.join(d, "job%06d.log" % i), "w") as f:
        f.write("\n".join(lines) + "\n")
open(os.path.join(root, ".complete"), "w").close()
PY
}

seconds() { date +%s.%N; }

declare -A FIRST AGAIN
for n in "$SMALL" "$LARGE"; do
  dir=$OUT/logs-$n
  generate "$n" "$dir"
  db=$OUT/files-$n.db
  rm -f "$db" "$db"-wal "$db"-shm "$db".lock
  t0=$(seconds)
  "$BIN" scan --db "$db" --host bench --progress never "$dir" >&2
  t1=$(seconds)
  "$BIN" scan --db "$db" --host bench --progress never "$dir" >&2
  t2=$(seconds)
  FIRST[$n]=$(python3 -c "print(($t1 - $t0) / $n * 1e6)")
  AGAIN[$n]=$(python3 -c "print(($t2 - $t1) / $n * 1e6)")
  printf '%7d files: first sweep %6.1f us/file, unchanged sweep %6.1f us/file\n' "$n" "${FIRST[$n]}" "${AGAIN[$n]}"
done
python3 -c "print('ratio %d/%d files, time per file: first sweep %.2fx, unchanged sweep %.2fx (linear: within 1.5x)' % ($LARGE, $SMALL, ${FIRST[$LARGE]} / ${FIRST[$SMALL]}, ${AGAIN[$LARGE]} / ${AGAIN[$SMALL]}))"
