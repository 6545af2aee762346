// What can be measured without a model: how well each mode's demonstrations match the scenarios
// (the retrieval benchmark's metrics), and fix-pattern recall: for SVEN's validation pairs, the
// share of the tokens the real fix introduced that the retrieved demonstrations contain.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { CorpusEntry } from '../../corpus/entry.js';
import { normalizeCwe } from '../../cwe/id.js';
import { languageFromPath, type Language } from '../../lang/languages.js';
import { outcomeOf, randomExpectation, scoreOutcomes, type RetrievalScores } from '../retrieval-metrics.js';
import { demonstrationsForMode, type DemonstrationChooser, type EvalMode } from './modes.js';
import type { EvalScenario } from './scenario-sets.js';

/** Retrieval scores of a mode over the scenarios; null for `none` (it shows no demonstration). */
export async function retrievalScores(chooser: DemonstrationChooser, mode: EvalMode, scenarios: readonly EvalScenario[]): Promise<RetrievalScores | null> {
  if (mode === 'none') return null;
  if (mode === 'random') {
    const expectations = scenarios.map((scenario) => randomExpectation(chooser.entries, scenario.language, scenario.cwe));
    const matched = expectations.filter((expectation) => expectation.avgMin !== undefined);
    const n = scenarios.length;
    return {
      n,
      acc1: n === 0 ? 0 : expectations.reduce((sum, e) => sum + e.acc1, 0) / n,
      acc1Related: n === 0 ? 0 : expectations.reduce((sum, e) => sum + e.acc1Related, 0) / n,
      acc5: n === 0 ? 0 : expectations.reduce((sum, e) => sum + e.acc5, 0) / n,
      avgMinNumber: matched.length === 0 ? Number.NaN : matched.reduce((sum, e) => sum + (e.avgMin ?? 0), 0) / matched.length,
      unmatched: n - matched.length,
    };
  }
  const retriever = chooser.retrieverFor(mode);
  const outcomes = [];
  for (const scenario of scenarios) {
    const ranking = await retriever.retrieve({ code: scenario.fileContext + scenario.funcContext, language: scenario.language, k: chooser.entries.length });
    outcomes.push(
      outcomeOf(
        ranking.map((demo) => demo.entry),
        scenario.cwe,
      ),
    );
  }
  return scoreOutcomes(outcomes);
}

const pairSchema = z
  .object({
    func_src_before: z.string(),
    commit_link: z.string(),
    file_name: z.string(),
    vul_type: z.string(),
    line_changes: z.object({ added: z.array(z.object({ line: z.string() }).loose()) }).loose(),
  })
  .loose();

export interface FixPair {
  id: string;
  language: Language;
  cwe: string;
  before: string;
  commit?: string;
  /** The lines the fix added. */
  added: string[];
}

/** SVEN's validation pairs (`sven/data_train_val/val/*.jsonl`); [] when the folder is missing. */
export async function loadFixPairs(dataDir: string): Promise<FixPair[]> {
  const dir = join(dataDir, 'sven', 'data_train_val', 'val');
  if (!existsSync(dir)) return [];
  const pairs: FixPair[] = [];
  for (const name of (await readdir(dir)).filter((file) => file.endsWith('.jsonl')).sort()) {
    const lines = (await readFile(join(dir, name), 'utf8')).split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      const pair = pairSchema.parse(JSON.parse(line));
      const language = languageFromPath(pair.file_name);
      if (!language) return;
      pairs.push({
        id: `sven-val:${name}:${index + 1}`,
        language,
        cwe: normalizeCwe(pair.vul_type),
        before: pair.func_src_before,
        commit: /\/commit\/([0-9a-f]+)/.exec(pair.commit_link)?.[1],
        added: pair.line_changes.added.map((change) => change.line),
      });
    });
  }
  return pairs;
}

/** Identifiers, keywords and numbers: the words a fix is made of (punctuation would say nothing). */
export function wordTokens(code: string): Set<string> {
  return new Set(code.match(/[A-Za-z_][A-Za-z0-9_]*|\d+/g) ?? []);
}

/** Distinct tokens of the added lines that the vulnerable function did not have: what the fix brought. */
export function fixTokens(pair: Pick<FixPair, 'before' | 'added'>): Set<string> {
  const before = wordTokens(pair.before);
  return new Set([...wordTokens(pair.added.join('\n'))].filter((token) => !before.has(token)));
}

export interface FixPatternRecall {
  /** Pairs measured (those whose fix brought at least one new token). */
  pairs: number;
  /** Mean over those pairs of the share of the fix's new tokens found in the demonstrations. */
  recall: number;
}

/**
 * Fix-pattern recall of a mode; null for `none`. Demonstrations from the pair's own fixing commit
 * are skipped (they would be the answer itself).
 */
export async function fixPatternRecall(chooser: DemonstrationChooser, mode: EvalMode, pairs: readonly FixPair[], k: number): Promise<FixPatternRecall | null> {
  if (mode === 'none') return null;
  let measured = 0;
  let total = 0;
  for (const pair of pairs) {
    const wanted = fixTokens(pair);
    if (wanted.size === 0) continue;
    const ranked = await demonstrationsForMode(chooser, mode, { code: pair.before, language: pair.language, seed: pair.id }, k + 5);
    const demos = ranked.filter((entry: CorpusEntry) => !pair.commit || entry.source.commit !== pair.commit).slice(0, k);
    const seen = wordTokens(demos.map((entry) => entry.code).join('\n'));
    total += [...wanted].filter((token) => seen.has(token)).length / wanted.size;
    measured += 1;
  }
  return { pairs: measured, recall: measured === 0 ? 0 : total / measured };
}
