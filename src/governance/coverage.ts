// What the corpus covers: live entries (retired ones excluded) per CWE and language, laid out by
// the CWE hierarchy, and the alerts the org saw that had no demonstration to show (feedback's
// `uncovered-alert` records), each with how many live entries its CWE and language have now.
// The coverage view and GET /api/coverage both render this one report.
import { cweName } from '../cwe/names.js';
import { LANGUAGES, type Language } from '../lang/languages.js';
import { groupByHierarchy } from './cwe-grouping.js';
import type { CorpusSnapshot } from './snapshot.js';

export type LanguageCounts = Record<Language, number>;

export interface CoverageRow {
  cwe: string;
  name?: string;
  depth: number;
  nestedUnder?: string;
  parents: string[];
  /** Live entries labelled with this CWE, per language. */
  counts: LanguageCounts;
  /** Live entries labelled with it, all languages. */
  total: number;
  /** Retired entries labelled with it (not in `counts`). */
  retired: number;
}

export interface CoverageGroup {
  pillar?: { cwe: string; name?: string };
  rows: CoverageRow[];
}

export interface UncoveredAlert {
  cwe: string[];
  language?: Language;
  repo?: string;
  /** How many times it was seen. */
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Live entries with one of its CWEs in its language now (the corpus may have grown since). */
  liveEntriesNow: number;
}

export interface CoverageReport {
  languages: readonly Language[];
  liveEntries: number;
  retiredEntries: number;
  /** Live entries per language. */
  byLanguage: LanguageCounts;
  groups: CoverageGroup[];
  /** Live entries with no CWE label, per language. */
  unlabelled: LanguageCounts;
  /** Most seen first. */
  uncoveredAlerts: UncoveredAlert[];
}

const zeroCounts = (): LanguageCounts => Object.fromEntries(LANGUAGES.map((language) => [language, 0])) as LanguageCounts;

function named(cwe: string): { cwe: string; name?: string } {
  const name = cweName(cwe);
  return name ? { cwe, name } : { cwe };
}

function uncoveredAlerts(snapshot: CorpusSnapshot, countsByCwe: Map<string, LanguageCounts>): UncoveredAlert[] {
  const byKey = new Map<string, UncoveredAlert>();
  for (const record of snapshot.feedback) {
    if (record.event !== 'uncovered-alert') continue;
    const cwe = [...new Set(record.cwe ?? [])].sort();
    const key = JSON.stringify([cwe, record.language ?? null, record.repo ?? null]);
    const seen = byKey.get(key);
    if (seen) {
      seen.count += 1;
      if (record.at < seen.firstSeen) seen.firstSeen = record.at;
      if (record.at > seen.lastSeen) seen.lastSeen = record.at;
      continue;
    }
    const language = record.language;
    const liveEntriesNow = language ? Math.max(0, ...cwe.map((id) => countsByCwe.get(id)?.[language] ?? 0)) : 0;
    byKey.set(key, {
      cwe,
      ...(language ? { language } : {}),
      ...(record.repo ? { repo: record.repo } : {}),
      count: 1,
      firstSeen: record.at,
      lastSeen: record.at,
      liveEntriesNow,
    });
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen));
}

export function coverageReport(snapshot: CorpusSnapshot): CoverageReport {
  const countsByCwe = new Map<string, LanguageCounts>();
  const retiredByCwe = new Map<string, number>();
  const byLanguage = zeroCounts();
  const unlabelled = zeroCounts();
  let liveEntries = 0;
  for (const entry of snapshot.entries) {
    if (snapshot.retired.has(entry.id)) {
      // A CWE whose only examples were retired keeps its row, empty: a gap someone made.
      for (const cwe of new Set(entry.cwe)) {
        retiredByCwe.set(cwe, (retiredByCwe.get(cwe) ?? 0) + 1);
        if (!countsByCwe.has(cwe)) countsByCwe.set(cwe, zeroCounts());
      }
      continue;
    }
    liveEntries += 1;
    byLanguage[entry.language] += 1;
    if (entry.cwe.length === 0) unlabelled[entry.language] += 1;
    for (const cwe of new Set(entry.cwe)) {
      const counts = countsByCwe.get(cwe) ?? zeroCounts();
      counts[entry.language] += 1;
      countsByCwe.set(cwe, counts);
    }
  }
  const alerts = uncoveredAlerts(snapshot, countsByCwe);
  // A CWE seen in an alert and absent from the corpus gets a row too: the gap the org has hit.
  for (const alert of alerts) for (const cwe of alert.cwe) if (!countsByCwe.has(cwe)) countsByCwe.set(cwe, zeroCounts());

  const groups = groupByHierarchy(countsByCwe.keys()).map((group) => ({
    ...(group.pillar ? { pillar: named(group.pillar) } : {}),
    rows: group.rows.map((row): CoverageRow => {
      const counts = countsByCwe.get(row.cwe) ?? zeroCounts();
      return {
        ...named(row.cwe),
        depth: row.depth,
        ...(row.nestedUnder ? { nestedUnder: row.nestedUnder } : {}),
        parents: row.parents,
        counts,
        total: Object.values(counts).reduce((sum, n) => sum + n, 0),
        retired: retiredByCwe.get(row.cwe) ?? 0,
      };
    }),
  }));
  return {
    languages: LANGUAGES,
    liveEntries,
    retiredEntries: snapshot.entries.length - liveEntries,
    byLanguage,
    groups,
    unlabelled,
    uncoveredAlerts: alerts,
  };
}
