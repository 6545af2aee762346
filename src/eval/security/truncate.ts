// Where a completion stops being the function: SVEN's rule (sven/evaler.py), which the paper's
// numbers rest on. Python: at the first line that starts at column 0 (the function is over), else
// before a trailing comment line the model had no room to follow with code. Brace languages: after
// the first `}` at column 0, else before a trailing comment with the brace closed by hand. Ruby:
// after the first `end` at column 0.
import type { Language } from '../../lang/languages.js';

function cutBeforeLastComment(completion: string, markers: readonly string[]): string | undefined {
  for (const marker of markers) {
    const at = completion.lastIndexOf(marker);
    if (at !== -1) return completion.slice(0, at);
  }
  return undefined;
}

export function truncateCompletion(completion: string, language: Language): string {
  const text = completion.replace(/\r\n?/g, '\n');
  if (language === 'python') {
    for (const match of text.matchAll(/\n/g)) {
      const next = text[match.index + 1];
      if (next !== undefined && !/\s/.test(next)) return text.slice(0, match.index);
    }
    return cutBeforeLastComment(text, ['\n    #']) ?? text;
  }
  if (language === 'ruby') {
    const end = text.indexOf('\nend');
    return end === -1 ? text : text.slice(0, end + 4);
  }
  const close = text.indexOf('\n}');
  if (close !== -1) return text.slice(0, close + 2);
  const cut = cutBeforeLastComment(text, ['\n    //', '\n    /*']);
  return cut === undefined ? text : `${cut.trimEnd()}\n}`;
}
