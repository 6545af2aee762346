#!/usr/bin/env bash
# Fails when the committed Action bundle (action/dist) is not what scripts/build-action.mjs builds
# from this tree: rebuilds into a temp folder and compares every file. hnswlib-node's addon is
# compiled on each machine by `npm ci`, so only its presence is checked (its version is in its
# package.json, which is compared); every other file, binaries included, must match byte for byte,
# with one exception: the seed index's vectors (corpus/.index/default/vectors.f32) come from
# onnxruntime, whose float kernels (log, sums) may differ in the last bits between CPUs. When they
# differ, each value must be within 1e-5 of the fresh build's (the vectors are unit length; a
# vector of another corpus, embedder or entry order is off by far more), the committed index.json
# may differ from the fresh one only in the vectors' checksum, and that checksum must be the
# committed vectors' own (so the Action loads them instead of rebuilding). Everything the index
# was built from and is checked against at run time (the corpus, the embedder's model and
# vocabulary, the manifest with its corpus hash and entry ids, the classifier) still matches byte
# for byte.
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
stale() {
  echo "check-action-bundle: action/dist is stale (it differs from a fresh build above). Run 'npm run build:action' and commit action/dist." >&2
  exit 1
}
index=corpus/.index/default
# node_modules is the link the entry makes when the bundle runs in place; it is not committed.
status=0
diff -r --brief --exclude=addon.node --exclude=node_modules "$tmp/dist" action/dist >"$tmp/diff.txt" || status=$?
if [ "$status" -gt 1 ]; then
  sed -e "s|$tmp/dist|<fresh build>|g" "$tmp/diff.txt" >&2
  stale
fi
# Every difference other than the seed index's vectors (and their checksum in index.json) is stale.
grep -v -x -F \
  -e "Files $tmp/dist/$index/vectors.f32 and action/dist/$index/vectors.f32 differ" \
  -e "Files $tmp/dist/$index/index.json and action/dist/$index/index.json differ" \
  "$tmp/diff.txt" >"$tmp/other.txt" || true
if [ -s "$tmp/other.txt" ]; then
  sed -e "s|$tmp/dist|<fresh build>|g" "$tmp/other.txt" >&2
  stale
fi
if [ "$status" -eq 1 ]; then
  node --input-type=module - "$tmp/dist/$index" "action/dist/$index" <<'EOF' || stale
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
const [fresh, committed] = process.argv.slice(2);
const TOLERANCE = 1e-5;
const fail = (why) => {
  console.error(`check-action-bundle: the seed index's vectors differ from a fresh build: ${why}`);
  process.exit(1);
};
const manifest = (dir) => JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
const [a, b] = [manifest(fresh), manifest(committed)];
const vectors = (dir) => readFileSync(join(dir, 'vectors.f32'));
const [x, y] = [vectors(fresh), vectors(committed)];
if (crc32(y) !== b.checksums.vectors) fail('index.json does not hold the checksum of vectors.f32 (the Action would rebuild)');
const withoutChecksum = (m) => JSON.stringify({ ...m, checksums: { ...m.checksums, vectors: 0 } });
if (withoutChecksum(a) !== withoutChecksum(b)) fail('index.json differs in more than the vectors checksum');
if (x.byteLength !== y.byteLength) fail(`${y.byteLength} bytes, a fresh build ${x.byteLength}`);
// Little-endian float32, as the index writes them.
let worst = 0;
for (let offset = 0; offset < x.byteLength; offset += 4) worst = Math.max(worst, Math.abs(x.readFloatLE(offset) - y.readFloatLE(offset)));
if (!(worst <= TOLERANCE)) fail(`a value is off by ${worst} (tolerance ${TOLERANCE})`);
console.log(`check-action-bundle: the seed index's vectors differ from a fresh build in the last bits only (at most ${worst.toExponential(2)})`);
EOF
fi
echo "check-action-bundle: action/dist is up to date"
