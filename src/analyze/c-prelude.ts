// Compilers need declarations that a lone function lacks: standard headers go in front of the code
// so `malloc`, `strcpy` or `size_t` are known, and reported lines are moved back afterwards.
import type { Language } from '../lang/languages.js';

/** Headers put in front of C code (default prelude). */
export const C_PRELUDE_HEADERS: readonly string[] = ['stdio.h', 'stdlib.h', 'string.h', 'stdint.h', 'stddef.h', 'limits.h', 'stdbool.h', 'unistd.h'];

/** Headers put in front of C++ code (default prelude). */
export const CPP_PRELUDE_HEADERS: readonly string[] = [
  'cstdio',
  'cstdlib',
  'cstring',
  'cstdint',
  'cstddef',
  'climits',
  'string',
  'vector',
  'memory',
  'unistd.h',
];

export interface Prelude {
  /** The code to compile: the includes, then the original code. */
  source: string;
  /** Lines added in front; subtract from reported lines. */
  lineOffset: number;
}

/** Prepends `#include <h>` for each header (the language's defaults unless given). */
export function withPrelude(code: string, language: Language, headers?: readonly string[]): Prelude {
  const list = headers ?? (language === 'cpp' ? CPP_PRELUDE_HEADERS : C_PRELUDE_HEADERS);
  if (list.length === 0) return { source: code, lineOffset: 0 };
  const includes = list.map((header) => `#include <${header}>`).join('\n');
  return { source: `${includes}\n${code}`, lineOffset: list.length };
}

/** A reported line moved back into the original code; 1 when it fell inside the prelude. */
export function originalLine(reported: number, lineOffset: number): number {
  return Math.max(1, reported - lineOffset);
}
