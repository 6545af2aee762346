// How demonstrations are chosen for an evaluation run: none (the baseline), a random same-language
// pick (the paper's weakest baseline), or one of the retriever's rankings.
import { createHash } from 'node:crypto';
import { seededRandom as seededGenerator } from '../../embed/lsa/random.js';
import type { CorpusEntry } from '../../corpus/entry.js';
import { languageFamily, type Language } from '../../lang/languages.js';
import type { Retriever } from '../../retrieve/retriever.js';
import { UnknownEvalModeError } from './errors.js';

export const EVAL_MODES = ['none', 'random', 'bm25', 'dense', 'hybrid', 'cwe-aware'] as const;
export type EvalMode = (typeof EVAL_MODES)[number];
/** The paper's comparison; `cwe-aware` (the product's default retriever) is there on request. */
export const DEFAULT_EVAL_MODES: readonly EvalMode[] = ['none', 'random', 'bm25', 'dense', 'hybrid'];

export function parseEvalMode(value: string): EvalMode {
  if ((EVAL_MODES as readonly string[]).includes(value)) return value as EvalMode;
  throw new UnknownEvalModeError(value, EVAL_MODES);
}

/** A number in [0, 1) per call, the same sequence for the same seed string. */
export function seededRandom(seed: string): () => number {
  return seededGenerator(createHash('sha256').update(seed).digest().readUInt32LE(0));
}

/**
 * `k` distinct entries of the query's language family, drawn with a generator seeded by `seed`
 * (the scenario id), so a rerun shows the model the same prompt and the cache still answers.
 * Other languages fill in only when the family has fewer than `k`.
 */
export function randomDemonstrations(entries: readonly CorpusEntry[], language: Language, k: number, seed: string): CorpusEntry[] {
  const family = languageFamily(language);
  const random = seededRandom(seed);
  const shuffle = (pool: CorpusEntry[]) => {
    for (let i = pool.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j] as CorpusEntry, pool[i] as CorpusEntry];
    }
    return pool;
  };
  const same = shuffle(entries.filter((entry) => languageFamily(entry.language) === family));
  const rest = shuffle(entries.filter((entry) => languageFamily(entry.language) !== family));
  return [...same, ...rest].slice(0, Math.max(0, k));
}

/** What the run needs to choose demonstrations: the corpus and a retriever per retrieval mode. */
export interface DemonstrationChooser {
  entries: readonly CorpusEntry[];
  /** The dense embedder's id, for the report. */
  embedderId?: string;
  retrieverFor(mode: Exclude<EvalMode, 'none' | 'random'>): Retriever;
}

/** The `k` demonstrations `mode` picks for a prompt; none for `none`. The CWE is never given: the paper's setting. */
export async function demonstrationsForMode(
  chooser: DemonstrationChooser,
  mode: EvalMode,
  query: { code: string; language: Language; seed: string },
  k: number,
): Promise<CorpusEntry[]> {
  if (mode === 'none' || k <= 0) return [];
  if (mode === 'random') return randomDemonstrations(chooser.entries, query.language, k, query.seed);
  const demos = await chooser.retrieverFor(mode).retrieve({ code: query.code, language: query.language, k });
  return demos.map((demo) => demo.entry);
}
