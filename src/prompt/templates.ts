// Loading the prompt templates (data files under src/prompt/templates/).
// `tsc` builds to dist/src/prompt/ and does not copy .md/.txt files, so templates are always read
// from the source tree: the package root is found by walking up from this module to the nearest
// package.json, which works from src/ (tests) and from dist/src/ (the built CLI) alike.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTemplate, type CompiledTemplate } from './render.js';

export const TEMPLATE_NAMES = ['completion.txt', 'chat-system.md', 'chat-user.md', 'context-omitted.txt'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The folder holding the templates: `<package root>/src/prompt/templates`. */
export function templatesDir(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'src', 'prompt', 'templates');
}

const cache = new Map<TemplateName, CompiledTemplate>();

/**
 * A template, compiled once per process. The file's final line break is dropped (editors add
 * one), so a completion prompt ends exactly where its template's last placeholder does.
 */
export function loadTemplate(name: TemplateName): CompiledTemplate {
  let template = cache.get(name);
  if (!template) {
    const source = readFileSync(join(templatesDir(), name), 'utf8').replace(/\r?\n$/, '');
    template = compileTemplate(source, name);
    cache.set(name, template);
  }
  return template;
}
