// The architecture rules in eslint.config.js fire on the edges the README forbids and stay quiet on
// the ones it allows. Imports are linted as text at a made-up path, so the tree itself is not touched.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARCHITECTURE = new Set(['no-restricted-imports', 'architecture/known-folders', 'architecture/no-folder-cycle']);

const project = new ESLint({ cwd: root });

/** The architecture messages (other rules, such as unused imports, are not this test's business). */
async function architectureMessages(eslint: ESLint, filePath: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath });
  expect(result, filePath).toBeDefined();
  return result!.messages.filter((m) => m.ruleId === null || ARCHITECTURE.has(m.ruleId));
}

const lint = (filePath: string, code: string) => architectureMessages(project, filePath, code);
const importing = (specifier: string) => `import { a } from '${specifier}';\nexport const b = a;\n`;

describe('direction rules (no-restricted-imports, one override per folder)', () => {
  it.each([
    ['src/prompt/x.ts', '../github/app.js', 'src/prompt must not import src/github: src/github is an adapter'],
    ['src/corpus/x.ts', '../github/app.js', 'src/corpus must not import src/github: src/github is an adapter'],
    ['src/harden/x.ts', '../cli/main.js', 'src/harden must not import src/cli'],
    ['src/prompt/x.ts', '../model/types.js', 'src/prompt must not import src/model: prompt and model do not know each other'],
    ['src/model/x.ts', '../prompt/types.js', 'src/model must not import src/prompt: prompt and model do not know each other'],
    ['src/text/x.ts', '../corpus/entry.js', 'src/text must not import src/corpus: src/text is a leaf'],
    ['src/lang/x.ts', '../harden/choose.js', 'src/lang must not import src/harden: src/lang is a leaf'],
    ['src/corpus/x.ts', '../retrieve/retriever.js', 'src/corpus must not import src/retrieve'],
    ['src/embed/x.ts', '../retrieve/retriever.js', 'src/embed must not import src/retrieve'],
    ['src/index/x.ts', '../retrieve/retriever.js', 'src/index must not import src/retrieve'],
    ['src/config/x.ts', '../harden/choose.js', 'src/config must not import src/harden'],
    ['src/github/x.ts', '../cli/main.js', 'src/github must not import src/cli'],
    ['src/github/x.ts', '../action/run.js', 'src/github must not import src/action'],
    ['src/github/x.ts', '../eval/scenarios.js', 'src/github must not import src/eval'],
    ['src/github/review/x.ts', '../../cli/main.js', 'src/github must not import src/cli'],
    ['src/eval/x.ts', '../github/app.js', 'src/eval must not import src/github'],
    ['src/eval/security/x.ts', '../../cli/main.js', 'src/eval must not import src/cli'],
    ['src/eval/x.ts', '../action/run.js', 'src/eval must not import src/action'],
  ])('%s importing %s is an error', async (filePath, specifier, says) => {
    const messages = await lint(filePath, importing(specifier));
    expect(messages.map((m) => m.ruleId)).toEqual(['no-restricted-imports']);
    expect(messages[0]!.severity).toBe(2);
    expect(messages[0]!.message).toContain(says);
    expect(messages[0]!.message).toContain('(see README, Development)');
  });

  it('counts type-only imports and re-exports', async () => {
    for (const code of [
      "import type { CodeModel } from '../model/types.js';\nexport type M = CodeModel;\n",
      "export type { CodeModel } from '../model/types.js';\n",
      "export * from '../model/types.js';\n",
    ]) {
      const messages = await lint('src/prompt/x.ts', code);
      const rules = messages.map((m) => m.ruleId);
      expect(rules, code).toEqual(['no-restricted-imports']);
    }
  });

  it.each([
    ['src/harden/x.ts', '../retrieve/retriever.js'],
    ['src/cli/x.ts', '../github/octokit.js'],
    ['src/action/x.ts', '../github/review/review-pull-request.js'],
    ['src/cli/commands/x.ts', '../../eval/scenarios.js'],
    ['src/corpus/x.ts', '../text/markdown.js'],
    ['src/retrieve/x.ts', '../corpus/entry.js'],
    ['src/prompt/x.ts', '../lang/languages.js'],
    ['src/github/x.ts', '../harden/harden-target.js'],
    ['src/eval/x.ts', '../harden/harden-target.js'],
    // src/github/review/, not src/review/: the depth of the importing file decides which folder a path reaches.
    ['src/github/growth/x.ts', '../review/plan.js'],
    ['src/github/review/x.ts', './plan.js'],
  ])('%s importing %s is allowed', async (filePath, specifier) => {
    expect(await lint(filePath, importing(specifier))).toEqual([]);
  });

  it('leaves tests, bench and scripts alone', async () => {
    expect(await lint('test/prompt/x.test.ts', importing('../../src/github/app.js'))).toEqual([]);
    expect(await lint('bench/x.ts', importing('../src/cli/main.js'))).toEqual([]);
  });
});

describe('architecture/known-folders', () => {
  it('rejects a file in a folder the table does not place, and an import of one', async () => {
    const file = await lint('src/nowhere/x.ts', 'export const a = 1;\n');
    expect(file.map((m) => m.ruleId)).toEqual(['architecture/known-folders']);
    expect(file[0]!.message).toContain('src/nowhere is not in the architecture table');
    const imported = await lint('src/text/x.ts', importing('../nowhere/x.js'));
    expect(imported.map((m) => m.ruleId)).toEqual(['architecture/known-folders']);
  });

  it('rejects import() across top-level folders, which the direction rules cannot see', async () => {
    const messages = await lint('src/text/x.ts', "export type L = import('../github/app.js').App;\n");
    expect(messages.map((m) => m.ruleId)).toEqual(['architecture/known-folders']);
    expect(messages[0]!.message).toContain('use a static import');
  });
});

describe('architecture/no-folder-cycle (on a small tree of its own)', () => {
  let dir: string;
  let eslint: ESLint;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'seccoder-lint-'));
    const files: Record<string, string> = {
      'src/lang/languages.ts': 'export const languages = [];\n',
      'src/parse/grammars.ts': "import { languages } from '../lang/languages.js';\nexport const grammars = languages;\n",
      'src/corpus/entry.ts': "import { grammars } from '../parse/grammars.js';\nexport const entry = grammars;\n",
      'src/detect/diff.ts': "import type { entry } from '../corpus/entry.js';\nexport type Diff = typeof entry;\n",
      'src/github/app.ts': 'export const app = 1;\n',
      'src/action/run.ts': "import { app } from '../github/app.js';\nimport { main } from '../cli/main.js';\nexport const run = [app, main];\n",
      'src/cli/main.ts': 'export const main = 1;\n',
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: join(root, 'eslint.config.js'),
      overrideConfig: { settings: { architecture: { srcDir: join(dir, 'src') } } },
    });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects an edge that closes a cycle between two leaves, and names the way back', async () => {
    const messages = await architectureMessages(eslint, 'src/lang/x.ts', importing('../parse/grammars.js'));
    expect(messages.map((m) => m.ruleId)).toEqual(['architecture/no-folder-cycle']);
    expect(messages[0]!.message).toContain('src/lang → src/parse → src/lang');
    expect(messages[0]!.message).toContain("src/parse/grammars.ts imports '../lang/languages.js'");
  });

  it('follows longer cycles, through type-only imports too', async () => {
    const messages = await architectureMessages(eslint, 'src/corpus/x.ts', importing('../detect/diff.js'));
    expect(messages.map((m) => m.ruleId)).toEqual(['architecture/no-folder-cycle']);
    expect(messages[0]!.message).toContain('src/corpus → src/detect → src/corpus');
  });

  it('rejects src/cli and src/action importing each other', async () => {
    const messages = await architectureMessages(eslint, 'src/cli/x.ts', importing('../action/run.js'));
    expect(messages.map((m) => m.ruleId)).toEqual(['architecture/no-folder-cycle']);
  });

  it('allows the edges that point the way the tree already does', async () => {
    expect(await architectureMessages(eslint, 'src/detect/x.ts', importing('../parse/grammars.js'))).toEqual([]);
    expect(await architectureMessages(eslint, 'src/cli/x.ts', importing('../github/app.js'))).toEqual([]);
  });
});
