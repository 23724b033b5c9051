#!/usr/bin/env bash
# Renders the HTML report and the HTML timeline in headless Chromium (Debian's `chromium`) and
# checks that nothing overflows: at a 1100 px wide window, and as printed on A4 (the page's
# @media print rules applied at the printable width, 186 mm = 703 px). It also prints both pages
# to PDF and takes a screenshot of the report at 1100 px, which it copies to docs/report.png.
#
# The pages hold no script, so the measuring is done by a wrapper page in the scratch directory:
# it loads a page in an iframe of the given width, optionally re-applies the page's print rules,
# and lists every element whose right edge passes the frame's width (and the document's
# scrollWidth). `chromium --headless --dump-dom` prints the wrapper with the verdict.
#
# The tests do not run this (it needs Chromium, about 300 MB); run it after changing the HTML:
#
#   scripts/check-report-layout.sh            exit 0 when nothing overflows, 1 otherwise
#   KEEP=1 scripts/check-report-layout.sh     keep the scratch directory (HTML, PDF, PNG)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
  echo "check-report-layout: installing chromium" >&2
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
fi
command -v chromium >/dev/null || { echo "check-report-layout: chromium is not available" >&2; exit 2; }
swift build --product acrscan >&2
BIN=$(swift build --show-bin-path)/acrscan
work=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "scratch: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi

# Four weeks of generated logs (trends, many registries) plus the samples (every type, long lines).
python3 scripts/gen-corpus.py "$work/logs" --mb 8 --files 2 --failure-every 400 --seed 7 >&2
"$BIN" scan --db "$work/r.db" --host demo --progress never "$work/logs" samples/ >&2
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(date +%s)}
"$BIN" report --db "$work/r.db" --format html --output "$work/report.html"
"$BIN" report --db "$work/r.db" --format html --by registry,type,repository,client_ip --output "$work/report-wide.html"
"$BIN" timeline --db "$work/r.db" --format html --limit 300 --output "$work/timeline.html"

chrome() {
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --allow-file-access-from-files --run-all-compositor-stages-before-draw "$@" 2>/dev/null
}

# check PAGE WIDTH MEDIA: prints "ok …" or "OVERFLOW …" lines.
check() {
  local page=$1 width=$2 media=$3
  cat > "$work/wrap-$media-$page" <<EOF
<!DOCTYPE html>
<html><head><meta charset="utf-8"/></head>
<body style="margin:0">
<iframe id="f" src="$page" style="width:${width}px;height:900px;border:0"></iframe>
<pre id="verdict">pending</pre>
<script>
const frame = document.getElementById('f');
frame.addEventListener('load', () => {
  const doc = frame.contentDocument;
  if ('$media' === 'print') {
    // Apply the page's print rules as if printing.
    const sheet = doc.createElement('style');
    let text = '';
    for (const s of doc.styleSheets) for (const r of s.cssRules)
      if (r instanceof CSSMediaRule && r.media.mediaText.includes('print'))
        for (const inner of r.cssRules) text += inner.cssText + '\n';
    sheet.textContent = text;
    doc.head.appendChild(sheet);
  }
  const limit = doc.documentElement.clientWidth;
  const bad = [];
  if (doc.documentElement.scrollWidth > limit) bad.push('document scrollWidth ' + doc.documentElement.scrollWidth + ' > ' + limit);
  for (const el of doc.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > limit + 0.5)
      bad.push(el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className ? '.' + el.className : '') +
               ' right ' + Math.round(r.right) + ' > ' + limit + ': ' + (el.textContent || '').trim().slice(0, 60));
  }
  document.getElementById('verdict').textContent =
    (bad.length ? 'OVERFLOW ' : 'ok ') + '$page at ${width}px ($media): ' + (bad.length ? '\n  ' + bad.slice(0, 12).join('\n  ') : 'nothing overflows');
});
</script>
</body></html>
EOF
  chrome --virtual-time-budget=5000 --dump-dom "file://$work/wrap-$media-$page" | python3 -c '
import html, re, sys
m = re.search(r"<pre id=\"verdict\">(.*?)</pre>", sys.stdin.read(), re.S)
print(html.unescape(m.group(1)) if m else "OVERFLOW? no verdict (page did not load)")'
}

status=0
for page in report.html report-wide.html timeline.html; do
  for mode in "1100 screen" "703 print"; do
    # shellcheck disable=SC2086
    line=$(check "$page" $mode)
    echo "$line"
    case "$line" in ok*) ;; *) status=1 ;; esac
  done
  chrome --no-pdf-header-footer --print-to-pdf="$work/${page%.html}.pdf" "file://$work/$page"
  [ -s "$work/${page%.html}.pdf" ] || { echo "no PDF for $page" >&2; status=1; }
done
chrome --window-size=1100,2600 --screenshot="$work/report.png" "file://$work/report.html"
cp "$work/report.png" docs/report.png
echo "wrote docs/report.png; PDFs in $work (KEEP=1 to keep them)"
exit $status
