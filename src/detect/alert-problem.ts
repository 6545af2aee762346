// What happens to alerts that cannot be used: they are dropped, and the reason is kept and logged.

/** One dropped item (a SARIF result or run, a GitHub alert) and why. */
export interface AlertProblem {
  /** Where the item came from: a SARIF file path, or "GitHub code scanning". */
  source: string;
  /** Where in the source: `runs[0].results[3]`, `alert #12`. */
  item: string;
  reason: string;
}

/** The part of a pino logger alert sources use, so tests and the CLI can pass their own. */
export interface AlertLogger {
  warn(details: object, message: string): void;
}

/** Zod's issues as one line: `locations.0.physicalLocation.region.startLine: expected number`. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
