// Path globs for ignore lists (`**/vendor/**`, `**/*.min.js`).
//
// Node 20.17+ has `path.matchesGlob`, but in Node 20 it is experimental: each process prints an
// ExperimentalWarning to stderr (noise in an Action's log and in CLI output) and its semantics
// may still change. The subset ignore lists need is small, so we translate it ourselves:
//   `**`  any number of path segments (also none): `**/x` matches `x` and `a/b/x`
//   `*`   any characters within one segment
//   `?`   one character within a segment
//   `{a,b}` alternatives
// Everything else matches itself. Paths are repo-relative with forward slashes; a pattern
// without a slash (`*.min.js`) matches the file name in any folder, as in .gitignore.

const cache = new Map<string, RegExp>();

function escape(char: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(char) ? `\\${char}` : char;
}

function translate(pattern: string): string {
  let out = '';
  let i = 0;
  let braces = 0;
  while (i < pattern.length) {
    const char = pattern[i] as string;
    if (char === '*' && pattern[i + 1] === '*') {
      const atStart = i === 0 || pattern[i - 1] === '/';
      const slashAfter = pattern[i + 2] === '/';
      if (atStart && slashAfter) {
        out += '(?:[^/]*/)*';
        i += 3;
        continue;
      }
      if (atStart && i + 2 === pattern.length) {
        out += '.*';
        i += 2;
        continue;
      }
      // `a**b` is just two stars in one segment.
      out += '[^/]*';
      i += 2;
      continue;
    }
    if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else if (char === '{') {
      out += '(?:';
      braces += 1;
    } else if (char === '}' && braces > 0) {
      out += ')';
      braces -= 1;
    } else if (char === ',' && braces > 0) out += '|';
    else out += escape(char);
    i += 1;
  }
  return out + ')'.repeat(braces);
}

/** The regular expression a glob stands for (cached). */
export function globToRegExp(pattern: string): RegExp {
  let regex = cache.get(pattern);
  if (!regex) {
    const anchored = pattern.includes('/') ? pattern.replace(/^\.?\//, '') : `**/${pattern}`;
    regex = new RegExp(`^${translate(anchored)}$`);
    cache.set(pattern, regex);
  }
  return regex;
}

/** Whether a repo-relative path matches a glob. Backslashes in the path are read as separators. */
export function matchesGlob(path: string, pattern: string): boolean {
  const normalized = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return globToRegExp(pattern).test(normalized);
}

/** The first pattern a path matches, or undefined. */
export function firstMatchingGlob(path: string, patterns: readonly string[]): string | undefined {
  return patterns.find((pattern) => matchesGlob(path, pattern));
}
