// A tiny template language for the prompt files under templates/, so prompts stay data:
//   {{name}}                  the value of `name`, inserted verbatim (never re-read as a template)
//   {{#name}}…{{/name}}       shown when `name` is true, a non-empty string or a non-empty list;
//                             a list repeats the part once per item, with the item's fields in scope
//   {{^name}}…{{/name}}       shown when `name` is false, empty or undefined
// A section tag alone on its line takes the whole line with it, so templates can be laid out one
// tag per line without leaving blank lines behind. Any placeholder the caller did not supply is an
// error, in hidden sections too: a typo in a template must fail the tests, not render as nothing.
import { TemplateError } from './template-error.js';

/** `undefined` means "known, but empty here" (e.g. a demonstration without provenance). */
export type TemplateValue = string | number | boolean | undefined | readonly TemplateScope[];
export interface TemplateScope {
  readonly [name: string]: TemplateValue;
}

type TemplateNode =
  { kind: 'text'; text: string } | { kind: 'value'; name: string } | { kind: 'section'; name: string; inverted: boolean; children: TemplateNode[] };

export interface CompiledTemplate {
  readonly name: string;
  render(values: TemplateScope): string;
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const TAG = new RegExp(`\\{\\{\\s*([#^/]?)\\s*(${NAME})\\s*\\}\\}`, 'g');
const STANDALONE = new RegExp(`^[ \\t]*(\\{\\{\\s*[#^/]\\s*${NAME}\\s*\\}\\})[ \\t]*(?:\\r?\\n|$)`, 'gm');

function textNode(text: string, name: string): TemplateNode {
  // Whatever is left that looks like a tag is a malformed one (`{{ user name }}`, `{{#}}`).
  if (text.includes('{{')) {
    const bad = text.slice(text.indexOf('{{'), text.indexOf('{{') + 30).split('\n')[0] ?? '';
    throw new TemplateError(name, undefined, `malformed tag near ${JSON.stringify(bad)}`);
  }
  return { kind: 'text', text };
}

/** Parses a template once; syntax errors (malformed or unbalanced tags) are thrown here. */
export function compileTemplate(source: string, name = 'template'): CompiledTemplate {
  const laidOut = source.replace(STANDALONE, '$1');
  const root: TemplateNode[] = [];
  const open: { name: string; children: TemplateNode[] }[] = [{ name: '', children: root }];
  let last = 0;
  for (const match of laidOut.matchAll(TAG)) {
    const [tag, sigil, tagName] = match as unknown as [string, string, string];
    const current = open[open.length - 1] as { name: string; children: TemplateNode[] };
    if (match.index > last) current.children.push(textNode(laidOut.slice(last, match.index), name));
    last = match.index + tag.length;
    if (sigil === '') {
      current.children.push({ kind: 'value', name: tagName });
    } else if (sigil === '/') {
      if (open.length === 1 || current.name !== tagName) {
        throw new TemplateError(name, tagName, `{{/${tagName}}} closes ${open.length === 1 ? 'nothing' : `{{#${current.name}}}`}`);
      }
      open.pop();
    } else {
      const section: TemplateNode = { kind: 'section', name: tagName, inverted: sigil === '^', children: [] };
      current.children.push(section);
      open.push({ name: tagName, children: section.children });
    }
  }
  const unclosed = open[open.length - 1];
  if (open.length > 1 && unclosed) throw new TemplateError(name, unclosed.name, `{{#${unclosed.name}}} is never closed`);
  if (last < laidOut.length) root.push(textNode(laidOut.slice(last), name));
  return { name, render: (values) => renderNodes(root, [values], name) };
}

function lookup(scopes: readonly TemplateScope[], key: string, template: string): TemplateValue {
  for (let i = scopes.length - 1; i >= 0; i -= 1) {
    const scope = scopes[i] as TemplateScope;
    if (Object.hasOwn(scope, key)) return scope[key];
  }
  throw new TemplateError(template, key, `unknown placeholder {{${key}}}`);
}

function isShown(value: TemplateValue): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== false && value !== '' && value !== 0;
}

function renderNodes(nodes: readonly TemplateNode[], scopes: readonly TemplateScope[], template: string): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') {
      out += node.text;
    } else if (node.kind === 'value') {
      const value = lookup(scopes, node.name, template);
      if (typeof value === 'boolean' || Array.isArray(value)) {
        throw new TemplateError(template, node.name, `{{${node.name}}} is a section value, not text`);
      }
      out += value === undefined ? '' : String(value);
    } else {
      const value = lookup(scopes, node.name, template);
      if (node.inverted) {
        if (!isShown(value)) out += renderNodes(node.children, scopes, template);
        else checkNames(node.children, scopes, template);
      } else if (Array.isArray(value)) {
        for (const item of value as readonly TemplateScope[]) out += renderNodes(node.children, [...scopes, item], template);
      } else if (isShown(value)) {
        out += renderNodes(node.children, scopes, template);
      } else {
        checkNames(node.children, scopes, template);
      }
    }
  }
  return out;
}

/**
 * Looks up every name in a hidden part, so a typo fails even when its section is off. Parts
 * repeated per list item are not entered: their names may be the items' own fields.
 */
function checkNames(nodes: readonly TemplateNode[], scopes: readonly TemplateScope[], template: string): void {
  for (const node of nodes) {
    if (node.kind === 'text') continue;
    const value = lookup(scopes, node.name, template);
    if (node.kind === 'section' && !Array.isArray(value)) checkNames(node.children, scopes, template);
  }
}

/** Compiles and renders in one go (for one-off sources; loaded templates are compiled once). */
export function renderTemplate(source: string, values: TemplateScope, name = 'template'): string {
  return compileTemplate(source, name).render(values);
}
