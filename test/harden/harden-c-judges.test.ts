// Only an analyzer that judges the alert's CWE may say it still fires. flawfinder judges nothing
// (a pattern matcher: a checked strcpy is still a strcpy), so its CWE-120 on a fixed function must
// not reject the fix of a CWE-119 alert as "alert still fires", though CWE-120 is a child of 119.
// Real analyzers; the model is the real OpenAI-compatible client against a mocked endpoint.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, describe, expect, it } from 'vitest';
import { FlawfinderAnalyzer } from '../../src/analyze/flawfinder.js';
import { analyzersFor, defaultAnalyzers } from '../../src/analyze/registry.js';
import { sameWeakness } from '../../src/cwe/same-weakness.js';
import { SarifAlertSource } from '../../src/detect/sarif.js';
import { selectTargets } from '../../src/detect/targets.js';
import { hardenTarget, type DemonstrationSource } from '../../src/harden/harden-target.js';
import { OpenAiCompatibleModel } from '../../src/model/openai-client.js';
import { tempDirs } from '../fixtures/retrieval-corpus.js';
import { chatCompletion } from '../fixtures/review/flask-app.js';
import { useHttpMocks } from '../helpers/http-mocks.js';

const ORIGIN = 'https://models.example.test';
const temp = tempDirs('harden-c-judges-test-');
const noDemonstrations: DemonstrationSource = { retrieve: () => Promise.resolve([]) };

const PATH = 'src/name.c';
const FILE = `#include <string.h>

void copy_name(char *dst, size_t size, const char *src)
{
    strcpy(dst, src);
}
`;
const ORIGINAL = FILE.split('\n').slice(2, 6).join('\n');
const FIXED = ORIGINAL.replace('    strcpy(dst, src);', '    if (strlen(src) >= size)\n        return;\n    strcpy(dst, src);');

useHttpMocks();
afterAll(() => temp.cleanup());

describe('hardenTarget on C with flawfinder among the analyzers', () => {
  it('does not let a tool that judges nothing keep a CWE-119 alert alive', async () => {
    const flawfinder = new FlawfinderAnalyzer();
    expect(await flawfinder.available()).toBe(true);
    const names = (await analyzersFor('c', defaultAnalyzers())).map((analyzer) => analyzer.name);
    expect(names).toContain('flawfinder');
    // The premise: flawfinder still reports the checked strcpy as CWE-120, the same weakness as 119.
    const findings = await flawfinder.analyze({ code: FIXED, language: 'c', fileName: 'name.c' });
    expect(findings.some((finding) => finding.cwe.some((cwe) => sameWeakness(cwe, 'CWE-119')))).toBe(true);
    expect(flawfinder.judges('CWE-119', 'c')).toBe(false);

    const sarif = join(temp.make(), 'overflow.sarif');
    writeFileSync(
      sarif,
      JSON.stringify({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'CodeQL', rules: [{ id: 'cpp/unbounded-write', properties: { tags: ['security', 'external/cwe/cwe-119'] } }] } },
            results: [
              {
                ruleId: 'cpp/unbounded-write',
                ruleIndex: 0,
                message: { text: 'This strcpy may overflow the destination.' },
                locations: [{ physicalLocation: { artifactLocation: { uri: PATH }, region: { startLine: 5 } } }],
              },
            ],
          },
        ],
      }),
    );
    const alerts = await new SarifAlertSource([sarif]).alerts();
    const selection = await selectTargets({ files: [{ path: PATH, content: FILE, language: 'c' }], alerts });
    const target = selection.targets[0]!;
    expect(target.function.code).toBe(ORIGINAL);
    expect(target.alerts.map((alert) => alert.cwe)).toEqual([['CWE-119']]);

    nock(ORIGIN)
      .post('/v1/chat/completions')
      .reply(200, chatCompletion(`\`\`\`c\n${FIXED}\n\`\`\`\n`));
    const model = new OpenAiCompatibleModel(
      { baseUrl: `${ORIGIN}/v1`, model: 'coder-7b', samples: 1, retries: 0 },
      { sleep: async () => undefined, random: () => 0 },
    );
    const outcome = await hardenTarget(target, { demonstrations: noDemonstrations, model, analyzers: defaultAnalyzers() });
    expect(outcome.error).toBeUndefined();
    expect(outcome.rejections).toEqual({});
    expect(outcome.suggestion?.replacement).toBe(FIXED);
  });
});
