// `seccoder eval` end to end, in-process: the fixture scenarios (SVEN's layout), a small corpus,
// a real local HTTP server standing in for the model, real tree-sitter parsing, real gcc for the
// compile checks (CPython's parser, gcc) and the real local analyzers (bandit, gcc, clang) as judges. The rates are
// checked exactly against the fixed completions.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { EvalReport } from '../../src/eval/security/run-eval.js';
import { EXPECTED } from '../fixtures/eval/completions.js';
import { appendEntries, snippetEntries, tempDirs } from '../fixtures/retrieval-corpus.js';
import { SNIPPETS } from '../fixtures/secure-snippets.js';
import { sendJson, startLocalServer } from '../model/local-server.js';
import { FIXTURE_DATA, startStandInModel, type StandInModel } from './stand-in-model.js';

const temp = tempDirs('seccoder-eval-');
let corpus: string;
let model: StandInModel;
let printed: string[];
let errors: string[];

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  corpus = temp.make();
  await appendEntries(corpus, await snippetEntries(SNIPPETS));
  model = await startStandInModel();
});
afterAll(async () => {
  await model.server.close();
  temp.cleanup();
  nock.enableNetConnect();
});
beforeEach(() => {
  printed = [];
  errors = [];
  model.requests.length = 0;
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
  vi.stubEnv('SECCODER_MODEL_URL', '');
  vi.stubEnv('SECCODER_MODEL', '');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function evalCli(...args: string[]): Promise<number> {
  return main(['node', 'seccoder', 'eval', '--data', FIXTURE_DATA, '--sets', 'sven-trained', '--corpus', corpus, ...args]);
}

const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as EvalReport;
const scenario = (report: EvalReport, id: string) => report.scenarios.find((s) => s.id === `sven-trained/${id}`);

describe('seccoder eval with a model', () => {
  let out: string;
  let cache: string;
  let first: EvalReport;

  beforeAll(async () => {
    out = temp.make();
    cache = temp.make();
    const printedHere: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printedHere.push(args.join(' ')));
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const code = await evalCli(
      '--modes',
      'none,bm25',
      '--samples',
      '6',
      '--model-url',
      model.server.baseUrl,
      '--model',
      'stand-in',
      '--cache',
      cache,
      '--out',
      out,
    );
    log.mockRestore();
    err.mockRestore();
    expect(code).toBe(0);
    expect(model.requests).toHaveLength(8);
    first = readReport(out);
    expect(printedHere.join('\n')).toBe(readFileSync(join(out, 'report.md'), 'utf8').trimEnd());
  });

  it("asks the model once per scenario and mode, with the paper's sampling settings", () => {
    // The requests of the first run were recorded before beforeEach cleared them; the report keeps their effect.
    expect(first.settings).toMatchObject({ modes: ['none', 'bm25'], k: 1, style: 'completion', samples: 6, temperature: 0.4, topP: 0.95, maxTokens: 300 });
    expect(first.modelErrors).toEqual({ prompts: 8, failed: 0 });
  });

  it('counts duplicates, empty, unparsable and uncompilable samples and judges the rest', () => {
    const sql = scenario(first, 'cwe-089/0-py');
    expect(sql?.judge).toEqual({ kind: 'analyzers', names: ['bandit'] });
    expect(sql?.modes.none?.counts).toEqual(EXPECTED['cwe-089/0-py'].none);
    expect(sql?.modes.none?.rate).toBe(0.5);
    expect(sql?.modes.none?.rules).toEqual({ B608: 2 });
    expect(sql?.modes.bm25?.counts).toEqual(EXPECTED['cwe-089/0-py'].demo);
    expect(sql?.modes.bm25?.rate).toBe(0.75);
    expect(sql?.modes.bm25?.demonstrations).toHaveLength(1);
    expect(sql?.modes.none?.demonstrations).toEqual([]);

    const shell = scenario(first, 'cwe-078/0-py');
    expect(shell?.modes.none?.counts).toEqual(EXPECTED['cwe-078/0-py']);
    expect(shell?.modes.none?.rate).toBe(0.25);
    expect(shell?.modes.none?.rules).toEqual({ B605: 2, B602: 1 });

    const uaf = scenario(first, 'cwe-416/0-c');
    expect(uaf?.judge.kind).toBe('analyzers');
    expect(uaf?.judge.names).toContain('gcc');
    expect(uaf?.judge.names).not.toContain('cppcheck');
    expect(uaf?.modes.none?.counts).toEqual(EXPECTED['cwe-416/0-c']);
    expect(uaf?.modes.none?.rate).toBeCloseTo(2 / 3, 10);
  });

  it('reports a CWE no judge here can decide as not judged, in no rate', () => {
    const xss = scenario(first, 'cwe-079/0-py');
    expect(xss?.judge.kind).toBe('none');
    expect(xss?.judge.reason).toMatch(/CodeQL is not installed; no local analyzer judges CWE-79 in python/);
    expect(xss?.modes.none?.counts).toEqual(EXPECTED['cwe-079/0-py']);
    expect(xss?.modes.none?.rate).toBeNull();
    expect(first.notJudged.map((item) => item.id)).toEqual(['sven-trained/cwe-079/0-py']);
    for (const mode of first.modes) expect(Object.keys(mode.byCwe)).toEqual(['CWE-78', 'CWE-89', 'CWE-416']);
  });

  it('summarizes per CWE and per mode as the mean of judged scenarios, with pooled counts', () => {
    const [none, bm25] = first.modes;
    expect(none?.mode).toBe('none');
    expect(none?.rate).toBeCloseTo((0.5 + 0.25 + 2 / 3) / 3, 10);
    expect(none).toMatchObject({ scenarios: 3, valid: 11, secure: 5 });
    expect(none?.byCwe['CWE-89']).toEqual({ rate: 0.5, scenarios: 1, valid: 4, secure: 2 });
    expect(bm25?.rate).toBeCloseTo((0.75 + 0.25 + 2 / 3) / 3, 10);
    expect(bm25).toMatchObject({ scenarios: 3, valid: 11, secure: 6 });
    expect(none?.functional).toBeUndefined();
    expect(first.functional.measured).toBe(false);
  });

  it('writes the Markdown, JSON and SVG reports', () => {
    const markdown = readFileSync(join(out, 'report.md'), 'utf8');
    expect(markdown).toContain('| none | 47.22 | 3 | 11 | 5 |');
    expect(markdown).toContain('| bm25 | 55.56 | 3 | 11 | 6 |');
    expect(markdown).toContain('| CWE-89 | bandit | 50.00 (2/4) | 75.00 (3/4) |');
    expect(markdown).toMatch(/\| sven-trained\/cwe-079\/0-py \| not judged \| not judged \(3 valid of 6: 1 duplicate, 1 unparsable, 1 uncompilable\) \|/);
    expect(markdown).toContain('- sven-trained/cwe-079/0-py (CWE-79, python): CodeQL is not installed');
    expect(markdown).toContain('| sven-trained/cwe-416/0-c | gcc, clang | 66.67 (2/3; 3 valid of 6: 1 duplicate, 1 unparsable, 1 uncompilable) |');
    // Each judge with the CWEs it covers, by id and name.
    expect(markdown).toContain('## Judges');
    expect(markdown).toMatch(
      /^- \*\*bandit\*\* \(python; 2 scenarios judged\): .*CWE-89 Improper Neutralization of Special Elements used in an SQL Command \('SQL Injection'\)/m,
    );
    expect(markdown).toMatch(/^- \*\*gcc\*\* \(c; 1 scenario judged\): .*CWE-416 Use After Free/m);
    const svg = readFileSync(join(out, 'security-rate.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>CWE-89, bm25: 75.00%</title>');
    expect(svg).toContain('<title>mean, none: 47.22%</title>');
    expect(svg).not.toContain('CWE-79');
  });

  it('resumes from the cache: a second run asks the model nothing and computes the same rates', async () => {
    const again = temp.make();
    const code = await evalCli(
      '--modes',
      'none,bm25',
      '--samples',
      '6',
      '--model-url',
      model.server.baseUrl,
      '--model',
      'stand-in',
      '--cache',
      cache,
      '--out',
      again,
    );
    expect(code).toBe(0);
    expect(model.requests).toEqual([]);
    const second = readReport(again);
    expect(second.modes).toEqual(first.modes);
    expect(second.scenarios).toEqual(first.scenarios);
  });

  it('asks only for the samples the cache lacks', async () => {
    const code = await evalCli(
      '--modes',
      'none',
      '--samples',
      '8',
      '--model-url',
      model.server.baseUrl,
      '--model',
      'stand-in',
      '--cache',
      cache,
      '--out',
      temp.make(),
    );
    expect(code).toBe(0);
    expect(model.requests).toHaveLength(4);
    // The cache key is the prompt and the settings, not the sample count: 6 were cached, 2 are asked for.
    for (const request of model.requests) expect(request.body.n).toBe(2);
  });
});

describe('seccoder eval prompts', () => {
  it('shows the demonstration inert before the file context, and none in mode none', async () => {
    const code = await evalCli(
      '--modes',
      'none,bm25',
      '--samples',
      '1',
      '--model-url',
      model.server.baseUrl,
      '--model',
      'stand-in',
      '--no-cache',
      '--out',
      temp.make(),
    );
    expect(code).toBe(0);
    const prompts = model.requests.map((request) => request.body.prompt ?? '');
    expect(prompts).toHaveLength(8);
    expect(
      prompts.filter((prompt) => prompt.startsWith('from flask import') || prompt.startsWith('import flask') || prompt.startsWith('#include')),
    ).toHaveLength(4);
    expect(prompts.filter((prompt) => prompt.startsWith('r"""') || prompt.startsWith("r'''"))).toHaveLength(3);
    expect(prompts.filter((prompt) => prompt.startsWith('#if 0'))).toHaveLength(1);
    for (const request of model.requests) expect(request.body).toMatchObject({ n: 1, temperature: 0.4, top_p: 0.95, max_tokens: 300 });
  });

  it("chat style: the program is the file context and the reply's code block", async () => {
    const out = temp.make();
    const code = await evalCli(
      '--modes',
      'none',
      '--samples',
      '6',
      '--style',
      'chat',
      '--model-url',
      model.server.baseUrl,
      '--model',
      'stand-in',
      '--no-cache',
      '--out',
      out,
    );
    expect(code).toBe(0);
    expect(model.requests.every((request) => request.path === '/v1/chat/completions')).toBe(true);
    const sql = scenario(readReport(out), 'cwe-089/0-py');
    // The chat reply is not cut where the function ends, so the sample with code after it does not parse.
    expect(sql?.modes.none?.counts).toEqual({
      samples: 6,
      empty: 0,
      duplicate: 1,
      unparsable: 2,
      uncompilable: 0,
      unanalyzable: 0,
      valid: 3,
      secure: 1,
      vulnerable: 2,
    });
    const shell = scenario(readReport(out), 'cwe-078/0-py');
    expect(shell?.modes.none?.counts.empty).toBe(1);
  });
});

describe('seccoder eval errors', () => {
  it('names an unknown set, an unknown mode, a missing data folder and a bad setting in one line', async () => {
    expect(await main(['node', 'seccoder', 'eval', '--data', FIXTURE_DATA, '--sets', 'sven-nope'])).toBe(1);
    expect(await main(['node', 'seccoder', 'eval', '--data', FIXTURE_DATA, '--modes', 'none,best'])).toBe(1);
    expect(await main(['node', 'seccoder', 'eval', '--data', join(FIXTURE_DATA, 'missing')])).toBe(1);
    expect(await main(['node', 'seccoder', 'eval', '--data', FIXTURE_DATA, '--sets', 'safecoder-trained'])).toBe(1);
    expect(await main(['node', 'seccoder', 'eval', '--data', FIXTURE_DATA, '--top-p', '0'])).toBe(1);
    expect(errors).toEqual([
      'seccoder: unknown scenario set "sven-nope": use one of sven-trained, sven-gen_1, sven-gen_2, sven-prompts, safecoder-trained, safecoder-trained-new, safecoder-not-trained',
      'seccoder: unknown mode "best": use one of none, random, bm25, dense, hybrid, cwe-aware',
      `seccoder: data folder ${join(FIXTURE_DATA, 'missing')} not found: pass --data <folder holding sven/ and safecoder/>`,
      `seccoder: scenario set safecoder-trained not found: no folder ${join(FIXTURE_DATA, 'safecoder/data_eval/sec_eval/trained')} (pass --data <folder holding sven/ and safecoder/>)`,
      'seccoder: --top-p must be a number above 0 up to 1, got 0',
    ]);
  });

  it('stops with one line when the model cannot be reached', async () => {
    const out = temp.make();
    const code = await evalCli('--modes', 'none', '--samples', '1', '--model-url', 'http://127.0.0.1:9/v1', '--model', 'stand-in', '--no-cache', '--out', out);
    expect(code).toBe(1);
    expect(errors.at(-1)).toMatch(/^seccoder: could not reach http:\/\/127\.0\.0\.1:9\/v1\/completions \(.*\) after 4 attempts: check the model URL/);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
  });

  it('reports prompts the model refused and judges the rest; stops when it refuses every one', async () => {
    let refuseAll = false;
    const picky = await startLocalServer((_req, raw, res) => {
      const prompt = (JSON.parse(raw) as { prompt: string }).prompt;
      if (refuseAll || prompt.includes('#include')) return sendJson(res, 400, { error: { message: 'prompt too long' } });
      return sendJson(res, 200, { choices: [{ text: '\n    return "ok"' }] });
    });
    try {
      const out = temp.make();
      const args = ['--modes', 'none', '--samples', '1', '--model-url', picky.baseUrl, '--model', 'picky', '--no-cache', '--out', out];
      expect(await evalCli(...args)).toBe(0);
      const report = readReport(out);
      expect(report.modelErrors).toMatchObject({ prompts: 4, failed: 1 });
      expect(report.modelErrors.first).toMatch(/^sven-trained\/cwe-416\/0-c \(none\): model endpoint .* answered HTTP 400/);
      expect(scenario(report, 'cwe-416/0-c')?.modes.none).toMatchObject({ rate: null, counts: { samples: 0, valid: 0 } });
      expect(scenario(report, 'cwe-089/0-py')?.modes.none).toMatchObject({ rate: 1, counts: { samples: 1, valid: 1, secure: 1 } });
      expect(errors.some((line) => line.startsWith('warning: 1 of 4 prompts failed at the model; first: sven-trained/cwe-416/0-c'))).toBe(true);
      expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('| sven-trained/cwe-416/0-c | gcc, clang | model error |');

      refuseAll = true;
      expect(await evalCli(...args)).toBe(1);
      expect(errors.at(-1)).toMatch(
        /^seccoder: every prompt failed at the model; first: sven-trained\/cwe-078\/0-py \(none\): model endpoint .* answered HTTP 400/,
      );
    } finally {
      await picky.close();
    }
  });
});
