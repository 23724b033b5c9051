#!/usr/bin/env bash
# The real-world events hard-wrapped as terminals (cut at exactly W columns) and ticket systems (at
# the last blank before W) wrap a paste, at 60, 72, 80, 100 and 120 columns, each scored against its
# labels: failures right (found once, accepted type, labelled registry) and what broke, by class
# (missed, mistyped, counted twice, merged, registry lost), and negatives that gained a finding.
# WRAP_VERBOSE=1 also lists every broken event. The same figures gate `swift test`
# (WrappedEventTests).
set -euo pipefail
cd "$(dirname "$0")/.."
ACRSCAN_WRAP_VERBOSE="${WRAP_VERBOSE:-0}" swift test --filter 'WrappedEventTests' 2>&1 | sed -n '/^wrap \|^  /p'
