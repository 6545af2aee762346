// The check run: the summary table, the details, and the conclusion (no silent green on a model
// failure; neutral when a human has suggestions to review; success when there is nothing).
import { describe, expect, it } from 'vitest';
import { checkRunForInvalidConfig, checkRunOutput, type CheckRunInput } from '../../../src/github/review/check-summary.js';
import { parseSecCoderConfig } from '../../../src/config/read-config.js';
import { DEFAULT_SECCODER_CONFIG } from '../../../src/config/schema.js';
import { renderBodySection } from '../../../src/github/review/plan.js';
import { DB_FIND, FIND_ROWS_FIXED, IS_ADMIN_FIXED, LEGACY, outcome, suggestionFor, VIEWS_ADMIN, VIEWS_USER } from '../../fixtures/github/pull-request.js';

const FIND = suggestionFor(DB_FIND, FIND_ROWS_FIXED);

function input(overrides: Partial<CheckRunInput> = {}): CheckRunInput {
  return {
    outcomes: [],
    skipped: [],
    config: DEFAULT_SECCODER_CONFIG,
    model: 'coder-7b',
    corpusSize: 1234,
    alertsAvailable: true,
    dryRun: false,
    ...overrides,
  };
}

/** CWE-89 as the check run names it: by its official name, linked to MITRE's page. */
const SQL_INJECTION =
  "[CWE-89: Improper Neutralization of Special Elements used in an SQL Command \\('SQL Injection'\\)](https://cwe.mitre.org/data/definitions/89.html)";

const table = (rows: [string, number][]) => ['| | count |', '| --- | ---: |', ...rows.map(([label, count]) => `| ${label} | ${count} |`)];

describe('conclusion', () => {
  it('is success when there was nothing to harden or nothing to suggest', () => {
    expect(checkRunOutput(input())).toMatchObject({ conclusion: 'success', title: 'No functions to harden' });
    expect(checkRunOutput(input({ outcomes: [outcome(LEGACY, { rejections: { unchanged: 3 } })] }))).toMatchObject({
      conclusion: 'success',
      title: 'No security suggestions for 1 function',
    });
  });

  it("is neutral, never success, when no model looked: precedent mode, or the repository's model refused", () => {
    const { model: _model, ...precedent } = input({ outcomes: [outcome(DB_FIND), outcome(LEGACY)] });
    expect(checkRunOutput(precedent)).toMatchObject({ conclusion: 'neutral', title: '2 functions not hardened: no model configured (precedent mode)' });
    const refused = { ...precedent, modelNotUsed: 'model.url is not allowed: the operator set SECCODER_MODEL_URL' };
    expect(checkRunOutput(refused)).toMatchObject({
      conclusion: 'neutral',
      title: '2 functions not hardened: model.url is not allowed: the operator set SECCODER_MODEL_URL',
    });
    // Nothing to harden is still a plain success without a model.
    const { model: _none, ...empty } = input();
    expect(checkRunOutput(empty)).toMatchObject({ conclusion: 'success', title: 'No functions to harden' });
  });

  it('is neutral, not success, when every rewrite the model wrote was rejected (a careless or hostile model): nothing usable, not "nothing to fix"', () => {
    const hostile = outcome(DB_FIND, { rejections: { 'frame-changed': 2, 'extra-code': 1 } });
    expect(checkRunOutput(input({ outcomes: [hostile] }))).toMatchObject({
      conclusion: 'neutral',
      title: 'No usable suggestion for 1 function: every rewrite was rejected',
    });
    // Samples that only said "unchanged" are the model finding nothing to fix.
    expect(checkRunOutput(input({ outcomes: [outcome(LEGACY, { rejections: { unchanged: 3 } })] }))).toMatchObject({ conclusion: 'success' });
  });

  it('is neutral when the deadline cut targets, and lists them', () => {
    const output = checkRunOutput(input({ outcomes: [outcome(LEGACY, { rejections: { unchanged: 3 } })], cut: [DB_FIND], deadlineSeconds: 600 }));
    expect(output).toMatchObject({ conclusion: 'neutral', title: 'Review deadline passed: 1 function not hardened' });
    expect(output.summary).toContain('| Not hardened: review deadline passed | 1 |');
    expect(output.text).toContain("### Not hardened: the review's deadline (600 s) passed");
    const withSuggestion = checkRunOutput(input({ outcomes: [outcome(LEGACY, { suggestion: FIND })], cut: [DB_FIND] }));
    expect(withSuggestion).toMatchObject({ conclusion: 'neutral', title: '1 security suggestion; 1 not hardened (deadline)' });
  });

  it('is neutral when there are suggestions for a human to review', () => {
    expect(checkRunOutput(input({ outcomes: [outcome(DB_FIND, { suggestion: FIND }), outcome(LEGACY)] }))).toMatchObject({
      conclusion: 'neutral',
      title: '1 security suggestion',
    });
  });

  it('is failure when the model or an analyzer failed, even next to suggestions', () => {
    const outcomes = [outcome(DB_FIND, { suggestion: FIND }), outcome(VIEWS_ADMIN, { error: 'model: HTTP 503 from https://models.example/v1' })];
    expect(checkRunOutput(input({ outcomes }))).toMatchObject({ conclusion: 'failure', title: 'Model or analyzer failed on 1 of 2 functions' });
  });

  it('is failure with the problems table when the config is invalid', () => {
    const parsed = parseSecCoderConfig({ maxTargets: 0, model: { temprature: 1 } });
    if (parsed.ok) throw new Error('expected problems');
    expect(checkRunForInvalidConfig(parsed.problems)).toEqual({
      title: 'Invalid .github/seccoder.yml',
      summary: [
        'SecCoder did not run: .github/seccoder.yml has 2 problems. Fix them on the default branch.',
        '',
        '| key | problem |',
        '| --- | --- |',
        '| `maxTargets` | must be at least 1 |',
        '| `model.temprature` | unknown key; did you mean "temperature"? |',
      ].join('\n'),
      conclusion: 'failure',
    });
  });
});

describe('summary', () => {
  it('counts targets, suggestions, skips by reason, rejected samples and errors', () => {
    const outcomes = [
      outcome(DB_FIND, { suggestion: FIND, rejections: { 'syntax-error': 1 } }),
      outcome(LEGACY, { rejections: { 'syntax-error': 2, unchanged: 1 } }),
      outcome(VIEWS_ADMIN, { error: 'analyzer: bandit exited with 2' }),
    ];
    const output = checkRunOutput(
      input({
        outcomes,
        skipped: [
          { path: 'vendor/lib.py', reason: 'ignored-path', detail: 'matches **/vendor/**' },
          { path: 'app/big.py', function: 'handle', reason: 'too-large', detail: '412 lines, more than 200; changed' },
          { path: 'app/jobs.py', function: 'run', reason: 'cap-reached' },
          { path: 'app/jobs.py', function: 'stop', reason: 'cap-reached' },
          { path: 'web/app.rb', reason: 'language', detail: 'ruby is not among the configured languages' },
          { path: 'app/broken.py', function: 'f', reason: 'parse-error', detail: 'line 3: syntax error' },
          { path: 'logo.png', reason: 'unsupported-file', detail: 'binary file' },
        ],
        alertsAvailable: false,
        alertsUnavailableReason: 'HTTP 403: Advanced Security must be enabled for this repository',
        review: { suggestions: 1, posted: 1, inline: 1, inBody: 0, alreadyPosted: 0, outdated: 0, tooLong: 0 },
      }),
    );
    expect(output.summary).toBe(
      [
        ...table([
          ['Targets found', 3],
          ['Suggestions', 1],
          ['Posted now', 1],
          ['Already on the pull request', 0],
          ['Skipped: ignored path', 1],
          ['Skipped: too large', 1],
          ['Skipped: cap reached (maxTargets 10)', 2],
          ['Skipped: language not configured', 1],
          ['Skipped: parse error', 1],
          ['Skipped: unsupported file', 1],
          ['Samples rejected by validation', 4],
          ['Model or analyzer errors', 1],
        ]),
        '',
        '- Model: `coder-7b`',
        '- Corpus: 1,234 secure examples',
        '- Code-scanning alerts unavailable: HTTP 403: Advanced Security must be enabled for this repository',
      ].join('\n'),
    );
    expect(output.text).toBe(
      [
        '### Functions',
        '',
        `- \`app/db.py\` · \`find_rows\` (lines 40–44): suggestion for ${SQL_INJECTION}`,
        '- `app/legacy.py` · `find_rows` (lines 3–7): no suggestion, samples rejected (syntax-error ×2, unchanged ×1)',
        '- `app/views.py` · `is_admin` (line 19): **failed**: analyzer: bandit exited with 2',
        '',
        '### Skipped',
        '',
        '- `vendor/lib.py`: ignored-path (matches \\*\\*/vendor/\\*\\*)',
        '- `app/big.py` · `handle`: too-large (412 lines, more than 200; changed)',
        '- `app/jobs.py` · `run`: cap-reached',
        '- `app/jobs.py` · `stop`: cap-reached',
        '- `web/app.rb`: language (ruby is not among the configured languages)',
        '- `app/broken.py` · `f`: parse-error (line 3: syntax error)',
        '- `logo.png`: unsupported-file (binary file)',
      ].join('\n'),
    );
  });

  it('says when there is no model (precedent mode) and shows the configured cap', () => {
    const config = { ...DEFAULT_SECCODER_CONFIG, maxTargets: 3 };
    const output = checkRunOutput(input({ config, model: undefined, corpusSize: 1, outcomes: [outcome(LEGACY, { samples: 0 })] }));
    expect(output.summary).toContain('| Skipped: cap reached (maxTargets 3) | 0 |');
    expect(output.summary).toContain('- Model: none (precedent mode: demonstrations only, no rewrites)\n- Corpus: 1 secure example');
    expect(output.text).toBe('### Functions\n\n- `app/legacy.py` · `find_rows` (lines 3–7): no suggestion, no samples');
  });

  it('in a dry run, shows what would have been posted', () => {
    const admin = suggestionFor(VIEWS_ADMIN, IS_ADMIN_FIXED);
    const output = checkRunOutput(
      input({
        dryRun: true,
        outcomes: [outcome(DB_FIND, { suggestion: FIND }), outcome(VIEWS_ADMIN, { suggestion: admin })],
        review: { suggestions: 2, posted: 2, inline: 1, inBody: 1, alreadyPosted: 0, outdated: 0, tooLong: 0 },
      }),
    );
    expect(output.title).toBe('2 security suggestions (dry run, not posted)');
    expect(output.conclusion).toBe('neutral');
    expect(output.summary).toContain('| Would be posted (dry run) | 2 |');
    expect(output.summary.endsWith('\n\n**Dry run**: nothing was posted on the pull request; the details show what would have been.')).toBe(true);
    expect(output.text).toContain(`### Suggestions (dry run)\n\n${renderBodySection(FIND)}\n\n${renderBodySection(admin)}`);
  });

  it('escapes hostile paths, names and error messages', () => {
    const hostile = { ...VIEWS_USER, path: 'a|b<img src=x>.py', function: { ...VIEWS_USER.function, name: 'f`x' } };
    const output = checkRunOutput(
      input({
        outcomes: [outcome(hostile, { error: 'model: <script>alert(1)</script> | *bold*' })],
        skipped: [{ path: '](javascript:alert(1))', reason: 'ignored-path', detail: '<b>x</b>' }],
        alertsAvailable: false,
        alertsUnavailableReason: '[click](https://evil.example)',
      }),
    );
    expect(output.summary).toContain('- Code-scanning alerts unavailable: \\[click\\]\\(https://evil.example\\)');
    expect(output.text).toBe(
      [
        '### Functions',
        '',
        '- `a|b<img src=x>.py` · ``f`x`` (lines 12–16): **failed**: model: \\<script\\>alert\\(1\\)\\</script\\> \\| \\*bold\\*',
        '',
        '### Skipped',
        '',
        '- `](javascript:alert(1))`: ignored-path (\\<b\\>x\\</b\\>)',
      ].join('\n'),
    );
  });

  it("names the weakness of each function: the suggestion's, else its alerts'", () => {
    const alerted = {
      ...LEGACY,
      alerts: [{ ruleId: 'py/path-injection', message: 'm', cwe: ['CWE-22', 'CWE-23'], path: LEGACY.path, startLine: 4, endLine: 4 }],
    };
    const output = checkRunOutput(input({ outcomes: [outcome(DB_FIND, { suggestion: FIND }), outcome(alerted, { rejections: { unchanged: 1 } })] }));
    expect(output.text).toBe(
      [
        '### Functions',
        '',
        `- \`app/db.py\` · \`find_rows\` (lines 40–44): suggestion for ${SQL_INJECTION}`,
        "- `app/legacy.py` · `find_rows` (lines 3–7): no suggestion for [CWE-22: Improper Limitation of a Pathname to a Restricted Directory \\('Path Traversal'\\)](https://cwe.mitre.org/data/definitions/22.html), [CWE-23: Relative Path Traversal](https://cwe.mitre.org/data/definitions/23.html), samples rejected (unchanged ×1)",
      ].join('\n'),
    );
  });

  it('says which suggestions no analyzer checked, and why, in the summary and on the function', () => {
    const ruby = { ...VIEWS_ADMIN, path: 'app/admin.rb', language: 'ruby' as const };
    const unchecked = suggestionFor(ruby, 'def is_admin(name) = false', { analysis: { language: 'ruby', ran: [], notAnalyzed: [] } });
    const uncompiled = suggestionFor(DB_FIND, FIND_ROWS_FIXED, { analysis: { language: 'c', ran: ['cppcheck', 'gcc'], notAnalyzed: ['cppcheck', 'gcc'] } });
    const checked = suggestionFor(LEGACY, FIND_ROWS_FIXED, { analysis: { language: 'python', ran: ['bandit'], notAnalyzed: [] } });
    const output = checkRunOutput(
      input({ outcomes: [outcome(ruby, { suggestion: unchecked }), outcome(DB_FIND, { suggestion: uncompiled }), outcome(LEGACY, { suggestion: checked })] }),
    );
    expect(output.summary).toContain(
      '- Corpus: 1,234 secure examples\n- **2 suggestions not checked by a security analyzer**: none is available for Ruby here; cppcheck and gcc could not analyze it',
    );
    expect(output.text).toBe(
      [
        '### Functions',
        '',
        `- \`app/admin.rb\` · \`is_admin\` (line 19): suggestion for ${SQL_INJECTION}; **not checked by a security analyzer**: none is available for Ruby here`,
        `- \`app/db.py\` · \`find_rows\` (lines 40–44): suggestion for ${SQL_INJECTION}; **not checked by a security analyzer**: cppcheck and gcc could not analyze it`,
        `- \`app/legacy.py\` · \`find_rows\` (lines 3–7): suggestion for ${SQL_INJECTION}`,
      ].join('\n'),
    );
    // A run whose suggestions an analyzer checked says nothing of it.
    expect(checkRunOutput(input({ outcomes: [outcome(LEGACY, { suggestion: checked })] })).summary).not.toContain('not checked');
  });

  it("keeps the details within GitHub's size limit", () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      outcome(DB_FIND, { suggestion: suggestionFor(DB_FIND, `${FIND_ROWS_FIXED}\n${`    # padding line ${i}\n`.repeat(100)}`) }),
    );
    const output = checkRunOutput(input({ dryRun: true, outcomes: many }));
    expect(output.text?.length).toBeLessThanOrEqual(65_535);
    expect(output.text).toMatch(/_\d+ more sections were left out to fit GitHub's size limit\._$/);
  });
});
