// A suggestion as a GitHub review comment (Markdown, hostile input escaped or fenced) and as a
// unified diff for the CLI that `git apply` accepts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFunctions } from '../../src/detect/functions.js';
import { fenceFor } from '../../src/text/fence.js';
import { renderSuggestionDiff } from '../../src/harden/render-diff.js';
import { suggestionHunks } from '../../src/harden/hunks.js';
import { renderSuggestionMarkdown } from '../../src/harden/render-markdown.js';
import { escapeMarkdown } from '../../src/text/markdown.js';
import type { Suggestion } from '../../src/harden/suggestion.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const tempDir = useTempDirs();

const FILE = `import sqlite3

from flask import Flask, jsonify

app = Flask(__name__)


def connect():
    return sqlite3.connect("app.db")


@app.route("/users/<email>")
def user_by_email(email):
    cur = connect().cursor()
    cur.execute("SELECT id, name FROM users WHERE email = '" + email + "'")
    return jsonify(cur.fetchone())


@app.route("/health")
def health():
    return "ok"
`;

const REPLACEMENT = `@app.route("/users/<email>")
def user_by_email(email):
    cur = connect().cursor()
    cur.execute("SELECT id, name FROM users WHERE email = ?", (email,))
    return jsonify(cur.fetchone())`;

function suggestion(overrides: Partial<Suggestion> = {}): Suggestion {
  return {
    path: 'app/views.py',
    startLine: 12,
    endLine: 16,
    functionName: 'user_by_email',
    original: FILE.split('\n').slice(11, 16).join('\n'),
    replacement: REPLACEMENT,
    cwe: ['CWE-89'],
    reason: 'Rewrites `user_by_email` to remove CWE-89.',
    demonstrations: [
      {
        id: 'seed-0123456789abcdef',
        source: { repo: 'acme/shop', path: 'shop/db.py', function: 'get_user', url: 'https://github.com/acme/shop/commit/0123abc' },
        score: 0.9,
        cwe: ['CWE-89'],
      },
    ],
    model: 'coder-7b',
    ...overrides,
  };
}

const SQLI = "CWE-89: Improper Neutralization of Special Elements used in an SQL Command \\('SQL Injection'\\)";
const FIXED_LINE = '    cur.execute("SELECT id, name FROM users WHERE email = ?", (email,))';

describe('renderSuggestionMarkdown', () => {
  it('renders the header, the explanation (weakness by name, precedent with its commit), the suggestion block and one footer', () => {
    expect(renderSuggestionMarkdown(suggestion())).toBe(
      [
        '**SecCoder** · `user_by_email`',
        '',
        `\`user_by_email\` may be open to [${SQLI}](https://cwe.mitre.org/data/definitions/89.html). It follows the precedent of [acme/shop](https://github.com/acme/shop/commit/0123abc), the commit that fixed \`get_user\` in \`shop/db.py\`.`,
        '',
        '```suggestion',
        REPLACEMENT,
        '```',
        '',
        '<sub>Written by coder-7b from a secure example in your corpus. Review before committing.</sub>',
      ].join('\n'),
    );
  });

  it('says, right above the block, when no analyzer checked the rewrite, and why', () => {
    const lines = (analysis: Suggestion['analysis']) => renderSuggestionMarkdown(suggestion({ analysis })).split('\n');
    const ruby = lines({ language: 'ruby', ran: [], notAnalyzed: [] });
    expect(ruby.slice(3, 6)).toEqual(['', '**Not checked by a security analyzer**: none is available for Ruby here.', '']);
    expect(ruby[6]).toBe('```suggestion');
    expect(lines({ language: 'c', ran: ['gcc', 'clang'], notAnalyzed: ['gcc', 'clang'] })[4]).toBe(
      '**Not checked by a security analyzer**: gcc and clang could not analyze it.',
    );
    // One analyzer that analyzed it is enough; a suggestion that does not say (read from JSON) says nothing.
    expect(lines({ language: 'c', ran: ['gcc', 'cppcheck'], notAnalyzed: ['gcc'] }).join('\n')).not.toContain('Not checked');
    expect(renderSuggestionMarkdown(suggestion())).not.toContain('Not checked');
    // From JSON, the fields are data: escaped, trimmed, never markup.
    const hostile = { language: 'klingon', ran: ['*x*', 3], notAnalyzed: ['*x*'] } as unknown as Suggestion['analysis'];
    expect(lines(hostile)[4]).toBe('**Not checked by a security analyzer**: \\*x\\* could not analyze it.');
    expect(lines({ language: 'klingon', ran: [], notAnalyzed: [] } as unknown as Suggestion['analysis'])[4]).toBe(
      '**Not checked by a security analyzer**: none is available for its language here.',
    );
  });

  it('one hunk as one comment: "change i of n", only its lines in the block', () => {
    const hunks = suggestionHunks(suggestion());
    expect(hunks).toEqual([{ startLine: 15, endLine: 15, original: [FILE.split('\n')[14]], replacement: [FIXED_LINE] }]);
    const markdown = renderSuggestionMarkdown(suggestion(), { hunk: hunks[0]!, index: 0, total: 1 });
    expect(markdown.split('\n').slice(4, 7)).toEqual(['```suggestion', FIXED_LINE, '```']);
    expect(markdown.split('\n')[0]).toBe('**SecCoder** · `user_by_email`');
    const second = renderSuggestionMarkdown(suggestion(), { hunk: { startLine: 13, endLine: 13, original: ['x'], replacement: [] }, index: 1, total: 3 });
    expect(second.split('\n')[0]).toBe('**SecCoder** · `user_by_email` · change 2 of 3');
    // A deletion is an empty block, which GitHub applies by deleting the lines.
    expect(second).toContain('\n```suggestion\n```\n');
  });

  it('names the alert and the analyzer finding the change removes, and links the commit from repo and commit alone', () => {
    const markdown = renderSuggestionMarkdown(
      suggestion({
        alerts: [
          { ruleId: 'py/sql-injection', message: 'This SQL query depends on a user-provided value.', cwe: ['CWE-89'] },
          { ruleId: 'py/sql-injection', message: 'again', cwe: ['CWE-89'] },
        ],
        resolvedFindings: [
          { tool: 'bandit', ruleId: 'B608', message: 'Possible SQL injection vector through string-based query construction.', cwe: ['CWE-89'] },
        ],
        demonstrations: [
          {
            id: 'sven-1',
            source: { repo: 'abrt/libreport', commit: '239c4f7d1f47265526b39ad70106767d00805277', function: 'dd_get_item_size' },
            score: 1,
            cwe: [],
          },
        ],
      }),
    );
    expect(markdown.split('\n')[2]).toBe(
      [
        `Code scanning reports [${SQLI}](https://cwe.mitre.org/data/definitions/89.html) in \`user_by_email\`: “This SQL query depends on a user-provided value.” (\`py/sql-injection\`; 1 more alert).`,
        'With this change, bandit no longer reports `B608`: “Possible SQL injection vector through string-based query construction.”',
        'It follows the precedent of [abrt/libreport@239c4f7](https://github.com/abrt/libreport/commit/239c4f7d1f47265526b39ad70106767d00805277), the commit that fixed `dd_get_item_size`.',
      ].join(' '),
    );
  });

  it('lists several findings that disappear, and several weaknesses; an unknown id is plain text; none is "a security weakness"', () => {
    const findings = ['B608', 'B201', 'B102', 'B301'].map((ruleId) => ({ tool: 'bandit', ruleId, message: `m ${ruleId}`, cwe: [] }));
    const markdown = renderSuggestionMarkdown(suggestion({ resolvedFindings: findings, cwe: ['CWE-89', 'CWE-943'] }));
    const sentences = markdown.split('\n')[2] ?? '';
    expect(sentences).toContain(
      `[${SQLI}](https://cwe.mitre.org/data/definitions/89.html) and [CWE-943: Improper Neutralization of Special Elements in Data Query Logic](https://cwe.mitre.org/data/definitions/943.html).`,
    );
    expect(sentences).toContain('these analyzer findings are gone: bandit `B608` (“m B608”), bandit `B201` (“m B201”), bandit `B102` (“m B102”) and 1 more.');
    expect(renderSuggestionMarkdown(suggestion({ cwe: ['OWASP-A03'] })).split('\n')[2]).toMatch(/^`user_by_email` may be open to OWASP-A03\./);
    expect(renderSuggestionMarkdown(suggestion({ cwe: [] })).split('\n')[2]).toMatch(/^`user_by_email` may be open to a security weakness\./);
  });

  it('says which imports to add, when the pipeline says the change needs them, and ignores anything that is not a string', () => {
    const withImports = { ...suggestion(), requiredImports: ['import subprocess', 'from `x` import <y>', 3] } as unknown as Suggestion;
    const markdown = renderSuggestionMarkdown(withImports);
    expect(markdown).toContain("\n```\n\nAdd `import subprocess` and ``from `x` import <y>`` to the file's imports: this change needs them.\n\n<sub>");
    expect(renderSuggestionMarkdown({ ...suggestion(), requiredImports: 'import os' } as unknown as Suggestion)).not.toContain('Add ');
  });

  it('fences the replacement with more backticks than any run inside it, so it cannot close the block', () => {
    const replacement = 'def doc():\n    """Example:\n    ```\n    rm -rf /\n    ````\n    """\n    return 1\n';
    const markdown = renderSuggestionMarkdown(suggestion({ replacement }));
    expect(fenceFor(replacement)).toBe('`````');
    expect(markdown).toContain(`\`\`\`\`\`suggestion\n${replacement.replace(/\n$/, '')}\n\`\`\`\`\`\n`);
    // The only lines that are exactly a fence of five or more backticks are the block's own.
    expect(markdown.split('\n').filter((line) => /^`{5,}/.test(line))).toEqual(['`````suggestion', '`````']);
  });

  it('keeps hostile alert messages, findings, corpus sources and names inert', () => {
    const markdown = renderSuggestionMarkdown(
      suggestion({
        functionName: 'f`</sub><img src=x>',
        alerts: [{ ruleId: 'r`x', message: 'Fixed <img src=x onerror=alert(1)> see [link](javascript:x)\nsecond line', cwe: [] }],
        resolvedFindings: [{ tool: '<b>tool</b>', ruleId: 'B1', message: '**bold** [l](javascript:y)', cwe: [] }],
        demonstrations: [{ id: 'a', source: { repo: 'evil/repo', commit: 'not-a-sha', url: 'javascript:alert(document.cookie)' }, score: 1, cwe: [] }],
        cwe: [],
      }),
    );
    const sentences = markdown.split('\n')[2];
    expect(sentences).toBe(
      [
        'Code scanning reports a weakness in ``f`</sub><img src=x>``: “Fixed \\<img src=x onerror=alert\\(1\\)\\> see \\[link\\]\\(javascript:x\\) second line” (``r`x``).',
        'With this change, \\<b\\>tool\\</b\\> no longer reports `B1`: “\\*\\*bold\\*\\* \\[l\\]\\(javascript:y\\)”.',
        'It follows the precedent of the fix in evil/repo.',
      ].join(' '),
    );
    expect(markdown).not.toContain('javascript:alert');
    // The function name is a code span in the header too, where HTML is shown, not interpreted.
    expect(markdown.split('\n')[0]).toBe('**SecCoder** · ``f`</sub><img src=x>``');
  });

  it('links a demonstration only when its URL is https and cannot break out of the link', () => {
    const precedent = (source: Suggestion['demonstrations'][number]['source']) =>
      renderSuggestionMarkdown(suggestion({ demonstrations: [{ id: 'manual-42_x', source, score: 1, cwe: [] }] }))
        .split('\n')[2]
        ?.replace(/^.*?\. /, '');
    expect(precedent({ repo: 'plain/http', url: 'http://example.com/fix' })).toBe('It follows the precedent of the fix in plain/http.');
    expect(precedent({ repo: 'r/r', url: 'https://x.test/a) [pwn](javascript:alert(1)' })).toBe('It follows the precedent of the fix in r/r.');
    expect(precedent({ url: 'https://github.com/good/repo/commit/1' })).toBe(
      'It follows the precedent of [this commit](https://github.com/good/repo/commit/1), the commit that fixed the same weakness.',
    );
    expect(precedent({})).toBe('It follows the precedent of `manual-42_x`, a secure example in your corpus.');
    expect(renderSuggestionMarkdown(suggestion({ demonstrations: [] })).split('\n')[2]).not.toContain('precedent');
  });

  it('escapes the model name in the footer', () => {
    const markdown = renderSuggestionMarkdown(suggestion({ model: '<b>m</b>' }));
    expect(markdown.endsWith('<sub>Written by \\<b\\>m\\</b\\> from a secure example in your corpus. Review before committing.</sub>')).toBe(true);
  });

  it('escapeMarkdown escapes every control character and joins lines', () => {
    expect(escapeMarkdown('a*b_c`d[e](f)#g|h<i>!~\\\r\nz')).toBe('a\\*b\\_c\\`d\\[e\\]\\(f\\)\\#g\\|h\\<i\\>\\!\\~\\\\ z');
  });
});

describe('renderSuggestionDiff', () => {
  it('the function found in the middle of a file, as an exact unified diff with the file line numbers', async () => {
    const fn = (await extractFunctions(FILE, 'python', 'app/views.py')).find((candidate) => candidate.name === 'user_by_email');
    expect(fn).toMatchObject({ startLine: 12, endLine: 16 });
    expect(renderSuggestionDiff(suggestion(), FILE)).toBe(
      [
        '--- a/app/views.py',
        '+++ b/app/views.py',
        '@@ -12,7 +12,7 @@',
        ' @app.route("/users/<email>")',
        ' def user_by_email(email):',
        '     cur = connect().cursor()',
        '-    cur.execute("SELECT id, name FROM users WHERE email = \'" + email + "\'")',
        '+    cur.execute("SELECT id, name FROM users WHERE email = ?", (email,))',
        '     return jsonify(cur.fetchone())',
        ' ',
        ' ',
        '',
      ].join('\n'),
    );
  });

  it('git apply accepts the diff, and applying it gives the file with the replacement', () => {
    const repo = tempDir();
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    mkdirSync(join(repo, 'app'));
    writeFileSync(join(repo, 'app', 'views.py'), FILE);
    git('add', '.');
    git('commit', '-q', '-m', 'initial');
    const patch = join(repo, 'fix.patch');
    writeFileSync(patch, renderSuggestionDiff(suggestion(), FILE));
    git('apply', '--check', patch);
    git('apply', patch);
    expect(readFileSync(join(repo, 'app', 'views.py'), 'utf8')).toBe(FILE.replace('email = \'" + email + "\'")', 'email = ?", (email,))'));
  });

  it('handles a replacement with more lines, a trailing newline, and a function at the end of the file', () => {
    const file = 'def a():\n    return 1\n\n\ndef b(x):\n    return x\n';
    const diff = renderSuggestionDiff(
      suggestion({ path: 'm.py', startLine: 5, endLine: 6, replacement: 'def b(x):\n    if x is None:\n        raise ValueError("x")\n    return x\n' }),
      file,
    );
    expect(diff).toBe(
      ['--- a/m.py', '+++ b/m.py', '@@ -3,4 +3,6 @@', ' ', ' ', ' def b(x):', '+    if x is None:', '+        raise ValueError("x")', '     return x', ''].join(
        '\n',
      ),
    );
    const repo = tempDir();
    writeFileSync(join(repo, 'm.py'), file);
    writeFileSync(join(repo, 'fix.patch'), diff);
    execFileSync('git', ['apply', '--check', 'fix.patch'], { cwd: repo });
    execFileSync('git', ['apply', 'fix.patch'], { cwd: repo });
    expect(readFileSync(join(repo, 'm.py'), 'utf8')).toBe(
      'def a():\n    return 1\n\n\ndef b(x):\n    if x is None:\n        raise ValueError("x")\n    return x\n',
    );
  });
});
