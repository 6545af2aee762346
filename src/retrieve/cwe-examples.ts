// Labelled examples that teach the CWE classifier what code looks like BEFORE it is fixed: the
// corpus holds only secure functions, but the code under review is usually the vulnerable kind,
// or a prompt that stops before the dangerous line. The optional file corpus/cwe-examples.jsonl
// beside the corpus holds, per training fix pair, its vulnerable function, the lines both sides
// share before the fix (when long enough to say something), and the lines the fix added (they
// name the check or safe call). They are never shown as demonstrations. An org corpus without
// the file trains on its own labels only.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { normalizeCode } from '../corpus/entry.js';
import { LANGUAGES } from '../lang/languages.js';
import type { TrainingPair } from '../eval/training-pairs.js';
import type { LabelledCode } from './cwe-classifier.js';

export const CWE_EXAMPLES_FILE = 'cwe-examples.jsonl';

export const EXAMPLE_KINDS = ['vulnerable', 'prefix', 'fix-lines'] as const;
export type ExampleKind = (typeof EXAMPLE_KINDS)[number];

const cweExampleSchema = z
  .object({
    kind: z.enum(EXAMPLE_KINDS),
    language: z.enum(LANGUAGES),
    cwe: z.array(z.string().regex(/^CWE-[1-9]\d*$/)).min(1),
    code: z.string().min(1),
    source: z.object({ repo: z.string().optional(), commit: z.string().optional(), path: z.string().optional(), dataset: z.string().optional() }).strict(),
  })
  .strict();
export type CweExample = z.infer<typeof cweExampleSchema>;

/** A shared prefix with fewer non-blank lines says nothing beyond the signature. */
export const MIN_PREFIX_LINES = 3;

function nonBlankLines(code: string): number {
  return code.split('\n').filter((line) => line.trim() !== '').length;
}

/** The examples one fix pair gives, each at most `maxChars` long; none when its two sides do not differ. */
export function cweExamplesOfPair(pair: TrainingPair, maxChars = Number.POSITIVE_INFINITY): CweExample[] {
  const before = normalizeCode(pair.before);
  if (before === normalizeCode(pair.after)) return [];
  const base = {
    language: pair.language,
    cwe: [pair.cwe],
    source: { repo: pair.repo, commit: pair.commit, path: pair.file, dataset: pair.dataset },
  };
  const examples: CweExample[] = [{ ...base, kind: 'vulnerable', code: before }];
  const prefix = normalizeCode(pair.sharedPrefix);
  if (nonBlankLines(prefix) >= MIN_PREFIX_LINES && prefix !== before) examples.push({ ...base, kind: 'prefix', code: prefix });
  const old = new Set(pair.before.split('\n').map((line) => line.trim()));
  const added = pair.after.split('\n').filter((line) => line.trim() !== '' && !old.has(line.trim()));
  if (added.length > 0) examples.push({ ...base, kind: 'fix-lines', code: normalizeCode(added.join('\n')) });
  return examples.filter((example) => example.code.length <= maxChars);
}

export function serializeCweExample(example: CweExample): string {
  return JSON.stringify(example);
}

/** The examples file of a corpus folder; empty when there is none. Damaged lines are an error, as in the corpus. */
export async function readCweExamples(corpusDir: string): Promise<CweExample[]> {
  const file = join(corpusDir, CWE_EXAMPLES_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, index }) => {
      const parsed = cweExampleSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${index + 1}: not a CWE example: ${parsed.error.message}`);
      return parsed.data;
    });
}

export function asLabelledCode(examples: readonly CweExample[]): LabelledCode[] {
  return examples.map((example) => ({ code: example.code, cwe: example.cwe }));
}

/** Identity of an example set, so a saved classifier is retrained when the examples change. */
export function cweExamplesHash(examples: readonly CweExample[]): string {
  const hash = createHash('sha256');
  for (const example of examples) hash.update(`${serializeCweExample(example)}\n`);
  return hash.digest('hex');
}
