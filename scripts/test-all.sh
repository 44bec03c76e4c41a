#!/usr/bin/env bash
# Installs everything the test suite needs and runs all of it: type check, lint, format check, tests.
# Usage: bash scripts/test-all.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser end-to-end tests drive Debian's Chromium (no browser download at install time).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium (browser tests)…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "WARNING: chromium is not installed; browser tests will be skipped (they run in CI)." >&2
  fi
fi

npm ci --no-audit --no-fund
npm run typecheck
npm run lint
npx prettier --check .
mkdir -p test-output
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-output/vitest.json || status=$?
node scripts/test-summary.mjs test-output/vitest.json
exit "$status"
