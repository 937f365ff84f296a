#!/usr/bin/env bash
# Debian's chromium, in which test/runtime/report/report-browser.test.ts opens the HTML reports
# (headless, driven over --remote-debugging-pipe): no console error, no request, every chart drawn.
# Without it that suite skips, saying so.
set -uo pipefail
dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q '^install ok installed$' && exit 0
if ! command -v apt-get >/dev/null; then
  echo "chromium.sh: no apt-get here; chromium not installed, the report browser tests will skip"
  exit 0
fi
sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends chromium; }; then
  echo "chromium.sh: could not install chromium; the report browser tests will skip"
fi
exit 0
