#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine, then runs every test:
# type check, lint, unit and component tests (vitest), production build, e2e (Playwright in
# Debian's Chromium against the built site). README's second command and .ci/run run this file.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  # Playwright's own browser download cannot work here; Debian's Chromium is what e2e launches.
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

npm ci --no-audit --no-fund
npm test
