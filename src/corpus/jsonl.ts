// Reading corpus JSON Lines: every bad line is reported with its file and line number and skipped.
import { corpusEntrySchema, type CorpusEntry } from './entry.js';

export interface LineProblem {
  file: string;
  /** 1-based line number. */
  line: number;
  message: string;
}

export interface ParsedCorpus {
  entries: CorpusEntry[];
  problems: LineProblem[];
}

export function parseCorpusJsonl(text: string, file: string): ParsedCorpus {
  const entries: CorpusEntry[] = [];
  const problems: LineProblem[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      problems.push({ file, line: index + 1, message: `not valid JSON (${(error as Error).message})` });
      return;
    }
    const result = corpusEntrySchema.safeParse(json);
    if (!result.success) {
      const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(entry)'}: ${issue.message}`);
      problems.push({ file, line: index + 1, message: issues.join('; ') });
      return;
    }
    entries.push(result.data);
  });
  return { entries, problems };
}

export function formatProblem(problem: LineProblem): string {
  return `${problem.file}:${problem.line}: skipped entry: ${problem.message}`;
}

export function serializeEntry(entry: CorpusEntry): string {
  return JSON.stringify(entry);
}
