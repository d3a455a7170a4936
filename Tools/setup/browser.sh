#!/usr/bin/env bash
# Installs a headless browser for the report test (Tools/browser/check-report.sh), only when none is
# there: Debian's chromium-headless-shell (about 100 MB; Chromium's headless mode without the
# desktop browser). $KINEMA_BROWSER, chromium-headless-shell or chromium on the PATH counts as one.
set -euo pipefail
say() { printf '\033[1mbrowser:\033[0m %s\n' "$*"; }
if [ -n "${KINEMA_BROWSER:-}" ] || command -v chromium-headless-shell >/dev/null || command -v chromium >/dev/null; then
    exit 0
fi
say "installing Debian's chromium-headless-shell for the report test (apt-get, once)"
sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium-headless-shell >/dev/null
