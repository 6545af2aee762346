// validateCandidate on real functions found by extractFunctions: what a model's rewrite must be to
// become a suggestion, and the reason it is rejected otherwise.
import { describe, expect, it } from 'vitest';
import { extractFunctions } from '../../src/detect/functions.js';
import type { FunctionInfo } from '../../src/detect/types.js';
import type { Language } from '../../src/lang/languages.js';
import { matchIndentation, validateCandidate, type ValidationResult } from '../../src/harden/validate.js';

const PY_FILE = `import sqlite3


def find_user(conn, email):
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM users WHERE email = '" + email + "'")
    return cur.fetchone()
`;

const PY_FIX = `def find_user(conn, email):
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM users WHERE email = ?", (email,))
    return cur.fetchone()
`;

const C_FILE = `#include <string.h>

#define NAME_MAX 32

void set_name(char *dst, const char *src, size_t len) {
    memcpy(dst, src, len);
    dst[len] = '\\0';
}
`;

const C_FIX = `void set_name(char *dst, const char *src, size_t len) {
    if (len >= NAME_MAX) len = NAME_MAX - 1;
    memcpy(dst, src, len);
    dst[len] = '\\0';
}`;

const TS_FILE = `import type { Db, User } from './db.js';

export class UserRepo {
  constructor(private readonly db: Db) {}

  async findByEmail(email: string): Promise<User | undefined> {
    const rows = await this.db.query(\`SELECT * FROM users WHERE email = '\${email}'\`);
    return rows[0];
  }
}
`;

/** What a chat model typically returns: the method at column 0, without its class. */
const TS_FIX_UNINDENTED = `async findByEmail(email: string): Promise<User | undefined> {
  const rows = await this.db.query('SELECT * FROM users WHERE email = $1', [email]);
  return rows[0];
}
`;

const TS_FIX_IN_PLACE = `  async findByEmail(email: string): Promise<User | undefined> {
    const rows = await this.db.query('SELECT * FROM users WHERE email = $1', [email]);
    return rows[0];
  }`;

async function functionIn(code: string, language: Language, path: string, name: string): Promise<FunctionInfo> {
  const found = (await extractFunctions(code, language, path)).find((fn) => fn.name === name);
  if (!found) throw new Error(`fixture has no function ${name}`);
  return found;
}

async function validatePython(candidate: string): Promise<ValidationResult> {
  const original = await functionIn(PY_FILE, 'python', 'app/users.py', 'find_user');
  return validateCandidate({ candidate, original, language: 'python', path: 'app/users.py' });
}

function rejection(result: ValidationResult): { reason: string; detail: string } {
  if (result.ok) throw new Error(`expected a rejection, the candidate was accepted:\n${result.code}`);
  return { reason: result.reason, detail: result.detail };
}

describe('matchIndentation', () => {
  it('re-indents a candidate to the original first line, keeping relative indentation and blank lines empty', () => {
    const original = '    def run(self):\n        return 1';
    expect(matchIndentation('def run(self):\n    x = 1\n\n    return x\n\n', original)).toBe('    def run(self):\n        x = 1\n\n        return x');
  });

  it('leaves a candidate already at the right indentation alone, but normalizes CRLF and trailing newlines', () => {
    expect(matchIndentation('  f() {\r\n    return 1;\r\n  }\r\n', '  f() {\n    return 0;\n  }')).toBe('  f() {\n    return 1;\n  }');
  });
});

describe('validateCandidate accepts', () => {
  it('a Python rewrite that parameterizes the query', async () => {
    const original = await functionIn(PY_FILE, 'python', 'app/users.py', 'find_user');
    expect(original.parameters).toEqual(['conn', 'email']);
    const result = await validatePython(PY_FIX);
    expect(result).toEqual({ ok: true, code: PY_FIX.trimEnd(), findings: [], imports: [] });
  });

  it('a C rewrite that bounds the copy', async () => {
    const original = await functionIn(C_FILE, 'c', 'src/name.c', 'set_name');
    expect(original.parameters).toEqual(['dst', 'src', 'len']);
    const result = await validateCandidate({ candidate: `${C_FIX}\n`, original, language: 'c', path: 'src/name.c' });
    expect(result).toEqual({ ok: true, code: C_FIX, findings: [], imports: [] });
  });

  it('a TypeScript class method returned without its class indentation, re-indented to sit in the class', async () => {
    const original = await functionIn(TS_FILE, 'typescript', 'src/repo.ts', 'findByEmail');
    expect(original.className).toBe('UserRepo');
    expect(original.code.startsWith('  async findByEmail(')).toBe(true);
    expect(matchIndentation(TS_FIX_UNINDENTED, original.code)).toBe(TS_FIX_IN_PLACE);
    const result = await validateCandidate({ candidate: TS_FIX_UNINDENTED, original, language: 'typescript', path: 'src/repo.ts' });
    expect(result).toEqual({ ok: true, code: TS_FIX_IN_PLACE, findings: [], imports: [] });
  });

  it('a JavaScript class method returned with its indentation (same bug as the TypeScript case)', async () => {
    const file = "export class Users {\n  find(email) {\n    return db.query(`SELECT * FROM users WHERE email = '${email}'`);\n  }\n}\n";
    const original = await functionIn(file, 'javascript', 'src/users.js', 'find');
    const candidate = "  find(email) {\n    return db.query('SELECT * FROM users WHERE email = ?', [email]);\n  }";
    const result = await validateCandidate({ candidate, original, language: 'javascript', path: 'src/users.js' });
    expect(result).toEqual({ ok: true, code: candidate, findings: [], imports: [] });
  });

  it('a Java method lifted out of its class', async () => {
    const file = 'class Users {\n    public String find(String email) {\n        return db.query("SELECT * FROM u WHERE e = \'" + email + "\'");\n    }\n}\n';
    const original = await functionIn(file, 'java', 'Users.java', 'find');
    const result = await validateCandidate({
      candidate: 'public String find(String email) {\n    return db.query("SELECT * FROM u WHERE e = ?", email);\n}\n',
      original,
      language: 'java',
      path: 'Users.java',
    });
    expect(result).toEqual({
      ok: true,
      code: '    public String find(String email) {\n        return db.query("SELECT * FROM u WHERE e = ?", email);\n    }',
      findings: [],
      imports: [],
    });
  });

  it('comments above the function are not extra code', async () => {
    const result = await validatePython(`# parameterized: the driver quotes email\n${PY_FIX}`);
    expect(result.ok).toBe(true);
  });

  it('an #include put before a C function is taken out of the code (it would land in the middle of the file) and reported', async () => {
    const original = (await extractFunctions(C_FILE, 'c', 'src/copy.c')).find((fn) => fn.parameters.length > 0)!;
    const result = await validateCandidate({ candidate: `#include <stdlib.h>\n${C_FIX}`, original, language: 'c', path: 'src/copy.c' });
    expect(result).toEqual({ ok: true, code: C_FIX, findings: [], imports: ['#include <stdlib.h>'] });
  });
});

describe('validateCandidate rejects', () => {
  it('a syntax error, saying where', async () => {
    const broken = PY_FIX.replace('(email,))', '(email,)');
    const { reason, detail } = rejection(await validatePython(broken));
    expect(reason).toBe('syntax-error');
    expect(detail).toMatch(/^line \d+, column \d+: /);
  });

  it('a C syntax error', async () => {
    const original = await functionIn(C_FILE, 'c', 'src/name.c', 'set_name');
    const result = await validateCandidate({ candidate: C_FIX.replace('if (len', 'if (len )'), original, language: 'c', path: 'src/name.c' });
    expect(rejection(result)).toEqual({ reason: 'syntax-error', detail: "line 2, column 15: unexpected '>= NAME_MAX)'" });
  });

  it('a renamed function', async () => {
    const { reason, detail } = rejection(await validatePython(PY_FIX.replace('def find_user', 'def find_user_safe')));
    expect(reason).toBe('different-function');
    expect(detail).toBe('no function named find_user');
  });

  it('changed parameters, naming both lists', async () => {
    const { reason, detail } = rejection(await validatePython(PY_FIX.replace('(conn, email)', '(conn, email, limit=1)')));
    expect(reason).toBe('different-function');
    expect(detail).toBe('parameters changed from (conn, email) to (conn, email, limit)');
  });

  it('a dropped C parameter', async () => {
    const original = await functionIn(C_FILE, 'c', 'src/name.c', 'set_name');
    const candidate = C_FIX.replace('void set_name(char *dst, const char *src, size_t len)', 'void set_name(char *dst, const char *src)').replace(
      /len/g,
      'strlen(src)',
    );
    const result = await validateCandidate({ candidate, original, language: 'c', path: 'src/name.c' });
    expect(rejection(result)).toEqual({ reason: 'different-function', detail: 'parameters changed from (dst, src, len) to (dst, src)' });
  });

  it('two definitions of the function', async () => {
    const { reason, detail } = rejection(await validatePython(`${PY_FIX}\n\n${PY_FIX}`));
    expect(reason).toBe('different-function');
    expect(detail).toBe('2 functions named find_user');
  });

  it('a second, helper function', async () => {
    const helper = 'def _quote(value):\n    return value.replace("\'", "\'\'")\n\n\n';
    const { reason, detail } = rejection(await validatePython(`${helper}${PY_FIX}`));
    expect(reason).toBe('extra-code');
    expect(detail).toBe('the reply adds other functions');
  });

  it('a chatty statement after the function', async () => {
    const { reason, detail } = rejection(await validatePython(`${PY_FIX}\nprint("pwned")\n`));
    expect(reason).toBe('extra-code');
    expect(detail).toBe('the reply adds code outside the function: print("pwned")');
  });

  it('top-level code before the function (an import there is allowed: the assignment is what is rejected)', async () => {
    const { reason, detail } = rejection(await validatePython(`import os\nos.environ["DEBUG"] = "1"\n${PY_FIX}`));
    expect(reason).toBe('extra-code');
    expect(detail).toBe('the reply adds code outside the function: os.environ["DEBUG"] = "1"');
  });

  it('a C global added after the function', async () => {
    const original = await functionIn(C_FILE, 'c', 'src/name.c', 'set_name');
    const result = await validateCandidate({ candidate: `${C_FIX}\nint debug_enabled = 1;\n`, original, language: 'c', path: 'src/name.c' });
    expect(rejection(result)).toEqual({ reason: 'extra-code', detail: 'the reply adds code outside the function: int debug_enabled = 1;' });
  });

  it('a whitespace-only change', async () => {
    const reformatted = PY_FILE.split('\n').slice(3).join('\n').replace('email = \'" + email + "\'"', 'email = \'"  +  email  +  "\'"');
    expect(reformatted).not.toBe(PY_FILE.split('\n').slice(3).join('\n'));
    const { reason, detail } = rejection(await validatePython(`${reformatted}\n\n`));
    expect(reason).toBe('unchanged');
    expect(detail).toBe('identical to the original apart from whitespace');
  });

  it('a reply far larger than the function', async () => {
    // The original has 4 lines: the limit is 4 * 3 + 20 = 32.
    const padding = Array.from({ length: 40 }, (_, i) => `    step_${i} = ${i}`).join('\n');
    const huge = PY_FIX.replace('    cur = conn.cursor()', `${padding}\n    cur = conn.cursor()`);
    const { reason, detail } = rejection(await validatePython(huge));
    expect(reason).toBe('too-large');
    expect(detail).toBe('44 lines where the original has 4 (limit 32)');
  });

  it('a tighter maxGrowth', async () => {
    const original = await functionIn(PY_FILE, 'python', 'app/users.py', 'find_user');
    const padding = Array.from({ length: 21 }, (_, i) => `    step_${i} = ${i}`).join('\n');
    const candidate = PY_FIX.replace('    cur = conn.cursor()', `${padding}\n    cur = conn.cursor()`);
    const result = await validateCandidate({ candidate, original, language: 'python', path: 'app/users.py', maxGrowth: 1 });
    expect(rejection(result)).toEqual({ reason: 'too-large', detail: '25 lines where the original has 4 (limit 24)' });
  });

  it('a bare signature without a body (a truncated reply), which Python cannot compile', async () => {
    // tree-sitter-python parses `def f(a, b):` at the end of the input with an empty block and no
    // ERROR node; Python itself refuses it.
    const result = await validatePython('def find_user(conn, email):\n');
    expect(result.ok ? 'accepted' : result.reason).toBe('syntax-error');
  });

  it('an empty reply', async () => {
    expect(rejection(await validatePython('\n\n'))).toEqual({ reason: 'no-code-block', detail: 'the reply holds no code' });
  });
});
