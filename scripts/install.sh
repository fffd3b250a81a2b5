#!/usr/bin/env bash
# Installs journeylint with everything its test suite needs, on a fresh machine:
# the package (editable) with its test extras, and the system Chromium the
# browser tests drive through Playwright (Playwright's own browser download
# cannot be used here). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --disable-pip-version-check -q -e ".[test]"

if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  else
    echo "install.sh: no apt-get: install Chromium yourself for the browser tests" >&2
    exit 1
  fi
fi
