import { describe, expect, it } from 'vitest';
import { analyzeSource, enclosingFunction, extractFileContext, extractFunctions } from '../../src/detect/functions.js';
import type { FunctionInfo } from '../../src/detect/types.js';

/** name → the function, failing the test when it is missing or ambiguous. */
function byName(functions: FunctionInfo[], name: string): FunctionInfo {
  const matches = functions.filter((fn) => fn.name === name);
  expect(
    matches.map((fn) => fn.name),
    `functions named ${name}`,
  ).toEqual([name]);
  return matches[0] as FunctionInfo;
}

function lines(code: string, start: number, end: number): string {
  return code
    .split('\n')
    .slice(start - 1, end)
    .join('\n');
}

describe('extractFunctions: Python', () => {
  const code = [
    'import os',
    'from flask import Flask, request',
    '',
    '@app.route("/files")',
    '@login_required',
    'def read_file(name: str, mode="r", *args, **kwargs) -> str:',
    '    def safe(path):',
    '        return os.path.basename(path)',
    '    with open(safe(name), mode) as f:',
    '        return f.read()',
    '',
    '',
    'class Store(Base):',
    '    @classmethod',
    '    def create(cls, url):',
    '        return cls(url)',
    '',
    '    async def fetch(self, key, /, *, timeout=3):',
    '        return await self.client.get(key)',
    '',
  ].join('\n');

  it('finds decorated, nested and class functions with exact line ranges and text', async () => {
    const functions = await extractFunctions(code, 'python', 'app/files.py');
    expect(functions.map((fn) => [fn.name, fn.className, fn.startLine, fn.endLine])).toEqual([
      ['read_file', undefined, 4, 10],
      ['safe', undefined, 7, 8],
      ['create', 'Store', 14, 16],
      ['fetch', 'Store', 18, 19],
    ]);
    const readFile = byName(functions, 'read_file');
    expect(readFile.code).toBe(lines(code, 4, 10));
    expect(readFile.code.startsWith('@app.route("/files")\n@login_required\ndef read_file')).toBe(true);
    expect(byName(functions, 'safe').code).toBe('    def safe(path):\n        return os.path.basename(path)');
  });

  it('reads parameter names without types, defaults or stars, keeping self and cls', async () => {
    const functions = await extractFunctions(code, 'python');
    expect(byName(functions, 'read_file').parameters).toEqual(['name', 'mode', 'args', 'kwargs']);
    expect(byName(functions, 'create').parameters).toEqual(['cls', 'url']);
    expect(byName(functions, 'fetch').parameters).toEqual(['self', 'key', 'timeout']);
  });

  it('gives the signature up to the body, decorators included', async () => {
    const functions = await extractFunctions(code, 'python');
    expect(byName(functions, 'read_file').signature).toBe('@app.route("/files")\n@login_required\ndef read_file(name: str, mode="r", *args, **kwargs) -> str:');
    expect(byName(functions, 'safe').signature).toBe('def safe(path):');
    expect(byName(functions, 'fetch').signature).toBe('async def fetch(self, key, /, *, timeout=3):');
  });

  it('collects file-level imports, including ones inside try blocks, but not local ones', async () => {
    const withTry = `${code}\ntry:\n    import ujson as json\nexcept ImportError:\n    import json\n\ndef f():\n    import secret\n`;
    expect(await extractFileContext(withTry, 'python')).toBe('import os\nfrom flask import Flask, request\nimport ujson as json\nimport json');
  });
});

describe('extractFunctions: C and C++', () => {
  it('reads C definitions, pointer parameters and variadics, skipping prototypes', async () => {
    const code = [
      '#include <stdio.h>',
      '#include "buffer.h"',
      '',
      'int log_msg(const char *fmt, ...);',
      '',
      'static char *copy_name(char *buf, const char **argv, int n[], size_t len)',
      '{',
      '    strncpy(buf, argv[0], len - 1);',
      '    return buf;',
      '}',
      '',
      'int log_msg(const char *fmt, ...) { return 0; }',
      'void reset(void) {}',
    ].join('\n');
    const functions = await extractFunctions(code, 'c', 'src/name.c');
    expect(functions.map((fn) => [fn.name, fn.startLine, fn.endLine])).toEqual([
      ['copy_name', 6, 10],
      ['log_msg', 12, 12],
      ['reset', 13, 13],
    ]);
    const copy = byName(functions, 'copy_name');
    expect(copy.parameters).toEqual(['buf', 'argv', 'n', 'len']);
    expect(copy.signature).toBe('static char *copy_name(char *buf, const char **argv, int n[], size_t len)');
    expect(byName(functions, 'log_msg').parameters).toEqual(['fmt', '...']);
    expect(byName(functions, 'reset').parameters).toEqual([]);
    expect(await extractFileContext(code, 'c')).toBe('#include <stdio.h>\n#include "buffer.h"');
  });

  it('finds in-class methods, constructors and out-of-class A::b definitions with their class', async () => {
    const code = [
      '#include <string>',
      'namespace net {',
      'class Session {',
      ' public:',
      '  explicit Session(int fd) : fd_(fd) {}',
      '  std::string token(const std::string &key, int ttl = 60) const {',
      '    return key;',
      '  }',
      '  bool read(char *buf, size_t n);',
      ' private:',
      '  int fd_;',
      '};',
      '}',
      '',
      'bool net::Session::read(char *buf, size_t n) {',
      '  return ::read(fd_, buf, n) > 0;',
      '}',
      '',
      'template <typename T>',
      'T clamp(T v, T&& hi) { return v < hi ? v : hi; }',
    ].join('\n');
    const functions = await extractFunctions(code, 'cpp', 'src/session.cc');
    expect(functions.map((fn) => [fn.name, fn.className, fn.startLine, fn.endLine])).toEqual([
      ['Session', 'Session', 5, 5],
      ['token', 'Session', 6, 8],
      ['read', 'Session', 15, 17],
      ['clamp', undefined, 19, 20],
    ]);
    expect(byName(functions, 'token').parameters).toEqual(['key', 'ttl']);
    expect(byName(functions, 'read').signature).toBe('bool net::Session::read(char *buf, size_t n)');
    expect(byName(functions, 'read').parameters).toEqual(['buf', 'n']);
    expect(byName(functions, 'Session').signature).toBe('explicit Session(int fd) : fd_(fd)');
    // The template header belongs to the function a rewrite must keep.
    expect(byName(functions, 'clamp').code).toBe('template <typename T>\nT clamp(T v, T&& hi) { return v < hi ? v : hi; }');
    expect(byName(functions, 'clamp').parameters).toEqual(['v', 'hi']);
  });
});

describe('extractFunctions: JavaScript and TypeScript', () => {
  it('finds declarations, named arrow and function expressions, methods and top-level route callbacks', async () => {
    const code = [
      "const express = require('express');",
      "import { exec } from 'node:child_process';",
      '',
      'function render(template, { user, title } = {}, ...rest) {',
      '  return template.replace("{user}", user);',
      '}',
      '',
      'const run = async (cmd, opts = {}) => {',
      '  const inner = (x) => x.trim();',
      '  return exec(inner(cmd), opts);',
      '};',
      '',
      'const legacy = function (req) {',
      '  return req.query.id;',
      '};',
      '',
      "app.get('/user', (req, res) => {",
      '  res.send(render(req.query.tpl));',
      '});',
      '',
      'module.exports.handler = function (event) {',
      '  return event;',
      '};',
      '',
      'class Repo extends Base {',
      '  find(id) {',
      '    return this.db.query(`SELECT * FROM t WHERE id = ${id}`);',
      '  }',
      '}',
      '[1, 2].map((n) => n * 2);',
    ].join('\n');
    const functions = await extractFunctions(code, 'javascript', 'src/app.js');
    expect(functions.map((fn) => [fn.name, fn.className, fn.startLine, fn.endLine])).toEqual([
      ['render', undefined, 4, 6],
      ['run', undefined, 8, 11],
      ['inner', undefined, 9, 9],
      ['legacy', undefined, 13, 15],
      ['app.get callback', undefined, 17, 19],
      ['handler', undefined, 21, 23],
      ['find', 'Repo', 26, 28],
    ]);
    expect(byName(functions, 'render').parameters).toEqual(['template', '{ user, title }', 'rest']);
    expect(byName(functions, 'render').signature).toBe('function render(template, { user, title } = {}, ...rest)');
    expect(byName(functions, 'run').parameters).toEqual(['cmd', 'opts']);
    expect(byName(functions, 'run').signature).toBe('const run = async (cmd, opts = {}) =>');
    expect(byName(functions, 'run').code).toBe(lines(code, 8, 11));
    expect(byName(functions, 'legacy').signature).toBe('const legacy = function (req)');
    expect(byName(functions, 'app.get callback').parameters).toEqual(['req', 'res']);
    expect(await extractFileContext(code, 'javascript')).toBe("const express = require('express');\nimport { exec } from 'node:child_process';");
  });

  it('reads TypeScript types away from parameters and keeps decorators and export in the range', async () => {
    const code = [
      "import type { Request } from 'express';",
      '',
      'export class UserController {',
      '  constructor(private readonly db: Db) {}',
      '',
      "  @Get(':id')",
      '  async show(this: UserController, id: string, limit?: number): Promise<User> {',
      '    return this.db.find(id, limit);',
      '  }',
      '',
      '  handle = (req: Request): void => {',
      '    this.show(req.params.id);',
      '  };',
      '}',
      '',
      'export function parse<T>(raw: string, fallback: T = {} as T): T {',
      '  return JSON.parse(raw) ?? fallback;',
      '}',
      '',
      'export function overloaded(a: string): void;',
    ].join('\n');
    const functions = await extractFunctions(code, 'typescript', 'src/users.ts');
    expect(functions.map((fn) => [fn.name, fn.className, fn.startLine, fn.endLine])).toEqual([
      ['constructor', 'UserController', 4, 4],
      ['show', 'UserController', 6, 9],
      ['handle', 'UserController', 11, 13],
      ['parse', undefined, 16, 18],
    ]);
    const show = byName(functions, 'show');
    expect(show.parameters).toEqual(['id', 'limit']);
    expect(show.signature).toBe("@Get(':id')\n  async show(this: UserController, id: string, limit?: number): Promise<User>");
    expect(byName(functions, 'constructor').parameters).toEqual(['db']);
    expect(byName(functions, 'handle').parameters).toEqual(['req']);
    expect(byName(functions, 'parse').signature).toBe('export function parse<T>(raw: string, fallback: T = {} as T): T');
    expect(byName(functions, 'parse').parameters).toEqual(['raw', 'fallback']);
  });

  it('parses .tsx files with the TSX grammar (a component with JSX)', async () => {
    const code = [
      "import React from 'react';",
      '',
      'export const Profile = ({ user }: Props) => {',
      '  const onClick = () => setOpen(true);',
      '  return <div dangerouslySetInnerHTML={{ __html: user.bio }} onClick={onClick} />;',
      '};',
      '',
      'export default function App(): JSX.Element {',
      '  return <Profile user={current} />;',
      '}',
    ].join('\n');
    const analysis = await analyzeSource(code, 'typescript', 'web/Profile.tsx');
    expect(analysis.errors).toEqual([]);
    expect(analysis.functions.map((fn) => [fn.name, fn.startLine, fn.endLine])).toEqual([
      ['Profile', 3, 6],
      ['onClick', 4, 4],
      ['App', 8, 10],
    ]);
    expect(byName(analysis.functions, 'Profile').parameters).toEqual(['{ user }']);
    expect(byName(analysis.functions, 'App').signature).toBe('export default function App(): JSX.Element');
    // The plain TypeScript grammar cannot read JSX: the path is what picks the grammar.
    const asTs = await analyzeSource(code, 'typescript', 'web/Profile.ts');
    expect(asTs.errors.length).toBeGreaterThan(0);
  });
});

describe('extractFunctions: Go', () => {
  it('finds functions, receiver methods and named function literals', async () => {
    const code = [
      'package server',
      '',
      'import (',
      '\t"net/http"',
      '\t"os/exec"',
      ')',
      '',
      'func (s *Server[T]) Handle(w http.ResponseWriter, r *http.Request) error {',
      '\tclean := func(v string) string { return v }',
      '\treturn exec.Command("sh", "-c", clean(r.URL.Query().Get("q"))).Run()',
      '}',
      '',
      'func Join(sep string, a, b string, rest ...string) string {',
      '\treturn a + sep + b',
      '}',
    ].join('\n');
    const functions = await extractFunctions(code, 'go', 'server/handle.go');
    expect(functions.map((fn) => [fn.name, fn.className, fn.startLine, fn.endLine])).toEqual([
      ['Handle', 'Server', 8, 11],
      ['clean', undefined, 9, 9],
      ['Join', undefined, 13, 15],
    ]);
    expect(byName(functions, 'Handle').parameters).toEqual(['w', 'r']);
    expect(byName(functions, 'Handle').signature).toBe('func (s *Server[T]) Handle(w http.ResponseWriter, r *http.Request) error');
    expect(byName(functions, 'Join').parameters).toEqual(['sep', 'a', 'b', 'rest']);
    expect(await extractFileContext(code, 'go')).toBe('package server\nimport (\n\t"net/http"\n\t"os/exec"\n)');
  });
});

describe('extractFunctions: Java', () => {
  it('finds constructors and annotated methods in nested classes, skipping abstract ones', async () => {
    const code = [
      'package com.example.users;',
      '',
      'import java.sql.Connection;',
      'import java.util.List;',
      '',
      'public class UserDao {',
      '    private final Connection conn;',
      '',
      '    @Inject',
      '    public UserDao(Connection conn, final int poolSize) {',
      '        this.conn = conn;',
      '    }',
      '',
      '    @Override',
      '    public List<User> find(String name, int... ids) throws SQLException {',
      '        return conn.createStatement().executeQuery("SELECT * FROM u WHERE n = \'" + name + "\'");',
      '    }',
      '',
      '    static class Mapper implements RowMapper {',
      '        public User map(ResultSet rs) { return new User(rs); }',
      '    }',
      '',
      '    interface Hook { void run(); }',
      '}',
    ].join('\n');
    const functions = await extractFunctions(code, 'java', 'src/UserDao.java');
    expect(functions.map((fn) => [fn.name, fn.className, fn.startLine, fn.endLine])).toEqual([
      ['UserDao', 'UserDao', 9, 12],
      ['find', 'UserDao', 14, 17],
      ['map', 'Mapper', 20, 20],
    ]);
    expect(byName(functions, 'UserDao').parameters).toEqual(['conn', 'poolSize']);
    expect(byName(functions, 'find').parameters).toEqual(['name', 'ids']);
    expect(byName(functions, 'find').signature).toBe('@Override\n    public List<User> find(String name, int... ids) throws SQLException');
    expect(await extractFileContext(code, 'java')).toBe('package com.example.users;\nimport java.sql.Connection;\nimport java.util.List;');
  });
});

describe('extractFunctions: Ruby', () => {
  it('finds def and def self.x inside modules and classes, with every parameter kind', async () => {
    const code = [
      "require 'json'",
      "require_relative 'lib/crypto'",
      '',
      'module Auth',
      '  class Session < Base',
      '    def self.create(user, opts = {}, *rest, key:, ttl: 60, **extra, &block)',
      '      new(user)',
      '    end',
      '',
      '    def valid?',
      '      !expired?',
      '    end',
      '  end',
      'end',
      '',
      'def helper(...) = forward(...)',
    ].join('\n');
    const functions = await extractFunctions(code, 'ruby', 'lib/auth.rb');
    expect(functions.map((fn) => [fn.name, fn.className, fn.startLine, fn.endLine])).toEqual([
      ['create', 'Session', 6, 8],
      ['valid?', 'Session', 10, 12],
      ['helper', undefined, 16, 16],
    ]);
    const create = byName(functions, 'create');
    expect(create.parameters).toEqual(['user', 'opts', 'rest', 'key', 'ttl', 'extra', 'block']);
    expect(create.signature).toBe('def self.create(user, opts = {}, *rest, key:, ttl: 60, **extra, &block)');
    expect(byName(functions, 'valid?').signature).toBe('def valid?');
    expect(byName(functions, 'helper').parameters).toEqual(['...']);
    expect(await extractFileContext(code, 'ruby')).toBe("require 'json'\nrequire_relative 'lib/crypto'");
  });
});

describe('enclosingFunction', () => {
  const functions: FunctionInfo[] = [
    { name: 'outer', startLine: 1, endLine: 20, code: '', parameters: [], signature: '' },
    { name: 'inner', startLine: 5, endLine: 8, code: '', parameters: [], signature: '' },
    { name: 'other', startLine: 30, endLine: 31, code: '', parameters: [], signature: '' },
  ];

  it('returns the innermost function containing the line', () => {
    expect(enclosingFunction(functions, 6)?.name).toBe('inner');
    expect(enclosingFunction(functions, 5)?.name).toBe('inner');
    expect(enclosingFunction(functions, 9)?.name).toBe('outer');
    expect(enclosingFunction(functions, 31)?.name).toBe('other');
  });

  it('returns undefined between functions', () => {
    expect(enclosingFunction(functions, 25)).toBeUndefined();
    expect(enclosingFunction([], 1)).toBeUndefined();
  });

  it('prefers the later function when two share one line (a one-liner nested in another)', async () => {
    const found = await extractFunctions('function f(a) { const g = (b) => b; return g(a); }\n', 'javascript');
    expect(found.map((fn) => fn.name)).toEqual(['f', 'g']);
    expect(enclosingFunction(found, 1)?.name).toBe('g');
  });
});

describe('analyzeSource', () => {
  it('reports syntax problems and still finds the functions around them', async () => {
    const code = 'def ok(a):\n    return a\n\ndef broken(b):\n    return (b\n\ndef after(c):\n    return c\n';
    const analysis = await analyzeSource(code, 'python');
    expect(analysis.errors.length).toBeGreaterThan(0);
    expect(analysis.functions.map((fn) => fn.name)).toContain('ok');
  });

  it('keeps CRLF line endings in the code it cuts', async () => {
    const code = 'def a(x):\r\n    return x\r\n';
    const [fn] = await extractFunctions(code, 'python');
    expect(fn?.code).toBe('def a(x):\r\n    return x\r');
    expect(fn?.endLine).toBe(2);
  });
});
