// What sits at the top level of a snippet, decided on node types; and the members of the class
// wrapper a lone method is parsed in.
import { describe, expect, it } from 'vitest';
import type { Language } from '../../src/lang/languages.js';
import { grammarFor, parseSource, parseWrapped, topLevelKind, wrapperMembers } from '../../src/parse/index.js';

async function kinds(code: string, language: Language, path?: string): Promise<string[]> {
  const { tree, errors } = await parseSource(code, language, path === undefined ? {} : { path });
  expect(errors).toEqual([]);
  try {
    return tree.rootNode.namedChildren.map((node) => `${topLevelKind(node, grammarFor(language, path))} ${node.type}`);
  } finally {
    tree.delete();
  }
}

describe('topLevelKind', () => {
  it('Python: imports of every form are imports; a string statement and an assignment holding "#" are code', async () => {
    const code = 'from __future__ import annotations\nimport os.path as p\nfrom . import (a,\n  b)\n# a comment\n"""a docstring"""\nx = "# not a comment"\n';
    expect(await kinds(code, 'python')).toEqual([
      'import future_import_statement',
      'import import_statement',
      'import import_from_statement',
      'comment comment',
      'code expression_statement',
      'code expression_statement',
    ]);
  });

  it('JavaScript: an import is an import, require() is code, a comment that closes early leaves code', async () => {
    const code = "import x from 'y';\nconst fs = require('fs');\n/* a */ evil();\n// b\n";
    expect(await kinds(code, 'javascript')).toEqual([
      'import import_statement',
      'code lexical_declaration',
      'comment comment',
      'code expression_statement',
      'comment comment',
    ]);
  });

  it('C: #include of a header is an import, of a macro is code, #define is code', async () => {
    expect(await kinds('#include <a.h>\n#include "b.h"\n#include HEADER\n#define N 1\n', 'c')).toEqual([
      'import preproc_include',
      'import preproc_include',
      'code preproc_include',
      'code preproc_def',
    ]);
  });

  it('Java and Go: import declarations; a package is code', async () => {
    expect(await kinds('package a;\nimport java.util.List;\n/** doc */\n// line\n', 'java')).toEqual([
      'code package_declaration',
      'import import_declaration',
      'comment block_comment',
      'comment line_comment',
    ]);
    expect(await kinds('package main\nimport "os"\n', 'go')).toEqual(['code package_clause', 'import import_declaration']);
  });

  it('Ruby: require is a call, so code', async () => {
    expect(await kinds("require 'json'\n", 'ruby')).toEqual(['code call']);
  });
});

describe('parseWrapped and wrapperMembers', () => {
  it('reads the members of a lone method snippet, decorators and comments included', async () => {
    const code = "@Get(':id')\n// why\nfind(id: string) {\n  return id;\n}";
    const parsed = await parseWrapped(code, 'typescript');
    if (!parsed) throw new Error('typescript has a wrapper');
    try {
      expect(parsed.errors).toEqual([]);
      expect(parsed.wrapperBroken).toBe(false);
      expect(wrapperMembers(parsed.tree.rootNode, 'typescript', code.length)?.map((node) => node.type)).toEqual(['decorator', 'comment', 'method_definition']);
    } finally {
      parsed.tree.delete();
    }
  });

  it('parses inside the wrapper even when the code parses on its own (a method with its brace on the next line)', async () => {
    const code = 'find(id)\n{\n  return id;\n}';
    const plain = await parseSource(code, 'javascript');
    expect(plain.errors).toEqual([]);
    plain.tree.delete();
    const parsed = await parseWrapped(code, 'javascript');
    try {
      expect(wrapperMembers(parsed!.tree.rootNode, 'javascript', code.length)?.map((node) => node.type)).toEqual(['method_definition']);
    } finally {
      parsed?.tree.delete();
    }
  });

  it('has no members for code that closes the wrapper and goes on at the top level', async () => {
    const code = "find(id) {\n  return id;\n}\n}\nrequire('child_process').exec('id');\nclass Rest {";
    const parsed = await parseWrapped(code, 'javascript');
    try {
      expect(parsed?.errors).toEqual([]);
      expect(wrapperMembers(parsed!.tree.rootNode, 'javascript', code.length)).toBeUndefined();
    } finally {
      parsed?.tree.delete();
    }
  });

  it('C++ members sit in the struct wrapper; languages without a wrapper have none', async () => {
    const code = 'int get() const { return x_; }';
    const parsed = await parseWrapped(code, 'cpp');
    try {
      expect(wrapperMembers(parsed!.tree.rootNode, 'cpp', code.length)?.map((node) => node.type)).toEqual(['function_definition']);
    } finally {
      parsed?.tree.delete();
    }
    expect(await parseWrapped('def f():\n    pass', 'python')).toBeUndefined();
  });
});
