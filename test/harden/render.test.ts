// A suggestion as a GitHub review comment (Markdown, hostile input escaped or fenced) and as a
// unified diff for the CLI that `git apply` accepts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFunctions } from '../../src/detect/functions.js';
import { fenceFor } from '../../src/text/fence.js';
import { renderSuggestionDiff } from '../../src/harden/render-diff.js';
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

describe('renderSuggestionMarkdown', () => {
  it('renders the header, the reason, a suggestion block and the citation', () => {
    expect(renderSuggestionMarkdown(suggestion())).toBe(
      [
        '**SecCoder** · [CWE-89](https://cwe.mitre.org/data/definitions/89.html) · `user_by_email`',
        '',
        'Rewrites `user_by_email` to remove CWE-89.',
        '',
        '```suggestion',
        REPLACEMENT,
        '```',
        '',
        'Learned from: [acme/shop · shop/db.py · get\\_user\\(\\)](https://github.com/acme/shop/commit/0123abc)',
        '',
        '<sub>Written by coder-7b from a secure example in your corpus. Review before committing.</sub>',
      ].join('\n'),
    );
  });

  it('fences the replacement with more backticks than any run inside it, so it cannot close the block', () => {
    const replacement = 'def doc():\n    """Example:\n    ```\n    rm -rf /\n    ````\n    """\n    return 1\n';
    const markdown = renderSuggestionMarkdown(suggestion({ replacement }));
    expect(fenceFor(replacement)).toBe('`````');
    expect(markdown).toContain(`\`\`\`\`\`suggestion\n${replacement.replace(/\n$/, '')}\n\`\`\`\`\`\n`);
    // The only lines that are exactly a fence of five or more backticks are the block's own.
    expect(markdown.split('\n').filter((line) => /^`{5,}/.test(line))).toEqual(['`````suggestion', '`````']);
  });

  it('links each known CWE and lists several; other ids are plain text; none says security hardening', () => {
    expect(renderSuggestionMarkdown(suggestion({ cwe: ['CWE-89', 'CWE-943'] })).split('\n')[0]).toBe(
      '**SecCoder** · [CWE-89](https://cwe.mitre.org/data/definitions/89.html), [CWE-943](https://cwe.mitre.org/data/definitions/943.html) · `user_by_email`',
    );
    expect(renderSuggestionMarkdown(suggestion({ cwe: ['OWASP-A03'] })).split('\n')[0]).toContain('· OWASP-A03 ·');
    expect(renderSuggestionMarkdown(suggestion({ cwe: [] })).split('\n')[0]).toContain('· security hardening ·');
  });

  it('escapes HTML and links in the reason', () => {
    const markdown = renderSuggestionMarkdown(suggestion({ reason: 'Fixed <img src=x onerror=alert(1)> see [link](javascript:x)\nsecond line' }));
    const reason = markdown.split('\n')[2];
    expect(reason).toBe('Fixed \\<img src=x onerror=alert\\(1\\)\\> see \\[link\\]\\(javascript:x\\) second line');
    // Every < and [ of the reason is escaped: nothing renders as a tag or a link.
    expect(markdown).not.toMatch(/(^|[^\\])<img/);
    expect(markdown).not.toMatch(/(^|[^\\])\[link\]/);
  });

  it('shows the names the reason marks as code as code spans, and escapes the text around them', () => {
    const markdown = renderSuggestionMarkdown(suggestion({ reason: 'Rewrites `get_<b>_row` to remove **CWE-89** <i>now</i>.' }));
    expect(markdown.split('\n')[2]).toBe('Rewrites `get_<b>_row` to remove \\*\\*CWE-89\\*\\* \\<i\\>now\\</i\\>.');
  });

  it('links a demonstration only when its URL is https', () => {
    const markdown = renderSuggestionMarkdown(
      suggestion({
        demonstrations: [
          { id: 'a', source: { repo: 'evil/repo', url: 'javascript:alert(document.cookie)' }, score: 1, cwe: [] },
          { id: 'b', source: { repo: 'plain/http', url: 'http://example.com/fix' }, score: 1, cwe: [] },
          { id: 'c', source: { repo: 'good/repo', url: 'https://github.com/good/repo/commit/1' }, score: 1, cwe: [] },
          { id: 'manual-42_x', source: {}, score: 1, cwe: [] },
        ],
      }),
    );
    const learned = markdown.split('\n').find((line) => line.startsWith('Learned from: '));
    expect(learned).toBe('Learned from: evil/repo; plain/http; [good/repo](https://github.com/good/repo/commit/1); manual-42\\_x');
    expect(markdown).not.toContain('javascript:');
  });

  it('does not link an https URL that would break out of the link target', () => {
    const markdown = renderSuggestionMarkdown(
      suggestion({ demonstrations: [{ id: 'a', source: { repo: 'r/r', url: 'https://x.test/a) [pwn](javascript:alert(1)' }, score: 1, cwe: [] }] }),
    );
    expect(markdown).toContain('Learned from: r/r\n');
  });

  it('omits "Learned from" without demonstrations and escapes the model name', () => {
    const markdown = renderSuggestionMarkdown(suggestion({ demonstrations: [], model: '<b>m</b>' }));
    expect(markdown).not.toContain('Learned from');
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
