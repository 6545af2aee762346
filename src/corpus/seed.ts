// Builds the seed corpus from the SVEN and SafeCoder training pairs: the secure side of each
// vulnerability fix, with the fixing commit as provenance. Validation splits are read only to keep
// out training functions identical to a held-out one: they are for measuring, never for the seed.
// Every entry then passes the corpus's gate (src/analyze/secure-gate.ts), as a merged fix or a
// `seccoder corpus add` does: a "secure" side an analyzer still flags, or that silences one, is dropped.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { normalizeCwe } from '../cwe/id.js';
import { languageFromPath } from '../lang/languages.js';
import { codeHash, normalizeCode, type CorpusEntry } from './entry.js';
import { validationHashes } from './validation-hashes.js';
import { DataFileError } from '../errors/data-file-error.js';
import { gateProblem, secureGate, type GateVerdict } from '../analyze/secure-gate.js';
import type { Analyzer } from '../analyze/types.js';

/** Default cap on a demonstration's length: longer functions crowd out the prompt. */
export const DEFAULT_SEED_MAX_CHARS = 4000;

const pairSchema = z.object({
  func_name: z.string(),
  func_src_before: z.string(),
  func_src_after: z.string(),
  commit_link: z.string(),
  file_name: z.string(),
  vul_type: z.string(),
});
type Pair = z.infer<typeof pairSchema>;

interface SeedSource {
  dataset: string;
  files: string[];
  /** Date of the dataset commit copied, used as addedAt so that builds are reproducible. */
  addedAt: string;
}

export interface SeedReport {
  read: number;
  identical: number;
  tooLong: number;
  unknownLanguage: number;
  duplicates: number;
  /** Identical to a function of a validation split. */
  heldOut: number;
  /** Dropped by the gate, per `<analyzer>:<rule>` (`seccoder:suppression-comment`, `failed:<analyzer>`). */
  gated: Record<string, number>;
  /** Each entry the gate dropped, with why. */
  gateDrops: { id: string; rule: string; problem: string }[];
  kept: number;
}

export interface SeedGate {
  /** The analyzers that must find nothing (those not handling an entry's language are not run). */
  analyzers: readonly Analyzer[];
  /** Entries checked at once (default 2). */
  concurrency?: number;
}

export interface SeedOptions {
  datasetsDir: string;
  maxChars?: number;
  /**
   * The corpus's gate, run on every entry that survives the other filters. `false` builds the
   * ungated list (for checking the data against the committed seed without running the tools).
   */
  gate: SeedGate | false;
}

/** The rule a failed verdict is counted under. */
function gateRule(verdict: GateVerdict): string {
  if (verdict.failure) return `failed:${verdict.failure.analyzer}`;
  const first = verdict.findings[0];
  return first ? `${first.analyzer}:${first.ruleId}` : 'unknown';
}

async function applyGate(entries: readonly CorpusEntry[], gate: SeedGate, report: SeedReport): Promise<CorpusEntry[]> {
  const verdicts: GateVerdict[] = new Array<GateVerdict>(entries.length);
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const index = next++;
      const entry = entries[index] as CorpusEntry;
      verdicts[index] = await secureGate({ code: entry.code, language: entry.language, fileName: entry.source.path?.split('/').at(-1) }, gate.analyzers);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, gate.concurrency ?? 2) }, worker));
  return entries.filter((entry, index) => {
    const verdict = verdicts[index] as GateVerdict;
    if (verdict.passed) return true;
    const rule = gateRule(verdict);
    report.gated[rule] = (report.gated[rule] ?? 0) + 1;
    report.gateDrops.push({ id: entry.id, rule, problem: gateProblem(verdict) ?? rule });
    return false;
  });
}

async function seedSources(datasetsDir: string): Promise<SeedSource[]> {
  const svenTrain = join(datasetsDir, 'sven', 'data_train_val', 'train');
  const svenFiles = (await readdir(svenTrain)).filter((name) => name.endsWith('.jsonl')).sort();
  return [
    { dataset: 'sven', files: svenFiles.map((name) => join(svenTrain, name)), addedAt: '2024-07-14T00:00:00.000Z' },
    {
      dataset: 'safecoder',
      files: [join(datasetsDir, 'safecoder', 'data_train_val', 'train', 'sec-new-desc.jsonl')],
      addedAt: '2024-07-16T00:00:00.000Z',
    },
  ];
}

function entryFromPair(pair: Pair, source: SeedSource): CorpusEntry | 'unknown-language' {
  const language = languageFromPath(pair.file_name);
  if (!language) return 'unknown-language';
  // commit_link is "github.com/<owner>/<repo>/commit/<sha>".
  const link = /^github\.com\/([^/]+\/[^/]+)\/commit\/([0-9a-f]+)/.exec(pair.commit_link);
  const code = normalizeCode(pair.func_src_after);
  const sha256 = codeHash(code);
  return {
    id: `${source.dataset}-${sha256.slice(0, 16)}`,
    language,
    code,
    cwe: [normalizeCwe(pair.vul_type)],
    source: {
      repo: link?.[1],
      commit: link?.[2],
      path: pair.file_name,
      url: `https://${pair.commit_link}`,
      function: pair.func_name.trim() || undefined,
      dataset: source.dataset,
    },
    origin: 'seed',
    addedAt: source.addedAt,
    sha256,
  };
}

export async function buildSeedCorpus(options: SeedOptions): Promise<{ entries: CorpusEntry[]; report: SeedReport }> {
  const maxChars = options.maxChars ?? DEFAULT_SEED_MAX_CHARS;
  const report: SeedReport = { read: 0, identical: 0, tooLong: 0, unknownLanguage: 0, duplicates: 0, heldOut: 0, gated: {}, gateDrops: [], kept: 0 };
  const heldOut = await validationHashes(options.datasetsDir, ['after']);
  const seen = new Map<string, CorpusEntry>();
  const entries: CorpusEntry[] = [];
  for (const source of await seedSources(options.datasetsDir)) {
    for (const file of source.files) {
      const lines = (await readFile(file, 'utf8')).split('\n');
      for (const [index, line] of lines.entries()) {
        if (line.trim() === '') continue;
        const parsed = pairSchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw new DataFileError(file, `not a vulnerability-fix pair: ${parsed.error.message}`, index + 1);
        const pair = parsed.data;
        report.read += 1;
        if (normalizeCode(pair.func_src_before) === normalizeCode(pair.func_src_after)) {
          report.identical += 1;
          continue;
        }
        if (pair.func_src_after.length > maxChars) {
          report.tooLong += 1;
          continue;
        }
        const entry = entryFromPair(pair, source);
        if (entry === 'unknown-language') {
          report.unknownLanguage += 1;
          continue;
        }
        if (heldOut.has(entry.sha256)) {
          report.heldOut += 1;
          continue;
        }
        const earlier = seen.get(entry.sha256);
        if (earlier) {
          // The same fixed function filed under two weaknesses keeps both labels.
          for (const cwe of entry.cwe) if (!earlier.cwe.includes(cwe)) earlier.cwe.push(cwe);
          report.duplicates += 1;
          continue;
        }
        seen.set(entry.sha256, entry);
        entries.push(entry);
      }
    }
  }
  const kept = options.gate ? await applyGate(entries, options.gate, report) : entries;
  report.kept = kept.length;
  return { entries: kept, report };
}
