// A file's imports, includes and package lines: the context a model needs to see which libraries
// a function's calls come from.
import type { Grammar } from '../parse/index.js';
import { field, type SyntaxNode } from './syntax.js';

/** Node types whose subtrees are code, not file-level declarations: imports inside them are skipped. */
const SCOPES = new Set([
  'function_definition',
  'class_definition',
  'function_declaration',
  'method_definition',
  'method_declaration',
  'class_declaration',
  'class_body',
  'statement_block',
  'arrow_function',
  'function_expression',
  'compound_statement',
  'method',
  'singleton_method',
  'class',
  'module',
]);

function isRequireCall(node: SyntaxNode, names: readonly string[]): boolean {
  if (node.type !== 'call' && node.type !== 'call_expression') return false;
  const callee = field(node, 'method') ?? field(node, 'function');
  return callee?.type === 'identifier' && names.includes(callee.text) && !field(node, 'receiver');
}

/** A JS/TS `const x = require('x')` (possibly several declarators, or wrapped: `require('x').y`). */
function isRequireDeclaration(node: SyntaxNode): boolean {
  if (node.type !== 'lexical_declaration' && node.type !== 'variable_declaration') return false;
  return node.namedChildren.some((declarator) => {
    let value = declarator ? field(declarator, 'value') : null;
    while (value && value.type !== 'call_expression' && (value.type === 'member_expression' || value.type === 'await_expression')) {
      value = field(value, 'object') ?? value.namedChildren[0] ?? null;
    }
    return value ? isRequireCall(value, ['require']) : false;
  });
}

const IS_CONTEXT: Record<Grammar, (node: SyntaxNode) => boolean> = {
  python: (node) => ['import_statement', 'import_from_statement', 'future_import_statement'].includes(node.type),
  c: (node) => node.type === 'preproc_include',
  cpp: (node) => node.type === 'preproc_include',
  javascript: (node) => node.type === 'import_statement' || isRequireDeclaration(node),
  typescript: (node) => node.type === 'import_statement' || isRequireDeclaration(node),
  tsx: (node) => node.type === 'import_statement' || isRequireDeclaration(node),
  go: (node) => node.type === 'package_clause' || node.type === 'import_declaration',
  java: (node) => node.type === 'package_declaration' || node.type === 'import_declaration',
  ruby: (node) => isRequireCall(node, ['require', 'require_relative']),
};

/**
 * The file-level import lines under `root`, in order. Looks through `if`/`try`/`#ifdef` blocks
 * (Python's `try: import x except ImportError`, C's include guards) but not into functions or
 * classes, whose local imports are part of their code.
 */
export function fileContextOf(root: SyntaxNode, grammar: Grammar): string {
  const isContext = IS_CONTEXT[grammar];
  const found: string[] = [];
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as SyntaxNode;
    if (isContext(node)) {
      found.push(node.text.trim());
      continue;
    }
    if (node !== root && SCOPES.has(node.type)) continue;
    const children = node.namedChildren;
    for (let i = children.length - 1; i >= 0; i -= 1) {
      const child = children[i];
      if (child) stack.push(child);
    }
  }
  return found.join('\n');
}
