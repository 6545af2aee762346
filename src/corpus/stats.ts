// Counts over a corpus, for `seccoder corpus stats`, with the official name of each CWE counted.
// Retired entries stay in the file (so `entries` counts them, and `retired` says how many) but
// are never retrieved, so every other figure is of the live entries: what suggestions learn from.
import { cweName } from '../cwe/names.js';
import type { CorpusEntry } from './entry.js';

export interface CorpusStats {
  /** Entries in the file, retired ones included. */
  entries: number;
  /** Entries retired through the audit trail (in the file, never retrieved). */
  retired: number;
  /** Entries retrieval uses: `entries - retired`. The counts below are of these. */
  live: number;
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

/** Counts over `all` entries, of which those whose id is in `retired` are left out of every figure but `entries` and `retired`. */
export function corpusStats(all: readonly CorpusEntry[], retired: ReadonlySet<string> = new Set()): CorpusStats {
  const entries = all.filter((entry) => !retired.has(entry.id));
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
    entries: all.length,
    retired: all.length - entries.length,
    live: entries.length,
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
  const counted = stats.retired > 0 ? [`the tables count the ${stats.live} live entries: retired ones stay in the file but are never retrieved`, ''] : [];
  return [
    `corpus: ${location}`,
    `entries: ${stats.entries} (${stats.retired} retired, ${stats.unlabelled} without a CWE), ${(fileBytes / 1024).toFixed(0)} KiB on disk, ` +
      `code ${stats.codeChars.total} chars (median ${stats.codeChars.median}, max ${stats.codeChars.max})`,
    '',
    ...counted,
    ...table('language', stats.byLanguage),
    '',
    ...table('origin', stats.byOrigin),
    '',
    ...table('cwe', stats.byCwe, stats.cweNames),
  ].join('\n');
}
