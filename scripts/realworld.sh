#!/usr/bin/env bash
# The real-world benchmark: scans every event of Tests/ScannerTests/RealWorld/*/lines.jsonl as its
# own log and prints recall, precision and registry accuracy, per type and per producer, and every
# miss, mistype, false finding and wrong registry. The same scoring gates `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
ACRSCAN_REALWORLD_VERBOSE=1 swift test --filter 'RealWorldTests/score' 2>&1 |
  sed -n '/^shared:\|^added:\|^round3:\|^round4:\|^round5c:\|^round5k:\|^round6p:\|^round6b:\|^round7:\|^round8:\|^round9:\|^seq9:\|^round10:\|^round11:\|^round12:\|^round13:\|^round14:\|^round15:\|^round16:\|^round17:\|^round18:\|^round19:\|^round20:\|^round21:\|^  /p'
