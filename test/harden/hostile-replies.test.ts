// Hostile and sloppy model replies against realistic originals (a Flask view, an Express handler,
// a NestJS controller method, a C function, a Spring controller method): each drill asserts the
// verdict, and for a rejection its reason and detail. The replies are read on the syntax tree by
// the real tree-sitter grammars, so a comment trick, a string holding code or a changed decorator
// is judged by what the code is, not by how its lines look.
import { describe, expect, it } from 'vitest';
import { extractFunctions } from '../../src/detect/functions.js';
import type { FunctionInfo } from '../../src/detect/types.js';
import type { Language } from '../../src/lang/languages.js';
import { validateCandidate, type ValidationResult } from '../../src/harden/validate.js';

const FLASK = `import sqlite3
from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/users/<email>", methods=["GET"])
@login_required
def user_by_email(email):
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM users WHERE email = '" + email + "'")
    return jsonify(cur.fetchone())


def load_rows(conn: Connection, table: str, limit: int = 100) -> list[Row]:
    return conn.execute(f"SELECT * FROM {table} LIMIT {limit}").fetchall()


def stream_rows(conn, name):
    for row in conn.execute("SELECT * FROM t WHERE name = '%s'" % name):
        yield row
`;

const VIEW_FIX = `@app.route("/users/<email>", methods=["GET"])
@login_required
def user_by_email(email):
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM users WHERE email = ?", (email,))
    return jsonify(cur.fetchone())`;

/** The view's fix without its two decorator lines. */
const VIEW_BODY_FIX = VIEW_FIX.split('\n').slice(2).join('\n');

const LOAD_FIX = `def load_rows(conn: Connection, table: str, limit: int = 100) -> list[Row]:
    if table not in ALLOWED_TABLES:
        raise ValueError(table)
    return conn.execute(f"SELECT * FROM {table} LIMIT ?", (limit,)).fetchall()`;

const STREAM_FIX = `def stream_rows(conn, name):
    for row in conn.execute("SELECT * FROM t WHERE name = ?", (name,)):
        yield row`;

const EXPRESS = `const express = require('express');
const { execFile, exec } = require('child_process');
const app = express();

app.get('/ping', requireAuth, (req, res) => {
  exec('ping -c 1 ' + req.query.host, (err, out) => res.send(out));
});

async function findUser(db, email) {
  return db.query(\`SELECT * FROM users WHERE email = '\${email}'\`);
}

function* userRows(db, name) {
  yield* db.rows(\`SELECT * FROM users WHERE name = '\${name}'\`);
}

module.exports = { app, findUser, userRows };
`;

const PING_FIX = `app.get('/ping', requireAuth, (req, res) => {
  execFile('ping', ['-c', '1', String(req.query.host)], (err, out) => res.send(out));
});`;

const FIND_FIX = `async function findUser(db, email) {
  return db.query('SELECT * FROM users WHERE email = ?', [email]);
}`;

const NEST = `import { Controller, Get, Param, UseGuards } from '@nestjs/common';

@Controller('users')
export class UserController {
  constructor(private readonly db: Db) {}

  @Get(':email')
  @UseGuards(AuthGuard)
  async find(@Param('email') email: string): Promise<User | undefined> {
    return this.db.query(\`SELECT * FROM users WHERE email = '\${email}'\`);
  }
}

export function greeting(name: string): string {
  return '<b>' + name + '</b>';
}
`;

/** What a chat model returns for the method: at column 0, without its class. */
const NEST_FIX = `@Get(':email')
@UseGuards(AuthGuard)
async find(@Param('email') email: string): Promise<User | undefined> {
  return this.db.query('SELECT * FROM users WHERE email = $1', [email]);
}`;

const GREETING_FIX = `export function greeting(name: string): string {
  return '<b>' + escapeHtml(name) + '</b>';
}`;

const C_FILE = `#include <string.h>

static int copy_name(char *dst, size_t cap, const char *src) {
    strcpy(dst, src);
    return 0;
}
`;

const C_FIX = `static int copy_name(char *dst, size_t cap, const char *src) {
    if (strlen(src) >= cap) return -1;
    strcpy(dst, src);
    return 0;
}`;

const SPRING = `package com.example.admin;

import java.util.List;

@RestController
public class AdminController {
    @PreAuthorize("hasRole('ADMIN')")
    @GetMapping("/admin/users")
    public List<User> users(@RequestParam String name) {
        return jdbc.query("SELECT * FROM users WHERE name = '" + name + "'", mapper);
    }
}
`;

/** Lifted out of its class, at column 0, as chat models return it. */
const SPRING_FIX = `@PreAuthorize("hasRole('ADMIN')")
@GetMapping("/admin/users")
public List<User> users(@RequestParam String name) {
    return jdbc.query("SELECT * FROM users WHERE name = ?", mapper, name);
}`;

const SPRING_BODY_FIX = SPRING_FIX.split('\n').slice(2).join('\n');

interface Fixture {
  file: string;
  language: Language;
  path: string;
}

const FIXTURES = {
  flask: { file: FLASK, language: 'python', path: 'app/views.py' },
  express: { file: EXPRESS, language: 'javascript', path: 'server/app.js' },
  nest: { file: NEST, language: 'typescript', path: 'src/users.controller.ts' },
  c: { file: C_FILE, language: 'c', path: 'src/name.c' },
  spring: { file: SPRING, language: 'java', path: 'src/main/java/com/example/admin/AdminController.java' },
} satisfies Record<string, Fixture>;

async function originalIn(fixture: Fixture, name: string): Promise<FunctionInfo> {
  const found = (await extractFunctions(fixture.file, fixture.language, fixture.path)).find((fn) => fn.name === name);
  if (!found) throw new Error(`fixture has no function ${name}`);
  return found;
}

async function check(fixture: Fixture, name: string, candidate: string): Promise<ValidationResult> {
  const original = await originalIn(fixture, name);
  return validateCandidate({ candidate, original, language: fixture.language, path: fixture.path });
}

/** `{ reason, detail }` of a rejection, or `accepted` (so a failing drill shows what was accepted). */
function verdict(result: ValidationResult): { reason: string; detail: string } | string {
  return result.ok ? `accepted:\n${result.code}` : { reason: result.reason, detail: result.detail };
}

function accepted(result: ValidationResult): { code: string; imports: string[] } {
  if (!result.ok) throw new Error(`expected the reply to be accepted, it was rejected: ${result.reason}: ${result.detail}`);
  return { code: result.code, imports: result.imports };
}

const view = (candidate: string) => check(FIXTURES.flask, 'user_by_email', candidate);
const ping = (candidate: string) => check(FIXTURES.express, 'app.get callback', candidate);
const findUser = (candidate: string) => check(FIXTURES.express, 'findUser', candidate);
const nest = (candidate: string) => check(FIXTURES.nest, 'find', candidate);
const copyName = (candidate: string) => check(FIXTURES.c, 'copy_name', candidate);
const spring = (candidate: string) => check(FIXTURES.spring, 'users', candidate);

describe('Python: a Flask view behind @app.route and @login_required', () => {
  it('accepts the fix with its decorators', async () => {
    expect(accepted(await view(VIEW_FIX))).toEqual({ code: VIEW_FIX, imports: [] });
  });

  it('a reply without any decorator keeps the original ones, verbatim above the function', async () => {
    expect(accepted(await view(VIEW_BODY_FIX))).toEqual({ code: VIEW_FIX, imports: [] });
  });

  it('a reply without decorators and with a comment above the function: the decorators go back right above the def', async () => {
    const { code } = accepted(await view(`# parameterized query\n${VIEW_BODY_FIX}`));
    expect(code).toBe(`# parameterized query\n${VIEW_FIX}`);
  });

  it('rejects dropping one of the two decorators (@login_required)', async () => {
    const reply = VIEW_FIX.replace('@login_required\n', '');
    expect(verdict(await view(reply))).toEqual({ reason: 'frame-changed', detail: 'decorator @login_required dropped' });
  });

  it('rejects an added decorator', async () => {
    const reply = `@csrf.exempt\n${VIEW_FIX}`;
    expect(verdict(await view(reply))).toEqual({ reason: 'frame-changed', detail: 'decorator @csrf.exempt added' });
  });

  it("rejects changed decorator arguments (the route's methods)", async () => {
    const reply = VIEW_FIX.replace('methods=["GET"]', 'methods=["GET", "POST"]');
    expect(verdict(await view(reply))).toEqual({
      reason: 'frame-changed',
      detail: 'decorator @app.route("/users/<email>", methods=["GET"]) changed to @app.route("/users/<email>", methods=["GET", "POST"])',
    });
  });

  it('rejects reordered decorators (login_required would wrap the route registration, not the view)', async () => {
    const reply = VIEW_FIX.replace(
      '@app.route("/users/<email>", methods=["GET"])\n@login_required',
      '@login_required\n@app.route("/users/<email>", methods=["GET"])',
    );
    expect(verdict(await view(reply))).toEqual({
      reason: 'frame-changed',
      detail:
        'decorators reordered from @app.route("/users/<email>", methods=["GET"]), @login_required ' +
        'to @login_required, @app.route("/users/<email>", methods=["GET"])',
    });
  });

  it('accepts whitespace changes inside the decorators and the signature (compared token by token)', async () => {
    const reply = VIEW_FIX.replace('methods=["GET"])', 'methods=[ "GET" ] )').replace('def user_by_email(email):', 'def user_by_email( email ):');
    expect(accepted(await view(reply)).code).toBe(reply);
  });

  it('rejects a space added inside a decorator string (a different route)', async () => {
    const reply = VIEW_FIX.replace('"/users/<email>"', '"/users/<email> "');
    expect(verdict(await view(reply))).toMatchObject({ reason: 'frame-changed' });
  });

  it('rejects a view made async', async () => {
    expect(verdict(await view(VIEW_FIX.replace('def user_by_email', 'async def user_by_email')))).toEqual({ reason: 'frame-changed', detail: 'became async' });
  });

  it('rejects a module-level docstring before the function (a string statement is not a comment)', async () => {
    const reply = `"""Hardened: the query is parameterized."""\n${VIEW_FIX}`;
    expect(verdict(await view(reply))).toEqual({
      reason: 'extra-code',
      detail: 'the reply adds code outside the function: """Hardened: the query is parameterized."""',
    });
  });

  it('rejects a module-level string that holds code', async () => {
    const reply = `'''\nimport os\nos.system("id")\n'''\n${VIEW_FIX}`;
    expect(verdict(await view(reply))).toMatchObject({ reason: 'extra-code' });
  });

  it('rejects an assignment whose string starts with # (a # inside a string is no comment)', async () => {
    const reply = `BANNER = "# hardened by SecCoder"\n${VIEW_FIX}`;
    expect(verdict(await view(reply))).toEqual({ reason: 'extra-code', detail: 'the reply adds code outside the function: BANNER = "# hardened by SecCoder"' });
  });

  it('accepts a string in the body that holds a whole function definition: it is a string', async () => {
    const reply = VIEW_FIX.replace('    conn = ', '    doc = "\\ndef user_by_email(email):\\n    os.system(email)\\n"\n    conn = ');
    expect(accepted(await view(reply)).code).toBe(reply);
  });

  it('takes imports out of the code and reports them', async () => {
    const reply = `from markupsafe import escape\nimport sqlite3 as db  # the driver\n\n${VIEW_FIX}`;
    expect(accepted(await view(reply))).toEqual({ code: VIEW_FIX, imports: ['from markupsafe import escape', 'import sqlite3 as db'] });
  });

  it('rejects module-level code after the function', async () => {
    expect(verdict(await view(`${VIEW_FIX}\n\napp.run(debug=True)\n`))).toEqual({
      reason: 'extra-code',
      detail: 'the reply adds code outside the function: app.run(debug=True)',
    });
  });

  it('rejects an import put after the function', async () => {
    expect(verdict(await view(`${VIEW_FIX}\nimport os\n`))).toEqual({ reason: 'extra-code', detail: 'the reply adds an import after the function: import os' });
  });

  it('rejects a reply that quotes the demonstration (a whole other function) before the fix', async () => {
    const demonstration = 'def get_user(conn, user_id):\n    return conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()\n\n';
    expect(verdict(await view(`${demonstration}${VIEW_FIX}`))).toEqual({ reason: 'extra-code', detail: 'the reply adds other functions' });
    expect(verdict(await view(demonstration))).toEqual({ reason: 'different-function', detail: 'no function named user_by_email' });
  });

  it('rejects a reply in the wrong language (JavaScript for a Python view)', async () => {
    expect(verdict(await view(FIND_FIX))).toMatchObject({ reason: 'syntax-error' });
  });

  it('rejects a huge reply without parsing it', async () => {
    const padding = Array.from({ length: 500 }, (_, i) => `    step_${i} = ${i}`).join('\n');
    const result = await view(VIEW_FIX.replace('    conn = ', `${padding}\n    conn = `));
    expect(verdict(result)).toEqual({ reason: 'too-large', detail: '507 lines where the original has 7 (limit 41)' });
  });
});

describe('Python: parameters, annotations, return type, generators', () => {
  const load = (candidate: string) => check(FIXTURES.flask, 'load_rows', candidate);
  const stream = (candidate: string) => check(FIXTURES.flask, 'stream_rows', candidate);

  it('accepts the fix with the same frame', async () => {
    expect(accepted(await load(LOAD_FIX)).code).toBe(LOAD_FIX);
  });

  it('rejects a changed default', async () => {
    const reply = LOAD_FIX.replace('limit: int = 100', 'limit: int = 10_000');
    expect(verdict(await load(reply))).toEqual({ reason: 'frame-changed', detail: 'parameter limit: int = 100 changed to limit: int = 10_000' });
  });

  it('rejects a changed type annotation', async () => {
    const reply = LOAD_FIX.replace('table: str', 'table: Any');
    expect(verdict(await load(reply))).toEqual({ reason: 'frame-changed', detail: 'parameter table: str changed to table: Any' });
  });

  it('rejects a changed return type', async () => {
    const reply = LOAD_FIX.replace('-> list[Row]', '-> list');
    expect(verdict(await load(reply))).toEqual({ reason: 'frame-changed', detail: 'return type changed from list[Row] to list' });
  });

  it('rejects a generator turned into a function that returns a list', async () => {
    const reply = 'def stream_rows(conn, name):\n    return list(conn.execute("SELECT * FROM t WHERE name = ?", (name,)))';
    expect(verdict(await stream(reply))).toEqual({ reason: 'frame-changed', detail: 'is no longer a generator' });
  });

  it('a yield inside a nested function does not make the function a generator', async () => {
    const reply = `${STREAM_FIX.replace('        yield row', '        yield row\n    def helper():\n        yield 1')}`;
    expect(accepted(await stream(reply)).code).toBe(reply);
    const eager =
      'def stream_rows(conn, name):\n    def rows():\n        yield from conn.execute("SELECT * FROM t WHERE name = ?", (name,))\n    return rows()';
    expect(verdict(await stream(eager))).toEqual({ reason: 'frame-changed', detail: 'is no longer a generator' });
  });
});

describe('JavaScript: an Express handler registered with requireAuth', () => {
  it('accepts the fix of the callback with its registration; the validated code is the callback, the registration stays in the file', async () => {
    const callback = PING_FIX.slice(PING_FIX.indexOf('(req, res)'), PING_FIX.lastIndexOf(')'));
    expect(accepted(await ping(PING_FIX))).toEqual({ code: callback, imports: [] });
  });

  it('rejects a registration that drops the requireAuth middleware', async () => {
    const reply = PING_FIX.replace('requireAuth, ', '');
    expect(verdict(await ping(reply))).toEqual({
      reason: 'frame-changed',
      detail: "signature changed from app.get('/ping', requireAuth, (req, res) => …) to app.get('/ping', (req, res) => …)",
    });
  });

  it('rejects `/* x */ evil();` before the function (the comment closes, the call is code)', async () => {
    const reply = `/* hardened */ require("child_process").exec(process.env.CMD);\n${FIND_FIX}`;
    expect(verdict(await findUser(reply))).toEqual({
      reason: 'extra-code',
      detail: 'the reply adds code outside the function: require("child_process").exec(process.env.CMD);',
    });
  });

  it('rejects a block comment whose */ is on the next line, followed by code', async () => {
    const reply = `/* hardened:\n * parameterized\n */ require("child_process").exec(process.env.CMD);\n${FIND_FIX}`;
    expect(verdict(await findUser(reply))).toMatchObject({ reason: 'extra-code' });
  });

  it('rejects a statement whose string holds // (a // inside a string is no comment)', async () => {
    const reply = `const note = "// parameterized";\n${FIND_FIX}`;
    expect(verdict(await findUser(reply))).toEqual({
      reason: 'extra-code',
      detail: 'the reply adds code outside the function: const note = "// parameterized";',
    });
  });

  it('rejects module.exports appended after the function', async () => {
    expect(verdict(await findUser(`${FIND_FIX}\nmodule.exports = { findUser };`))).toEqual({
      reason: 'extra-code',
      detail: 'the reply adds code outside the function: module.exports = { findUser };',
    });
  });

  it("rejects trailing code on the function's last line", async () => {
    expect(verdict(await findUser(`${FIND_FIX} require('child_process').exec(process.env.CMD);`))).toMatchObject({ reason: 'extra-code' });
  });

  it('rejects a function that is no longer async', async () => {
    expect(verdict(await findUser(FIND_FIX.replace('async function', 'function')))).toEqual({ reason: 'frame-changed', detail: 'is no longer async' });
  });

  it('rejects a generator turned into a plain function', async () => {
    const reply = "function userRows(db, name) {\n  return db.rows('SELECT * FROM users WHERE name = ?', [name]);\n}";
    expect(verdict(await check(FIXTURES.express, 'userRows', reply))).toEqual({ reason: 'frame-changed', detail: 'is no longer a generator' });
  });

  it('rejects a changed parameter default', async () => {
    const reply = FIND_FIX.replace('(db, email)', '(db = globalDb, email)');
    expect(verdict(await findUser(reply))).toEqual({ reason: 'frame-changed', detail: 'parameter db changed to db = globalDb' });
  });

  it('rejects a second function', async () => {
    const helper = "function escape(value) {\n  return String(value).replace(/'/g, \"''\");\n}\n";
    expect(verdict(await findUser(`${helper}${FIND_FIX}`))).toEqual({ reason: 'extra-code', detail: 'the reply adds other functions' });
  });
});

describe('TypeScript: a NestJS controller method behind @Get and @UseGuards', () => {
  const method = (code: string) =>
    code
      .split('\n')
      .map((line) => (line ? `  ${line}` : line))
      .join('\n');

  it('accepts the method lifted out of its class, re-indented', async () => {
    expect(accepted(await nest(NEST_FIX))).toEqual({ code: method(NEST_FIX), imports: [] });
  });

  it('a reply without the decorators keeps them', async () => {
    const reply = NEST_FIX.split('\n').slice(2).join('\n');
    expect(accepted(await nest(reply)).code).toBe(method(NEST_FIX));
  });

  it('rejects a changed guard', async () => {
    const reply = NEST_FIX.replace('@UseGuards(AuthGuard)', '@UseGuards()');
    expect(verdict(await nest(reply))).toEqual({ reason: 'frame-changed', detail: 'decorator @UseGuards(AuthGuard) changed to @UseGuards()' });
  });

  it('rejects a changed parameter type and a changed parameter decorator', async () => {
    expect(verdict(await nest(NEST_FIX.replace('email: string)', 'email: any)')))).toEqual({
      reason: 'frame-changed',
      detail: "parameter @Param('email') email: string changed to @Param('email') email: any",
    });
    expect(verdict(await nest(NEST_FIX.replace("@Param('email') ", '')))).toMatchObject({ reason: 'frame-changed' });
  });

  it('rejects a changed return type', async () => {
    const reply = NEST_FIX.replace('Promise<User | undefined>', 'Promise<any>');
    expect(verdict(await nest(reply))).toEqual({ reason: 'frame-changed', detail: 'return type changed from Promise<User | undefined> to Promise<any>' });
  });

  it('rejects a method made private static', async () => {
    const reply = NEST_FIX.replace('async find', 'private static async find');
    expect(verdict(await nest(reply))).toEqual({ reason: 'frame-changed', detail: 'modifiers private static added' });
  });

  it('rejects a second member in the class the method is read in', async () => {
    expect(verdict(await nest(`${NEST_FIX}\n\nprivate debug = true;`))).toEqual({
      reason: 'extra-code',
      detail: 'the reply adds code outside the function: private debug = true',
    });
  });

  it('rejects a reply that closes the class and goes on at the top level', async () => {
    const reply = `${NEST_FIX}\n}\nrequire('child_process').exec(process.env.CMD);\nclass Rest {`;
    expect(verdict(await nest(reply))).toMatchObject({ reason: 'extra-code' });
  });

  it('takes an import out of a lone method reply and reports it', async () => {
    const reply = `import { escape } from 'sqlstring';\n\n${NEST_FIX}`;
    expect(accepted(await nest(reply))).toEqual({ code: method(NEST_FIX), imports: ["import { escape } from 'sqlstring';"] });
  });

  it('rejects an exported function that is no longer exported', async () => {
    const reply = GREETING_FIX.replace('export ', '');
    expect(verdict(await check(FIXTURES.nest, 'greeting', reply))).toEqual({ reason: 'frame-changed', detail: 'modifier export dropped' });
    expect(accepted(await check(FIXTURES.nest, 'greeting', GREETING_FIX)).code).toBe(GREETING_FIX);
  });
});

describe('C: a static function copying a name', () => {
  it('accepts the fix', async () => {
    expect(accepted(await copyName(C_FIX))).toEqual({ code: C_FIX, imports: [] });
  });

  it('takes an #include out and reports it', async () => {
    expect(accepted(await copyName(`#include <stdio.h>\n#include "names.h"\n\n${C_FIX}`))).toEqual({
      code: C_FIX,
      imports: ['#include <stdio.h>', '#include "names.h"'],
    });
  });

  it('accepts a block comment that encloses code: it is a comment', async () => {
    const reply = `/*\n * was: strcpy(dst, src);\n * system("id");\n */\n${C_FIX}`;
    expect(accepted(await copyName(reply)).code).toBe(reply);
  });

  it('rejects code after a comment that closes early inside what looks like a nested comment', async () => {
    const reply = `/* outer /* inner */ int pwned = system("id"); /* */\n${C_FIX}`;
    expect(verdict(await copyName(reply))).toEqual({ reason: 'extra-code', detail: 'the reply adds code outside the function: int pwned = system("id");' });
  });

  it('rejects an added attribute that would run the function at load time', async () => {
    expect(verdict(await copyName(`__attribute__((constructor)) ${C_FIX}`))).toEqual({
      reason: 'frame-changed',
      detail: 'attribute __attribute__((constructor)) added',
    });
  });

  it('rejects a #define before the function', async () => {
    expect(verdict(await copyName(`#define strcpy(d, s) strncpy(d, s, 64)\n${C_FIX}`))).toMatchObject({ reason: 'extra-code' });
  });

  it('rejects a function that is no longer static', async () => {
    expect(verdict(await copyName(C_FIX.replace('static ', '')))).toEqual({ reason: 'frame-changed', detail: 'modifier static dropped' });
  });

  it('rejects a changed return type', async () => {
    expect(verdict(await copyName(C_FIX.replace('static int', 'static long')))).toEqual({
      reason: 'frame-changed',
      detail: 'return type changed from int to long',
    });
  });

  it('rejects a changed parameter type, and accepts the same type spaced differently', async () => {
    expect(verdict(await copyName(C_FIX.replace('size_t cap', 'int cap')))).toEqual({
      reason: 'frame-changed',
      detail: 'parameter size_t cap changed to int cap',
    });
    const spaced = C_FIX.replace('char *dst', 'char* dst');
    expect(accepted(await copyName(spaced)).code).toBe(spaced);
  });

  it('rejects a global after the function', async () => {
    expect(verdict(await copyName(`${C_FIX}\nint (*hook)(const char *) = 0;`))).toMatchObject({ reason: 'extra-code' });
  });
});

describe('Java: a Spring controller method behind @PreAuthorize', () => {
  const inClass = (code: string) =>
    code
      .split('\n')
      .map((line) => (line ? `    ${line}` : line))
      .join('\n');

  it('accepts the fix lifted out of its class, re-indented', async () => {
    expect(accepted(await spring(SPRING_FIX))).toEqual({ code: inClass(SPRING_FIX), imports: [] });
  });

  it('a reply without any annotation keeps the original ones', async () => {
    expect(accepted(await spring(SPRING_BODY_FIX)).code).toBe(inClass(SPRING_FIX));
  });

  it('rejects @PreAuthorize removed', async () => {
    const reply = SPRING_FIX.replace(`@PreAuthorize("hasRole('ADMIN')")\n`, '');
    expect(verdict(await spring(reply))).toEqual({ reason: 'frame-changed', detail: `annotation @PreAuthorize("hasRole('ADMIN')") dropped` });
  });

  it('rejects @PreAuthorize changed', async () => {
    const reply = SPRING_FIX.replace(`hasRole('ADMIN')`, `hasRole('USER')`);
    expect(verdict(await spring(reply))).toEqual({
      reason: 'frame-changed',
      detail: `annotation @PreAuthorize("hasRole('ADMIN')") changed to @PreAuthorize("hasRole('USER')")`,
    });
  });

  it('rejects a changed visibility', async () => {
    const reply = SPRING_FIX.replace('public List', 'private List');
    expect(verdict(await spring(reply))).toEqual({ reason: 'frame-changed', detail: 'modifiers changed from public to private' });
  });

  it('rejects a method made static', async () => {
    expect(verdict(await spring(SPRING_FIX.replace('public List', 'public static List')))).toEqual({
      reason: 'frame-changed',
      detail: 'modifier static added',
    });
  });

  it('rejects a changed return type', async () => {
    const reply = SPRING_FIX.replace('public List<User>', 'public Object');
    expect(verdict(await spring(reply))).toEqual({ reason: 'frame-changed', detail: 'return type changed from List<User> to Object' });
  });

  it('rejects an added throws clause', async () => {
    const reply = SPRING_FIX.replace('String name) {', 'String name) throws SQLException {');
    expect(verdict(await spring(reply))).toEqual({
      reason: 'frame-changed',
      detail:
        'signature changed from public List<User> users(@RequestParam String name) … ' +
        'to public List<User> users(@RequestParam String name) throws SQLException …',
    });
  });

  it('rejects a parameter that lost its @RequestParam', async () => {
    const reply = SPRING_FIX.replace('@RequestParam String name', 'String name');
    expect(verdict(await spring(reply))).toEqual({ reason: 'frame-changed', detail: 'parameter @RequestParam String name changed to String name' });
  });

  it('takes an import out and reports it; rejects a package declaration', async () => {
    expect(accepted(await spring(`import java.util.Objects;\n\n${SPRING_FIX}`)).imports).toEqual(['import java.util.Objects;']);
    expect(verdict(await spring(`package com.evil;\n\n${SPRING_FIX}`))).toEqual({
      reason: 'extra-code',
      detail: 'the reply adds code outside the function: package com.evil;',
    });
  });

  it('rejects a field added after the method', async () => {
    const reply = `${SPRING_FIX}\n\nprivate static final Runtime RT = Runtime.getRuntime();`;
    expect(verdict(await spring(reply))).toMatchObject({ reason: 'extra-code' });
  });

  it('rejects a reply in the wrong language (Python for a Java method)', async () => {
    expect(verdict(await spring(VIEW_FIX))).toMatchObject({ reason: 'syntax-error' });
  });
});

describe('sloppy but harmless replies', () => {
  it('JavaScript: an exported arrow function without its trailing semicolon', async () => {
    const file = 'export const handler = async (req, res) => {\n  res.send(eval(req.body));\n};\n';
    const fixture = { file, language: 'javascript', path: 'api/handler.js' } satisfies Fixture;
    const reply = 'export const handler = async (req, res) => {\n  res.send(JSON.parse(req.body));\n}';
    expect(accepted(await check(fixture, 'handler', reply)).code).toBe(reply);
    expect(verdict(await check(fixture, 'handler', reply.replace('export const', 'export let')))).toEqual({
      reason: 'frame-changed',
      detail: 'modifiers changed from const export to export let',
    });
  });

  it('JavaScript: a class method with its brace on the next line (it parses at the top level as a call and a block)', async () => {
    const file = 'class Users {\n  find(email) {\n    return db.query("SELECT * FROM u WHERE e = \'" + email + "\'");\n  }\n}\n';
    const fixture = { file, language: 'javascript', path: 'users.js' } satisfies Fixture;
    const reply = 'find(email)\n{\n  return db.query("SELECT * FROM u WHERE e = ?", [email]);\n}';
    expect(accepted(await check(fixture, 'find', reply)).code).toBe('  find(email)\n  {\n    return db.query("SELECT * FROM u WHERE e = ?", [email]);\n  }');
  });
});

describe('other languages: name, parameters and modifiers at least', () => {
  const GO =
    'package main\n\nfunc (s *Server) Run(w http.ResponseWriter, r *http.Request) error {\n\treturn exec.Command("sh", "-c", r.FormValue("cmd")).Run()\n}\n';
  const go = { file: GO, language: 'go', path: 'server.go' } satisfies Fixture;
  const GO_FIX = 'func (s *Server) Run(w http.ResponseWriter, r *http.Request) error {\n\treturn exec.Command("ls", "--", r.FormValue("dir")).Run()\n}';

  it('Go: an import is reported, a package clause is extra code, a changed receiver is a changed frame', async () => {
    expect(accepted(await check(go, 'Run', `import "os/exec"\n\n${GO_FIX}`))).toEqual({ code: GO_FIX, imports: ['import "os/exec"'] });
    expect(verdict(await check(go, 'Run', `package main\n\n${GO_FIX}`))).toEqual({
      reason: 'extra-code',
      detail: 'the reply adds code outside the function: package main',
    });
    expect(verdict(await check(go, 'Run', GO_FIX.replace('(s *Server)', '(s Server)')))).toMatchObject({ reason: 'frame-changed' });
  });

  it('C++: a const method that loses its const, an attribute that would run code at load time', async () => {
    const file = 'class Session {\n public:\n  std::string token(int n) const {\n    return std::string(buf_, n);\n  }\n};\n';
    const fixture = { file, language: 'cpp', path: 'session.cpp' } satisfies Fixture;
    const fix = 'std::string token(int n) const {\n  return std::string(buf_, std::min<size_t>(n, len_));\n}';
    expect(accepted(await check(fixture, 'token', fix)).code).toBe(fix.replace(/^/gm, '  '));
    expect(verdict(await check(fixture, 'token', fix.replace(') const {', ') {')))).toEqual({ reason: 'frame-changed', detail: 'modifier const dropped' });
    expect(verdict(await check(fixture, 'token', `[[gnu::constructor]] ${fix}`))).toEqual({
      reason: 'frame-changed',
      detail: 'attribute [[gnu::constructor]] added',
    });
  });

  it('Ruby: a class method turned into an instance method', async () => {
    const file = 'class User\n  def self.find(id)\n    where("id = #{id}").first\n  end\nend\n';
    const fixture = { file, language: 'ruby', path: 'user.rb' } satisfies Fixture;
    const fix = 'def self.find(id)\n  where(id: id).first\nend';
    expect(accepted(await check(fixture, 'find', fix)).code).toBe('  def self.find(id)\n    where(id: id).first\n  end');
    expect(verdict(await check(fixture, 'find', fix.replace('self.', '')))).toMatchObject({ reason: 'frame-changed' });
  });
});
