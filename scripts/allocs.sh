#!/usr/bin/env bash
# Heap allocations per MB scanned (issue "Performance": the per-buffer loop allocates nothing per line).
#
#   scripts/allocs.sh [MB]     default 20: scans MB and 2×MB of generated logs under valgrind and
#                              prints (allocs(2×MB) − allocs(MB)) / MB, i.e. allocations per extra MB.
# The difference cancels start-up, schema creation and per-file costs; what remains is the cost
# of scanning more bytes. Occurrences (about one per 2,000 lines) allocate their excerpt and row.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-20}
command -v valgrind >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q valgrind >/dev/null; }
swift build -c release --product acrscan >&2
BIN=$(swift build -c release --show-bin-path)/acrscan
OUT=bench-out/allocs
mkdir -p "$OUT"
count() {   # count MB [EVERY]: allocations scanning MB of logs with one failure per EVERY lines
  local every=${2:-2000}
  local dir=$OUT/corpus-$1-$every
  [ -d "$dir" ] || python3 scripts/gen-corpus.py "$dir" --mb "$1" --files 1 --gzip-share 0 --failure-every "$every" >&2
  rm -f "$OUT"/a.db*
  valgrind --tool=memcheck --leak-check=no "$BIN" scan --db "$OUT/a.db" --jobs 1 --progress never "$dir/plain" 2>&1 >/dev/null \
    | awk '/total heap usage/ { gsub(",", "", $5); print $5 }'
}
small=$(count "$MB")
large=$(count $((MB * 2)))
occurrences=$(sqlite3 "$OUT/a.db" "select count(*) from failures")
echo "one failure per 2,000 lines: ${small} allocations for ${MB} MB, ${large} for $((MB * 2)) MB"
echo "  per extra MB: $(( (large - small) / MB ))  (occurrences in the larger run: ${occurrences})"
small=$(count "$MB" 1000000000)
large=$(count $((MB * 2)) 1000000000)
echo "no failures: ${small} allocations for ${MB} MB, ${large} for $((MB * 2)) MB"
echo "  per extra MB: $(( (large - small) / MB ))  (the scan loop itself: lines, candidates, context)"
