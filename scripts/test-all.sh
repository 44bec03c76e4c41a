#!/usr/bin/env bash
# Installs everything the test suite needs and runs all of it: type check, lint, format check, tests.
# Usage: bash scripts/test-all.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests use: Debian's Chromium (browser tests; no browser download at install
# time) and PostgreSQL's server binaries (the scale-out store's tests start a throwaway server).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} (test dependencies)…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "WARNING: not installed: ${missing[*]}; the tests that need them skip locally (they run in CI)." >&2
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
