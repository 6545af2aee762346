// What parse-diff does not keep from git's extended headers: binary markers, and the exact paths
// of renames and of paths with spaces (parse-diff splits `diff --git a/x y b/x y` at the wrong
// ` b/`). One section per `diff ` line; hunk lines never start with `diff ` (they start with
// ' ', '+', '-' or '\'), so the count matches parse-diff's files for git-format diffs.

export interface DiffSection {
  binary: boolean;
  /** `rename from` / `copy from`. */
  from?: string;
  /** `rename to` / `copy to`. */
  to?: string;
  /** The path of a `diff --git a/P b/P` header whose two sides are equal (no rename). */
  samePath?: string;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Undoes git's C-style quoting of unusual paths: `"t\303\251 \"x\".py"` → `té "x".py`. */
export function unquoteGitPath(path: string): string {
  if (!(path.startsWith('"') && path.endsWith('"') && path.length >= 2)) return path;
  const body = path.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i] as string;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const octal = /^[0-3][0-7]{2}/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
      continue;
    }
    const next = body[i + 1] ?? '';
    bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
    i += 1;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** `a/P b/P` → P, the way git itself reads a header without a rename; undefined if the sides differ. */
function samePathOf(header: string): string | undefined {
  const rest = header.slice('diff --git '.length);
  if (rest.startsWith('"')) {
    const match = /^("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*")$/.exec(rest);
    if (!match?.[1] || !match[2]) return undefined;
    const [a, b] = [unquoteGitPath(match[1]), unquoteGitPath(match[2])];
    return a.slice(2) === b.slice(2) ? a.slice(2) : undefined;
  }
  if ((rest.length - 5) % 2 !== 0) return undefined;
  const length = (rest.length - 5) / 2;
  const left = rest.slice(2, 2 + length);
  const right = rest.slice(5 + length);
  return rest.startsWith('a/') && rest.slice(2 + length, 5 + length) === ' b/' && left === right ? left : undefined;
}

export function diffSections(text: string): DiffSection[] {
  const sections: DiffSection[] = [];
  let current: DiffSection | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('diff ')) {
      current = { binary: false };
      const samePath = line.startsWith('diff --git ') ? samePathOf(line) : undefined;
      if (samePath !== undefined) current.samePath = samePath;
      sections.push(current);
      continue;
    }
    if (!current) continue;
    const extended = /^(?:rename|copy) (from|to) (.+)$/.exec(line);
    if (extended?.[1] && extended[2]) current[extended[1] as 'from' | 'to'] = unquoteGitPath(extended[2]);
    else if (/^Binary files .* differ$/.test(line) || line === 'GIT binary patch') current.binary = true;
  }
  return sections;
}
