// Flat config: typescript-eslint's recommended rules on our own sources, plus the architecture of src/
// (see README, Development): four layers whose imports point down only, and no cycle between the
// top-level folders of src/. Tests, bench and scripts may import anything.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import ts from 'typescript';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------
// The architecture table. Every top-level folder of src/ is in exactly one layer.
// ---------------------------------------------------------------------------------------------
const LAYERS = {
  adapter: ['github', 'action', 'cli', 'eval'],
  pipeline: ['harden'],
  domain: ['detect', 'retrieve', 'index', 'embed', 'corpus', 'prompt', 'model', 'analyze', 'config', 'governance'],
  leaf: ['cwe', 'sarif', 'parse', 'lang', 'text', 'fs', 'errors', 'log'],
};
const FOLDERS = Object.values(LAYERS).flat();
const layerOf = (folder) => Object.keys(LAYERS).find((layer) => LAYERS[layer].includes(folder));
const list = (folders) => folders.map((f) => `src/${f}`).join(', ');
const SEE = '(see README, Development)';

/** Why `src/${from}` must not import `src/${to}`, or undefined when the edge is allowed. */
function forbiddenBecause(from, to) {
  if (from === to) return undefined;
  const [a, b] = [layerOf(from), layerOf(to)];
  if (a === 'leaf' && b !== 'leaf') return `src/${from} is a leaf, and leaves (${list(LAYERS.leaf)}) import only other leaves`;
  if (a !== 'adapter' && b === 'adapter') {
    return `src/${to} is an adapter (${list(LAYERS.adapter)}): adapters import the layers below them, nothing below imports an adapter`;
  }
  if (a === 'domain' && b === 'pipeline') {
    return `the pipeline (src/harden) imports the domain, never the reverse: domain folders import only domain folders and leaves`;
  }
  const pair = `${from}->${to}`;
  if (pair === 'prompt->model' || pair === 'model->prompt') return 'prompt and model do not know each other (src/harden joins them)';
  if (['corpus', 'index', 'embed'].includes(from) && to === 'retrieve') {
    return 'src/retrieve builds on src/corpus, src/index and src/embed, never the reverse';
  }
  if (from === 'github' && (to === 'cli' || to === 'action')) {
    return `src/cli and src/action run the App's review, so they import src/github, never the reverse`;
  }
  if (from === 'github' && to === 'eval') return 'the App does not run the evaluation: src/github and src/eval are separate adapters';
  if (from === 'eval' && b === 'adapter') {
    return 'src/eval is an adapter of its own: it imports the pipeline, the domain and the leaves, never another adapter';
  }
  return undefined;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MAX_DEPTH = 6; // src/<folder>/a/b/c/d/x.ts; deeper files get only the cycle and table checks

/**
 * One config object per (folder, depth): a file at depth d below src/ reaches src/<to>/ by exactly
 * d `../` (or d + 1 and `src/`), so the patterns match that and nothing else: `../review/x.js` from
 * src/github/growth/ is src/github/review/, not src/review/. Type-only imports and `export … from`
 * are import declarations too, so they are checked alike.
 */
function directionConfigs() {
  const configs = [];
  for (const from of FOLDERS) {
    const banned = FOLDERS.map((to) => ({ to, why: forbiddenBecause(from, to) })).filter((b) => b.why !== undefined);
    if (banned.length === 0) continue;
    for (let depth = 1; depth <= MAX_DEPTH; depth++) {
      const up = '\\.\\./'.repeat(depth);
      configs.push({
        name: `architecture/src/${from}/depth-${depth}`,
        files: [`src/${from}/${'*/'.repeat(depth - 1)}*.{ts,mts,cts,tsx,js,mjs,cjs}`],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: banned.map(({ to, why }) => ({
                regex: `^(?:\\./)?(?:${up}|${up}\\.\\./src/)${escape(to)}(?:/|$)`,
                caseSensitive: true,
                message: `src/${from} must not import src/${to}: ${why} ${SEE}.`,
              })),
            },
          ],
        },
      });
    }
  }
  return configs;
}

// ---------------------------------------------------------------------------------------------
// A local plugin for what an import pattern cannot see: the folder graph as a whole.
// ---------------------------------------------------------------------------------------------
const DEFAULT_SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), 'src');
const SOURCE = /\.(?:ts|mts|cts|tsx|js|mjs|cjs)$/;

/** The top-level folder of src/ that `file` lies in: a name, '' for a file at src/'s root, undefined outside src/. */
function folderOf(srcDir, file) {
  const rel = path.relative(srcDir, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const parts = rel.split(path.sep);
  return parts.length < 2 ? '' : parts[0];
}

const graphs = new Map(); // srcDir -> { checkedAt, edges: Map<from, Map<to, example>> }
const scanned = new Map(); // file -> { mtimeMs, size, specifiers }: a file is re-read only when it changed
const RECHECK_MS = 2000; // a lint run reads src/ once or twice; an editor's long-lived ESLint sees edits within seconds

/** The relative specifiers a file imports, read with the TypeScript scanner (comments and strings are not imports). */
function specifiersOf(file) {
  const stat = fs.statSync(file);
  const known = scanned.get(file);
  if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known.specifiers;
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, false);
  const specifiers = importedFiles.map((f) => f.fileName).filter((f) => f.startsWith('.'));
  scanned.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, specifiers });
  return specifiers;
}

/** Which top-level folders of src/ import which, read from disk, with one example import per edge. */
function folderGraph(srcDir) {
  const cached = graphs.get(srcDir);
  if (cached && Date.now() - cached.checkedAt < RECHECK_MS) return cached.edges;
  const edges = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (SOURCE.test(entry.name)) {
        const from = folderOf(srcDir, file);
        if (!from) continue;
        let specifiers;
        try {
          specifiers = specifiersOf(file);
        } catch {
          continue; // deleted while we walked
        }
        for (const specifier of specifiers) {
          const to = folderOf(srcDir, path.resolve(path.dirname(file), specifier));
          if (!to || to === from) continue;
          if (!edges.has(from)) edges.set(from, new Map());
          if (!edges.get(from).has(to)) edges.get(from).set(to, `${path.relative(path.dirname(srcDir), file)} imports '${specifier}'`);
        }
      }
    }
  };
  if (fs.existsSync(srcDir)) walk(srcDir);
  graphs.set(srcDir, { checkedAt: Date.now(), edges });
  return edges;
}

/** The folders on a path from `start` to `goal` (both included), or undefined. */
function pathBetween(edges, start, goal) {
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const at = queue.shift();
    if (at === goal) {
      const route = [];
      for (let f = goal; f !== undefined; f = previous.get(f)) route.unshift(f);
      return route;
    }
    for (const next of edges.get(at)?.keys() ?? []) {
      if (!previous.has(next)) {
        previous.set(next, at);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** Calls `check(node, specifier)` for every static or dynamic import, `export … from`, `import x = require()` and `import('…')` type. */
function visitImports(check) {
  const literal = (node, source) => {
    if (source && source.type === 'Literal' && typeof source.value === 'string') check(node, source.value, source);
  };
  return {
    ImportDeclaration: (node) => literal(node, node.source),
    ExportNamedDeclaration: (node) => literal(node, node.source),
    ExportAllDeclaration: (node) => literal(node, node.source),
    ImportExpression: (node) => literal(node, node.source),
    TSImportType: (node) => literal(node, node.source ?? node.argument?.literal),
    TSExternalModuleReference: (node) => literal(node, node.expression),
  };
}

function srcDirOf(context) {
  return context.settings?.architecture?.srcDir ?? DEFAULT_SRC;
}

const architecture = {
  meta: { name: 'architecture' },
  rules: {
    // A folder the table above does not place cannot be checked: make whoever adds it place it.
    'known-folders': {
      meta: {
        type: 'problem',
        messages: {
          file: `src/{{folder}} is not in the architecture table in eslint.config.js: add it to a layer first ${SEE}.`,
          import: `'{{specifier}}' reaches src/{{folder}}, which is not in the architecture table in eslint.config.js: add it to a layer first ${SEE}.`,
          dynamic: `'{{specifier}}' crosses from src/{{from}} to src/{{to}} through import(): use a static import (or import type) so the architecture rules see it ${SEE}.`,
        },
        schema: [],
      },
      create(context) {
        const srcDir = srcDirOf(context);
        const from = folderOf(srcDir, context.filename);
        if (from === undefined) return {};
        const describe = (folder) => (folder === '' ? '(its root)' : folder);
        return {
          Program(node) {
            if (!FOLDERS.includes(from)) context.report({ node, messageId: 'file', data: { folder: describe(from) } });
          },
          ...visitImports((node, specifier) => {
            if (!specifier.startsWith('.')) return;
            const to = folderOf(srcDir, path.resolve(path.dirname(context.filename), specifier));
            if (to === undefined || to === from) return;
            if (!FOLDERS.includes(to)) context.report({ node, messageId: 'import', data: { specifier, folder: describe(to) } });
            else if (node.type === 'ImportExpression' || node.type === 'TSImportType') {
              context.report({ node, messageId: 'dynamic', data: { specifier, from: describe(from), to } });
            }
          }),
        };
      },
    },
    // No cycle between top-level folders: an import of src/B from src/A is an error when src/B
    // already reaches src/A (read from the files on disk). It catches what the direction rules leave
    // open (two domain folders, two leaves, src/cli and src/action importing each other); an edge the
    // direction rules forbid is left to them. Only folder edges are followed, so the whole tree costs
    // a few milliseconds.
    'no-folder-cycle': {
      meta: {
        type: 'problem',
        messages: {
          cycle: `src/{{from}} must not import src/{{to}}: it closes a cycle between top-level folders ({{route}}); imports between the folders of src/ point one way only ${SEE}.`,
        },
        schema: [],
      },
      create(context) {
        const srcDir = srcDirOf(context);
        const from = folderOf(srcDir, context.filename);
        if (!from) return {};
        return visitImports((node, specifier) => {
          if (!specifier.startsWith('.')) return;
          const to = folderOf(srcDir, path.resolve(path.dirname(context.filename), specifier));
          if (!to || to === from) return;
          if (FOLDERS.includes(from) && forbiddenBecause(from, to) !== undefined) return; // no-restricted-imports reports it already
          const edges = folderGraph(srcDir);
          const back = pathBetween(edges, to, from);
          if (!back) return;
          const chain = [from, ...back].map((f) => `src/${f}`).join(' → ');
          const evidence = back.slice(1).map((f, i) => edges.get(back[i]).get(f));
          context.report({ node, messageId: 'cycle', data: { from, to, route: `${chain}, where ${evidence.join('; ')}` } });
        });
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'corpus/**', 'action/dist/**', '../shared/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    name: 'architecture/src',
    files: ['src/**/*.{ts,mts,cts,tsx,js,mjs,cjs}'],
    plugins: { architecture },
    rules: {
      'architecture/known-folders': 'error',
      'architecture/no-folder-cycle': 'error',
    },
  },
  ...directionConfigs(),
);
