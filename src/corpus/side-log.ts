// Logs kept beside the corpus file, one JSON record a line, append-only: the audit trail
// (`audit.jsonl`) and the feedback on posted suggestions (`feedback.jsonl`). Both stores write them
// with the corpus's guarantees (locked or compare-and-swap, atomic, concurrent-safe); what a
// record means is the business of the module that reads it (audit.ts, feedback.ts).
import { z } from 'zod';
import type { LineProblem } from './jsonl.js';

export const SIDE_LOGS = { audit: 'audit.jsonl', feedback: 'feedback.jsonl' } as const;
export type SideLog = keyof typeof SIDE_LOGS;

/**
 * Decides, from the log's current records (as text), which lines to append; runs while the writer
 * holds the log, so a check and its append are one step (two operators retiring one entry at once
 * write one record). An empty array appends nothing.
 */
export type SideLogMerge = (currentText: string) => string[];

/** Every valid record of a log in order, and the lines skipped with why. */
export function parseSideLog<T>(text: string, file: string, schema: z.ZodType<T>): { records: T[]; problems: LineProblem[] } {
  const records: T[] = [];
  const problems: LineProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      problems.push({ file, line: index + 1, message: `not valid JSON (${(error as Error).message})` });
      return;
    }
    const result = schema.safeParse(json);
    if (result.success) records.push(result.data);
    else
      problems.push({
        file,
        line: index + 1,
        message: result.error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; '),
      });
  });
  return { records, problems };
}

/** `…/audit.jsonl:3: skipped record: not valid JSON (…)`, for a warning line. */
export function formatLogProblem(problem: LineProblem): string {
  return `${problem.file}:${problem.line}: skipped record: ${problem.message}`;
}
