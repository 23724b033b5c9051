#!/usr/bin/env bash
# The prefilter alone, two versions of Sources/CByteScan side by side (docs/performance.md, "Seventh
# session"): scripts/prefilter-alone.c built against the byte_scan.c of git revision REV and against
# the working tree's, both given the same literals (`acrscan literals` of the release build), then,
# per corpus, the fingerprint comparisons of one pass (a counting build of each) and the CPU seconds
# of both, interleaved ROUNDS times, best of 3 passes each time (the machine is shared: the best and
# the ratio, not one run), and what building the search takes (best of 10). The two checksums must be equal: any bucketing finds the same hits.
#
#   scripts/prefilter-pair.sh REV [CORPUS_DIR...]
#   e.g. scripts/prefilter-pair.sh 09049c5 bench-out/corpus-300/plain /tmp/seed11/plain
#   ROUNDS=5 (default)
#
# A corpus is a directory of plain logs (scripts/gen-corpus.py makes them; --seed N another fleet,
# --all-failures failure-dense logs). Default: bench-out/corpus-300/plain (scripts/bench.sh makes it).
# Writes under bench-out/prefilter-pair/ only. Never run by the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
REV=${1:?usage: scripts/prefilter-pair.sh REV [CORPUS_DIR...]}
shift
CORPORA=("${@:-bench-out/corpus-300/plain}")
ROUNDS=${ROUNDS:-5}
OUT=bench-out/prefilter-pair
rm -rf "$OUT" && mkdir -p "$OUT/rev"
for file in byte_scan.c ngram_tables.h; do
  git show "$REV:Sources/CByteScan/$file" > "$OUT/rev/$file" 2>/dev/null || rm -f "$OUT/rev/$file"
done
swift build -c release --product acrscan >&2
"$(swift build -c release --show-bin-path)/acrscan" literals > "$OUT/literals.txt"
# The revision's counting build: its own hook, or, from before the hook, the same count put in its
# verification loop (a copy: the timing build stays as the revision wrote it).
mkdir -p "$OUT/rev-count"
cp "$OUT"/rev/* "$OUT/rev-count/"
if ! grep -q COUNT_COMPARISON "$OUT/rev-count/byte_scan.c"; then
  sed -i -e '1i extern unsigned long long acr_fingerprint_comparisons;' \
    -e 's/^\( *\)if (((text | fp->fold) \& fp->care) != fp->value/\1acr_fingerprint_comparisons++;\n&/' \
    "$OUT/rev-count/byte_scan.c"
fi
clang -O3 -I Sources/CByteScan/include scripts/prefilter-alone.c "$OUT/rev/byte_scan.c" -o "$OUT/old"
clang -O3 -DACR_COUNT_COMPARISONS -I Sources/CByteScan/include scripts/prefilter-alone.c "$OUT/rev-count/byte_scan.c" -o "$OUT/old-count"
clang -O3 -I Sources/CByteScan/include scripts/prefilter-alone.c Sources/CByteScan/byte_scan.c -o "$OUT/new"
clang -O3 -DACR_COUNT_COMPARISONS -I Sources/CByteScan/include scripts/prefilter-alone.c Sources/CByteScan/byte_scan.c -o "$OUT/new-count"
for dir in "${CORPORA[@]}"; do
  files=("$dir"/*)
  cat "${files[@]}" > /dev/null
  old_count=$(ROUNDS=1 "$OUT/old-count" "$OUT/literals.txt" "${files[@]}" | awk '/comparisons/ {print $NF}')
  new_count=$(ROUNDS=1 "$OUT/new-count" "$OUT/literals.txt" "${files[@]}" | awk '/comparisons/ {print $NF}')
  old_best=9 new_best=9 old_sum="" new_sum="" old_build="" new_build=""
  for _ in $(seq "$ROUNDS"); do
    read -r t _ _ old_sum _ old_build _ < <(ROUNDS=3 "$OUT/old" "$OUT/literals.txt" "${files[@]}")
    old_best=$(awk -v a="$old_best" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
    read -r t _ _ new_sum _ new_build _ < <(ROUNDS=3 "$OUT/new" "$OUT/literals.txt" "${files[@]}")
    new_best=$(awk -v a="$new_best" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
  done
  [ "$old_sum" = "$new_sum" ] || { echo "$dir: checksums differ ($old_sum, $new_sum)" >&2; exit 1; }
  awk -v d="$dir" -v oc="$old_count" -v nc="$new_count" -v o="$old_best" -v n="$new_best" \
    -v ob="$old_build" -v nb="$new_build" 'BEGIN {
    printf "%s: comparisons %d -> %d; best CPU %.4f -> %.4f s (new/old %.3f); build %s -> %s ms\n", d, oc, nc, o, n, n / o, ob, nb }'
done
