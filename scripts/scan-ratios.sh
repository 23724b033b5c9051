#!/usr/bin/env bash
# Issue 11's three scan ratios from interleaved rounds: each round runs every build given and the
# reference tool once, in order (scripts/interleaved.py: medians, quartiles, paired ratios), so a
# machine whose speed moves minute to minute moves them all alike. Fresh database for every scan.
#
#   scripts/scan-ratios.sh ROUNDS BIN...          e.g. scripts/scan-ratios.sh 21 /tmp/base-02e00a2 .build/release/acrscan
#   PARTS="plain1 plainall gzip" (default all three):
#     plain1    the plain corpus at --jobs 1, beside `rg -j1 -c -F -f bench-out/vocabulary.txt FILES`
#     plainall  the plain corpus with all jobs, beside `rg -c -F -f bench-out/vocabulary.txt FILES`
#     gzip      the gzip corpus with all jobs, beside one `igzip -dc FILES > /dev/null`
#   CORPUS=bench-out/corpus-300 (scripts/bench.sh makes it, and bench-out/vocabulary.txt)
# Ratios are printed against the last command of each part (the last BIN); read the CPU columns for
# the two plain parts (issue 11's targets there are CPU ratios) and the wall column for gzip.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: scripts/scan-ratios.sh ROUNDS BIN..." >&2; exit 2; }
ROUNDS=$1; shift
CORPUS=${CORPUS:-bench-out/corpus-300}
DB=$(mktemp -d)/ratios.db
for part in ${PARTS:-plain1 plainall gzip}; do
  echo "== $part ($ROUNDS rounds, load $(cut -d' ' -f1-3 /proc/loadavg))"
  spec=$(python3 - "$part" "$CORPUS" "$DB" "$@" <<'PY'
import glob, json, sys
part, corpus, db, bins = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
if part == 'gzip':
    files = sorted(glob.glob(corpus + '/gzip/*'))
    reference = ['igzip -dc', ['sh', '-c', 'igzip -dc ' + ' '.join(files) + ' > /dev/null'], None]
else:
    files = sorted(glob.glob(corpus + '/plain/*'))
    jobs = ['-j1'] if part == 'plain1' else []
    reference = ['rg' + (' -j1' if jobs else ''), ['rg'] + jobs + ['-c', '-F', '-f', 'bench-out/vocabulary.txt'] + files, None]
extra = ['--jobs', '1'] if part == 'plain1' else []
spec = [reference]
for index, binary in enumerate(bins):
    spec.append([f'{index + 1}:{binary}', [binary, 'scan', '--db', db, '--progress', 'never'] + extra + files,
                 f'rm -f {db} {db}-wal {db}-shm'])
print(json.dumps(spec))
PY
)
  python3 scripts/interleaved.py "$ROUNDS" "$spec"
done
rm -rf "$(dirname "$DB")"
