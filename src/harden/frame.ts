// The frame of a function: everything about it that callers, frameworks and reviewers rely on apart
// from its body. A rewrite may change the body; a changed frame (a dropped `@login_required`, a new
// `async`, another return type) makes it a different function however safe its body looks.
import type { FunctionNode } from '../detect/function-nodes.js';
import { parameterNames } from '../detect/parameters.js';
import { isComment, tokenKey, tokensOf, type Grammar, type SyntaxNode, type TokenOptions } from '../parse/index.js';

/** One part of a frame, read from the tree. */
export interface FramePart {
  /** The source, spaced as written but with whitespace runs and comments collapsed, for messages. */
  text: string;
  /** Token sequence: equal keys, equal parts, whatever the whitespace. */
  key: string;
}

export interface FunctionFrame {
  name: string;
  /** Parameter names in order: what callers pass by. */
  parameterNames: string[];
  /** Each parameter whole: name, type annotation, default, annotations (`c: str = "x"`, `const char *src`). */
  parameters: FramePart[];
  /** Declared return type: Python `-> T`, TypeScript `: T`, the type before a C/Java name (pointers included), Go results. */
  returnType: FramePart | undefined;
  async: boolean;
  /** Python: `yield` in its own body; JavaScript: `function*` and `*method`. */
  generator: boolean;
  /** Keywords that change how the function is bound or called (`static`, `export`, `private`, `final`, `const`, `inline`), sorted. */
  modifiers: string[];
  /** Decorators, annotations and attributes, in source order. */
  decorators: FramePart[];
  /**
   * Everything outside the body and the decorators: the whole header, plus what encloses the
   * function in its statement (`export const f = …`, `app.get('/', auth, …)`). A catch-all for
   * what the other parts do not name (Java `throws`, Go receivers, C++ `noexcept`, type parameters).
   */
  signature: FramePart;
}

/** A function as found at the top level of a snippet. */
export interface FrameSource {
  fn: FunctionNode;
  /** The top-level nodes that make up the function, in order (TypeScript decorators, then the member). */
  nodes: readonly SyntaxNode[];
  /** The text that was parsed; node indices point into it. */
  source: string;
  grammar: Grammar;
}

const DECORATOR_TYPES: Record<Grammar, ReadonlySet<string>> = {
  python: new Set(['decorator']),
  javascript: new Set(['decorator']),
  typescript: new Set(['decorator']),
  tsx: new Set(['decorator']),
  java: new Set(['annotation', 'marker_annotation']),
  c: new Set(['attribute_specifier', 'attribute_declaration', 'ms_declspec_modifier']),
  cpp: new Set(['attribute_specifier', 'attribute_declaration', 'ms_declspec_modifier', 'alignas_qualifier']),
  go: new Set(),
  ruby: new Set(),
};

const JS_MODIFIERS = new Set(['export', 'default', 'const', 'let', 'var', 'static', 'get', 'set', 'public', 'private', 'protected']);
const TS_MODIFIERS = new Set([...JS_MODIFIERS, 'readonly', 'abstract', 'override', 'declare', 'accessor']);
const C_MODIFIERS = new Set(['static', 'extern', 'inline', '__inline', '__inline__', 'register', 'thread_local', '_Thread_local', '_Noreturn', 'noreturn']);
const CPP_MODIFIERS = new Set([...C_MODIFIERS, 'virtual', 'explicit', 'friend', 'constexpr', 'consteval', 'constinit', 'override', 'final', 'noexcept']);
const JAVA_MODIFIERS = new Set(['public', 'private', 'protected', 'static', 'final', 'abstract', 'synchronized', 'native', 'strictfp', 'default', 'transient']);

/** Keywords (anonymous leaves) that count as modifiers; strings and names never do. */
const MODIFIER_WORDS: Record<Grammar, ReadonlySet<string>> = {
  python: new Set(),
  javascript: JS_MODIFIERS,
  typescript: TS_MODIFIERS,
  tsx: TS_MODIFIERS,
  java: JAVA_MODIFIERS,
  c: C_MODIFIERS,
  cpp: CPP_MODIFIERS,
  go: new Set(),
  ruby: new Set(),
};

const JS_GENERATORS = new Set(['generator_function_declaration', 'generator_function']);
/** Where a Python `yield` belongs to another function. */
const PYTHON_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);

function part(nodes: readonly SyntaxNode[], source: string, options: TokenOptions = {}): FramePart {
  const { tokens, text } = tokensOf(nodes, source, options);
  return { text, key: tokenKey(tokens) };
}

/** Nodes under `roots` (not entering `skip` subtrees, nor a match) that satisfy `test`, in order. */
function collect(roots: readonly SyntaxNode[], test: (node: SyntaxNode) => boolean, skip: readonly (SyntaxNode | null)[] = []): SyntaxNode[] {
  const skipped = new Set(skip.flatMap((node) => (node ? [node.id] : [])));
  const found: SyntaxNode[] = [];
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as SyntaxNode;
    if (skipped.has(node.id)) continue;
    if (test(node)) {
      found.push(node);
      continue;
    }
    for (let i = node.childCount - 1; i >= 0; i -= 1) {
      const child = node.child(i);
      if (child) stack.push(child);
    }
  }
  return found;
}

/** The parameter nodes of a list (comments out), or the lone parameter of `x => ...`. */
function parameterNodes(list: SyntaxNode | null): SyntaxNode[] {
  if (!list) return [];
  if (list.type === 'identifier') return [list];
  return list.namedChildren.filter((child) => !isComment(child));
}

/** C/C++: the return type's qualifiers and type, then the `*`/`&` of the declarators down to the function's own. */
function cReturnType(fn: SyntaxNode, source: string): FramePart | undefined {
  const type = fn.childForFieldName('type');
  if (!type) return undefined;
  const qualifiers = fn.namedChildren.filter((child) => child.type === 'type_qualifier');
  const head = tokensOf([...qualifiers, type], source);
  const tokens = [...head.tokens];
  let text = head.text;
  let declarator = fn.childForFieldName('declarator');
  while (declarator && declarator.type !== 'function_declarator') {
    const inner = declarator.childForFieldName('declarator');
    const own = tokensOf(
      declarator.children.filter((child) => child.id !== inner?.id),
      source,
    );
    tokens.push(...own.tokens);
    text += ` ${own.text}`;
    declarator = inner;
  }
  const trailing = declarator?.namedChildren.find((child) => child.type === 'trailing_return_type');
  if (trailing) {
    const more = tokensOf([trailing], source);
    tokens.push(...more.tokens);
    text += ` ${more.text}`;
  }
  return { text: text.trim(), key: tokenKey(tokens) };
}

function returnTypeOf(fn: SyntaxNode, grammar: Grammar, source: string): FramePart | undefined {
  switch (grammar) {
    case 'c':
    case 'cpp':
      return cReturnType(fn, source);
    case 'java': {
      const type = fn.childForFieldName('type');
      const dimensions = fn.childForFieldName('dimensions');
      return type ? part(dimensions ? [type, dimensions] : [type], source) : undefined;
    }
    case 'go': {
      const result = fn.childForFieldName('result');
      return result ? part([result], source) : undefined;
    }
    case 'ruby':
      return undefined;
    default: {
      // Python `-> T`; TypeScript's annotation keeps its `:`, which messages leave out.
      const annotation = fn.childForFieldName('return_type');
      if (!annotation) return undefined;
      const read = part([annotation], source);
      return { ...read, text: read.text.replace(/^:\s*/, '') };
    }
  }
}

function isGenerator(fn: FunctionNode, grammar: Grammar): boolean {
  if (grammar === 'python') {
    const body = fn.body;
    if (!body) return false;
    return collect([body], (node) => node.type === 'yield' || PYTHON_SCOPES.has(node.type)).some((node) => node.type === 'yield');
  }
  if (grammar === 'javascript' || grammar === 'typescript' || grammar === 'tsx') {
    return JS_GENERATORS.has(fn.node.type) || fn.node.children.some((child) => child.type === '*');
  }
  return false;
}

/** C/C++ `const` after the parameters qualifies the method (`int get() const`), not its return type. */
function isMethodQualifier(leaf: SyntaxNode): boolean {
  return leaf.parent?.type === 'type_qualifier' && leaf.parent.parent?.type === 'function_declarator';
}

/** The `;` ending `const f = () => {...};` or `export const f = ...;`: punctuation, not frame (ASI adds it). */
function trailingSemicolon(nodes: readonly SyntaxNode[], fn: FunctionNode): SyntaxNode[] {
  let last = nodes[nodes.length - 1];
  while (last && last.childCount > 0 && last.id !== fn.node.id) {
    const children = last.children.filter((child) => !isComment(child));
    last = children[children.length - 1];
  }
  return last?.type === ';' ? [last] : [];
}

/** Reads the frame of a function found at the top level of a snippet. */
export function readFrame({ fn, nodes, source, grammar }: FrameSource): FunctionFrame {
  const decorators = decoratorNodes({ fn, nodes, grammar });
  const modifierWords = MODIFIER_WORDS[grammar];
  const cFamily = grammar === 'c' || grammar === 'cpp';
  const leaves = collect(nodes, (node) => node.childCount === 0, [fn.body, fn.parameters, ...decorators]);
  const modifiers = leaves
    .filter((leaf) => !leaf.isNamed && (modifierWords.has(leaf.type) || (cFamily && isMethodQualifier(leaf))))
    .map((leaf) => leaf.type)
    .sort();
  const semicolon = trailingSemicolon(nodes, fn);
  return {
    name: fn.name,
    parameterNames: parameterNames(fn.parameters, grammar),
    parameters: parameterNodes(fn.parameters).map((parameter) => part([parameter], source)),
    returnType: returnTypeOf(fn.node, grammar, source),
    async: fn.node.children.some((child) => child.type === 'async'),
    generator: isGenerator(fn, grammar),
    modifiers,
    decorators: decorators.map((decorator) => part([decorator], source)),
    signature: part(nodes, source, { elide: fn.body ? [fn.body] : [], skip: [...decorators, ...semicolon] }),
  };
}

/**
 * The decorator nodes of a function, in order. Parameter annotations (`@RequestParam String
 * email`) belong to their parameter, and the body's own are the body's.
 */
export function decoratorNodes({ fn, nodes, grammar }: Omit<FrameSource, 'source'>): SyntaxNode[] {
  const decoratorTypes = DECORATOR_TYPES[grammar];
  return collect(nodes, (node) => decoratorTypes.has(node.type), [fn.body, fn.parameters]);
}

/** What a grammar calls its decorators, for messages. */
export function decoratorWord(grammar: Grammar): string {
  if (grammar === 'java') return 'annotation';
  if (grammar === 'c' || grammar === 'cpp') return 'attribute';
  return 'decorator';
}
