#!/usr/bin/env bash
# Renders the HTML report to docs/report.png with headless Chromium, for the README: the picture
# is taken by scripts/check-report-layout.sh, which also checks the layout at 1100 px and in print.
set -euo pipefail
exec "$(dirname "$0")/check-report-layout.sh" "$@"
