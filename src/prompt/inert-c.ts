// `#if 0` … `#endif` for C and C++. The preprocessor skips the group but still tracks conditional
// directives inside it, so a demonstration's own `#endif` would end the group early and a nested
// `#if` would swallow ours. Every conditional directive in the demonstration is therefore turned
// into a line comment (`// #endif`): readable, and never a directive.
//
// What counts as "a directive" is decided on the code as the preprocessor sees it after joining
// backslash-newline splices, with `%:` and `??=` spelling `#` and comments allowed around the `#`
// (GCC treats `#end\<newline>if`, `%:endif` and `/* a<newline>b */ #endif` as `#endif`). Matching
// is deliberately broad (a `#endif` inside a string or comment is disarmed too, and a line break
// may sit between `#` and the name): that costs a `// ` here and there, while missing a real
// directive would let the demonstration escape.
import type { Language } from '../lang/languages.js';

const SPLICE = /(?:\\|\?\?\/)[ \t\f\v\r]*\n/g;
/** `#` (any spelling), then blanks, newlines or comments, then a conditional directive's name. */
const CONDITIONAL = /(?:#|%:|\?\?=)(?:\s|\/\*[\s\S]*?\*\/)*(?:ifdef|ifndef|if|elifdef|elifndef|elif|else|endif)(?![A-Za-z0-9_$])/g;
const NEUTRALIZER = '// ';

interface Spliced {
  text: string;
  /** Index in the original text of each character of `text`. */
  origin: number[];
}

/** The text after translation phase 2 (line splices removed), with a map back to the original. */
function splice(text: string): Spliced {
  let out = '';
  const origin: number[] = [];
  let last = 0;
  const keep = (end: number) => {
    out += text.slice(last, end);
    for (let i = last; i < end; i += 1) origin.push(i);
  };
  for (const match of text.matchAll(SPLICE)) {
    keep(match.index);
    last = match.index + match[0].length;
  }
  keep(text.length);
  return { text: out, origin };
}

function neutralizeConditionals(text: string): string {
  const spliced = splice(text);
  const starts = [...spliced.text.matchAll(CONDITIONAL)].map((match) => spliced.origin[match.index] as number);
  let out = text;
  for (const start of starts.reverse()) out = out.slice(0, start) + NEUTRALIZER + out.slice(start);
  return out;
}

/**
 * What must be appended to close a block comment (or C++ raw string) left open at the end of the
 * code, which would otherwise swallow the closing `#endif`. Scans the spliced text the way the
 * preprocessor tokenizes it: comments, string and character literals (ending at a line break when
 * unterminated), and for C++ raw strings.
 */
function openConstructCloser(text: string, language: Language): string {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return '*/';
      i = end + 2;
    } else if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i + 2);
      if (end < 0) return '';
      i = end + 1;
    } else if (c === '"' && language === 'cpp' && text[i - 1] === 'R') {
      const raw = /"([^()\\\s]{0,16})\(/y;
      raw.lastIndex = i;
      const open = raw.exec(text);
      if (!open) {
        i = skipQuoted(text, i);
        continue;
      }
      const closer = `)${open[1] ?? ''}"`;
      const end = text.indexOf(closer, raw.lastIndex);
      if (end < 0) return closer;
      i = end + closer.length;
    } else if (c === '"' || c === "'") {
      i = skipQuoted(text, i);
    } else {
      i += 1;
    }
  }
  return '';
}

/** Index just past a quoted literal starting at `start`, or past the line break ending it. */
function skipQuoted(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === quote || c === '\n') return i + 1;
    else i += 1;
  }
  return i;
}

export function disableC(text: string, language: Language): string {
  let body = neutralizeConditionals(text);
  const closer = openConstructCloser(splice(body).text, language);
  if (closer) body += `\n${closer}`;
  // A final backslash (or `??/`) would splice the closing `#endif` onto the last line.
  if (/(?:\\|\?\?\/)[ \t\f\v\r]*$/.test(body)) body += '\n';
  return `#if 0\n${body}\n#endif`;
}
