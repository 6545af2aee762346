#!/usr/bin/env node
// Builds the GitHub Action into action/dist (or the folder given as the first argument):
// - main.js: action/src/index.ts bundled by esbuild (ESM, node20), everything inlined except the
//   packages below that load files of their own;
// - index.js: the entry action.yml names; it links node_modules -> packages beside itself (where
//   Node looks for the packages main.js imports), then imports main.js. A folder named
//   node_modules is not committed, so the packages ship as packages/;
// - packages/: exactly those packages, trimmed to what they load at run time on the Actions
//   runner (linux-x64): onnxruntime-node (+ onnxruntime-common) with its linux-x64 binaries,
//   hnswlib-node with its compiled addon (+ bindings, file-uri-to-path), web-tree-sitter with its
//   runtime wasm, each tree-sitter grammar's package.json and .wasm, and cwe-sdk's package.json and
//   LICENSE with its raw/cwe-dictionary.json reduced to what src/cwe/names.ts reads (each id,
//   its name and MITRE's mapping usage: ~120 KB instead of ~8 MB) and its raw/cwe-archive.xml
//   reduced to what src/cwe/mitre-documents.ts reads (descriptions and "Bad" example code:
//   1.7 MB instead of ~15 MB), and TypeScript's compiler
//   (lib/typescript.js), which the ESLint analyzer's TypeScript parser loads;
// - package.json: `"type": "module"`, and the package root the bundle's code walks up to, so the
//   seed corpus (corpus/) and the prompt templates (src/prompt/templates/) are found next to it as
//   they are in the repository;
// - corpus/.index/default/: the seed corpus's retrieval index (default embedder, vectors, CWE
//   classifier), built here by the same `openRetrievalIndex` the Action runs, so the Action does not
//   spend ~35 s building it on every run. Shipped rather than kept in @actions/cache: it depends only
//   on committed files, so one build serves every run, including each pull request's first, with
//   no cache service to reach (src/action/seed-corpus.ts says more). The Action copies it to the
//   runner's temp folder and opens it there, where any mismatch with the corpus rebuilds it.
// Nothing depends on the time or the machine's paths, so the same tree builds the same files
// (scripts/check-action-bundle.sh relies on it). The one exception is the index's vectors, which
// onnxruntime computes with float kernels that may differ in the last bits between CPUs: the
// check compares those within a tolerance.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'action', 'dist'));
const modules = join(root, 'node_modules');

/** Packages left out of the bundle, with the files of each that are shipped (paths or folders, relative to the package). */
const SHIPPED = {
  'onnxruntime-node': ['package.json', 'LICENSE', 'dist/index.js', 'dist/backend.js', 'dist/binding.js', 'dist/version.js', 'bin/napi-v6/linux/x64'],
  'onnxruntime-common': ['package.json', 'LICENSE', 'dist/cjs', 'dist/esm'],
  'hnswlib-node': ['package.json', 'LICENSE.txt', 'lib/index.js', 'build/Release/addon.node'],
  bindings: ['package.json', 'LICENSE.md', 'bindings.js'],
  'file-uri-to-path': ['package.json', 'LICENSE', 'index.js'],
  'web-tree-sitter': ['package.json', 'LICENSE', 'web-tree-sitter.js', 'web-tree-sitter.wasm'],
  'tree-sitter-python': ['package.json', 'LICENSE', 'tree-sitter-python.wasm'],
  'tree-sitter-c': ['package.json', 'LICENSE', 'tree-sitter-c.wasm'],
  'tree-sitter-cpp': ['package.json', 'LICENSE', 'tree-sitter-cpp.wasm'],
  'tree-sitter-javascript': ['package.json', 'LICENSE', 'tree-sitter-javascript.wasm'],
  'tree-sitter-typescript': ['package.json', 'LICENSE', 'tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm'],
  'tree-sitter-go': ['package.json', 'LICENSE', 'tree-sitter-go.wasm'],
  'tree-sitter-java': ['package.json', 'LICENSE', 'tree-sitter-java.wasm'],
  'tree-sitter-ruby': ['package.json', 'LICENSE', 'tree-sitter-ruby.wasm'],
  // raw/cwe-dictionary.json is written trimmed (trimCweDictionary). NOTICE: none in 1.1.19; shipped should a release add one.
  'cwe-sdk': ['package.json', 'LICENSE', 'NOTICE', 'raw/cwe-hierarchy.json'],
  // The ESLint analyzer's TypeScript parser (typescript-eslint) runs on TypeScript's compiler, one
  // self-contained 9 MB file. Bundled, it would make main.js 18 MB instead of 8 MB and be stored
  // in git again with every rebuild of main.js; shipped as it is, the file changes only when
  // TypeScript does. ESLint, the plugins and the parser itself stay in main.js (~5 MB).
  typescript: ['package.json', 'LICENSE.txt', 'ThirdPartyNoticeText.txt', 'lib/typescript.js'],
};

/** The entry: make the shipped packages resolvable, then run the bundle. */
const ENTRY = `// Built by scripts/build-action.mjs; do not edit. Node resolves the packages main.js imports
// from node_modules/ beside it: link that name to the shipped packages/, then run main.js.
import { symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
try {
  symlinkSync('packages', join(here, 'node_modules'), 'dir');
} catch (error) {
  // Already linked by an earlier run (or a concurrent one).
  if (error.code !== 'EEXIST') throw error;
}
await import('./main.js');
`;

/** Repository files shipped at the same relative path below the package root. */
const DATA = ['corpus/corpus.jsonl', 'corpus/cwe-examples.jsonl', 'corpus/NOTICE', 'src/prompt/templates', 'LICENSE', 'NOTICE'];

/** Source maps and type declarations are not needed to run. */
const keep = (path) => !/\.(?:map|d\.ts|d\.cts|d\.mts)$/.test(path);

/** Copies a file or folder; a missing licence or notice file is skipped (some packages only name theirs in package.json). */
function copy(from, to) {
  if (!existsSync(from) && /^(?:LICEN[CS]E|NOTICE)/.test(from.split(sep).at(-1) ?? '')) return;
  if (!existsSync(from)) throw new Error(`build-action: ${relative(root, from)} is missing; run npm ci first`);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true, filter: keep });
}

/**
 * cwe-sdk's dictionary with only what src/cwe/names.ts reads, in the same shape: each numeric id
 * (in ascending order) to `{ attr: { '@_ID', '@_Name' } }`, with `Mapping_Notes: { Usage }` where
 * the entry has one. One line of JSON: the same input always gives the same bytes.
 */
function trimCweDictionary(from, to) {
  if (!existsSync(from)) throw new Error(`build-action: ${relative(root, from)} is missing; run npm ci first`);
  const dictionary = JSON.parse(readFileSync(from, 'utf8'));
  const ids = Object.keys(dictionary)
    .filter((id) => /^\d+$/.test(id))
    .sort((a, b) => Number(a) - Number(b));
  const trimmed = {};
  for (const id of ids) {
    const name = dictionary[id]?.attr?.['@_Name'];
    const usage = dictionary[id]?.Mapping_Notes?.Usage;
    if (typeof name === 'string') {
      trimmed[id] = { attr: { '@_ID': id, '@_Name': name }, ...(typeof usage === 'string' ? { Mapping_Notes: { Usage: usage } } : {}) };
    }
  }
  if (Object.keys(trimmed).length === 0) throw new Error(`build-action: ${relative(root, from)} holds no CWE names`);
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, `${JSON.stringify(trimmed)}\n`);
}

/** What builds the seed index: the repository's own `openRetrievalIndex`, bundled by esbuild from this text. */
const SEED_INDEX_ENTRY = `
import { openRetrievalIndex } from './src/retrieve/open-index.ts';
export { trimmedArchive } from './src/cwe/mitre-documents.ts';
export async function buildIndex(corpusDir) {
  const index = await openRetrievalIndex({ corpusDir, rebuild: true });
  const newest = index.entries.map((entry) => entry.addedAt).sort().at(-1);
  return { dir: index.status.dir, entries: index.entries.length, newest };
}
`;

/**
 * Builds the retrieval index of the corpus in `corpusDir` (into its .index/default/) exactly as the
 * Action would at run time: the default embedder, default HNSW options, the classifier with the
 * labelled examples beside the corpus. The index manifest's `updatedAt` is the one field that
 * depends on the clock; it is set to the newest entry's `addedAt` (the time the index is up to date
 * with), so the same corpus always gives the same files.
 */
async function buildSeedIndex(corpusDir, archiveFrom, archiveTo) {
  // Below node_modules/ (ignored by git), so that the bundle's imports of packages resolve to the
  // repository's node_modules/ (packages are left external: nothing of them is copied).
  const cache = join(modules, '.cache');
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(cache, 'seccoder-build-action-'));
  try {
    const script = join(tmp, 'build-seed-index.mjs');
    await build({
      absWorkingDir: root,
      stdin: { contents: SEED_INDEX_ENTRY, resolveDir: root, sourcefile: 'build-seed-index.ts', loader: 'ts' },
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    const { buildIndex, trimmedArchive } = await import(pathToFileURL(script).href);
    // The archive first: the classifier trains on MITRE's documents from the package's full copy,
    // and the Action, retraining it for another corpus, reads the same documents from this one.
    if (!existsSync(archiveFrom)) throw new Error(`build-action: ${relative(root, archiveFrom)} is missing; run npm ci first`);
    mkdirSync(dirname(archiveTo), { recursive: true });
    writeFileSync(archiveTo, trimmedArchive(readFileSync(archiveFrom, 'utf8')));
    const built = await buildIndex(corpusDir);
    if (built.entries === 0 || typeof built.newest !== 'string') throw new Error('build-action: the seed corpus is empty');
    const manifestPath = join(built.dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, updatedAt: built.newest }));
    return built;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: ['action/src/index.ts'],
  outfile: join(out, 'main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['onnxruntime-node', 'hnswlib-node', 'web-tree-sitter', 'typescript'],
  // CommonJS dependencies inlined into an ES module still call `require` for Node's built-ins.
  banner: { js: "import { createRequire as __seccoderCreateRequire } from 'node:module';\nconst require = __seccoderCreateRequire(import.meta.url);" },
  legalComments: 'eof',
  charset: 'utf8',
  logLevel: 'warning',
});

writeFileSync(
  join(out, 'package.json'),
  `${JSON.stringify({ name: 'seccoder-action-dist', private: true, type: 'module', description: 'Built by scripts/build-action.mjs; do not edit.' }, null, 2)}\n`,
);
writeFileSync(join(out, 'index.js'), ENTRY);
for (const [pkg, files] of Object.entries(SHIPPED)) {
  for (const file of files) copy(join(modules, pkg, file), join(out, 'packages', pkg, file));
}
trimCweDictionary(join(modules, 'cwe-sdk', 'raw', 'cwe-dictionary.json'), join(out, 'packages', 'cwe-sdk', 'raw', 'cwe-dictionary.json'));
for (const file of DATA) copy(join(root, file), join(out, file));
copy(join(root, 'src', 'analyze', 'bandit-runner.py'), join(out, 'bandit-runner.py'));
const seedIndex = await buildSeedIndex(
  join(out, 'corpus'),
  join(modules, 'cwe-sdk', 'raw', 'cwe-archive.xml'),
  join(out, 'packages', 'cwe-sdk', 'raw', 'cwe-archive.xml'),
);

/** Every file below `dir`, relative, sorted. */
function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}
const files = listFiles(out);
console.log(`built ${relative(root, out) || out}: ${files.length} files (seed index: ${seedIndex.entries} entries)`);
