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
import { codeHash, normalizeCode } from './entry.js';
import { cweIdSchema } from '../cwe/schema.js';
import { LANGUAGES } from '../lang/languages.js';
import { sharedPrefixOf } from '../text/shared-prefix.js';
import { DataFileError } from '../errors/data-file-error.js';

export const CWE_EXAMPLES_FILE = 'cwe-examples.jsonl';

export const EXAMPLE_KINDS = ['vulnerable', 'prefix', 'fix-lines'] as const;
export type ExampleKind = (typeof EXAMPLE_KINDS)[number];

const cweExampleSchema = z
  .object({
    kind: z.enum(EXAMPLE_KINDS),
    language: z.enum(LANGUAGES),
    cwe: z.array(cweIdSchema).min(1),
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

/** One vulnerability fix: the function before and after, what it fixed, and where it came from. */
export interface FixedFunction {
  language: CweExample['language'];
  cwe: string[];
  before: string;
  after: string;
  /** Lines both sides share before the first change. Default: computed from the two sides. */
  sharedPrefix?: string;
  source: CweExample['source'];
}

/** The examples one fix gives, each at most `maxChars` long; none when its two sides do not differ or it has no CWE. */
export function cweExamplesOfFix(fix: FixedFunction, maxChars = Number.POSITIVE_INFINITY): CweExample[] {
  const before = normalizeCode(fix.before);
  if (fix.cwe.length === 0 || before === normalizeCode(fix.after)) return [];
  const base = { language: fix.language, cwe: [...fix.cwe], source: fix.source };
  const examples: CweExample[] = [{ ...base, kind: 'vulnerable', code: before }];
  const prefix = normalizeCode(fix.sharedPrefix ?? sharedPrefixOf(fix.before, fix.after));
  if (nonBlankLines(prefix) >= MIN_PREFIX_LINES && prefix !== before) examples.push({ ...base, kind: 'prefix', code: prefix });
  const old = new Set(fix.before.split('\n').map((line) => line.trim()));
  const added = fix.after.split('\n').filter((line) => line.trim() !== '' && !old.has(line.trim()));
  if (added.length > 0) examples.push({ ...base, kind: 'fix-lines', code: normalizeCode(added.join('\n')) });
  return examples.filter((example) => example.code.length <= maxChars);
}

/** Identity of an example for deduplication: its kind and normalized code. */
export function cweExampleKey(example: CweExample): string {
  return `${example.kind}:${codeHash(example.code)}`;
}

/** The examples not already among `existing` (nor earlier in `incoming`). */
export function newCweExamples(existing: readonly CweExample[], incoming: readonly CweExample[]): CweExample[] {
  const known = new Set(existing.map(cweExampleKey));
  return incoming.filter((example) => {
    const key = cweExampleKey(example);
    if (known.has(key)) return false;
    known.add(key);
    return true;
  });
}

export function serializeCweExample(example: CweExample): string {
  return JSON.stringify(example);
}

/** Examples from the text of an examples file; `file` names it in errors. Damaged lines are an error. */
export function parseCweExamples(text: string, file: string): CweExample[] {
  return text
    .split('\n')
    .map((line, index) => ({ line, index }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, index }) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (error) {
        throw new DataFileError(file, `not valid JSON (${(error as Error).message})`, index + 1);
      }
      const parsed = cweExampleSchema.safeParse(json);
      if (!parsed.success) throw new DataFileError(file, `not a CWE example: ${parsed.error.message}`, index + 1);
      return parsed.data;
    });
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
  return parseCweExamples(text, file);
}

/** Code with the CWEs it shows: what the CWE classifier trains on. */
export interface LabelledCode {
  code: string;
  cwe: readonly string[];
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
