// The pure parts of `seccoder eval`: where a completion ends, the judge's query, the function a
// scenario starts, the seeded random pick, the cache, the rates, and fix-pattern recall.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_FILE, CompletionCache, promptHash } from '../../src/eval/security/completion-cache.js';
import { standardQuery } from '../../src/eval/security/judges.js';
import { demonstrationsForMode, parseEvalMode, randomDemonstrations, type DemonstrationChooser } from '../../src/eval/security/modes.js';
import { emptyCounts, summarize, type ScenarioModeResult } from '../../src/eval/security/rates.js';
import { fixPatternRecall, fixTokens } from '../../src/eval/security/retrieval-quality.js';
import { scenarioFunctionName } from '../../src/eval/security/samples.js';
import { truncateCompletion } from '../../src/eval/security/truncate.js';
import type { Retriever } from '../../src/retrieve/retriever.js';
import { makeEntry } from '../helpers/entries.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

describe('truncateCompletion', () => {
  it('ends a Python function at the first line that starts at column 0', () => {
    expect(truncateCompletion('\n    x = 1\n    return x\n\n@app.route("/b")\ndef b():\n    pass\n', 'python')).toBe('\n    x = 1\n    return x\n');
  });
  it('drops a trailing Python comment the model had no room to follow', () => {
    expect(truncateCompletion('\n    x = 1\n    # now send the', 'python')).toBe('\n    x = 1');
    expect(truncateCompletion('\n    x = 1\n    return x', 'python')).toBe('\n    x = 1\n    return x');
  });
  it('ends a C function after the first closing brace at column 0, or closes it before a trailing comment', () => {
    expect(truncateCompletion('\n    return 0;\n}\n\nint g(void) {\n', 'c')).toBe('\n    return 0;\n}');
    expect(truncateCompletion('\n    free(p);\n    // then log the', 'c')).toBe('\n    free(p);\n}');
    expect(truncateCompletion('\n    free(p);', 'c')).toBe('\n    free(p);');
    expect(truncateCompletion('\r\n  x\r\nend\r\nputs 1', 'ruby')).toBe('\n  x\nend');
  });
});

describe('standardQuery', () => {
  it('names a standard github/codeql query by pack and path', () => {
    expect(standardQuery('../codeql/codeql-repo/python/ql/src/Security/CWE-089/SqlInjection.ql')).toBe(
      'codeql/python-queries:Security/CWE-089/SqlInjection.ql',
    );
    expect(standardQuery('../codeql/codeql-repo/cpp/ql/src/Likely\\ Bugs/Memory\\ Management/PotentialBufferOverflow.ql')).toBe(
      'codeql/cpp-queries:Likely Bugs/Memory Management/PotentialBufferOverflow.ql',
    );
  });
  it('has none for the upstream custom queries, which the data does not include', () => {
    expect(standardQuery('../data_eval/trained/cwe-022/2-py/cwe-22_TarSlip.ql')).toBeUndefined();
    expect(standardQuery(undefined)).toBeUndefined();
  });
});

describe('scenarioFunctionName', () => {
  it('finds the function the scenario starts', () => {
    expect(scenarioFunctionName({ language: 'python', funcContext: '@app.route("/x")\ndef unsubscribe():\n    email = 1' })).toBe('unsubscribe');
    expect(scenarioFunctionName({ language: 'c', funcContext: 'int main(int argc, char *argv[]) {\n    if (argc > 1) {\n' })).toBe('main');
    expect(scenarioFunctionName({ language: 'python', funcContext: '# nothing yet' })).toBeUndefined();
  });
});

describe('random demonstrations', () => {
  const entries = [
    makeEntry('def a():\n    return 1\n', 'python', ['CWE-89']),
    makeEntry('def b():\n    return 2\n', 'python', ['CWE-78']),
    makeEntry('def c():\n    return 3\n', 'python', ['CWE-22']),
    makeEntry('int d(void) { return 4; }\n', 'c', ['CWE-416']),
  ];
  it("is the same pick for the same seed, from the query's language first", () => {
    const first = randomDemonstrations(entries, 'python', 3, 'sven-trained/cwe-089/0-py');
    expect(randomDemonstrations(entries, 'python', 3, 'sven-trained/cwe-089/0-py')).toEqual(first);
    expect(first.every((entry) => entry.language === 'python')).toBe(true);
    expect(new Set(first.map((entry) => entry.id)).size).toBe(3);
    expect(randomDemonstrations(entries, 'python', 4, 'x').at(-1)?.language).toBe('c');
    const seeds = new Set(Array.from({ length: 20 }, (_, i) => randomDemonstrations(entries, 'python', 1, `seed-${i}`)[0]?.id));
    expect(seeds.size).toBe(3);
  });
  it('rejects an unknown mode by name', () => {
    expect(() => parseEvalMode('best')).toThrow('unknown mode "best": use one of none, random, bm25, dense, hybrid, cwe-aware');
  });
});

describe('CompletionCache', () => {
  it('keeps samples by model, prompt and index across opens, and skips a torn last line', async () => {
    const dir = tempDir();
    const hash = promptHash('prompt', { temperature: 0.4, topP: 0.95, maxTokens: 300 });
    expect(promptHash('prompt', { temperature: 0.2, topP: 0.95, maxTokens: 300 })).not.toBe(hash);
    const cache = await CompletionCache.open(dir);
    await cache.put('m', hash, [
      { index: 0, text: 'a' },
      { index: 1, text: 'b' },
    ]);
    writeFileSync(join(dir, CACHE_FILE), `${readFileSync(join(dir, CACHE_FILE), 'utf8')}{"model":"m","prompt":"${hash}","ind`);
    const reopened = await CompletionCache.open(dir);
    expect(reopened.size).toBe(2);
    expect(reopened.get('m', hash, 1)).toBe('b');
    expect(reopened.get('other', hash, 1)).toBeUndefined();
    expect(reopened.get('m', hash, 2)).toBeUndefined();
  });
});

describe('summarize', () => {
  const result = (secure: number, valid: number, rate: number | null): ScenarioModeResult => ({
    counts: { ...emptyCounts(), samples: valid, valid, secure, vulnerable: valid - secure },
    rate,
    demonstrations: [],
    rules: {},
  });
  it('averages scenario rates (each scenario weighs the same) and pools the counts', () => {
    expect(summarize([result(1, 4, 0.25), result(9, 10, 0.9), result(0, 0, null)])).toEqual({ rate: (0.25 + 0.9) / 2, scenarios: 2, valid: 14, secure: 10 });
    expect(summarize([result(0, 0, null)])).toEqual({ rate: null, scenarios: 0, valid: 0, secure: 0 });
  });
});

describe('fix-pattern recall', () => {
  const pair = {
    id: 'p1',
    language: 'python' as const,
    cwe: 'CWE-89',
    before: 'def get_user(conn, uid):\n    cur = conn.cursor()\n    cur.execute("SELECT * FROM users WHERE id = " + uid)\n',
    added: ['    query = "SELECT name FROM users WHERE id = %s"\n', '    cur.execute(query, (uid,))\n'],
    commit: 'abc',
  };
  it('counts the tokens the fix brought that the function did not have', () => {
    expect([...fixTokens(pair)].sort()).toEqual(['name', 'query', 's']);
  });
  it('is the share of them in the demonstrations, skipping demonstrations from the same fix', async () => {
    const demo = makeEntry('def find(c, i):\n    c.execute("SELECT id, name FROM t WHERE id = %s", (i,))\n', 'python', ['CWE-89']);
    const sameFix = { ...makeEntry('def x(q):\n    query = q\n', 'python', ['CWE-89']), source: { commit: 'abc' } };
    const ranking = [sameFix, demo];
    const chooser: DemonstrationChooser = {
      entries: ranking,
      retrieverFor: () =>
        ({ retrieve: async () => ranking.map((entry) => ({ entry, score: 1, sameLanguage: true, cweMatch: false })) }) as unknown as Retriever,
    };
    expect(await fixPatternRecall(chooser, 'bm25', [pair], 1)).toEqual({ pairs: 1, recall: 2 / 3 });
    expect(await fixPatternRecall(chooser, 'none', [pair], 1)).toBeNull();
    expect(await demonstrationsForMode(chooser, 'none', { code: '', language: 'python', seed: 's' }, 1)).toEqual([]);
  });
});
