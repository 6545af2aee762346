#!/usr/bin/env bash
# Fails when the committed Action bundle (action/dist) is not what scripts/build-action.mjs builds
# from this tree: rebuilds into a temp folder and compares every file. hnswlib-node's addon is
# compiled on each machine by `npm ci`, so only its presence is checked (its version is in its
# package.json, which is compared); every other file, binaries included, must match byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node scripts/build-action.mjs "$tmp/dist" >/dev/null
addon=packages/hnswlib-node/build/Release/addon.node
if [ ! -f "action/dist/$addon" ]; then
  echo "check-action-bundle: action/dist/$addon is missing. Run 'npm run build:action' and commit action/dist." >&2
  exit 1
fi
# node_modules is the link the entry makes when the bundle runs in place; it is not committed.
if ! diff -r --brief --exclude=addon.node --exclude=node_modules "$tmp/dist" action/dist >"$tmp/diff.txt"; then
  sed -e "s|$tmp/dist|<fresh build>|g" "$tmp/diff.txt" >&2
  echo "check-action-bundle: action/dist is stale (it differs from a fresh build above). Run 'npm run build:action' and commit action/dist." >&2
  exit 1
fi
echo "check-action-bundle: action/dist is up to date"
