// Parsing source code (whole files or single functions) and reporting its syntax problems.
import type { Node as SyntaxNode, Parser, Tree } from 'web-tree-sitter';
import type { Language } from '../lang/languages.js';
import { grammarFor, loadParser, type Grammar } from './grammars.js';

/** One ERROR or MISSING node of a parse, in the coordinates of the code the caller gave. */
export interface SyntaxProblem {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units (JavaScript string indices). */
  column: number;
  /** `error`: source the grammar could not fit; `missing`: a token the parser had to invent. */
  kind: 'error' | 'missing';
  /**
   * For `error`, up to 40 characters of the offending source (whitespace runs collapsed to one
   * space); for `missing`, the missing node's type (`;`, `}`, `identifier`, ...).
   */
  text: string;
}

export interface ParsedSource {
  tree: Tree;
  grammar: Grammar;
  /** Syntax problems in document order; empty when the code parsed cleanly. */
  errors: SyntaxProblem[];
}

export interface ParsedFunction extends ParsedSource {
  /** True when the code was parsed inside a synthetic wrapper (e.g. `class __SecCoder__ { ... }`). */
  wrapped: boolean;
  /**
   * Lines the wrapper added before the code: a tree node at 0-based row `r` is on 1-based line
   * `r + 1 - lineOffset` of the given code. `errors` are already mapped back; the tree is not.
   */
  lineOffset: number;
}

export interface ParseOptions {
  /** The file's path; picks the TSX grammar for `.tsx` files. */
  path?: string;
}

const SNIPPET_CHARS = 40;

/** Where the parsed text sits relative to the code the caller gave. */
interface Frame {
  code: string;
  /** UTF-16 code units before the code in the parsed text. */
  prefixLength: number;
  lineOffset: number;
  lineCount: number;
  lastLineLength: number;
}

function frameOf(code: string, prefix = ''): Frame {
  const lines = code.split('\n');
  return {
    code,
    prefixLength: prefix.length,
    lineOffset: prefix.split('\n').length - 1,
    lineCount: lines.length,
    lastLineLength: lines[lines.length - 1]?.length ?? 0,
  };
}

function snippet(source: string): string {
  const collapsed = source.replace(/\s+/g, ' ').trim();
  return Array.from(collapsed).slice(0, SNIPPET_CHARS).join('');
}

function toProblem(node: SyntaxNode, kind: SyntaxProblem['kind'], frame: Frame): SyntaxProblem {
  let line = node.startPosition.row + 1 - frame.lineOffset;
  let column = node.startPosition.column + 1;
  // Problems inside a wrapper's own lines are pinned to the nearest end of the caller's code.
  if (line < 1) {
    line = 1;
    column = 1;
  } else if (line > frame.lineCount) {
    line = frame.lineCount;
    column = frame.lastLineLength + 1;
  }
  let text: string;
  if (kind === 'missing') {
    text = node.type;
  } else {
    // Node indices are UTF-16 code units, so they slice the JavaScript string directly.
    const start = Math.max(0, node.startIndex - frame.prefixLength);
    const end = Math.max(start, node.endIndex - frame.prefixLength);
    text = snippet(frame.code.slice(start, end));
  }
  return { line, column, kind, text };
}

/**
 * ERROR and MISSING nodes under `root`, in document order. Walks with a TreeCursor and only
 * descends into subtrees whose `hasError` is set; does not look inside ERROR nodes (the outermost
 * one already covers the span). `wrapperBroken` tells whether a problem starts inside the
 * wrapper's prefix, i.e. the wrapper itself did not parse.
 */
function collectProblems(root: SyntaxNode, frame: Frame): { problems: SyntaxProblem[]; wrapperBroken: boolean } {
  const problems: SyntaxProblem[] = [];
  let wrapperBroken = false;
  if (!root.hasError) return { problems, wrapperBroken };
  const cursor = root.walk();
  try {
    let visit = true;
    for (;;) {
      if (visit) {
        const node = cursor.currentNode;
        const kind = node.isMissing ? 'missing' : node.isError ? 'error' : undefined;
        if (kind) {
          problems.push(toProblem(node, kind, frame));
          if (node.startIndex < frame.prefixLength) wrapperBroken = true;
        } else if (node.hasError && cursor.gotoFirstChild()) {
          continue;
        }
      }
      if (cursor.gotoNextSibling()) {
        visit = true;
      } else if (cursor.gotoParent()) {
        visit = false;
      } else {
        break;
      }
    }
  } finally {
    cursor.delete();
  }
  return { problems, wrapperBroken };
}

/** ERROR and MISSING nodes of a tree parsed from exactly `code`, in document order. */
export function collectSyntaxProblems(root: SyntaxNode, code: string): SyntaxProblem[] {
  return collectProblems(root, frameOf(code)).problems;
}

function parseWith(parser: Parser, grammar: Grammar, text: string): Tree {
  const tree = parser.parse(text);
  if (!tree) throw new Error(`tree-sitter returned no tree for the ${grammar} grammar`);
  return tree;
}

/** Parses code with the language's grammar (TSX for `.tsx` paths) and lists its syntax problems. */
export async function parseSource(code: string, language: Language, options: ParseOptions = {}): Promise<ParsedSource> {
  const grammar = grammarFor(language, options.path);
  const parser = await loadParser(grammar);
  const tree = parseWith(parser, grammar, code);
  return { tree, grammar, errors: collectProblems(tree.rootNode, frameOf(code)).problems };
}

/**
 * Wrappers for languages where a single function lifted out of a class may not parse at top level
 * (Java constructors, JS/TS class methods, C++ in-class friends). Each prefix adds one line.
 */
/** How a lone method is put back in a class so that it parses as it did in its file. */
export const SNIPPET_WRAPPERS: Partial<Record<Language, { prefix: string; suffix: string }>> = {
  java: { prefix: 'class __SecCoder__ {\n', suffix: '\n}' },
  javascript: { prefix: 'class __SecCoder__ {\n', suffix: '\n}' },
  typescript: { prefix: 'class __SecCoder__ {\n', suffix: '\n}' },
  cpp: { prefix: 'struct __SecCoder__ {\n', suffix: '\n};' },
};

/**
 * Parses a single function (a corpus entry or a changed hunk). When the plain parse has problems
 * and the language has a class wrapper, also parses the code inside the wrapper and keeps that
 * result if it has fewer problems and the wrapper's own header parsed (an ERROR swallowing the
 * wrapper would hide the real problems). Problems are always reported in the caller's lines.
 */
export async function parseFunction(code: string, language: Language, options: ParseOptions = {}): Promise<ParsedFunction> {
  const plain = await parseSource(code, language, options);
  const wrapper = SNIPPET_WRAPPERS[language];
  if (plain.errors.length === 0 || !wrapper) return { ...plain, wrapped: false, lineOffset: 0 };

  const parser = await loadParser(plain.grammar);
  const tree = parseWith(parser, plain.grammar, wrapper.prefix + code + wrapper.suffix);
  const frame = frameOf(code, wrapper.prefix);
  const { problems: errors, wrapperBroken } = collectProblems(tree.rootNode, frame);
  if (!wrapperBroken && errors.length < plain.errors.length) {
    plain.tree.delete();
    return { tree, grammar: plain.grammar, errors, wrapped: true, lineOffset: frame.lineOffset };
  }
  tree.delete();
  return { ...plain, wrapped: false, lineOffset: 0 };
}

export interface WrappedParse extends ParsedFunction {
  /** A problem starts inside the wrapper's own prefix: the wrapper itself did not parse. */
  wrapperBroken: boolean;
}

/**
 * Parses code inside its language's class wrapper whether or not it parses on its own (a lone
 * method can parse cleanly as something else at the top level: `find(x)` and then a block).
 * Undefined for languages without a wrapper.
 */
export async function parseWrapped(code: string, language: Language, options: ParseOptions = {}): Promise<WrappedParse | undefined> {
  const wrapper = SNIPPET_WRAPPERS[language];
  if (!wrapper) return undefined;
  const grammar = grammarFor(language, options.path);
  const parser = await loadParser(grammar);
  const tree = parseWith(parser, grammar, wrapper.prefix + code + wrapper.suffix);
  const frame = frameOf(code, wrapper.prefix);
  const { problems: errors, wrapperBroken } = collectProblems(tree.rootNode, frame);
  return { tree, grammar, errors, wrapped: true, lineOffset: frame.lineOffset, wrapperBroken };
}

/**
 * Source text quoted in a message, which ends up on a terminal or a check run: control and
 * undecodable characters become `?`, and it is cut at 40 characters.
 */
function quoted(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\uFFFD]/g, '?');
  const chars = Array.from(clean);
  return chars.length <= 40 ? clean : `${chars.slice(0, 39).join('')}…`;
}

/** "line 3, column 5: unexpected 'foo('; line 9, column 1: missing ';'" (and "; and N more"). */
export function describeSyntaxProblems(problems: readonly SyntaxProblem[], max = 3): string {
  const shown = problems.slice(0, Math.max(0, max)).map((problem) => {
    const where = `line ${problem.line}, column ${problem.column}`;
    if (problem.kind === 'missing') return `${where}: missing '${quoted(problem.text)}'`;
    return problem.text ? `${where}: unexpected '${quoted(problem.text)}'` : `${where}: syntax error`;
  });
  const rest = problems.length - shown.length;
  if (rest > 0) shown.push(`and ${rest} more`);
  return shown.join('; ');
}
