// The frame of a function, read from the real tree-sitter trees of each language: what a rewrite
// must keep (see frame-diff for how a change is worded).
import { describe, expect, it } from 'vitest';
import type { FunctionFrame } from '../../src/harden/frame.js';
import { frameChange } from '../../src/harden/frame-diff.js';
import { readReply } from '../../src/harden/reply-shape.js';
import type { Language } from '../../src/lang/languages.js';

async function frameOf(code: string, language: Language, path: string, name: string): Promise<FunctionFrame> {
  const verdict = await readReply(code, language, path, name);
  if (!verdict.ok) throw new Error(`${name} not read: ${verdict.reason}: ${verdict.detail}`);
  return verdict.reading.fn.frame;
}

/** The frame in words: what each part reads as. */
function shown(frame: FunctionFrame) {
  return {
    name: frame.name,
    parameterNames: frame.parameterNames,
    parameters: frame.parameters.map((part) => part.text),
    returnType: frame.returnType?.text,
    async: frame.async,
    generator: frame.generator,
    modifiers: frame.modifiers,
    decorators: frame.decorators.map((part) => part.text),
    signature: frame.signature.text,
  };
}

describe('readFrame', () => {
  it('Python: decorators with their arguments, annotations, defaults, separators, return type, async, yield', async () => {
    const code = `@app.route("/u", methods=["GET"])
@login_required
async def view(a: int, b=3, /, *args, c: str = "x", **kw) -> Response:
    """A docstring is body."""
    yield a`;
    expect(shown(await frameOf(code, 'python', 'a.py', 'view'))).toEqual({
      name: 'view',
      parameterNames: ['a', 'b', 'args', 'c', 'kw'],
      parameters: ['a: int', 'b=3', '/', '*args', 'c: str = "x"', '**kw'],
      returnType: 'Response',
      async: true,
      generator: true,
      modifiers: [],
      decorators: ['@app.route("/u", methods=["GET"])', '@login_required'],
      signature: 'async def view(a: int, b=3, /, *args, c: str = "x", **kw) -> Response: …',
    });
  });

  it('Python: a yield inside a nested function, lambda or class is not the function’s', async () => {
    const code =
      'def outer(rows):\n    def inner():\n        yield 1\n    pull = lambda: (yield)\n' +
      '    class C:\n        def each(self):\n            yield 2\n    return list(rows)';
    expect((await frameOf(code, 'python', 'a.py', 'outer')).generator).toBe(false);
  });

  it('JavaScript: a decorated generator method with static, a default and a destructured parameter', async () => {
    const code = '@dec(1)\nstatic async *rows(a = 1, { b, c }, ...rest) {\n  yield a;\n}';
    expect(shown(await frameOf(code, 'javascript', 'a.js', 'rows'))).toEqual({
      name: 'rows',
      parameterNames: ['a', '{ b, c }', 'rest'],
      parameters: ['a = 1', '{ b, c }', '...rest'],
      returnType: undefined,
      async: true,
      generator: true,
      modifiers: ['static'],
      decorators: ['@dec(1)'],
      signature: 'static async *rows(a = 1, { b, c }, ...rest) …',
    });
  });

  it('JavaScript: export and const of an arrow function; the trailing semicolon is not frame', async () => {
    const frame = await frameOf('export const handler = async (req, res) => {\n  res.end();\n};', 'javascript', 'a.js', 'handler');
    expect(shown(frame)).toMatchObject({
      modifiers: ['const', 'export'],
      async: true,
      generator: false,
      signature: 'export const handler = async (req, res) => …',
    });
    const bare = await frameOf('export const handler = async (req, res) => {\n  res.end();\n}', 'javascript', 'a.js', 'handler');
    expect(bare.signature.key).toBe(frame.signature.key);
  });

  it('JavaScript: a callback keeps the call that registers it in its signature', async () => {
    const frame = await frameOf("app.get('/x', auth, (req, res) => {\n  res.end();\n});", 'javascript', 'a.js', 'app.get callback');
    expect(shown(frame)).toMatchObject({ parameterNames: ['req', 'res'], signature: "app.get('/x', auth, (req, res) => …)" });
  });

  it('TypeScript: sibling decorators, accessibility, type parameters, typed and optional parameters, return type', async () => {
    const code =
      "@Get(':id')\n@UseGuards(AuthGuard)\n" +
      "private static async find<T>(this: Window, email: string = 'a', opts?: Opts): Promise<User | undefined> {\n  return rows[0];\n}";
    expect(shown(await frameOf(code, 'typescript', 'a.ts', 'find'))).toEqual({
      name: 'find',
      parameterNames: ['email', 'opts'],
      parameters: ['this: Window', "email: string = 'a'", 'opts?: Opts'],
      returnType: 'Promise<User | undefined>',
      async: true,
      generator: false,
      modifiers: ['private', 'static'],
      decorators: ["@Get(':id')", '@UseGuards(AuthGuard)'],
      signature: "private static async find<T>(this: Window, email: string = 'a', opts?: Opts): Promise<User | undefined> …",
    });
  });

  it('C: attributes, storage class, qualified pointer return type, parameters with their types', async () => {
    const code = '__attribute__((warn_unused_result)) static inline const char *name_of(char *dst, const char *src, size_t len) {\n  return dst;\n}';
    expect(shown(await frameOf(code, 'c', 'a.c', 'name_of'))).toEqual({
      name: 'name_of',
      parameterNames: ['dst', 'src', 'len'],
      parameters: ['char *dst', 'const char *src', 'size_t len'],
      returnType: 'const char *',
      async: false,
      generator: false,
      modifiers: ['inline', 'static'],
      decorators: ['__attribute__((warn_unused_result))'],
      signature: 'static inline const char *name_of(char *dst, const char *src, size_t len) …',
    });
  });

  it('C++: template, [[attributes]], virtual, const method, noexcept, override, default argument', async () => {
    const code = 'template <typename T>\n[[nodiscard]] virtual std::string token(int a = 3) const noexcept override {\n  return token_;\n}';
    expect(shown(await frameOf(code, 'cpp', 'a.cpp', 'token'))).toEqual({
      name: 'token',
      parameterNames: ['a'],
      parameters: ['int a = 3'],
      returnType: 'std::string',
      async: false,
      generator: false,
      modifiers: ['const', 'noexcept', 'override', 'virtual'],
      decorators: ['[[nodiscard]]'],
      signature: 'template <typename T> virtual std::string token(int a = 3) const noexcept override …',
    });
  });

  it('C++: a trailing return type', async () => {
    expect((await frameOf('auto size() -> std::size_t {\n  return n_;\n}', 'cpp', 'a.cpp', 'size')).returnType?.text).toBe('auto -> std::size_t');
  });

  it('Java: annotations apart from keywords, generic return type, annotated and variadic parameters, throws', async () => {
    const code =
      '@PreAuthorize("hasRole(\'ADMIN\')")\n@GetMapping(value = "/admin")\n' +
      'public static final <T> List<String> find(@RequestParam String email, int... n) throws IOException {\n    return null;\n}';
    expect(shown(await frameOf(code, 'java', 'A.java', 'find'))).toEqual({
      name: 'find',
      parameterNames: ['email', 'n'],
      parameters: ['@RequestParam String email', 'int... n'],
      returnType: 'List<String>',
      async: false,
      generator: false,
      modifiers: ['final', 'public', 'static'],
      decorators: ['@PreAuthorize("hasRole(\'ADMIN\')")', '@GetMapping(value = "/admin")'],
      signature: 'public static final <T> List<String> find(@RequestParam String email, int... n) throws IOException …',
    });
  });

  it('Go: receiver in the signature, results as the return type', async () => {
    const code = 'func (s *Server) Handle(w http.ResponseWriter, r *http.Request) (int, error) {\n\treturn 0, nil\n}';
    expect(shown(await frameOf(code, 'go', 'a.go', 'Handle'))).toMatchObject({
      parameterNames: ['w', 'r'],
      parameters: ['w http.ResponseWriter', 'r *http.Request'],
      returnType: '(int, error)',
      signature: 'func (s *Server) Handle(w http.ResponseWriter, r *http.Request) (int, error) …',
    });
  });

  it('Ruby: a singleton method with optional, keyword, splat and block parameters', async () => {
    const code = 'def self.find(a, b = 1, *r, k:, **o, &blk)\n  1\nend';
    expect(shown(await frameOf(code, 'ruby', 'a.rb', 'find'))).toMatchObject({
      parameterNames: ['a', 'b', 'r', 'k', 'o', 'blk'],
      parameters: ['a', 'b = 1', '*r', 'k:', '**o', '&blk'],
      returnType: undefined,
      signature: 'def self.find(a, b = 1, *r, k:, **o, &blk) … end',
    });
  });
});

describe('frameChange', () => {
  const python = (code: string) => frameOf(code, 'python', 'a.py', 'f');

  it('sees no change through whitespace and comments inside the frame', async () => {
    const before = await python('@route("/a", methods=["GET"])\ndef f(a, b: int = 1) -> str:\n    return 1');
    const after = await python('@route( "/a" , methods = [ "GET" ] )\ndef f(a,  # the first\n      b : int=1)->str:\n    return 2');
    expect(frameChange(before, after, 'python')).toBeUndefined();
  });

  it('sees a change of whitespace inside a string', async () => {
    const before = await python('@route("/a")\ndef f():\n    return 1');
    const after = await python('@route("/a ")\ndef f():\n    return 1');
    expect(frameChange(before, after, 'python')).toEqual({ reason: 'frame-changed', detail: 'decorator @route("/a") changed to @route("/a ")' });
  });

  it('names parameter-name changes as a different function, and the rest as a changed frame', async () => {
    const before = await python('def f(a, b=1):\n    return 1');
    expect(frameChange(before, await python('def f(a, c=1):\n    return 1'), 'python')).toEqual({
      reason: 'different-function',
      detail: 'parameters changed from (a, b) to (a, c)',
    });
    expect(frameChange(before, await python('def f(a, b=2):\n    return 1'), 'python')).toEqual({
      reason: 'frame-changed',
      detail: 'parameter b=1 changed to b=2',
    });
    expect(frameChange(before, await python('def f(a, b=1) -> int:\n    return 1'), 'python')).toEqual({
      reason: 'frame-changed',
      detail: 'return type int added',
    });
  });

  it('words decorator changes: several dropped, several added', async () => {
    const before = await python('@a\n@b\n@c\ndef f():\n    return 1');
    expect(frameChange(before, await python('@a\ndef f():\n    return 1'), 'python')).toEqual({ reason: 'frame-changed', detail: 'decorators @b, @c dropped' });
    expect(frameChange(before, await python('@a\n@b\n@c\n@d\n@e\ndef f():\n    return 1'), 'python')).toEqual({
      reason: 'frame-changed',
      detail: 'decorators @d, @e added',
    });
  });
});
