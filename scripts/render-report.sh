#!/usr/bin/env bash
# Renders an HTML report to docs/report.png with headless Chromium (Debian's `chromium`), for the
# README. The bundled samples all fall within one hour, so the picture uses four weeks of
# generated logs (scripts/gen-corpus.py) to show trends. The HTML needs no network and no scripts.
#
#   scripts/render-report.sh [OUT.png]      default: docs/report.png
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-docs/report.png}
if ! command -v chromium >/dev/null; then
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
fi
swift build -c release --product acrscan >&2
BIN=$(swift build -c release --show-bin-path)/acrscan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/gen-corpus.py "$work/logs" --mb 8 --files 2 --failure-every 400 --seed 7 >&2
"$BIN" scan --db "$work/r.db" --host demo --progress never "$work/logs" samples/ >&2
"$BIN" report --db "$work/r.db" --format html --output "$work/report.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --window-size=1280,2400 --screenshot="$work/report.png" "file://$work/report.html" 2>/dev/null
cp "$work/report.png" "$OUT"
echo "wrote $OUT"
