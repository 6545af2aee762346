// Which tree-sitter grammar parses a language, and loading it once per process.
//
// Each grammar ships its own `.wasm` inside its npm package; we find the package through Node's
// resolver (not a hard-coded node_modules path) so this works from `src/` under vitest and from
// `dist/` after a build alike.
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language as TreeSitterLanguage, Parser } from 'web-tree-sitter';
import { SecCoderError } from '../errors/seccoder-error.js';
import { isJsxPath, type Language } from '../lang/languages.js';

/** A tree-sitter grammar: one per language, plus TSX for `.tsx` files. */
export type Grammar = Language | 'tsx';

export const GRAMMARS: readonly Grammar[] = ['python', 'c', 'cpp', 'javascript', 'typescript', 'tsx', 'go', 'java', 'ruby'];

/** npm package and wasm file name of each grammar. tree-sitter-javascript already handles JSX. */
const WASM: Record<Grammar, { pkg: string; file: string }> = {
  python: { pkg: 'tree-sitter-python', file: 'tree-sitter-python.wasm' },
  c: { pkg: 'tree-sitter-c', file: 'tree-sitter-c.wasm' },
  cpp: { pkg: 'tree-sitter-cpp', file: 'tree-sitter-cpp.wasm' },
  javascript: { pkg: 'tree-sitter-javascript', file: 'tree-sitter-javascript.wasm' },
  typescript: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-typescript.wasm' },
  tsx: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-tsx.wasm' },
  go: { pkg: 'tree-sitter-go', file: 'tree-sitter-go.wasm' },
  java: { pkg: 'tree-sitter-java', file: 'tree-sitter-java.wasm' },
  ruby: { pkg: 'tree-sitter-ruby', file: 'tree-sitter-ruby.wasm' },
};

/** A grammar's wasm could not be found or loaded; names the grammar and the path tried. */
export class GrammarLoadError extends SecCoderError {
  override name = 'GrammarLoadError';
  constructor(
    readonly grammar: Grammar,
    readonly path: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    // The grammars are npm dependencies of SecCoder: a broken install, not the user's code.
    super(`cannot load the ${grammar} tree-sitter grammar from ${path}: ${reason}`, {
      ...options,
      hint: 'reinstall SecCoder with its dependencies (npm ci in a checkout)',
    });
  }
}

/** The grammar for a language; TypeScript files ending in `.tsx` use the TSX grammar. */
export function grammarFor(language: Language, path?: string): Grammar {
  if (language === 'typescript' && path !== undefined && isJsxPath(path)) return 'tsx';
  return language;
}

const requireFromHere = createRequire(import.meta.url);

/** Absolute path of a grammar's bundled wasm; GrammarLoadError when its package is not installed. */
export function grammarWasmPath(grammar: Grammar): string {
  const { pkg, file } = WASM[grammar];
  const manifest = `${pkg}/package.json`;
  let packageJson: string;
  try {
    packageJson = requireFromHere.resolve(manifest);
  } catch (cause) {
    throw new GrammarLoadError(grammar, manifest, `package ${pkg} is not installed`, { cause });
  }
  return join(dirname(packageJson), file);
}

let runtime: Promise<void> | undefined;

/** Initialises web-tree-sitter's own wasm runtime once; a failed attempt may be retried. */
function initRuntime(): Promise<void> {
  runtime ??= Parser.init().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

/**
 * Loads a grammar from a wasm file, uncached. Exposed so that callers (and tests) can load a
 * grammar from an explicit path; prefer loadLanguage/loadParser, which cache.
 */
export async function loadGrammarFile(grammar: Grammar, wasmPath: string): Promise<TreeSitterLanguage> {
  await initRuntime();
  try {
    await access(wasmPath);
  } catch (cause) {
    throw new GrammarLoadError(grammar, wasmPath, 'file not found', { cause });
  }
  try {
    return await TreeSitterLanguage.load(wasmPath);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new GrammarLoadError(grammar, wasmPath, `not a loadable grammar (${reason})`, { cause });
  }
}

const languages = new Map<Grammar, Promise<TreeSitterLanguage>>();
const parsers = new Map<Grammar, Promise<Parser>>();

/** Memoises a promise per grammar; a rejected promise is dropped so a later call can retry. */
function memo<T>(cache: Map<Grammar, Promise<T>>, grammar: Grammar, create: () => Promise<T>): Promise<T> {
  let promise = cache.get(grammar);
  if (!promise) {
    const created = create();
    promise = created;
    cache.set(grammar, created);
    created.catch(() => {
      if (cache.get(grammar) === created) cache.delete(grammar);
    });
  }
  return promise;
}

/** The loaded tree-sitter Language of a grammar (e.g. for queries), loaded once per process. */
export function loadLanguage(grammar: Grammar): Promise<TreeSitterLanguage> {
  return memo(languages, grammar, async () => loadGrammarFile(grammar, grammarWasmPath(grammar)));
}

/**
 * A Parser set to the grammar, created once per process and shared: concurrent callers get the
 * same promise. Parsing is synchronous, so sharing is safe; do not `delete()` it or change its
 * language.
 */
export function loadParser(grammar: Grammar): Promise<Parser> {
  return memo(parsers, grammar, async () => {
    const language = await loadLanguage(grammar);
    const parser = new Parser();
    try {
      parser.setLanguage(language);
    } catch (cause) {
      parser.delete();
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new GrammarLoadError(grammar, grammarWasmPath(grammar), `incompatible grammar (${reason})`, {
        cause,
      });
    }
    return parser;
  });
}
