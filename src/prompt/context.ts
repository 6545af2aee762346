// The file context as lines that can be cut from the end, preferring cuts that keep whole
// top-level blocks, with a marker that tells the model something was left out.
import type { Language } from '../lang/languages.js';
import { loadTemplate } from './templates.js';

/** The context's lines, without trailing blank lines. */
export function contextLines(fileContext: string): string[] {
  const trimmed = fileContext.replace(/\s+$/, '');
  return trimmed === '' ? [] : trimmed.split('\n');
}

/**
 * Where the context may be cut (numbers of leading lines to keep, ascending, ending with all of
 * them): before a non-indented line that follows a blank one, which is where top-level blocks
 * (functions, classes, import groups) usually start, so a cut rarely leaves a body or string open.
 */
export function blockCuts(lines: readonly string[]): number[] {
  const cuts = [0];
  for (let k = 1; k < lines.length; k += 1) {
    const line = lines[k] as string;
    if ((lines[k - 1] as string).trim() === '' && line.trim() !== '' && !/^\s/.test(line)) cuts.push(k);
  }
  if (lines.length > 0) cuts.push(lines.length);
  return cuts;
}

/** Every line count from 0 to all: the fallback when no block boundary fits. */
export function lineCuts(lines: readonly string[]): number[] {
  return Array.from({ length: lines.length + 1 }, (_, k) => k);
}

const LINE_COMMENT: Record<Language, string> = {
  python: '#',
  ruby: '#',
  c: '//',
  cpp: '//',
  javascript: '//',
  typescript: '//',
  go: '//',
  java: '//',
};

/** The first `keep` lines, then (when any were dropped) a comment line saying how many. */
export function trimContext(lines: readonly string[], keep: number, language: Language): string {
  if (keep >= lines.length) return lines.join('\n');
  const kept = lines.slice(0, keep).join('\n').replace(/\s+$/, '');
  const marker = loadTemplate('context-omitted.txt').render({
    comment: LINE_COMMENT[language],
    count: lines.length - keep,
    lines: lines.length - keep === 1 ? 'line' : 'lines',
  });
  return kept === '' ? marker : `${kept}\n${marker}`;
}
