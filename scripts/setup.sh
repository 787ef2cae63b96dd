#!/usr/bin/env bash
# Sets up a fresh Debian machine with Node 20 for this repository: pnpm, Debian's Chromium for
# the browser tests, and the locked dependencies. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=12.21.0

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pnpm >/dev/null || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION (corepack cannot verify signatures here)"
  as_root npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION"
fi

if [ "${SKIP_CHROMIUM:-}" != 1 ] && ! command -v chromium >/dev/null; then
  echo "setup: installing Debian's chromium for the browser tests"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

pnpm install --frozen-lockfile
