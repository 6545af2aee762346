import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { Language } from '../../src/lang/languages.js';
import {
  GrammarLoadError,
  describeSyntaxProblems,
  grammarFor,
  grammarWasmPath,
  loadGrammarFile,
  loadParser,
  parseFunction,
  parseSource,
  type SyntaxProblem,
} from '../../src/parse/index.js';

interface Case {
  language: Language;
  path?: string;
  valid: string;
  broken: string;
  /** 1-based line of the first problem in `broken`. */
  brokenLine: number;
}

const CASES: Record<string, Case> = {
  python: {
    language: 'python',
    valid: 'def read_config(path):\n    with open(path) as f:\n        return json.load(f)\n',
    broken: 'def read_config(path):\n    data = load(path)\n    return data[\n\ndef other():\n    pass\n',
    brokenLine: 3,
  },
  c: {
    language: 'c',
    valid: "int copy(char *dst, const char *src, size_t n) {\n  if (n == 0) return 0;\n  strncpy(dst, src, n - 1);\n  dst[n - 1] = '\\0';\n  return 1;\n}\n",
    broken: "int copy(char *dst, const char *src, size_t n) {\n  if (n == 0) return 0;\n  strncpy(dst, src, n - 1));\n  dst[n - 1] = '\\0';\n  return 1;\n}\n",
    brokenLine: 3,
  },
  cpp: {
    language: 'cpp',
    valid: 'std::string Session::token() const {\n  std::lock_guard<std::mutex> lock(mu_);\n  return token_;\n}\n',
    broken: 'std::string Session::token() const {\n  std::lock_guard<std::mutex> lock(mu_);\n  return token_ +;\n}\n',
    brokenLine: 3,
  },
  javascript: {
    language: 'javascript',
    valid: 'function render(user) {\n  const name = escape(user.name);\n  return <span className="user">{name}</span>;\n}\n',
    broken: 'function render(user) {\n  const name = escape(user.name);\n  return name +* 1;\n}\n',
    brokenLine: 3,
  },
  typescript: {
    language: 'typescript',
    valid: 'export async function load<T>(id: string): Promise<T | undefined> {\n  const row = await db.get<T>(id);\n  return row ?? undefined;\n}\n',
    broken: 'export async function load<T>(id: string): Promise<T | undefined> {\n  const row = await db.get<T>(id);\n  return row ?? ;\n}\n',
    brokenLine: 3,
  },
  tsx: {
    language: 'typescript',
    path: 'src/components/Greeting.tsx',
    valid:
      'export function Greeting({ name }: { name: string }): JSX.Element {\n  const label: string = name.trim();\n  return <div title={label}>{label}</div>;\n}\n',
    broken:
      'export function Greeting({ name }: { name: string }): JSX.Element {\n  const label: string = name.trim();\n  return <div title={label}>{label +}</div>;\n}\n',
    brokenLine: 3,
  },
  go: {
    language: 'go',
    valid:
      'func (s *Server) Handle(w http.ResponseWriter, r *http.Request) {\n\tname := r.URL.Query().Get("name")\n\tfmt.Fprintf(w, "%s", html.EscapeString(name))\n}\n',
    broken:
      'func (s *Server) Handle(w http.ResponseWriter, r *http.Request) {\n\tname := r.URL.Query().Get("name")\n\tfmt.Fprintf(w, "%s", html.EscapeString(name)\n}\n',
    brokenLine: 3,
  },
  java: {
    language: 'java',
    valid:
      'public String find(Connection c, String id) throws SQLException {\n  PreparedStatement ps = c.prepareStatement("SELECT name FROM t WHERE id = ?");\n  ps.setString(1, id);\n  return ps.executeQuery().getString(1);\n}\n',
    broken:
      'public String find(Connection c, String id) throws SQLException {\n  PreparedStatement ps = c.prepareStatement("SELECT name FROM t WHERE id = ?");\n  ps.setString(1, id)\n  return ps.executeQuery().getString(1);\n}\n',
    brokenLine: 3,
  },
  ruby: {
    language: 'ruby',
    valid: 'def show\n  @user = User.find(params[:id])\n  render json: @user.as_json(only: [:id, :name])\nend\n',
    broken: 'def show\n  @user = User.find(params[:id])\n  render json: @user.as_json(only: [:id, :name)\nend\n',
    brokenLine: 3,
  },
};

function lines(problems: readonly SyntaxProblem[]): number[] {
  return problems.map((p) => p.line);
}

describe('grammarFor', () => {
  it('uses the TSX grammar only for .tsx TypeScript paths', () => {
    expect(grammarFor('typescript')).toBe('typescript');
    expect(grammarFor('typescript', 'a/b.ts')).toBe('typescript');
    expect(grammarFor('typescript', 'a/b.TSX')).toBe('tsx');
    expect(grammarFor('javascript', 'a/b.jsx')).toBe('javascript');
    expect(grammarFor('go', 'x.tsx')).toBe('go');
  });
});

describe('parseSource', () => {
  for (const [name, c] of Object.entries(CASES)) {
    describe(name, () => {
      it('parses a valid function without problems', async () => {
        const parsed = await parseSource(c.valid, c.language, { path: c.path });
        expect(parsed.grammar).toBe(name);
        expect(parsed.errors, describeSyntaxProblems(parsed.errors)).toEqual([]);
        expect(parsed.tree.rootNode.hasError).toBe(false);
      });

      it('reports a broken function at the right line', async () => {
        const parsed = await parseSource(c.broken, c.language, { path: c.path });
        expect(parsed.errors.length).toBeGreaterThan(0);
        expect(parsed.errors[0]?.line, describeSyntaxProblems(parsed.errors)).toBe(c.brokenLine);
        for (const problem of parsed.errors) {
          expect(problem.column).toBeGreaterThanOrEqual(1);
          expect(problem.text.length).toBeLessThanOrEqual(40);
        }
      });
    });
  }

  it('needs the TSX grammar for JSX in a .tsx file', async () => {
    const tsx = CASES['tsx'];
    if (!tsx) throw new Error('missing tsx case');
    const asPlainTs = await parseSource(tsx.valid, 'typescript');
    expect(asPlainTs.grammar).toBe('typescript');
    expect(asPlainTs.errors.length).toBeGreaterThan(0);
  });

  it('parses a macro-heavy kernel-style C function', async () => {
    const code = [
      'static int foo_ioctl(struct foo_dev *dev, unsigned int cmd, unsigned long arg)',
      '{',
      '\tstruct foo_req req;',
      '\tint ret = 0;',
      '',
      '\tif (!dev)',
      '\t\treturn -EINVAL;',
      '\tif (unlikely(dev->state != FOO_READY))',
      '\t\treturn -EBUSY;',
      '\tif (copy_from_user(&req, (void *)arg, sizeof(req)))',
      '\t\treturn -EFAULT;',
      '\tif (req.len > ARRAY_SIZE(dev->buf))',
      '\t\treturn -E2BIG;',
      '',
      '\tmutex_lock(&dev->lock);',
      '#ifdef CONFIG_FOO_DEBUG',
      '\tpr_debug("foo: cmd %u len %zu\\n", cmd, req.len);',
      '#endif',
      '\tswitch (cmd) {',
      '\tcase FOO_IOC_WRITE:',
      '\t\tmemcpy(dev->buf, req.data, min_t(size_t, req.len, FOO_BUF_SIZE));',
      '\t\tbreak;',
      '\tdefault:',
      '\t\tret = -ENOTTY;',
      '\t\tgoto out_unlock;',
      '\t}',
      '\tWARN_ON(ret < 0 && ret != -ENOTTY);',
      'out_unlock:',
      '\tmutex_unlock(&dev->lock);',
      '\treturn ret;',
      '}',
    ].join('\n');
    const parsed = await parseSource(code, 'c');
    expect(parsed.errors, describeSyntaxProblems(parsed.errors)).toEqual([]);
    expect(parsed.tree.rootNode.firstNamedChild?.type).toBe('function_definition');
  });

  it('keeps a kernel iterator macro as a local problem inside the function', async () => {
    // Known tree-sitter-c limitation: `list_for_each_entry(...) { }` is not C syntax.
    const code = 'static void drain(struct q *q)\n{\n\tlist_for_each_entry(p, &q->list, node) {\n\t\tkfree(p);\n\t}\n}\n';
    const parsed = await parseSource(code, 'c');
    expect(parsed.tree.rootNode.firstNamedChild?.type).toBe('function_definition');
    expect(lines(parsed.errors)).toEqual([3]);
  });

  it('parses 8 languages concurrently', async () => {
    const names = ['python', 'c', 'cpp', 'javascript', 'typescript', 'go', 'java', 'ruby'] as const;
    const results = await Promise.all(
      names.map((name) => {
        const c = CASES[name];
        if (!c) throw new Error(`missing case ${name}`);
        return parseSource(c.valid, c.language);
      }),
    );
    expect(results.map((r) => r.grammar)).toEqual([...names]);
    for (const r of results) expect(r.errors).toEqual([]);
  });

  it('shares one parser per grammar between concurrent callers', async () => {
    const [a, b] = await Promise.all([loadParser('ruby'), loadParser('ruby')]);
    expect(a).toBe(b);
    expect(await loadParser('ruby')).toBe(a);
  });

  it('reports columns 1-based and missing tokens by type', async () => {
    const parsed = await parseSource('int f(void) {\n  return 1\n}\n', 'c');
    expect(parsed.errors).toEqual([{ line: 2, column: 11, kind: 'missing', text: ';' }]);
  });

  it('truncates and collapses the text of large errors', async () => {
    const junk = '@@ '.repeat(30);
    const parsed = await parseSource(`def f():\n    x = 1 ${junk}\n`, 'python');
    const error = parsed.errors.find((p) => p.kind === 'error');
    expect(error).toBeDefined();
    expect(error?.text.length).toBeLessThanOrEqual(40);
    expect(error?.text).not.toMatch(/\s\s/);
  });
});

describe('parseFunction', () => {
  it('leaves cleanly parsing functions unwrapped', async () => {
    for (const c of Object.values(CASES)) {
      const parsed = await parseFunction(c.valid, c.language, { path: c.path });
      expect(parsed.wrapped).toBe(false);
      expect(parsed.lineOffset).toBe(0);
      expect(parsed.errors).toEqual([]);
    }
  });

  it('parses a Java method alone (top-level methods are accepted by tree-sitter-java)', async () => {
    const method = '@Override\npublic <T> List<T> load(Class<T> type) throws IOException {\n  return mapper.readList(in, type);\n}\n';
    const parsed = await parseFunction(method, 'java');
    expect(parsed.errors).toEqual([]);
  });

  it('wraps a Java constructor in a class', async () => {
    const ctor = 'public UserService(Repository repo) {\n  this.repo = Objects.requireNonNull(repo);\n}\n';
    const plain = await parseSource(ctor, 'java');
    expect(plain.errors.length).toBeGreaterThan(0);
    const parsed = await parseFunction(ctor, 'java');
    expect(parsed.wrapped).toBe(true);
    expect(parsed.lineOffset).toBe(1);
    expect(parsed.errors).toEqual([]);
    const classBody = parsed.tree.rootNode.firstNamedChild?.childForFieldName('body');
    expect(classBody?.firstNamedChild?.type).toBe('constructor_declaration');
    expect(classBody?.firstNamedChild?.startPosition.row).toBe(parsed.lineOffset);
  });

  it('reports a broken wrapped Java constructor at its original line', async () => {
    const ctor = 'public UserService(Repository repo) {\n  this.repo = repo;\n  this.cache = new Cache(;\n}\n';
    const parsed = await parseFunction(ctor, 'java');
    expect(parsed.wrapped).toBe(true);
    expect(parsed.errors).toEqual([{ line: 3, column: 26, kind: 'missing', text: ')' }]);
  });

  it('does not keep a wrapped parse whose wrapper was swallowed by an error', async () => {
    // Inside the class wrapper the unbalanced `(` turns everything, wrapper included, into one
    // ERROR: fewer problems, but useless. The plain parse is kept instead.
    const ctor = 'public UserService(Repository repo) {\n  this.repo = repo;\n  this.cache = new Cache(\n}\n';
    const parsed = await parseFunction(ctor, 'java');
    expect(parsed.wrapped).toBe(false);
    expect(lines(parsed.errors)).toContain(3);
  });

  it('wraps TypeScript class methods in a class', async () => {
    const methods = [
      'public async save(user: User): Promise<void> {\n  await this.db.insert(user);\n}\n',
      'private bar(): void {\n  return;\n}\n',
      'get name(): string {\n  return this._name;\n}\n',
      'static create<T>(x: T): Box<T> {\n  return new Box(x);\n}\n',
    ];
    for (const method of methods) {
      const parsed = await parseFunction(method, 'typescript');
      expect(parsed.wrapped, method).toBe(true);
      expect(parsed.lineOffset).toBe(1);
      expect(parsed.errors, describeSyntaxProblems(parsed.errors)).toEqual([]);
    }
  });

  it('reports a broken TypeScript class method at its original line', async () => {
    const method = 'public async save(user: User): Promise<void> {\n  const row = toRow(user);\n  await this.db.insert(row +);\n}\n';
    const parsed = await parseFunction(method, 'typescript');
    expect(parsed.wrapped).toBe(true);
    expect(lines(parsed.errors)).toEqual([3]);
    expect(describeSyntaxProblems(parsed.errors)).toMatch(/^line 3, column \d+: /);
  });

  it('wraps JavaScript and TSX class methods', async () => {
    const js = await parseFunction('async fetchUser(id) {\n  return await api.get(`/users/${id}`);\n}\n', 'javascript');
    expect(js.wrapped).toBe(true);
    expect(js.errors).toEqual([]);
    const tsx = await parseFunction('render(): JSX.Element {\n  return <p>{this.props.text}</p>;\n}\n', 'typescript', {
      path: 'Note.tsx',
    });
    expect(tsx.grammar).toBe('tsx');
    expect(tsx.wrapped).toBe(true);
    expect(tsx.errors).toEqual([]);
  });

  it('wraps C++ in-class friend functions', async () => {
    const code = 'friend bool operator==(const Point& a, const Point& b) {\n  return a.x == b.x && a.y == b.y;\n}\n';
    const parsed = await parseFunction(code, 'cpp');
    expect(parsed.wrapped).toBe(true);
    expect(parsed.errors).toEqual([]);
  });

  it('parses Go functions and Ruby defs alone, and C++ out-of-class methods', async () => {
    for (const [code, language] of [
      ['func Sum(xs []int) (total int) {\n\tfor _, x := range xs {\n\t\ttotal += x\n\t}\n\treturn\n}\n', 'go'],
      ['def self.build(attrs = {})\n  new(**attrs)\nend\n', 'ruby'],
      ['int Foo::bar() const {\n  return bar_;\n}\n', 'cpp'],
      ['    def method(self):\n        return self.x\n', 'python'],
    ] as const) {
      const parsed = await parseFunction(code, language);
      expect(parsed.wrapped, code).toBe(false);
      expect(parsed.errors, code).toEqual([]);
    }
  });

  it('pins problems in the wrapper lines to the ends of the original code', async () => {
    // An unclosed method: the missing `}` falls on the wrapper's closing line.
    const method = 'async save(user) {\n  await this.db.insert(user);\n';
    const parsed = await parseFunction(method, 'javascript');
    expect(parsed.wrapped).toBe(true);
    for (const problem of parsed.errors) {
      expect(problem.line).toBeGreaterThanOrEqual(1);
      expect(problem.line).toBeLessThanOrEqual(3);
    }
  });
});

describe('describeSyntaxProblems', () => {
  const problems: SyntaxProblem[] = [
    { line: 3, column: 5, kind: 'error', text: 'foo(' },
    { line: 9, column: 1, kind: 'missing', text: ';' },
    { line: 10, column: 2, kind: 'error', text: '' },
    { line: 11, column: 2, kind: 'missing', text: '}' },
  ];

  it('formats up to max problems and counts the rest', () => {
    expect(describeSyntaxProblems(problems.slice(0, 2))).toBe("line 3, column 5: unexpected 'foo('; line 9, column 1: missing ';'");
    expect(describeSyntaxProblems(problems)).toBe(
      "line 3, column 5: unexpected 'foo('; line 9, column 1: missing ';'; line 10, column 2: syntax error; and 1 more",
    );
    expect(describeSyntaxProblems(problems, 1)).toBe("line 3, column 5: unexpected 'foo('; and 3 more");
    expect(describeSyntaxProblems([])).toBe('');
  });

  it('quotes hostile source safely: terminal escapes and undecodable bytes become ?, long text is cut', () => {
    const escape = { line: 1, column: 1, kind: 'error' as const, text: 'x = "\u001b[31mred\u001b]0;owned\u0007" + \uFFFD' };
    expect(describeSyntaxProblems([escape])).toBe(`line 1, column 1: unexpected 'x = "?[31mred?]0;owned?" + ?'`);
    expect(describeSyntaxProblems([{ ...escape, text: 'y'.repeat(100) }])).toBe(`line 1, column 1: unexpected '${'y'.repeat(39)}…'`);
  });
});

describe('grammar loading', () => {
  it('resolves every grammar wasm through its package', () => {
    expect(grammarWasmPath('tsx')).toMatch(/tree-sitter-typescript[\\/]tree-sitter-tsx\.wasm$/);
    expect(grammarWasmPath('python')).toMatch(/tree-sitter-python[\\/]tree-sitter-python\.wasm$/);
  });

  it('throws GrammarLoadError naming the grammar and path for a missing wasm', async () => {
    const path = '/nonexistent/tree-sitter-python.wasm';
    const error: unknown = await loadGrammarFile('python', path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammarLoadError);
    expect((error as GrammarLoadError).grammar).toBe('python');
    expect((error as GrammarLoadError).path).toBe(path);
    expect((error as GrammarLoadError).name).toBe('GrammarLoadError');
    expect((error as Error).message).toContain('python');
    expect((error as Error).message).toContain(path);
  });

  it('throws GrammarLoadError for a file that is not a grammar', async () => {
    const notWasm = fileURLToPath(import.meta.url);
    await expect(loadGrammarFile('go', notWasm)).rejects.toThrow(GrammarLoadError);
  });
});
