// The paper's integration step: the demonstration goes into the prompt *inert*, so the model reads
// it but it is not live code of the file being completed. Python: a triple-quoted string; C/C++:
// `#if 0` … `#endif`; Ruby: `=begin` … `=end`; the others: a block comment. Each wrapper escapes
// whatever in the demonstration could end it early, so nothing after the wrapper's opening line
// can ever become live code, whatever the demonstration contains.
import type { Language } from '../lang/languages.js';
import { disableC } from './inert-c.js';

/** `code` wrapped so the language reads it as a string or comment; no trailing line break. */
export function wrapInert(code: string, language: Language): string {
  // Trailing blank lines carry nothing and would only push the closing line further down.
  const text = code.trimEnd();
  switch (language) {
    case 'python':
      return pythonString(text);
    case 'c':
    case 'cpp':
      return disableC(text, language);
    case 'ruby':
      return rubyComment(text);
    case 'java':
      return blockComment(decodeJavaCommentEscapes(text));
    case 'javascript':
    case 'typescript':
    case 'go':
      return blockComment(text);
  }
}

/**
 * A raw triple-quoted string, with `'''` when the code has a `"""` docstring and no `'''`.
 * Raw, because the demonstration's backslashes would otherwise be escape sequences, and some
 * (`\N{…}`, a truncated `\x`) are compile errors. When both quote styles occur, every `"""` becomes
 * `\"\"\"`: a backslash-escaped quote cannot end the string, raw or not, and what is left of a longer
 * run is at most two quotes. The closing delimiter sits on its own line, so a trailing quote or
 * backslash in the code cannot join it.
 */
function pythonString(text: string): string {
  let quote = '"""';
  let body = text;
  if (text.includes('"""')) {
    if (!text.includes("'''")) quote = "'''";
    else body = text.replace(/"""/g, '\\"\\"\\"');
  }
  return `r${quote}\n${body}\n${quote}`;
}

/**
 * Ruby ends `=begin` at a line starting with `=end`, but tree-sitter's Ruby grammar (which checks
 * the model's answers) ends it at any `=end`, even mid-line. So every `=end` becomes `= end`, which
 * in Ruby code is the same `=` followed by the same name.
 */
function rubyComment(text: string): string {
  return `=begin\n${text.replace(/=end/g, '= end')}\n=end`;
}

/** Block comments do not nest, so only `*` followed by `/` can end one: it becomes `* /`. */
function blockComment(text: string): string {
  return `/*\n${text.replace(/\*\//g, '* /')}\n*/`;
}

/**
 * Java turns `\u002a` and `\u002f` into `*` and `/` before it looks for comments, so
 * `\u002a\u002f` inside a comment ends it. Such escapes are decoded here, and the `*` `/` they form
 * is then disarmed like any other. A backslash starts an escape only after an even number of
 * backslashes (JLS 3.3); `u` may repeat.
 */
function decodeJavaCommentEscapes(text: string): string {
  return text.replace(/(?<!\\)((?:\\\\)*)\\u+(002[aAfF])/g, (_match, backslashes: string, hex: string) => {
    return backslashes + String.fromCharCode(Number.parseInt(hex, 16));
  });
}
