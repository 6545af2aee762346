// Reading a model's reply on its syntax tree: the one function it must be, the imports it may put
// before that function (reported to the reader, never applied), and anything else, which makes the
// reply unusable. Node types decide, never line patterns: a string holding code is a string, and
// code after a comment that closes early is code.
import { RULES, type FunctionNode } from '../detect/function-nodes.js';
import type { Language } from '../lang/languages.js';
import {
  describeSyntaxProblems,
  grammarFor,
  isComment,
  parseSource,
  parseWrapped,
  SNIPPET_WRAPPERS,
  tokensOf,
  topLevelKind,
  wrapperMembers,
  type Grammar,
  type SyntaxNode,
  type SyntaxProblem,
} from '../parse/index.js';
import { lastRow } from '../detect/syntax.js';
import { decoratorNodes, readFrame, type FunctionFrame } from './frame.js';

/** A range of the code that was read: [start, end) in UTF-16 code units. */
export interface Span {
  start: number;
  end: number;
}

export interface ReplyFunction extends Span {
  frame: FunctionFrame;
  decorators: Span[];
  /** Where the header starts: its first token that is neither a decorator nor a comment. */
  headerStart: number;
  /**
   * The function's own text, as detect cuts it: from where it starts (decorators, `export`, `const
   * f =`) to where it ends. Narrower than the span for a callback (`app.get('/', ` is the call's).
   */
  own: Span;
  /** No body at all (tree-sitter-python accepts a bare `def f(x):` at the end of the input; Python does not). */
  emptyBody: boolean;
}

export interface ReplyImport extends Span {
  /** The statement, comments left out. */
  text: string;
}

export interface ReplyReading {
  fn: ReplyFunction;
  imports: ReplyImport[];
}

export type ReplyProblem = 'syntax-error' | 'different-function' | 'extra-code';
export type ReplyVerdict = { ok: true; reading: ReplyReading } | { ok: false; reason: ReplyProblem; detail: string };

/** A top-level node, the text it was parsed from and how far that text's indices are from the code's. */
interface Placed {
  node: SyntaxNode;
  source: string;
  shift: number;
}

interface Group {
  members: Placed[];
  /** The outermost functions inside the group's last node. */
  functions: FunctionNode[];
  /** The group is one function: decorators and the function, or a call registering it as a callback. */
  fn: FunctionNode | undefined;
}

const EXCERPT_CHARS = 60;

const problem = (reason: ReplyProblem, detail: string): ReplyVerdict => ({ ok: false, reason, detail });
const syntaxError = (problems: readonly SyntaxProblem[]) => problem('syntax-error', describeSyntaxProblems(problems));

function excerpt(group: Group): string {
  const text = group.members.map((member) => member.node.text).join(' ');
  return text.replace(/\s+/g, ' ').trim().slice(0, EXCERPT_CHARS);
}

/** Functions under `root` that no other function found there encloses. */
function outermostFunctions(root: SyntaxNode, grammar: Grammar): FunctionNode[] {
  const rules = RULES[grammar];
  const found: FunctionNode[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop() as SyntaxNode;
    const match = rules.functionAt(node, false);
    if (match) {
      found.push(match);
      continue;
    }
    const children = node.namedChildren;
    for (let i = children.length - 1; i >= 0; i -= 1) {
      const child = children[i];
      if (child) stack.push(child);
    }
  }
  return found;
}

const JS_GRAMMARS: ReadonlySet<Grammar> = new Set(['javascript', 'typescript', 'tsx']);

/** `app.get('/x', auth, (req, res) => {...});`: the statement registers its one function. */
function isRegisteredCallback(fn: FunctionNode, statement: SyntaxNode, grammar: Grammar): boolean {
  const call = fn.node.parent?.type === 'arguments' ? fn.node.parent.parent : null;
  return JS_GRAMMARS.has(grammar) && statement.type === 'expression_statement' && call?.type === 'call_expression' && call.parent?.id === statement.id;
}

function groupOf(members: Placed[], grammar: Grammar): Group {
  const last = members[members.length - 1] as Placed;
  const functions = outermostFunctions(last.node, grammar);
  const only = functions.length === 1 ? functions[0] : undefined;
  const isWhole = only && (members.some((member) => member.node.id === only.start.id) || isRegisteredCallback(only, last.node, grammar));
  return { members, functions, fn: isWhole ? only : undefined };
}

/** The first token of the function that is neither a decorator nor a comment. */
function headerStartOf(nodes: readonly SyntaxNode[], decorators: readonly SyntaxNode[]): number {
  const skipped = new Set(decorators.map((node) => node.id));
  const stack = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as SyntaxNode;
    if (skipped.has(node.id) || isComment(node)) continue;
    if (node.childCount === 0 && node.endIndex > node.startIndex) return node.startIndex;
    for (let i = node.childCount - 1; i >= 0; i -= 1) {
      const child = node.child(i);
      if (child) stack.push(child);
    }
  }
  return nodes[0]?.startIndex ?? 0;
}

function readingOf(group: Group & { fn: FunctionNode }, imports: ReplyImport[], grammar: Grammar): ReplyReading {
  const { source, shift } = group.members[0] as Placed;
  const nodes = group.members.map((member) => member.node);
  const decorators = decoratorNodes({ fn: group.fn, nodes, grammar });
  const body = group.fn.body;
  return {
    fn: {
      start: (nodes[0] as SyntaxNode).startIndex + shift,
      end: (nodes[nodes.length - 1] as SyntaxNode).endIndex + shift,
      frame: readFrame({ fn: group.fn, nodes, source, grammar }),
      decorators: decorators.map((node) => ({ start: node.startIndex + shift, end: node.endIndex + shift })),
      headerStart: headerStartOf(nodes, decorators) + shift,
      own: { start: group.fn.start.startIndex + shift, end: Math.max(group.fn.end.endIndex, group.fn.node.endIndex) + shift },
      emptyBody: body ? body.text.trim() === '' : grammar !== 'ruby',
    },
    imports,
  };
}

/** Judges the top-level nodes of a cleanly parsed reply. */
function judge(placed: readonly Placed[], grammar: Grammar, name: string): ReplyVerdict {
  const imports: ReplyImport[] = [];
  const groups: Group[] = [];
  let decorators: Placed[] = [];
  let lateImport: Placed | undefined;
  let lastImport: { statement: ReplyImport; row: number; source: string } | undefined;
  for (const item of placed) {
    const kind = topLevelKind(item.node, grammar);
    if (kind === 'comment' && lastImport?.row === item.node.startPosition.row && lastImport.source === item.source) {
      // `import os  # for the environment`: the comment goes out with its import.
      lastImport.statement.end = item.node.endIndex + item.shift;
    }
    if (kind === 'comment') continue;
    if (kind === 'decorator') {
      decorators.push(item);
    } else if (kind === 'import' && groups.length === 0 && decorators.length === 0) {
      const { node, source, shift } = item;
      const statement = { start: node.startIndex + shift, end: node.endIndex + shift, text: tokensOf([node], source).text };
      imports.push(statement);
      lastImport = { statement, row: lastRow(node), source };
    } else if (kind === 'import') {
      // An import belongs at the top of the file: after the function, it is code in the wrong place.
      lateImport ??= item;
    } else {
      groups.push(groupOf([...decorators, item], grammar));
      decorators = [];
    }
  }
  if (decorators.length > 0) groups.push(groupOf(decorators, grammar));

  const functions = groups.filter((group): group is Group & { fn: FunctionNode } => group.fn !== undefined);
  const named = functions.filter((group) => group.fn.name === name);
  if (named.length === 0) {
    const enclosing = groups.find((group) => group.fn === undefined && group.functions.some((fn) => fn.name === name));
    if (enclosing) return problem('extra-code', `the reply puts ${name} inside other code: ${excerpt(enclosing)}`);
    return problem('different-function', `no function named ${name}`);
  }
  if (named.length > 1) return problem('different-function', `${named.length} functions named ${name}`);
  if (functions.length > 1) return problem('extra-code', 'the reply adds other functions');
  const other = groups.find((group) => group.fn === undefined);
  if (other) return problem('extra-code', `the reply adds code outside the function: ${excerpt(other)}`);
  if (lateImport) return problem('extra-code', `the reply adds an import after the function: ${excerpt(groupOf([lateImport], grammar))}`);
  return { ok: true, reading: readingOf(named[0] as Group & { fn: FunctionNode }, imports, grammar) };
}

/**
 * Where leading imports and comments end, at a line end, in a reply whose plain parse failed: a
 * lone method parses only inside its class, and imports cannot go in there. 0 when there are none.
 */
function importHeadEnd(root: SyntaxNode, code: string, grammar: Grammar): number {
  let end = 0;
  for (const node of root.children) {
    if (node.hasError || node.isMissing) break;
    const kind = topLevelKind(node, grammar);
    if (kind !== 'import' && kind !== 'comment') break;
    end = node.endIndex;
  }
  if (end === 0 || code[end - 1] === '\n') return end;
  const newline = code.indexOf('\n', end);
  return newline !== -1 && code.slice(end, newline).trim() === '' ? newline + 1 : 0;
}

/** Reads a lone method inside its class wrapper, imports and comments before it at the top level. */
async function readWrapped(code: string, language: Language, path: string, name: string, plainRoot: SyntaxNode): Promise<ReplyVerdict | SyntaxProblem[]> {
  const grammar = grammarFor(language, path);
  const wrapper = SNIPPET_WRAPPERS[language];
  const split = importHeadEnd(plainRoot, code, grammar);
  const rest = code.slice(split);
  const inner = await parseWrapped(rest, language, { path });
  if (!inner || !wrapper) return [];
  const headLines = code.slice(0, split).split('\n').length - 1;
  try {
    if (inner.errors.length > 0 || inner.wrapperBroken)
      return inner.wrapperBroken ? [] : inner.errors.map((error) => ({ ...error, line: error.line + headLines }));
    const members = wrapperMembers(inner.tree.rootNode, language, rest.length);
    if (!members) return problem('extra-code', 'the reply closes the class its method sits in and goes on after it');
    const source = wrapper.prefix + rest + wrapper.suffix;
    const placed = members.map((node) => ({ node, source, shift: split - wrapper.prefix.length }));
    if (split === 0) return judge(placed, grammar, name);
    const head = await parseSource(code.slice(0, split), language, { path });
    try {
      if (head.errors.length > 0) return head.errors;
      const headPlaced = head.tree.rootNode.children.map((node) => ({ node, source: code, shift: 0 }));
      return judge([...headPlaced, ...placed], grammar, name);
    } finally {
      head.tree.delete();
    }
  } finally {
    inner.tree.delete();
  }
}

/**
 * Reads a reply that should be exactly the function `name`, with comments and, before it, imports.
 * A lone method that only parses inside its class (SNIPPET_WRAPPERS) is read there.
 */
export async function readReply(code: string, language: Language, path: string, name: string): Promise<ReplyVerdict> {
  const grammar = grammarFor(language, path);
  const plain = await parseSource(code, language, { path });
  try {
    let plainVerdict: ReplyVerdict | undefined;
    if (plain.errors.length === 0) {
      plainVerdict = judge(
        plain.tree.rootNode.children.map((node) => ({ node, source: code, shift: 0 })),
        grammar,
        name,
      );
      if (plainVerdict.ok) return plainVerdict;
    }
    if (!SNIPPET_WRAPPERS[language]) return plainVerdict ?? syntaxError(plain.errors);
    const wrapped = await readWrapped(code, language, path, name, plain.tree.rootNode);
    if (!Array.isArray(wrapped)) return wrapped.ok || !plainVerdict ? wrapped : plainVerdict;
    if (plainVerdict) return plainVerdict;
    // Like parseFunction: the wrapped reading's problems when they are fewer.
    return syntaxError(wrapped.length > 0 && wrapped.length < plain.errors.length ? wrapped : plain.errors);
  } finally {
    plain.tree.delete();
  }
}
