// What happens to items a reader cannot use: they are dropped, and the reason is kept.

/** One dropped item (a SARIF run, rule or result; a GitHub code-scanning alert) and why. */
export interface AlertProblem {
  /** Where the item came from: a SARIF file path, or "GitHub code scanning". */
  source: string;
  /** Where in the source: `runs[0].results[3]`, `alert #12`. */
  item: string;
  reason: string;
}
