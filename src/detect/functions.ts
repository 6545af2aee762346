// Functions and methods of a source file, found with tree-sitter, as the pipeline's unit of work.
import type { Language } from '../lang/languages.js';
import { parseSource, SNIPPET_WRAPPERS, type Grammar, type SyntaxProblem } from '../parse/index.js';
import { fileContextOf } from './file-context.js';
import { RULES, type FunctionNode } from './function-nodes.js';
import { parameterNames } from './parameters.js';
import { lastRow, type SyntaxNode } from './syntax.js';
import type { FunctionInfo } from './types.js';

/** Everything the pipeline reads from one parse of a file. */
export interface SourceAnalysis {
  functions: FunctionInfo[];
  fileContext: string;
  /** Syntax problems tree-sitter recovered from; functions spanning one may be cut wrong. */
  errors: SyntaxProblem[];
}

interface Found {
  match: FunctionNode;
  className: string | undefined;
}

/** Walks the tree without recursion (generated code nests deep enough to overflow the stack). */
function findFunctions(root: SyntaxNode, grammar: Grammar): Found[] {
  const rules = RULES[grammar];
  const found: Found[] = [];
  const stack: { node: SyntaxNode; className: string | undefined; insideFunction: boolean }[] = [{ node: root, className: undefined, insideFunction: false }];
  while (stack.length > 0) {
    const { node, className, insideFunction } = stack.pop() as (typeof stack)[number];
    const match = rules.functionAt(node, insideFunction);
    if (match) found.push({ match, className: match.className ?? className });
    const childClass = rules.classNameAt(node) ?? className;
    const children = node.namedChildren;
    for (let i = children.length - 1; i >= 0; i -= 1) {
      const child = children[i];
      if (child) stack.push({ node: child, className: childClass, insideFunction: insideFunction || match !== undefined });
    }
  }
  return found;
}

/**
 * Code sharing the function's first and last lines (`x = 1; function f() {`, `} module.exports = f;`):
 * the text before its start on its first line and after its end on its last line, when not blank.
 */
function sharedLineText(code: string, startIndex: number, endIndex: number): { textBefore?: string; textAfter?: string } {
  const lineStart = code.lastIndexOf('\n', startIndex - 1) + 1;
  const before = code.slice(lineStart, startIndex);
  // A node ending at column 0 ends on the line before (see lastRow): nothing follows it there.
  const after =
    endIndex > 0 && code[endIndex - 1] === '\n' ? '' : code.slice(endIndex, code.indexOf('\n', endIndex) === -1 ? code.length : code.indexOf('\n', endIndex));
  return { ...(/\S/.test(before) ? { textBefore: before } : {}), ...(/\S/.test(after) ? { textAfter: after } : {}) };
}

function toInfo({ match, className }: Found, code: string, lines: string[], grammar: Grammar): FunctionInfo {
  const startRow = match.start.startPosition.row;
  const endRow = Math.max(lastRow(match.end), lastRow(match.node));
  const signatureStart = match.start.startIndex;
  // Without a body (Ruby `def x; end`), the signature stops after the parameters or the name.
  const bodyStart = match.body?.startIndex ?? (match.parameters ?? match.node.childForFieldName('name') ?? match.node).endIndex;
  return {
    name: match.name,
    ...(className ? { className } : {}),
    startLine: startRow + 1,
    endLine: endRow + 1,
    code: lines.slice(startRow, endRow + 1).join('\n'),
    parameters: parameterNames(match.parameters, grammar),
    signature: code.slice(signatureStart, Math.max(signatureStart, bodyStart)).trimEnd(),
    ...sharedLineText(code, signatureStart, Math.max(match.end.endIndex, match.node.endIndex)),
  };
}

/** Parses a file once and reads its functions, imports and syntax problems. */
export async function analyzeSource(code: string, language: Language, path?: string): Promise<SourceAnalysis> {
  const { tree, grammar, errors } = await parseSource(code, language, path === undefined ? {} : { path });
  try {
    const lines = code.split('\n');
    const functions = findFunctions(tree.rootNode, grammar)
      .map((found) => toInfo(found, code, lines, grammar))
      .sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
    return { functions, fileContext: fileContextOf(tree.rootNode, grammar), errors };
  } finally {
    // Trees live in tree-sitter's wasm heap, which the garbage collector does not see.
    tree.delete();
  }
}

/**
 * Every function and method in the file, outer before inner, with 1-based inclusive line ranges
 * of whole lines (decorators, annotations, `export` and `template <...>` included).
 */
export async function extractFunctions(code: string, language: Language, path?: string): Promise<FunctionInfo[]> {
  return (await analyzeSource(code, language, path)).functions;
}

/**
 * Functions of a lone snippet, such as a model's rewrite of one method: a method alone may only
 * parse inside a class, so the snippet is read inside its wrapper when that parses better. Lines
 * are the snippet's own.
 */
export async function extractSnippetFunctions(code: string, language: Language, path?: string): Promise<FunctionInfo[]> {
  const plain = await analyzeSource(code, language, path);
  const wrapper = SNIPPET_WRAPPERS[language];
  if (plain.errors.length === 0 || !wrapper) return plain.functions;
  const wrapped = await analyzeSource(wrapper.prefix + code + wrapper.suffix, language, path);
  if (wrapped.errors.length >= plain.errors.length) return plain.functions;
  const offset = wrapper.prefix.split('\n').length - 1;
  const last = offset + code.split('\n').length;
  return wrapped.functions
    .filter((fn) => fn.startLine > offset && fn.endLine <= last)
    .map(({ className: _wrapperClass, ...fn }) => ({ ...fn, startLine: fn.startLine - offset, endLine: fn.endLine - offset }));
}

/** The file's import/include/require/package lines, one per line, in file order. */
export async function extractFileContext(code: string, language: Language, path?: string): Promise<string> {
  return (await analyzeSource(code, language, path)).fileContext;
}

/** The innermost function whose lines contain `line`, or undefined. */
export function enclosingFunction(functions: readonly FunctionInfo[], line: number): FunctionInfo | undefined {
  let best: FunctionInfo | undefined;
  for (const candidate of functions) {
    if (line < candidate.startLine || line > candidate.endLine) continue;
    // Nested functions are shorter than their parents; equal spans (one-liners) take the later start.
    const span = candidate.endLine - candidate.startLine;
    const bestSpan = best ? best.endLine - best.startLine : Infinity;
    if (span < bestSpan || (span === bestSpan && best && candidate.startLine >= best.startLine)) best = candidate;
  }
  return best;
}
