// What sits at the top level of a parsed snippet: comments, imports, decorators waiting for their
// member, and code. Decided on node types, so a string holding `# x` or `/* x */` is code, and a
// comment that closes early leaves what follows it as code.
import type { Node as SyntaxNode } from 'web-tree-sitter';
import type { Language } from '../lang/languages.js';
import type { Grammar } from './grammars.js';
import { SNIPPET_WRAPPERS } from './parse-source.js';
import { isComment } from './syntax-key.js';

export type TopLevelKind = 'comment' | 'import' | 'decorator' | 'code';

const JS_IMPORTS = new Set(['import_statement']);

/** Statements that only import; anything else at the top level is code. */
const IMPORT_TYPES: Record<Grammar, ReadonlySet<string>> = {
  python: new Set(['import_statement', 'import_from_statement', 'future_import_statement']),
  javascript: JS_IMPORTS,
  typescript: JS_IMPORTS,
  tsx: JS_IMPORTS,
  java: new Set(['import_declaration']),
  go: new Set(['import_declaration']),
  c: new Set(['preproc_include']),
  cpp: new Set(['preproc_include']),
  ruby: new Set(),
};

/** `#include <x.h>` and `#include "x.h"` name a header; `#include MACRO` runs the preprocessor on code we cannot see. */
const INCLUDE_PATHS = new Set(['system_lib_string', 'string_literal']);

export function topLevelKind(node: SyntaxNode, grammar: Grammar): TopLevelKind {
  if (isComment(node)) return 'comment';
  if (IMPORT_TYPES[grammar].has(node.type)) {
    if (node.type !== 'preproc_include') return 'import';
    const path = node.childForFieldName('path');
    return path && INCLUDE_PATHS.has(path.type) ? 'import' : 'code';
  }
  // TypeScript puts a class member's decorators before it, as siblings in the class body.
  if (node.type === 'decorator') return 'decorator';
  return 'code';
}

/**
 * The members of the class wrapper a lone method was parsed in (see SNIPPET_WRAPPERS), in order,
 * with the body's braces and bare `;` separators left out. Undefined when the code did not stay
 * inside the wrapper: it closed the wrapper's brace and went on at the top level.
 */
export function wrapperMembers(root: SyntaxNode, language: Language, codeLength: number): SyntaxNode[] | undefined {
  const wrapper = SNIPPET_WRAPPERS[language];
  if (!wrapper) return undefined;
  const named = root.namedChildren;
  const only = named.length === 1 ? named[0] : undefined;
  const body = only?.childForFieldName('body');
  const children = body?.children ?? [];
  const open = children[0];
  const close = children[children.length - 1];
  // The braces must be the wrapper's own: `{` at the end of its first line, `}` in its suffix.
  const openAt = wrapper.prefix.lastIndexOf('{');
  const closeAt = wrapper.prefix.length + codeLength + wrapper.suffix.indexOf('}');
  if (!open || !close || open.type !== '{' || open.startIndex !== openAt || close.type !== '}' || close.startIndex !== closeAt) return undefined;
  return children.slice(1, -1).filter((child) => child.isNamed || child.type !== ';');
}
