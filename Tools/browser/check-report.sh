#!/usr/bin/env bash
# Renders a Kinema report.html in a real headless browser and checks that it loads without errors
# and that every image and animation loads (check-report.js says how). Prints one line per image
# and video, PROBLEM lines for what failed, then DONE.
#   Tools/browser/check-report.sh runs/demo/report.html
# Exit status: 0 all loaded; 1 a problem; 2 no browser (Tools/setup/browser.sh installs Debian's
# chromium-headless-shell) or no report.
# The browser: $KINEMA_BROWSER, else chromium-headless-shell, else chromium, on the PATH.
set -euo pipefail
report=${1:?usage: check-report.sh REPORT.html}
[ -f "$report" ] || { echo "no report at $report" >&2; exit 2; }
browser=${KINEMA_BROWSER:-}
if [ -z "$browser" ]; then
    browser=$(command -v chromium-headless-shell || command -v chromium || true)
fi
[ -n "$browser" ] || { echo "no headless browser: run Tools/setup/browser.sh (Debian's chromium-headless-shell)" >&2; exit 2; }

# A hidden copy beside the report, so its relative paths resolve as the report's do.
folder=$(cd "$(dirname "$report")" && pwd)
copy=$(mktemp "$folder/.report-check.XXXXXX.html")
trap 'rm -f "$copy"' EXIT
script=$(dirname "$0")/check-report.js
{
    # Everything up to <head>, the check, then the rest of the page.
    awk -v js="$script" '
        !done && /<head>/ { sub(/<head>/, "<head><script>"); print; while ((getline line < js) > 0) print line; print "</script>"; done = 1; next }
        { print }' "$report"
} > "$copy"

# A fresh profile each time; no sandbox (CI runs as root); virtual time lets the page load fully.
profile=$(mktemp -d)
trap 'rm -f "$copy"; rm -rf "$profile"' EXIT
dom=$(timeout 120 "$browser" --headless --no-sandbox --disable-gpu --allow-file-access-from-files --user-data-dir="$profile" \
    --virtual-time-budget=30000 --dump-dom "file://$copy" 2>/dev/null) || { echo "PROBLEM the browser failed ($browser)"; exit 1; }
result=$(printf '%s\n' "$dom" | sed -n '/<pre id="kinema-browser-check">/,/DONE/p' | sed 's/<pre id="kinema-browser-check">//; s/<\/pre>.*//')
if [ -z "$result" ]; then
    echo "PROBLEM the check never ran: the page did not finish loading (or threw before its load event)"
    exit 1
fi
printf '%s\n' "$result" | sed 's/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g'
if printf '%s\n' "$result" | grep -q '^PROBLEM'; then exit 1; fi
