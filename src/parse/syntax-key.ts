// Comparing source by its tokens: two spellings of a signature that differ only in whitespace or
// comments are the same signature, while a changed string literal, even one space inside it, is not.
import type { Node as SyntaxNode } from 'web-tree-sitter';

/** Comment node types of the grammars (tree-sitter-java splits line and block comments). */
export const COMMENT_TYPES: ReadonlySet<string> = new Set(['comment', 'line_comment', 'block_comment']);

export function isComment(node: SyntaxNode): boolean {
  return COMMENT_TYPES.has(node.type);
}

export interface TokenOptions {
  /** Subtrees replaced by a single `…` token (a function's body inside its signature). */
  elide?: readonly SyntaxNode[];
  /** Subtrees left out altogether (decorators, compared on their own). */
  skip?: readonly SyntaxNode[];
}

export interface TokenText {
  /** The tokens in source order, without comments and whitespace. */
  tokens: string[];
  /** The tokens spaced where the source had whitespace (or a comment) between them, for messages. */
  text: string;
}

/**
 * The tokens of `nodes` (siblings, in order; indices into `source`, the text that was parsed).
 * Tokens are the leaves' text; text between leaves that no leaf covers is kept as a token when it
 * is not blank, so a grammar that leaves part of a literal unparsed still compares it.
 */
export function tokensOf(nodes: readonly SyntaxNode[], source: string, options: TokenOptions = {}): TokenText {
  const elide = new Set((options.elide ?? []).map((node) => node.id));
  const skip = new Set((options.skip ?? []).map((node) => node.id));
  const tokens: string[] = [];
  let text = '';
  let end = nodes[0]?.startIndex ?? 0;
  let spaced = false;

  const push = (token: string) => {
    text += (spaced && text !== '' ? ' ' : '') + token;
    tokens.push(token);
    spaced = false;
  };
  const gapTo = (start: number) => {
    if (start <= end) return;
    const gap = source.slice(end, start);
    if (gap.trim() === '') spaced = true;
    else push(gap.trim());
    end = start;
  };
  const visit = (node: SyntaxNode) => {
    gapTo(node.startIndex);
    if (isComment(node) || skip.has(node.id)) {
      spaced = true;
    } else if (elide.has(node.id)) {
      push('…');
    } else if (node.childCount === 0) {
      if (node.endIndex > node.startIndex) push(source.slice(node.startIndex, node.endIndex));
    } else {
      for (const child of node.children) visit(child);
      gapTo(node.endIndex);
    }
    end = Math.max(end, node.endIndex);
  };
  for (const node of nodes) visit(node);
  return { tokens, text };
}

/** A comparison key for token lists: equal keys, equal token sequences. */
export function tokenKey(tokens: readonly string[]): string {
  return JSON.stringify(tokens);
}
