// Which tree-sitter nodes are functions and which open a class-like scope, per grammar.
//
// Node types were read off the grammars' trees (tree-sitter-python 0.25, -c 0.24, -cpp 0.23,
// -javascript 0.25, -typescript 0.23, -go 0.25, -java 0.23, -ruby 0.23).
import type { Grammar } from '../parse/index.js';
import { collapsed, field, type SyntaxNode } from './syntax.js';

export interface FunctionNode {
  /** The function itself; its parameters and body hang off it. */
  node: SyntaxNode;
  /**
   * Where the function's source begins: decorators, `export`, `template <...>`, `const f =`
   * belong to the function a reviewer would rewrite.
   */
  start: SyntaxNode;
  /** Where it ends (`const f = () => {};` ends after the `;`). */
  end: SyntaxNode;
  name: string;
  /** Set when the function itself says its class (C++ `A::b`, Go receivers, Ruby `def Foo.x`). */
  className?: string;
  parameters: SyntaxNode | null;
  /** Null for bodiless forms we still accept (Ruby `def x; end` without statements). */
  body: SyntaxNode | null;
}

export interface GrammarRules {
  /** The function a node is, if any. `insideFunction`: an enclosing function was already found. */
  functionAt(node: SyntaxNode, insideFunction: boolean): FunctionNode | undefined;
  /** The name of the class/struct/module a node opens, if it opens one. */
  classNameAt(node: SyntaxNode): string | undefined;
}

function named(node: SyntaxNode, name: string | undefined, extra: Partial<FunctionNode> = {}): FunctionNode | undefined {
  if (!name) return undefined;
  return {
    node,
    start: node,
    end: node,
    name,
    parameters: field(node, 'parameters'),
    body: field(node, 'body'),
    ...extra,
  };
}

function nameText(node: SyntaxNode): string | undefined {
  return field(node, 'name')?.text;
}

// --- Python -----------------------------------------------------------------------------------

const python: GrammarRules = {
  functionAt(node) {
    if (node.type !== 'function_definition') return undefined;
    const decorated = node.parent?.type === 'decorated_definition' ? node.parent : node;
    return named(node, nameText(node), { start: decorated, end: decorated });
  },
  classNameAt(node) {
    return node.type === 'class_definition' ? nameText(node) : undefined;
  },
};

// --- C and C++ --------------------------------------------------------------------------------

/** Follows a definition's declarator (`*f(...)`, `&f(...)`) down to its function_declarator. */
function functionDeclarator(declarator: SyntaxNode | null): SyntaxNode | null {
  let current = declarator;
  while (current) {
    if (current.type === 'function_declarator') return current;
    current = field(current, 'declarator') ?? current.namedChildren.find((child) => child?.type.endsWith('declarator')) ?? null;
  }
  return null;
}

/** `ns::A::b` → name `b`, class `A`; a namespace-only qualifier reads as a class too (we cannot tell). */
function qualifiedName(declarator: SyntaxNode): { name: string; className?: string } {
  let current = declarator;
  let className: string | undefined;
  while (current.type === 'qualified_identifier') {
    const scope = field(current, 'scope');
    if (scope) className = (field(scope, 'name') ?? scope).text;
    const next = field(current, 'name');
    if (!next) break;
    current = next;
  }
  const name = current.type === 'template_function' ? (field(current, 'name') ?? current).text : collapsed(current);
  return className ? { name, className } : { name };
}

const cFamily: GrammarRules = {
  functionAt(node) {
    if (node.type !== 'function_definition') return undefined;
    const declarator = functionDeclarator(field(node, 'declarator'));
    const inner = declarator ? field(declarator, 'declarator') : null;
    const body = field(node, 'body');
    // `= default` / `= delete` and K&R oddities have nothing to harden.
    if (!declarator || !inner || !body) return undefined;
    const { name, className } = qualifiedName(inner);
    const start = node.parent?.type === 'template_declaration' ? node.parent : node;
    return named(node, name, { start, parameters: field(declarator, 'parameters'), body, ...(className ? { className } : {}) });
  },
  classNameAt(node) {
    if (node.type !== 'class_specifier' && node.type !== 'struct_specifier' && node.type !== 'union_specifier') return undefined;
    // A struct only opens a scope where it has a body (not in `struct s *p;`).
    return field(node, 'body') ? nameText(node) : undefined;
  },
};

// --- JavaScript, TypeScript, TSX --------------------------------------------------------------

const JS_FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
const JS_DECLARATIONS = new Set(['function_declaration', 'generator_function_declaration']);
const JS_CLASSES = new Set(['class_declaration', 'abstract_class_declaration', 'class']);

/** `export function f` starts at `export`. */
function withExport(node: SyntaxNode): SyntaxNode {
  return node.parent?.type === 'export_statement' ? node.parent : node;
}

/** TypeScript keeps method decorators as siblings before the method, not inside it. */
function firstDecorator(node: SyntaxNode): SyntaxNode {
  let start = node;
  let previous = node.previousNamedSibling;
  while (previous?.type === 'decorator') {
    start = previous;
    previous = previous.previousNamedSibling;
  }
  return start;
}

function unquote(key: SyntaxNode): string {
  return key.type === 'string' ? key.text.slice(1, -1) : key.text;
}

/** Name of what a call passes a callback to: `app.get`, `router.route('/x').post` → `post`. */
function calleeName(call: SyntaxNode | null): string | undefined {
  const callee = call ? (field(call, 'function') ?? field(call, 'constructor')) : null;
  if (!callee) return undefined;
  const text = collapsed(callee);
  if (text.length <= 40) return text;
  return field(callee, 'property')?.text ?? text.slice(0, 40);
}

/** An unnamed function value named by where it is put: `const f =`, `x.f =`, `{ f: ... }`, `f = ...` in a class. */
function jsFunctionValue(node: SyntaxNode, insideFunction: boolean): FunctionNode | undefined {
  const parent = node.parent;
  if (!parent) return undefined;
  switch (parent.type) {
    case 'variable_declarator': {
      const name = field(parent, 'name');
      if (name?.type !== 'identifier') return undefined;
      const declaration = parent.parent;
      // `const f = () => {};` starts at `const` unless the declaration lists several variables.
      const whole = declaration && declaration.namedChildren.filter((child) => child?.type === 'variable_declarator').length === 1;
      const start = whole && declaration ? withExport(declaration) : parent;
      return jsNamed(node, name.text, start);
    }
    case 'assignment_expression': {
      const left = field(parent, 'left');
      if (!left) return undefined;
      const name = left.type === 'member_expression' ? field(left, 'property')?.text : left.text;
      const statement = parent.parent?.type === 'expression_statement' ? parent.parent : parent;
      return jsNamed(node, name, statement);
    }
    case 'pair': {
      const key = field(parent, 'key');
      return key ? jsNamed(node, unquote(key), parent) : undefined;
    }
    case 'field_definition':
    case 'public_field_definition': {
      const key = field(parent, 'property') ?? field(parent, 'name');
      return key ? jsNamed(node, key.text, firstDecorator(parent)) : undefined;
    }
    case 'export_statement':
      return jsNamed(node, 'default', parent);
    case 'arguments': {
      // Top-level callbacks (`app.get('/', (req, res) => {...})`) are where much JS request
      // handling lives; inside a function they are part of that function.
      if (insideFunction || field(node, 'body')?.type !== 'statement_block') return undefined;
      const callee = calleeName(parent.parent);
      return callee ? jsNamed(node, `${callee} callback`, node) : undefined;
    }
    default:
      return undefined;
  }
}

function jsNamed(node: SyntaxNode, name: string | undefined, start: SyntaxNode): FunctionNode | undefined {
  // An arrow with one bare parameter (`x => x`) has `parameter`, not `parameters`.
  const parameters = field(node, 'parameters') ?? field(node, 'parameter');
  return named(node, name, { start, end: start.endIndex > node.endIndex ? start : node, parameters });
}

const javascript: GrammarRules = {
  functionAt(node, insideFunction) {
    if (JS_DECLARATIONS.has(node.type)) {
      if (!field(node, 'body')) return undefined;
      const start = withExport(node);
      return named(node, nameText(node) ?? (start !== node ? 'default' : undefined), { start, end: start });
    }
    if (node.type === 'method_definition') {
      const name = field(node, 'name');
      return name && field(node, 'body') ? named(node, name.text, { start: firstDecorator(node) }) : undefined;
    }
    if (JS_FUNCTION_VALUES.has(node.type)) return jsFunctionValue(node, insideFunction);
    return undefined;
  },
  classNameAt(node) {
    if (!JS_CLASSES.has(node.type)) return undefined;
    const name = nameText(node);
    if (name) return name;
    // `const Foo = class { ... }`
    const parent = node.parent;
    return parent?.type === 'variable_declarator' ? field(parent, 'name')?.text : undefined;
  },
};

// --- Go ---------------------------------------------------------------------------------------

/** `func (s *Server[T]) X()` → `Server`. */
function receiverType(method: SyntaxNode): string | undefined {
  const receiver = field(method, 'receiver')?.namedChildren.find((child) => child?.type === 'parameter_declaration');
  let type = receiver ? field(receiver, 'type') : null;
  while (type && type.type !== 'type_identifier') {
    type = type.type === 'generic_type' ? field(type, 'type') : (type.namedChildren[0] ?? null);
  }
  return type?.text;
}

/** `f := func(...) {...}`, `var f = func...`, `f = func...`: one name, one value. */
function goAssignedName(literal: SyntaxNode): { name: string; statement: SyntaxNode } | undefined {
  const list = literal.parent;
  const statement = list?.type === 'expression_list' ? list.parent : null;
  if (!list || !statement || list.namedChildCount !== 1) return undefined;
  if (statement.type === 'var_spec') {
    const names = statement.childrenForFieldName('name');
    const only = names.length === 1 ? names[0] : undefined;
    return only ? { name: only.text, statement } : undefined;
  }
  if (statement.type !== 'short_var_declaration' && statement.type !== 'assignment_statement') return undefined;
  const left = field(statement, 'left');
  const target = left?.namedChildCount === 1 ? left.namedChildren[0] : null;
  return target?.type === 'identifier' ? { name: target.text, statement } : undefined;
}

const go: GrammarRules = {
  functionAt(node) {
    switch (node.type) {
      case 'function_declaration':
        // Bodiless declarations are implemented in assembly.
        return field(node, 'body') ? named(node, nameText(node)) : undefined;
      case 'method_declaration': {
        if (!field(node, 'body')) return undefined;
        const className = receiverType(node);
        return named(node, nameText(node), className ? { className } : {});
      }
      case 'func_literal': {
        const assigned = goAssignedName(node);
        const start = assigned?.statement.parent?.type === 'var_declaration' ? assigned.statement.parent : assigned?.statement;
        return assigned && start ? named(node, assigned.name, { start, end: start }) : undefined;
      }
      default:
        return undefined;
    }
  },
  classNameAt() {
    // Go has no class scopes; methods carry their receiver type instead.
    return undefined;
  },
};

// --- Java -------------------------------------------------------------------------------------

const JAVA_FUNCTIONS = new Set(['method_declaration', 'constructor_declaration', 'compact_constructor_declaration']);
const JAVA_CLASSES = new Set(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration', 'annotation_type_declaration']);

const java: GrammarRules = {
  functionAt(node) {
    // Abstract and interface methods have no body to harden.
    if (!JAVA_FUNCTIONS.has(node.type) || !field(node, 'body')) return undefined;
    return named(node, nameText(node));
  },
  classNameAt(node) {
    return JAVA_CLASSES.has(node.type) ? nameText(node) : undefined;
  },
};

// --- Ruby -------------------------------------------------------------------------------------

const ruby: GrammarRules = {
  functionAt(node) {
    if (node.type === 'method') return named(node, nameText(node));
    if (node.type === 'singleton_method') {
      // `def self.x` belongs to the enclosing class; `def Foo.x` names its own.
      const object = field(node, 'object');
      const className = object && object.type !== 'self' ? object.text : undefined;
      return named(node, nameText(node), className ? { className } : {});
    }
    return undefined;
  },
  classNameAt(node) {
    if (node.type !== 'class' && node.type !== 'module') return undefined;
    const name = field(node, 'name');
    // `class A::B` is class B.
    return name ? (field(name, 'name') ?? name).text : undefined;
  },
};

export const RULES: Record<Grammar, GrammarRules> = {
  python,
  c: cFamily,
  cpp: cFamily,
  javascript,
  typescript: javascript,
  tsx: javascript,
  go,
  java,
  ruby,
};
