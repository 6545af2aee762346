// C and C++ code is hostile input to the compilers that analyze it. Before a tool runs, the code
// is refused when it has:
//  - an include of anything but a plain standard-style header (`<stdio.h>`, `<sys/types.h>`):
//    `#include "/proc/self/environ"` or `"../../x"` would make the compiler read local files and
//    quote them in its messages, which may end up in a review;
//  - a construct that silences the analyzers: `#pragma` (GCC/clang diagnostic, system_header,
//    optimize...), `_Pragma`, `#line` and GNU line markers (which can mark code as a system header),
//    or a test of `__clang_analyzer__`. A rewrite could otherwise hide what it adds.
// The scan is deliberately coarse: it undoes line splices, trigraphs and digraphs first, looks at
// every `#` (even inside strings), and refuses when in doubt. A refusal is a finding, so a rewrite
// that needs one is never "clean".
import type { Finding } from './types.js';

export interface RefusedConstruct {
  /** 1-based line in the original code. */
  line: number;
  /** What was refused, e.g. `#include "/etc/passwd"`, at most 80 characters. */
  text: string;
  reason: 'include' | 'suppression';
}

/** Pragmas that cannot silence anything. */
const HARMLESS_PRAGMAS = /^(once|pack)\b/;

/** `<name>` or `<dir/name.h>`: each segment starts with a letter, digit or underscore, so never `..` or `/`. */
const SAFE_HEADER = /^<[A-Za-z0-9_][A-Za-z0-9_+.-]*(\/[A-Za-z0-9_][A-Za-z0-9_+.-]*)*>$/;

interface Normalized {
  text: string;
  /** Original line of each character of `text`. */
  lines: number[];
}

/** Trigraphs `??=` `??/` and the digraph `%:` replaced, then backslash-newline splices removed. */
function normalize(code: string): Normalized {
  let text = '';
  const lines: number[] = [];
  let line = 1;
  for (let index = 0; index < code.length; index++) {
    const rest = code.slice(index, index + 3);
    let char = code[index] ?? '';
    let skip = 0;
    if (rest === '??=') [char, skip] = ['#', 2];
    else if (rest === '??/') [char, skip] = ['\\', 2];
    else if (rest.startsWith('%:')) [char, skip] = ['#', 1];
    text += char;
    lines.push(line);
    for (let step = 0; step <= skip; step++) if (code[index + step] === '\n') line++;
    index += skip;
  }
  let spliced = '';
  const splicedLines: number[] = [];
  const splice = /\\[ \t\f\v]*\r?\n/y;
  for (let index = 0; index < text.length; index++) {
    splice.lastIndex = index;
    const match = splice.exec(text);
    if (match) {
      index += match[0].length - 1;
      continue;
    }
    spliced += text[index];
    splicedLines.push(lines[index] ?? 1);
  }
  return { text: spliced, lines: splicedLines };
}

/** Index after whitespace and block comments starting at `from` (comments may span lines, as in a directive). */
function skipSpaceAndComments(text: string, from: number): number {
  let index = from;
  for (;;) {
    while (index < text.length && /[ \t\f\v\r]/.test(text[index] ?? '')) index++;
    if (text.startsWith('/*', index)) {
      const end = text.indexOf('*/', index + 2);
      if (end === -1) return text.length;
      index = end + 2;
      continue;
    }
    return index;
  }
}

/** The rest of a directive's logical line, comments removed; undefined when a comment never ends. */
function directiveRest(text: string, from: number): string | undefined {
  let out = '';
  let index = from;
  while (index < text.length && text[index] !== '\n') {
    if (text.startsWith('/*', index)) {
      const end = text.indexOf('*/', index + 2);
      if (end === -1) return undefined;
      out += ' ';
      index = end + 2;
    } else if (text.startsWith('//', index)) {
      break;
    } else {
      out += text[index];
      index++;
    }
  }
  return out.trim();
}

const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}...` : text);

/** Constructs in C or C++ code that the analyzers must not compile (see the file comment). */
export function refusedConstructs(code: string): RefusedConstruct[] {
  const { text, lines } = normalize(code);
  const refused: RefusedConstruct[] = [];
  const lineAt = (index: number) => lines[Math.min(index, lines.length - 1)] ?? 1;
  for (let hash = text.indexOf('#'); hash !== -1; hash = text.indexOf('#', hash + 1)) {
    const start = skipSpaceAndComments(text, hash + 1);
    const word = /^(?:[A-Za-z_]\w*|\d+)/.exec(text.slice(start, start + 40))?.[0];
    if (!word) continue;
    const rest = directiveRest(text, start + word.length);
    const shown = clip(`#${word} ${rest ?? ''}`.trim());
    if (['include', 'include_next', 'import', 'embed'].includes(word)) {
      if (rest === undefined || !SAFE_HEADER.test(rest)) refused.push({ line: lineAt(hash), text: shown, reason: 'include' });
    } else if (word === 'line' || /^\d/.test(word)) {
      refused.push({ line: lineAt(hash), text: shown, reason: 'suppression' });
    } else if (word === 'pragma' && (rest === undefined || !HARMLESS_PRAGMAS.test(rest))) {
      refused.push({ line: lineAt(hash), text: shown, reason: 'suppression' });
    }
  }
  for (const match of text.matchAll(/\b(_Pragma|__pragma|__clang_analyzer__)\b/g)) {
    refused.push({ line: lineAt(match.index), text: match[1] ?? '', reason: 'suppression' });
  }
  return refused.sort((a, b) => a.line - b.line);
}

/**
 * Findings for refused constructs (empty when the code may be compiled). Rule ids:
 * `unsafe-include` and `analyzer-suppression`.
 */
export function refusalFindings(code: string, analyzer: string): Finding[] {
  return refusedConstructs(code).map((construct) => ({
    ruleId: construct.reason === 'include' ? 'unsafe-include' : 'analyzer-suppression',
    cwe: [],
    message:
      construct.reason === 'include'
        ? `${analyzer} did not analyze the code: ${construct.text} reads a file other than a standard header`
        : `${analyzer} did not analyze the code: ${construct.text} can hide findings from the analyzers`,
    line: construct.line,
    severity: 'error',
  }));
}
