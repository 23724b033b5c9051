#!/usr/bin/env bash
# Same results from two builds: the check behind every speed change ("identical occurrences before
# and after", issue 11). Each build scans the inputs into a fresh database with one job (row and
# excerpt ids then do not depend on which job records its file first), then every output a user or
# a later scan reads is written to a file and the two sets are compared with cmp.
#
#   scripts/same-results.sh BIN_A BIN_B INPUT...
#   e.g. scripts/same-results.sh /tmp/base-88da37b .build/release/acrscan bench-out/growth-logs/step1-random-63mb.log
#
# Compared: the NDJSON export (sorted), `report --format json` (default and each --by), `unknowns
# --format json`, the rollup tables (sorted), the files table (without its ids and scan times), and
# the failures, excerpts and registries tables row for row. Prints each difference; exits 1 if any.
# Builds of two `Matcher.version`s differ in the matcher_version column (export, failures, files)
# even where their rules count the same.
# SAME_IGNORE_VERSION=1 blanks the matcher_version column in the export, files and failures before
# comparing: two versions whose rule change should count the same (an accuracy branch on a corpus its
# new rules must not touch) then compare as one.
# Writes under bench-out/same-results/, or SAME_OUT=DIR (not committed; two runs at once need two). Never
# run by the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { echo "usage: scripts/same-results.sh BIN_A BIN_B INPUT..." >&2; exit 2; }
A=$1 B=$2
shift 2
command -v sqlite3 >/dev/null || { echo "same-results.sh needs sqlite3 (apt-get install -y sqlite3)" >&2; exit 2; }
OUT=${SAME_OUT:-bench-out/same-results}
rm -rf "$OUT"
IGNORE=${SAME_IGNORE_VERSION:-0}
outputs() {  # BIN DIR
  local bin=$1 dir=$2 db=$2/scan.db version=matcher_version column
  mkdir -p "$dir"
  "$bin" scan -q --jobs 1 --db "$db" "${INPUTS[@]}" 2> "$dir/stderr.txt" || true
  if [ "$IGNORE" = 1 ]; then
    "$bin" export --db "$db" --format ndjson | sed -E 's/"matcher_version":[0-9]+/"matcher_version":null/' | sort \
      > "$dir/export.ndjson"
    version=NULL
  else
    "$bin" export --db "$db" --format ndjson | sort > "$dir/export.ndjson"
  fi
  "$bin" report --db "$db" --format json > "$dir/report.json"
  for by in registry type host repository day hour identity client_ip registry,type,host,day; do
    "$bin" report --db "$db" --format json --by "$by" > "$dir/report-$by.json"
  done
  "$bin" unknowns --db "$db" --format json > "$dir/unknowns.json"
  for t in rollup rollup_values; do sqlite3 "$db" "SELECT * FROM $t" | sort > "$dir/$t.txt"; done
  sqlite3 "$db" "SELECT host, file_key, path, scanned_offset, scanned_lines, last_ts, context, pipelines,
    $version, anchor_offset, anchor_hash, fingerprint, fp_length FROM files" | sort > "$dir/files.txt"
  # Column 3 (when the row was stored) is left out; with IGNORE the matcher_version column is blanked too.
  column=$(sqlite3 "$db" "SELECT cid + 1 FROM pragma_table_info('failures') WHERE name = 'matcher_version'")
  [ -n "$column" ] && [ "$column" -gt 3 ] && column=$((column - 1))
  sqlite3 "$db" "SELECT * FROM failures ORDER BY file_id, offset" | cut -d'|' -f1,2,4- |
    awk -F'|' -v OFS='|' -v blank="$IGNORE" -v c="${column:-0}" '{ if (blank == 1 && c > 0) $c = ""; print }' \
      > "$dir/failures.txt"
  sqlite3 "$db" "SELECT * FROM excerpts ORDER BY id" > "$dir/excerpts.txt"
  sqlite3 "$db" "SELECT * FROM registries ORDER BY id" > "$dir/registries.txt"
  rm -f "$db" "$db"-wal "$db"-shm "$db".lock
}
INPUTS=("$@")
outputs "$A" "$OUT/a"
outputs "$B" "$OUT/b"
status=0
for f in "$OUT"/a/*; do
  name=$(basename "$f")
  if cmp -s "$f" "$OUT/b/$name"; then echo "same       $name"; else echo "DIFFERENT  $name"; status=1; fi
done
exit $status
