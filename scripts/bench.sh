#!/usr/bin/env bash
# Scan benchmark (issue 11, "Scan at read speed"): acrscan against the tools a user would run
# instead, on the same files, in one run.
#
#   scripts/bench.sh [MB] [RUNS]      default: 300 MB of logs, 5 runs each; prints medians and ratios
#   BASELINE=/path/to/older/acrscan scripts/bench.sh …   also times that build, in the same run
#
# Builds acrscan in release, generates a corpus with scripts/gen-corpus.py into bench-out/ (not
# committed), warms the page cache, then times with hyperfine (median of RUNS):
#   plain files:  cat > /dev/null (the read limit), rg -c -F over the fixed failure vocabulary below
#                 (all threads, and -j1), acrscan scan --jobs 1 and with all jobs, into a fresh
#                 database each run;
#   gzip files:   zcat > /dev/null, igzip -dc > /dev/null (ISA-L), acrscan --jobs 1 and all jobs;
# prints the ratios of the issue (wall and CPU), the candidate rate (`acrscan literals
# --candidates`: the share of lines the prefilter stops at; with the rule anchors alone; and with
# the context anchors too, as before the context was resolved lazily), and the peak
# resident memory of each acrscan run (/usr/bin/time -v), the 300 MB single line included.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-300}
RUNS=${2:-5}
OUT=bench-out
need=()
command -v rg >/dev/null || need+=(ripgrep)
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v igzip >/dev/null || need+=(isal)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi

# The yardstick: a fixed failure vocabulary, case-sensitive, both cases written out where logs use
# both; the same on every run and never derived from acrscan's own literals.
VOCABULARY=(
  unauthorized Unauthorized UNAUTHORIZED
  denied DENIED
  forbidden Forbidden FORBIDDEN
  AADSTS
  DOCKER_COMMAND_ERROR
  CONNECTIVITY_
  insufficient_scope
  "authentication required"
  "not allowed access"
  "oauth token"
  "anonymous token"
  "invalid username/password"
  AuthorizationFailed
)
mkdir -p "$OUT"
printf '%s\n' "${VOCABULARY[@]}" > "$OUT/vocabulary.txt"

swift build -c release --product acrscan >&2
BIN=$(swift build -c release --show-bin-path)/acrscan
CORPUS=$OUT/corpus-$MB
if [ ! -d "$CORPUS" ]; then
  echo "generating $MB MB corpus in $CORPUS" >&2
  python3 scripts/gen-corpus.py "$CORPUS" --mb "$MB" --files 8 --gzip-share 0.25 --long-line-mb 300
fi
PLAIN=("$CORPUS"/plain/*)
GZIP=("$CORPUS"/gzip/*)
LONG="$CORPUS/long/long-line.log"
cat "${PLAIN[@]}" "${GZIP[@]}" "$LONG" > /dev/null   # warm the page cache

plain_bytes=$(cat "${PLAIN[@]}" | wc -c)
gzip_bytes=$(zcat "${GZIP[@]}" | wc -c)
echo "corpus: $((plain_bytes / 1000000)) MB plain in ${#PLAIN[@]} files, $((gzip_bytes / 1000000)) MB in ${#GZIP[@]} gzip files;" \
  "$(nproc) cores; $(uname -srm); $(rg --version | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"

fresh="rm -f $OUT/bench.db $OUT/bench.db-wal $OUT/bench.db-shm"
scan="$BIN scan --db $OUT/bench.db --progress never"
baseline=()
[ -n "${BASELINE:-}" ] && baseline=(-n "baseline --jobs 1" -p "$fresh" "$BASELINE scan --db $OUT/bench.db --progress never --jobs 1 ${PLAIN[*]}")
hyperfine -N --style basic -w 1 -r "$RUNS" --export-json "$OUT/plain.json" \
  -n "cat" -p true "sh -c 'cat ${PLAIN[*]} > /dev/null'" \
  -n "rg -c -F" -p true "rg -c -F -f $OUT/vocabulary.txt ${PLAIN[*]}" \
  -n "rg -j1 -c -F" -p true "rg -j1 -c -F -f $OUT/vocabulary.txt ${PLAIN[*]}" \
  -n "acrscan" -p "$fresh" "$scan ${PLAIN[*]}" \
  -n "acrscan --jobs 1" -p "$fresh" "$scan --jobs 1 ${PLAIN[*]}" \
  "${baseline[@]}" >/dev/null
hyperfine -N --style basic -w 1 -r "$RUNS" --export-json "$OUT/gzip.json" \
  -n "zcat" -p true "sh -c 'zcat ${GZIP[*]} > /dev/null'" \
  -n "igzip -dc" -p true "sh -c 'igzip -dc ${GZIP[*]} > /dev/null'" \
  -n "acrscan gzip" -p "$fresh" "$scan ${GZIP[*]}" \
  -n "acrscan gzip --jobs 1" -p "$fresh" "$scan --jobs 1 ${GZIP[*]}" >/dev/null

echo
echo "median wall seconds (MB/s of uncompressed content), mean CPU seconds (user + system):"
python3 - "$OUT/plain.json" "$plain_bytes" "$OUT/gzip.json" "$gzip_bytes" <<'PY'
import json, sys
ratios = {}
cpu = {}
for path, size in ((sys.argv[1], int(sys.argv[2])), (sys.argv[3], int(sys.argv[4]))):
    for r in json.load(open(path))['results']:
        ratios[r['command']] = r['median']
        cpu[r['command']] = r['user'] + r['system']
        print(f"  {r['command']:<24} {r['median']:7.3f} s  {size / 1e6 / r['median']:8.1f} MB/s   (min {r['min']:.3f}, max {r['max']:.3f})"
              f"   cpu {r['user'] + r['system']:6.3f} s")
m, c = ratios, cpu
print()
print("ratios (wall medians; CPU seconds, the stable figure on a shared machine):")
def ratio(label, a, b, target=""):
    print(f"  {label:<50} wall {m[a] / m[b]:5.2f}   cpu {c[a] / c[b]:5.2f}  {target}")
ratio("acrscan (all jobs) / rg -c -F (all threads)", 'acrscan', 'rg -c -F', "(target <= 1.5)")
ratio("acrscan --jobs 1 / rg -j1 -c -F", 'acrscan --jobs 1', 'rg -j1 -c -F', "(target <= 1.5)")
ratio("acrscan --jobs 1 / cat", 'acrscan --jobs 1', 'cat')
if 'baseline --jobs 1' in m:
    ratio("acrscan --jobs 1 / baseline --jobs 1", 'acrscan --jobs 1', 'baseline --jobs 1')
ratio("acrscan gzip (all jobs) / igzip -dc", 'acrscan gzip', 'igzip -dc', "(target <= 1.0)")
ratio("acrscan gzip --jobs 1 / zcat", 'acrscan gzip --jobs 1', 'zcat')
PY

echo
echo "candidate rate (lines the prefilter stops at / all lines):"
"$BIN" literals --candidates "${PLAIN[@]}" "${GZIP[@]}" | sed 's/^/  /'

echo
echo "peak resident memory (/usr/bin/time -v):"
jobs_all=$(nproc)
for label in plain gzip long; do
  case $label in
    plain) files=("${PLAIN[@]}") ;;
    gzip) files=("${GZIP[@]}") ;;
    long) files=("$LONG") ;;
  esac
  for jobs in 1 "$jobs_all"; do
    rm -f $OUT/bench.db*
    kb=$(/usr/bin/time -v $scan --jobs "$jobs" "${files[@]}" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
    printf "  acrscan %-6s --jobs %-2s %6.1f MiB\n" "$label" "$jobs" "$(python3 -c "print($kb/1024)")"
  done
done
kb=$(/usr/bin/time -v rg -c -F -f $OUT/vocabulary.txt "${PLAIN[@]}" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
printf "  rg      %-6s           %6.1f MiB\n" plain "$(python3 -c "print($kb/1024)")"
