#!/usr/bin/env bash
# Report benchmark (issue "Report"): `acrscan report` over a database of about one million
# occurrences must answer in under a second.
#
#   scripts/bench-report.sh [OCCURRENCES]     default 1000000
#   ACRSCAN_BIN=/other/acrscan TAG=-main scripts/bench-report.sh   # another build, its own database
#
# Builds the database the way users do, by scanning generated logs in which every line is a
# failure (scripts/gen-corpus.py --all-failures), then times each report format and the timeline
# of one hour with hyperfine; prints the median of each and its CPU seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
OUT=bench-out/report
mkdir -p "$OUT"
command -v hyperfine >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q hyperfine >/dev/null; }
swift build -c release --product acrscan >&2
BIN=${ACRSCAN_BIN:-$(swift build -c release --show-bin-path)/acrscan}
DB=$OUT/million${TAG:-}.db
if [ ! -f "$DB" ]; then
  # Generated failure lines average about 200 bytes, and some repeat the line before in the same
  # second (counted once); 250 bytes per wanted occurrence gives a little more than asked.
  python3 scripts/gen-corpus.py "$OUT/logs" --mb $((N * 250 / 1000000)) --files 4 --gzip-share 0 --all-failures >&2
  "$BIN" scan --db "$DB" --progress never --host bench "$OUT/logs" >&2
fi
echo "database: $(stat -c %s "$DB") bytes"
echo "occurrences: $(sqlite3 "$DB" 'select count(*) from occurrences')"
hyperfine -N --style basic -w 1 -r 5 \
  -n "report (table)" "$BIN report --db $DB" \
  -n "report --format json" "$BIN report --db $DB --format json" \
  -n "report --format html" "$BIN report --db $DB --format html" \
  -n "report --by registry,type,host,day" "$BIN report --db $DB --by registry,type,host,day --format csv" \
  -n "report --by host" "$BIN report --db $DB --by host" \
  -n "report --by repository" "$BIN report --db $DB --by repository" \
  -n "report --by day" "$BIN report --db $DB --by day" \
  -n "report --by hour" "$BIN report --db $DB --by hour" \
  -n "report --by identity" "$BIN report --db $DB --by identity" \
  -n "report --by client_ip" "$BIN report --db $DB --by client_ip" \
  -n "report --since 7d window" "$BIN report --db $DB --since 2026-11-21 --until 2026-11-28" \
  -n "timeline of one hour" "$BIN timeline --db $DB --since 2026-11-20T03:00Z --until 2026-11-20T04:00Z" \
  --export-json "$OUT/times${TAG:-}.json" > /dev/null
# Medians (the machine may be shared) and CPU seconds (user + system, mean of the runs).
python3 - "$OUT/times${TAG:-}.json" <<'PY'
import json, statistics, sys
print(f"{'command':<40} {'median s':>9} {'cpu s':>7}")
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['command']:<40} {statistics.median(r['times']):>9.3f} {r['user'] + r['system']:>7.3f}")
PY
