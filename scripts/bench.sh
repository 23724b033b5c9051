#!/usr/bin/env bash
# Scan benchmark (issue "Performance"): acrscan against rg and zcat on the same files, in one run.
#
#   scripts/bench.sh [MB] [RUNS]      default: 500 MB of logs, 5 runs each; prints a table of medians
#
# Builds acrscan in release, generates a corpus with scripts/gen-corpus.py into bench-out/ (not
# committed), warms the page cache, then times with hyperfine (median of RUNS):
#   - acrscan scan into a fresh database (--jobs 1, and the default --jobs = cores) on the plain files,
#   - rg -c -F -i with acrscan's own prefilter literals (`acrscan literals`) on the same files,
#   - acrscan on the gzip files, against rg -z -c -F -i and zcat > /dev/null,
#   - acrscan on one file holding a single line of several hundred MB,
# and measures peak resident memory of each with /usr/bin/time -v.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-500}
RUNS=${2:-5}
OUT=bench-out
need=()
command -v rg >/dev/null || need+=(ripgrep)
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi

swift build -c release --product acrscan >&2
BIN=$(swift build -c release --show-bin-path)/acrscan
CORPUS=$OUT/corpus-$MB
if [ ! -d "$CORPUS" ]; then
  echo "generating $MB MB corpus in $CORPUS" >&2
  python3 scripts/gen-corpus.py "$CORPUS" --mb "$MB" --files 8 --gzip-share 0.25 --long-line-mb 300
fi
"$BIN" literals > "$OUT/literals.txt"
PLAIN=("$CORPUS"/plain/*)
GZIP=("$CORPUS"/gzip/*)
LONG="$CORPUS/long/long-line.log"
cat "${PLAIN[@]}" "${GZIP[@]}" "$LONG" > /dev/null   # warm the page cache

plain_bytes=$(cat "${PLAIN[@]}" | wc -c)
gzip_bytes=$(zcat "${GZIP[@]}" | wc -c)
echo "corpus: $((plain_bytes / 1000000)) MB plain in ${#PLAIN[@]} files, $((gzip_bytes / 1000000)) MB in ${#GZIP[@]} gzip files; $(nproc) cores; $(uname -srm)"

fresh="rm -f $OUT/bench.db $OUT/bench.db-wal $OUT/bench.db-shm"
hyperfine -N --style basic -w 1 -r "$RUNS" --export-json "$OUT/plain.json" \
  -n "acrscan --jobs 1" -p "$fresh" "$BIN scan --db $OUT/bench.db --jobs 1 --progress never ${PLAIN[*]}" \
  -n "acrscan" -p "$fresh" "$BIN scan --db $OUT/bench.db --progress never ${PLAIN[*]}" \
  -n "rg -c -F -i (1 thread)" -p true "rg -j1 -c -F -i -f $OUT/literals.txt ${PLAIN[*]}" \
  -n "rg -c -F -i" -p true "rg -c -F -i -f $OUT/literals.txt ${PLAIN[*]}" >/dev/null
hyperfine -N --style basic -w 1 -r "$RUNS" --export-json "$OUT/gzip.json" \
  -n "acrscan gzip --jobs 1" -p "$fresh" "$BIN scan --db $OUT/bench.db --jobs 1 --progress never ${GZIP[*]}" \
  -n "zcat > /dev/null" -p true "sh -c 'zcat ${GZIP[*]} > /dev/null'" \
  -n "rg -z -c -F -i (1 thread)" -p true "rg -j1 -z -c -F -i -f $OUT/literals.txt ${GZIP[*]}" >/dev/null

median() { python3 -c "import json,sys; d=json.load(open('$1')); [print(r['command'], r['median']) for r in d['results']]"; }
echo
echo "median seconds, MB/s:"
{ median "$OUT/plain.json" | while read -r line; do t=${line##* }; n=${line% *}; printf "  %-28s %7.3f s  %8.1f MB/s\n" "$n" "$t" "$(python3 -c "print($plain_bytes/1e6/$t)")"; done
  median "$OUT/gzip.json" | while read -r line; do t=${line##* }; n=${line% *}; printf "  %-28s %7.3f s  %8.1f MB/s\n" "$n" "$t" "$(python3 -c "print($gzip_bytes/1e6/$t)")"; done; }
python3 - "$OUT/plain.json" "$OUT/gzip.json" <<'PY'
import json, sys
p = {r['command']: r['median'] for r in json.load(open(sys.argv[1]))['results']}
g = {r['command']: r['median'] for r in json.load(open(sys.argv[2]))['results']}
print()
print(f"ratio acrscan/rg, one thread each:      {p['acrscan --jobs 1'] / p['rg -c -F -i (1 thread)']:.2f}  (target <= 1.0)")
print(f"ratio acrscan/rg, all cores each:       {p['acrscan'] / p['rg -c -F -i']:.2f}")
print(f"ratio acrscan gzip / zcat:              {g['acrscan gzip --jobs 1'] / g['zcat > /dev/null']:.2f}  (target <= 1.10)")
PY

echo
echo "peak resident memory (/usr/bin/time -v):"
for label in plain gzip long; do
  case $label in
    plain) files=("${PLAIN[@]}") ;;
    gzip) files=("${GZIP[@]}") ;;
    long) files=("$LONG") ;;
  esac
  rm -f $OUT/bench.db*
  kb=$(/usr/bin/time -v "$BIN" scan --db $OUT/bench.db --progress never "${files[@]}" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
  printf "  acrscan %-6s %6.1f MiB\n" "$label" "$(python3 -c "print($kb/1024)")"
done
kb=$(/usr/bin/time -v rg -c -F -i -f $OUT/literals.txt "${PLAIN[@]}" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
printf "  rg     %-6s %6.1f MiB\n" plain "$(python3 -c "print($kb/1024)")"
