import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecCoderError, userErrorLine } from '../../src/errors/seccoder-error.js';
import { readSarif, readSarifFile, readSarifText } from '../../src/sarif/read.js';
import { SarifReadError } from '../../src/sarif/read-error.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();
const at = (uri: string, startLine: number) => [{ physicalLocation: { artifactLocation: { uri }, region: { startLine } } }];

describe('readSarif', () => {
  it('drops a result that does not fit, says why, and keeps the good ones', () => {
    const run = {
      tool: { driver: { name: 'semgrep', rules: [{ id: 'r1' }] } },
      results: [
        { ruleId: 'r1', message: { text: 'first' }, locations: at('a.py', 1) },
        { ruleId: 'r1', locations: at('a.py', 2) },
        { ruleId: 'r1', message: { text: 'third' }, locations: at('a.py', 0) },
        { ruleId: 'r1', message: { text: 'fourth' }, locations: at('a.py', 4) },
      ],
    };
    const { results, problems } = readSarif({ runs: [run] }, 'x.sarif');
    expect(results.map(({ item, result }) => [item, result.message.text])).toEqual([
      ['runs[0].results[0]', 'first'],
      ['runs[0].results[3]', 'fourth'],
    ]);
    expect(problems).toEqual([
      { source: 'x.sarif', item: 'runs[0].results[1]', reason: expect.stringMatching(/^message: /) },
      { source: 'x.sarif', item: 'runs[0].results[2]', reason: expect.stringMatching(/^locations\.0\.physicalLocation\.region\.startLine: /) },
    ]);
  });

  it('drops a run without a tool driver but keeps the other runs', () => {
    const good = { tool: { driver: { name: 't' } }, results: [{ ruleId: 'r', message: { text: 'm' } }] };
    const { results, problems } = readSarif({ runs: [{ results: [] }, good] }, 's');
    expect(results.map(({ item }) => item)).toEqual(['runs[1].results[0]']);
    expect(problems).toEqual([{ source: 's', item: 'runs[0]', reason: expect.stringMatching(/^tool/) }]);
  });

  it('reports a bad rule, keeps the indexes of the others and the results that point at it', () => {
    const run = {
      tool: { driver: { rules: [{ name: 'no id' }, { id: 'r1' }] } },
      results: [
        { ruleIndex: 0, message: { text: 'to the bad rule' } },
        { ruleIndex: 1, message: { text: 'to r1' } },
      ],
    };
    const { results, problems } = readSarif({ runs: [run] }, 's');
    expect(results.map(({ rule }) => rule?.id)).toEqual([undefined, 'r1']);
    expect(problems.map(({ item }) => item)).toEqual(['runs[0].tool.driver.rules[0]']);
  });

  it("finds a result's rule in an extension by index, else by id in any component", () => {
    const run = {
      tool: {
        driver: { name: 'CodeQL', rules: [{ id: 'shared', properties: { tags: ['driver'] } }] },
        extensions: [{ name: 'pack', rules: [{ id: 'py/sql-injection', properties: { tags: ['external/cwe/cwe-089'] } }, { id: 'shared' }] }],
      },
      results: [
        { rule: { id: 'py/sql-injection', index: 0, toolComponent: { index: 0 } }, message: { text: 'by index' } },
        { ruleId: 'py/sql-injection', message: { text: 'by id' } },
        { ruleId: 'shared', rule: { index: 1, toolComponent: { index: 0 } }, message: { text: 'extension first' } },
        { ruleId: 'unknown', message: { text: 'no rule' } },
      ],
    };
    const { results } = readSarif({ runs: [run] }, 's');
    expect(results.map(({ rule }) => [rule?.id, rule?.properties?.tags])).toEqual([
      ['py/sql-injection', ['external/cwe/cwe-089']],
      ['py/sql-injection', ['external/cwe/cwe-089']],
      ['shared', undefined],
      [undefined, undefined],
    ]);
    expect(results[0]?.run.tool.driver.name).toBe('CodeQL');
  });

  it('throws one SecCoderError, with a hint, for a document that is not SARIF', () => {
    expect(() => readSarif({ version: '2.1.0' }, 'x.sarif')).toThrow(SarifReadError);
    expect(() => readSarif([], 'x.sarif')).toThrow(/^cannot read SARIF from x\.sarif: not a SARIF log \(/);
    const error = (() => {
      try {
        readSarifText('{"runs": [', 'broken.sarif');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(SecCoderError);
    expect(error).toMatchObject({ name: 'SarifReadError', file: 'broken.sarif', reason: expect.stringMatching(/^invalid JSON \(/) });
    expect(userErrorLine(error)).toMatch(/\(give a SARIF 2\.1\.0 log as analyzers write it/);
  });
});

describe('readSarifFile', () => {
  it('reads a file and names it in problems', async () => {
    const file = join(tempDir(), 'a.sarif');
    writeFileSync(file, JSON.stringify({ runs: [{ tool: { driver: { name: 't' } }, results: [{ ruleId: 'r' }] }] }));
    const { results, problems } = await readSarifFile(file);
    expect(results).toEqual([]);
    expect(problems).toEqual([{ source: file, item: 'runs[0].results[0]', reason: expect.stringMatching(/^message: /) }]);
  });

  it('names a file it cannot read, keeping the cause', async () => {
    const missing = join(tempDir(), 'nope.sarif');
    const error = await readSarifFile(missing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SarifReadError);
    expect(error).toMatchObject({ file: missing, hint: 'check that the path names a readable SARIF file' });
    expect((error as Error).cause).toMatchObject({ code: 'ENOENT' });
  });
});
