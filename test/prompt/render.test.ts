import { describe, expect, it } from 'vitest';
import { compileTemplate, renderTemplate } from '../../src/prompt/render.js';
import { TemplateError } from '../../src/prompt/template-error.js';

describe('renderTemplate', () => {
  it('inserts values verbatim, numbers as text and undefined as nothing', () => {
    expect(renderTemplate('{{a}}-{{ b }}-{{c}}', { a: 'x<y>&', b: 3, c: undefined })).toBe('x<y>&-3-');
  });

  it('never reads a value as a template', () => {
    expect(renderTemplate('{{code}}', { code: '{{secret}} {{#x}}' })).toBe('{{secret}} {{#x}}');
  });

  it('shows a section for true, a non-empty string or list, and hides it otherwise', () => {
    const t = compileTemplate('[{{#on}}yes{{/on}}]');
    expect(t.render({ on: true })).toBe('[yes]');
    expect(t.render({ on: 'text' })).toBe('[yes]');
    expect(t.render({ on: false })).toBe('[]');
    expect(t.render({ on: '' })).toBe('[]');
    expect(t.render({ on: undefined })).toBe('[]');
    expect(t.render({ on: [] })).toBe('[]');
  });

  it("repeats a list section per item, with the item's fields and the outer ones in scope", () => {
    const out = renderTemplate('{{#items}}{{n}}:{{name}}@{{where}};{{/items}}', {
      where: 'here',
      items: [
        { n: 1, name: 'a' },
        { n: 2, name: 'b', where: 'there' },
      ],
    });
    expect(out).toBe('1:a@here;2:b@there;');
  });

  it('shows an inverted section only when the value is empty', () => {
    const t = compileTemplate('{{^items}}none{{/items}}');
    expect(t.render({ items: [] })).toBe('none');
    expect(t.render({ items: [{}] })).toBe('');
  });

  it('drops the lines of section tags that stand alone', () => {
    const source = 'a\n{{#on}}\n  b\n{{/on}}\n{{^on}}\nc\n{{/on}}\nd';
    expect(renderTemplate(source, { on: true })).toBe('a\n  b\nd');
    expect(renderTemplate(source, { on: false })).toBe('a\nc\nd');
  });

  it('rejects an unknown placeholder at render time, naming it and the template', () => {
    const t = compileTemplate('Hello {{nmae}}', 'greeting.md');
    expect(() => t.render({ name: 'x' })).toThrow(TemplateError);
    expect(() => t.render({ name: 'x' })).toThrow('greeting.md: unknown placeholder {{nmae}}');
    try {
      t.render({});
    } catch (error) {
      expect((error as TemplateError).placeholder).toBe('nmae');
    }
  });

  it('rejects an unknown section name and a typo inside a shown section', () => {
    expect(() => renderTemplate('{{#missing}}x{{/missing}}', {})).toThrow('unknown placeholder {{missing}}');
    expect(() => renderTemplate('{{#items}}{{nam}}{{/items}}', { items: [{ name: 'a' }] })).toThrow('{{nam}}');
  });

  it('rejects a typo inside a hidden section too, except in the per-item part of a list', () => {
    expect(() => renderTemplate('{{#on}}{{nmae}}{{/on}}', { on: false, name: 'x' })).toThrow('{{nmae}}');
    expect(() => renderTemplate('{{^on}}{{#off}}{{nmae}}{{/off}}{{/on}}', { on: true, off: true })).toThrow('{{nmae}}');
    expect(renderTemplate('{{#on}}{{#items}}{{field}}{{/items}}{{/on}}', { on: false, items: [] })).toBe('');
  });

  it('rejects malformed and unbalanced tags when compiling', () => {
    expect(() => compileTemplate('{{ two words }}')).toThrow('malformed tag');
    expect(() => compileTemplate('{{#}}')).toThrow('malformed tag');
    expect(() => compileTemplate('{{#a}}x')).toThrow('{{#a}} is never closed');
    expect(() => compileTemplate('{{#a}}x{{/b}}')).toThrow('{{/b}} closes {{#a}}');
    expect(() => compileTemplate('x{{/a}}')).toThrow('{{/a}} closes nothing');
  });

  it('rejects a list or a flag used as text', () => {
    expect(() => renderTemplate('{{items}}', { items: [] })).toThrow('section value');
    expect(() => renderTemplate('{{on}}', { on: true })).toThrow('section value');
  });
});
