#!/usr/bin/env bash
# Debian packages the test suite uses: headless Chromium and its WebDriver for the HTML export
# tests, and faketime for the test that builds the same input on two different days. Run as
# root (or with sudo) once per machine; `.ci/run` calls it. Without them the tests that need
# them skip with a reason, except under CI=true, where they fail.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 \
    && command -v faketime >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "warning: no apt-get here; install Chromium and chromedriver by hand" >&2
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver faketime >/dev/null
