// Zod's validation issues as one line, for messages about input that did not fit its schema.

/** Zod's issues as one line: `locations.0.physicalLocation.region.startLine: expected number`. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
