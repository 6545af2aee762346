import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../src/lang/languages.js';
import { parseSource } from '../../src/parse/index.js';
import { wrapInert } from '../../src/prompt/inert.js';
import { useTempDirs } from '../helpers/temp-dir.js';
import { TARGETS, liveMentions } from './targets.js';

/** The wrapped demonstration, then the target file as a completion would leave it. */
function fileWith(wrapped: string, language: Language): string {
  const { input, rest, trailer } = TARGETS[language];
  return `${wrapped}\n\n${input.fileContext}\n\n${input.signature}${rest}${trailer}`;
}

async function expectParsesCleanly(source: string, language: Language): Promise<void> {
  const parsed = await parseSource(source, language);
  try {
    expect(parsed.errors, source).toEqual([]);
  } finally {
    parsed.tree.delete();
  }
}

/** Preprocesses C (or C++) with GCC; throws when the preprocessor reports an error. */
function preprocess(source: string, language: 'c' | 'cpp', extra: string[] = []): string {
  const compiler = language === 'c' ? 'gcc' : 'g++';
  return execFileSync(compiler, ['-E', '-P', ...extra, '-x', language === 'c' ? 'c' : 'c++', '-'], {
    input: source,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

describe('wrapInert', () => {
  it.each(LANGUAGES)('%s: a demonstration, wrapped, parses cleanly before the target function', async (language) => {
    const demo = TARGETS[language].input.demonstrations[0]?.code ?? '';
    await expectParsesCleanly(fileWith(wrapInert(demo, language), language), language);
  });

  it.each(LANGUAGES)("%s: a demonstration holding its wrapper's closing sequence stays inert", async (language) => {
    const wrapped = wrapInert(TARGETS[language].hostileDemo, language);
    const source = fileWith(wrapped, language);
    const parsed = await parseSource(source, language);
    try {
      expect(parsed.errors, source).toEqual([]);
      // `#if 0` is parsed as code by tree-sitter, so C and C++ are proved by the preprocessor below.
      if (language !== 'c' && language !== 'cpp') expect(liveMentions(parsed.tree.rootNode, 'evil'), source).toEqual([]);
    } finally {
      parsed.tree.delete();
    }
  });

  it("uses the language's own inert construct, with nothing after the closing line", () => {
    expect(wrapInert('x = 1\n\n', 'python')).toBe('r"""\nx = 1\n"""');
    expect(wrapInert('int x;', 'c')).toBe('#if 0\nint x;\n#endif');
    expect(wrapInert('int x;', 'cpp')).toBe('#if 0\nint x;\n#endif');
    for (const language of ['javascript', 'typescript', 'go', 'java'] as const) {
      expect(wrapInert('let x = 1;', language)).toBe('/*\nlet x = 1;\n*/');
    }
    expect(wrapInert('x = 1', 'ruby')).toBe('=begin\nx = 1\n=end');
  });

  describe('python', () => {
    it('switches to \'\'\' when the demonstration has a """ docstring', () => {
      expect(wrapInert('def f():\n    """doc"""\n', 'python')).toBe('r\'\'\'\ndef f():\n    """doc"""\n\'\'\'');
    });

    it('escapes """ when both quote styles occur, and survives a trailing quote or backslash', async () => {
      for (const code of ['a = """x""" + \'\'\'y\'\'\' + "', 'a = """x""" + \'\'\'y\'\'\' \\', '""""" \'\'\'', '\\""" \'\'\' \\\\"""""']) {
        const source = fileWith(wrapInert(code, 'python'), 'python');
        const parsed = await parseSource(source, 'python');
        try {
          expect(parsed.errors, source).toEqual([]);
          const first = parsed.tree.rootNode.namedChildren[0];
          expect(first?.type).toBe('expression_statement');
          expect(first?.namedChildren[0]?.type).toBe('string');
          expect(parsed.tree.rootNode.namedChildren.at(-1)?.type).toBe('function_definition');
        } finally {
          parsed.tree.delete();
        }
      }
    });

    it('makes the first statement a string, for tree-sitter and for CPython alike', async () => {
      const source = fileWith(wrapInert(TARGETS.python.hostileDemo, 'python'), 'python');
      const parsed = await parseSource(source, 'python');
      try {
        const first = parsed.tree.rootNode.namedChildren[0];
        expect(first?.type).toBe('expression_statement');
        expect(first?.namedChildren[0]?.type).toBe('string');
        expect(first?.text).toContain('os.system("evil")');
      } finally {
        parsed.tree.delete();
      }
      // CPython's own parser: the module is a string, the imports and the function, nothing else.
      const script =
        'import ast, sys\nm = ast.parse(sys.stdin.read())\nprint(" ".join(type(s).__name__ for s in m.body))\nprint(isinstance(m.body[0].value, ast.Constant) and isinstance(m.body[0].value.value, str))';
      const out = execFileSync('python3', ['-c', script], { input: source, encoding: 'utf8' });
      expect(out.trim().split('\n')).toEqual(['Expr Import ImportFrom Assign FunctionDef', 'True']);
    });

    it('is a raw string, so escape sequences in the demonstration cannot break it', async () => {
      const code = 'NAME = "\\N{bogus}" + "\\x4"';
      const wrapped = wrapInert(code, 'python');
      expect(wrapped.startsWith('r"""')).toBe(true);
      const out = execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read()); print("ok")'], { input: wrapped, encoding: 'utf8' });
      expect(out.trim()).toBe('ok');
    });
  });

  describe('c and c++', () => {
    it('turns every conditional directive into a comment line', () => {
      const wrapped = wrapInert('#ifdef A\n# if B\n#elif C\n  #else\n#endif\n#ifndef D\n#endif\n#include <x.h>', 'c');
      expect(wrapped).toBe('#if 0\n// #ifdef A\n// # if B\n// #elif C\n  // #else\n// #endif\n// #ifndef D\n// #endif\n#include <x.h>\n#endif');
    });

    const ESCAPES: [string, string, string[]?][] = [
      ['a plain #endif', '#endif\nint evil(void) { return 1; }'],
      ['a nested #if that would swallow the closing #endif', '#if 1\nint evil(void) { return 1; }'],
      ['an #else', '#else\nint evil(void) { return 1; }'],
      ['a spliced #endif', '#end\\\nif\nint evil(void) { return 1; }'],
      ['a # alone, spliced to its name', '#\\\nendif\nint evil(void) { return 1; }'],
      ['a digraph %:endif', '%:endif\nint evil(void) { return 1; }'],
      ['a trigraph ??=endif', '??=endif\nint evil(void) { return 1; }', ['-trigraphs']],
      ['a comment before the #', '/* c */ #endif\nint evil(void) { return 1; }'],
      ['a multi-line comment before the #', '/* a\n b */ #endif\nint evil(void) { return 1; }'],
      ['a comment between # and endif', '# /* x\n y */ endif\nint evil(void) { return 1; }'],
      ['a line splice before the #', 'int a; \\\n#endif\nint evil(void) { return 1; }'],
      ['an unterminated comment', 'int a; /* never closed'],
      ['a final backslash', 'int a; \\'],
      ['a final trigraph backslash', 'int a; ??/', ['-trigraphs']],
    ];

    it.each(ESCAPES)('the preprocessor drops the demonstration despite %s', (_name, code, extra) => {
      for (const language of ['c', 'cpp'] as const) {
        const wrapped = wrapInert(code, language);
        const source = `${wrapped}\nint target(int x) { return x; }\n`;
        const out = preprocess(source, language, extra);
        expect(out, source).not.toContain('evil');
        expect(out, source).not.toContain('int a');
        expect(out, source).toContain('int target(int x) { return x; }');
      }
    });

    it('the preprocessor drops the shipped hostile demonstrations', () => {
      for (const language of ['c', 'cpp'] as const) {
        const { input, rest, hostileDemo } = TARGETS[language];
        // Without the file context: its includes are not on this machine.
        const out = preprocess(`${wrapInert(hostileDemo, language)}\n${input.signature}${rest}`, language);
        expect(out).not.toContain('evil');
        expect(out).toContain(input.signature);
      }
    });

    it('closes a C++ raw string the demonstration leaves open', () => {
      const wrapped = wrapInert('const char *s = R"x(\n#endif\nint evil() { return 1; }', 'cpp');
      const out = preprocess(`${wrapped}\nint target() { return 0; }\n`, 'cpp');
      expect(out).not.toContain('evil');
      expect(out).toContain('int target()');
    });

    it('keeps the demonstration readable: comments and strings that only mention directives are left alone', () => {
      expect(wrapInert('int a; // see #include rules\nconst char *s = "#define";', 'c')).toBe(
        '#if 0\nint a; // see #include rules\nconst char *s = "#define";\n#endif',
      );
    });
  });

  describe('block comments', () => {
    it('breaks every */ apart', () => {
      expect(wrapInert('a */ b **/ c */*/', 'javascript')).toBe('/*\na * / b ** / c * /* /\n*/');
    });

    it('java: decodes \\u escapes that would spell */ before breaking it apart', () => {
      expect(wrapInert('x \\u002a\\u002F y \\uuu002a/ z', 'java')).toBe('/*\nx * / y * / z\n*/');
      // An escaped backslash does not start an escape (JLS 3.3), so this one is left as it is.
      expect(wrapInert('x \\\\u002a/', 'java')).toBe('/*\nx \\\\u002a/\n*/');
      // JavaScript has no such escapes in comments: the text is kept.
      expect(wrapInert('x \\u002a/', 'javascript')).toBe('/*\nx \\u002a/\n*/');
    });

    const temp = useTempDirs();
    it('javac compiles the hostile Java demonstration as a comment', () => {
      const dir = temp();
      const wrapped = wrapInert(TARGETS.java.hostileDemo, 'java');
      writeFileSync(join(dir, 'T.java'), `class T {\n${wrapped}\n  int ok() { return 0; }\n}\n`);
      execFileSync('javac', ['-d', dir, join(dir, 'T.java')], { stdio: 'pipe' });
      expect(readdirSync(dir)).toContain('T.class');
      const members = execFileSync('javap', ['-p', '-cp', dir, 'T'], { encoding: 'utf8' });
      expect(members).toContain('int ok()');
      expect(members).not.toContain('evil');
    });

    it('javascript: the engine runs the file without running the demonstration', async () => {
      const { runInNewContext } = await import('node:vm');
      const wrapped = wrapInert(TARGETS.javascript.hostileDemo, 'javascript');
      const calls: string[] = [];
      runInNewContext(`${wrapped}\nfunction target() { return 1; }\nok();`, {
        evil: () => calls.push('evil'),
        ok: () => calls.push('ok'),
      });
      expect(calls).toEqual(['ok']);
    });
  });

  describe('ruby', () => {
    it('splits every =end, at a line start (Ruby) or anywhere (tree-sitter)', () => {
      expect(wrapInert('a\n=end\n=endless\nb =end\n  =end\nc ==end', 'ruby')).toBe('=begin\na\n= end\n= endless\nb = end\n  = end\nc == end\n=end');
    });
  });
});
