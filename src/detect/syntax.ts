// Small helpers over tree-sitter nodes shared by the function, parameter and import readers.
import type { Node as SyntaxNode } from 'web-tree-sitter';

export type { SyntaxNode };

export function field(node: SyntaxNode, name: string): SyntaxNode | null {
  return node.childForFieldName(name);
}

/** A node's text with whitespace runs collapsed, for names built from expressions. */
export function collapsed(node: SyntaxNode): string {
  return node.text.replace(/\s+/g, ' ').trim();
}

/** The first descendant (depth-first, the node included) of one of the types, not entering `skip` types. */
export function firstOfType(node: SyntaxNode, types: readonly string[], skip: readonly string[] = []): SyntaxNode | null {
  const stack: SyntaxNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as SyntaxNode;
    if (types.includes(current.type)) return current;
    if (current !== node && skip.includes(current.type)) continue;
    const children = current.namedChildren;
    for (let i = children.length - 1; i >= 0; i -= 1) {
      const child = children[i];
      if (child) stack.push(child);
    }
  }
  return null;
}

/** 0-based last row a node really covers: a node ending at column 0 ends on the row before. */
export function lastRow(node: SyntaxNode): number {
  const { row, column } = node.endPosition;
  return column === 0 && row > node.startPosition.row ? row - 1 : row;
}
