// CWE ids from the tags analyzers put on their rules.
import { normalizeCwe } from '../corpus/entry.js';

/**
 * CodeQL writes `external/cwe/cwe-089`; Semgrep and others write `CWE-89: Improper ...` or `cwe-89`.
 * Anything else (`security`, `correctness`) is not a CWE.
 */
const CWE_TAG = /^(?:external\/cwe\/)?cwe-0*([1-9]\d*)(?:$|[\s:])/i;

/** "external/cwe/cwe-089" → "CWE-89", in first-seen order, without duplicates. */
export function cweFromTags(tags: readonly string[]): string[] {
  const found = new Set<string>();
  for (const tag of tags) {
    const match = CWE_TAG.exec(tag.trim());
    if (match?.[1]) found.add(normalizeCwe(match[1]));
  }
  return [...found];
}
