import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_NAMES, loadTemplate, templatesDir } from '../../src/prompt/templates.js';

const SOURCE_TEMPLATES = fileURLToPath(new URL('../../src/prompt/templates', import.meta.url));

describe('templates', () => {
  it('are read from the source tree, from src/ and from a build under dist/src/ alike', () => {
    expect(templatesDir()).toBe(SOURCE_TEMPLATES);
    const built = new URL('../../dist/src/prompt/templates.js', import.meta.url).href;
    expect(templatesDir(built)).toBe(SOURCE_TEMPLATES);
  });

  it.each(TEMPLATE_NAMES)('%s compiles', (name) => {
    expect(loadTemplate(name).name).toBe(name);
  });

  it('drop the final line break of their file, so a completion ends at its last placeholder', () => {
    expect(readFileSync(join(SOURCE_TEMPLATES, 'completion.txt'), 'utf8').endsWith('{{signature}}\n')).toBe(true);
    const out = loadTemplate('completion.txt').render({ demonstrations: [], hasContext: false, fileContext: '', signature: 'def f():' });
    expect(out).toBe('def f():');
  });
});
