#!/usr/bin/env bash
# Decompression benchmark: acrscan on compressed logs against the decompressors alone, in one run.
#
#   scripts/bench-inflate.sh [MB] [RUNS]    default: 200 MB of logs (4 files), 7 runs each
#
# Builds acrscan in release, generates the logs with scripts/gen-corpus.py (all gzip-compressed, in
# bench-out/, not committed), makes zstd, xz and bzip2 copies of the same content, warms the page
# cache, then times with hyperfine (median of RUNS; user CPU beside it, steadier on a shared machine):
#   - gzip: `zcat`, `igzip -dc` (ISA-L), acrscan `--jobs 1` with ISA-L (the default) and with zlib
#     (ACRSCAN_INFLATE=zlib), and acrscan with all jobs;
#   - zstd, xz, bzip2: `zstd -dc`, `xz -dc`, `bzip2 -dc` against acrscan `--jobs 1` on the same content.
# acrscan scans into a fresh database each run (the whole `scan`: decompress, match, store).
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-200}
RUNS=${2:-7}
OUT=bench-out
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v igzip >/dev/null || need+=(isal)
command -v zstd >/dev/null || need+=(zstd)
command -v xz >/dev/null || need+=(xz-utils)
command -v bzip2 >/dev/null || need+=(bzip2)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi

swift build -c release --product acrscan >&2
BIN=$(swift build -c release --show-bin-path)/acrscan
CORPUS=$OUT/inflate-$MB
if [ ! -d "$CORPUS/gzip" ]; then
  echo "generating $MB MB of gzip logs in $CORPUS" >&2
  python3 scripts/gen-corpus.py "$CORPUS" --mb "$MB" --files 4 --gzip-share 1.0
fi
GZIP=("$CORPUS"/gzip/*.gz)
for format in zstd xz bzip2; do
  mkdir -p "$CORPUS/$format"
  for f in "${GZIP[@]}"; do
    name=$(basename "$f" .gz)
    case $format in
      zstd) target="$CORPUS/zstd/$name.zst"; [ -f "$target" ] || zcat "$f" | zstd -q -3 -c > "$target" ;;
      xz) target="$CORPUS/xz/$name.xz"; [ -f "$target" ] || zcat "$f" | xz -6 -T1 -c > "$target" ;;
      bzip2) target="$CORPUS/bzip2/$name.bz2"; [ -f "$target" ] || zcat "$f" | bzip2 -9 -c > "$target" ;;
    esac
  done
done
ZSTD=("$CORPUS"/zstd/*) XZ=("$CORPUS"/xz/*) BZIP2=("$CORPUS"/bzip2/*)
cat "$CORPUS"/*/* > /dev/null   # warm the page cache

bytes=$(zcat "${GZIP[@]}" | wc -c)
echo "content: $((bytes / 1000000)) MB in ${#GZIP[@]} files; compressed: gzip $(du -cb "${GZIP[@]}" | tail -1 | cut -f1), zstd $(du -cb "${ZSTD[@]}" | tail -1 | cut -f1), xz $(du -cb "${XZ[@]}" | tail -1 | cut -f1), bzip2 $(du -cb "${BZIP2[@]}" | tail -1 | cut -f1) bytes; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

fresh="rm -f $OUT/inflate.db $OUT/inflate.db-wal $OUT/inflate.db-shm"
scan="$BIN scan --db $OUT/inflate.db --progress never"
hyperfine -N --style basic -w 1 -r "$RUNS" --export-json "$OUT/inflate-gzip.json" \
  -n "zcat" -p true "sh -c 'zcat ${GZIP[*]} > /dev/null'" \
  -n "igzip -dc" -p true "sh -c 'igzip -dc ${GZIP[*]} > /dev/null'" \
  -n "acrscan --jobs 1" -p "$fresh" "$scan --jobs 1 ${GZIP[*]}" \
  -n "acrscan --jobs 1, zlib" -p "$fresh" "env ACRSCAN_INFLATE=zlib $scan --jobs 1 ${GZIP[*]}" \
  -n "acrscan (all jobs)" -p "$fresh" "$scan ${GZIP[*]}" \
  -n "acrscan (all jobs), zlib" -p "$fresh" "env ACRSCAN_INFLATE=zlib $scan ${GZIP[*]}" >/dev/null
hyperfine -N --style basic -w 1 -r "$RUNS" --export-json "$OUT/inflate-other.json" \
  -n "zstd -dc" -p true "sh -c 'zstd -q -dc ${ZSTD[*]} > /dev/null'" \
  -n "acrscan --jobs 1, zstd" -p "$fresh" "$scan --jobs 1 ${ZSTD[*]}" \
  -n "xz -dc" -p true "sh -c 'xz -dc ${XZ[*]} > /dev/null'" \
  -n "acrscan --jobs 1, xz" -p "$fresh" "$scan --jobs 1 ${XZ[*]}" \
  -n "bzip2 -dc" -p true "sh -c 'bzip2 -dc ${BZIP2[*]} > /dev/null'" \
  -n "acrscan --jobs 1, bzip2" -p "$fresh" "$scan --jobs 1 ${BZIP2[*]}" >/dev/null

python3 - "$bytes" "$OUT/inflate-gzip.json" "$OUT/inflate-other.json" <<'PY'
import json, sys
size = int(sys.argv[1])
rows = {}
for path in sys.argv[2:]:
    for r in json.load(open(path))['results']:
        rows[r['command']] = (r['median'], r['user'] + r['system'])  # hyperfine gives mean CPU times
print()
print(f"{'command':28} {'median':>9} {'MB/s':>8} {'CPU (user+sys, mean)':>21}")
for name, (t, cpu) in rows.items():
    print(f"{name:28} {t:8.3f}s {size / 1e6 / t:8.1f} {cpu:20.3f}s")
def ratio(a, b, note=""):
    print(f"  {a:26} / {b:12} {rows[a][0] / rows[b][0]:5.2f}  (CPU {rows[a][1] / rows[b][1]:5.2f}){note}")
print()
print("ratios, wall (CPU):")
ratio("zcat", "igzip -dc")
ratio("acrscan --jobs 1", "zcat")
ratio("acrscan --jobs 1", "igzip -dc")
ratio("acrscan --jobs 1, zlib", "igzip -dc")
ratio("acrscan (all jobs)", "igzip -dc", "  (target <= 1.0, docs/performance.md)")
ratio("acrscan (all jobs), zlib", "igzip -dc")
ratio("acrscan --jobs 1, zstd", "zstd -dc")
ratio("acrscan --jobs 1, xz", "xz -dc")
ratio("acrscan --jobs 1, bzip2", "bzip2 -dc")
PY

echo
echo "peak resident memory (/usr/bin/time -v), acrscan --jobs 1:"
for set in gzip zstd xz bzip2; do
  files=("$CORPUS/$set"/*)
  eval "$fresh"
  kb=$(/usr/bin/time -v $scan --jobs 1 "${files[@]}" 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
  printf "  %-6s %6.1f MiB\n" "$set" "$(python3 -c "print($kb/1024)")"
done
