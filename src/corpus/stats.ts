// Counts over a corpus, for `seccoder corpus stats`.
import type { CorpusEntry } from './entry.js';

export interface CorpusStats {
  entries: number;
  byLanguage: Record<string, number>;
  byCwe: Record<string, number>;
  byOrigin: Record<string, number>;
  /** Entries with no CWE label. */
  unlabelled: number;
  codeChars: { total: number; median: number; max: number };
}

function countInto(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function sortedByCount(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
}

export function corpusStats(entries: readonly CorpusEntry[]): CorpusStats {
  const byLanguage: Record<string, number> = {};
  const byCwe: Record<string, number> = {};
  const byOrigin: Record<string, number> = {};
  let unlabelled = 0;
  for (const entry of entries) {
    countInto(byLanguage, entry.language);
    countInto(byOrigin, entry.origin);
    if (entry.cwe.length === 0) unlabelled += 1;
    for (const cwe of entry.cwe) countInto(byCwe, cwe);
  }
  const lengths = entries.map((entry) => entry.code.length).sort((a, b) => a - b);
  return {
    entries: entries.length,
    byLanguage: sortedByCount(byLanguage),
    byCwe: sortedByCount(byCwe),
    byOrigin: sortedByCount(byOrigin),
    unlabelled,
    codeChars: {
      total: lengths.reduce((sum, n) => sum + n, 0),
      median: lengths.length === 0 ? 0 : (lengths[Math.floor((lengths.length - 1) / 2)] ?? 0),
      max: lengths.at(-1) ?? 0,
    },
  };
}

function table(title: string, counts: Record<string, number>): string[] {
  const width = Math.max(title.length, ...Object.keys(counts).map((key) => key.length));
  return [
    `${title.padEnd(width)}  entries`,
    ...Object.entries(counts).map(([key, n]) => `${key.padEnd(width)}  ${String(n).padStart(7)}`),
  ];
}

export function formatStats(stats: CorpusStats, location: string, fileBytes: number): string {
  return [
    `corpus: ${location}`,
    `entries: ${stats.entries} (${stats.unlabelled} without a CWE), ${(fileBytes / 1024).toFixed(0)} KiB on disk, ` +
      `code ${stats.codeChars.total} chars (median ${stats.codeChars.median}, max ${stats.codeChars.max})`,
    '',
    ...table('language', stats.byLanguage),
    '',
    ...table('origin', stats.byOrigin),
    '',
    ...table('cwe', stats.byCwe),
  ].join('\n');
}
