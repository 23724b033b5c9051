#!/usr/bin/env bash
# Store benchmarks (docs/performance.md, "Store"), run on demand, never by the tests:
#   1. store-only insert rate: store-bench commits N occurrences the way a sweep does;
#   2. end-to-end `scan` of an input where every line is a failure (occurrences/s);
#   3. a repeated sweep of an unchanged tree against the first sweep (target < 5%).
# Usage: scripts/bench-store.sh [LINES] (default 1000000). Writes only under bench-out/store/.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-1000000}
out=bench-out/store
mkdir -p "$out"
rm -rf "$out"/*.db* "$out/tree"

swift build -c release --product acrscan >/dev/null
swift build -c release --product store-bench >/dev/null
bin=.build/release

# A dockerd line per second from 2026-11-01T00:00:00Z; every `every`-th one an ACR 401.
gen() {  # gen LINES EVERY REGISTRY SECONDS_BASE
  awk -v n="$1" -v every="$2" -v reg="$3" -v base="$4" 'BEGIN {
    for (i = 0; i < n; i++) {
      t = base + i
      stamp = sprintf("2026-11-%02dT%02d:%02d:%02d.000000000Z", 1 + int(t / 86400) % 28, int(t / 3600) % 24, int(t / 60) % 60, t % 60)
      if (i % every == 0)
        printf "time=\"%s\" level=error msg=\"Handler for POST /v1.45/images/create returned error: Head \\\"https://%s%d.azurecr.io/v2/app/manifests/latest\\\": unauthorized: authentication required\"\n", stamp, reg, i % 7
      else
        printf "time=\"%s\" level=info msg=\"Container %d health status changed from starting to healthy; probe took 12ms\"\n", stamp, i
    }
  }'
}

echo "== 1. store only: $lines occurrences committed in sweep-sized batches"
"$bin/store-bench" "$lines" "$out"

echo "== 2. scan: $lines lines, every line a failure"
[ -f "$out/all-failures.log" ] || gen "$lines" 1 myacr 0 > "$out/all-failures.log"
cat "$out/all-failures.log" > /dev/null  # warm the page cache
summary=$("$bin/acrscan" scan "$out/all-failures.log" --db "$out/all.db" --host bench --json --progress never)
echo "$summary"
echo "$summary" | awk -F'[:,}]' '{ for (i = 1; i < NF; i++) { if ($i == "\"new\"") n = $(i + 1); if ($i == "\"seconds\"") s = $(i + 1) } }
  END { printf "scan: %d occurrences stored in %.2f s: %d occurrences/s\n", n, s, n / s }'

echo "== 3. repeated sweep of an unchanged tree"
mkdir -p "$out/tree"
for h in 1 2 3 4; do
  for f in 1 2 3 4 5; do gen 40000 20 "host${h}acr" $((h * 1000000 + f * 50000)) > "$out/tree/h$h-f$f.log"; done
  gen 40000 20 "host${h}old" $((h * 1000000)) | gzip -c > "$out/tree/h$h-old.log.1.gz"
done
cat "$out"/tree/* > /dev/null
first=$("$bin/acrscan" scan "$out/tree" --db "$out/tree.db" --host bench --json --progress never)
second=$("$bin/acrscan" scan "$out/tree" --db "$out/tree.db" --host bench --json --progress never)
echo "first:  $first"
echo "second: $second"
printf '%s\n%s\n' "$first" "$second" | awk -F'[:,}]' '{ for (i = 1; i < NF; i++) if ($i == "\"seconds\"") s[NR] = $(i + 1) }
  END { printf "repeated sweep: %.3f s against %.3f s: %.2f%% of the first (target < 5%%)\n", s[2], s[1], 100 * s[2] / s[1] }'
