// The gates a merged function passes before it may join the corpus, each refusal named by its
// gate: the candidate must be readable at the merge commit (`source`), short enough (`size`),
// parse (`syntax`), be otherwise a valid entry (`entry`), be new (`duplicate`), and pass the
// analyzers (`analyzers`, src/analyze/secure-gate.ts, the gate `seccoder corpus add` and the seed
// builder run); with growth.mode: pull-request, people review it last (`review`). What each
// analyzer said is kept for the audit trail.
import { gateProblem, gateResults, secureGate, type GateResult } from '../../analyze/secure-gate.js';
import type { Analyzer } from '../../analyze/types.js';
import { codeHash, normalizeCode, type CorpusEntry } from '../../corpus/entry.js';
import { EntryRejectedError } from '../../corpus/errors.js';
import { DEFAULT_MAX_ENTRY_CHARS, prepareEntry } from '../../corpus/prepare-entry.js';
import { qualifiedName } from '../../detect/qualified-name.js';
import type { Language } from '../../lang/languages.js';
import { blobUrl } from './growth-comment.js';
import type { GrowthPull } from './growth-pull.js';
import type { MergedFunction, UnusableCandidate } from './merged-functions.js';

export const REFUSAL_GATES = ['source', 'size', 'syntax', 'entry', 'duplicate', 'analyzers', 'review'] as const;
export type RefusalGate = (typeof REFUSAL_GATES)[number];

/** A function that did not join, with the gate that refused it and why. */
export interface Rejection {
  path: string;
  function?: string;
  reason: string;
  gate: RefusalGate;
  /** Hash of its normalized code (absent when it could not be read). */
  sha256?: string;
  language?: Language;
  cwe?: string[];
  /** What each analyzer said, when they ran. */
  gates?: GateResult[];
}

/** A function that passed every gate, as the entry it becomes. */
export interface GatedEntry {
  entry: CorpusEntry;
  /** The merged function it was made from (its vulnerable version teaches the CWE classifier). */
  fix: MergedFunction;
  /** What each analyzer said. */
  gates: GateResult[];
}

export interface GatedFunctions {
  /** New functions that passed. */
  passed: GatedEntry[];
  rejected: Rejection[];
  /** Functions of this very pull request already in the corpus: an earlier run added them (and may have died before its audit or comment). */
  joinedEarlier: GatedEntry[];
}

export interface GateOptions {
  owner: string;
  repo: string;
  pull: GrowthPull;
  /** The corpus as it is now. */
  corpus: readonly CorpusEntry[];
  analyzers: readonly Analyzer[];
  /** Longest function accepted, in characters. Default 4,000. */
  maxEntryChars?: number;
  now: Date;
}

/** A refusal of the entry's gates (size, syntax, entry), named by the gate from what was wrong. */
function preparationGate(code: string, reason: string, maxChars: number): RefusalGate {
  if (normalizeCode(code).length > maxChars) return 'size';
  return /does not parse/.test(reason) ? 'syntax' : 'entry';
}

export function unusableRejection(unusable: UnusableCandidate): Rejection {
  return { path: unusable.path, ...(unusable.function ? { function: unusable.function } : {}), reason: unusable.reason, gate: 'source' };
}

/** A refusal of an entry that was ready to join, as the duplicate it turned out to be. */
export function duplicateRejection(entry: CorpusEntry, reason: string, gates?: GateResult[]): Rejection {
  return {
    path: entry.source.path ?? '',
    ...(entry.source.function ? { function: entry.source.function } : {}),
    reason,
    gate: 'duplicate',
    sha256: entry.sha256,
    language: entry.language,
    cwe: entry.cwe,
    ...(gates ? { gates } : {}),
  };
}

async function analyzerGate(fn: MergedFunction, analyzers: readonly Analyzer[]): Promise<{ problem?: string; gates: GateResult[] }> {
  const verdict = await secureGate({ code: fn.function.code, language: fn.language, fileName: fn.path.split('/').at(-1) }, analyzers);
  const problem = gateProblem(verdict);
  return { ...(problem ? { problem } : {}), gates: gateResults(verdict) };
}

/** Each merged function through the gates, in order. */
export async function gateFunctions(functions: readonly MergedFunction[], options: GateOptions): Promise<GatedFunctions> {
  const { owner, repo, pull } = options;
  const maxChars = options.maxEntryChars ?? DEFAULT_MAX_ENTRY_CHARS;
  const stored = new Map(options.corpus.map((entry) => [entry.sha256, entry]));
  const known = new Set(stored.keys());
  const result: GatedFunctions = { passed: [], rejected: [], joinedEarlier: [] };
  for (const fn of functions) {
    const name = qualifiedName(fn.function);
    const about = { path: fn.path, function: name, language: fn.language, cwe: fn.cwe };
    let entry: CorpusEntry;
    try {
      entry = await prepareEntry({
        code: fn.function.code,
        label: `${fn.path}:${name}`,
        path: fn.path,
        language: fn.language,
        cwe: fn.cwe,
        origin: 'merged-fix',
        maxChars,
        now: options.now,
        source: {
          repo: `${owner}/${repo}`,
          commit: pull.mergeCommitSha,
          path: fn.path,
          function: name,
          url: blobUrl(owner, repo, pull.mergeCommitSha, fn.path, fn.function.startLine, fn.function.endLine),
          pullRequest: pull.number,
          ...(pull.mergedBy ? { mergedBy: pull.mergedBy.login } : {}),
        },
      });
    } catch (error) {
      if (!(error instanceof EntryRejectedError)) throw error;
      const gate = preparationGate(fn.function.code, error.reason, maxChars);
      result.rejected.push({ ...about, reason: error.reason, gate, sha256: codeHash(fn.function.code) });
      continue;
    }
    if (known.has(entry.sha256)) {
      const earlier = stored.get(entry.sha256);
      if (earlier && earlier.source.repo === `${owner}/${repo}` && earlier.source.pullRequest === pull.number) {
        // What the analyzers say now, for an audit record the earlier run may not have written.
        result.joinedEarlier.push({ entry: earlier, fix: fn, gates: (await analyzerGate(fn, options.analyzers)).gates });
      } else result.rejected.push(duplicateRejection(entry, 'already in the corpus'));
      continue;
    }
    const { problem, gates } = await analyzerGate(fn, options.analyzers);
    if (problem) {
      result.rejected.push({ ...about, cwe: entry.cwe, reason: problem, gate: 'analyzers', sha256: entry.sha256, gates });
      continue;
    }
    known.add(entry.sha256);
    result.passed.push({ entry, fix: fn, gates });
  }
  return result;
}
