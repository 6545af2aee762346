import { describe, expect, it } from 'vitest';
import { EntryRejectedError } from '../../src/corpus/errors.js';
import { prepareEntry } from '../../src/corpus/prepare-entry.js';

const now = new Date('2026-11-25T00:00:00.000Z');

describe('prepareEntry', () => {
  it('builds an entry with language from the file name, normalized CWEs and provenance', async () => {
    const entry = await prepareEntry({
      code: '  def get_user(db, name):\n      return db.execute("SELECT * FROM u WHERE n = ?", (name,))\n',
      label: 'fix.py',
      cwe: ['cwe-089', 'CWE-89'],
      source: { url: 'https://example.com/commit/1' },
      now,
    });
    expect(entry).toMatchObject({
      language: 'python',
      cwe: ['CWE-89'],
      origin: 'manual',
      addedAt: '2026-11-25T00:00:00.000Z',
      source: { url: 'https://example.com/commit/1' },
    });
    expect(entry.code.startsWith('def get_user')).toBe(true);
    expect(entry.id).toBe(`manual-${entry.sha256.slice(0, 16)}`);
  });

  it('takes an explicit language over the extension and rejects unknown ones', async () => {
    const entry = await prepareEntry({ code: 'func f() int { return 1 }', label: 'snippet.txt', language: 'golang', now });
    expect(entry.language).toBe('go');
    await expect(prepareEntry({ code: 'x', label: 'snippet.txt' })).rejects.toThrow(/snippet\.txt: cannot tell the language/);
    await expect(prepareEntry({ code: 'x', label: 'a.py', language: 'cobol' })).rejects.toThrow(/unknown language "cobol"/);
  });

  it('rejects code that does not parse, naming the line, unless told to allow it', async () => {
    const broken = 'def f(x):\n    return (x +\n';
    const error = await prepareEntry({ code: broken, label: 'broken.py' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntryRejectedError);
    expect((error as Error).message).toMatch(/^broken\.py: does not parse as python: line \d+/);
    await expect(prepareEntry({ code: broken, label: 'broken.py', allowSyntaxErrors: true })).resolves.toMatchObject({ language: 'python' });
  });

  it('accepts a lone Java method and a C function', async () => {
    await expect(prepareEntry({ code: 'public int size() { return items.length; }', label: 'A.java' })).resolves.toMatchObject({ language: 'java' });
    await expect(
      prepareEntry({
        code: 'static int copy(char *dst, const char *src, size_t n) {\n  if (!dst) return -EINVAL;\n  strncpy(dst, src, n - 1);\n  dst[n - 1] = 0;\n  return 0;\n}',
        label: 'x.c',
      }),
    ).resolves.toMatchObject({ language: 'c' });
  });

  it('enforces the size cap and rejects empty code and bad CWEs', async () => {
    const long = `def f():\n${'    x = 1\n'.repeat(500)}`;
    await expect(prepareEntry({ code: long, label: 'long.py' })).rejects.toThrow(/over the cap of 4000/);
    await expect(prepareEntry({ code: long, label: 'long.py', maxChars: 10_000 })).resolves.toBeDefined();
    await expect(prepareEntry({ code: '\n \n', label: 'e.py' })).rejects.toThrow(/empty/);
    await expect(prepareEntry({ code: 'x = 1', label: 'a.py', cwe: ['injection'] })).rejects.toThrow(/a\.py: invalid CWE "injection"/);
  });

  it('with oneFunction, takes exactly one function: not zero, not two, not a class or statements around it', async () => {
    const one = (code: string, label: string) => prepareEntry({ code, label, oneFunction: true, now });
    await expect(
      one('# why it is safe\n@app.route("/u")\ndef get_user(db, name):\n    def inner():\n        return name\n    return db.get(inner())\n', 'a.py'),
    ).resolves.toMatchObject({
      language: 'python',
    });
    await expect(one('x = 1\n', 'zero.py')).rejects.toThrow(/^zero\.py: holds no python function \(a corpus entry is exactly one function/);
    await expect(one('def a():\n    return 1\n\ndef b():\n    return 2\n', 'two.py')).rejects.toThrow(
      /^two\.py: holds 2 functions: a \(line 1\), b \(line 4\) \(a corpus entry is exactly one function; put each in its own file\)$/,
    );
    await expect(one('class Repo:\n    def get(self, key):\n        return self.items[key]\n', 'class.py')).rejects.toThrow(
      /^class\.py: line 1 \(class Repo:\) is outside the function Repo\.get \(a corpus entry is exactly one function/,
    );
    await expect(one('#include <string.h>\nint f(void) { return 0; }\n', 'x.c')).rejects.toThrow(/line 1 \(#include <string\.h>\) is outside the function f/);
    await expect(one('/* licence */\n// note\nint f(void) { return 0; }\n', 'x.c')).resolves.toMatchObject({ language: 'c' });
    await expect(one('public int size() { return items.length; }', 'A.java')).resolves.toMatchObject({ language: 'java' });
    await expect(one('  render(req, res) {\n    res.send(escape(req.query.q));\n  }\n', 'view.js')).resolves.toMatchObject({ language: 'javascript' });
  });
});
