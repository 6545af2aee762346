// CWE ids from the tags analyzers put on their rules (SARIF rule properties, GitHub alert rules).
import { cweId } from './id.js';

/**
 * CodeQL writes `external/cwe/cwe-089`; Semgrep and others write `CWE-89: Improper ...` or `cwe-89`.
 * Anything else (`security`, `correctness`) is not a CWE.
 */
const CWE_TAG = /^(?:external\/cwe\/)?cwe-0*([1-9]\d*)(?:$|[\s:])/i;

/** "external/cwe/cwe-089" → "CWE-89"; undefined for a tag that is not a CWE. */
export function cweFromTag(tag: string): string | undefined {
  const match = CWE_TAG.exec(tag.trim());
  return match?.[1] ? cweId(match[1]) : undefined;
}

/** The CWEs among `tags`, in first-seen order, without duplicates. */
export function cweFromTags(tags: readonly string[]): string[] {
  const found = new Set<string>();
  for (const tag of tags) {
    const cwe = cweFromTag(tag);
    if (cwe) found.add(cwe);
  }
  return [...found];
}
