// Analyzer paths (SARIF URIs, absolute paths from a checkout) to the repo-relative, forward-slash
// paths the rest of the pipeline and GitHub use.

function decode(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    // A stray `%` that is not an escape: the URI was not encoded, keep it as written.
    return uri;
  }
}

/** `file:///home/x/repo/` → `/home/x/repo`; `C:\work\repo` → `C:/work/repo`. */
function comparable(path: string): string {
  let out = path.replace(/\\/g, '/');
  if (/^file:/i.test(out)) {
    out = decode(out.replace(/^file:(?:\/\/[^/]*)?/i, ''));
    // `file:///C:/x` leaves `/C:/x`.
    if (/^\/[A-Za-z]:\//.test(out)) out = out.slice(1);
  }
  return out.replace(/\/+$/, '');
}

/**
 * A repository-relative path for a SARIF URI or file path: strips `file://`, percent-escapes,
 * the first of `roots` (the checkout folder) that prefixes it, and a leading `./`.
 * A path under none of the roots is returned absolute, so it simply matches no repo file.
 */
export function toRepoPath(uri: string, roots: readonly string[] = []): string {
  let path = /^file:/i.test(uri) ? comparable(uri) : decode(uri.replace(/\\/g, '/'));
  for (const root of roots.map(comparable).filter((r) => r !== '')) {
    if (path.startsWith(`${root}/`)) {
      path = path.slice(root.length + 1);
      break;
    }
  }
  while (path.startsWith('./')) path = path.slice(2);
  return path;
}
