// Hostile JavaScript and TypeScript rewrites: a model reply that fixes the SQL injection but adds
// `eval(userInput)`, an `innerHTML` write or a built shell command is rejected by the pipeline's
// validation, through the real ESLint analyzer that defaultAnalyzers() now holds. The model is the
// real OpenAI-compatible client against a mocked endpoint.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EslintAnalyzer } from '../../src/analyze/eslint.js';
import { analyzersFor, defaultAnalyzers } from '../../src/analyze/registry.js';
import { SarifAlertSource } from '../../src/detect/sarif.js';
import { selectTargets } from '../../src/detect/targets.js';
import type { Target } from '../../src/detect/types.js';
import type { Language } from '../../src/lang/languages.js';
import { OpenAiCompatibleModel } from '../../src/model/openai-client.js';
import { hardenTarget, type DemonstrationSource } from '../../src/harden/harden-target.js';
import { tempDirs } from '../fixtures/retrieval-corpus.js';
import { chatCompletion } from '../fixtures/review/flask-app.js';
import { useHttpMocks } from '../helpers/http-mocks.js';

const ORIGIN = 'https://models.example.test';
const temp = tempDirs('harden-js-test-');

/** Retrieval is not what these tests are about: no demonstrations. */
const noDemonstrations: DemonstrationSource = { retrieve: () => Promise.resolve([]) };

const JS_PATH = 'server/users.js';
const JS_FILE = `const express = require('express');
const { pool } = require('./db');

const app = express();

async function findUser(req, res) {
  const userInput = req.query.name;
  const rows = await pool.query("SELECT id, name FROM users WHERE name = '" + userInput + "'");
  res.json(rows);
}

module.exports = { app, findUser };
`;
const JS_ORIGINAL = JS_FILE.split('\n').slice(5, 10).join('\n');
const JS_FIXED = JS_ORIGINAL.replace(
  `pool.query("SELECT id, name FROM users WHERE name = '" + userInput + "'")`,
  "pool.query('SELECT id, name FROM users WHERE name = $1', [userInput])",
);
const withLine = (code: string, line: string) => code.replace('  res.json(rows);', `${line}\n  res.json(rows);`);

const TS_PATH = 'web/src/profile.ts';
const TS_FILE = `import { db } from './db';

export async function showProfile(el: HTMLElement, userInput: string): Promise<void> {
  const row = await db.get<{ bio: string }>(\`SELECT bio FROM profiles WHERE name = '\${userInput}'\`);
  el.textContent = row?.bio ?? '';
}
`;
const TS_ORIGINAL = TS_FILE.split('\n').slice(2, 6).join('\n');
const TS_FIXED = TS_ORIGINAL.replace("`SELECT bio FROM profiles WHERE name = '${userInput}'`", "'SELECT bio FROM profiles WHERE name = ?', [userInput]");

const fenced = (code: string, language: string) => `Here is the hardened function:\n\n\`\`\`${language}\n${code}\n\`\`\`\n`;

function model(samples: number): OpenAiCompatibleModel {
  return new OpenAiCompatibleModel({ baseUrl: `${ORIGIN}/v1`, model: 'coder-7b', samples, retries: 0 }, { sleep: async () => undefined, random: () => 0 });
}

function mockChat(...replies: string[]): void {
  nock(ORIGIN)
    .post('/v1/chat/completions')
    .reply(200, chatCompletion(...replies));
}

async function target(path: string, content: string, language: Language, sarif?: string): Promise<Target> {
  const alerts = sarif ? await new SarifAlertSource([sarif]).alerts() : undefined;
  const selection = await selectTargets({ files: [{ path, content, language }], ...(alerts ? { alerts } : {}) });
  expect(selection.targets).toHaveLength(1);
  return selection.targets[0]!;
}

useHttpMocks();

beforeAll(async () => {
  // ESLint runs in process: it is there wherever `npm ci` ran.
  expect((await analyzersFor('javascript', defaultAnalyzers())).map((analyzer) => analyzer.name)).toEqual(['eslint']);
  expect((await analyzersFor('typescript', defaultAnalyzers())).map((analyzer) => analyzer.name)).toEqual(['eslint']);
});

afterAll(() => {
  temp.cleanup();
});

describe('hardenTarget on JavaScript and TypeScript, with ESLint', () => {
  it('rejects a JavaScript rewrite that fixes the SQL injection but adds eval, an innerHTML write or a shell command, and keeps the clean one', async () => {
    const t = await target(JS_PATH, JS_FILE, 'javascript');
    expect(t.function.code).toBe(JS_ORIGINAL);
    const hostile = [
      withLine(JS_FIXED, '  eval(userInput);'),
      withLine(JS_FIXED, "  const el = document.getElementById('out');\n  el.innerHTML = userInput;"),
      withLine(JS_FIXED, "  child_process.exec('ls ' + userInput);"),
    ];
    // The premise: ESLint finds nothing in the original (it does not look at SQL) and something in each.
    const eslint = new EslintAnalyzer();
    expect(await eslint.analyze({ code: JS_ORIGINAL, language: 'javascript' })).toEqual([]);
    expect(await eslint.analyze({ code: JS_FIXED, language: 'javascript' })).toEqual([]);
    for (const code of hostile) expect((await eslint.analyze({ code, language: 'javascript' })).length, code).toBeGreaterThan(0);

    mockChat(...hostile.map((code) => fenced(code, 'javascript')));
    const rejected = await hardenTarget(t, { demonstrations: noDemonstrations, model: model(3), analyzers: defaultAnalyzers() });
    expect(rejected.error).toBeUndefined();
    expect(rejected.samples).toBe(3);
    expect(rejected.rejections).toEqual({ 'analyzer-worse': 3 });
    expect(rejected.suggestion).toBeUndefined();

    // The same replies with the clean fix among them: only the clean fix becomes the suggestion.
    mockChat(...[...hostile, JS_FIXED].map((code) => fenced(code, 'javascript')));
    const outcome = await hardenTarget(t, { demonstrations: noDemonstrations, model: model(4), analyzers: defaultAnalyzers() });
    expect(outcome.rejections).toEqual({ 'analyzer-worse': 3 });
    expect(outcome.suggestion?.replacement).toBe(JS_FIXED);
  });

  it('rejects a TypeScript rewrite that fixes the SQL injection but adds eval or writes the input as HTML', async () => {
    const t = await target(TS_PATH, TS_FILE, 'typescript');
    expect(t.function.code).toBe(TS_ORIGINAL);
    const withEval = TS_FIXED.replace("  el.textContent = row?.bio ?? '';", "  el.textContent = row?.bio ?? '';\n  eval(userInput);");
    const withHtml = TS_FIXED.replace("  el.textContent = row?.bio ?? '';", '  el.innerHTML = row?.bio ?? userInput;');
    mockChat(fenced(withEval, 'typescript'), fenced(withHtml, 'ts'), fenced(TS_FIXED, 'typescript'));
    const outcome = await hardenTarget(t, { demonstrations: noDemonstrations, model: model(3), analyzers: defaultAnalyzers() });
    expect(outcome.error).toBeUndefined();
    expect(outcome.rejections).toEqual({ 'analyzer-worse': 2 });
    expect(outcome.suggestion?.replacement).toBe(TS_FIXED);
  });

  it('for a CWE-79 alert (a weakness ESLint judges), rejects a rewrite whose innerHTML write is still there as alert-still-fires', async () => {
    const path = 'web/src/banner.ts';
    const file = `export function banner(el: HTMLElement, name: string): void {\n  el.innerHTML = '<b>' + name + '</b>';\n}\n`;
    const sarif = join(temp.make(), 'xss.sarif');
    writeFileSync(
      sarif,
      JSON.stringify({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'CodeQL', rules: [{ id: 'js/xss', properties: { tags: ['security', 'external/cwe/cwe-079'] } }] } },
            results: [
              {
                ruleId: 'js/xss',
                ruleIndex: 0,
                message: { text: 'Cross-site scripting vulnerability due to a user-provided value.' },
                locations: [{ physicalLocation: { artifactLocation: { uri: path }, region: { startLine: 2 } } }],
              },
            ],
          },
        ],
      }),
    );
    const t = await target(path, file, 'typescript', sarif);
    expect(t.alerts.map((alert) => alert.cwe)).toEqual([['CWE-79']]);
    expect(new EslintAnalyzer().judges('CWE-79', 'typescript')).toBe(true);
    const original = t.function.code;
    // Same findings as before (so not "worse"), but the judged weakness still fires.
    const trimmed = original.replace("'<b>' + name + '</b>'", "'<b>' + name.trim() + '</b>'");
    const fixed = original.replace(
      "el.innerHTML = '<b>' + name + '</b>';",
      "const b = document.createElement('b');\n  b.textContent = name;\n  el.replaceChildren(b);",
    );
    mockChat(fenced(trimmed, 'typescript'), fenced(fixed, 'typescript'));
    const outcome = await hardenTarget(t, { demonstrations: noDemonstrations, model: model(2), analyzers: defaultAnalyzers() });
    expect(outcome.rejections).toEqual({ 'alert-still-fires': 1 });
    expect(outcome.suggestion?.replacement).toBe(fixed);
    expect(outcome.suggestion?.resolvedFindings?.map((finding) => [finding.tool, finding.ruleId]).sort()).toEqual([
      ['eslint', '@microsoft/sdl/no-inner-html'],
      ['eslint', 'no-unsanitized/property'],
    ]);
  });
});
