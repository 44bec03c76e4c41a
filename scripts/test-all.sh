#!/usr/bin/env bash
# Installs everything the test suite needs and runs all of it: type check, lint, format check, and
# every test on each supported Node.js version (20 — the machine's own —, 22 and 24).
# Usage: bash scripts/test-all.sh
#   TEST_NODE_VERSIONS="22 24" (default) — further Node majors to run the tests on; "" for the machine's only.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

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

# `npm ci` in the current directory with the node first on PATH; fails on an EBADENGINE warning
# (a dependency that does not support this Node version).
install_deps() {
  local log
  log=$(mktemp)
  npm ci --no-audit --no-fund 2>&1 | tee "$log"
  if grep -q EBADENGINE "$log"; then
    echo "FAIL: npm ci on Node $(node -v) warned EBADENGINE (a dependency does not support it)" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

# Runs the whole test suite with the node first on PATH; the JSON report goes to test-output/$1.json.
run_tests() {
  mkdir -p test-output
  local status=0
  npx vitest run --reporter=default --reporter=json --outputFile.json="test-output/$1.json" || status=$?
  return "$status"
}

status=0
summary=()
echo "== Node $(node -v) (the machine's): install, type check, lint, format, tests"
install_deps
npm run typecheck
npm run lint
npx prettier --check .
run_tests "vitest-node$(node -p 'process.versions.node.split(".")[0]')" || status=1
summary+=("Node $(node -v): $(node scripts/test-summary.mjs "test-output/vitest-node$(node -p 'process.versions.node.split(".")[0]').json")")

# Each further version runs in a copy of the tree with its own node_modules (native modules compile
# against that version's headers), so this checkout's node_modules stays built for the machine's Node.
for major in ${TEST_NODE_VERSIONS-22 24}; do
  nodedir=$(bash scripts/node-version.sh "$major")
  copy="$root/.cache/tree-node$major"
  rm -rf "$copy" && mkdir -p "$copy"
  git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$copy"
  # The copy is a repository of its own, as a fresh clone is (tests copy "what git tracks" from it).
  git -C "$copy" init -q && git -C "$copy" add -A
  echo "== Node $("$nodedir/bin/node" -v): install, tests"
  (
    cd "$copy"
    export PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir"
    install_deps && run_tests "vitest-node$major"
  ) || status=1
  mkdir -p test-output
  cp "$copy/test-output/vitest-node$major.json" test-output/ 2>/dev/null || true
  summary+=("Node $("$nodedir/bin/node" -v): $(node scripts/test-summary.mjs "test-output/vitest-node$major.json")")
done

printf '%s\n' "${summary[@]}"
exit "$status"
