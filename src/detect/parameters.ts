// Parameter names of a function, in order, without types or defaults: what a rewrite must keep
// for callers to still work.
import type { Grammar } from '../parse/index.js';
import { collapsed, field, firstOfType, type SyntaxNode } from './syntax.js';

const NAME_TYPES = ['identifier', 'field_identifier'];

/** C/C++: the name inside a declarator (`*buf`, `argv[]`, `&s`, `(*cb)(int)`); null when unnamed. */
function declaratorName(declarator: SyntaxNode | null): string | null {
  if (!declarator) return null;
  // Parameter lists inside function-pointer declarators name the pointee's parameters, not ours.
  return firstOfType(declarator, NAME_TYPES, ['parameter_list'])?.text ?? null;
}

function cFamily(parameter: SyntaxNode): string[] {
  switch (parameter.type) {
    case 'variadic_parameter':
      return ['...'];
    case 'parameter_declaration':
    case 'optional_parameter_declaration':
    case 'variadic_parameter_declaration': {
      const name = declaratorName(field(parameter, 'declarator'));
      // `f(void)` and unnamed parameters (`void g(int)`) have nothing a caller could name.
      return name ? [name] : [];
    }
    default:
      return [];
  }
}

function python(parameter: SyntaxNode): string[] {
  switch (parameter.type) {
    case 'identifier':
      return [parameter.text];
    case 'default_parameter':
    case 'typed_default_parameter': {
      const name = field(parameter, 'name');
      return name ? python(name) : [];
    }
    case 'typed_parameter':
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern': {
      const name = firstOfType(parameter, ['identifier'], ['type']);
      return name ? [name.text] : [];
    }
    case 'tuple_pattern':
      return [collapsed(parameter)];
    default:
      // `/` and `*` separators, comments.
      return [];
  }
}

/** JS/TS pattern → its name; destructuring keeps its pattern text (`{ a, b }`), which is what callers see. */
function jsPattern(pattern: SyntaxNode): string[] {
  switch (pattern.type) {
    case 'identifier':
      return [pattern.text];
    // TypeScript's `this: Window` only types the receiver; it is not an argument.
    case 'this':
      return [];
    case 'assignment_pattern': {
      const left = field(pattern, 'left');
      return left ? jsPattern(left) : [];
    }
    case 'rest_pattern': {
      const inner = pattern.namedChildren[0];
      return inner ? jsPattern(inner) : [];
    }
    case 'required_parameter':
    case 'optional_parameter': {
      const inner = field(pattern, 'pattern');
      return inner ? jsPattern(inner) : [];
    }
    case 'object_pattern':
    case 'array_pattern':
      return [collapsed(pattern)];
    default:
      return [];
  }
}

function go(parameter: SyntaxNode): string[] {
  if (parameter.type !== 'parameter_declaration' && parameter.type !== 'variadic_parameter_declaration') return [];
  // `a, b int` declares two names; `func(int)` declares none.
  return parameter.childrenForFieldName('name').map((name) => name.text);
}

function java(parameter: SyntaxNode): string[] {
  switch (parameter.type) {
    case 'formal_parameter': {
      const name = field(parameter, 'name');
      return name ? [name.text] : [];
    }
    case 'spread_parameter': {
      const declarator = firstOfType(parameter, ['variable_declarator']);
      const name = declarator ? field(declarator, 'name') : null;
      return name ? [name.text] : [];
    }
    default:
      // receiver_parameter (`Foo this`) is not an argument.
      return [];
  }
}

function ruby(parameter: SyntaxNode): string[] {
  switch (parameter.type) {
    case 'identifier':
      return [parameter.text];
    case 'forward_parameter':
      return ['...'];
    case 'optional_parameter':
    case 'keyword_parameter':
    case 'splat_parameter':
    case 'hash_splat_parameter':
    case 'block_parameter': {
      // An anonymous `*`, `**` or `&` forwards arguments but names nothing.
      const name = field(parameter, 'name');
      return name ? [name.text] : [];
    }
    case 'destructured_parameter':
      return [collapsed(parameter)];
    default:
      return [];
  }
}

const READERS: Record<Grammar, (parameter: SyntaxNode) => string[]> = {
  python,
  c: cFamily,
  cpp: cFamily,
  javascript: jsPattern,
  typescript: jsPattern,
  tsx: jsPattern,
  go,
  java,
  ruby,
};

/**
 * Names of the parameters in a parameter list node (`parameters`, `formal_parameters`,
 * `parameter_list`, `method_parameters`, or a JS arrow's single bare identifier).
 */
export function parameterNames(list: SyntaxNode | null, grammar: Grammar): string[] {
  if (!list) return [];
  const read = READERS[grammar];
  if (list.type === 'identifier') return read(list);
  return list.namedChildren.flatMap((parameter) => (parameter ? read(parameter) : []));
}
