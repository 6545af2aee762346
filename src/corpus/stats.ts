// Counts over a corpus, for `seccoder corpus stats`, with the official name of each CWE counted.
import { cweName } from '../cwe/names.js';
import type { CorpusEntry } from './entry.js';

export interface CorpusStats {
  entries: number;
  byLanguage: Record<string, number>;
  byCwe: Record<string, number>;
  /** The official name of each CWE in `byCwe` the dictionary knows ("CWE-89" → "Improper Neutralization …"). */
  cweNames: Record<string, string>;
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
  const cweNames: Record<string, string> = {};
  for (const cwe of Object.keys(byCwe)) {
    const name = cweName(cwe);
    if (name) cweNames[cwe] = name;
  }
  return {
    entries: entries.length,
    byLanguage: sortedByCount(byLanguage),
    byCwe: sortedByCount(byCwe),
    cweNames,
    byOrigin: sortedByCount(byOrigin),
    unlabelled,
    codeChars: {
      total: lengths.reduce((sum, n) => sum + n, 0),
      median: lengths.length === 0 ? 0 : (lengths[Math.floor((lengths.length - 1) / 2)] ?? 0),
      max: lengths.at(-1) ?? 0,
    },
  };
}

/** A two-column table, or three with `names`: the name of each key, after its count (names are long). */
function table(title: string, counts: Record<string, number>, names?: Record<string, string>): string[] {
  const width = Math.max(title.length, ...Object.keys(counts).map((key) => key.length));
  const name = (key: string) => (names?.[key] ? `  ${names[key]}` : '');
  return [
    `${title.padEnd(width)}  entries${names ? '  name' : ''}`,
    ...Object.entries(counts).map(([key, n]) => `${key.padEnd(width)}  ${String(n).padStart(7)}${name(key)}`),
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
    ...table('cwe', stats.byCwe, stats.cweNames),
  ].join('\n');
}
