#!/usr/bin/env bash
# Debian's chromium, in which test/runtime/report/report-browser.test.ts opens the HTML reports
# (headless, driven over --remote-debugging-pipe): no console error, no request, every chart drawn.
# Without it that suite skips, saying so.
set -uo pipefail
who=chromium.sh
skips="the report browser tests will skip"
apt_options=--no-install-recommends
source "$(dirname "$0")/../apt-missing" chromium
exit 0
