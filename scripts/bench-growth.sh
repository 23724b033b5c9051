#!/usr/bin/env bash
# Storing throughput as ONE database grows (issue 11), on varied failure lines: files of
# `gen-corpus.py --all-failures` (every line a failure, drawn from 1,000 lines per file's seed) are
# scanned one after the other into one database until it holds TARGET occurrences. Per step it
# prints the occurrences stored, wall and CPU seconds, occurrences per second (wall and per CPU
# second: the machine may be shared) and the database's bytes per occurrence.
#
#   scripts/bench-growth.sh [TARGET] [FILE_MB]     default 5000000 occurrences, 63 MB per file
#   ACRSCAN_BIN=/other/acrscan TAG=-main scripts/bench-growth.sh   # another build (not rebuilt), its own directory
#   PAGE_SIZE=4096 scripts/bench-growth.sh          # a database created with another page size
#   LOGS=bench-out/growth-logs scripts/bench-growth.sh  # keep the generated logs there (reused by the
#                                                   # next run: two builds scan the same files)
#   ORDER=time scripts/bench-growth.sh              # each file's lines in time order (gen-corpus.py
#                                                   # --time-order: real logs' shape); default: random
#                                                   # times over 28 days on every line
#   COMPARE=/tmp/base-02e00a2 scripts/bench-growth.sh  # paired: each step is scanned by this build and
#                                                   # by COMPARE into a database of its own (grown
#                                                   # alike), one right after the other, the first
#                                                   # build alternating; COMPARE's rows are marked `c`
#
# Writes only under bench-out/growth/ (each log is removed once scanned unless LOGS is set;
# regenerating is deterministic). Never run by the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${1:-5000000}
MB=${2:-63}
ORDER=${ORDER:-random}
case "$ORDER" in random) ORDER_FLAG= ;; time) ORDER_FLAG=--time-order ;; *) echo "ORDER is random or time" >&2; exit 2 ;; esac
OUT=bench-out/growth${TAG:-}
mkdir -p "$OUT" ${LOGS:+"$LOGS"}
rm -f "$OUT"/growth.db "$OUT"/growth.db-wal "$OUT"/growth.db-shm
[ -n "${ACRSCAN_BIN:-}" ] || swift build -c release --product acrscan >&2
BIN=${ACRSCAN_BIN:-$(swift build -c release --show-bin-path)/acrscan}  # ACRSCAN_BIN: another build, to compare
DB=$OUT/growth.db
CDB=$OUT/growth-compare.db
rm -f "$CDB" "$CDB"-wal "$CDB"-shm
ctotal=0
if [ -n "${PAGE_SIZE:-}" ]; then
  for d in "$DB" ${COMPARE:+"$CDB"}; do sqlite3 "$d" "PRAGMA page_size=$PAGE_SIZE; PRAGMA journal_mode=WAL;" >/dev/null; done
fi
total=0
step=0
printf 'step\tstored\tnew\twall_s\tcpu_s\tocc_per_s\tocc_per_cpu_s\tdb_mb\tbytes_per_occ\n'
while [ "$total" -lt "$TARGET" ]; do
  step=$((step + 1))
  log=${LOGS:-$OUT}/step$step-$ORDER-${MB}mb.log
  if [ ! -f "$log" ]; then
    python3 scripts/gen-corpus.py "$OUT/gen" --mb "$MB" --files 1 --gzip-share 0 --all-failures $ORDER_FLAG --seed "$step" >&2
    mv "$OUT/gen/plain/host00.log" "$log"
    rm -rf "$OUT/gen"
  fi
  cat "$log" > /dev/null  # warm the page cache: measure storing, not the disk
  TIMEFORMAT='%R %U %S'
  measure() {  # BIN DB TOTAL MARK: scans the step's log, prints its row, leaves the new total in $total_out
    { time "$1" scan --db "$2" --host bench --json --progress never "$log" > "$OUT/summary.json"; } 2> "$OUT/time.txt"
    read -r wall user sys < "$OUT/time.txt"
    new=$(sed -E 's/.*"new":([0-9]+).*/\1/' "$OUT/summary.json")
    total_out=$(($3 + new))
    bytes=$(stat -c %s "$2")
    awk -v s="$step$4" -v t="$total_out" -v n="$new" -v w="$wall" -v u="$user" -v y="$sys" -v b="$bytes" 'BEGIN {
      printf "%s\t%d\t%d\t%.2f\t%.2f\t%d\t%d\t%.0f\t%.1f\n", s, t, n, w, u + y, n / w, n / (u + y), b / 1e6, b / t }'
  }
  if [ -n "${COMPARE:-}" ] && [ $((step % 2)) -eq 0 ]; then
    measure "$COMPARE" "$CDB" "$ctotal" c; ctotal=$total_out
  fi
  measure "$BIN" "$DB" "$total" ""; total=$total_out
  if [ -n "${COMPARE:-}" ] && [ $((step % 2)) -eq 1 ]; then
    measure "$COMPARE" "$CDB" "$ctotal" c; ctotal=$total_out
  fi
  [ -n "${LOGS:-}" ] || rm -f "$log"
done
