#!/usr/bin/env bash
# Regenerates docs/acrscan.1 from the command-line definitions, with swift-argument-parser's
# generate-manual plugin (it builds acrscan in release mode and reads its --experimental-dump-help).
# The date is the last commit's, so that regenerating without changes changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
swift package generate-manual --date "$(git log -1 --format=%cs)" --authors "the acrscan authors"
cp .build/plugins/GenerateManual/outputs/acrscan/acrscan.1 docs/acrscan.1
echo "docs/acrscan.1 regenerated; view it with: man -l docs/acrscan.1"
