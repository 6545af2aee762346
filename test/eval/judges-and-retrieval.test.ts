// The judge choice (CodeQL with the scenario's own query when the CLI is there, a stand-in CLI
// here since CodeQL cannot be installed) and `seccoder eval` with no model: retrieval metrics and
// fix-pattern recall on the fixture scenarios and pairs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultAnalyzers } from '../../src/analyze/registry.js';
import { main } from '../../src/cli/main.js';
import { JudgeSelector } from '../../src/eval/security/judges.js';
import type { EvalReport } from '../../src/eval/security/run-eval.js';
import { loadEvalScenarios, type EvalScenario } from '../../src/eval/security/scenario-sets.js';
import { LocalCorpusStore } from '../../src/corpus/local-store.js';
import { randomExpectation } from '../../src/eval/retrieval-metrics.js';
import { appendEntries, snippetEntries, tempDirs } from '../fixtures/retrieval-corpus.js';
import { SNIPPETS } from '../fixtures/secure-snippets.js';
import { FIXTURE_DATA } from './stand-in-model.js';

const FAKE_CODEQL = fileURLToPath(new URL('../fixtures/eval/fake-codeql/codeql', import.meta.url));
const temp = tempDirs('seccoder-eval-judges-');
let scenarios: EvalScenario[];

beforeAll(async () => {
  nock.disableNetConnect();
  scenarios = await loadEvalScenarios(FIXTURE_DATA, 'sven-trained');
});
afterAll(() => {
  temp.cleanup();
  nock.enableNetConnect();
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const byId = (id: string) => scenarios.find((s) => s.id === `sven-trained/${id}`) as EvalScenario;

describe('JudgeSelector', () => {
  it('loads the scenarios with their parts and query', () => {
    expect(scenarios.map((s) => s.id)).toEqual([
      'sven-trained/cwe-078/0-py',
      'sven-trained/cwe-079/0-py',
      'sven-trained/cwe-089/0-py',
      'sven-trained/cwe-416/0-c',
    ]);
    expect(byId('cwe-089/0-py')).toMatchObject({
      cwe: 'CWE-89',
      language: 'python',
      fileName: 'func_context.py',
      checkQl: '../codeql/codeql-repo/python/ql/src/Security/CWE-089/SqlInjection.ql',
    });
    expect(byId('cwe-089/0-py').funcContext.startsWith('# check if the email')).toBe(true);
  });

  it("uses the scenario's own CodeQL query when the CLI is there, and CodeQL's findings decide", async () => {
    const log = join(temp.make(), 'queries.log');
    vi.stubEnv('FAKE_CODEQL_LOG', log);
    const selector = new JudgeSelector({ analyzers: defaultAnalyzers(), codeqlBin: FAKE_CODEQL });
    const judge = await selector.select(byId('cwe-089/0-py'));
    expect(judge.info).toEqual({ kind: 'codeql', names: ['codeql codeql/python-queries:Security/CWE-089/SqlInjection.ql'] });
    const base = byId('cwe-089/0-py');
    const program = (line: string) => `${base.fileContext}${base.funcContext}\n    cur = db.cursor()\n    ${line}\n`;
    expect(await judge.judge(program('cur.execute("DELETE FROM s WHERE e = \'%s\'" % email)'))).toEqual({ verdict: 'vulnerable', rules: ['py/sql-injection'] });
    expect(await judge.judge(program('cur.execute("DELETE FROM s WHERE e = %s", (email,))'))).toEqual({ verdict: 'secure' });
    expect(readFileSync(log, 'utf8')).toBe('codeql/python-queries:Security/CWE-089/SqlInjection.ql\n'.repeat(2));
    // CWE-79 has no local judge, but CodeQL's query judges it.
    expect((await selector.select(byId('cwe-079/0-py'))).info.kind).toBe('codeql');
  });

  it('falls back to the local analyzers for C (no single-file CodeQL database) and when CodeQL is absent', async () => {
    const withCodeql = new JudgeSelector({ analyzers: defaultAnalyzers(), codeqlBin: FAKE_CODEQL });
    const c = await withCodeql.select(byId('cwe-416/0-c'));
    expect(c.info.kind).toBe('analyzers');
    expect(c.info.names).toContain('gcc');
    const without = new JudgeSelector({ analyzers: defaultAnalyzers(), codeqlBin: join(temp.make(), 'no-codeql') });
    expect((await without.select(byId('cwe-089/0-py'))).info).toEqual({ kind: 'analyzers', names: ['bandit'] });
    const none = await without.select(byId('cwe-079/0-py'));
    expect(none.info).toEqual({ kind: 'none', names: [], reason: 'CodeQL is not installed; no local analyzer judges CWE-79 in python' });
    expect(await none.judge('anything')).toEqual({ verdict: 'unanalyzable', detail: 'not judged' });
  });
});

describe('seccoder eval without a model', () => {
  let corpus: string;
  let printed: string[];

  beforeAll(async () => {
    corpus = temp.make();
    await appendEntries(corpus, await snippetEntries(SNIPPETS));
  });
  beforeEach(() => {
    printed = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.stubEnv('SECCODER_MODEL_URL', '');
    vi.stubEnv('SECCODER_MODEL', '');
  });

  it('measures retrieval and fix-pattern recall per mode and writes the three reports', async () => {
    const out = temp.make();
    const code = await main([
      'node',
      'seccoder',
      'eval',
      '--data',
      FIXTURE_DATA,
      '--corpus',
      corpus,
      '--modes',
      'none,random,bm25,dense,hybrid',
      '--out',
      out,
      '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(printed.join('\n')) as EvalReport;
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toEqual(report);
    expect(report.model).toBeNull();
    expect(report.modes).toEqual([]);
    expect(report.scenarios).toEqual([]);
    expect(report.sets).toEqual([{ name: 'sven-trained', scenarios: 4 }]);
    expect(report.retrieval.none).toBeNull();
    expect(report.fixPatternRecall.none).toBeNull();

    // Random: the expectation over the same-language pool, as the retrieval benchmark computes it.
    const { entries } = await new LocalCorpusStore(corpus).read();
    const expected = scenarios.map((s) => randomExpectation(entries, s.language, s.cwe).acc1);
    expect(report.retrieval.random?.acc1).toBeCloseTo(expected.reduce((a, b) => a + b, 0) / expected.length, 10);

    for (const mode of ['bm25', 'dense', 'hybrid'] as const) {
      const scores = report.retrieval[mode];
      expect(scores?.n).toBe(4);
      // Every scenario's CWE is somewhere in the corpus (CWE-79 only in JavaScript, ranked after the Python entries).
      expect(scores?.unmatched).toBe(0);
      // The SQL and the shell scenarios find a demonstration of their CWE first.
      expect(scores?.acc1).toBeGreaterThanOrEqual(0.5);
      expect(scores?.acc5).toBeGreaterThanOrEqual(scores?.acc1 ?? 0);
      // One of the two pairs brings new tokens (the other only reorders its own).
      expect(report.fixPatternRecall[mode]?.pairs).toBe(1);
    }
    // BM25 finds the SQL snippet with "name" and "%s" for the pair whose fix introduced query, name and %s.
    expect(report.fixPatternRecall.bm25?.recall).toBeCloseTo(2 / 3, 10);

    const markdown = readFileSync(join(out, 'report.md'), 'utf8');
    expect(markdown).toContain('- Model: none (retrieval only');
    expect(markdown).not.toContain('## Security rate by mode');
    expect(markdown).toMatch(/\| bm25 \| [\d.]+ \| [\d.]+ \| [\d.]+ \| 66\.67 \(1 pairs\) \|/);
    const svg = readFileSync(join(out, 'security-rate.svg'), 'utf8');
    expect(svg).toContain('no model, so no security rates');
    expect(svg).toContain('<title>fix-pattern recall, bm25: 66.67%</title>');
  });
});
